
/*
 * The sites: a content root and the settings its index is built with,
 * one per root and settings however many sections share them.  The first
 * index is built in the parent before the children are forked, so each
 * child starts with it; in each child a thread of its own scans the
 * folder every check interval and swaps the index in, and requests take
 * the newest with a reference.  No request scans, but a page whose file
 * changed since the index waits for the next scan, as under nginx; with
 * BlogCheckInterval 0 a page waits for a scan begun after it came.
 *
 * The children tell each other of changes through a word of shared
 * memory: when a change was found, and what the index that found it has,
 * so that every page of every child shows one version.  A child whose
 * scan finds what no child told yet tells it; a request whose index has
 * something else, from a scan begun before that, waits for a scan of its
 * own child begun after.  The word holds the monotonic time in ms in its
 * high 40 bits, and in the low 24 bits the index's version, or 0 when a
 * page found a file changed and the version is not known yet.
 */


#include "mod_blog.h"

#include "unixd.h"

#include <errno.h>
#include <pwd.h>
#include <unistd.h>


/* the error log names the module: "[blog:error]" */
APLOG_USE_MODULE(blog);


#define MOD_BLOG_CHANGE_BITS    24
#define mod_blog_change_at(w)   ((int64_t) ((w) >> MOD_BLOG_CHANGE_BITS))
#define mod_blog_change_of(w)                                                 \
    ((w) & ((1ULL << MOD_BLOG_CHANGE_BITS) - 1))


/* how long a request waits for a scan it asked for, at most */
#define MOD_BLOG_SCAN_WAIT      (5 * APR_USEC_PER_SEC)

/* and for a file to settle, at most */
#define MOD_BLOG_SETTLE_WAIT    2000


static void mod_blog_site_log(mod_blog_site_t *site, server_rec *s,
    blog_index_t *ix);
static void *APR_THREAD_FUNC mod_blog_site_thread(apr_thread_t *thread,
    void *data);
static void mod_blog_site_scan(mod_blog_site_t *site);
static uint64_t mod_blog_site_version(blog_index_t *ix);
static void mod_blog_site_tell(mod_blog_site_t *site, int64_t at,
    uint64_t version);
static blog_index_t *mod_blog_site_wait(mod_blog_site_t *site,
    blog_index_t *ix, int64_t since);
static apr_status_t mod_blog_site_stop(void *data);
static apr_status_t mod_blog_site_drop(void *data);


/* every site of this configuration, in pconf */
static apr_array_header_t  *mod_blog_site_list;


void
mod_blog_sites_reset(void)
{
    mod_blog_site_list = NULL;
}


apr_array_header_t *
mod_blog_sites(void)
{
    return mod_blog_site_list;
}


mod_blog_site_t *
mod_blog_site_add(apr_pool_t *p, mod_blog_conf_t *conf, server_rec *s)
{
    int                i;
    blog_options_t     opts = BLOG_DEFAULT_OPTIONS;
    mod_blog_site_t  **sites, *site;

    if (conf->words_per_minute != MOD_BLOG_UNSET) {
        opts.words_per_minute = conf->words_per_minute;
    }

    if (conf->max_post_size != MOD_BLOG_UNSET) {
        opts.max_post_size = (size_t) conf->max_post_size;
    }

    if (conf->max_front_matter_size != MOD_BLOG_UNSET) {
        opts.max_front_matter = (size_t) conf->max_front_matter_size;
    }

    if (conf->max_front_matter_depth != MOD_BLOG_UNSET) {
        opts.max_depth = conf->max_front_matter_depth;
    }

    if (conf->markdown != MOD_BLOG_UNSET) {
        opts.markdown = conf->markdown;
    }

    opts.drafts = (conf->drafts == 1);

    if (mod_blog_site_list == NULL) {
        mod_blog_site_list = apr_array_make(p, 4, sizeof(mod_blog_site_t *));
    }

    sites = (mod_blog_site_t **) mod_blog_site_list->elts;

    for (i = 0; i < mod_blog_site_list->nelts; i++) {
        site = sites[i];

        if (strcmp(site->root, conf->root) == 0
            && site->opts.words_per_minute == opts.words_per_minute
            && site->opts.max_post_size == opts.max_post_size
            && site->opts.max_front_matter == opts.max_front_matter
            && site->opts.max_depth == opts.max_depth
            && site->opts.markdown == opts.markdown
            && site->opts.drafts == opts.drafts)
        {
            return site;
        }
    }

    site = apr_pcalloc(p, sizeof(mod_blog_site_t));

    site->root = conf->root;
    site->opts = opts;
    site->server = s;
    site->interval = (conf->check_interval != MOD_BLOG_UNSET)
                     ? conf->check_interval : BLOG_DEFAULT_CHECK_INTERVAL;
    site->opts.settle_ms = blog_file_settle_ms((unsigned) site->interval);

    *(mod_blog_site_t **) apr_array_push(mod_blog_site_list) = site;

    return site;
}


/* in the parent, before the children are forked */

int
mod_blog_sites_build(apr_pool_t *p, server_rec *s)
{
    int                i, rc, user;
    apr_shm_t         *shm;
    mod_blog_site_t  **sites, *site;

    if (mod_blog_site_list == NULL) {
        return OK;
    }

    /*
     * The scan reads as the children will, not as root: a post they may
     * not read is a problem now, not a page that fails later.
     */

    user = (geteuid() == 0 && ap_unixd_config.user_id != 0
            && ap_unixd_config.user_id != (uid_t) -1);

    if (user && (setegid(ap_unixd_config.group_id) == -1
                 || seteuid(ap_unixd_config.user_id) == -1))
    {
        ap_log_error(APLOG_MARK, APLOG_ERR, errno, s,
                     "blog: cannot scan as user \"%s\"",
                     ap_unixd_config.user_name);
        return HTTP_INTERNAL_SERVER_ERROR;
    }

    rc = OK;
    sites = (mod_blog_site_t **) mod_blog_site_list->elts;

    for (i = 0; i < mod_blog_site_list->nelts; i++) {
        site = sites[i];

        site->index = blog_index_build(site->root, &site->opts, NULL,
                                       apr_time_sec(apr_time_now()));
        if (site->index == NULL) {
            ap_log_error(APLOG_MARK, APLOG_ERR, 0, s,
                         "blog: cannot build the index of \"%s\"",
                         site->root);
            rc = HTTP_INTERNAL_SERVER_ERROR;
            break;
        }

        site->last_start = site->index->generation;
        mod_blog_site_log(site, s, site->index);

        /* anonymous: the children inherit it, and it goes with pconf */

        if (apr_shm_create(&shm, sizeof(uint64_t), NULL, p) != APR_SUCCESS) {
            ap_log_error(APLOG_MARK, APLOG_ERR, 0, s,
                         "blog: cannot share the changes of \"%s\" "
                         "between the children", site->root);
            rc = HTTP_INTERNAL_SERVER_ERROR;
            break;
        }

        site->change = apr_shm_baseaddr_get(shm);
        *site->change = 0;

        apr_pool_cleanup_register(p, site, mod_blog_site_drop,
                                  apr_pool_cleanup_null);
    }

    if (user && (seteuid(0) == -1 || setegid(0) == -1)) {
        ap_log_error(APLOG_MARK, APLOG_ERR, errno, s,
                     "blog: cannot be root again after a scan");
        return HTTP_INTERNAL_SERVER_ERROR;
    }

    return rc;
}


/* in each child: its own lock and its own builder thread */

void
mod_blog_sites_start(apr_pool_t *p, server_rec *s)
{
    int                i;
    apr_status_t       rv;
    mod_blog_site_t  **sites, *site;

    if (mod_blog_site_list == NULL) {
        return;
    }

    sites = (mod_blog_site_t **) mod_blog_site_list->elts;

    for (i = 0; i < mod_blog_site_list->nelts; i++) {
        site = sites[i];

        if (apr_thread_mutex_create(&site->mutex, APR_THREAD_MUTEX_DEFAULT,
                                    p)
            != APR_SUCCESS
            || apr_thread_cond_create(&site->wake, p) != APR_SUCCESS
            || apr_thread_cond_create(&site->built, p) != APR_SUCCESS)
        {
            ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s,
                         "blog: cannot make the locks of \"%s\"",
                         site->root);
            continue;
        }

        site->stopping = 0;
        site->server = s;

        if (site->interval == 0) {
            /* fresh for each page: the requests scan, one at a time */
            continue;
        }

        rv = apr_thread_create(&site->builder, NULL, mod_blog_site_thread,
                               site, p);
        if (rv != APR_SUCCESS) {
            ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s,
                         "blog: cannot start the scans of \"%s\"",
                         site->root);
            site->builder = NULL;
            continue;
        }

        apr_pool_pre_cleanup_register(p, site, mod_blog_site_stop);
    }
}


/* the newest index, held for a request until mod_blog_site_release() */

blog_index_t *
mod_blog_site_index(mod_blog_site_t *site)
{
    int64_t        since;
    uint64_t       w;
    blog_index_t  *ix;

    if (site->mutex == NULL) {
        return NULL;
    }

    apr_thread_mutex_lock(site->mutex);

    ix = site->index;
    blog_index_ref(ix);

    apr_thread_mutex_unlock(site->mutex);

    /*
     * A child found, after this index was scanned, what it has not.  With
     * BlogCheckInterval 0 the page scans anyway.
     */

    if (ix == NULL || site->change == NULL || site->interval == 0) {
        return ix;
    }

    w = __atomic_load_n(site->change, __ATOMIC_ACQUIRE);
    since = mod_blog_change_at(w);

    if (since >= ix->generation
        && mod_blog_change_of(w) != mod_blog_site_version(ix))
    {
        ix = mod_blog_site_wait(site, ix, since + 1);
    }

    return ix;
}


void
mod_blog_site_release(mod_blog_site_t *site, blog_index_t *ix)
{
    blog_index_release(ix);
}


/*
 * A page's file is not the one ix found: wait until it settles (settle_at,
 * wall-clock ms, or 0), tell the other children, then wait for a scan
 * that begins after that, and give the index it made in place of ix.
 */

blog_index_t *
mod_blog_site_rescan(mod_blog_site_t *site, blog_index_t *ix,
    int64_t settle_at)
{
    int64_t  since, delay;

    delay = settle_at - apr_time_as_msec(apr_time_now());

    if (settle_at && delay > 0) {
        apr_sleep(apr_time_from_msec(delay > MOD_BLOG_SETTLE_WAIT
                                     ? MOD_BLOG_SETTLE_WAIT : delay + 10));
    }

    since = blog_monotonic_ms();

    mod_blog_site_tell(site, since, 0);

    return mod_blog_site_wait(site, ix, since);
}


/*
 * The other children learn that a scan begun after "at" finds an index
 * with this version (0: not known); the latest such time stays.
 */

static void
mod_blog_site_tell(mod_blog_site_t *site, int64_t at, uint64_t version)
{
    uint64_t  was, w;

    if (site->change == NULL || site->interval == 0) {
        return;
    }

    w = ((uint64_t) at << MOD_BLOG_CHANGE_BITS) | version;
    was = __atomic_load_n(site->change, __ATOMIC_RELAXED);

    while (mod_blog_change_at(was) < at
           && !__atomic_compare_exchange_n(site->change, &was, w, 0,
                                           __ATOMIC_RELEASE,
                                           __ATOMIC_RELAXED))
    {
        /* void */
    }
}


/* an index's version as the word holds it: never 0 */

static uint64_t
mod_blog_site_version(blog_index_t *ix)
{
    uint64_t  v;

    v = mod_blog_change_of(ix->version);

    return v ? v : 1;
}


/* waits for a scan begun at since or after, and gives its index for ix */

static blog_index_t *
mod_blog_site_wait(mod_blog_site_t *site, blog_index_t *ix, int64_t since)
{
    apr_time_t     deadline;
    blog_index_t  *newest;

    deadline = apr_time_now() + MOD_BLOG_SCAN_WAIT;

    apr_thread_mutex_lock(site->mutex);

    while (site->last_start < since && !site->stopping
           && apr_time_now() < deadline)
    {
        if (site->builder == NULL && !site->building) {
            /* BlogCheckInterval 0: this request scans for all */
            mod_blog_site_scan(site);
            continue;
        }

        if (site->wanted == 0 || site->wanted > since) {
            site->wanted = since;
        }

        apr_thread_cond_signal(site->wake);

        if (deadline > apr_time_now()) {
            apr_thread_cond_timedwait(site->built, site->mutex,
                                      deadline - apr_time_now());
        }
    }

    newest = site->index;
    blog_index_ref(newest);

    apr_thread_mutex_unlock(site->mutex);

    blog_index_release(ix);

    return newest;
}


/*
 * The builder thread: a scan every check interval, or at once when a
 * request asks for one; the child's exit stops it.
 */

static void *APR_THREAD_FUNC
mod_blog_site_thread(apr_thread_t *thread, void *data)
{
    mod_blog_site_t *site = data;

    apr_time_t  next;

    apr_thread_mutex_lock(site->mutex);

    next = apr_time_now() + apr_time_from_msec(site->interval);

    while (!site->stopping) {

        if (site->wanted == 0 && apr_time_now() < next) {
            apr_thread_cond_timedwait(site->wake, site->mutex,
                                      next - apr_time_now());
            continue;
        }

        mod_blog_site_scan(site);

        next = apr_time_now() + apr_time_from_msec(site->interval);
    }

    apr_thread_mutex_unlock(site->mutex);

    apr_thread_exit(thread, APR_SUCCESS);

    return NULL;
}


/* a scan, with the site's mutex held, which it lets go of meanwhile */

static void
mod_blog_site_scan(mod_blog_site_t *site)
{
    int64_t        start;
    uint64_t       w;
    blog_index_t  *prev, *ix;

    site->building = 1;
    site->wanted = 0;

    prev = site->index;
    blog_index_ref(prev);

    start = blog_monotonic_ms();

    apr_thread_mutex_unlock(site->mutex);

    ix = blog_index_build(site->root, &site->opts, prev,
                          apr_time_sec(apr_time_now()));

    if (ix != NULL) {
        mod_blog_site_log(site, site->server, ix);
    }

    apr_thread_mutex_lock(site->mutex);

    if (ix != NULL) {
        blog_index_release(site->index);
        site->index = ix;

        /*
         * What no child told since this scan began: a scan of theirs
         * begun after this one ends finds it too.
         */

        w = (site->change != NULL)
            ? __atomic_load_n(site->change, __ATOMIC_ACQUIRE) : 0;

        if (mod_blog_change_at(w) < ix->generation
            && mod_blog_change_of(w) != mod_blog_site_version(ix))
        {
            mod_blog_site_tell(site, blog_monotonic_ms(),
                               mod_blog_site_version(ix));
        }
    }

    blog_index_release(prev);

    site->last_start = start;
    site->scans++;
    site->building = 0;

    apr_thread_cond_broadcast(site->built);
}


/* what a scan found wrong, once: the problems new in this index */

static void
mod_blog_site_log(mod_blog_site_t *site, server_rec *s, blog_index_t *ix)
{
    size_t           i;
    blog_buf_t       b;
    blog_problem_t  *pb;

    blog_buf_init(&b);

    for (i = 0; i < ix->nproblems; i++) {
        pb = &ix->problems[i];

        if (!pb->fresh) {
            continue;
        }

        b.len = 0;

        if (blog_problem_say(&b, pb, mod_blog_user()) == BLOG_ERROR) {
            ap_log_error(APLOG_MARK, APLOG_ERR, 0, s, "%s",
                         b.failed ? "blog: out of memory" : (char *) b.data);

        } else {
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s, "%s",
                         b.failed ? "blog: out of memory" : (char *) b.data);
        }
    }

    blog_buf_free(&b);
}


/* the child exits: its builder stops and is waited for */

static apr_status_t
mod_blog_site_stop(void *data)
{
    mod_blog_site_t *site = data;

    apr_status_t  rv;

    apr_thread_mutex_lock(site->mutex);
    site->stopping = 1;
    apr_thread_cond_broadcast(site->wake);
    apr_thread_cond_broadcast(site->built);
    apr_thread_mutex_unlock(site->mutex);

    if (site->builder != NULL) {
        apr_thread_join(&rv, site->builder);
        site->builder = NULL;
    }

    return APR_SUCCESS;
}


/* the configuration goes (a restart): its indexes with it */

static apr_status_t
mod_blog_site_drop(void *data)
{
    mod_blog_site_t *site = data;

    blog_index_release(site->index);
    site->index = NULL;

    return APR_SUCCESS;
}


/* the user the children run as, which scans read as */

const char *
mod_blog_user(void)
{
    static char     name[64];
    struct passwd  *pw;

    if (ap_unixd_config.user_name != NULL) {
        return ap_unixd_config.user_name;
    }

    if (name[0] == '\0') {
        pw = getpwuid(geteuid());
        apr_cpystrn(name, pw != NULL ? pw->pw_name : "?", sizeof(name));
    }

    return name;
}
