
/*
 * blog_markdown_html on any bytes (at most 64 KB, as a post's body is
 * bounded): GitHub's dialect with raw HTML off, with heading anchors and
 * the table of contents; with raw HTML on; and strict CommonMark.  Each
 * time the HTML (and the contents) is valid UTF-8 with no character XML
 * forbids, as the feeds need; no "<script" gets through (with raw HTML
 * on, no script start tag: GitHub's tag filter holds); with raw HTML off
 * no link or image points at a javascript: or vbscript: URL (nor a link
 * at file: or data: but cmark's raster images), as a browser would read
 * the attribute: entities decoded, tabs and line breaks dropped, leading
 * blanks and controls skipped, any case.
 */


#include "fuzz.h"


#define FUZZ_MARKDOWN_MAX  65536
#define FUZZ_URL_SHOWN     64


static void fuzz_markdown(const u_char *p, size_t n, unsigned raw_html,
    unsigned dialect);
static int fuzz_script_tag(const u_char *p, size_t n, unsigned raw_html);
static void fuzz_urls(const u_char *p, size_t n, const char *attr,
    unsigned link);
static size_t fuzz_url(const u_char *p, const u_char *end, char *url,
    size_t size);
static size_t fuzz_entity(const u_char *p, const u_char *end,
    unsigned *c);


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MARKDOWN_MAX) {
        size = FUZZ_MARKDOWN_MAX;
    }

    fuzz_markdown(data, size, 0, BLOG_MARKDOWN_GFM);
    fuzz_markdown(data, size, 1, BLOG_MARKDOWN_GFM);
    fuzz_markdown(data, size, 0, BLOG_MARKDOWN_COMMONMARK);

    return 0;
}


static void
fuzz_markdown(const u_char *p, size_t n, unsigned raw_html, unsigned dialect)
{
    int              rc;
    blog_buf_t       b, toc;
    blog_markdown_t  mo;

    blog_buf_init(&b);
    blog_buf_init(&toc);

    memset(&mo, 0, sizeof(blog_markdown_t));
    mo.dialect = dialect;
    mo.raw_html = raw_html;
    mo.anchors = !raw_html;
    mo.name.data = (u_char *) "fuzz";
    mo.name.len = 4;
    mo.toc = raw_html ? NULL : &toc;

    rc = blog_markdown_html(&b, p, n, &mo);

    fuzz_check(rc == BLOG_OK && !b.failed && !toc.failed);
    fuzz_check(fuzz_utf8_check(toc.data, toc.len) == toc.len);
    fuzz_check(fuzz_xml_text(toc.data, toc.len));
    fuzz_check(toc.len == 0
               || fuzz_find_nocase(toc.data, toc.len, "<script") == NULL);
    blog_buf_free(&toc);

    /* the HTML goes into the feeds: UTF-8 and XML text, whatever came in */

    fuzz_check(fuzz_utf8_check(b.data, b.len) == b.len);
    fuzz_check(fuzz_xml_text(b.data, b.len));

    if (b.len) {
        fuzz_check(!fuzz_script_tag(b.data, b.len, raw_html));
    }

    if (!raw_html && b.len) {
        fuzz_urls(b.data, b.len, "href=\"", 1);
        fuzz_urls(b.data, b.len, "src=\"", 0);
    }

    blog_buf_free(&b);
}


/*
 * Whether a <script start tag is there: in safe HTML, any "<script"; in
 * raw HTML, where GitHub's tag filter leaves "<scriptx" as it is, one
 * that a browser reads as a script element (the name ends at a blank,
 * "/" or ">", or at the end).
 */

static int
fuzz_script_tag(const u_char *p, size_t n, unsigned raw_html)
{
    const u_char  *q, *end;

    end = p + n;

    while ((q = fuzz_find_nocase(p, end - p, "<script")) != NULL) {
        q += 7;

        if (!raw_html || q == end || strchr("\t\n\f\r />", *q) != NULL) {
            return 1;
        }

        p = q;
    }

    return 0;
}


static void
fuzz_urls(const u_char *p, size_t n, const char *attr, unsigned link)
{
    char           url[FUZZ_URL_SHOWN];
    const u_char  *end, *q;

    end = p + n;

    while ((q = fuzz_find_nocase(p, end - p, attr)) != NULL) {
        q += strlen(attr);

        fuzz_url(q, end, url, sizeof(url));

        if (strncmp(url, "javascript:", 11) == 0
            || strncmp(url, "vbscript:", 9) == 0
            || (link && strncmp(url, "file:", 5) == 0)
            || (link && strncmp(url, "data:", 5) == 0
                && strncmp(url, "data:image/png", 14) != 0
                && strncmp(url, "data:image/gif", 14) != 0
                && strncmp(url, "data:image/jpeg", 15) != 0
                && strncmp(url, "data:image/webp", 15) != 0))
        {
            fprintf(stderr, "dangerous URL in %s...\" of safe HTML: %s\n",
                    attr, url);
            abort();
        }

        p = q;
    }
}


/*
 * The start of the attribute value up to the closing quote, as a browser
 * reads it, lower-cased, in url (truncated to size - 1 characters).
 */

static size_t
fuzz_url(const u_char *p, const u_char *end, char *url, size_t size)
{
    size_t    len;
    unsigned  c;

    len = 0;

    while (p < end && *p != '"' && len + 1 < size) {
        if (*p == '&') {
            p += fuzz_entity(p, end, &c);

        } else {
            c = *p++;
        }

        if (c == '\t' || c == '\n' || c == '\r') {
            continue;
        }

        if (len == 0 && c <= 0x20) {
            continue;
        }

        if (c >= 'A' && c <= 'Z') {
            c |= 0x20;
        }

        url[len++] = c < 0x80 ? (char) c : '?';
    }

    url[len] = '\0';

    return len;
}


/* "&amp;", "&#106;", "&#x6A;", "&colon;" and the like: returns the length */

static size_t
fuzz_entity(const u_char *p, const u_char *end, unsigned *c)
{
    size_t              i, k, len;
    unsigned            v, base, d;
    static const struct {
        const char     *name;
        unsigned        c;
    } named[] = {
        { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
        { "&quot;", '"' }, { "&apos;", '\'' }, { "&colon;", ':' },
        { "&tab;", '\t' }, { "&newline;", '\n' }, { "&nbsp;", 0xa0 }
    };

    for (k = 0; k < FUZZ_ARRAY(named); k++) {
        len = strlen(named[k].name);

        if ((size_t) (end - p) >= len
            && fuzz_find_nocase(p, len, named[k].name) == p)
        {
            *c = named[k].c;
            return len;
        }
    }

    *c = '&';

    if (end - p < 3 || p[1] != '#') {
        return 1;
    }

    i = 2;
    base = 10;

    if (p[2] == 'x' || p[2] == 'X') {
        i = 3;
        base = 16;
    }

    v = 0;

    for (k = i; p + k < end && k < i + 8; k++) {
        if (p[k] >= '0' && p[k] <= '9') {
            d = p[k] - '0';

        } else if (base == 16 && (p[k] | 0x20) >= 'a' && (p[k] | 0x20) <= 'f')
        {
            d = (p[k] | 0x20) - 'a' + 10;

        } else {
            break;
        }

        v = v * base + d;
    }

    if (k == i) {
        return 1;
    }

    if (p + k < end && p[k] == ';') {
        k++;
    }

    *c = v;

    return k;
}
