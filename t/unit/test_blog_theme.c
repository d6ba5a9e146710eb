
/*
 * A server's theme as blog_theme_load() puts it together: a folder's
 * files over the built-in ones, the errors each step reports, and what
 * its assets are sent with (variants, ETags, types).
 */


#include "unit.h"


#define UNIT_TMPL  "{{title}}"


static const char  unit_css[] =
    "body { margin: 0 auto; max-width: 40rem; }\n"
    "body { margin: 0 auto; max-width: 40rem; }\n"
    "body { margin: 0 auto; max-width: 40rem; }\n"
    "body { margin: 0 auto; max-width: 40rem; }\n";

static const u_char  unit_png[] = { 0x89, 'P', 'N', 'G', 1, 2, 3, 4 };

static const blog_theme_file_t  unit_builtin[] = {
    { "base.html", (const u_char *) UNIT_TMPL, sizeof(UNIT_TMPL) - 1 },
    { "index.html", (const u_char *) UNIT_TMPL, sizeof(UNIT_TMPL) - 1 },
    { "post.html", (const u_char *) UNIT_TMPL, sizeof(UNIT_TMPL) - 1 },
    { "tags.html", (const u_char *) UNIT_TMPL, sizeof(UNIT_TMPL) - 1 },
    { "tag.html", (const u_char *) UNIT_TMPL, sizeof(UNIT_TMPL) - 1 },
    { "404.html", (const u_char *) UNIT_TMPL, sizeof(UNIT_TMPL) - 1 },
    { "feed.xml", (const u_char *) UNIT_TMPL, sizeof(UNIT_TMPL) - 1 },
    { "sitemap.xml", (const u_char *) UNIT_TMPL, sizeof(UNIT_TMPL) - 1 },
    { "style.css", (const u_char *) unit_css, sizeof(unit_css) - 1 },
    { "logo.png", unit_png, sizeof(unit_png) },
    { NULL, NULL, 0 }
};


static void test_theme_builtin(void **state);
static void test_theme_dir_first(void **state);
static void test_theme_errors(void **state);
static void test_theme_assets(void **state);
static void test_file_type(void **state);


static void
test_theme_builtin(void **state)
{
    char                 dir[64];
    blog_theme_t        *theme, *same, *other;
    blog_theme_error_t   err;

    theme = blog_theme_create();
    same = blog_theme_create();
    other = blog_theme_create();
    assert_non_null(theme);
    assert_non_null(same);
    assert_non_null(other);

    assert_int_equal(blog_theme_load(theme, NULL, unit_builtin, &err),
                     BLOG_OK);
    assert_int_equal(theme->nassets, 2);
    assert_int_equal(strlen(theme->version), 10);

    /* the digest of its files: the same theme, the same digest; a folder
     * that changes a file, another */
    assert_int_equal(blog_theme_load(same, NULL, unit_builtin, &err),
                     BLOG_OK);
    assert_memory_equal(theme->digest, same->digest, 16);

    unit_mkdtemp(dir, sizeof(dir));
    unit_write(dir, "style.css", "p { color: red }\n");

    assert_int_equal(blog_theme_load(other, dir, unit_builtin, &err),
                     BLOG_OK);
    assert_memory_not_equal(theme->digest, other->digest, 16);

    blog_theme_free(theme);
    blog_theme_free(same);
    blog_theme_free(other);
    unit_rmrf(dir);
}


static void
test_theme_dir_first(void **state)
{
    char                      dir[64];
    blog_theme_t             *theme;
    blog_theme_error_t        err;
    const blog_theme_file_t  *f;

    unit_mkdtemp(dir, sizeof(dir));
    unit_write(dir, "style.css", "p { color: red }\n");

    theme = blog_theme_create();
    assert_non_null(theme);

    assert_int_equal(blog_theme_load(theme, dir, unit_builtin, &err),
                     BLOG_OK);

    /* the folder's file, not the built-in one of the same name */
    f = blog_theme_asset(theme, (const u_char *) "style.css", 9);
    assert_non_null(f);
    assert_int_equal(f->len, 17);

    blog_theme_free(theme);
    unit_rmrf(dir);
}


static void
test_theme_errors(void **state)
{
    char                 dir[64], missing[80];
    blog_theme_t        *theme;
    blog_theme_error_t   err;
    blog_theme_file_t    broken[3];

    unit_mkdtemp(dir, sizeof(dir));
    unit_write(dir, "post.html", "line one\n{{#open}}\n");

    theme = blog_theme_create();
    assert_int_equal(blog_theme_load(theme, dir, unit_builtin, &err),
                     BLOG_ERROR);
    assert_int_equal(err.step, BLOG_THEME_IN_DIR);
    assert_int_equal(err.line, 2);
    assert_contains(err.file, "post.html");
    blog_theme_free(theme);

    snprintf(missing, sizeof(missing), "%s/none", dir);

    theme = blog_theme_create();
    assert_int_equal(blog_theme_load(theme, missing, unit_builtin, &err),
                     BLOG_ERROR);
    assert_int_equal(err.step, BLOG_THEME_IN_DIR);
    assert_int_equal(err.line, 0);
    blog_theme_free(theme);

    /* a built-in theme without its templates: which one is missing */
    memcpy(broken, &unit_builtin[8], 2 * sizeof(blog_theme_file_t));
    memset(&broken[2], 0, sizeof(blog_theme_file_t));

    theme = blog_theme_create();
    assert_int_equal(blog_theme_load(theme, NULL, broken, &err),
                     BLOG_ERROR);
    assert_int_equal(err.step, BLOG_THEME_INCOMPLETE);
    assert_string_equal(err.file, "base");
    blog_theme_free(theme);

    unit_rmrf(dir);
}


static void
test_theme_assets(void **state)
{
    size_t                    i;
    u_char                    etag[BLOG_THEME_ETAG_LEN + 1];
    blog_theme_t             *theme;
    blog_theme_error_t        err;
    const blog_theme_file_t  *css, *png;

    theme = blog_theme_create();
    assert_int_equal(blog_theme_load(theme, NULL, unit_builtin, &err),
                     BLOG_OK);
    assert_int_equal(blog_theme_compress(theme), BLOG_OK);

    css = blog_theme_asset(theme, (const u_char *) "style.css", 9);
    png = blog_theme_asset(theme, (const u_char *) "logo.png", 8);
    assert_non_null(css);
    assert_non_null(png);

    /* text is stored compressed, smaller; an image is not */
    i = css - theme->assets;
    assert_true(theme->gzip[i].len > 0 && theme->gzip[i].len < css->len);
    assert_true(theme->br[i].len > 0 && theme->br[i].len < css->len);

    i = png - theme->assets;
    assert_int_equal(theme->gzip[i].len, 0);
    assert_int_equal(theme->br[i].len, 0);

    etag[BLOG_THEME_ETAG_LEN] = '\0';
    blog_theme_etag(theme, css, etag);
    assert_int_equal(etag[0], '"');
    assert_int_equal(etag[BLOG_THEME_ETAG_LEN - 1], '"');
    assert_int_equal(strspn((char *) etag + 1, "0123456789abcdef"), 16);

    assert_true(blog_theme_versioned(theme, (const u_char *) theme->version,
                                     strlen(theme->version)));
    assert_false(blog_theme_versioned(theme, (const u_char *) "0", 1));
    assert_false(blog_theme_versioned(theme, (const u_char *) "", 0));

    blog_theme_free(theme);
}


static void
test_file_type(void **state)
{
    assert_string_equal(blog_file_type((const u_char *) "a.css", 5),
                        "text/css; charset=utf-8");
    assert_string_equal(blog_file_type((const u_char *) "x.tar.PNG", 9),
                        "image/png");
    assert_string_equal(blog_file_type((const u_char *) "map.jpeg", 8),
                        "image/jpeg");
    assert_null(blog_file_type((const u_char *) "README", 6));
    assert_null(blog_file_type((const u_char *) "a.exe", 5));
    assert_null(blog_file_type((const u_char *) "png", 3));
}


int
main(void)
{
    const struct CMUnitTest  tests[] = {
        cmocka_unit_test(test_theme_builtin),
        cmocka_unit_test(test_theme_dir_first),
        cmocka_unit_test(test_theme_errors),
        cmocka_unit_test(test_theme_assets),
        cmocka_unit_test(test_file_type),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
