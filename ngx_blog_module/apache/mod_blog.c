
/*
 * Directives of mod_blog and its place in httpd's life cycle: "Blog PATH"
 * in a <Location> makes that location a blog, the other directives tune
 * it, as their nginx namesakes do.  The theme is loaded and checked when
 * the configuration is (a broken template fails "apachectl configtest"),
 * the first index is built before the children are forked, and each child
 * keeps it fresh in a thread of its own.
 */


#include "mod_blog.h"

#include "util_mutex.h"


/* a Blog section and the server whose defaults it merges with */

typedef struct {
    mod_blog_conf_t           *conf;
    server_rec                *server;
} mod_blog_section_t;


static void *mod_blog_create_conf(apr_pool_t *p, char *dir);
static void *mod_blog_merge_conf(apr_pool_t *p, void *parent, void *child);
static const char *mod_blog_root(cmd_parms *cmd, void *conf,
    const char *arg);
static const char *mod_blog_number(cmd_parms *cmd, void *conf,
    const char *arg);
static const char *mod_blog_size(cmd_parms *cmd, void *conf,
    const char *arg);
static const char *mod_blog_interval(cmd_parms *cmd, void *conf,
    const char *arg);
static const char *mod_blog_markdown(cmd_parms *cmd, void *conf,
    const char *arg);
static const char *mod_blog_cache(cmd_parms *cmd, void *conf,
    const char *arg);
static int mod_blog_pre_config(apr_pool_t *pconf, apr_pool_t *plog,
    apr_pool_t *ptemp);
static int mod_blog_check_config(apr_pool_t *pconf, apr_pool_t *plog,
    apr_pool_t *ptemp, server_rec *s);
static int mod_blog_finish(mod_blog_section_t *sec, apr_pool_t *p);
static void mod_blog_settings(mod_blog_conf_t *conf, blog_site_t *site);
static int mod_blog_post_config(apr_pool_t *pconf, apr_pool_t *plog,
    apr_pool_t *ptemp, server_rec *s);
static void mod_blog_child_init(apr_pool_t *p, server_rec *s);
static int mod_blog_translate(request_rec *r);
static int mod_blog_map_to_storage(request_rec *r);
static int mod_blog_fixups(request_rec *r);
static apr_status_t mod_blog_theme_cleanup(void *data);
static apr_status_t mod_blog_child_exit(void *data);
static void mod_blog_register_hooks(apr_pool_t *p);


/* the Blog sections of this configuration, in pconf */
static apr_array_header_t  *mod_blog_sections;


static const command_rec  mod_blog_commands[] = {

    AP_INIT_TAKE1("Blog", mod_blog_root, NULL, ACCESS_CONF,
                  "the folder of Markdown posts this <Location> serves"),

    AP_INIT_TAKE1("BlogTitle", ap_set_string_slot,
                  (void *) APR_OFFSETOF(mod_blog_conf_t, title),
                  RSRC_CONF | ACCESS_CONF, "the blog's title"),

    AP_INIT_TAKE1("BlogDescription", ap_set_string_slot,
                  (void *) APR_OFFSETOF(mod_blog_conf_t, description),
                  RSRC_CONF | ACCESS_CONF, "the blog's description"),

    AP_INIT_TAKE1("BlogAuthor", ap_set_string_slot,
                  (void *) APR_OFFSETOF(mod_blog_conf_t, author),
                  RSRC_CONF | ACCESS_CONF, "the posts' author by default"),

    AP_INIT_TAKE1("BlogBaseURL", ap_set_string_slot,
                  (void *) APR_OFFSETOF(mod_blog_conf_t, base_url),
                  RSRC_CONF | ACCESS_CONF,
                  "scheme and host of absolute links"),

    AP_INIT_TAKE1("BlogHomeURL", ap_set_string_slot,
                  (void *) APR_OFFSETOF(mod_blog_conf_t, home_url),
                  RSRC_CONF | ACCESS_CONF, "where the site's name links"),

    AP_INIT_TAKE1("BlogFavicon", ap_set_string_slot,
                  (void *) APR_OFFSETOF(mod_blog_conf_t, favicon),
                  RSRC_CONF | ACCESS_CONF,
                  "the favicon's URL, or off; the theme's by default"),

    AP_INIT_TAKE1("BlogTemplates", ap_set_file_slot,
                  (void *) APR_OFFSETOF(mod_blog_conf_t, templates),
                  RSRC_CONF | ACCESS_CONF,
                  "a folder of templates and assets over the built-in "
                  "theme"),

    AP_INIT_TAKE1("BlogPostsPerPage", mod_blog_number,
                  (void *) APR_OFFSETOF(mod_blog_conf_t, posts_per_page),
                  RSRC_CONF | ACCESS_CONF, "posts on a listing page"),

    AP_INIT_TAKE1("BlogSummaryLength", mod_blog_number,
                  (void *) APR_OFFSETOF(mod_blog_conf_t, summary_length),
                  RSRC_CONF | ACCESS_CONF, "characters of a summary"),

    AP_INIT_TAKE1("BlogWordsPerMinute", mod_blog_number,
                  (void *) APR_OFFSETOF(mod_blog_conf_t, words_per_minute),
                  RSRC_CONF | ACCESS_CONF, "reading speed"),

    AP_INIT_TAKE1("BlogMaxFrontMatterDepth", mod_blog_number,
                  (void *) APR_OFFSETOF(mod_blog_conf_t,
                                        max_front_matter_depth),
                  RSRC_CONF | ACCESS_CONF, "nesting of front matter"),

    AP_INIT_TAKE1("BlogMaxPostSize", mod_blog_size,
                  (void *) APR_OFFSETOF(mod_blog_conf_t, max_post_size),
                  RSRC_CONF | ACCESS_CONF, "the largest post read"),

    AP_INIT_TAKE1("BlogMaxFrontMatterSize", mod_blog_size,
                  (void *) APR_OFFSETOF(mod_blog_conf_t,
                                        max_front_matter_size),
                  RSRC_CONF | ACCESS_CONF, "the largest front matter read"),

    AP_INIT_TAKE1("BlogCheckInterval", mod_blog_interval, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "how often the folder is checked for changes"),

    AP_INIT_FLAG("BlogDrafts", ap_set_flag_slot,
                 (void *) APR_OFFSETOF(mod_blog_conf_t, drafts),
                 RSRC_CONF | ACCESS_CONF, "serve drafts too"),

    AP_INIT_FLAG("BlogRawHTML", ap_set_flag_slot,
                 (void *) APR_OFFSETOF(mod_blog_conf_t, raw_html),
                 RSRC_CONF | ACCESS_CONF, "keep HTML written in posts"),

    AP_INIT_TAKE1("BlogMarkdown", mod_blog_markdown, NULL,
                  RSRC_CONF | ACCESS_CONF, "gfm or commonmark"),

    AP_INIT_TAKE1("BlogCache", mod_blog_cache, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "a socache for rendered pages (shmcb:PATH(SIZE)), or "
                  "none"),

    { NULL }
};


AP_DECLARE_MODULE(blog) = {
    STANDARD20_MODULE_STUFF,
    mod_blog_create_conf,
    mod_blog_merge_conf,
    NULL,
    NULL,
    mod_blog_commands,
    mod_blog_register_hooks,
    AP_MODULE_FLAG_NONE
};


static void *
mod_blog_create_conf(apr_pool_t *p, char *dir)
{
    mod_blog_conf_t  *conf;

    conf = apr_pcalloc(p, sizeof(mod_blog_conf_t));

    conf->posts_per_page = MOD_BLOG_UNSET;
    conf->summary_length = MOD_BLOG_UNSET;
    conf->words_per_minute = MOD_BLOG_UNSET;
    conf->check_interval = MOD_BLOG_UNSET;
    conf->drafts = MOD_BLOG_UNSET;
    conf->raw_html = MOD_BLOG_UNSET;
    conf->markdown = MOD_BLOG_UNSET;
    conf->max_post_size = MOD_BLOG_UNSET;
    conf->max_front_matter_size = MOD_BLOG_UNSET;
    conf->max_front_matter_depth = MOD_BLOG_UNSET;

    return conf;
}


#define mod_blog_merge(field, unset)                                          \
    conf->field = (child->field != unset) ? child->field : parent->field

static void *
mod_blog_merge_conf(apr_pool_t *p, void *parent_conf, void *child_conf)
{
    mod_blog_conf_t *parent = parent_conf;
    mod_blog_conf_t *child = child_conf;

    mod_blog_conf_t  *conf;

    conf = apr_pcalloc(p, sizeof(mod_blog_conf_t));

    mod_blog_merge(root, NULL);
    mod_blog_merge(location, NULL);
    mod_blog_merge(prefix, NULL);
    mod_blog_merge(file, NULL);
    mod_blog_merge(line, 0);
    mod_blog_merge(title, NULL);
    mod_blog_merge(description, NULL);
    mod_blog_merge(author, NULL);
    mod_blog_merge(base_url, NULL);
    mod_blog_merge(home_url, NULL);
    mod_blog_merge(favicon, NULL);
    mod_blog_merge(templates, NULL);
    mod_blog_merge(posts_per_page, MOD_BLOG_UNSET);
    mod_blog_merge(summary_length, MOD_BLOG_UNSET);
    mod_blog_merge(words_per_minute, MOD_BLOG_UNSET);
    mod_blog_merge(check_interval, MOD_BLOG_UNSET);
    mod_blog_merge(drafts, MOD_BLOG_UNSET);
    mod_blog_merge(raw_html, MOD_BLOG_UNSET);
    mod_blog_merge(markdown, MOD_BLOG_UNSET);
    mod_blog_merge(max_post_size, MOD_BLOG_UNSET);
    mod_blog_merge(max_front_matter_size, MOD_BLOG_UNSET);
    mod_blog_merge(max_front_matter_depth, MOD_BLOG_UNSET);
    mod_blog_merge(cache_set, 0);
    mod_blog_merge(cache, NULL);

    if (child->cache_set) {
        conf->cache = child->cache;
    }

    /* what the Blog section made once the configuration was read */

    mod_blog_merge(theme, NULL);
    mod_blog_merge(theme_time, 0);
    mod_blog_merge(site, NULL);

    conf->blog = child->site ? child->blog : parent->blog;
    memcpy(conf->signature, child->site ? child->signature
                                        : parent->signature, 16);

    return conf;
}


/* Blog PATH: the folder must be there, as a configuration test says */

static const char *
mod_blog_root(cmd_parms *cmd, void *dconf, const char *arg)
{
    mod_blog_conf_t *conf = dconf;

    size_t               n;
    char                *prefix;
    apr_finfo_t          fi;
    apr_status_t         rv;
    mod_blog_section_t  *sec;

    if (conf->root != NULL) {
        return "Blog is duplicate";
    }

    if (cmd->path == NULL || cmd->directive->parent == NULL
        || strcasecmp(cmd->directive->parent->directive, "<Location") != 0)
    {
        return "Blog belongs in a <Location> section";
    }

    conf->root = ap_server_root_relative(cmd->pool, arg);
    if (conf->root == NULL) {
        return apr_pstrcat(cmd->pool, "Blog: bad path \"", arg, "\"",
                           NULL);
    }

    rv = apr_stat(&fi, conf->root, APR_FINFO_TYPE, cmd->temp_pool);

    if (rv != APR_SUCCESS) {
        char  buf[120];

        return apr_psprintf(cmd->pool, "blog content root \"%s\" cannot be "
                            "used: %s", conf->root,
                            apr_strerror(rv, buf, sizeof(buf)));
    }

    if (fi.filetype != APR_DIR) {
        return apr_psprintf(cmd->pool, "blog content root \"%s\" is not a "
                            "directory", conf->root);
    }

    prefix = apr_pstrdup(cmd->pool, cmd->path);
    n = strlen(prefix);

    while (n && prefix[n - 1] == '/') {
        prefix[--n] = '\0';
    }

    conf->location = apr_pstrdup(cmd->pool, cmd->path);
    conf->prefix = prefix;
    conf->file = cmd->directive->filename;
    conf->line = cmd->directive->line_num;

    sec = apr_array_push(mod_blog_sections);
    sec->conf = conf;
    sec->server = cmd->server;

    return NULL;
}


/* a number in the bounds of its nginx namesake */

static const char *
mod_blog_number(cmd_parms *cmd, void *dconf, const char *arg)
{
    int          *field, min, max;
    long          n;
    char         *end;
    const char   *name;

    field = (int *) ((char *) dconf + (size_t) cmd->info);
    name = cmd->directive->directive;

    min = 1;
    max = 100000;

    if (strcasecmp(name, "BlogPostsPerPage") == 0
        || strcasecmp(name, "BlogMaxFrontMatterDepth") == 0)
    {
        max = 1000;

    } else if (strcasecmp(name, "BlogSummaryLength") == 0) {
        min = 0;
    }

    n = strtol(arg, &end, 10);

    if (*arg == '\0' || *end != '\0' || n < min || n > max) {
        return apr_psprintf(cmd->pool, "%s \"%s\": a number from %d to %d",
                            name, arg, min, max);
    }

    *field = (int) n;

    return NULL;
}


/* a size: bytes, or with k or m */

static const char *
mod_blog_size(cmd_parms *cmd, void *dconf, const char *arg)
{
    char       *end;
    apr_off_t  *field, n, scale;

    field = (apr_off_t *) ((char *) dconf + (size_t) cmd->info);

    if (apr_strtoff(&n, arg, &end, 10) != APR_SUCCESS || end == arg
        || n < 0)
    {
        goto invalid;
    }

    scale = 1;

    if (*end == 'k' || *end == 'K') {
        scale = 1024;
        end++;

    } else if (*end == 'm' || *end == 'M') {
        scale = 1024 * 1024;
        end++;
    }

    if (*end != '\0' || n > APR_INT32_MAX / scale) {
        goto invalid;
    }

    *field = n * scale;

    return NULL;

invalid:

    return apr_psprintf(cmd->pool, "%s \"%s\": not a size (such as 512k or "
                        "1m)", cmd->directive->directive, arg);
}


/* a time as nginx writes it: "500ms", "1s", "5m", "1h"; a bare number is
 * seconds */

static const char *
mod_blog_interval(cmd_parms *cmd, void *dconf, const char *arg)
{
    mod_blog_conf_t *conf = dconf;

    long   n, scale;
    char  *end;

    n = strtol(arg, &end, 10);

    if (end == arg || n < 0) {
        goto invalid;
    }

    if (strcmp(end, "ms") == 0) {
        scale = 1;

    } else if (*end == '\0' || strcmp(end, "s") == 0) {
        scale = 1000;

    } else if (strcmp(end, "m") == 0) {
        scale = 60 * 1000;

    } else if (strcmp(end, "h") == 0) {
        scale = 3600 * 1000;

    } else {
        goto invalid;
    }

    if (n > APR_INT32_MAX / scale) {
        goto invalid;
    }

    conf->check_interval = (int) (n * scale);

    return NULL;

invalid:

    return apr_psprintf(cmd->pool, "BlogCheckInterval \"%s\": not a time "
                        "(such as 500ms, 1s or 5m)", arg);
}


static const char *
mod_blog_markdown(cmd_parms *cmd, void *dconf, const char *arg)
{
    mod_blog_conf_t *conf = dconf;

    if (strcasecmp(arg, "gfm") == 0) {
        conf->markdown = BLOG_MARKDOWN_GFM;

    } else if (strcasecmp(arg, "commonmark") == 0) {
        conf->markdown = BLOG_MARKDOWN_COMMONMARK;

    } else {
        return apr_psprintf(cmd->pool, "BlogMarkdown \"%s\": it must be "
                            "\"gfm\" or \"commonmark\"", arg);
    }

    return NULL;
}


static const char *
mod_blog_cache(cmd_parms *cmd, void *dconf, const char *arg)
{
    mod_blog_conf_t *conf = dconf;

    conf->cache_set = 1;

    if (strcasecmp(arg, "none") == 0) {
        conf->cache = NULL;
        return NULL;
    }

    return mod_blog_cache_parse(cmd->pool, arg, &conf->cache);
}


static int
mod_blog_pre_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp)
{
    mod_blog_sections = apr_array_make(pconf, 4, sizeof(mod_blog_section_t));

    mod_blog_sites_reset();
    mod_blog_caches_reset();

    return ap_mutex_register(pconf, "blog-cache", NULL, APR_LOCK_DEFAULT, 0);
}


/*
 * The configuration is read: each Blog section's theme is loaded and its
 * settings fixed, so a template that does not parse fails a configuration
 * test, with its file and line.
 */

static int
mod_blog_check_config(apr_pool_t *pconf, apr_pool_t *plog,
    apr_pool_t *ptemp, server_rec *s)
{
    int                  i;
    mod_blog_section_t  *secs;

    secs = (mod_blog_section_t *) mod_blog_sections->elts;

    for (i = 0; i < mod_blog_sections->nelts; i++) {
        if (mod_blog_finish(&secs[i], pconf) != OK) {
            return HTTP_INTERNAL_SERVER_ERROR;
        }
    }

    return OK;
}


static int
mod_blog_finish(mod_blog_section_t *sec, apr_pool_t *p)
{
    mod_blog_conf_t     *conf, *defaults;
    blog_theme_error_t  *err;

    /* the section as it merges with its server's settings */

    defaults = ap_get_module_config(sec->server->lookup_defaults,
                                    &blog_module);
    conf = mod_blog_merge_conf(p, defaults, sec->conf);

    sec->conf->theme = blog_theme_create();
    err = apr_pcalloc(p, sizeof(blog_theme_error_t));

    if (sec->conf->theme == NULL || err == NULL) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }

    apr_pool_cleanup_register(p, sec->conf->theme, mod_blog_theme_cleanup,
                              apr_pool_cleanup_null);

    if (blog_theme_load(sec->conf->theme, conf->templates,
                        blog_theme_builtin, err)
        != BLOG_OK)
    {
        if (err->step == BLOG_THEME_INCOMPLETE) {
            ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_ERR, 0, NULL,
                         "%s:%u: blog theme has no \"%s\" template",
                         sec->conf->file, sec->conf->line, err->file);

        } else if (err->line) {
            ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_ERR, 0, NULL,
                         "%s:%u: blog template \"%s\", line %u: %s",
                         sec->conf->file, sec->conf->line, err->file,
                         err->line, err->reason);

        } else {
            ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_ERR, 0, NULL,
                         "%s:%u: BlogTemplates \"%s\" cannot be used: %s",
                         sec->conf->file, sec->conf->line, err->file,
                         err->reason);
        }

        return HTTP_INTERNAL_SERVER_ERROR;
    }

    if (blog_theme_compress(sec->conf->theme) != BLOG_OK) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }

    sec->conf->theme_time = apr_time_now();
    sec->conf->site = mod_blog_site_add(p, conf, sec->server);

    conf->theme = sec->conf->theme;
    conf->site = sec->conf->site;

    mod_blog_settings(conf, &sec->conf->blog);
    blog_site_signature(sec->conf->signature, conf->root, &sec->conf->blog);

    return OK;
}


/*
 * The settings a section's pages are made with, as the core takes them;
 * a request adds the base of its links where BlogBaseURL is not set.
 */

static void
mod_blog_settings(mod_blog_conf_t *conf, blog_site_t *site)
{
    const char  *s;

    memset(site, 0, sizeof(blog_site_t));

    s = conf->title ? conf->title : "Blog";
    site->title.data = (u_char *) s;
    site->title.len = strlen(s);

    s = conf->description ? conf->description : "";
    site->description.data = (u_char *) s;
    site->description.len = strlen(s);

    s = conf->author ? conf->author : "";
    site->author.data = (u_char *) s;
    site->author.len = strlen(s);

    site->prefix.data = (u_char *) conf->prefix;
    site->prefix.len = strlen(conf->prefix);

    s = conf->home_url ? conf->home_url : "/";
    site->home_url.data = (u_char *) s;
    site->home_url.len = strlen(s);

    s = conf->base_url ? conf->base_url : "";
    site->base_url.data = (u_char *) s;
    site->base_url.len = strlen(s);

    while (site->base_url.len
           && site->base_url.data[site->base_url.len - 1] == '/')
    {
        site->base_url.len--;
    }

    s = conf->favicon ? conf->favicon : "";
    site->no_favicon = (strcmp(s, "off") == 0);
    site->favicon.data = (u_char *) s;
    site->favicon.len = site->no_favicon ? 0 : strlen(s);

    site->posts_per_page = (conf->posts_per_page != MOD_BLOG_UNSET)
                           ? conf->posts_per_page
                           : BLOG_DEFAULT_POSTS_PER_PAGE;
    site->summary_length = (conf->summary_length != MOD_BLOG_UNSET)
                           ? conf->summary_length
                           : BLOG_DEFAULT_SUMMARY_LENGTH;
    site->raw_html = (conf->raw_html == 1);
    site->theme = conf->theme;
    site->opts = &conf->site->opts;
}


/*
 * Before the children are forked: the caches are made and each site's
 * first index is built, so no child's first request waits for a scan.
 * httpd runs this twice at startup; the first time only checks.
 */

static int
mod_blog_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
    server_rec *s)
{
    int                  i;
    apr_array_header_t  *caches;
    mod_blog_cache_t   **cache;

    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG) {
        return OK;
    }

    caches = mod_blog_caches();

    for (i = 0; caches != NULL && i < caches->nelts; i++) {
        cache = (mod_blog_cache_t **) caches->elts;

        if (mod_blog_cache_init(cache[i], pconf, s) != OK) {
            return HTTP_INTERNAL_SERVER_ERROR;
        }
    }

    return mod_blog_sites_build(pconf, s);
}


static void
mod_blog_child_init(apr_pool_t *p, server_rec *s)
{
    int                  i;
    apr_array_header_t  *caches;
    mod_blog_cache_t   **cache;

    caches = mod_blog_caches();

    for (i = 0; caches != NULL && i < caches->nelts; i++) {
        cache = (mod_blog_cache_t **) caches->elts;
        mod_blog_cache_child_init(cache[i], p, s);
    }

    /* after the sites' pre-cleanups have stopped their threads */
    apr_pool_cleanup_register(p, NULL, mod_blog_child_exit,
                              apr_pool_cleanup_null);

    mod_blog_sites_start(p, s);
}


/* the child exits, and no thread parses any more */

static apr_status_t
mod_blog_child_exit(void *data)
{
    blog_markdown_release();

    return APR_SUCCESS;
}


/*
 * A URI below a blog's location names no file: httpd must not walk the
 * DocumentRoot for it (an 8 KB name would get its 403), as mod_proxy
 * keeps it from walking for the URIs it takes.
 */

static int
mod_blog_translate(request_rec *r)
{
    int                  i;
    mod_blog_section_t  *secs;

    if (mod_blog_sections == NULL || r->uri == NULL || r->uri[0] != '/') {
        return DECLINED;
    }

    secs = (mod_blog_section_t *) mod_blog_sections->elts;

    for (i = 0; i < mod_blog_sections->nelts; i++) {
        if ((secs[i].server == r->server || !secs[i].server->is_virtual)
            && strncmp(r->uri, secs[i].conf->location,
                       strlen(secs[i].conf->location)) == 0)
        {
            r->filename = apr_pstrcat(r->pool, "blog:", r->uri, NULL);
            return OK;
        }
    }

    return DECLINED;
}


static int
mod_blog_map_to_storage(request_rec *r)
{
    if (r->filename != NULL && strncmp(r->filename, "blog:", 5) == 0) {
        return OK;
    }

    return DECLINED;
}


/* a blog's location is the blog's, whatever the file name says */

static int
mod_blog_fixups(request_rec *r)
{
    mod_blog_conf_t  *conf;

    conf = ap_get_module_config(r->per_dir_config, &blog_module);

    if (conf == NULL || conf->site == NULL
        || (r->handler != NULL && strcmp(r->handler, "blog-status") == 0))
    {
        return DECLINED;
    }

    r->handler = "blog";

    return DECLINED;
}


static apr_status_t
mod_blog_theme_cleanup(void *data)
{
    blog_theme_free(data);

    return APR_SUCCESS;
}


static void
mod_blog_register_hooks(apr_pool_t *p)
{
    ap_hook_pre_config(mod_blog_pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_check_config(mod_blog_check_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(mod_blog_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(mod_blog_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_translate_name(mod_blog_translate, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_map_to_storage(mod_blog_map_to_storage, NULL, NULL,
                           APR_HOOK_FIRST);
    ap_hook_fixups(mod_blog_fixups, NULL, NULL, APR_HOOK_LAST);

    /* before httpd's own TRACE handler: the blog takes GET and HEAD */
    ap_hook_handler(mod_blog_handler, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_handler(mod_blog_status_handler, NULL, NULL, APR_HOOK_MIDDLE);
}
