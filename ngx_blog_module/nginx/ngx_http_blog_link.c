
/*
 * The scheme and host that absolute links (canonical, og:url, feeds, the
 * sitemap) start with when blog_base_url is not set.  A client chooses
 * its Host, so only a Host the server answers to is trusted; the server's
 * names are copied at configuration time, as nginx keeps its own list
 * only while it reads the configuration.
 */


#include "ngx_http_blog_module.h"


static ngx_uint_t ngx_http_blog_host_port(ngx_http_request_t *r,
    ngx_str_t *name);
static size_t ngx_http_blog_local_name(ngx_connection_t *c, u_char *addr);
static ngx_uint_t ngx_http_blog_server_name(ngx_http_blog_loc_conf_t *blcf,
    ngx_str_t *host);


ngx_int_t
ngx_http_blog_server_names(ngx_conf_t *cf, ngx_http_blog_loc_conf_t *blcf)
{
    ngx_http_core_srv_conf_t  *cscf;

    cscf = ngx_http_conf_get_module_srv_conf(cf, ngx_http_core_module);

    blcf->server_names = ngx_array_create(cf->pool,
                                          cscf->server_names.nelts + 1,
                                          sizeof(ngx_http_server_name_t));
    if (blcf->server_names == NULL) {
        return NGX_ERROR;
    }

    ngx_memcpy(ngx_array_push_n(blcf->server_names,
                                cscf->server_names.nelts),
               cscf->server_names.elts,
               cscf->server_names.nelts * sizeof(ngx_http_server_name_t));

    return NGX_OK;
}


/*
 * Absolute links without blog_base_url: the request's scheme, and its
 * Host when that is one of the server's names, with the port only when
 * it is the one the request came to.  Any other Host gets the server's
 * first name, or the address the request came to, so that a made-up Host
 * neither shows in pages nor makes another cached copy of them.
 */

void
ngx_http_blog_base_url(ngx_http_request_t *r, ngx_http_blog_loc_conf_t *blcf,
    blog_str_t *url)
{
    u_char                    *p;
    size_t                     len;
    ngx_str_t                  name, scheme;
    ngx_uint_t                 port, shown;
    ngx_connection_t          *c;
    ngx_http_core_srv_conf_t  *cscf;
    u_char                     addr[NGX_SOCKADDR_STRLEN];

    c = r->connection;

    ngx_str_set(&scheme, "http://");
    port = 80;

#if (NGX_HTTP_SSL)
    if (c->ssl) {
        ngx_str_set(&scheme, "https://");
        port = 443;
    }
#endif

    shown = 0;

    if (ngx_connection_local_sockaddr(c, NULL, 0) == NGX_OK
        && ngx_inet_get_port(c->local_sockaddr) != port)
    {
        port = ngx_inet_get_port(c->local_sockaddr);
        shown = 1;
    }

    name = r->headers_in.server;

    if (name.len && ngx_http_blog_server_name(blcf, &name)) {
        /* a port in Host is shown if it is the one the request came to */
        shown = shown && ngx_http_blog_host_port(r, &name) == port;

    } else if (name.len
               && ngx_http_blog_local_name(c, addr) == name.len
               && ngx_strncmp(addr, name.data, name.len) == 0)
    {
        /* the address the request came to, as in "Host: 192.0.2.1" */
        shown = shown && ngx_http_blog_host_port(r, &name) == port;

    } else {
        cscf = ngx_http_get_module_srv_conf(r, ngx_http_core_module);
        name = cscf->server_name;

        if (name.len == 0 || name.data[0] == '~' || name.data[0] == '*'
            || name.data[0] == '.' || name.data[name.len - 1] == '*'
            || (name.len == 1 && name.data[0] == '_'))
        {
            name.len = ngx_http_blog_local_name(c, addr);
            name.data = addr;
        }
    }

    len = scheme.len + name.len + sizeof(":65535") - 1;

    p = ngx_pnalloc(r->pool, len);
    if (p == NULL) {
        return;
    }

    url->data = p;

    p = ngx_cpymem(p, scheme.data, scheme.len);
    p = ngx_cpymem(p, name.data, name.len);

    if (shown) {
        p = ngx_sprintf(p, ":%ui", port);
    }

    url->len = p - url->data;
}


/* the port of the Host header, 0 for none */

static ngx_uint_t
ngx_http_blog_host_port(ngx_http_request_t *r, ngx_str_t *name)
{
    u_char     *p, *last;
    ngx_int_t   n;

    if (r->headers_in.host == NULL
        || r->headers_in.host->value.len <= name->len + 1)
    {
        return 0;
    }

    p = r->headers_in.host->value.data + name->len;
    last = r->headers_in.host->value.data + r->headers_in.host->value.len;

    if (*p != ':') {
        return 0;
    }

    n = ngx_atoi(p + 1, last - p - 1);

    return n == NGX_ERROR ? 0 : (ngx_uint_t) n;
}


/* the address the connection came to, as a Host header would name it */

static size_t
ngx_http_blog_local_name(ngx_connection_t *c, u_char *addr)
{
    size_t  len;

    if (ngx_connection_local_sockaddr(c, NULL, 0) != NGX_OK) {
        return 0;
    }

    if (c->local_sockaddr->sa_family != AF_INET6) {
        return ngx_sock_ntop(c->local_sockaddr, c->local_socklen, addr,
                             NGX_SOCKADDR_STRLEN, 0);
    }

    addr[0] = '[';
    len = ngx_sock_ntop(c->local_sockaddr, c->local_socklen, addr + 1,
                        NGX_SOCKADDR_STRLEN - 2, 0);
    addr[len + 1] = ']';

    return len + 2;
}


/* is host, as nginx validated it, one of the server's server_name? */

static ngx_uint_t
ngx_http_blog_server_name(ngx_http_blog_loc_conf_t *blcf, ngx_str_t *host)
{
    u_char                  *n;
    size_t                   len;
    ngx_uint_t               i;
    ngx_http_server_name_t  *sn;

    if (blcf->server_names == NULL) {
        return 0;
    }

    sn = blcf->server_names->elts;

    for (i = 0; i < blcf->server_names->nelts; i++) {

#if (NGX_PCRE)
        if (sn[i].regex != NULL) {
            if (ngx_regex_exec(sn[i].regex->regex, host, NULL, 0) >= 0) {
                return 1;
            }

            continue;
        }
#endif

        n = sn[i].name.data;
        len = sn[i].name.len;

        if (len == 0) {
            continue;
        }

        if (len == host->len && ngx_strncasecmp(n, host->data, len) == 0) {
            return 1;
        }

        /* ".example.com" is example.com and its subdomains */

        if (n[0] == '.'
            && ((len - 1 == host->len
                 && ngx_strncasecmp(n + 1, host->data, len - 1) == 0)
                || (host->len > len
                    && ngx_strncasecmp(n, host->data + host->len - len, len)
                       == 0)))
        {
            return 1;
        }

        /* "*.example.com" and "www.example.*" */

        if (len > 2 && n[0] == '*' && n[1] == '.' && host->len > len - 1
            && ngx_strncasecmp(n + 1, host->data + host->len - (len - 1),
                               len - 1)
               == 0)
        {
            return 1;
        }

        if (len > 2 && n[len - 1] == '*' && n[len - 2] == '.'
            && host->len > len - 1
            && ngx_strncasecmp(n, host->data, len - 1) == 0)
        {
            return 1;
        }
    }

    return 0;
}
