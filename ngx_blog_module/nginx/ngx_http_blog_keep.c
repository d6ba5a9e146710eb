
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

/* a file no site keeps is removed once untouched so long, in seconds */
#define NGX_HTTP_BLOG_KEEP_STALE  600

/* "<32 hex digits>.index", and its temporary "....index.tmp" */
#define NGX_HTTP_BLOG_KEEP_NAME   (32 + sizeof(".index") - 1)


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
static void ngx_http_blog_keep_sweep(ngx_http_blog_site_t *site,
    ngx_log_t *log);
static ngx_int_t ngx_http_blog_keep_stale(ngx_http_blog_site_t *site,
    u_char *name, size_t len);


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

    ngx_http_blog_keep_sweep(site, log);

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

    if (keep->rc == BLOG_OK) {
        ngx_http_blog_keep_sweep(keep->site, log);
    }
}


/*
 * In a thread, at a builder's start and after each write: the files that
 * no site of this configuration keeps, left by one before it (another
 * content root, or other directives that shape the index), are removed
 * once untouched for NGX_HTTP_BLOG_KEEP_STALE; each is as large as its
 * index.  Workers of a configuration being reloaded still write theirs
 * meanwhile.  Files of other names are not touched.
 */

static void
ngx_http_blog_keep_sweep(ngx_http_blog_site_t *site, ngx_log_t *log)
{
    size_t            len, n;
    time_t            now;
    u_char           *name, path[NGX_MAX_PATH];
    ngx_dir_t         dir;
    ngx_str_t         folder;
    ngx_file_info_t   fi;

    /* the folder, with its slash: the site's file less its name */

    len = ngx_strlen(site->keep_file) - NGX_HTTP_BLOG_KEEP_NAME;

    if (len + NGX_HTTP_BLOG_KEEP_NAME + sizeof(".tmp") > sizeof(path)) {
        return;
    }

    ngx_memcpy(path, site->keep_file, len - 1);
    path[len - 1] = '\0';

    folder.data = path;
    folder.len = len - 1;

    if (ngx_open_dir(&folder, &dir) == NGX_ERROR) {
        return;
    }

    path[len - 1] = '/';
    now = time(NULL);

    while (ngx_read_dir(&dir) == NGX_OK) {
        name = ngx_de_name(&dir);
        n = ngx_de_namelen(&dir);

        if (!ngx_http_blog_keep_stale(site, name, n)) {
            continue;
        }

        ngx_memcpy(path + len, name, n + 1);

        if (ngx_link_info(path, &fi) == NGX_FILE_ERROR
            || !ngx_is_file(&fi)
            || now - ngx_file_mtime(&fi) < NGX_HTTP_BLOG_KEEP_STALE)
        {
            continue;
        }

        if (ngx_delete_file(path) == NGX_FILE_ERROR) {

            /* the builder of another site, sweeping too, was first */

            if (ngx_errno == NGX_ENOENT) {
                continue;
            }

            if (!site->keep_sweep_logged) {
                site->keep_sweep_logged = 1;

                ngx_log_error(NGX_LOG_WARN, log, ngx_errno,
                              "blog: cannot remove \"%s\", an index kept "
                              "for a content root or directives no longer "
                              "configured", path);
            }

            continue;
        }

        ngx_log_error(NGX_LOG_NOTICE, log, 0,
                      "blog: removed \"%s\", an index kept for a content "
                      "root or directives no longer configured", path);
    }

    (void) ngx_close_dir(&dir);
}


/* a kept index's name, or its temporary's, that no site here has */

static ngx_int_t
ngx_http_blog_keep_stale(ngx_http_blog_site_t *site, u_char *name,
    size_t len)
{
    u_char      hex[32];
    ngx_uint_t  i;

    if (len != NGX_HTTP_BLOG_KEEP_NAME
        && len != NGX_HTTP_BLOG_KEEP_NAME + sizeof(".tmp") - 1)
    {
        return 0;
    }

    if (ngx_strncmp(name + 32, ".index", sizeof(".index") - 1) != 0
        || (len > NGX_HTTP_BLOG_KEEP_NAME
            && ngx_strcmp(name + NGX_HTTP_BLOG_KEEP_NAME, ".tmp") != 0))
    {
        return 0;
    }

    for (i = 0; i < 32; i++) {
        if (!((name[i] >= '0' && name[i] <= '9')
              || (name[i] >= 'a' && name[i] <= 'f')))
        {
            return 0;
        }
    }

    for (i = 0; i < site->share->nsites; i++) {
        ngx_hex_dump(hex, &site->share->keys[i * 16], 16);

        if (ngx_memcmp(hex, name, 32) == 0) {
            return 0;
        }
    }

    return 1;
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
