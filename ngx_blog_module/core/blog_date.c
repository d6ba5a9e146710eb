
/*
 * Dates as blogs write them: "2026-06-05", "2026-06-05 14:30",
 * "2026-06-05 14:30:00 +0200", RFC 3339.  A time with no zone is UTC.  The
 * pattern is compiled once per process; each call has its own match data,
 * so threads may parse at once.  Calendar arithmetic is done here rather
 * than with timegm(), which consults the process's TZ.
 */


#include <string.h>
#include <pthread.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "blog.h"


static void blog_date_compile(void);
static int64_t blog_days_from_civil(int64_t y, unsigned m, unsigned d);
static void blog_civil_from_days(int64_t z, int64_t *y, unsigned *m,
    unsigned *d);
static int blog_date_space(u_char c);
static unsigned blog_match_num(pcre2_match_data *md, const u_char *p,
    int n, unsigned *set);


static pthread_once_t  blog_date_once = PTHREAD_ONCE_INIT;
static pcre2_code     *blog_date_re;
static pcre2_code     *blog_date_lenient_re;

static const char  *blog_months[] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

static const char  *blog_wdays[] = {
    "Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"
};


static void
blog_date_compile(void)
{
    int         err;
    PCRE2_SIZE  off;

    blog_date_re = pcre2_compile((PCRE2_SPTR)
        "^\\s*([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
        "(?:(?:[Tt]|\\s+)([0-9]{1,2}):([0-9]{2})"
        "(?::([0-9]{2})(?:[.,][0-9]+)?)?)?"
        "\\s*(?:([Zz]|UTC|GMT)|([+-])([0-9]{2}):?([0-9]{2}))?\\s*$",
        PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);

    /*
     * As lenient as Ruby's Time.parse, which Jekyll uses, about numbers
     * between the time and the zone: "2023-01-29 18:30:22 2023 -0800".
     */

    blog_date_lenient_re = pcre2_compile((PCRE2_SPTR)
        "^\\s*([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
        "(?:(?:[Tt]|\\s+)([0-9]{1,2}):([0-9]{2})"
        "(?::([0-9]{2})(?:[.,][0-9]+)?)?)?"
        "\\s[0-9\\s]*?(?:([Zz]|UTC|GMT)|([+-])([0-9]{2}):?([0-9]{2}))?"
        "\\s*$",
        PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);

    /*
     * Every post's dates are matched at each first scan: compiled to
     * machine code they match several times faster.  Where the JIT is
     * missing or refused (no executable memory), pcre2_match() runs the
     * interpreter as before.
     */

    if (blog_date_re != NULL) {
        (void) pcre2_jit_compile(blog_date_re, PCRE2_JIT_COMPLETE);
    }

    if (blog_date_lenient_re != NULL) {
        (void) pcre2_jit_compile(blog_date_lenient_re, PCRE2_JIT_COMPLETE);
    }
}


int
blog_date_init(void)
{
    pthread_once(&blog_date_once, blog_date_compile);

    return blog_date_re != NULL ? BLOG_OK : BLOG_ERROR;
}


int
blog_date_parse(blog_time_t *t, const u_char *p, size_t n)
{
    int                rc;
    size_t             i;
    int64_t            year;
    unsigned           mon, day, hour, min, sec, zh, zm, set;
    pcre2_match_data  *md;
    static const u_char  mdays[] = {
        31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
    };

    if (blog_date_init() != BLOG_OK) {
        return BLOG_ERROR;
    }

    /*
     * Both patterns want blanks, then a digit: what does not start so is
     * declined before a match, as most file names are ("post-00001-...",
     * whose eleventh byte is a "-" as a Jekyll date's is).
     */

    for (i = 0; i < n && blog_date_space(p[i]); i++) {
        /* void */
    }

    if (i == n || p[i] < '0' || p[i] > '9') {
        return BLOG_DECLINED;
    }

    md = pcre2_match_data_create_from_pattern(blog_date_re, NULL);
    if (md == NULL) {
        return BLOG_ERROR;
    }

    rc = pcre2_match(blog_date_re, p, n, 0, 0, md, NULL);

    if (rc < 0 && blog_date_lenient_re != NULL) {
        rc = pcre2_match(blog_date_lenient_re, p, n, 0, 0, md, NULL);
    }

    if (rc < 0) {
        pcre2_match_data_free(md);
        return BLOG_DECLINED;
    }

    year = blog_match_num(md, p, 1, &set);
    mon = blog_match_num(md, p, 2, &set);
    day = blog_match_num(md, p, 3, &set);
    hour = blog_match_num(md, p, 4, &set);
    min = blog_match_num(md, p, 5, &set);
    sec = blog_match_num(md, p, 6, &set);
    zh = blog_match_num(md, p, 9, &set);
    zm = blog_match_num(md, p, 10, &set);

    t->zone = 0;
    t->off = 0;

    if (blog_match_num(md, p, 7, &set), set) {
        t->zone = 1;
    }

    blog_match_num(md, p, 8, &set);

    if (set) {
        t->zone = 1;
        t->off = (int) (zh * 60 + zm);

        if (p[pcre2_get_ovector_pointer(md)[16]] == '-') {
            t->off = -t->off;
        }
    }

    pcre2_match_data_free(md);

    if (mon < 1 || mon > 12 || day < 1 || day > mdays[mon - 1]
        || (mon == 2 && day == 29
            && !(year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)))
        || hour > 23 || min > 59 || sec > 60 || zh > 23 || zm > 59)
    {
        return BLOG_DECLINED;
    }

    t->sec = blog_days_from_civil(year, mon, day) * 86400
             + hour * 3600 + min * 60 + sec - (int64_t) t->off * 60;

    return BLOG_OK;
}


/* what "\s" matches in a pattern compiled with no Unicode properties */

static int
blog_date_space(u_char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f'
           || c == '\r';
}


static unsigned
blog_match_num(pcre2_match_data *md, const u_char *p, int n, unsigned *set)
{
    unsigned     v;
    PCRE2_SIZE  *ov, i;

    ov = pcre2_get_ovector_pointer(md);

    if ((uint32_t) n >= pcre2_get_ovector_count(md)
        || ov[2 * n] == PCRE2_UNSET)
    {
        *set = 0;
        return 0;
    }

    *set = 1;
    v = 0;

    for (i = ov[2 * n]; i < ov[2 * n + 1]; i++) {
        if (p[i] >= '0' && p[i] <= '9') {
            v = v * 10 + (p[i] - '0');
        }
    }

    return v;
}


/* days since 1970-01-01 of a proleptic Gregorian date */

static int64_t
blog_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t   era;
    unsigned  yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned) (y - era * 400);
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + (int64_t) doe - 719468;
}


static void
blog_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    int64_t   era;
    unsigned  doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = (unsigned) (z - era * 146097);
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;

    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t) yoe + era * 400 + (*m <= 2);
}


static int64_t
blog_floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}


/* "Jun 5, 2026", in the author's own zone */

void
blog_date_human(blog_buf_t *b, const blog_time_t *t)
{
    int64_t   local, y;
    unsigned  m, d;

    local = t->sec + (int64_t) t->off * 60;
    blog_civil_from_days(blog_floor_div(local, 86400), &y, &m, &d);

    blog_buf_printf(b, "%s %u, %lld", blog_months[m - 1], d, (long long) y);
}


/* "2026-06-05T14:30:00+02:00", or "...Z" for UTC */

void
blog_date_iso(blog_buf_t *b, const blog_time_t *t)
{
    int       off;
    int64_t   local, days, secs, y;
    unsigned  m, d;

    local = t->sec + (int64_t) t->off * 60;
    days = blog_floor_div(local, 86400);
    secs = local - days * 86400;
    blog_civil_from_days(days, &y, &m, &d);

    blog_buf_printf(b, "%04lld-%02u-%02uT%02u:%02u:%02u", (long long) y, m, d,
                    (unsigned) (secs / 3600), (unsigned) (secs / 60 % 60),
                    (unsigned) (secs % 60));

    if (t->off == 0) {
        blog_buf_addc(b, 'Z');
        return;
    }

    off = t->off < 0 ? -t->off : t->off;

    blog_buf_printf(b, "%c%02d:%02d", t->off < 0 ? '-' : '+',
                    off / 60, off % 60);
}


/* "Fri, 05 Jun 2026 00:00:00 GMT" */

void
blog_date_http(blog_buf_t *b, int64_t sec)
{
    int64_t   days, secs, y;
    unsigned  m, d;

    days = blog_floor_div(sec, 86400);
    secs = sec - days * 86400;
    blog_civil_from_days(days, &y, &m, &d);

    blog_buf_printf(b, "%s, %02u %s %04lld %02u:%02u:%02u GMT",
                    blog_wdays[((days % 7) + 7) % 7], d, blog_months[m - 1],
                    (long long) y, (unsigned) (secs / 3600),
                    (unsigned) (secs / 60 % 60), (unsigned) (secs % 60));
}


/*
 * The clock that scans are ordered by and missing files are timed on, in
 * ms: the same in every process, and no change of the time of day moves
 * it.
 */

int64_t
blog_monotonic_ms(void)
{
    struct timespec  ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);

    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
