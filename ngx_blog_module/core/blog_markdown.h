
/*
 * The core's Markdown, within: cmark-gfm's parser in a budget of memory
 * (blog_markdown_parse.c), for the renderer and the checks.
 */


#ifndef _BLOG_MARKDOWN_H_INCLUDED_
#define _BLOG_MARKDOWN_H_INCLUDED_


#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#include "blog.h"


/* run on a body's tree and its parser, in the budget */
typedef int (*blog_markdown_work_pt)(cmark_node *doc, cmark_parser *parser,
    int options, void *data);

/* the allocator of the budget: every node made during a run comes from it */
extern cmark_mem  blog_markdown_mem;

cmark_parser *blog_markdown_parser(unsigned dialect, unsigned raw_html,
    int *options);
int blog_markdown_run(const u_char *md, size_t n, unsigned dialect,
    unsigned raw_html, blog_markdown_work_pt work, void *data);


#endif /* _BLOG_MARKDOWN_H_INCLUDED_ */
