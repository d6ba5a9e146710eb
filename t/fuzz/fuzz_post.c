
/*
 * blog_post_parse on any bytes, as the index reads a post: once named as a
 * Jekyll post ("2024-01-02-x.md", dated by its name) and once as a Hugo
 * bundle ("notes/index.md", undated), then blog_post_release.  A post that
 * parses must hold together: a slug that is one path segment, a title,
 * text that is valid UTF-8 and XML (the feed shows it), tags with proper
 * URL names and no two alike; and its description cut by
 * blog_summary_cut stays valid UTF-8 at any length.
 */


#include "fuzz.h"


static void fuzz_post(const u_char *text, size_t len, const char *path);
static void fuzz_post_check(blog_post_t *post, const blog_post_name_t *pn);
static void fuzz_summary(const blog_str_t *text, size_t max);


static const blog_options_t  fuzz_opts = BLOG_DEFAULT_OPTIONS;


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_post(data, size, "/r/2024-01-02-x.md");
    fuzz_post(data, size, "/r/notes/index.md");

    return 0;
}


static void
fuzz_post(const u_char *text, size_t len, const char *path)
{
    int                     rc;
    size_t                  i;
    blog_fm_t               fm;
    blog_post_t            *post;
    blog_post_name_t        pn;
    blog_problem_detail_t   pd;
    static const size_t     cuts[] = { 0, 1, 2, 7, 40, 160, 100000 };

    memset(&pn, 0, sizeof(blog_post_name_t));
    fuzz_check(blog_post_name(&pn, path, 2) == BLOG_OK);

    post = calloc(1, sizeof(blog_post_t));
    if (post == NULL) {
        return;
    }

    post->refs = 1;

    memset(&fm, 0, sizeof(blog_fm_t));
    memset(&pd, 0, sizeof(blog_problem_detail_t));

    rc = blog_post_parse(post, &pn, text, len, &fuzz_opts, &pd, &fm);

    if (rc != BLOG_OK) {
        fuzz_check(rc == BLOG_ERROR);
        fuzz_check(pd.reason != NULL && strlen(pd.reason) < 1024);
        blog_post_release(post);
        return;
    }

    fuzz_check(memchr(pd.warning, '\0', sizeof(pd.warning)) != NULL);
    fuzz_check(fm.body >= text && fm.body + fm.body_len == text + len);

    fuzz_post_check(post, &pn);

    for (i = 0; i < FUZZ_ARRAY(cuts); i++) {
        fuzz_summary(&post->description, cuts[i]);
    }

    blog_fm_free(&fm);
    blog_post_release(post);
}


static void
fuzz_post_check(blog_post_t *post, const blog_post_name_t *pn)
{
    size_t  i, k;
    u_char  c;

    /* a slug is one path segment, never "." or ".." */

    fuzz_check(post->slug.len > 0 && post->slug.data != NULL);
    fuzz_check(!(post->slug.len == 1 && post->slug.data[0] == '.'));
    fuzz_check(!(post->slug.len == 2 && post->slug.data[0] == '.'
                 && post->slug.data[1] == '.'));

    for (i = 0; i < post->slug.len; i++) {
        c = post->slug.data[i];
        fuzz_check(c != '/' && c >= 0x20);
    }

    fuzz_check(post->title.len > 0 && post->title.data != NULL);
    fuzz_check(fuzz_utf8_check(post->title.data, post->title.len)
               == post->title.len);
    fuzz_check(post->description.data != NULL);
    fuzz_check(fuzz_utf8_check(post->description.data,
                               post->description.len)
               == post->description.len);

    /* what the feed shows: t/fuzz/regressions/post-xml-control */

    fuzz_check(fuzz_xml_text(post->title.data, post->title.len));
    fuzz_check(fuzz_xml_text(post->description.data,
                             post->description.len));

    fuzz_check(post->reading_time >= 1);
    fuzz_check(!pn->dated || post->dated);

    fuzz_check(post->ntags == 0 || post->tags != NULL);

    for (i = 0; i < post->ntags; i++) {
        fuzz_check_tag_key(&post->tags[i].key);
        fuzz_check(post->tags[i].name.len > 0);
        fuzz_check(fuzz_utf8_check(post->tags[i].name.data,
                                   post->tags[i].name.len)
                   == post->tags[i].name.len);
        fuzz_check(fuzz_xml_text(post->tags[i].name.data,
                                 post->tags[i].name.len));

        for (k = 0; k < i; k++) {
            fuzz_check(!blog_str_eq(&post->tags[k].key, &post->tags[i].key));
        }
    }
}


/* the first max characters, whole, and "..." if any were left out */

static void
fuzz_summary(const blog_str_t *text, size_t max)
{
    size_t      i, chars;
    blog_buf_t  b;

    chars = 0;

    for (i = 0; i < text->len; i++) {
        chars += (text->data[i] & 0xc0) != 0x80;
    }

    blog_buf_init(&b);
    blog_summary_cut(&b, text, max);

    fuzz_check(!b.failed);
    fuzz_check(fuzz_utf8_check(b.data, b.len) == b.len);

    if (chars <= max) {
        fuzz_check(b.len == text->len);
        fuzz_check(b.len == 0 || memcmp(b.data, text->data, b.len) == 0);

    } else {
        fuzz_check(b.len >= 3 && b.len - 3 < text->len);
        fuzz_check(memcmp(b.data + b.len - 3, "...", 3) == 0);
        fuzz_check(memcmp(b.data, text->data, b.len - 3) == 0);
    }

    blog_buf_free(&b);
}

