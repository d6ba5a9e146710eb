
/*
 * blog_route.c: the path below the blog's prefix mapped to a page, a
 * redirect or a 404, with nothing that could name a file outside what the
 * index found ("..", ".", empty segments, control bytes, backslashes).
 */


#include "unit.h"


#define R(s)  (const u_char *) s, sizeof(s) - 1


typedef struct {
    const u_char       *in;
    size_t              len;
    blog_route_kind_e   kind;
    const char         *slug;
    const char         *tag;
    const char         *file;
    unsigned            page;
    size_t              redirect_len;
    unsigned            redirect_slash;
} unit_route_t;


static const char *kind_name(blog_route_kind_e kind);
static void check(const unit_route_t *c);
static void test_route_index(void **state);
static void test_route_index_pages(void **state);
static void test_route_posts(void **state);
static void test_route_tags(void **state);
static void test_route_tag_pages(void **state);
static void test_route_feeds_sitemap_assets(void **state);
static void test_route_not_found(void **state);
static void test_route_traversal(void **state);


static const char  *kinds[] = {
    "NOT_FOUND", "REDIRECT", "INDEX", "POST", "POST_FILE", "TAGS", "TAG",
    "FEED", "TAG_FEED", "SITEMAP", "ASSET"
};


static const char *
kind_name(blog_route_kind_e kind)
{
    return (unsigned) kind < UNIT_ARRAY(kinds) ? kinds[kind] : "?";
}


static void
check(const unit_route_t *c)
{
    char          in[256], tmp[256];
    blog_route_t  rt;

    snprintf(in, sizeof(in), "%.*s", (int) c->len, c->in);

    memset(&rt, 0xa5, sizeof(blog_route_t));
    blog_route_parse(&rt, c->in, c->len);

    if (rt.kind != c->kind) {
        fail_msg("\"%s\": %s, expected %s", in, kind_name(rt.kind),
                 kind_name(c->kind));
    }

    if (c->kind == BLOG_ROUTE_NOT_FOUND) {
        return;
    }

    if (c->slug != NULL && strcmp(unit_cstr(rt.slug, tmp), c->slug) != 0) {
        fail_msg("\"%s\": slug \"%s\", expected \"%s\"", in, tmp, c->slug);
    }

    if (c->tag != NULL && strcmp(unit_cstr(rt.tag, tmp), c->tag) != 0) {
        fail_msg("\"%s\": tag \"%s\", expected \"%s\"", in, tmp, c->tag);
    }

    if (c->file != NULL && strcmp(unit_cstr(rt.file, tmp), c->file) != 0) {
        fail_msg("\"%s\": file \"%s\", expected \"%s\"", in, tmp, c->file);
    }

    if (c->kind == BLOG_ROUTE_INDEX || c->kind == BLOG_ROUTE_TAG) {
        if (rt.page != c->page) {
            fail_msg("\"%s\": page %u, expected %u", in, rt.page, c->page);
        }
    }

    if (c->kind == BLOG_ROUTE_REDIRECT) {
        if (rt.redirect_len != c->redirect_len
            || rt.redirect_slash != c->redirect_slash)
        {
            fail_msg("\"%s\": redirect to %zu bytes%s, expected %zu%s", in,
                     rt.redirect_len, rt.redirect_slash ? " and a slash" : "",
                     c->redirect_len, c->redirect_slash ? " and a slash" : "");
        }
    }
}


static void
test_route_index(void **state)
{
    unit_route_t  c = { R(""), BLOG_ROUTE_INDEX, NULL, NULL, NULL, 1, 0, 0 };

    check(&c);
}


static void
test_route_index_pages(void **state)
{
    size_t        i;
    unit_route_t  cases[] = {
        { R("page/2/"), BLOG_ROUTE_INDEX, NULL, NULL, NULL, 2, 0, 0 },
        { R("page/12/"), BLOG_ROUTE_INDEX, NULL, NULL, NULL, 12, 0, 0 },

        /* page 1 is the index itself: keep nothing of the path */
        { R("page/1/"), BLOG_ROUTE_REDIRECT, NULL, NULL, NULL, 0, 0, 0 },

        { R("page/2"), BLOG_ROUTE_REDIRECT, NULL, NULL, NULL, 0, 6, 1 },
        { R("page/0/"), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0, 0 },
        { R("page/x/"), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0, 0 },
        { R("page/02/"), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0, 0 },
        { R("page/2x/"), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0, 0 },
        { R("page/-1/"), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0, 0 },
        { R("page/2/x"), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0, 0 },
        { R("page/"), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0, 0 },
        { R("page/99999999999999999999/"), BLOG_ROUTE_NOT_FOUND, NULL, NULL,
          NULL, 0, 0, 0 },
    };

    for (i = 0; i < UNIT_ARRAY(cases); i++) {
        check(&cases[i]);
    }
}


static void
test_route_posts(void **state)
{
    size_t        i;
    unit_route_t  cases[] = {
        { R("slug/"), BLOG_ROUTE_POST, "slug", NULL, NULL, 0, 0, 0 },
        { R("hello-world/"), BLOG_ROUTE_POST, "hello-world", NULL, NULL, 0,
          0, 0 },
        { R("caf\xc3\xa9/"), BLOG_ROUTE_POST, "caf\xc3\xa9", NULL, NULL, 0,
          0, 0 },
        { R("slug"), BLOG_ROUTE_REDIRECT, "slug", NULL, NULL, 0, 4, 1 },
        { R("slug/image.png"), BLOG_ROUTE_POST_FILE, "slug", NULL,
          "image.png", 0, 0, 0 },
        { R("slug/a/b"), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0, 0 },
        { R("slug/a/"), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0, 0 },
    };

    for (i = 0; i < UNIT_ARRAY(cases); i++) {
        check(&cases[i]);
    }
}


static void
test_route_tags(void **state)
{
    size_t        i;
    unit_route_t  cases[] = {
        { R("tags/"), BLOG_ROUTE_TAGS, NULL, NULL, NULL, 0, 0, 0 },
        { R("tags"), BLOG_ROUTE_REDIRECT, NULL, NULL, NULL, 0, 4, 1 },
        { R("tags/go/"), BLOG_ROUTE_TAG, NULL, "go", NULL, 1, 0, 0 },
        { R("tags/c++/"), BLOG_ROUTE_TAG, NULL, "c++", NULL, 1, 0, 0 },
        { R("tags/go"), BLOG_ROUTE_REDIRECT, NULL, NULL, NULL, 0, 7, 1 },
        { R("tags/go/feed.xml"), BLOG_ROUTE_TAG_FEED, NULL, "go", NULL, 0,
          0, 0 },
        { R("tags/go/x"), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0, 0 },
        { R("tags/go/feed.xml/"), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0,
          0, 0 },
    };

    for (i = 0; i < UNIT_ARRAY(cases); i++) {
        check(&cases[i]);
    }
}


static void
test_route_tag_pages(void **state)
{
    size_t        i;
    unit_route_t  cases[] = {
        { R("tags/go/page/3/"), BLOG_ROUTE_TAG, NULL, "go", NULL, 3, 0, 0 },

        /* "tags/go/" */
        { R("tags/go/page/1/"), BLOG_ROUTE_REDIRECT, NULL, NULL, NULL, 0, 8,
          0 },

        { R("tags/go/page/3"), BLOG_ROUTE_REDIRECT, NULL, NULL, NULL, 0, 14,
          1 },
        { R("tags/go/page/0/"), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0,
          0 },
        { R("tags/go/page/x/"), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0,
          0 },
        { R("tags/go/page/"), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0,
          0 },
    };

    for (i = 0; i < UNIT_ARRAY(cases); i++) {
        check(&cases[i]);
    }
}


static void
test_route_feeds_sitemap_assets(void **state)
{
    size_t        i;
    unit_route_t  cases[] = {
        { R("feed.xml"), BLOG_ROUTE_FEED, NULL, NULL, NULL, 0, 0, 0 },
        { R("sitemap.xml"), BLOG_ROUTE_SITEMAP, NULL, NULL, NULL, 0, 0, 0 },
        { R("assets/style.css"), BLOG_ROUTE_ASSET, NULL, NULL, "style.css",
          0, 0, 0 },
        { R("assets/"), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0, 0 },
        { R("assets/a/b.css"), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0,
          0 },
    };

    for (i = 0; i < UNIT_ARRAY(cases); i++) {
        check(&cases[i]);
    }
}


static void
test_route_not_found(void **state)
{
    size_t        i;
    unit_route_t  cases[] = {
        { R("a//b/"), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0, 0 },
        { R("/slug/"), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0, 0 },
        { R("slug//"), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0, 0 },
        { R("sl\x01ug/"), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0, 0 },
        { R("sl\0ug/"), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0, 0 },
        { R("slug/\n"), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0, 0 },
        { R("slug\x7f/"), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0, 0 },
        { R("tags/g\x1fo/"), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0,
          0 },
        { R("a\\b/"), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0, 0 },
        { R("slug/a\\b.png"), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0,
          0 },
        { R("assets/..\\x.css"), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0,
          0, 0 },
    };

    for (i = 0; i < UNIT_ARRAY(cases); i++) {
        check(&cases[i]);
    }
}


static void
test_route_traversal(void **state)
{
    size_t        i;
    unit_route_t  cases[] = {
        { R("../etc/passwd"), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0,
          0 },
        { R(".."), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0, 0 },
        { R("../"), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0, 0 },
        { R("a/../b"), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0, 0 },
        { R("slug/.."), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0, 0 },
        { R("./x/"), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0, 0 },
        { R("."), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0, 0 },
        { R("slug/."), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0, 0 },
        { R("assets/../x.css"), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0,
          0 },
        { R("assets/.."), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0, 0 },
        { R("tags/../"), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0, 0 },
        { R("tags/./feed.xml"), BLOG_ROUTE_NOT_FOUND, NULL, NULL, NULL, 0, 0,
          0 },
    };

    for (i = 0; i < UNIT_ARRAY(cases); i++) {
        check(&cases[i]);
    }
}


int
main(void)
{
    const struct CMUnitTest  tests[] = {
        cmocka_unit_test(test_route_index),
        cmocka_unit_test(test_route_index_pages),
        cmocka_unit_test(test_route_posts),
        cmocka_unit_test(test_route_tags),
        cmocka_unit_test(test_route_tag_pages),
        cmocka_unit_test(test_route_feeds_sitemap_assets),
        cmocka_unit_test(test_route_not_found),
        cmocka_unit_test(test_route_traversal),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
