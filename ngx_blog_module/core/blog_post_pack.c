
/*
 * A post in one block: the post, its tags and old URLs, and every string
 * they point to.  A post as parsed takes about ten blocks of the
 * allocator, each with its header and its rounding: packed, an index
 * keeps the same posts in a fifth less memory, and a pass over posts
 * finds a post's path and title beside it.  Posts are never changed once
 * made, so a packed post is freed as one block.
 */


#include <stdlib.h>
#include <string.h>

#include "blog.h"


static size_t blog_post_pack_size(const blog_str_t *s);
static u_char *blog_post_pack_str(u_char *p, blog_str_t *dst,
    const blog_str_t *src);


/*
 * A packed copy of post, with one reference, its copy marks cleared; the
 * strings of post need not end with a NUL, the copy's do.  NULL when out
 * of memory.
 */

blog_post_t *
blog_post_packed(const blog_post_t *post)
{
    size_t        i, size;
    u_char       *p;
    blog_post_t  *pk;

    size = sizeof(blog_post_t)
           + post->ntags * sizeof(blog_tag_t)
           + post->naliases * sizeof(blog_str_t)
           + blog_post_pack_size(&post->path)
           + blog_post_pack_size(&post->slug)
           + blog_post_pack_size(&post->redirect)
           + blog_post_pack_size(&post->title)
           + blog_post_pack_size(&post->description);

    for (i = 0; i < post->ntags; i++) {
        size += blog_post_pack_size(&post->tags[i].name)
                + blog_post_pack_size(&post->tags[i].key);
    }

    for (i = 0; i < post->naliases; i++) {
        size += blog_post_pack_size(&post->aliases[i]);
    }

    pk = malloc(size);
    if (pk == NULL) {
        return NULL;
    }

    *pk = *post;

    pk->refs = 1;
    pk->packed = 1;
    pk->frozen = 0;
    pk->copy = NULL;
    pk->copy_mark = 0;
    pk->copy_block = NULL;

    /* the arrays first, as they are aligned; the strings after them */

    p = (u_char *) (pk + 1);

    pk->tags = post->ntags ? (blog_tag_t *) p : NULL;
    p += post->ntags * sizeof(blog_tag_t);

    pk->aliases = post->naliases ? (blog_str_t *) p : NULL;
    p += post->naliases * sizeof(blog_str_t);

    p = blog_post_pack_str(p, &pk->path, &post->path);
    p = blog_post_pack_str(p, &pk->slug, &post->slug);
    p = blog_post_pack_str(p, &pk->redirect, &post->redirect);
    p = blog_post_pack_str(p, &pk->title, &post->title);
    p = blog_post_pack_str(p, &pk->description, &post->description);

    for (i = 0; i < post->ntags; i++) {
        p = blog_post_pack_str(p, &pk->tags[i].name, &post->tags[i].name);
        p = blog_post_pack_str(p, &pk->tags[i].key, &post->tags[i].key);
    }

    for (i = 0; i < post->naliases; i++) {
        p = blog_post_pack_str(p, &pk->aliases[i], &post->aliases[i]);
    }

    return pk;
}


/* a string's bytes in the block: none for one with no data */

static size_t
blog_post_pack_size(const blog_str_t *s)
{
    return (s->data != NULL) ? s->len + 1 : 0;
}


static u_char *
blog_post_pack_str(u_char *p, blog_str_t *dst, const blog_str_t *src)
{
    if (src->data == NULL) {
        dst->data = NULL;
        dst->len = 0;
        return p;
    }

    dst->data = p;
    dst->len = src->len;

    if (src->len) {
        memcpy(p, src->data, src->len);
    }

    p[src->len] = '\0';

    return p + src->len + 1;
}
