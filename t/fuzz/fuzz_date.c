
/*
 * blog_date_parse on any bytes.  A date that parses has a sane offset and
 * prints, in all three forms, without a crash; its RFC 3339 form parses
 * back to the same instant and offset whenever that form has a four-digit
 * year (a date near year 0 or 9999 can print outside it once the offset
 * or a leap second moves it).
 */


#include "fuzz.h"


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int          rc;
    blog_buf_t   b;
    blog_time_t  t, back;

    memset(&t, 0, sizeof(blog_time_t));

    rc = blog_date_parse(&t, data, size);

    if (rc != BLOG_OK) {
        fuzz_check(rc == BLOG_DECLINED);
        return 0;
    }

    fuzz_check(t.off > -24 * 60 && t.off < 24 * 60);
    fuzz_check(t.zone || t.off == 0);

    blog_buf_init(&b);

    blog_date_human(&b, &t);
    fuzz_check(!b.failed && b.len >= 8);
    b.len = 0;

    blog_date_http(&b, t.sec);
    fuzz_check(!b.failed && b.len >= 29);
    fuzz_check(memcmp(b.data + b.len - 4, " GMT", 4) == 0);
    b.len = 0;

    blog_date_iso(&b, &t);
    fuzz_check(!b.failed && b.len >= 20);

    if (b.data[0] >= '0' && b.data[0] <= '9' && b.data[4] == '-') {
        memset(&back, 0, sizeof(blog_time_t));

        rc = blog_date_parse(&back, b.data, b.len);

        if (rc != BLOG_OK) {
            fprintf(stderr, "\"%.*s\" does not parse back\n",
                    (int) b.len, b.data);
        }

        fuzz_check(rc == BLOG_OK);

        if (back.sec != t.sec || back.off != t.off) {
            fprintf(stderr, "\"%.*s\": %lld%+d, then %lld%+d\n",
                    (int) b.len, b.data, (long long) t.sec, t.off,
                    (long long) back.sec, back.off);
        }

        fuzz_check(back.sec == t.sec && back.off == t.off);
    }

    blog_buf_free(&b);

    return 0;
}
