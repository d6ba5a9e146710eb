
/*
 * blog_route_parse on any bytes.  Whatever the path, the names a route
 * hands on lie inside it, are single non-empty segments where the kind
 * needs one, and no route but "not found" comes from a path with an empty,
 * "." or ".." segment, a control byte or a backslash.
 */


#include "fuzz.h"


static int fuzz_route_path_ok(const u_char *p, size_t n);
static int fuzz_route_segment(const blog_str_t *s);


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    blog_route_t  rt;

    memset(&rt, 0xa5, sizeof(blog_route_t));
    blog_route_parse(&rt, data, size);

    fuzz_check((unsigned) rt.kind <= BLOG_ROUTE_ASSET);

    fuzz_check(fuzz_inside(rt.slug, data, size));
    fuzz_check(fuzz_inside(rt.tag, data, size));
    fuzz_check(fuzz_inside(rt.file, data, size));

    if (rt.kind != BLOG_ROUTE_NOT_FOUND && size > 0) {
        fuzz_check(fuzz_route_path_ok(data, size));
    }

    switch (rt.kind) {

    case BLOG_ROUTE_NOT_FOUND:
        break;

    case BLOG_ROUTE_REDIRECT:
        fuzz_check(rt.redirect_len <= size);
        break;

    case BLOG_ROUTE_INDEX:
        fuzz_check(rt.page >= 1);
        fuzz_check(rt.page == 1 ? size == 0 : size > 0);
        break;

    case BLOG_ROUTE_POST:
        fuzz_check(fuzz_route_segment(&rt.slug));
        fuzz_check(rt.slug.len + 1 == size);
        break;

    case BLOG_ROUTE_POST_FILE:
        fuzz_check(fuzz_route_segment(&rt.slug));
        fuzz_check(fuzz_route_segment(&rt.file));
        fuzz_check(rt.slug.len + 1 + rt.file.len == size);
        break;

    case BLOG_ROUTE_TAGS:
        fuzz_check(size == 5 && memcmp(data, "tags/", 5) == 0);
        break;

    case BLOG_ROUTE_TAG:
        fuzz_check(fuzz_route_segment(&rt.tag));
        fuzz_check(rt.page >= 1);
        break;

    case BLOG_ROUTE_TAG_FEED:
        fuzz_check(fuzz_route_segment(&rt.tag));
        break;

    case BLOG_ROUTE_FEED:
        fuzz_check(size == 8 && memcmp(data, "feed.xml", 8) == 0);
        break;

    case BLOG_ROUTE_SITEMAP:
        fuzz_check(size == 11 && memcmp(data, "sitemap.xml", 11) == 0);
        break;

    case BLOG_ROUTE_ASSET:
        fuzz_check(fuzz_route_segment(&rt.file));
        fuzz_check(size == 7 + rt.file.len);
        break;
    }

    return 0;
}


/* written apart from blog_route.c: what a served path may not hold */

static int
fuzz_route_path_ok(const u_char *p, size_t n)
{
    size_t  i, start;

    start = 0;

    for (i = 0; i <= n; i++) {
        if (i < n && p[i] != '/') {
            if (p[i] < 0x20 || p[i] == 0x7f || p[i] == '\\') {
                return 0;
            }

            continue;
        }

        /* a trailing "/" is allowed: it ends the last segment */

        if (i == start && i < n) {
            return 0;
        }

        if ((i - start == 1 && p[start] == '.')
            || (i - start == 2 && p[start] == '.' && p[start + 1] == '.'))
        {
            return 0;
        }

        start = i + 1;
    }

    return 1;
}


static int
fuzz_route_segment(const blog_str_t *s)
{
    return s->len > 0 && memchr(s->data, '/', s->len) == NULL
           && !(s->len == 1 && s->data[0] == '.')
           && !(s->len == 2 && s->data[0] == '.' && s->data[1] == '.');
}
