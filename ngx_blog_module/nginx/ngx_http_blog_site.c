
/*
 * Sites: one content root with the options that shape its index, shared
 * by every location that serves it.  The index is rebuilt every
 * blog_check_interval in nginx's thread pool, so the folder walk never
 * runs on the event loop; the finished index replaces the old one between
 * two events.
 *
 * One worker builds it for the whole server and the others read its copy
 * in the index zone (share); each takes the newest generation before it
 * answers a request, so once one worker showed a change no worker shows
 * what came before it.  With blog_check_interval 0, or when the zone has
 * no room for an index, each worker builds its own.  Problems the core
 * found are logged once, by the builder or the first worker, when they
 * first appear.
 */


#include "ngx_http_blog_module.h"

#if (NGX_LINUX && defined __GLIBC__)
#include <malloc.h>
#endif


#include <pwd.h>


/* a scan the thread pool had no room for, with no interval: retried */
#define NGX_HTTP_BLOG_RETRY       100

/* how often a worker that waits for the builder looks, in ms; how often
 * the builder looks for other workers that wait, at most and at least */
#define NGX_HTTP_BLOG_POLL        10
#define NGX_HTTP_BLOG_POLL_IDLE   100

/* how often, at least, a worker looks whether the builder still lives */
#define NGX_HTTP_BLOG_TICK        1000

/* a watched site is scanned this often all the same, for what inotify
 * does not see (a network file system changed from another machine) */
#define NGX_HTTP_BLOG_RESCAN      300000


typedef struct {
    ngx_http_blog_site_t      *site;
    blog_index_t              *prev;
    blog_index_t              *index;
    blog_index_t              *copy;       /* in the index zone */
    blog_options_t            *opts;
    blog_changes_t             changes;    /* what the watch saw */
    int64_t                    now;
    int64_t                    started;    /* monotonic ms */
    unsigned                   same:1;     /* as the one before */
    unsigned                   restore:1;  /* prev from blog_index_path */
    unsigned                   restored:1; /* ... found there */
} ngx_http_blog_build_t;


static void ngx_http_blog_site_refresh(ngx_event_t *ev);
static void ngx_http_blog_site_tick(ngx_http_blog_site_t *site);
static void ngx_http_blog_site_poll(ngx_event_t *ev);
static void ngx_http_blog_site_poll_soon(ngx_http_blog_site_t *site);
static void ngx_http_blog_site_changed(ngx_event_t *ev);
static void ngx_http_blog_site_watch(ngx_http_blog_site_t *site);
static void ngx_http_blog_site_next(ngx_http_blog_site_t *site);
static void ngx_http_blog_site_ready(ngx_http_blog_site_t *site);
static void ngx_http_blog_site_build(ngx_http_blog_site_t *site);
static void ngx_http_blog_site_built(ngx_http_blog_site_t *site,
    blog_index_t *index);
static void ngx_http_blog_site_published(ngx_http_blog_site_t *site,
    ngx_http_blog_build_t *build);
static void ngx_http_blog_site_own(ngx_http_blog_site_t *site);
static ngx_uint_t ngx_http_blog_site_same(blog_index_t *prev,
    blog_index_t *ix);
static void ngx_http_blog_site_log(ngx_http_blog_site_t *site,
    blog_index_t *index);
static void ngx_http_blog_site_user(void);


/* the user the worker runs as, for messages about what it may not read */
static char  ngx_http_blog_user[64];
static void ngx_http_blog_build_thread(void *data, ngx_log_t *log);
static void ngx_http_blog_build_done(ngx_event_t *ev);


ngx_http_blog_site_t *
ngx_http_blog_site_add(ngx_conf_t *cf, ngx_http_blog_loc_conf_t *blcf)
{
    ngx_uint_t                  i;
    blog_options_t              opts;
    ngx_http_blog_site_t       *site, **sites;
    ngx_http_blog_main_conf_t  *bmcf;

    ngx_memzero(&opts, sizeof(blog_options_t));

    opts.words_per_minute = blcf->words_per_minute;
    opts.max_post_size = blcf->max_post_size;
    opts.max_front_matter = blcf->max_front_matter_size;
    opts.max_depth = blcf->max_front_matter_depth;
    opts.drafts = blcf->drafts ? 1 : 0;
    opts.markdown = blcf->markdown;

    bmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_blog_module);

    sites = bmcf->sites.elts;

    for (i = 0; i < bmcf->sites.nelts; i++) {
        site = sites[i];

        if (site->root.len == blcf->root.len
            && ngx_strcmp(site->root.data, blcf->root.data) == 0
            && ngx_memcmp(&site->opts, &opts, sizeof(blog_options_t)) == 0)
        {
            if (blcf->check_interval < site->interval) {
                site->interval = blcf->check_interval;
            }

            /* a location that has it off turns the watch off */

            if (!blcf->watch) {
                site->watchable = 0;
            }

            return site;
        }
    }

    site = ngx_pcalloc(cf->pool, sizeof(ngx_http_blog_site_t));
    if (site == NULL) {
        return NULL;
    }

    site->root = blcf->root;
    site->opts = opts;
    site->interval = blcf->check_interval;
    site->number = bmcf->sites.nelts;
    site->watchable = blcf->watch ? 1 : 0;

    site->thread_pool = ngx_thread_pool_add(cf, NULL);
    if (site->thread_pool == NULL) {
        return NULL;
    }

    sites = ngx_array_push(&bmcf->sites);
    if (sites == NULL) {
        return NULL;
    }

    *sites = site;

    if (blog_date_init() != BLOG_OK) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "blog: cannot compile the date pattern");
        return NULL;
    }

    return site;
}


/*
 * Each worker starts by building its sites' indexes in the thread pool;
 * requests that come before an index is ready wait for it, without
 * blocking the worker.
 */

ngx_int_t
ngx_http_blog_sites_start(ngx_cycle_t *cycle)
{
    ngx_uint_t                  i;
    ngx_http_blog_site_t       *site, **sites;
    ngx_http_blog_main_conf_t  *bmcf;

    /* the cache manager and loader serve no requests and have no threads */

    if (ngx_process != NGX_PROCESS_WORKER
        && ngx_process != NGX_PROCESS_SINGLE)
    {
        return NGX_OK;
    }

    bmcf = ngx_http_cycle_get_module_main_conf(cycle, ngx_http_blog_module);
    if (bmcf == NULL) {
        return NGX_OK;
    }

    ngx_http_blog_site_user();

    ngx_http_blog_share_start(bmcf->share);

    sites = bmcf->sites.elts;

    for (i = 0; i < bmcf->sites.nelts; i++) {
        site = sites[i];
        site->log = cycle->log;

        /* a file saved in place is whole once it has stood still */

        site->settle_ms = blog_file_settle_ms(site->interval);
        site->opts.settle_ms = site->settle_ms;

        ngx_queue_init(&site->waiting);
        ngx_queue_init(&site->riding);
        ngx_queue_init(&site->rendering);
        ngx_queue_init(&site->held);

        /* with no interval, each request wants its own scan */

        site->share = bmcf->share;
        site->shared = (site->share != NULL && site->interval != 0);

        /* only the builder of a shared index watches its folders */

        if (!site->shared) {
            site->watchable = 0;
        }

        site->opts.folder = ngx_http_blog_watch_folder;
        site->opts.folder_data = site;

        /*
         * Watched, a save in place is told when its writer closes the
         * file, and no scan comes before, unless another file changes: it
         * must stand still as long as with the shortest check interval
         * only.
         */

        site->watched = site->opts;
        site->watched.settle_ms = BLOG_SETTLE_MIN;

        site->task = ngx_thread_task_alloc(cycle->pool,
                                           sizeof(ngx_http_blog_build_t));
        if (site->task == NULL) {
            return NGX_ERROR;
        }

        site->task->handler = ngx_http_blog_build_thread;
        site->task->event.handler = ngx_http_blog_build_done;
        site->task->event.data = site;

        site->timer.handler = ngx_http_blog_site_refresh;
        site->timer.data = site;
        site->timer.log = cycle->log;
        site->timer.cancelable = 1;

        site->poll.handler = ngx_http_blog_site_poll;
        site->poll_ms = NGX_HTTP_BLOG_POLL;
        site->poll.data = site;
        site->poll.log = cycle->log;
        site->poll.cancelable = 1;

        site->changed.handler = ngx_http_blog_site_changed;
        site->changed.data = site;
        site->changed.log = cycle->log;
        site->changed.cancelable = 1;

        ngx_http_blog_keep_start(site, cycle);

        if (site->shared) {
            ngx_http_blog_site_tick(site);

        } else {
            ngx_http_blog_site_build(site);
        }
    }

    return NGX_OK;
}


void
ngx_http_blog_sites_stop(ngx_cycle_t *cycle)
{
    ngx_uint_t                  i;
    ngx_http_blog_build_t      *build;
    ngx_http_blog_site_t      **sites;
    ngx_http_blog_main_conf_t  *bmcf;

    bmcf = ngx_http_cycle_get_module_main_conf(cycle, ngx_http_blog_module);
    if (bmcf == NULL) {
        return;
    }

    sites = bmcf->sites.elts;

    for (i = 0; i < bmcf->sites.nelts; i++) {

        /*
         * A scan still posted: the thread pool module, a core module, has
         * already run its exit_process, which lets every queued task finish
         * before its threads end, so the scan is done but its completion
         * event will never run.  It holds its own reference to the index
         * it started from.
         */

        if (sites[i]->building) {
            build = sites[i]->task->ctx;

            blog_index_release(build->prev);
            blog_index_release(build->index);
            build->prev = NULL;
            build->index = NULL;
            sites[i]->building = 0;
        }

        ngx_http_blog_watch_stop(sites[i]);
        ngx_http_blog_keep_stop(sites[i]);

        blog_index_release(sites[i]->built);
        sites[i]->built = NULL;

        if (sites[i]->index != NULL && !sites[i]->index->frozen) {
            blog_index_release(sites[i]->index);
        }

        sites[i]->index = NULL;
        ngx_http_blog_share_drop(sites[i]);
    }

    /* a copy it was making goes too */

    ngx_http_blog_share_stop(bmcf->share);
}


/*
 * Parks a request until the next index is built: the first one, or, with
 * blog_check_interval 0, one that starts after the request came.
 */

void
ngx_http_blog_site_wait(ngx_http_blog_site_t *site, ngx_queue_t *q)
{
    ngx_http_blog_ctx_t  *ctx;

    if (site->shared) {

        /* any index will do for the first; else one scanned from now on */

        ctx = ngx_queue_data(q, ngx_http_blog_ctx_t, queue);
        ctx->since = site->index ? blog_monotonic_ms() : 0;

        ngx_queue_insert_tail(&site->waiting, q);

        if (!site->building && ngx_http_blog_share_lead(site) == NGX_OK) {
            /* the builder: no need to wait for the interval */
            site->leading = 1;
            ngx_http_blog_site_build(site);

        } else {
            /* the builder scans at once for it */
            ngx_http_blog_share_want(site, ctx->since);
        }

        ngx_http_blog_site_poll_soon(site);

        return;
    }

    if (site->index == NULL && site->building) {
        /* any index will do */
        ngx_queue_insert_tail(&site->riding, q);
        return;
    }

    ngx_queue_insert_tail(&site->waiting, q);

    ngx_http_blog_site_build(site);
}


static void
ngx_http_blog_site_refresh(ngx_event_t *ev)
{
    ngx_http_blog_site_t  *site = ev->data;

    if (site->shared) {
        ngx_http_blog_site_tick(site);
        return;
    }

    ngx_http_blog_site_build(site);
}


/*
 * Every check interval, in every worker: the newest generation, and the
 * builder role, taken or renewed; its holder scans.
 */

static void
ngx_http_blog_site_tick(ngx_http_blog_site_t *site)
{
    if (ngx_http_blog_share_full(site)) {
        ngx_http_blog_site_own(site);
        return;
    }

    ngx_http_blog_share_take(site);
    ngx_http_blog_site_ready(site);

    if (ngx_exiting || ngx_terminate || ngx_quit) {
        site->leading = 0;
        ngx_http_blog_site_watch(site);

        if (!site->building) {
            ngx_http_blog_share_resign(site);
        }

        return;
    }

    /* the lease is renewed while a long scan runs, too */

    site->leading = (ngx_http_blog_share_lead(site) == NGX_OK);

    ngx_http_blog_site_watch(site);

    /* a watched site is scanned when it changes, and now and then */

    if (site->leading && !site->building
        && (site->watch == NULL
            || (site->dirty && !site->changed.timer_set
                && !site->changed.posted)
            || blog_monotonic_ms() - site->last_start
               >= NGX_HTTP_BLOG_RESCAN))
    {
        ngx_http_blog_site_build(site);
    }

    /* the builder looks often for workers that wait for a scan */

    if (site->leading && site->interval > NGX_HTTP_BLOG_POLL
        && !site->poll.timer_set)
    {
        ngx_add_timer(&site->poll, site->poll_ms);
    }

    /*
     * The builder that scans every interval ticks so; the others, and a
     * watching builder, at least every second, so that a builder that
     * died is replaced soon, whatever the interval.
     */

    if (!site->timer.timer_set) {
        ngx_add_timer(&site->timer, (site->leading && site->watch == NULL)
                                    ? site->interval
                                    : ngx_min(site->interval,
                                              NGX_HTTP_BLOG_TICK));
    }
}


/* while requests wait for the builder, the zone is looked at often */

static void
ngx_http_blog_site_poll(ngx_event_t *ev)
{
    ngx_http_blog_site_t  *site = ev->data;

    if (!site->shared) {
        return;
    }

    if (ngx_http_blog_share_full(site)) {
        ngx_http_blog_site_own(site);
        return;
    }

    ngx_http_blog_share_take(site);
    ngx_http_blog_site_ready(site);

    /* another worker's requests wait for a scan begun after the last */

    if (site->leading && !site->building
        && ngx_http_blog_share_wanted(site) > site->last_start)
    {
        ngx_http_blog_site_build(site);
    }

    /* the builder may have gone: exiting, or killed */

    if (!ngx_queue_empty(&site->waiting) && !site->leading
        && !site->building && ngx_http_blog_share_lead(site) == NGX_OK)
    {
        site->leading = 1;
        ngx_http_blog_site_build(site);
    }

    /*
     * While requests wait, here or in another worker, every 10 ms; else
     * the builder looks less and less often, down to every 100 ms: an
     * idle blog costs few wakeups, and a request that comes to wait in
     * another worker waits 100 ms more at most.
     */

    if (!ngx_queue_empty(&site->waiting) || site->building
        || ngx_http_blog_share_wanted(site) > site->last_start)
    {
        site->poll_ms = NGX_HTTP_BLOG_POLL;

    } else {
        site->poll_ms = ngx_min(2 * site->poll_ms, NGX_HTTP_BLOG_POLL_IDLE);
    }

    if ((site->leading || !ngx_queue_empty(&site->waiting))
        && !site->poll.timer_set)
    {
        ngx_add_timer(&site->poll, site->poll_ms);
    }
}


/* requests wait here: look every 10 ms again */

static void
ngx_http_blog_site_poll_soon(ngx_http_blog_site_t *site)
{
    site->poll_ms = NGX_HTTP_BLOG_POLL;

    if (site->poll.timer_set
        && site->poll.timer.key > ngx_current_msec + NGX_HTTP_BLOG_POLL)
    {
        ngx_del_timer(&site->poll);
    }

    if (!site->poll.timer_set) {
        ngx_add_timer(&site->poll, NGX_HTTP_BLOG_POLL);
    }
}


/* the builder watches the site's folders; another worker does not */

static void
ngx_http_blog_site_watch(ngx_http_blog_site_t *site)
{
    if (site->leading) {
        if (site->watch == NULL && site->watchable
            && ngx_http_blog_watch_start(site) == NGX_OK)
        {
            /* the scan adds the watches of the folders */
            site->dirty = 1;
        }

        return;
    }

    if (site->watch == NULL) {
        return;
    }

    /* the scan that runs adds to the watch: it goes after */

    if (site->building) {
        site->unwatch = 1;
        return;
    }

    ngx_http_blog_watch_stop(site);
    ngx_http_blog_share_watches(site, 0);
}


/* a watched folder changed, or something held back settles */

static void
ngx_http_blog_site_changed(ngx_event_t *ev)
{
    ngx_http_blog_site_t  *site = ev->data;

    if (site->changed.timer_set) {
        ngx_del_timer(&site->changed);
    }

    if (!site->shared || !site->leading) {
        return;
    }

    if (site->building) {
        site->dirty = 1;
        return;
    }

    ngx_http_blog_site_build(site);
}


/*
 * A watched site changed: the next scan at once when a file was closed
 * whole, else once what changed has stood still for the settle time.
 */

void
ngx_http_blog_site_changes(ngx_http_blog_site_t *site, ngx_uint_t whole)
{
    ngx_event_t  *ev;

    ev = &site->changed;

    if (whole) {
        if (ev->timer_set) {
            ngx_del_timer(ev);
        }

        if (!ev->posted) {
            ngx_post_event(ev, &ngx_posted_events);
        }

        return;
    }

    if (!ev->timer_set && !ev->posted) {
        ngx_add_timer(ev, site->watched.settle_ms);
    }
}


/*
 * After a scan of a watched site: another at once if something changed
 * while it ran, else when what it held back settles, or a future post's
 * time comes.
 */

static void
ngx_http_blog_site_next(ngx_http_blog_site_t *site)
{
    ngx_msec_t     delay;
    blog_index_t  *ix;

    if (site->unwatch) {
        site->unwatch = 0;
        ngx_http_blog_watch_stop(site);
    }

    ngx_http_blog_share_count_scan(site);

    if (ngx_http_blog_watch_scanned(site) != NGX_OK) {
        ngx_http_blog_share_watches(site, 0);
        return;
    }

    ngx_http_blog_share_watches(site, ngx_http_blog_watch_count(site));

    if (site->dirty) {
        /*
         * Changed while it ran: the next at once for a file closed whole,
         * else once what changed settles too.
         */

        ngx_http_blog_site_changes(site, ngx_http_blog_watch_closed(site));
        return;
    }

    ix = site->built;
    delay = 0;

    if (ix != NULL && ix->held) {
        delay = site->watch ? site->watched.settle_ms : site->opts.settle_ms;
    }

    if (ix != NULL && ix->next_future
        && ix->next_future - ngx_time() < NGX_HTTP_BLOG_RESCAN / 1000)
    {
        /* a second late, at most: dates are in seconds */

        if (ix->next_future <= ngx_time()) {
            delay = 1;

        } else if (delay == 0
                   || (ix->next_future - ngx_time()) * 1000 < (time_t) delay)
        {
            delay = (ngx_msec_t) (ix->next_future - ngx_time()) * 1000;
        }
    }

    if (delay) {
        ngx_add_timer(&site->changed, delay);
    }
}


/* wakes the requests that waited for what the zone now has */

static void
ngx_http_blog_site_ready(ngx_http_blog_site_t *site)
{
    int64_t               scanned, have;
    ngx_queue_t          *q, *next, ready;
    ngx_http_blog_ctx_t  *ctx;

    if (ngx_queue_empty(&site->waiting)) {
        return;
    }

    scanned = ngx_http_blog_share_scanned(site);
    have = site->index ? site->index->generation : -1;

    ngx_queue_init(&ready);

    for (q = ngx_queue_head(&site->waiting);
         q != ngx_queue_sentinel(&site->waiting);
         q = next)
    {
        next = ngx_queue_next(q);
        ctx = ngx_queue_data(q, ngx_http_blog_ctx_t, queue);

        /* an index scanned since, or a scan since that failed */

        if (have >= ctx->since || (scanned != 0 && scanned >= ctx->since)) {
            ngx_queue_remove(q);
            ngx_queue_insert_tail(&ready, q);
        }
    }

    ngx_http_blog_wake(&ready);
}


/*
 * The zone had no room for an index: this worker builds its own from now
 * on.  Requests keep what they hold of the zone.
 */

static void
ngx_http_blog_site_own(ngx_http_blog_site_t *site)
{
    if (site->poll.timer_set) {
        ngx_del_timer(&site->poll);
    }

    site->shared = 0;
    site->leading = 0;

    ngx_http_blog_site_watch(site);

    blog_index_release(site->built);
    site->built = NULL;

    ngx_log_error(NGX_LOG_WARN, site->log, 0,
                  "blog: each worker builds the index of \"%V\" for itself "
                  "now: blog_index_zone is too small for it", &site->root);

    /* its waiting requests ride on its first build */

    ngx_http_blog_site_build(site);
}


/*
 * A scan in the thread pool.  When its queue is full, the scan waits for
 * the next interval rather than run on the event loop, and the requests
 * waiting for it with it; said once in the log.
 */

static void
ngx_http_blog_site_build(ngx_http_blog_site_t *site)
{
    ngx_http_blog_build_t  *build;

    if (site->building) {
        return;
    }

    /* the requests waiting now ride on this build; shared, they look */

    if (!site->shared && !ngx_queue_empty(&site->waiting)) {
        ngx_queue_add(&site->riding, &site->waiting);
        ngx_queue_init(&site->waiting);
    }

    build = site->task->ctx;
    build->site = site;
    build->prev = site->shared ? site->built
                  : (site->index && !site->index->frozen) ? site->index : NULL;
    build->index = NULL;
    build->copy = NULL;
    build->same = 0;
    build->restored = 0;
    build->restore = (build->prev == NULL && site->shared);
    build->now = ngx_time();
    build->started = blog_monotonic_ms();
    site->last_start = build->started;

    /* what changes from now on, the next scan sees */

    site->dirty = 0;
    ngx_http_blog_watch_scan(site, &build->changes);

    build->opts = site->watch ? &site->watched : &site->opts;

    if (build->prev != NULL) {
        blog_index_ref(build->prev);
    }

    if (ngx_thread_task_post(site->thread_pool, site->task) == NGX_OK) {
        site->building = 1;
        return;
    }

    blog_index_release(build->prev);
    build->prev = NULL;

    /* the folders it was to read again are read by the next, with all */
    ngx_http_blog_watch_whole(site);

    if (!site->queue_full_logged) {
        site->queue_full_logged = 1;
        ngx_log_error(NGX_LOG_WARN, site->log, 0,
                      "blog: the thread pool's queue is full: the scan of "
                      "\"%V\" waits for the next check interval", &site->root);
    }

    if (!site->timer.timer_set) {
        ngx_add_timer(&site->timer, site->interval ? site->interval
                                                   : NGX_HTTP_BLOG_RETRY);
    }
}


static void
ngx_http_blog_build_thread(void *data, ngx_log_t *log)
{
    ngx_http_blog_build_t  *build = data;

    /* a builder's first scan: from the index kept across restarts */

    if (build->restore) {
        build->prev = ngx_http_blog_keep_restore(build->site, build->opts,
                                                 log);
        build->restored = (build->prev != NULL);
    }

    build->index = blog_index_update((char *) build->site->root.data,
                                     build->opts, build->prev,
                                     build->now, &build->changes);

    if (build->site->shared && build->index != NULL) {
        build->site->share_size = 0;

        /* the current generation is this one already: no copy */

        build->same = build->site->built_number != 0
                      && build->site->built_number
                         == ngx_http_blog_share_current(build->site)
                      && ngx_http_blog_site_same(build->prev, build->index);

        if (!build->same) {
            build->copy = ngx_http_blog_share_copy(build->site,
                                                   build->index);
        }
    }

#if (NGX_LINUX && defined __GLIBC__)

    /*
     * Renders and scans free what they allocate, but glibc keeps the freed
     * pages of each thread's arena, between live blocks, for good: a
     * worker would grow to hold every render's garbage in every arena of
     * the pool.  Once a scan, off the event loop, give them back.  It
     * takes each arena's lock in turn, the event loop's too: with 10,000
     * posts and a 24 MB heap it took under 0.3 ms, and the p99 of cached
     * pages with a scan every second did not change.
     */

    malloc_trim(0);

#endif
}


static void
ngx_http_blog_build_done(ngx_event_t *ev)
{
    ngx_http_blog_site_t  *site = ev->data;

    ngx_http_blog_build_t  *build;

    build = site->task->ctx;
    site->building = 0;

    if (build->restored) {
        /* what the file holds need not be written again */
        site->kept_version = build->prev->version;
    }

    blog_index_release(build->prev);
    build->prev = NULL;

    if (site->shared) {
        ngx_http_blog_site_published(site, build);
        return;
    }

    if (site->unwatch) {
        site->unwatch = 0;
        ngx_http_blog_watch_stop(site);
    }

    if (build->copy != NULL) {
        /* made before the zone filled up: for workers that still read it */
        ngx_http_blog_share_publish(site, build->copy);
        build->copy = NULL;
    }

    ngx_http_blog_site_built(site, build->index);
}


/* the builder's scan is done: its copy becomes current */

static void
ngx_http_blog_site_published(ngx_http_blog_site_t *site,
    ngx_http_blog_build_t *build)
{
    blog_index_t  *before;

    before = NULL;

    if (build->index == NULL) {
        ngx_log_error(NGX_LOG_ALERT, site->log, 0,
                      "blog: cannot build the index of \"%V\"%s",
                      &site->root,
                      site->index ? ", serving the previous one" : "");

        ngx_http_blog_share_failed(site, build->started);
        ngx_http_blog_watch_whole(site);

    } else {
        ngx_http_blog_site_log(site, build->index);

        /* freed once the new one is current: at 100,000 posts, a while */
        before = site->built;
        site->built = build->index;

        if (build->same) {
            ngx_http_blog_share_confirm(site, build->index->generation);

        } else if (build->copy != NULL) {
            site->built_number = ngx_http_blog_share_publish(site,
                                                             build->copy);

            ngx_http_blog_keep_save(site, build->index);

        } else if (site->share_later) {
            site->share_later = 0;

            /* not published: the next scan copies it, as a change */
            site->built_number = 0;
            site->dirty = 1;

            if (!site->zone_later_logged) {
                site->zone_later_logged = 1;

                ngx_log_error(NGX_LOG_WARN, site->log, 0,
                              "blog: blog_index_zone has no room for a new "
                              "index of \"%V\" (%uz bytes) while workers "
                              "still use the ones before: it is copied once "
                              "they let them go; a zone of three times that "
                              "size would not wait", &site->root,
                              site->share_size);
            }

        } else if (site->share_size && !site->zone_full_logged) {
            site->zone_full_logged = 1;

            ngx_log_error(NGX_LOG_ERR, site->log, 0,
                          "blog: blog_index_zone has no room for the index "
                          "of \"%V\" (%uz bytes, %uz posts): raise its "
                          "size", &site->root, site->share_size,
                          build->index->nall);
        }
    }

    blog_index_release(before);

    build->index = NULL;
    build->copy = NULL;

    if (ngx_http_blog_share_full(site)) {
        ngx_http_blog_site_own(site);
        return;
    }

    ngx_http_blog_site_next(site);

    ngx_http_blog_share_take(site);
    ngx_http_blog_site_ready(site);

    if ((ngx_exiting || ngx_terminate || ngx_quit)
        && ngx_queue_empty(&site->waiting))
    {
        site->leading = 0;
        ngx_http_blog_site_watch(site);
        ngx_http_blog_share_resign(site);
        return;
    }

    /* requests that wait for a scan begun after this one get it */

    if (!ngx_queue_empty(&site->waiting)
        && ngx_http_blog_share_lead(site) == NGX_OK)
    {
        ngx_http_blog_site_build(site);
    }
}


static void
ngx_http_blog_site_built(ngx_http_blog_site_t *site, blog_index_t *index)
{
    ngx_queue_t  riders;

    if (index == NULL) {
        ngx_log_error(NGX_LOG_ALERT, site->log, 0,
                      "blog: cannot build the index of \"%V\"%s",
                      &site->root,
                      site->index ? ", serving the previous one" : "");

    } else {
        ngx_http_blog_site_log(site, index);

        blog_index_release(site->index);
        site->index = index;
    }

    /* wake the requests that waited for this index */

    ngx_queue_init(&riders);

    if (!ngx_queue_empty(&site->riding)) {
        ngx_queue_add(&riders, &site->riding);
        ngx_queue_init(&site->riding);
    }

    ngx_http_blog_wake(&riders);

    /* requests that wait for a newer index get it, even when exiting */

    if (!ngx_queue_empty(&site->waiting)) {
        ngx_http_blog_site_build(site);
        return;
    }

    if (ngx_exiting || ngx_terminate || ngx_quit) {
        return;
    }

    if (site->interval && !site->timer.timer_set) {
        ngx_add_timer(&site->timer, site->interval);
    }
}


static void
ngx_http_blog_site_log(ngx_http_blog_site_t *site, blog_index_t *index)
{
    size_t           i;
    ngx_uint_t       level;
    blog_buf_t       b;
    blog_problem_t  *pb;

    /* every worker finds the same problems; one of them says so */

    if (!site->shared && ngx_worker != 0) {
        return;
    }

    blog_buf_init(&b);

    for (i = 0; i < index->nproblems; i++) {
        pb = &index->problems[i];

        if (!pb->fresh) {
            continue;
        }

        b.len = 0;
        level = (blog_problem_say(&b, pb, ngx_http_blog_user) == BLOG_ERROR)
                ? NGX_LOG_ERR : NGX_LOG_WARN;

        if (!b.failed) {
            ngx_log_error(level, site->log, 0, "%s", b.data);
        }
    }

    blog_buf_free(&b);
}


static void
ngx_http_blog_site_user(void)
{
    struct passwd  *pw;

    pw = getpwuid(geteuid());

    if (pw != NULL && pw->pw_name != NULL) {
        ngx_cpystrn((u_char *) ngx_http_blog_user, (u_char *) pw->pw_name,
                    sizeof(ngx_http_blog_user));

    } else {
        ngx_snprintf((u_char *) ngx_http_blog_user,
                     sizeof(ngx_http_blog_user) - 1, "%d%Z", (int) geteuid());
    }
}


/* the user named by the messages above, for blog_status */

const char *
ngx_http_blog_site_user_name(void)
{
    return ngx_http_blog_user;
}


/*
 * A scan found what the one before it did: the same posts, read from the
 * same files, the same problems, the same pages.  Unchanged posts are
 * those the scan took over from the one before.
 */

static ngx_uint_t
ngx_http_blog_site_same(blog_index_t *prev, blog_index_t *ix)
{
    size_t  i;

    if (prev == NULL
        || prev->nall != ix->nall
        || prev->nentries != ix->nentries
        || prev->nredirects != ix->nredirects
        || prev->nproblems != ix->nproblems
        || prev->version != ix->version
        || prev->root_len != ix->root_len
        || prev->root_denied != ix->root_denied)
    {
        return 0;
    }

    for (i = 0; i < ix->nall; i++) {
        if (prev->all[i] != ix->all[i]) {
            return 0;
        }
    }

    for (i = 0; i < ix->nproblems; i++) {
        if (ix->problems[i].fresh
            || ix->problems[i].line != prev->problems[i].line
            || ngx_strcmp(ix->problems[i].file.data,
                          prev->problems[i].file.data) != 0
            || ngx_strcmp(ix->problems[i].reason.data,
                          prev->problems[i].reason.data) != 0)
        {
            return 0;
        }
    }

    return 1;
}


/* before a request looks at the index: the newest there is */

void
ngx_http_blog_site_fresh(ngx_http_blog_site_t *site)
{
    if (site->shared) {
        ngx_http_blog_share_take(site);
    }
}


/* a request keeps an index while it waits, or lets it go */

void
ngx_http_blog_site_hold(ngx_http_blog_site_t *site, blog_index_t *ix)
{
    if (ix == NULL) {
        return;
    }

    if (ix->frozen) {
        ngx_http_blog_share_hold(site, ix);
        return;
    }

    blog_index_ref(ix);
}


void
ngx_http_blog_site_release(ngx_http_blog_site_t *site, blog_index_t *ix)
{
    if (ix == NULL) {
        return;
    }

    if (ix->frozen) {
        ngx_http_blog_share_release(site, ix);
        return;
    }

    blog_index_release(ix);
}

