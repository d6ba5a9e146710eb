
/*
 * Routes: the part of a URI below the blog's prefix, already decoded by
 * the server, mapped to a kind of page and its names.  Nothing here looks
 * at the file system; a slug or a tag is only a name to look up in the
 * index, so no URI can name a file the index did not find.
 */


#include <string.h>

#include "blog.h"


static unsigned blog_route_segment(const u_char *p, size_t n, size_t *len);
static unsigned blog_route_page(const u_char *p, size_t n, unsigned *page);
static int blog_route_name_ok(const u_char *p, size_t n);


void
blog_route_parse(blog_route_t *rt, const u_char *p, size_t n)
{
    size_t    len, len2;
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

    /* page/N/ */

    if (len == 4 && memcmp(p, "page", 4) == 0 && more) {
        switch (blog_route_page(p + 5, n - 5, &rt->page)) {
        case 1:
            rt->kind = rt->page == 1 ? BLOG_ROUTE_REDIRECT : BLOG_ROUTE_INDEX;
            return;
        case 2:
            rt->kind = BLOG_ROUTE_REDIRECT;
            rt->redirect_len = n;
            rt->redirect_slash = 1;
            return;
        default:
            return;
        }
    }

    if (len == 8 && memcmp(p, "feed.xml", 8) == 0 && !more) {
        rt->kind = BLOG_ROUTE_FEED;
        return;
    }

    if (len == 11 && memcmp(p, "sitemap.xml", 11) == 0 && !more) {
        rt->kind = BLOG_ROUTE_SITEMAP;
        return;
    }

    if (len == 6 && memcmp(p, "assets", 6) == 0 && more) {
        rt->file.data = (u_char *) p + 7;
        rt->file.len = n - 7;

        if (rt->file.len && memchr(rt->file.data, '/', rt->file.len) == NULL)
        {
            rt->kind = BLOG_ROUTE_ASSET;
        }

        return;
    }

    if (len == 4 && memcmp(p, "tags", 4) == 0) {
        if (!more) {
            rt->kind = BLOG_ROUTE_REDIRECT;
            rt->redirect_len = n;
            rt->redirect_slash = 1;
            return;
        }

        p += 5;
        n -= 5;

        if (n == 0) {
            rt->kind = BLOG_ROUTE_TAGS;
            return;
        }

        more = blog_route_segment(p, n, &len);

        rt->tag.data = (u_char *) p;
        rt->tag.len = len;

        if (!more) {
            rt->kind = BLOG_ROUTE_REDIRECT;
            rt->redirect_len = 5 + n;
            rt->redirect_slash = 1;
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
            return;
        }

        if (len2 == 4 && more && memcmp(p + len + 1, "page", 4) == 0) {
            switch (blog_route_page(p + len + 6, n - len - 6, &rt->page)) {
            case 1:
                if (rt->page == 1) {
                    rt->kind = BLOG_ROUTE_REDIRECT;
                    rt->redirect_len = 5 + len + 1;

                } else {
                    rt->kind = BLOG_ROUTE_TAG;
                }

                return;
            case 2:
                rt->kind = BLOG_ROUTE_REDIRECT;
                rt->redirect_len = 5 + n;
                rt->redirect_slash = 1;
                return;
            default:
                return;
            }
        }

        return;
    }

    /* SLUG/, SLUG, SLUG/FILE */

    rt->slug.data = (u_char *) p;
    rt->slug.len = len;

    if (!more) {
        rt->kind = BLOG_ROUTE_REDIRECT;
        rt->redirect_len = n;
        rt->redirect_slash = 1;
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
