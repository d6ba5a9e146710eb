
/*
 * The values a template renders: null, booleans, numbers, strings, lists
 * and maps, allocated from an arena of malloc'd chunks and freed with it in
 * one call.  String values are not copied (the caller keeps them alive, or
 * copies them with blog_arena_strdup); map keys are copied.  A map may hold
 * a key twice: blog_value_get returns the value set first.
 */


#include <stdlib.h>
#include <string.h>

#include "blog.h"


#define BLOG_ARENA_ALIGN    8
#define BLOG_ARENA_CHUNK    8192
#define BLOG_ARENA_LARGE    (BLOG_ARENA_CHUNK / 4)
#define BLOG_VALUE_INIT     8

#define BLOG_ARENA_HEADER   blog_arena_align(sizeof(blog_arena_chunk_t))

#define blog_arena_align(n)                                                   \
    (((n) + (BLOG_ARENA_ALIGN - 1)) & ~((size_t) BLOG_ARENA_ALIGN - 1))


typedef struct blog_arena_chunk_s  blog_arena_chunk_t;

struct blog_arena_chunk_s {
    blog_arena_chunk_t  *next;
    size_t               size;
    size_t               used;
};

struct blog_arena_s {
    blog_arena_chunk_t  *current;   /* small allocations come from here */
    blog_arena_chunk_t  *chunks;    /* every chunk, the current one too */
};


static blog_arena_chunk_t *blog_arena_chunk(blog_arena_t *a, size_t size);
static blog_value_t *blog_value_new(blog_arena_t *a, blog_value_type_e type);
static void *blog_value_grow(blog_arena_t *a, void *old, size_t n,
    size_t size, size_t item);


blog_arena_t *
blog_arena_create(void)
{
    blog_arena_t  *a;

    a = malloc(sizeof(blog_arena_t));
    if (a == NULL) {
        return NULL;
    }

    a->current = NULL;
    a->chunks = NULL;

    return a;
}


static blog_arena_chunk_t *
blog_arena_chunk(blog_arena_t *a, size_t size)
{
    blog_arena_chunk_t  *c;

    c = malloc(BLOG_ARENA_HEADER + size);
    if (c == NULL) {
        return NULL;
    }

    c->size = size;
    c->used = 0;
    c->next = a->chunks;
    a->chunks = c;

    return c;
}


/*
 * Small allocations are carved from the current chunk; a large one gets a
 * chunk of its own, so it neither wastes nor retires the current one.
 */

void *
blog_arena_alloc(blog_arena_t *a, size_t n)
{
    u_char              *p;
    blog_arena_chunk_t  *c;

    if (n > SIZE_MAX / 2) {
        return NULL;
    }

    n = n ? blog_arena_align(n) : BLOG_ARENA_ALIGN;

    if (n > BLOG_ARENA_LARGE) {
        c = blog_arena_chunk(a, n);
        if (c == NULL) {
            return NULL;
        }

        c->used = n;

        return (u_char *) c + BLOG_ARENA_HEADER;
    }

    c = a->current;

    if (c == NULL || c->size - c->used < n) {
        c = blog_arena_chunk(a, BLOG_ARENA_CHUNK);
        if (c == NULL) {
            return NULL;
        }

        a->current = c;
    }

    p = (u_char *) c + BLOG_ARENA_HEADER + c->used;
    c->used += n;

    return p;
}


u_char *
blog_arena_strdup(blog_arena_t *a, const u_char *p, size_t n)
{
    u_char  *s;

    if (n == SIZE_MAX) {
        return NULL;
    }

    s = blog_arena_alloc(a, n + 1);
    if (s == NULL) {
        return NULL;
    }

    if (n) {
        memcpy(s, p, n);
    }

    s[n] = '\0';

    return s;
}


void
blog_arena_destroy(blog_arena_t *a)
{
    blog_arena_chunk_t  *c, *next;

    if (a == NULL) {
        return;
    }

    for (c = a->chunks; c != NULL; c = next) {
        next = c->next;
        free(c);
    }

    free(a);
}


static blog_value_t *
blog_value_new(blog_arena_t *a, blog_value_type_e type)
{
    blog_value_t  *v;

    v = blog_arena_alloc(a, sizeof(blog_value_t));
    if (v == NULL) {
        return NULL;
    }

    memset(v, 0, sizeof(blog_value_t));
    v->type = type;

    return v;
}


blog_value_t *
blog_value_null(blog_arena_t *a)
{
    return blog_value_new(a, BLOG_VALUE_NULL);
}


blog_value_t *
blog_value_bool(blog_arena_t *a, int b)
{
    blog_value_t  *v;

    v = blog_value_new(a, BLOG_VALUE_BOOL);
    if (v == NULL) {
        return NULL;
    }

    v->u.boolean = b ? 1 : 0;

    return v;
}


blog_value_t *
blog_value_number(blog_arena_t *a, double n)
{
    blog_value_t  *v;

    v = blog_value_new(a, BLOG_VALUE_NUMBER);
    if (v == NULL) {
        return NULL;
    }

    v->u.number = n;

    return v;
}


blog_value_t *
blog_value_string(blog_arena_t *a, const u_char *p, size_t n)
{
    blog_value_t  *v;

    v = blog_value_new(a, BLOG_VALUE_STRING);
    if (v == NULL) {
        return NULL;
    }

    v->u.string.len = n;
    v->u.string.data = (u_char *) p;

    return v;
}


blog_value_t *
blog_value_list(blog_arena_t *a)
{
    return blog_value_new(a, BLOG_VALUE_LIST);
}


blog_value_t *
blog_value_map(blog_arena_t *a)
{
    return blog_value_new(a, BLOG_VALUE_MAP);
}


/* the old array stays in the arena: growth by doubling wastes at most half */

static void *
blog_value_grow(blog_arena_t *a, void *old, size_t n, size_t size,
    size_t item)
{
    void  *p;

    if (size > SIZE_MAX / 2 / item) {
        return NULL;
    }

    p = blog_arena_alloc(a, size * item);
    if (p == NULL) {
        return NULL;
    }

    if (n) {
        memcpy(p, old, n * item);
    }

    return p;
}


int
blog_value_push(blog_arena_t *a, blog_value_t *list, blog_value_t *v)
{
    size_t          size;
    blog_value_t  **items;

    if (list == NULL || v == NULL || list->type != BLOG_VALUE_LIST) {
        return BLOG_ERROR;
    }

    if (list->u.list.n == list->u.list.size) {
        size = list->u.list.size ? list->u.list.size * 2 : BLOG_VALUE_INIT;

        items = blog_value_grow(a, list->u.list.items, list->u.list.n, size,
                                sizeof(blog_value_t *));
        if (items == NULL) {
            return BLOG_ERROR;
        }

        list->u.list.items = items;
        list->u.list.size = size;
    }

    list->u.list.items[list->u.list.n++] = v;

    return BLOG_OK;
}


int
blog_value_set(blog_arena_t *a, blog_value_t *map, const char *key,
    blog_value_t *v)
{
    return blog_value_set_n(a, map, (const u_char *) key, strlen(key), v);
}


/* appends: a key set twice is kept twice, and the first one is found */

int
blog_value_set_n(blog_arena_t *a, blog_value_t *map, const u_char *key,
    size_t n, blog_value_t *v)
{
    size_t          size;
    u_char         *k;
    blog_str_t     *keys;
    blog_value_t  **values;

    if (map == NULL || v == NULL || map->type != BLOG_VALUE_MAP) {
        return BLOG_ERROR;
    }

    if (map->u.map.n == map->u.map.size) {
        size = map->u.map.size ? map->u.map.size * 2 : BLOG_VALUE_INIT;

        keys = blog_value_grow(a, map->u.map.keys, map->u.map.n, size,
                               sizeof(blog_str_t));
        if (keys == NULL) {
            return BLOG_ERROR;
        }

        values = blog_value_grow(a, map->u.map.values, map->u.map.n, size,
                                 sizeof(blog_value_t *));
        if (values == NULL) {
            return BLOG_ERROR;
        }

        map->u.map.keys = keys;
        map->u.map.values = values;
        map->u.map.size = size;
    }

    k = blog_arena_strdup(a, key, n);
    if (k == NULL) {
        return BLOG_ERROR;
    }

    map->u.map.keys[map->u.map.n].len = n;
    map->u.map.keys[map->u.map.n].data = k;
    map->u.map.values[map->u.map.n] = v;
    map->u.map.n++;

    return BLOG_OK;
}


blog_value_t *
blog_value_get(blog_value_t *map, const u_char *key, size_t n)
{
    size_t       i;
    blog_str_t  *k;

    if (map == NULL || map->type != BLOG_VALUE_MAP) {
        return NULL;
    }

    for (i = 0; i < map->u.map.n; i++) {
        k = &map->u.map.keys[i];

        if (k->len == n && (n == 0 || memcmp(k->data, key, n) == 0)) {
            return map->u.map.values[i];
        }
    }

    return NULL;
}
