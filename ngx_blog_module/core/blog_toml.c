
/*
 * TOML 1.0 front matter (Hugo's and Zola's "+++" headers).  Not yet
 * written: every header is refused.
 */


#include <stdio.h>

#include "blog.h"


int
blog_toml_parse(blog_node_t **root, const u_char *p, size_t n,
    unsigned first_line, unsigned max_depth, blog_problem_detail_t *pd)
{
    *root = NULL;
    pd->line = first_line;
    pd->reason = "front matter in TOML is not read yet";

    return BLOG_ERROR;
}
