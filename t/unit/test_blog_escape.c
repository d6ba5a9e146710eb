
/*
 * blog_escape.c: HTML and URI escaping, UTF-8 validation, text fit for XML
 * and the tag URL names of DESIGN.md ("Next.js" -> "next-js", "C++" ->
 * "c++").
 */


#include "unit.h"


typedef struct {
    const char  *in;
    const char  *out;
} unit_pair_t;


static void escape_html(blog_buf_t *b, const char *s);
static void escape_uri(blog_buf_t *b, const char *s);
static size_t utf8_check(const char *s);
static void test_escape_html(void **state);
static void test_escape_html_plain(void **state);
static void test_escape_uri(void **state);
static void test_escape_path(void **state);
static void test_url_safe(void **state);
static void test_url_attr(void **state);
static void test_utf8_valid(void **state);
static void test_utf8_overlong(void **state);
static void test_utf8_every_place(void **state);
static void test_utf8_surrogate(void **state);
static void test_utf8_truncated(void **state);
static void test_utf8_beyond_max(void **state);
static void test_utf8_stray_bytes(void **state);
static void test_text_clean(void **state);
static void test_html_text(void **state);
static void test_tag_key(void **state);
static void test_tag_key_declined(void **state);


static void
escape_html(blog_buf_t *b, const char *s)
{
    blog_buf_free(b);
    blog_escape_html(b, (const u_char *) s, strlen(s));
}


static void
escape_uri(blog_buf_t *b, const char *s)
{
    blog_buf_free(b);
    blog_escape_uri(b, (const u_char *) s, strlen(s));
}


static size_t
utf8_check(const char *s)
{
    return blog_utf8_check((const u_char *) s, strlen(s));
}


static void
test_escape_html(void **state)
{
    blog_buf_t  b;

    blog_buf_init(&b);

    escape_html(&b, "<a href=\"x\">Tom & Jerry's</a>");
    assert_string_equal(unit_buf_str(&b),
                        "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s"
                        "&lt;/a&gt;");

    escape_html(&b, "&amp;");
    assert_string_equal(unit_buf_str(&b), "&amp;amp;");

    escape_html(&b, "<>&\"'");
    assert_string_equal(unit_buf_str(&b), "&lt;&gt;&amp;&quot;&#39;");

    blog_buf_free(&b);
}


static void
test_escape_html_plain(void **state)
{
    blog_buf_t  b;

    blog_buf_init(&b);

    escape_html(&b, "plain text, caf\xc3\xa9");
    assert_string_equal(unit_buf_str(&b), "plain text, caf\xc3\xa9");

    escape_html(&b, "");
    assert_int_equal(b.len, 0);

    blog_buf_free(&b);
}


static void
test_escape_uri(void **state)
{
    size_t       i;
    blog_buf_t   b;
    unit_pair_t  cases[] = {
        { "c++", "c%2B%2B" },
        { "caf\xc3\xa9", "caf%C3%A9" },
        { "c#", "c%23" },
        { "a-b_c.d~e09AZ", "a-b_c.d~e09AZ" },
        { "a b/c?d=e&f", "a%20b%2Fc%3Fd%3De%26f" },
        { "100%", "100%25" },
    };

    blog_buf_init(&b);

    for (i = 0; i < UNIT_ARRAY(cases); i++) {
        escape_uri(&b, cases[i].in);
        assert_string_equal(unit_buf_str(&b), cases[i].out);
    }

    blog_buf_free(&b);
}


/* a decoded path for a Location header: "/" and sub-delims stay */

static void
test_escape_path(void **state)
{
    size_t       i;
    blog_buf_t   b;
    unit_pair_t  cases[] = {
        { "a/b-c_d.e~f", "a/b-c_d.e~f" },
        { "c++;a=b&c,(x)!*'$:@", "c++;a=b&c,(x)!*'$:@" },
        { "caf\xc3\xa9", "caf%C3%A9" },
        { "a b#c?d%e", "a%20b%23c%3Fd%25e" },
        { "/\\evil.example", "/%5Cevil.example" },
        { "\x01\x7f", "%01%7F" },
        { "", "" },
    };

    blog_buf_init(&b);

    for (i = 0; i < UNIT_ARRAY(cases); i++) {
        b.len = 0;
        blog_escape_path(&b, (const u_char *) cases[i].in,
                         strlen(cases[i].in));
        assert_string_equal(unit_buf_str(&b), cases[i].out);
    }

    blog_buf_free(&b);
}


/* addresses a browser would run as script, however they are spelled */

static void
test_url_safe(void **state)
{
    size_t        i;
    const char   *safe[] = {
        "", "https://example.com/", "/x/y", "cat.jpg", "mailto:a@b.c",
        "#top", "?javascript:", "https://x/?q=javascript:", "java", "x:y",
        "data", "javascripts:", "javascript", "./javascript:x"
    };
    const char   *unsafe[] = {
        "javascript:alert(1)", "JavaScript:x", " \x01" "javascript:x",
        "java\tscript:x", "java\nscr\ripT:x", "vbscript:x", "DATA:text/html,x",
        "\x0c\x0b" "data:x"
    };

    for (i = 0; i < UNIT_ARRAY(safe); i++) {
        assert_true(blog_url_safe((const u_char *) safe[i], strlen(safe[i])));
    }

    for (i = 0; i < UNIT_ARRAY(unsafe); i++) {
        assert_false(blog_url_safe((const u_char *) unsafe[i],
                                   strlen(unsafe[i])));
    }
}


/* where what follows starts an address */

static void
test_url_attr(void **state)
{
    size_t        i;
    const char   *yes[] = {
        "<a href=\"", "<img src='", "<a HREF=", "<form action = \"",
        "<use xlink:href=\"", "x\n  href=\"", "href=\""
    };
    const char   *no[] = {
        "", "href", "<a title=\"", "<a data-href=\"", "<a href=\"/x/",
        "=\"", "<a xhref=\"", "<a-href=\""
    };

    for (i = 0; i < UNIT_ARRAY(yes); i++) {
        assert_true(blog_url_attr((const u_char *) yes[i],
                                  (const u_char *) yes[i] + strlen(yes[i])));
    }

    for (i = 0; i < UNIT_ARRAY(no); i++) {
        assert_false(blog_url_attr((const u_char *) no[i],
                                   (const u_char *) no[i] + strlen(no[i])));
    }
}


static void
test_utf8_valid(void **state)
{
    assert_int_equal(utf8_check(""), 0);
    assert_int_equal(utf8_check("plain ascii"), 11);
    assert_int_equal(utf8_check("caf\xc3\xa9"), 5);
    assert_int_equal(utf8_check("\xe6\x97\xa5\xe6\x9c\xac"), 6);
    assert_int_equal(utf8_check("\xf0\x9f\x98\x80 ok"), 7);

    /* the last code point, and the ones either side of the surrogates */
    assert_int_equal(utf8_check("\xf4\x8f\xbf\xbf"), 4);
    assert_int_equal(utf8_check("\xed\x9f\xbf\xee\x80\x80"), 6);

    /* ASCII is read eight bytes at a time: characters across the steps */
    assert_int_equal(utf8_check("seven b\xc3\xa9 and eight bytes \xe6\x97"
                                "\xa5"), 29);
    assert_int_equal(utf8_check("0123456789abcdef\xf0\x9f\x98\x80"), 20);
}


static void
test_utf8_overlong(void **state)
{
    assert_int_equal(utf8_check("ab\xc0\xaf"), 2);
    assert_int_equal(utf8_check("\xc1\xbf"), 0);
    assert_int_equal(utf8_check("x\xe0\x80\xaf"), 1);
    assert_int_equal(utf8_check("xy\xf0\x80\x80\xaf"), 2);

    /* a bad byte after a run of ASCII, in and past the first eight */
    assert_int_equal(utf8_check("01234567\xc0\xaf"), 8);
    assert_int_equal(utf8_check("0123456789\xff" "1234567"), 10);
    assert_int_equal(utf8_check("01234\x80"), 5);
}


/*
 * ASCII is read 32 bytes, then eight, at a time: a bad byte and a good
 * character at every place of 100 bytes of ASCII, and just past them.
 */

static void
test_utf8_every_place(void **state)
{
    char    text[128];
    size_t  i;

    for (i = 0; i <= 100; i++) {
        memset(text, 'a', 100);
        text[100] = '\0';

        text[i] = '\xff';
        text[i + 1] = '\0';
        assert_int_equal(utf8_check(text), i);

        memset(text, 'a', 100);
        memcpy(text + i, "\xe2\x80\x94", 3);
        text[i + 3] = '\0';
        assert_int_equal(utf8_check(text), i + 3);

        text[i + 2] = '\0';
        assert_int_equal(utf8_check(text), i);
    }
}


static void
test_utf8_surrogate(void **state)
{
    assert_int_equal(utf8_check("\xed\xa0\x80"), 0);
    assert_int_equal(utf8_check("ok \xed\xbf\xbf"), 3);
}


static void
test_utf8_truncated(void **state)
{
    assert_int_equal(utf8_check("abc\xe2\x82"), 3);
    assert_int_equal(utf8_check("\xc3"), 0);
    assert_int_equal(utf8_check("ab\xf0\x9f\x98"), 2);

    /* a continuation byte missing in the middle of the text */
    assert_int_equal(utf8_check("caf\xc3 ok"), 3);
    assert_int_equal(utf8_check("\xe2\x82x"), 0);
}


static void
test_utf8_beyond_max(void **state)
{
    assert_int_equal(utf8_check("\xf4\x90\x80\x80"), 0);
    assert_int_equal(utf8_check("ok\xf5\x80\x80\x80"), 2);
    assert_int_equal(utf8_check("\xf7\xbf\xbf\xbf"), 0);
}


static void
test_utf8_stray_bytes(void **state)
{
    assert_int_equal(utf8_check("a\x80"), 1);
    assert_int_equal(utf8_check("ab\xff"), 2);
    assert_int_equal(utf8_check("\xf8\x88\x80\x80\x80"), 0);
    assert_int_equal(utf8_check("caf\xc3\xa9\xa9"), 5);
}


/* what a shortcode's HTML shows: a heading's id and contents are made of it */

static void
test_html_text(void **state)
{
    size_t       i;
    blog_buf_t   b;
    unit_pair_t  cases[] = {
        { "<a href=\"x\">A &amp; B</a>", "A & B" },
        { "\n  <figure class=\"f\"><img src=\"a\" alt=\"x\">\n"
          "<figcaption>The &lt;cat&gt;</figcaption>\n</figure>\n",
          "The <cat>" },
        { "&quot;q&quot; &#39;s&#39; &apos;a&apos;", "\"q\" 's' 'a'" },
        { "&#8212;&#x2014;&#X1F600;", "\xe2\x80\x94\xe2\x80\x94"
                                      "\xf0\x9f\x98\x80" },
        { "&bogus; &#; &#x; &#0; &#xD800; &#1114112; &#12",
          "&bogus; &#; &#x; &#0; &#xD800; &#1114112; &#12" },
        { "a\t\r\n b  <i> </i> c", "a b c" },
        { "<iframe title=\"v\"></iframe>", "" },
        { "x <unclosed", "x" },
        { "", "" },
    };

    blog_buf_init(&b);

    for (i = 0; i < UNIT_ARRAY(cases); i++) {
        blog_buf_free(&b);
        blog_html_text(&b, (const u_char *) cases[i].in,
                       strlen(cases[i].in));

        assert_false(b.failed);
        assert_string_equal(unit_buf_str(&b), cases[i].out);
    }

    blog_buf_free(&b);
}


static void
test_tag_key(void **state)
{
    int          rc;
    size_t       i;
    blog_str_t   key;
    unit_pair_t  cases[] = {
        { "Next.js", "next-js" },
        { "API Design", "api-design" },
        { "C++", "c++" },
        { "Caf\xc3\xa9", "caf\xc3\xa9" },
        { "C#", "c#" },
        { " --Hello, World!-- ", "hello-world" },
        { "\xc3\x9c" "BER stra\xc3\x9f" "e",
          "\xc3\xbc" "ber-stra\xc3\x9f" "e" },
        { "go", "go" },
        { "HTTP/2", "http-2" },
        { "web   dev", "web-dev" },
        { "\xce\x95\xce\xbb\xce\xbb\xce\xb7\xce\xbd\xce\xb9\xce\xba\xce\xac",
          "\xce\xb5\xce\xbb\xce\xbb\xce\xb7\xce\xbd\xce\xb9\xce\xba\xce\xac" },
    };

    for (i = 0; i < UNIT_ARRAY(cases); i++) {
        key.data = NULL;
        key.len = 0;

        rc = blog_tag_key(&key, (const u_char *) cases[i].in,
                          strlen(cases[i].in));

        if (rc != BLOG_OK) {
            fail_msg("blog_tag_key(\"%s\") returned %d", cases[i].in, rc);
        }

        assert_bstr_equal(key, cases[i].out);
        free(key.data);
    }
}


/* what XML 1.0 forbids, and bytes that are no UTF-8, become U+FFFD */

static void
test_text_clean(void **state)
{
    size_t       i;
    blog_buf_t   b;
    unit_pair_t  cases[] = {
        { "plain, caf\xc3\xa9 \xf0\x9f\x98\x80", NULL },
        { "tab\tlf\ncr\r", NULL },
        { "\x7f\xc2\x85\xc2\x9f \xef\xbf\xbd \xf4\x8f\xbf\xbf", NULL },
        { "a\x01" "b\x1b", "a\xef\xbf\xbd" "b\xef\xbf\xbd" },
        { "\x0c\x0b\x08", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
        { "<\xef\xbf\xbe\xef\xbf\xbf>", "<\xef\xbf\xbd\xef\xbf\xbd>" },
        { "\xc3(\xed\xa0\x80",
          "\xef\xbf\xbd(\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
        { "", NULL },
    };

    blog_buf_init(&b);

    for (i = 0; i < UNIT_ARRAY(cases); i++) {
        blog_buf_free(&b);
        blog_text_clean(&b, (const u_char *) cases[i].in,
                        strlen(cases[i].in));

        assert_false(b.failed);
        assert_string_equal(unit_buf_str(&b),
                            cases[i].out != NULL ? cases[i].out
                                                 : cases[i].in);
    }

    /* a NUL is a control character too */

    blog_buf_free(&b);
    blog_text_clean(&b, (const u_char *) "a\0b", 3);
    assert_string_equal(unit_buf_str(&b), "a\xef\xbf\xbd" "b");

    blog_buf_free(&b);
}


static void
test_tag_key_declined(void **state)
{
    size_t       i;
    blog_str_t   key;
    const char  *cases[] = { "!!!", "", " - ", "...", "\xff\xfe" };

    for (i = 0; i < UNIT_ARRAY(cases); i++) {
        key.data = NULL;
        key.len = 0;

        assert_int_equal(blog_tag_key(&key, (const u_char *) cases[i],
                                      strlen(cases[i])),
                         BLOG_DECLINED);
        assert_null(key.data);
    }
}


int
main(void)
{
    const struct CMUnitTest  tests[] = {
        cmocka_unit_test(test_escape_html),
        cmocka_unit_test(test_escape_html_plain),
        cmocka_unit_test(test_escape_uri),
        cmocka_unit_test(test_escape_path),
        cmocka_unit_test(test_url_safe),
        cmocka_unit_test(test_url_attr),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_utf8_overlong),
        cmocka_unit_test(test_utf8_every_place),
        cmocka_unit_test(test_utf8_surrogate),
        cmocka_unit_test(test_utf8_truncated),
        cmocka_unit_test(test_utf8_beyond_max),
        cmocka_unit_test(test_utf8_stray_bytes),
        cmocka_unit_test(test_text_clean),
        cmocka_unit_test(test_html_text),
        cmocka_unit_test(test_tag_key),
        cmocka_unit_test(test_tag_key_declined),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
