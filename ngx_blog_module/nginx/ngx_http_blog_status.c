
/*
 * blog_status: figures for operators, as JSON.  For each content root,
 * what the answering worker's index holds (posts served, posts skipped
 * with the reason, tags, its version and when it was built); for each
 * cache zone, its entries, hits, misses, evictions and bytes.  Who may
 * read it is the operator's to say, with allow and deny.
 */


#include "ngx_http_blog_module.h"


static ngx_int_t ngx_http_blog_status_handler(ngx_http_request_t *r);
static void ngx_http_blog_status_site(blog_buf_t *b,
    ngx_http_blog_site_t *site);
static void ngx_http_blog_status_share(blog_buf_t *b,
    ngx_http_blog_site_t *site);


char *
ngx_http_blog_status(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_core_loc_conf_t  *clcf;

    clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);
    clcf->handler = ngx_http_blog_status_handler;

    return NGX_CONF_OK;
}


static ngx_int_t
ngx_http_blog_status_handler(ngx_http_request_t *r)
{
    ngx_int_t                     rc;
    ngx_uint_t                    i;
    blog_buf_t                    b;
    ngx_http_blog_site_t        **sites;
    ngx_http_blog_cache_t       **caches;
    ngx_pool_cleanup_t           *cln;
    ngx_http_blog_response_t      res;
    ngx_http_blog_main_conf_t    *bmcf;
    ngx_http_blog_cache_stats_t   st;

    rc = ngx_http_blog_accept_method(r);

    if (rc != NGX_OK) {
        return rc;
    }

    bmcf = ngx_http_get_module_main_conf(r, ngx_http_blog_module);

    cln = ngx_pool_cleanup_add(r->pool, 0);
    if (cln == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    blog_buf_init(&b);

    blog_buf_printf(&b, "{\"module\":\"ngx_http_blog_module\","
                        "\"pid\":%d,\"time\":%lld,\"sites\":[",
                    (int) ngx_pid, (long long) ngx_time());

    sites = bmcf->sites.elts;

    for (i = 0; i < bmcf->sites.nelts; i++) {
        if (i) {
            blog_buf_addc(&b, ',');
        }

        ngx_http_blog_status_site(&b, sites[i]);
    }

    blog_buf_adds(&b, "],\"caches\":[");

    caches = bmcf->caches.elts;

    for (i = 0; i < bmcf->caches.nelts; i++) {
        ngx_http_blog_cache_stats(caches[i], &st);

        if (i) {
            blog_buf_addc(&b, ',');
        }

        blog_buf_addc(&b, '{');
        blog_status_str(&b, "name", caches[i]->name.data,
                        caches[i]->name.len);
        blog_buf_printf(&b, ",\"size\":%zu,\"used\":%zu,\"free\":%zu,"
                            "\"entries\":%lu,\"hits\":%lu,\"misses\":%lu,"
                            "\"evictions\":%lu,\"pins\":%lu,"
                            "\"retired\":%lu,\"released\":%lu}",
                        st.size, st.size - st.free, st.free,
                        (unsigned long) st.entries, (unsigned long) st.hits,
                        (unsigned long) st.misses,
                        (unsigned long) st.evictions,
                        (unsigned long) st.pins, (unsigned long) st.retired,
                        (unsigned long) st.released);
    }

    blog_buf_adds(&b, "]}\n");

    cln->handler = ngx_free;
    cln->data = b.data;

    if (b.failed) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ngx_http_blog_header(r, "Cache-Control", "no-store") == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ngx_memzero(&res, sizeof(ngx_http_blog_response_t));

    res.status = NGX_HTTP_OK;
    ngx_str_set(&res.type, "application/json");
    res.body = b.data;
    res.len = b.len;

    return ngx_http_blog_send(r, &res);
}


static void
ngx_http_blog_status_site(blog_buf_t *b, ngx_http_blog_site_t *site)
{
    const char  *user;

    blog_buf_addc(b, '{');
    blog_status_str(b, "root", site->root.data, site->root.len);

    ngx_http_blog_site_fresh(site);
    ngx_http_blog_status_share(b, site);

    user = ngx_http_blog_site_user_name();

    blog_status_index(b, site->index, user, (unsigned long) site->interval);
    blog_buf_addc(b, '}');
}


/*
 * The index zone: the generation this worker reads, the builder's pid,
 * the generations kept and their bytes, the builds published.
 */

static void
ngx_http_blog_status_share(blog_buf_t *b, ngx_http_blog_site_t *site)
{
    ngx_http_blog_share_stats_t  st;

    if (!site->shared) {
        blog_buf_printf(b, ",\"index_shared\":false");
        return;
    }

    ngx_http_blog_share_stats(site, &st);

    blog_buf_printf(b, ",\"index_shared\":true,\"index_zone\":{"
                       "\"generation\":%llu,\"builder_pid\":%d,"
                       "\"generations\":%lu,\"bytes\":%zu,"
                       "\"builds\":%llu,\"size\":%zu,"
                       "\"scans\":%lu,\"changes\":\"%s\","
                       "\"watches\":%lu}",
                    (unsigned long long) st.number, (int) st.builder,
                    (unsigned long) st.generations, st.bytes,
                    (unsigned long long) st.builds, st.zone_size,
                    (unsigned long) st.scans, st.watches ? "events" : "scans",
                    (unsigned long) st.watches);

    if (site->keep_file != NULL) {
        blog_buf_addc(b, ',');
        blog_status_str(b, "index_file", site->keep_file,
                        ngx_strlen(site->keep_file));
    }
}
