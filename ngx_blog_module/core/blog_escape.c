
/*
 * Escaping for HTML, URIs and JSON, UTF-8 validation, text that XML can
 * hold, the text an HTML fragment shows, and tag URL names.  Tag names
 * may be in any script, so lower-casing uses the C.UTF-8 locale's
 * wide-character tables, opened once for the process.
 */


#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <wctype.h>
#include <pthread.h>

#include "blog.h"


static size_t blog_html_ref(blog_buf_t *b, const u_char *p, size_t n);
static void blog_locale_open(void);
static size_t blog_utf8_decode(const u_char *p, size_t n, uint32_t *cp);
static void blog_utf8_encode(blog_buf_t *b, uint32_t cp);


static pthread_once_t  blog_locale_once = PTHREAD_ONCE_INIT;
static locale_t        blog_locale;


void
blog_escape_html(blog_buf_t *b, const u_char *p, size_t n)
{
    size_t  i, start;

    if (n == 0) {
        return;     /* p may be NULL: an empty buffer's */
    }

    start = 0;

    for (i = 0; i < n; i++) {
        const char  *esc;

        switch (p[i]) {
        case '<':
            esc = "&lt;";
            break;
        case '>':
            esc = "&gt;";
            break;
        case '&':
            esc = "&amp;";
            break;
        case '"':
            esc = "&quot;";
            break;
        case '\'':
            esc = "&#39;";
            break;
        default:
            continue;
        }

        blog_buf_add(b, p + start, i - start);
        blog_buf_adds(b, esc);
        start = i + 1;
    }

    blog_buf_add(b, p + start, n - start);
}


/* percent-encodes all but RFC 3986 unreserved characters */

void
blog_escape_uri(blog_buf_t *b, const u_char *p, size_t n)
{
    size_t               i;
    static const u_char  hex[] = "0123456789ABCDEF";

    for (i = 0; i < n; i++) {
        u_char  c = p[i];

        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
            || (c >= '0' && c <= '9')
            || c == '-' || c == '.' || c == '_' || c == '~')
        {
            blog_buf_addc(b, c);
            continue;
        }

        blog_buf_addc(b, '%');
        blog_buf_addc(b, hex[c >> 4]);
        blog_buf_addc(b, hex[c & 0xf]);
    }
}


/*
 * A decoded path for a Location header: bytes a URI may not hold as they
 * are (controls, space, non-ASCII), those that would end the path ("#",
 * "?") or start an escape ("%"), and "\\", which browsers take for "/":
 * "/\\x" would be "//x", another host.  Every other byte stays.
 */

void
blog_escape_path(blog_buf_t *b, const u_char *p, size_t n)
{
    size_t               i;
    u_char               c;
    static const u_char  hex[] = "0123456789ABCDEF";

    for (i = 0; i < n; i++) {
        c = p[i];

        if (c <= ' ' || c >= 0x7f
            || c == '#' || c == '%' || c == '?' || c == '\\')
        {
            blog_buf_addc(b, '%');
            blog_buf_addc(b, hex[c >> 4]);
            blog_buf_addc(b, hex[c & 0xf]);
            continue;
        }

        blog_buf_addc(b, c);
    }
}


/*
 * JSON string escaping; "<", ">" and "&" become \u escapes too, so the
 * text can never close the <script> element it sits in.
 */

void
blog_escape_json(blog_buf_t *b, const u_char *p, size_t n)
{
    size_t               i;
    static const u_char  hex[] = "0123456789abcdef";

    for (i = 0; i < n; i++) {
        u_char  c = p[i];

        if (c == '"' || c == '\\') {
            blog_buf_addc(b, '\\');
            blog_buf_addc(b, c);

        } else if (c == '\n') {
            blog_buf_adds(b, "\\n");

        } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            blog_buf_adds(b, "\\u00");
            blog_buf_addc(b, hex[c >> 4]);
            blog_buf_addc(b, hex[c & 0xf]);

        } else {
            blog_buf_addc(b, c);
        }
    }
}


/*
 * Returns n when p holds valid UTF-8 (no overlong forms, no surrogates,
 * nothing past U+10FFFF), else the offset of the first bad byte.
 */

size_t
blog_utf8_check(const u_char *p, size_t n)
{
    size_t    i, len;
    uint32_t  cp;
    uint64_t  w, x[4];

    for (i = 0; i < n; i += len) {

        /* ASCII, most of any text, 32 bytes at a time, then eight */

        if (n - i >= 32) {
            memcpy(x, p + i, 32);

            if (((x[0] | x[1] | x[2] | x[3]) & 0x8080808080808080ULL) == 0) {
                len = 32;
                continue;
            }
        }

        if (n - i >= 8) {
            memcpy(&w, p + i, 8);

            if ((w & 0x8080808080808080ULL) == 0) {
                len = 8;
                continue;
            }
        }

        if (p[i] < 0x80) {
            len = 1;
            continue;
        }

        len = blog_utf8_decode(p + i, n - i, &cp);
        if (len == 0) {
            return i;
        }
    }

    return n;
}


/*
 * Appends p as text that any XML 1.0 document (the feeds) can hold: each
 * character XML forbids (C0 controls but TAB, LF and CR; U+FFFE, U+FFFF)
 * and each byte that starts no well-formed sequence becomes U+FFFD, as
 * cmark does with NUL.
 */

void
blog_text_clean(blog_buf_t *b, const u_char *p, size_t n)
{
    size_t    i, start, len;
    uint32_t  cp;

    if (n == 0) {
        return;
    }

    start = 0;

    for (i = 0; i < n; i += len) {
        if (p[i] >= 0x20 && p[i] < 0x80) {
            len = 1;
            continue;
        }

        len = blog_utf8_decode(p + i, n - i, &cp);

        if (len != 0 && cp != 0xfffe && cp != 0xffff
            && (cp >= 0x20 || cp == '\t' || cp == '\n' || cp == '\r'))
        {
            continue;
        }

        if (len == 0) {
            len = 1;
        }

        blog_buf_add(b, p + start, i - start);
        blog_buf_adds(b, "\xef\xbf\xbd");
        start = i + len;
    }

    blog_buf_add(b, p + start, n - start);
}


static size_t
blog_utf8_decode(const u_char *p, size_t n, uint32_t *cp)
{
    size_t    len, i;
    uint32_t  c, min;

    c = p[0];

    if (c < 0x80) {
        *cp = c;
        return 1;
    }

    if ((c & 0xe0) == 0xc0) {
        len = 2;
        c &= 0x1f;
        min = 0x80;

    } else if ((c & 0xf0) == 0xe0) {
        len = 3;
        c &= 0x0f;
        min = 0x800;

    } else if ((c & 0xf8) == 0xf0) {
        len = 4;
        c &= 0x07;
        min = 0x10000;

    } else {
        return 0;
    }

    if (n < len) {
        return 0;
    }

    for (i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80) {
            return 0;
        }

        c = (c << 6) | (p[i] & 0x3f);
    }

    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
        return 0;
    }

    *cp = c;

    return len;
}


static void
blog_utf8_encode(blog_buf_t *b, uint32_t cp)
{
    if (cp < 0x80) {
        blog_buf_addc(b, (u_char) cp);

    } else if (cp < 0x800) {
        blog_buf_addc(b, (u_char) (0xc0 | (cp >> 6)));
        blog_buf_addc(b, (u_char) (0x80 | (cp & 0x3f)));

    } else if (cp < 0x10000) {
        blog_buf_addc(b, (u_char) (0xe0 | (cp >> 12)));
        blog_buf_addc(b, (u_char) (0x80 | ((cp >> 6) & 0x3f)));
        blog_buf_addc(b, (u_char) (0x80 | (cp & 0x3f)));

    } else {
        blog_buf_addc(b, (u_char) (0xf0 | (cp >> 18)));
        blog_buf_addc(b, (u_char) (0x80 | ((cp >> 12) & 0x3f)));
        blog_buf_addc(b, (u_char) (0x80 | ((cp >> 6) & 0x3f)));
        blog_buf_addc(b, (u_char) (0x80 | (cp & 0x3f)));
    }
}


/*
 * The text an HTML fragment shows a reader: tags dropped, character
 * references decoded, each run of white space one space, none at the
 * ends.  The fragments are the theme's and the escaper's, so a tag ends
 * at its first ">".
 */

void
blog_html_text(blog_buf_t *b, const u_char *p, size_t n)
{
    size_t    i, start;
    unsigned  space;

    start = b->len;
    space = 0;

    for (i = 0; i < n; /* void */) {
        if (p[i] == '<') {
            while (i < n && p[i] != '>') {
                i++;
            }

            i++;
            continue;
        }

        if (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r') {
            space = 1;
            i++;
            continue;
        }

        if (space && b->len > start) {
            blog_buf_addc(b, ' ');
        }

        space = 0;

        if (p[i] == '&') {
            i += blog_html_ref(b, p + i, n - i);
            continue;
        }

        blog_buf_addc(b, p[i++]);
    }
}


/* "&amp;", "&#39;", "&#x2014;"... at p as the character: its length */

static size_t
blog_html_ref(blog_buf_t *b, const u_char *p, size_t n)
{
    size_t       i, k;
    uint32_t     cp;
    unsigned     base;
    const char  *name[] = { "amp;", "lt;", "gt;", "quot;", "apos;", "nbsp;",
                            NULL };
    const char   text[] = { '&', '<', '>', '"', '\'', ' ' };

    for (k = 0; name[k] != NULL; k++) {
        i = strlen(name[k]);

        if (n > i && memcmp(p + 1, name[k], i) == 0) {
            blog_buf_addc(b, (u_char) text[k]);
            return i + 1;
        }
    }

    if (n < 4 || p[1] != '#') {
        blog_buf_addc(b, '&');
        return 1;
    }

    base = (p[2] == 'x' || p[2] == 'X') ? 16 : 10;
    cp = 0;

    for (i = base == 16 ? 3 : 2; i < n && i < 10; i++) {
        if (p[i] >= '0' && p[i] <= '9') {
            cp = cp * base + (p[i] - '0');

        } else if (base == 16 && (p[i] | 0x20) >= 'a' && (p[i] | 0x20) <= 'f')
        {
            cp = cp * 16 + ((p[i] | 0x20) - 'a' + 10);

        } else {
            break;
        }
    }

    if (i == n || p[i] != ';' || i == (base == 16 ? 3u : 2u)
        || cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
    {
        blog_buf_addc(b, '&');
        return 1;
    }

    blog_utf8_encode(b, cp);

    return i + 1;
}


static void
blog_locale_open(void)
{
    blog_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t) 0);
}


/*
 * "Next.js" -> "next-js", "C++" -> "c++", "Café" -> "café": letters of any
 * script lower-cased, digits, "+" and "#" kept, every other run one "-".
 * An empty key (a tag of punctuation only) is declined.
 */

int
blog_tag_key(blog_str_t *key, const u_char *name, size_t n)
{
    size_t      i, len;
    uint32_t    cp;
    unsigned    dash;
    blog_buf_t  b;

    pthread_once(&blog_locale_once, blog_locale_open);

    blog_buf_init(&b);
    dash = 0;

    for (i = 0; i < n; i += len) {
        len = blog_utf8_decode(name + i, n - i, &cp);
        if (len == 0) {
            len = 1;
            cp = '-';
        }

        if (cp == '+' || cp == '#'
            || (cp < 0x80 && ((cp >= '0' && cp <= '9')
                              || (cp >= 'a' && cp <= 'z')
                              || (cp >= 'A' && cp <= 'Z')))
            || (cp >= 0x80 && blog_locale != (locale_t) 0
                && iswalnum_l((wint_t) cp, blog_locale)))
        {
            if (dash && b.len) {
                blog_buf_addc(&b, '-');
            }

            dash = 0;

            if (cp < 0x80) {
                if (cp >= 'A' && cp <= 'Z') {
                    cp |= 0x20;
                }

            } else if (blog_locale != (locale_t) 0) {
                cp = towlower_l((wint_t) cp, blog_locale);
            }

            blog_utf8_encode(&b, cp);
            continue;
        }

        dash = 1;
    }

    if (b.failed) {
        blog_buf_free(&b);
        return BLOG_ERROR;
    }

    if (b.len == 0) {
        blog_buf_free(&b);
        return BLOG_DECLINED;
    }

    if (blog_str_dup(key, b.data, b.len) != BLOG_OK) {
        blog_buf_free(&b);
        return BLOG_ERROR;
    }

    blog_buf_free(&b);

    return BLOG_OK;
}


/*
 * Whether a value may land in a link's or an image's address: not one with
 * a scheme that runs script (javascript:, vbscript:, data:), read as a
 * browser reads it, leading blanks and controls skipped and tabs and line
 * breaks dropped anywhere, in any case.
 */

int
blog_url_safe(const u_char *p, size_t n)
{
    size_t         len, i;
    u_char         c, scheme[11];
    const u_char  *end;
    static const char  *unsafe[] = { "javascript", "vbscript", "data",
                                     NULL };

    end = p + n;

    while (p < end && *p <= 0x20) {
        p++;
    }

    for (len = 0; p < end; p++) {
        c = *p;

        if (c == '\t' || c == '\n' || c == '\r') {
            continue;
        }

        if (c == ':') {
            break;
        }

        if (len == sizeof(scheme)
            || !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
        {
            return 1;
        }

        scheme[len++] = c | 0x20;
    }

    if (p == end) {
        return 1;
    }

    for (i = 0; unsafe[i]; i++) {
        if (strlen(unsafe[i]) == len && memcmp(scheme, unsafe[i], len) == 0) {
            return 0;
        }
    }

    return 1;
}


/*
 * Whether the text before end, from start, opens an attribute whose value
 * is an address (href=", src=', action=...): what comes next sets the
 * address's scheme.
 */

int
blog_url_attr(const u_char *start, const u_char *end)
{
    size_t         i, n;
    u_char         name[16];
    const u_char  *p, *q;
    static const char  *attrs[] = {
        "href", "src", "action", "formaction", "poster", "cite",
        "background", "data", "xlink:href", "srcset", "ping", NULL
    };

    p = end;

    if (p > start && (p[-1] == '"' || p[-1] == '\'')) {
        p--;
    }

    while (p > start && (p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n')) {
        p--;
    }

    if (p == start || p[-1] != '=') {
        return 0;
    }

    p--;

    while (p > start && (p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n')) {
        p--;
    }

    for (q = p; q > start && ((q[-1] >= 'a' && q[-1] <= 'z')
                              || (q[-1] >= 'A' && q[-1] <= 'Z')
                              || q[-1] == ':' || q[-1] == '-');
         q--)
    {
        /* void */
    }

    n = p - q;

    if (n == 0 || n > sizeof(name)
        || (q > start && q[-1] != ' ' && q[-1] != '\t' && q[-1] != '\n'))
    {
        return 0;
    }

    for (i = 0; i < n; i++) {
        name[i] = q[i] | 0x20;
    }

    for (i = 0; attrs[i]; i++) {
        if (strlen(attrs[i]) == n && memcmp(name, attrs[i], n) == 0) {
            return 1;
        }
    }

    return 0;
}
