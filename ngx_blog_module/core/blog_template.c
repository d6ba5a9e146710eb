
/*
 * Mustache templates (the spec's core modules: interpolation, sections,
 * inverted sections, comments, partials, set delimiters).  A template is
 * compiled once into a flat array of nodes; a section's body is the nodes
 * that follow it, up to its "end".  Standalone lines are removed and text is
 * split at line ends when compiling, so rendering is one walk over the nodes
 * with a stack of contexts, and a partial's indentation is only a matter of
 * writing the indent before each node that starts a line.
 *
 * False, null, empty lists and empty strings are falsy (as in mustache.js,
 * so a theme can hide an unset tagline); lists and maps interpolate
 * as nothing.  A missing partial renders as nothing.  Rendering is bounded
 * in depth, steps (nodes rendered and contexts searched) and output, so a
 * template that includes itself ends; one that hits a bound makes
 * blog_tmpl_render return BLOG_ERROR.  What to show is the caller's
 * business, and values come from blog_value.c.
 */


#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blog_template.h"


typedef struct {
    const u_char           *src;
    size_t                  len;
    const u_char           *open;
    size_t                  open_len;
    const u_char           *close;
    size_t                  close_len;
    blog_tmpl_node_t       *nodes;
    size_t                  nnodes;
    size_t                  nodes_size;
    blog_tmpl_span_t       *parts;
    size_t                  nparts;
    size_t                  parts_size;
    size_t                  depth;
    size_t                  sections[BLOG_TMPL_MAX_NESTING];
    unsigned                lines[BLOG_TMPL_MAX_NESTING];
    size_t                  line_pos;   /* lines are counted up to here */
    unsigned                line;
    blog_problem_detail_t  *pd;
} blog_tmpl_compile_t;


static int blog_tmpl_compile(blog_tmpl_compile_t *c);
static int blog_tmpl_tag(blog_tmpl_compile_t *c, u_char sigil,
    const u_char *tag, const u_char *name, size_t n, unsigned standalone,
    const u_char *indent);
static int blog_tmpl_close(blog_tmpl_compile_t *c, const u_char *name,
    size_t n, unsigned bol);
static int blog_tmpl_delimiters(blog_tmpl_compile_t *c, const u_char *p,
    size_t n);
static int blog_tmpl_name(blog_tmpl_compile_t *c, blog_tmpl_node_t *node,
    const u_char *p, size_t n);
static int blog_tmpl_text(blog_tmpl_compile_t *c, const u_char *p,
    const u_char *end);
static blog_tmpl_node_t *blog_tmpl_node(blog_tmpl_compile_t *c,
    blog_tmpl_type_e type, const u_char *p, size_t n);
static const u_char *blog_tmpl_search(const u_char *p, const u_char *end,
    u_char first, const u_char *delim, size_t n);
static unsigned blog_tmpl_line(blog_tmpl_compile_t *c, const u_char *p);
static int blog_tmpl_error(blog_tmpl_compile_t *c, unsigned line,
    const char *fmt, ...) __attribute__ ((format (printf, 3, 4)));


static const u_char  blog_tmpl_open[] = "{{";
static const u_char  blog_tmpl_close_default[] = "}}";


blog_tmpl_set_t *
blog_tmpl_set_create(void)
{
    blog_tmpl_set_t  *set;

    set = malloc(sizeof(blog_tmpl_set_t));
    if (set == NULL) {
        return NULL;
    }

    set->arena = blog_arena_create();
    if (set->arena == NULL) {
        free(set);
        return NULL;
    }

    set->tmpls = NULL;
    set->n = 0;
    set->size = 0;

    return set;
}


void
blog_tmpl_set_free(blog_tmpl_set_t *set)
{
    if (set == NULL) {
        return;
    }

    blog_arena_destroy(set->arena);
    free(set->tmpls);
    free(set);
}


int
blog_tmpl_has(blog_tmpl_set_t *set, const char *name)
{
    return blog_tmpl_find(set, (const u_char *) name, strlen(name)) != NULL;
}


blog_tmpl_t *
blog_tmpl_find(blog_tmpl_set_t *set, const u_char *name, size_t n)
{
    size_t        i;
    blog_tmpl_t  *t;

    for (i = 0; i < set->n; i++) {
        t = &set->tmpls[i];

        if (t->name.len == n && memcmp(t->name.data, name, n) == 0) {
            return t;
        }
    }

    return NULL;
}


/*
 * Compiles src and keeps it under name, replacing a template of that name.
 * On a syntax error, pd says on which line and why, and the set is as it
 * was.
 */

int
blog_tmpl_add(blog_tmpl_set_t *set, const char *name, const u_char *src,
    size_t n, blog_problem_detail_t *pd)
{
    size_t                 size;
    blog_tmpl_t            t, *slot, *tmpls;
    blog_tmpl_compile_t   *c;
    blog_problem_detail_t  dummy;

    if (pd == NULL) {
        pd = &dummy;
    }

    pd->line = 0;
    pd->reason = NULL;
    pd->text[0] = '\0';

    if (src == NULL || n == 0) {
        src = (const u_char *) "";
        n = 0;
    }

    c = calloc(1, sizeof(blog_tmpl_compile_t));
    if (c == NULL) {
        pd->reason = "out of memory";
        return BLOG_ERROR;
    }

    c->src = src;
    c->len = n;
    c->open = blog_tmpl_open;
    c->open_len = 2;
    c->close = blog_tmpl_close_default;
    c->close_len = 2;
    c->line = 1;
    c->pd = pd;

    if (blog_tmpl_compile(c) != BLOG_OK) {
        goto failed;
    }

    pd->reason = "out of memory";

    t.name.len = strlen(name);
    t.name.data = blog_arena_strdup(set->arena, (const u_char *) name,
                                    t.name.len);
    t.src = blog_arena_strdup(set->arena, src, n);
    t.nnodes = c->nnodes;
    t.nodes = blog_arena_alloc(set->arena,
                               c->nnodes * sizeof(blog_tmpl_node_t));
    t.parts = blog_arena_alloc(set->arena,
                               c->nparts * sizeof(blog_tmpl_span_t));

    if (t.name.data == NULL || t.src == NULL || t.nodes == NULL
        || t.parts == NULL)
    {
        goto failed;
    }

    if (c->nnodes) {
        memcpy(t.nodes, c->nodes, c->nnodes * sizeof(blog_tmpl_node_t));
    }

    if (c->nparts) {
        memcpy(t.parts, c->parts, c->nparts * sizeof(blog_tmpl_span_t));
    }

    slot = blog_tmpl_find(set, t.name.data, t.name.len);

    if (slot == NULL) {
        if (set->n == set->size) {
            size = set->size ? set->size * 2 : 8;

            tmpls = realloc(set->tmpls, size * sizeof(blog_tmpl_t));
            if (tmpls == NULL) {
                goto failed;
            }

            set->tmpls = tmpls;
            set->size = size;
        }

        slot = &set->tmpls[set->n++];
    }

    *slot = t;

    pd->reason = NULL;

    free(c->nodes);
    free(c->parts);
    free(c);

    return BLOG_OK;

failed:

    free(c->nodes);
    free(c->parts);
    free(c);

    return BLOG_ERROR;
}


static int
blog_tmpl_compile(blog_tmpl_compile_t *c)
{
    u_char             sigil;
    unsigned           standalone, line;
    const u_char      *src, *end, *text, *tag, *p, *q, *after, *ws, *next;
    blog_tmpl_node_t  *node;

    src = c->src;
    end = src + c->len;
    text = src;

    for ( ;; ) {
        tag = blog_tmpl_search(text, end, 0, c->open, c->open_len);
        if (tag == NULL) {
            break;
        }

        p = tag + c->open_len;
        sigil = p < end ? *p : '\0';

        switch (sigil) {
        case '#':
        case '^':
        case '/':
        case '!':
        case '>':
        case '&':
        case '{':
        case '=':
            p++;
            break;
        default:
            sigil = '\0';
        }

        q = blog_tmpl_search(p, end,
                             (u_char) (sigil == '{' ? '}'
                                       : sigil == '=' ? '=' : '\0'),
                             c->close, c->close_len);
        if (q == NULL) {
            return blog_tmpl_error(c, blog_tmpl_line(c, tag),
                                   "tag opened with \"%.*s\" is never closed",
                                   (int) c->open_len, c->open);
        }

        after = q + c->close_len;

        if (sigil == '{' || sigil == '=') {
            after++;
        }

        /*
         * A standalone tag is alone on its line but for blanks; the whole
         * line goes, its blanks being the indent of a partial.
         */

        standalone = 0;
        ws = tag;
        next = after;

        if (sigil != '\0' && sigil != '&' && sigil != '{') {
            while (ws > text && blog_tmpl_space(ws[-1])) {
                ws--;
            }

            if (ws == src || ws[-1] == '\n') {
                for (next = after; next < end && blog_tmpl_space(*next);
                     next++)
                {
                    /* void */
                }

                if (next == end) {
                    standalone = 1;

                } else if (*next == '\n') {
                    standalone = 1;
                    next++;

                } else if (*next == '\r' && next + 1 < end
                           && next[1] == '\n')
                {
                    standalone = 1;
                    next += 2;
                }
            }

            if (!standalone) {
                ws = tag;
                next = after;
            }
        }

        if (blog_tmpl_text(c, text, ws) != BLOG_OK) {
            return BLOG_ERROR;
        }

        while (p < q && blog_tmpl_blank(*p)) {
            p++;
        }

        while (q > p && blog_tmpl_blank(q[-1])) {
            q--;
        }

        if (blog_tmpl_tag(c, sigil, tag, p, q - p, standalone, ws)
            != BLOG_OK)
        {
            return BLOG_ERROR;
        }

        text = next;
    }

    if (blog_tmpl_text(c, text, end) != BLOG_OK) {
        return BLOG_ERROR;
    }

    if (c->depth) {
        node = &c->nodes[c->sections[c->depth - 1]];
        line = c->lines[c->depth - 1];

        return blog_tmpl_error(c, line,
                               "section \"%.*s\" opened on line %u is "
                               "never closed",
                               blog_tmpl_shown(node->text.len),
                               src + node->text.off, line);
    }

    return BLOG_OK;
}


/*
 * One tag, its name trimmed.  A tag that leaves no node but starts a line
 * leaves an empty one in its place, to carry the partial indent.
 */

static int
blog_tmpl_tag(blog_tmpl_compile_t *c, u_char sigil, const u_char *tag,
    const u_char *name, size_t n, unsigned standalone, const u_char *indent)
{
    unsigned           bol, line;
    blog_tmpl_node_t  *node;

    line = blog_tmpl_line(c, tag);
    bol = !standalone && (tag == c->src || tag[-1] == '\n');

    switch (sigil) {

    case '!':
        break;

    case '=':
        if (blog_tmpl_delimiters(c, name, n) != BLOG_OK) {
            return blog_tmpl_error(c, line, "bad set-delimiter tag \"%.*s\"",
                                   blog_tmpl_shown(n), name);
        }

        break;

    case '/':
        if (n == 0) {
            return blog_tmpl_error(c, line, "empty tag name");
        }

        return blog_tmpl_close(c, name, n, bol);

    case '>':
        if (n == 0) {
            return blog_tmpl_error(c, line, "empty tag name");
        }

        node = blog_tmpl_node(c, BLOG_TMPL_PARTIAL, name, n);
        if (node == NULL) {
            return BLOG_ERROR;
        }

        node->bol = bol;
        node->standalone = standalone;

        if (standalone) {
            node->indent.off = indent - c->src;
            node->indent.len = tag - indent;
        }

        return BLOG_OK;

    case '#':
    case '^':
        if (c->depth == BLOG_TMPL_MAX_NESTING) {
            return blog_tmpl_error(c, line,
                                   "sections nested more than %d deep",
                                   BLOG_TMPL_MAX_NESTING);
        }

        node = blog_tmpl_node(c, sigil == '#' ? BLOG_TMPL_SECTION
                                              : BLOG_TMPL_INVERTED,
                              name, n);
        if (node == NULL || blog_tmpl_name(c, node, name, n) != BLOG_OK) {
            return BLOG_ERROR;
        }

        node->bol = bol;
        c->sections[c->depth] = c->nnodes - 1;
        c->lines[c->depth] = line;
        c->depth++;

        return BLOG_OK;

    default:
        node = blog_tmpl_node(c, sigil == '\0' ? BLOG_TMPL_VAR
                                               : BLOG_TMPL_RAW,
                              name, n);
        if (node == NULL || blog_tmpl_name(c, node, name, n) != BLOG_OK) {
            return BLOG_ERROR;
        }

        node->bol = bol;

        /* href="{{x}}": the value sets the scheme, and is checked */
        node->url = blog_url_attr(c->src, tag);

        return BLOG_OK;
    }

    if (bol) {
        node = blog_tmpl_node(c, BLOG_TMPL_TEXT, tag, 0);
        if (node == NULL) {
            return BLOG_ERROR;
        }

        node->bol = 1;
    }

    return BLOG_OK;
}


static int
blog_tmpl_close(blog_tmpl_compile_t *c, const u_char *name, size_t n,
    unsigned bol)
{
    unsigned           line;
    const u_char      *open;
    blog_tmpl_node_t  *node;

    line = c->line;

    if (c->depth == 0) {
        return blog_tmpl_error(c, line,
                               "closing tag \"%.*s\" has no open section",
                               blog_tmpl_shown(n), name);
    }

    node = &c->nodes[c->sections[c->depth - 1]];
    open = c->src + node->text.off;

    if (node->text.len != n || memcmp(open, name, n) != 0) {
        return blog_tmpl_error(c, line,
                               "closing tag \"%.*s\" does not match section "
                               "\"%.*s\" opened on line %u",
                               blog_tmpl_shown(n), name,
                               blog_tmpl_shown(node->text.len), open,
                               c->lines[c->depth - 1]);
    }

    if (bol) {
        node = blog_tmpl_node(c, BLOG_TMPL_TEXT, name, 0);
        if (node == NULL) {
            return BLOG_ERROR;
        }

        node->bol = 1;
    }

    c->depth--;
    c->nodes[c->sections[c->depth]].end = c->nnodes;

    return BLOG_OK;
}


/* "<% %>": two delimiters apart, neither blank nor holding "=" */

static int
blog_tmpl_delimiters(blog_tmpl_compile_t *c, const u_char *p, size_t n)
{
    size_t         i, open_len, close_len;
    const u_char  *close;

    for (i = 0; i < n && !blog_tmpl_blank(p[i]); i++) {
        if (p[i] == '=') {
            return BLOG_ERROR;
        }
    }

    open_len = i;

    while (i < n && blog_tmpl_blank(p[i])) {
        i++;
    }

    close = p + i;

    for ( /* void */ ; i < n; i++) {
        if (blog_tmpl_blank(p[i]) || p[i] == '=') {
            return BLOG_ERROR;
        }
    }

    close_len = p + n - close;

    if (open_len == 0 || close_len == 0
        || open_len > BLOG_TMPL_MAX_DELIM || close_len > BLOG_TMPL_MAX_DELIM)
    {
        return BLOG_ERROR;
    }

    c->open = p;
    c->open_len = open_len;
    c->close = close;
    c->close_len = close_len;

    return BLOG_OK;
}


/* "a.b.c" into its parts, "." being the current context */

static int
blog_tmpl_name(blog_tmpl_compile_t *c, blog_tmpl_node_t *node,
    const u_char *p, size_t n)
{
    size_t             i, start, size;
    blog_tmpl_span_t  *parts;

    if (n == 0) {
        return blog_tmpl_error(c, c->line, "empty tag name");
    }

    node->parts = c->nparts;
    node->nparts = 0;

    if (n == 1 && p[0] == '.') {
        return BLOG_OK;
    }

    start = 0;

    for (i = 0; i <= n; i++) {
        if (i < n && p[i] != '.' && !blog_tmpl_blank(p[i])) {
            continue;
        }

        /* "a..b", ".a", "a." and "a b" */

        if (i == start || (i < n && p[i] != '.')) {
            return blog_tmpl_error(c, c->line, "bad tag name \"%.*s\"",
                                   blog_tmpl_shown(n), p);
        }

        if (c->nparts == c->parts_size) {
            size = c->parts_size ? c->parts_size * 2 : 64;

            parts = realloc(c->parts, size * sizeof(blog_tmpl_span_t));
            if (parts == NULL) {
                c->pd->reason = "out of memory";
                return BLOG_ERROR;
            }

            c->parts = parts;
            c->parts_size = size;
        }

        c->parts[c->nparts].off = p + start - c->src;
        c->parts[c->nparts].len = i - start;
        c->nparts++;
        node->nparts++;

        start = i + 1;
    }

    return BLOG_OK;
}


/* text, a node per line, so that an indent goes before each */

static int
blog_tmpl_text(blog_tmpl_compile_t *c, const u_char *p, const u_char *end)
{
    const u_char      *nl;
    blog_tmpl_node_t  *node;

    while (p < end) {
        nl = memchr(p, '\n', end - p);
        nl = nl != NULL ? nl + 1 : end;

        node = blog_tmpl_node(c, BLOG_TMPL_TEXT, p, nl - p);
        if (node == NULL) {
            return BLOG_ERROR;
        }

        node->bol = (p == c->src || p[-1] == '\n');
        p = nl;
    }

    return BLOG_OK;
}


static blog_tmpl_node_t *
blog_tmpl_node(blog_tmpl_compile_t *c, blog_tmpl_type_e type,
    const u_char *p, size_t n)
{
    size_t             size;
    blog_tmpl_node_t  *node;

    if (c->nnodes == c->nodes_size) {
        size = c->nodes_size ? c->nodes_size * 2 : 64;

        node = realloc(c->nodes, size * sizeof(blog_tmpl_node_t));
        if (node == NULL) {
            c->pd->reason = "out of memory";
            return NULL;
        }

        c->nodes = node;
        c->nodes_size = size;
    }

    node = &c->nodes[c->nnodes++];

    memset(node, 0, sizeof(blog_tmpl_node_t));
    node->type = type;
    node->text.off = p - c->src;
    node->text.len = n;
    node->end = c->nnodes;

    return node;
}


/* the first "first" and delim together, or delim alone if first is 0 */

static const u_char *
blog_tmpl_search(const u_char *p, const u_char *end, u_char first,
    const u_char *delim, size_t n)
{
    const u_char  *q, *start;

    if (first != '\0') {
        start = p;

        for ( ;; ) {
            q = blog_tmpl_search(p, end, '\0', delim, n);
            if (q == NULL) {
                return NULL;
            }

            if (q > start && q[-1] == first) {
                return q - 1;
            }

            p = q + 1;
        }
    }

    while ((size_t) (end - p) >= n) {
        q = memchr(p, delim[0], end - p - n + 1);
        if (q == NULL) {
            return NULL;
        }

        if (memcmp(q, delim, n) == 0) {
            return q;
        }

        p = q + 1;
    }

    return NULL;
}


/* the line of p; tags come in order, so lines are counted once */

static unsigned
blog_tmpl_line(blog_tmpl_compile_t *c, const u_char *p)
{
    const u_char  *q, *nl;

    q = c->src + c->line_pos;

    while (q < p) {
        nl = memchr(q, '\n', p - q);
        if (nl == NULL) {
            break;
        }

        c->line++;
        q = nl + 1;
    }

    if (p > q) {
        q = p;
    }

    c->line_pos = q - c->src;

    return c->line;
}


static int
blog_tmpl_error(blog_tmpl_compile_t *c, unsigned line, const char *fmt, ...)
{
    va_list  args;

    va_start(args, fmt);
    vsnprintf(c->pd->text, sizeof(c->pd->text), fmt, args);
    va_end(args);

    c->pd->line = line;
    c->pd->reason = c->pd->text;

    return BLOG_ERROR;
}


/*
 * Renders the template called name with ctx as the root context, appending
 * to out.  BLOG_DECLINED: no such template.  BLOG_ERROR: out of memory, or
 * a bound was hit and what was rendered is incomplete.
 */

