
/*
 * One post: where its slug and date come from in the file name (plain,
 * Jekyll, Hugo bundle), and what its front matter and body say, with the
 * fallbacks DESIGN.md lists.  The index calls this for every file it finds;
 * the pages call it again on the file they render, so a page is always one
 * version of its source.
 */


#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark-gfm.h>

#include "blog.h"


#define BLOG_SUMMARY_SOURCE  65536


/* bytes compared at once by the word count (GNU C's generic vectors) */
typedef u_char  blog_post_vec_t __attribute__ ((vector_size (16)));

typedef struct {
    blog_buf_t      heading;
    blog_buf_t      summary;
    unsigned        dialect;
    unsigned        have_heading:1;
    unsigned        have_summary:1;
} blog_post_text_t;


static int blog_post_fields(blog_post_t *post, const blog_post_name_t *pn,
    blog_fm_t *fm, const blog_options_t *opts, blog_problem_detail_t *pd);
static int blog_post_date(blog_post_t *post, const blog_post_name_t *pn,
    blog_fm_t *fm, blog_problem_detail_t *pd);
static int blog_post_lastmod(blog_post_t *post, blog_fm_t *fm,
    blog_problem_detail_t *pd);
static int blog_post_slug(blog_post_t *post, const blog_post_name_t *pn,
    blog_fm_t *fm);
static int blog_post_tag_field(blog_post_t *post, blog_fm_t *fm);
static int blog_post_title_summary(blog_post_t *post, blog_fm_t *fm,
    unsigned dialect, unsigned liquid);
static void blog_post_summary_field(blog_post_text_t *pt, blog_fm_t *fm);
static int blog_post_redirect(blog_post_t *post, blog_fm_t *fm);
static int blog_post_window(blog_post_t *post, blog_fm_t *fm,
    blog_problem_detail_t *pd);
static int blog_post_aliases(blog_post_t *post, blog_fm_t *fm);
static int blog_post_alias(blog_post_t *post, const u_char *p, size_t n);
static void blog_post_draft(blog_post_t *post, const blog_post_name_t *pn,
    blog_fm_t *fm);
static void blog_post_reading_time(blog_post_t *post, blog_fm_t *fm,
    const blog_options_t *opts, unsigned liquid);
static const u_char *blog_post_scalar(blog_fm_t *fm, const char *key,
    size_t *n);
static int blog_post_tags(blog_post_t *post, blog_fm_field_t *f);
static int blog_post_add_tag(blog_post_t *post, const u_char *p, size_t n);
static int blog_post_time(blog_time_t *t, blog_fm_t *fm, const char **keys,
    blog_problem_detail_t *pd);
static void blog_post_text(blog_post_text_t *pt, const u_char *body,
    size_t n, unsigned dialect, unsigned liquid);
static int blog_post_text_walk(cmark_node *doc, void *data);
static unsigned blog_post_words(const u_char *p, size_t n, unsigned liquid);
static size_t blog_post_runs(const u_char *p, size_t n);
static size_t blog_post_word_at(const u_char *p, size_t i, size_t n);
static blog_post_vec_t blog_post_vec_blank(blog_post_vec_t v);
static blog_post_vec_t blog_post_vec_letter(blog_post_vec_t v);
static int blog_post_footnote_label(const u_char *p, size_t n);
static int blog_post_dup_text(blog_str_t *dst, const u_char *p, size_t n);
static int blog_post_true(const blog_str_t *v);
static int blog_post_false(const blog_str_t *v);
static const u_char *blog_trim(const u_char *p, size_t *n);


static const char  *blog_date_keys[] = { "date", "publishdate", "pubdate",
    NULL };
static const char  *blog_publish_keys[] = { "publishdate", "pubdate", NULL };
static const char  *blog_expiry_keys[] = { "expirydate", "unpublishdate",
    NULL };
static const char  *blog_lastmod_keys[] = {
    "lastmod", "last_modified_at", "updated", "modified", NULL
};
static const char  *blog_alias_keys[] = { "aliases", "redirect_from", "url",
    "path", "permalink", NULL };
static const char  *blog_tag_keys[] = { "tags", "categories", "keywords",
    NULL };
static const char  *blog_summary_keys[] = { "description", "summary",
    "excerpt", NULL };


/* what a byte is to the word count: letters include every non-ASCII byte */

#define BLOG_POST_OTHER   0
#define BLOG_POST_BLANK   1
#define BLOG_POST_LETTER  2

static const u_char  blog_post_word_class[256] = {
    [' '] = BLOG_POST_BLANK, ['\n'] = BLOG_POST_BLANK,
    ['\t'] = BLOG_POST_BLANK, ['\r'] = BLOG_POST_BLANK,
    ['0' ... '9'] = BLOG_POST_LETTER,
    ['A' ... 'Z'] = BLOG_POST_LETTER,
    ['a' ... 'z'] = BLOG_POST_LETTER,
    [0x80 ... 0xff] = BLOG_POST_LETTER
};


/*
 * SLUG.md, YYYY-MM-DD-SLUG.md|.markdown, SLUG/index.md.  Declines files
 * that are not posts: other extensions, names starting with "_" or ".",
 * a folder's README, and an index.md at the root itself.
 */

int
blog_post_name(blog_post_name_t *pn, const char *path, size_t root_len)
{
    size_t       len, ext;
    const char  *base, *rel, *p;

    rel = path + root_len;
    len = strlen(path);

    base = strrchr(rel, '/');
    base = base != NULL ? base + 1 : rel;
    len = path + len - base;

    if (len > 3 && strcmp(base + len - 3, ".md") == 0) {
        ext = 3;

    } else if (len > 9 && strcmp(base + len - 9, ".markdown") == 0) {
        ext = 9;

    } else {
        return BLOG_DECLINED;
    }

    if (base[0] == '_' || base[0] == '.'
        || (len - ext == 6 && strncasecmp(base, "readme", 6) == 0))
    {
        return BLOG_DECLINED;
    }

    pn->dated = 0;
    pn->draft = 0;

    for (p = rel; (p = strstr(p, "_drafts/")) != NULL; p++) {
        if (p == rel || p[-1] == '/') {
            pn->draft = 1;
            break;
        }
    }

    if (len - ext == 5 && strncmp(base, "index", 5) == 0) {
        const char  *dir;

        /* a Hugo page bundle: the slug is the folder's name */

        if (base <= rel + 1) {
            return BLOG_DECLINED;
        }

        for (dir = base - 2; dir > rel && *dir != '/'; dir--) {
            /* void */
        }

        if (*dir == '/') {
            dir++;
        }

        pn->slug.data = (u_char *) dir;
        pn->slug.len = base - 1 - dir;

        return pn->slug.len ? BLOG_OK : BLOG_DECLINED;
    }

    pn->slug.data = (u_char *) base;
    pn->slug.len = len - ext;

    if (pn->slug.len > 11 && base[10] == '-'
        && blog_date_parse(&pn->date, (u_char *) base, 10) == BLOG_OK)
    {
        pn->dated = 1;
        pn->slug.data += 11;
        pn->slug.len -= 11;
    }

    return BLOG_OK;
}


/*
 * Reads and parses the post at path, below the content root whose
 * resolved path is its first root_len bytes; a link below the root is
 * refused.  The post's file identity is that of the bytes read.
 */

blog_post_t *
blog_post_load(int root, const char *path, size_t root_len,
    const blog_post_name_t *pn, const blog_options_t *opts, blog_buf_t *text,
    blog_fm_t *fm, blog_problem_detail_t *pd)
{
    blog_file_id_t  id;

    text->len = 0;

    if (blog_file_read_below(root, path, root_len, opts->max_post_size, text,
                             &id, &pd->reason)
        != BLOG_OK)
    {
        pd->line = 0;
        return NULL;
    }

    return blog_post_make(path, &id, pn, opts, text, fm, pd);
}


/* the post of the file at path, whose bytes, read as id, are in text */

blog_post_t *
blog_post_make(const char *path, const blog_file_id_t *id,
    const blog_post_name_t *pn, const blog_options_t *opts,
    const blog_buf_t *text, blog_fm_t *fm, blog_problem_detail_t *pd)
{
    const char   *name;
    blog_fm_t     own;
    blog_post_t  *post;

    post = calloc(1, sizeof(blog_post_t));
    if (post == NULL) {
        pd->line = 0;
        pd->reason = "out of memory";
        return NULL;
    }

    post->file = *id;

    if (blog_str_dup(&post->path, (u_char *) path, strlen(path)) != BLOG_OK) {
        free(post);
        pd->line = 0;
        pd->reason = "out of memory";
        return NULL;
    }

    name = strrchr(path, '/');
    post->name_at = (name != NULL) ? name - path + 1 : 0;

    post->digest = blog_hash(BLOG_HASH_INIT, post->path.data,
                             post->path.len + 1);
    post->digest = blog_hash(post->digest, &post->file,
                             sizeof(blog_file_id_t));

    post->refs = 1;

    if (blog_post_parse(post, pn, text->data, text->len, opts, pd,
                        fm != NULL ? fm : &own)
        != BLOG_OK)
    {
        blog_post_release(post);
        return NULL;
    }

    if (fm == NULL) {
        blog_fm_free(&own);
    }

    return post;
}


int
blog_post_parse(blog_post_t *post, const blog_post_name_t *pn,
    const u_char *text, size_t len, const blog_options_t *opts,
    blog_problem_detail_t *pd, blog_fm_t *fm)
{
    size_t         bad;
    unsigned       line;
    const u_char  *p;

    pd->warning[0] = '\0';

    bad = blog_utf8_check(text, len);

    if (bad != len) {
        line = 1;

        for (p = text; p < text + bad; p++) {
            line += (*p == '\n');
        }

        pd->line = line;
        pd->reason = "not valid UTF-8";
        return BLOG_ERROR;
    }

    if (blog_fm_parse(fm, text, len, opts->max_front_matter, opts->max_depth,
                      pd)
        != BLOG_OK)
    {
        return BLOG_ERROR;
    }

    if (blog_post_fields(post, pn, fm, opts, pd) != BLOG_OK) {
        blog_fm_free(fm);
        return BLOG_ERROR;
    }

    return BLOG_OK;
}


/*
 * The fields of a post, each from its front matter keys or else from its
 * fallbacks.  The order matters: the title falls back to the slug.  A step
 * that fails on anything but a date has run out of memory.
 */

static int
blog_post_fields(blog_post_t *post, const blog_post_name_t *pn,
    blog_fm_t *fm, const blog_options_t *opts, blog_problem_detail_t *pd)
{
    unsigned          liquid;
    blog_fm_field_t  *f;

    pd->line = 0;
    pd->reason = "out of memory";

    /* summaries and word counts leave out what the page expands */

    liquid = (post->path.data != NULL)
             ? blog_expand_liquid((char *) post->path.data, pn)
             : pn->dated;

    if (blog_post_date(post, pn, fm, pd) != BLOG_OK
        || blog_post_lastmod(post, fm, pd) != BLOG_OK
        || blog_post_slug(post, pn, fm) != BLOG_OK
        || blog_post_tag_field(post, fm) != BLOG_OK
        || blog_post_title_summary(post, fm, opts->markdown, liquid)
           != BLOG_OK
        || blog_post_redirect(post, fm) != BLOG_OK
        || blog_post_window(post, fm, pd) != BLOG_OK
        || blog_post_aliases(post, fm) != BLOG_OK)
    {
        return BLOG_ERROR;
    }

    blog_post_draft(post, pn, fm);
    blog_post_reading_time(post, fm, opts, liquid);

    f = blog_fm_get(fm, "toc");
    post->toc = (f != NULL && blog_post_true(&f->value));

    return BLOG_OK;
}


/* date: front matter, the Jekyll name, else the file's time */

static int
blog_post_date(blog_post_t *post, const blog_post_name_t *pn, blog_fm_t *fm,
    blog_problem_detail_t *pd)
{
    int  rc;

    rc = blog_post_time(&post->date, fm, blog_date_keys, pd);

    if (rc == BLOG_ERROR && pn->dated && pd->reason == pd->text) {
        /* Jekyll's own date parser is lenient: keep the file name's */
        pd->warning_line = pd->line;
        snprintf(pd->warning, sizeof(pd->warning),
                 "%s; dated by the file name instead", pd->text);
        rc = BLOG_DECLINED;
    }

    if (rc == BLOG_ERROR) {
        return BLOG_ERROR;
    }

    if (rc == BLOG_OK) {
        post->dated = 1;

    } else if (pn->dated) {
        post->date = pn->date;
        post->dated = 1;

    } else {
        post->date.sec = post->file.mtime_sec;
        post->date.off = 0;
        post->date.zone = 0;
    }

    return BLOG_OK;
}


/*
 * Last modified: front matter, else the post's date, as Hugo and
 * jekyll-sitemap have it.  Not the file's time: a clone or a copy sets
 * that to the deploy's, and every post would look changed.
 */

static int
blog_post_lastmod(blog_post_t *post, blog_fm_t *fm, blog_problem_detail_t *pd)
{
    int  rc;

    rc = blog_post_time(&post->lastmod, fm, blog_lastmod_keys, pd);
    if (rc == BLOG_ERROR) {
        return BLOG_ERROR;
    }

    if (rc == BLOG_DECLINED) {
        post->lastmod = post->date;
    }

    return BLOG_OK;
}


/* slug: front matter, unless it could not be one path segment */

static int
blog_post_slug(blog_post_t *post, const blog_post_name_t *pn, blog_fm_t *fm)
{
    size_t         n, i;
    const u_char  *p;

    p = blog_post_scalar(fm, "slug", &n);

    for (i = 0; i < n; i++) {
        if (p[i] == '/' || p[i] < 0x20) {
            n = 0;
            break;
        }
    }

    if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.')) {
        n = 0;
    }

    if (n == 0) {
        p = pn->slug.data;
        n = pn->slug.len;
    }

    return blog_str_dup(&post->slug, p, n);
}


/* tags: the first of tags, categories, keywords that is present */

static int
blog_post_tag_field(blog_post_t *post, blog_fm_t *fm)
{
    const char       **key;
    blog_fm_field_t   *f;

    for (key = blog_tag_keys; *key; key++) {
        f = blog_fm_get(fm, *key);

        if (f != NULL) {
            return blog_post_tags(post, f);
        }
    }

    return BLOG_OK;
}


/*
 * Title and summary: the front matter's, else the body's first heading
 * and text; a post with neither heading nor title is titled by its slug.
 */

static int
blog_post_title_summary(blog_post_t *post, blog_fm_t *fm, unsigned dialect,
    unsigned liquid)
{
    int                rc;
    size_t             n;
    const u_char      *p;
    blog_post_text_t   pt;

    blog_buf_init(&pt.heading);
    blog_buf_init(&pt.summary);
    pt.have_heading = 0;
    pt.have_summary = 0;

    p = blog_post_scalar(fm, "title", &n);

    blog_post_summary_field(&pt, fm);

    if (n == 0 || !pt.have_summary) {
        blog_post_text(&pt, fm->body, fm->body_len, dialect, liquid);
    }

    post->titled = (n != 0);

    if (n == 0) {
        if (pt.heading.len) {
            p = pt.heading.data;
            n = pt.heading.len;

        } else {
            p = post->slug.data;
            n = post->slug.len;
        }
    }

    rc = blog_post_dup_text(&post->title, p, n);

    if (rc == BLOG_OK) {
        rc = blog_post_dup_text(&post->description, pt.summary.data,
                                pt.summary.len);
    }

    if (pt.heading.failed || pt.summary.failed) {
        rc = BLOG_ERROR;
    }

    blog_buf_free(&pt.heading);
    blog_buf_free(&pt.summary);

    return rc;
}


/* the first of description, summary, excerpt that is not blank */

static void
blog_post_summary_field(blog_post_text_t *pt, blog_fm_t *fm)
{
    size_t         n;
    const char   **key;
    const u_char  *p;

    for (key = blog_summary_keys; *key; key++) {
        p = blog_post_scalar(fm, *key, &n);

        if (n) {
            blog_buf_add(&pt->summary, p, n);
            pt->have_summary = 1;
            return;
        }
    }
}


/* a stub that moved, as the Go blog keeps them: "redirect: /blog/x" */

static int
blog_post_redirect(blog_post_t *post, blog_fm_t *fm)
{
    size_t         n;
    const u_char  *p;

    p = blog_post_scalar(fm, "redirect", &n);

    return (n && blog_post_redirect_ok(p, n))
           ? blog_str_dup(&post->redirect, p, n) : BLOG_OK;
}


/* a redirect's target: no blank, no quote, nothing HTML would read */

int
blog_post_redirect_ok(const u_char *p, size_t n)
{
    size_t  i;

    for (i = 0; i < n; i++) {
        if (p[i] <= 0x20 || p[i] == 0x7f || p[i] == '"' || p[i] == '<'
            || p[i] == '>' || p[i] == '\\')
        {
            return 0;
        }
    }

    return 1;
}


/*
 * When the post is public, as Hugo has it: from its publishDate (else its
 * date) until its expiryDate, if it has one.
 */

static int
blog_post_window(blog_post_t *post, blog_fm_t *fm, blog_problem_detail_t *pd)
{
    int          rc;
    blog_time_t  t;

    post->publish_at = post->date.sec;
    post->expires_at = 0;

    rc = blog_post_time(&t, fm, blog_publish_keys, pd);

    if (rc == BLOG_ERROR) {
        return BLOG_ERROR;
    }

    if (rc == BLOG_OK) {
        post->publish_at = t.sec;
    }

    rc = blog_post_time(&t, fm, blog_expiry_keys, pd);

    if (rc == BLOG_ERROR) {
        return BLOG_ERROR;
    }

    if (rc == BLOG_OK) {
        /* 0 is "never": an expiry at the epoch is one second later */
        post->expires_at = t.sec ? t.sec : 1;
    }

    return BLOG_OK;
}


/*
 * Old URLs that answer with a redirect to the post: Hugo's aliases,
 * jekyll-redirect-from's redirect_from, and the post's own url, path or
 * permalink from the generator it came from.
 */

static int
blog_post_aliases(blog_post_t *post, blog_fm_t *fm)
{
    size_t            n;
    const char      **key;
    const u_char     *p, *q, *end;
    blog_fm_field_t  *f;

    for (key = blog_alias_keys; *key; key++) {
        f = blog_fm_get(fm, *key);

        if (f == NULL) {
            continue;
        }

        end = f->value.data + f->value.len;

        for (p = f->value.data; p < end; p = q + 1) {
            q = memchr(p, '\n', end - p);

            if (q == NULL) {
                q = end;
            }

            n = q - p;

            /* trimmed first: n changes with it */
            p = blog_trim(p, &n);

            if (blog_post_alias(post, p, n) != BLOG_OK) {
                return BLOG_ERROR;
            }
        }
    }

    return BLOG_OK;
}


/*
 * An old URL kept as it is: a plain path, with no blank, no quote, no
 * query, no dot segment, no empty segment, no permalink pattern.
 */

int
blog_post_alias_ok(const u_char *p, size_t n)
{
    size_t  i;

    if (n == 0 || n > BLOG_POST_MAX_ALIAS) {
        return 0;
    }

    for (i = 0; i < n; i++) {
        if (p[i] <= 0x20 || p[i] == 0x7f || p[i] == '"' || p[i] == '<'
            || p[i] == '>' || p[i] == '\\' || p[i] == '?' || p[i] == '#'
            || p[i] == ':' || p[i] == '%')
        {
            return 0;
        }

        if (p[i] == '.' && (i == 0 || p[i - 1] == '/')
            && (i + 1 == n || p[i + 1] == '/'
                || (p[i + 1] == '.' && (i + 2 == n || p[i + 2] == '/'))))
        {
            return 0;
        }

        if (p[i] == '/' && i + 1 < n && p[i + 1] == '/') {
            return 0;
        }
    }

    return 1;
}


/*
 * One old URL, as a path: a full URL's host is dropped, and so are a
 * trailing index.html and slashes.  What could not be a plain path (a
 * permalink pattern with ":title", a query, dot segments, blanks) is
 * ignored, as is more than BLOG_POST_MAX_ALIASES.
 */

static int
blog_post_alias(blog_post_t *post, const u_char *p, size_t n)
{
    blog_str_t    *a;
    const u_char  *s;

    if (n > 7 && (memcmp(p, "http://", 7) == 0
                  || (n > 8 && memcmp(p, "https://", 8) == 0)))
    {
        s = memchr(p + 8, '/', n - 8);

        if (s == NULL) {
            return BLOG_OK;
        }

        n -= s - p;
        p = s;
    }

    if (n > 10 && memcmp(p + n - 10, "index.html", 10) == 0) {
        n -= 10;
    }

    while (n && p[n - 1] == '/') {
        n--;
    }

    if (post->naliases == BLOG_POST_MAX_ALIASES
        || !blog_post_alias_ok(p, n))
    {
        return BLOG_OK;
    }

    a = realloc(post->aliases, (post->naliases + 1) * sizeof(blog_str_t));
    if (a == NULL) {
        return BLOG_ERROR;
    }

    post->aliases = a;

    if (blog_str_dup(&a[post->naliases], p, n) != BLOG_OK) {
        return BLOG_ERROR;
    }

    post->naliases++;

    return BLOG_OK;
}


static void
blog_post_draft(blog_post_t *post, const blog_post_name_t *pn, blog_fm_t *fm)
{
    blog_fm_field_t  *f;

    f = blog_fm_get(fm, "draft");
    post->draft = pn->draft || (f != NULL && blog_post_true(&f->value));

    f = blog_fm_get(fm, "published");
    if (f != NULL && blog_post_false(&f->value)) {
        post->draft = 1;
    }
}


/* reading time: the front matter's minutes, else the words at the speed */

static void
blog_post_reading_time(blog_post_t *post, blog_fm_t *fm,
    const blog_options_t *opts, unsigned liquid)
{
    size_t         n, i;
    unsigned       v, wpm;
    const u_char  *p;

    post->words = blog_post_words(fm->body, fm->body_len, liquid);

    p = blog_post_scalar(fm, "reading_time", &n);
    v = 0;

    for (i = 0; i < n && i < 6 && p[i] >= '0' && p[i] <= '9'; i++) {
        v = v * 10 + (p[i] - '0');
    }

    if (i == n && v > 0) {
        post->reading_time = v;
    }

    if (post->reading_time == 0) {
        wpm = opts->words_per_minute ? opts->words_per_minute
                                     : BLOG_DEFAULT_WORDS_PER_MINUTE;

        post->reading_time = (post->words + wpm - 1) / wpm;

        if (post->reading_time == 0) {
            post->reading_time = 1;
        }
    }
}


/* the trimmed value of a key that is not a list; n is 0 otherwise */

static const u_char *
blog_post_scalar(blog_fm_t *fm, const char *key, size_t *n)
{
    blog_fm_field_t  *f;

    f = blog_fm_get(fm, key);

    if (f == NULL || f->list) {
        *n = 0;
        return NULL;
    }

    *n = f->value.len;

    return blog_trim(f->value.data, n);
}


static int
blog_post_time(blog_time_t *t, blog_fm_t *fm, const char **keys,
    blog_problem_detail_t *pd)
{
    size_t            n, shown;
    const u_char     *p;
    blog_fm_field_t  *f;

    for ( ; *keys; keys++) {
        f = blog_fm_get(fm, *keys);

        if (f == NULL || f->list) {
            continue;
        }

        n = f->value.len;
        p = blog_trim(f->value.data, &n);

        if (n == 0) {
            continue;
        }

        switch (blog_date_parse(t, p, n)) {

        case BLOG_OK:
            return BLOG_OK;

        case BLOG_DECLINED:
            pd->line = f->line;

            /* shown up to 40 bytes, never cutting a character in two */
            shown = n;

            if (shown > 40) {
                for (shown = 40; shown && (p[shown] & 0xc0) == 0x80;
                     shown--)
                {
                    /* void */
                }
            }

            snprintf(pd->text, sizeof(pd->text),
                     "%s \"%.*s%s\" is not a date (YYYY-MM-DD, "
                     "YYYY-MM-DD HH:MM[:SS] [+ZZZZ] or RFC 3339)",
                     *keys, (int) shown, p, shown < n ? "..." : "");
            pd->reason = pd->text;
            return BLOG_ERROR;

        default:
            pd->line = f->line;
            pd->reason = "cannot compile the date pattern";
            return BLOG_ERROR;
        }
    }

    return BLOG_DECLINED;
}


/* a list, or "a, b" (commas), or "a b" (blanks) */

static int
blog_post_tags(blog_post_t *post, blog_fm_field_t *f)
{
    u_char        sep;
    const u_char  *p, *end, *q;

    p = f->value.data;
    end = p + f->value.len;

    if (f->list) {
        sep = '\n';

    } else if (memchr(p, ',', f->value.len) != NULL) {
        sep = ',';

    } else {
        sep = ' ';
    }

    while (p < end) {
        if (sep == ' ') {
            while (p < end && (*p == ' ' || *p == '\t')) {
                p++;
            }

            for (q = p; q < end && *q != ' ' && *q != '\t'; q++) {
                /* void */
            }

        } else {
            q = memchr(p, sep, end - p);
            if (q == NULL) {
                q = end;
            }
        }

        if (blog_post_add_tag(post, p, q - p) != BLOG_OK) {
            return BLOG_ERROR;
        }

        p = q + 1;
    }

    return BLOG_OK;
}


static int
blog_post_add_tag(blog_post_t *post, const u_char *p, size_t n)
{
    int          rc;
    size_t       i;
    blog_tag_t  *tags;
    blog_str_t   key, name;

    p = blog_trim(p, &n);

    if (n == 0) {
        return BLOG_OK;
    }

    if (blog_post_dup_text(&name, p, n) != BLOG_OK) {
        return BLOG_ERROR;
    }

    rc = blog_tag_key(&key, name.data, name.len);

    if (rc != BLOG_OK) {
        free(name.data);
        return rc == BLOG_DECLINED ? BLOG_OK : BLOG_ERROR;
    }

    for (i = 0; i < post->ntags; i++) {
        if (blog_str_eq(&post->tags[i].key, &key)) {
            /* the same tag again: its first spelling stays */
            free(name.data);
            free(key.data);
            return BLOG_OK;
        }
    }

    tags = realloc(post->tags, (post->ntags + 1) * sizeof(blog_tag_t));
    if (tags == NULL) {
        free(name.data);
        free(key.data);
        return BLOG_ERROR;
    }

    post->tags = tags;
    tags[post->ntags].key = key;
    tags[post->ntags].name = name;
    post->ntags++;

    return BLOG_OK;
}


/*
 * The first "# heading" of the body, and its summary: the text before a
 * <!--more--> divider (an HTML block or inline HTML, never one inside
 * code), or else the first paragraph.  Tables and footnotes are not part
 * of it, nor a heading's explicit "{#id}".  Only the head of a long body
 * is parsed.
 */

static void
blog_post_text(blog_post_text_t *pt, const u_char *body, size_t n,
    unsigned dialect, unsigned liquid)
{
    blog_buf_t  text;

    /* the body is valid UTF-8: cut it where a character starts */

    if (n > BLOG_SUMMARY_SOURCE) {
        n = BLOG_SUMMARY_SOURCE;

        while (n && (body[n] & 0xc0) == 0x80) {
            n--;
        }
    }

    /* no shortcode or Liquid tag in a summary, as none is on the page */

    blog_buf_init(&text);

    if (blog_expand_strip(&text, body, n, liquid) == BLOG_OK) {
        body = text.data;
        n = text.len;
    }

    /* a body past the parser's budget has no summary or heading */

    pt->dialect = dialect;
    (void) blog_markdown_walk(body, n, dialect, blog_post_text_walk, pt);

    blog_buf_free(&text);
}


static int
blog_post_text_walk(cmark_node *doc, void *data)
{
    blog_post_text_t  *pt = data;

    size_t            first;
    unsigned          paragraphs, more, heading, aside;
    const char       *html;
    cmark_node       *node;
    cmark_iter       *it;
    blog_buf_t        text, id;
    cmark_node_type   type;
    cmark_event_type  ev;

    /* text: every paragraph's text up to the divider, one space apart */

    blog_buf_init(&text);
    first = 0;
    paragraphs = 0;
    more = 0;
    heading = 0;
    aside = 0;

    it = cmark_iter_new(doc);
    if (it == NULL) {
        return BLOG_ERROR;
    }

    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        node = cmark_iter_get_node(it);
        type = cmark_node_get_type(node);

        if (type == CMARK_NODE_FOOTNOTE_DEFINITION
            || blog_markdown_table(node))
        {
            aside += (ev == CMARK_EVENT_ENTER) ? 1 : -1;
            continue;
        }

        if (ev == CMARK_EVENT_EXIT) {
            if (type == CMARK_NODE_PARAGRAPH && !more && !aside
                && paragraphs++ == 0)
            {
                first = text.len;
            }

            if (type == CMARK_NODE_HEADING) {
                heading = 0;
            }

            continue;
        }

        switch (type) {

        case CMARK_NODE_HEADING:
            heading = 1;

            if (!pt->have_heading && cmark_node_get_heading_level(node) == 1)
            {
                if (pt->dialect == BLOG_MARKDOWN_GFM) {
                    blog_buf_init(&id);
                    (void) blog_heading_explicit_id(node, &id);
                    blog_buf_free(&id);
                }

                blog_heading_text(&pt->heading, node);
                pt->have_heading = 1;
            }

            break;

        case CMARK_NODE_PARAGRAPH:
            if (!more && !aside && text.len) {
                blog_buf_addc(&text, ' ');
            }

            break;

        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
            if (more || heading || aside) {
                break;
            }

            if (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE) {
                html = cmark_node_get_literal(node);
                if (html != NULL) {
                    blog_buf_adds(&text, html);
                }

            } else {
                blog_buf_addc(&text, ' ');
            }

            break;

        case CMARK_NODE_HTML_BLOCK:
        case CMARK_NODE_HTML_INLINE:
            html = cmark_node_get_literal(node);

            if (!more && html != NULL && strstr(html, "<!--more-->") != NULL)
            {
                more = 1;
                first = text.len;

                while (first && text.data[first - 1] == ' ') {
                    first--;
                }
            }

            break;

        default:
            break;
        }
    }

    cmark_iter_free(it);

    if (!pt->have_summary) {
        blog_buf_add(&pt->summary, text.data,
                     (more || paragraphs) ? first : 0);
        pt->have_summary = 1;

        if (text.failed) {
            pt->summary.failed = 1;
        }
    }

    blog_buf_free(&text);

    return BLOG_OK;
}


/*
 * Words as a reader counts them: Markdown's marks standing alone (a
 * table's pipes and rules, list bullets, "#", ">") are not words, nor a
 * footnote's label ("[^1]:"): its text counts once, where it is defined.
 */

static unsigned
blog_post_words(const u_char *p, size_t n, unsigned liquid)
{
    unsigned       words, word;
    blog_buf_t     text;
    const u_char  *q, *e;

    /* shortcodes and Liquid tags are not words a reader meets */

    blog_buf_init(&text);

    if (blog_expand_strip(&text, p, n, liquid) == BLOG_OK) {
        p = text.data;
        n = text.len;
    }

    if (n == 0) {
        /* a text of tags alone: its buffer may be no memory at all */
        blog_buf_free(&text);
        return 0;
    }

    words = blog_post_runs(p, n);

    /* footnotes' labels ("[^1]:"), rare, are taken back */

    for (q = p; (q = memchr(q, '[', p + n - q)) != NULL; q++) {
        if (q + 1 == p + n || q[1] != '^'
            || (q > p && blog_post_word_class[q[-1]] != BLOG_POST_BLANK))
        {
            continue;
        }

        for (e = q, word = 0;
             e < p + n && blog_post_word_class[*e] != BLOG_POST_BLANK;
             e++)
        {
            word |= blog_post_word_class[*e] >> 1;
        }

        if (word && blog_post_footnote_label(q, e - q)) {
            words--;
        }
    }

    blog_buf_free(&text);

    return words;
}


/*
 * The words of a text: its runs of non-blank bytes that hold a letter or
 * a digit.  At 100,000 posts this count is a good part of the first scan,
 * so a run's start (a non-blank after a blank, or first) is found 16
 * bytes at a time; only a run that starts with a mark ("-", "|", "`") is
 * read through, byte by byte, for a letter.
 */

static size_t
blog_post_runs(const u_char *p, size_t n)
{
    size_t           i, k, words, none, rounds;
    uint64_t         any[2];
    blog_post_vec_t  v, w, start, mark, count;

    if (n == 0) {
        return 0;
    }

    words = blog_post_word_at(p, 0, n);
    none = 0;

    for (i = 1; n - i >= sizeof(blog_post_vec_t); /* void */ ) {

        /* each lane counts up to 255 starts, then they are added up */

        count = (blog_post_vec_t) { 0 };

        for (rounds = 0;
             rounds < 255 && n - i >= sizeof(blog_post_vec_t);
             rounds++, i += sizeof(blog_post_vec_t))
        {
            memcpy(&v, p + i, sizeof(blog_post_vec_t));
            memcpy(&w, p + i - 1, sizeof(blog_post_vec_t));

            start = ~blog_post_vec_blank(v) & blog_post_vec_blank(w);
            count += start & 1;

            mark = start & ~blog_post_vec_letter(v);
            memcpy(any, &mark, sizeof(blog_post_vec_t));

            if ((any[0] | any[1]) == 0) {
                continue;
            }

            /* a run that starts with a mark and holds no letter: no word */

            for (k = 0; k < sizeof(blog_post_vec_t); k++) {
                none += (mark[k] && !blog_post_word_at(p, i + k, n));
            }
        }

        for (k = 0; k < sizeof(blog_post_vec_t); k++) {
            words += count[k];
        }
    }

    for ( /* void */ ; i < n; i++) {
        words += blog_post_word_at(p, i, n);
    }

    return words - none;
}


/* 1 when a word starts at p[i]: a run of non-blank bytes with a letter */

static size_t
blog_post_word_at(const u_char *p, size_t i, size_t n)
{
    if (blog_post_word_class[p[i]] == BLOG_POST_BLANK
        || (i > 0 && blog_post_word_class[p[i - 1]] != BLOG_POST_BLANK))
    {
        return 0;
    }

    for ( /* void */ ; i < n; i++) {
        switch (blog_post_word_class[p[i]]) {

        case BLOG_POST_LETTER:
            return 1;

        case BLOG_POST_BLANK:
            return 0;

        default:
            break;
        }
    }

    return 0;
}


/* lanes of 0xff where v has a blank, of 0 elsewhere */

static blog_post_vec_t
blog_post_vec_blank(blog_post_vec_t v)
{
    return (blog_post_vec_t) ((v == ' ') | (v == '\n') | (v == '\t')
                              | (v == '\r'));
}


/* where v has a letter, a digit or a byte of a multibyte character */

static blog_post_vec_t
blog_post_vec_letter(blog_post_vec_t v)
{
    blog_post_vec_t  alpha, digit;

    alpha = (v | 0x20) - 'a';
    digit = v - '0';

    return (blog_post_vec_t) ((alpha < 26) | (digit < 10) | (v >= 0x80));
}


static int
blog_post_footnote_label(const u_char *p, size_t n)
{
    return n > 4 && p[0] == '[' && p[1] == '^' && p[n - 2] == ']'
           && p[n - 1] == ':';
}


/*
 * What the pages and the feeds show of a post (title, summary, tag names)
 * comes from the author's text and YAML escapes such as "\e" or "\0":
 * copied as text XML can hold.
 */

static int
blog_post_dup_text(blog_str_t *dst, const u_char *p, size_t n)
{
    int         rc;
    size_t      i;
    blog_buf_t  b;

    /* printable ASCII, most text, is copied as it is */

    for (i = 0; i < n; i++) {
        if (p[i] >= 0x80
            || (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r'))
        {
            break;
        }
    }

    if (i == n) {
        return blog_str_dup(dst, p, n);
    }

    blog_buf_init(&b);
    blog_text_clean(&b, p, n);

    rc = b.failed ? BLOG_ERROR : blog_str_dup(dst, b.data, b.len);

    blog_buf_free(&b);

    if (rc != BLOG_OK) {
        dst->data = NULL;
        dst->len = 0;
    }

    return rc;
}


static int
blog_post_true(const blog_str_t *v)
{
    return (v->len == 4 && strncasecmp((char *) v->data, "true", 4) == 0)
           || (v->len == 3 && strncasecmp((char *) v->data, "yes", 3) == 0)
           || (v->len == 2 && strncasecmp((char *) v->data, "on", 2) == 0);
}


static int
blog_post_false(const blog_str_t *v)
{
    return (v->len == 5 && strncasecmp((char *) v->data, "false", 5) == 0)
           || (v->len == 2 && strncasecmp((char *) v->data, "no", 2) == 0)
           || (v->len == 3 && strncasecmp((char *) v->data, "off", 3) == 0);
}


static const u_char *
blog_trim(const u_char *p, size_t *n)
{
    while (*n && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) {
        p++;
        (*n)--;
    }

    while (*n && (p[*n - 1] == ' ' || p[*n - 1] == '\t'
                  || p[*n - 1] == '\r' || p[*n - 1] == '\n'))
    {
        (*n)--;
    }

    return p;
}


void
blog_post_ref(blog_post_t *post)
{
    if (post->frozen) {
        return;
    }

    __atomic_add_fetch(&post->refs, 1, __ATOMIC_RELAXED);
}


void
blog_post_release(blog_post_t *post)
{
    size_t  i;

    if (post == NULL || post->frozen
        || __atomic_sub_fetch(&post->refs, 1, __ATOMIC_ACQ_REL) != 0)
    {
        return;
    }

    if (post->packed) {
        free(post);
        return;
    }

    for (i = 0; i < post->ntags; i++) {
        free(post->tags[i].name.data);
        free(post->tags[i].key.data);
    }

    free(post->tags);
    free(post->path.data);
    free(post->slug.data);
    free(post->title.data);
    free(post->description.data);
    free(post->redirect.data);

    for (i = 0; i < post->naliases; i++) {
        free(post->aliases[i].data);
    }

    free(post->aliases);
    free(post);
}
