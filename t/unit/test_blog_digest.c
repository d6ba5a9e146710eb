
/*
 * The digests of blog_digest.c: a page's ETag (MD5 of its bytes, as every
 * server holding the same content sends it), and the cache key and
 * signature that tell a stored page still good, older or newer.
 */


#include "unit.h"


#define UNIT_NOW   1780704000      /* 2026-06-06 */
#define UNIT_YEAR  (365 * 86400)


static void test_etag(void **state);
static void test_page_key(void **state);
static void test_page_key_compare(void **state);
static void test_site_signature(void **state);


static void
test_etag(void **state)
{
    u_char  etag[BLOG_ETAG_LEN + 1];

    etag[BLOG_ETAG_LEN] = '\0';

    blog_etag(etag, (const u_char *) "", 0);
    assert_string_equal((char *) etag,
                        "\"d41d8cd98f00b204e9800998ecf8427e\"");

    blog_etag(etag, (const u_char *) "The quick brown fox jumps over the "
              "lazy dog", 43);
    assert_string_equal((char *) etag,
                        "\"9e107d9d372bb6826bd81d3542a419d6\"");
}


static void
test_page_key(void **state)
{
    char              root[64];
    u_char            conf[16], other[16];
    blog_route_t      rt;
    blog_str_t        base = blog_string("http://a.example");
    blog_str_t        base2 = blog_string("http://b.example");
    blog_index_t     *ix, *ix2;
    blog_options_t    opts = BLOG_DEFAULT_OPTIONS;
    blog_page_key_t   k, k2;

    memset(conf, 1, 16);
    memset(other, 2, 16);

    unit_mkdtemp(root, sizeof(root));
    unit_write(root, "a.md", "---\ntitle: A\ndate: 2025-01-01\n---\nA\n");
    unit_write(root, "b.md", "---\ntitle: B\ndate: 2025-01-02\n---\nB\n");

    ix = blog_index_build(root, &opts, NULL, UNIT_NOW);
    assert_non_null(ix);

    blog_route_parse(&rt, (const u_char *) "a/", 2);
    assert_int_equal(rt.kind, BLOG_ROUTE_POST);

    blog_page_key(&k, conf, &rt, NULL, UNIT_NOW, ix);
    assert_true(k.built == ix->generation);

    /* the same page, the same key */
    blog_page_key(&k2, conf, &rt, NULL, UNIT_NOW + 60, ix);
    assert_memory_equal(k.key, k2.key, 16);
    assert_memory_equal(k.sig, k2.sig, 16);

    /* another location's settings, another year, another base: another
     * page */
    blog_page_key(&k2, other, &rt, NULL, UNIT_NOW, ix);
    assert_memory_not_equal(k.key, k2.key, 16);

    blog_page_key(&k2, conf, &rt, NULL, UNIT_NOW + UNIT_YEAR, ix);
    assert_memory_not_equal(k.key, k2.key, 16);

    blog_page_key(&k, conf, &rt, &base, UNIT_NOW, ix);
    blog_page_key(&k2, conf, &rt, &base2, UNIT_NOW, ix);
    assert_memory_not_equal(k.key, k2.key, 16);

    /* a new post beside it changes what the page shows, not what it is */
    blog_page_key(&k, conf, &rt, NULL, UNIT_NOW, ix);

    unit_write(root, "c.md", "---\ntitle: C\ndate: 2024-12-31\n---\nC\n");

    ix2 = blog_index_build(root, &opts, ix, UNIT_NOW + 10);
    assert_non_null(ix2);

    blog_page_key(&k2, conf, &rt, NULL, UNIT_NOW + 10, ix2);
    assert_memory_equal(k.key, k2.key, 16);
    assert_memory_not_equal(k.sig, k2.sig, 16);

    blog_index_release(ix2);
    blog_index_release(ix);
    unit_rmrf(root);
}


static void
test_page_key_compare(void **state)
{
    u_char           sig[16];
    blog_page_key_t  k;

    memset(sig, 7, 16);
    memcpy(k.sig, sig, 16);
    k.built = 100;

    assert_int_equal(blog_page_key_compare(sig, 50, &k), 0);
    assert_int_equal(blog_page_key_compare(sig, 500, &k), 0);

    sig[3] = 8;

    /* shows something else: older or as old, render again; newer, keep */
    assert_int_equal(blog_page_key_compare(sig, 50, &k), -1);
    assert_int_equal(blog_page_key_compare(sig, 100, &k), -1);
    assert_int_equal(blog_page_key_compare(sig, 101, &k), 1);
}


static void
test_site_signature(void **state)
{
    u_char           a[16], b[16];
    blog_site_t      site, other;
    blog_theme_t     theme, theme2;
    blog_options_t   opts = BLOG_DEFAULT_OPTIONS;
    blog_options_t   opts2 = BLOG_DEFAULT_OPTIONS;

    memset(&theme, 0, sizeof(blog_theme_t));
    memset(theme.digest, 3, 16);
    theme2 = theme;
    theme2.digest[0] = 4;

    memset(&site, 0, sizeof(blog_site_t));
    site.title = (blog_str_t) blog_string("Blog");
    site.prefix = (blog_str_t) blog_string("/blog");
    site.posts_per_page = 20;
    site.theme = &theme;
    site.opts = &opts;

    blog_site_signature(a, "/srv/blog", &site);
    other = site;
    blog_site_signature(b, "/srv/blog", &other);
    assert_memory_equal(a, b, 16);

    /* each of what shapes the pages changes it */
    blog_site_signature(b, "/srv/other", &other);
    assert_memory_not_equal(a, b, 16);

    other.title = (blog_str_t) blog_string("Blogs");
    blog_site_signature(b, "/srv/blog", &other);
    assert_memory_not_equal(a, b, 16);

    other = site;
    other.theme = &theme2;
    blog_site_signature(b, "/srv/blog", &other);
    assert_memory_not_equal(a, b, 16);

    other = site;
    opts2.drafts = 1;
    other.opts = &opts2;
    blog_site_signature(b, "/srv/blog", &other);
    assert_memory_not_equal(a, b, 16);

    other = site;
    other.posts_per_page = 10;
    blog_site_signature(b, "/srv/blog", &other);
    assert_memory_not_equal(a, b, 16);
}


int
main(void)
{
    const struct CMUnitTest  tests[] = {
        cmocka_unit_test(test_etag),
        cmocka_unit_test(test_page_key),
        cmocka_unit_test(test_page_key_compare),
        cmocka_unit_test(test_site_signature),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
