
/*
 * The content handler: a URI below the blog's location becomes a route,
 * the route a page.  The index is the worker's current one; a post page
 * reads its source again, so it shows one version of the file.
 */


#include "ngx_http_blog_module.h"


static ngx_int_t ngx_http_blog_redirect(ngx_http_request_t *r,
    ngx_http_blog_loc_conf_t *blcf, ngx_str_t *rest, blog_route_t *rt);
static ngx_int_t ngx_http_blog_page(ngx_http_request_t *r,
    ngx_http_blog_loc_conf_t *blcf, blog_route_t *rt);
static ngx_int_t ngx_http_blog_asset(ngx_http_request_t *r,
    ngx_http_blog_loc_conf_t *blcf, blog_route_t *rt);
static void ngx_http_blog_site_conf(ngx_http_request_t *r,
    ngx_http_blog_loc_conf_t *blcf, blog_site_t *site);
static ngx_int_t ngx_http_blog_send(ngx_http_request_t *r, ngx_uint_t status,
    const char *content_type, blog_buf_t *body, time_t last_modified);



ngx_int_t
ngx_http_blog_handler(ngx_http_request_t *r)
{
    ngx_int_t                  rc;
    ngx_str_t                  rest;
    blog_route_t               rt;
    ngx_table_elt_t           *allow;
    ngx_http_blog_loc_conf_t  *blcf;

    if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
        allow = ngx_list_push(&r->headers_out.headers);
        if (allow == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        allow->hash = 1;
        ngx_str_set(&allow->key, "Allow");
        ngx_str_set(&allow->value, "GET, HEAD");

        return NGX_HTTP_NOT_ALLOWED;
    }

    rc = ngx_http_discard_request_body(r);

    if (rc != NGX_OK) {
        return rc;
    }

    blcf = ngx_http_get_module_loc_conf(r, ngx_http_blog_module);

    if (blcf->site == NULL || blcf->site->index == NULL
        || r->uri.len < blcf->prefix.len)
    {
        return NGX_HTTP_NOT_FOUND;
    }

    rest.data = r->uri.data + blcf->prefix.len;
    rest.len = r->uri.len - blcf->prefix.len;

    if (rest.len == 0) {
        /* "location /blog" asked for "/blog": the index is "/blog/" */
        ngx_memzero(&rt, sizeof(blog_route_t));
        rt.kind = BLOG_ROUTE_REDIRECT;
        return ngx_http_blog_redirect(r, blcf, &rest, &rt);
    }

    if (rest.data[0] != '/') {
        return NGX_HTTP_NOT_FOUND;
    }

    rest.data++;
    rest.len--;

    blog_route_parse(&rt, rest.data, rest.len);

    ngx_log_debug3(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "blog route %d \"%V\" page %ui", rt.kind, &rest,
                   (ngx_uint_t) rt.page);

    switch (rt.kind) {

    case BLOG_ROUTE_REDIRECT:
        return ngx_http_blog_redirect(r, blcf, &rest, &rt);

    case BLOG_ROUTE_ASSET:
        return ngx_http_blog_asset(r, blcf, &rt);

    default:
        return ngx_http_blog_page(r, blcf, &rt);
    }
}


static ngx_int_t
ngx_http_blog_redirect(ngx_http_request_t *r, ngx_http_blog_loc_conf_t *blcf,
    ngx_str_t *rest, blog_route_t *rt)
{
    size_t   len;
    u_char  *p, *location;

    len = blcf->prefix.len + 1 + rt->redirect_len + 1;

    if (r->args.len) {
        len += 1 + r->args.len;
    }

    /* the path was decoded: encode it again for the Location header */

    len += 2 * ngx_escape_uri(NULL, rest->data, rt->redirect_len,
                              NGX_ESCAPE_URI);

    location = ngx_pnalloc(r->pool, len);
    if (location == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    p = ngx_cpymem(location, blcf->prefix.data, blcf->prefix.len);
    *p++ = '/';
    p = (u_char *) ngx_escape_uri(p, rest->data, rt->redirect_len,
                                  NGX_ESCAPE_URI);

    if (rt->redirect_slash) {
        *p++ = '/';
    }

    if (r->args.len) {
        *p++ = '?';
        p = ngx_cpymem(p, r->args.data, r->args.len);
    }

    ngx_http_clear_location(r);

    r->headers_out.location = ngx_list_push(&r->headers_out.headers);
    if (r->headers_out.location == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    r->headers_out.location->hash = 1;
    ngx_str_set(&r->headers_out.location->key, "Location");
    r->headers_out.location->value.len = p - location;
    r->headers_out.location->value.data = location;

    return NGX_HTTP_MOVED_PERMANENTLY;
}


static ngx_int_t
ngx_http_blog_page(ngx_http_request_t *r, ngx_http_blog_loc_conf_t *blcf,
    blog_route_t *rt)
{
    blog_page_t  page;
    blog_site_t  site;

    ngx_http_blog_site_conf(r, blcf, &site);

    if (blog_render(&page, &site, blcf->site->index, rt, ngx_time())
        != BLOG_OK)
    {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "blog: cannot render \"%V\"", &r->uri);
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_blog_send(r, page.status, page.content_type,
                              &page.body, (time_t) page.last_modified);
}


static ngx_int_t
ngx_http_blog_asset(ngx_http_request_t *r, ngx_http_blog_loc_conf_t *blcf,
    blog_route_t *rt)
{
    u_char                   *dot;
    ngx_str_t                 exten;
    ngx_buf_t                *b;
    ngx_int_t                 rc;
    ngx_chain_t               out;
    const blog_theme_file_t  *f;

    f = blog_theme_asset(blcf->theme, rt->file.data, rt->file.len);
    if (f == NULL) {
        return ngx_http_blog_page(r, blcf, rt);
    }

    dot = ngx_strlchr(rt->file.data, rt->file.data + rt->file.len, '.');

    exten.len = 0;
    exten.data = NULL;

    while (dot != NULL) {
        exten.data = dot + 1;
        exten.len = rt->file.data + rt->file.len - exten.data;
        dot = ngx_strlchr(exten.data, exten.data + exten.len, '.');
    }

    r->exten = exten;

    if (ngx_http_set_content_type(r) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    r->headers_out.status = NGX_HTTP_OK;
    r->headers_out.content_length_n = f->len;
    r->headers_out.last_modified_time = blcf->theme_time;

    if (ngx_http_set_etag(r) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    rc = ngx_http_send_header(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }

    b = ngx_calloc_buf(r->pool);
    if (b == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    b->pos = (u_char *) f->data;
    b->last = (u_char *) f->data + f->len;
    b->memory = 1;
    b->last_buf = (r == r->main) ? 1 : 0;
    b->last_in_chain = 1;

    out.buf = b;
    out.next = NULL;

    return ngx_http_output_filter(r, &out);
}


static void
ngx_http_blog_site_conf(ngx_http_request_t *r, ngx_http_blog_loc_conf_t *blcf,
    blog_site_t *site)
{
    size_t      len;
    u_char     *p;
    ngx_str_t  *host;

    site->title.data = blcf->title.data;
    site->title.len = blcf->title.len;
    site->description.data = blcf->description.data;
    site->description.len = blcf->description.len;
    site->author.data = blcf->author.data;
    site->author.len = blcf->author.len;
    site->prefix.data = blcf->prefix.data;
    site->prefix.len = blcf->prefix.len;
    site->home_url.data = blcf->home_url.data;
    site->home_url.len = blcf->home_url.len;
    site->posts_per_page = blcf->posts_per_page;
    site->summary_length = blcf->summary_length;
    site->raw_html = blcf->raw_html ? 1 : 0;
    site->theme = blcf->theme;
    site->opts = &blcf->site->opts;

    site->base_url.data = blcf->base_url.data;
    site->base_url.len = blcf->base_url.len;

    if (site->base_url.len || r->headers_in.host == NULL) {
        return;
    }

    /* the scheme and Host of the request, as nginx validated it */

    host = &r->headers_in.host->value;
    len = sizeof("https://") - 1 + host->len;

    p = ngx_pnalloc(r->pool, len);
    if (p == NULL) {
        return;
    }

    site->base_url.data = p;

#if (NGX_HTTP_SSL)
    if (r->connection->ssl) {
        p = ngx_cpymem(p, "https://", sizeof("https://") - 1);

    } else
#endif
    {
        p = ngx_cpymem(p, "http://", sizeof("http://") - 1);
    }

    p = ngx_cpymem(p, host->data, host->len);
    site->base_url.len = p - site->base_url.data;
}


/* sends a page built on malloc; the pool frees it with the request */

static ngx_int_t
ngx_http_blog_send(ngx_http_request_t *r, ngx_uint_t status,
    const char *content_type, blog_buf_t *page, time_t last_modified)
{
    ngx_int_t            rc;
    ngx_buf_t           *b;
    ngx_chain_t          out;
    ngx_pool_cleanup_t  *cln;

    cln = ngx_pool_cleanup_add(r->pool, 0);
    if (cln == NULL) {
        blog_buf_free(page);
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    cln->handler = ngx_free;
    cln->data = page->data;

    r->headers_out.status = status;
    r->headers_out.content_length_n = page->len;

    r->headers_out.content_type.data = (u_char *) content_type;
    r->headers_out.content_type.len = ngx_strlen(content_type);
    r->headers_out.content_type_len = (u_char *) ngx_strchr(content_type, ';')
                                      - (u_char *) content_type;

    if (status == NGX_HTTP_OK) {
        r->headers_out.last_modified_time = last_modified;

        if (ngx_http_set_etag(r) != NGX_OK) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }
    }

    rc = ngx_http_send_header(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }

    b = ngx_calloc_buf(r->pool);
    if (b == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    b->pos = page->data;
    b->last = page->data + page->len;
    b->memory = 1;
    b->last_buf = (r == r->main) ? 1 : 0;
    b->last_in_chain = 1;

    out.buf = b;
    out.next = NULL;

    return ngx_http_output_filter(r, &out);
}
