
/*
 * The TOML reader, within: its state while it reads one document, and
 * what its files lend each other.  blog_toml.c reads the document's shape
 * and calls on blog_toml_table.c (which tables there are, and the hash
 * that finds every key), blog_toml_string.c and blog_toml_scalar.c (the
 * values); each of them reports through blog_toml_error.c.  Nothing
 * outside these files looks inside.
 */


#ifndef _BLOG_TOML_H_INCLUDED_
#define _BLOG_TOML_H_INCLUDED_


#include "blog.h"


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


/* blog_toml_table.c: the tables, and the hash that finds every key */

int blog_toml_hash_init(blog_toml_t *t);
blog_toml_slot_t *blog_toml_find(blog_toml_t *t, blog_node_t *parent,
    uint64_t *hash);
int blog_toml_insert(blog_toml_t *t, blog_node_t *parent,
    blog_node_t *node, uint64_t hash, blog_toml_kind_e kind);
blog_node_t *blog_toml_header_step(blog_toml_t *t, blog_node_t *table,
    unsigned *depth, unsigned line);
int blog_toml_header_table(blog_toml_t *t, blog_node_t *table,
    unsigned depth, unsigned line);
int blog_toml_header_tables(blog_toml_t *t, blog_node_t *table,
    unsigned depth, unsigned line);
blog_node_t *blog_toml_dotted_step(blog_toml_t *t, blog_node_t *table,
    unsigned *depth, unsigned line);


/* blog_toml_string.c: the four kinds of string, keys' and values' */

blog_node_t *blog_toml_string_value(blog_toml_t *t);
int blog_toml_string(blog_toml_t *t, blog_buf_t *out);


/* blog_toml_scalar.c: booleans, numbers, dates and times */

blog_node_t *blog_toml_scalar(blog_toml_t *t);


/* blog_toml_error.c: the reasons for a refusal, out of memory one of them */

blog_node_t *blog_toml_node(blog_toml_t *t, blog_node_type_e type,
    unsigned line);
blog_node_t *blog_toml_text_node(blog_toml_t *t, blog_node_type_e type,
    unsigned line);
const char *blog_toml_quote(char *buf, const u_char *p, size_t n);
const char *blog_toml_what(blog_toml_t *t, char *buf, size_t size);
uint32_t blog_toml_codepoint(const u_char *p);
int blog_toml_error(blog_toml_t *t, unsigned line, const char *fmt,
    ...) __attribute__ ((format (printf, 3, 4)));
int blog_toml_error_at(blog_toml_t *t, size_t offset,
    const u_char *start, const char *reason);
int blog_toml_too_deep(blog_toml_t *t, unsigned line);
int blog_toml_nomem(blog_toml_t *t);


/* the cursor's two small steps, which every part of the reader takes */

static inline void
blog_toml_blank(blog_toml_t *t)
{
    while (t->p < t->end && (*t->p == ' ' || *t->p == '\t')) {
        t->p++;
    }
}


/* consumes an LF or a CR LF, counting the line: 1; anything else: 0 */

static inline int
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


#endif /* _BLOG_TOML_H_INCLUDED_ */
