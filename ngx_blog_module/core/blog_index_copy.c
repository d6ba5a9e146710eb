
/*
 * An index copied into one block of memory, for a server whose processes
 * share memory mapped at the same address in each: one process builds the
 * index, copies it into the shared block, and every process reads the
 * copy.  blog_index_size() says how big the block must be and
 * blog_index_copy() fills it; the two walk the index the same way.  The
 * copy is frozen: references neither count nor free it, and its owner
 * frees the block as a whole.
 */


#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "blog.h"


#define BLOG_ALIGN(n)  (((n) + 15) & ~(size_t) 15)

/* an index of so many posts or more has them copied in two threads */
#define BLOG_COPY_SPLIT  20000


typedef struct {
    u_char               *p;
    u_char               *end;
    const blog_index_t   *from;
    blog_index_t         *to;
} blog_block_t;

typedef struct {
    blog_block_t          b;
    size_t                first;    /* the posts it copies */
    size_t                last;
    u_char               *start;    /* where the first of them went */
    int                   rc;
} blog_block_part_t;


static size_t blog_index_post_size(const blog_post_t *post);
static size_t blog_str_size(const blog_str_t *s);
static void *blog_block_alloc(blog_block_t *b, size_t n);
static u_char *blog_block_bytes(blog_block_t *b, size_t n);
static int blog_block_str(blog_block_t *b, blog_str_t *to,
    const blog_str_t *from);
static blog_post_t *blog_block_post(blog_block_t *b, const blog_post_t *from);
static int blog_block_posts(blog_block_t *b);
static void *blog_block_part(void *data);
static int blog_block_range(blog_block_part_t *part);
static int blog_block_entries(blog_block_t *b);
static int blog_block_tags(blog_block_t *b);
static int blog_block_problems(blog_block_t *b);
static blog_post_t *blog_block_remap(blog_block_t *b,
    const blog_entry_t *e);


size_t
blog_index_size(const blog_index_t *ix)
{
    size_t  i, n, size;

    size = BLOG_ALIGN(sizeof(blog_index_t));

    size += BLOG_ALIGN((ix->nall + 1) * sizeof(blog_post_t *));

    for (i = 0; i < ix->nall; i++) {
        size += blog_index_post_size(ix->all[i]);
    }

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

    return size;
}


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
 * Copies IX into BLOCK, SIZE bytes that blog_index_size() asked for.
 * NULL if they are too few, which a changed index would explain.
 */

blog_index_t *
blog_index_copy(const blog_index_t *ix, void *block, size_t size)
{
    blog_block_t  b;

    b.p = block;
    b.end = b.p + size;
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

    return b.to;
}


static void *
blog_block_alloc(blog_block_t *b, size_t n)
{
    u_char  *p;

    p = blog_block_bytes(b, n);

    if (p != NULL) {
        memset(p, 0, BLOG_ALIGN(n));
    }

    return p;
}


/* room for n bytes that are written at once: not zeroed first */

static u_char *
blog_block_bytes(blog_block_t *b, size_t n)
{
    u_char  *p;

    n = BLOG_ALIGN(n);

    if ((size_t) (b->end - b->p) < n) {
        return NULL;
    }

    p = b->p;
    b->p += n;

    return p;
}


static int
blog_block_str(blog_block_t *b, blog_str_t *to, const blog_str_t *from)
{
    to->len = from->len;

    if (from->data == NULL) {
        to->data = NULL;
        return BLOG_OK;
    }

    /* most of the block: written once, not zeroed and then written */

    to->data = blog_block_bytes(b, from->len + 1);
    if (to->data == NULL) {
        return BLOG_ERROR;
    }

    memcpy(to->data, from->data, from->len);
    to->data[from->len] = '\0';

    return BLOG_OK;
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
     * At 100,000 posts the copy reads and writes some 80 MB, on the way
     * from a save to its page: the second half of the posts is copied by
     * a thread of its own, which first sums the sizes of the first half
     * to know where its part begins, while this one copies that half.
     */

    if (n < BLOG_COPY_SPLIT || blog_index_threads() < 2) {
        goto alone;
    }

    first.last = n / 2;

    second.b = *b;
    second.first = n / 2;
    second.last = n;

    if (pthread_create(&tid, NULL, blog_block_part, &second) != 0) {
        first.last = n;
        goto alone;
    }

    first.rc = blog_block_range(&first);

    (void) pthread_join(tid, NULL);

    /* the first half must end where the second began */

    if (first.rc != BLOG_OK || second.rc != BLOG_OK
        || first.b.p != second.start)
    {
        return BLOG_ERROR;
    }

    b->p = second.b.p;

    return BLOG_OK;

alone:

    if (blog_block_range(&first) != BLOG_OK) {
        return BLOG_ERROR;
    }

    b->p = first.b.p;

    return BLOG_OK;
}


/* a thread's half: after the sizes of the posts before it, its posts */

static void *
blog_block_part(void *data)
{
    blog_block_part_t  *part = data;

    size_t  i, skip;

    skip = 0;

    for (i = 0; i < part->first; i++) {
        skip += blog_index_post_size(part->b.from->all[i]);
    }

    if ((size_t) (part->b.end - part->b.p) < skip) {
        part->rc = BLOG_ERROR;
        return NULL;
    }

    part->b.p += skip;
    part->rc = blog_block_range(part);

    return NULL;
}


static int
blog_block_range(blog_block_part_t *part)
{
    size_t         i;
    blog_block_t  *b;

    b = &part->b;
    part->start = b->p;

    for (i = part->first; i < part->last; i++) {
        b->to->all[i] = blog_block_post(b, b->from->all[i]);

        if (b->to->all[i] == NULL) {
            return BLOG_ERROR;
        }
    }

    return BLOG_OK;
}


static blog_post_t *
blog_block_post(blog_block_t *b, const blog_post_t *from)
{
    size_t        i;
    blog_post_t  *to;

    to = (blog_post_t *) blog_block_bytes(b, sizeof(blog_post_t));
    if (to == NULL) {
        return NULL;
    }

    *to = *from;
    to->refs = 0;
    to->frozen = 1;

    /* the index's alias table has them */
    to->aliases = NULL;
    to->naliases = 0;

    to->tags = blog_block_alloc(b, (from->ntags + 1) * sizeof(blog_tag_t));

    if (to->tags == NULL
        || blog_block_str(b, &to->path, &from->path) != BLOG_OK
        || blog_block_str(b, &to->slug, &from->slug) != BLOG_OK
        || blog_block_str(b, &to->title, &from->title) != BLOG_OK
        || blog_block_str(b, &to->description, &from->description)
           != BLOG_OK
        || blog_block_str(b, &to->redirect, &from->redirect) != BLOG_OK)
    {
        return NULL;
    }

    for (i = 0; i < from->ntags; i++) {
        if (blog_block_str(b, &to->tags[i].name, &from->tags[i].name)
            != BLOG_OK
            || blog_block_str(b, &to->tags[i].key, &from->tags[i].key)
               != BLOG_OK)
        {
            return NULL;
        }
    }

    return to;
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
