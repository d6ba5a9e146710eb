
/*
 * The Apache httpd side of the blog: configuration, the sites (a content
 * root and its index, in each child process), the shared page cache (a
 * socache provider, as mod_ssl's session cache) and the handler.  The
 * blog's logic lives in the core; this glue owns requests, pools and
 * threads.  Its files call one way, top to bottom:
 *
 *   mod_blog             directives, the module's life cycle
 *   mod_blog_handler     the answers: pages, files, redirects
 *   mod_blog_status      the blog-status handler
 *   mod_blog_cache       the page cache, over a socache provider
 *   mod_blog_site        the sites and their indexes
 */


#ifndef _MOD_BLOG_H_INCLUDED_
#define _MOD_BLOG_H_INCLUDED_


#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "ap_socache.h"
#include "apr_shm.h"
#include "apr_strings.h"
#include "apr_thread_proc.h"
#include "apr_thread_mutex.h"
#include "apr_thread_cond.h"
#include "apr_global_mutex.h"

#include "blog.h"


#define MOD_BLOG_UNSET          -1


/* a socache provider shared by the child processes */

typedef struct {
    const char                  *spec;       /* "shmcb:PATH(SIZE)" */
    const ap_socache_provider_t *provider;
    ap_socache_instance_t       *instance;
    apr_global_mutex_t          *mutex;      /* where the provider wants
                                                one */
} mod_blog_cache_t;


/* a content root and the index of it this child reads */

typedef struct {
    const char                  *root;
    blog_options_t               opts;
    apr_interval_time_t          interval;   /* 0: fresh for each page */
    apr_thread_mutex_t          *mutex;
    apr_thread_cond_t           *wake;       /* the builder, for a scan */
    apr_thread_cond_t           *built;      /* broadcast after a scan */
    apr_thread_t                *builder;
    blog_index_t                *index;      /* the newest */
    apr_uint64_t                 scans;
    int64_t                      wanted;     /* a scan begun after this,
                                                monotonic ms */
    int64_t                      last_start; /* of the latest scan */
    uint64_t                    *change;     /* shared by the children:
                                                the latest change one
                                                found (mod_blog_site.c) */
    server_rec                  *server;
    unsigned                     building:1;
    unsigned                     stopping:1;
} mod_blog_site_t;


typedef struct {
    const char                  *root;       /* Blog; NULL: not a blog */
    const char                  *location;   /* its <Location> */
    const char                  *prefix;     /* the same, without the
                                                trailing slash */
    const char                  *file;       /* where Blog was said */
    unsigned                     line;

    const char                  *title;
    const char                  *description;
    const char                  *author;
    const char                  *base_url;
    const char                  *home_url;
    const char                  *favicon;
    const char                  *templates;
    int                          posts_per_page;
    int                          summary_length;
    int                          words_per_minute;
    int                          check_interval;  /* ms */
    int                          drafts;
    int                          raw_html;
    int                          markdown;
    apr_off_t                    max_post_size;
    apr_off_t                    max_front_matter_size;
    int                          max_front_matter_depth;
    mod_blog_cache_t            *cache;      /* BlogCache; none: NULL */
    int                          cache_set;

    /* made once the configuration is read, for the Blog section */
    blog_theme_t                *theme;
    apr_time_t                   theme_time;
    blog_site_t                  blog;       /* the settings pages are made
                                                with, as configured */
    u_char                       signature[16];
    mod_blog_site_t             *site;
} mod_blog_conf_t;


/* mod_blog_handler.c */
int mod_blog_handler(request_rec *r);

/* mod_blog_status.c */
int mod_blog_status_handler(request_rec *r);

/* mod_blog_cache.c */
const char *mod_blog_cache_parse(apr_pool_t *p, const char *arg,
    mod_blog_cache_t **cache);
int mod_blog_cache_init(mod_blog_cache_t *cache, apr_pool_t *p,
    server_rec *s);
void mod_blog_cache_child_init(mod_blog_cache_t *cache, apr_pool_t *p,
    server_rec *s);
int mod_blog_cache_get(mod_blog_cache_t *cache, request_rec *r,
    const blog_page_key_t *k, blog_buf_t *entry);
void mod_blog_cache_put(mod_blog_cache_t *cache, request_rec *r,
    const blog_page_key_t *k, const blog_buf_t *entry);
apr_array_header_t *mod_blog_caches(void);
void mod_blog_caches_reset(void);

/* mod_blog_site.c */
mod_blog_site_t *mod_blog_site_add(apr_pool_t *p, mod_blog_conf_t *conf,
    server_rec *s);
apr_array_header_t *mod_blog_sites(void);
void mod_blog_sites_reset(void);
int mod_blog_sites_build(apr_pool_t *p, server_rec *s);
const char *mod_blog_user(void);
void mod_blog_sites_start(apr_pool_t *p, server_rec *s);
blog_index_t *mod_blog_site_index(mod_blog_site_t *site);
blog_index_t *mod_blog_site_rescan(mod_blog_site_t *site, blog_index_t *ix,
    int64_t settle_at);
void mod_blog_site_release(mod_blog_site_t *site, blog_index_t *ix);


extern module AP_MODULE_DECLARE_DATA  blog_module;


#endif /* _MOD_BLOG_H_INCLUDED_ */
