
/*
 * Changes told by the kernel: the worker that builds a site's index
 * watches its folders with inotify, and scans when one of them changes,
 * rather than every check interval.  The scan adds a watch for each
 * folder it reads; the folders above the root are watched for the one
 * entry that leads to it, so that a swapped link ("current") is seen.
 * Where inotify is missing, or out of watches, the site is scanned every
 * blog_check_interval, as the error log says once.
 */


#include "ngx_http_blog_module.h"

#if (NGX_LINUX)

#include <sys/inotify.h>


/* what changes a folder's posts, or the folder */
#define NGX_HTTP_BLOG_WATCH_MASK  (IN_CLOSE_WRITE|IN_MOVED_TO|IN_MOVED_FROM  \
                                   |IN_CREATE|IN_DELETE|IN_ATTRIB           \
                                   |IN_DELETE_SELF|IN_MOVE_SELF)

/* what changes an entry of a folder above the root */
#define NGX_HTTP_BLOG_ABOVE_MASK  (IN_MOVED_TO|IN_MOVED_FROM|IN_CREATE      \
                                   |IN_DELETE|IN_ATTRIB)


typedef struct {
    int                        wd;
    ngx_str_t                  name;       /* of the entry on the way */
} ngx_http_blog_above_t;


struct ngx_http_blog_watch_s {
    int                        fd;
    ngx_connection_t          *c;
    ngx_array_t                above;      /* ngx_http_blog_above_t */
    ngx_atomic_t               watches;    /* added by the last scan */
    ngx_atomic_t               error;      /* an errno of inotify_add_watch */
    ngx_pool_t                *pool;
};


static ngx_int_t ngx_http_blog_watch_above(ngx_http_blog_site_t *site,
    ngx_http_blog_watch_t *w);
static void ngx_http_blog_watch_read(ngx_event_t *ev);
static void ngx_http_blog_watch_fails(ngx_http_blog_site_t *site,
    const char *call, ngx_err_t err);


/*
 * The builder watches the site: NGX_OK, or NGX_DECLINED when inotify
 * cannot, said once.
 */

ngx_int_t
ngx_http_blog_watch_start(ngx_http_blog_site_t *site)
{
    int                     fd;
    ngx_pool_t             *pool;
    ngx_event_t            *rev;
    ngx_connection_t       *c;
    ngx_http_blog_watch_t  *w;

    if (site->watch != NULL) {
        return NGX_OK;
    }

    if (!site->watchable) {
        return NGX_DECLINED;
    }

    fd = inotify_init1(IN_NONBLOCK|IN_CLOEXEC);

    if (fd == -1) {
        ngx_http_blog_watch_fails(site, "inotify_init1()", ngx_errno);
        return NGX_DECLINED;
    }

    pool = ngx_create_pool(1024, site->log);
    if (pool == NULL) {
        close(fd);
        return NGX_DECLINED;
    }

    w = ngx_pcalloc(pool, sizeof(ngx_http_blog_watch_t));
    c = ngx_get_connection(fd, site->log);

    if (w == NULL || c == NULL) {
        if (c != NULL) {
            c->fd = (ngx_socket_t) -1;
            ngx_free_connection(c);
        }

        close(fd);
        ngx_destroy_pool(pool);
        return NGX_DECLINED;
    }

    w->fd = fd;
    w->c = c;
    w->pool = pool;

    c->data = site;
    rev = c->read;
    rev->handler = ngx_http_blog_watch_read;
    rev->log = site->log;

    if (ngx_array_init(&w->above, pool, 8, sizeof(ngx_http_blog_above_t))
        != NGX_OK
        || ngx_handle_read_event(rev, 0) != NGX_OK)
    {
        c->fd = (ngx_socket_t) -1;
        ngx_free_connection(c);
        close(fd);
        ngx_destroy_pool(pool);
        return NGX_DECLINED;
    }

    site->watch = w;

    if (ngx_http_blog_watch_above(site, w) != NGX_OK) {
        ngx_http_blog_watch_stop(site);
        return NGX_DECLINED;
    }

    ngx_log_debug1(NGX_LOG_DEBUG_HTTP, site->log, 0,
                   "blog: watching \"%V\"", &site->root);

    return NGX_OK;
}


/* this worker no longer builds the site's index, or exits */

void
ngx_http_blog_watch_stop(ngx_http_blog_site_t *site)
{
    ngx_http_blog_watch_t  *w;

    w = site->watch;

    if (w == NULL) {
        return;
    }

    site->watch = NULL;

    if (w->c->read->active) {
        ngx_del_event(w->c->read, NGX_READ_EVENT, NGX_CLOSE_EVENT);
    }

    if (w->c->read->posted) {
        ngx_delete_posted_event(w->c->read);
    }

    w->c->fd = (ngx_socket_t) -1;
    ngx_free_connection(w->c);

    close(w->fd);
    ngx_destroy_pool(w->pool);
}


/*
 * The folders above the root, each for the entry that leads to it: a
 * link swapped there moves the whole blog.
 */

static ngx_int_t
ngx_http_blog_watch_above(ngx_http_blog_site_t *site,
    ngx_http_blog_watch_t *w)
{
    int                     wd;
    u_char                 *p, *end, *slash;
    u_char                  path[NGX_MAX_PATH];
    ngx_http_blog_above_t  *a;

    if (site->root.len >= NGX_MAX_PATH || site->root.data[0] != '/') {
        return NGX_OK;
    }

    end = site->root.data + site->root.len;

    while (end > site->root.data + 1 && end[-1] == '/') {
        end--;
    }

    for (p = site->root.data + 1; p < end; p = slash + 1) {
        slash = ngx_strlchr(p, end, '/');

        if (slash == NULL) {
            slash = end;
        }

        if (slash == p) {
            continue;
        }

        /* the folder before p, "/" for the first */

        ngx_memcpy(path, site->root.data, p - site->root.data);
        path[p - site->root.data > 1 ? p - site->root.data - 1 : 1] = '\0';

        wd = inotify_add_watch(w->fd, (char *) path,
                               NGX_HTTP_BLOG_ABOVE_MASK|IN_ONLYDIR);

        if (wd == -1) {
            ngx_http_blog_watch_fails(site, "inotify_add_watch()", ngx_errno);
            return NGX_ERROR;
        }

        a = ngx_array_push(&w->above);
        if (a == NULL) {
            return NGX_ERROR;
        }

        a->wd = wd;
        a->name.len = slash - p;
        a->name.data = ngx_pnalloc(w->pool, a->name.len);

        if (a->name.data == NULL) {
            return NGX_ERROR;
        }

        ngx_memcpy(a->name.data, p, a->name.len);
    }

    return NGX_OK;
}


/* in a thread of the pool: the scan reads a folder, which is watched */

void
ngx_http_blog_watch_folder(void *data, const char *path)
{
    ngx_http_blog_site_t *site = data;

    ngx_http_blog_watch_t  *w;

    w = site->watching;

    if (w == NULL || w->error) {
        return;
    }

    if (inotify_add_watch(w->fd, path, NGX_HTTP_BLOG_WATCH_MASK|IN_ONLYDIR)
        == -1)
    {
        /* a folder gone since it was read is seen by the next scan */

        if (ngx_errno != NGX_ENOENT && ngx_errno != NGX_ENOTDIR) {
            w->error = ngx_errno;
        }

        return;
    }

    ngx_atomic_fetch_add(&w->watches, 1);
}


/*
 * A scan is about to start: its watches are counted anew.  The watch the
 * scan is to use is the builder's, set while the scan runs.
 */

void
ngx_http_blog_watch_scan(ngx_http_blog_site_t *site)
{
    if (site->watch != NULL) {
        site->watch->watches = 0;
    }

    site->watching = site->watch;
}


/*
 * The scan is done: NGX_OK while the site is still watched, NGX_DECLINED
 * when a folder could not be, which stops the watch.
 */

ngx_int_t
ngx_http_blog_watch_scanned(ngx_http_blog_site_t *site)
{
    ngx_err_t               err;
    ngx_http_blog_watch_t  *w;

    w = site->watching;
    site->watching = NULL;

    if (w == NULL || w != site->watch) {
        return site->watch ? NGX_OK : NGX_DECLINED;
    }

    if (w->error) {
        err = (ngx_err_t) w->error;
        ngx_http_blog_watch_stop(site);
        ngx_http_blog_watch_fails(site, "inotify_add_watch()", err);
        return NGX_DECLINED;
    }

    return NGX_OK;
}


ngx_uint_t
ngx_http_blog_watch_count(ngx_http_blog_site_t *site)
{
    return site->watch ? site->watch->watches + site->watch->above.nelts : 0;
}


/* something changed: the site's changed event runs the next scan */

static void
ngx_http_blog_watch_read(ngx_event_t *ev)
{
    ssize_t                   n;
    ngx_str_t                 name;
    ngx_uint_t                i, changed;
    ngx_connection_t         *c;
    ngx_http_blog_site_t     *site;
    ngx_http_blog_above_t    *a;
    ngx_http_blog_watch_t    *w;
    struct inotify_event     *e;
    u_char                   *p, *last;
    u_char                    buf[4096]
                              __attribute__((aligned(__alignof__(
                                  struct inotify_event))));

    c = ev->data;
    site = c->data;
    w = site->watch;

    if (w == NULL) {
        return;
    }

    changed = 0;

    for ( ;; ) {
        n = read(w->fd, buf, sizeof(buf));

        if (n <= 0) {
            break;
        }

        last = buf + n;

        for (p = buf; p < last; p += sizeof(struct inotify_event) + e->len) {
            e = (struct inotify_event *) p;

            if (e->mask & IN_Q_OVERFLOW) {
                changed = 1;
                continue;
            }

            /* above the root, only the entry on the way to it */

            a = w->above.elts;

            for (i = 0; i < w->above.nelts; i++) {
                if (a[i].wd == e->wd) {
                    break;
                }
            }

            if (i == w->above.nelts) {
                changed = 1;
                continue;
            }

            name.data = (u_char *) e->name;
            name.len = e->len ? ngx_strlen(e->name) : 0;

            if (name.len == a[i].name.len
                && ngx_strncmp(name.data, a[i].name.data, name.len) == 0)
            {
                changed = 1;
            }
        }
    }

    /*
     * The scan comes once the file told of has stood still for the settle
     * time, so that it takes it at once; more changes meanwhile ride on
     * the same scan.
     */

    if (changed) {
        site->dirty = 1;

        if (!site->changed.timer_set && !site->changed.posted) {
            ngx_add_timer(&site->changed, site->opts.settle_ms);
        }
    }

    if (ngx_handle_read_event(ev, 0) != NGX_OK) {
        ngx_http_blog_watch_stop(site);
    }
}


static void
ngx_http_blog_watch_fails(ngx_http_blog_site_t *site, const char *call,
    ngx_err_t err)
{
    site->watchable = 0;

    ngx_log_error(NGX_LOG_WARN, site->log, err,
                  "blog: cannot watch \"%V\" for changes, %s failed%s: "
                  "scanning it every blog_check_interval", &site->root,
                  call, err == NGX_ENOSPC
                        ? " (raise fs.inotify.max_user_watches)"
                        : (err == NGX_EMFILE
                           ? " (raise fs.inotify.max_user_instances)" : ""));
}


#else


ngx_int_t
ngx_http_blog_watch_start(ngx_http_blog_site_t *site)
{
    return NGX_DECLINED;
}


void
ngx_http_blog_watch_stop(ngx_http_blog_site_t *site)
{
}


void
ngx_http_blog_watch_folder(void *data, const char *path)
{
}


void
ngx_http_blog_watch_scan(ngx_http_blog_site_t *site)
{
}


ngx_int_t
ngx_http_blog_watch_scanned(ngx_http_blog_site_t *site)
{
    return NGX_DECLINED;
}


ngx_uint_t
ngx_http_blog_watch_count(ngx_http_blog_site_t *site)
{
    return 0;
}


#endif
