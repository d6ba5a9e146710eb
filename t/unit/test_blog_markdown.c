
/*
 * blog_markdown.c: GitHub-flavoured Markdown to HTML, safe by default (raw
 * HTML and javascript: links dropped), raw but tag-filtered when
 * blog_raw_html is on; heading ids, anchors, contents, footnote ids.
 */


#include "unit.h"


static const char *render(blog_buf_t *b, const char *md, unsigned raw);
static const char *render_with(blog_buf_t *b, const char *md,
    blog_markdown_t *mo);
static void test_md_heading(void **state);
static void test_md_list(void **state);
static void test_md_code_language(void **state);
static void test_md_safe_drops_html(void **state);
static void test_md_safe_drops_javascript_link(void **state);
static void test_md_raw_keeps_html(void **state);
static void test_md_appends(void **state);
static void test_md_controls(void **state);
static void test_md_heading_ids(void **state);
static void test_md_heading_explicit_id(void **state);
static void test_md_heading_ids_unique(void **state);
static void test_md_heading_anchor(void **state);
static void test_md_toc(void **state);
static void test_md_gfm(void **state);
static void test_md_footnotes(void **state);
static void test_md_commonmark(void **state);
static void test_md_raw_tagfilter(void **state);
static void test_md_budget(void **state);


static const char *
render(blog_buf_t *b, const char *md, unsigned raw)
{
    blog_markdown_t  mo;

    memset(&mo, 0, sizeof(blog_markdown_t));
    mo.raw_html = raw;

    return render_with(b, md, &mo);
}


static const char *
render_with(blog_buf_t *b, const char *md, blog_markdown_t *mo)
{
    blog_buf_free(b);

    assert_int_equal(blog_markdown_html(b, (const u_char *) md, strlen(md),
                                        mo),
                     BLOG_OK);

    return unit_buf_str(b);
}


static void
test_md_heading(void **state)
{
    blog_buf_t  b;

    blog_buf_init(&b);

    assert_string_equal(render(&b, "# Hello & *world*\n", 0),
                        "<h1 id=\"hello--world\">Hello &amp; "
                        "<em>world</em></h1>\n");
    assert_string_equal(render(&b, "Title\n-----\n\ntext", 0),
                        "<h2 id=\"title\">Title</h2>\n<p>text</p>\n");

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

    /* a language no highlighter knows keeps its name for themes */

    assert_string_equal(render(&b, "```klingon x\nint a = 1 < 2;\n```\n", 0),
                        "<pre tabindex=\"0\"><code class=\"language-klingon\">"
                        "int a = 1 &lt; 2;\n</code></pre>\n");
    assert_string_equal(render(&b, "```\nplain\n```\n", 0),
                        "<pre tabindex=\"0\"><code>plain\n</code></pre>\n");
    assert_string_equal(render(&b, "    indented <\n", 0),
                        "<pre tabindex=\"0\"><code>indented &lt;\n"
                        "</code></pre>\n");

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

    html = render(&b, "Before\n\n<aside onclick=\"x()\">y</aside>\n\n"
                      "<figure>x</figure>\n", 1);

    assert_contains(html, "<aside onclick=\"x()\">y</aside>");
    assert_contains(html, "<figure>x</figure>");
    assert_not_contains(html, "raw HTML omitted");

    blog_buf_free(&b);
}


/* the HTML goes after what the page writer has already put in */

static void
test_md_appends(void **state)
{
    blog_buf_t       b;
    blog_markdown_t  mo;

    blog_buf_init(&b);
    blog_buf_adds(&b, "<div>");
    memset(&mo, 0, sizeof(blog_markdown_t));

    assert_int_equal(blog_markdown_html(&b, (const u_char *) "x", 1, &mo),
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


static void
test_md_heading_ids(void **state)
{
    blog_buf_t  b;

    blog_buf_init(&b);

    /* GitHub's and Hugo's slugs */

    assert_contains(render(&b, "## Start with the plan, not a guess\n", 0),
                    "<h2 id=\"start-with-the-plan-not-a-guess\">");
    assert_contains(render(&b, "### The `ngx_str_t` type: 2.0!\n", 0),
                    "<h3 id=\"the-ngx_str_t-type-20\">The <code>ngx_str_t"
                    "</code> type: 2.0!</h3>");
    assert_contains(render(&b, "## \xc3\x9c" "ber \xe2\x80\x94 caf\xc3\xa9 "
                               "\xf0\x9f\x9a\x80\n", 0),
                    "<h2 id=\"\xc3\xbc" "ber--caf\xc3\xa9-\">");
    assert_contains(render(&b, "## [A link](https://x.org/) here\n", 0),
                    "<h2 id=\"a-link-here\">");

    /* nothing left of the text: a name all the same */

    assert_contains(render(&b, "## ???\n", 0), "<h2 id=\"section\">");

    blog_buf_free(&b);
}


static void
test_md_heading_explicit_id(void **state)
{
    const char       *html;
    blog_buf_t        b;
    blog_markdown_t   mo;

    blog_buf_init(&b);

    assert_string_equal(render(&b, "## Title {#my-id}\n", 0),
                        "<h2 id=\"my-id\">Title</h2>\n");

    /* "_" splits cmark's text nodes: the id is read across them */

    assert_string_equal(render(&b, "## Some *thing* {#a_b_c}  \n", 0),
                        "<h2 id=\"a_b_c\">Some <em>thing</em></h2>\n");

    /* not an id: kept as text, and slugged */

    html = render(&b, "## Set {# x} and {#}\n", 0);
    assert_contains(html, "<h2 id=\"set--x-and-\">Set {# x} and {#}</h2>");

    /* CommonMark alone does not know the syntax */

    memset(&mo, 0, sizeof(blog_markdown_t));
    mo.dialect = BLOG_MARKDOWN_COMMONMARK;

    html = render_with(&b, "## Title {#my-id}\n", &mo);
    assert_contains(html, "<h2 id=\"title-my-id\">Title {#my-id}</h2>");

    blog_buf_free(&b);
}


static void
test_md_heading_ids_unique(void **state)
{
    const char  *html;
    blog_buf_t   b;

    blog_buf_init(&b);

    html = render(&b, "## Notes\n\n## Notes\n\n## Notes-1\n\n## Notes\n\n"
                      "# Content\n", 0);

    assert_contains(html, "<h2 id=\"notes\">");
    assert_contains(html, "<h2 id=\"notes-1\">Notes</h2>");
    assert_contains(html, "<h2 id=\"notes-1-1\">Notes-1</h2>");
    assert_contains(html, "<h2 id=\"notes-2\">Notes</h2>");

    /* the layout's own ids are taken */

    assert_contains(html, "<h1 id=\"content-1\">Content</h1>");

    /* explicit ids are kept unique too */

    html = render(&b, "## A {#x}\n\n## B {#x}\n", 0);
    assert_contains(html, "<h2 id=\"x\">A</h2>");
    assert_contains(html, "<h2 id=\"x-1\">B</h2>");

    blog_buf_free(&b);
}


static void
test_md_heading_anchor(void **state)
{
    blog_buf_t       b;
    blog_markdown_t  mo;

    blog_buf_init(&b);
    memset(&mo, 0, sizeof(blog_markdown_t));
    mo.anchors = 1;

    assert_string_equal(render_with(&b, "## Q & A\n", &mo),
                        "<div class=\"heading\">\n<h2 id=\"q--a\">Q &amp; A"
                        "</h2><a class=\"anchor\" href=\"#q--a\">"
                        "<span aria-hidden=\"true\">#</span>"
                        "<span class=\"visually-hidden\">Section: Q &amp; A"
                        "</span></a>\n</div>\n");

    blog_buf_free(&b);
}


static void
test_md_toc(void **state)
{
    blog_buf_t       b, toc;
    blog_markdown_t  mo;

    blog_buf_init(&b);
    blog_buf_init(&toc);
    memset(&mo, 0, sizeof(blog_markdown_t));
    mo.toc = &toc;

    render_with(&b, "# Title\n\n## One\n\n### One.a\n\n#### Deep `<x>`\n\n"
                    "##### Deeper\n\n### One.b\n\n## Two\n\n"
                    "#### Skipped\n\n## Three\n", &mo);

    assert_string_equal(unit_buf_str(&toc),
                        "<ul>\n"
                        "<li><a href=\"#one\">One</a>\n<ul>\n"
                        "<li><a href=\"#onea\">One.a</a>\n<ul>\n"
                        "<li><a href=\"#deep-x\">Deep &lt;x&gt;</a></li>\n"
                        "</ul>\n</li>\n"
                        "<li><a href=\"#oneb\">One.b</a></li>\n"
                        "</ul>\n</li>\n"
                        "<li><a href=\"#two\">Two</a>\n<ul>\n"
                        "<li><a href=\"#skipped\">Skipped</a></li>\n"
                        "</ul>\n</li>\n"
                        "<li><a href=\"#three\">Three</a></li>\n"
                        "</ul>\n");

    /* t/fuzz/regressions/markdown-toc-control: the contents go into the
     * page too, where no character XML forbids may be */

    toc.len = 0;
    render_with(&b, "a\rb\x0b\n-\n\n## x\x0by {#i\x0b" "d}\n", &mo);
    assert_string_equal(unit_buf_str(&toc),
                        "<ul>\n"
                        "<li><a href=\"#a-b\">a b\xef\xbf\xbd</a></li>\n"
                        "<li><a href=\"#xy-id\">x\xef\xbf\xbdy "
                        "{#i\xef\xbf\xbd" "d}</a></li>\n"
                        "</ul>\n");

    /* no h2-h4: no contents */

    toc.len = 0;
    render_with(&b, "# Only a title\n\ntext\n", &mo);
    assert_int_equal(toc.len, 0);

    blog_buf_free(&toc);
    blog_buf_free(&b);
}


static void
test_md_gfm(void **state)
{
    const char  *html;
    blog_buf_t   b;

    blog_buf_init(&b);

    html = render(&b, "| a | b |\n|---|:-:|\n| 1 | ~~x~~ |\n", 0);

    assert_contains(html, "<div class=\"table\" tabindex=\"0\" "
                          "role=\"region\" aria-label=\"Table\">\n<table>");
    assert_contains(html, "<th style=\"text-align: center\">b</th>");
    assert_contains(html, "<td style=\"text-align: center\"><del>x</del></td>");
    assert_contains(html, "</table>\n</div>");
    assert_not_contains(html, "|");

    html = render(&b, "- [x] done\n- [ ] todo\n\nsee www.example.com or "
                      "https://x.org/a. ~one~\n", 0);

    assert_contains(html, "<input type=\"checkbox\" checked=\"\" "
                          "disabled=\"\" aria-label=\"done\" /> done");
    assert_contains(html, "<input type=\"checkbox\" disabled=\"\" "
                          "aria-label=\"to do\" /> todo");
    assert_contains(html, "<a href=\"http://www.example.com\">"
                          "www.example.com</a>");
    assert_contains(html, "<a href=\"https://x.org/a\">https://x.org/a</a>.");

    /* one tilde is not strikethrough, as in Hugo */

    assert_contains(html, "~one~");

    blog_buf_free(&b);
}


static void
test_md_footnotes(void **state)
{
    const char       *html;
    blog_buf_t        b;
    blog_markdown_t   mo;

    blog_buf_init(&b);
    memset(&mo, 0, sizeof(blog_markdown_t));
    mo.name.data = (u_char *) "My Post";
    mo.name.len = 7;

    html = render_with(&b, "Text[^1] and[^n].\n\n[^1]: Note.\n"
                           "[^n]: Named.\n", &mo);

    assert_contains(html, "<a href=\"#fn-my-post-1\" id=\"fnref-my-post-1\"");
    assert_contains(html, "<a href=\"#fn-my-post-n\" id=\"fnref-my-post-n\"");
    assert_contains(html, "<section class=\"footnotes\"");
    assert_contains(html, "<li id=\"fn-my-post-1\">\n<p>Note. "
                          "<a href=\"#fnref-my-post-1\" "
                          "class=\"footnote-backref\"");
    assert_not_contains(html, "[^");

    /* a footnote without a definition stays as written */

    html = render_with(&b, "Text[^x].\n", &mo);
    assert_contains(html, "<p>Text[^x].</p>");

    blog_buf_free(&b);
}


static void
test_md_commonmark(void **state)
{
    const char       *html;
    blog_buf_t        b;
    blog_markdown_t   mo;

    blog_buf_init(&b);
    memset(&mo, 0, sizeof(blog_markdown_t));
    mo.dialect = BLOG_MARKDOWN_COMMONMARK;

    html = render_with(&b, "| a | b |\n|---|---|\n| 1 | ~~x~~ |\n\n"
                           "Text[^1] www.example.com\n\n[^1]: Note.\n", &mo);

    assert_not_contains(html, "<table");
    assert_not_contains(html, "<del>");
    assert_not_contains(html, "footnote");
    assert_not_contains(html, "http://www.example.com");
    assert_contains(html, "~~x~~");

    blog_buf_free(&b);
}


/* GitHub's tag filter: raw HTML, but no script, iframe, style and so on */

static void
test_md_raw_tagfilter(void **state)
{
    const char  *html;
    blog_buf_t   b;

    blog_buf_init(&b);

    html = render(&b, "<script>alert(1)</script>\n\n<b>ok</b> "
                      "<iframe src=x></iframe>\n", 1);

    assert_contains(html, "&lt;script>alert(1)&lt;/script>");
    assert_contains(html, "&lt;iframe src=x>");
    assert_contains(html, "<b>ok</b>");
    assert_not_contains(html, "<script");

    blog_buf_free(&b);
}


/*
 * Bodies that make cmark-gfm 0.29 build far more than it reads: shown as
 * text, in a bounded time and memory, where cmark would take gigabytes or
 * abort; an ordinary body of the largest size renders.
 */

static void
test_md_budget(void **state)
{
    char             *md, *p;
    size_t            i, n;
    blog_buf_t        b;
    blog_markdown_t   mo;

    memset(&mo, 0, sizeof(blog_markdown_t));
    blog_buf_init(&b);

    md = malloc(1024 * 1024 + 1);
    assert_non_null(md);

    /* a table of n columns and n short rows: n^2 cells */

    n = 64 * 1024 / 6;
    p = md;
    *p++ = '|';
    for (i = 0; i < n; i++) { *p++ = 'x'; *p++ = '|'; }
    *p++ = '\n';
    *p++ = '|';
    for (i = 0; i < n; i++) { *p++ = '-'; *p++ = '|'; }
    *p++ = '\n';
    for (i = 0; i < n; i++) { *p++ = 'a'; *p++ = '\n'; }
    *p = '\0';

    assert_int_equal(blog_markdown_html(&b, (u_char *) md, strlen(md), &mo),
                     BLOG_DECLINED);
    assert_true(strncmp(unit_buf_str(&b), "<pre class=\"source\">|x|x|",
                        24) == 0);
    assert_true(b.len < 2 * strlen(md));

    /* a reference with a long title, used 10,000 times */

    b.len = 0;
    p = md + sprintf(md, "[f]:u\n\"\n");
    for (i = 0; i < 10000; i++) { p += sprintf(p, "[f]\n"); }
    p += sprintf(p, "[f]:u \"t\n");

    assert_int_equal(blog_markdown_html(&b, (u_char *) md, strlen(md), &mo),
                     BLOG_DECLINED);
    assert_contains(unit_buf_str(&b), "[f]:u\n&quot;\n[f]\n[f]\n");

    /* an ordinary post of 1 MB: text, lists, tables, code, links */

    p = md;
    while (p - md < 1024 * 1024 - 512) {
        p += sprintf(p, "## Part %zu\n\nSome *text* with a [link](https://"
                        "example.com/%zu) and `code`.\n\n- one\n- two\n\n"
                        "| a | b |\n|---|---|\n| 1 | 2 |\n\n"
                        "```\nlet x = 1;\n```\n\n", (size_t) (p - md),
                        (size_t) (p - md));
    }

    b.len = 0;
    assert_int_equal(blog_markdown_html(&b, (u_char *) md, strlen(md), &mo),
                     BLOG_OK);
    assert_contains(unit_buf_str(&b), "<h2 id=\"part-0\">Part 0</h2>");

    free(md);
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
        cmocka_unit_test(test_md_heading_ids),
        cmocka_unit_test(test_md_heading_explicit_id),
        cmocka_unit_test(test_md_heading_ids_unique),
        cmocka_unit_test(test_md_heading_anchor),
        cmocka_unit_test(test_md_toc),
        cmocka_unit_test(test_md_gfm),
        cmocka_unit_test(test_md_footnotes),
        cmocka_unit_test(test_md_commonmark),
        cmocka_unit_test(test_md_raw_tagfilter),
        cmocka_unit_test(test_md_budget),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
