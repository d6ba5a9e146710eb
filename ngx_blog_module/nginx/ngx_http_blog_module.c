
/*
 * Directives of the blog module and its place in nginx's life cycle: the
 * "blog" directive turns a prefix location into a blog, the others tune
 * it.  Sites are started in each worker by init_process.
 */


#include "ngx_http_blog_module.h"


static ngx_int_t ngx_http_blog_add_variables(ngx_conf_t *cf);
static ngx_int_t ngx_http_blog_init(ngx_conf_t *cf);
static void *ngx_http_blog_create_main_conf(ngx_conf_t *cf);
static void *ngx_http_blog_create_loc_conf(ngx_conf_t *cf);
static char *ngx_http_blog_merge_loc_conf(ngx_conf_t *cf, void *parent,
    void *child);
static char *ngx_http_blog(ngx_conf_t *cf, ngx_command_t *cmd, void *conf);
static char *ngx_http_blog_markdown(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static void ngx_http_blog_settings(ngx_http_blog_loc_conf_t *conf);
static ngx_int_t ngx_http_blog_init_process(ngx_cycle_t *cycle);
static void ngx_http_blog_exit_process(ngx_cycle_t *cycle);


static ngx_conf_num_bounds_t  ngx_http_blog_words_bounds = {
    ngx_conf_check_num_bounds, 1, 100000
};

static ngx_conf_num_bounds_t  ngx_http_blog_page_bounds = {
    ngx_conf_check_num_bounds, 1, 1000
};

static ngx_conf_num_bounds_t  ngx_http_blog_depth_bounds = {
    ngx_conf_check_num_bounds, 1, 1000
};

static ngx_conf_num_bounds_t  ngx_http_blog_summary_bounds = {
    ngx_conf_check_num_bounds, 0, 100000
};


static ngx_conf_enum_t  ngx_http_blog_dialects[] = {
    { ngx_string("gfm"), BLOG_MARKDOWN_GFM },
    { ngx_string("commonmark"), BLOG_MARKDOWN_COMMONMARK },
    { ngx_null_string, 0 }
};


static ngx_command_t  ngx_http_blog_commands[] = {

    { ngx_string("blog"),
      NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_blog,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("blog_status"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS,
      ngx_http_blog_status,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("blog_cache_zone"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_http_blog_cache_zone,
      NGX_HTTP_MAIN_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("blog_index_zone"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_http_blog_index_zone,
      NGX_HTTP_MAIN_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("blog_index_path"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_path_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_blog_main_conf_t, index_path),
      NULL },

    { ngx_string("blog_cache"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_blog_cache,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("blog_title"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_blog_loc_conf_t, title),
      NULL },

    { ngx_string("blog_description"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_blog_loc_conf_t, description),
      NULL },

    { ngx_string("blog_author"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_blog_loc_conf_t, author),
      NULL },

    { ngx_string("blog_favicon"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_blog_loc_conf_t, favicon),
      NULL },

    { ngx_string("blog_base_url"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_blog_loc_conf_t, base_url),
      NULL },

    { ngx_string("blog_home_url"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_blog_loc_conf_t, home_url),
      NULL },

    { ngx_string("blog_templates"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_blog_loc_conf_t, templates),
      NULL },

    { ngx_string("blog_posts_per_page"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_num_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_blog_loc_conf_t, posts_per_page),
      &ngx_http_blog_page_bounds },

    { ngx_string("blog_summary_length"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_num_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_blog_loc_conf_t, summary_length),
      &ngx_http_blog_summary_bounds },

    { ngx_string("blog_words_per_minute"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_num_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_blog_loc_conf_t, words_per_minute),
      &ngx_http_blog_words_bounds },

    { ngx_string("blog_check_interval"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_msec_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_blog_loc_conf_t, check_interval),
      NULL },

    { ngx_string("blog_max_post_size"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_size_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_blog_loc_conf_t, max_post_size),
      NULL },

    { ngx_string("blog_max_front_matter_size"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_size_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_blog_loc_conf_t, max_front_matter_size),
      NULL },

    { ngx_string("blog_max_front_matter_depth"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_num_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_blog_loc_conf_t, max_front_matter_depth),
      &ngx_http_blog_depth_bounds },

    { ngx_string("blog_drafts"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_blog_loc_conf_t, drafts),
      NULL },

    { ngx_string("blog_watch"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_blog_loc_conf_t, watch),
      NULL },

    { ngx_string("blog_brotli"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_blog_loc_conf_t, brotli),
      NULL },

    { ngx_string("blog_raw_html"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_blog_loc_conf_t, raw_html),
      NULL },

    { ngx_string("blog_markdown"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_blog_markdown,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_blog_loc_conf_t, markdown),
      &ngx_http_blog_dialects },

      ngx_null_command
};


static ngx_http_module_t  ngx_http_blog_module_ctx = {
    ngx_http_blog_add_variables,           /* preconfiguration */
    ngx_http_blog_init,                    /* postconfiguration */

    ngx_http_blog_create_main_conf,        /* create main configuration */
    NULL,                                  /* init main configuration */

    NULL,                                  /* create server configuration */
    NULL,                                  /* merge server configuration */

    ngx_http_blog_create_loc_conf,         /* create location configuration */
    ngx_http_blog_merge_loc_conf           /* merge location configuration */
};


ngx_module_t  ngx_http_blog_module = {
    NGX_MODULE_V1,
    &ngx_http_blog_module_ctx,             /* module context */
    ngx_http_blog_commands,                /* module directives */
    NGX_HTTP_MODULE,                       /* module type */
    NULL,                                  /* init master */
    NULL,                                  /* init module */
    ngx_http_blog_init_process,            /* init process */
    NULL,                                  /* init thread */
    NULL,                                  /* exit thread */
    ngx_http_blog_exit_process,            /* exit process */
    NULL,                                  /* exit master */
    NGX_MODULE_V1_PADDING
};


static ngx_http_variable_t  ngx_http_blog_vars[] = {

    { ngx_string("blog_cache_status"), NULL,
      ngx_http_blog_cache_status_variable, 0,
      NGX_HTTP_VAR_NOCACHEABLE, 0 },

      ngx_http_null_variable
};


static ngx_int_t
ngx_http_blog_add_variables(ngx_conf_t *cf)
{
    ngx_http_variable_t  *var, *v;

    for (v = ngx_http_blog_vars; v->name.len; v++) {
        var = ngx_http_add_variable(cf, &v->name, v->flags);
        if (var == NULL) {
            return NGX_ERROR;
        }

        var->get_handler = v->get_handler;
        var->data = v->data;
    }

    return NGX_OK;
}


static ngx_int_t
ngx_http_blog_init(ngx_conf_t *cf)
{
    ngx_http_blog_main_conf_t  *bmcf;

    ngx_http_blog_page_init(cf);

    bmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_blog_module);

    if (ngx_http_blog_share_add(cf, bmcf) != NGX_OK
        || ngx_http_blog_keep_add(cf, bmcf) != NGX_OK)
    {
        return NGX_ERROR;
    }

    return ngx_http_blog_cache_check(cf);
}


static void *
ngx_http_blog_create_main_conf(ngx_conf_t *cf)
{
    ngx_http_blog_main_conf_t  *bmcf;

    bmcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_blog_main_conf_t));
    if (bmcf == NULL) {
        return NULL;
    }

    bmcf->index_zone_size = NGX_CONF_UNSET_SIZE;

    if (ngx_array_init(&bmcf->sites, cf->pool, 4,
                       sizeof(ngx_http_blog_site_t *))
        != NGX_OK)
    {
        return NULL;
    }

    if (ngx_array_init(&bmcf->caches, cf->pool, 2,
                       sizeof(ngx_http_blog_cache_t *))
        != NGX_OK)
    {
        return NULL;
    }

    return bmcf;
}


static void *
ngx_http_blog_create_loc_conf(ngx_conf_t *cf)
{
    ngx_http_blog_loc_conf_t  *blcf;

    blcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_blog_loc_conf_t));
    if (blcf == NULL) {
        return NULL;
    }

    /*
     * set by ngx_pcalloc():
     *
     *     blcf->root = { 0, NULL };
     *     blcf->prefix = { 0, NULL };
     *     blcf->site = NULL;
     *     blcf->templates = { 0, NULL };
     *     blcf->theme = NULL;
     *     blcf->title = { 0, NULL };
     *     blcf->description = { 0, NULL };
     *     blcf->author = { 0, NULL };
     *     blcf->base_url = { 0, NULL };
     *     blcf->home_url = { 0, NULL };
     *     blcf->favicon = { 0, NULL };
     */

    blcf->cache = NGX_CONF_UNSET_PTR;
    blcf->posts_per_page = NGX_CONF_UNSET_UINT;
    blcf->summary_length = NGX_CONF_UNSET_UINT;
    blcf->words_per_minute = NGX_CONF_UNSET_UINT;
    blcf->check_interval = NGX_CONF_UNSET_MSEC;
    blcf->max_post_size = NGX_CONF_UNSET_SIZE;
    blcf->max_front_matter_size = NGX_CONF_UNSET_SIZE;
    blcf->max_front_matter_depth = NGX_CONF_UNSET_UINT;
    blcf->drafts = NGX_CONF_UNSET;
    blcf->raw_html = NGX_CONF_UNSET;
    blcf->markdown = NGX_CONF_UNSET_UINT;
    blcf->watch = NGX_CONF_UNSET;
    blcf->brotli = NGX_CONF_UNSET;

    return blcf;
}


static char *
ngx_http_blog_merge_loc_conf(ngx_conf_t *cf, void *parent, void *child)
{
    ngx_http_blog_loc_conf_t *prev = parent;
    ngx_http_blog_loc_conf_t *conf = child;

    ngx_conf_merge_str_value(conf->title, prev->title, "Blog");
    ngx_conf_merge_str_value(conf->description, prev->description, "");
    ngx_conf_merge_str_value(conf->author, prev->author, "");
    ngx_conf_merge_str_value(conf->base_url, prev->base_url, "");
    ngx_conf_merge_str_value(conf->home_url, prev->home_url, "/");
    ngx_conf_merge_str_value(conf->favicon, prev->favicon, "");

    while (conf->base_url.len
           && conf->base_url.data[conf->base_url.len - 1] == '/')
    {
        conf->base_url.len--;
    }

    ngx_conf_merge_ptr_value(conf->cache, prev->cache, NULL);
    ngx_conf_merge_str_value(conf->templates, prev->templates, "");
    ngx_conf_merge_uint_value(conf->posts_per_page, prev->posts_per_page,
                              BLOG_DEFAULT_POSTS_PER_PAGE);
    ngx_conf_merge_uint_value(conf->summary_length, prev->summary_length,
                              BLOG_DEFAULT_SUMMARY_LENGTH);
    ngx_conf_merge_uint_value(conf->words_per_minute, prev->words_per_minute,
                              BLOG_DEFAULT_WORDS_PER_MINUTE);
    ngx_conf_merge_msec_value(conf->check_interval, prev->check_interval,
                              BLOG_DEFAULT_CHECK_INTERVAL);
    ngx_conf_merge_size_value(conf->max_post_size, prev->max_post_size,
                              BLOG_DEFAULT_MAX_POST_SIZE);
    ngx_conf_merge_size_value(conf->max_front_matter_size,
                              prev->max_front_matter_size,
                              BLOG_DEFAULT_MAX_FRONT_MATTER);
    ngx_conf_merge_uint_value(conf->max_front_matter_depth,
                              prev->max_front_matter_depth,
                              BLOG_DEFAULT_MAX_DEPTH);
    ngx_conf_merge_value(conf->drafts, prev->drafts, 0);
    ngx_conf_merge_value(conf->raw_html, prev->raw_html, 0);
    ngx_conf_merge_uint_value(conf->markdown, prev->markdown,
                              BLOG_MARKDOWN_GFM);
    ngx_conf_merge_value(conf->watch, prev->watch, 1);

    /* left unset, it follows "gzip" where a request is served */
    ngx_conf_merge_value(conf->brotli, prev->brotli, NGX_CONF_UNSET);

    if (conf->root.data == NULL) {
        return NGX_CONF_OK;
    }

    conf->site = ngx_http_blog_site_add(cf, conf);
    if (conf->site == NULL) {
        return NGX_CONF_ERROR;
    }

    if (ngx_http_blog_server_names(cf, conf) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    if (ngx_http_blog_theme_load(cf, conf) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    ngx_http_blog_settings(conf);
    blog_site_signature(conf->signature, (char *) conf->root.data,
                        &conf->blog);

    return NGX_CONF_OK;
}


static char *
ngx_http_blog(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_blog_loc_conf_t *blcf = conf;

    ngx_str_t                 *value, name;
    ngx_file_info_t            fi;
    ngx_http_core_loc_conf_t  *clcf;

    if (blcf->root.data != NULL) {
        return "is duplicate";
    }

    clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);

    if (clcf->named
#if (NGX_PCRE)
        || clcf->regex != NULL
#endif
        || clcf->exact_match)
    {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"blog\" needs a prefix location, "
                           "not \"%V\"", &clcf->name);
        return NGX_CONF_ERROR;
    }

    value = cf->args->elts;
    name = value[1];

    if (ngx_conf_full_name(cf->cycle, &name, 0) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    /* a NUL-terminated copy for the core's file calls */

    blcf->root.len = name.len;
    blcf->root.data = ngx_pnalloc(cf->pool, name.len + 1);
    if (blcf->root.data == NULL) {
        return NGX_CONF_ERROR;
    }

    ngx_memcpy(blcf->root.data, name.data, name.len);
    blcf->root.data[name.len] = '\0';

    if (ngx_file_info(blcf->root.data, &fi) == NGX_FILE_ERROR) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                           "blog content root \"%V\" cannot be used: "
                           ngx_file_info_n " failed", &blcf->root);
        return NGX_CONF_ERROR;
    }

    if (!ngx_is_dir(&fi)) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "blog content root \"%V\" is not a directory",
                           &blcf->root);
        return NGX_CONF_ERROR;
    }

    blcf->prefix = clcf->name;

    while (blcf->prefix.len && blcf->prefix.data[blcf->prefix.len - 1] == '/')
    {
        blcf->prefix.len--;
    }

    clcf->handler = ngx_http_blog_handler;

    return NGX_CONF_OK;
}


/*
 * The settings a location's pages are made with, as the core takes them;
 * a request adds the base of its links where blog_base_url is not set.
 */

static void
ngx_http_blog_settings(ngx_http_blog_loc_conf_t *conf)
{
    blog_site_t  *site;

    site = &conf->blog;

    site->title.data = conf->title.data;
    site->title.len = conf->title.len;
    site->description.data = conf->description.data;
    site->description.len = conf->description.len;
    site->author.data = conf->author.data;
    site->author.len = conf->author.len;
    site->prefix.data = conf->prefix.data;
    site->prefix.len = conf->prefix.len;
    site->home_url.data = conf->home_url.data;
    site->home_url.len = conf->home_url.len;
    site->base_url.data = conf->base_url.data;
    site->base_url.len = conf->base_url.len;
    site->no_favicon = (conf->favicon.len == 3
                        && ngx_strncmp(conf->favicon.data, "off", 3) == 0);
    site->favicon.data = conf->favicon.data;
    site->favicon.len = site->no_favicon ? 0 : conf->favicon.len;
    site->posts_per_page = conf->posts_per_page;
    site->summary_length = conf->summary_length;
    site->raw_html = conf->raw_html ? 1 : 0;
    site->theme = conf->theme;
    site->opts = &conf->site->opts;
}


/* ngx_conf_set_enum_slot, with a message that names the directive */

static char *
ngx_http_blog_markdown(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_blog_loc_conf_t *blcf = conf;

    ngx_str_t        *value;
    ngx_conf_enum_t  *e;

    if (blcf->markdown != NGX_CONF_UNSET_UINT) {
        return "is duplicate";
    }

    value = cf->args->elts;

    for (e = cmd->post; e->name.len; e++) {
        if (e->name.len == value[1].len
            && ngx_strcasecmp(e->name.data, value[1].data) == 0)
        {
            blcf->markdown = e->value;
            return NGX_CONF_OK;
        }
    }

    ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                       "invalid value \"%V\" in \"%V\" directive, "
                       "it must be \"gfm\" or \"commonmark\"",
                       &value[1], &cmd->name);

    return NGX_CONF_ERROR;
}


static ngx_int_t
ngx_http_blog_init_process(ngx_cycle_t *cycle)
{
    ngx_uint_t                  i;
    ngx_http_blog_cache_t     **caches;
    ngx_http_blog_main_conf_t  *bmcf;

    bmcf = ngx_http_cycle_get_module_main_conf(cycle, ngx_http_blog_module);

    if (bmcf != NULL) {
        caches = bmcf->caches.elts;

        for (i = 0; i < bmcf->caches.nelts; i++) {
            ngx_http_blog_cache_sweep(caches[i], cycle->log);
        }
    }

    return ngx_http_blog_sites_start(cycle);
}


static void
ngx_http_blog_exit_process(ngx_cycle_t *cycle)
{
    ngx_http_blog_sites_stop(cycle);

    /* the thread pools have stopped: no thread parses any more */

    blog_markdown_release();
}
