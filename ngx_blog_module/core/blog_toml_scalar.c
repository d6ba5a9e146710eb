
/*
 * TOML's bare values: booleans, integers, floats, and dates and times,
 * each checked and kept as text in the form toml-test writes it: integers
 * in decimal, floats as the shortest text that reads back, dates and
 * times as RFC 3339 has them.  Quoted strings are blog_toml_string.c's;
 * where a value may stand is left to blog_toml.c.
 */


#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>
#include <math.h>

#include "blog_toml.h"


static int blog_toml_scalar_text(blog_toml_t *t, const u_char *s, size_t n,
    blog_node_type_e *type);
static int blog_toml_integer(blog_toml_t *t, const u_char *s, size_t n,
    unsigned base);
static int blog_toml_float(blog_toml_t *t, const u_char *s, size_t n);
static size_t blog_toml_digits(const u_char *s, size_t n, unsigned base);
static int blog_toml_digit_run(blog_toml_t *t, const u_char *s, size_t n,
    const u_char *tok, size_t ntok, const char *what);
static void blog_toml_float_text(blog_buf_t *b, double v);
static int blog_toml_datetime(blog_toml_t *t, const u_char *s, size_t n,
    unsigned time_only, blog_node_type_e *type);
static int blog_toml_date(blog_toml_t *t, const u_char *s, size_t n);
static int blog_toml_time(blog_toml_t *t, const u_char *s, size_t n,
    size_t *i);
static unsigned blog_toml_2digits(const u_char *s);
static int blog_toml_is_date(const u_char *s, size_t n);


/*
 * A bare value: a boolean, a number or a date-time, up to the first byte
 * none of them holds.  A date, a space and a time make one date-time.
 */

blog_node_t *
blog_toml_scalar(blog_toml_t *t)
{
    u_char             c;
    const u_char      *s;
    blog_node_type_e   type;

    s = t->p;
    type = BLOG_NODE_NULL;

    for ( ;; ) {
        while (t->p < t->end) {
            c = *t->p;

            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                  || (c >= '0' && c <= '9') || c == '_' || c == '+'
                  || c == '-' || c == '.' || c == ':'))
            {
                break;
            }

            t->p++;
        }

        if (!blog_toml_is_date(s, t->p - s) || t->end - t->p < 4
            || t->p[0] != ' ' || t->p[1] < '0' || t->p[1] > '9'
            || t->p[2] < '0' || t->p[2] > '9' || t->p[3] != ':')
        {
            break;
        }

        t->p++;
    }

    t->text.len = 0;

    if (blog_toml_scalar_text(t, s, t->p - s, &type) != BLOG_OK) {
        return NULL;
    }

    if (t->text.failed) {
        (void) blog_toml_nomem(t);
        return NULL;
    }

    return blog_toml_text_node(t, type, t->line);
}


/* the value's type, and its text in t->text */

static int
blog_toml_scalar_text(blog_toml_t *t, const u_char *s, size_t n,
    blog_node_type_e *type)
{
    char    quoted[64];
    size_t  i, k;

    if ((n == 4 && memcmp(s, "true", 4) == 0)
        || (n == 5 && memcmp(s, "false", 5) == 0))
    {
        *type = BLOG_NODE_BOOL;
        blog_buf_add(&t->text, s, n);
        return BLOG_OK;
    }

    i = (s[0] == '+' || s[0] == '-');

    if (n - i == 3
        && (memcmp(s + i, "inf", 3) == 0 || memcmp(s + i, "nan", 3) == 0))
    {
        *type = BLOG_NODE_FLOAT;
        blog_buf_adds(&t->text, s[i] == 'n' ? "nan"
                                : s[0] == '-' ? "-inf" : "inf");
        return BLOG_OK;
    }

    if (n == i || !(s[i] >= '0' && s[i] <= '9')) {
        return blog_toml_error(t, t->line, "invalid value %s",
                               blog_toml_quote(quoted, s, n));
    }

    /* digits then "-" or ":" start a date or a time, never a number */

    for (k = 0; k < n && s[k] >= '0' && s[k] <= '9'; k++) {
        /* void */
    }

    if (k > 0 && k < n && (s[k] == '-' || s[k] == ':')) {
        return blog_toml_datetime(t, s, n, s[k] == ':', type);
    }

    *type = BLOG_NODE_INTEGER;

    if (n - i >= 2 && s[i] == '0'
        && (s[i + 1] == 'x' || s[i + 1] == 'o' || s[i + 1] == 'b'))
    {
        if (i) {
            return blog_toml_error(t, t->line, "a sign on a hexadecimal, "
                                   "octal or binary integer");
        }

        return blog_toml_integer(t, s, n,
                                 s[1] == 'x' ? 16 : s[1] == 'o' ? 8 : 2);
    }

    for (i = 0; i < n; i++) {
        if (s[i] == '.' || s[i] == 'e' || s[i] == 'E') {
            *type = BLOG_NODE_FLOAT;
            return blog_toml_float(t, s, n);
        }
    }

    return blog_toml_integer(t, s, n, 10);
}


/* an int64, in decimal (signed) or with a 0x, 0o or 0b prefix */

static int
blog_toml_integer(blog_toml_t *t, const u_char *s, size_t n, unsigned base)
{
    char           digits[24];
    size_t         i;
    unsigned       neg, d;
    uint64_t       v, limit;
    const u_char  *tok;

    tok = s;
    neg = 0;

    if (base == 10 && (s[0] == '+' || s[0] == '-')) {
        neg = (s[0] == '-');
        s++;
        n--;

    } else if (base != 10) {
        s += 2;
        n -= 2;
    }

    if (blog_toml_digit_run(t, s, n, tok, s + n - tok, "integer")
        != BLOG_OK)
    {
        return BLOG_ERROR;
    }

    if (base == 10 && n > 1 && s[0] == '0') {
        return blog_toml_error(t, t->line, "leading zero in integer");
    }

    limit = neg ? (uint64_t) INT64_MAX + 1 : (uint64_t) INT64_MAX;
    v = 0;

    for (i = 0; i < n; i++) {
        if (s[i] == '_') {
            continue;
        }

        d = (s[i] <= '9') ? s[i] - '0' : (s[i] | 0x20) - 'a' + 10;

        if (v > (limit - d) / base) {
            return blog_toml_error(t, t->line, "integer out of range");
        }

        v = v * base + d;
    }

    snprintf(digits, sizeof(digits), "%s%" PRIu64, neg && v ? "-" : "", v);
    blog_buf_adds(&t->text, digits);

    return BLOG_OK;
}


/* [sign] integer part, then a fraction, an exponent or both */

static int
blog_toml_float(blog_toml_t *t, const u_char *s, size_t n)
{
    char     quoted[64];
    size_t   i, start;
    double   v;

    i = (s[0] == '+' || s[0] == '-');
    start = i;
    i += blog_toml_digits(s + i, n - i, 10);

    if (blog_toml_digit_run(t, s + start, i - start, s, n, "float")
        != BLOG_OK)
    {
        return BLOG_ERROR;
    }

    if (i - start > 1 && s[start] == '0') {
        return blog_toml_error(t, t->line, "leading zero in float");
    }

    if (i < n && s[i] == '.') {
        start = ++i;
        i += blog_toml_digits(s + i, n - i, 10);

        if (blog_toml_digit_run(t, s + start, i - start, s, n, "float")
            != BLOG_OK)
        {
            return BLOG_ERROR;
        }
    }

    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        i += (i < n && (s[i] == '+' || s[i] == '-'));
        start = i;
        i += blog_toml_digits(s + i, n - i, 10);

        if (blog_toml_digit_run(t, s + start, i - start, s, n, "float")
            != BLOG_OK)
        {
            return BLOG_ERROR;
        }
    }

    if (i != n) {
        return blog_toml_error(t, t->line, "invalid float %s",
                               blog_toml_quote(quoted, s, n));
    }

    /* strtod reads the digits without their underscores */

    for (i = 0; i < n; i++) {
        if (s[i] != '_') {
            blog_buf_addc(&t->text, s[i]);
        }
    }

    blog_buf_addc(&t->text, '\0');

    if (t->text.failed) {
        return blog_toml_nomem(t);
    }

    v = strtod((char *) t->text.data, NULL);

    if (isinf(v)) {
        return blog_toml_error(t, t->line, "float out of range");
    }

    t->text.len = 0;
    blog_toml_float_text(&t->text, v);

    return BLOG_OK;
}


/* how many of s's first bytes are digits of base or underscores */

static size_t
blog_toml_digits(const u_char *s, size_t n, unsigned base)
{
    size_t  i;
    u_char  c;

    for (i = 0; i < n; i++) {
        c = s[i];

        if (c == '_') {
            continue;
        }

        if (c >= '0' && c <= '9') {
            if ((unsigned) (c - '0') >= base) {
                break;
            }

            continue;
        }

        if (base != 16 || (c | 0x20) < 'a' || (c | 0x20) > 'f') {
            break;
        }
    }

    return i;
}


/*
 * s holds digits with single underscores between them, or the token tok is
 * refused; base 16 if what is "integer" and the token says so.
 */

static int
blog_toml_digit_run(blog_toml_t *t, const u_char *s, size_t n,
    const u_char *tok, size_t ntok, const char *what)
{
    char      quoted[64];
    size_t    i;
    unsigned  base;

    base = 10;

    if (ntok >= 2 && tok[0] == '0') {
        base = tok[1] == 'x' ? 16 : tok[1] == 'o' ? 8 : tok[1] == 'b' ? 2 : 10;
    }

    if (n == 0 || blog_toml_digits(s, n, base) != n) {
        return blog_toml_error(t, t->line, "invalid %s %s", what,
                               blog_toml_quote(quoted, tok, ntok));
    }

    for (i = 0; i < n; i++) {
        if (s[i] == '_'
            && (i == 0 || i == n - 1 || s[i - 1] == '_' || s[i + 1] == '_'))
        {
            return blog_toml_error(t, t->line, "misplaced underscore in %s "
                                   "%s", what,
                                   blog_toml_quote(quoted, tok, ntok));
        }
    }

    return BLOG_OK;
}


/*
 * The shortest text that reads back as v, as JavaScript writes numbers:
 * "3.14", "-0", "9007199254740991", "1e+300", "5e-324".
 */

static void
blog_toml_float_text(blog_buf_t *b, double v)
{
    int     prec, exp, point, k, i;
    char    buf[40], digits[20], *e;

    if (isnan(v)) {
        blog_buf_adds(b, "nan");
        return;
    }

    if (isinf(v)) {
        blog_buf_adds(b, v < 0 ? "-inf" : "inf");
        return;
    }

    for (prec = 1; prec < 17; prec++) {
        snprintf(buf, sizeof(buf), "%.*e", prec - 1, v);

        if (strtod(buf, NULL) == v) {
            break;
        }
    }

    snprintf(buf, sizeof(buf), "%.*e", prec - 1, v);

    /* buf is [-]d[.ddd]e[+-]dd: the digits apart, and the exponent */

    e = strchr(buf, 'e');
    exp = atoi(e + 1);
    k = 0;

    for (i = 0; buf + i < e; i++) {
        if (buf[i] >= '0' && buf[i] <= '9') {
            digits[k++] = buf[i];
        }
    }

    while (k > 1 && digits[k - 1] == '0') {
        k--;
    }

    if (signbit(v)) {
        blog_buf_addc(b, '-');
    }

    point = exp + 1;

    if (point >= k && point <= 21) {
        blog_buf_add(b, digits, k);

        for (i = k; i < point; i++) {
            blog_buf_addc(b, '0');
        }

    } else if (point > 0 && point <= 21) {
        blog_buf_add(b, digits, point);
        blog_buf_addc(b, '.');
        blog_buf_add(b, digits + point, k - point);

    } else if (point > -6 && point <= 0) {
        blog_buf_adds(b, "0.");

        for (i = point; i < 0; i++) {
            blog_buf_addc(b, '0');
        }

        blog_buf_add(b, digits, k);

    } else {
        blog_buf_addc(b, digits[0]);

        if (k > 1) {
            blog_buf_addc(b, '.');
            blog_buf_add(b, digits + 1, k - 1);
        }

        snprintf(buf, sizeof(buf), "e%s%d", exp > 0 ? "+" : "", exp);
        blog_buf_adds(b, buf);
    }
}


/*
 * A date, a time, or both with or without an offset, checked (months,
 * days with leap years, hours, minutes, seconds, offsets) and written as
 * RFC 3339 has it: "T" and "Z" in capitals, seconds to the millisecond at
 * least.
 */

static int
blog_toml_datetime(blog_toml_t *t, const u_char *s, size_t n,
    unsigned time_only, blog_node_type_e *type)
{
    char      quoted[64];
    size_t    i;
    unsigned  hour, minute;

    i = 0;

    if (time_only) {
        if (blog_toml_time(t, s, n, &i) != BLOG_OK) {
            return BLOG_ERROR;
        }

        if (i != n) {
            return blog_toml_error(t, t->line, "invalid time %s",
                                   blog_toml_quote(quoted, s, n));
        }

        *type = BLOG_NODE_TIME_LOCAL;
        return BLOG_OK;
    }

    if (blog_toml_date(t, s, n) != BLOG_OK) {
        return BLOG_ERROR;
    }

    if (n == 10) {
        *type = BLOG_NODE_DATE_LOCAL;
        return BLOG_OK;
    }

    if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') {
        return blog_toml_error(t, t->line, "invalid date-time %s",
                               blog_toml_quote(quoted, s, n));
    }

    blog_buf_addc(&t->text, 'T');
    i = 11;

    if (blog_toml_time(t, s, n, &i) != BLOG_OK) {
        return BLOG_ERROR;
    }

    *type = BLOG_NODE_DATETIME_LOCAL;

    if (i == n) {
        return BLOG_OK;
    }

    *type = BLOG_NODE_DATETIME;

    if (s[i] == 'Z' || s[i] == 'z') {
        blog_buf_addc(&t->text, 'Z');
        i++;

    } else if ((s[i] == '+' || s[i] == '-') && n - i >= 6
               && blog_toml_2digits(s + i + 1) != (unsigned) -1
               && s[i + 3] == ':'
               && blog_toml_2digits(s + i + 4) != (unsigned) -1)
    {
        hour = blog_toml_2digits(s + i + 1);
        minute = blog_toml_2digits(s + i + 4);

        if (hour > 23 || minute > 59) {
            return blog_toml_error(t, t->line, "time offset out of range in "
                                   "%s", blog_toml_quote(quoted, s, n));
        }

        blog_buf_add(&t->text, s + i, 6);
        i += 6;

    } else {
        return blog_toml_error(t, t->line, "invalid time offset in %s",
                               blog_toml_quote(quoted, s, n));
    }

    if (i != n) {
        return blog_toml_error(t, t->line, "invalid date-time %s",
                               blog_toml_quote(quoted, s, n));
    }

    return BLOG_OK;
}


/* YYYY-MM-DD at s, a day of its month */

static int
blog_toml_date(blog_toml_t *t, const u_char *s, size_t n)
{
    char      quoted[64];
    unsigned  year, month, day, days;

    static const u_char  month_days[] = {
        31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
    };

    if (!blog_toml_is_date(s, n < 10 ? n : 10)) {
        return blog_toml_error(t, t->line, "invalid date %s",
                               blog_toml_quote(quoted, s, n));
    }

    year = blog_toml_2digits(s) * 100 + blog_toml_2digits(s + 2);
    month = blog_toml_2digits(s + 5);
    day = blog_toml_2digits(s + 8);

    if (month < 1 || month > 12) {
        return blog_toml_error(t, t->line, "month out of range in %s",
                               blog_toml_quote(quoted, s, n));
    }

    days = month_days[month - 1];

    if (month == 2
        && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))
    {
        days = 29;
    }

    if (day < 1 || day > days) {
        return blog_toml_error(t, t->line, "day out of range in %s",
                               blog_toml_quote(quoted, s, n));
    }

    blog_buf_add(&t->text, s, 10);

    return BLOG_OK;
}


/* HH:MM:SS[.fraction] at s + *i, which moves past it */

static int
blog_toml_time(blog_toml_t *t, const u_char *s, size_t n, size_t *i)
{
    char           quoted[64];
    size_t         k, f;
    unsigned       hour, minute, second;
    const u_char  *p;

    p = s + *i;

    if (n - *i < 8
        || (hour = blog_toml_2digits(p)) == (unsigned) -1 || p[2] != ':'
        || (minute = blog_toml_2digits(p + 3)) == (unsigned) -1
        || p[5] != ':'
        || (second = blog_toml_2digits(p + 6)) == (unsigned) -1)
    {
        return blog_toml_error(t, t->line, "invalid time in %s",
                               blog_toml_quote(quoted, s, n));
    }

    /* RFC 3339 allows a leap second */

    if (hour > 23 || minute > 59 || second > 60) {
        return blog_toml_error(t, t->line, "time out of range in %s",
                               blog_toml_quote(quoted, s, n));
    }

    blog_buf_add(&t->text, p, 8);
    *i += 8;

    if (*i < n && s[*i] == '.') {
        for (k = *i + 1; k < n && s[k] >= '0' && s[k] <= '9'; k++) {
            /* void */
        }

        if (k == *i + 1) {
            return blog_toml_error(t, t->line, "invalid time in %s",
                                   blog_toml_quote(quoted, s, n));
        }

        blog_buf_add(&t->text, s + *i, k - *i);

        for (f = k - *i - 1; f < 3; f++) {
            blog_buf_addc(&t->text, '0');
        }

        *i = k;
    }

    return BLOG_OK;
}


/* two decimal digits' value, or (unsigned) -1 */

static unsigned
blog_toml_2digits(const u_char *s)
{
    if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9') {
        return (unsigned) -1;
    }

    return (s[0] - '0') * 10 + (s[1] - '0');
}


/* exactly DDDD-DD-DD */

static int
blog_toml_is_date(const u_char *s, size_t n)
{
    return n == 10 && blog_toml_2digits(s) != (unsigned) -1
           && blog_toml_2digits(s + 2) != (unsigned) -1 && s[4] == '-'
           && blog_toml_2digits(s + 5) != (unsigned) -1 && s[7] == '-'
           && blog_toml_2digits(s + 8) != (unsigned) -1;
}
