
/*
 * The tables of a TOML document, and what a header or a dotted key may do
 * to them.  Every key is found again through one hash of (table, key) for
 * the whole document, which also remembers how each table came to be (by
 * a [header], on the way to one, by dotted keys, as a value): what TOML's
 * rules on defining a table twice turn on.  Reading headers and keys is
 * left to blog_toml.c: each function here takes the key just read from
 * t->key.
 */


#include <stdlib.h>
#include <string.h>

#include "blog_toml.h"


#define BLOG_TOML_SLOTS       64    /* the hash's first size */


static blog_node_t *blog_toml_table(blog_toml_t *t, blog_node_t *parent,
    uint64_t hash, blog_toml_kind_e kind, unsigned *depth, unsigned line);
static int blog_toml_not_table(blog_toml_t *t, blog_node_t *node,
    unsigned line);
static int blog_toml_redefined(blog_toml_t *t, blog_toml_slot_t *slot,
    unsigned line);
static uint64_t blog_toml_mix(uint64_t h);
static uint64_t blog_toml_hash(blog_toml_t *t, blog_node_t *parent);
static int blog_toml_grow(blog_toml_t *t, size_t nslots);


/*
 * A table a header passes through: made if missing; an array of tables
 * stands for its last table.
 */

blog_node_t *
blog_toml_header_step(blog_toml_t *t, blog_node_t *table, unsigned *depth,
    unsigned line)
{
    uint64_t           hash;
    blog_toml_slot_t  *slot;

    slot = blog_toml_find(t, table, &hash);

    if (slot->node == NULL) {
        return blog_toml_table(t, table, hash, BLOG_TOML_IMPLICIT, depth,
                               line);
    }

    switch (slot->kind) {

    case BLOG_TOML_IMPLICIT:
    case BLOG_TOML_HEADER:
    case BLOG_TOML_DOTTED:
        *depth += 1;
        return slot->node;

    case BLOG_TOML_TABLES:
        *depth += 2;
        return slot->node->last;

    default:
        (void) blog_toml_not_table(t, slot->node, line);
        return NULL;
    }
}


int
blog_toml_header_table(blog_toml_t *t, blog_node_t *table, unsigned depth,
    unsigned line)
{
    uint64_t           hash;
    blog_node_t       *node;
    blog_toml_slot_t  *slot;

    slot = blog_toml_find(t, table, &hash);

    if (slot->node == NULL) {
        node = blog_toml_table(t, table, hash, BLOG_TOML_HEADER, &depth,
                               line);
        if (node == NULL) {
            return BLOG_ERROR;
        }

    } else if (slot->kind == BLOG_TOML_IMPLICIT) {

        /* named on the way to another header's table, defined now */

        slot->kind = BLOG_TOML_HEADER;
        node = slot->node;
        node->line = line;
        depth++;

    } else {
        return blog_toml_redefined(t, slot, line);
    }

    t->table = node;
    t->depth = depth;

    return BLOG_OK;
}


int
blog_toml_header_tables(blog_toml_t *t, blog_node_t *table, unsigned depth,
    unsigned line)
{
    char               quoted[64];
    uint64_t           hash;
    blog_node_t       *list, *node;
    blog_toml_slot_t  *slot;

    slot = blog_toml_find(t, table, &hash);

    if (slot->node == NULL) {
        if (depth + 2 > t->max_depth) {
            return blog_toml_too_deep(t, line);
        }

        list = blog_toml_node(t, BLOG_NODE_LIST, line);
        if (list == NULL) {
            return BLOG_ERROR;
        }

        if (blog_node_set_key(list, t->key.data, t->key.len) != BLOG_OK
            || blog_toml_insert(t, table, list, hash, BLOG_TOML_TABLES)
               != BLOG_OK)
        {
            blog_node_free(list);
            return blog_toml_nomem(t);
        }

        blog_node_append(table, list);

    } else if (slot->kind == BLOG_TOML_TABLES) {
        list = slot->node;

    } else if (slot->kind == BLOG_TOML_VALUE
               && slot->node->type == BLOG_NODE_LIST)
    {
        return blog_toml_error(t, line, "cannot add a table to the static "
                               "array %s",
                               blog_toml_quote(quoted, t->key.data,
                                               t->key.len));

    } else {
        return blog_toml_error(t, line, "key %s is not an array of tables",
                               blog_toml_quote(quoted, t->key.data,
                                               t->key.len));
    }

    node = blog_toml_node(t, BLOG_NODE_MAP, line);
    if (node == NULL) {
        return BLOG_ERROR;
    }

    blog_node_append(list, node);

    t->table = node;
    t->depth = depth + 2;

    return BLOG_OK;
}


/* a table a dotted key passes through: only dotted keys may extend one */

blog_node_t *
blog_toml_dotted_step(blog_toml_t *t, blog_node_t *table, unsigned *depth,
    unsigned line)
{
    char               quoted[64];
    uint64_t           hash;
    blog_toml_slot_t  *slot;

    slot = blog_toml_find(t, table, &hash);

    if (slot->node == NULL) {
        return blog_toml_table(t, table, hash, BLOG_TOML_DOTTED, depth, line);
    }

    switch (slot->kind) {

    case BLOG_TOML_DOTTED:
        *depth += 1;
        return slot->node;

    case BLOG_TOML_VALUE:
        (void) blog_toml_not_table(t, slot->node, line);
        return NULL;

    case BLOG_TOML_TABLES:
        (void) blog_toml_error(t, line, "dotted keys cannot extend the array "
                               "of tables %s",
                               blog_toml_quote(quoted, t->key.data,
                                               t->key.len));
        return NULL;

    default:
        (void) blog_toml_error(t, line, "dotted keys cannot extend the table "
                               "%s of a header",
                               blog_toml_quote(quoted, t->key.data,
                                               t->key.len));
        return NULL;
    }
}


/* a new table under t->key in parent, one level below *depth */

static blog_node_t *
blog_toml_table(blog_toml_t *t, blog_node_t *parent, uint64_t hash,
    blog_toml_kind_e kind, unsigned *depth, unsigned line)
{
    blog_node_t  *node;

    if (*depth + 1 > t->max_depth) {
        (void) blog_toml_too_deep(t, line);
        return NULL;
    }

    node = blog_toml_node(t, BLOG_NODE_MAP, line);
    if (node == NULL) {
        return NULL;
    }

    if (blog_node_set_key(node, t->key.data, t->key.len) != BLOG_OK
        || blog_toml_insert(t, parent, node, hash, kind) != BLOG_OK)
    {
        blog_node_free(node);
        (void) blog_toml_nomem(t);
        return NULL;
    }

    blog_node_append(parent, node);
    *depth += 1;

    return node;
}


/* a header or a dotted key goes through t->key, which is node, a value */

static int
blog_toml_not_table(blog_toml_t *t, blog_node_t *node, unsigned line)
{
    char  quoted[64];

    blog_toml_quote(quoted, t->key.data, t->key.len);

    if (node->type == BLOG_NODE_MAP) {
        return blog_toml_error(t, line, "inline table %s cannot be extended",
                               quoted);
    }

    return blog_toml_error(t, line, "key %s is %s, not a table", quoted,
                           node->type == BLOG_NODE_LIST ? "an array"
                                                        : "a value");
}


/* a header names a table, t->key, that exists already */

static int
blog_toml_redefined(blog_toml_t *t, blog_toml_slot_t *slot, unsigned line)
{
    char  quoted[64];

    blog_toml_quote(quoted, t->key.data, t->key.len);

    switch (slot->kind) {

    case BLOG_TOML_HEADER:
        return blog_toml_error(t, line, "table %s is defined twice", quoted);

    case BLOG_TOML_DOTTED:
        return blog_toml_error(t, line, "table %s is already defined by "
                               "dotted keys", quoted);

    case BLOG_TOML_TABLES:
        return blog_toml_error(t, line, "table %s is already an array of "
                               "tables", quoted);

    default:
        if (slot->node->type == BLOG_NODE_MAP) {
            return blog_toml_error(t, line, "inline table %s cannot be "
                                   "extended", quoted);
        }

        return blog_toml_error(t, line, "duplicate key %s", quoted);
    }
}


/* an empty hash, once t->root is made: its address is in the seed */

int
blog_toml_hash_init(blog_toml_t *t)
{
    /* where the stack and the heap are: a seed no author can guess */

    t->seed = blog_toml_mix((uint64_t) (uintptr_t) t
                            ^ ((uint64_t) (uintptr_t) t->root << 16));

    return blog_toml_grow(t, BLOG_TOML_SLOTS);
}


/* MurmurHash3's finalizer: every bit of h reaches every bit */

static uint64_t
blog_toml_mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;

    return h;
}


/* (parent, t->key), FNV-1a from a seed */

static uint64_t
blog_toml_hash(blog_toml_t *t, blog_node_t *parent)
{
    size_t    i;
    uint64_t  h;

    h = t->seed ^ blog_toml_mix((uint64_t) (uintptr_t) parent);

    for (i = 0; i < t->key.len; i++) {
        h ^= t->key.data[i];
        h *= 0x100000001b3ULL;
    }

    return blog_toml_mix(h);
}


/* the slot of t->key in parent, or the free slot where it would go */

blog_toml_slot_t *
blog_toml_find(blog_toml_t *t, blog_node_t *parent, uint64_t *hash)
{
    size_t             i, mask;
    blog_node_t       *node;
    blog_toml_slot_t  *slot;

    *hash = blog_toml_hash(t, parent);
    mask = t->nslots - 1;

    for (i = *hash & mask; /* void */ ; i = (i + 1) & mask) {
        slot = &t->slots[i];
        node = slot->node;

        if (node == NULL) {
            return slot;
        }

        if (slot->hash == *hash && slot->parent == parent
            && node->key.len == t->key.len
            && (t->key.len == 0
                || memcmp(node->key.data, t->key.data, t->key.len) == 0))
        {
            return slot;
        }
    }
}


/* node is new under parent: no slot holds its key yet */

int
blog_toml_insert(blog_toml_t *t, blog_node_t *parent, blog_node_t *node,
    uint64_t hash, blog_toml_kind_e kind)
{
    size_t             i, mask;
    blog_toml_slot_t  *slot;

    if (t->used + 1 > t->nslots / 2
        && blog_toml_grow(t, t->nslots * 2) != BLOG_OK)
    {
        return BLOG_ERROR;
    }

    mask = t->nslots - 1;

    for (i = hash & mask; t->slots[i].node != NULL; i = (i + 1) & mask) {
        /* void */
    }

    slot = &t->slots[i];
    slot->parent = parent;
    slot->node = node;
    slot->hash = hash;
    slot->kind = kind;
    t->used++;

    return BLOG_OK;
}


static int
blog_toml_grow(blog_toml_t *t, size_t nslots)
{
    size_t             i, k, mask;
    blog_toml_slot_t  *slots;

    if (nslots == 0 || nslots > SIZE_MAX / sizeof(blog_toml_slot_t)) {
        return blog_toml_nomem(t);
    }

    slots = calloc(nslots, sizeof(blog_toml_slot_t));
    if (slots == NULL) {
        return blog_toml_nomem(t);
    }

    mask = nslots - 1;

    for (i = 0; i < t->nslots; i++) {
        if (t->slots[i].node == NULL) {
            continue;
        }

        for (k = t->slots[i].hash & mask; slots[k].node != NULL;
             k = (k + 1) & mask)
        {
            /* void */
        }

        slots[k] = t->slots[i];
    }

    free(t->slots);
    t->slots = slots;
    t->nslots = nslots;

    return BLOG_OK;
}
