
/*
 * Hugo's shortcodes and Jekyll's Liquid, within: what blog_expand.c lends
 * the two dialects (fragments, link targets, fenced code) and the passes
 * of blog_shortcode.c and blog_liquid.c that blog_expand_dialect.c
 * chooses between.  Nothing outside these four files looks inside.
 */


#ifndef _BLOG_EXPAND_H_INCLUDED_
#define _BLOG_EXPAND_H_INCLUDED_


#include "blog.h"


/* blog_expand.c */

int blog_expand_fragment(blog_expand_t *x, blog_buf_t *out, unsigned block);
void blog_expand_url(blog_expand_t *x, blog_buf_t *b, const u_char *name,
    size_t n, unsigned absolute, unsigned line, const char *what);
void blog_expand_fence(blog_buf_t *md, const u_char *lang, size_t lang_len,
    const u_char *code, size_t n);

/* blog_shortcode.c */

int blog_shortcode_expand(blog_expand_t *x, blog_buf_t *out, const u_char *p,
    size_t n);
void blog_shortcode_strip(blog_buf_t *out, const u_char *p, size_t n);

/* blog_liquid.c */

int blog_liquid_expand(blog_expand_t *x, blog_buf_t *out, const u_char *p,
    size_t n);
void blog_liquid_strip(blog_buf_t *out, const u_char *p, size_t n);


#endif /* _BLOG_EXPAND_H_INCLUDED_ */
