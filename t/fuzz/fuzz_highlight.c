
/*
 * blog_highlight on any bytes: the first picks the language, the rest is
 * the code (at most 8 KB: run.sh's max_len).  Highlighted or declined,
 * never in between: a declined call leaves the buffer as it was; a
 * highlighted one is well-formed HTML that says the code, spans of our
 * classes only, never nested, closed before each line break, no "<", ">"
 * or "&" but in tags and the project's entities, and its text (tags out,
 * entities read) the code itself; valid UTF-8 in, valid UTF-8 out.  The
 * first line also goes through blog_highlight_language as an info string.
 */


#include "fuzz.h"


#define FUZZ_HL_KEPT  "<pre><code>"


static void fuzz_highlight(const char *lang, const u_char *p, size_t n);
static void fuzz_html(const u_char *html, size_t len, const u_char *code,
    size_t n);
static size_t fuzz_span(const u_char *p, const u_char *end);


static const char  *fuzz_langs[] = {
    "rust", "console", "shell", "go", "toml", "yaml", "c", "cpp", "json",
    "ruby", "javascript", "typescript", "html", "xml", "diff", "sql",
    "python", "css", "java", "dockerfile", "nginx", "perl", "lua", "php",
    "haskell", "makefile", "shell-session", "rs,ignore", "{.go}",
    "language-yml", "klingon", ""
};


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const u_char  *eol;
    const char    *name;

    if (size == 0) {
        return 0;
    }

    eol = memchr(data, '\n', size);

    name = blog_highlight_language(data, eol != NULL ? (size_t) (eol - data)
                                                     : size);
    fuzz_check(name == NULL || (name[0] != '\0' && strlen(name) < 32));

    fuzz_highlight(fuzz_langs[data[0] % FUZZ_ARRAY(fuzz_langs)], data + 1,
                   size - 1);

    return 0;
}


static void
fuzz_highlight(const char *lang, const u_char *p, size_t n)
{
    int         rc;
    size_t      kept;
    blog_buf_t  b;

    blog_buf_init(&b);
    blog_buf_adds(&b, FUZZ_HL_KEPT);

    kept = b.len;

    rc = blog_highlight(&b, (const u_char *) lang, strlen(lang), p, n);

    fuzz_check(!b.failed);
    fuzz_check(b.len >= kept && memcmp(b.data, FUZZ_HL_KEPT, kept) == 0);

    if (rc == BLOG_DECLINED) {
        fuzz_check(b.len == kept);
        blog_buf_free(&b);
        return;
    }

    fuzz_check(rc == BLOG_OK);

    fuzz_html(b.data + kept, b.len - kept, p, n);

    if (fuzz_utf8_check(p, n) == n) {
        fuzz_check(fuzz_utf8_check(b.data, b.len) == b.len);
    }

    blog_buf_free(&b);
}


static void
fuzz_html(const u_char *html, size_t len, const u_char *code, size_t n)
{
    size_t         i, k, m;
    unsigned       open;
    const u_char  *p, *end;
    static const struct {
        const char  *entity;
        u_char       c;
    } entities[] = {
        { "&lt;", '<' }, { "&gt;", '>' }, { "&amp;", '&' },
        { "&quot;", '"' }, { "&#39;", '\'' }
    };

    p = html;
    end = html + len;
    open = 0;
    i = 0;      /* the code read back so far */

    while (p < end) {
        if (*p == '<') {
            if (open) {
                fuzz_check(end - p >= 7 && memcmp(p, "</span>", 7) == 0);
                open = 0;
                p += 7;
                continue;
            }

            m = fuzz_span(p, end);
            fuzz_check(m > 0);

            open = 1;
            p += m;
            continue;
        }

        if (*p == '&') {
            for (k = 0; k < FUZZ_ARRAY(entities); k++) {
                m = strlen(entities[k].entity);

                if ((size_t) (end - p) >= m
                    && memcmp(p, entities[k].entity, m) == 0)
                {
                    break;
                }
            }

            fuzz_check(k < FUZZ_ARRAY(entities));
            fuzz_check(i < n && code[i] == entities[k].c);

            i++;
            p += m;
            continue;
        }

        fuzz_check(*p != '>' && *p != '"' && *p != '\'');
        fuzz_check(!(*p == '\n' && open));
        fuzz_check(i < n && code[i] == *p);

        i++;
        p++;
    }

    fuzz_check(!open);
    fuzz_check(i == n);
}


/* the length of an opening tag of one of our classes, or 0 */

static size_t
fuzz_span(const u_char *p, const u_char *end)
{
    size_t  k, m;
    static const char  *classes[] = {
        "keyword", "type", "string", "comment", "number", "function",
        "operator", "punctuation", "variable", "constant", "preprocessor",
        "attribute", "tag", "inserted", "deleted", "heading", "prompt",
        "output"
    };

    if (end - p < 16 || memcmp(p, "<span class=\"hl-", 16) != 0) {
        return 0;
    }

    for (k = 0; k < FUZZ_ARRAY(classes); k++) {
        m = strlen(classes[k]);

        if ((size_t) (end - p) >= 16 + m + 2
            && memcmp(p + 16, classes[k], m) == 0
            && memcmp(p + 16 + m, "\">", 2) == 0)
        {
            return 16 + m + 2;
        }
    }

    return 0;
}
