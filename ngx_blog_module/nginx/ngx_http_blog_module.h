
/*
 * The nginx side of the blog: configuration, the sites (a content root
 * and its index, one per server in the index zone) and the content
 * handler.  The
 * blog's logic lives in the core; this glue owns requests, pools, timers
 * and threads.  Its files call one way, top to bottom:
 *
 *   module                 directives, the module's life cycle
 *   handler                routing
 *   page, file, status     the answers
 *   cache, site            the page zone; the sites and their indexes
 *   share, watch           the index zone: one index per server; the
 *                          changes inotify tells its builder of
 *   request, response,     waiting requests; headers and sending;
 *   encoding, link         the coding a client takes, brotli; the base
 *                          of absolute links
 */


#ifndef _NGX_HTTP_BLOG_MODULE_H_INCLUDED_
#define _NGX_HTTP_BLOG_MODULE_H_INCLUDED_


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>
#include <ngx_md5.h>

#include "blog.h"


#if !(NGX_THREADS)
#error the blog module renders and scans in a thread pool: \
configure nginx --with-threads
#endif


/* blog_index_zone's default: room for about 50,000 posts */
#define NGX_HTTP_BLOG_INDEX_ZONE     (64 * 1024 * 1024)


#define NGX_HTTP_BLOG_CACHE_MISS     1
#define NGX_HTTP_BLOG_CACHE_BYPASS   2
#define NGX_HTTP_BLOG_CACHE_EXPIRED  3
#define NGX_HTTP_BLOG_CACHE_HIT      4


typedef struct ngx_http_blog_cache_sh_s  ngx_http_blog_cache_sh_t;

typedef struct {
    ngx_str_t                  name;
    size_t                     size;       /* 0 until blog_cache_zone */
    ngx_str_t                  file;       /* of its first mention */
    ngx_uint_t                 line;
    ngx_shm_zone_t            *shm_zone;
    ngx_slab_pool_t           *shpool;
    ngx_http_blog_cache_sh_t  *sh;
} ngx_http_blog_cache_t;


typedef struct {
    ngx_uint_t                 entries;
    ngx_uint_t                 hits;
    ngx_uint_t                 misses;
    ngx_uint_t                 evictions;
    ngx_uint_t                 pins;       /* pages being sent or stored */
    ngx_uint_t                 retired;    /* out of the cache, pinned */
    ngx_uint_t                 released;   /* pins of dead workers */
    size_t                     size;
    size_t                     free;
} ngx_http_blog_cache_stats_t;


/* what a cached page is found by, and checked against */

typedef struct {
    blog_page_key_t            page;       /* the page and its sources */
    ngx_uint_t                 status;     /* $blog_cache_status */
    unsigned                   want_gzip:1;
    unsigned                   want_br:1;
} ngx_http_blog_key_t;


/* a page ready to send, from the cache or a render */

typedef struct {
    ngx_uint_t                 status;
    ngx_str_t                  type;
    ngx_str_t                  etag;
    time_t                     last_modified;
    u_char                    *body;
    size_t                     len;
    unsigned                   gzip:1;
    unsigned                   br:1;
} ngx_http_blog_response_t;


/* the module's context of a request */

typedef struct {
    ngx_queue_t                queue;      /* while waiting for an index
                                              or for another's render */
    ngx_http_request_t        *request;
    blog_request_t             rq;
    blog_answer_t              answer;
    void                      *page;       /* its page, once looked up */
    ngx_uint_t                 cache_status;
    int64_t                    since;      /* waits for a scan begun then,
                                              monotonic ms */
    unsigned                   waited:1;
} ngx_http_blog_ctx_t;


typedef struct ngx_http_blog_share_sh_s  ngx_http_blog_share_sh_t;
typedef struct ngx_http_blog_watch_s     ngx_http_blog_watch_t;

typedef struct ngx_http_blog_share_site_s  ngx_http_blog_share_site_t;

typedef struct {
    ngx_shm_zone_t            *shm_zone;
    ngx_slab_pool_t           *shpool;
    ngx_http_blog_share_sh_t  *sh;
    ngx_uint_t                 nsites;
    u_char                    *keys;       /* 16 bytes a site */
    ngx_http_blog_share_site_t **sites;    /* in the zone, by site number */
    ngx_uint_t                 slot;       /* this worker's */
} ngx_http_blog_share_t;


typedef struct {
    uint64_t                   number;
    ngx_pid_t                  builder;
    ngx_uint_t                 generations;
    size_t                     bytes;
    uint64_t                   builds;
    size_t                     zone_size;
    ngx_uint_t                 watches;    /* 0: scans every interval */
    ngx_uint_t                 scans;
} ngx_http_blog_share_stats_t;


typedef struct {
    ngx_str_t                  root;       /* NUL-terminated */
    blog_options_t             opts;
    blog_options_t             watched;    /* the same, while the builder
                                              watches: a shorter settle */
    ngx_msec_t                 interval;
    ngx_uint_t                 number;     /* in the index zone */
    blog_index_t              *index;      /* the newest this worker has */
    blog_index_t              *built;      /* the builder's own, in its heap */
    uint64_t                   built_number;   /* its generation */
    ngx_http_blog_share_t     *share;
    ngx_queue_t                held;       /* generations in use */
    uint64_t                   share_number;   /* of the newest held */
    size_t                     share_size;     /* a copy with no room */
    void                     **reads;      /* the blocks of posts the */
    ngx_uint_t                 nreads;     /* builder's copy reads */
    ngx_uint_t                 reads_size;
    uint64_t                   reads_pass;
    int64_t                    last_start;     /* of its latest scan */
    unsigned                   settle_ms;  /* from the check interval */
    ngx_event_t                timer;
    ngx_event_t                poll;       /* for requests that wait */
    ngx_msec_t                 poll_ms;    /* its interval */
    ngx_event_t                changed;    /* the next scan of a watched
                                              site */
    ngx_http_blog_watch_t     *watch;      /* the builder's inotify */
    ngx_http_blog_watch_t     *watching;   /* the one the scan adds to */
    ngx_log_t                 *log;
    ngx_queue_t                waiting;    /* requests for the next build */
    ngx_queue_t                riding;     /* ... for the running one */
    ngx_queue_t                rendering;  /* pages in the thread pool */
    unsigned                   building:1;
    unsigned                   shared:1;   /* reads the index zone */
    unsigned                   leading:1;  /* builds it, as of the last
                                              check interval */
    unsigned                   watchable:1;    /* blog_watch, and inotify
                                                  has not failed */
    unsigned                   dirty:1;    /* changed since the scan began */
    unsigned                   unwatch:1;  /* once the scan is done */
    unsigned                   queue_full_logged:1;
    unsigned                   zone_full_logged:1;
    unsigned                   zone_later_logged:1;
    unsigned                   share_later:1;  /* no room yet: copy again */
    unsigned                   reads_failed:1;
    ngx_thread_pool_t         *thread_pool;
    ngx_thread_task_t         *task;

    u_char                    *keep_file;  /* blog_index_path's, or NULL */
    ngx_thread_task_t         *keep_task;
    ngx_event_t                keep_timer;
    ngx_msec_t                 kept_at;    /* the last write's end, or 0 */
    uint64_t                   kept_version;   /* of the index in it */
    ngx_flag_t                 keep_sweep_logged;  /* by its threads: not
                                                      a bit beside others */
    unsigned                   keeping:1;
    unsigned                   keep_again:1;
    unsigned                   keep_failed_logged:1;
} ngx_http_blog_site_t;


typedef struct {
    ngx_array_t                sites;      /* ngx_http_blog_site_t * */
    ngx_array_t                caches;     /* ngx_http_blog_cache_t * */
    size_t                     index_zone_size;
    ngx_path_t                *index_path;
    ngx_http_blog_share_t     *share;
} ngx_http_blog_main_conf_t;


typedef struct {
    ngx_str_t                  root;
    ngx_str_t                  prefix;
    ngx_http_blog_site_t      *site;

    ngx_http_blog_cache_t     *cache;
    blog_site_t                blog;       /* the settings pages are made
                                              with, as configured */
    u_char                     signature[16];  /* of what shapes pages */

    ngx_str_t                  templates;
    blog_theme_t              *theme;
    time_t                     theme_time;  /* of the configuration */

    ngx_str_t                  title;
    ngx_str_t                  description;
    ngx_str_t                  author;
    ngx_str_t                  base_url;
    ngx_str_t                  home_url;
    ngx_str_t                  favicon;    /* a URL, "off", or empty: the
                                              theme's favicon.svg */
    ngx_array_t               *server_names;   /* the server's, for links */

    ngx_uint_t                 posts_per_page;
    ngx_uint_t                 summary_length;
    ngx_uint_t                 words_per_minute;
    ngx_msec_t                 check_interval;
    size_t                     max_post_size;
    size_t                     max_front_matter_size;
    ngx_uint_t                 max_front_matter_depth;
    ngx_flag_t                 drafts;
    ngx_flag_t                 raw_html;
    ngx_uint_t                 markdown;
    ngx_flag_t                 watch;
    ngx_flag_t                 brotli;     /* unset: as gzip is */
} ngx_http_blog_loc_conf_t;


/* module */
ngx_int_t ngx_http_blog_theme_load(ngx_conf_t *cf,
    ngx_http_blog_loc_conf_t *blcf);

/* handler */
ngx_int_t ngx_http_blog_handler(ngx_http_request_t *r);

/* page, file, status */
ngx_int_t ngx_http_blog_page(ngx_http_request_t *r,
    ngx_http_blog_loc_conf_t *blcf, blog_route_t *rt);
void ngx_http_blog_page_init(ngx_conf_t *cf);
ngx_uint_t ngx_http_blog_gzip_on(ngx_http_request_t *r);
ngx_uint_t ngx_http_blog_brotli_on(ngx_http_request_t *r,
    ngx_http_blog_loc_conf_t *blcf);
ngx_int_t ngx_http_blog_asset(ngx_http_request_t *r,
    ngx_http_blog_loc_conf_t *blcf, blog_route_t *rt);
ngx_int_t ngx_http_blog_file(ngx_http_request_t *r,
    ngx_http_blog_loc_conf_t *blcf, blog_answer_t *a);
char *ngx_http_blog_status(ngx_conf_t *cf, ngx_command_t *cmd, void *conf);

/* cache */
char *ngx_http_blog_cache_zone(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
char *ngx_http_blog_cache(ngx_conf_t *cf, ngx_command_t *cmd, void *conf);
ngx_int_t ngx_http_blog_cache_check(ngx_conf_t *cf);
ngx_int_t ngx_http_blog_cache_get(ngx_http_request_t *r,
    ngx_http_blog_cache_t *cache, ngx_http_blog_key_t *k,
    ngx_http_blog_response_t *res);
void ngx_http_blog_cache_put(ngx_http_blog_cache_t *cache, ngx_log_t *log,
    ngx_http_blog_key_t *k, ngx_http_blog_response_t *res, ngx_str_t *gzip,
    ngx_str_t *br);
void ngx_http_blog_cache_stats(ngx_http_blog_cache_t *cache,
    ngx_http_blog_cache_stats_t *st);
void ngx_http_blog_cache_sweep(ngx_http_blog_cache_t *cache, ngx_log_t *log);
ngx_int_t ngx_http_blog_cache_status_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data);

/* site */
ngx_http_blog_site_t *ngx_http_blog_site_add(ngx_conf_t *cf,
    ngx_http_blog_loc_conf_t *blcf);
ngx_int_t ngx_http_blog_sites_start(ngx_cycle_t *cycle);
void ngx_http_blog_sites_stop(ngx_cycle_t *cycle);

void ngx_http_blog_site_wait(ngx_http_blog_site_t *site, ngx_queue_t *q);
void ngx_http_blog_site_fresh(ngx_http_blog_site_t *site);
void ngx_http_blog_site_changes(ngx_http_blog_site_t *site, ngx_uint_t whole);
void ngx_http_blog_site_hold(ngx_http_blog_site_t *site, blog_index_t *ix);
void ngx_http_blog_site_release(ngx_http_blog_site_t *site,
    blog_index_t *ix);

/* share */
char *ngx_http_blog_index_zone(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
ngx_int_t ngx_http_blog_share_add(ngx_conf_t *cf,
    ngx_http_blog_main_conf_t *bmcf);
void ngx_http_blog_share_start(ngx_http_blog_share_t *share);
void ngx_http_blog_share_stop(ngx_http_blog_share_t *share);
ngx_int_t ngx_http_blog_share_lead(ngx_http_blog_site_t *site);
void ngx_http_blog_share_resign(ngx_http_blog_site_t *site);
blog_index_t *ngx_http_blog_share_copy(ngx_http_blog_site_t *site,
    blog_index_t *ix);
uint64_t ngx_http_blog_share_publish(ngx_http_blog_site_t *site,
    blog_index_t *copy);
void ngx_http_blog_share_confirm(ngx_http_blog_site_t *site,
    int64_t started);
uint64_t ngx_http_blog_share_current(ngx_http_blog_site_t *site);
void ngx_http_blog_share_failed(ngx_http_blog_site_t *site,
    int64_t started);
void ngx_http_blog_share_take(ngx_http_blog_site_t *site);
void ngx_http_blog_share_hold(ngx_http_blog_site_t *site, blog_index_t *ix);
void ngx_http_blog_share_release(ngx_http_blog_site_t *site,
    blog_index_t *ix);
void ngx_http_blog_share_drop(ngx_http_blog_site_t *site);
int64_t ngx_http_blog_share_scanned(ngx_http_blog_site_t *site);
ngx_uint_t ngx_http_blog_share_full(ngx_http_blog_site_t *site);
void ngx_http_blog_share_want(ngx_http_blog_site_t *site, int64_t since);
int64_t ngx_http_blog_share_wanted(ngx_http_blog_site_t *site);
void ngx_http_blog_share_watches(ngx_http_blog_site_t *site, ngx_uint_t n);
ngx_uint_t ngx_http_blog_share_watched(ngx_http_blog_site_t *site);
void ngx_http_blog_share_count_scan(ngx_http_blog_site_t *site);

/* watch */
ngx_int_t ngx_http_blog_watch_start(ngx_http_blog_site_t *site);
void ngx_http_blog_watch_stop(ngx_http_blog_site_t *site);
void ngx_http_blog_watch_folder(void *data, const char *path);
void ngx_http_blog_watch_scan(ngx_http_blog_site_t *site,
    blog_changes_t *changes);
ngx_uint_t ngx_http_blog_watch_closed(ngx_http_blog_site_t *site);
void ngx_http_blog_watch_whole(ngx_http_blog_site_t *site);
ngx_int_t ngx_http_blog_watch_scanned(ngx_http_blog_site_t *site);
ngx_uint_t ngx_http_blog_watch_count(ngx_http_blog_site_t *site);
void ngx_http_blog_share_stats(ngx_http_blog_site_t *site,
    ngx_http_blog_share_stats_t *st);
const char *ngx_http_blog_site_user_name(void);

/* keep */
ngx_int_t ngx_http_blog_keep_add(ngx_conf_t *cf,
    ngx_http_blog_main_conf_t *bmcf);
void ngx_http_blog_keep_start(ngx_http_blog_site_t *site,
    ngx_cycle_t *cycle);
blog_index_t *ngx_http_blog_keep_restore(ngx_http_blog_site_t *site,
    const blog_options_t *opts, ngx_log_t *log);
void ngx_http_blog_keep_save(ngx_http_blog_site_t *site,
    blog_index_t *index);
void ngx_http_blog_keep_stop(ngx_http_blog_site_t *site);

/* request */
ngx_http_blog_ctx_t *ngx_http_blog_ctx(ngx_http_request_t *r);
void ngx_http_blog_park(ngx_http_request_t *r,
    ngx_http_event_handler_pt resume);
void ngx_http_blog_resume(ngx_http_request_t *r);
void ngx_http_blog_wake(ngx_queue_t *queue);
void ngx_http_blog_wake_later(ngx_queue_t *queue);

/* encoding */
ngx_uint_t ngx_http_blog_encoding(ngx_http_request_t *r, ngx_uint_t gzip,
    ngx_uint_t br);

/* link */
ngx_int_t ngx_http_blog_server_names(ngx_conf_t *cf,
    ngx_http_blog_loc_conf_t *blcf);
void ngx_http_blog_base_url(ngx_http_request_t *r,
    ngx_http_blog_loc_conf_t *blcf, blog_str_t *url);

/* response */
ngx_int_t ngx_http_blog_accept_method(ngx_http_request_t *r);
ngx_table_elt_t *ngx_http_blog_header(ngx_http_request_t *r, char *key,
    char *value);
ngx_int_t ngx_http_blog_moved(ngx_http_request_t *r, ngx_str_t *location);
ngx_int_t ngx_http_blog_busy(ngx_http_request_t *r);
ngx_int_t ngx_http_blog_retry_later(ngx_http_request_t *r);
ngx_int_t ngx_http_blog_send(ngx_http_request_t *r,
    ngx_http_blog_response_t *res);
ngx_int_t ngx_http_blog_send_memory(ngx_http_request_t *r, u_char *data,
    size_t len);


extern ngx_module_t  ngx_http_blog_module;


#endif /* _NGX_HTTP_BLOG_MODULE_H_INCLUDED_ */
