
/*
 * blog_index.c: content folders laid out under /tmp, indexed as the server
 * would: the order of posts, what is hidden (future, drafts, dot folders,
 * links out of the root), slug clashes, tags, problems, and rebuilds that
 * reuse what did not change.
 */


#include "unit.h"
#include <pthread.h>

#include <time.h>


/* 2026-06-06 00:00:00 UTC */
#define UNIT_NOW  1780704000


typedef struct {
    char            root[64];
    char            outside[64];
    blog_options_t  opts;
} unit_dir_t;


static int setup(void **state);
static int teardown(void **state);
static blog_index_t *build(unit_dir_t *d, blog_index_t *prev, int64_t now);
static void post(unit_dir_t *d, const char *rel, const char *title,
    const char *date, const char *extra);
static void set_mtime(unit_dir_t *d, const char *rel, time_t sec);
static blog_post_t *find(blog_index_t *ix, const char *slug);
static const char *title(blog_entry_t *e);
static blog_problem_t *problem(blog_index_t *ix, const char *file_end);
static blog_index_t *copy_of(blog_index_t *ix, u_char **block, size_t *size);
static blog_index_t *copy_since(blog_index_t *ix, blog_copy_t *c,
    u_char **block, size_t *size);
static void test_index_newest_first(void **state);
static void test_index_future(void **state);
static void test_index_drafts(void **state);
static void test_index_duplicate_slugs(void **state);
static void test_index_duplicate_said_once(void **state);
static void test_index_duplicate_same_day(void **state);
static void test_index_bad_post(void **state);
static void test_index_tags(void **state);
static void test_index_many_tags(void **state);
static void test_index_reuse(void **state);
static void test_index_problem_carried(void **state);
static void test_index_symlink_outside(void **state);
static void test_index_symlink_inside(void **state);
static void test_index_dot_folders(void **state);
static void test_index_missing_root(void **state);
static void test_index_empty_root(void **state);
static void test_index_too_large(void **state);
static void test_index_settle_in_place(void **state);
static void test_index_settle_new(void **state);
static void test_index_settle_closed(void **state);
static void test_index_settle_front_matter(void **state);
static void test_index_settle_renamed(void **state);
static void set_mtime_ago(unit_dir_t *d, const char *rel, long ms);
static void test_index_copy(void **state);
static void test_index_copy_again(void **state);
static void test_index_copy_halves(void **state);
static void test_index_window(void **state);
static void test_index_folders_told(void **state);
static void test_index_update(void **state);
static void assert_same_posts(blog_index_t *a, blog_index_t *b);
static void told(void *data, const char *path);
static void assert_within(const void *p, const u_char *block, size_t size);


static int
setup(void **state)
{
    unit_dir_t  *d;

    d = calloc(1, sizeof(unit_dir_t));
    if (d == NULL) {
        return -1;
    }

    unit_mkdtemp(d->root, sizeof(d->root));

    d->opts.words_per_minute = 200;
    d->opts.max_post_size = 1024 * 1024;
    d->opts.max_front_matter = 16384;
    d->opts.max_depth = 8;
    d->opts.drafts = 0;

    *state = d;

    return 0;
}


static int
teardown(void **state)
{
    unit_dir_t  *d = *state;

    unit_rmrf(d->root);
    unit_rmrf(d->outside);
    free(d);

    return 0;
}


static blog_index_t *
build(unit_dir_t *d, blog_index_t *prev, int64_t now)
{
    blog_index_t  *ix;

    ix = blog_index_build(d->root, &d->opts, prev, now);
    assert_non_null(ix);

    return ix;
}


static void
post(unit_dir_t *d, const char *rel, const char *title, const char *date,
    const char *extra)
{
    char  text[1024];

    snprintf(text, sizeof(text), "---\ntitle: %s\n%s%s%s%s---\n"
             "Some words for %s.\n",
             title, date != NULL ? "date: " : "", date != NULL ? date : "",
             date != NULL ? "\n" : "", extra != NULL ? extra : "", title);

    unit_write(d->root, rel, text);
}


/*
 * Memory for copies of an index: the lists first, then blocks of posts
 * given as the copy asks, of at least "chunk" bytes, from two threads.
 */

typedef struct {
    u_char           *next;
    u_char           *end;
    size_t            chunk;
    size_t            blocks;
    pthread_mutex_t   lock;
} arena_t;


static u_char *
arena_more(void *data, size_t need, size_t *size, void **block)
{
    arena_t  *a = data;

    u_char  *p;
    size_t   n;

    n = (need > a->chunk) ? need : a->chunk;
    n = (n + 15) & ~(size_t) 15;

    pthread_mutex_lock(&a->lock);

    p = NULL;

    if ((size_t) (a->end - a->next) >= n) {
        p = a->next;
        a->next += n;
        a->blocks++;
    }

    pthread_mutex_unlock(&a->lock);

    *size = n;
    *block = p;

    return p;
}


/*
 * IX copied into one block, which the caller frees: the lists first, then
 * its posts, in blocks of 1 KB or more.  A copy is refused first when the
 * lists have 16 bytes fewer than asked.
 */

static blog_index_t *
copy_of(blog_index_t *ix, u_char **block, size_t *size)
{
    blog_copy_t  c;

    memset(&c, 0, sizeof(blog_copy_t));
    c.mark = 1;

    return copy_since(ix, &c, block, size);
}


static blog_index_t *
copy_since(blog_index_t *ix, blog_copy_t *c, u_char **block, size_t *size)
{
    arena_t        a;
    blog_copy_t    less;
    blog_index_t  *cp;

    blog_index_size(ix, c);

    /* a block of posts may end with less room than the next post takes */
    *size = c->index + 2 * c->posts + 65536;
    *block = malloc(*size);
    assert_non_null(*block);

    a.next = *block + c->index;
    a.end = *block + *size;
    a.chunk = 1024;
    a.blocks = 0;
    pthread_mutex_init(&a.lock, NULL);

    c->more = arena_more;
    c->data = &a;

    less = *c;
    less.index -= 16;
    assert_null(blog_index_copy(ix, &less, *block));

    a.next = *block + c->index;

    cp = blog_index_copy(ix, c, *block);
    assert_ptr_equal(cp, *block);

    if (c->posts != 0) {
        assert_true(a.blocks > 0);
    }

    pthread_mutex_destroy(&a.lock);

    c->more = NULL;
    c->data = NULL;

    return cp;
}


static void
set_mtime(unit_dir_t *d, const char *rel, time_t sec)
{
    char             path[256];
    struct timespec  ts[2];

    snprintf(path, sizeof(path), "%s/%s", d->root, rel);

    ts[0].tv_sec = sec;
    ts[0].tv_nsec = 0;
    ts[1] = ts[0];

    if (utimensat(AT_FDCWD, path, ts, 0) == -1) {
        fail_msg("utimensat %s: %s", path, strerror(errno));
    }
}


static blog_post_t *
find(blog_index_t *ix, const char *slug)
{
    blog_entry_t  *e;

    e = blog_index_find(ix, (const u_char *) slug, strlen(slug));

    return e != NULL ? e->post : NULL;
}


static const char *
title(blog_entry_t *e)
{
    return (const char *) e->post->title.data;
}


/* the problem whose file name ends so */

static blog_problem_t *
problem(blog_index_t *ix, const char *file_end)
{
    size_t  i, n;

    n = strlen(file_end);

    for (i = 0; i < ix->nproblems; i++) {
        if (ix->problems[i].file.len >= n
            && memcmp(ix->problems[i].file.data + ix->problems[i].file.len
                      - n, file_end, n) == 0)
        {
            return &ix->problems[i];
        }
    }

    fail_msg("no problem for a file ending in \"%s\" (of %zu)", file_end,
             ix->nproblems);

    return NULL;
}


static void
test_index_newest_first(void **state)
{
    char           real[4096];
    unit_dir_t    *d = *state;
    blog_post_t   *p;
    blog_index_t  *ix;

    post(d, "a.md", "A", "2024-01-01", NULL);
    unit_write(d->root, "_posts/2025-01-01-b.md", "---\ntitle: B\n---\nB.\n");
    post(d, "c/index.md", "C", "2023-06-01", NULL);
    unit_write(d->root, "c/image.png", "not markdown");
    unit_write(d->root, "notes.txt", "not a post");
    unit_write(d->root, "_index.md", "---\ntitle: section\n---\n");
    unit_write(d->root, "index.md", "---\ntitle: home\n---\n");

    ix = build(d, NULL, UNIT_NOW);

    assert_int_equal(ix->nproblems, 0);
    assert_int_equal(ix->nall, 3);
    assert_int_equal(ix->nentries, 3);
    assert_int_equal(ix->next_future, 0);

    assert_string_equal(title(&ix->entries[0]), "B");
    assert_string_equal(title(&ix->entries[1]), "A");
    assert_string_equal(title(&ix->entries[2]), "C");
    assert_bstr_equal(ix->entries[0].slug, "b");
    assert_bstr_equal(ix->entries[1].slug, "a");
    assert_bstr_equal(ix->entries[2].slug, "c");

    p = find(ix, "c");
    assert_non_null(p);
    assert_bstr_equal(p->title, "C");
    assert_int_equal(p->date.sec, 1685577600);

    assert_non_null(find(ix, "a"));
    assert_non_null(find(ix, "b"));
    assert_null(find(ix, "index"));
    assert_null(find(ix, "_index"));
    assert_null(find(ix, "notes"));
    assert_null(find(ix, "zzz"));
    assert_null(find(ix, ""));

    assert_non_null(realpath(d->root, real));
    assert_int_equal(ix->root_len, strlen(real));
    assert_memory_equal(p->path.data, real, ix->root_len);
    assert_string_equal((char *) p->path.data + ix->root_len, "/c/index.md");

    blog_index_release(ix);
}


static void
test_index_future(void **state)
{
    unit_dir_t    *d = *state;
    blog_index_t  *ix;

    post(d, "past.md", "Past", "2026-06-05", NULL);
    post(d, "now.md", "Now", "2026-06-06 00:00", NULL);
    post(d, "soon.md", "Soon", "2026-06-06 01:00", NULL);
    post(d, "later.md", "Later", "2026-06-07", NULL);

    ix = build(d, NULL, UNIT_NOW);

    assert_int_equal(ix->nall, 4);
    assert_int_equal(ix->nentries, 2);
    assert_string_equal(title(&ix->entries[0]), "Now");
    assert_string_equal(title(&ix->entries[1]), "Past");
    assert_null(find(ix, "soon"));
    assert_null(find(ix, "later"));
    assert_int_equal(ix->next_future, UNIT_NOW + 3600);

    blog_index_release(ix);

    /* an hour on, the next one is live with no change on disk */

    ix = build(d, NULL, UNIT_NOW + 3600);

    assert_int_equal(ix->nentries, 3);
    assert_string_equal(title(&ix->entries[0]), "Soon");
    assert_non_null(find(ix, "soon"));
    assert_int_equal(ix->next_future, UNIT_NOW + 86400);

    blog_index_release(ix);
}


/* Hugo's publishDate and expiryDate: a post's window, and a scan at each
 * end of it */

static void
test_index_window(void **state)
{
    unit_dir_t    *d = *state;
    blog_index_t  *ix;

    post(d, "held.md", "Held", "2026-06-01",
         "publishDate: 2026-06-06 02:00\n");
    post(d, "expiring.md", "Expiring", "2026-06-02",
         "expiryDate: 2026-06-06 01:00\n");
    post(d, "expired.md", "Expired", "2026-06-03",
         "expiryDate: 2026-06-05\n");

    ix = build(d, NULL, UNIT_NOW);

    assert_int_equal(ix->nall, 3);
    assert_int_equal(ix->nentries, 1);
    assert_string_equal(title(&ix->entries[0]), "Expiring");
    assert_int_equal(ix->next_future, UNIT_NOW + 3600);

    blog_index_release(ix);

    ix = build(d, NULL, UNIT_NOW + 3600);

    assert_int_equal(ix->nentries, 0);
    assert_int_equal(ix->next_future, UNIT_NOW + 7200);

    blog_index_release(ix);

    ix = build(d, NULL, UNIT_NOW + 7200);

    assert_int_equal(ix->nentries, 1);
    assert_string_equal(title(&ix->entries[0]), "Held");
    assert_int_equal(ix->next_future, 0);

    blog_index_release(ix);
}


static void
test_index_drafts(void **state)
{
    unit_dir_t    *d = *state;
    blog_index_t  *ix;

    post(d, "pub.md", "Pub", "2026-01-01", NULL);
    post(d, "d1.md", "D1", "2026-01-02", "draft: true\n");
    post(d, "d2.md", "D2", "2026-01-03", "published: false\n");
    post(d, "_drafts/d3.md", "D3", "2026-01-04", NULL);

    ix = build(d, NULL, UNIT_NOW);

    assert_int_equal(ix->nentries, 1);
    assert_string_equal(title(&ix->entries[0]), "Pub");
    assert_null(find(ix, "d1"));
    assert_null(find(ix, "d2"));
    assert_null(find(ix, "d3"));

    blog_index_release(ix);

    d->opts.drafts = 1;

    ix = build(d, NULL, UNIT_NOW);

    assert_int_equal(ix->nentries, 4);
    assert_string_equal(title(&ix->entries[0]), "D3");
    assert_non_null(find(ix, "d1"));
    assert_non_null(find(ix, "d2"));
    assert_non_null(find(ix, "d3"));
    assert_int_equal(find(ix, "d3")->draft, 1);

    blog_index_release(ix);
}


static void
test_index_duplicate_slugs(void **state)
{
    unit_dir_t      *d = *state;
    blog_post_t     *p;
    blog_index_t    *ix;
    blog_problem_t  *pb;

    post(d, "2025/hello.md", "New", "2025-02-03", NULL);
    post(d, "2024/hello.md", "Mid", "2024-05-06 10:00", NULL);
    unit_write(d->root, "_posts/2023-05-06-hello.md",
               "---\ntitle: Old\n---\nOld.\n");
    post(d, "other.md", "Other", "2022-01-01", NULL);

    ix = build(d, NULL, UNIT_NOW);

    assert_int_equal(ix->nentries, 4);

    p = find(ix, "hello");
    assert_non_null(p);
    assert_bstr_equal(p->title, "New");

    p = find(ix, "hello-2024-05-06");
    assert_non_null(p);
    assert_bstr_equal(p->title, "Mid");

    p = find(ix, "hello-2023-05-06");
    assert_non_null(p);
    assert_bstr_equal(p->title, "Old");

    /* the post keeps its own slug; the entry carries the URL name */
    assert_bstr_equal(p->slug, "hello");

    assert_bstr_equal(ix->entries[0].slug, "hello");
    assert_bstr_equal(ix->entries[1].slug, "hello-2024-05-06");
    assert_bstr_equal(ix->entries[2].slug, "hello-2023-05-06");
    assert_bstr_equal(ix->entries[3].slug, "other");

    assert_int_equal(ix->nproblems, 2);

    pb = problem(ix, "/2024/hello.md");
    assert_int_equal(pb->warn, 1);
    assert_int_equal(pb->fresh, 1);
    assert_contains((char *) pb->reason.data, "2025/hello.md");
    assert_contains((char *) pb->reason.data, "hello-2024-05-06");

    pb = problem(ix, "/_posts/2023-05-06-hello.md");
    assert_int_equal(pb->warn, 1);
    assert_int_equal(pb->fresh, 1);
    assert_contains((char *) pb->reason.data, "2025/hello.md");
    assert_contains((char *) pb->reason.data, "hello-2023-05-06");

    blog_index_release(ix);
}


static void
test_index_duplicate_said_once(void **state)
{
    unit_dir_t      *d = *state;
    blog_index_t    *ix, *ix2;
    blog_problem_t  *pb;

    post(d, "a/same.md", "New", "2025-02-03", NULL);
    post(d, "b/same.md", "Old", "2024-05-06", NULL);

    ix = build(d, NULL, UNIT_NOW);
    pb = problem(ix, "/b/same.md");
    assert_int_equal(pb->fresh, 1);

    ix2 = build(d, ix, UNIT_NOW);
    blog_index_release(ix);

    assert_int_equal(ix2->nproblems, 1);
    pb = problem(ix2, "/b/same.md");
    assert_int_equal(pb->warn, 1);
    assert_int_equal(pb->fresh, 0);
    assert_non_null(find(ix2, "same-2024-05-06"));

    blog_index_release(ix2);
}


/* every post has a URL of its own, even two older ones of one day */

static void
test_index_duplicate_same_day(void **state)
{
    size_t          i, j;
    unit_dir_t     *d = *state;
    blog_index_t   *ix;
    blog_entry_t   *e;

    post(d, "en/hello.md", "New", "2025-01-01", NULL);
    post(d, "de/hello.md", "Morning", "2024-05-06 08:00", NULL);
    post(d, "fr/hello.md", "Evening", "2024-05-06 20:00", NULL);

    ix = build(d, NULL, UNIT_NOW);

    assert_int_equal(ix->nentries, 3);

    for (i = 0; i < ix->nentries; i++) {
        e = blog_index_find(ix, ix->entries[i].slug.data,
                            ix->entries[i].slug.len);

        if (e != &ix->entries[i]) {
            fail_msg("\"%s\" (%s) is not served at its URL \"%.*s\"",
                     title(&ix->entries[i]), ix->entries[i].post->path.data,
                     (int) ix->entries[i].slug.len,
                     ix->entries[i].slug.data);
        }

        for (j = 0; j < i; j++) {
            assert_false(blog_str_eq(&ix->entries[i].slug,
                                     &ix->entries[j].slug));
        }
    }

    blog_index_release(ix);
}


static void
test_index_bad_post(void **state)
{
    unit_dir_t      *d = *state;
    blog_index_t    *ix;
    blog_problem_t  *pb;

    post(d, "good.md", "Good", "2026-01-01", NULL);
    unit_write(d->root, "bad.md", "---\ntitle: Bad\ndate: someday\n---\n");
    unit_write(d->root, "worse.md", "---\ntitle: W\n---\n\nbad \xff\n");

    ix = build(d, NULL, UNIT_NOW);

    assert_int_equal(ix->nentries, 1);
    assert_string_equal(title(&ix->entries[0]), "Good");
    assert_null(find(ix, "bad"));
    assert_null(find(ix, "worse"));
    assert_int_equal(ix->nproblems, 2);

    pb = problem(ix, "/bad.md");
    assert_int_equal(pb->line, 3);
    assert_int_equal(pb->warn, 0);
    assert_int_equal(pb->fresh, 1);
    assert_contains((char *) pb->reason.data, "someday");

    pb = problem(ix, "/worse.md");
    assert_int_equal(pb->line, 5);
    assert_int_equal(pb->warn, 0);
    assert_contains((char *) pb->reason.data, "UTF-8");

    blog_index_release(ix);
}


/*
 * Many tags: the table of their keys and their lists grow as tags are
 * found.  Post n has the tags t0 to tn: tag tk is on 40 - k posts.
 */

static void
test_index_many_tags(void **state)
{
    unit_dir_t  *d = *state;

    char              rel[32], title[32], date[32], key[16], tags[512];
    size_t            i, k, len;
    blog_index_t     *ix;
    blog_tag_list_t  *tl;

    for (i = 0; i < 40; i++) {
        len = snprintf(tags, sizeof(tags), "tags: [");

        for (k = 0; k <= i; k++) {
            len += snprintf(tags + len, sizeof(tags) - len, "%sT%zu",
                            k ? ", " : "", k);
        }

        snprintf(tags + len, sizeof(tags) - len, "]\n");
        snprintf(rel, sizeof(rel), "p%zu.md", i);
        snprintf(title, sizeof(title), "P%zu", i);
        snprintf(date, sizeof(date), "2024-01-%02zu", i % 28 + 1);

        post(d, rel, title, date, tags);
    }

    ix = build(d, NULL, UNIT_NOW);

    assert_int_equal(ix->nentries, 40);
    assert_int_equal(ix->ntags, 40);

    for (k = 0; k < 40; k++) {
        len = snprintf(key, sizeof(key), "t%zu", k);

        tl = blog_index_tag(ix, (u_char *) key, len);
        assert_non_null(tl);
        assert_int_equal(tl->nentries, 40 - k);

        snprintf(title, sizeof(title), "T%zu", k);
        assert_bstr_equal(tl->tag.name, title);
    }

    /* the most used first */
    assert_bstr_equal(ix->tags[0].tag.key, "t0");
    assert_bstr_equal(ix->tags[39].tag.key, "t39");

    blog_index_release(ix);
}


static void
test_index_tags(void **state)
{
    unit_dir_t       *d = *state;
    blog_index_t     *ix;
    blog_tag_list_t  *tl;

    post(d, "p1.md", "P1", "2024-01-01", "tags: [Go, Web]\n");
    post(d, "p2.md", "P2", "2024-02-01", "tags: [go, Rust]\n");
    post(d, "p3.md", "P3", "2024-03-01", "tags: \"GO, web\"\n");
    post(d, "p4.md", "P4", "2024-04-01",
         "draft: true\ntags: [Go, Secret]\n");
    post(d, "p5.md", "P5", "2030-01-01", "tags: [Future]\n");

    ix = build(d, NULL, UNIT_NOW);

    assert_int_equal(ix->ntags, 3);
    assert_bstr_equal(ix->tags[0].tag.key, "go");
    assert_int_equal(ix->tags[0].nentries, 3);
    assert_bstr_equal(ix->tags[1].tag.key, "web");
    assert_int_equal(ix->tags[1].nentries, 2);
    assert_bstr_equal(ix->tags[2].tag.key, "rust");
    assert_int_equal(ix->tags[2].nentries, 1);

    tl = blog_index_tag(ix, (const u_char *) "go", 2);
    assert_non_null(tl);
    assert_ptr_equal(tl, &ix->tags[0]);
    assert_int_equal(tl->nentries, 3);
    assert_string_equal(title(tl->entries[0]), "P3");
    assert_string_equal(title(tl->entries[1]), "P2");
    assert_string_equal(title(tl->entries[2]), "P1");

    /* the first spelling, that of the oldest post */
    assert_bstr_equal(tl->tag.name, "Go");

    tl = blog_index_tag(ix, (const u_char *) "web", 3);
    assert_non_null(tl);
    assert_bstr_equal(tl->tag.name, "Web");
    assert_string_equal(title(tl->entries[0]), "P3");
    assert_string_equal(title(tl->entries[1]), "P1");

    tl = blog_index_tag(ix, (const u_char *) "rust", 4);
    assert_non_null(tl);
    assert_string_equal(title(tl->entries[0]), "P2");

    assert_null(blog_index_tag(ix, (const u_char *) "secret", 6));
    assert_null(blog_index_tag(ix, (const u_char *) "future", 6));
    assert_null(blog_index_tag(ix, (const u_char *) "Go", 2));
    assert_null(blog_index_tag(ix, (const u_char *) "g", 1));

    blog_index_release(ix);
}


static void
test_index_reuse(void **state)
{
    uint64_t       version;
    unit_dir_t    *d = *state;
    blog_post_t   *a, *b, *c;
    blog_index_t  *ix1, *ix2, *ix3;

    post(d, "a.md", "A", "2026-01-01", NULL);
    post(d, "b.md", "B", "2026-01-02", NULL);
    post(d, "c.md", "C", "2026-01-03", NULL);

    ix1 = build(d, NULL, UNIT_NOW);
    a = find(ix1, "a");
    b = find(ix1, "b");
    c = find(ix1, "c");
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(c);

    ix2 = build(d, ix1, UNIT_NOW);

    assert_ptr_equal(find(ix2, "a"), a);
    assert_ptr_equal(find(ix2, "b"), b);
    assert_ptr_equal(find(ix2, "c"), c);
    assert_true(ix2->version == ix1->version);
    assert_int_equal(ix2->nproblems, 0);

    /* the posts outlive the index they were first read into */

    blog_index_release(ix1);
    assert_bstr_equal(a->title, "A");

    version = ix2->version;

    /* b is rewritten (another size), c only touched */

    post(d, "b.md", "B, second version", "2026-01-02", NULL);
    set_mtime(d, "b.md", 1700000000);
    set_mtime(d, "c.md", 1700000000);

    ix3 = build(d, ix2, UNIT_NOW);

    assert_ptr_equal(find(ix3, "a"), a);
    assert_ptr_not_equal(find(ix3, "b"), b);
    assert_ptr_not_equal(find(ix3, "c"), c);
    assert_bstr_equal(find(ix3, "b")->title, "B, second version");
    assert_bstr_equal(find(ix3, "c")->title, "C");
    assert_int_equal(find(ix3, "c")->file.mtime_sec, 1700000000);
    assert_true(ix3->version != version);

    /* the old index still shows the old text */
    assert_bstr_equal(find(ix2, "b")->title, "B");

    blog_index_release(ix2);
    blog_index_release(ix3);
}


static void
test_index_problem_carried(void **state)
{
    unit_dir_t      *d = *state;
    blog_index_t    *ix1, *ix2, *ix3, *ix4;
    blog_problem_t  *pb;

    post(d, "ok.md", "OK", "2026-01-01", NULL);
    unit_write(d->root, "bad.md", "---\ntitle: Bad\ndate: someday\n---\n");

    ix1 = build(d, NULL, UNIT_NOW);
    pb = problem(ix1, "/bad.md");
    assert_int_equal(pb->fresh, 1);

    ix2 = build(d, ix1, UNIT_NOW);

    assert_int_equal(ix2->nproblems, 1);
    pb = problem(ix2, "/bad.md");
    assert_int_equal(pb->fresh, 0);
    assert_int_equal(pb->warn, 0);
    assert_int_equal(pb->line, 3);
    assert_contains((char *) pb->reason.data, "someday");
    assert_ptr_equal(find(ix2, "ok"), find(ix1, "ok"));

    blog_index_release(ix1);

    /* fixed: the post is served and the problem is gone */

    post(d, "bad.md", "Bad no more", "2026-01-02", NULL);

    ix3 = build(d, ix2, UNIT_NOW);
    blog_index_release(ix2);

    assert_int_equal(ix3->nproblems, 0);
    assert_non_null(find(ix3, "bad"));
    assert_int_equal(ix3->nentries, 2);

    /* broken again: said again */

    unit_write(d->root, "bad.md", "---\ntitle: [\n---\n");

    ix4 = build(d, ix3, UNIT_NOW);
    blog_index_release(ix3);

    assert_int_equal(ix4->nproblems, 1);
    pb = problem(ix4, "/bad.md");
    assert_int_equal(pb->fresh, 1);
    assert_null(find(ix4, "bad"));

    blog_index_release(ix4);
}


static void
test_index_symlink_outside(void **state)
{
    char             path[256], target[256];
    size_t           i;
    unit_dir_t      *d = *state;
    blog_index_t    *ix, *ix2;

    unit_mkdtemp(d->outside, sizeof(d->outside));
    unit_write(d->outside, "secret.md", "---\ntitle: Secret\n---\nS.\n");
    unit_write(d->outside, "sub/other.md", "---\ntitle: Other\n---\nO.\n");

    post(d, "ok.md", "OK", "2026-01-01", NULL);

    snprintf(path, sizeof(path), "%s/leak.md", d->root);
    snprintf(target, sizeof(target), "%s/secret.md", d->outside);
    assert_int_equal(symlink(target, path), 0);

    snprintf(path, sizeof(path), "%s/dir", d->root);
    snprintf(target, sizeof(target), "%s/sub", d->outside);
    assert_int_equal(symlink(target, path), 0);

    snprintf(path, sizeof(path), "%s/up.md", d->root);
    assert_int_equal(symlink("../../etc/passwd", path), 0);

    ix = build(d, NULL, UNIT_NOW);

    assert_int_equal(ix->nall, 1);
    assert_int_equal(ix->nentries, 1);
    assert_null(find(ix, "leak"));
    assert_null(find(ix, "secret"));
    assert_null(find(ix, "other"));
    assert_null(find(ix, "up"));

    assert_int_equal(ix->nproblems, 3);

    for (i = 0; i < ix->nproblems; i++) {
        assert_int_equal(ix->problems[i].warn, 1);
        assert_int_equal(ix->problems[i].fresh, 1);
        assert_contains((char *) ix->problems[i].reason.data, "link");
    }

    (void) problem(ix, "/leak.md");
    (void) problem(ix, "/dir");
    (void) problem(ix, "/up.md");

    /* said once, not on every rescan */

    ix2 = build(d, ix, UNIT_NOW);
    blog_index_release(ix);

    assert_int_equal(ix2->nproblems, 3);

    for (i = 0; i < ix2->nproblems; i++) {
        if (ix2->problems[i].fresh) {
            fail_msg("\"%s\" (%s) reported again on a rescan",
                     ix2->problems[i].file.data,
                     ix2->problems[i].reason.data);
        }
    }

    blog_index_release(ix2);
}


/*
 * A link to a file inside the root is read where it points, as a link to
 * a folder is: the post is listed once.
 */

static void
test_index_symlink_inside(void **state)
{
    char           path[256];
    unit_dir_t    *d = *state;
    blog_index_t  *ix;

    post(d, "posts/hello.md", "Hello", "2026-01-01", NULL);
    post(d, "other.md", "Other", "2025-01-01", NULL);

    snprintf(path, sizeof(path), "%s/latest.md", d->root);
    assert_int_equal(symlink("posts/hello.md", path), 0);

    snprintf(path, sizeof(path), "%s/archive", d->root);
    assert_int_equal(symlink("posts", path), 0);

    ix = build(d, NULL, UNIT_NOW);

    assert_non_null(find(ix, "hello"));
    assert_non_null(find(ix, "other"));
    assert_int_equal(ix->nentries, 2);
    assert_string_equal(title(&ix->entries[0]), "Hello");
    assert_string_equal(title(&ix->entries[1]), "Other");

    blog_index_release(ix);
}


static void
test_index_dot_folders(void **state)
{
    unit_dir_t    *d = *state;
    blog_index_t  *ix;

    post(d, "real.md", "Real", "2026-01-01", NULL);
    post(d, ".git/x.md", "X", "2026-01-01", NULL);
    post(d, ".hidden/y.md", "Y", "2026-01-01", NULL);
    post(d, "_site/z.md", "Z", "2026-01-01", NULL);
    post(d, "node_modules/pkg/w.md", "W", "2026-01-01", NULL);
    post(d, "sub/.v.md", "V", "2026-01-01", NULL);

    ix = build(d, NULL, UNIT_NOW);

    assert_int_equal(ix->nall, 1);
    assert_int_equal(ix->nentries, 1);
    assert_int_equal(ix->nproblems, 0);
    assert_non_null(find(ix, "real"));
    assert_null(find(ix, "x"));
    assert_null(find(ix, "z"));

    blog_index_release(ix);
}


static void
test_index_missing_root(void **state)
{
    char           root[128];
    unit_dir_t    *d = *state;
    blog_index_t  *ix;

    snprintf(root, sizeof(root), "%s/nowhere", d->root);

    ix = blog_index_build(root, &d->opts, NULL, UNIT_NOW);
    assert_non_null(ix);

    assert_int_equal(ix->nentries, 0);
    assert_int_equal(ix->nproblems, 1);
    assert_int_equal(ix->problems[0].warn, 0);
    assert_bstr_equal(ix->problems[0].file, root);
    assert_null(find(ix, "x"));
    assert_null(blog_index_tag(ix, (const u_char *) "x", 1));

    blog_index_release(ix);
}


static void
test_index_empty_root(void **state)
{
    unit_dir_t    *d = *state;
    blog_index_t  *ix;

    unit_write(d->root, "README.txt", "no posts here");

    ix = build(d, NULL, UNIT_NOW);

    assert_int_equal(ix->nall, 0);
    assert_int_equal(ix->nentries, 0);
    assert_int_equal(ix->ntags, 0);
    assert_int_equal(ix->nproblems, 0);
    assert_int_equal(ix->next_future, 0);
    assert_null(find(ix, "README"));

    blog_index_release(ix);
}


static void
test_index_too_large(void **state)
{
    unit_dir_t      *d = *state;
    blog_index_t    *ix;
    blog_problem_t  *pb;

    d->opts.max_post_size = 100;

    post(d, "small.md", "S", "2026-01-01", NULL);
    post(d, "big.md", "B", "2026-01-01",
         "description: \"0123456789012345678901234567890123456789"
         "0123456789012345678901234567890123456789\"\n");

    ix = build(d, NULL, UNIT_NOW);

    assert_int_equal(ix->nentries, 1);
    assert_non_null(find(ix, "small"));
    assert_null(find(ix, "big"));

    pb = problem(ix, "/big.md");
    assert_int_equal(pb->warn, 0);
    assert_contains((char *) pb->reason.data,
                    " bytes, larger than blog_max_post_size (100)");

    blog_index_release(ix);
}


/* a post saved in place is taken once it has stood still long enough */

static void
test_index_settle_in_place(void **state)
{
    unit_dir_t    *d = *state;
    blog_index_t  *ix1, *ix2, *ix3;

    post(d, "a.md", "A", "2026-01-01", NULL);
    set_mtime(d, "a.md", 1700000000);

    d->opts.settle_ms = 10000;

    ix1 = build(d, NULL, UNIT_NOW);
    assert_bstr_equal(find(ix1, "a")->title, "A");
    assert_int_equal(ix1->held, 0);

    /* written in place just now: perhaps not whole yet */

    post(d, "a.md", "A, second", "2026-01-01", NULL);

    ix2 = build(d, ix1, UNIT_NOW);
    assert_bstr_equal(find(ix2, "a")->title, "A");
    assert_int_equal(ix2->nproblems, 0);

    /* the server must scan again once it settles */
    assert_int_equal(ix2->held, 1);

    set_mtime(d, "a.md", 1700000100);

    ix3 = build(d, ix2, UNIT_NOW);
    assert_bstr_equal(find(ix3, "a")->title, "A, second");
    assert_int_equal(ix3->held, 0);

    blog_index_release(ix1);
    blog_index_release(ix2);
    blog_index_release(ix3);
}


/*
 * A file its writer closed, as a watch tells, is whole: taken at once,
 * new or changed, unless it was written again after the close was seen.
 */

static void
test_index_settle_closed(void **state)
{
    unit_dir_t  *d = *state;

    char            real[PATH_MAX], a[PATH_MAX + 8], b[PATH_MAX + 8];
    int64_t         seen;
    blog_closed_t   closed[2];
    blog_index_t   *ix1, *ix2, *ix3, *ix4;
    blog_changes_t  ch;
    struct timespec ts;

    post(d, "a.md", "A", "2026-01-01", NULL);
    set_mtime(d, "a.md", 1700000000);

    d->opts.settle_ms = 10000;

    ix1 = build(d, NULL, UNIT_NOW);

    post(d, "a.md", "A, second", "2026-01-01", NULL);
    post(d, "b.md", "B", "2026-01-02", NULL);

    clock_gettime(CLOCK_REALTIME, &ts);
    seen = (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + 1;

    assert_non_null(realpath(d->root, real));
    snprintf(a, sizeof(a), "%s/a.md", real);
    snprintf(b, sizeof(b), "%s/b.md", real);

    memset(&ch, 0, sizeof(blog_changes_t));
    ch.closed = closed;

    /* told of b only: a, written in place a moment ago, waits */

    closed[0].path = b;
    closed[0].at = seen;
    ch.nclosed = 1;

    ix2 = blog_index_update(d->root, &d->opts, ix1, UNIT_NOW, &ch);
    assert_bstr_equal(find(ix2, "a")->title, "A");
    assert_bstr_equal(find(ix2, "b")->title, "B");
    assert_int_equal(ix2->held, 1);

    /* a closed seen before its last write: written again since, waits */

    closed[0].path = a;
    closed[0].at = seen - 60000;

    ix3 = blog_index_update(d->root, &d->opts, ix2, UNIT_NOW, &ch);
    assert_bstr_equal(find(ix3, "a")->title, "A");
    assert_int_equal(ix3->held, 1);

    /* closed after its last write: taken, nothing held */

    closed[0].at = seen;

    ix4 = blog_index_update(d->root, &d->opts, ix3, UNIT_NOW, &ch);
    assert_bstr_equal(find(ix4, "a")->title, "A, second");
    assert_bstr_equal(find(ix4, "b")->title, "B");
    assert_int_equal(ix4->held, 0);

    blog_index_release(ix1);
    blog_index_release(ix2);
    blog_index_release(ix3);
    blog_index_release(ix4);
}


/* a new post waits too, but not in the first scan, which waits for it */

static void
test_index_settle_new(void **state)
{
    unit_dir_t    *d = *state;
    blog_index_t  *ix1, *ix2, *ix3;

    d->opts.settle_ms = 200;

    post(d, "a.md", "A", "2026-01-01", NULL);

    /* the first scan reads it once it has stood still the settle time */

    ix1 = build(d, NULL, UNIT_NOW);
    assert_non_null(find(ix1, "a"));
    assert_true(ix1->msec >= 150);

    d->opts.settle_ms = 10000;

    post(d, "b.md", "B", "2026-01-02", NULL);

    ix2 = build(d, ix1, UNIT_NOW);
    assert_null(find(ix2, "b"));

    set_mtime(d, "b.md", 1700000000);

    ix3 = build(d, ix2, UNIT_NOW);
    assert_bstr_equal(find(ix3, "b")->title, "B");

    blog_index_release(ix1);
    blog_index_release(ix2);
    blog_index_release(ix3);
}


/*
 * A post that loses its front matter, or all its bytes, must stand still
 * longer: ten settle times.
 */

static void
test_index_settle_front_matter(void **state)
{
    unit_dir_t    *d = *state;
    blog_index_t  *ix1, *ix2, *ix3, *ix4;

    post(d, "a.md", "A", "2026-01-01", NULL);
    set_mtime(d, "a.md", 1700000000);

    d->opts.settle_ms = 100;

    ix1 = build(d, NULL, UNIT_NOW);

    unit_write(d->root, "a.md", "");
    set_mtime_ago(d, "a.md", 500);

    ix2 = build(d, ix1, UNIT_NOW);
    assert_bstr_equal(find(ix2, "a")->title, "A");

    unit_write(d->root, "a.md", "# A heading\n\nNo front matter now.\n");
    set_mtime_ago(d, "a.md", 500);

    ix3 = build(d, ix2, UNIT_NOW);
    assert_bstr_equal(find(ix3, "a")->title, "A");

    set_mtime_ago(d, "a.md", 1500);

    /* dated by its modification time now: not a future post */
    ix4 = build(d, ix3, time(NULL));
    assert_bstr_equal(find(ix4, "a")->title, "A heading");

    blog_index_release(ix1);
    blog_index_release(ix2);
    blog_index_release(ix3);
    blog_index_release(ix4);
}


/*
 * A file renamed over a post (an atomic save) waits too, as nothing tells
 * it from one created and written there (git checkout); once it has
 * stood still it is taken.
 */

static void
test_index_settle_renamed(void **state)
{
    char           from[512], to[512];
    unit_dir_t    *d = *state;
    blog_index_t  *ix1, *ix2, *ix3;

    post(d, "a.md", "A", "2026-01-01", NULL);
    set_mtime(d, "a.md", 1700000000);

    d->opts.settle_ms = 10000;

    ix1 = build(d, NULL, UNIT_NOW);

    post(d, ".a.md.tmp", "A, saved", "2026-01-01", NULL);

    snprintf(from, sizeof(from), "%s/.a.md.tmp", d->root);
    snprintf(to, sizeof(to), "%s/a.md", d->root);
    assert_int_equal(rename(from, to), 0);

    ix2 = build(d, ix1, UNIT_NOW);
    assert_bstr_equal(find(ix2, "a")->title, "A");

    set_mtime(d, "a.md", 1700000100);

    ix3 = build(d, ix2, UNIT_NOW);
    assert_bstr_equal(find(ix3, "a")->title, "A, saved");

    blog_index_release(ix1);
    blog_index_release(ix2);
    blog_index_release(ix3);
}


static void
set_mtime_ago(unit_dir_t *d, const char *rel, long ms)
{
    char             path[256];
    struct timespec  ts[2];

    snprintf(path, sizeof(path), "%s/%s", d->root, rel);

    clock_gettime(CLOCK_REALTIME, &ts[0]);

    ts[0].tv_sec -= ms / 1000;
    ts[0].tv_nsec -= (ms % 1000) * 1000000;

    if (ts[0].tv_nsec < 0) {
        ts[0].tv_sec--;
        ts[0].tv_nsec += 1000000000;
    }

    ts[1] = ts[0];

    if (utimensat(AT_FDCWD, path, ts, 0) == -1) {
        fail_msg("utimensat %s: %s", path, strerror(errno));
    }
}


/*
 * A copy in one block answers as the index did, once the index is gone,
 * and points nowhere outside its block.
 */

static void
test_index_copy(void **state)
{
    unit_dir_t       *d = *state;
    size_t            i, j, size;
    u_char           *block;
    blog_post_t      *p;
    blog_entry_t     *e;
    blog_index_t     *ix, *cp;
    blog_tag_list_t  *tl;

    post(d, "2025/hello.md", "New", "2025-02-03", "tags: [Go, Web]\n");
    post(d, "2024/hello.md", "Mid", "2024-05-06 10:00",
         "tags: [go]\naliases: [/old/mid/, was-mid]\n");
    post(d, "moved.md", "Moved", "2023-01-01", "redirect: /blog/hello/\n");
    post(d, "draft.md", "Draft", "2023-02-01",
         "draft: true\naliases: [/old/draft/]\n");
    unit_write(d->root, "broken.md", "---\ntitle: [unclosed\n---\nBody.\n");

    ix = build(d, NULL, UNIT_NOW);

    cp = copy_of(ix, &block, &size);
    assert_int_equal(cp->frozen, 1);

    assert_int_equal(cp->nentries, ix->nentries);
    assert_int_equal(cp->nall, ix->nall);
    assert_int_equal(cp->ntags, ix->ntags);
    assert_int_equal(cp->nproblems, ix->nproblems);
    assert_int_equal(cp->nredirects, 1);
    assert_true(cp->version == ix->version);
    assert_true(cp->generation == ix->generation);

    blog_index_release(ix);

    /* what the pages ask of it */

    assert_int_equal(cp->nentries, 2);
    assert_bstr_equal(cp->entries[0].slug, "hello");
    assert_bstr_equal(cp->entries[0].post->title, "New");
    assert_bstr_equal(cp->entries[1].slug, "hello-2024-05-06");
    assert_bstr_equal(cp->entries[1].post->title, "Mid");

    p = find(cp, "hello-2024-05-06");
    assert_non_null(p);
    assert_bstr_equal(p->slug, "hello");
    assert_int_equal(p->frozen, 1);

    e = blog_index_redirect(cp, (const u_char *) "moved", 5);
    assert_non_null(e);
    assert_bstr_equal(e->post->redirect, "/blog/hello/");

    /* old URLs of public posts only, found in the copy */
    assert_int_equal(cp->naliases, 2);
    e = blog_index_alias(cp, (const u_char *) "/old/mid", 8);
    assert_ptr_equal(e, &cp->entries[1]);
    e = blog_index_alias(cp, (const u_char *) "was-mid", 7);
    assert_ptr_equal(e, &cp->entries[1]);
    assert_null(blog_index_alias(cp, (const u_char *) "/old/draft", 10));

    for (i = 0; i < cp->naliases; i++) {
        assert_within(cp->aliases[i].from.data, block, size);
        assert_within(cp->aliases[i].to, block, size);
    }

    tl = blog_index_tag(cp, (const u_char *) "go", 2);
    assert_non_null(tl);
    assert_int_equal(tl->nentries, 2);
    assert_string_equal(title(tl->entries[0]), "New");
    assert_string_equal(title(tl->entries[1]), "Mid");
    assert_ptr_equal(tl->entries[0], &cp->entries[0]);

    tl = blog_index_tag(cp, (const u_char *) "web", 3);
    assert_non_null(tl);
    assert_bstr_equal(tl->tag.name, "Web");

    assert_contains((char *) problem(cp, "/broken.md")->reason.data, "");
    assert_non_null(problem(cp, "/2024/hello.md"));

    /* references neither count nor free a copy */
    blog_index_ref(cp);
    blog_index_release(cp);
    blog_index_release(cp);
    blog_post_release(cp->all[0]);

    /* nothing points out of the block */

    for (i = 0; i < cp->nall; i++) {
        p = cp->all[i];

        assert_within(p, block, size);
        assert_within(p->path.data, block, size);
        assert_within(p->slug.data, block, size);
        assert_within(p->title.data, block, size);

        for (j = 0; j < p->ntags; j++) {
            assert_within(p->tags[j].name.data, block, size);
            assert_within(p->tags[j].key.data, block, size);
        }

        /* strings end as the C library expects */
        assert_int_equal(p->path.data[p->path.len], '\0');
    }

    for (i = 0; i < cp->nentries; i++) {
        assert_within(cp->entries[i].post, block, size);
        assert_within(cp->entries[i].slug.data, block, size);
        assert_within(cp->by_slug[i], block, size);
    }

    for (i = 0; i < cp->ntags; i++) {
        assert_within(cp->tags_by_key[i], block, size);
        assert_within(cp->tags[i].tag.key.data, block, size);

        for (j = 0; j < cp->tags[i].nentries; j++) {
            assert_within(cp->tags[i].entries[j], block, size);
        }
    }

    for (i = 0; i < cp->nproblems; i++) {
        assert_within(cp->problems[i].file.data, block, size);
        assert_within(cp->problems[i].reason.data, block, size);
    }

    free(block);
}


/*
 * A copy since the mark of an earlier one takes that one's posts as they
 * are, and writes nothing of it: only a post edited or added since is
 * copied, and the copy reads as a whole one does.  Since a mark above the
 * earlier one, every post is copied again.
 */

static void
test_index_copy_again(void **state)
{
    unit_dir_t       *d = *state;
    char              path[PATH_MAX];
    size_t            i, size1, size2, size3;
    u_char           *block1, *block2, *block3, *was;
    arena_t           a;
    blog_copy_t       c1, c2, c3, whole;
    blog_post_t      *p;
    blog_index_t     *ix, *next, *cp1, *cp2, *cp3;
    blog_tag_list_t  *tl;

    post(d, "a.md", "A", "2024-01-01", "tags: [x]\n");
    post(d, "b.md", "B", "2024-01-02", "tags: [x, y]\n");
    post(d, "c.md", "C", "2024-01-03", NULL);
    set_mtime(d, "a.md", UNIT_NOW - 120);
    set_mtime(d, "b.md", UNIT_NOW - 120);
    set_mtime(d, "c.md", UNIT_NOW - 120);

    ix = build(d, NULL, UNIT_NOW);

    memset(&c1, 0, sizeof(blog_copy_t));
    c1.mark = 1;
    cp1 = copy_since(ix, &c1, &block1, &size1);

    was = malloc(size1);
    assert_non_null(was);
    memcpy(was, block1, size1);

    /* b edited, d added, c gone */

    post(d, "b.md", "B, Edited", "2024-01-02", "tags: [y]\n");
    post(d, "d.md", "D", "2024-01-04", "tags: [x]\n");
    set_mtime(d, "b.md", UNIT_NOW - 60);
    set_mtime(d, "d.md", UNIT_NOW - 60);
    snprintf(path, sizeof(path), "%s/c.md", d->root);
    assert_int_equal(unlink(path), 0);

    next = build(d, ix, UNIT_NOW);
    assert_int_equal(next->nall, 3);

    memset(&c2, 0, sizeof(blog_copy_t));
    c2.mark = 2;
    c2.since = 1;
    cp2 = copy_since(next, &c2, &block2, &size2);

    memset(&whole, 0, sizeof(blog_copy_t));
    whole.mark = 3;
    blog_index_size(next, &whole);

    assert_true(c2.posts > 0);
    assert_true(c2.posts < whole.posts);
    assert_int_equal(c2.index, whole.index);

    /* a, unchanged: the first copy's; b and d new */

    p = find(cp2, "a");
    assert_ptr_equal(p, find(cp1, "a"));
    assert_within(p, block1, size1);
    assert_bstr_equal(p->title, "A");
    assert_int_equal(c2.taken, p->copy_size);

    p = find(cp2, "b");
    assert_within(p, block2, size2);
    assert_bstr_equal(p->title, "B, Edited");
    assert_bstr_equal(find(cp1, "b")->title, "B");

    assert_within(find(cp2, "d"), block2, size2);
    assert_null(find(cp2, "c"));

    tl = blog_index_tag(cp2, (const u_char *) "x", 1);
    assert_non_null(tl);
    assert_int_equal(tl->nentries, 2);
    assert_string_equal(title(tl->entries[0]), "D");
    assert_string_equal(title(tl->entries[1]), "A");
    assert_within(tl->entries[1]->post->tags[0].key.data, block1, size1);

    /* the first copy, still read by others, is as it was */
    assert_memory_equal(was, block1, size1);

    /*
     * A copy with no room for its posts is refused, and leaves the posts
     * as they were: the next copy since its mark takes none of them.
     */

    memset(&c3, 0, sizeof(blog_copy_t));
    c3.mark = 4;
    blog_index_size(next, &c3);

    block3 = malloc(c3.index + c3.posts);
    assert_non_null(block3);

    a.next = block3 + c3.index;
    a.end = a.next + c3.posts / 2;
    a.chunk = 16;
    a.blocks = 0;
    pthread_mutex_init(&a.lock, NULL);

    c3.more = arena_more;
    c3.data = &a;

    assert_null(blog_index_copy(next, &c3, block3));
    assert_true(a.blocks > 0);

    pthread_mutex_destroy(&a.lock);
    free(block3);

    memset(&c3, 0, sizeof(blog_copy_t));
    c3.mark = 5;
    c3.since = 4;
    cp3 = copy_since(next, &c3, &block3, &size3);

    assert_int_equal(c3.posts, whole.posts);
    assert_int_equal(c3.taken, 0);

    for (i = 0; i < cp3->nall; i++) {
        assert_within(cp3->all[i], block3, size3);
    }

    assert_memory_equal(was, block1, size1);

    blog_index_release(ix);
    blog_index_release(next);
    free(was);
    free(block1);
    free(block2);
    free(block3);
}


/*
 * From 20,000 posts on, two threads copy the posts, a half each, into
 * blocks each asks for: the copy is the same as the index, post for post.
 * Copied again since, with one post edited, only that post is copied.
 */

static void
test_index_copy_halves(void **state)
{
    unit_dir_t    *d = *state;
    char           rel[64], name[64], tags[64];
    size_t         i, j, n, size, size2;
    u_char        *block, *block2;
    blog_copy_t    c;
    blog_post_t   *p, *q;
    blog_index_t  *ix, *next, *cp, *cp2;

    n = 20001;

    for (i = 0; i < n; i++) {
        snprintf(rel, sizeof(rel), "f%02zu/p%05zu.md", i % 50, i);
        snprintf(name, sizeof(name), "Post %zu", i);
        snprintf(tags, sizeof(tags), "tags: [t%zu, Same]\n", i % 7);
        post(d, rel, name, "2024-01-02", i % 3 ? tags : NULL);
    }

    ix = build(d, NULL, UNIT_NOW);
    assert_int_equal(ix->nall, n);

    cp = copy_of(ix, &block, &size);
    assert_int_equal(cp->nall, n);

    for (i = 0; i < n; i++) {
        p = cp->all[i];
        q = ix->all[i];

        assert_within(p, block, size);

        assert_int_equal(p->path.len, q->path.len);
        assert_memory_equal(p->path.data, q->path.data, q->path.len);
        assert_memory_equal(p->title.data, q->title.data, q->title.len + 1);
        assert_int_equal(p->ntags, q->ntags);

        for (j = 0; j < p->ntags; j++) {
            assert_within(p->tags[j].key.data, block, size);
            assert_memory_equal(p->tags[j].key.data, q->tags[j].key.data,
                                q->tags[j].key.len + 1);
        }
    }

    assert_int_equal(blog_index_tag(cp, (const u_char *) "same", 4)
                     ->nentries, cp->nentries - (n + 2) / 3);

    /* again, since that copy, with one post of the second half edited */

    post(d, "f49/p14999.md", "Post 14999, Edited", "2024-01-02", NULL);
    set_mtime(d, "f49/p14999.md", UNIT_NOW - 60);

    next = build(d, ix, UNIT_NOW);
    assert_int_equal(next->nall, n);

    memset(&c, 0, sizeof(blog_copy_t));
    c.mark = 2;
    c.since = 1;
    cp2 = copy_since(next, &c, &block2, &size2);

    for (i = 0; i < n; i++) {
        p = cp2->all[i];

        if (strcmp((char *) p->slug.data, "p14999") == 0) {
            assert_within(p, block2, size2);
            assert_bstr_equal(p->title, "Post 14999, Edited");
            continue;
        }

        assert_ptr_equal(p, cp->all[i]);
    }

    blog_index_release(ix);
    blog_index_release(next);
    free(block);
    free(block2);
}


static void
assert_within(const void *p, const u_char *block, size_t size)
{
    if (p == NULL || (const u_char *) p < block
        || (const u_char *) p >= block + size)
    {
        fail_msg("%p is outside the block %p + %zu", p, (void *) block, size);
    }
}


/* the server is told of each folder the walk reads, to watch it */

static void
test_index_folders_told(void **state)
{
    unit_dir_t    *d = *state;
    char           seen[1024], want[PATH_MAX + 2], real[PATH_MAX];
    blog_index_t  *ix;

    post(d, "a.md", "A", "2026-01-01", NULL);
    post(d, "2024/b.md", "B", "2024-01-01", NULL);
    post(d, "2024/deep/c.md", "C", "2024-01-02", NULL);
    post(d, ".git/d.md", "D", "2024-01-03", NULL);

    seen[0] = '\0';
    d->opts.folder = told;
    d->opts.folder_data = seen;

    ix = build(d, NULL, UNIT_NOW);
    assert_int_equal(ix->nentries, 3);

    /* the root first, as the walk resolved it; no dot folder */
    assert_non_null(realpath(d->root, real));
    snprintf(want, sizeof(want), "[%s]", real);
    assert_int_equal(strncmp(seen, want, strlen(want)), 0);
    assert_non_null(strstr(seen, "/2024]"));
    assert_non_null(strstr(seen, "/2024/deep]"));
    assert_null(strstr(seen, ".git"));

    blog_index_release(ix);
}


static void
told(void *data, const char *path)
{
    char  *seen = data;
    size_t n;

    n = strlen(seen);
    snprintf(seen + n, 1024 - n, "[%s]", path);
}


/*
 * A scan told which folders changed reads only those: the posts, problems
 * and subfolders of the others are kept, including folders whose names
 * sort around a kept one's ("a-c" before "a/", "a0" after it).
 */

static void
test_index_update(void **state)
{
    unit_dir_t  *d = *state;

    char            real[PATH_MAX], a[PATH_MAX + 8], *changed[2];
    blog_index_t   *ix, *next, *whole;
    blog_changes_t  ch;

    post(d, "r.md", "Root Post", "2024-01-01", NULL);
    post(d, "a/x.md", "In A", "2024-01-02", NULL);
    post(d, "a/b/y.md", "In B", "2024-01-03", NULL);
    post(d, "a/b/c/w.md", "In C", "2024-01-04", NULL);
    post(d, "a-c/z.md", "In A-C", "2024-01-05", NULL);
    post(d, "a0/v.md", "In A0", "2024-01-06", NULL);
    unit_write(d->root, "a/b/bad.md", "---\ntitle: [unclosed\n---\nx\n");

    ix = build(d, NULL, UNIT_NOW);

    assert_int_equal(ix->nall, 6);
    assert_int_equal(ix->nfolders, 6);
    assert_int_equal(ix->nread, 6);
    assert_non_null(problem(ix, "/a/b/bad.md"));

    assert_non_null(realpath(d->root, real));
    snprintf(a, sizeof(a), "%s/a", real);
    changed[0] = a;

    memset(&ch, 0, sizeof(blog_changes_t));
    ch.folders = changed;
    ch.nfolders = 1;

    /* an edit in "a": one folder read, the rest kept as they were */

    post(d, "a/x.md", "In A, Edited", "2024-01-02", NULL);
    set_mtime(d, "a/x.md", UNIT_NOW - 60);

    next = blog_index_update(d->root, &d->opts, ix, UNIT_NOW, &ch);
    assert_non_null(next);

    assert_int_equal(next->nfolders, 6);
    assert_int_equal(next->nread, 1);
    assert_string_equal(find(next, "x")->title.data, "In A, Edited");
    assert_ptr_equal(find(next, "y"), find(ix, "y"));
    assert_ptr_equal(find(next, "w"), find(ix, "w"));
    assert_ptr_equal(find(next, "z"), find(ix, "z"));
    assert_ptr_equal(find(next, "v"), find(ix, "v"));
    assert_non_null(problem(next, "/a/b/bad.md"));

    whole = build(d, ix, UNIT_NOW);
    assert_same_posts(next, whole);
    assert_int_equal(next->nproblems, whole->nproblems);
    assert_true(next->version == whole->version);
    blog_index_release(whole);

    /* nothing changed: nothing read, everything kept */

    blog_index_release(ix);
    ix = next;

    ch.nfolders = 0;

    next = blog_index_update(d->root, &d->opts, ix, UNIT_NOW, &ch);
    assert_non_null(next);
    assert_int_equal(next->nread, 0);
    assert_int_equal(next->nfolders, 6);
    assert_same_posts(next, ix);
    assert_int_equal(next->nproblems, 1);

    blog_index_release(next);
    blog_index_release(ix);
}


static void
assert_same_posts(blog_index_t *a, blog_index_t *b)
{
    size_t  i;

    assert_int_equal(a->nall, b->nall);
    assert_int_equal(a->nentries, b->nentries);

    for (i = 0; i < a->nall; i++) {
        assert_string_equal(a->all[i]->path.data, b->all[i]->path.data);
    }

    for (i = 0; i < a->nentries; i++) {
        assert_string_equal(a->entries[i].slug.data, b->entries[i].slug.data);
    }
}


int
main(void)
{
    const struct CMUnitTest  tests[] = {
        cmocka_unit_test_setup_teardown(test_index_newest_first, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_index_future, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_drafts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_duplicate_slugs, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_index_duplicate_said_once,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_duplicate_same_day,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_bad_post, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_index_tags, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_many_tags, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_index_reuse, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_problem_carried, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_index_symlink_outside, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_index_symlink_inside, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_index_dot_folders, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_index_missing_root, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_index_empty_root, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_index_too_large, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_index_settle_in_place, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_index_settle_new, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_index_settle_front_matter,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_settle_renamed, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_index_copy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_copy_again, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_index_copy_halves, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_index_window, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_update, setup, teardown),
        cmocka_unit_test_setup_teardown(test_index_settle_closed, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_index_folders_told, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
