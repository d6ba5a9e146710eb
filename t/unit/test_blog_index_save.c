
/*
 * blog_index_save.c: an index saved in a file and restored after a
 * restart, once a scan has taken it as the index before, is the index a
 * scan from scratch builds, field by field, and that scan read only the
 * files that changed meanwhile.  A file that is missing, made with other
 * options or for another root, cut short or damaged anywhere is not used;
 * a save that fails leaves nothing behind.
 */


#include "unit_index.h"
#include "blog_index_save.h"

#include <time.h>


/* 2026-06-06 00:00:00 UTC */
#define UNIT_NOW  1780704000


typedef struct {
    char            dir[64];        /* holds the blog and the saved file */
    char            root[96];
    char            file[96];
    blog_options_t  opts;
    time_t          mtime;          /* each write a later one: always seen */
} unit_dir_t;


static int setup(void **state);
static int teardown(void **state);
static void write_post(unit_dir_t *d, const char *rel, const char *text);
static void write_blog(unit_dir_t *d);
static blog_index_t *build(unit_dir_t *d);
static void save(unit_dir_t *d, blog_index_t *ix);
static blog_index_t *restore(unit_dir_t *d);
static blog_index_t *update(unit_dir_t *d, blog_index_t *restored);
static void assert_restart(unit_dir_t *d, size_t nread);
static void restore_fails(unit_dir_t *d, const char *root,
    const blog_options_t *opts, const char *why);
static u_char *read_all(const char *path, size_t *n);
static void write_all(const char *path, const u_char *p, size_t n);
static size_t count_tmp(const char *dir);
static blog_post_t *by_rel(blog_index_t *ix, const char *rel);
static void assert_same_text(const blog_str_t *a, const blog_str_t *b);
static void assert_same_post(blog_post_t *a, size_t a_root,
    blog_post_t *b, size_t b_root);
static void test_restore_same_posts(void **state);
static void test_restore_reads_nothing(void **state);
static void test_restore_after_edits(void **state);
static void test_restore_broken_read_again(void **state);
static void test_restore_keeps_warnings(void **state);
static void test_restore_missing(void **state);
static void test_restore_other_options(void **state);
static void test_restore_other_root(void **state);
static void test_restore_root_by_link(void **state);
static void test_restore_not_an_index(void **state);
static void test_restore_truncated(void **state);
static void test_restore_flipped(void **state);
static void test_restore_empty_blog(void **state);
static void test_save_no_folder(void **state);
static void test_save_leaves_out(void **state);
static void test_keepable(void **state);
static void test_save_onto_folder(void **state);


/*
 * Every field a post saves: title, description (given, from a summary
 * key, empty, or from the body), tags with names beyond ASCII, old URLs,
 * a redirect, drafts (by front matter and by folder: the blog shows
 * them), a date yet to come, expiry dates to come and gone, dates by the
 * file name, by front matter over the file name, by the file's time, a
 * zone, toc, lastmod, TOML front matter, a bundle, and no front matter.
 */

static const char  *posts[][2] = {
    { "hello.md",
      "---\ntitle: Hello, World\ndescription: The first post.\n"
      "date: 2024-02-03T10:00:00+02:00\n"
      "lastmod: 2024-05-01T08:30:00-05:00\n"
      "tags: [Café, 日本語, Go]\naliases: [/old/hello, /2019/hello.html]\n"
      "toc: true\n---\n# One\n\nSome words here.\n\n## Two\n\nMore.\n" },
    { "2024-03-01-jekyll.md",
      "---\ntitle: Named by its file\ncategories: [Ünïcode, go]\n---\n"
      "Dated by the file name.\n" },
    { "2023-01-05-dated.md",
      "---\ntitle: Dated twice\ndate: 2023-02-01\n---\nThe front matter's "
      "date wins.\n" },
    { "moved.md",
      "---\ntitle: Moved\ndate: 2024-01-10\nredirect: /blog/hello/\n---\n" },
    { "draft.md",
      "---\ntitle: A draft\ndate: 2024-01-11\ndraft: true\n---\nx\n" },
    { "_drafts/idea.md", "---\ntitle: An idea\n---\nx\n" },
    { "future.md",
      "---\ntitle: Later\ndate: 2024-01-12\npublishDate: 2030-01-01\n---\n"
      "x\n" },
    { "expires.md",
      "---\ntitle: Expires\ndate: 2024-01-13\nexpiryDate: 2027-01-01\n---\n"
      "x\n" },
    { "expired.md",
      "---\ntitle: Expired\ndate: 2024-01-14\nexpiryDate: 2025-01-01\n---\n"
      "x\n" },
    { "plain.md", "Just text, and no front matter at all.\n" },
    { "bundle/index.md",
      "---\ntitle: A bundle\ndate: 2024-01-15\nsummary: From summary.\n"
      "keywords: [c, C]\n---\nx\n" },
    { "empty.md",
      "---\ntitle: Said nothing\ndate: 2024-01-16\ndescription: \"\"\n---\n"
      "Words that make no summary.\n" },
    { "a/b/deep.md",
      "+++\ntitle = \"TOML\"\ndate = 2024-01-17\ntags = [\"Rust\"]\n"
      "reading_time = 7\nurl = \"/deep/old/\"\n+++\nx\n" },
};


static int
setup(void **state)
{
    unit_dir_t  *d;

    d = calloc(1, sizeof(unit_dir_t));
    if (d == NULL) {
        return -1;
    }

    unit_mkdtemp(d->dir, sizeof(d->dir));

    snprintf(d->root, sizeof(d->root), "%s/blog", d->dir);
    snprintf(d->file, sizeof(d->file), "%s/index", d->dir);

    if (mkdir(d->root, 0755) == -1) {
        return -1;
    }

    d->opts.words_per_minute = 200;
    d->opts.max_post_size = 1024 * 1024;
    d->opts.max_front_matter = 16384;
    d->opts.max_depth = 8;
    d->opts.drafts = 1;
    d->opts.settle_ms = 0;
    d->mtime = 1700000000;

    *state = d;

    return 0;
}


static int
teardown(void **state)
{
    unit_dir_t  *d = *state;

    unit_rmrf(d->dir);
    free(d);

    return 0;
}


static void
write_post(unit_dir_t *d, const char *rel, const char *text)
{
    unit_write_at(d->root, rel, text, ++d->mtime);
}


static void
write_blog(unit_dir_t *d)
{
    size_t  i;

    for (i = 0; i < UNIT_ARRAY(posts); i++) {
        write_post(d, posts[i][0], posts[i][1]);
    }
}


static blog_index_t *
build(unit_dir_t *d)
{
    blog_index_t  *ix;

    ix = blog_index_build(d->root, &d->opts, NULL, UNIT_NOW);
    assert_non_null(ix);

    return ix;
}


static void
save(unit_dir_t *d, blog_index_t *ix)
{
    const char  *reason;

    reason = NULL;

    if (blog_index_save(ix, &d->opts, d->file, &reason) != BLOG_OK) {
        fail_msg("blog_index_save: %s: %s", reason, strerror(errno));
    }
}


static blog_index_t *
restore(unit_dir_t *d)
{
    const char    *reason;
    blog_index_t  *ix;

    ix = blog_index_restore(d->file, d->root, &d->opts, &reason);

    if (ix == NULL) {
        fail_msg("blog_index_restore: %s", reason ? reason : "no file");
    }

    return ix;
}


/* the first scan after a restart: the restored index is the one before */

static blog_index_t *
update(unit_dir_t *d, blog_index_t *restored)
{
    blog_index_t  *ix;

    ix = blog_index_update(d->root, &d->opts, restored, UNIT_NOW, NULL);
    assert_non_null(ix);

    blog_index_release(restored);

    return ix;
}


/* no index from the file, and a reason that says why */

/*
 * A start with the file saved: the scan reads nread files, and its index
 * is the one a scan from scratch makes.
 */

static void
assert_restart(unit_dir_t *d, size_t nread)
{
    blog_index_t  *ix, *whole;

    ix = update(d, restore(d));
    assert_int_equal(ix->nfiles_read, nread);

    whole = build(d);
    unit_assert_same_index(ix, whole);

    blog_index_release(whole);
    blog_index_release(ix);
}


static void
restore_fails(unit_dir_t *d, const char *root, const blog_options_t *opts,
    const char *why)
{
    const char    *reason;
    blog_index_t  *ix;

    reason = NULL;

    ix = blog_index_restore(d->file, root, opts, &reason);

    if (ix != NULL) {
        blog_index_release(ix);
        fail_msg("restored, expected to fail with \"%s\"", why);
    }

    assert_non_null(reason);
    assert_contains(reason, why);
}


static u_char *
read_all(const char *path, size_t *n)
{
    int          fd;
    u_char      *p;
    struct stat  st;

    fd = open(path, O_RDONLY);
    assert_int_not_equal(fd, -1);
    assert_int_equal(fstat(fd, &st), 0);

    p = malloc(st.st_size + 1);
    assert_non_null(p);

    assert_int_equal(read(fd, p, st.st_size), st.st_size);
    close(fd);

    *n = st.st_size;

    return p;
}


static void
write_all(const char *path, const u_char *p, size_t n)
{
    int  fd;

    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_int_not_equal(fd, -1);

    if (n) {
        assert_int_equal(write(fd, p, n), n);
    }

    close(fd);
}


/* the files of dir that a save writes first, then renames */

static size_t
count_tmp(const char *dir)
{
    DIR            *dh;
    size_t          n, len;
    struct dirent  *de;

    dh = opendir(dir);
    assert_non_null(dh);

    n = 0;

    while ((de = readdir(dh)) != NULL) {
        len = strlen(de->d_name);
        n += (len > 4 && strcmp(de->d_name + len - 4, ".tmp") == 0);
    }

    closedir(dh);

    return n;
}


static blog_post_t *
by_rel(blog_index_t *ix, const char *rel)
{
    size_t  i;

    for (i = 0; i < ix->nall; i++) {
        if (strcmp(unit_rel_path(ix, ix->all[i]), rel) == 0) {
            return ix->all[i];
        }
    }

    return NULL;
}


/* the same bytes, and no data where the other has none */

static void
assert_same_text(const blog_str_t *a, const blog_str_t *b)
{
    assert_int_equal(a->data == NULL, b->data == NULL);
    assert_int_equal(a->len, b->len);

    if (a->data != NULL) {
        assert_memory_equal(a->data, b->data, a->len);
        assert_int_equal(a->data[a->len], '\0');
    }
}


/* every field the pages and the scans read, of posts under two roots */

static void
assert_same_post(blog_post_t *a, size_t a_root, blog_post_t *b,
    size_t b_root)
{
    size_t  i;

    assert_string_equal(a->path.data + a_root, b->path.data + b_root);
    assert_int_equal(a->path.len - a_root, b->path.len - b_root);
    assert_int_equal(a->name_at - a_root, b->name_at - b_root);

    assert_int_equal(a->draft, b->draft);
    assert_int_equal(a->dated, b->dated);
    assert_int_equal(a->titled, b->titled);
    assert_int_equal(a->fronted, b->fronted);
    assert_int_equal(a->toc, b->toc);

    assert_int_equal(a->publish_at, b->publish_at);
    assert_int_equal(a->expires_at, b->expires_at);
    assert_true(a->digest == b->digest);

    assert_int_equal(a->date.sec, b->date.sec);
    assert_int_equal(a->date.off, b->date.off);
    assert_int_equal(a->date.zone, b->date.zone);
    assert_int_equal(a->lastmod.sec, b->lastmod.sec);
    assert_int_equal(a->lastmod.off, b->lastmod.off);
    assert_int_equal(a->lastmod.zone, b->lastmod.zone);

    assert_same_text(&a->slug, &b->slug);
    assert_same_text(&a->redirect, &b->redirect);
    assert_same_text(&a->title, &b->title);
    assert_same_text(&a->description, &b->description);

    assert_int_equal(a->ntags, b->ntags);

    for (i = 0; i < a->ntags; i++) {
        assert_same_text(&a->tags[i].name, &b->tags[i].name);
        assert_same_text(&a->tags[i].key, &b->tags[i].key);
    }

    assert_int_equal(a->naliases, b->naliases);

    for (i = 0; i < a->naliases; i++) {
        assert_same_text(&a->aliases[i], &b->aliases[i]);
    }

    assert_memory_equal(&a->file, &b->file, sizeof(blog_file_id_t));
    assert_int_equal(a->reading_time, b->reading_time);
    assert_int_equal(a->words, b->words);
}


/* what the file gives back is what was saved, post by post */

static void
test_restore_same_posts(void **state)
{
    unit_dir_t  *d = *state;

    size_t         i;
    blog_post_t   *post;
    blog_index_t  *built, *restored;

    write_blog(d);

    built = build(d);
    assert_int_equal(built->nall, UNIT_ARRAY(posts));

    /* the blog has each kind the posts above say it has */
    assert_true(built->nredirects == 1 && built->naliases == 3);
    assert_true(built->next_future != 0);

    /* strings with no data, and empty ones: each must come back so */
    post = by_rel(built, "/hello.md");
    assert_true(post != NULL && post->redirect.data == NULL);
    post = by_rel(built, "/moved.md");
    assert_true(post != NULL && post->description.data != NULL
                && post->description.len == 0);

    save(d, built);
    restored = restore(d);

    assert_int_equal(restored->nall, built->nall);
    assert_int_equal(restored->root_len, built->root_len);
    assert_true(restored->version == built->version);

    /* only its posts: the scan makes the rest */
    assert_int_equal(restored->nentries, 0);
    assert_int_equal(restored->ntags, 0);

    for (i = 0; i < built->nall; i++) {
        assert_same_post(restored->all[i], restored->root_len,
                         built->all[i], built->root_len);

        /* a post the scan does not find again is gone at once */
        assert_int_equal(restored->all[i]->gone_at, 1);
    }

    blog_index_release(restored);
    blog_index_release(built);
}


/* taken as the index before, it spares the scan every unchanged file */

static void
test_restore_reads_nothing(void **state)
{
    unit_dir_t  *d = *state;

    size_t         i;
    blog_index_t  *built, *ix, *whole;

    write_blog(d);

    built = build(d);
    assert_int_equal(built->nfiles_read, UNIT_ARRAY(posts));

    save(d, built);

    ix = update(d, restore(d));
    assert_int_equal(ix->nfiles_read, 0);

    whole = build(d);
    unit_assert_same_index(ix, whole);

    for (i = 0; i < ix->nall; i++) {
        assert_same_post(ix->all[i], ix->root_len, whole->all[i],
                         whole->root_len);
    }

    blog_index_release(whole);
    blog_index_release(ix);
    blog_index_release(built);
}


/* an edit, a delete and an add while the server was down */

static void
test_restore_after_edits(void **state)
{
    unit_dir_t  *d = *state;

    char           path[PATH_MAX];
    blog_entry_t  *e;
    blog_index_t  *built, *ix, *whole;

    write_blog(d);

    built = build(d);
    save(d, built);
    blog_index_release(built);

    write_post(d, "hello.md", "---\ntitle: Hello again\ndate: 2024-02-03\n"
               "tags: [Go]\n---\nEdited.\n");

    snprintf(path, sizeof(path), "%s/expires.md", d->root);
    assert_int_equal(unlink(path), 0);

    write_post(d, "c/new.md", "---\ntitle: New\ndate: 2024-06-01\n---\n"
               "Written while the server was down.\n");

    /*
     * With a settle time, as a server has, a post of the index before
     * whose file is missing would be held a while: not one from the file.
     * Every file here was written long ago, so none waits to settle.
     */

    d->opts.settle_ms = 100;

    ix = update(d, restore(d));

    assert_int_equal(ix->nfiles_read, 2);

    e = blog_index_find(ix, (u_char *) "hello", 5);
    assert_non_null(e);
    assert_bstr_equal(e->post->title, "Hello again");
    assert_int_equal(e->post->ntags, 1);

    /* gone at once: not held for a settle time */
    assert_null(blog_index_find(ix, (u_char *) "expires", 7));
    assert_null(by_rel(ix, "/expires.md"));
    assert_int_equal(ix->held, 0);

    e = blog_index_find(ix, (u_char *) "new", 3);
    assert_non_null(e);
    assert_bstr_equal(e->post->title, "New");

    whole = build(d);
    unit_assert_same_index(ix, whole);

    blog_index_release(whole);
    blog_index_release(ix);
}


/* a broken post is no post the file keeps: it is read, and said, again */

static void
test_restore_broken_read_again(void **state)
{
    unit_dir_t  *d = *state;

    blog_index_t  *built;

    write_post(d, "good.md", "---\ntitle: Good\ndate: 2024-01-01\n---\nx\n");
    write_post(d, "bad.md", "---\ntitle: [unclosed\n---\nx\n");

    built = build(d);
    assert_int_equal(built->nall, 1);
    assert_int_equal(built->nproblems, 1);

    save(d, built);
    blog_index_release(built);

    assert_restart(d, 1);
}


/*
 * A post served with a warning is not kept in the file: the first scan
 * after a restart reads it again and says the warning again, as a scan
 * from scratch does.
 */

static void
test_restore_keeps_warnings(void **state)
{
    unit_dir_t  *d = *state;

    blog_index_t  *built, *ix, *whole;

    write_post(d, "good.md", "---\ntitle: Good\ndate: 2024-01-01\n---\nx\n");
    write_post(d, "2024-01-02-odd.md", "---\ntitle: Odd\ndate: notadate\n"
               "---\nx\n");

    built = build(d);
    assert_int_equal(built->nall, 2);
    assert_int_equal(built->nproblems, 1);
    assert_int_equal(built->problems[0].warn, 1);

    save(d, built);
    blog_index_release(built);

    /* the post served with a warning is not kept: read again, it warns */

    ix = update(d, restore(d));
    assert_int_equal(ix->nfiles_read, 1);

    whole = build(d);
    unit_assert_same_pages(ix, whole);
    assert_int_equal(ix->nproblems, 1);
    unit_assert_same_problems(ix, whole);

    blog_index_release(whole);
    blog_index_release(ix);
}


/* no file: nothing to say, as at the very first start */

static void
test_restore_missing(void **state)
{
    unit_dir_t  *d = *state;

    const char    *reason;
    blog_index_t  *ix;

    reason = "unset";

    ix = blog_index_restore(d->file, d->root, &d->opts, &reason);
    assert_null(ix);
    assert_null(reason);
}


/* options that change what a post is: every post is read again */

static void
test_restore_other_options(void **state)
{
    unit_dir_t  *d = *state;

    blog_index_t    *built;
    blog_options_t   other;

    write_blog(d);

    built = build(d);
    save(d, built);
    blog_index_release(built);

    other = d->opts;
    other.words_per_minute = 250;
    restore_fails(d, d->root, &other, "options");

    other = d->opts;
    other.drafts = 0;
    restore_fails(d, d->root, &other, "options");

    other = d->opts;
    other.max_post_size = 4096;
    restore_fails(d, d->root, &other, "options");

    other = d->opts;
    other.markdown = BLOG_MARKDOWN_COMMONMARK;
    restore_fails(d, d->root, &other, "options");

    /* and the options it was made with still take it */
    blog_index_release(restore(d));
}


/* the same posts under another root are other files */

static void
test_restore_other_root(void **state)
{
    unit_dir_t  *d = *state;

    char           other[PATH_MAX];
    blog_index_t  *built;

    write_blog(d);

    built = build(d);
    save(d, built);
    blog_index_release(built);

    /* as long a name, and the same posts in it */

    snprintf(other, sizeof(other), "%s/golb", d->dir);
    assert_int_equal(rename(d->root, other), 0);
    assert_int_equal(mkdir(d->root, 0755), 0);
    write_blog(d);

    restore_fails(d, other, &d->opts, "another content root");

    /* nor a root that does not resolve */
    snprintf(other, sizeof(other), "%s/none", d->dir);
    restore_fails(d, other, &d->opts, "content root");
}


/* the root is compared as realpath() resolves it */

static void
test_restore_root_by_link(void **state)
{
    unit_dir_t  *d = *state;

    char           link[PATH_MAX];
    const char    *reason;
    blog_index_t  *built, *ix;

    write_blog(d);

    built = build(d);
    save(d, built);

    snprintf(link, sizeof(link), "%s/link", d->dir);
    assert_int_equal(symlink(d->root, link), 0);

    ix = blog_index_restore(d->file, link, &d->opts, &reason);
    assert_non_null(ix);
    assert_int_equal(ix->nall, built->nall);

    blog_index_release(ix);
    blog_index_release(built);
}


static void
test_restore_not_an_index(void **state)
{
    unit_dir_t  *d = *state;

    u_char  zeros[4096];

    /* shorter than any index */
    unit_write(d->dir, "index", "---\ntitle: A post\n---\n");
    restore_fails(d, d->root, &d->opts, "not an index");

    unit_write(d->dir, "index", "");
    restore_fails(d, d->root, &d->opts, "not an index");

    /* long enough, and not one */
    memset(zeros, 0, sizeof(zeros));
    write_all(d->file, zeros, sizeof(zeros));
    restore_fails(d, d->root, &d->opts, "not an index");

    /* a folder where the file should be */
    assert_int_equal(unlink(d->file), 0);
    assert_int_equal(mkdir(d->file, 0755), 0);
    restore_fails(d, d->root, &d->opts, "");
}


/* a file cut short at any length: no index, a reason, no crash */

static void
test_restore_truncated(void **state)
{
    unit_dir_t  *d = *state;

    size_t         n, len;
    u_char        *data;
    blog_index_t  *built;

    write_blog(d);

    built = build(d);
    save(d, built);
    blog_index_release(built);

    data = read_all(d->file, &n);
    assert_true(n > 200);

    for (len = 0; len < n; len++) {
        write_all(d->file, data, len);
        restore_fails(d, d->root, &d->opts, "");
    }

    /* whole again, it is taken */
    write_all(d->file, data, n);
    blog_index_release(restore(d));

    free(data);
}


/*
 * Any byte flipped: the header's fields are each checked against this
 * build, these options and this root, and the CRC-32 covers the header
 * and the rest, which no change of one byte passes: no byte is left that
 * a flip could change unseen.
 */

static void
test_restore_flipped(void **state)
{
    unit_dir_t  *d = *state;

    size_t         n, at;
    u_char        *data;
    blog_index_t  *built;

    write_blog(d);

    built = build(d);
    save(d, built);
    blog_index_release(built);

    data = read_all(d->file, &n);

    for (at = 0; at < n; at++) {
        data[at] ^= 0xff;
        write_all(d->file, data, n);
        data[at] ^= 0xff;

        restore_fails(d, d->root, &d->opts, "");
    }

    /* as it was, it is taken */
    write_all(d->file, data, n);
    blog_index_release(restore(d));

    free(data);
}


/* a blog with no post yet round-trips too */

static void
test_restore_empty_blog(void **state)
{
    unit_dir_t  *d = *state;

    blog_index_t  *built, *restored, *ix, *whole;

    built = build(d);
    assert_int_equal(built->nall, 0);

    save(d, built);

    restored = restore(d);
    assert_int_equal(restored->nall, 0);
    assert_true(restored->version == built->version);

    ix = update(d, restored);
    assert_int_equal(ix->nfiles_read, 0);

    whole = build(d);
    unit_assert_same_index(ix, whole);

    blog_index_release(whole);
    blog_index_release(ix);
    blog_index_release(built);
}


/* a folder that is not there: an error, a reason, and no file left */

static void
test_save_no_folder(void **state)
{
    unit_dir_t  *d = *state;

    char           path[PATH_MAX];
    const char    *reason;
    struct stat    st;
    blog_index_t  *built;

    write_blog(d);
    built = build(d);

    snprintf(path, sizeof(path), "%s/none/index", d->dir);
    reason = NULL;

    assert_int_equal(blog_index_save(built, &d->opts, path, &reason),
                     BLOG_ERROR);
    assert_non_null(reason);
    assert_int_equal(errno, ENOENT);

    assert_int_equal(lstat(path, &st), -1);
    assert_int_equal(count_tmp(d->dir), 0);

    blog_index_release(built);
}


/* a name that cannot be renamed onto: the file written first goes */

static void
test_save_onto_folder(void **state)
{
    unit_dir_t  *d = *state;

    const char    *reason;
    struct stat    st;
    blog_index_t  *built;

    write_blog(d);
    built = build(d);

    assert_int_equal(mkdir(d->file, 0755), 0);
    reason = NULL;

    assert_int_equal(blog_index_save(built, &d->opts, d->file, &reason),
                     BLOG_ERROR);
    assert_non_null(reason);
    assert_contains(reason, "rename");

    assert_int_equal(lstat(d->file, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(count_tmp(d->dir), 0);

    blog_index_release(built);
}


/*
 * A post the file cannot keep as it is (its file's name is not UTF-8) is
 * left out when saved, and read again after a restart: the rest is kept.
 */

static void
test_save_leaves_out(void **state)
{
    unit_dir_t  *d = *state;

    blog_index_t  *built;

    write_post(d, "plain.md", "---\ntitle: Plain\ndate: 2024-01-01\n---\nx\n");
    write_post(d, "caf\xe9.md", "---\ntitle: Latin-1\ndate: 2024-01-02\n"
               "---\nx\n");

    built = build(d);
    assert_int_equal(built->nall, 2);
    save(d, built);
    blog_index_release(built);

    assert_restart(d, 1);
}


/*
 * What the file gives is taken only as a scan could have made it: a post
 * with a redirect that would break a Location header, an old URL with a
 * dot segment, a file name where its path says another, a tag key twice,
 * a date offset of a day, a slug of two segments, is refused.
 */

static void
test_keepable(void **state)
{
    unit_dir_t  *d = *state;

    blog_tag_t     tags[2];
    blog_str_t     alias;
    blog_post_t    post, *p;
    blog_index_t  *built;

    write_post(d, "a/post.md", "---\ntitle: Post\ndate: 2024-01-01\n"
               "tags: [Go, Rust]\nredirect: /blog/b/\n---\nx\n");

    built = build(d);
    assert_int_equal(built->nall, 1);
    p = built->all[0];
    assert_int_equal(p->ntags, 2);

    assert_null(blog_index_keepable(p, built->root_len, &d->opts));

    post = *p;
    post.redirect.data = (u_char *) "/x\r\nSet-Cookie: a=b";
    post.redirect.len = strlen((char *) post.redirect.data);
    assert_non_null(blog_index_keepable(&post, built->root_len, &d->opts));

    post = *p;
    alias.data = (u_char *) "/blog/../etc";
    alias.len = strlen((char *) alias.data);
    post.aliases = &alias;
    post.naliases = 1;
    assert_non_null(blog_index_keepable(&post, built->root_len, &d->opts));

    post = *p;
    post.name_at = built->root_len + 1;
    assert_non_null(blog_index_keepable(&post, built->root_len, &d->opts));

    post = *p;
    tags[0] = p->tags[0];
    tags[1] = p->tags[0];
    post.tags = tags;
    assert_non_null(blog_index_keepable(&post, built->root_len, &d->opts));

    post = *p;
    post.date.off = 24 * 60;
    assert_non_null(blog_index_keepable(&post, built->root_len, &d->opts));

    post = *p;
    post.slug.data = (u_char *) "a/b";
    post.slug.len = 3;
    assert_non_null(blog_index_keepable(&post, built->root_len, &d->opts));

    blog_index_release(built);
}


int
main(void)
{
    const struct CMUnitTest  tests[] = {
        cmocka_unit_test_setup_teardown(test_restore_same_posts, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_restore_reads_nothing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_restore_after_edits, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_restore_broken_read_again,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_restore_keeps_warnings, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_restore_missing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_restore_other_options, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_restore_other_root, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_restore_root_by_link, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_restore_not_an_index, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_restore_truncated, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_restore_flipped, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_restore_empty_blog, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_save_no_folder, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_save_leaves_out, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_keepable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_onto_folder, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
