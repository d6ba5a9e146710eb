
/*
 * The handler: the core says what a URI below the blog's location gets
 * (blog_answer.c), and this sends it as the nginx module does, with the
 * same bytes, ETags and headers.  A page comes from the cache or is
 * rendered in the request's own thread, so a slow post delays its own
 * request only; compressed variants are made once per version where
 * mod_deflate (or mod_brotli) is on for the location, and stored with it.
 */


#include "mod_blog.h"

#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>


/* the error log names the module: "[blog:error]" */
APLOG_USE_MODULE(blog);


/* how often, and how long, a page waits for its files to settle */
#define MOD_BLOG_RESCANS        10
#define MOD_BLOG_RESCAN_TIME    3000


/* a cache entry: this, then the type, the ETag, the body and variants */

typedef struct {
    u_char                     sig[16];
    int64_t                    built;
    int64_t                    last_modified;
    uint32_t                   body_len;
    uint32_t                   gzip_len;
    uint32_t                   br_len;
    uint16_t                   type_len;
    uint16_t                   etag_len;
} mod_blog_entry_t;


/* a page to send, from the cache or a render */

typedef struct {
    int                        status;
    const char                *type;
    const char                *etag;
    apr_time_t                 last_modified;  /* seconds */
    const u_char              *body;
    size_t                     len;
    unsigned                   coding;         /* BLOG_GZIP, _BROTLI */
} mod_blog_response_t;


static int mod_blog_indexed(request_rec *r, mod_blog_conf_t *conf,
    blog_request_t *rq, blog_answer_t *a, blog_index_t **ix);
static int mod_blog_page(request_rec *r, mod_blog_conf_t *conf,
    blog_answer_t *a, blog_index_t **ix);
static int mod_blog_render(request_rec *r, mod_blog_conf_t *conf,
    blog_site_t *site, blog_answer_t *a, blog_index_t **ix,
    blog_page_t *page);
static int mod_blog_cached(request_rec *r, mod_blog_conf_t *conf,
    blog_page_key_t *k, unsigned want, mod_blog_response_t *res);
static void mod_blog_store(request_rec *r, mod_blog_conf_t *conf,
    blog_page_key_t *k, blog_page_t *page, const char *etag,
    blog_str_t *gzip, blog_str_t *br);
static int mod_blog_asset(request_rec *r, mod_blog_conf_t *conf,
    blog_answer_t *a);
static int mod_blog_file(request_rec *r, blog_answer_t *a,
    blog_index_t *ix);
static int mod_blog_send(request_rec *r, mod_blog_response_t *res);
static int mod_blog_moved(request_rec *r, blog_answer_t *a);
static int mod_blog_not_allowed(request_rec *r);
static unsigned mod_blog_coding(request_rec *r, unsigned gzip,
    unsigned br);
static unsigned mod_blog_filter_on(request_rec *r, const char *name);
static void mod_blog_site_conf(request_rec *r, mod_blog_conf_t *conf,
    blog_site_t *site);
static unsigned mod_blog_encoded_slash(request_rec *r);
static int mod_blog_arg(request_rec *r, const char *name, blog_str_t *v);
static void mod_blog_cache_status(request_rec *r, const char *status);


int
mod_blog_handler(request_rec *r)
{
    int               rc;
    const char       *accept;
    blog_index_t     *ix;
    blog_answer_t     a;
    blog_request_t    rq;
    mod_blog_conf_t  *conf;

    if (r->handler == NULL || strcmp(r->handler, "blog") != 0) {
        return DECLINED;
    }

    conf = ap_get_module_config(r->per_dir_config, &blog_module);

    if (conf == NULL || conf->site == NULL) {
        return DECLINED;
    }

    if (r->method_number != M_GET) {
        return mod_blog_not_allowed(r);
    }

    rc = ap_discard_request_body(r);
    if (rc != OK) {
        return rc;
    }

    memset(&rq, 0, sizeof(blog_request_t));

    accept = apr_table_get(r->headers_in, "Accept");

    rq.prefix.data = (u_char *) conf->prefix;
    rq.prefix.len = strlen(conf->prefix);
    rq.uri.data = (u_char *) r->uri;
    rq.uri.len = strlen(r->uri);
    rq.args.data = (u_char *) (r->args ? r->args : "");
    rq.args.len = r->args ? strlen(r->args) : 0;
    rq.encoded_slash = mod_blog_encoded_slash(r);
    rq.markdown = (accept != NULL
                   && ap_strcasestr(accept, "text/markdown") != NULL);

    ix = mod_blog_site_index(conf->site);

    if (ix == NULL) {
        return HTTP_SERVICE_UNAVAILABLE;
    }

    if (blog_answer_route(&a, &rq, ix) != BLOG_OK) {
        rc = HTTP_INTERNAL_SERVER_ERROR;
        goto done;
    }

    switch (a.kind) {

    case BLOG_ANSWER_MOVED:
        rc = mod_blog_moved(r, &a);
        break;

    case BLOG_ANSWER_ASSET:
        rc = mod_blog_asset(r, conf, &a);

        if (rc == DECLINED) {
            /* no such asset: the 404 page */
            rc = mod_blog_indexed(r, conf, &rq, &a, &ix);
        }

        break;

    case BLOG_ANSWER_INDEX:
        rc = mod_blog_indexed(r, conf, &rq, &a, &ix);
        break;

    default:
        rc = HTTP_NOT_FOUND;
    }

done:

    blog_answer_free(&a);
    mod_blog_site_release(conf->site, ix);

    return rc;
}


/* the answers that need the index: with BlogCheckInterval 0, a fresh one */

static int
mod_blog_indexed(request_rec *r, mod_blog_conf_t *conf, blog_request_t *rq,
    blog_answer_t *a, blog_index_t **ix)
{
    int  rc;

    if (conf->site->interval == 0) {
        *ix = mod_blog_site_rescan(conf->site, *ix, 0);
    }

    if (blog_answer_indexed(a, rq, *ix) != BLOG_OK) {
        return HTTP_INTERNAL_SERVER_ERROR;
    }

    if (a->vary_accept) {
        apr_table_mergen(r->headers_out, "Vary", "Accept");
    }

    switch (a->kind) {

    case BLOG_ANSWER_UNAVAILABLE:
        /* not an empty blog: one the server may not read, as logged */
        return HTTP_SERVICE_UNAVAILABLE;

    case BLOG_ANSWER_MOVED:
        return mod_blog_moved(r, a);

    case BLOG_ANSWER_SOURCE:
    case BLOG_ANSWER_BUNDLE_FILE:
        rc = mod_blog_file(r, a, *ix);

        if (rc != DECLINED) {
            return rc;
        }

        /* not there (any more), or no such file: the page says so */
        break;

    default:
        break;
    }

    return mod_blog_page(r, conf, a, ix);
}


/*
 * A page: the cache, else a render.  With the cache, the render makes the
 * gzip variant where mod_deflate is on, and brotli for a client that takes
 * it, and stores them with the page.
 */

static int
mod_blog_page(request_rec *r, mod_blog_conf_t *conf, blog_answer_t *a,
    blog_index_t **ix)
{
    int                   rc;
    u_char               *etag;
    unsigned              gzip_on, br_on, want;
    blog_str_t            gz, br;
    blog_site_t           site;
    blog_page_t           page;
    blog_index_t         *rendered_with;
    blog_page_key_t       k;
    mod_blog_response_t   res;

    mod_blog_site_conf(r, conf, &site);

    gzip_on = mod_blog_filter_on(r, "deflate");
    br_on = mod_blog_filter_on(r, "brotli");
    want = BLOG_IDENTITY;

    if (gzip_on || br_on) {
        want = mod_blog_coding(r, gzip_on, br_on);

        /* every variant comes from here: caches must tell them apart */
        apr_table_mergen(r->headers_out, "Vary", "Accept-Encoding");
    }

    if (conf->cache != NULL) {
        blog_page_key(&k, conf->signature, &a->route,
                      conf->blog.base_url.len ? NULL : &site.base_url,
                      apr_time_sec(r->request_time), *ix);

        rc = mod_blog_cached(r, conf, &k, want, &res);

        if (rc == OK) {
            return mod_blog_send(r, &res);
        }
    }

    rendered_with = *ix;

    rc = mod_blog_render(r, conf, &site, a, ix, &page);
    if (rc != OK) {
        return rc;
    }

    memset(&res, 0, sizeof(mod_blog_response_t));
    memset(&gz, 0, sizeof(blog_str_t));
    memset(&br, 0, sizeof(blog_str_t));

    res.status = page.status;
    res.type = page.content_type;
    res.last_modified = page.last_modified;
    res.body = page.body.data;
    res.len = page.body.len;

    if (page.status == HTTP_OK) {
        etag = apr_palloc(r->pool, BLOG_ETAG_LEN + 1);
        blog_etag(etag, page.body.data, page.body.len);
        etag[BLOG_ETAG_LEN] = '\0';
        res.etag = (char *) etag;

        /*
         * Compressed bytes made for this request alone, with no cache to
         * keep them, are the coding it takes only; brotli at its best
         * takes long, so it is made for a client that takes it.
         */

        if ((conf->cache != NULL && gzip_on) || want == BLOG_GZIP) {
            gz.data = blog_gzip(page.body.data, page.body.len, &gz.len);
        }

        if (want == BLOG_BROTLI) {
            br.data = blog_brotli(page.body.data, page.body.len, &br.len);
        }

        if (conf->cache != NULL) {

            /* a rescan gave the page a newer index: its key follows */
            if (*ix != rendered_with) {
                blog_page_key(&k, conf->signature, &a->route,
                              conf->blog.base_url.len ? NULL
                                                      : &site.base_url,
                              apr_time_sec(r->request_time), *ix);
            }

            mod_blog_store(r, conf, &k, &page, res.etag, &gz, &br);
        }

        if (want == BLOG_BROTLI && br.data != NULL) {
            res.body = br.data;
            res.len = br.len;
            res.coding = BLOG_BROTLI;

        } else if (want == BLOG_GZIP && gz.data != NULL) {
            res.body = gz.data;
            res.len = gz.len;
            res.coding = BLOG_GZIP;
        }
    }

    rc = mod_blog_send(r, &res);

    free(gz.data);
    free(br.data);
    blog_buf_free(&page.body);

    return rc;
}


/*
 * The render, again for as long as a post's file is not the one the index
 * found (a save under way): until it has settled and a scan has seen it,
 * ten rounds or three seconds at most, never its bytes half written.
 */

static int
mod_blog_render(request_rec *r, mod_blog_conf_t *conf, blog_site_t *site,
    blog_answer_t *a, blog_index_t **ix, blog_page_t *page)
{
    size_t      i, rounds;
    int64_t     settle_at;
    apr_time_t  start;

    start = apr_time_now();

    for (rounds = 0; /* void */; rounds++) {

        memset(page, 0, sizeof(blog_page_t));

        if (blog_render(page, site, *ix, &a->route,
                        apr_time_sec(r->request_time))
            != BLOG_OK)
        {
            blog_buf_free(&page->body);
            ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                          "blog: cannot render \"%s\"", r->uri);
            return HTTP_INTERNAL_SERVER_ERROR;
        }

        if (!page->stale) {
            break;
        }

        settle_at = page->settle_at;
        blog_buf_free(&page->body);

        if (rounds == MOD_BLOG_RESCANS
            || apr_time_now() - start
               >= apr_time_from_msec(MOD_BLOG_RESCAN_TIME))
        {
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                          "blog: a file of \"%s\" kept changing through %zu "
                          "rescans: 503", r->uri, rounds);
            apr_table_setn(r->err_headers_out, "Retry-After", "1");
            return HTTP_SERVICE_UNAVAILABLE;
        }

        *ix = mod_blog_site_rescan(conf->site, *ix, settle_at);
        site->as_is = 1;
    }

    if (page->as_text != NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      "blog: \"%s\" is shown as text: its Markdown builds "
                      "more than the renderer allows (a table of very many "
                      "cells, or a link repeated very many times)",
                      page->as_text);
    }

    for (i = 0; i < page->nnotes; i++) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      "blog: \"%s\", line %u: %s", page->notes_file,
                      page->notes[i].line, page->notes[i].text);
    }

    return OK;
}


/*
 * The page stored under k: OK with res set; DECLINED if it is not there,
 * shows what an older index did, or lacks the variant this client takes.
 */

static int
mod_blog_cached(request_rec *r, mod_blog_conf_t *conf, blog_page_key_t *k,
    unsigned want, mod_blog_response_t *res)
{
    u_char            *p;
    blog_buf_t         b;
    mod_blog_entry_t   e;

    if (mod_blog_cache_get(conf->cache, r, k, &b) != OK
        || b.len < sizeof(mod_blog_entry_t))
    {
        mod_blog_cache_status(r, "MISS");
        return DECLINED;
    }

    memcpy(&e, b.data, sizeof(mod_blog_entry_t));

    if (b.len != sizeof(mod_blog_entry_t) + e.type_len + e.etag_len
                 + e.body_len + e.gzip_len + e.br_len)
    {
        mod_blog_cache_status(r, "MISS");
        return DECLINED;
    }

    if (blog_page_key_compare(e.sig, e.built, k) < 0) {
        mod_blog_cache_status(r, "EXPIRED");
        return DECLINED;
    }

    /* stored before this variant was wanted: render once more, with it */

    if ((want == BLOG_GZIP && e.gzip_len == 0)
        || (want == BLOG_BROTLI && e.br_len == 0))
    {
        mod_blog_cache_status(r, "MISS");
        return DECLINED;
    }

    p = b.data + sizeof(mod_blog_entry_t);

    memset(res, 0, sizeof(mod_blog_response_t));

    res->status = HTTP_OK;
    res->type = apr_pstrmemdup(r->pool, (char *) p, e.type_len);
    p += e.type_len;
    res->etag = apr_pstrmemdup(r->pool, (char *) p, e.etag_len);
    p += e.etag_len;
    res->last_modified = e.last_modified;
    res->body = p;
    res->len = e.body_len;
    p += e.body_len;

    if (want == BLOG_GZIP) {
        res->body = p;
        res->len = e.gzip_len;
        res->coding = BLOG_GZIP;

    } else if (want == BLOG_BROTLI) {
        res->body = p + e.gzip_len;
        res->len = e.br_len;
        res->coding = BLOG_BROTLI;
    }

    mod_blog_cache_status(r, "HIT");

    return OK;
}


static void
mod_blog_store(request_rec *r, mod_blog_conf_t *conf, blog_page_key_t *k,
    blog_page_t *page, const char *etag, blog_str_t *gzip, blog_str_t *br)
{
    blog_buf_t         b, old;
    mod_blog_entry_t   e;

    if (page->stale) {
        return;
    }

    /* a child with a newer index stored it meanwhile: keep that */

    if (mod_blog_cache_get(conf->cache, r, k, &old) == OK
        && old.len >= sizeof(mod_blog_entry_t))
    {
        memcpy(&e, old.data, sizeof(mod_blog_entry_t));

        if (blog_page_key_compare(e.sig, e.built, k) > 0) {
            return;
        }
    }

    memset(&e, 0, sizeof(mod_blog_entry_t));
    memcpy(e.sig, k->sig, 16);
    e.built = k->built;
    e.last_modified = page->last_modified;
    e.body_len = (uint32_t) page->body.len;
    e.gzip_len = (uint32_t) gzip->len;
    e.br_len = (uint32_t) br->len;
    e.type_len = (uint16_t) strlen(page->content_type);
    e.etag_len = (uint16_t) strlen(etag);

    blog_buf_init(&b);
    blog_buf_add(&b, &e, sizeof(mod_blog_entry_t));
    blog_buf_adds(&b, page->content_type);
    blog_buf_adds(&b, etag);
    blog_buf_add(&b, page->body.data, page->body.len);
    blog_buf_add(&b, gzip->data, gzip->len);
    blog_buf_add(&b, br->data, br->len);

    mod_blog_cache_put(conf->cache, r, k, &b);

    blog_buf_free(&b);
}


/*
 * P/assets/NAME: from memory, with a strong ETag of its bytes.  Under the
 * URL the pages link it by, "NAME?v=VERSION", it is cached for good.
 */

static int
mod_blog_asset(request_rec *r, mod_blog_conf_t *conf, blog_answer_t *a)
{
    size_t                    i;
    u_char                   *etag;
    unsigned                  gzip, br;
    blog_str_t                v;
    const char               *type;
    blog_theme_t             *theme;
    mod_blog_response_t       res;
    const blog_theme_file_t  *f;

    theme = conf->theme;

    f = blog_theme_asset(theme, a->route.file.data, a->route.file.len);
    if (f == NULL) {
        return DECLINED;
    }

    i = f - theme->assets;

    type = blog_file_type(a->route.file.data, a->route.file.len);

    if (mod_blog_arg(r, "v", &v) == OK
        && blog_theme_versioned(theme, v.data, v.len))
    {
        apr_table_setn(r->headers_out, "Cache-Control",
                       "public, max-age=31536000, immutable");

    } else {
        apr_table_setn(r->headers_out, "Cache-Control", "no-cache");
    }

    etag = apr_palloc(r->pool, BLOG_THEME_ETAG_LEN + 1);
    blog_theme_etag(theme, f, etag);
    etag[BLOG_THEME_ETAG_LEN] = '\0';

    memset(&res, 0, sizeof(mod_blog_response_t));

    res.status = HTTP_OK;
    res.type = type ? type : "application/octet-stream";
    res.etag = (char *) etag;
    res.last_modified = apr_time_sec(conf->theme_time);
    res.body = f->data;
    res.len = f->len;

    gzip = theme->gzip[i].len && mod_blog_filter_on(r, "deflate");
    br = theme->br[i].len && mod_blog_filter_on(r, "brotli");

    if (gzip || br) {
        apr_table_mergen(r->headers_out, "Vary", "Accept-Encoding");

        switch (mod_blog_coding(r, gzip, br)) {

        case BLOG_BROTLI:
            res.body = theme->br[i].data;
            res.len = theme->br[i].len;
            res.coding = BLOG_BROTLI;
            break;

        case BLOG_GZIP:
            res.body = theme->gzip[i].data;
            res.len = theme->gzip[i].len;
            res.coding = BLOG_GZIP;
            break;
        }
    }

    return mod_blog_send(r, &res);
}


/*
 * A post's Markdown or a file beside a bundle's index.md, as the core
 * names it, opened below the root with no link on the way.  DECLINED: no
 * such regular file.
 */

static int
mod_blog_file(request_rec *r, blog_answer_t *a, blog_index_t *ix)
{
    int           fd, rc;
    apr_file_t   *file;
    blog_buf_t    path, etag;
    const char   *type, *reason;
    struct stat   st;
    apr_bucket   *e;
    apr_bucket_brigade  *bb;

    blog_buf_init(&path);

    rc = blog_answer_file(&path, ix, a);

    if (rc != BLOG_OK) {
        blog_buf_free(&path);
        return (rc == BLOG_DECLINED) ? DECLINED : HTTP_INTERNAL_SERVER_ERROR;
    }

    fd = blog_file_open_beneath(-1, (char *) path.data, ix->root_len,
                                &reason);

    if (fd == -1) {
        if (errno != ENOENT && errno != ENOTDIR && errno != ENAMETOOLONG) {
            ap_log_rerror(APLOG_MARK, APLOG_INFO, errno, r,
                          "blog: cannot open \"%s\": %s", path.data, reason);
        }

        blog_buf_free(&path);
        return DECLINED;
    }

    blog_buf_free(&path);

    if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
        close(fd);
        return DECLINED;
    }

    if (apr_os_file_put(&file, &fd, APR_FOPEN_READ, r->pool)
        != APR_SUCCESS)
    {
        close(fd);
        return HTTP_INTERNAL_SERVER_ERROR;
    }

    apr_pool_cleanup_register(r->pool, file,
                              (apr_status_t (*)(void *)) apr_file_close,
                              apr_pool_cleanup_null);

    if (a->kind == BLOG_ANSWER_SOURCE) {
        type = "text/markdown; charset=utf-8";

    } else {
        type = blog_file_type(a->route.file.data, a->route.file.len);
    }

    ap_set_content_type(r, type ? type : "application/octet-stream");

    blog_buf_init(&etag);
    blog_file_etag(&etag, st.st_mtime, st.st_size);
    apr_table_setn(r->headers_out, "ETag",
                   apr_pstrmemdup(r->pool, (char *) etag.data, etag.len));
    blog_buf_free(&etag);

    ap_update_mtime(r, apr_time_from_sec(st.st_mtime));
    ap_set_last_modified(r);

    rc = ap_meets_conditions(r);
    if (rc != OK) {
        r->status = rc;
        return rc;
    }

    ap_set_content_length(r, st.st_size);

    if (r->header_only) {
        return OK;
    }

    bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);

    if (st.st_size) {
        apr_brigade_insert_file(bb, file, 0, st.st_size, r->pool);
    }

    e = apr_bucket_eos_create(r->connection->bucket_alloc);
    APR_BRIGADE_INSERT_TAIL(bb, e);

    return (ap_pass_brigade(r->output_filters, bb) == APR_SUCCESS)
           ? OK : AP_FILTER_ERROR;
}


/*
 * A page held in memory, with its validators: 200 with its ETag and
 * Last-Modified (a 304 where they match), or the 404 page
 */

static int
mod_blog_send(request_rec *r, mod_blog_response_t *res)
{
    int                  rc;
    apr_bucket          *e;
    apr_bucket_brigade  *bb;

    ap_set_content_type(r, apr_pstrdup(r->pool, res->type));

    if (res->status == HTTP_OK) {

        if (res->coding) {
            apr_table_setn(r->headers_out, "Content-Encoding",
                           res->coding == BLOG_BROTLI ? "br" : "gzip");

            /* another representation: the ETag is weak, as gzip makes it */
            apr_table_setn(r->headers_out, "ETag",
                           apr_pstrcat(r->pool, "W/", res->etag, NULL));

        } else {
            apr_table_setn(r->headers_out, "ETag", res->etag);
        }

        ap_update_mtime(r, apr_time_from_sec(res->last_modified));
        ap_set_last_modified(r);

        rc = ap_meets_conditions(r);
        if (rc != OK) {
            r->status = rc;
            return rc;
        }
    }

    r->status = res->status;

    ap_set_content_length(r, res->len);

    if (r->header_only) {
        return OK;
    }

    bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);

    e = apr_bucket_transient_create((const char *) res->body, res->len,
                                    r->connection->bucket_alloc);
    APR_BRIGADE_INSERT_TAIL(bb, e);

    e = apr_bucket_eos_create(r->connection->bucket_alloc);
    APR_BRIGADE_INSERT_TAIL(bb, e);

    return (ap_pass_brigade(r->output_filters, bb) == APR_SUCCESS)
           ? OK : AP_FILTER_ERROR;
}


/* 301, to an absolute URL as nginx's absolute_redirect makes it */

static int
mod_blog_moved(request_rec *r, blog_answer_t *a)
{
    char  *location;

    location = apr_pstrmemdup(r->pool, (char *) a->location.data,
                              a->location.len);

    if (location[0] == '/') {
        location = ap_construct_url(r->pool, location, r);
    }

    apr_table_setn(r->headers_out, "Location", location);

    return HTTP_MOVED_PERMANENTLY;
}


/*
 * A method other than GET and HEAD: 405 with "Allow: GET, HEAD", as the
 * nginx module answers (httpd's own 405 would add OPTIONS); a method
 * nginx could not parse, as a lower-case one, is a bad request.
 */

static int
mod_blog_not_allowed(request_rec *r)
{
    const char  *p;

    for (p = r->method; *p; p++) {
        if (!((*p >= 'A' && *p <= 'Z') || *p == '_')) {
            return HTTP_BAD_REQUEST;
        }
    }

    (void) ap_discard_request_body(r);

    r->status = HTTP_METHOD_NOT_ALLOWED;
    apr_table_setn(r->headers_out, "Allow", "GET, HEAD");
    ap_set_content_type(r, "text/html");
    ap_rputs("<html>\n<head><title>405 Not Allowed</title></head>\n"
             "<body>\n<h1>405 Not Allowed</h1>\n</body>\n</html>\n", r);

    return OK;
}


/* the coding this client takes of those the location has */

static unsigned
mod_blog_coding(request_rec *r, unsigned gzip, unsigned br)
{
    const char     *h;
    blog_accept_t   acc;

    blog_accept_init(&acc);

    h = apr_table_get(r->headers_in, "Accept-Encoding");

    if (h != NULL) {
        blog_accept_parse(&acc, (const u_char *) h, strlen(h));
    }

    return blog_accept_choose(&acc, gzip, br);
}


/*
 * Is a compressing filter on for this request: DEFLATE or BROTLI_COMPRESS
 * set by SetOutputFilter, or by AddOutputFilterByType (mod_filter's
 * "BYTYPE:DEFLATE")?
 */

static unsigned
mod_blog_filter_on(request_rec *r, const char *name)
{
    ap_filter_t  *f;

    for (f = r->output_filters; f != NULL; f = f->next) {
        if (f->frec != NULL && f->frec->name != NULL
            && ap_strcasestr(f->frec->name, name) != NULL)
        {
            return 1;
        }
    }

    return 0;
}


/* the section's settings, with the base of links this request has */

static void
mod_blog_site_conf(request_rec *r, mod_blog_conf_t *conf, blog_site_t *site)
{
    apr_port_t   port;
    const char  *s;

    *site = conf->blog;

    if (site->base_url.len) {
        return;
    }

    /* the server's name as httpd gives it (UseCanonicalName) */

    port = ap_get_server_port(r);

    s = apr_pstrcat(r->pool, ap_http_scheme(r), "://",
                    ap_get_server_name_for_url(r),
                    ap_is_default_port(port, r)
                    ? "" : apr_psprintf(r->pool, ":%u", port),
                    NULL);

    site->base_url.data = (u_char *) s;
    site->base_url.len = strlen(s);
}


/* "%2F" in the path as sent: a name with a slash, never a path */

static unsigned
mod_blog_encoded_slash(request_rec *r)
{
    const char  *p;

    for (p = r->unparsed_uri; p != NULL && *p && *p != '?'; p++) {
        if (p[0] == '%' && p[1] == '2' && (p[2] == 'f' || p[2] == 'F')) {
            return 1;
        }
    }

    return 0;
}


/* the value of name in the query, as nginx's $arg_NAME has it */

static int
mod_blog_arg(request_rec *r, const char *name, blog_str_t *v)
{
    size_t       n;
    const char  *p, *end;

    if (r->args == NULL) {
        return DECLINED;
    }

    n = strlen(name);

    for (p = r->args; *p; p = (*end == '&') ? end + 1 : end) {
        end = p + strcspn(p, "&");

        if ((size_t) (end - p) > n && strncasecmp(p, name, n) == 0
            && p[n] == '=')
        {
            v->data = (u_char *) p + n + 1;
            v->len = end - p - n - 1;
            return OK;
        }

        if (*end == '\0') {
            break;
        }
    }

    return DECLINED;
}


/* for LogFormat's %{BLOG_CACHE_STATUS}e and other modules' notes */

static void
mod_blog_cache_status(request_rec *r, const char *status)
{
    apr_table_setn(r->notes, "BLOG_CACHE_STATUS", status);
    apr_table_setn(r->subprocess_env, "BLOG_CACHE_STATUS", status);
}
