
/*
 * Mustache templates from any bytes.  The input up to its first NUL is a
 * template: it is compiled into a fresh set as "main" and as the partial
 * "p" (so "{{>p}}" recurses), and, if it compiles, rendered with a small
 * tree shaped like the theme's data (strings, a list of maps, booleans,
 * numbers, nested maps, null, an empty list) and with no data at all.
 * What follows the NUL is a string in the tree, so escaping sees any
 * bytes too.  A template that does not compile leaves the set without it
 * and says on which line; rendering ends, within its bounds, with
 * BLOG_OK or BLOG_ERROR.  A template with no "{{" renders as itself, and
 * "{{text}}|{{{text}}}" gives the string HTML-escaped, then as it is.
 */


#include "fuzz.h"


static blog_value_t *fuzz_tree(blog_arena_t *a, const u_char *text,
    size_t n);
static blog_value_t *fuzz_post(blog_arena_t *a, unsigned i);
static blog_value_t *fuzz_str(blog_arena_t *a, const char *s);
static void fuzz_set(blog_arena_t *a, blog_value_t *map, const char *key,
    blog_value_t *v);
static void fuzz_render(blog_tmpl_set_t *set, blog_value_t *ctx);
static void fuzz_verbatim(blog_tmpl_set_t *set, blog_value_t *ctx,
    const u_char *src, size_t n);
static void fuzz_variables(blog_tmpl_set_t *set, blog_value_t *ctx,
    const u_char *text, size_t n);


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int                     rc;
    size_t                  n, i, lines, extra_len;
    const u_char           *nul, *extra;
    blog_value_t           *root;
    blog_arena_t           *arena;
    blog_tmpl_set_t        *set;
    blog_problem_detail_t   pd;

    nul = memchr(data, '\0', size);

    if (nul != NULL) {
        n = nul - data;
        extra = nul + 1;
        extra_len = size - n - 1;

    } else {
        n = size;
        extra = (const u_char *) "";
        extra_len = 0;
    }

    set = blog_tmpl_set_create();
    arena = blog_arena_create();

    if (set == NULL || arena == NULL) {
        goto done;
    }

    memset(&pd, 0, sizeof(blog_problem_detail_t));

    rc = blog_tmpl_add(set, "main", data, n, &pd);

    if (rc != BLOG_OK) {
        fuzz_check(rc == BLOG_ERROR);
        fuzz_check(pd.reason != NULL);
        fuzz_check(!blog_tmpl_has(set, "main"));

        lines = 1;

        for (i = 0; i < n; i++) {
            lines += (data[i] == '\n');
        }

        fuzz_check(pd.line >= 1 && pd.line <= lines);

        goto done;
    }

    fuzz_check(pd.reason == NULL);
    fuzz_check(blog_tmpl_has(set, "main"));

    /* the same source compiles the same way under another name */

    fuzz_check(blog_tmpl_add(set, "p", data, n, &pd) == BLOG_OK);
    fuzz_check(blog_tmpl_has(set, "p"));

    root = fuzz_tree(arena, extra, extra_len);
    if (root == NULL) {
        goto done;
    }

    fuzz_render(set, root);
    fuzz_render(set, NULL);
    fuzz_verbatim(set, root, data, n);
    fuzz_variables(set, root, extra, extra_len);

done:

    blog_tmpl_set_free(set);
    blog_arena_destroy(arena);

    return 0;
}


static void
fuzz_render(blog_tmpl_set_t *set, blog_value_t *ctx)
{
    int         rc;
    blog_buf_t  out;

    blog_buf_init(&out);

    rc = blog_tmpl_render(set, "main", ctx, &out);
    fuzz_check(rc == BLOG_OK || rc == BLOG_ERROR);
    fuzz_check(rc == BLOG_ERROR || !out.failed);

    fuzz_check(blog_tmpl_render(set, "missing", ctx, &out) == BLOG_DECLINED);

    blog_buf_free(&out);
}


static void
fuzz_verbatim(blog_tmpl_set_t *set, blog_value_t *ctx, const u_char *src,
    size_t n)
{
    size_t      i;
    blog_buf_t  out;

    for (i = 0; i + 1 < n; i++) {
        if (src[i] == '{' && src[i + 1] == '{') {
            return;
        }
    }

    blog_buf_init(&out);

    fuzz_check(blog_tmpl_render(set, "main", ctx, &out) == BLOG_OK);
    fuzz_check(out.len == n && (n == 0 || memcmp(out.data, src, n) == 0));

    blog_buf_free(&out);
}


static void
fuzz_variables(blog_tmpl_set_t *set, blog_value_t *ctx, const u_char *text,
    size_t n)
{
    blog_buf_t              out, expect;
    blog_problem_detail_t   pd;
    static const char       src[] = "{{text}}|{{{text}}}";

    memset(&pd, 0, sizeof(blog_problem_detail_t));

    fuzz_check(blog_tmpl_add(set, "vars", (const u_char *) src,
                             sizeof(src) - 1, &pd)
               == BLOG_OK);

    blog_buf_init(&out);
    blog_buf_init(&expect);

    blog_escape_html(&expect, text, n);
    blog_buf_addc(&expect, '|');
    blog_buf_add(&expect, text, n);

    fuzz_check(blog_tmpl_render(set, "vars", ctx, &out) == BLOG_OK);
    fuzz_check(!out.failed && !expect.failed);
    fuzz_check(out.len == expect.len
               && memcmp(out.data, expect.data, out.len) == 0);

    blog_buf_free(&out);
    blog_buf_free(&expect);
}


/* the shape of what blog_render.c hands the theme, and a few oddities */

static blog_value_t *
fuzz_tree(blog_arena_t *a, const u_char *text, size_t n)
{
    unsigned       i;
    blog_value_t  *root, *site, *page, *posts, *pagination, *deep, *v;

    root = blog_value_map(a);
    site = blog_value_map(a);
    page = blog_value_map(a);
    posts = blog_value_list(a);
    pagination = blog_value_map(a);
    deep = blog_value_map(a);

    if (root == NULL || site == NULL || page == NULL || posts == NULL
        || pagination == NULL || deep == NULL)
    {
        return NULL;
    }

    fuzz_set(a, site, "title", fuzz_str(a, "Notes & <Thoughts>"));
    fuzz_set(a, site, "description", fuzz_str(a, "\"Quoted\" 'single'"));
    fuzz_set(a, site, "url", fuzz_str(a, "http://example.com/blog/"));
    fuzz_set(a, site, "author", fuzz_str(a, "Ada"));
    fuzz_set(a, site, "lang", fuzz_str(a, "en"));
    fuzz_set(a, site, "year", blog_value_number(a, 2024));
    fuzz_set(a, site, "tagline", fuzz_str(a, ""));
    fuzz_set(a, root, "site", site);

    fuzz_set(a, page, "title", fuzz_str(a, "Caf\xc3\xa9 <b>"));
    fuzz_set(a, page, "is_index", blog_value_bool(a, 1));
    fuzz_set(a, page, "is_post", blog_value_bool(a, 0));
    fuzz_set(a, root, "page", page);

    for (i = 0; i < 3; i++) {
        blog_value_push(a, posts, fuzz_post(a, i));
    }

    fuzz_set(a, root, "posts", posts);

    fuzz_set(a, pagination, "page", blog_value_number(a, 2));
    fuzz_set(a, pagination, "pages", blog_value_number(a, 5));
    fuzz_set(a, pagination, "ratio", blog_value_number(a, 0.1));
    fuzz_set(a, pagination, "huge", blog_value_number(a, 1e300));
    fuzz_set(a, pagination, "negative", blog_value_number(a, -2.5));
    fuzz_set(a, pagination, "prev_url", fuzz_str(a, "/blog/"));
    fuzz_set(a, pagination, "next_url", fuzz_str(a, ""));
    fuzz_set(a, root, "pagination", pagination);

    v = blog_value_map(a);
    fuzz_set(a, v, "x", fuzz_str(a, "deep"));
    fuzz_set(a, deep, "c", v);
    v = blog_value_map(a);
    fuzz_set(a, v, "b", deep);
    fuzz_set(a, root, "a", v);

    fuzz_set(a, root, "content", fuzz_str(a, "<p>raw &amp; ready</p>"));
    fuzz_set(a, root, "text", blog_value_string(a, text, n));
    fuzz_set(a, root, "nothing", blog_value_null(a));
    fuzz_set(a, root, "none", blog_value_list(a));
    fuzz_set(a, root, "yes", blog_value_bool(a, 1));
    fuzz_set(a, root, "no", blog_value_bool(a, 0));
    fuzz_set(a, root, "zero", blog_value_number(a, 0));

    /* a key set twice: the first one is found */

    fuzz_set(a, root, "title", fuzz_str(a, "first"));
    fuzz_set(a, root, "title", fuzz_str(a, "second"));

    return root;
}


static blog_value_t *
fuzz_post(blog_arena_t *a, unsigned i)
{
    unsigned       k;
    blog_value_t  *post, *tags, *tag;
    static const char  *titles[] = { "One", "Two <i>", "" };
    static const char  *urls[] = { "/blog/one/", "/blog/two/", "/blog/3/" };

    post = blog_value_map(a);
    tags = blog_value_list(a);

    if (post == NULL || tags == NULL) {
        return NULL;
    }

    fuzz_set(a, post, "title", fuzz_str(a, titles[i]));
    fuzz_set(a, post, "url", fuzz_str(a, urls[i]));
    fuzz_set(a, post, "summary", fuzz_str(a, i == 1 ? "" : "A & B"));
    fuzz_set(a, post, "date", fuzz_str(a, "Jan 2, 2024"));
    fuzz_set(a, post, "date_iso", fuzz_str(a, "2024-01-02T00:00:00Z"));
    fuzz_set(a, post, "reading_time", blog_value_number(a, i + 1));

    for (k = 0; k < i; k++) {
        tag = blog_value_map(a);
        fuzz_set(a, tag, "name", fuzz_str(a, k ? "C++" : "Next.js"));
        fuzz_set(a, tag, "url", fuzz_str(a, k ? "/t/c++/" : "/t/next-js/"));
        blog_value_push(a, tags, tag);
    }

    fuzz_set(a, post, "tags", tags);
    fuzz_set(a, post, "has_tags", blog_value_bool(a, i > 0));

    return post;
}


static blog_value_t *
fuzz_str(blog_arena_t *a, const char *s)
{
    return blog_value_string(a, (const u_char *) s, strlen(s));
}


/* a value that could not be made is left out, as the renderer does */

static void
fuzz_set(blog_arena_t *a, blog_value_t *map, const char *key,
    blog_value_t *v)
{
    if (map != NULL && v != NULL) {
        blog_value_set(a, map, key, v);
    }
}
