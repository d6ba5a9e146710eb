
/*
 * TOML 1.0 front matter (Hugo's and Zola's "+++" headers) as a tree of
 * blog_node_t, read in one pass over the bytes.  Every key is found again
 * through one hash of (table, key) for the whole document, which also
 * remembers how each table came to be (by a [header], on the way to one,
 * by dotted keys, as a value): what TOML's rules on defining a table twice
 * turn on.  Only arrays and inline tables recurse, and nesting is capped
 * at max_depth, so a hostile header costs at most its size.  Scalars keep
 * their value as text in the form toml-test writes it; newlines in
 * multi-line strings come out as LF.  What the keys mean is left to
 * blog_post.c.
 */


#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <inttypes.h>
#include <math.h>

#include "blog.h"


#define BLOG_TOML_SLOTS       64    /* the hash's first size */
#define BLOG_TOML_KEY_SHOWN   40    /* bytes of a key or a value in a reason */


/* how a key's node came to be, which decides what it may still become */

typedef enum {
    BLOG_TOML_VALUE = 0,        /* a scalar, an array, an inline table */
    BLOG_TOML_IMPLICIT,         /* a table on the way to a header's */
    BLOG_TOML_HEADER,           /* a table a [header] defined */
    BLOG_TOML_DOTTED,           /* a table dotted keys defined */
    BLOG_TOML_TABLES            /* an array of tables, [[header]] */
} blog_toml_kind_e;

typedef struct {
    blog_node_t            *parent;
    blog_node_t            *node;       /* NULL: the slot is free */
    uint64_t                hash;
    blog_toml_kind_e        kind;
} blog_toml_slot_t;

typedef struct {
    const u_char           *p;
    const u_char           *end;
    unsigned                line;
    unsigned                max_depth;
    blog_node_t            *root;
    blog_node_t            *table;      /* the section's table */
    unsigned                depth;      /* ... and its depth, the root 1 */
    blog_toml_slot_t       *slots;
    size_t                  nslots;     /* a power of two */
    size_t                  used;
    uint64_t                seed;
    blog_buf_t              key;        /* the key part just read */
    blog_buf_t              text;       /* a value's text */
    blog_problem_detail_t  *pd;
} blog_toml_t;


static int blog_toml_document(blog_toml_t *t);
static int blog_toml_line_end(blog_toml_t *t);
static void blog_toml_blank(blog_toml_t *t);
static int blog_toml_newline(blog_toml_t *t);
static int blog_toml_comment(blog_toml_t *t);
static int blog_toml_key(blog_toml_t *t);
static int blog_toml_header(blog_toml_t *t);
static blog_node_t *blog_toml_header_step(blog_toml_t *t, blog_node_t *table,
    unsigned *depth, unsigned line);
static int blog_toml_header_table(blog_toml_t *t, blog_node_t *table,
    unsigned depth, unsigned line);
static int blog_toml_header_tables(blog_toml_t *t, blog_node_t *table,
    unsigned depth, unsigned line);
static int blog_toml_keyval(blog_toml_t *t, blog_node_t *table,
    unsigned depth);
static blog_node_t *blog_toml_dotted_step(blog_toml_t *t, blog_node_t *table,
    unsigned *depth, unsigned line);
static blog_node_t *blog_toml_table(blog_toml_t *t, blog_node_t *parent,
    uint64_t hash, blog_toml_kind_e kind, unsigned *depth, unsigned line);
static blog_node_t *blog_toml_value(blog_toml_t *t, unsigned depth);
static blog_node_t *blog_toml_array(blog_toml_t *t, unsigned depth);
static int blog_toml_array_blank(blog_toml_t *t);
static blog_node_t *blog_toml_inline(blog_toml_t *t, unsigned depth);
static blog_node_t *blog_toml_string_value(blog_toml_t *t);
static int blog_toml_string(blog_toml_t *t, blog_buf_t *out);
static int blog_toml_basic(blog_toml_t *t, blog_buf_t *out);
static int blog_toml_ml_basic(blog_toml_t *t, blog_buf_t *out);
static int blog_toml_literal(blog_toml_t *t, blog_buf_t *out);
static int blog_toml_ml_literal(blog_toml_t *t, blog_buf_t *out);
static size_t blog_toml_quotes(blog_toml_t *t, blog_buf_t *out,
    const u_char *run, u_char q, unsigned *closed);
static int blog_toml_escape(blog_toml_t *t, blog_buf_t *out, unsigned line);
static int blog_toml_unicode(blog_toml_t *t, blog_buf_t *out, size_t len,
    unsigned line);
static blog_node_t *blog_toml_scalar(blog_toml_t *t);
static int blog_toml_scalar_text(blog_toml_t *t, const u_char *s, size_t n,
    blog_node_type_e *type);
static int blog_toml_integer(blog_toml_t *t, const u_char *s, size_t n,
    unsigned base);
static int blog_toml_float(blog_toml_t *t, const u_char *s, size_t n);
static size_t blog_toml_digits(const u_char *s, size_t n, unsigned base);
static int blog_toml_digit_run(blog_toml_t *t, const u_char *s, size_t n,
    const u_char *tok, size_t ntok, const char *what);
static void blog_toml_float_text(blog_buf_t *b, double v);
static int blog_toml_datetime(blog_toml_t *t, const u_char *s, size_t n,
    unsigned time_only, blog_node_type_e *type);
static int blog_toml_date(blog_toml_t *t, const u_char *s, size_t n);
static int blog_toml_time(blog_toml_t *t, const u_char *s, size_t n,
    size_t *i);
static unsigned blog_toml_2digits(const u_char *s);
static int blog_toml_is_date(const u_char *s, size_t n);
static uint64_t blog_toml_mix(uint64_t h);
static uint64_t blog_toml_hash(blog_toml_t *t, blog_node_t *parent);
static blog_toml_slot_t *blog_toml_find(blog_toml_t *t, blog_node_t *parent,
    uint64_t *hash);
static int blog_toml_insert(blog_toml_t *t, blog_node_t *parent,
    blog_node_t *node, uint64_t hash, blog_toml_kind_e kind);
static int blog_toml_grow(blog_toml_t *t, size_t nslots);
static blog_node_t *blog_toml_node(blog_toml_t *t, blog_node_type_e type,
    unsigned line);
static int blog_toml_not_table(blog_toml_t *t, blog_node_t *node,
    unsigned line);
static int blog_toml_redefined(blog_toml_t *t, blog_toml_slot_t *slot,
    unsigned line);
static const char *blog_toml_quote(char *buf, const u_char *p, size_t n);
static const char *blog_toml_what(blog_toml_t *t, char *buf, size_t size);
static uint32_t blog_toml_codepoint(const u_char *p);
static int blog_toml_error(blog_toml_t *t, unsigned line, const char *fmt,
    ...) __attribute__ ((format (printf, 3, 4)));
static int blog_toml_error_at(blog_toml_t *t, size_t offset,
    const u_char *start, const char *reason);
static int blog_toml_too_deep(blog_toml_t *t, unsigned line);
static int blog_toml_nomem(blog_toml_t *t);


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

    /* where the stack and the heap are: a seed no author can guess */

    t->seed = blog_toml_mix((uint64_t) (uintptr_t) t
                            ^ ((uint64_t) (uintptr_t) t->root << 16));

    if (blog_toml_grow(t, BLOG_TOML_SLOTS) != BLOG_OK) {
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


static void
blog_toml_blank(blog_toml_t *t)
{
    while (t->p < t->end && (*t->p == ' ' || *t->p == '\t')) {
        t->p++;
    }
}


/* consumes an LF or a CR LF, counting the line: 1; anything else: 0 */

static int
blog_toml_newline(blog_toml_t *t)
{
    if (t->p < t->end && *t->p == '\n') {
        t->p++;

    } else if (t->end - t->p >= 2 && t->p[0] == '\r' && t->p[1] == '\n') {
        t->p += 2;

    } else {
        return 0;
    }

    t->line++;

    return 1;
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


/*
 * A table a header passes through: made if missing; an array of tables
 * stands for its last table.
 */

static blog_node_t *
blog_toml_header_step(blog_toml_t *t, blog_node_t *table, unsigned *depth,
    unsigned line)
{
    uint64_t           hash;
    blog_toml_slot_t  *slot;

    slot = blog_toml_find(t, table, &hash);

    if (slot->node == NULL) {
        return blog_toml_table(t, table, hash, BLOG_TOML_IMPLICIT, depth,
                               line);
    }

    switch (slot->kind) {

    case BLOG_TOML_IMPLICIT:
    case BLOG_TOML_HEADER:
    case BLOG_TOML_DOTTED:
        *depth += 1;
        return slot->node;

    case BLOG_TOML_TABLES:
        *depth += 2;
        return slot->node->last;

    default:
        (void) blog_toml_not_table(t, slot->node, line);
        return NULL;
    }
}


static int
blog_toml_header_table(blog_toml_t *t, blog_node_t *table, unsigned depth,
    unsigned line)
{
    uint64_t           hash;
    blog_node_t       *node;
    blog_toml_slot_t  *slot;

    slot = blog_toml_find(t, table, &hash);

    if (slot->node == NULL) {
        node = blog_toml_table(t, table, hash, BLOG_TOML_HEADER, &depth,
                               line);
        if (node == NULL) {
            return BLOG_ERROR;
        }

    } else if (slot->kind == BLOG_TOML_IMPLICIT) {

        /* named on the way to another header's table, defined now */

        slot->kind = BLOG_TOML_HEADER;
        node = slot->node;
        node->line = line;
        depth++;

    } else {
        return blog_toml_redefined(t, slot, line);
    }

    t->table = node;
    t->depth = depth;

    return BLOG_OK;
}


static int
blog_toml_header_tables(blog_toml_t *t, blog_node_t *table, unsigned depth,
    unsigned line)
{
    char               quoted[64];
    uint64_t           hash;
    blog_node_t       *list, *node;
    blog_toml_slot_t  *slot;

    slot = blog_toml_find(t, table, &hash);

    if (slot->node == NULL) {
        if (depth + 2 > t->max_depth) {
            return blog_toml_too_deep(t, line);
        }

        list = blog_toml_node(t, BLOG_NODE_LIST, line);
        if (list == NULL) {
            return BLOG_ERROR;
        }

        if (blog_node_set_key(list, t->key.data, t->key.len) != BLOG_OK
            || blog_toml_insert(t, table, list, hash, BLOG_TOML_TABLES)
               != BLOG_OK)
        {
            blog_node_free(list);
            return blog_toml_nomem(t);
        }

        blog_node_append(table, list);

    } else if (slot->kind == BLOG_TOML_TABLES) {
        list = slot->node;

    } else if (slot->kind == BLOG_TOML_VALUE
               && slot->node->type == BLOG_NODE_LIST)
    {
        return blog_toml_error(t, line, "cannot add a table to the static "
                               "array %s",
                               blog_toml_quote(quoted, t->key.data,
                                               t->key.len));

    } else {
        return blog_toml_error(t, line, "key %s is not an array of tables",
                               blog_toml_quote(quoted, t->key.data,
                                               t->key.len));
    }

    node = blog_toml_node(t, BLOG_NODE_MAP, line);
    if (node == NULL) {
        return BLOG_ERROR;
    }

    blog_node_append(list, node);

    t->table = node;
    t->depth = depth + 2;

    return BLOG_OK;
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


/* a table a dotted key passes through: only dotted keys may extend one */

static blog_node_t *
blog_toml_dotted_step(blog_toml_t *t, blog_node_t *table, unsigned *depth,
    unsigned line)
{
    char               quoted[64];
    uint64_t           hash;
    blog_toml_slot_t  *slot;

    slot = blog_toml_find(t, table, &hash);

    if (slot->node == NULL) {
        return blog_toml_table(t, table, hash, BLOG_TOML_DOTTED, depth, line);
    }

    switch (slot->kind) {

    case BLOG_TOML_DOTTED:
        *depth += 1;
        return slot->node;

    case BLOG_TOML_VALUE:
        (void) blog_toml_not_table(t, slot->node, line);
        return NULL;

    case BLOG_TOML_TABLES:
        (void) blog_toml_error(t, line, "dotted keys cannot extend the array "
                               "of tables %s",
                               blog_toml_quote(quoted, t->key.data,
                                               t->key.len));
        return NULL;

    default:
        (void) blog_toml_error(t, line, "dotted keys cannot extend the table "
                               "%s of a header",
                               blog_toml_quote(quoted, t->key.data,
                                               t->key.len));
        return NULL;
    }
}


/* a new table under t->key in parent, one level below *depth */

static blog_node_t *
blog_toml_table(blog_toml_t *t, blog_node_t *parent, uint64_t hash,
    blog_toml_kind_e kind, unsigned *depth, unsigned line)
{
    blog_node_t  *node;

    if (*depth + 1 > t->max_depth) {
        (void) blog_toml_too_deep(t, line);
        return NULL;
    }

    node = blog_toml_node(t, BLOG_NODE_MAP, line);
    if (node == NULL) {
        return NULL;
    }

    if (blog_node_set_key(node, t->key.data, t->key.len) != BLOG_OK
        || blog_toml_insert(t, parent, node, hash, kind) != BLOG_OK)
    {
        blog_node_free(node);
        (void) blog_toml_nomem(t);
        return NULL;
    }

    blog_node_append(parent, node);
    *depth += 1;

    return node;
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


static blog_node_t *
blog_toml_string_value(blog_toml_t *t)
{
    unsigned      line;
    blog_node_t  *node;

    line = t->line;
    t->text.len = 0;

    if (blog_toml_string(t, &t->text) != BLOG_OK) {
        return NULL;
    }

    node = blog_toml_node(t, BLOG_NODE_STRING, line);
    if (node == NULL) {
        return NULL;
    }

    if (blog_node_set_text(node, t->text.data, t->text.len) != BLOG_OK) {
        blog_node_free(node);
        (void) blog_toml_nomem(t);
        return NULL;
    }

    return node;
}


/* any of the four string forms, decoded and appended to out */

static int
blog_toml_string(blog_toml_t *t, blog_buf_t *out)
{
    int       rc;
    u_char    q;
    unsigned  multi;

    q = *t->p;
    multi = (t->end - t->p >= 3 && t->p[1] == q && t->p[2] == q);

    if (q == '"') {
        rc = multi ? blog_toml_ml_basic(t, out) : blog_toml_basic(t, out);

    } else {
        rc = multi ? blog_toml_ml_literal(t, out)
                   : blog_toml_literal(t, out);
    }

    if (rc == BLOG_OK && out->failed) {
        return blog_toml_nomem(t);
    }

    return rc;
}


static int
blog_toml_basic(blog_toml_t *t, blog_buf_t *out)
{
    u_char         c;
    unsigned       line;
    const u_char  *run;

    line = t->line;
    run = ++t->p;

    for ( ;; ) {
        if (t->p == t->end) {
            return blog_toml_error(t, line, "unterminated string");
        }

        c = *t->p;

        if (c != '"' && c != '\\' && (c >= 0x20 || c == '\t') && c != 0x7f) {
            t->p++;
            continue;
        }

        blog_buf_add(out, run, t->p - run);

        if (c == '"') {
            t->p++;
            return BLOG_OK;
        }

        if (c == '\\') {
            if (blog_toml_escape(t, out, line) != BLOG_OK) {
                return BLOG_ERROR;
            }

            run = t->p;
            continue;
        }

        if (c == '\n' || (c == '\r' && t->end - t->p >= 2 && t->p[1] == '\n'))
        {
            return blog_toml_error(t, line, "unterminated string");
        }

        return blog_toml_error(t, t->line, "control character U+%04X in a "
                               "string", c);
    }
}


static int
blog_toml_ml_basic(blog_toml_t *t, blog_buf_t *out)
{
    u_char         c;
    unsigned       line, closed;
    const u_char  *run, *q;

    line = t->line;
    t->p += 3;

    /* a newline right after the quotes is not the string's */

    (void) blog_toml_newline(t);
    run = t->p;

    for ( ;; ) {
        if (t->p == t->end) {
            return blog_toml_error(t, line, "unterminated multi-line string");
        }

        c = *t->p;

        if (c == '"') {
            t->p += blog_toml_quotes(t, out, run, '"', &closed);

            if (closed) {
                return BLOG_OK;
            }

            continue;
        }

        if (c == '\\') {
            blog_buf_add(out, run, t->p - run);

            /* a backslash ending a line: the blanks and newlines after go */

            for (q = t->p + 1; q < t->end && (*q == ' ' || *q == '\t'); q++) {
                /* void */
            }

            if (q < t->end
                && (*q == '\n'
                    || (*q == '\r' && t->end - q >= 2 && q[1] == '\n')))
            {
                t->p = q;

                do {
                    blog_toml_blank(t);
                } while (blog_toml_newline(t));

            } else if (blog_toml_escape(t, out, t->line) != BLOG_OK) {
                return BLOG_ERROR;
            }

            run = t->p;
            continue;
        }

        if (c == '\n') {
            t->p++;
            t->line++;
            continue;
        }

        if (c == '\r' && t->end - t->p >= 2 && t->p[1] == '\n') {
            blog_buf_add(out, run, t->p - run);
            run = ++t->p;
            continue;
        }

        if ((c < 0x20 && c != '\t') || c == 0x7f) {
            return blog_toml_error(t, t->line, "control character U+%04X in "
                                   "a string", c);
        }

        t->p++;
    }
}


static int
blog_toml_literal(blog_toml_t *t, blog_buf_t *out)
{
    u_char         c;
    unsigned       line;
    const u_char  *run;

    line = t->line;
    run = ++t->p;

    for ( ;; ) {
        if (t->p == t->end) {
            return blog_toml_error(t, line, "unterminated string");
        }

        c = *t->p;

        if (c == '\'') {
            blog_buf_add(out, run, t->p - run);
            t->p++;
            return BLOG_OK;
        }

        if (c == '\n' || (c == '\r' && t->end - t->p >= 2 && t->p[1] == '\n'))
        {
            return blog_toml_error(t, line, "unterminated string");
        }

        if ((c < 0x20 && c != '\t') || c == 0x7f) {
            return blog_toml_error(t, t->line, "control character U+%04X in "
                                   "a string", c);
        }

        t->p++;
    }
}


static int
blog_toml_ml_literal(blog_toml_t *t, blog_buf_t *out)
{
    u_char         c;
    unsigned       line, closed;
    const u_char  *run;

    line = t->line;
    t->p += 3;

    (void) blog_toml_newline(t);
    run = t->p;

    for ( ;; ) {
        if (t->p == t->end) {
            return blog_toml_error(t, line, "unterminated multi-line string");
        }

        c = *t->p;

        if (c == '\'') {
            t->p += blog_toml_quotes(t, out, run, '\'', &closed);

            if (closed) {
                return BLOG_OK;
            }

            continue;
        }

        if (c == '\n') {
            t->p++;
            t->line++;
            continue;
        }

        if (c == '\r' && t->end - t->p >= 2 && t->p[1] == '\n') {
            blog_buf_add(out, run, t->p - run);
            run = ++t->p;
            continue;
        }

        if ((c < 0x20 && c != '\t') || c == 0x7f) {
            return blog_toml_error(t, t->line, "control character U+%04X in "
                                   "a string", c);
        }

        t->p++;
    }
}


/*
 * A run of quotes in a multi-line string: fewer than three are text;
 * three close it, and up to two more before them are the string's last.
 * Returns how many quotes to step over; what follows a longer run is
 * left to fail as text after the value.
 */

static size_t
blog_toml_quotes(blog_toml_t *t, blog_buf_t *out, const u_char *run, u_char q,
    unsigned *closed)
{
    size_t  n;

    for (n = 0; t->p + n < t->end && t->p[n] == q; n++) {
        /* void */
    }

    *closed = (n >= 3);

    if (n < 3) {
        return n;
    }

    if (n > 5) {
        n = 5;
    }

    blog_buf_add(out, run, t->p - run);
    blog_buf_add(out, t->p, n - 3);

    return n;
}


static int
blog_toml_escape(blog_toml_t *t, blog_buf_t *out, unsigned line)
{
    u_char  c;

    if (t->end - t->p < 2) {
        return blog_toml_error(t, line, "unterminated string");
    }

    c = t->p[1];

    switch (c) {

    case 'b':
        blog_buf_addc(out, '\b');
        break;

    case 't':
        blog_buf_addc(out, '\t');
        break;

    case 'n':
        blog_buf_addc(out, '\n');
        break;

    case 'f':
        blog_buf_addc(out, '\f');
        break;

    case 'r':
        blog_buf_addc(out, '\r');
        break;

    case '"':
    case '\\':
        blog_buf_addc(out, c);
        break;

    case 'u':
        return blog_toml_unicode(t, out, 4, line);

    case 'U':
        return blog_toml_unicode(t, out, 8, line);

    default:
        if (c > 0x20 && c < 0x7f) {
            return blog_toml_error(t, t->line, "invalid escape \\%c", c);
        }

        return blog_toml_error(t, t->line, "invalid escape: \\ before "
                               "U+%04X", blog_toml_codepoint(t->p + 1));
    }

    t->p += 2;

    return BLOG_OK;
}


/* "\uXXXX" or "\UXXXXXXXX": a Unicode scalar value, written as UTF-8 */

static int
blog_toml_unicode(blog_toml_t *t, blog_buf_t *out, size_t len,
    unsigned line)
{
    u_char         c, utf[4];
    size_t         i;
    uint32_t       cp;
    const u_char  *hex;

    hex = t->p + 2;
    cp = 0;

    for (i = 0; i < len; i++) {
        c = hex + i < t->end ? hex[i] : '\0';

        if (c >= '0' && c <= '9') {
            c -= '0';

        } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') {
            c = (c | 0x20) - 'a' + 10;

        } else {
            return blog_toml_error(t, t->line, "invalid escape \\%c: %u hex "
                                   "digits expected", t->p[1],
                                   (unsigned) len);
        }

        cp = (cp << 4) | c;
    }

    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        return blog_toml_error(t, t->line, "escape \\%c%.*s is not a Unicode "
                               "scalar value", t->p[1], (int) len, hex);
    }

    if (cp < 0x80) {
        utf[0] = (u_char) cp;
        i = 1;

    } else if (cp < 0x800) {
        utf[0] = (u_char) (0xc0 | (cp >> 6));
        utf[1] = (u_char) (0x80 | (cp & 0x3f));
        i = 2;

    } else if (cp < 0x10000) {
        utf[0] = (u_char) (0xe0 | (cp >> 12));
        utf[1] = (u_char) (0x80 | ((cp >> 6) & 0x3f));
        utf[2] = (u_char) (0x80 | (cp & 0x3f));
        i = 3;

    } else {
        utf[0] = (u_char) (0xf0 | (cp >> 18));
        utf[1] = (u_char) (0x80 | ((cp >> 12) & 0x3f));
        utf[2] = (u_char) (0x80 | ((cp >> 6) & 0x3f));
        utf[3] = (u_char) (0x80 | (cp & 0x3f));
        i = 4;
    }

    blog_buf_add(out, utf, i);
    t->p = hex + len;

    return BLOG_OK;
}


/*
 * A bare value: a boolean, a number or a date-time, up to the first byte
 * none of them holds.  A date, a space and a time make one date-time.
 */

static blog_node_t *
blog_toml_scalar(blog_toml_t *t)
{
    u_char             c;
    const u_char      *s;
    blog_node_t       *node;
    blog_node_type_e   type;

    s = t->p;
    type = BLOG_NODE_NULL;

    for ( ;; ) {
        while (t->p < t->end) {
            c = *t->p;

            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                  || (c >= '0' && c <= '9') || c == '_' || c == '+'
                  || c == '-' || c == '.' || c == ':'))
            {
                break;
            }

            t->p++;
        }

        if (!blog_toml_is_date(s, t->p - s) || t->end - t->p < 4
            || t->p[0] != ' ' || t->p[1] < '0' || t->p[1] > '9'
            || t->p[2] < '0' || t->p[2] > '9' || t->p[3] != ':')
        {
            break;
        }

        t->p++;
    }

    t->text.len = 0;

    if (blog_toml_scalar_text(t, s, t->p - s, &type) != BLOG_OK) {
        return NULL;
    }

    if (t->text.failed) {
        (void) blog_toml_nomem(t);
        return NULL;
    }

    node = blog_toml_node(t, type, t->line);
    if (node == NULL) {
        return NULL;
    }

    if (blog_node_set_text(node, t->text.data, t->text.len) != BLOG_OK) {
        blog_node_free(node);
        (void) blog_toml_nomem(t);
        return NULL;
    }

    return node;
}


/* the value's type, and its text in t->text */

static int
blog_toml_scalar_text(blog_toml_t *t, const u_char *s, size_t n,
    blog_node_type_e *type)
{
    char    quoted[64];
    size_t  i, k;

    if ((n == 4 && memcmp(s, "true", 4) == 0)
        || (n == 5 && memcmp(s, "false", 5) == 0))
    {
        *type = BLOG_NODE_BOOL;
        blog_buf_add(&t->text, s, n);
        return BLOG_OK;
    }

    i = (s[0] == '+' || s[0] == '-');

    if (n - i == 3
        && (memcmp(s + i, "inf", 3) == 0 || memcmp(s + i, "nan", 3) == 0))
    {
        *type = BLOG_NODE_FLOAT;
        blog_buf_adds(&t->text, s[i] == 'n' ? "nan"
                                : s[0] == '-' ? "-inf" : "inf");
        return BLOG_OK;
    }

    if (n == i || !(s[i] >= '0' && s[i] <= '9')) {
        return blog_toml_error(t, t->line, "invalid value %s",
                               blog_toml_quote(quoted, s, n));
    }

    /* digits then "-" or ":" start a date or a time, never a number */

    for (k = 0; k < n && s[k] >= '0' && s[k] <= '9'; k++) {
        /* void */
    }

    if (k > 0 && k < n && (s[k] == '-' || s[k] == ':')) {
        return blog_toml_datetime(t, s, n, s[k] == ':', type);
    }

    *type = BLOG_NODE_INTEGER;

    if (n - i >= 2 && s[i] == '0'
        && (s[i + 1] == 'x' || s[i + 1] == 'o' || s[i + 1] == 'b'))
    {
        if (i) {
            return blog_toml_error(t, t->line, "a sign on a hexadecimal, "
                                   "octal or binary integer");
        }

        return blog_toml_integer(t, s, n,
                                 s[1] == 'x' ? 16 : s[1] == 'o' ? 8 : 2);
    }

    for (i = 0; i < n; i++) {
        if (s[i] == '.' || s[i] == 'e' || s[i] == 'E') {
            *type = BLOG_NODE_FLOAT;
            return blog_toml_float(t, s, n);
        }
    }

    return blog_toml_integer(t, s, n, 10);
}


/* an int64, in decimal (signed) or with a 0x, 0o or 0b prefix */

static int
blog_toml_integer(blog_toml_t *t, const u_char *s, size_t n, unsigned base)
{
    char           digits[24];
    size_t         i;
    unsigned       neg, d;
    uint64_t       v, limit;
    const u_char  *tok;

    tok = s;
    neg = 0;

    if (base == 10 && (s[0] == '+' || s[0] == '-')) {
        neg = (s[0] == '-');
        s++;
        n--;

    } else if (base != 10) {
        s += 2;
        n -= 2;
    }

    if (blog_toml_digit_run(t, s, n, tok, s + n - tok, "integer")
        != BLOG_OK)
    {
        return BLOG_ERROR;
    }

    if (base == 10 && n > 1 && s[0] == '0') {
        return blog_toml_error(t, t->line, "leading zero in integer");
    }

    limit = neg ? (uint64_t) INT64_MAX + 1 : (uint64_t) INT64_MAX;
    v = 0;

    for (i = 0; i < n; i++) {
        if (s[i] == '_') {
            continue;
        }

        d = (s[i] <= '9') ? s[i] - '0' : (s[i] | 0x20) - 'a' + 10;

        if (v > (limit - d) / base) {
            return blog_toml_error(t, t->line, "integer out of range");
        }

        v = v * base + d;
    }

    snprintf(digits, sizeof(digits), "%s%" PRIu64, neg && v ? "-" : "", v);
    blog_buf_adds(&t->text, digits);

    return BLOG_OK;
}


/* [sign] integer part, then a fraction, an exponent or both */

static int
blog_toml_float(blog_toml_t *t, const u_char *s, size_t n)
{
    char     quoted[64];
    size_t   i, start;
    double   v;

    i = (s[0] == '+' || s[0] == '-');
    start = i;
    i += blog_toml_digits(s + i, n - i, 10);

    if (blog_toml_digit_run(t, s + start, i - start, s, n, "float")
        != BLOG_OK)
    {
        return BLOG_ERROR;
    }

    if (i - start > 1 && s[start] == '0') {
        return blog_toml_error(t, t->line, "leading zero in float");
    }

    if (i < n && s[i] == '.') {
        start = ++i;
        i += blog_toml_digits(s + i, n - i, 10);

        if (blog_toml_digit_run(t, s + start, i - start, s, n, "float")
            != BLOG_OK)
        {
            return BLOG_ERROR;
        }
    }

    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        i += (i < n && (s[i] == '+' || s[i] == '-'));
        start = i;
        i += blog_toml_digits(s + i, n - i, 10);

        if (blog_toml_digit_run(t, s + start, i - start, s, n, "float")
            != BLOG_OK)
        {
            return BLOG_ERROR;
        }
    }

    if (i != n) {
        return blog_toml_error(t, t->line, "invalid float %s",
                               blog_toml_quote(quoted, s, n));
    }

    /* strtod reads the digits without their underscores */

    for (i = 0; i < n; i++) {
        if (s[i] != '_') {
            blog_buf_addc(&t->text, s[i]);
        }
    }

    blog_buf_addc(&t->text, '\0');

    if (t->text.failed) {
        return blog_toml_nomem(t);
    }

    v = strtod((char *) t->text.data, NULL);

    if (isinf(v)) {
        return blog_toml_error(t, t->line, "float out of range");
    }

    t->text.len = 0;
    blog_toml_float_text(&t->text, v);

    return BLOG_OK;
}


/* how many of s's first bytes are digits of base or underscores */

static size_t
blog_toml_digits(const u_char *s, size_t n, unsigned base)
{
    size_t  i;
    u_char  c;

    for (i = 0; i < n; i++) {
        c = s[i];

        if (c == '_') {
            continue;
        }

        if (c >= '0' && c <= '9') {
            if ((unsigned) (c - '0') >= base) {
                break;
            }

            continue;
        }

        if (base != 16 || (c | 0x20) < 'a' || (c | 0x20) > 'f') {
            break;
        }
    }

    return i;
}


/*
 * s holds digits with single underscores between them, or the token tok is
 * refused; base 16 if what is "integer" and the token says so.
 */

static int
blog_toml_digit_run(blog_toml_t *t, const u_char *s, size_t n,
    const u_char *tok, size_t ntok, const char *what)
{
    char      quoted[64];
    size_t    i;
    unsigned  base;

    base = 10;

    if (ntok >= 2 && tok[0] == '0') {
        base = tok[1] == 'x' ? 16 : tok[1] == 'o' ? 8 : tok[1] == 'b' ? 2 : 10;
    }

    if (n == 0 || blog_toml_digits(s, n, base) != n) {
        return blog_toml_error(t, t->line, "invalid %s %s", what,
                               blog_toml_quote(quoted, tok, ntok));
    }

    for (i = 0; i < n; i++) {
        if (s[i] == '_'
            && (i == 0 || i == n - 1 || s[i - 1] == '_' || s[i + 1] == '_'))
        {
            return blog_toml_error(t, t->line, "misplaced underscore in %s "
                                   "%s", what,
                                   blog_toml_quote(quoted, tok, ntok));
        }
    }

    return BLOG_OK;
}


/*
 * The shortest text that reads back as v, as JavaScript writes numbers:
 * "3.14", "-0", "9007199254740991", "1e+300", "5e-324".
 */

static void
blog_toml_float_text(blog_buf_t *b, double v)
{
    int     prec, exp, point, k, i;
    char    buf[40], digits[20], *e;

    if (isnan(v)) {
        blog_buf_adds(b, "nan");
        return;
    }

    if (isinf(v)) {
        blog_buf_adds(b, v < 0 ? "-inf" : "inf");
        return;
    }

    for (prec = 1; prec < 17; prec++) {
        snprintf(buf, sizeof(buf), "%.*e", prec - 1, v);

        if (strtod(buf, NULL) == v) {
            break;
        }
    }

    snprintf(buf, sizeof(buf), "%.*e", prec - 1, v);

    /* buf is [-]d[.ddd]e[+-]dd: the digits apart, and the exponent */

    e = strchr(buf, 'e');
    exp = atoi(e + 1);
    k = 0;

    for (i = 0; buf + i < e; i++) {
        if (buf[i] >= '0' && buf[i] <= '9') {
            digits[k++] = buf[i];
        }
    }

    while (k > 1 && digits[k - 1] == '0') {
        k--;
    }

    if (signbit(v)) {
        blog_buf_addc(b, '-');
    }

    point = exp + 1;

    if (point >= k && point <= 21) {
        blog_buf_add(b, digits, k);

        for (i = k; i < point; i++) {
            blog_buf_addc(b, '0');
        }

    } else if (point > 0 && point <= 21) {
        blog_buf_add(b, digits, point);
        blog_buf_addc(b, '.');
        blog_buf_add(b, digits + point, k - point);

    } else if (point > -6 && point <= 0) {
        blog_buf_adds(b, "0.");

        for (i = point; i < 0; i++) {
            blog_buf_addc(b, '0');
        }

        blog_buf_add(b, digits, k);

    } else {
        blog_buf_addc(b, digits[0]);

        if (k > 1) {
            blog_buf_addc(b, '.');
            blog_buf_add(b, digits + 1, k - 1);
        }

        snprintf(buf, sizeof(buf), "e%s%d", exp > 0 ? "+" : "", exp);
        blog_buf_adds(b, buf);
    }
}


/*
 * A date, a time, or both with or without an offset, checked (months,
 * days with leap years, hours, minutes, seconds, offsets) and written as
 * RFC 3339 has it: "T" and "Z" in capitals, seconds to the millisecond at
 * least.
 */

static int
blog_toml_datetime(blog_toml_t *t, const u_char *s, size_t n,
    unsigned time_only, blog_node_type_e *type)
{
    char      quoted[64];
    size_t    i;
    unsigned  hour, minute;

    i = 0;

    if (time_only) {
        if (blog_toml_time(t, s, n, &i) != BLOG_OK) {
            return BLOG_ERROR;
        }

        if (i != n) {
            return blog_toml_error(t, t->line, "invalid time %s",
                                   blog_toml_quote(quoted, s, n));
        }

        *type = BLOG_NODE_TIME_LOCAL;
        return BLOG_OK;
    }

    if (blog_toml_date(t, s, n) != BLOG_OK) {
        return BLOG_ERROR;
    }

    if (n == 10) {
        *type = BLOG_NODE_DATE_LOCAL;
        return BLOG_OK;
    }

    if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') {
        return blog_toml_error(t, t->line, "invalid date-time %s",
                               blog_toml_quote(quoted, s, n));
    }

    blog_buf_addc(&t->text, 'T');
    i = 11;

    if (blog_toml_time(t, s, n, &i) != BLOG_OK) {
        return BLOG_ERROR;
    }

    *type = BLOG_NODE_DATETIME_LOCAL;

    if (i == n) {
        return BLOG_OK;
    }

    *type = BLOG_NODE_DATETIME;

    if (s[i] == 'Z' || s[i] == 'z') {
        blog_buf_addc(&t->text, 'Z');
        i++;

    } else if ((s[i] == '+' || s[i] == '-') && n - i >= 6
               && blog_toml_2digits(s + i + 1) != (unsigned) -1
               && s[i + 3] == ':'
               && blog_toml_2digits(s + i + 4) != (unsigned) -1)
    {
        hour = blog_toml_2digits(s + i + 1);
        minute = blog_toml_2digits(s + i + 4);

        if (hour > 23 || minute > 59) {
            return blog_toml_error(t, t->line, "time offset out of range in "
                                   "%s", blog_toml_quote(quoted, s, n));
        }

        blog_buf_add(&t->text, s + i, 6);
        i += 6;

    } else {
        return blog_toml_error(t, t->line, "invalid time offset in %s",
                               blog_toml_quote(quoted, s, n));
    }

    if (i != n) {
        return blog_toml_error(t, t->line, "invalid date-time %s",
                               blog_toml_quote(quoted, s, n));
    }

    return BLOG_OK;
}


/* YYYY-MM-DD at s, a day of its month */

static int
blog_toml_date(blog_toml_t *t, const u_char *s, size_t n)
{
    char      quoted[64];
    unsigned  year, month, day, days;

    static const u_char  month_days[] = {
        31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
    };

    if (!blog_toml_is_date(s, n < 10 ? n : 10)) {
        return blog_toml_error(t, t->line, "invalid date %s",
                               blog_toml_quote(quoted, s, n));
    }

    year = blog_toml_2digits(s) * 100 + blog_toml_2digits(s + 2);
    month = blog_toml_2digits(s + 5);
    day = blog_toml_2digits(s + 8);

    if (month < 1 || month > 12) {
        return blog_toml_error(t, t->line, "month out of range in %s",
                               blog_toml_quote(quoted, s, n));
    }

    days = month_days[month - 1];

    if (month == 2
        && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))
    {
        days = 29;
    }

    if (day < 1 || day > days) {
        return blog_toml_error(t, t->line, "day out of range in %s",
                               blog_toml_quote(quoted, s, n));
    }

    blog_buf_add(&t->text, s, 10);

    return BLOG_OK;
}


/* HH:MM:SS[.fraction] at s + *i, which moves past it */

static int
blog_toml_time(blog_toml_t *t, const u_char *s, size_t n, size_t *i)
{
    char           quoted[64];
    size_t         k, f;
    unsigned       hour, minute, second;
    const u_char  *p;

    p = s + *i;

    if (n - *i < 8
        || (hour = blog_toml_2digits(p)) == (unsigned) -1 || p[2] != ':'
        || (minute = blog_toml_2digits(p + 3)) == (unsigned) -1
        || p[5] != ':'
        || (second = blog_toml_2digits(p + 6)) == (unsigned) -1)
    {
        return blog_toml_error(t, t->line, "invalid time in %s",
                               blog_toml_quote(quoted, s, n));
    }

    /* RFC 3339 allows a leap second */

    if (hour > 23 || minute > 59 || second > 60) {
        return blog_toml_error(t, t->line, "time out of range in %s",
                               blog_toml_quote(quoted, s, n));
    }

    blog_buf_add(&t->text, p, 8);
    *i += 8;

    if (*i < n && s[*i] == '.') {
        for (k = *i + 1; k < n && s[k] >= '0' && s[k] <= '9'; k++) {
            /* void */
        }

        if (k == *i + 1) {
            return blog_toml_error(t, t->line, "invalid time in %s",
                                   blog_toml_quote(quoted, s, n));
        }

        blog_buf_add(&t->text, s + *i, k - *i);

        for (f = k - *i - 1; f < 3; f++) {
            blog_buf_addc(&t->text, '0');
        }

        *i = k;
    }

    return BLOG_OK;
}


/* two decimal digits' value, or (unsigned) -1 */

static unsigned
blog_toml_2digits(const u_char *s)
{
    if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9') {
        return (unsigned) -1;
    }

    return (s[0] - '0') * 10 + (s[1] - '0');
}


/* exactly DDDD-DD-DD */

static int
blog_toml_is_date(const u_char *s, size_t n)
{
    return n == 10 && blog_toml_2digits(s) != (unsigned) -1
           && blog_toml_2digits(s + 2) != (unsigned) -1 && s[4] == '-'
           && blog_toml_2digits(s + 5) != (unsigned) -1 && s[7] == '-'
           && blog_toml_2digits(s + 8) != (unsigned) -1;
}


/* MurmurHash3's finalizer: every bit of h reaches every bit */

static uint64_t
blog_toml_mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;

    return h;
}


/* (parent, t->key), FNV-1a from a seed */

static uint64_t
blog_toml_hash(blog_toml_t *t, blog_node_t *parent)
{
    size_t    i;
    uint64_t  h;

    h = t->seed ^ blog_toml_mix((uint64_t) (uintptr_t) parent);

    for (i = 0; i < t->key.len; i++) {
        h ^= t->key.data[i];
        h *= 0x100000001b3ULL;
    }

    return blog_toml_mix(h);
}


/* the slot of t->key in parent, or the free slot where it would go */

static blog_toml_slot_t *
blog_toml_find(blog_toml_t *t, blog_node_t *parent, uint64_t *hash)
{
    size_t             i, mask;
    blog_node_t       *node;
    blog_toml_slot_t  *slot;

    *hash = blog_toml_hash(t, parent);
    mask = t->nslots - 1;

    for (i = *hash & mask; /* void */ ; i = (i + 1) & mask) {
        slot = &t->slots[i];
        node = slot->node;

        if (node == NULL) {
            return slot;
        }

        if (slot->hash == *hash && slot->parent == parent
            && node->key.len == t->key.len
            && (t->key.len == 0
                || memcmp(node->key.data, t->key.data, t->key.len) == 0))
        {
            return slot;
        }
    }
}


/* node is new under parent: no slot holds its key yet */

static int
blog_toml_insert(blog_toml_t *t, blog_node_t *parent, blog_node_t *node,
    uint64_t hash, blog_toml_kind_e kind)
{
    size_t             i, mask;
    blog_toml_slot_t  *slot;

    if (t->used + 1 > t->nslots / 2
        && blog_toml_grow(t, t->nslots * 2) != BLOG_OK)
    {
        return BLOG_ERROR;
    }

    mask = t->nslots - 1;

    for (i = hash & mask; t->slots[i].node != NULL; i = (i + 1) & mask) {
        /* void */
    }

    slot = &t->slots[i];
    slot->parent = parent;
    slot->node = node;
    slot->hash = hash;
    slot->kind = kind;
    t->used++;

    return BLOG_OK;
}


static int
blog_toml_grow(blog_toml_t *t, size_t nslots)
{
    size_t             i, k, mask;
    blog_toml_slot_t  *slots;

    if (nslots == 0 || nslots > SIZE_MAX / sizeof(blog_toml_slot_t)) {
        return blog_toml_nomem(t);
    }

    slots = calloc(nslots, sizeof(blog_toml_slot_t));
    if (slots == NULL) {
        return blog_toml_nomem(t);
    }

    mask = nslots - 1;

    for (i = 0; i < t->nslots; i++) {
        if (t->slots[i].node == NULL) {
            continue;
        }

        for (k = t->slots[i].hash & mask; slots[k].node != NULL;
             k = (k + 1) & mask)
        {
            /* void */
        }

        slots[k] = t->slots[i];
    }

    free(t->slots);
    t->slots = slots;
    t->nslots = nslots;

    return BLOG_OK;
}


static blog_node_t *
blog_toml_node(blog_toml_t *t, blog_node_type_e type, unsigned line)
{
    blog_node_t  *node;

    node = blog_node_new(type, line);
    if (node == NULL) {
        (void) blog_toml_nomem(t);
    }

    return node;
}


/* a header or a dotted key goes through t->key, which is node, a value */

static int
blog_toml_not_table(blog_toml_t *t, blog_node_t *node, unsigned line)
{
    char  quoted[64];

    blog_toml_quote(quoted, t->key.data, t->key.len);

    if (node->type == BLOG_NODE_MAP) {
        return blog_toml_error(t, line, "inline table %s cannot be extended",
                               quoted);
    }

    return blog_toml_error(t, line, "key %s is %s, not a table", quoted,
                           node->type == BLOG_NODE_LIST ? "an array"
                                                        : "a value");
}


/* a header names a table, t->key, that exists already */

static int
blog_toml_redefined(blog_toml_t *t, blog_toml_slot_t *slot, unsigned line)
{
    char  quoted[64];

    blog_toml_quote(quoted, t->key.data, t->key.len);

    switch (slot->kind) {

    case BLOG_TOML_HEADER:
        return blog_toml_error(t, line, "table %s is defined twice", quoted);

    case BLOG_TOML_DOTTED:
        return blog_toml_error(t, line, "table %s is already defined by "
                               "dotted keys", quoted);

    case BLOG_TOML_TABLES:
        return blog_toml_error(t, line, "table %s is already an array of "
                               "tables", quoted);

    default:
        if (slot->node->type == BLOG_NODE_MAP) {
            return blog_toml_error(t, line, "inline table %s cannot be "
                                   "extended", quoted);
        }

        return blog_toml_error(t, line, "duplicate key %s", quoted);
    }
}


/*
 * A key or a value for a reason, in quotes: its first bytes, whole
 * characters only, with controls as "?" (the text is valid UTF-8).  buf
 * holds at least 64 bytes.
 */

static const char *
blog_toml_quote(char *buf, const u_char *p, size_t n)
{
    char    *d;
    size_t   i, len;
    u_char   c;

    d = buf;
    *d++ = '"';

    for (i = 0; i < n; i += len) {
        c = p[i];
        len = (c < 0x80) ? 1 : (c >= 0xf0) ? 4 : (c >= 0xe0) ? 3 : 2;

        if ((size_t) (d - buf) - 1 + len + 1 > BLOG_TOML_KEY_SHOWN
            || i + len > n)
        {
            memcpy(d, "...", 3);
            d += 3;
            break;
        }

        if (c < 0x20 || c == 0x7f) {
            *d++ = '?';

        } else {
            if (c == '"' || c == '\\') {
                *d++ = '\\';
            }

            memcpy(d, p + i, len);
            d += len;
        }
    }

    *d++ = '"';
    *d = '\0';

    return buf;
}


/* what t->p points at, for a reason */

static const char *
blog_toml_what(blog_toml_t *t, char *buf, size_t size)
{
    u_char  c;

    if (t->p == t->end) {
        return "the end";
    }

    c = *t->p;

    if (c == '\n' || (c == '\r' && t->end - t->p >= 2 && t->p[1] == '\n')) {
        return "a line break";
    }

    if (c > 0x20 && c < 0x7f) {
        snprintf(buf, size, "\"%c\"", c);

    } else {
        snprintf(buf, size, "U+%04X", blog_toml_codepoint(t->p));
    }

    return buf;
}


/* the character at p, well-formed UTF-8 */

static uint32_t
blog_toml_codepoint(const u_char *p)
{
    if (p[0] < 0x80) {
        return p[0];
    }

    if (p[0] < 0xe0) {
        return ((uint32_t) (p[0] & 0x1f) << 6) | (p[1] & 0x3f);
    }

    if (p[0] < 0xf0) {
        return ((uint32_t) (p[0] & 0x0f) << 12)
               | ((uint32_t) (p[1] & 0x3f) << 6) | (p[2] & 0x3f);
    }

    return ((uint32_t) (p[0] & 0x07) << 18) | ((uint32_t) (p[1] & 0x3f) << 12)
           | ((uint32_t) (p[2] & 0x3f) << 6) | (p[3] & 0x3f);
}


static int
blog_toml_error(blog_toml_t *t, unsigned line, const char *fmt, ...)
{
    int      n;
    va_list  args;

    n = snprintf(t->pd->text, sizeof(t->pd->text),
                 "front matter is not valid TOML: ");

    va_start(args, fmt);
    vsnprintf(t->pd->text + n, sizeof(t->pd->text) - n, fmt, args);
    va_end(args);

    t->pd->line = line;
    t->pd->reason = t->pd->text;

    return BLOG_ERROR;
}


/* a problem at offset from start, before the parse counted its line */

static int
blog_toml_error_at(blog_toml_t *t, size_t offset, const u_char *start,
    const char *reason)
{
    size_t  i;

    for (i = 0; i < offset; i++) {
        t->line += (start[i] == '\n');
    }

    return blog_toml_error(t, t->line, "%s", reason);
}


static int
blog_toml_too_deep(blog_toml_t *t, unsigned line)
{
    snprintf(t->pd->text, sizeof(t->pd->text),
             "front matter nests deeper than %u levels", t->max_depth);

    t->pd->line = line;
    t->pd->reason = t->pd->text;

    return BLOG_ERROR;
}


static int
blog_toml_nomem(blog_toml_t *t)
{
    t->pd->line = t->line;
    t->pd->reason = "front matter could not be read: out of memory";

    return BLOG_ERROR;
}
