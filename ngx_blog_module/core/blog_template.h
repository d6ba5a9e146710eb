
/*
 * The compiled form of a Mustache template, shared by the compiler
 * (blog_template.c) and the renderer (blog_template_render.c); nothing
 * outside those two files looks inside it.
 */


#ifndef _BLOG_TEMPLATE_H_INCLUDED_
#define _BLOG_TEMPLATE_H_INCLUDED_


#include "blog.h"


#define BLOG_TMPL_MAX_NESTING   100         /* sections open at once */
#define BLOG_TMPL_MAX_DEPTH     100         /* sections and partials */
#define BLOG_TMPL_MAX_STEPS     (1 << 22)   /* nodes rendered */
#define BLOG_TMPL_MAX_OUTPUT    (64 << 20)
#define BLOG_TMPL_MAX_DELIM     32
#define BLOG_TMPL_NAME_SHOWN    40          /* of a name, in a message */

#define blog_tmpl_space(c)  ((c) == ' ' || (c) == '\t')
#define blog_tmpl_blank(c)                                                    \
    ((c) == ' ' || (c) == '\t' || (c) == '\r' || (c) == '\n')
#define blog_tmpl_shown(n)                                                    \
    (int) ((n) < BLOG_TMPL_NAME_SHOWN ? (n) : BLOG_TMPL_NAME_SHOWN)


typedef enum {
    BLOG_TMPL_TEXT = 0,
    BLOG_TMPL_VAR,
    BLOG_TMPL_RAW,
    BLOG_TMPL_SECTION,
    BLOG_TMPL_INVERTED,
    BLOG_TMPL_PARTIAL
} blog_tmpl_type_e;

/* offsets into the template's copy of its source */

typedef struct {
    size_t              off;
    size_t              len;
} blog_tmpl_span_t;

typedef struct {
    blog_tmpl_type_e    type;
    blog_tmpl_span_t    text;       /* text, the name, or the partial */
    blog_tmpl_span_t    indent;     /* of a standalone partial's line */
    size_t              parts;      /* dotted name: first in t->parts */
    size_t              nparts;     /* 0 for "." */
    size_t              end;        /* section: the node past its body */
    unsigned            bol:1;      /* starts a line of the source */
    unsigned            url:1;      /* starts an address: no scheme that
                                       runs script */
    unsigned            standalone:1;
} blog_tmpl_node_t;

typedef struct {
    blog_str_t          name;
    u_char             *src;
    blog_tmpl_node_t   *nodes;
    size_t              nnodes;
    blog_tmpl_span_t   *parts;
} blog_tmpl_t;

struct blog_tmpl_set_s {
    blog_arena_t       *arena;
    blog_tmpl_t        *tmpls;
    size_t              n;
    size_t              size;
};

blog_tmpl_t *blog_tmpl_find(blog_tmpl_set_t *set, const u_char *name,
    size_t n);


#endif /* _BLOG_TEMPLATE_H_INCLUDED_ */
