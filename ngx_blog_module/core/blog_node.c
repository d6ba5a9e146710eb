
/*
 * A post's header as a tree: what the YAML, TOML and JSON readers give,
 * whatever the format, and what the post's fields and a template's
 * post.params are read from.  Freed without recursion, so a deep tree
 * costs no stack.
 */


#include <stdlib.h>
#include <string.h>

#include "blog.h"


blog_node_t *
blog_node_new(blog_node_type_e type, unsigned line)
{
    blog_node_t  *node;

    /* not calloc(), which glibc serves past its per-thread cache */

    node = malloc(sizeof(blog_node_t));
    if (node == NULL) {
        return NULL;
    }

    memset(node, 0, sizeof(blog_node_t));

    node->type = type;
    node->line = line;

    return node;
}


int
blog_node_set_key(blog_node_t *node, const u_char *p, size_t n)
{
    free(node->key.data);

    return blog_str_dup(&node->key, p, n);
}


int
blog_node_set_text(blog_node_t *node, const u_char *p, size_t n)
{
    free(node->text.data);

    return blog_str_dup(&node->text, p, n);
}


void
blog_node_append(blog_node_t *parent, blog_node_t *member)
{
    member->next = NULL;

    if (parent->last != NULL) {
        parent->last->next = member;

    } else {
        parent->child = member;
    }

    parent->last = member;
    parent->n++;
}


/* the first member of a map under key */

blog_node_t *
blog_node_get(const blog_node_t *map, const char *key)
{
    size_t        n;
    blog_node_t  *m;

    if (map == NULL || map->type != BLOG_NODE_MAP) {
        return NULL;
    }

    n = strlen(key);

    for (m = map->child; m != NULL; m = m->next) {
        if (m->key.len == n && memcmp(m->key.data, key, n) == 0) {
            return m;
        }
    }

    return NULL;
}


/* a node and all below it: members are spliced into the list to free */

void
blog_node_free(blog_node_t *node)
{
    blog_node_t  *list, *n;

    if (node == NULL) {
        return;
    }

    node->next = NULL;
    list = node;

    while (list != NULL) {
        n = list;
        list = n->next;

        if (n->child != NULL) {
            n->last->next = list;
            list = n->child;
        }

        free(n->key.data);
        free(n->text.data);
        free(n);
    }
}


/*
 * Two trees alike in every node: type, line, key, text and members, in
 * order.  The readers cap the depth, and so the recursion.
 */

int
blog_node_equal(const blog_node_t *a, const blog_node_t *b)
{
    for ( /* void */ ; a != NULL && b != NULL; a = a->next, b = b->next) {
        if (a->type != b->type || a->line != b->line || a->n != b->n
            || !blog_str_eq(&a->key, &b->key)
            || !blog_str_eq(&a->text, &b->text)
            || (a->text.data == NULL) != (b->text.data == NULL)
            || !blog_node_equal(a->child, b->child))
        {
            return 0;
        }
    }

    return a == NULL && b == NULL;
}


/*
 * The tree as a template's values, copied into the arena: maps and lists
 * as such, booleans and nulls as such, everything else as its text.  The
 * depth is the header's, which its reader capped.
 */

blog_value_t *
blog_node_value(blog_arena_t *a, const blog_node_t *node)
{
    u_char        *p;
    blog_node_t   *m;
    blog_value_t  *v, *item;

    switch (node->type) {

    case BLOG_NODE_MAP:
    case BLOG_NODE_LIST:
        v = (node->type == BLOG_NODE_MAP) ? blog_value_map(a)
                                          : blog_value_list(a);
        if (v == NULL) {
            return NULL;
        }

        for (m = node->child; m != NULL; m = m->next) {
            item = blog_node_value(a, m);
            if (item == NULL) {
                return NULL;
            }

            if (node->type == BLOG_NODE_MAP) {
                if (blog_value_set_n(a, v, m->key.data, m->key.len, item)
                    != BLOG_OK)
                {
                    return NULL;
                }

            } else if (blog_value_push(a, v, item) != BLOG_OK) {
                return NULL;
            }
        }

        return v;

    case BLOG_NODE_NULL:
        return blog_value_null(a);

    case BLOG_NODE_BOOL:
        return blog_value_bool(a, node->text.len == 4);

    default:
        p = blog_arena_strdup(a, node->text.data, node->text.len);
        if (p == NULL) {
            return NULL;
        }

        return blog_value_string(a, p, node->text.len);
    }
}
