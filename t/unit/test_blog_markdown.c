
/*
 * blog_markdown.c: CommonMark to HTML, safe by default (raw HTML and
 * javascript: links dropped), raw when blog_raw_html is on.
 */


#include "unit.h"


static const char *render(blog_buf_t *b, const char *md, unsigned raw);
static void test_md_heading(void **state);
static void test_md_list(void **state);
static void test_md_code_language(void **state);
static void test_md_safe_drops_html(void **state);
static void test_md_safe_drops_javascript_link(void **state);
static void test_md_raw_keeps_html(void **state);
static void test_md_appends(void **state);
static void test_md_controls(void **state);


static const char *
render(blog_buf_t *b, const char *md, unsigned raw)
{
    blog_buf_free(b);

    assert_int_equal(blog_markdown_html(b, (const u_char *) md, strlen(md),
                                        raw),
                     BLOG_OK);

    return unit_buf_str(b);
}


static void
test_md_heading(void **state)
{
    blog_buf_t  b;

    blog_buf_init(&b);

    assert_string_equal(render(&b, "# Hello & *world*\n", 0),
                        "<h1>Hello &amp; <em>world</em></h1>\n");
    assert_string_equal(render(&b, "Title\n-----\n\ntext", 0),
                        "<h2>Title</h2>\n<p>text</p>\n");

    blog_buf_free(&b);
}


static void
test_md_list(void **state)
{
    blog_buf_t  b;

    blog_buf_init(&b);

    assert_string_equal(render(&b, "- one\n- two\n", 0),
                        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n");
    assert_string_equal(render(&b, "1. a\n2. b\n", 0),
                        "<ol>\n<li>a</li>\n<li>b</li>\n</ol>\n");

    blog_buf_free(&b);
}


static void
test_md_code_language(void **state)
{
    blog_buf_t  b;

    blog_buf_init(&b);

    assert_string_equal(render(&b, "```c\nint a = 1 < 2;\n```\n", 0),
                        "<pre><code class=\"language-c\">"
                        "int a = 1 &lt; 2;\n</code></pre>\n");
    assert_string_equal(render(&b, "```\nplain\n```\n", 0),
                        "<pre><code>plain\n</code></pre>\n");

    blog_buf_free(&b);
}


static void
test_md_safe_drops_html(void **state)
{
    const char  *html;
    blog_buf_t   b;

    blog_buf_init(&b);

    html = render(&b, "Before\n\n<script>alert(1)</script>\n\n"
                      "Inline <b onclick=\"x()\">bold</b>.\n", 0);

    assert_not_contains(html, "<script");
    assert_not_contains(html, "alert(1)");
    assert_not_contains(html, "onclick");
    assert_contains(html, "<!-- raw HTML omitted -->");
    assert_contains(html, "<p>Before</p>");

    blog_buf_free(&b);
}


static void
test_md_safe_drops_javascript_link(void **state)
{
    const char  *html;
    blog_buf_t   b;

    blog_buf_init(&b);

    html = render(&b, "[click](javascript:alert(1)) "
                      "[ok](https://example.com/)\n", 0);

    assert_not_contains(html, "javascript:");
    assert_contains(html, "<a href=\"\">click</a>");
    assert_contains(html, "<a href=\"https://example.com/\">ok</a>");

    blog_buf_free(&b);
}


static void
test_md_raw_keeps_html(void **state)
{
    const char  *html;
    blog_buf_t   b;

    blog_buf_init(&b);

    html = render(&b, "Before\n\n<script>alert(1)</script>\n\n"
                      "<figure>x</figure>\n", 1);

    assert_contains(html, "<script>alert(1)</script>");
    assert_contains(html, "<figure>x</figure>");
    assert_not_contains(html, "raw HTML omitted");

    blog_buf_free(&b);
}


/* the HTML goes after what the page writer has already put in */

static void
test_md_appends(void **state)
{
    blog_buf_t  b;

    blog_buf_init(&b);
    blog_buf_adds(&b, "<div>");

    assert_int_equal(blog_markdown_html(&b, (const u_char *) "x", 1, 0),
                     BLOG_OK);
    assert_string_equal(unit_buf_str(&b), "<div><p>x</p>\n");

    blog_buf_free(&b);
}


/* the HTML goes into the Atom feed too: no character XML forbids */

static void
test_md_controls(void **state)
{
    blog_buf_t  b;

    blog_buf_init(&b);

    assert_string_equal(render(&b, "Hi\x04 there\n", 0),
                        "<p>Hi\xef\xbf\xbd there</p>\n");
    assert_string_equal(render(&b, "`a\x1b[0m` \xef\xbf\xbf\n", 1),
                        "<p><code>a\xef\xbf\xbd[0m</code> \xef\xbf\xbd</p>\n");

    blog_buf_free(&b);
}


int
main(void)
{
    const struct CMUnitTest  tests[] = {
        cmocka_unit_test(test_md_heading),
        cmocka_unit_test(test_md_list),
        cmocka_unit_test(test_md_code_language),
        cmocka_unit_test(test_md_safe_drops_html),
        cmocka_unit_test(test_md_safe_drops_javascript_link),
        cmocka_unit_test(test_md_raw_keeps_html),
        cmocka_unit_test(test_md_appends),
        cmocka_unit_test(test_md_controls),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
