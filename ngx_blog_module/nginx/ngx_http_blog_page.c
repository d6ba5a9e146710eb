
/*
 * A page's way out: the cache first, then a render in nginx's thread pool
 * while the request waits without blocking its worker, then the cache
 * again and the response.  The render, its ETag (a digest of the body, the
 * same on every server holding the same content) and its gzip and brotli
 * variants are made in the thread, once per version of the page.
 */


#include "ngx_http_blog_module.h"



/*
 * How long a page waits for its files to settle and be scanned, in all
 * and in rounds, and how long a round waits at most.  A deploy may take
 * a few rounds (git checkout: a file gone, then new, then settled).
 */
#define NGX_HTTP_BLOG_RESCAN_TIME  3000
#define NGX_HTTP_BLOG_RESCANS      10
#define NGX_HTTP_BLOG_SETTLE_WAIT  2000
#define NGX_HTTP_BLOG_SETTLE_MARGIN  10


typedef struct {
    ngx_http_request_t        *request;
    ngx_http_blog_loc_conf_t  *blcf;
    blog_index_t              *index;
    blog_route_t               route;
    blog_site_t                site;
    ngx_http_blog_key_t        key;
    int64_t                    now;

    ngx_queue_t                rendering;  /* in site->rendering */
    ngx_queue_t                followers;  /* requests for the same page */

    /* made by the render */
    ngx_int_t                  rc;
    blog_page_t                page;
    u_char                     etag[BLOG_ETAG_LEN];
    u_char                    *gzip;
    size_t                     gzip_len;
    u_char                    *br;
    size_t                     br_len;
    unsigned                   compress:1;
    unsigned                   compress_br:1;
    ngx_event_t                settle;     /* until a file settles */
    ngx_uint_t                 rescans;
    ngx_msec_t                 rescan_start;
    unsigned                   leading:1;  /* in site->rendering */
    unsigned                   followed:1;
} ngx_http_blog_page_ctx_t;


/*
 * Other filters' configurations are their own; the first fields of these
 * have stayed put for years, and they are found by module name, so the
 * blog loads into an nginx built without them.  "gzip on" makes the blog
 * store pages compressed too; sub_filter and ssi must see plain text, so
 * where they are on, nginx's gzip filter compresses after them instead.
 */

typedef struct {
    ngx_flag_t                 enable;
} ngx_http_blog_flag_conf_t;

typedef struct {
    ngx_uint_t                 dynamic;
    ngx_array_t               *pairs;
} ngx_http_blog_sub_conf_t;


static void ngx_http_blog_page_key(ngx_http_request_t *r,
    ngx_http_blog_page_ctx_t *ctx);
static ngx_int_t ngx_http_blog_page_lookup(ngx_http_request_t *r,
    ngx_http_blog_page_ctx_t *ctx);
static ngx_int_t ngx_http_blog_page_follow(ngx_http_request_t *r,
    ngx_http_blog_page_ctx_t *ctx);
static void ngx_http_blog_page_retry(ngx_http_request_t *r);
static ngx_int_t ngx_http_blog_page_post(ngx_http_request_t *r,
    ngx_http_blog_page_ctx_t *ctx);
static void ngx_http_blog_page_render(void *data, ngx_log_t *log);
static void ngx_http_blog_page_rendered(ngx_event_t *ev);
static void ngx_http_blog_page_store(ngx_http_blog_page_ctx_t *ctx);
static void ngx_http_blog_page_resume(ngx_http_request_t *r);
static ngx_int_t ngx_http_blog_page_reindex(ngx_http_request_t *r,
    ngx_http_blog_page_ctx_t *ctx);
static void ngx_http_blog_page_settled(ngx_event_t *ev);
static void ngx_http_blog_page_reindexed(ngx_http_request_t *r);
static ngx_int_t ngx_http_blog_page_respond(ngx_http_request_t *r,
    ngx_http_blog_page_ctx_t *ctx);
static void ngx_http_blog_page_cleanup(void *data);
static void ngx_http_blog_page_compress(ngx_http_blog_page_ctx_t *ctx);
static void ngx_http_blog_page_free(ngx_http_blog_page_ctx_t *ctx);
static ngx_uint_t ngx_http_blog_plain_only(ngx_http_request_t *r);
static void ngx_http_blog_site_conf(ngx_http_request_t *r,
    ngx_http_blog_loc_conf_t *blcf, blog_site_t *site);


static ngx_int_t  ngx_http_blog_gzip_index = NGX_ERROR;
static ngx_int_t  ngx_http_blog_sub_index = NGX_ERROR;
static ngx_int_t  ngx_http_blog_ssi_index = NGX_ERROR;


ngx_int_t
ngx_http_blog_page(ngx_http_request_t *r, ngx_http_blog_loc_conf_t *blcf,
    blog_route_t *rt)
{
    ngx_pool_cleanup_t        *cln;
    ngx_http_blog_ctx_t       *bctx;
    ngx_http_blog_page_ctx_t  *ctx;

    ctx = ngx_pcalloc(r->pool, sizeof(ngx_http_blog_page_ctx_t));
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    cln = ngx_pool_cleanup_add(r->pool, 0);
    if (cln == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ctx->request = r;
    ctx->blcf = blcf;
    ctx->route = *rt;
    ctx->now = ngx_time();
    ctx->index = blcf->site->index;
    ngx_http_blog_site_hold(blcf->site, ctx->index);

    ngx_queue_init(&ctx->followers);

    cln->handler = ngx_http_blog_page_cleanup;
    cln->data = ctx;

    bctx = ngx_http_blog_ctx(r);
    if (bctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    bctx->page = ctx;

    ngx_http_blog_site_conf(r, blcf, &ctx->site);

    ctx->compress = ngx_http_blog_gzip_on(r);
    ctx->compress_br = ngx_http_blog_brotli_on(r, blcf);

    if (ctx->compress || ctx->compress_br) {
        switch (ngx_http_blog_encoding(r, ctx->compress, ctx->compress_br)) {

        case BLOG_BROTLI:
            ctx->key.want_br = 1;
            break;

        case BLOG_GZIP:
            ctx->key.want_gzip = 1;
            break;
        }

        /* every variant comes from here: caches must tell them apart,
         * whatever gzip_vary says */

        if (ngx_http_blog_header(r, "Vary", "Accept-Encoding") == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
    }

    /*
     * With no cache to keep them, compressed bytes serve this request
     * only.  Brotli at its best quality takes some 1.4 s of a thread per
     * megabyte, and the requests that wait for a render wait for it too:
     * it is made for a client that takes it, once per version, and not
     * for every render (gzip's best level takes a hundredth of that).
     */

    if (blcf->cache == NULL) {
        ctx->compress = ctx->key.want_gzip;
    }

    ctx->compress_br = ctx->key.want_br;

    if (blcf->cache != NULL) {
        ngx_http_blog_page_key(r, ctx);
    }

    return ngx_http_blog_page_lookup(r, ctx);
}


/*
 * The cache, then a render.  A page missing from the cache renders once
 * per worker: a request that finds the same version of it rendering for
 * another one waits for that render, then looks in the cache again.  It
 * waits once; if the page could not be stored, it renders its own.
 */

static ngx_int_t
ngx_http_blog_page_lookup(ngx_http_request_t *r,
    ngx_http_blog_page_ctx_t *ctx)
{
    ngx_int_t                  rc;
    ngx_http_blog_ctx_t       *bctx;
    ngx_http_blog_response_t   res;

    if (ctx->blcf->cache == NULL) {
        return ngx_http_blog_page_post(r, ctx);
    }

    rc = ngx_http_blog_cache_get(r, ctx->blcf->cache, &ctx->key, &res);

    bctx = ngx_http_get_module_ctx(r, ngx_http_blog_module);
    bctx->cache_status = ctx->key.status;

    if (rc == NGX_OK) {
        return ngx_http_blog_send(r, &res);
    }

    if (rc == NGX_ERROR) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (!ctx->followed) {
        rc = ngx_http_blog_page_follow(r, ctx);

        if (rc != NGX_DECLINED) {
            return rc;
        }
    }

    return ngx_http_blog_page_post(r, ctx);
}


static ngx_int_t
ngx_http_blog_page_follow(ngx_http_request_t *r, ngx_http_blog_page_ctx_t *ctx)
{
    ngx_queue_t               *q, *rendering;
    ngx_http_blog_ctx_t       *bctx;
    ngx_http_blog_page_ctx_t  *lead;

    rendering = &ctx->blcf->site->rendering;

    for (q = ngx_queue_head(rendering);
         q != ngx_queue_sentinel(rendering);
         q = ngx_queue_next(q))
    {
        lead = ngx_queue_data(q, ngx_http_blog_page_ctx_t, rendering);

        if (lead->blcf->cache != ctx->blcf->cache
            || lead->index != ctx->index
            || ngx_memcmp(lead->key.page.key, ctx->key.page.key, 16) != 0
            || ngx_memcmp(lead->key.page.sig, ctx->key.page.sig, 16) != 0)
        {
            continue;
        }

        ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                       "blog page waits for another render of \"%V\"",
                       &r->uri);

        bctx = ngx_http_get_module_ctx(r, ngx_http_blog_module);

        ctx->followed = 1;

        ngx_http_blog_park(r, ngx_http_blog_page_retry);
        ngx_queue_insert_tail(&lead->followers, &bctx->queue);

        return NGX_DONE;
    }

    return NGX_DECLINED;
}


/* the render this request waited for is done: the cache again */

static void
ngx_http_blog_page_retry(ngx_http_request_t *r)
{
    ngx_http_blog_ctx_t  *bctx;

    bctx = ngx_http_get_module_ctx(r, ngx_http_blog_module);

    r->write_event_handler = ngx_http_request_empty_handler;

    ngx_http_finalize_request(r, ngx_http_blog_page_lookup(r, bctx->page));
}


/* a render in nginx's thread pool, while the request waits */

static ngx_int_t
ngx_http_blog_page_post(ngx_http_request_t *r, ngx_http_blog_page_ctx_t *ctx)
{
    ngx_thread_task_t  *task;

    task = ngx_thread_task_alloc(r->pool, 0);
    if (task == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    task->ctx = ctx;
    task->handler = ngx_http_blog_page_render;
    task->event.handler = ngx_http_blog_page_rendered;
    task->event.data = ctx;

    if (ngx_thread_task_post(ctx->blcf->site->thread_pool, task) != NGX_OK) {
        return ngx_http_blog_busy(r);
    }

    ngx_http_blog_park(r, ngx_http_blog_page_resume);

    if (ctx->blcf->cache != NULL) {
        ngx_queue_insert_tail(&ctx->blcf->site->rendering, &ctx->rendering);
        ctx->leading = 1;
    }

    return NGX_DONE;
}


/*
 * The cache key: what the page is (the location's settings and theme,
 * the route, the base of its links when they are not configured, the
 * year of the copyright line) and the signature of what it shows (the
 * post and its neighbours, or the whole index for listings).
 */

static void
ngx_http_blog_page_key(ngx_http_request_t *r, ngx_http_blog_page_ctx_t *ctx)
{
    blog_page_key(&ctx->key.page, ctx->blcf->signature, &ctx->route,
                  ctx->blcf->base_url.len ? NULL : &ctx->site.base_url,
                  ctx->now, ctx->index);
}


/* in a thread of nginx's pool */

static void
ngx_http_blog_page_render(void *data, ngx_log_t *log)
{
    ngx_http_blog_page_ctx_t *ctx = data;

    if (blog_render(&ctx->page, &ctx->site, ctx->index, &ctx->route,
                    ctx->now)
        != BLOG_OK)
    {
        ctx->rc = NGX_ERROR;
        return;
    }

    ctx->rc = NGX_OK;

    if (ctx->page.status != 200) {
        return;
    }

    blog_etag(ctx->etag, ctx->page.body.data, ctx->page.body.len);

    ngx_http_blog_page_compress(ctx);
}


/*
 * The render is done, whatever became of the request meanwhile (nginx
 * may have terminated it): store the page, leave the renders in progress
 * and wake the requests that waited for this one, then go on with the
 * request, which may be gone after that.
 */

static void
ngx_http_blog_page_rendered(ngx_event_t *ev)
{
    ngx_http_blog_page_ctx_t *ctx = ev->data;

    ngx_queue_t          followers;
    ngx_http_request_t  *r;

    r = ctx->request;

    ngx_log_debug1(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "blog page rendered: \"%V\"", &r->uri);

    ngx_http_blog_page_store(ctx);

    ngx_queue_init(&followers);

    if (ctx->leading) {
        ngx_queue_remove(&ctx->rendering);
        ctx->leading = 0;

        ngx_queue_add(&followers, &ctx->followers);
        ngx_queue_init(&ctx->followers);
    }

    ngx_http_blog_resume(r);

    ngx_http_blog_wake(&followers);
}


static void
ngx_http_blog_page_store(ngx_http_blog_page_ctx_t *ctx)
{
    ngx_str_t                  gzip, br;
    ngx_http_blog_ctx_t       *bctx;
    ngx_http_blog_response_t   res;

    if (ctx->blcf->cache == NULL || ctx->rc != NGX_OK
        || ctx->page.status != NGX_HTTP_OK || ctx->page.stale)
    {
        return;
    }

    ngx_memzero(&res, sizeof(ngx_http_blog_response_t));

    res.status = NGX_HTTP_OK;
    res.type.data = (u_char *) ctx->page.content_type;
    res.type.len = ngx_strlen(ctx->page.content_type);
    res.last_modified = (time_t) ctx->page.last_modified;
    res.body = ctx->page.body.data;
    res.len = ctx->page.body.len;
    res.etag.data = ctx->etag;
    res.etag.len = sizeof(ctx->etag);

    gzip.data = ctx->gzip;
    gzip.len = ctx->gzip_len;
    br.data = ctx->br;
    br.len = ctx->br_len;

    ngx_http_blog_cache_put(ctx->blcf->cache, ctx->request->connection->log,
                            &ctx->key, &res, &gzip, &br);

    bctx = ngx_http_get_module_ctx(ctx->request, ngx_http_blog_module);
    bctx->cache_status = ctx->key.status;
}


static void
ngx_http_blog_page_resume(ngx_http_request_t *r)
{
    size_t                     i;
    ngx_int_t                  rc;
    ngx_http_blog_ctx_t       *bctx;
    ngx_http_blog_page_ctx_t  *ctx;

    bctx = ngx_http_get_module_ctx(r, ngx_http_blog_module);
    ctx = bctx->page;

    r->write_event_handler = ngx_http_request_empty_handler;

    if (ctx->rc == NGX_OK && ctx->page.as_text != NULL) {
        ngx_log_error(NGX_LOG_WARN, r->connection->log, 0,
                      "blog: \"%s\" is shown as text: its Markdown builds "
                      "more than the renderer allows (a table of very many "
                      "cells, or a link repeated very many times)",
                      ctx->page.as_text);
    }

    /* shortcodes and Liquid removed from a post: said once per render */

    for (i = 0; ctx->rc == NGX_OK && !ctx->page.stale && i < ctx->page.nnotes;
         i++)
    {
        ngx_log_error(NGX_LOG_WARN, r->connection->log, 0,
                      "blog: \"%s\", line %ui: %s", ctx->page.notes_file,
                      (ngx_uint_t) ctx->page.notes[i].line,
                      ctx->page.notes[i].text);
    }

    if (ctx->rc == NGX_OK && ctx->page.stale) {
        rc = ngx_http_blog_page_reindex(r, ctx);

    } else {
        rc = ngx_http_blog_page_respond(r, ctx);
    }

    ngx_http_finalize_request(r, rc);
}


/*
 * A post's file is no longer the one the index found (an atomic save, a
 * file moved over it, a save in place): rather than show what the index
 * never saw, or a file caught half written, wait until the file has
 * settled and for a scan that starts then, and render again with its
 * index.  A file that keeps changing faster than it settles gets a 503
 * after ten rounds or three seconds, never its bytes half written.
 */

static ngx_int_t
ngx_http_blog_page_reindex(ngx_http_request_t *r,
    ngx_http_blog_page_ctx_t *ctx)
{
    int64_t               settle_at;
    ngx_uint_t            missing;
    ngx_msec_t            delay;
    ngx_time_t           *tp;
    ngx_http_blog_ctx_t  *bctx;

    if (ctx->rescans++ == 0) {
        ctx->rescan_start = ngx_current_msec;

    } else if (ctx->rescans > NGX_HTTP_BLOG_RESCANS
               || ngx_current_msec - ctx->rescan_start
                  >= NGX_HTTP_BLOG_RESCAN_TIME)
    {
        ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                      "blog: a file of \"%V\" kept changing through %ui "
                      "rescans in %M ms: 503", &r->uri, ctx->rescans - 1,
                      ngx_current_msec - ctx->rescan_start);
        return ngx_http_blog_retry_later(r);
    }

    ngx_log_debug2(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "blog page waits for rescan %ui: \"%V\"", ctx->rescans,
                   &r->uri);

    bctx = ngx_http_get_module_ctx(r, ngx_http_blog_module);

    settle_at = ctx->page.settle_at;
    missing = ctx->page.missing;

    ngx_http_blog_page_free(ctx);
    ngx_memzero(&ctx->page, sizeof(blog_page_t));

    ctx->site.as_is = 1;
    ctx->followed = 0;

    ngx_http_blog_park(r, ngx_http_blog_page_reindexed);

    /*
     * The scan must find the file settled, or it keeps the version
     * before, and this page would take the file as it is while the index
     * lags: past the settle time by a margin, on a clock read now, as
     * the event loop's cached time lags and timers round to ms.
     */

    ngx_time_update();
    tp = ngx_timeofday();
    delay = 0;

    /*
     * Watched, a file closed whole is taken by the scan that its close
     * starts at once: the first round waits for a scan only.  A file gone
     * may be between a delete and its write (git checkout): that waits.
     */

    if (settle_at > (int64_t) tp->sec * 1000 + (int64_t) tp->msec
        && (ctx->rescans > 1 || missing
            || !ngx_http_blog_share_watched(ctx->blcf->site)))
    {
        delay = (ngx_msec_t) (settle_at - (int64_t) tp->sec * 1000
                              - (int64_t) tp->msec)
                + NGX_HTTP_BLOG_SETTLE_MARGIN;
    }

    if (delay == 0) {
        ngx_http_blog_site_wait(ctx->blcf->site, &bctx->queue);
        return NGX_DONE;
    }

    ctx->settle.handler = ngx_http_blog_page_settled;
    ctx->settle.data = ctx;
    ctx->settle.log = r->connection->log;

    ngx_add_timer(&ctx->settle, ngx_min(delay, NGX_HTTP_BLOG_SETTLE_WAIT));

    return NGX_DONE;
}


static void
ngx_http_blog_page_settled(ngx_event_t *ev)
{
    ngx_http_blog_page_ctx_t *ctx = ev->data;

    ngx_http_blog_ctx_t  *bctx;

    bctx = ngx_http_get_module_ctx(ctx->request, ngx_http_blog_module);

    ngx_http_blog_site_wait(ctx->blcf->site, &bctx->queue);
}


static void
ngx_http_blog_page_reindexed(ngx_http_request_t *r)
{
    ngx_http_blog_ctx_t       *bctx;
    ngx_http_blog_page_ctx_t  *ctx;

    bctx = ngx_http_get_module_ctx(r, ngx_http_blog_module);
    ctx = bctx->page;

    r->write_event_handler = ngx_http_request_empty_handler;

    ngx_http_blog_site_release(ctx->blcf->site, ctx->index);
    ngx_http_blog_site_fresh(ctx->blcf->site);
    ctx->index = ctx->blcf->site->index;
    ngx_http_blog_site_hold(ctx->blcf->site, ctx->index);

    if (ctx->blcf->cache != NULL) {
        ngx_http_blog_page_key(r, ctx);
    }

    ngx_http_finalize_request(r, ngx_http_blog_page_lookup(r, ctx));
}


static ngx_int_t
ngx_http_blog_page_respond(ngx_http_request_t *r,
    ngx_http_blog_page_ctx_t *ctx)
{
    ngx_http_blog_response_t  res;

    if (ctx->rc != NGX_OK) {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "blog: cannot render \"%V\"", &r->uri);
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_memzero(&res, sizeof(ngx_http_blog_response_t));

    res.status = ctx->page.status;
    res.type.data = (u_char *) ctx->page.content_type;
    res.type.len = ngx_strlen(ctx->page.content_type);
    res.last_modified = (time_t) ctx->page.last_modified;
    res.body = ctx->page.body.data;
    res.len = ctx->page.body.len;

    if (res.status == NGX_HTTP_OK) {
        res.etag.data = ctx->etag;
        res.etag.len = sizeof(ctx->etag);

        if (ctx->key.want_br && ctx->br_len) {
            res.body = ctx->br;
            res.len = ctx->br_len;
            res.br = 1;

        } else if (ctx->key.want_gzip && ctx->gzip_len) {
            res.body = ctx->gzip;
            res.len = ctx->gzip_len;
            res.gzip = 1;
        }
    }

    return ngx_http_blog_send(r, &res);
}


/*
 * The request's pool goes.  Its render is done by then, unless the worker
 * is exiting; should the page still lead others, they must not wait for
 * it, nor the list of renders keep memory that is freed here.
 */

static void
ngx_http_blog_page_cleanup(void *data)
{
    ngx_http_blog_page_ctx_t *ctx = data;

    if (ctx->leading) {
        ngx_queue_remove(&ctx->rendering);
        ctx->leading = 0;

        ngx_http_blog_wake_later(&ctx->followers);
    }

    if (ctx->settle.timer_set) {
        ngx_del_timer(&ctx->settle);
    }

    ngx_http_blog_site_release(ctx->blcf->site, ctx->index);
    ngx_http_blog_page_free(ctx);
}


/*
 * gzip and brotli once per version of a page, in the render's thread; a
 * variant that fails is not sent, and the plain page is.
 */

static void
ngx_http_blog_page_compress(ngx_http_blog_page_ctx_t *ctx)
{
    if (ctx->compress) {
        ctx->gzip = blog_gzip(ctx->page.body.data, ctx->page.body.len,
                               &ctx->gzip_len);
        if (ctx->gzip == NULL) {
            ctx->gzip_len = 0;
        }
    }

    if (ctx->compress_br) {
        ctx->br = blog_brotli(ctx->page.body.data, ctx->page.body.len,
                             &ctx->br_len);
        if (ctx->br == NULL) {
            ctx->br_len = 0;
        }
    }
}


/* what a render made */

static void
ngx_http_blog_page_free(ngx_http_blog_page_ctx_t *ctx)
{
    blog_buf_free(&ctx->page.body);

    ngx_free(ctx->gzip);
    ctx->gzip = NULL;
    ctx->gzip_len = 0;

    ngx_free(ctx->br);
    ctx->br = NULL;
    ctx->br_len = 0;
}


void
ngx_http_blog_page_init(ngx_conf_t *cf)
{
    ngx_uint_t  i;

    for (i = 0; cf->cycle->modules[i]; i++) {
        if (cf->cycle->modules[i]->type != NGX_HTTP_MODULE) {
            continue;
        }

        if (ngx_strcmp(cf->cycle->modules[i]->name,
                       "ngx_http_gzip_filter_module") == 0)
        {
            ngx_http_blog_gzip_index = cf->cycle->modules[i]->ctx_index;

        } else if (ngx_strcmp(cf->cycle->modules[i]->name,
                              "ngx_http_sub_filter_module") == 0)
        {
            ngx_http_blog_sub_index = cf->cycle->modules[i]->ctx_index;

        } else if (ngx_strcmp(cf->cycle->modules[i]->name,
                              "ngx_http_ssi_filter_module") == 0)
        {
            ngx_http_blog_ssi_index = cf->cycle->modules[i]->ctx_index;
        }
    }
}


/* "gzip on", and no filter that must see plain text: sub_filter, ssi */

ngx_uint_t
ngx_http_blog_gzip_on(ngx_http_request_t *r)
{
    ngx_http_blog_flag_conf_t  *flag;

    if (ngx_http_blog_gzip_index == NGX_ERROR) {
        return 0;
    }

    flag = r->loc_conf[ngx_http_blog_gzip_index];

    return flag->enable && !ngx_http_blog_plain_only(r);
}


/*
 * "blog_brotli on", or where it is not set, "gzip on", as the brotli
 * filter modules have it; never under sub_filter or ssi
 */

ngx_uint_t
ngx_http_blog_brotli_on(ngx_http_request_t *r, ngx_http_blog_loc_conf_t *blcf)
{
    if (blcf->brotli == NGX_CONF_UNSET) {
        return ngx_http_blog_gzip_on(r);
    }

    return blcf->brotli && !ngx_http_blog_plain_only(r);
}


/* a filter that must see the body as plain text: sub_filter, ssi */

static ngx_uint_t
ngx_http_blog_plain_only(ngx_http_request_t *r)
{
    ngx_http_blog_sub_conf_t   *sub;
    ngx_http_blog_flag_conf_t  *flag;

    if (ngx_http_blog_sub_index != NGX_ERROR) {
        sub = r->loc_conf[ngx_http_blog_sub_index];

        if (sub->pairs != NULL && sub->pairs->nelts) {
            return 1;
        }
    }

    if (ngx_http_blog_ssi_index != NGX_ERROR) {
        flag = r->loc_conf[ngx_http_blog_ssi_index];

        if (flag->enable) {
            return 1;
        }
    }

    return 0;
}


/* the location's settings, with the base of links this request has */

static void
ngx_http_blog_site_conf(ngx_http_request_t *r, ngx_http_blog_loc_conf_t *blcf,
    blog_site_t *site)
{
    *site = blcf->blog;

    site->opts = ngx_http_blog_share_watched(blcf->site)
                 ? &blcf->site->watched : &blcf->site->opts;

    if (site->base_url.len == 0) {
        ngx_http_blog_base_url(r, blcf, &site->base_url);
    }
}
