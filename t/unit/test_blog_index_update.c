
/*
 * blog_index.c, kept up to date: an index updated from the one before,
 * told which folders changed, is the index built from scratch, field by
 * field (posts, order by date, slugs and their renames, redirects, old
 * URLs, tags, problems), after adds, edits that move a post in time or
 * change its tags or slug, deletes, renames, drafts and broken posts.
 */


#include "unit_index.h"

#include <time.h>


/* 2026-06-06 00:00:00 UTC */
#define UNIT_NOW  1780704000


typedef struct {
    char            root[64];
    char            real[PATH_MAX];
    blog_options_t  opts;
    time_t          mtime;      /* each write a later one: always seen */
    uint64_t        rnd;
} unit_dir_t;


static int setup(void **state);
static int teardown(void **state);
static void write_post(unit_dir_t *d, const char *rel, const char *text);
static void remove_post(unit_dir_t *d, const char *rel);
static void rename_post(unit_dir_t *d, const char *from, const char *to);
static blog_index_t *update(unit_dir_t *d, blog_index_t *prev,
    const char **folders, size_t n);
static void assert_newest_first(blog_index_t *ix);
static uint64_t rnd(unit_dir_t *d, uint64_t n);
static void random_text(unit_dir_t *d, char *text, size_t size);
static void test_update_steps(void **state);
static void test_update_random(void **state);
static void test_update_random_many(void **state);
static void update_random(unit_dir_t *d, const char **stems, size_t nstems);
static void test_update_held(void **state);
static void test_update_kept_order(void **state);


static const char  *folders[] = { "", "a", "b", "a/c" };
static const char  *names[] = {
    "alpha", "beta", "gamma", "tags", "same", "x", "2024-03-01-jekyll"
};


static int
setup(void **state)
{
    size_t       i;
    char         path[PATH_MAX];
    unit_dir_t  *d;

    d = calloc(1, sizeof(unit_dir_t));
    if (d == NULL) {
        return -1;
    }

    unit_mkdtemp(d->root, sizeof(d->root));

    for (i = 1; i < UNIT_ARRAY(folders); i++) {
        snprintf(path, sizeof(path), "%s/%s", d->root, folders[i]);

        if (mkdir(path, 0755) == -1) {
            return -1;
        }
    }

    if (realpath(d->root, d->real) == NULL) {
        return -1;
    }

    d->opts.words_per_minute = 200;
    d->opts.max_post_size = 1024 * 1024;
    d->opts.max_front_matter = 16384;
    d->opts.max_depth = 8;
    d->opts.settle_ms = 0;
    d->mtime = 1700000000;
    d->rnd = 88172645463325252ULL;

    *state = d;

    return 0;
}


static int
teardown(void **state)
{
    unit_dir_t  *d = *state;

    unit_rmrf(d->root);
    free(d);

    return 0;
}


static void
write_post(unit_dir_t *d, const char *rel, const char *text)
{
    unit_write_at(d->root, rel, text, ++d->mtime);
}


static void
remove_post(unit_dir_t *d, const char *rel)
{
    char  path[PATH_MAX];

    snprintf(path, sizeof(path), "%s/%s", d->root, rel);
    (void) unlink(path);
}


static void
rename_post(unit_dir_t *d, const char *from, const char *to)
{
    char  a[PATH_MAX], b[PATH_MAX];

    snprintf(a, sizeof(a), "%s/%s", d->root, from);
    snprintf(b, sizeof(b), "%s/%s", d->root, to);
    (void) rename(a, b);
}


/*
 * The index updated from prev, told of the folders changed, checked
 * against the one built from scratch; the updated one is returned.
 */

static blog_index_t *
update(unit_dir_t *d, blog_index_t *prev, const char **changed, size_t n)
{
    char            *paths[4];
    size_t           i;
    blog_index_t    *ix, *whole;
    blog_changes_t   ch;

    assert_true(n <= UNIT_ARRAY(paths));

    for (i = 0; i < n; i++) {
        paths[i] = malloc(PATH_MAX + 64);
        assert_non_null(paths[i]);

        snprintf(paths[i], PATH_MAX + 64, "%s%s%s", d->real,
                 changed[i][0] ? "/" : "", changed[i]);
    }

    memset(&ch, 0, sizeof(blog_changes_t));
    ch.folders = paths;
    ch.nfolders = n;

    ix = blog_index_update(d->root, &d->opts, prev, UNIT_NOW, &ch);
    assert_non_null(ix);

    /* only the folders told of were read again */
    assert_int_equal(ix->nread, n);

    whole = blog_index_build(d->root, &d->opts, NULL, UNIT_NOW);
    assert_non_null(whole);

    unit_assert_same_index(ix, whole);
    assert_newest_first(ix);

    blog_index_release(whole);
    blog_index_release(prev);

    for (i = 0; i < n; i++) {
        free(paths[i]);
    }

    return ix;
}


/* the order a reader sees, whatever way the index was built */

static void
assert_newest_first(blog_index_t *ix)
{
    size_t              i;
    const blog_post_t  *a, *b;

    for (i = 1; i < ix->nentries; i++) {
        a = ix->entries[i - 1].post;
        b = ix->entries[i].post;

        assert_true(a->date.sec >= b->date.sec);

        if (a->date.sec == b->date.sec) {
            assert_true(strcmp((char *) a->path.data,
                               (char *) b->path.data) > 0);
        }
    }
}


static uint64_t
rnd(unit_dir_t *d, uint64_t n)
{
    d->rnd ^= d->rnd << 13;
    d->rnd ^= d->rnd >> 7;
    d->rnd ^= d->rnd << 17;

    return d->rnd % n;
}


/* a post with any of what the index looks at, or a broken one */

static void
random_text(unit_dir_t *d, char *text, size_t size)
{
    static const char  *dates[] = {
        "2024-01-01", "2024-01-01", "2024-02-03 10:00", "2025-05-05",
        "2026-12-24", NULL
    };
    static const char  *tags[] = {
        "[Go]", "[go, Rust]", "\"C++, API Design\"", "[Rust, Café]", NULL
    };
    static const char  *slugs[] = { "same", "tags", "alpha", NULL, NULL };

    int          n;
    const char  *date, *tag, *slug;

    if (rnd(d, 20) == 0) {
        snprintf(text, size, "---\ntitle: [unclosed\n---\nBroken.\n");
        return;
    }

    date = dates[rnd(d, UNIT_ARRAY(dates))];
    tag = tags[rnd(d, UNIT_ARRAY(tags))];
    slug = slugs[rnd(d, UNIT_ARRAY(slugs))];

    n = snprintf(text, size, "---\ntitle: Post %u\n",
                 (unsigned) rnd(d, 1000));

    if (date != NULL) {
        n += snprintf(text + n, size - n, "date: %s\n", date);
    }

    if (tag != NULL) {
        n += snprintf(text + n, size - n, "tags: %s\n", tag);
    }

    if (slug != NULL) {
        n += snprintf(text + n, size - n, "slug: %s\n", slug);
    }

    switch (rnd(d, 8)) {
    case 0:
        n += snprintf(text + n, size - n, "draft: true\n");
        break;
    case 1:
        n += snprintf(text + n, size - n, "aliases: [/old/%u, /old/1]\n",
                      (unsigned) rnd(d, 3));
        break;
    case 2:
        n += snprintf(text + n, size - n, "redirect: /blog/moved/\n");
        break;
    case 3:
        n += snprintf(text + n, size - n, "expiryDate: 2025-01-01\n");
        break;
    default:
        break;
    }

    snprintf(text + n, size - n, "---\nSome words.\n");
}


/* the cases one by one, each in the folder it names */

static void
test_update_steps(void **state)
{
    unit_dir_t  *d = *state;

    const char    *a[] = { "a" }, *root[] = { "" }, *ab[] = { "a", "b" },
                  *ac[] = { "a/c" };
    blog_index_t  *ix;

    write_post(d, "one.md", "---\ntitle: One\ndate: 2024-01-01\n"
               "tags: [Go]\n---\nx\n");
    write_post(d, "a/two.md", "---\ntitle: Two\ndate: 2024-01-02\n"
               "tags: [go, Rust]\n---\nx\n");
    write_post(d, "b/three.md", "---\ntitle: Three\ndate: 2024-01-03\n"
               "---\nx\n");
    write_post(d, "a/c/four.md", "---\ntitle: Four\ndate: 2024-01-04\n"
               "tags: [Rust]\n---\nx\n");

    ix = blog_index_build(d->root, &d->opts, NULL, UNIT_NOW);
    assert_non_null(ix);
    assert_int_equal(ix->nentries, 4);

    /* an add, the newest */
    write_post(d, "a/five.md", "---\ntitle: Five\ndate: 2024-06-01\n"
               "tags: [Go]\n---\nx\n");
    ix = update(d, ix, a, 1);
    assert_string_equal(unit_rel_path(ix, ix->entries[0].post), "/a/five.md");

    /* an edit that moves it back in time, and changes its tags */
    write_post(d, "a/five.md", "---\ntitle: Five\ndate: 2023-01-01\n"
               "tags: [C]\n---\nx\n");
    ix = update(d, ix, a, 1);
    assert_string_equal(unit_rel_path(ix, ix->entries[4].post), "/a/five.md");

    /* an edit that takes another post's slug: the older one is renamed */
    write_post(d, "a/five.md", "---\ntitle: Five\ndate: 2023-01-01\n"
               "slug: one\n---\nx\n");
    ix = update(d, ix, a, 1);
    assert_non_null(blog_index_find(ix, (u_char *) "one-2023-01-01", 14));

    /* one of the same date and slug: numbered */
    write_post(d, "a/c/six.md", "---\ntitle: Six\ndate: 2023-01-01\n"
               "slug: one\n---\nx\n");
    ix = update(d, ix, ac, 1);

    /* a reserved slug */
    write_post(d, "tags.md", "---\ntitle: Tags\ndate: 2022-01-01\n---\nx\n");
    ix = update(d, ix, root, 1);

    /* a draft, and a post made one */
    write_post(d, "b/seven.md", "---\ntitle: Seven\ndate: 2024-01-07\n"
               "draft: true\n---\nx\n");
    write_post(d, "b/three.md", "---\ntitle: Three\ndate: 2024-01-03\n"
               "draft: true\n---\nx\n");
    ix = update(d, ix, (const char **) &ab[1], 1);

    /* a rename from one folder to another */
    rename_post(d, "a/two.md", "b/two-moved.md");
    ix = update(d, ix, ab, 2);

    /* a delete, and a broken post */
    remove_post(d, "a/c/four.md");
    write_post(d, "a/c/bad.md", "---\ntitle: [unclosed\n---\nx\n");
    ix = update(d, ix, ac, 1);
    assert_int_equal(ix->nproblems >= 1, 1);

    /* a post served with a warning keeps it when another file of its
     * folder changes, and its folder is read again */
    write_post(d, "a/2024-01-02-odd.md", "---\ntitle: Odd\n"
               "date: notadate\n---\nx\n");
    ix = update(d, ix, a, 1);
    assert_int_equal(ix->nproblems >= 2, 1);
    write_post(d, "a/eight.md", "---\ntitle: Eight\ndate: 2024-01-08\n"
               "---\nx\n");
    ix = update(d, ix, a, 1);

    blog_index_release(ix);
}


/*
 * A scan that held a file back, or a post whose file went away a moment
 * ago: the next reads that folder again, told of no change, and only it.
 */

static void
test_update_held(void **state)
{
    unit_dir_t  *d = *state;

    char            path[PATH_MAX + 8], *told[1];
    const char     *a[] = { "a" };
    blog_index_t   *ix, *next, *whole;
    blog_changes_t  ch;

    write_post(d, "a/one.md", "---\ntitle: One\ndate: 2024-01-01\n---\nx\n");
    write_post(d, "b/two.md", "---\ntitle: Two\ndate: 2024-01-02\n---\nx\n");

    d->opts.settle_ms = 300;

    ix = blog_index_build(d->root, &d->opts, NULL, UNIT_NOW);
    assert_non_null(ix);

    /* written just now: held back */

    unit_write(d->root, "a/three.md",
               "---\ntitle: Three\ndate: 2024-01-03\n---\nx\n");

    snprintf(path, sizeof(path), "%s/a", d->real);
    told[0] = path;

    memset(&ch, 0, sizeof(blog_changes_t));
    ch.folders = told;
    ch.nfolders = 1;

    next = blog_index_update(d->root, &d->opts, ix, UNIT_NOW, &ch);
    assert_non_null(next);
    assert_int_equal(next->held, 1);
    assert_int_equal(next->nentries, 2);
    blog_index_release(ix);
    ix = next;

    /* settled, with no event since: read again, "a" alone */

    usleep(400 * 1000);
    ch.nfolders = 0;

    next = blog_index_update(d->root, &d->opts, ix, UNIT_NOW, &ch);
    assert_non_null(next);
    assert_int_equal(next->held, 0);
    assert_int_equal(next->nread, 1);
    assert_int_equal(next->nentries, 3);
    blog_index_release(ix);
    ix = next;

    /* a post gone: kept a settle time, then gone without an event */

    remove_post(d, "a/one.md");
    ch.nfolders = 1;

    next = blog_index_update(d->root, &d->opts, ix, UNIT_NOW, &ch);
    assert_non_null(next);
    assert_int_equal(next->held, 1);
    assert_int_equal(next->nentries, 3);
    blog_index_release(ix);
    ix = next;

    usleep(400 * 1000);
    ch.nfolders = 0;

    next = blog_index_update(d->root, &d->opts, ix, UNIT_NOW, &ch);
    assert_non_null(next);
    assert_int_equal(next->held, 0);
    assert_int_equal(next->nread, 1);
    blog_index_release(ix);
    ix = next;

    whole = blog_index_build(d->root, &d->opts, NULL, UNIT_NOW);
    assert_non_null(whole);
    unit_assert_same_index(ix, whole);
    assert_newest_first(ix);
    blog_index_release(whole);

    /* and on, as any scan */

    d->opts.settle_ms = 0;
    write_post(d, "a/four.md", "---\ntitle: Four\ndate: 2024-01-04\n---\nx\n");
    ix = update(d, ix, a, 1);

    blog_index_release(ix);
}


/* many changes at random, each compared with a scan from scratch */

static void
test_update_random(void **state)
{
    update_random(*state, names, UNIT_ARRAY(names));
}


/*
 * As many posts as make the sorts keep runs (32 and more), which they
 * do not compare again: the dates, slugs and renames of kept posts.
 * Some names sort between a slug and its renames, or are one.
 */

static void
test_update_random_many(void **state)
{
    static const char  *between[] = {
        "alpha-1", "same-2", "same-2024-01-01", "tags-2024-01-01-2"
    };
    static char         more[70][8];
    static const char  *many[UNIT_ARRAY(more) + UNIT_ARRAY(names)
                             + UNIT_ARRAY(between)];

    size_t  i, n;

    for (i = 0; i < UNIT_ARRAY(more); i++) {
        snprintf(more[i], sizeof(more[i]), "p%02u", (unsigned) i);
        many[i] = more[i];
    }

    n = UNIT_ARRAY(more);

    for (i = 0; i < UNIT_ARRAY(names); i++) {
        many[n++] = names[i];
    }

    for (i = 0; i < UNIT_ARRAY(between); i++) {
        many[n++] = between[i];
    }

    update_random(*state, many, n);
}


static void
update_random(unit_dir_t *d, const char **stems, size_t nstems)
{
    char           text[512], rel[128], to[128];
    size_t         round, f, g, k, n;
    const char    *changed[2];
    blog_index_t  *ix;

    for (f = 0; f < UNIT_ARRAY(folders); f++) {
        for (k = 0; k < nstems; k++) {
            if (rnd(d, 2) == 0) {
                continue;
            }

            snprintf(rel, sizeof(rel), "%s%s%s.md", folders[f],
                     folders[f][0] ? "/" : "", stems[k]);
            random_text(d, text, sizeof(text));
            write_post(d, rel, text);
        }
    }

    ix = blog_index_build(d->root, &d->opts, NULL, UNIT_NOW);
    assert_non_null(ix);

    for (round = 0; round < 300; round++) {
        f = rnd(d, UNIT_ARRAY(folders));
        k = rnd(d, nstems);

        snprintf(rel, sizeof(rel), "%s%s%s.md", folders[f],
                 folders[f][0] ? "/" : "", stems[k]);

        changed[0] = folders[f];
        n = 1;

        switch (rnd(d, 4)) {

        case 0:
            remove_post(d, rel);
            break;

        case 1:
            g = rnd(d, UNIT_ARRAY(folders));
            snprintf(to, sizeof(to), "%s%s%s.md", folders[g],
                     folders[g][0] ? "/" : "",
                     stems[rnd(d, nstems)]);
            rename_post(d, rel, to);

            if (g != f) {
                changed[n++] = folders[g];
            }

            break;

        default:
            random_text(d, text, sizeof(text));
            write_post(d, rel, text);
            break;
        }

        ix = update(d, ix, changed, n);
    }

    blog_index_release(ix);
}


/*
 * Folders kept as they were, with more posts than a sort takes as a run
 * and a subfolder whose name sorts among their files: after an edit in
 * another folder, the posts are in the order of their paths, as a whole
 * scan has them.
 */

static void
test_update_kept_order(void **state)
{
    unit_dir_t  *d = *state;

    char           rel[64], text[128];
    size_t         i;
    const char    *o[] = { "o" };
    blog_index_t  *ix;

    for (i = 0; i < 40; i++) {
        snprintf(text, sizeof(text), "---\ntitle: Post %zu\n"
                 "date: 2024-01-%02zu\n---\nx\n", i, i % 28 + 1);

        snprintf(rel, sizeof(rel), "m/a%02zu.md", i);
        write_post(d, rel, text);
        snprintf(rel, sizeof(rel), "m/z%02zu.md", i);
        write_post(d, rel, text);
        snprintf(rel, sizeof(rel), "m/n/b%02zu.md", i);
        write_post(d, rel, text);
    }

    write_post(d, "o/one.md", "---\ntitle: One\ndate: 2025-01-01\n---\nx\n");

    ix = blog_index_build(d->root, &d->opts, NULL, UNIT_NOW);
    assert_non_null(ix);

    write_post(d, "o/one.md", "---\ntitle: One, Edited\ndate: 2025-01-01\n"
               "---\nx\n");

    ix = update(d, ix, o, 1);

    blog_index_release(ix);
}


int
main(void)
{
    const struct CMUnitTest  tests[] = {
        cmocka_unit_test_setup_teardown(test_update_steps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_update_random, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_update_random_many, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_update_held, setup, teardown),
        cmocka_unit_test_setup_teardown(test_update_kept_order, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
