
/*
 * Which dialect a post's body is written in, and that dialect's pass over
 * it: Jekyll's Liquid in Jekyll's posts, Hugo's shortcodes in any other,
 * for the page (blog_expand()) and for a summary's or a word count's text
 * (blog_expand_strip()).  The dialects themselves are blog_shortcode.c's
 * and blog_liquid.c's, the fragments they leave blog_expand.c's; rendering
 * the Markdown in between and logging the notes are the caller's.
 */


#define _GNU_SOURCE

#include <string.h>

#include "blog_expand.h"


/*
 * Jekyll evaluates Liquid in its posts only: those under a "_posts"
 * folder or named YYYY-MM-DD-slug.  Hugo and Zola never evaluate "{{ }}"
 * in content, so their posts keep it as text.
 */

int
blog_expand_liquid(const char *path, const blog_post_name_t *pn)
{
    const char  *p;

    if (pn != NULL && pn->dated) {
        return 1;
    }

    for (p = path; (p = strstr(p, "_posts/")) != NULL; p++) {
        if (p == path || p[-1] == '/') {
            return 1;
        }
    }

    return 0;
}


/* the body, with its shortcodes or its Liquid expanded, into x->md */

int
blog_expand(blog_expand_t *x, const u_char *body, size_t n, unsigned liquid)
{
    int  rc;

    x->md.len = 0;

    rc = liquid ? blog_liquid_expand(x, &x->md, body, n)
                : blog_shortcode_expand(x, &x->md, body, n);

    if (rc != BLOG_OK || x->md.failed || x->frags.failed || x->failed) {
        return BLOG_ERROR;
    }

    return BLOG_OK;
}


/*
 * Whether a text may hold a shortcode ("{{") or a Liquid tag ("{%"):
 * memchr() is fast on text that has no brace at all, as most posts.
 */

int
blog_expand_marked(const u_char *p, size_t n, unsigned liquid)
{
    const u_char  *q, *last;

    last = p + n;

    for (q = p; (q = memchr(q, '{', last - q)) != NULL; q++) {
        if (q + 1 < last && (q[1] == '{' || (liquid && q[1] == '%'))) {
            return 1;
        }
    }

    return 0;
}


/*
 * A summary's or a word count's text: the tags of either kind removed,
 * a paired shortcode's inner text and Liquid's raw content kept.
 * BLOG_DECLINED when the text has none (out is left alone).
 */

int
blog_expand_strip(blog_buf_t *out, const u_char *p, size_t n,
    unsigned liquid)
{
    if (!blog_expand_marked(p, n, liquid)) {
        return BLOG_DECLINED;
    }

    /* as the page does: Liquid in Jekyll's posts, shortcodes elsewhere */

    if (liquid) {
        blog_liquid_strip(out, p, n);

    } else {
        blog_shortcode_strip(out, p, n);
    }

    return out->failed ? BLOG_ERROR : BLOG_OK;
}
