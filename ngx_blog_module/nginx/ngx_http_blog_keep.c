
/*
 * blog_index_path: the builder keeps each shared site's index in a file
 * of that folder, so that the first scan after a restart, or the scan of
 * a worker that takes over from a builder that died, reads again only the
 * posts whose files changed (blog_index_save.c).  The file is written in
 * the thread pool after a new index is published, at most once a minute,
 * and read in the scan's own thread: never on the event loop.  A file
 * that cannot be used is said once in the log, and the scan reads every
 * post, as with no file.
 */


#include "ngx_http_blog_module.h"


/* a changed index is written at most this often, in ms */
#define NGX_HTTP_BLOG_KEEP_EVERY  60000


typedef struct {
    ngx_http_blog_site_t      *site;
    blog_index_t              *index;
    const char                *reason;
    ngx_err_t                  err;
    ngx_int_t                  rc;
} ngx_http_blog_keep_t;


static void ngx_http_blog_keep_later(ngx_event_t *ev);
static void ngx_http_blog_keep_thread(void *data, ngx_log_t *log);
static void ngx_http_blog_keep_done(ngx_event_t *ev);


/*
 * Once the sites are known, with their digests (share): each has its own
 * file in the folder, named by its digest, as the index zone knows it.
 */

ngx_int_t
ngx_http_blog_keep_add(ngx_conf_t *cf, ngx_http_blog_main_conf_t *bmcf)
{
    u_char                 *p;
    size_t                  len;
    ngx_uint_t              i;
    ngx_http_blog_site_t  **sites;

    if (bmcf->index_path == NULL || bmcf->share == NULL) {
        return NGX_OK;
    }

    sites = bmcf->sites.elts;

    for (i = 0; i < bmcf->sites.nelts; i++) {
        len = bmcf->index_path->name.len + sizeof("/.index") + 32;

        p = ngx_pnalloc(cf->pool, len);
        if (p == NULL) {
            return NGX_ERROR;
        }

        sites[i]->keep_file = p;

        p = ngx_sprintf(p, "%V/", &bmcf->index_path->name);
        p = ngx_hex_dump(p, &bmcf->share->keys[i * 16], 16);
        p = ngx_cpymem(p, ".index", sizeof(".index"));
    }

    return NGX_OK;
}


void
ngx_http_blog_keep_start(ngx_http_blog_site_t *site, ngx_cycle_t *cycle)
{
    if (site->keep_file == NULL || !site->shared) {
        site->keep_file = NULL;
        return;
    }

    site->keep_task = ngx_thread_task_alloc(cycle->pool,
                                            sizeof(ngx_http_blog_keep_t));
    if (site->keep_task == NULL) {
        site->keep_file = NULL;
        return;
    }

    site->keep_task->handler = ngx_http_blog_keep_thread;
    site->keep_task->event.handler = ngx_http_blog_keep_done;
    site->keep_task->event.data = site;

    site->keep_timer.handler = ngx_http_blog_keep_later;
    site->keep_timer.data = site;
    site->keep_timer.log = cycle->log;
    site->keep_timer.cancelable = 1;
}


/*
 * In the scan's thread, when it has no index before: the one kept in the
 * file, if it can be used.
 */

blog_index_t *
ngx_http_blog_keep_restore(ngx_http_blog_site_t *site,
    const blog_options_t *opts, ngx_log_t *log)
{
    const char    *reason;
    blog_index_t  *ix;

    if (site->keep_file == NULL) {
        return NULL;
    }

    ix = blog_index_restore((char *) site->keep_file,
                            (char *) site->root.data, opts, &reason);

    if (ix == NULL && reason != NULL) {
        ngx_log_error(NGX_LOG_NOTICE, log, ngx_errno,
                      "blog: the index kept in \"%s\" is not used, every "
                      "post of \"%V\" is read: %s", site->keep_file,
                      &site->root, reason);
    }

    return ix;
}


/*
 * An index the builder published: written if what the pages show changed
 * since the file was written, and a minute has passed since the last
 * write; else once the minute is over.
 */

void
ngx_http_blog_keep_save(ngx_http_blog_site_t *site, blog_index_t *index)
{
    ngx_msec_t             since;
    ngx_http_blog_keep_t  *keep;

    if (site->keep_file == NULL || index == NULL) {
        return;
    }

    if (index->version == site->kept_version) {
        return;
    }

    if (site->keeping) {
        site->keep_again = 1;
        return;
    }

    since = ngx_current_msec - site->kept_at;

    if (site->kept_at != 0 && since < NGX_HTTP_BLOG_KEEP_EVERY) {
        if (!site->keep_timer.timer_set) {
            ngx_add_timer(&site->keep_timer,
                          NGX_HTTP_BLOG_KEEP_EVERY - since);
        }

        return;
    }

    keep = site->keep_task->ctx;
    keep->site = site;
    keep->index = index;
    keep->reason = NULL;
    keep->err = 0;

    blog_index_ref(index);

    if (ngx_thread_task_post(site->thread_pool, site->keep_task) != NGX_OK) {
        blog_index_release(index);
        keep->index = NULL;

        /* the pool's queue is full: again in a minute */

        site->kept_at = ngx_current_msec;

        if (!site->keep_timer.timer_set) {
            ngx_add_timer(&site->keep_timer, NGX_HTTP_BLOG_KEEP_EVERY);
        }

        return;
    }

    site->keeping = 1;
    site->keep_again = 0;
}


static void
ngx_http_blog_keep_later(ngx_event_t *ev)
{
    ngx_http_blog_site_t  *site = ev->data;

    if (site->leading) {
        site->kept_at = 0;
        ngx_http_blog_keep_save(site, site->built);
    }
}


static void
ngx_http_blog_keep_thread(void *data, ngx_log_t *log)
{
    ngx_http_blog_keep_t  *keep = data;

    keep->rc = blog_index_save(keep->index, &keep->site->opts,
                               (char *) keep->site->keep_file,
                               &keep->reason);
    keep->err = ngx_errno;
}


static void
ngx_http_blog_keep_done(ngx_event_t *ev)
{
    ngx_http_blog_site_t  *site = ev->data;

    ngx_http_blog_keep_t  *keep;

    keep = site->keep_task->ctx;

    site->keeping = 0;
    site->kept_at = ngx_current_msec;

    if (keep->rc == BLOG_OK) {
        site->kept_version = keep->index->version;
        site->keep_failed_logged = 0;

    } else if (!site->keep_failed_logged) {
        site->keep_failed_logged = 1;

        ngx_log_error(NGX_LOG_ERR, site->log, keep->err,
                      "blog: cannot keep the index of \"%V\" in \"%s\": "
                      "%s; the next start reads every post",
                      &site->root, site->keep_file, keep->reason);
    }

    blog_index_release(keep->index);
    keep->index = NULL;

    if (site->keep_again && site->leading) {
        site->keep_again = 0;
        ngx_http_blog_keep_save(site, site->built);
    }
}


/*
 * A write still posted at exit: the thread pool let it finish, but its
 * completion event never runs.
 */

void
ngx_http_blog_keep_stop(ngx_http_blog_site_t *site)
{
    ngx_http_blog_keep_t  *keep;

    if (site->keeping) {
        keep = site->keep_task->ctx;

        blog_index_release(keep->index);
        keep->index = NULL;
        site->keeping = 0;
    }
}
