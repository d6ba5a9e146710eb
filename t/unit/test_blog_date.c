
/*
 * blog_date.c: the date forms blogs write, checked against known Unix
 * times, and the three ways pages show a time (human, ISO 8601, HTTP).
 */


#include "unit.h"


typedef struct {
    const char  *in;
    int64_t      sec;
    int          off;
    unsigned     zone;
} unit_date_t;


static int parse(blog_time_t *t, const char *s);
static void test_date_forms(void **state);
static void test_date_leap_day(void **state);
static void test_date_rejects(void **state);
static void test_date_length(void **state);
static void test_date_first_byte(void **state);
static void test_date_before_1970(void **state);
static void test_date_human(void **state);
static void test_date_human_author_zone(void **state);
static void test_date_iso(void **state);
static void test_date_http(void **state);


static int
parse(blog_time_t *t, const char *s)
{
    memset(t, 0xff, sizeof(blog_time_t));

    return blog_date_parse(t, (const u_char *) s, strlen(s));
}


static void
test_date_forms(void **state)
{
    size_t       i;
    blog_time_t  t;
    unit_date_t  cases[] = {
        { "2026-06-05", 1780617600, 0, 0 },
        { "2026-06-05 14:30", 1780669800, 0, 0 },
        { "2026-06-05 14:30:00", 1780669800, 0, 0 },
        { "2026-06-05 14:30:00 +0200", 1780662600, 120, 1 },
        { "2026-06-05 14:30 +02:00", 1780662600, 120, 1 },
        { "2026-06-05T14:30:00", 1780669800, 0, 0 },
        { "2024-03-01T10:20:30Z", 1709288430, 0, 1 },
        { "2024-03-01T10:20:30+05:30", 1709268630, 330, 1 },
        { "2024-03-01T10:20:30.123-07:00", 1709313630, -420, 1 },
        { "2024-03-01 10:20:30 UTC", 1709288430, 0, 1 },
        { " 2026-06-05 ", 1780617600, 0, 0 },
    };

    for (i = 0; i < UNIT_ARRAY(cases); i++) {
        if (parse(&t, cases[i].in) != BLOG_OK) {
            fail_msg("\"%s\" was not parsed", cases[i].in);
        }

        if (t.sec != cases[i].sec || t.off != cases[i].off
            || t.zone != cases[i].zone)
        {
            fail_msg("\"%s\": sec %lld off %d zone %u, expected %lld %d %u",
                     cases[i].in, (long long) t.sec, t.off, t.zone,
                     (long long) cases[i].sec, cases[i].off, cases[i].zone);
        }
    }
}


static void
test_date_leap_day(void **state)
{
    blog_time_t  t;

    assert_int_equal(parse(&t, "2024-02-29"), BLOG_OK);
    assert_int_equal(t.sec, 1709164800);

    assert_int_equal(parse(&t, "2000-02-29"), BLOG_OK);
    assert_int_equal(t.sec, 951782400);

    assert_int_equal(parse(&t, "2023-02-29"), BLOG_DECLINED);
    assert_int_equal(parse(&t, "1900-02-29"), BLOG_DECLINED);
}


static void
test_date_rejects(void **state)
{
    size_t       i;
    blog_time_t  t;
    const char  *cases[] = {
        "2026-13-01",
        "2026-00-10",
        "2023-02-29",
        "2026-04-31",
        "2026-06-00",
        "June 5",
        "June 5, 2026",
        "2026-06-05 25:00",
        "2026-06-05 14:60",
        "2026-06-05 14:30 +2400",
        "2026-06-05x",
        "26-06-05",
        "",
        "yesterday",
    };

    for (i = 0; i < UNIT_ARRAY(cases); i++) {
        if (parse(&t, cases[i]) != BLOG_DECLINED) {
            fail_msg("\"%s\" was accepted as a date", cases[i]);
        }
    }
}


/* the Jekyll name prefix is parsed in place, by length */

static void
test_date_length(void **state)
{
    const char   *name = "2026-06-05-hello.md";
    blog_time_t   t;

    assert_int_equal(blog_date_parse(&t, (const u_char *) name, 10), BLOG_OK);
    assert_int_equal(t.sec, 1780617600);

    assert_int_equal(blog_date_parse(&t, (const u_char *) name, 11),
                     BLOG_DECLINED);
}


/*
 * What comes before the year: any blank the patterns' "\s" takes, and
 * nothing else; a name such as "post-00001" (a "-" at the eleventh byte,
 * as a Jekyll name has) is declined.
 */

static void
test_date_first_byte(void **state)
{
    size_t        i;
    blog_time_t   t;
    const char   *name = "post-00001-hello.md";
    const char   *dates[] = {
        "2026-06-05", " 2026-06-05", "\t2026-06-05", "\n2026-06-05",
        "\v2026-06-05", "\f2026-06-05", "\r2026-06-05",
        " \t 2026-06-05 14:30",
        "2023-01-29 18:30:22 2023 -0800",
    };
    const char   *others[] = {
        "-2026-06-05", "x2026-06-05", "\x01" "2026-06-05",
        "\xc2\xa0" "2026-06-05", " ", " \t", "T2026-06-05", "+2026-06-05",
    };

    for (i = 0; i < UNIT_ARRAY(dates); i++) {
        if (parse(&t, dates[i]) != BLOG_OK) {
            fail_msg("\"%s\" was not parsed", dates[i]);
        }
    }

    for (i = 0; i < UNIT_ARRAY(others); i++) {
        if (parse(&t, others[i]) != BLOG_DECLINED) {
            fail_msg("\"%s\" was accepted as a date", others[i]);
        }
    }

    assert_int_equal(blog_date_parse(&t, (const u_char *) name, 10),
                     BLOG_DECLINED);
}


static void
test_date_before_1970(void **state)
{
    blog_buf_t   b;
    blog_time_t  t;

    blog_buf_init(&b);

    assert_int_equal(parse(&t, "1969-12-31"), BLOG_OK);
    assert_int_equal(t.sec, -86400);
    blog_date_human(&b, &t);
    assert_string_equal(unit_buf_str(&b), "Dec 31, 1969");

    assert_int_equal(parse(&t, "1969-07-20 20:17"), BLOG_OK);
    assert_int_equal(t.sec, -14182980);

    b.len = 0;
    blog_date_iso(&b, &t);
    assert_string_equal(unit_buf_str(&b), "1969-07-20T20:17:00Z");

    b.len = 0;
    blog_date_http(&b, t.sec);
    assert_string_equal(unit_buf_str(&b), "Sun, 20 Jul 1969 20:17:00 GMT");

    assert_int_equal(parse(&t, "1900-01-01"), BLOG_OK);
    assert_int_equal(t.sec, -2208988800LL);

    b.len = 0;
    blog_date_http(&b, t.sec);
    assert_string_equal(unit_buf_str(&b), "Mon, 01 Jan 1900 00:00:00 GMT");

    /* a minute before the epoch, west of UTC */
    assert_int_equal(parse(&t, "1969-12-31 18:59 -0500"), BLOG_OK);
    assert_int_equal(t.sec, -60);

    b.len = 0;
    blog_date_iso(&b, &t);
    assert_string_equal(unit_buf_str(&b), "1969-12-31T18:59:00-05:00");

    blog_buf_free(&b);
}


static void
test_date_human(void **state)
{
    blog_buf_t   b;
    blog_time_t  t;

    blog_buf_init(&b);

    assert_int_equal(parse(&t, "2026-06-05"), BLOG_OK);
    blog_date_human(&b, &t);
    assert_string_equal(unit_buf_str(&b), "Jun 5, 2026");

    b.len = 0;
    assert_int_equal(parse(&t, "2024-12-31 23:59:59"), BLOG_OK);
    blog_date_human(&b, &t);
    assert_string_equal(unit_buf_str(&b), "Dec 31, 2024");

    blog_buf_free(&b);
}


/* shown on the author's calendar, not UTC's */

static void
test_date_human_author_zone(void **state)
{
    blog_buf_t   b;
    blog_time_t  t;

    blog_buf_init(&b);

    assert_int_equal(parse(&t, "2026-06-05 23:30:00 -0300"), BLOG_OK);
    assert_int_equal(t.sec, 1780713000);
    assert_int_equal(t.off, -180);

    blog_date_human(&b, &t);
    assert_string_equal(unit_buf_str(&b), "Jun 5, 2026");

    b.len = 0;
    blog_date_http(&b, t.sec);
    assert_string_equal(unit_buf_str(&b), "Sat, 06 Jun 2026 02:30:00 GMT");

    b.len = 0;
    assert_int_equal(parse(&t, "2026-06-06 01:00 +0300"), BLOG_OK);
    blog_date_human(&b, &t);
    assert_string_equal(unit_buf_str(&b), "Jun 6, 2026");

    blog_buf_free(&b);
}


static void
test_date_iso(void **state)
{
    blog_buf_t   b;
    blog_time_t  t;

    blog_buf_init(&b);

    assert_int_equal(parse(&t, "2024-03-01T10:20:30Z"), BLOG_OK);
    blog_date_iso(&b, &t);
    assert_string_equal(unit_buf_str(&b), "2024-03-01T10:20:30Z");

    b.len = 0;
    assert_int_equal(parse(&t, "2026-06-05"), BLOG_OK);
    blog_date_iso(&b, &t);
    assert_string_equal(unit_buf_str(&b), "2026-06-05T00:00:00Z");

    b.len = 0;
    assert_int_equal(parse(&t, "2026-06-05 14:30:00 +0200"), BLOG_OK);
    blog_date_iso(&b, &t);
    assert_string_equal(unit_buf_str(&b), "2026-06-05T14:30:00+02:00");

    b.len = 0;
    assert_int_equal(parse(&t, "2024-03-01T10:20:30+05:30"), BLOG_OK);
    blog_date_iso(&b, &t);
    assert_string_equal(unit_buf_str(&b), "2024-03-01T10:20:30+05:30");

    b.len = 0;
    assert_int_equal(parse(&t, "2024-03-01T10:20:30.123-07:00"), BLOG_OK);
    blog_date_iso(&b, &t);
    assert_string_equal(unit_buf_str(&b), "2024-03-01T10:20:30-07:00");

    blog_buf_free(&b);
}


static void
test_date_http(void **state)
{
    blog_buf_t  b;

    blog_buf_init(&b);

    blog_date_http(&b, 1780617600);
    assert_string_equal(unit_buf_str(&b), "Fri, 05 Jun 2026 00:00:00 GMT");

    b.len = 0;
    blog_date_http(&b, 0);
    assert_string_equal(unit_buf_str(&b), "Thu, 01 Jan 1970 00:00:00 GMT");

    b.len = 0;
    blog_date_http(&b, 784111777);
    assert_string_equal(unit_buf_str(&b), "Sun, 06 Nov 1994 08:49:37 GMT");

    b.len = 0;
    blog_date_http(&b, 1709164800 + 86399);
    assert_string_equal(unit_buf_str(&b), "Thu, 29 Feb 2024 23:59:59 GMT");

    blog_buf_free(&b);
}


int
main(void)
{
    const struct CMUnitTest  tests[] = {
        cmocka_unit_test(test_date_forms),
        cmocka_unit_test(test_date_leap_day),
        cmocka_unit_test(test_date_rejects),
        cmocka_unit_test(test_date_length),
        cmocka_unit_test(test_date_first_byte),
        cmocka_unit_test(test_date_before_1970),
        cmocka_unit_test(test_date_human),
        cmocka_unit_test(test_date_human_author_zone),
        cmocka_unit_test(test_date_iso),
        cmocka_unit_test(test_date_http),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
