
/*
 * Content codings: which stored variant of a page or an asset a client
 * takes, by the q-values of its Accept-Encoding, and brotli made once per
 * version of a page or an asset.  Whether a variant may be sent at all
 * (gzip on, blog_brotli) is the caller's to say; nginx's own checks for
 * gzip (gzip_http_version, gzip_proxied, gzip_disable) still apply.
 */


#include "ngx_http_blog_module.h"

#include <brotli/encode.h>


/*
 * brotli's best quality takes about a second of a thread per 600 KB: up
 * to this size a page gets it (a fifth smaller than gzip's best), past
 * it quality 9 (some 15% smaller, twenty times faster), so a very long
 * page holds the thread pool for a fraction of a second, not seconds.
 */
#define NGX_HTTP_BLOG_BROTLI_BEST_SIZE  (256 * 1024)
#define NGX_HTTP_BLOG_BROTLI_LARGE      9


/* q-values in thousandths; -1: not named */

typedef struct {
    ngx_int_t                  br;
    ngx_int_t                  gzip;
    ngx_int_t                  any;
} ngx_http_blog_accept_t;


static void ngx_http_blog_accept_parse(ngx_str_t *value,
    ngx_http_blog_accept_t *acc);
static ngx_int_t ngx_http_blog_qvalue(u_char *p, u_char *last);


/*
 * NGX_HTTP_BLOG_BROTLI, _GZIP or _IDENTITY: the coding of the highest
 * q-value among those the caller has, brotli on a tie.  A coding the
 * header does not name takes the q-value of "*", if any; q=0 refuses.
 */

ngx_uint_t
ngx_http_blog_encoding(ngx_http_request_t *r, ngx_uint_t gzip, ngx_uint_t br)
{
#if (NGX_HTTP_GZIP || NGX_HTTP_HEADERS)
    ngx_int_t               qbr, qgzip;
    ngx_table_elt_t        *h;
    ngx_http_blog_accept_t  acc;

    acc.br = -1;
    acc.gzip = -1;
    acc.any = -1;

    for (h = r->headers_in.accept_encoding; h != NULL; /* void */) {
        ngx_http_blog_accept_parse(&h->value, &acc);

#if (nginx_version >= 1023000)
        h = h->next;
#else
        h = NULL;
#endif
    }

    qbr = (acc.br >= 0) ? acc.br : ngx_max(acc.any, 0);
    qgzip = (acc.gzip >= 0) ? acc.gzip : ngx_max(acc.any, 0);

    if (!br) {
        qbr = 0;
    }

#if (NGX_HTTP_GZIP)
    if (!gzip || qgzip == 0 || ngx_http_gzip_ok(r) != NGX_OK) {
        qgzip = 0;
    }
#else
    qgzip = 0;
#endif

    if (qbr > 0 && qbr >= qgzip) {
        return NGX_HTTP_BLOG_BROTLI;
    }

    if (qgzip > 0) {
        return NGX_HTTP_BLOG_GZIP;
    }
#endif

    return NGX_HTTP_BLOG_IDENTITY;
}


/*
 * One Accept-Encoding line: codings with parameters, of which only "q"
 * counts (RFC 9110, 12.5.3).  The first mention of a coding holds.
 */

static void
ngx_http_blog_accept_parse(ngx_str_t *value, ngx_http_blog_accept_t *acc)
{
    u_char     *p, *last, *name, *param;
    size_t      len;
    ngx_int_t   q, *slot;

    p = value->data;
    last = p + value->len;

    while (p < last) {

        while (p < last && (*p == ' ' || *p == '\t' || *p == ',')) {
            p++;
        }

        name = p;

        while (p < last && *p != ',' && *p != ';' && *p != ' '
               && *p != '\t')
        {
            p++;
        }

        len = p - name;
        q = 1000;

        while (p < last && *p != ',') {

            if (*p++ != ';') {
                continue;
            }

            while (p < last && (*p == ' ' || *p == '\t')) {
                p++;
            }

            param = p;

            while (p < last && *p != '=' && *p != ';' && *p != ','
                   && *p != ' ' && *p != '\t')
            {
                p++;
            }

            if (!(p - param == 1 && (*param | 0x20) == 'q')) {
                continue;
            }

            while (p < last && (*p == ' ' || *p == '\t')) {
                p++;
            }

            if (p == last || *p != '=') {
                q = 0;
                continue;
            }

            p++;

            while (p < last && (*p == ' ' || *p == '\t')) {
                p++;
            }

            param = p;

            while (p < last && *p != ';' && *p != ',' && *p != ' '
                   && *p != '\t')
            {
                p++;
            }

            q = ngx_http_blog_qvalue(param, p);
        }

        if (len == 2 && ngx_strncasecmp(name, (u_char *) "br", 2) == 0) {
            slot = &acc->br;

        } else if ((len == 4
                    && ngx_strncasecmp(name, (u_char *) "gzip", 4) == 0)
                   || (len == 6
                       && ngx_strncasecmp(name, (u_char *) "x-gzip", 6)
                          == 0))
        {
            slot = &acc->gzip;

        } else if (len == 1 && *name == '*') {
            slot = &acc->any;

        } else {
            continue;
        }

        if (*slot < 0) {
            *slot = q;
        }
    }
}


/* "0", "0.5", "1.000": thousandths; anything else refuses, as 0 */

static ngx_int_t
ngx_http_blog_qvalue(u_char *p, u_char *last)
{
    ngx_int_t  q, scale;

    if (p == last || (*p != '0' && *p != '1')) {
        return 0;
    }

    q = (*p++ - '0') * 1000;

    if (p == last) {
        return q;
    }

    if (*p++ != '.' || last - p > 3) {
        return 0;
    }

    for (scale = 100; p < last; p++, scale /= 10) {
        if (*p < '0' || *p > '9') {
            return 0;
        }

        q += (*p - '0') * scale;
    }

    return (q > 1000) ? 0 : q;
}


/*
 * len bytes in brotli at its best quality (unless they are very many),
 * once per version of a page or an asset, into malloc'd memory; NULL if
 * the encoder fails.
 */

u_char *
ngx_http_blog_brotli(const u_char *in, size_t len, size_t *out_len)
{
    int      quality;
    size_t   size;
    u_char  *out;

    size = BrotliEncoderMaxCompressedSize(len);
    if (size == 0) {
        return NULL;
    }

    out = malloc(size);
    if (out == NULL) {
        return NULL;
    }

    quality = (len <= NGX_HTTP_BLOG_BROTLI_BEST_SIZE)
              ? BROTLI_MAX_QUALITY : NGX_HTTP_BLOG_BROTLI_LARGE;

    if (!BrotliEncoderCompress(quality, BROTLI_DEFAULT_WINDOW,
                               BROTLI_MODE_TEXT, len, in, &size, out))
    {
        free(out);
        return NULL;
    }

    *out_len = size;

    return out;
}
