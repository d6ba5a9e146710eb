
/*
 * The nginx side of the blog: configuration, the per-worker sites (a
 * content root and its current index) and the content handler.  The
 * blog's logic lives in the core; this glue owns requests, pools, timers
 * and threads.
 */


#ifndef _NGX_HTTP_BLOG_MODULE_H_INCLUDED_
#define _NGX_HTTP_BLOG_MODULE_H_INCLUDED_


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "blog.h"


typedef struct {
    ngx_str_t                  root;       /* NUL-terminated */
    blog_options_t             opts;
    ngx_msec_t                 interval;
    blog_index_t              *index;
    ngx_event_t                timer;
    ngx_log_t                 *log;
    unsigned                   building:1;
    unsigned                   logged:1;
#if (NGX_THREADS)
    ngx_thread_pool_t         *thread_pool;
    ngx_thread_task_t         *task;
#endif
} ngx_http_blog_site_t;


typedef struct {
    ngx_array_t                sites;      /* ngx_http_blog_site_t * */
} ngx_http_blog_main_conf_t;


typedef struct {
    ngx_str_t                  root;
    ngx_str_t                  prefix;
    ngx_http_blog_site_t      *site;

    ngx_str_t                  templates;
    blog_theme_t              *theme;
    time_t                     theme_time;  /* of the configuration */

    ngx_str_t                  title;
    ngx_str_t                  description;
    ngx_str_t                  author;
    ngx_str_t                  base_url;
    ngx_str_t                  home_url;

    ngx_uint_t                 posts_per_page;
    ngx_uint_t                 summary_length;
    ngx_uint_t                 words_per_minute;
    ngx_msec_t                 check_interval;
    size_t                     max_post_size;
    ngx_flag_t                 drafts;
    ngx_flag_t                 raw_html;
} ngx_http_blog_loc_conf_t;


ngx_http_blog_site_t *ngx_http_blog_site_add(ngx_conf_t *cf,
    ngx_http_blog_loc_conf_t *blcf);
ngx_int_t ngx_http_blog_sites_start(ngx_cycle_t *cycle);
void ngx_http_blog_sites_stop(ngx_cycle_t *cycle);
ngx_int_t ngx_http_blog_theme_load(ngx_conf_t *cf,
    ngx_http_blog_loc_conf_t *blcf);
ngx_int_t ngx_http_blog_handler(ngx_http_request_t *r);


extern ngx_module_t  ngx_http_blog_module;


#endif /* _NGX_HTTP_BLOG_MODULE_H_INCLUDED_ */
