
/*
 * Tag URL names, escaping and UTF-8 validation on any bytes.  A tag key is
 * declined only when the name has no letter or digit, and otherwise is
 * valid UTF-8 with no "-" at either end and no "--"; the key of a key is
 * itself, so a URL name looks up the tag it came from.  blog_utf8_check
 * agrees with a validator written from Unicode's table 3-7, and the
 * escapers (HTML, URI, and JSON for the JSON-LD in a <script>) leave
 * nothing that needs escaping and decode back to the input.
 */


#include "fuzz.h"


static void fuzz_tag_key(const u_char *p, size_t n);
static void fuzz_escape_html(const u_char *p, size_t n);
static void fuzz_escape_uri(const u_char *p, size_t n);
static void fuzz_escape_json(const u_char *p, size_t n);
static int fuzz_unreserved(u_char c);


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_check(blog_utf8_check(data, size) == fuzz_utf8_check(data, size));

    fuzz_tag_key(data, size);
    fuzz_escape_html(data, size);
    fuzz_escape_uri(data, size);
    fuzz_escape_json(data, size);

    return 0;
}


static void
fuzz_tag_key(const u_char *p, size_t n)
{
    int         rc;
    size_t      i;
    blog_str_t  key, again;

    rc = blog_tag_key(&key, p, n);

    if (rc == BLOG_DECLINED) {
        /* nothing kept: no ASCII letter or digit, "+" or "#" */

        for (i = 0; i < n; i++) {
            fuzz_check(!((p[i] >= '0' && p[i] <= '9')
                         || (p[i] >= 'a' && p[i] <= 'z')
                         || (p[i] >= 'A' && p[i] <= 'Z')
                         || p[i] == '+' || p[i] == '#'));
        }

        return;
    }

    fuzz_check(rc == BLOG_OK);
    fuzz_check_tag_key(&key);

    rc = blog_tag_key(&again, key.data, key.len);

    fuzz_check(rc == BLOG_OK);
    fuzz_check(blog_str_eq(&key, &again));

    free(again.data);
    free(key.data);
}


static void
fuzz_escape_html(const u_char *p, size_t n)
{
    size_t      i, k, len;
    blog_buf_t  b;
    static const char  *entities[] = {
        "&lt;", "&gt;", "&amp;", "&quot;", "&#39;"
    };

    blog_buf_init(&b);
    blog_escape_html(&b, p, n);

    fuzz_check(!b.failed);
    fuzz_check(b.len >= n);

    for (i = 0; i < b.len; i++) {
        fuzz_check(b.data[i] != '<' && b.data[i] != '>'
                   && b.data[i] != '"' && b.data[i] != '\'');

        if (b.data[i] != '&') {
            continue;
        }

        for (k = 0; k < FUZZ_ARRAY(entities); k++) {
            len = strlen(entities[k]);

            if (b.len - i >= len && memcmp(b.data + i, entities[k], len) == 0)
            {
                break;
            }
        }

        fuzz_check(k < FUZZ_ARRAY(entities));
    }

    blog_buf_free(&b);
}


static void
fuzz_escape_uri(const u_char *p, size_t n)
{
    size_t      i, k;
    u_char      c;
    blog_buf_t  b;
    static const char  hex[] = "0123456789ABCDEF";

    blog_buf_init(&b);
    blog_escape_uri(&b, p, n);

    fuzz_check(!b.failed);

    /* decoding gives the input back, and only what must is encoded */

    for (i = 0, k = 0; i < b.len; k++) {
        fuzz_check(k < n);

        if (b.data[i] != '%') {
            fuzz_check(fuzz_unreserved(b.data[i]));
            fuzz_check(b.data[i] == p[k]);
            i++;
            continue;
        }

        fuzz_check(b.len - i >= 3);

        c = p[k];
        fuzz_check(!fuzz_unreserved(c));
        fuzz_check(b.data[i + 1] == hex[c >> 4]
                   && b.data[i + 2] == hex[c & 0xf]);
        i += 3;
    }

    fuzz_check(k == n);

    blog_buf_free(&b);
}


/* a JSON string's content that is safe inside <script> and decodes back */

static void
fuzz_escape_json(const u_char *p, size_t n)
{
    size_t      i, k, d;
    u_char      c;
    unsigned    v;
    blog_buf_t  b;

    blog_buf_init(&b);
    blog_escape_json(&b, p, n);

    fuzz_check(!b.failed);

    for (i = 0, k = 0; i < b.len; k++) {
        fuzz_check(k < n);

        c = b.data[i];

        fuzz_check(c >= 0x20 && c != '"' && c != '<' && c != '>'
                   && c != '&');

        if (c != '\\') {
            fuzz_check(c == p[k]);
            i++;
            continue;
        }

        fuzz_check(b.len - i >= 2);

        c = b.data[i + 1];

        if (c == '"' || c == '\\' || c == '/') {
            fuzz_check(p[k] == c);
            i += 2;
            continue;
        }

        if (c == 'n' || c == 't' || c == 'r' || c == 'b' || c == 'f') {
            fuzz_check(p[k] == (c == 'n' ? '\n' : c == 't' ? '\t'
                                : c == 'r' ? '\r' : c == 'b' ? '\b' : '\f'));
            i += 2;
            continue;
        }

        fuzz_check(c == 'u' && b.len - i >= 6);

        v = 0;

        for (d = 2; d < 6; d++) {
            c = b.data[i + d];
            fuzz_check((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')
                       || (c >= 'A' && c <= 'F'));
            v = v * 16 + (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        }

        fuzz_check(v == p[k]);
        i += 6;
    }

    fuzz_check(k == n);

    blog_buf_free(&b);
}


static int
fuzz_unreserved(u_char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
           || (c >= '0' && c <= '9')
           || c == '-' || c == '.' || c == '_' || c == '~';
}
