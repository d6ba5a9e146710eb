
/*
 * Two indexes of the same blog, field by field: what the pages show, and
 * the problems the scan found.  For the tests of the scans that start
 * from an index before (test_blog_index_update.c, test_blog_index_save.c).
 */


#ifndef _UNIT_INDEX_H_INCLUDED_
#define _UNIT_INDEX_H_INCLUDED_


#include "unit.h"

#include <fcntl.h>
#include <time.h>


#define unit_assert_same_str(x, y)                                            \
    do {                                                                      \
        char  unit_a_[4096], unit_b_[4096];                                   \
        assert_string_equal(unit_cstr(x, unit_a_), unit_cstr(y, unit_b_));    \
    } while (0)


/* a post written with its modification time: each write a later one */

static inline void
unit_write_at(const char *root, const char *rel, const char *text,
    time_t mtime)
{
    char             path[PATH_MAX];
    struct timespec  ts[2];

    unit_write(root, rel, text);

    snprintf(path, sizeof(path), "%s/%s", root, rel);

    ts[0].tv_sec = mtime;
    ts[0].tv_nsec = 0;
    ts[1] = ts[0];

    if (utimensat(AT_FDCWD, path, ts, 0) == -1) {
        fail_msg("utimensat %s: %s", path, strerror(errno));
    }
}


static inline const char *
unit_rel_path(blog_index_t *ix, blog_post_t *post)
{
    return (const char *) post->path.data + ix->root_len;
}


static inline void
unit_assert_same_pages(blog_index_t *a, blog_index_t *b)
{
    size_t            i, j;
    blog_tag_list_t  *ta, *tb;

    assert_int_equal(a->nall, b->nall);

    for (i = 0; i < a->nall; i++) {
        assert_string_equal(unit_rel_path(a, a->all[i]),
                            unit_rel_path(b, b->all[i]));
    }

    assert_int_equal(a->nentries, b->nentries);

    for (i = 0; i < a->nentries; i++) {
        assert_string_equal(unit_rel_path(a, a->entries[i].post),
                            unit_rel_path(b, b->entries[i].post));
        unit_assert_same_str(a->entries[i].slug, b->entries[i].slug);
        assert_int_equal(a->entries[i].own_slug, b->entries[i].own_slug);
        assert_ptr_equal(a->all[a->entries[i].at], a->entries[i].post);
        assert_int_equal(a->entries[i].at, b->entries[i].at);

        assert_int_equal(a->by_slug[i] - a->entries,
                         b->by_slug[i] - b->entries);
    }

    assert_int_equal(a->nredirects, b->nredirects);

    for (i = 0; i < a->nredirects; i++) {
        assert_string_equal(unit_rel_path(a, a->redirects[i].post),
                            unit_rel_path(b, b->redirects[i].post));
        unit_assert_same_str(a->redirects[i].slug, b->redirects[i].slug);
    }

    assert_int_equal(a->naliases, b->naliases);

    for (i = 0; i < a->naliases; i++) {
        unit_assert_same_str(a->aliases[i].from, b->aliases[i].from);
        assert_int_equal(a->aliases[i].to - a->entries,
                         b->aliases[i].to - b->entries);
    }

    assert_int_equal(a->ntags, b->ntags);

    for (i = 0; i < a->ntags; i++) {
        ta = &a->tags[i];
        tb = &b->tags[i];

        unit_assert_same_str(ta->tag.key, tb->tag.key);
        unit_assert_same_str(ta->tag.name, tb->tag.name);
        assert_int_equal(ta->nentries, tb->nentries);

        for (j = 0; j < ta->nentries; j++) {
            assert_int_equal(ta->entries[j] - a->entries,
                             tb->entries[j] - b->entries);
        }

        assert_int_equal(a->tags_by_key[i] - a->tags,
                         b->tags_by_key[i] - b->tags);
    }

    assert_int_equal(a->nfolders, b->nfolders);

    for (i = 0; i < a->nfolders; i++) {
        assert_string_equal(a->folders[i], b->folders[i]);
    }

    assert_true(a->version == b->version);
    assert_int_equal(a->next_future, b->next_future);
    assert_int_equal(a->held, b->held);
}


static inline void
unit_assert_same_problems(blog_index_t *a, blog_index_t *b)
{
    size_t  i;

    assert_int_equal(a->nproblems, b->nproblems);

    for (i = 0; i < a->nproblems; i++) {
        unit_assert_same_str(a->problems[i].file, b->problems[i].file);
        unit_assert_same_str(a->problems[i].reason, b->problems[i].reason);
        assert_int_equal(a->problems[i].line, b->problems[i].line);
        assert_int_equal(a->problems[i].warn, b->problems[i].warn);
    }
}


static inline void
unit_assert_same_index(blog_index_t *a, blog_index_t *b)
{
    unit_assert_same_pages(a, b);
    unit_assert_same_problems(a, b);
}


#endif /* _UNIT_INDEX_H_INCLUDED_ */
