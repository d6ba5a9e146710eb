
/*
 * The YAML most headers are written in, read without libyaml: "key: value"
 * lines, each value plain, quoted without escapes, a list in brackets on
 * its line, or "- item" lines below a key with none.  On make
 * bench-first-scan's posts, libyaml takes 7 us a header, where this takes
 * 1.5 us: a first scan spends 13 us on a post.  It builds the tree
 * libyaml's events build (blog_front_matter.c) and declines everything
 * else, which libyaml then reads: escapes, comments after a value, folded
 * lines, nested maps, anchors, tabs, and any character libyaml would
 * refuse or count as a line break.  That both readers build the same tree
 * from whatever this one accepts is checked on any bytes
 * (t/fuzz/fuzz_front_matter_simple.c) and on the headers of real blogs
 * (the unit tests).
 */


#include <stdlib.h>
#include <string.h>

#include "blog.h"


/* libyaml refuses a key longer than 1024 characters */
#define BLOG_FM_SIMPLE_KEY  1000


typedef struct {
    const u_char   *p;          /* what is left of the line */
    const u_char   *end;        /* the line's end, before any CR and LF */
    unsigned        line;
} blog_fm_line_t;


static size_t blog_fm_simple_char(const u_char *p, const u_char *end);
static int blog_fm_simple_key(blog_fm_line_t *ln, blog_str_t *key);
static int blog_fm_simple_value(blog_fm_line_t *ln, blog_node_t **node);
static int blog_fm_simple_flow(blog_fm_line_t *ln, blog_node_t **node);
static int blog_fm_simple_scalar(blog_fm_line_t *ln, unsigned flow,
    blog_node_t **node);
static int blog_fm_simple_quoted(blog_fm_line_t *ln, blog_node_t **node);
static int blog_fm_simple_indicator(u_char c);
static void blog_fm_simple_blanks(blog_fm_line_t *ln);


/*
 * BLOG_OK with *root the header's map; BLOG_DECLINED for what libyaml is
 * to read (and *root NULL); BLOG_ERROR when memory ran out.
 */

int
blog_fm_simple(blog_node_t **root, const u_char *p, size_t n,
    unsigned first_line, unsigned max_depth)
{
    int             rc;
    size_t          indent, items_indent, len;
    blog_str_t      key;
    blog_node_t    *map, *value, *list, *item;
    const u_char   *end, *nl, *q;
    blog_fm_line_t  ln;

    *root = NULL;

    if (max_depth < 2) {
        return BLOG_DECLINED;
    }

    map = NULL;
    value = NULL;       /* the last key's, while it may still get items */
    list = NULL;        /* its "- item" lines */
    items_indent = 0;
    end = p + n;
    ln.line = first_line;

    for ( /* void */ ; p < end; p = (nl < end) ? nl + 1 : end, ln.line++) {
        nl = memchr(p, '\n', end - p);
        if (nl == NULL) {
            nl = end;
        }

        ln.p = p;
        ln.end = (nl > p && nl[-1] == '\r') ? nl - 1 : nl;

        for (q = p; q < ln.end && *q == ' '; q++) {
            /* void */
        }

        if (q == ln.end) {
            continue;
        }

        indent = q - p;

        if (*q == '#' && indent == 0) {
            /* a comment line: its characters as libyaml allows them */

            for (q++; q < ln.end; q += len) {
                len = blog_fm_simple_char(q, ln.end);
                if (len == 0) {
                    goto declined;
                }
            }

            continue;
        }

        if (*q == '-' && (q + 1 == ln.end || q[1] == ' ')) {

            /* an item of the list of the key before, all at one indent */

            if (value == NULL || (list != NULL && indent != items_indent)) {
                goto declined;
            }

            if (list == NULL) {
                if (value->type != BLOG_NODE_NULL) {
                    goto declined;
                }

                list = value;
                list->type = BLOG_NODE_LIST;
                free(list->text.data);
                list->text.data = NULL;
                list->text.len = 0;
                items_indent = indent;
            }

            ln.p = q + 1;
            blog_fm_simple_blanks(&ln);

            if (ln.p == ln.end
                || blog_fm_simple_scalar(&ln, 0, &item) != BLOG_OK)
            {
                goto declined;
            }

            if (item == NULL) {
                goto nomem;
            }

            blog_node_append(list, item);
            continue;
        }

        if (indent != 0) {
            goto declined;
        }

        rc = blog_fm_simple_key(&ln, &key);

        if (rc != BLOG_OK) {
            if (rc == BLOG_DECLINED) {
                goto declined;
            }

            goto nomem;
        }

        list = NULL;
        value = NULL;

        if (map == NULL) {
            map = blog_node_new(BLOG_NODE_MAP, ln.line);
            if (map == NULL) {
                free(key.data);
                goto nomem;
            }
        }

        rc = blog_fm_simple_value(&ln, &value);

        if (rc != BLOG_OK || value == NULL) {
            free(key.data);

            if (rc == BLOG_DECLINED) {
                goto declined;
            }

            goto nomem;
        }

        value->key = key;
        value->line = ln.line;
        blog_node_append(map, value);

        if (value->type != BLOG_NODE_NULL || value->text.len != 0) {
            value = NULL;
        }
    }

    if (map == NULL) {
        goto declined;
    }

    *root = map;

    return BLOG_OK;

declined:

    blog_node_free(map);

    return BLOG_DECLINED;

nomem:

    blog_node_free(map);

    return BLOG_ERROR;
}


/*
 * The bytes of one character libyaml reads as printable and not as a
 * break or a byte order mark, tabs left out too; 0 for any other.
 */

static size_t
blog_fm_simple_char(const u_char *p, const u_char *end)
{
    size_t  n, i;
    u_char  c, lo, hi;

    c = p[0];

    if (c < 0x80) {
        return (c >= 0x20 && c < 0x7f) ? 1 : 0;
    }

    lo = 0x80;
    hi = 0xbf;

    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;

        if (c == 0xc2) {
            lo = 0xa0;          /* not C1 controls, NEL among them */
        }

    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;

        if (c == 0xe0) {
            lo = 0xa0;

        } else if (c == 0xed) {
            hi = 0x9f;          /* not surrogates */
        }

    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;

        if (c == 0xf0) {
            lo = 0x90;

        } else if (c == 0xf4) {
            hi = 0x8f;
        }

    } else {
        return 0;
    }

    if ((size_t) (end - p) < n || p[1] < lo || p[1] > hi) {
        return 0;
    }

    for (i = 2; i < n; i++) {
        if (p[i] < 0x80 || p[i] > 0xbf) {
            return 0;
        }
    }

    /* U+2028 and U+2029 break lines, U+FEFF, U+FFFE and U+FFFF are not
     * printable */

    if (n == 3
        && ((c == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9))
            || (c == 0xef && p[1] == 0xbb && p[2] == 0xbf)
            || (c == 0xef && p[1] == 0xbf && p[2] >= 0xbe)))
    {
        return 0;
    }

    return n;
}


/* a key of letters, digits, "_" and "-" (not first), then ":" */

static int
blog_fm_simple_key(blog_fm_line_t *ln, blog_str_t *key)
{
    u_char         c;
    const u_char  *p;

    for (p = ln->p; p < ln->end; p++) {
        c = *p;

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9') || c == '_'
              || (c == '-' && p != ln->p)))
        {
            break;
        }
    }

    if (p == ln->p || p == ln->end || *p != ':'
        || (p + 1 < ln->end && p[1] != ' ')
        || p - ln->p > BLOG_FM_SIMPLE_KEY)
    {
        return BLOG_DECLINED;
    }

    if (blog_str_dup(key, ln->p, p - ln->p) != BLOG_OK) {
        return BLOG_ERROR;
    }

    ln->p = p + 1;
    blog_fm_simple_blanks(ln);

    return BLOG_OK;
}


/*
 * A key's value: nothing (null, which "- item" lines below may make a
 * list), a list in brackets, or a scalar.  *node is NULL when memory ran
 * out.
 */

static int
blog_fm_simple_value(blog_fm_line_t *ln, blog_node_t **node)
{
    if (ln->p == ln->end) {
        *node = blog_fm_scalar_node((u_char *) "", 0, 1, ln->line);
        return BLOG_OK;
    }

    if (*ln->p == '[') {
        return blog_fm_simple_flow(ln, node);
    }

    return blog_fm_simple_scalar(ln, 0, node);
}


/* "[a, "b c"]", or "[]", alone on the line */

static int
blog_fm_simple_flow(blog_fm_line_t *ln, blog_node_t **node)
{
    blog_node_t  *list, *item;

    list = blog_node_new(BLOG_NODE_LIST, ln->line);
    if (list == NULL) {
        *node = NULL;
        return BLOG_OK;
    }

    ln->p++;
    blog_fm_simple_blanks(ln);

    if (ln->p < ln->end && *ln->p == ']') {
        ln->p++;
        goto close;
    }

    for ( ;; ) {
        if (ln->p == ln->end
            || blog_fm_simple_scalar(ln, 1, &item) != BLOG_OK)
        {
            goto declined;
        }

        if (item == NULL) {
            blog_node_free(list);
            *node = NULL;
            return BLOG_OK;
        }

        blog_node_append(list, item);

        if (ln->p == ln->end) {
            goto declined;
        }

        if (*ln->p++ == ']') {
            break;
        }

        /* "," then the next item: not "]", which libyaml reads as an
         * empty item or none */

        blog_fm_simple_blanks(ln);
    }

close:

    blog_fm_simple_blanks(ln);

    if (ln->p != ln->end) {
        goto declined;
    }

    *node = list;

    return BLOG_OK;

declined:

    blog_node_free(list);

    return BLOG_DECLINED;
}


/*
 * A scalar on the rest of the line, or in brackets up to the "," or "]"
 * after it (flow), blanks after it skipped: quoted, or plain, with none
 * of what ends a plain scalar or starts a comment.  A plain one in
 * brackets takes no ":" and no brackets or braces at all.
 */

static int
blog_fm_simple_scalar(blog_fm_line_t *ln, unsigned flow, blog_node_t **node)
{
    size_t         n;
    u_char         c;
    const u_char  *p, *last;

    c = *ln->p;

    if (c == '"' || c == '\'') {
        if (blog_fm_simple_quoted(ln, node) != BLOG_OK) {
            return BLOG_DECLINED;
        }

        /* nothing after it but the "," or "]" of its list */

        if (*node != NULL && ln->p != ln->end
            && !(flow && (*ln->p == ',' || *ln->p == ']')))
        {
            blog_node_free(*node);
            *node = NULL;
            return BLOG_DECLINED;
        }

        return BLOG_OK;
    }

    if (blog_fm_simple_indicator(c)) {
        return BLOG_DECLINED;
    }

    last = ln->p;

    for (p = ln->p; p < ln->end; p += n) {
        c = *p;

        if (flow && (c == ',' || c == ']')) {
            break;
        }

        if ((c == ':' && (!flow ? p + 1 == ln->end || p[1] == ' ' : 1))
            || (c == '#' && p[-1] == ' ')
            || (flow && (c == '[' || c == '{' || c == '}')))
        {
            return BLOG_DECLINED;
        }

        if (c >= 0x20 && c < 0x7f) {
            n = 1;

        } else {
            n = blog_fm_simple_char(p, ln->end);
            if (n == 0) {
                return BLOG_DECLINED;
            }
        }

        if (c != ' ') {
            last = p + n;
        }
    }

    *node = blog_fm_scalar_node(ln->p, last - ln->p, 1, ln->line);
    ln->p = p;

    return BLOG_OK;
}


/*
 * "..." with no backslash, or '...' with no quote doubled, on one line:
 * libyaml takes what is between as it is.
 */

static int
blog_fm_simple_quoted(blog_fm_line_t *ln, blog_node_t **node)
{
    size_t         n;
    u_char         quote;
    const u_char  *p, *start;

    quote = *ln->p;
    start = ln->p + 1;

    for (p = start; p < ln->end && *p != quote; p += n) {
        if (*p == '\\' && quote == '"') {
            return BLOG_DECLINED;
        }

        if (*p >= 0x20 && *p < 0x7f) {
            n = 1;
            continue;
        }

        n = blog_fm_simple_char(p, ln->end);
        if (n == 0) {
            return BLOG_DECLINED;
        }
    }

    if (p == ln->end || (p + 1 < ln->end && p[1] == quote)) {
        return BLOG_DECLINED;
    }

    *node = blog_fm_scalar_node(start, p - start, 0, ln->line);

    ln->p = p + 1;
    blog_fm_simple_blanks(ln);

    return BLOG_OK;
}


/*
 * What a plain scalar cannot start with: YAML 1.1's indicators, a blank,
 * and NUL, which strchr() finds as the string's end.
 */

static int
blog_fm_simple_indicator(u_char c)
{
    return strchr("-?:,[]{}#&*!|>'\"%@` ", c) != NULL;
}


static void
blog_fm_simple_blanks(blog_fm_line_t *ln)
{
    while (ln->p < ln->end && *ln->p == ' ') {
        ln->p++;
    }
}
