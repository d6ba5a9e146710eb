
/*
 * Hugo shortcodes and Jekyll Liquid on any bytes (at most 64 KB, as a
 * post's body is bounded): the first byte picks the pass (odd: Liquid),
 * the rest is the body, expanded with a few shortcode templates (a paired
 * one that writes its inner Markdown raw, one with a positional argument,
 * highlight and ref), rendered with raw HTML off, headings' ids and
 * contents from their shown text, its placeholders put back.  Each time
 * the expansion succeeds, no placeholder is left in the HTML or the
 * contents, no "<script" gets through, the notes are bounded, and the
 * summary's stripped text is no longer than the body.
 */


#define _GNU_SOURCE

#include "fuzz.h"


#define FUZZ_SHORTCODE_MAX  65536


static blog_tmpl_set_t *fuzz_templates(void);


static blog_tmpl_set_t *
fuzz_templates(void)
{
    static blog_tmpl_set_t  *set;
    blog_problem_detail_t    pd;
    size_t                   i;
    static const char       *tmpl[][2] = {
        { "shortcodes/details",
          "<details><summary>{{summary}}</summary>{{{inner_html}}}"
          "</details>" },
        { "shortcodes/gh", "<a href=\"https://x/{{0}}\">{{0}}</a>" },
        { "shortcodes/highlight", "{{{code}}}" },
        { "shortcodes/ref", "{{url}}" },
        { "shortcodes/param", "{{value}}" },
        { "shortcodes/inner", "{{inner}}|{{{inner_html}}}" },
    };

    if (set != NULL) {
        return set;
    }

    set = blog_tmpl_set_create();
    fuzz_check(set != NULL);

    for (i = 0; i < FUZZ_ARRAY(tmpl); i++) {
        fuzz_check(blog_tmpl_add(set, tmpl[i][0], (u_char *) tmpl[i][1],
                                 strlen(tmpl[i][1]), &pd) == BLOG_OK);
    }

    return set;
}


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int               rc;
    unsigned          liquid;
    blog_buf_t        tmp, html, text, toc;
    blog_arena_t     *arena;
    blog_value_t     *page;
    blog_expand_t     x;
    blog_markdown_t   mo;

    if (size == 0 || size > FUZZ_SHORTCODE_MAX) {
        return 0;
    }

    liquid = data[0] & 1;
    data++;
    size--;

    arena = blog_arena_create();
    fuzz_check(arena != NULL);

    page = blog_value_map(arena);
    fuzz_check(page != NULL);
    fuzz_check(blog_value_set(arena, page, "title",
                              blog_value_string(arena, (u_char *) "T", 1))
               == BLOG_OK);

    memset(&mo, 0, sizeof(blog_markdown_t));
    mo.name.data = (u_char *) "p";
    mo.name.len = 1;
    mo.anchors = 1;
    mo.toc = &toc;
    mo.heading_text = blog_expand_text;
    mo.heading_data = &x;

    blog_expand_init(&x);
    x.tmpl = fuzz_templates();
    x.arena = arena;
    x.page = page;
    x.site = page;
    x.mo = &mo;
    x.line = 1;

    blog_buf_init(&tmp);
    blog_buf_init(&html);
    blog_buf_init(&text);
    blog_buf_init(&toc);

    rc = blog_expand(&x, data, size, liquid);
    fuzz_check(rc == BLOG_OK);
    fuzz_check(x.nnotes <= BLOG_EXPAND_NOTES);

    rc = blog_markdown_html(&tmp, x.md.data, x.md.len, &mo);
    fuzz_check(rc != BLOG_ERROR);

    fuzz_check(blog_expand_finish(&x, &html, tmp.data, tmp.len) == BLOG_OK);

    if (rc == BLOG_OK && html.len) {
        fuzz_check(memmem(html.data, html.len, "zBlOgExP", 8) == NULL
                   || memmem(data, size, "zBlOgExP", 8) != NULL
                   || memmem(data, size, "BlOgExP", 7) != NULL);
        fuzz_check(memmem(html.data, html.len, "<script", 7) == NULL
                   || memmem(data, size, "<script", 7) != NULL);
        fuzz_check(toc.len == 0
                   || memmem(toc.data, toc.len, "zBlOgExP", 8) == NULL
                   || memmem(data, size, "BlOgExP", 7) != NULL);
    }

    rc = blog_expand_strip(&text, data, size, 0);
    fuzz_check(rc != BLOG_ERROR);
    fuzz_check(text.len <= size);

    text.len = 0;
    rc = blog_expand_strip(&text, data, size, 1);
    fuzz_check(rc != BLOG_ERROR);
    fuzz_check(text.len <= size);

    blog_buf_free(&tmp);
    blog_buf_free(&html);
    blog_buf_free(&text);
    blog_buf_free(&toc);
    blog_expand_free(&x);
    blog_arena_destroy(arena);

    return 0;
}
