
/*
 * The page cache: rendered pages in a shared-memory zone that every worker
 * reads.  An entry is found by the digest of its route and variant, and
 * holds the digest of the sources it was rendered from; an entry whose
 * sources changed is replaced, unless it came from a newer index than the
 * asking worker's (then it is the fresher page and is served).  When the
 * slab allocator is full, the least recently used entries go.
 *
 * A hit is sent straight from the zone.  The entry is pinned while it is
 * sent: a pin, in the zone, names the entry and the process holding it,
 * and the request's pool releases it.  A pinned entry that is replaced or
 * evicted leaves the tree at once and is freed at its last unpin.  A pin
 * of a worker that died is released by the next worker to start: in the
 * dead one's process slot, or on finding its pid gone.  An entry being
 * stored is pinned the same way while it is copied in, so the slab pool's
 * mutex is held only to look up, pin, unpin and link, never across a
 * copy.  The request's cache status, for $blog_cache_status, is kept here
 * too.
 */


#include "ngx_http_blog_module.h"


#define NGX_HTTP_BLOG_CACHE_LAYOUT  5
#define NGX_HTTP_BLOG_CACHE_EVICT   64


typedef struct {
    ngx_rbtree_node_t            node;
    ngx_queue_t                  queue;
    u_char                       key[16];
    u_char                       sig[16];
    int64_t                      built;
    time_t                       last_modified;
    uint32_t                     body_len;
    uint32_t                     gzip_len;
    uint32_t                     br_len;
    uint32_t                     pins;
    unsigned                     retired:1;  /* out of the tree, freed at
                                                its last unpin */
    u_char                       type_len;
    u_char                       etag_len;
    u_char                       data[1];
} ngx_http_blog_cache_node_t;


typedef struct {
    ngx_queue_t                  queue;      /* in sh->pins */
    ngx_http_blog_cache_node_t  *node;
    ngx_pid_t                    pid;
    ngx_int_t                    slot;       /* ngx_process_slot */
} ngx_http_blog_cache_pin_t;


/* a request's pin, released with its pool */

typedef struct {
    ngx_http_blog_cache_t       *cache;
    ngx_http_blog_cache_pin_t   *pin;
} ngx_http_blog_cache_hold_t;


struct ngx_http_blog_cache_sh_s {
    ngx_rbtree_t                 rbtree;
    ngx_rbtree_node_t            sentinel;
    ngx_queue_t                  lru;
    ngx_queue_t                  pins;
    ngx_queue_t                  retired;
    ngx_uint_t                   layout;
    ngx_uint_t                   entries;
    ngx_uint_t                   npins;
    ngx_uint_t                   nretired;
    ngx_uint_t                   released;   /* pins of dead workers */
    ngx_atomic_uint_t            hits;
    ngx_atomic_uint_t            misses;
    ngx_atomic_uint_t            evictions;
    ngx_uint_t                   full_logged;
};


static ngx_http_blog_cache_t *ngx_http_blog_cache_add(ngx_conf_t *cf,
    ngx_str_t *name, size_t size);
static ngx_int_t ngx_http_blog_cache_init_zone(ngx_shm_zone_t *shm_zone,
    void *data);
static void ngx_http_blog_cache_rbtree_insert(ngx_rbtree_node_t *temp,
    ngx_rbtree_node_t *node, ngx_rbtree_node_t *sentinel);
static ngx_http_blog_cache_node_t *ngx_http_blog_cache_find(
    ngx_http_blog_cache_t *cache, u_char *key);
static ngx_http_blog_cache_pin_t *ngx_http_blog_cache_pin(
    ngx_http_blog_cache_t *cache, ngx_http_blog_cache_node_t *cn,
    ngx_uint_t *full);
static void ngx_http_blog_cache_unpin(void *data);
static void ngx_http_blog_cache_release(ngx_http_blog_cache_t *cache,
    ngx_http_blog_cache_pin_t *pin);
static void *ngx_http_blog_cache_alloc(ngx_http_blog_cache_t *cache,
    size_t size, ngx_http_blog_cache_node_t *keep, ngx_uint_t *full);
static void ngx_http_blog_cache_link(ngx_http_blog_cache_t *cache,
    ngx_http_blog_cache_node_t *cn, ngx_http_blog_key_t *k);
static void ngx_http_blog_cache_drop(ngx_http_blog_cache_t *cache,
    ngx_http_blog_cache_node_t *cn);
static ngx_int_t ngx_http_blog_cache_evict(ngx_http_blog_cache_t *cache,
    ngx_http_blog_cache_node_t *keep);
static void ngx_http_blog_cache_log_full(ngx_http_blog_cache_t *cache,
    ngx_log_t *log);
static ngx_uint_t ngx_http_blog_cache_dead(ngx_http_blog_cache_pin_t *pin,
    ngx_pid_t *dead, ngx_uint_t ndead);


static ngx_str_t  ngx_http_blog_cache_status_names[] = {
    ngx_null_string,
    ngx_string("MISS"),
    ngx_string("BYPASS"),
    ngx_string("EXPIRED"),
    ngx_string("HIT")
};


char *
ngx_http_blog_cache_zone(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    u_char                 *p;
    ssize_t                 size;
    ngx_str_t              *value, name, s;
    ngx_http_blog_cache_t  *cache;

    value = cf->args->elts;

    p = (u_char *) ngx_strchr(value[1].data, ':');

    if (p == NULL || p == value[1].data) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "blog_cache_zone \"%V\" must be NAME:SIZE, "
                           "as in \"blog:10m\"", &value[1]);
        return NGX_CONF_ERROR;
    }

    name.data = value[1].data;
    name.len = p - value[1].data;

    s.data = p + 1;
    s.len = value[1].data + value[1].len - s.data;

    size = ngx_parse_size(&s);

    if (size == NGX_ERROR) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "blog_cache_zone \"%V\" has an invalid size",
                           &value[1]);
        return NGX_CONF_ERROR;
    }

    if (size < (ssize_t) (8 * ngx_pagesize)) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "blog_cache_zone \"%V\" is too small, "
                           "the least is %uz", &value[1], 8 * ngx_pagesize);
        return NGX_CONF_ERROR;
    }

    cache = ngx_http_blog_cache_add(cf, &name, size);
    if (cache == NULL) {
        return NGX_CONF_ERROR;
    }

    if (cache->size) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "blog_cache_zone \"%V\" is duplicate", &name);
        return NGX_CONF_ERROR;
    }

    cache->size = size;
    cache->shm_zone->init = ngx_http_blog_cache_init_zone;

    return NGX_CONF_OK;
}


/*
 * "blog_cache NAME" may come before "blog_cache_zone NAME:SIZE", as with
 * limit_req: the zone is added with no size, and ngx_http_blog_cache_check
 * says so if no blog_cache_zone ever gives it one.
 */

char *
ngx_http_blog_cache(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_blog_loc_conf_t *blcf = conf;

    ngx_str_t  *value;

    if (blcf->cache != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    value = cf->args->elts;

    if (ngx_strcmp(value[1].data, "off") == 0) {
        blcf->cache = NULL;
        return NGX_CONF_OK;
    }

    blcf->cache = ngx_http_blog_cache_add(cf, &value[1], 0);
    if (blcf->cache == NULL) {
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}


/* the cache of the zone NAME, made on its first mention */

static ngx_http_blog_cache_t *
ngx_http_blog_cache_add(ngx_conf_t *cf, ngx_str_t *name, size_t size)
{
    ngx_shm_zone_t             *shm_zone;
    ngx_http_blog_cache_t      *cache, **caches;
    ngx_http_blog_main_conf_t  *bmcf;

    shm_zone = ngx_shared_memory_add(cf, name, size, &ngx_http_blog_module);
    if (shm_zone == NULL) {
        return NULL;
    }

    if (shm_zone->data != NULL) {
        return shm_zone->data;
    }

    cache = ngx_pcalloc(cf->pool, sizeof(ngx_http_blog_cache_t));
    if (cache == NULL) {
        return NULL;
    }

    cache->name = *name;
    cache->shm_zone = shm_zone;
    cache->file = cf->conf_file->file.name;
    cache->line = cf->conf_file->line;

    shm_zone->data = cache;

    bmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_blog_module);

    caches = ngx_array_push(&bmcf->caches);
    if (caches == NULL) {
        return NULL;
    }

    *caches = cache;

    return cache;
}


/* at the end of the configuration: every cache named has its zone */

ngx_int_t
ngx_http_blog_cache_check(ngx_conf_t *cf)
{
    ngx_uint_t                  i;
    ngx_http_blog_cache_t     **caches;
    ngx_http_blog_main_conf_t  *bmcf;

    bmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_blog_module);
    caches = bmcf->caches.elts;

    for (i = 0; i < bmcf->caches.nelts; i++) {
        if (caches[i]->size == 0) {
            ngx_log_error(NGX_LOG_EMERG, cf->log, 0,
                          "blog_cache \"%V\" names no blog_cache_zone "
                          "(declare it at http level) in %V:%ui",
                          &caches[i]->name, &caches[i]->file,
                          caches[i]->line);
            return NGX_ERROR;
        }
    }

    return NGX_OK;
}


/*
 * A reload with the same size hands the old zone back: its entries stay,
 * unless a rebuilt module lays them out differently.
 */

static ngx_int_t
ngx_http_blog_cache_init_zone(ngx_shm_zone_t *shm_zone, void *data)
{
    ngx_http_blog_cache_t *ocache = data;

    size_t                  len;
    ngx_slab_pool_t        *shpool;
    ngx_http_blog_cache_t  *cache;

    cache = shm_zone->data;
    shpool = (ngx_slab_pool_t *) shm_zone->shm.addr;

    if (ocache != NULL && ocache->sh != NULL
        && ocache->sh->layout == NGX_HTTP_BLOG_CACHE_LAYOUT)
    {
        cache->sh = ocache->sh;
        cache->shpool = ocache->shpool;
        return NGX_OK;
    }

    cache->shpool = shpool;

    if (shm_zone->shm.exists) {
        cache->sh = shpool->data;

        if (cache->sh != NULL
            && cache->sh->layout == NGX_HTTP_BLOG_CACHE_LAYOUT)
        {
            return NGX_OK;
        }
    }

    if (ocache != NULL) {
        ngx_log_error(NGX_LOG_NOTICE, shm_zone->shm.log, 0,
                      "blog_cache_zone \"%V\" starts empty: its layout "
                      "changed", &shm_zone->shm.name);
        ngx_slab_init(shpool);
    }

    cache->sh = ngx_slab_alloc(shpool, sizeof(ngx_http_blog_cache_sh_t));
    if (cache->sh == NULL) {
        return NGX_ERROR;
    }

    ngx_memzero(cache->sh, sizeof(ngx_http_blog_cache_sh_t));

    shpool->data = cache->sh;

    ngx_rbtree_init(&cache->sh->rbtree, &cache->sh->sentinel,
                    ngx_http_blog_cache_rbtree_insert);
    ngx_queue_init(&cache->sh->lru);
    ngx_queue_init(&cache->sh->pins);
    ngx_queue_init(&cache->sh->retired);

    cache->sh->layout = NGX_HTTP_BLOG_CACHE_LAYOUT;

    len = sizeof(" in blog_cache_zone \"\"") + shm_zone->shm.name.len;

    shpool->log_ctx = ngx_slab_alloc(shpool, len);
    if (shpool->log_ctx == NULL) {
        return NGX_ERROR;
    }

    ngx_sprintf(shpool->log_ctx, " in blog_cache_zone \"%V\"%Z",
                &shm_zone->shm.name);

    shpool->log_nomem = 0;

    return NGX_OK;
}


static void
ngx_http_blog_cache_rbtree_insert(ngx_rbtree_node_t *temp,
    ngx_rbtree_node_t *node, ngx_rbtree_node_t *sentinel)
{
    ngx_rbtree_node_t           **p;
    ngx_http_blog_cache_node_t   *cn, *cnt;

    for ( ;; ) {

        if (node->key < temp->key) {
            p = &temp->left;

        } else if (node->key > temp->key) {
            p = &temp->right;

        } else {
            cn = (ngx_http_blog_cache_node_t *) node;
            cnt = (ngx_http_blog_cache_node_t *) temp;

            p = (ngx_memcmp(cn->key, cnt->key, 16) < 0)
                ? &temp->left : &temp->right;
        }

        if (*p == sentinel) {
            break;
        }

        temp = *p;
    }

    *p = node;
    node->parent = temp;
    node->left = sentinel;
    node->right = sentinel;
    ngx_rbt_red(node);
}


static ngx_http_blog_cache_node_t *
ngx_http_blog_cache_find(ngx_http_blog_cache_t *cache, u_char *key)
{
    ngx_int_t                    rc;
    ngx_rbtree_key_t             hash;
    ngx_rbtree_node_t           *node, *sentinel;
    ngx_http_blog_cache_node_t  *cn;

    ngx_memcpy(&hash, key, sizeof(ngx_rbtree_key_t));

    node = cache->sh->rbtree.root;
    sentinel = cache->sh->rbtree.sentinel;

    while (node != sentinel) {

        if (hash < node->key) {
            node = node->left;
            continue;
        }

        if (hash > node->key) {
            node = node->right;
            continue;
        }

        cn = (ngx_http_blog_cache_node_t *) node;

        rc = ngx_memcmp(key, cn->key, 16);

        if (rc == 0) {
            return cn;
        }

        node = (rc < 0) ? node->left : node->right;
    }

    return NULL;
}


/*
 * Points res at a fresh entry's chosen variant in the zone, and pins the
 * entry until the request's pool goes.  Returns NGX_OK on a hit,
 * NGX_DECLINED on a miss (status says MISS or EXPIRED).
 */

ngx_int_t
ngx_http_blog_cache_get(ngx_http_request_t *r, ngx_http_blog_cache_t *cache,
    ngx_http_blog_key_t *k, ngx_http_blog_response_t *res)
{
    u_char                      *p;
    size_t                       offset;
    ngx_uint_t                   full;
    ngx_pool_cleanup_t          *cln;
    ngx_http_blog_cache_pin_t   *pin;
    ngx_http_blog_cache_node_t  *cn;
    ngx_http_blog_cache_hold_t  *hold;

    cln = ngx_pool_cleanup_add(r->pool, sizeof(ngx_http_blog_cache_hold_t));
    if (cln == NULL) {
        return NGX_ERROR;
    }

    k->status = NGX_HTTP_BLOG_CACHE_MISS;
    full = 0;
    pin = NULL;

    ngx_shmtx_lock(&cache->shpool->mutex);

    cn = ngx_http_blog_cache_find(cache, k->page.key);

    if (cn != NULL
        && blog_page_key_compare(cn->sig, cn->built, &k->page) < 0)
    {
        k->status = NGX_HTTP_BLOG_CACHE_EXPIRED;
        cn = NULL;
    }

    /* stored before gzip or brotli was wanted: render once more, with it */

    if (cn != NULL
        && ((k->want_gzip && cn->gzip_len == 0)
            || (k->want_br && cn->br_len == 0)))
    {
        cn = NULL;
    }

    if (cn != NULL) {
        ngx_queue_remove(&cn->queue);
        ngx_queue_insert_head(&cache->sh->lru, &cn->queue);

        /* a zone with no room for a pin either: render, as for a miss */
        pin = ngx_http_blog_cache_pin(cache, cn, &full);
    }

    ngx_shmtx_unlock(&cache->shpool->mutex);

    if (full) {
        ngx_http_blog_cache_log_full(cache, r->connection->log);
    }

    if (pin == NULL) {
        (void) ngx_atomic_fetch_add(&cache->sh->misses, 1);
        return NGX_DECLINED;
    }

    hold = cln->data;
    hold->cache = cache;
    hold->pin = pin;
    cln->handler = ngx_http_blog_cache_unpin;

    /*
     * A pinned entry does not change until its last unpin: the plain
     * body, then its gzip, then its brotli are read without the lock.
     */

    res->br = k->want_br;
    res->gzip = k->want_gzip && !res->br;

    if (res->br) {
        res->len = cn->br_len;
        offset = cn->body_len + cn->gzip_len;

    } else if (res->gzip) {
        res->len = cn->gzip_len;
        offset = cn->body_len;

    } else {
        res->len = cn->body_len;
        offset = 0;
    }

    p = cn->data;

    res->type.data = p;
    res->type.len = cn->type_len;
    p += cn->type_len;

    res->etag.data = p;
    res->etag.len = cn->etag_len;
    p += cn->etag_len;

    res->body = p + offset;

    res->status = NGX_HTTP_OK;
    res->last_modified = cn->last_modified;

    (void) ngx_atomic_fetch_add(&cache->sh->hits, 1);
    k->status = NGX_HTTP_BLOG_CACHE_HIT;

    return NGX_OK;
}


/* with the lock held: a pin on cn for this process, NULL if no room */

static ngx_http_blog_cache_pin_t *
ngx_http_blog_cache_pin(ngx_http_blog_cache_t *cache,
    ngx_http_blog_cache_node_t *cn, ngx_uint_t *full)
{
    ngx_http_blog_cache_pin_t  *pin;

    pin = ngx_http_blog_cache_alloc(cache, sizeof(ngx_http_blog_cache_pin_t),
                                    cn, full);
    if (pin == NULL) {
        return NULL;
    }

    pin->node = cn;
    pin->pid = ngx_pid;
    pin->slot = ngx_process_slot;

    ngx_queue_insert_tail(&cache->sh->pins, &pin->queue);
    cache->sh->npins++;
    cn->pins++;

    return pin;
}


static void
ngx_http_blog_cache_unpin(void *data)
{
    ngx_http_blog_cache_hold_t *hold = data;

    ngx_shmtx_lock(&hold->cache->shpool->mutex);
    ngx_http_blog_cache_release(hold->cache, hold->pin);
    ngx_shmtx_unlock(&hold->cache->shpool->mutex);
}


/* with the lock held: a retired entry goes with its last pin */

static void
ngx_http_blog_cache_release(ngx_http_blog_cache_t *cache,
    ngx_http_blog_cache_pin_t *pin)
{
    ngx_http_blog_cache_node_t  *cn;

    cn = pin->node;

    ngx_queue_remove(&pin->queue);
    ngx_slab_free_locked(cache->shpool, pin);
    cache->sh->npins--;

    if (--cn->pins == 0 && cn->retired) {
        ngx_queue_remove(&cn->queue);
        ngx_slab_free_locked(cache->shpool, cn);
        cache->sh->nretired--;
    }
}


/*
 * Stores a rendered page.  A page larger than half the zone is not
 * stored, so one page never empties the cache; a full zone evicts the
 * least recently used entries.  The entry is allocated and pinned under
 * the lock, filled without it, and linked under it again.  The first time
 * the zone is full, at its first eviction or a page it cannot store, one
 * line says so: a zone that evicts all the time is too small, and the
 * operator should know once.
 */

void
ngx_http_blog_cache_put(ngx_http_blog_cache_t *cache, ngx_log_t *log,
    ngx_http_blog_key_t *k, ngx_http_blog_response_t *res, ngx_str_t *gzip,
    ngx_str_t *br)
{
    u_char                      *p;
    size_t                       size;
    ngx_uint_t                   full;
    ngx_http_blog_cache_pin_t   *pin;
    ngx_http_blog_cache_node_t  *cn, *old;

    size = offsetof(ngx_http_blog_cache_node_t, data)
           + res->type.len + res->etag.len + res->len + gzip->len + br->len;

    if (size > cache->size / 2 || res->type.len > 255 || res->etag.len > 255)
    {
        k->status = NGX_HTTP_BLOG_CACHE_BYPASS;
        return;
    }

    full = 0;
    pin = NULL;

    ngx_shmtx_lock(&cache->shpool->mutex);

    old = ngx_http_blog_cache_find(cache, k->page.key);

    if (old != NULL
        && blog_page_key_compare(old->sig, old->built, &k->page) > 0)
    {
        /* a worker with a newer index stored it meanwhile */
        ngx_shmtx_unlock(&cache->shpool->mutex);
        return;
    }

    cn = ngx_http_blog_cache_alloc(cache, size, NULL, &full);

    if (cn != NULL) {
        ngx_memzero(cn, offsetof(ngx_http_blog_cache_node_t, data));
        pin = ngx_http_blog_cache_pin(cache, cn, &full);

        if (pin == NULL) {
            ngx_slab_free_locked(cache->shpool, cn);
        }
    }

    if (pin == NULL) {
        ngx_shmtx_unlock(&cache->shpool->mutex);
        k->status = NGX_HTTP_BLOG_CACHE_BYPASS;

        if (full) {
            ngx_log_error(NGX_LOG_WARN, log, 0,
                          "blog_cache_zone \"%V\" is full: a %uz byte "
                          "page is served without being cached; "
                          "a larger zone would keep it",
                          &cache->name, size);
        }

        return;
    }

    /* retired until linked: a sweep frees it if this worker dies */

    cn->retired = 1;
    ngx_queue_insert_tail(&cache->sh->retired, &cn->queue);
    cache->sh->nretired++;

    ngx_shmtx_unlock(&cache->shpool->mutex);

    ngx_memcpy(&cn->node.key, k->page.key, sizeof(ngx_rbtree_key_t));
    ngx_memcpy(cn->key, k->page.key, 16);
    ngx_memcpy(cn->sig, k->page.sig, 16);

    cn->built = k->page.built;
    cn->last_modified = res->last_modified;
    cn->type_len = (u_char) res->type.len;
    cn->etag_len = (u_char) res->etag.len;
    cn->body_len = (uint32_t) res->len;
    cn->gzip_len = (uint32_t) gzip->len;
    cn->br_len = (uint32_t) br->len;

    p = ngx_cpymem(cn->data, res->type.data, res->type.len);
    p = ngx_cpymem(p, res->etag.data, res->etag.len);
    p = ngx_cpymem(p, res->body, res->len);

    if (gzip->len) {
        p = ngx_cpymem(p, gzip->data, gzip->len);
    }

    if (br->len) {
        ngx_memcpy(p, br->data, br->len);
    }

    ngx_shmtx_lock(&cache->shpool->mutex);
    ngx_http_blog_cache_link(cache, cn, k);
    ngx_http_blog_cache_release(cache, pin);
    ngx_shmtx_unlock(&cache->shpool->mutex);

    if (full) {
        ngx_http_blog_cache_log_full(cache, log);
    }
}


/* said once, and not while the other workers wait for the lock */

static void
ngx_http_blog_cache_log_full(ngx_http_blog_cache_t *cache, ngx_log_t *log)
{
    ngx_log_error(NGX_LOG_WARN, log, 0,
                  "blog_cache_zone \"%V\" is full: the least "
                  "recently used pages make room for new ones; "
                  "a larger zone would keep more of them",
                  &cache->name);
}


/*
 * With the lock held: size bytes, evicting the least recently used
 * entries but keep for them; *full is set the first time the zone ever
 * is.
 */

static void *
ngx_http_blog_cache_alloc(ngx_http_blog_cache_t *cache, size_t size,
    ngx_http_blog_cache_node_t *keep, ngx_uint_t *full)
{
    void        *p;
    ngx_uint_t   tries;

    for (tries = 0; /* void */; tries++) {
        p = ngx_slab_alloc_locked(cache->shpool, size);

        if (p != NULL) {
            return p;
        }

        if (!cache->sh->full_logged) {
            cache->sh->full_logged = 1;
            *full = 1;
        }

        if (tries == NGX_HTTP_BLOG_CACHE_EVICT
            || ngx_http_blog_cache_evict(cache, keep) != NGX_OK)
        {
            return NULL;
        }
    }
}


/*
 * With the lock held: a filled entry takes its place in the tree, unless
 * a worker with a newer index stored the page while it was filled.
 */

static void
ngx_http_blog_cache_link(ngx_http_blog_cache_t *cache,
    ngx_http_blog_cache_node_t *cn, ngx_http_blog_key_t *k)
{
    ngx_http_blog_cache_node_t  *old;

    old = ngx_http_blog_cache_find(cache, k->page.key);

    if (old != NULL) {
        if (blog_page_key_compare(old->sig, old->built, &k->page) > 0) {
            return;
        }

        ngx_http_blog_cache_drop(cache, old);
    }

    ngx_queue_remove(&cn->queue);
    cn->retired = 0;
    cache->sh->nretired--;

    ngx_rbtree_insert(&cache->sh->rbtree, &cn->node);
    ngx_queue_insert_head(&cache->sh->lru, &cn->queue);
    cache->sh->entries++;
}


/* with the lock held: out of the tree; freed now, or at its last unpin */

static void
ngx_http_blog_cache_drop(ngx_http_blog_cache_t *cache,
    ngx_http_blog_cache_node_t *cn)
{
    ngx_queue_remove(&cn->queue);
    ngx_rbtree_delete(&cache->sh->rbtree, &cn->node);
    cache->sh->entries--;

    if (cn->pins) {
        cn->retired = 1;
        ngx_queue_insert_tail(&cache->sh->retired, &cn->queue);
        cache->sh->nretired++;
        return;
    }

    ngx_slab_free_locked(cache->shpool, cn);
}


static ngx_int_t
ngx_http_blog_cache_evict(ngx_http_blog_cache_t *cache,
    ngx_http_blog_cache_node_t *keep)
{
    ngx_queue_t                 *q;
    ngx_http_blog_cache_node_t  *cn;

    if (ngx_queue_empty(&cache->sh->lru)) {
        return NGX_DECLINED;
    }

    q = ngx_queue_last(&cache->sh->lru);
    cn = ngx_queue_data(q, ngx_http_blog_cache_node_t, queue);

    if (cn == keep) {
        return NGX_DECLINED;
    }

    ngx_http_blog_cache_drop(cache, cn);
    (void) ngx_atomic_fetch_add(&cache->sh->evictions, 1);

    return NGX_OK;
}


/*
 * When a worker starts: the pins of workers that died holding them are
 * released, with the entries they kept retired.  A worker respawned after
 * a crash takes its dead predecessor's process slot, so a pin in this
 * slot under another pid is dead; a pin of any other pid that has gone
 * (a worker of an older generation, killed) is dead too.  The pids are
 * probed without the lock.
 */

void
ngx_http_blog_cache_sweep(ngx_http_blog_cache_t *cache, ngx_log_t *log)
{
    ngx_uint_t                  i, j, n, ndead, released, freed;
    ngx_pid_t                   pids[NGX_MAX_PROCESSES];
    ngx_pid_t                   dead[NGX_MAX_PROCESSES];
    ngx_queue_t                *q, *next;
    ngx_http_blog_cache_pin_t  *pin;

    if (cache->sh == NULL) {
        return;
    }

    n = 0;

    ngx_shmtx_lock(&cache->shpool->mutex);

    for (q = ngx_queue_head(&cache->sh->pins);
         q != ngx_queue_sentinel(&cache->sh->pins) && n < NGX_MAX_PROCESSES;
         q = ngx_queue_next(q))
    {
        pin = ngx_queue_data(q, ngx_http_blog_cache_pin_t, queue);

        if (pin->pid == ngx_pid) {
            continue;
        }

        for (j = 0; j < n; j++) {
            if (pids[j] == pin->pid) {
                break;
            }
        }

        if (j == n) {
            pids[n++] = pin->pid;
        }
    }

    ngx_shmtx_unlock(&cache->shpool->mutex);

    ndead = 0;

    for (i = 0; i < n; i++) {
        if (kill(pids[i], 0) == -1 && ngx_errno == NGX_ESRCH) {
            dead[ndead++] = pids[i];
        }
    }

    released = 0;
    freed = 0;

    ngx_shmtx_lock(&cache->shpool->mutex);

    for (q = ngx_queue_head(&cache->sh->pins);
         q != ngx_queue_sentinel(&cache->sh->pins);
         q = next)
    {
        next = ngx_queue_next(q);
        pin = ngx_queue_data(q, ngx_http_blog_cache_pin_t, queue);

        if (!ngx_http_blog_cache_dead(pin, dead, ndead)) {
            continue;
        }

        if (pin->node->pins == 1 && pin->node->retired) {
            freed++;
        }

        ngx_http_blog_cache_release(cache, pin);
        released++;
    }

    cache->sh->released += released;

    ngx_shmtx_unlock(&cache->shpool->mutex);

    if (released) {
        ngx_log_error(NGX_LOG_NOTICE, log, 0,
                      "blog_cache_zone \"%V\": %ui pins of exited workers "
                      "released, %ui retired pages freed",
                      &cache->name, released, freed);
    }
}


static ngx_uint_t
ngx_http_blog_cache_dead(ngx_http_blog_cache_pin_t *pin, ngx_pid_t *dead,
    ngx_uint_t ndead)
{
    ngx_uint_t  i;

    if (pin->pid == ngx_pid) {
        return 0;
    }

    if (pin->slot == ngx_process_slot) {
        return 1;
    }

    for (i = 0; i < ndead; i++) {
        if (dead[i] == pin->pid) {
            return 1;
        }
    }

    return 0;
}


/* figures for operators: entries, hits, misses, evictions, bytes */

void
ngx_http_blog_cache_stats(ngx_http_blog_cache_t *cache,
    ngx_http_blog_cache_stats_t *st)
{
    ngx_slab_pool_t  *shpool;

    shpool = cache->shpool;

    ngx_shmtx_lock(&shpool->mutex);

    st->entries = cache->sh->entries;
    st->hits = cache->sh->hits;
    st->misses = cache->sh->misses;
    st->evictions = cache->sh->evictions;
    st->pins = cache->sh->npins;
    st->retired = cache->sh->nretired;
    st->released = cache->sh->released;
    st->size = cache->size;
    st->free = shpool->pfree * ngx_pagesize;

    ngx_shmtx_unlock(&shpool->mutex);
}


ngx_int_t
ngx_http_blog_cache_status_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data)
{
    ngx_http_blog_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_http_blog_module);

    if (ctx == NULL || ctx->cache_status == 0) {
        v->not_found = 1;
        return NGX_OK;
    }

    v->valid = 1;
    v->no_cacheable = 0;
    v->not_found = 0;
    v->len = ngx_http_blog_cache_status_names[ctx->cache_status].len;
    v->data = ngx_http_blog_cache_status_names[ctx->cache_status].data;

    return NGX_OK;
}
