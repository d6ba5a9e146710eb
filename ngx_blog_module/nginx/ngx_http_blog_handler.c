
/*
 * The content handler: the core says what a URI below the blog's
 * location gets (blog_answer.c), and this sends it.  Answers that need
 * the index wait for the worker's first one, or with blog_check_interval
 * 0 for a fresh one, and go on from there when it is built.
 */


#include "ngx_http_blog_module.h"


static ngx_int_t ngx_http_blog_route_indexed(ngx_http_request_t *r,
    ngx_http_blog_ctx_t *ctx);
static void ngx_http_blog_index_ready(ngx_http_request_t *r);
static ngx_int_t ngx_http_blog_moved_to(ngx_http_request_t *r,
    blog_answer_t *a);
static ngx_uint_t ngx_http_blog_accepts_markdown(ngx_http_request_t *r);
static ngx_uint_t ngx_http_blog_encoded_slash(ngx_http_request_t *r);


ngx_int_t
ngx_http_blog_handler(ngx_http_request_t *r)
{
    ngx_int_t                  rc;
    blog_request_t            *rq;
    blog_answer_t             *a;
    ngx_http_blog_ctx_t       *ctx;
    ngx_http_blog_loc_conf_t  *blcf;

    rc = ngx_http_blog_accept_method(r);

    if (rc != NGX_OK) {
        return rc;
    }

    blcf = ngx_http_get_module_loc_conf(r, ngx_http_blog_module);

    if (blcf->site == NULL) {
        return NGX_HTTP_NOT_FOUND;
    }

    ctx = ngx_http_blog_ctx(r);
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    rq = &ctx->rq;
    a = &ctx->answer;

    rq->prefix.data = blcf->prefix.data;
    rq->prefix.len = blcf->prefix.len;
    rq->uri.data = r->uri.data;
    rq->uri.len = r->uri.len;
    rq->args.data = r->args.data;
    rq->args.len = r->args.len;
    rq->encoded_slash = r->quoted_uri && ngx_http_blog_encoded_slash(r);
    rq->markdown = ngx_http_blog_accepts_markdown(r);

    if (blog_answer_route(a, rq, blcf->site->index) != BLOG_OK) {
        blog_answer_free(a);
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_log_debug3(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "blog answer %d, route %d, page %ui", a->kind,
                   a->route.kind, (ngx_uint_t) a->route.page);

    switch (a->kind) {

    case BLOG_ANSWER_MOVED:
        return ngx_http_blog_moved_to(r, a);

    case BLOG_ANSWER_ASSET:
        rc = ngx_http_blog_asset(r, blcf, &a->route);

        if (rc != NGX_DECLINED) {
            return rc;
        }

        /* no such asset: the 404 page, which needs the index as any page */
        break;

    case BLOG_ANSWER_INDEX:
        break;

    default:
        return NGX_HTTP_NOT_FOUND;
    }

    return ngx_http_blog_route_indexed(r, ctx);
}


/* the answers below need the index: the first one, or a fresh one */

static ngx_int_t
ngx_http_blog_route_indexed(ngx_http_request_t *r, ngx_http_blog_ctx_t *ctx)
{
    ngx_int_t                  rc;
    blog_answer_t             *a;
    ngx_http_blog_site_t      *site;
    ngx_http_blog_loc_conf_t  *blcf;

    blcf = ngx_http_get_module_loc_conf(r, ngx_http_blog_module);
    site = blcf->site;
    a = &ctx->answer;

    ngx_http_blog_site_fresh(site);

    if (site->index == NULL || (site->interval == 0 && !ctx->waited)) {
        if (ctx->waited) {
            /* the scan failed: it said why in the log */
            return NGX_HTTP_SERVICE_UNAVAILABLE;
        }

        ctx->waited = 1;

        ngx_http_blog_park(r, ngx_http_blog_index_ready);
        ngx_http_blog_site_wait(site, &ctx->queue);

        return NGX_DONE;
    }

    if (blog_answer_indexed(a, &ctx->rq, site->index) != BLOG_OK) {
        blog_answer_free(a);
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (a->vary_accept
        && ngx_http_blog_header(r, "Vary", "Accept") == NULL)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    switch (a->kind) {

    case BLOG_ANSWER_UNAVAILABLE:
        /* not an empty blog: one nginx may not read, as the log says */
        return NGX_HTTP_SERVICE_UNAVAILABLE;

    case BLOG_ANSWER_MOVED:
        return ngx_http_blog_moved_to(r, a);

    case BLOG_ANSWER_SOURCE:
    case BLOG_ANSWER_BUNDLE_FILE:
        rc = ngx_http_blog_file(r, blcf, a);

        if (rc != NGX_DECLINED) {
            return rc;
        }

        /* not there (any more), or no such file: the page says so */
        break;

    default:
        break;
    }

    return ngx_http_blog_page(r, blcf, &a->route);
}


static void
ngx_http_blog_index_ready(ngx_http_request_t *r)
{
    ngx_http_blog_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_http_blog_module);

    r->write_event_handler = ngx_http_request_empty_handler;

    ngx_http_finalize_request(r, ngx_http_blog_route_indexed(r, ctx));
}


/* 301 to the answer's location, copied to live as long as the request */

static ngx_int_t
ngx_http_blog_moved_to(ngx_http_request_t *r, blog_answer_t *a)
{
    ngx_str_t  to;

    to.len = a->location.len;
    to.data = ngx_pnalloc(r->pool, to.len);

    if (to.data != NULL) {
        ngx_memcpy(to.data, a->location.data, to.len);
    }

    blog_answer_free(a);

    if (to.data == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_blog_moved(r, &to);
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
