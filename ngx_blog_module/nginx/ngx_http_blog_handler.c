
/*
 * The content handler: a URI below the blog's location becomes a route,
 * the route a page.  The index is the worker's current one; a post page
 * reads its source again, so it shows one version of the file.
 */


#include "ngx_http_blog_module.h"


static ngx_int_t ngx_http_blog_redirect(ngx_http_request_t *r,
    ngx_http_blog_loc_conf_t *blcf, ngx_str_t *rest, blog_route_t *rt);
static ngx_int_t ngx_http_blog_wait(ngx_http_request_t *r,
    ngx_http_blog_site_t *site);
static void ngx_http_blog_waited(ngx_http_request_t *r);
static ngx_int_t ngx_http_blog_asset(ngx_http_request_t *r,
    ngx_http_blog_loc_conf_t *blcf, blog_route_t *rt);
static ngx_int_t ngx_http_blog_source(ngx_http_request_t *r,
    ngx_http_blog_loc_conf_t *blcf, blog_route_t *rt);
static ngx_uint_t ngx_http_blog_accepts_markdown(ngx_http_request_t *r);


/* the theme's own assets, for nginx configurations without mime.types */
static ngx_str_t  ngx_http_blog_asset_types[] = {
    ngx_string("css"), ngx_string("text/css; charset=utf-8"),
    ngx_string("js"), ngx_string("text/javascript; charset=utf-8"),
    ngx_string("svg"), ngx_string("image/svg+xml"),
    ngx_string("png"), ngx_string("image/png"),
    ngx_string("jpg"), ngx_string("image/jpeg"),
    ngx_string("webp"), ngx_string("image/webp"),
    ngx_string("ico"), ngx_string("image/x-icon"),
    ngx_string("woff2"), ngx_string("font/woff2"),
    ngx_string("txt"), ngx_string("text/plain; charset=utf-8"),
    ngx_null_string, ngx_null_string
};



ngx_int_t
ngx_http_blog_handler(ngx_http_request_t *r)
{
    ngx_int_t                  rc;
    ngx_str_t                  rest;
    blog_route_t               rt;
    ngx_http_blog_ctx_t       *ctx;
    ngx_http_blog_loc_conf_t  *blcf;

    if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
        if (ngx_http_blog_header(r, "Allow", "GET, HEAD") == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        return NGX_HTTP_NOT_ALLOWED;
    }

    rc = ngx_http_discard_request_body(r);

    if (rc != NGX_OK) {
        return rc;
    }

    blcf = ngx_http_get_module_loc_conf(r, ngx_http_blog_module);

    if (blcf->site == NULL || r->uri.len < blcf->prefix.len) {
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
        break;
    }

    /* the pages below need the index: the first one, or a fresh one */

    ctx = ngx_http_get_module_ctx(r, ngx_http_blog_module);

    if (blcf->site->index == NULL
        || (blcf->site->interval == 0 && (ctx == NULL || !ctx->waited)))
    {
        if (ctx != NULL && ctx->waited) {
            return NGX_HTTP_SERVICE_UNAVAILABLE;
        }

        return ngx_http_blog_wait(r, blcf->site);
    }

    switch (rt.kind) {

    case BLOG_ROUTE_POST:
        if (ngx_http_blog_header(r, "Vary", "Accept") == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        if (ngx_http_blog_accepts_markdown(r)) {
            return ngx_http_blog_source(r, blcf, &rt);
        }

        return ngx_http_blog_page(r, blcf, &rt);

    default:
        return ngx_http_blog_page(r, blcf, &rt);
    }
}


ngx_http_blog_ctx_t *
ngx_http_blog_ctx(ngx_http_request_t *r)
{
    ngx_http_blog_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_http_blog_module);

    if (ctx == NULL) {
        ctx = ngx_pcalloc(r->pool, sizeof(ngx_http_blog_ctx_t));
        if (ctx == NULL) {
            return NULL;
        }

        ctx->request = r;
        ngx_http_set_ctx(r, ctx, ngx_http_blog_module);
    }

    return ctx;
}


/*
 * The request waits, without blocking the worker, for the site's next
 * index; then the handler runs again.
 */

static ngx_int_t
ngx_http_blog_wait(ngx_http_request_t *r, ngx_http_blog_site_t *site)
{
    ngx_http_blog_ctx_t  *ctx;

    ctx = ngx_http_blog_ctx(r);
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ctx->waited = 1;

    r->main->blocked++;
    r->main->count++;
    r->aio = 1;
    r->write_event_handler = ngx_http_blog_waited;

    ngx_http_blog_site_wait(site, &ctx->queue);

    return NGX_DONE;
}


void
ngx_http_blog_site_wake(ngx_queue_t *riders)
{
    ngx_queue_t          *q;
    ngx_connection_t     *c;
    ngx_http_request_t   *r;
    ngx_http_blog_ctx_t  *ctx;

    while (!ngx_queue_empty(riders)) {
        q = ngx_queue_head(riders);
        ngx_queue_remove(q);

        ctx = ngx_queue_data(q, ngx_http_blog_ctx_t, queue);
        r = ctx->request;
        c = r->connection;

        ngx_http_set_log_request(c->log, r);

        r->main->blocked--;
        r->aio = 0;

        r->write_event_handler(r);

        ngx_http_run_posted_requests(c);
    }
}


static void
ngx_http_blog_waited(ngx_http_request_t *r)
{
    r->write_event_handler = ngx_http_request_empty_handler;

    ngx_http_finalize_request(r, ngx_http_blog_handler(r));
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

    r->headers_out.location = ngx_http_blog_header(r, "Location", "");
    if (r->headers_out.location == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    r->headers_out.location->value.len = p - location;
    r->headers_out.location->value.data = location;

    return NGX_HTTP_MOVED_PERMANENTLY;
}


static ngx_int_t
ngx_http_blog_asset(ngx_http_request_t *r, ngx_http_blog_loc_conf_t *blcf,
    blog_route_t *rt)
{
    u_char                   *dot;
    ngx_str_t                 exten, *type;
    ngx_buf_t                *b;
    ngx_int_t                 rc;
    ngx_chain_t               out;
    const blog_theme_file_t  *f;
    ngx_http_core_loc_conf_t *clcf;

    f = blog_theme_asset(blcf->theme, rt->file.data, rt->file.len);
    if (f == NULL) {
        return ngx_http_blog_page(r, blcf, rt);
    }

    clcf = ngx_http_get_module_loc_conf(r, ngx_http_core_module);

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

    for (type = ngx_http_blog_asset_types; type->len; type += 2) {
        if (type->len == exten.len
            && ngx_strncasecmp(type->data, exten.data, exten.len) == 0)
        {
            if (r->headers_out.content_type.len == clcf->default_type.len
                && ngx_strncmp(r->headers_out.content_type.data,
                               clcf->default_type.data,
                               clcf->default_type.len) == 0)
            {
                r->headers_out.content_type = type[1];
                r->headers_out.content_type_len = type[1].len;
                r->headers_out.charset.len = 0;
            }

            break;
        }
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


/*
 * "Accept: text/markdown" on a post: its source as it is on disk, sent
 * the way the static module sends files.
 */

static ngx_int_t
ngx_http_blog_source(ngx_http_request_t *r, ngx_http_blog_loc_conf_t *blcf,
    blog_route_t *rt)
{
    ngx_int_t                  rc;
    ngx_buf_t                 *b;
    ngx_str_t                  path;
    ngx_chain_t                out;
    blog_entry_t              *e;
    ngx_open_file_info_t       of;
    ngx_http_core_loc_conf_t  *clcf;

    e = blog_index_find(blcf->site->index, rt->slug.data, rt->slug.len);
    if (e == NULL) {
        return ngx_http_blog_page(r, blcf, rt);
    }

    path.data = e->post->path.data;
    path.len = e->post->path.len;

    clcf = ngx_http_get_module_loc_conf(r, ngx_http_core_module);

    ngx_memzero(&of, sizeof(ngx_open_file_info_t));

    of.read_ahead = clcf->read_ahead;
    of.directio = NGX_MAX_OFF_T_VALUE;
    of.valid = clcf->open_file_cache_valid;
    of.min_uses = clcf->open_file_cache_min_uses;
    of.errors = clcf->open_file_cache_errors;
    of.events = clcf->open_file_cache_events;

    if (ngx_open_cached_file(clcf->open_file_cache, &path, &of, r->pool)
        != NGX_OK)
    {
        /* gone since the index was built: the next rescan drops it */
        return ngx_http_blog_page(r, blcf, rt);
    }

    if (!of.is_file) {
        return ngx_http_blog_page(r, blcf, rt);
    }

    r->headers_out.status = NGX_HTTP_OK;
    r->headers_out.content_length_n = of.size;
    r->headers_out.last_modified_time = of.mtime;
    ngx_str_set(&r->headers_out.content_type, "text/markdown; charset=utf-8");
    r->headers_out.content_type_len = sizeof("text/markdown") - 1;
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
    b->file->name = path;
    b->file->log = r->connection->log;
    b->file->directio = of.is_directio;

    out.buf = b;
    out.next = NULL;

    return ngx_http_output_filter(r, &out);
}


static ngx_uint_t
ngx_http_blog_accepts_markdown(ngx_http_request_t *r)
{
    ngx_uint_t        i;
    ngx_list_part_t  *part;
    ngx_table_elt_t  *h;

    part = &r->headers_in.headers.part;
    h = part->elts;

    for (i = 0; /* void */; i++) {

        if (i >= part->nelts) {
            if (part->next == NULL) {
                return 0;
            }

            part = part->next;
            h = part->elts;
            i = 0;
        }

        if (h[i].key.len == sizeof("Accept") - 1
            && ngx_strncasecmp(h[i].key.data, (u_char *) "Accept",
                               sizeof("Accept") - 1) == 0
            && ngx_strlcasestrn(h[i].value.data,
                                h[i].value.data + h[i].value.len,
                                (u_char *) "text/markdown",
                                sizeof("text/markdown") - 2)
               != NULL)
        {
            return 1;
        }
    }
}


ngx_table_elt_t *
ngx_http_blog_header(ngx_http_request_t *r, char *key, char *value)
{
    ngx_table_elt_t  *h;

    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        return NULL;
    }

    h->hash = 1;
#if (nginx_version >= 1023000)
    h->next = NULL;
#endif
    h->key.data = (u_char *) key;
    h->key.len = ngx_strlen(key);
    h->value.data = (u_char *) value;
    h->value.len = ngx_strlen(value);

    return h;
}
