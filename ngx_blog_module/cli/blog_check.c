
/*
 * blog-check: reads a content folder as the module does, through
 * blog_index_build() (the same walk, the same parse, the same rules), and
 * prints what visitors would get: each published post's slug, date, tags
 * and reading time, newest first, then every problem as FILE:LINE: LEVEL:
 * REASON, or all of it as one JSON object.  It exits 1 when a post would
 * be skipped, so an author or a CI job learns before nginx does.  It
 * renders and serves nothing: templates, routes and caching are the
 * module's.
 */


#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <errno.h>
#include <time.h>
#include <dirent.h>
#include <sys/stat.h>

#include "blog.h"


#define BLOG_CHECK_CLEAN          0     /* exit: nothing skipped */
#define BLOG_CHECK_ERRORS         1     /* exit: a post would be skipped */
#define BLOG_CHECK_USAGE          2     /* exit: bad usage, no folder */

#define BLOG_CHECK_HELP           1     /* from the options: print usage */

#define BLOG_CHECK_WPM_MAX        100000  /* --words-per-minute at most */


typedef enum {
    BLOG_CHECK_ERROR = 0,
    BLOG_CHECK_WARNING,
    BLOG_CHECK_NOTE
} blog_check_level_e;

typedef struct {
    const char            *file;    /* as the index names it */
    unsigned               line;    /* 0: the file as a whole */
    blog_check_level_e     level;
    size_t                 seq;     /* keeps one file's lines in order */
    blog_str_t             reason;
    unsigned               own:1;
} blog_check_problem_t;

typedef struct {
    blog_post_t           *post;
    blog_str_t             slug;    /* the URL name, once published */
    unsigned               published:1;
    unsigned               future:1;
} blog_check_post_t;

typedef struct blog_check_s  blog_check_t;

typedef struct {
    blog_check_t          *check;
    const char            *file;
    unsigned               line;    /* where the body starts */
} blog_check_body_t;

struct blog_check_s {
    const char            *dir;     /* as given */
    size_t                 dir_len; /* without trailing slashes */
    char                   root[PATH_MAX];  /* resolved, as in post paths */
    size_t                 root_len;
    blog_options_t         opts;
    int64_t                now;
    blog_index_t          *ix;
    blog_check_post_t     *posts;   /* every post read, newest first */
    size_t                 nposts;
    blog_check_problem_t  *problems;
    size_t                 nproblems;
    size_t                 nproblems_size;
    size_t                 errors;
    size_t                 warnings;
    size_t                 notes;
    const char            *location;    /* the blog's, for redirects */
    size_t                 location_len;    /* without trailing slashes */
    const char            *templates;   /* --templates, or NULL */
    blog_theme_t          *theme;       /* its shortcodes are known */
    unsigned               json:1;
    unsigned               redirects:1; /* --nginx-redirects */
};


static void blog_check_usage(FILE *f);
static blog_entry_t *blog_check_named(void *ix, const u_char *name,
    size_t n);
static int blog_check_options(blog_check_t *c, int argc, char **argv);
static int blog_check_option(const char *arg, const char *name, int argc,
    char **argv, int *i, const char **value);
static int blog_check_number(const char *s, size_t max, unsigned suffix,
    size_t *out);
static int blog_check_root(blog_check_t *c);
static int blog_check_collect(blog_check_t *c);
static int blog_check_notes(blog_check_t *c, blog_check_post_t *cp,
    blog_buf_t *b);
static int blog_check_body(blog_check_t *c, blog_check_post_t *cp);
static int blog_check_expand(blog_check_t *c, blog_check_body_t *cb,
    blog_post_t *post, blog_fm_t *fm, const blog_post_name_t *pn);
static int blog_check_theme(blog_check_t *c);
static int blog_check_tell(void *data, unsigned line, unsigned level,
    const char *text);
static int blog_check_add(blog_check_t *c, const char *file, unsigned line,
    blog_check_level_e level, const blog_str_t *reason, unsigned own);
static blog_check_post_t *blog_check_find(blog_check_t *c,
    const blog_post_t *post);
static void blog_check_text(blog_check_t *c, blog_buf_t *b);
static void blog_check_json(blog_check_t *c, blog_buf_t *b);
static void blog_check_redirects(blog_check_t *c, blog_buf_t *b);
static void blog_check_location(blog_buf_t *b, const blog_str_t *from,
    const char *tail, const blog_check_t *c, const blog_entry_t *to);
static int blog_check_aliases(blog_check_t *c);
static int blog_check_location_ok(const char *p);
static void blog_check_json_post(blog_check_t *c, blog_buf_t *b,
    blog_check_post_t *cp);
static void blog_check_date(blog_buf_t *b, const blog_time_t *t);
static void blog_check_file(blog_check_t *c, blog_buf_t *b,
    const char *file, unsigned json);
static void blog_check_reason(blog_check_t *c, blog_buf_t *b,
    const blog_str_t *reason, unsigned json);
static void blog_check_text_str(blog_buf_t *b, const u_char *p, size_t n);
static void blog_check_json_str(blog_buf_t *b, const u_char *p, size_t n);
static int blog_check_cmp_problem(const void *a, const void *b);
static int blog_check_cmp_post(const void *a, const void *b);
static void blog_check_free(blog_check_t *c);


static const char  *blog_check_levels[] = { "error", "warning", "note" };

/* what Liquid's site.X may name in a post */
static const char  *blog_check_site[] = {
    "title", "description", "author", "home_url", "base_url", "url", "path",
    NULL
};

/* what "blog PATH;" alone reads with: the module's own defaults */
static const blog_options_t  blog_check_default_options =
    BLOG_DEFAULT_OPTIONS;

static const blog_str_t  blog_check_draft =
    blog_string("draft, not published");
static const blog_str_t  blog_check_undated =
    blog_string("no date in front matter or file name, dated by the file's "
                "modification time");


int
main(int argc, char **argv)
{
    int           rc;
    blog_buf_t    out;
    blog_check_t  c;

    memset(&c, 0, sizeof(blog_check_t));

    c.opts = blog_check_default_options;

    rc = blog_check_options(&c, argc, argv);

    if (rc == BLOG_CHECK_HELP) {
        blog_check_usage(stdout);
        return BLOG_CHECK_CLEAN;
    }

    if (rc != BLOG_OK) {
        blog_check_usage(stderr);
        return BLOG_CHECK_USAGE;
    }

    if (blog_check_root(&c) != BLOG_OK || blog_check_theme(&c) != BLOG_OK) {
        blog_check_free(&c);
        return BLOG_CHECK_USAGE;
    }

    if (blog_date_init() != BLOG_OK) {
        fprintf(stderr, "blog-check: cannot compile the date pattern\n");
        return BLOG_CHECK_USAGE;
    }

    blog_buf_init(&out);
    rc = BLOG_CHECK_USAGE;

    c.now = (int64_t) time(NULL);
    c.ix = blog_index_build(c.dir, &c.opts, NULL, c.now);

    if (c.ix == NULL || blog_check_collect(&c) != BLOG_OK) {
        fprintf(stderr, "blog-check: %s: out of memory\n", c.dir);
        goto failed;
    }

    if (c.redirects) {
        blog_check_redirects(&c, &out);

    } else if (c.json) {
        blog_check_json(&c, &out);

    } else {
        blog_check_text(&c, &out);
    }

    if (out.failed) {
        fprintf(stderr, "blog-check: %s: out of memory\n", c.dir);
        goto failed;
    }

    if (fwrite(out.data, 1, out.len, stdout) != out.len
        || fflush(stdout) != 0)
    {
        fprintf(stderr, "blog-check: write error: %s\n", strerror(errno));
        goto failed;
    }

    rc = c.errors ? BLOG_CHECK_ERRORS : BLOG_CHECK_CLEAN;

failed:

    blog_buf_free(&out);
    blog_check_free(&c);

    return rc;
}


static void
blog_check_usage(FILE *f)
{
    fprintf(f,
        "usage: blog-check [options] DIR\n"
        "\n"
        "Reads the content folder DIR as ngx_blog_module does and prints\n"
        "each published post, newest first: slug, date, tags and reading\n"
        "time, separated by tabs.  Then every problem, as\n"
        "    FILE[:LINE]: error|warning|note: REASON\n"
        "and the counts.  Exits 1 when a post would be skipped (an error),\n"
        "2 on bad usage, else 0: warnings and notes do not fail.\n"
        "\n"
        "  --json                  print one JSON object instead\n"
        "  --nginx-redirects       print, instead, a \"location = URL\n"
        "                          { return 301 ...; }\" line for each old\n"
        "                          URL of a post (aliases, redirect_from)\n"
        "                          that lies outside the blog's location\n"
        "  --location PATH         the blog's nginx location (default /)\n"
        "  --drafts                publish drafts (as \"blog_drafts on\")\n"
        "  --templates DIR         the site's theme, as \"blog_templates\":\n"
        "                          the shortcodes of DIR/shortcodes/ are\n"
        "                          known, before the built-in ones\n"
        "  --markdown DIALECT      gfm (the default) or commonmark, as\n"
        "                          \"blog_markdown\"\n"
        "  --words-per-minute N    reading speed (default %d)\n"
        "  --max-post-size SIZE    skip larger files; bytes, or with a k or\n"
        "                          m suffix (default %dm)\n"
        "  -h, --help              print this text\n",
        BLOG_DEFAULT_WORDS_PER_MINUTE,
        BLOG_DEFAULT_MAX_POST_SIZE / (1024 * 1024));
}


/* for shortcodes' and Liquid's links: the post a name names */

static blog_entry_t *
blog_check_named(void *ix, const u_char *name, size_t n)
{
    return blog_index_named(ix, name, n);
}


static int
blog_check_options(blog_check_t *c, int argc, char **argv)
{
    int          i;
    size_t       v;
    unsigned     rest;
    const char  *arg, *value;

    rest = 0;

    for (i = 1; i < argc; i++) {
        arg = argv[i];

        if (rest || arg[0] != '-' || arg[1] == '\0') {
            if (c->dir != NULL) {
                fprintf(stderr, "blog-check: one folder at a time: \"%s\" "
                        "and \"%s\"\n", c->dir, arg);
                return BLOG_ERROR;
            }

            c->dir = arg;
            continue;
        }

        if (strcmp(arg, "--") == 0) {
            rest = 1;
            continue;
        }

        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            return BLOG_CHECK_HELP;
        }

        if (strcmp(arg, "--json") == 0) {
            c->json = 1;
            continue;
        }

        if (strcmp(arg, "--nginx-redirects") == 0) {
            c->redirects = 1;
            continue;
        }

        if (blog_check_option(arg, "--location", argc, argv, &i, &value)) {
            if (value == NULL || value[0] != '/'
                || !blog_check_location_ok(value))
            {
                fprintf(stderr, "blog-check: --location takes a path that "
                        "starts with \"/\", with no blank, quote, \"$\", "
                        "\"#\", \";\" or brace\n");
                return BLOG_ERROR;
            }

            c->location = value;
            continue;
        }

        if (blog_check_option(arg, "--templates", argc, argv, &i, &value)) {
            if (value == NULL || value[0] == '\0') {
                fprintf(stderr, "blog-check: --templates takes a folder\n");
                return BLOG_ERROR;
            }

            c->templates = value;
            continue;
        }

        if (strcmp(arg, "--drafts") == 0) {
            c->opts.drafts = 1;
            continue;
        }

        if (blog_check_option(arg, "--markdown", argc, argv, &i, &value)) {
            if (strcmp(value, "gfm") == 0) {
                c->opts.markdown = BLOG_MARKDOWN_GFM;

            } else if (strcmp(value, "commonmark") == 0) {
                c->opts.markdown = BLOG_MARKDOWN_COMMONMARK;

            } else {
                fprintf(stderr, "blog-check: --markdown takes \"gfm\" or "
                        "\"commonmark\"\n");
                return BLOG_ERROR;
            }

            continue;
        }

        if (blog_check_option(arg, "--words-per-minute", argc, argv, &i,
                              &value))
        {
            if (blog_check_number(value, BLOG_CHECK_WPM_MAX, 0, &v)
                != BLOG_OK
                || v == 0)
            {
                fprintf(stderr, "blog-check: --words-per-minute takes a "
                        "number from 1 to %d\n", BLOG_CHECK_WPM_MAX);
                return BLOG_ERROR;
            }

            c->opts.words_per_minute = (unsigned) v;
            continue;
        }

        if (blog_check_option(arg, "--max-post-size", argc, argv, &i,
                              &value))
        {
            if (blog_check_number(value, SIZE_MAX, 1, &v) != BLOG_OK) {
                fprintf(stderr, "blog-check: --max-post-size takes a size "
                        "in bytes, or with a k or m suffix\n");
                return BLOG_ERROR;
            }

            c->opts.max_post_size = v;
            continue;
        }

        fprintf(stderr, "blog-check: unknown option \"%s\"\n", arg);
        return BLOG_ERROR;
    }

    if (c->dir == NULL) {
        fprintf(stderr, "blog-check: no content folder given\n");
        return BLOG_ERROR;
    }

    if (c->location == NULL) {
        c->location = "/";
    }

    c->location_len = strlen(c->location);

    while (c->location_len && c->location[c->location_len - 1] == '/') {
        c->location_len--;
    }

    return BLOG_OK;
}


/* "--name VALUE" or "--name=VALUE"; value is NULL when it is missing */

static int
blog_check_option(const char *arg, const char *name, int argc, char **argv,
    int *i, const char **value)
{
    size_t  n;

    n = strlen(name);

    if (strncmp(arg, name, n) != 0) {
        return 0;
    }

    if (arg[n] == '=') {
        *value = arg + n + 1;
        return 1;
    }

    if (arg[n] != '\0') {
        return 0;
    }

    *value = (*i + 1 < argc) ? argv[++*i] : NULL;

    return 1;
}


/* digits, then "k" or "m" when a suffix is allowed, as nginx reads sizes */

static int
blog_check_number(const char *s, size_t max, unsigned suffix, size_t *out)
{
    size_t       v, scale;
    const char  *p;

    if (s == NULL || *s < '0' || *s > '9') {
        return BLOG_ERROR;
    }

    v = 0;

    for (p = s; *p >= '0' && *p <= '9'; p++) {
        if (v > (max - (size_t) (*p - '0')) / 10) {
            return BLOG_ERROR;
        }

        v = v * 10 + (size_t) (*p - '0');
    }

    scale = 1;

    if (suffix && (*p == 'k' || *p == 'K')) {
        scale = 1024;
        p++;

    } else if (suffix && (*p == 'm' || *p == 'M')) {
        scale = 1024 * 1024;
        p++;
    }

    if (*p != '\0' || v > max / scale) {
        return BLOG_ERROR;
    }

    *out = v * scale;

    return BLOG_OK;
}


/*
 * The theme the shortcodes are expanded with, as the module builds it:
 * the --templates folder first, then the built-in files.  A folder or a
 * template that nginx would refuse is a usage error here.
 */

static int
blog_check_theme(blog_check_t *c)
{
    const char          *what;
    blog_theme_error_t   err;

    c->theme = blog_theme_create();
    if (c->theme == NULL) {
        fprintf(stderr, "blog-check: out of memory\n");
        return BLOG_ERROR;
    }

    if (blog_theme_load(c->theme, c->templates, blog_theme_builtin, &err)
        == BLOG_OK)
    {
        return BLOG_OK;
    }

    what = (err.step == BLOG_THEME_IN_DIR) ? "--templates"
                                           : "built-in template";

    if (err.line) {
        fprintf(stderr, "blog-check: %s: %s:%u: %s\n", what, err.file,
                err.line, err.reason);

    } else {
        fprintf(stderr, "blog-check: %s: %s: %s\n", what, err.file,
                err.reason);
    }

    return BLOG_ERROR;
}


/*
 * The index reports a missing root as one more problem; here it is a
 * usage error, found before the walk.
 */

static int
blog_check_root(blog_check_t *c)
{
    int          err;
    DIR         *dir;
    struct stat  st;

    if (stat(c->dir, &st) == -1) {
        err = errno;
        goto failed;
    }

    if (!S_ISDIR(st.st_mode)) {
        err = ENOTDIR;
        goto failed;
    }

    if (realpath(c->dir, c->root) == NULL) {
        err = errno;
        goto failed;
    }

    dir = opendir(c->root);
    if (dir == NULL) {
        err = errno;
        goto failed;
    }

    closedir(dir);

    c->root_len = strlen(c->root);
    c->dir_len = strlen(c->dir);

    while (c->dir_len && c->dir[c->dir_len - 1] == '/') {
        c->dir_len--;
    }

    return BLOG_OK;

failed:

    fprintf(stderr, "blog-check: %s: %s\n", c->dir, strerror(err));

    return BLOG_ERROR;
}


/*
 * The index's problems, then what a reader of the folder should know
 * though the module says nothing of it: a title made up from the body or
 * the slug, a date taken from the file's time (it changes with every
 * checkout), drafts and future posts, which the index holds but does not
 * publish.
 */

static int
blog_check_collect(blog_check_t *c)
{
    size_t              i;
    blog_str_t          reason;
    blog_buf_t          b;
    blog_entry_t       *e;
    blog_index_t       *ix;
    blog_problem_t     *pb;
    blog_check_post_t  *cp;

    ix = c->ix;

    for (i = 0; i < ix->nproblems; i++) {
        pb = &ix->problems[i];
        reason = pb->reason;

        if (blog_check_add(c, (char *) pb->file.data, pb->line,
                           pb->warn ? BLOG_CHECK_WARNING : BLOG_CHECK_ERROR,
                           &reason, 0)
            != BLOG_OK)
        {
            return BLOG_ERROR;
        }
    }

    c->posts = calloc(ix->nall ? ix->nall : 1, sizeof(blog_check_post_t));
    if (c->posts == NULL) {
        return BLOG_ERROR;
    }

    /* in the index's order, by path, until the entries are marked */

    for (i = 0; i < ix->nall; i++) {
        cp = &c->posts[i];
        cp->post = ix->all[i];
        cp->slug = ix->all[i]->slug;
        cp->future = (ix->all[i]->publish_at > c->now);
    }

    c->nposts = ix->nall;

    for (i = 0; i < ix->nentries; i++) {
        e = &ix->entries[i];

        cp = blog_check_find(c, e->post);
        if (cp == NULL) {
            continue;
        }

        cp->slug = e->slug;
        cp->published = 1;
    }

    if (blog_check_aliases(c) != BLOG_OK) {
        return BLOG_ERROR;
    }

    blog_buf_init(&b);

    for (i = 0; i < c->nposts; i++) {
        if (blog_check_notes(c, &c->posts[i], &b) != BLOG_OK) {
            blog_buf_free(&b);
            return BLOG_ERROR;
        }
    }

    blog_buf_free(&b);

    if (c->nproblems) {
        qsort(c->problems, c->nproblems, sizeof(blog_check_problem_t),
              blog_check_cmp_problem);
    }

    if (c->nposts) {
        qsort(c->posts, c->nposts, sizeof(blog_check_post_t),
              blog_check_cmp_post);
    }

    return BLOG_OK;
}


static int
blog_check_notes(blog_check_t *c, blog_check_post_t *cp, blog_buf_t *b)
{
    blog_str_t    reason;
    blog_post_t  *post;

    post = cp->post;

    if (post->redirect.len) {
        b->len = 0;
        blog_buf_adds(b, "redirects to \"");
        blog_buf_add(b, post->redirect.data, post->redirect.len);
        blog_buf_adds(b, "\", not listed");

        reason.data = b->data;
        reason.len = b->len;

        return b->failed ? BLOG_ERROR
                         : blog_check_add(c, (char *) post->path.data, 0,
                                          BLOG_CHECK_NOTE, &reason, 1);
    }

    if (!post->titled) {
        b->len = 0;
        blog_buf_adds(b, "no title in front matter, using \"");
        blog_buf_add(b, post->title.data, post->title.len);
        blog_buf_addc(b, '"');

        reason.data = b->data;
        reason.len = b->len;

        if (b->failed
            || blog_check_add(c, (char *) post->path.data, 0,
                              BLOG_CHECK_WARNING, &reason, 1)
               != BLOG_OK)
        {
            return BLOG_ERROR;
        }
    }

    if (!post->dated) {
        if (blog_check_add(c, (char *) post->path.data, 0, BLOG_CHECK_NOTE,
                           &blog_check_undated, 0)
            != BLOG_OK)
        {
            return BLOG_ERROR;
        }
    }

    if (post->draft && !c->opts.drafts) {
        if (blog_check_add(c, (char *) post->path.data, 0, BLOG_CHECK_NOTE,
                           &blog_check_draft, 0)
            != BLOG_OK)
        {
            return BLOG_ERROR;
        }
    }

    if (blog_check_body(c, cp) != BLOG_OK) {
        return BLOG_ERROR;
    }

    if (cp->future) {
        b->len = 0;
        blog_buf_adds(b, "dated in the future (");
        blog_check_date(b, &post->date);
        blog_buf_adds(b, "), not published yet");

        reason.data = b->data;
        reason.len = b->len;

        if (b->failed
            || blog_check_add(c, (char *) post->path.data, 0,
                              BLOG_CHECK_NOTE, &reason, 1)
               != BLOG_OK)
        {
            return BLOG_ERROR;
        }
    }

    return BLOG_OK;
}


/*
 * What the body's Markdown holds for its author: languages not
 * highlighted, heading ids given twice, footnotes without a definition.
 * The file is read again; one that changed or went since is left alone.
 */

static int
blog_check_body(blog_check_t *c, blog_check_post_t *cp)
{
    int                     rc;
    blog_fm_t               fm;
    blog_buf_t              text, html;
    blog_post_t            *post;
    blog_markdown_t         mo;
    blog_post_name_t        pn;
    blog_check_body_t       cb;
    blog_problem_detail_t   pd;

    if (blog_post_name(&pn, (char *) cp->post->path.data, c->root_len)
        != BLOG_OK)
    {
        return BLOG_OK;
    }

    blog_buf_init(&text);

    post = blog_post_load(-1, (char *) cp->post->path.data, c->root_len, &pn,
                          &c->opts, &text, &fm, &pd);
    if (post == NULL) {
        blog_buf_free(&text);
        return BLOG_OK;
    }

    cb.check = c;
    cb.file = (char *) cp->post->path.data;
    cb.line = fm.body_line;

    rc = blog_markdown_check(fm.body, fm.body_len, c->opts.markdown,
                             blog_check_tell, &cb);

    /* rendered as the server would, to learn whether it is shown as text */

    if (rc != BLOG_ERROR) {
        blog_buf_init(&html);
        memset(&mo, 0, sizeof(blog_markdown_t));
        mo.dialect = c->opts.markdown;

        rc = blog_markdown_html(&html, fm.body, fm.body_len, &mo);
        blog_buf_free(&html);

        if (rc == BLOG_DECLINED) {
            rc = blog_check_tell(&cb, 1, BLOG_MARKDOWN_WARNING,
                                 "shown as text: the Markdown builds more "
                                 "than the renderer allows (a table of very "
                                 "many cells, or a link repeated very many "
                                 "times)");
        }
    }

    if (rc != BLOG_ERROR) {
        rc = blog_check_expand(c, &cb, post, &fm, &pn);
    }

    blog_fm_free(&fm);
    blog_buf_free(&text);
    blog_post_release(post);

    return rc;
}


/*
 * Shortcodes (with the theme's templates) and Liquid, expanded as the
 * post's page does it: what it would remove and log is a warning.
 */

static int
blog_check_expand(blog_check_t *c, blog_check_body_t *cb, blog_post_t *post,
    blog_fm_t *fm, const blog_post_name_t *pn)
{
    int              rc;
    size_t           i;
    blog_str_t       reason;
    blog_value_t    *site, *page, *params;
    blog_arena_t    *arena;
    blog_expand_t    x;
    blog_markdown_t  mo;

    if (memchr(fm->body, '{', fm->body_len) == NULL) {
        return BLOG_OK;
    }

    arena = blog_arena_create();
    if (arena == NULL) {
        return BLOG_ERROR;
    }

    blog_expand_init(&x);

    memset(&mo, 0, sizeof(blog_markdown_t));
    mo.dialect = c->opts.markdown;

    site = blog_value_map(arena);
    page = blog_value_map(arena);
    params = fm->root != NULL ? blog_node_value(arena, fm->root)
                              : blog_value_map(arena);

    rc = BLOG_ERROR;

    /* the site's values come from nginx's configuration: known, empty */

    for (i = 0; site != NULL && blog_check_site[i] != NULL; i++) {
        if (blog_value_set(arena, site, blog_check_site[i],
                           blog_value_string(arena, (u_char *) "", 0))
            != BLOG_OK)
        {
            goto done;
        }
    }

    if (site == NULL || page == NULL || params == NULL
        || blog_value_set(arena, page, "title",
                          blog_value_string(arena, post->title.data,
                                            post->title.len))
           != BLOG_OK
        || blog_value_set(arena, page, "params", params) != BLOG_OK)
    {
        goto done;
    }

    x.tmpl = c->theme->tmpl;
    x.arena = arena;
    x.site = site;
    x.page = page;
    x.named = blog_check_named;
    x.named_data = c->ix;
    x.mo = &mo;
    x.line = cb->line;

    if (blog_expand(&x, fm->body, fm->body_len,
                    blog_expand_liquid((char *) post->path.data, pn))
        != BLOG_OK)
    {
        goto done;
    }

    rc = BLOG_OK;

    for (i = 0; i < x.nnotes && rc == BLOG_OK; i++) {
        reason.data = (u_char *) x.notes[i].text;
        reason.len = strlen(x.notes[i].text);

        rc = blog_check_add(c, cb->file, x.notes[i].line, BLOG_CHECK_WARNING,
                            &reason, 1);
    }

done:

    blog_expand_free(&x);
    blog_arena_destroy(arena);

    return rc;
}


static int
blog_check_tell(void *data, unsigned line, unsigned level, const char *text)
{
    blog_str_t          reason;
    blog_check_body_t  *cb = data;

    reason.data = (u_char *) text;
    reason.len = strlen(text);

    return blog_check_add(cb->check, cb->file, cb->line + line - 1,
                          level == BLOG_MARKDOWN_WARNING ? BLOG_CHECK_WARNING
                                                         : BLOG_CHECK_NOTE,
                          &reason, 1);
}


static int
blog_check_add(blog_check_t *c, const char *file, unsigned line,
    blog_check_level_e level, const blog_str_t *reason, unsigned own)
{
    size_t                 size;
    blog_check_problem_t  *pb;

    if (c->nproblems == c->nproblems_size) {
        size = c->nproblems_size ? 2 * c->nproblems_size : 16;

        pb = realloc(c->problems, size * sizeof(blog_check_problem_t));
        if (pb == NULL) {
            return BLOG_ERROR;
        }

        c->problems = pb;
        c->nproblems_size = size;
    }

    pb = &c->problems[c->nproblems];

    pb->file = file;
    pb->line = line;
    pb->level = level;
    pb->seq = c->nproblems;
    pb->own = own;
    pb->reason = *reason;

    if (own && blog_str_dup(&pb->reason, reason->data, reason->len)
               != BLOG_OK)
    {
        return BLOG_ERROR;
    }

    c->nproblems++;

    switch (level) {

    case BLOG_CHECK_ERROR:
        c->errors++;
        break;

    case BLOG_CHECK_WARNING:
        c->warnings++;
        break;

    default:
        c->notes++;
        break;
    }

    return BLOG_OK;
}


/* the index's "all" is sorted by path, and so is c->posts until sorted */

static blog_check_post_t *
blog_check_find(blog_check_t *c, const blog_post_t *post)
{
    int     rc;
    size_t  lo, hi, mid;

    lo = 0;
    hi = c->nposts;

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        rc = strcmp((char *) post->path.data,
                    (char *) c->posts[mid].post->path.data);

        if (rc == 0) {
            return &c->posts[mid];
        }

        if (rc < 0) {
            hi = mid;

        } else {
            lo = mid + 1;
        }
    }

    return NULL;
}


/* SLUG <tab> DATE <tab> TAG, TAG <tab> N min read; then the problems */

static void
blog_check_text(blog_check_t *c, blog_buf_t *b)
{
    size_t                 i, j;
    blog_buf_t             tmp;
    blog_post_t           *post;
    blog_entry_t          *e;
    blog_check_problem_t  *pb;

    blog_buf_init(&tmp);

    for (i = 0; i < c->ix->nentries; i++) {
        e = &c->ix->entries[i];
        post = e->post;

        blog_check_text_str(b, e->slug.data, e->slug.len);
        blog_buf_addc(b, '\t');
        blog_check_date(b, &post->date);
        blog_buf_addc(b, '\t');

        for (j = 0; j < post->ntags; j++) {
            if (j) {
                blog_buf_adds(b, ", ");
            }

            blog_check_text_str(b, post->tags[j].name.data,
                                post->tags[j].name.len);
        }

        blog_buf_printf(b, "\t%u min read\n", post->reading_time);
    }

    for (i = 0; i < c->nproblems; i++) {
        pb = &c->problems[i];

        tmp.len = 0;
        blog_check_file(c, &tmp, pb->file, 0);
        blog_check_text_str(b, tmp.data, tmp.len);

        if (pb->line) {
            blog_buf_printf(b, ":%u", pb->line);
        }

        blog_buf_printf(b, ": %s: ", blog_check_levels[pb->level]);

        tmp.len = 0;
        blog_check_reason(c, &tmp, &pb->reason, 0);
        blog_check_text_str(b, tmp.data, tmp.len);
        blog_buf_addc(b, '\n');
    }

    blog_buf_printf(b, "%zu post%s published, %zu error%s, %zu warning%s, "
                    "%zu note%s\n",
                    c->ix->nentries, c->ix->nentries == 1 ? "" : "s",
                    c->errors, c->errors == 1 ? "" : "s",
                    c->warnings, c->warnings == 1 ? "" : "s",
                    c->notes, c->notes == 1 ? "" : "s");

    if (tmp.failed) {
        b->failed = 1;
    }

    blog_buf_free(&tmp);
}


/*
 * Every post read, newest first, published or not; files relative to the
 * root, which is given resolved.
 */

static void
blog_check_json(blog_check_t *c, blog_buf_t *b)
{
    size_t                 i;
    blog_buf_t             tmp;
    blog_check_problem_t  *pb;

    blog_buf_init(&tmp);

    blog_buf_adds(b, "{\"root\":");
    blog_check_json_str(b, (u_char *) c->root, c->root_len);
    blog_buf_adds(b, ",\n\"posts\":[");

    for (i = 0; i < c->nposts; i++) {
        blog_buf_adds(b, i ? ",\n" : "\n");
        blog_check_json_post(c, b, &c->posts[i]);
    }

    blog_buf_adds(b, "],\n\"problems\":[");

    for (i = 0; i < c->nproblems; i++) {
        pb = &c->problems[i];

        blog_buf_adds(b, i ? ",\n{\"file\":" : "\n{\"file\":");
        tmp.len = 0;
        blog_check_file(c, &tmp, pb->file, 1);
        blog_check_json_str(b, tmp.data, tmp.len);

        blog_buf_printf(b, ",\"line\":%u,\"level\":\"%s\",\"reason\":",
                        pb->line, blog_check_levels[pb->level]);

        tmp.len = 0;
        blog_check_reason(c, &tmp, &pb->reason, 1);
        blog_check_json_str(b, tmp.data, tmp.len);
        blog_buf_addc(b, '}');
    }

    blog_buf_printf(b, "],\n\"errors\":%zu,\"warnings\":%zu,\"notes\":%zu}\n",
                    c->errors, c->warnings, c->notes);

    if (tmp.failed) {
        b->failed = 1;
    }

    blog_buf_free(&tmp);
}


/*
 * The old URLs of published posts that the blog's location does not
 * cover, as nginx configuration: one exact location for the URL, and one
 * with a slash unless its last part names a file ("old.html").
 */

static void
blog_check_redirects(blog_check_t *c, blog_buf_t *b)
{
    size_t         i, n;
    const u_char  *p, *slash;
    blog_alias_t  *a;

    blog_buf_printf(b, "# old URLs of the posts in %s outside location "
                    "%.*s/, for nginx's server block\n"
                    "# an exact location wins over any other: read each "
                    "before use\n",
                    c->dir, (int) c->location_len, c->location);

    for (i = 0; i < c->ix->naliases; i++) {
        a = &c->ix->aliases[i];
        p = a->from.data;
        n = a->from.len;

        /* relative ones and those below the location are the module's;
         * a URL two posts claim goes to the newer, sorted first */

        if (p[0] != '/'
            || (i > 0 && a[-1].from.len == n
                && memcmp(a[-1].from.data, p, n) == 0)
            || (n >= c->location_len
                && memcmp(p, c->location, c->location_len) == 0
                && (n == c->location_len || p[c->location_len] == '/')))
        {
            continue;
        }

        blog_check_location(b, &a->from, "", c, a->to);

        for (slash = p + n - 1; *slash != '/'; slash--) {
            /* void: the first byte is a slash */
        }

        if (memchr(slash, '.', p + n - slash) == NULL) {
            blog_check_location(b, &a->from, "/", c, a->to);
        }
    }
}


static void
blog_check_location(blog_buf_t *b, const blog_str_t *from, const char *tail,
    const blog_check_t *c, const blog_entry_t *to)
{
    size_t    i;
    unsigned  quote;

    quote = 0;

    for (i = 0; i < from->len; i++) {
        if (strchr(";{}'$#", from->data[i]) != NULL) {
            quote = 1;
        }
    }

    blog_buf_adds(b, quote ? "location = \"" : "location = ");
    blog_buf_add(b, from->data, from->len);
    blog_buf_adds(b, tail);
    blog_buf_adds(b, quote ? "\" { return 301 " : " { return 301 ");
    blog_buf_add(b, c->location, c->location_len);
    blog_buf_addc(b, '/');
    blog_escape_uri(b, to->slug.data, to->slug.len);
    blog_buf_adds(b, "/; }\n");
}


/* a location path blog-check may print in nginx's configuration as is */

static int
blog_check_location_ok(const char *p)
{
    for ( /* void */ ; *p; p++) {
        if ((u_char) *p <= 0x20 || *p == 0x7f
            || strchr("\"'$#;{}\\", *p) != NULL)
        {
            return 0;
        }
    }

    return 1;
}


/* an old URL two published posts claim: it goes to the newer one */

static int
blog_check_aliases(blog_check_t *c)
{
    int            rc;
    size_t         i;
    blog_buf_t     b;
    blog_str_t     reason;
    blog_alias_t  *a, *first;

    rc = BLOG_OK;
    blog_buf_init(&b);

    first = c->ix->aliases;

    for (i = 1; i < c->ix->naliases && rc == BLOG_OK; i++) {
        a = &c->ix->aliases[i];

        if (a->from.len != first->from.len
            || memcmp(a->from.data, first->from.data, a->from.len) != 0)
        {
            first = a;
            continue;
        }

        if (a->to == first->to) {
            continue;
        }

        b.len = 0;
        blog_buf_adds(&b, "old URL \"");
        blog_buf_add(&b, a->from.data, a->from.len);
        blog_buf_adds(&b, "\" is also claimed by ");
        blog_buf_add(&b, first->to->post->path.data + c->ix->root_len + 1,
                     first->to->post->path.len - c->ix->root_len - 1);
        blog_buf_adds(&b, ", a newer post, which it redirects to");

        if (b.failed) {
            rc = BLOG_ERROR;
            break;
        }

        reason.data = b.data;
        reason.len = b.len;

        rc = blog_check_add(c, (char *) a->to->post->path.data, 0,
                            BLOG_CHECK_WARNING, &reason, 1);
    }

    blog_buf_free(&b);

    return rc;
}


static void
blog_check_json_post(blog_check_t *c, blog_buf_t *b, blog_check_post_t *cp)
{
    size_t        i;
    blog_buf_t    tmp;
    blog_post_t  *post;

    post = cp->post;

    blog_buf_adds(b, "{\"slug\":");
    blog_check_json_str(b, cp->slug.data, cp->slug.len);
    blog_buf_adds(b, ",\"title\":");
    blog_check_json_str(b, post->title.data, post->title.len);
    blog_buf_adds(b, ",\"date\":\"");
    blog_date_iso(b, &post->date);
    blog_buf_adds(b, "\",\"lastmod\":\"");
    blog_date_iso(b, &post->lastmod);
    blog_buf_adds(b, "\",\"tags\":[");

    for (i = 0; i < post->ntags; i++) {
        if (i) {
            blog_buf_addc(b, ',');
        }

        blog_check_json_str(b, post->tags[i].name.data,
                            post->tags[i].name.len);
    }

    blog_buf_printf(b, "],\"reading_time\":%u,\"file\":",
                    post->reading_time);

    blog_buf_init(&tmp);
    blog_check_file(c, &tmp, (char *) post->path.data, 1);
    blog_check_json_str(b, tmp.data, tmp.len);

    if (tmp.failed) {
        b->failed = 1;
    }

    blog_buf_free(&tmp);

    blog_buf_printf(b, ",\"draft\":%s,\"future\":%s,\"published\":%s}",
                    post->draft ? "true" : "false",
                    cp->future ? "true" : "false",
                    cp->published ? "true" : "false");
}


/* "2026-06-05 14:30 +0200", in the author's own zone */

static void
blog_check_date(blog_buf_t *b, const blog_time_t *t)
{
    int        off;
    char       text[64];
    time_t     local;
    struct tm  tm;

    local = (time_t) (t->sec + (int64_t) t->off * 60);

    if (gmtime_r(&local, &tm) == NULL
        || strftime(text, sizeof(text), "%Y-%m-%d %H:%M", &tm) == 0)
    {
        blog_date_iso(b, t);
        return;
    }

    off = t->off < 0 ? -t->off : t->off;

    blog_buf_printf(b, "%s %c%02d%02d", text, t->off < 0 ? '-' : '+',
                    off / 60, off % 60);
}


/* text: as DIR was given; JSON: relative to the root, "." for the root */

static void
blog_check_file(blog_check_t *c, blog_buf_t *b, const char *file,
    unsigned json)
{
    if (strncmp(file, c->root, c->root_len) != 0
        || (file[c->root_len] != '/' && file[c->root_len] != '\0'))
    {
        blog_buf_adds(b, file);
        return;
    }

    file += c->root_len;

    if (json) {
        blog_buf_adds(b, file[0] == '/' ? file + 1 : (*file ? file : "."));
        return;
    }

    blog_buf_add(b, c->dir, c->dir_len);
    blog_buf_adds(b, (*file || c->dir_len) ? file : "/");
}


/* a reason names other files by their resolved path, in quotes */

static void
blog_check_reason(blog_check_t *c, blog_buf_t *b, const blog_str_t *reason,
    unsigned json)
{
    const u_char  *p, *q, *end;

    p = reason->data;
    end = p + reason->len;

    while (p < end) {
        q = memchr(p, '"', end - p);

        if (q == NULL) {
            blog_buf_add(b, p, end - p);
            break;
        }

        blog_buf_add(b, p, q + 1 - p);
        p = q + 1;

        if ((size_t) (end - p) > c->root_len
            && memcmp(p, c->root, c->root_len) == 0
            && p[c->root_len] == '/')
        {
            if (json) {
                p++;

            } else {
                blog_buf_add(b, c->dir, c->dir_len);
            }

            p += c->root_len;
        }
    }
}


/* one line per item, whatever the names hold */

static void
blog_check_text_str(blog_buf_t *b, const u_char *p, size_t n)
{
    size_t  i;

    for (i = 0; i < n; i++) {
        if (p[i] < 0x20 || p[i] == 0x7f) {
            blog_buf_printf(b, "\\x%02x", p[i]);

        } else {
            blog_buf_addc(b, p[i]);
        }
    }
}


/* a JSON string; bytes that are not UTF-8 (file names) become U+FFFD */

static void
blog_check_json_str(blog_buf_t *b, const u_char *p, size_t n)
{
    size_t  good;

    blog_buf_addc(b, '"');

    while (n) {
        good = blog_utf8_check(p, n);
        blog_escape_json(b, p, good);

        if (good == n) {
            break;
        }

        blog_buf_adds(b, "\\ufffd");
        p += good + 1;
        n -= good + 1;
    }

    blog_buf_addc(b, '"');
}


/* by file, then line, then in the order found */

static int
blog_check_cmp_problem(const void *a, const void *b)
{
    int                          rc;
    const blog_check_problem_t  *pa = a;
    const blog_check_problem_t  *pb = b;

    rc = strcmp(pa->file, pb->file);

    if (rc != 0) {
        return rc;
    }

    if (pa->line != pb->line) {
        return pa->line < pb->line ? -1 : 1;
    }

    return pa->seq < pb->seq ? -1 : (pa->seq > pb->seq);
}


/* newest first, ties by path, last first: the index's order */

static int
blog_check_cmp_post(const void *a, const void *b)
{
    const blog_check_post_t  *pa = a;
    const blog_check_post_t  *pb = b;

    if (pa->post->date.sec != pb->post->date.sec) {
        return pa->post->date.sec > pb->post->date.sec ? -1 : 1;
    }

    return strcmp((char *) pb->post->path.data, (char *) pa->post->path.data);
}


static void
blog_check_free(blog_check_t *c)
{
    size_t  i;

    for (i = 0; i < c->nproblems; i++) {
        if (c->problems[i].own) {
            free(c->problems[i].reason.data);
        }
    }

    free(c->problems);
    free(c->posts);

    blog_theme_free(c->theme);
    blog_index_release(c->ix);
}
