
/*
 * What every kind of answer shares: the methods the blog takes, headers,
 * a redirect's Location, a 503 that says when to come back, and sending a
 * page held in memory with its validators.  What the answer is stays with
 * the page, file and status code.
 */


#include "ngx_http_blog_module.h"


/*
 * GET and HEAD; a request body is read and dropped.  NGX_OK, or the
 * status to finalize the request with.
 */

ngx_int_t
ngx_http_blog_accept_method(ngx_http_request_t *r)
{
    if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
        if (ngx_http_blog_header(r, "Allow", "GET, HEAD") == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        return NGX_HTTP_NOT_ALLOWED;
    }

    return ngx_http_discard_request_body(r);
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


/* 301 to location, which lives as long as the request */

ngx_int_t
ngx_http_blog_moved(ngx_http_request_t *r, ngx_str_t *location)
{
    ngx_http_clear_location(r);

    r->headers_out.location = ngx_http_blog_header(r, "Location", "");
    if (r->headers_out.location == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    r->headers_out.location->value = *location;

    return NGX_HTTP_MOVED_PERMANENTLY;
}


/*
 * The thread pool's queue is full: rather than render on the event loop,
 * which would hold up every request of the worker, ask the client to come
 * back.  Said once in the log of each worker.
 */

ngx_int_t
ngx_http_blog_busy(ngx_http_request_t *r)
{
    static ngx_uint_t  logged;

    if (!logged) {
        logged = 1;
        ngx_log_error(NGX_LOG_WARN, r->connection->log, 0,
                      "blog: the thread pool's queue is full: pages that "
                      "need a render are answered 503 until it has room; "
                      "a larger \"max_queue\" of thread_pool would hold "
                      "more of them");
    }

    return ngx_http_blog_retry_later(r);
}


/* 503, and come back in a second */

ngx_int_t
ngx_http_blog_retry_later(ngx_http_request_t *r)
{
    if (ngx_http_blog_header(r, "Retry-After", "1") == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    return NGX_HTTP_SERVICE_UNAVAILABLE;
}


/* a page from the cache, a render or the status code */

ngx_int_t
ngx_http_blog_send(ngx_http_request_t *r, ngx_http_blog_response_t *res)
{
    ngx_table_elt_t  *h;

    r->headers_out.status = res->status;
    r->headers_out.content_length_n = res->len;

    r->headers_out.content_type = res->type;
    r->headers_out.content_type_len = res->type.len;

    h = (ngx_table_elt_t *) ngx_strlchr(res->type.data,
                                        res->type.data + res->type.len, ';');
    if (h != NULL) {
        r->headers_out.content_type_len = (u_char *) h - res->type.data;
    }

    if (res->status == NGX_HTTP_OK && res->etag.len == 0) {
        /* made for this request alone: nothing to revalidate */
        r->disable_not_modified = 1;

    } else if (res->status == NGX_HTTP_OK) {
        r->headers_out.last_modified_time = res->last_modified;
        r->allow_ranges = 1;

        /*
         * RFC 9110, 13.1.3: with If-None-Match, If-Modified-Since is
         * ignored.  nginx wants both to match, but file times differ
         * between servers holding the same pages; the ETag does not.
         */

        if (r->headers_in.if_none_match != NULL) {
            r->headers_in.if_modified_since = NULL;
        }

        h = ngx_http_blog_header(r, "ETag", "");
        if (h == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        h->value = res->etag;
        r->headers_out.etag = h;

        if (res->gzip || res->br) {
            h = ngx_http_blog_header(r, "Content-Encoding",
                                     res->br ? "br" : "gzip");
            if (h == NULL) {
                return NGX_HTTP_INTERNAL_SERVER_ERROR;
            }

            r->headers_out.content_encoding = h;

            /* another representation: the ETag is weak, as gzip makes it */
            ngx_http_weak_etag(r);
        }
    }

    return ngx_http_blog_send_memory(r, res->body, res->len);
}


/* the headers as they are set, then len bytes that live as long as r */

ngx_int_t
ngx_http_blog_send_memory(ngx_http_request_t *r, u_char *data, size_t len)
{
    ngx_int_t     rc;
    ngx_buf_t    *b;
    ngx_chain_t   out;

    rc = ngx_http_send_header(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }

    b = ngx_calloc_buf(r->pool);
    if (b == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    b->pos = data;
    b->last = data + len;
    b->memory = 1;
    b->last_buf = (r == r->main) ? 1 : 0;
    b->last_in_chain = 1;

    out.buf = b;
    out.next = NULL;

    return ngx_http_output_filter(r, &out);
}
