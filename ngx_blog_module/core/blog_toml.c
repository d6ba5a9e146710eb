
/*
 * TOML 1.0 front matter (Hugo's and Zola's "+++" headers) as a tree of
 * blog_node_t, read in one pass over the bytes.  This file reads the
 * document's shape: lines and comments, keys, [headers] and [[headers]],
 * "key = value", arrays and inline tables.  Only arrays and inline tables
 * recurse, and nesting is capped at max_depth, so a hostile header costs
 * at most its size.  It leaves to blog_toml_table.c which tables a header
 * or a dotted key may define or reach, to blog_toml_string.c and
 * blog_toml_scalar.c the values themselves, and to blog_toml_error.c the
 * words of a refusal.  What the keys mean is left to blog_post.c.
 */


#include <stdlib.h>
#include <string.h>

#include "blog_toml.h"


static int blog_toml_document(blog_toml_t *t);
static int blog_toml_line_end(blog_toml_t *t);
static int blog_toml_comment(blog_toml_t *t);
static int blog_toml_key(blog_toml_t *t);
static int blog_toml_header(blog_toml_t *t);
static int blog_toml_keyval(blog_toml_t *t, blog_node_t *table,
    unsigned depth);
static blog_node_t *blog_toml_value(blog_toml_t *t, unsigned depth);
static blog_node_t *blog_toml_array(blog_toml_t *t, unsigned depth);
static int blog_toml_array_blank(blog_toml_t *t);
static blog_node_t *blog_toml_inline(blog_toml_t *t, unsigned depth);


int
blog_toml_parse(blog_node_t **root, const u_char *p, size_t n,
    unsigned first_line, unsigned max_depth, blog_problem_detail_t *pd)
{
    int          rc;
    size_t       bad;
    blog_toml_t  t;

    *root = NULL;

    memset(&t, 0, sizeof(blog_toml_t));
    t.p = p;
    t.end = n ? p + n : p;
    t.line = first_line;
    t.max_depth = max_depth;
    t.pd = pd;
    blog_buf_init(&t.key);
    blog_buf_init(&t.text);

    /* the bytes are UTF-8 before anything reads them as TOML */

    bad = n ? blog_utf8_check(p, n) : 0;

    if (bad < n) {
        rc = blog_toml_error_at(&t, bad, p, "invalid UTF-8");

    } else {
        rc = blog_toml_document(&t);
    }

    free(t.slots);
    blog_buf_free(&t.key);
    blog_buf_free(&t.text);

    if (rc != BLOG_OK) {
        blog_node_free(t.root);
        return BLOG_ERROR;
    }

    *root = t.root;

    return BLOG_OK;
}


static int
blog_toml_document(blog_toml_t *t)
{
    t->root = blog_toml_node(t, BLOG_NODE_MAP, t->line);
    if (t->root == NULL) {
        return BLOG_ERROR;
    }

    t->table = t->root;
    t->depth = 1;

    if (blog_toml_hash_init(t) != BLOG_OK) {
        return BLOG_ERROR;
    }

    if (t->end - t->p >= 3 && memcmp(t->p, "\xef\xbb\xbf", 3) == 0) {
        t->p += 3;
    }

    for ( ;; ) {
        blog_toml_blank(t);

        if (t->p == t->end) {
            return BLOG_OK;
        }

        if (*t->p == '[') {
            if (blog_toml_header(t) != BLOG_OK) {
                return BLOG_ERROR;
            }

        } else if (*t->p != '#' && *t->p != '\n' && *t->p != '\r') {
            if (blog_toml_keyval(t, t->table, t->depth) != BLOG_OK) {
                return BLOG_ERROR;
            }
        }

        if (blog_toml_line_end(t) != BLOG_OK) {
            return BLOG_ERROR;
        }
    }
}


/* blanks, a comment, then a newline or the end */

static int
blog_toml_line_end(blog_toml_t *t)
{
    char  buf[16];

    blog_toml_blank(t);

    if (t->p < t->end && *t->p == '#') {
        if (blog_toml_comment(t) != BLOG_OK) {
            return BLOG_ERROR;
        }
    }

    if (t->p == t->end || blog_toml_newline(t)) {
        return BLOG_OK;
    }

    return blog_toml_error(t, t->line, "expected the end of the line, "
                           "found %s", blog_toml_what(t, buf, sizeof(buf)));
}


/* from '#' to the line's end, which is left */

static int
blog_toml_comment(blog_toml_t *t)
{
    u_char  c;

    for (t->p++; t->p < t->end; t->p++) {
        c = *t->p;

        if (c == '\n' || (c == '\r' && t->end - t->p >= 2 && t->p[1] == '\n'))
        {
            return BLOG_OK;
        }

        if ((c < 0x20 && c != '\t') || c == 0x7f) {
            return blog_toml_error(t, t->line, "control character U+%04X "
                                   "in a comment", c);
        }
    }

    return BLOG_OK;
}


/* one part of a key, bare or quoted, decoded into t->key */

static int
blog_toml_key(blog_toml_t *t)
{
    char           buf[16];
    u_char         c;
    const u_char  *start;

    t->key.len = 0;

    if (t->p < t->end && (*t->p == '"' || *t->p == '\'')) {
        if (t->end - t->p >= 3 && t->p[1] == t->p[0] && t->p[2] == t->p[0]) {
            return blog_toml_error(t, t->line, "a key cannot be a multi-line "
                                   "string");
        }

        return blog_toml_string(t, &t->key);
    }

    for (start = t->p; t->p < t->end; t->p++) {
        c = *t->p;

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9') || c == '_' || c == '-'))
        {
            break;
        }
    }

    if (t->p == start) {
        return blog_toml_error(t, t->line, "expected a key, found %s",
                               blog_toml_what(t, buf, sizeof(buf)));
    }

    blog_buf_add(&t->key, start, t->p - start);

    return t->key.failed ? blog_toml_nomem(t) : BLOG_OK;
}


/* "[a.b.c]" or "[[a.b.c]]": the section's table from now on */

static int
blog_toml_header(blog_toml_t *t)
{
    char          buf[16];
    unsigned      array, depth, line;
    blog_node_t  *table;

    line = t->line;
    array = (t->end - t->p >= 2 && t->p[1] == '[');
    t->p += array ? 2 : 1;

    table = t->root;
    depth = 1;

    for ( ;; ) {
        blog_toml_blank(t);

        if (blog_toml_key(t) != BLOG_OK) {
            return BLOG_ERROR;
        }

        blog_toml_blank(t);

        if (t->p == t->end || *t->p != '.') {
            break;
        }

        t->p++;

        table = blog_toml_header_step(t, table, &depth, line);
        if (table == NULL) {
            return BLOG_ERROR;
        }
    }

    if (t->p == t->end || *t->p != ']'
        || (array && (t->end - t->p < 2 || t->p[1] != ']')))
    {
        return blog_toml_error(t, line, "expected \"%s\" to close the "
                               "header, found %s", array ? "]]" : "]",
                               blog_toml_what(t, buf, sizeof(buf)));
    }

    t->p += array ? 2 : 1;

    if (array) {
        return blog_toml_header_tables(t, table, depth, line);
    }

    return blog_toml_header_table(t, table, depth, line);
}


/* "a.b.c = value" in table, which is at depth */

static int
blog_toml_keyval(blog_toml_t *t, blog_node_t *table, unsigned depth)
{
    char               buf[16], quoted[64];
    unsigned           line;
    uint64_t           hash;
    blog_str_t         key;
    blog_node_t       *node;
    blog_toml_slot_t  *slot;

    line = t->line;

    for ( ;; ) {
        if (blog_toml_key(t) != BLOG_OK) {
            return BLOG_ERROR;
        }

        blog_toml_blank(t);

        if (t->p == t->end || *t->p != '.') {
            break;
        }

        t->p++;
        blog_toml_blank(t);

        table = blog_toml_dotted_step(t, table, &depth, line);
        if (table == NULL) {
            return BLOG_ERROR;
        }
    }

    if (t->p == t->end || *t->p != '=') {
        return blog_toml_error(t, line, "expected \"=\" after a key, "
                               "found %s",
                               blog_toml_what(t, buf, sizeof(buf)));
    }

    t->p++;

    slot = blog_toml_find(t, table, &hash);

    if (slot->node != NULL) {
        return blog_toml_error(t, line, "duplicate key %s",
                               blog_toml_quote(quoted, t->key.data,
                                               t->key.len));
    }

    /* an inline table's keys pass through t->key: keep this one apart */

    if (blog_str_dup(&key, t->key.data, t->key.len) != BLOG_OK) {
        return blog_toml_nomem(t);
    }

    blog_toml_blank(t);

    node = blog_toml_value(t, depth + 1);
    if (node == NULL) {
        free(key.data);
        return BLOG_ERROR;
    }

    node->key = key;

    if (blog_toml_insert(t, table, node, hash, BLOG_TOML_VALUE) != BLOG_OK) {
        blog_node_free(node);
        return blog_toml_nomem(t);
    }

    blog_node_append(table, node);

    return BLOG_OK;
}


/*
 * A value, not yet in any table: depth is where an array or an inline
 * table would be.  On an error nothing of it is left.
 */

static blog_node_t *
blog_toml_value(blog_toml_t *t, unsigned depth)
{
    char    buf[16];
    u_char  c;

    c = t->p < t->end ? *t->p : '\0';

    switch (c) {

    case '"':
    case '\'':
        return blog_toml_string_value(t);

    case '[':
    case '{':
        if (depth > t->max_depth) {
            (void) blog_toml_too_deep(t, t->line);
            return NULL;
        }

        return c == '[' ? blog_toml_array(t, depth)
                        : blog_toml_inline(t, depth);

    default:
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
            || (c >= '0' && c <= '9') || c == '+' || c == '-')
        {
            return blog_toml_scalar(t);
        }

        (void) blog_toml_error(t, t->line, "expected a value, found %s",
                               blog_toml_what(t, buf, sizeof(buf)));
        return NULL;
    }
}


static blog_node_t *
blog_toml_array(blog_toml_t *t, unsigned depth)
{
    char          buf[16];
    unsigned      line;
    blog_node_t  *list, *item;

    line = t->line;

    list = blog_toml_node(t, BLOG_NODE_LIST, line);
    if (list == NULL) {
        return NULL;
    }

    t->p++;

    for ( ;; ) {
        if (blog_toml_array_blank(t) != BLOG_OK) {
            goto failed;
        }

        if (t->p == t->end) {
            (void) blog_toml_error(t, line, "unterminated array");
            goto failed;
        }

        if (*t->p == ']') {
            break;
        }

        item = blog_toml_value(t, depth + 1);
        if (item == NULL) {
            goto failed;
        }

        blog_node_append(list, item);

        if (blog_toml_array_blank(t) != BLOG_OK) {
            goto failed;
        }

        if (t->p < t->end && *t->p == ',') {
            t->p++;
            continue;
        }

        if (t->p < t->end && *t->p == ']') {
            break;
        }

        if (t->p == t->end) {
            (void) blog_toml_error(t, line, "unterminated array");

        } else {
            (void) blog_toml_error(t, t->line, "expected \",\" or \"]\" in "
                                   "an array, found %s",
                                   blog_toml_what(t, buf, sizeof(buf)));
        }

        goto failed;
    }

    t->p++;

    return list;

failed:

    blog_node_free(list);

    return NULL;
}


/* blanks, newlines and comments, as an array may hold between values */

static int
blog_toml_array_blank(blog_toml_t *t)
{
    for ( ;; ) {
        blog_toml_blank(t);

        if (t->p < t->end && *t->p == '#') {
            if (blog_toml_comment(t) != BLOG_OK) {
                return BLOG_ERROR;
            }
        }

        if (!blog_toml_newline(t)) {
            return BLOG_OK;
        }
    }
}


/*
 * "{ a = 1, b.c = 2 }": on one line, no trailing comma, and closed for
 * good: its node is a value to the hash, so neither a header nor a dotted
 * key can reach into it later.
 */

static blog_node_t *
blog_toml_inline(blog_toml_t *t, unsigned depth)
{
    char          buf[16];
    unsigned      line;
    blog_node_t  *map;

    line = t->line;

    map = blog_toml_node(t, BLOG_NODE_MAP, line);
    if (map == NULL) {
        return NULL;
    }

    t->p++;
    blog_toml_blank(t);

    if (t->p < t->end && *t->p == '}') {
        t->p++;
        return map;
    }

    for ( ;; ) {
        blog_toml_blank(t);

        if (blog_toml_keyval(t, map, depth) != BLOG_OK) {
            goto failed;
        }

        blog_toml_blank(t);

        if (t->p == t->end) {
            (void) blog_toml_error(t, line, "unterminated inline table");
            goto failed;
        }

        if (*t->p == '}') {
            t->p++;
            return map;
        }

        if (*t->p != ',') {
            (void) blog_toml_error(t, t->line, "expected \",\" or \"}\" in "
                                   "an inline table, found %s",
                                   blog_toml_what(t, buf, sizeof(buf)));
            goto failed;
        }

        t->p++;
        blog_toml_blank(t);

        if (t->p < t->end && *t->p == '}') {
            (void) blog_toml_error(t, t->line, "trailing comma in an inline "
                                   "table");
            goto failed;
        }
    }

failed:

    /* the hash still names the map's members: it is not read again */

    blog_node_free(map);

    return NULL;
}
