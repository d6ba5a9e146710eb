
/*
 * The post page of the built-in layout: the post's title, date, reading
 * time, tags, body and its neighbours.  Every text that comes from front
 * matter or configuration is escaped here; the body is cmark's output.
 */


#include <string.h>

#include "blog.h"


static void blog_page_head(blog_buf_t *b, const blog_site_t *site,
    const blog_str_t *title, const blog_str_t *description,
    const blog_str_t *path);
static void blog_page_foot(blog_buf_t *b, const blog_site_t *site);
static void blog_page_post_link(blog_buf_t *b, const blog_site_t *site,
    const blog_str_t *slug);
static void blog_page_tag_link(blog_buf_t *b, const blog_site_t *site,
    const blog_tag_t *tag);


int
blog_page_post(blog_buf_t *b, const blog_site_t *site,
    const blog_post_t *post, const blog_str_t *slug, const u_char *body,
    size_t body_len, const blog_entry_t *newer, const blog_entry_t *older)
{
    size_t      i;
    blog_str_t  canonical;
    blog_buf_t  path;

    blog_buf_init(&path);
    blog_page_post_link(&path, site, slug);

    canonical.data = path.data;
    canonical.len = path.len;

    blog_page_head(b, site, &post->title, &post->description, &canonical);
    blog_buf_free(&path);

    blog_buf_adds(b, "<main>\n<article class=\"post\">\n<header>\n"
                     "<h1 class=\"post-title\">");
    blog_escape_html(b, post->title.data, post->title.len);
    blog_buf_adds(b, "</h1>\n<p class=\"post-meta\"><time datetime=\"");
    blog_date_iso(b, &post->date);
    blog_buf_adds(b, "\">");
    blog_date_human(b, &post->date);
    blog_buf_printf(b, "</time> &middot; <span class=\"reading-time\">"
                       "%u min read</span></p>\n", post->reading_time);

    if (post->ntags) {
        blog_buf_adds(b, "<ul class=\"tags\">");

        for (i = 0; i < post->ntags; i++) {
            blog_buf_adds(b, "<li>");
            blog_page_tag_link(b, site, &post->tags[i]);
            blog_buf_adds(b, "</li>");
        }

        blog_buf_adds(b, "</ul>\n");
    }

    blog_buf_adds(b, "</header>\n<div class=\"post-body\">\n");

    if (blog_markdown_html(b, body, body_len, site->raw_html) != BLOG_OK) {
        return BLOG_ERROR;
    }

    blog_buf_adds(b, "</div>\n</article>\n");

    if (newer != NULL || older != NULL) {
        blog_buf_adds(b, "<nav class=\"post-nav\" aria-label=\"More posts\">");

        if (older != NULL) {
            blog_buf_adds(b, "<a rel=\"prev\" href=\"");
            blog_page_post_link(b, site, &older->slug);
            blog_buf_adds(b, "\">&larr; ");
            blog_escape_html(b, older->post->title.data,
                             older->post->title.len);
            blog_buf_adds(b, "</a>");
        }

        if (newer != NULL) {
            blog_buf_adds(b, "<a rel=\"next\" href=\"");
            blog_page_post_link(b, site, &newer->slug);
            blog_buf_adds(b, "\">");
            blog_escape_html(b, newer->post->title.data,
                             newer->post->title.len);
            blog_buf_adds(b, " &rarr;</a>");
        }

        blog_buf_adds(b, "</nav>\n");
    }

    blog_buf_adds(b, "</main>\n");
    blog_page_foot(b, site);

    return b->failed ? BLOG_ERROR : BLOG_OK;
}


static void
blog_page_head(blog_buf_t *b, const blog_site_t *site,
    const blog_str_t *title, const blog_str_t *description,
    const blog_str_t *path)
{
    blog_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                     "<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" "
                     "content=\"width=device-width, initial-scale=1\">\n"
                     "<title>");
    blog_escape_html(b, title->data, title->len);

    if (site->title.len) {
        blog_buf_adds(b, " &middot; ");
        blog_escape_html(b, site->title.data, site->title.len);
    }

    blog_buf_adds(b, "</title>\n<meta name=\"description\" content=\"");
    blog_escape_html(b, description->data, description->len);
    blog_buf_adds(b, "\">\n<link rel=\"canonical\" href=\"");
    blog_escape_html(b, site->base_url.data, site->base_url.len);
    blog_escape_html(b, path->data, path->len);
    blog_buf_adds(b, "\">\n</head>\n<body>\n<header class=\"site\">"
                     "<a class=\"home\" href=\"");
    blog_escape_html(b, site->prefix.data, site->prefix.len);
    blog_buf_adds(b, "/\">");
    blog_escape_html(b, site->title.data, site->title.len);
    blog_buf_adds(b, "</a></header>\n");
}


static void
blog_page_foot(blog_buf_t *b, const blog_site_t *site)
{
    blog_buf_adds(b, "<footer class=\"site\">");

    if (site->author.len) {
        blog_buf_adds(b, "&copy; ");
        blog_escape_html(b, site->author.data, site->author.len);
    }

    blog_buf_adds(b, "</footer>\n</body>\n</html>\n");
}


static void
blog_page_post_link(blog_buf_t *b, const blog_site_t *site,
    const blog_str_t *slug)
{
    blog_buf_add(b, site->prefix.data, site->prefix.len);
    blog_buf_addc(b, '/');
    blog_escape_uri(b, slug->data, slug->len);
    blog_buf_addc(b, '/');
}


static void
blog_page_tag_link(blog_buf_t *b, const blog_site_t *site,
    const blog_tag_t *tag)
{
    blog_buf_adds(b, "<a class=\"tag\" href=\"");
    blog_escape_html(b, site->prefix.data, site->prefix.len);
    blog_buf_adds(b, "/tags/");
    blog_escape_uri(b, tag->key.data, tag->key.len);
    blog_buf_adds(b, "/\">");
    blog_escape_html(b, tag->name.data, tag->name.len);
    blog_buf_adds(b, "</a>");
}
