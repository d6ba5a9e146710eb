
/*
 * Loads a location's theme at configuration time, as the core puts it
 * together (blog_theme_load()): the files of blog_templates, if set, then
 * the built-in theme.  A template that does not parse fails "nginx -t"
 * with its file and line.
 */


#include "ngx_http_blog_module.h"


static void ngx_http_blog_theme_cleanup(void *data);


ngx_int_t
ngx_http_blog_theme_load(ngx_conf_t *cf, ngx_http_blog_loc_conf_t *blcf)
{
    u_char              *dir;
    ngx_str_t            full;
    blog_theme_t        *theme;
    ngx_pool_cleanup_t  *cln;
    blog_theme_error_t  *err;

    cln = ngx_pool_cleanup_add(cf->pool, 0);
    if (cln == NULL) {
        return NGX_ERROR;
    }

    theme = blog_theme_create();
    if (theme == NULL) {
        return NGX_ERROR;
    }

    cln->handler = ngx_http_blog_theme_cleanup;
    cln->data = theme;

    err = ngx_palloc(cf->temp_pool, sizeof(blog_theme_error_t));
    if (err == NULL) {
        return NGX_ERROR;
    }

    dir = NULL;

    if (blcf->templates.len) {
        full = blcf->templates;

        if (ngx_conf_full_name(cf->cycle, &full, 0) != NGX_OK) {
            return NGX_ERROR;
        }

        dir = ngx_pnalloc(cf->temp_pool, full.len + 1);
        if (dir == NULL) {
            return NGX_ERROR;
        }

        ngx_cpystrn(dir, full.data, full.len + 1);
    }

    if (blog_theme_load(theme, (char *) dir, blog_theme_builtin, err)
        != BLOG_OK)
    {
        switch (err->step) {

        case BLOG_THEME_BUILTIN:
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "built-in blog template \"%s\", line %ui: %s",
                               err->file, (ngx_uint_t) err->line,
                               err->reason);
            break;

        case BLOG_THEME_INCOMPLETE:
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "blog theme has no \"%s\" template",
                               err->file);
            break;

        default:

            if (err->line) {
                ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                                   "blog template \"%s\", line %ui: %s",
                                   err->file, (ngx_uint_t) err->line,
                                   err->reason);

            } else {
                ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                                   "blog_templates \"%s\" cannot be used: %s",
                                   err->file, err->reason);
            }
        }

        return NGX_ERROR;
    }

    if (blog_theme_compress(theme) != BLOG_OK) {
        return NGX_ERROR;
    }

    blcf->theme = theme;
    blcf->theme_time = ngx_time();

    return NGX_OK;
}


static void
ngx_http_blog_theme_cleanup(void *data)
{
    blog_theme_free(data);
}
