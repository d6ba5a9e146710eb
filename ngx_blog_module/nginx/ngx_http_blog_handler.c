
/*
 * The content handler: a URI below the blog's location becomes a route,
 * the route a page.  The index is the worker's current one; a post page
 * reads its source again, so it shows one version of the file.
 */


#include "ngx_http_blog_module.h"


#define NGX_HTTP_BLOG_PARK_TIMER  60000


static ngx_int_t ngx_http_blog_redirect(ngx_http_request_t *r,
    ngx_http_blog_loc_conf_t *blcf, ngx_str_t *rest, blog_route_t *rt);
static ngx_int_t ngx_http_blog_wait(ngx_http_request_t *r,
    ngx_http_blog_site_t *site);

static ngx_uint_t ngx_http_blog_accepts_markdown(ngx_http_request_t *r);
static ngx_uint_t ngx_http_blog_encoded_slash(ngx_http_request_t *r);
static ngx_int_t ngx_http_blog_moved(ngx_http_request_t *r,
    blog_str_t *target);
static void ngx_http_blog_park_rearm(ngx_event_t *ev);


/*
 * A request parked on the thread pool (for a page or an index) has no
 * timer, and a worker shutting down gracefully (a reload) exits once only
 * cancelable timers are left, dropping such requests with "open socket
 * left in connection".  This timer, armed while any request is parked,
 * keeps the worker until the last one is answered; worker_shutdown_timeout
 * still bounds the wait.
 */

static ngx_uint_t   ngx_http_blog_parked;
static ngx_event_t  ngx_http_blog_park_timer;


ngx_int_t
ngx_http_blog_handler(ngx_http_request_t *r)
{
    ngx_int_t                  rc;
    ngx_str_t                  rest;
    blog_route_t               rt;
    blog_entry_t              *e;
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

    if (r->quoted_uri && ngx_http_blog_encoded_slash(r)) {
        /* "a%2fb" is one name, never the path a/b: no page has it */
        rt.kind = BLOG_ROUTE_NOT_FOUND;
    }

    ngx_log_debug3(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "blog route %d \"%V\" page %ui", rt.kind, &rest,
                   (ngx_uint_t) rt.page);

    switch (rt.kind) {

    case BLOG_ROUTE_REDIRECT:
        return ngx_http_blog_redirect(r, blcf, &rest, &rt);

    case BLOG_ROUTE_ASSET:
        rc = ngx_http_blog_asset(r, blcf, &rt);

        if (rc != NGX_DECLINED) {
            return rc;
        }

        /* no such asset: the 404 page, which needs the index as any page */
        break;

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
        if (blog_index_find(blcf->site->index, rt.slug.data, rt.slug.len)
            == NULL)
        {
            e = blog_index_redirect(blcf->site->index, rt.slug.data,
                                    rt.slug.len);
            if (e != NULL) {
                return ngx_http_blog_moved(r, &e->post->redirect);
            }
        }

        if (ngx_http_blog_header(r, "Vary", "Accept") == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        if (ngx_http_blog_accepts_markdown(r)) {
            return ngx_http_blog_source(r, blcf, &rt);
        }

        return ngx_http_blog_page(r, blcf, &rt);

    case BLOG_ROUTE_POST_FILE:
        return ngx_http_blog_bundle_file(r, blcf, &rt);

    default:
        /* a missing asset among them: the 404 page */
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

    r->main->count++;
    ngx_http_blog_park(r);
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

        ngx_http_blog_unpark(r);

        r->write_event_handler(r);

        ngx_http_run_posted_requests(c);
    }
}


void
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


static ngx_uint_t
ngx_http_blog_encoded_slash(ngx_http_request_t *r)
{
    u_char  *p, *last;

    last = r->args_start ? r->args_start : r->uri_end;

    if (r->uri_start == NULL || last == NULL) {
        return 0;
    }

    for (p = r->uri_start; p + 2 < last; p++) {
        if (p[0] == '%' && p[1] == '2' && (p[2] == 'f' || p[2] == 'F')) {
            return 1;
        }
    }

    return 0;
}


/* a post whose front matter says "redirect: URL" */

static ngx_int_t
ngx_http_blog_moved(ngx_http_request_t *r, blog_str_t *target)
{
    ngx_str_t  to;

    to.len = target->len;
    to.data = target->data;

    ngx_http_clear_location(r);

    r->headers_out.location = ngx_http_blog_header(r, "Location", "");
    if (r->headers_out.location == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    r->headers_out.location->value.len = target->len;
    r->headers_out.location->value.data = ngx_pstrdup(r->pool, &to);
    if (r->headers_out.location->value.data == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return NGX_HTTP_MOVED_PERMANENTLY;
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


void
ngx_http_blog_park(ngx_http_request_t *r)
{
    r->main->blocked++;
    r->aio = 1;

    if (ngx_http_blog_parked++ == 0) {
        ngx_http_blog_park_timer.handler = ngx_http_blog_park_rearm;
        ngx_http_blog_park_timer.log = ngx_cycle->log;
        ngx_add_timer(&ngx_http_blog_park_timer, NGX_HTTP_BLOG_PARK_TIMER);
    }
}


void
ngx_http_blog_unpark(ngx_http_request_t *r)
{
    r->main->blocked--;
    r->aio = 0;

    if (--ngx_http_blog_parked == 0 && ngx_http_blog_park_timer.timer_set) {
        ngx_del_timer(&ngx_http_blog_park_timer);
    }
}


static void
ngx_http_blog_park_rearm(ngx_event_t *ev)
{
    ngx_add_timer(ev, NGX_HTTP_BLOG_PARK_TIMER);
}
