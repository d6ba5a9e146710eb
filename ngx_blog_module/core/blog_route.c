
/*
 * Routes: the part of a URI below the blog's prefix, already decoded by
 * the server, mapped to a kind of page and its names.  Nothing here looks
 * at the file system; a slug or a tag is only a name to look up in the
 * index, so no URI can name a file the index did not find.
 */


#include <string.h>

#include "blog.h"


static void blog_route_asset(blog_route_t *rt, const u_char *p, size_t n);
static void blog_route_tags(blog_route_t *rt, const u_char *p, size_t n);
static void blog_route_post(blog_route_t *rt, const u_char *p, size_t n,
    size_t len, unsigned more);
static void blog_route_listing_page(blog_route_t *rt, const u_char *p,
    size_t n, blog_route_kind_e kind, size_t listing_len, size_t path_len);
static void blog_route_add_slash(blog_route_t *rt, size_t len);
static unsigned blog_route_segment(const u_char *p, size_t n, size_t *len);
static unsigned blog_route_page(const u_char *p, size_t n, unsigned *page);
static int blog_route_name_ok(const u_char *p, size_t n);


void
blog_route_parse(blog_route_t *rt, const u_char *p, size_t n)
{
    size_t    len;
    unsigned  more;

    memset(rt, 0, sizeof(blog_route_t));

    if (n == 0) {
        rt->kind = BLOG_ROUTE_INDEX;
        rt->page = 1;
        return;
    }

    if (!blog_route_name_ok(p, n)) {
        return;
    }

    more = blog_route_segment(p, n, &len);

    if (len == 4 && memcmp(p, "page", 4) == 0 && more) {
        blog_route_listing_page(rt, p + 5, n - 5, BLOG_ROUTE_INDEX, 0, n);

    } else if (len == 8 && memcmp(p, "feed.xml", 8) == 0 && !more) {
        rt->kind = BLOG_ROUTE_FEED;

    } else if (len == 11 && memcmp(p, "sitemap.xml", 11) == 0 && !more) {
        rt->kind = BLOG_ROUTE_SITEMAP;

    } else if (len == 6 && memcmp(p, "assets", 6) == 0 && more) {
        blog_route_asset(rt, p + 7, n - 7);

    } else if (len == 4 && memcmp(p, "tags", 4) == 0) {
        if (more) {
            blog_route_tags(rt, p + 5, n - 5);

        } else {
            blog_route_add_slash(rt, n);
        }

    } else {
        blog_route_post(rt, p, n, len, more);
    }
}


/* assets/FILE: a file of the theme, never below a folder */

static void
blog_route_asset(blog_route_t *rt, const u_char *p, size_t n)
{
    rt->file.data = (u_char *) p;
    rt->file.len = n;

    if (n && memchr(p, '/', n) == NULL) {
        rt->kind = BLOG_ROUTE_ASSET;
    }
}


/*
 * What follows "tags/": nothing (the list of tags), TAG/, TAG/feed.xml or
 * TAG/page/N/.  A redirect keeps 5 + m bytes: "tags/" and m of these.
 */

static void
blog_route_tags(blog_route_t *rt, const u_char *p, size_t n)
{
    size_t    len, len2;
    unsigned  more;

    if (n == 0) {
        rt->kind = BLOG_ROUTE_TAGS;
        return;
    }

    more = blog_route_segment(p, n, &len);

    rt->tag.data = (u_char *) p;
    rt->tag.len = len;

    if (!more) {
        blog_route_add_slash(rt, 5 + n);
        return;
    }

    if (n == len + 1) {
        rt->kind = BLOG_ROUTE_TAG;
        rt->page = 1;
        return;
    }

    more = blog_route_segment(p + len + 1, n - len - 1, &len2);

    if (len2 == 8 && !more && memcmp(p + len + 1, "feed.xml", 8) == 0) {
        rt->kind = BLOG_ROUTE_TAG_FEED;

    } else if (len2 == 4 && more && memcmp(p + len + 1, "page", 4) == 0) {
        blog_route_listing_page(rt, p + len + 6, n - len - 6, BLOG_ROUTE_TAG,
                                5 + len + 1, 5 + n);
    }
}


/* SLUG/, SLUG, SLUG/FILE */

static void
blog_route_post(blog_route_t *rt, const u_char *p, size_t n, size_t len,
    unsigned more)
{
    rt->slug.data = (u_char *) p;
    rt->slug.len = len;

    if (!more) {
        blog_route_add_slash(rt, n);
        return;
    }

    if (n == len + 1) {
        rt->kind = BLOG_ROUTE_POST;
        return;
    }

    rt->file.data = (u_char *) p + len + 1;
    rt->file.len = n - len - 1;

    if (memchr(rt->file.data, '/', rt->file.len) == NULL) {
        rt->kind = BLOG_ROUTE_POST_FILE;
    }
}


/*
 * "N/" below a listing's "page/", p and n after it: page 1 redirects to
 * the listing, the first listing_len bytes of the path; "N" without its
 * slash redirects to the path of path_len bytes with the slash added.
 */

static void
blog_route_listing_page(blog_route_t *rt, const u_char *p, size_t n,
    blog_route_kind_e kind, size_t listing_len, size_t path_len)
{
    switch (blog_route_page(p, n, &rt->page)) {

    case 1:
        if (rt->page == 1) {
            rt->kind = BLOG_ROUTE_REDIRECT;
            rt->redirect_len = listing_len;

        } else {
            rt->kind = kind;
        }

        return;

    case 2:
        blog_route_add_slash(rt, path_len);
        return;

    default:
        return;
    }
}


/* a redirect to the first len bytes of the path, with a slash added */

static void
blog_route_add_slash(blog_route_t *rt, size_t len)
{
    rt->kind = BLOG_ROUTE_REDIRECT;
    rt->redirect_len = len;
    rt->redirect_slash = 1;
}


/* the length of the first segment; 1 if a "/" follows it */

static unsigned
blog_route_segment(const u_char *p, size_t n, size_t *len)
{
    const u_char  *slash;

    slash = memchr(p, '/', n);

    if (slash == NULL) {
        *len = n;
        return 0;
    }

    *len = slash - p;

    return 1;
}


/* "N/" is 1, "N" (slash missing) is 2, anything else 0 */

static unsigned
blog_route_page(const u_char *p, size_t n, unsigned *page)
{
    size_t    i;
    unsigned  v;

    v = 0;

    for (i = 0; i < n && i < 9 && p[i] >= '0' && p[i] <= '9'; i++) {
        v = v * 10 + (p[i] - '0');
    }

    if (i == 0 || v == 0 || p[0] == '0') {
        return 0;
    }

    *page = v;

    if (i == n) {
        return 2;
    }

    return (i + 1 == n && p[i] == '/') ? 1 : 0;
}


/*
 * No empty segment, no "." or ".." segment, no control bytes: such a path
 * names nothing the index could hold.
 */

static int
blog_route_name_ok(const u_char *p, size_t n)
{
    size_t  i, seg;

    seg = 0;

    for (i = 0; i <= n; i++) {
        if (i == n || p[i] == '/') {
            if (i - seg == 0 && i != n) {
                return 0;
            }

            if ((i - seg == 1 && p[seg] == '.')
                || (i - seg == 2 && p[seg] == '.' && p[seg + 1] == '.'))
            {
                return 0;
            }

            seg = i + 1;
            continue;
        }

        if (p[i] < 0x20 || p[i] == 0x7f || p[i] == '\\') {
            return 0;
        }
    }

    return 1;
}
