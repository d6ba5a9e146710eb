
/*
 * The content handler routes: a URI below the blog's location becomes a
 * route, and the route goes to the code that answers it (a page, a file,
 * a redirect).  Routes that need the index wait for the worker's first
 * one, or with blog_check_interval 0 for a fresh one, and go on from
 * there when it is built.
 */


#include "ngx_http_blog_module.h"


static ngx_int_t ngx_http_blog_route_indexed(ngx_http_request_t *r,
    ngx_http_blog_ctx_t *ctx);
static void ngx_http_blog_index_ready(ngx_http_request_t *r);
static ngx_int_t ngx_http_blog_route_post(ngx_http_request_t *r,
    ngx_http_blog_loc_conf_t *blcf, blog_route_t *rt);
static ngx_int_t ngx_http_blog_redirect(ngx_http_request_t *r,
    ngx_http_blog_loc_conf_t *blcf, ngx_str_t *rest, blog_route_t *rt);
static ngx_int_t ngx_http_blog_alias(ngx_http_request_t *r,
    blog_str_t *target);
static ngx_int_t ngx_http_blog_old_url(ngx_http_request_t *r,
    ngx_http_blog_loc_conf_t *blcf, blog_route_t *rt);
static ngx_uint_t ngx_http_blog_accepts_markdown(ngx_http_request_t *r);
static ngx_uint_t ngx_http_blog_encoded_slash(ngx_http_request_t *r);


ngx_int_t
ngx_http_blog_handler(ngx_http_request_t *r)
{
    ngx_int_t                  rc;
    ngx_str_t                  rest;
    blog_route_t              *rt;
    ngx_http_blog_ctx_t       *ctx;
    ngx_http_blog_loc_conf_t  *blcf;

    rc = ngx_http_blog_accept_method(r);

    if (rc != NGX_OK) {
        return rc;
    }

    blcf = ngx_http_get_module_loc_conf(r, ngx_http_blog_module);

    if (blcf->site == NULL || r->uri.len < blcf->prefix.len) {
        return NGX_HTTP_NOT_FOUND;
    }

    ctx = ngx_http_blog_ctx(r);
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    rt = &ctx->route;

    rest.data = r->uri.data + blcf->prefix.len;
    rest.len = r->uri.len - blcf->prefix.len;

    if (rest.len == 0) {
        /* "location /blog" asked for "/blog": the index is "/blog/" */
        rt->kind = BLOG_ROUTE_REDIRECT;
        return ngx_http_blog_redirect(r, blcf, &rest, rt);
    }

    if (rest.data[0] != '/') {
        return NGX_HTTP_NOT_FOUND;
    }

    rest.data++;
    rest.len--;

    blog_route_parse(rt, rest.data, rest.len);

    if (r->quoted_uri && ngx_http_blog_encoded_slash(r)) {
        /* "a%2fb" is one name, never the path a/b: no page has it */
        rt->kind = BLOG_ROUTE_NOT_FOUND;
    }

    ngx_log_debug3(NGX_LOG_DEBUG_HTTP, r->connection->log, 0,
                   "blog route %d \"%V\" page %ui", rt->kind, &rest,
                   (ngx_uint_t) rt->page);

    switch (rt->kind) {

    case BLOG_ROUTE_REDIRECT:

        /* "old.html", an old URL with no slash to add: when it is known */

        if (blcf->site->index != NULL) {
            rc = ngx_http_blog_old_url(r, blcf, rt);

            if (rc != NGX_DECLINED) {
                return rc;
            }
        }

        return ngx_http_blog_redirect(r, blcf, &rest, rt);

    case BLOG_ROUTE_ASSET:
        rc = ngx_http_blog_asset(r, blcf, rt);

        if (rc != NGX_DECLINED) {
            return rc;
        }

        /* no such asset: the 404 page, which needs the index as any page */
        break;

    default:
        break;
    }

    return ngx_http_blog_route_indexed(r, ctx);
}


/* the routes below need the index: the first one, or a fresh one */

static ngx_int_t
ngx_http_blog_route_indexed(ngx_http_request_t *r, ngx_http_blog_ctx_t *ctx)
{
    ngx_int_t                  rc;
    blog_route_t              *rt;
    ngx_http_blog_site_t      *site;
    ngx_http_blog_loc_conf_t  *blcf;

    blcf = ngx_http_get_module_loc_conf(r, ngx_http_blog_module);
    site = blcf->site;
    rt = &ctx->route;

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

    if (site->index->root_denied) {
        /* not an empty blog: one nginx may not read, as the log says */
        return NGX_HTTP_SERVICE_UNAVAILABLE;
    }

    rc = ngx_http_blog_old_url(r, blcf, rt);

    if (rc != NGX_DECLINED) {
        return rc;
    }

    switch (rt->kind) {

    case BLOG_ROUTE_POST:
        return ngx_http_blog_route_post(r, blcf, rt);

    case BLOG_ROUTE_POST_FILE:
        rc = ngx_http_blog_bundle_file(r, blcf, rt);

        if (rc != NGX_DECLINED) {
            return rc;
        }

        /* no such file: the 404 page */
        break;

    default:
        /* a missing asset among them: the 404 page */
        break;
    }

    return ngx_http_blog_page(r, blcf, rt);
}


static void
ngx_http_blog_index_ready(ngx_http_request_t *r)
{
    ngx_http_blog_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_http_blog_module);

    r->write_event_handler = ngx_http_request_empty_handler;

    ngx_http_finalize_request(r, ngx_http_blog_route_indexed(r, ctx));
}


static ngx_int_t
ngx_http_blog_route_post(ngx_http_request_t *r,
    ngx_http_blog_loc_conf_t *blcf, blog_route_t *rt)
{
    ngx_int_t      rc;
    blog_entry_t  *e;

    if (blog_index_find(blcf->site->index, rt->slug.data, rt->slug.len)
        == NULL)
    {
        e = blog_index_redirect(blcf->site->index, rt->slug.data,
                                rt->slug.len);
        if (e != NULL) {
            return ngx_http_blog_alias(r, &e->post->redirect);
        }
    }

    if (ngx_http_blog_header(r, "Vary", "Accept") == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_blog_accepts_markdown(r)) {
        rc = ngx_http_blog_source(r, blcf, rt);

        if (rc != NGX_DECLINED) {
            return rc;
        }

        /* not there (any more): the page says so */
    }

    return ngx_http_blog_page(r, blcf, rt);
}


static ngx_int_t
ngx_http_blog_redirect(ngx_http_request_t *r, ngx_http_blog_loc_conf_t *blcf,
    ngx_str_t *rest, blog_route_t *rt)
{
    size_t      len;
    u_char     *p, *location;
    ngx_str_t   target;

    len = blcf->prefix.len + 1 + rt->redirect_len + 1;

    if (r->args.len) {
        len += 1 + r->args.len;
    }

    /* the path was decoded: encode it again for the Location header */

    len += 2 * ngx_http_blog_escape_path(NULL, rest->data, rt->redirect_len);

    location = ngx_pnalloc(r->pool, len);
    if (location == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    p = ngx_cpymem(location, blcf->prefix.data, blcf->prefix.len);
    *p++ = '/';
    p = (u_char *) ngx_http_blog_escape_path(p, rest->data, rt->redirect_len);

    if (rt->redirect_slash) {
        *p++ = '/';
    }

    if (r->args.len) {
        *p++ = '?';
        p = ngx_cpymem(p, r->args.data, r->args.len);
    }

    target.len = p - location;
    target.data = location;

    return ngx_http_blog_moved(r, &target);
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
ngx_http_blog_alias(ngx_http_request_t *r, blog_str_t *target)
{
    ngx_str_t  to, location;

    to.len = target->len;
    to.data = target->data;

    location.len = target->len;
    location.data = ngx_pstrdup(r->pool, &to);
    if (location.data == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return ngx_http_blog_moved(r, &location);
}


/*
 * A URL no page has, that a post names as one of its old ones (Hugo's
 * aliases, redirect_from, its url before): moved permanently to the post.
 * An old URL is looked up from the site's root, then below the blog.
 */

static ngx_int_t
ngx_http_blog_old_url(ngx_http_request_t *r, ngx_http_blog_loc_conf_t *blcf,
    blog_route_t *rt)
{
    size_t         len;
    u_char        *p, *location;
    ngx_str_t      path, target;
    blog_index_t  *ix;
    blog_entry_t  *e;

    ix = blcf->site->index;

    if (ix->naliases == 0) {
        return NGX_DECLINED;
    }

    switch (rt->kind) {

    case BLOG_ROUTE_NOT_FOUND:
        break;

    case BLOG_ROUTE_REDIRECT:

        if (rt->redirect_slash) {
            break;
        }

        return NGX_DECLINED;

    case BLOG_ROUTE_POST:
    case BLOG_ROUTE_POST_FILE:

        if (blog_index_find(ix, rt->slug.data, rt->slug.len) == NULL
            && blog_index_redirect(ix, rt->slug.data, rt->slug.len) == NULL)
        {
            break;
        }

        return NGX_DECLINED;

    default:
        return NGX_DECLINED;
    }

    if (r->quoted_uri && ngx_http_blog_encoded_slash(r)) {
        return NGX_DECLINED;
    }

    path = r->uri;

    if (path.len > 10
        && ngx_strncmp(path.data + path.len - 10, "index.html", 10) == 0)
    {
        path.len -= 10;
    }

    while (path.len && path.data[path.len - 1] == '/') {
        path.len--;
    }

    e = blog_index_alias(ix, path.data, path.len);

    if (e == NULL && path.len > blcf->prefix.len + 1) {
        e = blog_index_alias(ix, path.data + blcf->prefix.len + 1,
                             path.len - blcf->prefix.len - 1);
    }

    if (e == NULL) {
        return NGX_DECLINED;
    }

    len = blcf->prefix.len + 2 + e->slug.len
          + 2 * ngx_http_blog_escape_path(NULL, e->slug.data, e->slug.len);

    location = ngx_pnalloc(r->pool, len);
    if (location == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    p = ngx_cpymem(location, blcf->prefix.data, blcf->prefix.len);
    *p++ = '/';
    p = (u_char *) ngx_http_blog_escape_path(p, e->slug.data, e->slug.len);
    *p++ = '/';

    target.len = p - location;
    target.data = location;

    return ngx_http_blog_moved(r, &target);
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
