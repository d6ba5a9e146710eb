
/*
 * Content codings: which stored variant of a page or an asset a client
 * takes, by its Accept-Encoding lines as the core reads them
 * (blog_encoding.c).  Whether a variant may be sent at all (gzip on,
 * blog_brotli) is the caller's to say; nginx's own checks for gzip
 * (gzip_http_version, gzip_proxied, gzip_disable) still apply.
 */


#include "ngx_http_blog_module.h"


/*
 * BLOG_BROTLI, BLOG_GZIP or BLOG_IDENTITY, by all the request's
 * Accept-Encoding lines, of the codings the caller has; gzip only where
 * nginx's own checks for it (gzip_http_version, gzip_proxied,
 * gzip_disable) let it.
 */

ngx_uint_t
ngx_http_blog_encoding(ngx_http_request_t *r, ngx_uint_t gzip, ngx_uint_t br)
{
#if (NGX_HTTP_GZIP || NGX_HTTP_HEADERS)
    blog_accept_t     acc;
    ngx_table_elt_t  *h;

    blog_accept_init(&acc);

    for (h = r->headers_in.accept_encoding; h != NULL; /* void */) {
        blog_accept_parse(&acc, h->value.data, h->value.len);

#if (nginx_version >= 1023000)
        h = h->next;
#else
        h = NULL;
#endif
    }

#if (NGX_HTTP_GZIP)
    if (gzip && blog_accept_q(&acc, BLOG_GZIP) > 0
        && ngx_http_gzip_ok(r) != NGX_OK)
    {
        gzip = 0;
    }
#else
    gzip = 0;
#endif

    return blog_accept_choose(&acc, gzip, br);

#else
    return BLOG_IDENTITY;
#endif
}
