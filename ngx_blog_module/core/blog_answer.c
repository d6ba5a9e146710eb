
/*
 * What a request below the blog gets: a redirect, a file, a page or a
 * status, chosen from its path, its query and the index, the same way
 * for every server the core runs under.  A route that needs the index is
 * answered in two steps: blog_answer_route() before it (a redirect or an
 * asset need none), blog_answer_indexed() once the server has one.
 * Sending the answer, and what a missing file falls back to, stay with
 * the server's glue.
 */


#include <string.h>
#include <strings.h>

#include "blog.h"


static int blog_answer_old_url(blog_answer_t *a, const blog_request_t *rq,
    blog_index_t *ix);
static int blog_answer_redirect(blog_answer_t *a, const blog_request_t *rq,
    const u_char *rest);
static int blog_answer_moved_to(blog_answer_t *a, const blog_request_t *rq,
    const blog_str_t *slug);
static int blog_answer_servable(const blog_str_t *name);


int
blog_answer_route(blog_answer_t *a, const blog_request_t *rq,
    blog_index_t *ix)
{
    int            rc;
    const u_char  *rest;
    size_t         n;

    memset(a, 0, sizeof(blog_answer_t));
    blog_buf_init(&a->location);

    /* the server matched the prefix: a shorter path is none of the blog's */

    if (rq->uri.len < rq->prefix.len) {
        a->kind = BLOG_ANSWER_NOT_FOUND;
        return BLOG_OK;
    }

    rest = rq->uri.data + rq->prefix.len;
    n = rq->uri.len - rq->prefix.len;

    if (n == 0) {
        /* "/blog" for the blog at "/blog/": its index is "/blog/" */
        a->route.kind = BLOG_ROUTE_REDIRECT;
        return blog_answer_redirect(a, rq, rest);
    }

    if (rest[0] != '/') {
        a->kind = BLOG_ANSWER_NOT_FOUND;
        return BLOG_OK;
    }

    blog_route_parse(&a->route, rest + 1, n - 1);

    if (rq->encoded_slash) {
        /* "a%2fb" is one name, never the path a/b: no page has it */
        memset(&a->route, 0, sizeof(blog_route_t));
        a->route.kind = BLOG_ROUTE_NOT_FOUND;
    }

    switch (a->route.kind) {

    case BLOG_ROUTE_REDIRECT:

        /* "old.html", an old URL with no slash to add: when it is known */

        if (ix != NULL) {
            rc = blog_answer_old_url(a, rq, ix);

            if (rc != BLOG_DECLINED) {
                return rc;
            }
        }

        return blog_answer_redirect(a, rq, rest + 1);

    case BLOG_ROUTE_ASSET:
        a->kind = BLOG_ANSWER_ASSET;
        return BLOG_OK;

    default:
        a->kind = BLOG_ANSWER_INDEX;
        return BLOG_OK;
    }
}


/*
 * The routes that need the index, and an asset the theme does not have
 * (the 404 page): what blog_answer_route() left for ix.
 */

int
blog_answer_indexed(blog_answer_t *a, const blog_request_t *rq,
    blog_index_t *ix)
{
    int            rc;
    blog_entry_t  *e;
    blog_route_t  *rt;

    rt = &a->route;

    if (ix->root_denied) {
        /* not an empty blog: one the server may not read, as logged */
        a->kind = BLOG_ANSWER_UNAVAILABLE;
        return BLOG_OK;
    }

    rc = blog_answer_old_url(a, rq, ix);

    if (rc != BLOG_DECLINED) {
        return rc;
    }

    switch (rt->kind) {

    case BLOG_ROUTE_POST:

        if (blog_index_find(ix, rt->slug.data, rt->slug.len) == NULL) {
            e = blog_index_redirect(ix, rt->slug.data, rt->slug.len);

            if (e != NULL) {
                /* a post whose front matter says "redirect: URL" */
                a->kind = BLOG_ANSWER_MOVED;
                blog_buf_add(&a->location, e->post->redirect.data,
                             e->post->redirect.len);
                return a->location.failed ? BLOG_ERROR : BLOG_OK;
            }
        }

        a->vary_accept = 1;
        a->kind = rq->markdown ? BLOG_ANSWER_SOURCE : BLOG_ANSWER_PAGE;
        return BLOG_OK;

    case BLOG_ROUTE_POST_FILE:
        a->kind = BLOG_ANSWER_BUNDLE_FILE;
        return BLOG_OK;

    default:
        /* a missing asset among them: the 404 page */
        a->kind = BLOG_ANSWER_PAGE;
        return BLOG_OK;
    }
}


/*
 * The file a BLOG_ANSWER_SOURCE or BLOG_ANSWER_BUNDLE_FILE sends, into
 * path (NUL-terminated, below the index's root, whose length is
 * ix->root_len): a post's Markdown, or a file beside a bundle's index.md.
 * BLOG_DECLINED: there is none; the server answers with the page.
 */

int
blog_answer_file(blog_buf_t *path, blog_index_t *ix, const blog_answer_t *a)
{
    size_t         n;
    blog_str_t    *p;
    blog_entry_t  *e;

    e = blog_index_find(ix, a->route.slug.data, a->route.slug.len);
    if (e == NULL) {
        return BLOG_DECLINED;
    }

    p = &e->post->path;

    if (a->kind == BLOG_ANSWER_SOURCE) {
        blog_buf_add(path, p->data, p->len + 1);
        path->len--;
        return path->failed ? BLOG_ERROR : BLOG_OK;
    }

    if (a->kind != BLOG_ANSWER_BUNDLE_FILE
        || !blog_answer_servable(&a->route.file))
    {
        return BLOG_DECLINED;
    }

    /* only a bundle owns its folder: a plain SLUG.md shares one */

    for (n = p->len; n > 0 && p->data[n - 1] != '/'; n--) {
        /* void */
    }

    if (n == 0
        || !(strcmp((char *) p->data + n, "index.md") == 0
             || strcmp((char *) p->data + n, "index.markdown") == 0))
    {
        return BLOG_DECLINED;
    }

    blog_buf_add(path, p->data, n);
    blog_buf_add(path, a->route.file.data, a->route.file.len);
    blog_buf_addc(path, '\0');
    path->len--;

    return path->failed ? BLOG_ERROR : BLOG_OK;
}


/*
 * A file's ETag as nginx's static files have it: its modification time
 * and size, in hex
 */

void
blog_file_etag(blog_buf_t *etag, int64_t mtime, int64_t size)
{
    blog_buf_printf(etag, "\"%llx-%llx\"", (unsigned long long) mtime,
                    (unsigned long long) size);
}


void
blog_answer_free(blog_answer_t *a)
{
    blog_buf_free(&a->location);
}


/*
 * A URL no page has, that a post names as one of its old ones (Hugo's
 * aliases, redirect_from, its url before): moved permanently to the post.
 * An old URL is looked up from the site's root, then below the blog.
 */

static int
blog_answer_old_url(blog_answer_t *a, const blog_request_t *rq,
    blog_index_t *ix)
{
    size_t         n;
    blog_entry_t  *e;
    blog_route_t  *rt;
    const u_char  *p;

    rt = &a->route;

    if (ix->naliases == 0 || rq->encoded_slash) {
        return BLOG_DECLINED;
    }

    switch (rt->kind) {

    case BLOG_ROUTE_NOT_FOUND:
        break;

    case BLOG_ROUTE_REDIRECT:

        if (rt->redirect_slash) {
            break;
        }

        return BLOG_DECLINED;

    case BLOG_ROUTE_POST:
    case BLOG_ROUTE_POST_FILE:

        if (blog_index_find(ix, rt->slug.data, rt->slug.len) == NULL
            && blog_index_redirect(ix, rt->slug.data, rt->slug.len) == NULL)
        {
            break;
        }

        return BLOG_DECLINED;

    default:
        return BLOG_DECLINED;
    }

    p = rq->uri.data;
    n = rq->uri.len;

    if (n > 10 && memcmp(p + n - 10, "index.html", 10) == 0) {
        n -= 10;
    }

    while (n && p[n - 1] == '/') {
        n--;
    }

    e = blog_index_alias(ix, p, n);

    if (e == NULL && n > rq->prefix.len + 1) {
        e = blog_index_alias(ix, p + rq->prefix.len + 1,
                             n - rq->prefix.len - 1);
    }

    if (e == NULL) {
        return BLOG_DECLINED;
    }

    return blog_answer_moved_to(a, rq, &e->slug);
}


/*
 * The route's redirect: the first redirect_len bytes of rest, the path
 * below the prefix, with a slash added if the route says so, and the
 * query kept.
 */

static int
blog_answer_redirect(blog_answer_t *a, const blog_request_t *rq,
    const u_char *rest)
{
    a->kind = BLOG_ANSWER_MOVED;

    blog_buf_add(&a->location, rq->prefix.data, rq->prefix.len);
    blog_buf_addc(&a->location, '/');
    blog_escape_path(&a->location, rest, a->route.redirect_len);

    if (a->route.redirect_slash) {
        blog_buf_addc(&a->location, '/');
    }

    if (rq->args.len) {
        blog_buf_addc(&a->location, '?');
        blog_buf_add(&a->location, rq->args.data, rq->args.len);
    }

    return a->location.failed ? BLOG_ERROR : BLOG_OK;
}


static int
blog_answer_moved_to(blog_answer_t *a, const blog_request_t *rq,
    const blog_str_t *slug)
{
    a->kind = BLOG_ANSWER_MOVED;

    blog_buf_add(&a->location, rq->prefix.data, rq->prefix.len);
    blog_buf_addc(&a->location, '/');
    blog_escape_path(&a->location, slug->data, slug->len);
    blog_buf_addc(&a->location, '/');

    return a->location.failed ? BLOG_ERROR : BLOG_OK;
}


/* never a post's source, a dotfile or an editor's backup */

static int
blog_answer_servable(const blog_str_t *name)
{
    size_t         n;
    const u_char  *p, *last;

    p = name->data;
    n = name->len;
    last = p + n;

    if (n == 0 || p[0] == '.' || p[0] == '#' || p[0] == '~'
        || last[-1] == '~' || last[-1] == '#')
    {
        return 0;
    }

    if ((n >= 3 && strncasecmp((char *) last - 3, ".md", 3) == 0)
        || (n >= 9 && strncasecmp((char *) last - 9, ".markdown", 9) == 0)
        || (n >= 4
            && (strncasecmp((char *) last - 4, ".swp", 4) == 0
                || strncasecmp((char *) last - 4, ".bak", 4) == 0
                || strncasecmp((char *) last - 4, ".tmp", 4) == 0)))
    {
        return 0;
    }

    return 1;
}
