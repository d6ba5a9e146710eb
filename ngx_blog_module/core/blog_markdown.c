
/*
 * Markdown to HTML with cmark.  By default cmark's safe mode drops raw
 * HTML and javascript:, vbscript:, file: and data: links (bar images);
 * blog_raw_html on lets trusted authors embed HTML.  cmark passes control
 * characters through; the HTML goes into the feeds too, so they are
 * replaced.
 */


#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>

#include "blog.h"


int
blog_markdown_html(blog_buf_t *out, const u_char *md, size_t n,
    unsigned raw_html)
{
    int          options;
    char        *html;
    cmark_node  *doc;

    options = CMARK_OPT_DEFAULT;

    if (raw_html) {
        options |= CMARK_OPT_UNSAFE;
    }

    doc = cmark_parse_document((const char *) md, n, options);
    if (doc == NULL) {
        return BLOG_ERROR;
    }

    html = cmark_render_html(doc, options, NULL);
    cmark_node_free(doc);

    if (html == NULL) {
        return BLOG_ERROR;
    }

    blog_text_clean(out, (u_char *) html, strlen(html));
    free(html);

    return out->failed ? BLOG_ERROR : BLOG_OK;
}
