
/*
 * "SetHandler blog-status": the JSON nginx's blog_status serves, of this
 * child process: each site's index, as the core reports it, and the
 * caches.  An Apache child holds its own copy of each index, so
 * "index_shared" is false; the caches are the children's socache.
 */


#include "mod_blog.h"

#include <unistd.h>


/* the error log names the module: "[blog:error]" */
APLOG_USE_MODULE(blog);


int
mod_blog_status_handler(request_rec *r)
{
    int                  i;
    blog_buf_t           b;
    blog_index_t        *ix;
    mod_blog_site_t    **sites;
    mod_blog_cache_t   **caches;
    apr_array_header_t  *list;

    if (r->handler == NULL || strcmp(r->handler, "blog-status") != 0) {
        return DECLINED;
    }

    if (r->method_number != M_GET) {
        r->allowed = AP_METHOD_BIT << M_GET;
        return HTTP_METHOD_NOT_ALLOWED;
    }

    blog_buf_init(&b);

    blog_buf_printf(&b, "{\"module\":\"mod_blog\",\"pid\":%d,\"time\":%lld,"
                        "\"sites\":[", (int) getpid(),
                    (long long) apr_time_sec(apr_time_now()));

    list = mod_blog_sites();

    for (i = 0; list != NULL && i < list->nelts; i++) {
        sites = (mod_blog_site_t **) list->elts;

        blog_buf_adds(&b, i ? ",{" : "{");
        blog_status_str(&b, "root", (const u_char *) sites[i]->root,
                        strlen(sites[i]->root));
        blog_buf_adds(&b, ",\"index_shared\":false");

        ix = mod_blog_site_index(sites[i]);
        blog_status_index(&b, ix, mod_blog_user(),
                          (unsigned long) sites[i]->interval);
        mod_blog_site_release(sites[i], ix);

        blog_buf_addc(&b, '}');
    }

    blog_buf_adds(&b, "],\"caches\":[");

    list = mod_blog_caches();

    for (i = 0; list != NULL && i < list->nelts; i++) {
        caches = (mod_blog_cache_t **) list->elts;

        blog_buf_adds(&b, i ? ",{" : "{");
        blog_status_str(&b, "name", (const u_char *) caches[i]->spec,
                        strlen(caches[i]->spec));
        blog_buf_addc(&b, '}');
    }

    blog_buf_adds(&b, "]}\n");

    if (b.failed) {
        blog_buf_free(&b);
        return HTTP_INTERNAL_SERVER_ERROR;
    }

    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    ap_set_content_type(r, "application/json");
    ap_set_content_length(r, b.len);

    if (!r->header_only) {
        ap_rwrite(b.data, (int) b.len, r);
    }

    blog_buf_free(&b);

    return OK;
}
