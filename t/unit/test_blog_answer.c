
/*
 * What a request below the blog gets (blog_answer.c), against an index of
 * a few posts: the redirects and their Location, the routes that wait for
 * the index, old URLs, a post that moved, the Markdown source, bundles.
 */


#include "unit.h"


#define UNIT_NOW  1780704000


typedef struct {
    char              root[64];
    blog_options_t    opts;
    blog_index_t     *ix;
} unit_site_t;


static int setup(void **state);
static int teardown(void **state);
static void answer(blog_answer_t *a, unit_site_t *s, const char *uri,
    const char *args, unsigned flags, unsigned indexed);
static void test_answer_not_below(void **state);
static void test_answer_redirects(void **state);
static void test_answer_before_index(void **state);
static void test_answer_indexed(void **state);
static void test_answer_old_urls(void **state);
static void test_answer_encoded_slash(void **state);
static void test_answer_root_denied(void **state);
static void test_answer_file(void **state);
static void test_file_etag(void **state);


#define UNIT_MARKDOWN  1
#define UNIT_ENCODED   2


static int
setup(void **state)
{
    unit_site_t     *s;
    blog_options_t   opts = BLOG_DEFAULT_OPTIONS;

    s = calloc(1, sizeof(unit_site_t));
    if (s == NULL) {
        return -1;
    }

    unit_mkdtemp(s->root, sizeof(s->root));
    s->opts = opts;

    unit_write(s->root, "hello.md", "---\ntitle: Hello\ndate: 2025-01-02\n"
               "aliases: [/old/hello/, was-hello.html]\n---\nHi.\n");
    unit_write(s->root, "moved.md", "---\ntitle: Moved\ndate: 2024-01-02\n"
               "redirect: https://example.org/elsewhere/\n---\n");
    unit_write(s->root, "trip/index.md", "---\ntitle: Trip\n"
               "date: 2023-01-02\n---\n![map](map.png)\n");
    unit_write(s->root, "trip/map.png", "PNG");

    s->ix = blog_index_build(s->root, &s->opts, NULL, UNIT_NOW);
    if (s->ix == NULL) {
        return -1;
    }

    *state = s;

    return 0;
}


static int
teardown(void **state)
{
    unit_site_t  *s = *state;

    blog_index_release(s->ix);
    unit_rmrf(s->root);
    free(s);

    return 0;
}


/* the answer to uri (and args) below "/blog", before or with the index */

static void
answer(blog_answer_t *a, unit_site_t *s, const char *uri, const char *args,
    unsigned flags, unsigned indexed)
{
    blog_request_t  rq;

    memset(&rq, 0, sizeof(blog_request_t));

    rq.prefix.data = (u_char *) "/blog";
    rq.prefix.len = 5;
    rq.uri.data = (u_char *) uri;
    rq.uri.len = strlen(uri);
    rq.args.data = (u_char *) args;
    rq.args.len = args != NULL ? strlen(args) : 0;
    rq.markdown = (flags & UNIT_MARKDOWN) ? 1 : 0;
    rq.encoded_slash = (flags & UNIT_ENCODED) ? 1 : 0;

    assert_int_equal(blog_answer_route(a, &rq, indexed ? s->ix : NULL),
                     BLOG_OK);

    if (indexed && a->kind == BLOG_ANSWER_INDEX) {
        assert_int_equal(blog_answer_indexed(a, &rq, s->ix), BLOG_OK);
    }
}


static void
test_answer_not_below(void **state)
{
    blog_answer_t  a;

    /* the server matched "/blog": "/blogx" is not the blog's */
    answer(&a, *state, "/blogx", NULL, 0, 1);
    assert_int_equal(a.kind, BLOG_ANSWER_NOT_FOUND);
    blog_answer_free(&a);

    answer(&a, *state, "/blo", NULL, 0, 1);
    assert_int_equal(a.kind, BLOG_ANSWER_NOT_FOUND);
    blog_answer_free(&a);
}


static void
test_answer_redirects(void **state)
{
    blog_answer_t  a;

    answer(&a, *state, "/blog", NULL, 0, 0);
    assert_int_equal(a.kind, BLOG_ANSWER_MOVED);
    assert_bstr_equal(a.location, "/blog/");
    blog_answer_free(&a);

    /* the query is kept as it was sent */
    answer(&a, *state, "/blog", "a=1&b=%20", 0, 0);
    assert_bstr_equal(a.location, "/blog/?a=1&b=%20");
    blog_answer_free(&a);

    answer(&a, *state, "/blog/hello", "x=y", 0, 0);
    assert_int_equal(a.kind, BLOG_ANSWER_MOVED);
    assert_bstr_equal(a.location, "/blog/hello/?x=y");
    blog_answer_free(&a);

    /* the decoded path is escaped again */
    answer(&a, *state, "/blog/caf\xc3\xa9 #1?%", NULL, 0, 0);
    assert_int_equal(a.kind, BLOG_ANSWER_MOVED);
    assert_bstr_equal(a.location, "/blog/caf%C3%A9%20%231%3F%25/");
    blog_answer_free(&a);

    /* a name with a backslash is none: the 404 page, not a redirect */
    answer(&a, *state, "/blog/\\evil.example", NULL, 0, 0);
    assert_int_equal(a.kind, BLOG_ANSWER_INDEX);
    assert_int_equal(a.route.kind, BLOG_ROUTE_NOT_FOUND);
    blog_answer_free(&a);
}


static void
test_answer_before_index(void **state)
{
    blog_answer_t  a;

    answer(&a, *state, "/blog/", NULL, 0, 0);
    assert_int_equal(a.kind, BLOG_ANSWER_INDEX);
    assert_int_equal(a.route.kind, BLOG_ROUTE_INDEX);
    blog_answer_free(&a);

    answer(&a, *state, "/blog/hello/", NULL, 0, 0);
    assert_int_equal(a.kind, BLOG_ANSWER_INDEX);
    assert_int_equal(a.route.kind, BLOG_ROUTE_POST);
    blog_answer_free(&a);

    /* an asset needs no index */
    answer(&a, *state, "/blog/assets/style.css", NULL, 0, 0);
    assert_int_equal(a.kind, BLOG_ANSWER_ASSET);
    assert_bstr_equal(a.route.file, "style.css");
    blog_answer_free(&a);
}


static void
test_answer_indexed(void **state)
{
    blog_answer_t  a;

    answer(&a, *state, "/blog/hello/", NULL, 0, 1);
    assert_int_equal(a.kind, BLOG_ANSWER_PAGE);
    assert_int_equal(a.vary_accept, 1);
    blog_answer_free(&a);

    answer(&a, *state, "/blog/hello/", NULL, UNIT_MARKDOWN, 1);
    assert_int_equal(a.kind, BLOG_ANSWER_SOURCE);
    assert_int_equal(a.vary_accept, 1);
    blog_answer_free(&a);

    /* a post whose front matter says where it went */
    answer(&a, *state, "/blog/moved/", NULL, 0, 1);
    assert_int_equal(a.kind, BLOG_ANSWER_MOVED);
    assert_bstr_equal(a.location, "https://example.org/elsewhere/");
    blog_answer_free(&a);

    answer(&a, *state, "/blog/trip/map.png", NULL, 0, 1);
    assert_int_equal(a.kind, BLOG_ANSWER_BUNDLE_FILE);
    assert_bstr_equal(a.route.file, "map.png");
    blog_answer_free(&a);

    /* no such post, tag listing, a missing asset: pages */
    answer(&a, *state, "/blog/nope/", NULL, 0, 1);
    assert_int_equal(a.kind, BLOG_ANSWER_PAGE);
    blog_answer_free(&a);

    answer(&a, *state, "/blog/tags/", NULL, 0, 1);
    assert_int_equal(a.kind, BLOG_ANSWER_PAGE);
    assert_int_equal(a.vary_accept, 0);
    blog_answer_free(&a);
}


static void
test_answer_old_urls(void **state)
{
    blog_answer_t  a;

    answer(&a, *state, "/blog/was-hello.html", NULL, 0, 1);
    assert_int_equal(a.kind, BLOG_ANSWER_MOVED);
    assert_bstr_equal(a.location, "/blog/hello/");
    blog_answer_free(&a);

    /* below the blog, with the index known before the route waits */
    answer(&a, *state, "/blog/was-hello.html", NULL, 0, 0);
    assert_int_equal(a.kind, BLOG_ANSWER_MOVED);
    assert_bstr_equal(a.location, "/blog/was-hello.html/");
    blog_answer_free(&a);
}


static void
test_answer_encoded_slash(void **state)
{
    blog_answer_t  a;

    /* "hello%2F" decodes to "hello/", which names no page */
    answer(&a, *state, "/blog/hello/", NULL, UNIT_ENCODED, 1);
    assert_int_equal(a.kind, BLOG_ANSWER_PAGE);
    assert_int_equal(a.route.kind, BLOG_ROUTE_NOT_FOUND);
    blog_answer_free(&a);
}


static void
test_answer_root_denied(void **state)
{
    unit_site_t    *s = *state;
    blog_answer_t   a;

    s->ix->root_denied = 1;
    answer(&a, s, "/blog/hello/", NULL, 0, 1);
    s->ix->root_denied = 0;

    assert_int_equal(a.kind, BLOG_ANSWER_UNAVAILABLE);
    blog_answer_free(&a);
}


static void
test_answer_file(void **state)
{
    unit_site_t    *s = *state;
    char            want[160];
    const char     *bad[] = { ".hidden", "index.md", "notes.markdown",
                              "x.swp", "x~", "#x#", "y.BAK", "z.tmp" };
    size_t          i;
    blog_buf_t      path;
    blog_answer_t   a;

    blog_buf_init(&path);

    /* the Markdown of a post */
    answer(&a, s, "/blog/hello/", NULL, UNIT_MARKDOWN, 1);
    assert_int_equal(blog_answer_file(&path, s->ix, &a), BLOG_OK);
    assert_string_equal((char *) path.data + s->ix->root_len, "/hello.md");
    assert_int_equal(path.len, strlen((char *) path.data));
    blog_answer_free(&a);

    /* a file beside a bundle's index.md */
    path.len = 0;
    answer(&a, s, "/blog/trip/map.png", NULL, 0, 1);
    assert_int_equal(blog_answer_file(&path, s->ix, &a), BLOG_OK);
    snprintf(want, sizeof(want), "/trip/map.png");
    assert_string_equal((char *) path.data + s->ix->root_len, want);
    blog_answer_free(&a);

    /* never its source, a dotfile or a backup */
    for (i = 0; i < UNIT_ARRAY(bad); i++) {
        snprintf(want, sizeof(want), "/blog/trip/%s", bad[i]);
        answer(&a, s, want, NULL, 0, 1);
        assert_int_equal(a.kind, BLOG_ANSWER_BUNDLE_FILE);
        assert_int_equal(blog_answer_file(&path, s->ix, &a), BLOG_DECLINED);
        blog_answer_free(&a);
    }

    /* a plain post shares its folder: no files beside it */
    answer(&a, s, "/blog/hello/x.png", NULL, 0, 1);
    assert_int_equal(a.kind, BLOG_ANSWER_BUNDLE_FILE);
    assert_int_equal(blog_answer_file(&path, s->ix, &a), BLOG_DECLINED);
    blog_answer_free(&a);

    blog_buf_free(&path);
}


static void
test_file_etag(void **state)
{
    blog_buf_t  b;

    blog_buf_init(&b);
    blog_file_etag(&b, 1780704000, 1234);
    assert_string_equal(unit_buf_str(&b), "\"6a236300-4d2\"");
    blog_buf_free(&b);
}


int
main(void)
{
    const struct CMUnitTest  tests[] = {
        cmocka_unit_test_setup_teardown(test_answer_not_below, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_answer_redirects, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_answer_before_index, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_answer_indexed, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_answer_old_urls, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_answer_encoded_slash, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_answer_root_denied, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_answer_file, setup, teardown),
        cmocka_unit_test(test_file_etag),
    };

    blog_date_init();

    return cmocka_run_group_tests(tests, NULL, NULL);
}
