
/*
 * Accept-Encoding as blog_encoding.c reads it, and the variants
 * blog_compress.c makes: which coding a client takes, by q-values, and
 * gzip that inflates back to the page.
 */


#include "unit.h"

#include <zlib.h>


static unsigned choose(const char *header, unsigned gzip, unsigned br);
static void test_accept_plain(void **state);
static void test_accept_qvalues(void **state);
static void test_accept_star(void **state);
static void test_accept_malformed(void **state);
static void test_accept_lines(void **state);
static void test_gzip_round_trip(void **state);
static void test_brotli_smaller(void **state);


static unsigned
choose(const char *header, unsigned gzip, unsigned br)
{
    blog_accept_t  acc;

    blog_accept_init(&acc);

    if (header != NULL) {
        blog_accept_parse(&acc, (const u_char *) header, strlen(header));
    }

    return blog_accept_choose(&acc, gzip, br);
}


static void
test_accept_plain(void **state)
{
    assert_int_equal(choose(NULL, 1, 1), BLOG_IDENTITY);
    assert_int_equal(choose("gzip", 1, 1), BLOG_GZIP);
    assert_int_equal(choose("x-gzip", 1, 1), BLOG_GZIP);
    assert_int_equal(choose("GZip, deflate", 1, 1), BLOG_GZIP);
    assert_int_equal(choose("gzip, deflate, br", 1, 1), BLOG_BROTLI);
    assert_int_equal(choose("gzip, deflate, br", 1, 0), BLOG_GZIP);
    assert_int_equal(choose("gzip, deflate, br", 0, 0), BLOG_IDENTITY);
    assert_int_equal(choose("br", 1, 0), BLOG_IDENTITY);
    assert_int_equal(choose("identity", 1, 1), BLOG_IDENTITY);
}


static void
test_accept_qvalues(void **state)
{
    assert_int_equal(choose("br;q=0.5, gzip", 1, 1), BLOG_GZIP);
    assert_int_equal(choose("br;q=1.0, gzip;q=0.999", 1, 1), BLOG_BROTLI);
    assert_int_equal(choose("br ; q = 0.8 , gzip;q=0.8", 1, 1),
                     BLOG_BROTLI);
    assert_int_equal(choose("gzip;q=0, br;q=0", 1, 1), BLOG_IDENTITY);
    assert_int_equal(choose("gzip;Q=0.3;level=9", 1, 0), BLOG_GZIP);

    /* the first mention of a coding holds */
    assert_int_equal(choose("br;q=0, br", 1, 1), BLOG_IDENTITY);
}


static void
test_accept_star(void **state)
{
    assert_int_equal(choose("*", 1, 1), BLOG_BROTLI);
    assert_int_equal(choose("*;q=0.5, br;q=0.1", 1, 1), BLOG_GZIP);
    assert_int_equal(choose("*;q=0", 1, 1), BLOG_IDENTITY);
    assert_int_equal(choose("*;q=0, gzip", 1, 1), BLOG_GZIP);
}


static void
test_accept_malformed(void **state)
{
    /* a q-value past 1, with four decimals, or not a number refuses */
    assert_int_equal(choose("gzip;q=2", 1, 0), BLOG_IDENTITY);
    assert_int_equal(choose("gzip;q=0.5555", 1, 0), BLOG_IDENTITY);
    assert_int_equal(choose("gzip;q=x", 1, 0), BLOG_IDENTITY);
    assert_int_equal(choose("gzip;q", 1, 0), BLOG_IDENTITY);
    assert_int_equal(choose(",,, ;;, gzip", 1, 0), BLOG_GZIP);
    assert_int_equal(choose("", 1, 1), BLOG_IDENTITY);
}


static void
test_accept_lines(void **state)
{
    blog_accept_t  acc;

    /* two header lines are read as one list */
    blog_accept_init(&acc);
    blog_accept_parse(&acc, (const u_char *) "gzip", 4);
    blog_accept_parse(&acc, (const u_char *) "br;q=0.9", 8);

    assert_int_equal(blog_accept_q(&acc, BLOG_GZIP), 1000);
    assert_int_equal(blog_accept_q(&acc, BLOG_BROTLI), 900);
    assert_int_equal(blog_accept_choose(&acc, 1, 1), BLOG_GZIP);
}


static void
test_gzip_round_trip(void **state)
{
    int         rc;
    u_char     *gz, out[8192];
    size_t      i, n;
    z_stream    zs;
    blog_buf_t  page;

    blog_buf_init(&page);

    for (i = 0; i < 100; i++) {
        blog_buf_printf(&page, "<p>Paragraph %zu of the page.</p>\n", i);
    }

    gz = blog_gzip(page.data, page.len, &n);
    assert_non_null(gz);
    assert_true(n < page.len / 4);

    /* a gzip member (1f 8b) that inflates to the page */
    assert_int_equal(gz[0], 0x1f);
    assert_int_equal(gz[1], 0x8b);

    memset(&zs, 0, sizeof(z_stream));
    assert_int_equal(inflateInit2(&zs, 16 + MAX_WBITS), Z_OK);

    zs.next_in = gz;
    zs.avail_in = n;
    zs.next_out = out;
    zs.avail_out = sizeof(out);

    rc = inflate(&zs, Z_FINISH);
    assert_int_equal(rc, Z_STREAM_END);
    assert_int_equal(sizeof(out) - zs.avail_out, page.len);
    assert_memory_equal(out, page.data, page.len);

    inflateEnd(&zs);
    free(gz);
    blog_buf_free(&page);
}


static void
test_brotli_smaller(void **state)
{
    u_char     *br, *gz;
    size_t      i, nbr, ngz;
    blog_buf_t  page;

    blog_buf_init(&page);

    for (i = 0; i < 200; i++) {
        blog_buf_printf(&page, "<li><a href=\"/blog/post-%zu/\">Post %zu"
                        "</a></li>\n", i * 7919 % 1000, i);
    }

    br = blog_brotli(page.data, page.len, &nbr);
    gz = blog_gzip(page.data, page.len, &ngz);
    assert_non_null(br);
    assert_non_null(gz);

    assert_true(nbr > 0 && nbr < ngz);

    free(br);
    free(gz);
    blog_buf_free(&page);
}


int
main(void)
{
    const struct CMUnitTest  tests[] = {
        cmocka_unit_test(test_accept_plain),
        cmocka_unit_test(test_accept_qvalues),
        cmocka_unit_test(test_accept_star),
        cmocka_unit_test(test_accept_malformed),
        cmocka_unit_test(test_accept_lines),
        cmocka_unit_test(test_gzip_round_trip),
        cmocka_unit_test(test_brotli_smaller),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
