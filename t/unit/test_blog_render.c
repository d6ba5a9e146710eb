
/*
 * blog_render.c, the post page: a content folder under /tmp, its index and
 * the default theme read from templates/ (the tests run from the top of
 * the tree, as "make unit" runs them), rendered as a visitor would get
 * P/SLUG/: the escaped title, the date, the reading time, tag links, the
 * body and the links to the neighbouring posts.
 */


#include "unit.h"


#define UNIT_TEMPLATES  "templates"

/* 2026-06-06 00:00:00 UTC */
#define UNIT_NOW        1780704000


typedef struct {
    char            root[64];
    blog_options_t  opts;
    blog_site_t     site;
    blog_theme_t   *theme;
    blog_index_t   *ix;
} unit_blog_t;


static int setup(void **state);
static int teardown(void **state);
static void load_theme(unit_blog_t *u);
static void reindex(unit_blog_t *u);
static const char *render(unit_blog_t *u, const char *uri,
    blog_page_t *page);
static void test_post_title_escaped(void **state);
static void test_post_date_reading_time(void **state);
static void test_post_tag_links(void **state);
static void test_post_body_safe(void **state);
static void test_post_body_raw(void **state);
static void test_post_neighbours(void **state);
static void test_post_neighbours_at_the_ends(void **state);
static void test_post_alone(void **state);
static void test_post_canonical_json_ld(void **state);
static void test_post_reads_the_file_again(void **state);
static void test_post_not_found(void **state);
static void test_post_site_unset(void **state);
static void test_summary_cut(void **state);
static void test_escape_json(void **state);


static int
setup(void **state)
{
    unit_blog_t  *u;

    u = calloc(1, sizeof(unit_blog_t));
    if (u == NULL) {
        return -1;
    }

    unit_mkdtemp(u->root, sizeof(u->root));

    u->opts.words_per_minute = 200;
    u->opts.max_post_size = 1024 * 1024;
    u->opts.max_front_matter = 16384;
    u->opts.max_depth = 8;

    u->site.title.data = (u_char *) "My & Blog";
    u->site.title.len = sizeof("My & Blog") - 1;
    u->site.description.data = (u_char *) "Notes";
    u->site.description.len = 5;
    u->site.author.data = (u_char *) "Ann";
    u->site.author.len = 3;
    u->site.base_url.data = (u_char *) "https://example.com";
    u->site.base_url.len = sizeof("https://example.com") - 1;
    u->site.prefix.data = (u_char *) "/blog";
    u->site.prefix.len = 5;
    u->site.home_url.data = (u_char *) "/";
    u->site.home_url.len = 1;
    u->site.posts_per_page = 20;
    u->site.summary_length = 180;
    u->site.opts = &u->opts;

    load_theme(u);
    u->site.theme = u->theme;

    /* three posts, newest last here */

    unit_write(u->root, "older.md",
               "---\ntitle: Old <1>\ndate: 2026-01-01\n---\nOld.\n");
    unit_write(u->root, "a.md",
               "---\n"
               "title: Tom & \"Jerry\" <3\n"
               "description: A <b>cat</b> & mouse story\n"
               "date: 2026-06-05 14:30:00 +0200\n"
               "tags: [C++, Caf\xc3\xa9, Next.js]\n"
               "reading_time: 4\n"
               "---\n"
               "Hello *world*\n\n"
               "<script>alert(1)</script>\n");
    unit_write(u->root, "newer.md",
               "---\ntitle: New\ndate: 2026-06-05 20:00\n---\nNew.\n");

    reindex(u);

    *state = u;

    return 0;
}


static int
teardown(void **state)
{
    unit_blog_t  *u = *state;

    blog_index_release(u->ix);
    blog_theme_free(u->theme);
    unit_rmrf(u->root);
    free(u);

    return 0;
}


static void
load_theme(unit_blog_t *u)
{
    DIR                    *dir;
    char                    path[512];
    blog_buf_t              text;
    const char             *reason, *missing;
    struct dirent          *de;
    blog_file_id_t          id;
    blog_problem_detail_t   pd;

    u->theme = blog_theme_create();
    assert_non_null(u->theme);

    dir = opendir(UNIT_TEMPLATES);
    if (dir == NULL) {
        fail_msg("%s: %s (run from the top of the tree)", UNIT_TEMPLATES,
                 strerror(errno));
    }

    blog_buf_init(&text);

    while ((de = readdir(dir)) != NULL) {
        if (de->d_name[0] == '.' || strncmp(de->d_name, "README", 6) == 0
            || de->d_type == DT_DIR)
        {
            continue;
        }

        snprintf(path, sizeof(path), "%s/%s", UNIT_TEMPLATES, de->d_name);

        text.len = 0;

        if (blog_file_read(path, 1024 * 1024, &text, &id, &reason)
            != BLOG_OK)
        {
            fail_msg("%s: %s", path, reason);
        }

        memset(&pd, 0, sizeof(pd));

        if (blog_theme_add(u->theme, de->d_name, text.data, text.len, &pd)
            != BLOG_OK)
        {
            fail_msg("%s:%u: %s", path, pd.line,
                     pd.reason != NULL ? pd.reason : "(no reason)");
        }
    }

    closedir(dir);
    blog_buf_free(&text);

    missing = blog_theme_check(u->theme);
    if (missing != NULL) {
        fail_msg("the theme lacks \"%s\"", missing);
    }
}


static void
reindex(unit_blog_t *u)
{
    blog_index_t  *ix;

    ix = blog_index_build(u->root, &u->opts, u->ix, UNIT_NOW);
    assert_non_null(ix);

    blog_index_release(u->ix);
    u->ix = ix;
}


/* renders a path below the prefix; the caller frees page->body */

static const char *
render(unit_blog_t *u, const char *uri, blog_page_t *page)
{
    blog_route_t  rt;

    blog_route_parse(&rt, (const u_char *) uri, strlen(uri));

    if (blog_render(page, &u->site, u->ix, &rt, UNIT_NOW) != BLOG_OK) {
        fail_msg("rendering \"%s\" failed", uri);
    }

    return unit_buf_str(&page->body);
}


static void
test_post_title_escaped(void **state)
{
    const char   *html;
    unit_blog_t  *u = *state;
    blog_page_t   page;

    html = render(u, "a/", &page);

    assert_int_equal(page.status, 200);
    assert_string_equal(page.content_type, "text/html; charset=utf-8");

    assert_contains(html, "<h1 class=\"post-title\">"
                          "Tom &amp; &quot;Jerry&quot; &lt;3</h1>");
    assert_contains(html, "<title>Tom &amp; &quot;Jerry&quot; &lt;3 "
                          "\xc2\xb7 My &amp; Blog</title>");
    assert_contains(html, "content=\"A &lt;b&gt;cat&lt;/b&gt; &amp; mouse "
                          "story\"");
    assert_not_contains(html, "Tom & ");
    assert_not_contains(html, "<3");
    assert_not_contains(html, "<b>cat</b>");

    blog_buf_free(&page.body);
}


static void
test_post_date_reading_time(void **state)
{
    const char   *html;
    unit_blog_t  *u = *state;
    blog_page_t   page;

    html = render(u, "a/", &page);

    assert_contains(html, "<time datetime=\"2026-06-05T14:30:00+02:00\">"
                          "Jun 5, 2026</time>");
    assert_contains(html, "<span class=\"reading-time\">4 min read</span>");

    blog_buf_free(&page.body);
}


static void
test_post_tag_links(void **state)
{
    const char   *html;
    unit_blog_t  *u = *state;
    blog_page_t   page;

    html = render(u, "a/", &page);

    assert_contains(html, "<a class=\"tag\" href=\"/blog/tags/c%2B%2B/\">"
                          "C++</a>");
    assert_contains(html, "<a class=\"tag\" href=\"/blog/tags/caf%C3%A9/\">"
                          "Caf\xc3\xa9</a>");
    assert_contains(html, "<a class=\"tag\" href=\"/blog/tags/next-js/\">"
                          "Next.js</a>");

    blog_buf_free(&page.body);
}


static void
test_post_body_safe(void **state)
{
    const char   *html;
    unit_blog_t  *u = *state;
    blog_page_t   page;

    html = render(u, "a/", &page);

    assert_contains(html, "<div class=\"post-body\">\n"
                          "<p>Hello <em>world</em></p>\n");
    assert_contains(html, "<!-- raw HTML omitted -->");
    assert_not_contains(html, "alert(1)");

    blog_buf_free(&page.body);
}


static void
test_post_body_raw(void **state)
{
    const char   *html;
    unit_blog_t  *u = *state;
    blog_page_t   page;

    u->site.raw_html = 1;

    html = render(u, "a/", &page);

    /* raw, but through GitHub's tag filter */

    assert_contains(html, "&lt;script>alert(1)&lt;/script>");
    assert_not_contains(html, "<script>alert(1)");
    assert_not_contains(html, "raw HTML omitted");

    blog_buf_free(&page.body);
}


static void
test_post_neighbours(void **state)
{
    const char   *html;
    unit_blog_t  *u = *state;
    blog_page_t   page;

    html = render(u, "a/", &page);

    assert_contains(html, "<nav class=\"post-nav\"");
    assert_contains(html, "<a rel=\"prev\" href=\"/blog/older/\">");
    assert_contains(html, "<a rel=\"next\" href=\"/blog/newer/\">");
    assert_contains(html, " Old &lt;1&gt;</a>");
    assert_not_contains(html, "Old <1>");

    blog_buf_free(&page.body);
}


static void
test_post_neighbours_at_the_ends(void **state)
{
    const char   *html;
    unit_blog_t  *u = *state;
    blog_page_t   page;

    html = render(u, "newer/", &page);
    assert_contains(html, "rel=\"prev\" href=\"/blog/a/\"");
    assert_not_contains(html, "rel=\"next\"");
    blog_buf_free(&page.body);

    html = render(u, "older/", &page);
    assert_contains(html, "rel=\"next\" href=\"/blog/a/\"");
    assert_not_contains(html, "rel=\"prev\"");
    blog_buf_free(&page.body);
}


static void
test_post_alone(void **state)
{
    char          path[128];
    const char   *html;
    unit_blog_t  *u = *state;
    blog_page_t   page;

    snprintf(path, sizeof(path), "%s/older.md", u->root);
    assert_int_equal(unlink(path), 0);
    snprintf(path, sizeof(path), "%s/newer.md", u->root);
    assert_int_equal(unlink(path), 0);

    reindex(u);
    assert_int_equal(u->ix->nentries, 1);

    html = render(u, "a/", &page);

    assert_int_equal(page.status, 200);
    assert_not_contains(html, "post-nav");
    assert_not_contains(html, "rel=\"prev\"");
    assert_not_contains(html, "rel=\"next\"");

    blog_buf_free(&page.body);
}


static void
test_post_canonical_json_ld(void **state)
{
    const char   *html;
    unit_blog_t  *u = *state;
    blog_page_t   page;

    html = render(u, "a/", &page);

    assert_contains(html, "<link rel=\"canonical\" "
                          "href=\"https://example.com/blog/a/\">");
    assert_contains(html, "<script type=\"application/ld+json\">");
    assert_contains(html, "\"headline\":\"Tom \\u0026 \\\"Jerry\\\" "
                          "\\u003c3\"");
    assert_contains(html, "\"datePublished\":\"2026-06-05T14:30:00+02:00\"");
    assert_contains(html, "\"keywords\":[\"C++\",\"Caf\xc3\xa9\","
                          "\"Next.js\"]");

    blog_buf_free(&page.body);
}


/*
 * A file changed since the index read it is not shown: the page says it
 * is stale, for the server to scan again; after that scan the site takes
 * the file as it is, once it has settled.
 */

static void
test_post_reads_the_file_again(void **state)
{
    const char   *html;
    unit_blog_t  *u = *state;
    blog_page_t   page;

    unit_write(u->root, "a.md", "---\ntitle: Second thoughts\n"
                                "date: 2026-06-05 14:30:00 +0200\n---\n"
                                "Changed.\n");

    html = render(u, "a/", &page);

    assert_true(page.stale);
    assert_int_equal(page.status, 404);
    assert_not_contains(html, "Second thoughts");

    blog_buf_free(&page.body);

    u->site.as_is = 1;

    html = render(u, "a/", &page);

    u->site.as_is = 0;

    assert_false(page.stale);
    assert_int_equal(page.status, 200);
    assert_contains(html, "<h1 class=\"post-title\">Second thoughts</h1>");
    assert_contains(html, "<p>Changed.</p>");
    assert_not_contains(html, "Jerry");

    blog_buf_free(&page.body);
}


static void
test_post_not_found(void **state)
{
    char          path[128];
    const char   *html;
    unit_blog_t  *u = *state;
    blog_page_t   page;

    html = render(u, "nope/", &page);
    assert_int_equal(page.status, 404);
    assert_contains(html, "Page not found");
    assert_not_contains(html, "post-title");
    blog_buf_free(&page.body);

    /* gone since the index was built */

    snprintf(path, sizeof(path), "%s/a.md", u->root);
    assert_int_equal(unlink(path), 0);

    html = render(u, "a/", &page);
    assert_int_equal(page.status, 404);
    assert_not_contains(html, "Jerry");
    blog_buf_free(&page.body);
}


/* blog_description and blog_author unset: no empty "by" line, no error */

static void
test_post_site_unset(void **state)
{
    const char   *html;
    blog_str_t    null = blog_null_string;
    unit_blog_t  *u = *state;
    blog_page_t   page;

    u->site.description = null;
    u->site.author = null;

    html = render(u, "a/", &page);

    assert_int_equal(page.status, 200);
    assert_contains(html, "<h1 class=\"post-title\">");
    assert_not_contains(html, "Ann");
    assert_not_contains(html, "\"author\"");

    blog_buf_free(&page.body);
}


static void
test_summary_cut(void **state)
{
    blog_buf_t  b;
    blog_str_t  s = blog_string("caf\xc3\xa9 au lait");

    blog_buf_init(&b);

    blog_summary_cut(&b, &s, 100);
    assert_string_equal(unit_buf_str(&b), "caf\xc3\xa9 au lait");

    /* characters, not bytes: the "é" is whole */

    b.len = 0;
    blog_summary_cut(&b, &s, 4);
    assert_string_equal(unit_buf_str(&b), "caf\xc3\xa9...");

    /* at the count, as the reference page cuts: "and es..." */

    b.len = 0;
    blog_summary_cut(&b, &s, 11);
    assert_string_equal(unit_buf_str(&b), "caf\xc3\xa9 au lai...");

    b.len = 0;
    blog_summary_cut(&b, &s, 12);
    assert_string_equal(unit_buf_str(&b), "caf\xc3\xa9 au lait");

    blog_buf_free(&b);
}


static void
test_escape_json(void **state)
{
    blog_buf_t   b;
    const char  *s = "a\"b\\c\nd</script>&\x01";

    blog_buf_init(&b);

    blog_escape_json(&b, (const u_char *) s, strlen(s));
    assert_string_equal(unit_buf_str(&b),
                        "a\\\"b\\\\c\\nd\\u003c/script\\u003e\\u0026\\u0001");

    blog_buf_free(&b);
}


int
main(void)
{
    const struct CMUnitTest  tests[] = {
        cmocka_unit_test_setup_teardown(test_post_title_escaped, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_post_date_reading_time, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_post_tag_links, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_post_body_safe, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_post_body_raw, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_post_neighbours, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_post_neighbours_at_the_ends,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_post_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_post_canonical_json_ld, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_post_reads_the_file_again,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_post_not_found, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_post_site_unset, setup,
                                        teardown),
        cmocka_unit_test(test_summary_cut),
        cmocka_unit_test(test_escape_json),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
