
/*
 * What Hugo's shortcodes (blog_shortcode.c) and Jekyll's Liquid
 * (blog_liquid.c) both expand with: the HTML fragments they render, kept
 * aside, and the placeholders of letters and digits that stand for them in
 * the Markdown, until blog_expand_finish() puts the fragments in the HTML
 * (or blog_expand_text() their text in a heading's id); the notes for the
 * author; the post a link names, and its URL; a fenced code block for the
 * highlighter.  Scanning either syntax is the dialects' own, choosing one
 * for a post is blog_expand_dialect.c's, and logging the notes the
 * caller's.
 */


#define _GNU_SOURCE

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blog_expand.h"


#define BLOG_EXPAND_MARK        "zBlOgExP"


static size_t blog_expand_mark(blog_expand_t *x, const u_char *m,
    const u_char *last, const u_char **end);


void
blog_expand_init(blog_expand_t *x)
{
    memset(x, 0, sizeof(blog_expand_t));
    blog_buf_init(&x->md);
    blog_buf_init(&x->frags);
}


void
blog_expand_free(blog_expand_t *x)
{
    blog_buf_free(&x->md);
    blog_buf_free(&x->frags);
    free(x->frag);
    x->frag = NULL;
    x->nfrags = 0;
    x->size = 0;
}


/*
 * The HTML with each placeholder replaced by its fragment, appended to
 * out; a block fragment alone in a paragraph takes the paragraph's place.
 * A placeholder that names no fragment stays as it is.
 */

int
blog_expand_finish(blog_expand_t *x, blog_buf_t *out, const u_char *html,
    size_t n)
{
    size_t         i, start, from;
    const u_char  *p, *q, *last, *m;

    if (n == 0) {
        return out->failed ? BLOG_ERROR : BLOG_OK;
    }

    p = html;
    last = html + n;
    start = out->len;

    while (x->nfrags
           && (m = memmem(p, last - p, BLOG_EXPAND_MARK,
                          sizeof(BLOG_EXPAND_MARK) - 1))
              != NULL)
    {
        i = blog_expand_mark(x, m, last, &q);

        if (i == x->nfrags) {
            blog_buf_add(out, p, q - p);
            p = q;
            continue;
        }

        blog_buf_add(out, p, m - p);

        if (x->frag[i].block && out->len >= start + 3
            && memcmp(out->data + out->len - 3, "<p>", 3) == 0
            && last - q >= 4 && memcmp(q, "</p>", 4) == 0)
        {
            out->len -= 3;
            q += 4;
        }

        from = i ? x->frag[i - 1].end : 0;

        if (x->frag[i].address
            && blog_url_attr(out->data + start, out->data + out->len))
        {
            /* a scheme that runs script, where an address starts */
            from = x->frag[i].end;
        }

        if (x->frag[i].end > from) {
            blog_buf_add(out, x->frags.data + from, x->frag[i].end - from);
        }

        p = q;
    }

    blog_buf_add(out, p, last - p);

    return out->failed ? BLOG_ERROR : BLOG_OK;
}


/*
 * Text with each placeholder replaced by the text its fragment shows a
 * reader (blog_html_text), appended to out: a heading's, for its id and
 * the contents (blog_markdown_t's heading_text).
 */

void
blog_expand_text(void *data, blog_buf_t *out, const u_char *p, size_t n)
{
    blog_expand_t  *x = data;

    size_t         i, from;
    const u_char  *q, *m, *last;

    if (n == 0) {
        return;
    }

    last = p + n;

    while (x->nfrags
           && (m = memmem(p, last - p, BLOG_EXPAND_MARK,
                          sizeof(BLOG_EXPAND_MARK) - 1))
              != NULL)
    {
        i = blog_expand_mark(x, m, last, &q);

        if (i == x->nfrags) {
            blog_buf_add(out, p, q - p);
            p = q;
            continue;
        }

        blog_buf_add(out, p, m - p);

        from = i ? x->frag[i - 1].end : 0;

        if (x->frag[i].end > from) {
            blog_html_text(out, x->frags.data + from, x->frag[i].end - from);
        }

        p = q;
    }

    blog_buf_add(out, p, last - p);
}


/*
 * The fragment the placeholder at m names, *end just past it; x->nfrags
 * when it names none, *end then past the part that was read.
 */

static size_t
blog_expand_mark(blog_expand_t *x, const u_char *m, const u_char *last,
    const u_char **end)
{
    size_t         i;
    const u_char  *q;

    q = m + sizeof(BLOG_EXPAND_MARK) - 1;
    i = 0;

    while (q < last && *q >= '0' && *q <= '9' && i < x->nfrags) {
        i = i * 10 + (*q++ - '0');
    }

    if (q == m + sizeof(BLOG_EXPAND_MARK) - 1 || q >= last || *q != 'Z'
        || i >= x->nfrags)
    {
        *end = q;
        return x->nfrags;
    }

    *end = q + 1;

    return i;
}


/* what x->frags gained since the last fragment becomes one, in out */

int
blog_expand_fragment(blog_expand_t *x, blog_buf_t *out, unsigned block)
{
    size_t               size;
    blog_expand_frag_t  *frag;

    if (x->nfrags == x->size) {
        size = x->size ? 2 * x->size : 16;

        frag = realloc(x->frag, size * sizeof(blog_expand_frag_t));
        if (frag == NULL) {
            x->failed = 1;
            return BLOG_ERROR;
        }

        x->frag = frag;
        x->size = size;
    }

    x->frag[x->nfrags].end = x->frags.len;
    x->frag[x->nfrags].block = block;
    x->frag[x->nfrags].address = 0;

    blog_buf_printf(out, BLOG_EXPAND_MARK "%zuZ", x->nfrags);

    x->nfrags++;

    return BLOG_OK;
}


/* a warning for the author, once per text */

void
blog_expand_note(blog_expand_t *x, unsigned line, const char *fmt, ...)
{
    size_t               i;
    va_list              args;
    blog_expand_note_t  *note;

    if (x->nnotes == BLOG_EXPAND_NOTES) {
        return;
    }

    note = &x->notes[x->nnotes];

    va_start(args, fmt);
    vsnprintf(note->text, sizeof(note->text), fmt, args);
    va_end(args);

    for (i = 0; i < x->nnotes; i++) {
        if (strcmp(x->notes[i].text, note->text) == 0) {
            return;
        }
    }

    note->line = line;
    x->nnotes++;
}


/*
 * The URL of the post a link tag names (what = "ref", "link"...), with
 * its "#fragment"; an unknown target is noted and adds nothing.
 */

void
blog_expand_url(blog_expand_t *x, blog_buf_t *b, const u_char *name,
    size_t n, unsigned absolute, unsigned line, const char *what)
{
    size_t          len;
    const u_char   *hash;
    blog_entry_t   *e;

    hash = memchr(name, '#', n);
    len = hash != NULL ? (size_t) (hash - name) : n;

    e = (len && x->named != NULL) ? x->named(x->named_data, name, len)
                                  : NULL;

    if (len && e == NULL) {
        blog_expand_note(x, line, "%s \"%.*s\" names no post", what,
                         (int) (len > 80 ? 80 : len), name);
        return;
    }

    if (e != NULL) {
        if (absolute) {
            blog_buf_add(b, x->base_url.data, x->base_url.len);
        }

        blog_buf_add(b, x->prefix.data, x->prefix.len);
        blog_buf_addc(b, '/');
        blog_escape_uri(b, e->slug.data, e->slug.len);
        blog_buf_addc(b, '/');
    }

    if (hash != NULL) {
        blog_buf_add(b, hash, name + n - hash);
    }
}


/*
 * A fenced code block of code in lang, its fence longer than any run of
 * backticks in it, on lines of its own.
 */

void
blog_expand_fence(blog_buf_t *md, const u_char *lang, size_t lang_len,
    const u_char *code, size_t n)
{
    size_t  i, run, longest;

    while (n && (code[0] == '\n' || code[0] == '\r')) {
        code++;
        n--;
    }

    while (n && (code[n - 1] == '\n' || code[n - 1] == '\r'
                 || code[n - 1] == ' ' || code[n - 1] == '\t'))
    {
        n--;
    }

    longest = 2;
    run = 0;

    for (i = 0; i < n; i++) {
        run = (code[i] == '`') ? run + 1 : 0;

        if (run > longest) {
            longest = run;
        }
    }

    if (md->len && md->data[md->len - 1] != '\n') {
        blog_buf_addc(md, '\n');
    }

    for (i = 0; i <= longest; i++) {
        blog_buf_addc(md, '`');
    }

    for (i = 0; i < lang_len; i++) {
        if (lang[i] != '`' && lang[i] != ' ' && lang[i] != '\n') {
            blog_buf_addc(md, lang[i]);
        }
    }

    blog_buf_addc(md, '\n');
    blog_buf_add(md, code, n);
    blog_buf_addc(md, '\n');

    for (i = 0; i <= longest; i++) {
        blog_buf_addc(md, '`');
    }

    blog_buf_addc(md, '\n');
}
