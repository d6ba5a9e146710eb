
/*
 * An index copied into memory shared by processes that map it at the same
 * address: one process builds the index, copies it, and every process
 * reads the copy.  The lists of the index (of posts, tags, problems) take
 * one block, which blog_index_size() says how big to make; the posts take
 * blocks the owner gives as the copy asks for them (c->more), so that no
 * copy needs all its posts' bytes in one piece.
 *
 * A post remembers its last copy, that copy's mark and block.  The next
 * copy of an index that still has the post takes that copy as it is when
 * its owner says posts copied from a mark on are still there ("since"):
 * after a save, only the saved post is copied, with the lists.  The owner
 * is told which blocks the posts taken are in.  A post remembers a copy
 * only once the whole index is copied: one that fails leaves the posts
 * as they were.  A copy is frozen: references neither count nor free it,
 * and its owner frees the blocks as wholes.
 */


#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "blog.h"


#define BLOG_ALIGN(n)  (((n) + 15) & ~(size_t) 15)

/* an index of so many posts or more has them copied in two threads */
#define BLOG_COPY_SPLIT  20000


typedef struct {
    u_char               *p;        /* the rest */
    u_char               *end;
    u_char               *posts;    /* the posts: in the block asked last */
    u_char               *posts_end;
    void                 *block;
    const blog_copy_t    *c;
    const blog_index_t   *from;
    blog_index_t         *to;
} blog_block_t;

typedef struct {
    blog_block_t          b;
    size_t                first;    /* the posts it copies */
    size_t                last;
    int                   rc;
} blog_block_part_t;


static int blog_index_taken(const blog_copy_t *c, const blog_post_t *post);
static size_t blog_index_post_size(const blog_post_t *post);
static size_t blog_str_size(const blog_str_t *s);
static void *blog_block_alloc(blog_block_t *b, size_t n);
static u_char *blog_block_bytes(u_char **p, u_char *end, size_t n);
static int blog_block_str_at(u_char **p, u_char *end, blog_str_t *to,
    const blog_str_t *from);
static int blog_block_str(blog_block_t *b, blog_str_t *to,
    const blog_str_t *from);
static int blog_block_post_str(blog_block_t *b, blog_str_t *to,
    const blog_str_t *from);
static blog_post_t *blog_block_post(blog_block_t *b, const blog_post_t *from);
static int blog_block_posts(blog_block_t *b);
static void *blog_block_part(void *data);
static int blog_block_range(blog_block_part_t *part);
static void blog_block_commit(blog_block_t *b);
static int blog_block_entries(blog_block_t *b);
static int blog_block_tags(blog_block_t *b);
static int blog_block_problems(blog_block_t *b);
static blog_post_t *blog_block_remap(blog_block_t *b,
    const blog_entry_t *e);


/* the bytes of a copy since c->since: of its posts, and of the rest */

void
blog_index_size(const blog_index_t *ix, blog_copy_t *c)
{
    void         *last;
    size_t        i, n, size;
    blog_post_t  *post;

    c->posts = 0;
    c->taken = 0;

    last = NULL;

    for (i = 0; i < ix->nall; i++) {
        post = ix->all[i];

        if (i + BLOG_POST_AHEAD < ix->nall) {
            blog_post_ahead(ix->all[i + BLOG_POST_AHEAD]);
        }

        if (!blog_index_taken(c, post)) {
            c->posts += blog_index_post_size(post);
            continue;
        }

        c->taken += post->copy_size;

        /* the posts of one block are most often side by side */

        if (post->copy_block != last && c->reads != NULL) {
            last = post->copy_block;
            c->reads(c->data, last);
        }
    }

    size = BLOG_ALIGN(sizeof(blog_index_t));

    size += BLOG_ALIGN((ix->nall + 1) * sizeof(blog_post_t *));

    size += BLOG_ALIGN((ix->nentries + 1) * sizeof(blog_entry_t));
    size += BLOG_ALIGN((ix->nentries + 1) * sizeof(blog_entry_t *));

    for (i = 0; i < ix->nentries; i++) {
        if (ix->entries[i].own_slug) {
            size += blog_str_size(&ix->entries[i].slug);
        }
    }

    size += BLOG_ALIGN((ix->nredirects + 1) * sizeof(blog_entry_t));
    size += BLOG_ALIGN((ix->naliases + 1) * sizeof(blog_alias_t));

    for (i = 0; i < ix->naliases; i++) {
        size += blog_str_size(&ix->aliases[i].from);
    }

    n = 0;

    for (i = 0; i < ix->ntags; i++) {
        n += ix->tags[i].nentries;
        size += blog_str_size(&ix->tags[i].tag.name);
        size += blog_str_size(&ix->tags[i].tag.key);
    }

    size += BLOG_ALIGN((ix->ntags + 1) * sizeof(blog_tag_list_t));
    size += BLOG_ALIGN((ix->ntags + 1) * sizeof(blog_tag_list_t *));
    size += BLOG_ALIGN((n + 1) * sizeof(blog_entry_t *));

    size += BLOG_ALIGN((ix->nproblems + 1) * sizeof(blog_problem_t));

    for (i = 0; i < ix->nproblems; i++) {
        size += blog_str_size(&ix->problems[i].file);
        size += blog_str_size(&ix->problems[i].reason);
    }

    c->index = size;
}


/* its last copy is still there: this one takes it */

static int
blog_index_taken(const blog_copy_t *c, const blog_post_t *post)
{
    return c->since != 0 && post->copy != NULL
           && post->copy_mark >= c->since;
}


/* a post's bytes in a copy */

static size_t
blog_index_post_size(const blog_post_t *post)
{
    size_t  i, size;

    size = BLOG_ALIGN(sizeof(blog_post_t))
           + blog_str_size(&post->path)
           + blog_str_size(&post->slug)
           + blog_str_size(&post->title)
           + blog_str_size(&post->description)
           + blog_str_size(&post->redirect)
           + BLOG_ALIGN((post->ntags + 1) * sizeof(blog_tag_t));

    for (i = 0; i < post->ntags; i++) {
        size += blog_str_size(&post->tags[i].name);
        size += blog_str_size(&post->tags[i].key);
    }

    return size;
}


static size_t
blog_str_size(const blog_str_t *s)
{
    return s->data ? BLOG_ALIGN(s->len + 1) : 0;
}


/*
 * Copies IX into INDEX, of the size blog_index_size() set in C, and its
 * posts into blocks that c->more gives.  NULL if INDEX is too small,
 * which a changed index would explain, or there is no block for a post.
 */

blog_index_t *
blog_index_copy(const blog_index_t *ix, const blog_copy_t *c, void *index)
{
    blog_block_t  b;

    b.p = index;
    b.end = b.p + c->index;
    b.posts = NULL;
    b.posts_end = NULL;
    b.block = NULL;
    b.c = c;
    b.from = ix;

    b.to = blog_block_alloc(&b, sizeof(blog_index_t));
    if (b.to == NULL) {
        return NULL;
    }

    *b.to = *ix;

    /* what the next scan needs only: that one reads the index it built */
    b.to->folders = NULL;
    b.to->reread = NULL;
    b.to->nreread = 0;
    b.to->refs = 0;
    b.to->frozen = 1;

    if (blog_block_posts(&b) != BLOG_OK
        || blog_block_entries(&b) != BLOG_OK
        || blog_block_tags(&b) != BLOG_OK
        || blog_block_problems(&b) != BLOG_OK)
    {
        return NULL;
    }

    blog_block_commit(&b);

    return b.to;
}


/* room for n bytes of the rest, zeroed */

static void *
blog_block_alloc(blog_block_t *b, size_t n)
{
    u_char  *p;

    p = blog_block_bytes(&b->p, b->end, n);

    if (p != NULL) {
        memset(p, 0, BLOG_ALIGN(n));
    }

    return p;
}


/* room for n bytes that are written at once: not zeroed first */

static u_char *
blog_block_bytes(u_char **p, u_char *end, size_t n)
{
    u_char  *at;

    n = BLOG_ALIGN(n);

    if (*p == NULL || (size_t) (end - *p) < n) {
        return NULL;
    }

    at = *p;
    *p += n;

    return at;
}


/* a string, at *p: most of a copy's bytes are written so, once */

static int
blog_block_str_at(u_char **p, u_char *end, blog_str_t *to,
    const blog_str_t *from)
{
    to->len = from->len;

    if (from->data == NULL) {
        to->data = NULL;
        return BLOG_OK;
    }

    to->data = blog_block_bytes(p, end, from->len + 1);
    if (to->data == NULL) {
        return BLOG_ERROR;
    }

    memcpy(to->data, from->data, from->len);
    to->data[from->len] = '\0';

    return BLOG_OK;
}


/* a string of the lists, or of a post, in the post's block */

static int
blog_block_str(blog_block_t *b, blog_str_t *to, const blog_str_t *from)
{
    return blog_block_str_at(&b->p, b->end, to, from);
}


static int
blog_block_post_str(blog_block_t *b, blog_str_t *to, const blog_str_t *from)
{
    return blog_block_str_at(&b->posts, b->posts_end, to, from);
}


/* every post, in the order of "all": by path */

static int
blog_block_posts(blog_block_t *b)
{
    size_t             n;
    pthread_t          tid;
    blog_block_part_t  first, second;

    n = b->from->nall;

    b->to->all = blog_block_alloc(b, (n + 1) * sizeof(blog_post_t *));
    if (b->to->all == NULL) {
        return BLOG_ERROR;
    }

    first.b = *b;
    first.first = 0;
    first.last = n;

    /*
     * At 100,000 posts a first copy reads and writes some 80 MB: the
     * second half of the posts is copied by a thread of its own, into
     * blocks of its own, while this one copies the first.
     */

    if (n < BLOG_COPY_SPLIT || blog_index_threads() < 2) {
        return blog_block_range(&first);
    }

    first.last = n / 2;

    second.b = *b;
    second.first = n / 2;
    second.last = n;

    if (pthread_create(&tid, NULL, blog_block_part, &second) != 0) {
        first.last = n;
        return blog_block_range(&first);
    }

    first.rc = blog_block_range(&first);

    (void) pthread_join(tid, NULL);

    return (first.rc == BLOG_OK && second.rc == BLOG_OK) ? BLOG_OK
                                                         : BLOG_ERROR;
}


static void *
blog_block_part(void *data)
{
    blog_block_part_t  *part = data;

    part->rc = blog_block_range(part);

    return NULL;
}


static int
blog_block_range(blog_block_part_t *part)
{
    size_t         i;
    blog_block_t  *b;

    b = &part->b;

    for (i = part->first; i < part->last; i++) {
        if (i + BLOG_POST_AHEAD < part->last) {
            blog_post_ahead(b->from->all[i + BLOG_POST_AHEAD]);
        }

        b->to->all[i] = blog_block_post(b, b->from->all[i]);

        if (b->to->all[i] == NULL) {
            return BLOG_ERROR;
        }
    }

    return BLOG_OK;
}


/*
 * Its last copy, if it is still there; else a new one, which notes its
 * block and size in fields a copy does not use, for blog_block_commit().
 */

static blog_post_t *
blog_block_post(blog_block_t *b, const blog_post_t *from)
{
    size_t        i, size, got;
    blog_post_t  *to;

    if (blog_index_taken(b->c, from)) {
        return from->copy;
    }

    size = blog_index_post_size(from);

    if (b->posts == NULL || (size_t) (b->posts_end - b->posts) < size) {
        b->posts = b->c->more(b->c->data, size, &got, &b->block);
        if (b->posts == NULL) {
            return NULL;
        }

        b->posts_end = b->posts + got;
    }

    to = (blog_post_t *) blog_block_bytes(&b->posts, b->posts_end,
                                          sizeof(blog_post_t));
    if (to == NULL) {
        return NULL;
    }

    *to = *from;
    to->refs = 0;
    to->frozen = 1;
    to->copy = NULL;
    to->copy_mark = 0;
    to->copy_block = b->block;
    to->copy_size = (uint32_t) size;

    /* the index's alias table has them */
    to->aliases = NULL;
    to->naliases = 0;

    to->tags = (blog_tag_t *) blog_block_bytes(&b->posts, b->posts_end,
                                               (from->ntags + 1)
                                               * sizeof(blog_tag_t));
    if (to->tags == NULL) {
        return NULL;
    }

    memset(to->tags, 0, (from->ntags + 1) * sizeof(blog_tag_t));

    if (blog_block_post_str(b, &to->path, &from->path) != BLOG_OK
        || blog_block_post_str(b, &to->slug, &from->slug) != BLOG_OK
        || blog_block_post_str(b, &to->title, &from->title) != BLOG_OK
        || blog_block_post_str(b, &to->description, &from->description)
           != BLOG_OK
        || blog_block_post_str(b, &to->redirect, &from->redirect)
           != BLOG_OK)
    {
        return NULL;
    }

    for (i = 0; i < from->ntags; i++) {
        if (blog_block_post_str(b, &to->tags[i].name, &from->tags[i].name)
            != BLOG_OK
            || blog_block_post_str(b, &to->tags[i].key, &from->tags[i].key)
               != BLOG_OK)
        {
            return NULL;
        }
    }

    return to;
}


/* the whole index is copied: each post copied anew remembers its copy */

static void
blog_block_commit(blog_block_t *b)
{
    size_t        i;
    blog_post_t  *from, *to;

    for (i = 0; i < b->from->nall; i++) {
        from = b->from->all[i];
        to = b->to->all[i];

        if (i + BLOG_POST_AHEAD < b->from->nall) {
            blog_post_ahead(b->from->all[i + BLOG_POST_AHEAD]);
        }

        if (from->copy == to) {
            continue;
        }

        from->copy = to;
        from->copy_mark = b->c->mark;
        from->copy_block = to->copy_block;
        from->copy_size = to->copy_size;
    }
}


/* the copy of an entry's post: the entry knows its place in "all" */

static blog_post_t *
blog_block_remap(blog_block_t *b, const blog_entry_t *e)
{
    if (e->at >= b->from->nall || b->from->all[e->at] != e->post) {
        return NULL;
    }

    return b->to->all[e->at];
}


static int
blog_block_entries(blog_block_t *b)
{
    size_t               i;
    blog_entry_t        *to;
    const blog_entry_t  *from;

    b->to->entries = blog_block_alloc(b, (b->from->nentries + 1)
                                         * sizeof(blog_entry_t));
    b->to->by_slug = blog_block_alloc(b, (b->from->nentries + 1)
                                         * sizeof(blog_entry_t *));
    b->to->redirects = blog_block_alloc(b, (b->from->nredirects + 1)
                                           * sizeof(blog_entry_t));

    if (b->to->entries == NULL || b->to->by_slug == NULL
        || b->to->redirects == NULL)
    {
        return BLOG_ERROR;
    }

    for (i = 0; i < b->from->nentries; i++) {
        from = &b->from->entries[i];
        to = &b->to->entries[i];

        *to = *from;

        to->post = blog_block_remap(b, from);
        if (to->post == NULL) {
            return BLOG_ERROR;
        }

        if (!from->own_slug) {
            to->slug = to->post->slug;

        } else if (blog_block_str(b, &to->slug, &from->slug) != BLOG_OK) {
            return BLOG_ERROR;
        }

        b->to->by_slug[i] = b->to->entries
                            + (b->from->by_slug[i] - b->from->entries);
    }

    for (i = 0; i < b->from->nredirects; i++) {
        from = &b->from->redirects[i];
        to = &b->to->redirects[i];

        *to = *from;

        to->post = blog_block_remap(b, from);
        if (to->post == NULL) {
            return BLOG_ERROR;
        }

        to->slug = to->post->slug;
    }

    b->to->aliases = blog_block_alloc(b, (b->from->naliases + 1)
                                         * sizeof(blog_alias_t));
    if (b->to->aliases == NULL) {
        return BLOG_ERROR;
    }

    for (i = 0; i < b->from->naliases; i++) {
        b->to->aliases[i].to = b->to->entries
                               + (b->from->aliases[i].to - b->from->entries);

        if (blog_block_str(b, &b->to->aliases[i].from,
                           &b->from->aliases[i].from)
            != BLOG_OK)
        {
            return BLOG_ERROR;
        }
    }

    return BLOG_OK;
}


static int
blog_block_tags(blog_block_t *b)
{
    size_t                  i, j, n;
    blog_entry_t          **entries;
    blog_tag_list_t        *to;
    const blog_tag_list_t  *from;

    n = 0;

    for (i = 0; i < b->from->ntags; i++) {
        n += b->from->tags[i].nentries;
    }

    b->to->tags = blog_block_alloc(b, (b->from->ntags + 1)
                                      * sizeof(blog_tag_list_t));
    b->to->tags_by_key = blog_block_alloc(b, (b->from->ntags + 1)
                                             * sizeof(blog_tag_list_t *));
    entries = blog_block_alloc(b, (n + 1) * sizeof(blog_entry_t *));

    if (b->to->tags == NULL || b->to->tags_by_key == NULL || entries == NULL)
    {
        return BLOG_ERROR;
    }

    b->to->tag_entries = entries;

    for (i = 0; i < b->from->ntags; i++) {
        from = &b->from->tags[i];
        to = &b->to->tags[i];

        if (blog_block_str(b, &to->tag.name, &from->tag.name) != BLOG_OK
            || blog_block_str(b, &to->tag.key, &from->tag.key) != BLOG_OK)
        {
            return BLOG_ERROR;
        }

        to->entries = entries;
        to->nentries = from->nentries;

        for (j = 0; j < from->nentries; j++) {
            entries[j] = b->to->entries
                         + (from->entries[j] - b->from->entries);
        }

        entries += from->nentries;

        b->to->tags_by_key[i] = b->to->tags
                                + (b->from->tags_by_key[i] - b->from->tags);
    }

    return BLOG_OK;
}


static int
blog_block_problems(blog_block_t *b)
{
    size_t  i;

    b->to->problems = blog_block_alloc(b, (b->from->nproblems + 1)
                                          * sizeof(blog_problem_t));
    if (b->to->problems == NULL) {
        return BLOG_ERROR;
    }

    for (i = 0; i < b->from->nproblems; i++) {
        b->to->problems[i] = b->from->problems[i];

        if (blog_block_str(b, &b->to->problems[i].file,
                           &b->from->problems[i].file) != BLOG_OK
            || blog_block_str(b, &b->to->problems[i].reason,
                              &b->from->problems[i].reason) != BLOG_OK)
        {
            return BLOG_ERROR;
        }
    }

    return BLOG_OK;
}
