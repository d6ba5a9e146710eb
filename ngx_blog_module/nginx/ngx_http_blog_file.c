
/*
 * What the blog serves as files rather than pages: the theme's assets
 * (from memory), a post's Markdown source for "Accept: text/markdown",
 * and the files beside a Hugo page bundle's index.md (images and such),
 * sent the way the static module sends files.  The core names the file,
 * only ever below a post the index found; symbolic links are refused.
 * What is not there is declined: the caller answers with the 404 page.
 */


#include "ngx_http_blog_module.h"


static ngx_int_t ngx_http_blog_file_send(ngx_http_request_t *r,
    ngx_str_t *path, size_t safe);
static ngx_int_t ngx_http_blog_file_type(ngx_http_request_t *r,
    ngx_str_t *name);


/*
 * P/assets/NAME: from memory, with a strong ETag of its bytes.  Under the
 * URL the pages link it by, "NAME?v=VERSION", it is cached for good: a
 * change of any asset changes the version.  Without it, or with another
 * version, it is revalidated.  Text assets were compressed once, at load,
 * in gzip and brotli.
 */

ngx_int_t
ngx_http_blog_asset(ngx_http_request_t *r, ngx_http_blog_loc_conf_t *blcf,
    blog_route_t *rt)
{
    size_t                    i;
    u_char                   *etag;
    ngx_str_t                 name, v;
    ngx_uint_t                gzip, br;
    ngx_table_elt_t          *h;
    ngx_http_blog_response_t  res;
    const blog_theme_file_t  *f;

    f = blog_theme_asset(blcf->theme, rt->file.data, rt->file.len);
    if (f == NULL) {
        /* the 404 page: the caller makes it once the index is there */
        return NGX_DECLINED;
    }

    name.len = rt->file.len;
    name.data = rt->file.data;

    if (ngx_http_blog_file_type(r, &name) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_arg(r, (u_char *) "v", 1, &v) == NGX_OK
        && blog_theme_versioned(blcf->theme, v.data, v.len))
    {
        h = ngx_http_blog_header(r, "Cache-Control",
                                 "public, max-age=31536000, immutable");

    } else {
        h = ngx_http_blog_header(r, "Cache-Control", "no-cache");
    }

    etag = ngx_pnalloc(r->pool, BLOG_THEME_ETAG_LEN);
    if (h == NULL || etag == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    blog_theme_etag(blcf->theme, f, etag);

    i = f - blcf->theme->assets;

    ngx_memzero(&res, sizeof(ngx_http_blog_response_t));

    res.status = NGX_HTTP_OK;
    res.type = r->headers_out.content_type;
    res.etag.data = etag;
    res.etag.len = BLOG_THEME_ETAG_LEN;
    res.last_modified = blcf->theme_time;
    res.body = (u_char *) f->data;
    res.len = f->len;

    gzip = blcf->theme->gzip[i].len && ngx_http_blog_gzip_on(r);
    br = blcf->theme->br[i].len && ngx_http_blog_brotli_on(r, blcf);

    if (gzip || br) {

        if (ngx_http_blog_header(r, "Vary", "Accept-Encoding") == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        switch (ngx_http_blog_encoding(r, gzip, br)) {

        case BLOG_BROTLI:
            res.br = 1;
            res.body = blcf->theme->br[i].data;
            res.len = blcf->theme->br[i].len;
            break;

        case BLOG_GZIP:
            res.gzip = 1;
            res.body = blcf->theme->gzip[i].data;
            res.len = blcf->theme->gzip[i].len;
            break;
        }
    }

    return ngx_http_blog_send(r, &res);
}


/*
 * "Accept: text/markdown" on a post: its source as it is on disk; or
 * P/SLUG/FILE: a file in the folder of a page bundle (SLUG/index.md).
 * The core says which file (blog_answer_file()).
 */

ngx_int_t
ngx_http_blog_file(ngx_http_request_t *r, ngx_http_blog_loc_conf_t *blcf,
    blog_answer_t *a)
{
    ngx_int_t    rc;
    ngx_str_t    path, name;
    blog_buf_t   b;

    blog_buf_init(&b);

    rc = blog_answer_file(&b, blcf->site->index, a);

    if (rc == BLOG_OK) {
        path.len = b.len;
        path.data = ngx_pnalloc(r->pool, b.len + 1);

        if (path.data != NULL) {
            ngx_memcpy(path.data, b.data, b.len + 1);
        }
    }

    blog_buf_free(&b);

    if (rc == BLOG_DECLINED) {
        return NGX_DECLINED;
    }

    if (rc != BLOG_OK || path.data == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (a->kind == BLOG_ANSWER_SOURCE) {
        ngx_str_set(&r->headers_out.content_type,
                    "text/markdown; charset=utf-8");
        r->headers_out.content_type_len = sizeof("text/markdown") - 1;

    } else {
        name.len = a->route.file.len;
        name.data = a->route.file.data;

        if (ngx_http_blog_file_type(r, &name) != NGX_OK) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
    }

    rc = ngx_http_blog_file_send(r, &path, blcf->site->index->root_len);

    if (rc == NGX_DECLINED) {
        /* gone since the index was built: the next rescan drops it */
        r->headers_out.content_type.len = 0;
        r->headers_out.content_type_len = 0;
    }

    return rc;
}


/*
 * Sends a file below the content root; safe is the length of the
 * resolved root, past which no component may be a symbolic link.
 * NGX_DECLINED: no such regular file.
 */

static ngx_int_t
ngx_http_blog_file_send(ngx_http_request_t *r, ngx_str_t *path, size_t safe)
{
    ngx_int_t                  rc;
    ngx_buf_t                 *b;
    ngx_chain_t                out;
    ngx_open_file_info_t       of;
    ngx_http_core_loc_conf_t  *clcf;

    clcf = ngx_http_get_module_loc_conf(r, ngx_http_core_module);

    ngx_memzero(&of, sizeof(ngx_open_file_info_t));

    of.read_ahead = clcf->read_ahead;
    of.directio = NGX_MAX_OFF_T_VALUE;
    of.valid = clcf->open_file_cache_valid;
    of.min_uses = clcf->open_file_cache_min_uses;
    of.errors = clcf->open_file_cache_errors;
    of.events = clcf->open_file_cache_events;

#if (NGX_HAVE_OPENAT)
    of.disable_symlinks = NGX_DISABLE_SYMLINKS_ON;
    of.disable_symlinks_from = safe;
#endif

    if (ngx_open_cached_file(clcf->open_file_cache, path, &of, r->pool)
        != NGX_OK)
    {
        /* nginx names the call that failed only when one did */

        if (of.err != 0 && of.err != NGX_ENOENT && of.err != NGX_ENOTDIR
            && of.err != NGX_ENAMETOOLONG)
        {
            ngx_log_error(NGX_LOG_INFO, r->connection->log, of.err,
                          "blog: %s \"%V\" failed",
                          of.failed ? of.failed : "open", path);

        } else if (of.err == 0) {
            ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                          "blog: cannot open \"%V\"", path);
        }

        return NGX_DECLINED;
    }

    if (!of.is_file) {
        return NGX_DECLINED;
    }

    r->headers_out.status = NGX_HTTP_OK;
    r->headers_out.content_length_n = of.size;
    r->headers_out.last_modified_time = of.mtime;
    r->allow_ranges = 1;

    if (ngx_http_set_etag(r) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    b = ngx_calloc_buf(r->pool);
    if (b == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    b->file = ngx_pcalloc(r->pool, sizeof(ngx_file_t));
    if (b->file == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    rc = ngx_http_send_header(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }

    b->file_pos = 0;
    b->file_last = of.size;
    b->in_file = b->file_last ? 1 : 0;
    b->last_buf = (r == r->main) ? 1 : 0;
    b->last_in_chain = 1;
    b->sync = (b->file_last == 0) ? 1 : 0;

    b->file->fd = of.fd;
    b->file->name = *path;
    b->file->log = r->connection->log;
    b->file->directio = of.is_directio;

    out.buf = b;
    out.next = NULL;

    return ngx_http_output_filter(r, &out);
}


/* the type nginx's types give the name, else one of the usual ones */

static ngx_int_t
ngx_http_blog_file_type(ngx_http_request_t *r, ngx_str_t *name)
{
    u_char                    *dot;
    const char                *t;
    ngx_http_core_loc_conf_t  *clcf;

    r->exten.len = 0;
    r->exten.data = NULL;

    for (dot = ngx_strlchr(name->data, name->data + name->len, '.');
         dot != NULL;
         dot = ngx_strlchr(dot + 1, name->data + name->len, '.'))
    {
        r->exten.data = dot + 1;
        r->exten.len = name->data + name->len - r->exten.data;
    }

    if (ngx_http_set_content_type(r) != NGX_OK) {
        return NGX_ERROR;
    }

    clcf = ngx_http_get_module_loc_conf(r, ngx_http_core_module);

    if (!(r->headers_out.content_type.len == clcf->default_type.len
          && ngx_strncmp(r->headers_out.content_type.data,
                         clcf->default_type.data, clcf->default_type.len)
             == 0))
    {
        return NGX_OK;
    }

    t = blog_file_type(name->data, name->len);

    if (t != NULL) {
        r->headers_out.content_type.data = (u_char *) t;
        r->headers_out.content_type.len = ngx_strlen(t);
        r->headers_out.content_type_len = r->headers_out.content_type.len;
        r->headers_out.charset.len = 0;

        dot = (u_char *) ngx_strchr(t, ';');
        if (dot != NULL) {
            r->headers_out.content_type_len = dot - (u_char *) t;
        }
    }

    return NGX_OK;
}
