
/*
 * Loads a location's theme at configuration time: the files of
 * blog_templates, if set, then the built-in theme for every file the
 * folder lacks.  Templates are compiled here, once, so a template that
 * does not parse fails "nginx -t" with its file and line.
 */


#include "ngx_http_blog_module.h"


#define NGX_HTTP_BLOG_THEME_MAX  (1024 * 1024)


static ngx_int_t ngx_http_blog_theme_dir(ngx_conf_t *cf, blog_theme_t *theme,
    ngx_str_t *dir, const char *sub, ngx_md5_t *md5);
static void ngx_http_blog_theme_cleanup(void *data);


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
        && (ngx_http_blog_theme_dir(cf, theme, &blcf->templates, "", md5)
            != NGX_OK
            || ngx_http_blog_theme_dir(cf, theme, &blcf->templates,
                                       "shortcodes/", md5)
               != NGX_OK))
    {
        return NGX_ERROR;
    }

    for (f = blog_theme_builtin; f->name != NULL; f++) {
        ngx_md5_update(md5, f->name, ngx_strlen(f->name) + 1);
        ngx_md5_update(md5, f->data, f->len);

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

    return NGX_OK;
}


/*
 * The files of dir, or of its folder sub ("shortcodes/": the templates of
 * Hugo's shortcodes, named "shortcodes/NAME"), which may be missing.
 */

static ngx_int_t
ngx_http_blog_theme_dir(ngx_conf_t *cf, blog_theme_t *theme, ngx_str_t *dir,
    const char *sub, ngx_md5_t *md5)
{
    u_char                 *path, *name, tname[NGX_MAX_PATH];
    size_t                  len, sub_len;
    ngx_int_t               rc;
    ngx_str_t               full;
    ngx_dir_t               d;
    blog_buf_t              text;
    blog_file_id_t          id;
    const char             *reason;
    blog_problem_detail_t   pd;

    full = *dir;

    if (ngx_conf_full_name(cf->cycle, &full, 0) != NGX_OK) {
        return NGX_ERROR;
    }

    sub_len = ngx_strlen(sub);

    path = ngx_pnalloc(cf->pool, full.len + 1 + sub_len + 1);
    if (path == NULL) {
        return NGX_ERROR;
    }

    if (sub_len) {
        ngx_sprintf(path, "%V/%*s%Z", &full, sub_len - 1, sub);
        full.data = path;
        full.len = ngx_strlen(path);

    } else {
        ngx_cpystrn(path, full.data, full.len + 1);
    }

    if (ngx_open_dir(&full, &d) == NGX_ERROR) {
        if (sub_len && ngx_errno == NGX_ENOENT) {
            return NGX_OK;
        }

        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                           "blog_templates \"%s\" cannot be used: "
                           ngx_open_dir_n " failed", path);
        return NGX_ERROR;
    }

    rc = NGX_OK;
    blog_buf_init(&text);

    for ( ;; ) {
        ngx_set_errno(0);

        if (ngx_read_dir(&d) == NGX_ERROR) {
            if (ngx_errno != NGX_ENOMOREFILES) {
                ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                                   ngx_read_dir_n " \"%s\" failed", path);
                rc = NGX_ERROR;
            }

            break;
        }

        name = ngx_de_name(&d);
        len = ngx_de_namelen(&d);

        if (name[0] == '.' || (len >= 6 && ngx_strncmp(name, "README", 6) == 0))
        {
            continue;
        }

        text.len = 0;

        {
            u_char  file[NGX_MAX_PATH];

            if (full.len + 1 + len + 1 > NGX_MAX_PATH) {
                continue;
            }

            ngx_sprintf(file, "%V/%s%Z", &full, name);

            if (blog_file_read((char *) file, NGX_HTTP_BLOG_THEME_MAX, &text,
                               &id, &reason)
                != BLOG_OK)
            {
                if (ngx_strcmp(reason, "not a regular file") == 0) {
                    continue;
                }

                ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                                   "blog template \"%s\" cannot be read: %s",
                                   file, reason);
                rc = NGX_ERROR;
                break;
            }

            if (sub_len + len + 1 > sizeof(tname)) {
                continue;
            }

            ngx_sprintf(tname, "%s%s%Z", sub, name);

            ngx_md5_update(md5, tname, sub_len + len + 1);
            ngx_md5_update(md5, text.data, text.len);

            if (blog_theme_add(theme, (char *) tname, text.data, text.len, &pd)
                != BLOG_OK)
            {
                ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                                   "blog template \"%s\", line %ui: %s",
                                   file, (ngx_uint_t) pd.line, pd.reason);
                rc = NGX_ERROR;
                break;
            }
        }
    }

    blog_buf_free(&text);
    ngx_close_dir(&d);

    return rc;
}


static void
ngx_http_blog_theme_cleanup(void *data)
{
    blog_theme_free(data);
}
