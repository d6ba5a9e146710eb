
/*
 * Loads a location's theme at configuration time: the files of
 * blog_templates, if set, then the built-in theme for every file the
 * folder lacks.  Templates are compiled here, once, so a template that
 * does not parse fails "nginx -t" with its file and line.
 */


#include "ngx_http_blog_module.h"


static ngx_int_t ngx_http_blog_theme_dir(ngx_conf_t *cf, blog_theme_t *theme,
    ngx_str_t *dir, ngx_md5_t *md5);
static void ngx_http_blog_theme_seen(void *data, const char *name,
    const u_char *p, size_t n);
static ngx_int_t ngx_http_blog_theme_compress(ngx_conf_t *cf,
    ngx_http_blog_loc_conf_t *blcf);
static ngx_int_t ngx_http_blog_theme_variant(ngx_conf_t *cf,
    const blog_theme_file_t *f, u_char *(*compress)(const u_char *in,
    size_t len, size_t *out_len), ngx_str_t *variant);
static void ngx_http_blog_theme_cleanup(void *data);


/* assets sent compressed, as gzip_types would have them */
static const char  *ngx_http_blog_text_assets[] = {
    ".css", ".js", ".svg", ".txt", ".json", ".xml", ".map", NULL
};


/*
 * md5 gathers the bytes of every file the theme is made of: they are part
 * of what the cache keys a page by.
 */

ngx_int_t
ngx_http_blog_theme_load(ngx_conf_t *cf, ngx_http_blog_loc_conf_t *blcf,
    ngx_md5_t *md5)
{
    const char               *missing;
    blog_theme_t             *theme;
    ngx_pool_cleanup_t       *cln;
    blog_problem_detail_t     pd;
    const blog_theme_file_t  *f;

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

    if (blcf->templates.len
        && ngx_http_blog_theme_dir(cf, theme, &blcf->templates, md5)
           != NGX_OK)
    {
        return NGX_ERROR;
    }

    for (f = blog_theme_builtin; f->name != NULL; f++) {
        ngx_http_blog_theme_seen(md5, f->name, f->data, f->len);

        if (blog_theme_add(theme, f->name, f->data, f->len, &pd) != BLOG_OK) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "built-in blog template \"%s\", line %ui: %s",
                               f->name, (ngx_uint_t) pd.line, pd.reason);
            return NGX_ERROR;
        }
    }

    missing = blog_theme_check(theme);
    if (missing != NULL) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "blog theme has no \"%s\" template", missing);
        return NGX_ERROR;
    }

    blcf->theme = theme;
    blcf->theme_time = ngx_time();

    return ngx_http_blog_theme_compress(cf, blcf);
}


/*
 * the text assets in gzip and brotli, once: every worker sends the same
 * bytes
 */

static ngx_int_t
ngx_http_blog_theme_compress(ngx_conf_t *cf, ngx_http_blog_loc_conf_t *blcf)
{
    size_t                    i, n, len;
    const char              **ext;
    const blog_theme_file_t  *f;

    blcf->assets_gzip = ngx_pcalloc(cf->pool, (blcf->theme->nassets + 1)
                                              * sizeof(ngx_str_t));
    blcf->assets_br = ngx_pcalloc(cf->pool, (blcf->theme->nassets + 1)
                                            * sizeof(ngx_str_t));

    if (blcf->assets_gzip == NULL || blcf->assets_br == NULL) {
        return NGX_ERROR;
    }

    for (i = 0; i < blcf->theme->nassets; i++) {
        f = &blcf->theme->assets[i];
        n = ngx_strlen(f->name);

        for (ext = ngx_http_blog_text_assets; *ext; ext++) {
            len = ngx_strlen(*ext);

            if (n > len && ngx_strcmp(f->name + n - len, *ext) == 0) {
                break;
            }
        }

        if (*ext == NULL) {
            continue;
        }

        if (ngx_http_blog_theme_variant(cf, f, blog_gzip,
                                        &blcf->assets_gzip[i])
            != NGX_OK
            || ngx_http_blog_theme_variant(cf, f, blog_brotli,
                                           &blcf->assets_br[i])
               != NGX_OK)
        {
            return NGX_ERROR;
        }
    }

    return NGX_OK;
}


/* an asset compressed into the configuration's pool, if that is smaller */

static ngx_int_t
ngx_http_blog_theme_variant(ngx_conf_t *cf, const blog_theme_file_t *f,
    u_char *(*compress)(const u_char *in, size_t len, size_t *out_len),
    ngx_str_t *variant)
{
    size_t   len;
    u_char  *out;

    out = compress(f->data, f->len, &len);
    if (out == NULL) {
        return NGX_ERROR;
    }

    if (len < f->len) {
        variant->data = ngx_pnalloc(cf->pool, len);

        if (variant->data == NULL) {
            free(out);
            return NGX_ERROR;
        }

        ngx_memcpy(variant->data, out, len);
        variant->len = len;
    }

    free(out);

    return NGX_OK;
}


/* the folder's files (blog_theme_add_dir), hashed as they are added */

static ngx_int_t
ngx_http_blog_theme_dir(ngx_conf_t *cf, blog_theme_t *theme, ngx_str_t *dir,
    ngx_md5_t *md5)
{
    u_char              *path;
    ngx_str_t            full;
    blog_theme_error_t  *err;

    full = *dir;

    if (ngx_conf_full_name(cf->cycle, &full, 0) != NGX_OK) {
        return NGX_ERROR;
    }

    path = ngx_pnalloc(cf->temp_pool, full.len + 1);
    err = ngx_palloc(cf->temp_pool, sizeof(blog_theme_error_t));

    if (path == NULL || err == NULL) {
        return NGX_ERROR;
    }

    ngx_cpystrn(path, full.data, full.len + 1);

    if (blog_theme_add_dir(theme, (char *) path, ngx_http_blog_theme_seen,
                           md5, err)
        == BLOG_OK)
    {
        return NGX_OK;
    }

    if (err->line) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "blog template \"%s\", line %ui: %s",
                           err->file, (ngx_uint_t) err->line, err->reason);

    } else {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "blog_templates \"%s\" cannot be used: %s",
                           err->file, err->reason);
    }

    return NGX_ERROR;
}


/* md5 gathers each file's name, with its NUL, and bytes */

static void
ngx_http_blog_theme_seen(void *data, const char *name, const u_char *p,
    size_t n)
{
    ngx_md5_t  *md5 = data;

    ngx_md5_update(md5, name, ngx_strlen(name) + 1);
    ngx_md5_update(md5, p, n);
}


static void
ngx_http_blog_theme_cleanup(void *data)
{
    blog_theme_free(data);
}
