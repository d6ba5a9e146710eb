
/*
 * blog_post_name on any path the index's walk could hand it: the input is
 * a path below the root "/r", its names not empty and not starting with
 * ".".  A name that is taken is a post (.md or .markdown, not "_" or
 * README) whose slug is one non-empty name of the path: the file's, less
 * its extension and any Jekyll date, or the folder's for an index.md;
 * "_drafts" anywhere makes a draft.  A post so named, with a body only,
 * gets a title (the slug) that is valid UTF-8 and XML, whatever the bytes.
 */


#include "fuzz.h"


#define FUZZ_ROOT      "/r"
#define FUZZ_PATH_MAX  1024


static int fuzz_walk_path(const u_char *p, size_t n);
static int fuzz_ends(const u_char *p, size_t n, const char *s);
static void fuzz_title(const blog_post_name_t *pn);


static const blog_options_t  fuzz_opts = BLOG_DEFAULT_OPTIONS;


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int               rc, draft;
    char              path[sizeof(FUZZ_ROOT) + FUZZ_PATH_MAX + 1];
    size_t            root, base, len, ext, i;
    const u_char     *name, *end;
    blog_time_t       t;
    blog_post_name_t  pn;

    if (size == 0 || size > FUZZ_PATH_MAX || !fuzz_walk_path(data, size)) {
        return 0;
    }

    root = sizeof(FUZZ_ROOT) - 1;
    memcpy(path, FUZZ_ROOT "/", root + 1);
    memcpy(path + root + 1, data, size);
    path[root + 1 + size] = '\0';

    len = root + 1 + size;

    for (base = len; path[base - 1] != '/'; base--) {
        /* void */
    }

    name = (const u_char *) path + base;
    end = (const u_char *) path + len;

    draft = 0;

    for (i = root; i + 8 <= len; i++) {
        if (path[i] == '/' && memcmp(path + i + 1, "_drafts/", 8) == 0) {
            draft = 1;
        }
    }

    memset(&pn, 0, sizeof(blog_post_name_t));

    rc = blog_post_name(&pn, path, root);

    ext = fuzz_ends(name, end - name, ".md") ? 3
          : fuzz_ends(name, end - name, ".markdown") ? 9 : 0;

    if (rc == BLOG_DECLINED) {
        /* no extension, "_x.md", "README.md", or index.md at the root */

        fuzz_check(ext == 0 || (size_t) (end - name) == ext
                   || name[0] == '_'
                   || ((size_t) (end - name) == ext + 6
                       && fuzz_find_nocase(name, 6, "readme") == name)
                   || (base == root + 1
                       && (size_t) (end - name) == ext + 5
                       && memcmp(name, "index", 5) == 0));
        return 0;
    }

    fuzz_check(rc == BLOG_OK);
    fuzz_check(ext != 0 && name[0] != '_');
    fuzz_check(pn.draft == draft);

    /* one whole name of the path */

    fuzz_check(pn.slug.len > 0);
    fuzz_check(pn.slug.data > (u_char *) path + root
               && pn.slug.data + pn.slug.len <= end);
    fuzz_check(pn.slug.data[-1] == '/' || pn.dated);
    fuzz_check(memchr(pn.slug.data, '/', pn.slug.len) == NULL);

    if ((size_t) (end - name) == ext + 5 && memcmp(name, "index", 5) == 0) {
        fuzz_check(pn.slug.data + pn.slug.len + 1 == name);
        fuzz_check(!pn.dated);

    } else if (pn.dated) {
        fuzz_check(pn.slug.data == name + 11 && name[10] == '-');
        fuzz_check(pn.slug.data + pn.slug.len + ext == end);

        memset(&t, 0, sizeof(blog_time_t));
        fuzz_check(blog_date_parse(&t, name, 10) == BLOG_OK);
        fuzz_check(t.sec == pn.date.sec && t.off == pn.date.off);

    } else {
        fuzz_check(pn.slug.data == name);
        fuzz_check(pn.slug.data + pn.slug.len + ext == end);
    }

    fuzz_title(&pn);

    return 0;
}


/* names as readdir gives them and the walk keeps: no "", ".x", NUL */

static int
fuzz_walk_path(const u_char *p, size_t n)
{
    size_t  i;

    for (i = 0; i < n; i++) {
        if (p[i] == '\0') {
            return 0;
        }

        if ((i == 0 || p[i - 1] == '/') && (p[i] == '/' || p[i] == '.')) {
            return 0;
        }
    }

    return p[n - 1] != '/';
}


static int
fuzz_ends(const u_char *p, size_t n, const char *s)
{
    size_t  len;

    len = strlen(s);

    return n >= len && memcmp(p + n - len, s, len) == 0;
}


/* a body with no heading: the title is the slug, fit for the feed */

static void
fuzz_title(const blog_post_name_t *pn)
{
    blog_fm_t               fm;
    blog_post_t            *post;
    blog_problem_detail_t   pd;
    static const u_char     body[] = "Just a paragraph.\n";

    post = calloc(1, sizeof(blog_post_t));
    if (post == NULL) {
        return;
    }

    post->refs = 1;

    memset(&fm, 0, sizeof(blog_fm_t));
    memset(&pd, 0, sizeof(blog_problem_detail_t));

    fuzz_check(blog_post_parse(post, pn, body, sizeof(body) - 1, &fuzz_opts,
                               &pd, &fm)
               == BLOG_OK);

    fuzz_check(post->title.len >= pn->slug.len);
    fuzz_check(fuzz_utf8_check(post->title.data, post->title.len)
               == post->title.len);
    fuzz_check(fuzz_xml_text(post->title.data, post->title.len));
    fuzz_check(blog_str_eq(&post->slug, &pn->slug));

    blog_fm_free(&fm);
    blog_post_release(post);
}
