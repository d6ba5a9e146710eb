
/*
 * Inputs the fuzzers (t/fuzz/) found to break the core, each fed to the
 * entry point of the target that found it, asserting what should happen
 * instead.  Each case names its input in t/fuzz/regressions/, where the
 * fuzz target can replay it (build/fuzz/fuzz_NAME FILE).
 */


#include "unit.h"


#define UNIT_SUMMARY_SOURCE  65536   /* blog_post.c parses this much */


static unsigned field_line(blog_fm_t *fm, const char *key);
static int post_parse(blog_post_t **post, const u_char *text, size_t len,
    blog_problem_detail_t *pd);
static int xml_text(const blog_str_t *s);
static void assert_xml_post(const char *text);
static void test_front_matter_line_cr(void **state);
static void test_front_matter_line_ls(void **state);
static void test_post_summary_cut_utf8(void **state);
static void test_post_heading_cut_utf8(void **state);
static void test_post_xml_control(void **state);
static void test_markdown_xml_control(void **state);


static const blog_options_t  opts = BLOG_DEFAULT_OPTIONS;


static unsigned
field_line(blog_fm_t *fm, const char *key)
{
    blog_fm_field_t  *f;

    f = blog_fm_get(fm, key);
    if (f == NULL) {
        fail_msg("no field \"%s\"", key);
    }

    return f->line;
}


/* as fuzz_post does: a Jekyll post, "/r/2024-01-02-x.md" */

static int
post_parse(blog_post_t **post, const u_char *text, size_t len,
    blog_problem_detail_t *pd)
{
    int               rc;
    blog_fm_t         fm;
    blog_post_name_t  pn;

    assert_int_equal(blog_post_name(&pn, "/r/2024-01-02-x.md", 2), BLOG_OK);

    *post = calloc(1, sizeof(blog_post_t));
    assert_non_null(*post);
    (*post)->refs = 1;

    memset(&fm, 0, sizeof(blog_fm_t));
    memset(pd, 0, sizeof(blog_problem_detail_t));

    rc = blog_post_parse(*post, &pn, text, len, &opts, pd, &fm);

    if (rc == BLOG_OK) {
        blog_fm_free(&fm);

    } else {
        assert_non_null(pd->reason);
    }

    return rc;
}


/* no character XML 1.0 forbids: C0 controls but TAB, LF, CR; U+FFFE/F */

static int
xml_text(const blog_str_t *s)
{
    size_t   i;
    u_char  *p;

    p = s->data;

    for (i = 0; i < s->len; i++) {
        if (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r') {
            return 0;
        }

        if (p[i] == 0xef && s->len - i >= 3 && p[i + 1] == 0xbf
            && (p[i + 2] == 0xbe || p[i + 2] == 0xbf))
        {
            return 0;
        }
    }

    return 1;
}


/*
 * Either the post is declined with a reason, or what the feed shows of it
 * (title, summary, tag names) is XML.
 */

static void
assert_xml_post(const char *text)
{
    int                     rc;
    size_t                  i;
    blog_post_t            *post;
    blog_problem_detail_t   pd;

    rc = post_parse(&post, (const u_char *) text, strlen(text), &pd);

    if (rc == BLOG_OK) {
        if (!xml_text(&post->title)) {
            fail_msg("title of \"%s\" is not XML text", text);
        }

        if (!xml_text(&post->description)) {
            fail_msg("description of \"%s\" is not XML text", text);
        }

        for (i = 0; i < post->ntags; i++) {
            if (!xml_text(&post->tags[i].name)) {
                fail_msg("a tag of \"%s\" is not XML text", text);
            }
        }

    } else {
        assert_int_equal(rc, BLOG_ERROR);
    }

    blog_post_release(post);
}


/*
 * t/fuzz/regressions/front_matter-line-cr: libyaml takes a lone CR for a
 * line break, blog_front_matter.c does not, so "date" was put on line 4,
 * the body's first line, though it sits on line 2 with "title".
 */

static void
test_front_matter_line_cr(void **state)
{
    unsigned                line;
    blog_fm_t               fm;
    blog_problem_detail_t   pd;
    static const char       text[] =
        "---\ntitle: a\rsummary: b\rdate: c\n---\nbody\n";

    memset(&pd, 0, sizeof(blog_problem_detail_t));

    assert_int_equal(blog_fm_parse(&fm, (const u_char *) text,
                                   sizeof(text) - 1, 65536, 64, &pd),
                     BLOG_OK);

    line = field_line(&fm, "date");

    /* inside the header: after the opening fence, before the closing one */

    assert_true(line >= field_line(&fm, "title"));
    assert_true(line >= 2 && line < fm.body_line - 1);

    blog_fm_free(&fm);
}


/*
 * t/fuzz/regressions/front_matter-line-ls: the same with U+2028 (LINE
 * SEPARATOR) inside a quoted value, which no editor shows as a line
 * break: "date" is on line 3, not 4.
 */

static void
test_front_matter_line_ls(void **state)
{
    blog_fm_t               fm;
    blog_problem_detail_t   pd;
    static const char       text[] =
        "---\ndescription: \"a\xe2\x80\xa8" "b\"\ndate: c\n---\nbody\n";

    memset(&pd, 0, sizeof(blog_problem_detail_t));

    assert_int_equal(blog_fm_parse(&fm, (const u_char *) text,
                                   sizeof(text) - 1, 65536, 64, &pd),
                     BLOG_OK);

    assert_int_equal(field_line(&fm, "description"), 2);
    assert_int_equal(field_line(&fm, "date"), 3);
    assert_int_equal(fm.body_line, 5);

    blog_fm_free(&fm);
}


/*
 * t/fuzz/regressions/post-summary-cut-utf8: only the body's first 64 KB is
 * parsed for the summary, cut in the middle of a character, so a first
 * paragraph longer than that left half a character at the end of the
 * description, and the feed, which shows it whole, was not UTF-8.
 */

static void
test_post_summary_cut_utf8(void **state)
{
    size_t                  len;
    u_char                 *text;
    blog_post_t            *post;
    blog_problem_detail_t   pd;

    /* "aaa...aé\n", the "é" across the cut */

    len = UNIT_SUMMARY_SOURCE + 2;
    text = malloc(len);
    assert_non_null(text);

    memset(text, 'a', UNIT_SUMMARY_SOURCE - 1);
    memcpy(text + UNIT_SUMMARY_SOURCE - 1, "\xc3\xa9\n", 3);

    assert_int_equal(post_parse(&post, text, len, &pd), BLOG_OK);

    assert_true(post->description.len >= UNIT_SUMMARY_SOURCE - 1);
    assert_int_equal(blog_utf8_check(post->description.data,
                                     post->description.len),
                     post->description.len);

    blog_post_release(post);
    free(text);
}


/*
 * t/fuzz/regressions/post-heading-cut-utf8: the same cut through the first
 * heading, which becomes the title.
 */

static void
test_post_heading_cut_utf8(void **state)
{
    size_t                  len;
    u_char                 *text;
    blog_post_t            *post;
    blog_problem_detail_t   pd;

    len = UNIT_SUMMARY_SOURCE + 2;
    text = malloc(len);
    assert_non_null(text);

    memcpy(text, "# ", 2);
    memset(text + 2, 'a', UNIT_SUMMARY_SOURCE - 3);
    memcpy(text + UNIT_SUMMARY_SOURCE - 1, "\xc3\xa9\n", 3);

    assert_int_equal(post_parse(&post, text, len, &pd), BLOG_OK);

    assert_true(post->title.len >= UNIT_SUMMARY_SOURCE - 3);
    assert_int_equal(blog_utf8_check(post->title.data, post->title.len),
                     post->title.len);

    blog_post_release(post);
    free(text);
}


/*
 * t/fuzz/regressions/post-xml-control: a control character in the first
 * paragraph (or a YAML escape such as "\e" in the title, or "\a" in a tag)
 * went into the post's text as it was, and from there into the Atom feed,
 * which no XML parser then reads.
 */

static void
test_post_xml_control(void **state)
{
    assert_xml_post("Hi\x04 there\n");
    assert_xml_post("Page one\x0cpage two\n");
    assert_xml_post("---\ntitle: \"Escape \\e\"\n---\nbody\n");
    assert_xml_post("---\ndescription: \"nul \\0 here\"\n---\nbody\n");
    assert_xml_post("---\ntags: [\"bell\\a\"]\n---\nbody\n");
    assert_xml_post("---\ntitle: \"\\uFFFE\"\n---\nbody\n");
}


/*
 * t/fuzz/regressions/markdown-xml-control: the same characters went into
 * the HTML of the body, which the feed carries as its content.
 */

static void
test_markdown_xml_control(void **state)
{
    blog_str_t          html;
    blog_buf_t          b;
    static const char   text[] = "Hi\x04 there, page one\x0cpage two\n";

    blog_buf_init(&b);

    assert_int_equal(blog_markdown_html(&b, (const u_char *) text,
                                        sizeof(text) - 1,
                                        &(blog_markdown_t) { 0 }),
                     BLOG_OK);

    html.data = b.data;
    html.len = b.len;

    assert_true(b.len > 0);
    assert_true(xml_text(&html));

    blog_buf_free(&b);
}


int
main(void)
{
    const struct CMUnitTest  tests[] = {
        cmocka_unit_test(test_front_matter_line_cr),
        cmocka_unit_test(test_front_matter_line_ls),
        cmocka_unit_test(test_post_summary_cut_utf8),
        cmocka_unit_test(test_post_heading_cut_utf8),
        cmocka_unit_test(test_post_xml_control),
        cmocka_unit_test(test_markdown_xml_control),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
