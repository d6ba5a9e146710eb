
/*
 * One index per server.  The index zone, a shared memory zone every
 * worker maps at the same address, holds each site's indexes as
 * generations: immutable copies, numbered, the newest current.  One worker
 * at a time holds a site's builder role, a lease it renews every check
 * interval; it alone scans, copies the index it built into the zone and
 * makes the copy current.  Every worker reads the current generation in
 * place, without a lock, once it has taken it: taking a generation is
 * noting in the worker's slot of the zone the oldest one it still uses.  A
 * generation is freed once it is neither current nor used by a live
 * worker.
 *
 * A generation takes two blocks: the lists of its index, freed with it,
 * and the posts it copied.  Each post remembers its last copy: the
 * builder's next generation takes the copies of the posts that did not
 * change, so a save copies its own post and the lists, not every post.
 * It does so while it builds on generations it published itself, one
 * after the other since one that copied every post (an epoch).  A block
 * of posts is freed once no generation kept reads a post in it.  When the
 * blocks a generation would read take a quarter more than its posts, it
 * copies every post instead.
 *
 * Everything in the zone changes under the slab pool's mutex, which the
 * master unlocks should a worker die holding it.  A builder that dies
 * leaves its role to whoever renews next, and a copy it had begun is
 * freed then; nothing half built is ever current.
 *
 * The zone outlives a reload with the same size: a site is found again by
 * its root and the options that shape its index, and the new workers
 * serve its current generation at once, while the old ones finish with
 * what they hold.
 */


#include "ngx_http_blog_module.h"


/* the builder role lasts this many check intervals, and at least ... */
#define NGX_HTTP_BLOG_LEASE_INTERVALS  5
#define NGX_HTTP_BLOG_LEASE_MIN        3000


typedef struct ngx_http_blog_gen_s  ngx_http_blog_gen_t;

struct ngx_http_blog_gen_s {
    ngx_http_blog_gen_t       *next;
    uint64_t                   number;
    blog_index_t              *index;      /* at the start of its block */
    size_t                     size;       /* of the block */
};


/* a block of posts: this, then the posts */

typedef struct ngx_http_blog_posts_s  ngx_http_blog_posts_t;

struct ngx_http_blog_posts_s {
    ngx_http_blog_posts_t     *next;
    uint64_t                   last;       /* the newest generation that
                                              reads it */
    uint64_t                   seen;       /* the builder's, as it sizes */
    size_t                     size;       /* of the block, with this */
};

#define NGX_HTTP_BLOG_POSTS_HEAD                                             \
    ngx_align(sizeof(ngx_http_blog_posts_t), 16)

/*
 * The posts of a copy take blocks of 16 KB, or what a larger post takes:
 * no copy needs all its posts' bytes in one piece of the zone.
 */
#define NGX_HTTP_BLOG_POSTS_BLOCK      16384


/* the zone's layout: a module that lays it out otherwise gets a new zone */
#define NGX_HTTP_BLOG_SHARE_NAME       "blog_index:3"


/* a site in the zone */

struct ngx_http_blog_share_site_s {
    ngx_http_blog_share_site_t *next;
    u_char                     key[16];    /* root and index options */
    ngx_atomic_t               number;     /* of the current generation */
    blog_index_t              *index;      /* current, or NULL */
    ngx_http_blog_gen_t       *gens;       /* every one kept, newest first */
    ngx_uint_t                 ngens;
    ngx_http_blog_posts_t     *posts;      /* blocks of posts, newest first */
    size_t                     bytes;      /* of all their blocks */
    uint64_t                   epoch;      /* its first generation, or 0 */
    ngx_pid_t                  epoch_pid;  /* the builder that began it */
    ngx_pid_t                  builder;
    int64_t                    lease;      /* the role lasts to, mono ms */
    void                      *pending;    /* a copy being made, and by */
    ngx_pid_t                  pending_pid;
    size_t                     pending_size;
    ngx_http_blog_posts_t     *pending_posts;  /* its posts, or NULL */
    uint64_t                   pending_number; /* it is to be */
    ngx_uint_t                 pending_whole;  /* it copies every post */
    ngx_atomic_t               failed;     /* start of a scan that failed */
    ngx_uint_t                 full;       /* an index had no room */
    ngx_atomic_t               watches;    /* the builder's inotify has */
    ngx_atomic_t               scans;      /* since the zone was made */
    ngx_atomic_t               wanted;     /* a worker waits for a scan
                                              begun after this, mono ms */
    uint64_t                   builds;
    ngx_atomic_t               scanned;    /* start of the newest scan the
                                              current generation shows */

    /* by process slot: the oldest generation the worker uses, or 0 */
    uint64_t                   oldest[NGX_MAX_PROCESSES];
};


struct ngx_http_blog_share_sh_s {
    ngx_http_blog_share_site_t *sites;     /* every one configured since
                                              the zone was made */
    ngx_pid_t                  pids[NGX_MAX_PROCESSES];    /* by slot */
};


/* a generation this worker uses */

typedef struct {
    ngx_queue_t                queue;
    uint64_t                   number;
    blog_index_t              *index;
    ngx_uint_t                 refs;
} ngx_http_blog_held_t;


#define ngx_http_blog_share_site(site)  ((site)->share->sites[(site)->number])


static ngx_int_t ngx_http_blog_share_init_zone(ngx_shm_zone_t *shm_zone,
    void *data);
static void ngx_http_blog_share_oldest(ngx_http_blog_site_t *site);
static void ngx_http_blog_share_collect(ngx_http_blog_share_t *share,
    ngx_http_blog_share_site_t *ss);
static void ngx_http_blog_share_size(ngx_http_blog_site_t *site,
    blog_index_t *ix, blog_copy_t *c);
static void ngx_http_blog_share_reads(void *data, void *block);
static u_char *ngx_http_blog_share_more(void *data, size_t need,
    size_t *size, void **block);
static void ngx_http_blog_share_unpend(ngx_http_blog_share_t *share,
    ngx_http_blog_share_site_t *ss, ngx_uint_t reset);
static ngx_uint_t ngx_http_blog_share_alive(ngx_pid_t pid);
static void ngx_http_blog_share_raise(ngx_http_blog_share_t *share,
    ngx_atomic_t *v, int64_t to);


/* blog_index_zone SIZE */

char *
ngx_http_blog_index_zone(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_blog_main_conf_t *bmcf = conf;

    ssize_t     size;
    ngx_str_t  *value;

    if (bmcf->index_zone_size != NGX_CONF_UNSET_SIZE) {
        return "is duplicate";
    }

    value = cf->args->elts;

    size = ngx_parse_size(&value[1]);

    if (size == NGX_ERROR) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid size \"%V\"", &value[1]);
        return NGX_CONF_ERROR;
    }

    if (size < (ssize_t) (8 * ngx_pagesize)) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "blog_index_zone \"%V\" is too small: at least "
                           "%uzk", &value[1], 8 * ngx_pagesize / 1024);
        return NGX_CONF_ERROR;
    }

    bmcf->index_zone_size = size;

    return NGX_CONF_OK;
}


/*
 * The zone, once the http block is read and its sites known: each site
 * is known in it by a digest of its root and its index options.
 */

ngx_int_t
ngx_http_blog_share_add(ngx_conf_t *cf, ngx_http_blog_main_conf_t *bmcf)
{
    ngx_str_t               name;
    ngx_md5_t               md5;
    uint64_t                n[6];
    ngx_uint_t              i;
    ngx_http_blog_site_t  **sites;
    ngx_http_blog_share_t  *share;

    if (bmcf->sites.nelts == 0) {
        return NGX_OK;
    }

    if (bmcf->index_zone_size == NGX_CONF_UNSET_SIZE) {
        bmcf->index_zone_size = NGX_HTTP_BLOG_INDEX_ZONE;
    }

    share = ngx_pcalloc(cf->pool, sizeof(ngx_http_blog_share_t));
    if (share == NULL) {
        return NGX_ERROR;
    }

    share->nsites = bmcf->sites.nelts;
    share->keys = ngx_pnalloc(cf->pool, share->nsites * 16);
    share->sites = ngx_pcalloc(cf->pool,
                               share->nsites
                               * sizeof(ngx_http_blog_share_site_t *));

    if (share->keys == NULL || share->sites == NULL) {
        return NGX_ERROR;
    }

    sites = bmcf->sites.elts;

    for (i = 0; i < share->nsites; i++) {
        n[0] = sites[i]->opts.words_per_minute;
        n[1] = sites[i]->opts.max_post_size;
        n[2] = sites[i]->opts.max_front_matter;
        n[3] = sites[i]->opts.max_depth;
        n[4] = sites[i]->opts.drafts;
        n[5] = sites[i]->opts.markdown;

        ngx_md5_init(&md5);
        ngx_md5_update(&md5, sites[i]->root.data, sites[i]->root.len + 1);
        ngx_md5_update(&md5, n, sizeof(n));
        ngx_md5_final(&share->keys[i * 16], &md5);
    }

    ngx_str_set(&name, NGX_HTTP_BLOG_SHARE_NAME);

    share->shm_zone = ngx_shared_memory_add(cf, &name, bmcf->index_zone_size,
                                            &ngx_http_blog_module);
    if (share->shm_zone == NULL) {
        return NGX_ERROR;
    }

    share->shm_zone->init = ngx_http_blog_share_init_zone;
    share->shm_zone->data = share;

    bmcf->share = share;

    return NGX_OK;
}


/*
 * The zone is made, or kept from the configuration before (DATA): each
 * site finds its place in it, or gets one.  Old workers may be using it:
 * under the lock.
 */

static ngx_int_t
ngx_http_blog_share_init_zone(ngx_shm_zone_t *shm_zone, void *data)
{
    ngx_http_blog_share_t *oshare = data;

    ngx_int_t                    rc;
    ngx_uint_t                   i;
    ngx_slab_pool_t             *shpool;
    ngx_http_blog_share_t       *share;
    ngx_http_blog_share_sh_t    *sh;
    ngx_http_blog_share_site_t  *ss;

    share = shm_zone->data;
    shpool = (ngx_slab_pool_t *) shm_zone->shm.addr;

    share->shpool = shpool;

    if (oshare != NULL) {
        sh = oshare->sh;

    } else {
        sh = ngx_slab_calloc(shpool, sizeof(ngx_http_blog_share_sh_t));
        if (sh == NULL) {
            return NGX_ERROR;
        }

        shpool->data = sh;
        shpool->log_ctx = (u_char *) " in blog_index_zone";
        shpool->log_nomem = 0;
    }

    share->sh = sh;

    rc = NGX_OK;

    ngx_shmtx_lock(&shpool->mutex);

    for (i = 0; i < share->nsites; i++) {

        for (ss = sh->sites; ss != NULL; ss = ss->next) {
            if (ngx_memcmp(ss->key, &share->keys[i * 16], 16) == 0) {
                break;
            }
        }

        if (ss == NULL) {
            ss = ngx_slab_calloc_locked(shpool,
                                        sizeof(ngx_http_blog_share_site_t));
            if (ss == NULL) {
                rc = NGX_ERROR;
                break;
            }

            ngx_memcpy(ss->key, &share->keys[i * 16], 16);
            ss->next = sh->sites;
            sh->sites = ss;
        }

        share->sites[i] = ss;
    }

    ngx_shmtx_unlock(&shpool->mutex);

    return rc;
}


/* a worker starts: its slot in the zone is its own */

void
ngx_http_blog_share_start(ngx_http_blog_share_t *share)
{
    ngx_uint_t  i;

    if (share == NULL) {
        return;
    }

    share->slot = ngx_process_slot;

    ngx_shmtx_lock(&share->shpool->mutex);

    share->sh->pids[share->slot] = ngx_pid;

    for (i = 0; i < share->nsites; i++) {
        share->sites[i]->oldest[share->slot] = 0;
    }

    ngx_shmtx_unlock(&share->shpool->mutex);
}


/* a worker exits: its roles and generations go */

void
ngx_http_blog_share_stop(ngx_http_blog_share_t *share)
{
    ngx_uint_t                   i;
    ngx_http_blog_share_site_t  *ss;

    if (share == NULL || share->sh == NULL) {
        return;
    }

    ngx_shmtx_lock(&share->shpool->mutex);

    if (share->sh->pids[share->slot] == ngx_pid) {
        share->sh->pids[share->slot] = 0;
    }

    for (i = 0; i < share->nsites; i++) {
        ss = share->sites[i];

        ss->oldest[share->slot] = 0;

        if (ss->builder == ngx_pid) {
            ss->builder = 0;
            ss->lease = 0;
        }

        if (ss->pending != NULL && ss->pending_pid == ngx_pid) {
            ngx_http_blog_share_unpend(share, ss, 1);
        }
    }

    ngx_shmtx_unlock(&share->shpool->mutex);
}


/*
 * Takes or renews the builder role of a site: NGX_OK when this worker is
 * to build its index.  A role is taken over once its lease ran out or its
 * worker died; a copy a dead builder began is freed then.
 */

ngx_int_t
ngx_http_blog_share_lead(ngx_http_blog_site_t *site)
{
    int64_t                      now;
    ngx_int_t                    rc;
    ngx_http_blog_share_t       *share;
    ngx_http_blog_share_site_t  *ss;

    share = site->share;
    ss = ngx_http_blog_share_site(site);
    now = blog_monotonic_ms();
    rc = NGX_DECLINED;

    ngx_shmtx_lock(&share->shpool->mutex);

    if (ss->pending != NULL && ss->pending_pid != ngx_pid
        && !ngx_http_blog_share_alive(ss->pending_pid))
    {
        ngx_http_blog_share_unpend(share, ss, 1);
    }

    if (ss->builder == ngx_pid
        || ((ss->builder == 0 || ss->lease < now
             || !ngx_http_blog_share_alive(ss->builder))
            && ss->pending == NULL))
    {
        if (ss->builder != ngx_pid) {
            ngx_log_debug1(NGX_LOG_DEBUG_HTTP, site->log, 0,
                           "blog: this worker builds the index of \"%V\"",
                           &site->root);
        }

        ss->builder = ngx_pid;
        ss->lease = now + ngx_max(NGX_HTTP_BLOG_LEASE_MIN,
                                  NGX_HTTP_BLOG_LEASE_INTERVALS
                                  * (int64_t) site->interval);
        rc = NGX_OK;

        ngx_http_blog_share_collect(share, ss);
    }

    ngx_shmtx_unlock(&share->shpool->mutex);

    return rc;
}


/* a worker that exits gives the role up, to the workers that stay */

void
ngx_http_blog_share_resign(ngx_http_blog_site_t *site)
{
    ngx_http_blog_share_t       *share;
    ngx_http_blog_share_site_t  *ss;

    share = site->share;
    ss = ngx_http_blog_share_site(site);

    ngx_shmtx_lock(&share->shpool->mutex);

    if (ss->builder == ngx_pid && ss->pending == NULL) {
        ss->builder = 0;
        ss->lease = 0;
    }

    ngx_shmtx_unlock(&share->shpool->mutex);
}


/*
 * In a thread of the pool: a copy of the index the builder built, in the
 * zone, or NULL when the zone has no room for it.  The copy is pending
 * until published.  In this builder's epoch, it copies the posts that
 * changed since the generation before.
 */

blog_index_t *
ngx_http_blog_share_copy(ngx_http_blog_site_t *site, blog_index_t *ix)
{
    size_t                       read, live;
    u_char                      *block;
    uint64_t                     since;
    ngx_uint_t                   i, whole, ngens;
    blog_copy_t                  c;
    blog_index_t                *copy;
    ngx_http_blog_posts_t       *posts;
    ngx_http_blog_share_t       *share;
    ngx_http_blog_share_site_t  *ss;

    share = site->share;
    ss = ngx_http_blog_share_site(site);

    ngx_memzero(&c, sizeof(blog_copy_t));

    ngx_shmtx_lock(&share->shpool->mutex);

    since = (ss->epoch != 0 && ss->epoch_pid == ngx_pid) ? ss->epoch : 0;
    c.mark = ss->number + 1;

    ngx_shmtx_unlock(&share->shpool->mutex);

    c.since = since;
    ngx_http_blog_share_size(site, ix, &c);

    /*
     * The blocks it would read hold too many posts since replaced (a
     * quarter more than its posts), or they are not known: every post is
     * copied.
     */

    read = c.posts;

    for (i = 0; i < site->nreads; i++) {
        posts = site->reads[i];
        read += posts->size;
    }

    live = c.taken + c.posts;
    whole = (since != 0 && (read > live + live / 4 || site->reads_failed));

    if (whole) {
        c.since = 0;
        ngx_http_blog_share_size(site, ix, &c);
    }

    c.more = ngx_http_blog_share_more;

again:

    ngx_shmtx_lock(&share->shpool->mutex);

    if (ss->builder != ngx_pid || ss->pending != NULL
        || c.mark != ss->number + 1)
    {
        /* the role was lost meanwhile */
        ngx_shmtx_unlock(&share->shpool->mutex);
        return NULL;
    }

    block = ngx_slab_alloc_locked(share->shpool, c.index);

    if (block != NULL) {
        ss->pending = block;
        ss->pending_pid = ngx_pid;
        ss->pending_size = c.index;
        ss->pending_posts = NULL;
        ss->pending_number = c.mark;
        ss->pending_whole = (c.since == 0);
    }

    ngx_shmtx_unlock(&share->shpool->mutex);

    copy = NULL;

    if (block != NULL) {
        copy = blog_index_copy(ix, &c, block);

        if (copy == NULL) {
            /* no room for a block of posts: the posts are as they were */
            ngx_shmtx_lock(&share->shpool->mutex);

            if (ss->pending == block) {
                ngx_http_blog_share_unpend(share, ss, 0);
            }

            ngx_shmtx_unlock(&share->shpool->mutex);
        }
    }

    if (copy != NULL) {
        return copy;
    }

    /*
     * No room for every post while the generations before are in use:
     * the copy waits for them, as below.  With none but the current one,
     * it copies the posts that changed, if there is room for those.
     */

    ngx_shmtx_lock(&share->shpool->mutex);

    ngens = ss->ngens;

    if (ngens <= 1 && !(whole && !site->reads_failed)) {
        ss->full = 1;
    }

    ngx_shmtx_unlock(&share->shpool->mutex);

    if (ngens <= 1 && whole && !site->reads_failed) {
        whole = 0;
        c.since = since;
        ngx_http_blog_share_size(site, ix, &c);

        goto again;
    }

    if (ngens > 1) {
        /*
         * Generations before the current one, which workers still use,
         * take the room: once they let them go, another scan copies
         * its index again.
         */

        site->share_later = 1;
    }

    site->share_size = c.index + c.posts;

    return NULL;
}


/* in the copy's threads: a block for posts, pending with the copy */

static u_char *
ngx_http_blog_share_more(void *data, size_t need, size_t *size,
    void **block)
{
    ngx_http_blog_site_t *site = data;

    size_t                       n;
    ngx_http_blog_posts_t       *posts;
    ngx_http_blog_share_t       *share;
    ngx_http_blog_share_site_t  *ss;

    share = site->share;
    ss = ngx_http_blog_share_site(site);

    n = ngx_align(NGX_HTTP_BLOG_POSTS_HEAD + need, NGX_HTTP_BLOG_POSTS_BLOCK);

    ngx_shmtx_lock(&share->shpool->mutex);

    posts = ngx_slab_alloc_locked(share->shpool, n);

    if (posts != NULL) {
        posts->next = ss->pending_posts;
        posts->last = 0;
        posts->seen = 0;
        posts->size = n;

        ss->pending_posts = posts;
    }

    ngx_shmtx_unlock(&share->shpool->mutex);

    if (posts == NULL) {
        return NULL;
    }

    *size = n - NGX_HTTP_BLOG_POSTS_HEAD;
    *block = posts;

    return (u_char *) posts + NGX_HTTP_BLOG_POSTS_HEAD;
}


/* the sizes of a copy, and the blocks of posts it reads: site->reads */

static void
ngx_http_blog_share_size(ngx_http_blog_site_t *site, blog_index_t *ix,
    blog_copy_t *c)
{
    site->nreads = 0;
    site->reads_failed = 0;
    site->reads_pass++;

    c->reads = ngx_http_blog_share_reads;
    c->data = site;

    blog_index_size(ix, c);
}


/*
 * A block of posts the copy reads: it is the current generation's, which
 * keeps it, and only the builder writes "seen".
 */

static void
ngx_http_blog_share_reads(void *data, void *block)
{
    ngx_http_blog_site_t *site = data;

    ngx_uint_t               n;
    ngx_http_blog_posts_t   *posts, **reads;

    posts = block;

    if (posts->seen == site->reads_pass) {
        return;
    }

    posts->seen = site->reads_pass;

    if (site->nreads == site->reads_size) {
        n = site->reads_size ? site->reads_size * 2 : 16;

        reads = ngx_alloc(n * sizeof(ngx_http_blog_posts_t *), site->log);
        if (reads == NULL) {
            site->reads_failed = 1;
            return;
        }

        if (site->nreads) {
            ngx_memcpy(reads, site->reads,
                       site->nreads * sizeof(ngx_http_blog_posts_t *));
        }

        ngx_free(site->reads);
        site->reads = (void **) reads;
        site->reads_size = n;
    }

    site->reads[site->nreads++] = posts;
}


/*
 * A copy that is not to be published: its blocks are freed.  Once its
 * posts remember it (RESET), the next copy copies every post.  With the
 * mutex held.
 */

static void
ngx_http_blog_share_unpend(ngx_http_blog_share_t *share,
    ngx_http_blog_share_site_t *ss, ngx_uint_t reset)
{
    ngx_http_blog_posts_t  *posts;

    ngx_slab_free_locked(share->shpool, ss->pending);

    while (ss->pending_posts != NULL) {
        posts = ss->pending_posts;
        ss->pending_posts = posts->next;

        ngx_slab_free_locked(share->shpool, posts);
    }

    ss->pending = NULL;

    if (reset) {
        ss->epoch = 0;
    }
}


/*
 * Makes a copy current, unless the role was lost meanwhile: the workers
 * take it from their next request on.  Its number, or 0.
 */

uint64_t
ngx_http_blog_share_publish(ngx_http_blog_site_t *site, blog_index_t *copy)
{
    ngx_uint_t                   i;
    ngx_http_blog_gen_t         *gen;
    ngx_http_blog_posts_t       *posts;
    ngx_http_blog_share_t       *share;
    ngx_http_blog_share_site_t  *ss;

    share = site->share;
    ss = ngx_http_blog_share_site(site);

    ngx_shmtx_lock(&share->shpool->mutex);

    if (ss->pending != copy) {
        /* freed by a builder that took over: its posts remember it */

        if (ss->epoch_pid == ngx_pid) {
            ss->epoch = 0;
        }

        ngx_shmtx_unlock(&share->shpool->mutex);
        return 0;
    }

    gen = NULL;

    if (ss->builder == ngx_pid && ss->pending_number == ss->number + 1) {
        gen = ngx_slab_alloc_locked(share->shpool,
                                    sizeof(ngx_http_blog_gen_t));
    }

    if (gen == NULL) {
        ngx_http_blog_share_unpend(share, ss, 1);
        ngx_shmtx_unlock(&share->shpool->mutex);
        return 0;
    }

    gen->number = ss->pending_number;
    gen->index = copy;
    gen->size = ss->pending_size;
    gen->next = ss->gens;

    if (ss->pending_whole) {
        ss->epoch = gen->number;
        ss->epoch_pid = ngx_pid;

    } else {
        /* the blocks of posts it reads stay while it is kept */

        for (i = 0; i < site->nreads; i++) {
            posts = site->reads[i];
            posts->last = gen->number;
        }
    }

    while (ss->pending_posts != NULL) {
        posts = ss->pending_posts;
        ss->pending_posts = posts->next;

        posts->last = gen->number;
        posts->next = ss->posts;
        ss->posts = posts;
        ss->bytes += posts->size;
    }

    ss->pending = NULL;
    ss->pending_posts = NULL;

    ss->gens = gen;
    ss->ngens++;
    ss->bytes += gen->size;
    ss->builds++;
    ss->index = copy;

    /* one word each: readers without the lock see the old or the new */

    ss->scanned = (ngx_atomic_uint_t) copy->generation;
    ss->number = gen->number;

    ngx_http_blog_share_collect(share, ss);

    ngx_shmtx_unlock(&share->shpool->mutex);

    return gen->number;
}


/*
 * A scan found what the current generation shows, which this worker
 * published: the generation stands for it too.
 */

void
ngx_http_blog_share_confirm(ngx_http_blog_site_t *site, int64_t started)
{
    ngx_http_blog_share_site_t  *ss;

    ss = ngx_http_blog_share_site(site);

    ngx_http_blog_share_raise(site->share, &ss->scanned, started);
}


/* the number of the current generation */

uint64_t
ngx_http_blog_share_current(ngx_http_blog_site_t *site)
{
    return ngx_http_blog_share_site(site)->number;
}


/* a scan of the builder failed: the requests waiting for it are told */

void
ngx_http_blog_share_failed(ngx_http_blog_site_t *site, int64_t started)
{
    ngx_http_blog_share_site_t  *ss;

    ss = ngx_http_blog_share_site(site);

    ngx_http_blog_share_raise(site->share, &ss->failed, started);
}


/* a time in the zone that only goes forward */

static void
ngx_http_blog_share_raise(ngx_http_blog_share_t *share, ngx_atomic_t *v,
    int64_t to)
{
    ngx_shmtx_lock(&share->shpool->mutex);

    if ((int64_t) *v < to) {
        *v = (ngx_atomic_uint_t) to;
    }

    ngx_shmtx_unlock(&share->shpool->mutex);
}


/*
 * Takes the current generation when it is newer than the one the worker
 * has: site->index is then the newest.  Cheap when nothing changed.
 */

void
ngx_http_blog_share_take(ngx_http_blog_site_t *site)
{
    uint64_t                     number;
    ngx_queue_t                 *q;
    blog_index_t                *index;
    ngx_http_blog_held_t        *held, *newest;
    ngx_http_blog_share_t       *share;
    ngx_http_blog_share_site_t  *ss;

    share = site->share;
    ss = ngx_http_blog_share_site(site);

    if (ss->number == site->share_number) {
        return;
    }

    held = ngx_alloc(sizeof(ngx_http_blog_held_t), site->log);
    if (held == NULL) {
        return;
    }

    ngx_shmtx_lock(&share->shpool->mutex);

    number = ss->number;
    index = ss->index;

    if (ss->oldest[share->slot] == 0) {
        ss->oldest[share->slot] = number;
    }

    ngx_shmtx_unlock(&share->shpool->mutex);

    held->number = number;
    held->index = index;
    held->refs = 0;

    /* the one it had stays while requests use it */

    if (!ngx_queue_empty(&site->held)) {
        q = ngx_queue_last(&site->held);
        newest = ngx_queue_data(q, ngx_http_blog_held_t, queue);

        if (newest->refs == 0) {
            ngx_queue_remove(q);
            ngx_free(newest);
        }
    }

    ngx_queue_insert_tail(&site->held, &held->queue);

    site->share_number = number;
    site->index = index;

    ngx_http_blog_share_oldest(site);
}


/* a request uses the worker's newest index, or lets it go */

void
ngx_http_blog_share_hold(ngx_http_blog_site_t *site, blog_index_t *ix)
{
    ngx_queue_t           *q;
    ngx_http_blog_held_t  *held;

    for (q = ngx_queue_last(&site->held);
         q != ngx_queue_sentinel(&site->held);
         q = ngx_queue_prev(q))
    {
        held = ngx_queue_data(q, ngx_http_blog_held_t, queue);

        if (held->index == ix) {
            held->refs++;
            return;
        }
    }
}


void
ngx_http_blog_share_release(ngx_http_blog_site_t *site, blog_index_t *ix)
{
    ngx_queue_t           *q;
    ngx_http_blog_held_t  *held;

    for (q = ngx_queue_last(&site->held);
         q != ngx_queue_sentinel(&site->held);
         q = ngx_queue_prev(q))
    {
        held = ngx_queue_data(q, ngx_http_blog_held_t, queue);

        if (held->index != ix) {
            continue;
        }

        if (--held->refs == 0 && q != ngx_queue_last(&site->held)) {
            ngx_queue_remove(q);
            ngx_free(held);

            ngx_http_blog_share_oldest(site);
        }

        return;
    }
}


/* the worker's slot: the oldest generation it still uses */

static void
ngx_http_blog_share_oldest(ngx_http_blog_site_t *site)
{
    ngx_queue_t            *q;
    ngx_http_blog_held_t   *held;
    ngx_http_blog_share_t  *share;

    share = site->share;

    if (ngx_queue_empty(&site->held)) {
        return;
    }

    q = ngx_queue_head(&site->held);
    held = ngx_queue_data(q, ngx_http_blog_held_t, queue);

    /* it only grows: no lock needed to let generations go */

    ngx_http_blog_share_site(site)->oldest[share->slot] = held->number;
}


/* the worker is exiting: what it holds goes with it */

void
ngx_http_blog_share_drop(ngx_http_blog_site_t *site)
{
    ngx_queue_t           *q;
    ngx_http_blog_held_t  *held;

    while (!ngx_queue_empty(&site->held)) {
        q = ngx_queue_head(&site->held);
        ngx_queue_remove(q);

        held = ngx_queue_data(q, ngx_http_blog_held_t, queue);
        ngx_free(held);
    }

    site->index = NULL;
    site->share_number = 0;

    ngx_free(site->reads);
    site->reads = NULL;
    site->nreads = 0;
    site->reads_size = 0;
}


/*
 * Frees the generations no live worker uses, but the current one.  With
 * the mutex held.
 */

static void
ngx_http_blog_share_collect(ngx_http_blog_share_t *share,
    ngx_http_blog_share_site_t *ss)
{
    uint64_t                oldest, o;
    ngx_uint_t              i;
    ngx_http_blog_gen_t    *gen, **prev;
    ngx_http_blog_posts_t  *posts, **pprev;

    oldest = ss->number;

    for (i = 0; i < NGX_MAX_PROCESSES; i++) {
        if (share->sh->pids[i] == 0) {
            continue;
        }

        o = ss->oldest[i];

        if (o == 0 || o >= oldest) {
            continue;
        }

        if (share->sh->pids[i] != ngx_pid
            && !ngx_http_blog_share_alive(share->sh->pids[i]))
        {
            share->sh->pids[i] = 0;
            continue;
        }

        oldest = o;
    }

    prev = &ss->gens;

    for (gen = ss->gens; gen != NULL; gen = *prev) {

        if (gen->number >= oldest) {
            prev = &gen->next;
            continue;
        }

        *prev = gen->next;

        ss->ngens--;
        ss->bytes -= gen->size;

        ngx_slab_free_locked(share->shpool, gen->index);
        ngx_slab_free_locked(share->shpool, gen);
    }

    /* the blocks of posts no generation kept reads */

    oldest = ss->number;

    for (gen = ss->gens; gen != NULL; gen = gen->next) {
        oldest = ngx_min(oldest, gen->number);
    }

    pprev = &ss->posts;

    for (posts = ss->posts; posts != NULL; posts = *pprev) {

        if (posts->last >= oldest) {
            pprev = &posts->next;
            continue;
        }

        *pprev = posts->next;

        ss->bytes -= posts->size;

        ngx_slab_free_locked(share->shpool, posts);
    }
}


/* figures for blog_status */

void
ngx_http_blog_share_stats(ngx_http_blog_site_t *site,
    ngx_http_blog_share_stats_t *st)
{
    ngx_http_blog_share_t       *share;
    ngx_http_blog_share_site_t  *ss;

    ngx_memzero(st, sizeof(ngx_http_blog_share_stats_t));

    share = site->share;

    if (share == NULL || share->sh == NULL) {
        return;
    }

    ss = ngx_http_blog_share_site(site);

    ngx_shmtx_lock(&share->shpool->mutex);

    st->number = ss->number;
    st->builder = ss->builder;
    st->generations = ss->ngens;
    st->bytes = ss->bytes;
    st->builds = ss->builds;
    st->watches = ss->watches;
    st->scans = ss->scans;

    ngx_shmtx_unlock(&share->shpool->mutex);

    st->zone_size = share->shm_zone->shm.size;
}


/* an index had no room in the zone: each worker builds its own now */

ngx_uint_t
ngx_http_blog_share_full(ngx_http_blog_site_t *site)
{
    return ngx_http_blog_share_site(site)->full;
}


/* how many folders the builder watches, 0 when it scans at intervals */

void
ngx_http_blog_share_watches(ngx_http_blog_site_t *site, ngx_uint_t n)
{
    ngx_http_blog_share_site(site)->watches = n;
}


ngx_uint_t
ngx_http_blog_share_watched(ngx_http_blog_site_t *site)
{
    return site->share != NULL && ngx_http_blog_share_site(site)->watches;
}


/* the builder finished a scan */

void
ngx_http_blog_share_count_scan(ngx_http_blog_site_t *site)
{
    ngx_atomic_fetch_add(&ngx_http_blog_share_site(site)->scans, 1);
}


/* a request waits for a scan begun after SINCE: the builder looks */

void
ngx_http_blog_share_want(ngx_http_blog_site_t *site, int64_t since)
{
    ngx_http_blog_share_site_t  *ss;

    ss = ngx_http_blog_share_site(site);

    ngx_http_blog_share_raise(site->share, &ss->wanted, since);
}


int64_t
ngx_http_blog_share_wanted(ngx_http_blog_site_t *site)
{
    return (int64_t) ngx_http_blog_share_site(site)->wanted;
}


/* the newest scan the builder finished, or saw fail, in mono ms */

int64_t
ngx_http_blog_share_scanned(ngx_http_blog_site_t *site)
{
    int64_t                      failed, scanned;
    ngx_http_blog_share_site_t  *ss;

    ss = ngx_http_blog_share_site(site);

    scanned = (int64_t) ss->scanned;
    failed = (int64_t) ss->failed;

    return ngx_max(scanned, failed);
}


static ngx_uint_t
ngx_http_blog_share_alive(ngx_pid_t pid)
{
    return kill(pid, 0) == 0 || ngx_errno != NGX_ESRCH;
}
