
/*
 * Changes told by the kernel: the worker that builds a site's index
 * watches its folders with inotify, and scans when one of them changes,
 * rather than every check interval.  The scan adds a watch for each
 * folder it reads; the folders above the root are watched for the one
 * entry that leads to it, so that a swapped link ("current") is seen.
 * Where inotify is missing, or out of watches, the site is scanned every
 * blog_check_interval, as the error log says once.
 *
 * The watch knows which folder each of its watches is, from the scans
 * that added them, and hands the next scan the folders that changed: it
 * reads only those (blog_index_update).  A change it cannot place (a
 * folder made, moved or removed, an overflow of the kernel's queue, the
 * path above the root) makes the next scan read them all, as does one
 * every five minutes.
 *
 * A file closed by its writer, or renamed into place, is whole: the scan
 * comes at once and takes it (blog_changes_t).  Any other change waits
 * for the settle time first.
 */


#include "ngx_http_blog_module.h"

#if (NGX_LINUX)

#include <sys/inotify.h>


/*
 * What changes a folder's posts, or the folder; IN_MODIFY only tells that
 * a file closed whole is being written again.
 */
#define NGX_HTTP_BLOG_WATCH_MASK  (IN_CLOSE_WRITE|IN_MOVED_TO|IN_MOVED_FROM  \
                                   |IN_CREATE|IN_DELETE|IN_ATTRIB|IN_MODIFY \
                                   |IN_DELETE_SELF|IN_MOVE_SELF)

/* a file whose writer closed it, or renamed into place: whole */
#define NGX_HTTP_BLOG_WATCH_WHOLE_FILE  (IN_CLOSE_WRITE|IN_MOVED_TO)

/* what changes an entry of a folder above the root */
#define NGX_HTTP_BLOG_ABOVE_MASK  (IN_MOVED_TO|IN_MOVED_FROM|IN_CREATE      \
                                   |IN_DELETE|IN_ATTRIB)


/* folders changed since a scan began, read again by the next; more: all */
#define NGX_HTTP_BLOG_WATCH_CHANGED  64

/* files closed whole since a scan began, taken at once; more settle */
#define NGX_HTTP_BLOG_WATCH_CLOSED   256

/* a scan of every folder at least this often, in ms, for what inotify
 * does not see: a network file system changed from another machine */
#define NGX_HTTP_BLOG_WATCH_WHOLE    300000


typedef struct {
    int                        wd;
    ngx_str_t                  name;       /* of the entry on the way */
} ngx_http_blog_above_t;

typedef struct {
    int                        wd;
    char                      *path;       /* malloc()ed */
} ngx_http_blog_folder_t;


struct ngx_http_blog_watch_s {
    int                        fd;
    ngx_connection_t          *c;
    ngx_array_t                above;      /* ngx_http_blog_above_t */
    ngx_atomic_t               error;      /* an errno of inotify_add_watch */
    ngx_pool_t                *pool;

    /* the watched folders by wd; those the running scan adds, apart */
    ngx_http_blog_folder_t    *folders;
    ngx_uint_t                 nfolders;
    ngx_http_blog_folder_t    *adding;
    ngx_uint_t                 nadding;
    ngx_uint_t                 adding_size;

    /* what changed since the running scan began */
    int                        changed[NGX_HTTP_BLOG_WATCH_CHANGED];
    ngx_uint_t                 nchanged;
    char                     **paths;      /* the running scan's folders */
    blog_closed_t             *closed;     /* files closed whole since */
    ngx_uint_t                 nclosed;
    blog_closed_t             *scan_closed;    /* the running scan's */
    ngx_uint_t                 nscan_closed;
    int64_t                    whole_at;   /* the last whole scan began */
    unsigned                   all:1;      /* the next scan reads all */
    unsigned                   whole:1;    /* the running scan reads all */
};


static ngx_int_t ngx_http_blog_watch_above(ngx_http_blog_site_t *site,
    ngx_http_blog_watch_t *w);
static void ngx_http_blog_watch_read(ngx_event_t *ev);
static void ngx_http_blog_watch_fails(ngx_http_blog_site_t *site,
    const char *call, ngx_err_t err);
static void ngx_http_blog_watch_note(ngx_http_blog_watch_t *w,
    struct inotify_event *e);
static ngx_uint_t ngx_http_blog_watch_close(ngx_http_blog_watch_t *w,
    struct inotify_event *e, int64_t at);
static void ngx_http_blog_watch_free_closed(blog_closed_t *c, ngx_uint_t n);
static ngx_http_blog_folder_t *ngx_http_blog_watch_find(
    ngx_http_blog_watch_t *w, int wd);
static void ngx_http_blog_watch_merge(ngx_http_blog_watch_t *w);
static void ngx_http_blog_watch_free(ngx_http_blog_folder_t *f,
    ngx_uint_t n);
static int ngx_libc_cdecl ngx_http_blog_watch_cmp(const void *a,
    const void *b);


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

    ngx_http_blog_watch_free(w->folders, w->nfolders);
    ngx_http_blog_watch_free(w->adding, w->nadding);
    ngx_free(w->paths);
    ngx_http_blog_watch_free_closed(w->closed, w->nclosed);
    ngx_http_blog_watch_free_closed(w->scan_closed, w->nscan_closed);

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

    int                      wd;
    size_t                   n;
    ngx_http_blog_folder_t  *f;
    ngx_http_blog_watch_t   *w;

    w = site->watching;

    if (w == NULL || w->error) {
        return;
    }

    wd = inotify_add_watch(w->fd, path, NGX_HTTP_BLOG_WATCH_MASK|IN_ONLYDIR);

    if (wd == -1) {
        /* a folder gone since it was read is seen by the next scan */

        if (ngx_errno != NGX_ENOENT && ngx_errno != NGX_ENOTDIR) {
            w->error = ngx_errno;
        }

        return;
    }

    /* the event loop looks at these once the scan is done */

    if (w->nadding == w->adding_size) {
        n = w->adding_size ? 2 * w->adding_size : 64;

        f = realloc(w->adding, n * sizeof(ngx_http_blog_folder_t));
        if (f == NULL) {
            w->error = NGX_ENOMEM;
            return;
        }

        w->adding = f;
        w->adding_size = n;
    }

    f = &w->adding[w->nadding];

    f->wd = wd;
    f->path = strdup(path);

    if (f->path == NULL) {
        w->error = NGX_ENOMEM;
        return;
    }

    w->nadding++;
}


/*
 * A scan is about to start, with the builder's watch while it runs: the
 * folders it is to read again, or none when it reads all, and the files
 * closed whole.  What changes from now on, the next scan reads.
 */

void
ngx_http_blog_watch_scan(ngx_http_blog_site_t *site, blog_changes_t *changes)
{
    ngx_uint_t               i;
    ngx_http_blog_folder_t  *f;
    ngx_http_blog_watch_t   *w;

    w = site->watch;
    site->watching = w;

    ngx_memzero(changes, sizeof(blog_changes_t));

    if (w == NULL) {
        return;
    }

    ngx_free(w->paths);
    w->paths = NULL;
    w->nadding = 0;

    ngx_http_blog_watch_free_closed(w->scan_closed, w->nscan_closed);
    w->scan_closed = w->closed;
    w->nscan_closed = w->nclosed;
    w->closed = NULL;
    w->nclosed = 0;

    changes->closed = w->scan_closed;
    changes->nclosed = w->nscan_closed;

    w->whole = w->all || w->nfolders == 0
               || blog_monotonic_ms() - w->whole_at
                  >= NGX_HTTP_BLOG_WATCH_WHOLE;

    if (!w->whole) {
        w->paths = ngx_alloc((w->nchanged + 1) * sizeof(char *), site->log);

        for (i = 0; w->paths != NULL && i < w->nchanged; i++) {
            f = ngx_http_blog_watch_find(w, w->changed[i]);

            if (f == NULL) {
                /* a watch of the folder above the root, or one gone */
                break;
            }

            w->paths[i] = f->path;
        }

        w->whole = (w->paths == NULL || i < w->nchanged);
    }

    if (w->whole) {
        ngx_free(w->paths);
        w->paths = NULL;
        w->whole_at = blog_monotonic_ms();

    } else {
        changes->folders = w->paths;
        changes->nfolders = w->nchanged;
    }

    w->nchanged = 0;
    w->all = 0;
}


/* files closed whole since the running scan began: the next comes soon */

ngx_uint_t
ngx_http_blog_watch_closed(ngx_http_blog_site_t *site)
{
    return site->watch ? site->watch->nclosed : 0;
}


/* the next scan reads every folder: the last one did not finish */

void
ngx_http_blog_watch_whole(ngx_http_blog_site_t *site)
{
    if (site->watch != NULL) {
        site->watch->all = 1;
    }
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

    ngx_free(w->paths);
    w->paths = NULL;

    ngx_http_blog_watch_free_closed(w->scan_closed, w->nscan_closed);
    w->scan_closed = NULL;
    w->nscan_closed = 0;

    ngx_http_blog_watch_merge(w);

    return NGX_OK;
}


ngx_uint_t
ngx_http_blog_watch_count(ngx_http_blog_site_t *site)
{
    return site->watch ? site->watch->nfolders + site->watch->above.nelts
                       : 0;
}


/*
 * The folders the scan watched join those watched before; a whole scan's
 * replace them.  A folder read again keeps its wd (the kernel gives the
 * same one), and its path.
 */

static void
ngx_http_blog_watch_merge(ngx_http_blog_watch_t *w)
{
    ngx_uint_t               i, j, n;
    ngx_http_blog_folder_t  *f;

    if (w->whole) {
        ngx_http_blog_watch_free(w->folders, w->nfolders);
        w->folders = NULL;
        w->nfolders = 0;
    }

    if (w->nadding == 0) {
        return;
    }

    n = w->nfolders + w->nadding;

    f = ngx_alloc(n * sizeof(ngx_http_blog_folder_t), w->c->log);
    if (f == NULL) {
        ngx_http_blog_watch_free(w->adding, w->nadding);
        w->nadding = 0;
        w->all = 1;
        return;
    }

    if (w->nfolders) {
        ngx_memcpy(f, w->folders,
                   w->nfolders * sizeof(ngx_http_blog_folder_t));
    }

    ngx_memcpy(f + w->nfolders, w->adding,
               w->nadding * sizeof(ngx_http_blog_folder_t));

    ngx_free(w->folders);
    w->nadding = 0;

    /* by wd, once each: one wd is one folder, as long as it is watched */

    qsort(f, n, sizeof(ngx_http_blog_folder_t), ngx_http_blog_watch_cmp);

    for (i = 0, j = 0; i < n; i++) {
        if (j > 0 && f[j - 1].wd == f[i].wd) {
            ngx_free(f[i].path);
            continue;
        }

        f[j++] = f[i];
    }

    w->folders = f;
    w->nfolders = j;
}


static ngx_http_blog_folder_t *
ngx_http_blog_watch_find(ngx_http_blog_watch_t *w, int wd)
{
    ngx_http_blog_folder_t  key;

    if (w->nfolders == 0) {
        return NULL;
    }

    key.wd = wd;
    key.path = NULL;

    return bsearch(&key, w->folders, w->nfolders,
                   sizeof(ngx_http_blog_folder_t), ngx_http_blog_watch_cmp);
}


static void
ngx_http_blog_watch_free(ngx_http_blog_folder_t *f, ngx_uint_t n)
{
    ngx_uint_t  i;

    for (i = 0; i < n; i++) {
        ngx_free(f[i].path);
    }

    ngx_free(f);
}


static int ngx_libc_cdecl
ngx_http_blog_watch_cmp(const void *a, const void *b)
{
    const ngx_http_blog_folder_t  *fa = a;
    const ngx_http_blog_folder_t  *fb = b;

    return fa->wd < fb->wd ? -1 : (fa->wd > fb->wd);
}


/* something changed: the site's changed event runs the next scan */

static void
ngx_http_blog_watch_read(ngx_event_t *ev)
{
    ssize_t                   n;
    int64_t                   at;
    ngx_str_t                 name;
    ngx_uint_t                i, changed, closed;
    struct timespec           ts;
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
    closed = 0;

    for ( ;; ) {
        /* a file closed before this read was written before it */

        clock_gettime(CLOCK_REALTIME, &ts);
        at = (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;

        n = read(w->fd, buf, sizeof(buf));

        if (n <= 0) {
            break;
        }

        last = buf + n;

        for (p = buf; p < last; p += sizeof(struct inotify_event) + e->len) {
            e = (struct inotify_event *) p;

            if (e->mask & IN_Q_OVERFLOW) {
                /* what was lost may have been a file written again */
                ngx_http_blog_watch_free_closed(w->closed, w->nclosed);
                w->closed = NULL;
                w->nclosed = 0;
                w->all = 1;
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

                /*
                 * A dotfile is never content, as the scan sees it: the
                 * temporary file a save writes before its rename into
                 * place asks for no scan of its own.
                 */

                if (e->len != 0 && e->name[0] == '.') {
                    continue;
                }

                closed |= ngx_http_blog_watch_close(w, e, at);

                /*
                 * A write under way scans nothing: its close will tell
                 * when the file is whole, and a writer that pauses is not
                 * caught half way.
                 */

                if (!(e->mask & IN_MODIFY)) {
                    ngx_http_blog_watch_note(w, e);
                    changed = 1;
                }

                continue;
            }

            name.data = (u_char *) e->name;
            name.len = e->len ? ngx_strlen(e->name) : 0;

            if (name.len == a[i].name.len
                && ngx_strncmp(name.data, a[i].name.data, name.len) == 0)
            {
                w->all = 1;
                changed = 1;
            }
        }
    }

    /*
     * The scan comes at once for a file closed whole, else once the file
     * told of has stood still for the settle time, so that it takes it;
     * more changes meanwhile ride on the same scan.
     */

    if (changed) {
        site->dirty = 1;

        ngx_http_blog_site_changes(site,
                                   closed && ngx_http_blog_watch_closed(site));
    }

    if (ngx_handle_read_event(ev, 0) != NGX_OK) {
        ngx_http_blog_watch_stop(site);
    }
}


/*
 * A file of a watched folder closed after a write, or renamed into place:
 * it is whole, as of "at".  Any other change to it since (written again,
 * removed, made anew) makes it wait for the settle time again.  1 when
 * it is now whole.
 */

static ngx_uint_t
ngx_http_blog_watch_close(ngx_http_blog_watch_t *w, struct inotify_event *e,
    int64_t at)
{
    size_t                   len, n;
    ngx_uint_t               i;
    blog_closed_t           *c;
    ngx_http_blog_folder_t  *f;

    /* no dotfile comes here: ngx_http_blog_watch_read() leaves them out */

    if (e->len == 0 || (e->mask & IN_ISDIR)) {
        return 0;
    }

    f = ngx_http_blog_watch_find(w, e->wd);
    if (f == NULL) {
        return 0;
    }

    len = ngx_strlen(f->path);
    n = ngx_strlen(e->name);

    for (i = 0; i < w->nclosed; i++) {
        c = &w->closed[i];

        if (ngx_strncmp(c->path, f->path, len) == 0
            && c->path[len] == '/'
            && ngx_strcmp(c->path + len + 1, e->name) == 0)
        {
            break;
        }
    }

    if (!(e->mask & NGX_HTTP_BLOG_WATCH_WHOLE_FILE)) {

        /* IN_ATTRIB is a mode or a time, not the bytes */

        if (i < w->nclosed && !(e->mask & IN_ATTRIB)) {
            ngx_free(w->closed[i].path);
            w->closed[i] = w->closed[--w->nclosed];
        }

        return 0;
    }

    if (i < w->nclosed) {
        w->closed[i].at = at;
        return 1;
    }

    if (w->nclosed == NGX_HTTP_BLOG_WATCH_CLOSED) {
        return 0;
    }

    if (w->closed == NULL) {
        w->closed = ngx_alloc(NGX_HTTP_BLOG_WATCH_CLOSED
                              * sizeof(blog_closed_t), w->c->log);
        if (w->closed == NULL) {
            return 0;
        }
    }

    c = &w->closed[w->nclosed];

    c->path = ngx_alloc(len + 1 + n + 1, w->c->log);
    if (c->path == NULL) {
        return 0;
    }

    ngx_memcpy(c->path, f->path, len);
    c->path[len] = '/';
    ngx_memcpy(c->path + len + 1, e->name, n + 1);
    c->at = at;

    w->nclosed++;

    return 1;
}


static void
ngx_http_blog_watch_free_closed(blog_closed_t *c, ngx_uint_t n)
{
    ngx_uint_t  i;

    for (i = 0; i < n; i++) {
        ngx_free(c[i].path);
    }

    ngx_free(c);
}


/*
 * A change in a watched folder: the next scan reads it again.  A folder
 * made, moved or removed, or the folder itself changed (its mode: what
 * may be read below it), makes it read all.
 */

static void
ngx_http_blog_watch_note(ngx_http_blog_watch_t *w, struct inotify_event *e)
{
    ngx_uint_t  i;

    if (w->all) {
        return;
    }

    if (e->mask & (IN_ISDIR|IN_DELETE_SELF|IN_MOVE_SELF|IN_IGNORED)) {
        w->all = 1;
        return;
    }

    for (i = 0; i < w->nchanged; i++) {
        if (w->changed[i] == e->wd) {
            return;
        }
    }

    if (w->nchanged == NGX_HTTP_BLOG_WATCH_CHANGED) {
        w->all = 1;
        return;
    }

    w->changed[w->nchanged++] = e->wd;
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
ngx_http_blog_watch_scan(ngx_http_blog_site_t *site, blog_changes_t *changes)
{
    ngx_memzero(changes, sizeof(blog_changes_t));
}


ngx_uint_t
ngx_http_blog_watch_closed(ngx_http_blog_site_t *site)
{
    return 0;
}


void
ngx_http_blog_watch_whole(ngx_http_blog_site_t *site)
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
