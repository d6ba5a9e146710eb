
/*
 * The page cache the children share: a socache provider, as mod_ssl keeps
 * its sessions ("BlogCache shmcb:/run/apache2/blog_cache(67108864)").  An
 * entry is a page with its variants, found by the core's page key and
 * checked against its signature (blog_page_key_compare()); what the
 * entry holds is the handler's to write and read.  Providers that are not
 * safe across processes get a global mutex, "blog-cache", which the Mutex
 * directive can set.
 */


#include "mod_blog.h"

#include "ap_provider.h"
#include "util_mutex.h"


/* the error log names the module: "[blog:error]" */
APLOG_USE_MODULE(blog);


/* how long an entry may live: the cache evicts the oldest first anyway */
#define MOD_BLOG_CACHE_EXPIRY   (86400 * APR_USEC_PER_SEC)

/* the largest entry kept */
#define MOD_BLOG_CACHE_ENTRY    (1024 * 1024)


static apr_status_t mod_blog_cache_cleanup(void *data);


/* every cache of this configuration, each spec once, in pconf */
static apr_array_header_t  *mod_blog_cache_list;

void
mod_blog_caches_reset(void)
{
    mod_blog_cache_list = NULL;
}


apr_array_header_t *
mod_blog_caches(void)
{
    return mod_blog_cache_list;
}


/* BlogCache PROVIDER:ARGS: the provider must be there and take its args */

const char *
mod_blog_cache_parse(apr_pool_t *p, const char *arg, mod_blog_cache_t **cp)
{
    int                 i;
    char               *name;
    const char         *args, *err;
    mod_blog_cache_t   *cache, **caches;

    if (mod_blog_cache_list == NULL) {
        mod_blog_cache_list = apr_array_make(p, 2,
                                             sizeof(mod_blog_cache_t *));
    }

    caches = (mod_blog_cache_t **) mod_blog_cache_list->elts;

    for (i = 0; i < mod_blog_cache_list->nelts; i++) {
        if (strcmp(caches[i]->spec, arg) == 0) {
            *cp = caches[i];
            return NULL;
        }
    }

    cache = apr_pcalloc(p, sizeof(mod_blog_cache_t));
    cache->spec = apr_pstrdup(p, arg);

    name = apr_pstrdup(p, arg);
    args = ap_strchr(name, ':');

    if (args != NULL) {
        name[args - name] = '\0';
        args++;
    }

    cache->provider = ap_lookup_provider(AP_SOCACHE_PROVIDER_GROUP, name,
                                         AP_SOCACHE_PROVIDER_VERSION);
    if (cache->provider == NULL) {
        return apr_psprintf(p, "BlogCache \"%s\": no socache provider "
                            "\"%s\" (is mod_socache_%s loaded?)", arg, name,
                            name);
    }

    err = cache->provider->create(&cache->instance, args, p, p);
    if (err != NULL) {
        return apr_psprintf(p, "BlogCache \"%s\": %s", arg, err);
    }

    *(mod_blog_cache_t **) apr_array_push(mod_blog_cache_list) = cache;
    *cp = cache;

    return NULL;
}


int
mod_blog_cache_init(mod_blog_cache_t *cache, apr_pool_t *p, server_rec *s)
{
    apr_status_t              rv;
    struct ap_socache_hints   hints;

    if (cache->provider->flags & AP_SOCACHE_FLAG_NOTMPSAFE) {
        rv = ap_global_mutex_create(&cache->mutex, NULL, "blog-cache", NULL,
                                    s, p, 0);
        if (rv != APR_SUCCESS) {
            return HTTP_INTERNAL_SERVER_ERROR;
        }
    }

    memset(&hints, 0, sizeof(hints));
    hints.avg_id_len = 16;
    hints.avg_obj_size = 16 * 1024;
    hints.expiry_interval = 3600;

    rv = cache->provider->init(cache->instance, "mod_blog", &hints, s, p);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_ERR, rv, s,
                     "blog: cannot set up BlogCache \"%s\"", cache->spec);
        return HTTP_INTERNAL_SERVER_ERROR;
    }

    apr_pool_cleanup_register(p, cache, mod_blog_cache_cleanup,
                              apr_pool_cleanup_null);

    return OK;
}


void
mod_blog_cache_child_init(mod_blog_cache_t *cache, apr_pool_t *p,
    server_rec *s)
{
    apr_status_t  rv;

    if (cache->mutex == NULL) {
        return;
    }

    rv = apr_global_mutex_child_init(&cache->mutex,
                                     apr_global_mutex_lockfile(cache->mutex),
                                     p);
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s,
                     "blog: cannot join the lock of BlogCache \"%s\"",
                     cache->spec);
    }
}


/*
 * The entry stored under k, into entry, in the request's pool (whose
 * allocator keeps the block for the thread's next request).  OK, or
 * DECLINED: none.
 */

int
mod_blog_cache_get(mod_blog_cache_t *cache, request_rec *r,
    const blog_page_key_t *k, blog_buf_t *entry)
{
    u_char        *buf;
    apr_status_t   rv;
    unsigned int   len;

    buf = apr_palloc(r->pool, MOD_BLOG_CACHE_ENTRY);
    len = MOD_BLOG_CACHE_ENTRY;

    if (cache->mutex != NULL) {
        apr_global_mutex_lock(cache->mutex);
    }

    rv = cache->provider->retrieve(cache->instance, r->server, k->key, 16,
                                   buf, &len, r->pool);

    if (cache->mutex != NULL) {
        apr_global_mutex_unlock(cache->mutex);
    }

    if (rv != APR_SUCCESS) {
        return DECLINED;
    }

    entry->data = buf;
    entry->len = len;
    entry->size = 0;    /* the pool's, not the caller's to free */

    return OK;
}


void
mod_blog_cache_put(mod_blog_cache_t *cache, request_rec *r,
    const blog_page_key_t *k, const blog_buf_t *entry)
{
    apr_status_t  rv;

    if (entry->failed || entry->len > MOD_BLOG_CACHE_ENTRY) {
        return;
    }

    if (cache->mutex != NULL) {
        apr_global_mutex_lock(cache->mutex);
    }

    rv = cache->provider->store(cache->instance, r->server, k->key, 16,
                                apr_time_now() + MOD_BLOG_CACHE_EXPIRY,
                                entry->data, (unsigned int) entry->len,
                                r->pool);

    if (cache->mutex != NULL) {
        apr_global_mutex_unlock(cache->mutex);
    }

    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, rv, r,
                      "blog: page of %zu bytes not cached", entry->len);
    }
}


static apr_status_t
mod_blog_cache_cleanup(void *data)
{
    mod_blog_cache_t *cache = data;

    cache->provider->destroy(cache->instance, NULL);

    return APR_SUCCESS;
}
