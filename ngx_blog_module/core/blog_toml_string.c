
/*
 * TOML's four kinds of string (basic and literal, each on one line or on
 * several), decoded for a key or a value alike: escapes become what they
 * stand for, "\uXXXX" and "\UXXXXXXXX" as UTF-8, and newlines in
 * multi-line strings come out as LF.  The bytes are UTF-8 already
 * (blog_toml_parse checked them first); where a string may stand is left
 * to blog_toml.c.
 */


#include "blog_toml.h"


static int blog_toml_basic(blog_toml_t *t, blog_buf_t *out);
static int blog_toml_ml_basic(blog_toml_t *t, blog_buf_t *out);
static int blog_toml_literal(blog_toml_t *t, blog_buf_t *out);
static int blog_toml_ml_literal(blog_toml_t *t, blog_buf_t *out);
static size_t blog_toml_quotes(blog_toml_t *t, blog_buf_t *out,
    const u_char *run, u_char q, unsigned *closed);
static int blog_toml_escape(blog_toml_t *t, blog_buf_t *out, unsigned line);
static int blog_toml_unicode(blog_toml_t *t, blog_buf_t *out, size_t len,
    unsigned line);


blog_node_t *
blog_toml_string_value(blog_toml_t *t)
{
    unsigned  line;

    line = t->line;
    t->text.len = 0;

    if (blog_toml_string(t, &t->text) != BLOG_OK) {
        return NULL;
    }

    return blog_toml_text_node(t, BLOG_NODE_STRING, line);
}


/* any of the four string forms, decoded and appended to out */

int
blog_toml_string(blog_toml_t *t, blog_buf_t *out)
{
    int       rc;
    u_char    q;
    unsigned  multi;

    q = *t->p;
    multi = (t->end - t->p >= 3 && t->p[1] == q && t->p[2] == q);

    if (q == '"') {
        rc = multi ? blog_toml_ml_basic(t, out) : blog_toml_basic(t, out);

    } else {
        rc = multi ? blog_toml_ml_literal(t, out)
                   : blog_toml_literal(t, out);
    }

    if (rc == BLOG_OK && out->failed) {
        return blog_toml_nomem(t);
    }

    return rc;
}


static int
blog_toml_basic(blog_toml_t *t, blog_buf_t *out)
{
    u_char         c;
    unsigned       line;
    const u_char  *run;

    line = t->line;
    run = ++t->p;

    for ( ;; ) {
        if (t->p == t->end) {
            return blog_toml_error(t, line, "unterminated string");
        }

        c = *t->p;

        if (c != '"' && c != '\\' && (c >= 0x20 || c == '\t') && c != 0x7f) {
            t->p++;
            continue;
        }

        blog_buf_add(out, run, t->p - run);

        if (c == '"') {
            t->p++;
            return BLOG_OK;
        }

        if (c == '\\') {
            if (blog_toml_escape(t, out, line) != BLOG_OK) {
                return BLOG_ERROR;
            }

            run = t->p;
            continue;
        }

        if (c == '\n' || (c == '\r' && t->end - t->p >= 2 && t->p[1] == '\n'))
        {
            return blog_toml_error(t, line, "unterminated string");
        }

        return blog_toml_error(t, t->line, "control character U+%04X in a "
                               "string", c);
    }
}


static int
blog_toml_ml_basic(blog_toml_t *t, blog_buf_t *out)
{
    u_char         c;
    unsigned       line, closed;
    const u_char  *run, *q;

    line = t->line;
    t->p += 3;

    /* a newline right after the quotes is not the string's */

    (void) blog_toml_newline(t);
    run = t->p;

    for ( ;; ) {
        if (t->p == t->end) {
            return blog_toml_error(t, line, "unterminated multi-line string");
        }

        c = *t->p;

        if (c == '"') {
            t->p += blog_toml_quotes(t, out, run, '"', &closed);

            if (closed) {
                return BLOG_OK;
            }

            continue;
        }

        if (c == '\\') {
            blog_buf_add(out, run, t->p - run);

            /* a backslash ending a line: the blanks and newlines after go */

            for (q = t->p + 1; q < t->end && (*q == ' ' || *q == '\t'); q++) {
                /* void */
            }

            if (q < t->end
                && (*q == '\n'
                    || (*q == '\r' && t->end - q >= 2 && q[1] == '\n')))
            {
                t->p = q;

                do {
                    blog_toml_blank(t);
                } while (blog_toml_newline(t));

            } else if (blog_toml_escape(t, out, t->line) != BLOG_OK) {
                return BLOG_ERROR;
            }

            run = t->p;
            continue;
        }

        if (c == '\n') {
            t->p++;
            t->line++;
            continue;
        }

        if (c == '\r' && t->end - t->p >= 2 && t->p[1] == '\n') {
            blog_buf_add(out, run, t->p - run);
            run = ++t->p;
            continue;
        }

        if ((c < 0x20 && c != '\t') || c == 0x7f) {
            return blog_toml_error(t, t->line, "control character U+%04X in "
                                   "a string", c);
        }

        t->p++;
    }
}


static int
blog_toml_literal(blog_toml_t *t, blog_buf_t *out)
{
    u_char         c;
    unsigned       line;
    const u_char  *run;

    line = t->line;
    run = ++t->p;

    for ( ;; ) {
        if (t->p == t->end) {
            return blog_toml_error(t, line, "unterminated string");
        }

        c = *t->p;

        if (c == '\'') {
            blog_buf_add(out, run, t->p - run);
            t->p++;
            return BLOG_OK;
        }

        if (c == '\n' || (c == '\r' && t->end - t->p >= 2 && t->p[1] == '\n'))
        {
            return blog_toml_error(t, line, "unterminated string");
        }

        if ((c < 0x20 && c != '\t') || c == 0x7f) {
            return blog_toml_error(t, t->line, "control character U+%04X in "
                                   "a string", c);
        }

        t->p++;
    }
}


static int
blog_toml_ml_literal(blog_toml_t *t, blog_buf_t *out)
{
    u_char         c;
    unsigned       line, closed;
    const u_char  *run;

    line = t->line;
    t->p += 3;

    (void) blog_toml_newline(t);
    run = t->p;

    for ( ;; ) {
        if (t->p == t->end) {
            return blog_toml_error(t, line, "unterminated multi-line string");
        }

        c = *t->p;

        if (c == '\'') {
            t->p += blog_toml_quotes(t, out, run, '\'', &closed);

            if (closed) {
                return BLOG_OK;
            }

            continue;
        }

        if (c == '\n') {
            t->p++;
            t->line++;
            continue;
        }

        if (c == '\r' && t->end - t->p >= 2 && t->p[1] == '\n') {
            blog_buf_add(out, run, t->p - run);
            run = ++t->p;
            continue;
        }

        if ((c < 0x20 && c != '\t') || c == 0x7f) {
            return blog_toml_error(t, t->line, "control character U+%04X in "
                                   "a string", c);
        }

        t->p++;
    }
}


/*
 * A run of quotes in a multi-line string: fewer than three are text;
 * three close it, and up to two more before them are the string's last.
 * Returns how many quotes to step over; what follows a longer run is
 * left to fail as text after the value.
 */

static size_t
blog_toml_quotes(blog_toml_t *t, blog_buf_t *out, const u_char *run, u_char q,
    unsigned *closed)
{
    size_t  n;

    for (n = 0; t->p + n < t->end && t->p[n] == q; n++) {
        /* void */
    }

    *closed = (n >= 3);

    if (n < 3) {
        return n;
    }

    if (n > 5) {
        n = 5;
    }

    blog_buf_add(out, run, t->p - run);
    blog_buf_add(out, t->p, n - 3);

    return n;
}


static int
blog_toml_escape(blog_toml_t *t, blog_buf_t *out, unsigned line)
{
    u_char  c;

    if (t->end - t->p < 2) {
        return blog_toml_error(t, line, "unterminated string");
    }

    c = t->p[1];

    switch (c) {

    case 'b':
        blog_buf_addc(out, '\b');
        break;

    case 't':
        blog_buf_addc(out, '\t');
        break;

    case 'n':
        blog_buf_addc(out, '\n');
        break;

    case 'f':
        blog_buf_addc(out, '\f');
        break;

    case 'r':
        blog_buf_addc(out, '\r');
        break;

    case '"':
    case '\\':
        blog_buf_addc(out, c);
        break;

    case 'u':
        return blog_toml_unicode(t, out, 4, line);

    case 'U':
        return blog_toml_unicode(t, out, 8, line);

    default:
        if (c > 0x20 && c < 0x7f) {
            return blog_toml_error(t, t->line, "invalid escape \\%c", c);
        }

        return blog_toml_error(t, t->line, "invalid escape: \\ before "
                               "U+%04X", blog_toml_codepoint(t->p + 1));
    }

    t->p += 2;

    return BLOG_OK;
}


/* "\uXXXX" or "\UXXXXXXXX": a Unicode scalar value, written as UTF-8 */

static int
blog_toml_unicode(blog_toml_t *t, blog_buf_t *out, size_t len,
    unsigned line)
{
    u_char         c, utf[4];
    size_t         i;
    uint32_t       cp;
    const u_char  *hex;

    hex = t->p + 2;
    cp = 0;

    for (i = 0; i < len; i++) {
        c = hex + i < t->end ? hex[i] : '\0';

        if (c >= '0' && c <= '9') {
            c -= '0';

        } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') {
            c = (c | 0x20) - 'a' + 10;

        } else {
            return blog_toml_error(t, t->line, "invalid escape \\%c: %u hex "
                                   "digits expected", t->p[1],
                                   (unsigned) len);
        }

        cp = (cp << 4) | c;
    }

    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        return blog_toml_error(t, t->line, "escape \\%c%.*s is not a Unicode "
                               "scalar value", t->p[1], (int) len, hex);
    }

    if (cp < 0x80) {
        utf[0] = (u_char) cp;
        i = 1;

    } else if (cp < 0x800) {
        utf[0] = (u_char) (0xc0 | (cp >> 6));
        utf[1] = (u_char) (0x80 | (cp & 0x3f));
        i = 2;

    } else if (cp < 0x10000) {
        utf[0] = (u_char) (0xe0 | (cp >> 12));
        utf[1] = (u_char) (0x80 | ((cp >> 6) & 0x3f));
        utf[2] = (u_char) (0x80 | (cp & 0x3f));
        i = 3;

    } else {
        utf[0] = (u_char) (0xf0 | (cp >> 18));
        utf[1] = (u_char) (0x80 | ((cp >> 12) & 0x3f));
        utf[2] = (u_char) (0x80 | ((cp >> 6) & 0x3f));
        utf[3] = (u_char) (0x80 | (cp & 0x3f));
        i = 4;
    }

    blog_buf_add(out, utf, i);
    t->p = hex + len;

    return BLOG_OK;
}
