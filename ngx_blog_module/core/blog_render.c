
/*
 * Pages: for each route, the values a template renders (documented in
 * templates/README.md), then the theme's template for the route inside the
 * base layout.  Listings come from the index alone; a post page and the
 * feeds read their posts' sources again, so what they show is one version
 * of each file.  The server decides what to do with the result (headers,
 * caching); nothing here knows about HTTP but the status.
 */


#define _GNU_SOURCE

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <time.h>
#include <sys/stat.h>

#include "blog.h"


#define BLOG_FEED_ENTRIES  20


typedef struct {
    const blog_site_t  *site;
    blog_index_t       *ix;
    blog_page_t        *page;
    blog_arena_t       *arena;
    blog_value_t       *ctx;
    blog_value_t       *vpage;
    blog_value_t       *params;     /* the post's front matter */
    blog_buf_t          tmp;
    int64_t             now;
} blog_render_t;


static int blog_render_site(blog_render_t *r);
static int blog_render_listing(blog_render_t *r, blog_entry_t **entries,
    blog_entry_t *all, size_t n, unsigned page, const blog_tag_list_t *tag);
static int blog_render_cards(blog_render_t *r, blog_entry_t **entries,
    blog_entry_t *all, size_t n, size_t first, size_t last);
static int blog_render_pagination(blog_render_t *r, const blog_buf_t *base,
    unsigned page, size_t pages);
static void blog_render_listing_url(blog_render_t *r, const blog_buf_t *base,
    unsigned page);
static int blog_render_index_page(blog_render_t *r, unsigned page);
static int blog_render_tag_page(blog_render_t *r, const blog_tag_list_t *tag,
    unsigned page);
static int blog_render_tag_info(blog_render_t *r, const blog_tag_list_t *tag);
static int blog_render_post(blog_render_t *r, const blog_str_t *slug);
static int blog_render_changed(blog_render_t *r, blog_post_t *indexed,
    const blog_file_id_t *id, unsigned fronted, int err);
static int64_t blog_render_now_ms(void);
static blog_entry_t *blog_render_named(void *ix, const u_char *name,
    size_t n);
static blog_value_t *blog_render_params(blog_render_t *r,
    const blog_node_t *root);
static int blog_render_tags(blog_render_t *r);
static int blog_render_feed(blog_render_t *r, const blog_tag_list_t *tag);
static int blog_render_sitemap(blog_render_t *r);
static int blog_render_not_found(blog_render_t *r);
static int blog_render_layout(blog_render_t *r, const char *name);
static blog_value_t *blog_render_card(blog_render_t *r, blog_entry_t *e);
static blog_value_t *blog_render_tag_values(blog_render_t *r,
    const blog_post_t *post);
static blog_value_t *blog_render_link(blog_render_t *r, blog_entry_t *e);
static int blog_render_content(blog_render_t *r, blog_entry_t *e,
    blog_post_t **fresh, blog_buf_t *html, blog_buf_t *toc);
static int blog_render_body(blog_render_t *r, blog_entry_t *e,
    blog_post_t *post, blog_fm_t *fm, unsigned liquid, blog_markdown_t *mo,
    blog_buf_t *html);
static blog_value_t *blog_render_expand_page(blog_render_t *r,
    blog_entry_t *e, blog_post_t *post);
static void blog_render_json_ld(blog_render_t *r, blog_buf_t *b,
    const blog_post_t *post, const blog_str_t *description,
    const blog_str_t *url);
static void blog_render_page_meta(blog_render_t *r, const blog_str_t *title,
    const blog_str_t *heading, const blog_str_t *description,
    const char *og_type);
static blog_value_t *blog_render_str(blog_render_t *r, blog_buf_t *b);
static blog_value_t *blog_render_cstr(blog_render_t *r, const char *s);
static blog_value_t *blog_render_blog_str(blog_render_t *r,
    const blog_str_t *s);
static void blog_render_post_path(blog_render_t *r, blog_buf_t *b,
    const blog_str_t *slug);
static void blog_render_tag_path(blog_render_t *r, blog_buf_t *b,
    const blog_str_t *key);
static void blog_render_absolute(blog_render_t *r, blog_buf_t *b);
static int64_t blog_render_updated(const blog_post_t *post);
static int blog_render_set(blog_render_t *r, blog_value_t *map,
    const char *key, blog_value_t *v);


int
blog_render(blog_page_t *page, const blog_site_t *site, blog_index_t *ix,
    const blog_route_t *rt, int64_t now)
{
    int               rc;
    blog_render_t     r;
    blog_tag_list_t  *tag;

    memset(&r, 0, sizeof(blog_render_t));

    r.site = site;
    r.ix = ix;
    r.page = page;
    r.now = now;

    page->status = 200;
    page->stale = 0;
    page->as_text = NULL;
    page->notes_file = NULL;
    page->nnotes = 0;
    page->settle_at = 0;
    page->content_type = "text/html; charset=utf-8";
    page->last_modified = 0;
    blog_buf_init(&page->body);
    blog_buf_init(&r.tmp);

    r.arena = blog_arena_create();
    if (r.arena == NULL) {
        return BLOG_ERROR;
    }

    rc = blog_render_site(&r);
    if (rc != BLOG_OK) {
        goto done;
    }

    switch (rt->kind) {

    case BLOG_ROUTE_INDEX:
        rc = blog_render_listing(&r, NULL, ix->entries, ix->nentries,
                                 rt->page, NULL);
        break;

    case BLOG_ROUTE_TAG:
        tag = blog_index_tag(ix, rt->tag.data, rt->tag.len);
        rc = tag != NULL
             ? blog_render_listing(&r, tag->entries, NULL, tag->nentries,
                                   rt->page, tag)
             : BLOG_DECLINED;
        break;

    case BLOG_ROUTE_POST:
        rc = blog_render_post(&r, &rt->slug);
        break;

    case BLOG_ROUTE_TAGS:
        rc = blog_render_tags(&r);
        break;

    case BLOG_ROUTE_FEED:
        rc = blog_render_feed(&r, NULL);
        break;

    case BLOG_ROUTE_TAG_FEED:
        tag = blog_index_tag(ix, rt->tag.data, rt->tag.len);
        rc = tag != NULL ? blog_render_feed(&r, tag) : BLOG_DECLINED;
        break;

    case BLOG_ROUTE_SITEMAP:
        rc = blog_render_sitemap(&r);
        break;

    default:
        rc = BLOG_DECLINED;
        break;
    }

    if (rc == BLOG_DECLINED) {
        page->body.len = 0;
        rc = blog_render_not_found(&r);
    }

done:

    blog_buf_free(&r.tmp);
    blog_arena_destroy(r.arena);

    if (rc != BLOG_OK || page->body.failed) {
        blog_buf_free(&page->body);
        return BLOG_ERROR;
    }

    return BLOG_OK;
}


/* site: the values every page shares */

static int
blog_render_site(blog_render_t *r)
{
    blog_buf_t         *b;
    blog_time_t         now;
    blog_value_t       *site;
    const blog_site_t  *s;

    s = r->site;
    b = &r->tmp;

    r->ctx = blog_value_map(r->arena);
    site = blog_value_map(r->arena);
    r->vpage = blog_value_map(r->arena);

    if (r->ctx == NULL || site == NULL || r->vpage == NULL) {
        return BLOG_ERROR;
    }

    blog_render_set(r, r->ctx, "site", site);
    blog_render_set(r, r->ctx, "page", r->vpage);

    blog_render_set(r, site, "title", blog_render_blog_str(r, &s->title));
    blog_render_set(r, site, "description",
                    blog_render_blog_str(r, &s->description));
    blog_render_set(r, site, "author", blog_render_blog_str(r, &s->author));
    blog_render_set(r, site, "home_url",
                    blog_render_blog_str(r, &s->home_url));
    blog_render_set(r, site, "base_url",
                    blog_render_blog_str(r, &s->base_url));
    blog_render_set(r, site, "lang", blog_render_cstr(r, "en"));

    b->len = 0;
    blog_buf_add(b, s->prefix.data, s->prefix.len);
    blog_buf_addc(b, '/');
    blog_render_set(r, site, "path", blog_render_str(r, b));

    b->len = 0;
    blog_render_absolute(r, b);
    blog_buf_addc(b, '/');
    blog_render_set(r, site, "url", blog_render_str(r, b));

    b->len = 0;
    blog_buf_add(b, s->prefix.data, s->prefix.len);
    blog_buf_adds(b, "/tags/");
    blog_render_set(r, site, "tags_url", blog_render_str(r, b));

    b->len = 0;
    blog_buf_add(b, s->prefix.data, s->prefix.len);
    blog_buf_adds(b, "/feed.xml");
    blog_render_set(r, site, "feed_url", blog_render_str(r, b));

    b->len = 0;
    blog_buf_add(b, s->prefix.data, s->prefix.len);
    blog_buf_adds(b, "/assets");
    blog_render_set(r, site, "assets", blog_render_str(r, b));

    /* assets' URLs carry their version: cached for good, renewed when
     * they change */

    blog_render_set(r, site, "assets_version",
                    blog_render_cstr(r, s->theme->version));

    b->len = 0;

    if (s->favicon.len) {
        blog_buf_add(b, s->favicon.data, s->favicon.len);

    } else if (!s->no_favicon
               && blog_theme_asset(s->theme, (u_char *) "favicon.svg", 11)
                  != NULL)
    {
        blog_buf_add(b, s->prefix.data, s->prefix.len);
        blog_buf_printf(b, "/assets/favicon.svg?v=%s", s->theme->version);
    }

    if (b->len) {
        blog_render_set(r, site, "favicon", blog_render_str(r, b));
    }

    /* the year of the copyright line: the first four of the UTC date */

    now.sec = r->now;
    now.off = 0;
    now.zone = 0;

    b->len = 0;
    blog_date_iso(b, &now);
    b->len = 4;

    blog_render_set(r, site, "year", blog_render_str(r, b));

    return b->failed ? BLOG_ERROR : BLOG_OK;
}


/*
 * The index and tag pages: a page of cards and the links around it.
 * Entries come either as an array of entries (the index) or of pointers
 * (a tag's list).
 */

static int
blog_render_listing(blog_render_t *r, blog_entry_t **entries,
    blog_entry_t *all, size_t n, unsigned page, const blog_tag_list_t *tag)
{
    int         rc;
    size_t      first, last, pages, per;
    blog_buf_t  base;

    per = r->site->posts_per_page ? r->site->posts_per_page
                                  : BLOG_DEFAULT_POSTS_PER_PAGE;
    pages = n ? (n + per - 1) / per : 1;

    if (page == 0 || page > pages) {
        return BLOG_DECLINED;
    }

    first = (page - 1) * per;
    last = first + per < n ? first + per : n;

    if (blog_render_cards(r, entries, all, n, first, last) != BLOG_OK) {
        return BLOG_ERROR;
    }

    /* the path pages of this listing share */

    blog_buf_init(&base);

    if (tag != NULL) {
        blog_render_tag_path(r, &base, &tag->tag.key);

    } else {
        blog_buf_add(&base, r->site->prefix.data, r->site->prefix.len);
        blog_buf_addc(&base, '/');
    }

    rc = blog_render_pagination(r, &base, page, pages);

    if (rc == BLOG_OK) {
        blog_render_listing_url(r, &base, page);
    }

    blog_buf_free(&base);

    if (rc != BLOG_OK) {
        return BLOG_ERROR;
    }

    if (tag == NULL) {
        return blog_render_index_page(r, page);
    }

    return blog_render_tag_page(r, tag, page);
}


/*
 * The cards of the posts from first to last, and the newest change of
 * any post listed on any page, which dates every page of the listing.
 */

static int
blog_render_cards(blog_render_t *r, blog_entry_t **entries,
    blog_entry_t *all, size_t n, size_t first, size_t last)
{
    size_t         i;
    int64_t        newest;
    blog_entry_t  *e;
    blog_value_t  *posts, *card;

    posts = blog_value_list(r->arena);
    if (posts == NULL) {
        return BLOG_ERROR;
    }

    newest = 0;

    for (i = 0; i < n; i++) {
        e = entries ? entries[i] : &all[i];

        if (e->post->file.mtime_sec > newest) {
            newest = e->post->file.mtime_sec;
        }

        if (i < first || i >= last) {
            continue;
        }

        card = blog_render_card(r, e);
        if (card == NULL || blog_value_push(r->arena, posts, card) != BLOG_OK)
        {
            return BLOG_ERROR;
        }
    }

    r->page->last_modified = newest;

    blog_render_set(r, r->ctx, "posts", posts);

    return BLOG_OK;
}


/* the page numbers and the links to the pages before and after */

static int
blog_render_pagination(blog_render_t *r, const blog_buf_t *base,
    unsigned page, size_t pages)
{
    blog_buf_t    *b;
    blog_value_t  *pg;

    b = &r->tmp;

    pg = blog_value_map(r->arena);
    if (pg == NULL) {
        return BLOG_ERROR;
    }

    blog_render_set(r, r->ctx, "pagination", pg);
    blog_render_set(r, pg, "page", blog_value_number(r->arena, page));
    blog_render_set(r, pg, "pages", blog_value_number(r->arena, pages));
    blog_render_set(r, pg, "several", blog_value_bool(r->arena, pages > 1));

    if (page > 1) {
        b->len = 0;
        blog_buf_add(b, base->data, base->len);

        if (page > 2) {
            blog_buf_printf(b, "page/%u/", page - 1);
        }

        blog_render_set(r, pg, "prev_url", blog_render_str(r, b));
    }

    if (page < pages) {
        b->len = 0;
        blog_buf_add(b, base->data, base->len);
        blog_buf_printf(b, "page/%u/", page + 1);
        blog_render_set(r, pg, "next_url", blog_render_str(r, b));
    }

    return BLOG_OK;
}


/* this page's own address */

static void
blog_render_listing_url(blog_render_t *r, const blog_buf_t *base,
    unsigned page)
{
    blog_buf_t  *b;

    b = &r->tmp;

    b->len = 0;
    blog_render_absolute(r, b);
    blog_buf_add(b, base->data + r->site->prefix.len,
                 base->len - r->site->prefix.len);

    if (page > 1) {
        blog_buf_printf(b, "page/%u/", page);
    }

    blog_render_set(r, r->vpage, "url", blog_render_str(r, b));
}


static int
blog_render_index_page(blog_render_t *r, unsigned page)
{
    blog_buf_t  *b;
    blog_str_t   title;

    b = &r->tmp;

    blog_render_set(r, r->vpage, "is_index", blog_value_bool(r->arena, 1));

    b->len = 0;
    blog_buf_add(b, r->site->title.data, r->site->title.len);

    if (page > 1) {
        blog_buf_printf(b, " (page %u)", page);
    }

    title.data = b->data;
    title.len = b->len;

    blog_render_page_meta(r, &title, &r->site->title, &r->site->description,
                          "website");

    return blog_render_layout(r, "index");
}


static int
blog_render_tag_page(blog_render_t *r, const blog_tag_list_t *tag,
    unsigned page)
{
    blog_buf_t  *b;
    blog_str_t   title, heading, description;

    b = &r->tmp;

    if (blog_render_tag_info(r, tag) != BLOG_OK) {
        return BLOG_ERROR;
    }

    b->len = 0;
    blog_buf_adds(b, "Posts tagged \"");
    blog_buf_add(b, tag->tag.name.data, tag->tag.name.len);
    blog_buf_addc(b, '"');

    heading.data = blog_arena_strdup(r->arena, b->data, b->len);
    heading.len = b->len;

    if (page > 1) {
        blog_buf_printf(b, " (page %u)", page);
    }

    blog_buf_adds(b, " \xc2\xb7 ");
    blog_buf_add(b, r->site->title.data, r->site->title.len);

    title.data = blog_arena_strdup(r->arena, b->data, b->len);
    title.len = b->len;

    b->len = 0;
    blog_buf_printf(b, "%zu post%s tagged \"", tag->nentries,
                    tag->nentries == 1 ? "" : "s");
    blog_buf_add(b, tag->tag.name.data, tag->tag.name.len);
    blog_buf_adds(b, "\" on ");
    blog_buf_add(b, r->site->title.data, r->site->title.len);
    blog_buf_addc(b, '.');

    description.data = b->data;
    description.len = b->len;

    if (heading.data == NULL || title.data == NULL) {
        return BLOG_ERROR;
    }

    blog_render_page_meta(r, &title, &heading, &description, "website");

    return blog_render_layout(r, "tag");
}


/* the tag a tag page lists: its name, count and addresses */

static int
blog_render_tag_info(blog_render_t *r, const blog_tag_list_t *tag)
{
    blog_buf_t    *b;
    blog_value_t  *vtag;

    b = &r->tmp;

    vtag = blog_value_map(r->arena);
    if (vtag == NULL) {
        return BLOG_ERROR;
    }

    blog_render_set(r, r->ctx, "tag", vtag);
    blog_render_set(r, vtag, "name", blog_render_blog_str(r, &tag->tag.name));
    blog_render_set(r, vtag, "count",
                    blog_value_number(r->arena, tag->nentries));
    blog_render_set(r, vtag, "one",
                    blog_value_bool(r->arena, tag->nentries == 1));

    b->len = 0;
    blog_render_tag_path(r, b, &tag->tag.key);
    blog_render_set(r, vtag, "url", blog_render_str(r, b));
    blog_buf_adds(b, "feed.xml");
    blog_render_set(r, vtag, "feed_url", blog_render_str(r, b));

    return BLOG_OK;
}


static blog_value_t *
blog_render_card(blog_render_t *r, blog_entry_t *e)
{
    blog_buf_t    *b;
    blog_value_t  *card, *tags;
    blog_post_t   *post;

    b = &r->tmp;
    post = e->post;

    card = blog_render_link(r, e);
    if (card == NULL) {
        return NULL;
    }

    blog_render_set(r, card, "reading_time",
                    blog_value_number(r->arena, post->reading_time));

    b->len = 0;
    blog_summary_cut(b, &post->description, r->site->summary_length);
    blog_render_set(r, card, "summary", blog_render_str(r, b));

    b->len = 0;
    blog_date_human(b, &post->date);
    blog_render_set(r, card, "date", blog_render_str(r, b));

    b->len = 0;
    blog_date_iso(b, &post->date);
    blog_render_set(r, card, "date_iso", blog_render_str(r, b));

    tags = blog_render_tag_values(r, post);
    blog_render_set(r, card, "tags", tags);
    blog_render_set(r, card, "has_tags",
                    blog_value_bool(r->arena, post->ntags > 0));

    return b->failed ? NULL : card;
}


/* title and url of a post: what a link to it needs */

static blog_value_t *
blog_render_link(blog_render_t *r, blog_entry_t *e)
{
    blog_buf_t    *b;
    blog_value_t  *v;

    b = &r->tmp;

    v = blog_value_map(r->arena);
    if (v == NULL) {
        return NULL;
    }

    blog_render_set(r, v, "title", blog_render_blog_str(r, &e->post->title));

    b->len = 0;
    blog_render_post_path(r, b, &e->slug);
    blog_render_set(r, v, "url", blog_render_str(r, b));

    return v;
}


static blog_value_t *
blog_render_tag_values(blog_render_t *r, const blog_post_t *post)
{
    size_t         i;
    blog_buf_t    *b;
    blog_value_t  *tags, *t;

    b = &r->tmp;

    tags = blog_value_list(r->arena);
    if (tags == NULL) {
        return NULL;
    }

    for (i = 0; i < post->ntags; i++) {
        t = blog_value_map(r->arena);
        if (t == NULL || blog_value_push(r->arena, tags, t) != BLOG_OK) {
            return NULL;
        }

        blog_render_set(r, t, "name",
                        blog_render_blog_str(r, &post->tags[i].name));

        b->len = 0;
        blog_render_tag_path(r, b, &post->tags[i].key);
        blog_render_set(r, t, "url", blog_render_str(r, b));
    }

    return tags;
}


static int
blog_render_post(blog_render_t *r, const blog_str_t *slug)
{
    int            rc;
    size_t         i;
    blog_str_t     title, url, summary;
    blog_buf_t    *b, html, toc;
    blog_post_t   *post;
    blog_entry_t  *e;
    blog_value_t  *v;

    e = blog_index_find(r->ix, slug->data, slug->len);
    if (e == NULL) {
        return BLOG_DECLINED;
    }

    b = &r->tmp;
    blog_buf_init(&html);

    blog_buf_init(&toc);

    rc = blog_render_content(r, e, &post, &html, &toc);
    if (rc != BLOG_OK) {
        blog_buf_free(&html);
        blog_buf_free(&toc);
        return rc;
    }

    r->page->last_modified = post->file.mtime_sec;

    v = blog_value_map(r->arena);
    if (v == NULL) {
        rc = BLOG_ERROR;
        goto done;
    }

    blog_render_set(r, r->ctx, "post", v);
    blog_render_set(r, v, "title", blog_render_blog_str(r, &post->title));
    blog_render_set(r, v, "description",
                    blog_render_blog_str(r, &post->description));
    blog_render_set(r, v, "content", blog_render_str(r, &html));
    blog_render_set(r, v, "toc", blog_render_str(r, &toc));
    blog_render_set(r, v, "params", r->params);
    blog_render_set(r, v, "show_toc",
                    blog_value_bool(r->arena, post->toc && toc.len > 0));
    blog_render_set(r, v, "reading_time",
                    blog_value_number(r->arena, post->reading_time));

    b->len = 0;
    blog_date_human(b, &post->date);
    blog_render_set(r, v, "date", blog_render_str(r, b));

    b->len = 0;
    blog_date_iso(b, &post->date);
    blog_render_set(r, v, "date_iso", blog_render_str(r, b));

    b->len = 0;
    blog_date_iso(b, &post->lastmod);
    blog_render_set(r, v, "lastmod_iso", blog_render_str(r, b));

    blog_render_set(r, v, "tags", blog_render_tag_values(r, post));
    blog_render_set(r, v, "has_tags", blog_value_bool(r->arena,
                                                      post->ntags > 0));

    b->len = 0;
    blog_render_absolute(r, b);
    blog_buf_addc(b, '/');
    blog_escape_uri(b, e->slug.data, e->slug.len);
    blog_buf_addc(b, '/');

    url.data = blog_arena_strdup(r->arena, b->data, b->len);
    url.len = b->len;

    if (url.data == NULL) {
        rc = BLOG_ERROR;
        goto done;
    }

    blog_render_set(r, v, "url", blog_render_blog_str(r, &url));
    blog_render_set(r, r->vpage, "url", blog_render_blog_str(r, &url));

    /* a description falls back to a whole paragraph: cut it as a card's */

    b->len = 0;
    blog_summary_cut(b, &post->description, r->site->summary_length);

    summary.data = blog_arena_strdup(r->arena, b->data, b->len);
    summary.len = b->len;

    if (summary.data == NULL) {
        rc = BLOG_ERROR;
        goto done;
    }

    b->len = 0;
    blog_render_json_ld(r, b, post, &summary, &url);
    blog_render_set(r, v, "json_ld", blog_render_str(r, b));

    /* neighbours in time: older is "previous", newer is "next" */

    i = e - r->ix->entries;

    if (i > 0) {
        blog_render_set(r, r->ctx, "newer",
                        blog_render_link(r, &r->ix->entries[i - 1]));
    }

    if (i + 1 < r->ix->nentries) {
        blog_render_set(r, r->ctx, "older",
                        blog_render_link(r, &r->ix->entries[i + 1]));
    }

    blog_render_set(r, r->ctx, "has_neighbours",
                    blog_value_bool(r->arena, r->ix->nentries > 1));

    b->len = 0;
    blog_buf_add(b, post->title.data, post->title.len);
    blog_buf_adds(b, " \xc2\xb7 ");
    blog_buf_add(b, r->site->title.data, r->site->title.len);

    title.data = blog_arena_strdup(r->arena, b->data, b->len);
    title.len = b->len;

    if (title.data == NULL) {
        rc = BLOG_ERROR;
        goto done;
    }

    blog_render_page_meta(r, &title, &post->title, &summary, "article");

    rc = blog_render_layout(r, "post");

done:

    /* the page is rendered: the values that pointed into these go too */

    blog_buf_free(&html);
    blog_buf_free(&toc);
    blog_post_release(post);

    return rc;
}


/*
 * Reads a post's source again and renders its body.  A post that has
 * become unreadable, or a symbolic link, is declined as a deleted one is:
 * a 404 page, and left out of the feeds; the next rescan logs why.  A
 * file that is not the one the index found (another inode, size or
 * time: an editor's atomic save, a file moved over it, a save in place)
 * is declined too, and the page says the index is stale and when the
 * file will have settled: the server renders again after a rescan, so
 * that the post, the index and the feeds show one version, and never a
 * file caught half written.  After the rescan the site may take a file
 * as it is, once it has settled.
 */

static int
blog_render_content(blog_render_t *r, blog_entry_t *e, blog_post_t **fresh,
    blog_buf_t *html, blog_buf_t *toc)
{
    int                     rc, err;
    blog_fm_t               fm;
    blog_post_t            *indexed;
    blog_markdown_t         mo;
    blog_buf_t              text;
    blog_post_t            *post;
    blog_post_name_t        pn;
    blog_problem_detail_t   pd;

    indexed = e->post;

    if (blog_post_name(&pn, (char *) indexed->path.data, r->ix->root_len)
        != BLOG_OK)
    {
        return BLOG_DECLINED;
    }

    blog_buf_init(&text);

    errno = 0;

    post = blog_post_load(-1, (char *) indexed->path.data, r->ix->root_len,
                          &pn, r->site->opts, &text, &fm, &pd);
    if (post == NULL) {
        err = errno;
        blog_buf_free(&text);
        blog_render_changed(r, indexed, NULL, 1, err);
        return BLOG_DECLINED;
    }

    if (memcmp(&post->file, &indexed->file, sizeof(blog_file_id_t)) != 0
        && blog_render_changed(r, indexed, &post->file, fm.nfields != 0, 0))
    {
        blog_fm_free(&fm);
        blog_buf_free(&text);
        blog_post_release(post);
        return BLOG_DECLINED;
    }

    r->params = blog_render_params(r, fm.root);

    if (r->params == NULL) {
        blog_fm_free(&fm);
        blog_buf_free(&text);
        blog_post_release(post);
        return BLOG_ERROR;
    }

    /* a post's own page has anchors and contents; a feed has neither */

    memset(&mo, 0, sizeof(blog_markdown_t));
    mo.dialect = r->site->opts->markdown;
    mo.raw_html = r->site->raw_html;
    mo.anchors = (toc != NULL);
    mo.name = e->slug;
    mo.toc = toc;

    rc = blog_render_body(r, e, post, &fm,
                          blog_expand_liquid((char *) indexed->path.data,
                                             &pn),
                          &mo, html);

    if (rc == BLOG_DECLINED) {
        r->page->as_text = (const char *) indexed->path.data;
    }

    if (rc == BLOG_ERROR) {
        blog_fm_free(&fm);
        blog_buf_free(&text);
        blog_post_release(post);
        return BLOG_ERROR;
    }

    blog_fm_free(&fm);
    blog_buf_free(&text);

    *fresh = post;

    return BLOG_OK;
}


/*
 * The body's HTML, its shortcodes (Hugo) or Liquid (Jekyll) expanded
 * first; on the post's own page, what they warn of goes to the page for
 * the server to log, once, rather than again from every feed.
 */

static int
blog_render_body(blog_render_t *r, blog_entry_t *e, blog_post_t *post,
    blog_fm_t *fm, unsigned liquid, blog_markdown_t *mo, blog_buf_t *html)
{
    int             rc;
    blog_buf_t      tmp;
    blog_expand_t   x;

    if (!blog_expand_marked(fm->body, fm->body_len, liquid)) {
        return blog_markdown_html(html, fm->body, fm->body_len, mo);
    }

    blog_expand_init(&x);

    x.tmpl = r->site->theme->tmpl;
    x.arena = r->arena;
    x.site = blog_value_get(r->ctx, (u_char *) "site", 4);
    x.page = blog_render_expand_page(r, e, post);
    x.named = blog_render_named;
    x.named_data = r->ix;
    x.base_url = r->site->base_url;
    x.prefix = r->site->prefix;
    x.mo = mo;
    x.line = fm->body_line;

    /* a heading's id and its line in the contents are what it shows, set
     * before the shortcodes' own Markdown is rendered */

    mo->heading_text = blog_expand_text;
    mo->heading_data = &x;

    if (x.page == NULL
        || blog_expand(&x, fm->body, fm->body_len, liquid) != BLOG_OK)
    {
        mo->heading_text = NULL;
        blog_expand_free(&x);
        return BLOG_ERROR;
    }

    blog_buf_init(&tmp);

    rc = blog_markdown_html(&tmp, x.md.data, x.md.len, mo);

    if (rc != BLOG_ERROR
        && blog_expand_finish(&x, html, tmp.data, tmp.len) != BLOG_OK)
    {
        rc = BLOG_ERROR;
    }

    mo->heading_text = NULL;
    mo->heading_data = NULL;

    if (mo->toc != NULL && x.nnotes) {
        memcpy(r->page->notes, x.notes, x.nnotes * sizeof(blog_expand_note_t));
        r->page->nnotes = x.nnotes;
        r->page->notes_file = (const char *) e->post->path.data;
    }

    blog_buf_free(&tmp);
    blog_expand_free(&x);

    return rc;
}


/* the page a shortcode's template and Liquid's page.X see */

static blog_value_t *
blog_render_expand_page(blog_render_t *r, blog_entry_t *e, blog_post_t *post)
{
    blog_buf_t    *b;
    blog_value_t  *page;

    b = &r->tmp;

    page = blog_value_map(r->arena);
    if (page == NULL) {
        return NULL;
    }

    blog_render_set(r, page, "title", blog_render_blog_str(r, &post->title));
    blog_render_set(r, page, "description",
                    blog_render_blog_str(r, &post->description));
    blog_render_set(r, page, "slug", blog_render_blog_str(r, &e->slug));

    b->len = 0;
    blog_render_post_path(r, b, &e->slug);
    blog_render_set(r, page, "url", blog_render_str(r, b));

    b->len = 0;
    blog_date_human(b, &post->date);
    blog_render_set(r, page, "date", blog_render_str(r, b));

    b->len = 0;
    blog_date_iso(b, &post->date);
    blog_render_set(r, page, "date_iso", blog_render_str(r, b));

    blog_render_set(r, page, "params",
                    r->params != NULL ? r->params : blog_value_map(r->arena));

    return b->failed ? NULL : page;
}


/*
 * The file at an indexed post's path is not the one indexed (now, as id
 * says, with or without front matter; with id NULL, a read that failed
 * with err):
 * the page is stale, and says when a file saved in place will have
 * settled.  With the site taking files as they are, a settled file is
 * not stale.  Returns whether the page is.
 */

static int
blog_render_changed(blog_render_t *r, blog_post_t *indexed,
    const blog_file_id_t *id, unsigned fronted, int err)
{
    unsigned  settle_ms;
    int64_t   settle_at;

    if (id == NULL) {

        /*
         * The read failed.  Gone (deleted, or between a delete and a
         * write: git checkout) is worth one wait and a rescan, after
         * which gone is gone; written while it was read, a wait for it
         * to settle.  Anything else (a link in its place) is no post.
         */

        if (r->site->opts->settle_ms == 0
            || !((err == ENOENT && !r->site->as_is) || err == EAGAIN))
        {
            return 0;
        }

        r->page->stale = 1;
        r->page->missing = 1;
        r->page->settle_at = blog_render_now_ms()
                             + r->site->opts->settle_ms;
        return 1;
    }

    /* any save: settled, and longer if its front matter went */

    settle_ms = (indexed->fronted && !fronted)
                ? blog_file_doubt_ms(r->site->opts) : r->site->opts->settle_ms;

    settle_at = blog_file_settled_at(id, settle_ms);

    if (r->site->as_is && settle_at == 0) {
        return 0;
    }

    r->page->stale = 1;

    if (settle_at > r->page->settle_at) {
        r->page->settle_at = settle_at;
    }

    return 1;
}


/*
 * Every field of the front matter, as Hugo's .Params and Jekyll's page
 * have them; the members of Hugo's [params] and Zola's [extra] are found
 * at the top too, after the fields of the same name.
 */

static blog_value_t *
blog_render_params(blog_render_t *r, const blog_node_t *root)
{
    size_t         i;
    blog_node_t   *m;
    blog_value_t  *params, *v;
    const char    *tables[] = { "params", "extra" };

    if (root == NULL) {
        return blog_value_map(r->arena);
    }

    params = blog_node_value(r->arena, root);
    if (params == NULL) {
        return NULL;
    }

    for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
        m = blog_node_get(root, tables[i]);

        if (m == NULL || m->type != BLOG_NODE_MAP) {
            continue;
        }

        for (m = m->child; m != NULL; m = m->next) {
            v = blog_node_value(r->arena, m);

            if (v == NULL
                || blog_value_set_n(r->arena, params, m->key.data,
                                    m->key.len, v)
                   != BLOG_OK)
            {
                return NULL;
            }
        }
    }

    return params;
}


/* for shortcodes' and Liquid's links: the post a name names */

static blog_entry_t *
blog_render_named(void *ix, const u_char *name, size_t n)
{
    return blog_index_named(ix, name, n);
}


static int64_t
blog_render_now_ms(void)
{
    struct timespec  ts;

    clock_gettime(CLOCK_REALTIME, &ts);

    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}


static int
blog_render_tags(blog_render_t *r)
{
    size_t            i;
    blog_str_t        title, heading, description;
    blog_buf_t       *b;
    blog_value_t     *tags, *t;
    blog_tag_list_t  *tl;

    b = &r->tmp;

    tags = blog_value_list(r->arena);
    if (tags == NULL) {
        return BLOG_ERROR;
    }

    blog_render_set(r, r->ctx, "tags", tags);

    for (i = 0; i < r->ix->ntags; i++) {
        tl = &r->ix->tags[i];

        t = blog_value_map(r->arena);
        if (t == NULL || blog_value_push(r->arena, tags, t) != BLOG_OK) {
            return BLOG_ERROR;
        }

        blog_render_set(r, t, "name", blog_render_blog_str(r, &tl->tag.name));
        blog_render_set(r, t, "count",
                        blog_value_number(r->arena, tl->nentries));

        b->len = 0;
        blog_render_tag_path(r, b, &tl->tag.key);
        blog_render_set(r, t, "url", blog_render_str(r, b));
    }

    if (r->ix->nentries) {
        r->page->last_modified = r->ix->entries[0].post->file.mtime_sec;
    }

    b->len = 0;
    blog_render_absolute(r, b);
    blog_buf_adds(b, "/tags/");
    blog_render_set(r, r->vpage, "url", blog_render_str(r, b));

    b->len = 0;
    blog_buf_adds(b, "Tags \xc2\xb7 ");
    blog_buf_add(b, r->site->title.data, r->site->title.len);

    title.data = blog_arena_strdup(r->arena, b->data, b->len);
    title.len = b->len;

    if (title.data == NULL) {
        return BLOG_ERROR;
    }

    heading.data = (u_char *) "Tags";
    heading.len = 4;

    b->len = 0;
    blog_buf_adds(b, "Every tag on ");
    blog_buf_add(b, r->site->title.data, r->site->title.len);
    blog_buf_adds(b, ", most used first.");

    description.data = b->data;
    description.len = b->len;

    blog_render_page_meta(r, &title, &heading, &description, "website");

    return blog_render_layout(r, "tags");
}


/* Atom 1.0: the newest posts with their full content, absolute links */

static int
blog_render_feed(blog_render_t *r, const blog_tag_list_t *tag)
{
    int            rc;
    size_t         i, n, shown;
    int64_t        updated;
    blog_buf_t    *b, html;
    blog_post_t   *post;
    blog_entry_t  *e;
    blog_value_t  *feed, *entries, *v;
    blog_time_t    t;

    b = &r->tmp;
    n = tag != NULL ? tag->nentries : r->ix->nentries;

    feed = blog_value_map(r->arena);
    entries = blog_value_list(r->arena);

    if (feed == NULL || entries == NULL) {
        return BLOG_ERROR;
    }

    blog_render_set(r, r->ctx, "feed", feed);
    blog_render_set(r, r->ctx, "entries", entries);

    updated = 0;
    shown = 0;
    blog_buf_init(&html);

    for (i = 0; i < n && shown < BLOG_FEED_ENTRIES; i++) {
        e = tag != NULL ? tag->entries[i] : &r->ix->entries[i];

        html.len = 0;

        rc = blog_render_content(r, e, &post, &html, NULL);

        if (rc == BLOG_DECLINED) {
            continue;
        }

        if (rc != BLOG_OK) {
            blog_buf_free(&html);
            return BLOG_ERROR;
        }

        shown++;

        if (post->file.mtime_sec > r->page->last_modified) {
            r->page->last_modified = post->file.mtime_sec;
        }

        if (blog_render_updated(post) > updated) {
            updated = blog_render_updated(post);
        }

        v = blog_value_map(r->arena);

        if (v == NULL || blog_value_push(r->arena, entries, v) != BLOG_OK) {
            blog_buf_free(&html);
            blog_post_release(post);
            return BLOG_ERROR;
        }

        blog_render_set(r, v, "title", blog_render_blog_str(r, &post->title));
        blog_render_set(r, v, "summary",
                        blog_render_blog_str(r, &post->description));
        blog_render_set(r, v, "content", blog_render_str(r, &html));
        blog_render_set(r, v, "tags", blog_render_tag_values(r, post));

        b->len = 0;
        blog_render_absolute(r, b);
        blog_buf_addc(b, '/');
        blog_escape_uri(b, e->slug.data, e->slug.len);
        blog_buf_addc(b, '/');
        blog_render_set(r, v, "url", blog_render_str(r, b));

        b->len = 0;
        blog_date_iso(b, &post->date);
        blog_render_set(r, v, "date_iso", blog_render_str(r, b));

        t.sec = blog_render_updated(post);
        t.off = 0;
        t.zone = 1;

        b->len = 0;
        blog_date_iso(b, &t);
        blog_render_set(r, v, "lastmod_iso", blog_render_str(r, b));

        blog_post_release(post);
    }

    blog_buf_free(&html);

    /* feed: title, links, id, updated */

    b->len = 0;
    blog_buf_add(b, r->site->title.data, r->site->title.len);

    if (tag != NULL) {
        blog_buf_adds(b, ": ");
        blog_buf_add(b, tag->tag.name.data, tag->tag.name.len);
    }

    blog_render_set(r, feed, "title", blog_render_str(r, b));
    blog_render_set(r, feed, "author",
                    r->site->author.len
                    ? blog_render_blog_str(r, &r->site->author)
                    : blog_render_blog_str(r, &r->site->title));

    b->len = 0;
    blog_render_absolute(r, b);

    if (tag != NULL) {
        blog_buf_adds(b, "/tags/");
        blog_escape_uri(b, tag->tag.key.data, tag->tag.key.len);
    }

    blog_buf_addc(b, '/');
    blog_render_set(r, feed, "alternate", blog_render_str(r, b));
    blog_render_set(r, feed, "id", blog_render_str(r, b));

    blog_buf_adds(b, "feed.xml");
    blog_render_set(r, feed, "self", blog_render_str(r, b));

    t.sec = updated;
    t.off = 0;
    t.zone = 1;

    b->len = 0;
    blog_date_iso(b, &t);
    blog_render_set(r, feed, "updated", blog_render_str(r, b));

    r->page->content_type = "application/atom+xml; charset=utf-8";

    if (b->failed) {
        return BLOG_ERROR;
    }

    return blog_tmpl_render(r->site->theme->tmpl, "feed", r->ctx,
                            &r->page->body);
}


/* sitemaps.org: the index, every post, every tag page */

static int
blog_render_sitemap(blog_render_t *r)
{
    size_t            i, j;
    int64_t           newest, t;
    blog_buf_t       *b;
    blog_time_t       tm;
    blog_value_t     *urls, *u;
    blog_entry_t     *e;
    blog_tag_list_t  *tl;

    b = &r->tmp;

    urls = blog_value_list(r->arena);
    if (urls == NULL) {
        return BLOG_ERROR;
    }

    blog_render_set(r, r->ctx, "urls", urls);

    tm.off = 0;
    tm.zone = 1;

    newest = 0;

    for (i = 0; i < r->ix->nentries; i++) {
        t = blog_render_updated(r->ix->entries[i].post);

        if (t > newest) {
            newest = t;
        }

        if (r->ix->entries[i].post->file.mtime_sec > r->page->last_modified)
        {
            r->page->last_modified = r->ix->entries[i].post->file.mtime_sec;
        }
    }

    /* the index first, then the posts newest first, then the tags */

    for (i = 0; i <= r->ix->nentries + r->ix->ntags; i++) {
        u = blog_value_map(r->arena);
        if (u == NULL || blog_value_push(r->arena, urls, u) != BLOG_OK) {
            return BLOG_ERROR;
        }

        b->len = 0;
        blog_render_absolute(r, b);

        if (i == 0) {
            blog_buf_addc(b, '/');
            tm.sec = newest;

        } else if (i <= r->ix->nentries) {
            e = &r->ix->entries[i - 1];
            blog_buf_addc(b, '/');
            blog_escape_uri(b, e->slug.data, e->slug.len);
            blog_buf_addc(b, '/');
            tm.sec = blog_render_updated(e->post);

        } else {
            tl = &r->ix->tags[i - 1 - r->ix->nentries];
            blog_buf_adds(b, "/tags/");
            blog_escape_uri(b, tl->tag.key.data, tl->tag.key.len);
            blog_buf_addc(b, '/');

            tm.sec = 0;

            for (j = 0; j < tl->nentries; j++) {
                t = blog_render_updated(tl->entries[j]->post);

                if (t > tm.sec) {
                    tm.sec = t;
                }
            }
        }

        blog_render_set(r, u, "loc", blog_render_str(r, b));

        if (tm.sec) {
            b->len = 0;
            blog_date_iso(b, &tm);
            blog_render_set(r, u, "lastmod", blog_render_str(r, b));
        }
    }

    r->page->content_type = "application/xml; charset=utf-8";

    if (b->failed) {
        return BLOG_ERROR;
    }

    return blog_tmpl_render(r->site->theme->tmpl, "sitemap", r->ctx,
                            &r->page->body);
}


static int
blog_render_not_found(blog_render_t *r)
{
    blog_str_t   title, heading, description;
    blog_buf_t  *b;

    b = &r->tmp;

    r->page->status = 404;
    r->page->content_type = "text/html; charset=utf-8";
    r->page->last_modified = 0;

    b->len = 0;
    blog_buf_adds(b, "Page not found \xc2\xb7 ");
    blog_buf_add(b, r->site->title.data, r->site->title.len);

    title.data = blog_arena_strdup(r->arena, b->data, b->len);
    title.len = b->len;

    if (title.data == NULL) {
        return BLOG_ERROR;
    }

    heading.data = (u_char *) "Page not found";
    heading.len = sizeof("Page not found") - 1;

    description.data = (u_char *) "Nothing lives at this address.";
    description.len = sizeof("Nothing lives at this address.") - 1;

    b->len = 0;
    blog_render_absolute(r, b);
    blog_buf_addc(b, '/');
    blog_render_set(r, r->vpage, "url", blog_render_str(r, b));

    blog_render_page_meta(r, &title, &heading, &description, "website");

    return blog_render_layout(r, "404");
}


/* the route's template, then the base layout around it */

static int
blog_render_layout(blog_render_t *r, const char *name)
{
    blog_buf_t  content;

    blog_buf_init(&content);

    if (blog_tmpl_render(r->site->theme->tmpl, name, r->ctx, &content)
        != BLOG_OK
        || content.failed)
    {
        blog_buf_free(&content);
        return BLOG_ERROR;
    }

    blog_render_set(r, r->ctx, "content", blog_render_str(r, &content));
    blog_buf_free(&content);

    return blog_tmpl_render(r->site->theme->tmpl, "base", r->ctx,
                            &r->page->body);
}


static void
blog_render_page_meta(blog_render_t *r, const blog_str_t *title,
    const blog_str_t *heading, const blog_str_t *description,
    const char *og_type)
{
    blog_render_set(r, r->vpage, "title", blog_render_blog_str(r, title));
    blog_render_set(r, r->vpage, "heading", blog_render_blog_str(r, heading));
    blog_render_set(r, r->vpage, "description",
                    blog_render_blog_str(r, description));
    blog_render_set(r, r->vpage, "og_type", blog_render_cstr(r, og_type));
}


/* schema.org BlogPosting, safe inside a <script> element */

static void
blog_render_json_ld(blog_render_t *r, blog_buf_t *b, const blog_post_t *post,
    const blog_str_t *description, const blog_str_t *url)
{
    size_t  i;

    blog_buf_adds(b, "{\"@context\":\"https://schema.org\","
                     "\"@type\":\"BlogPosting\",\"headline\":\"");
    blog_escape_json(b, post->title.data, post->title.len);
    blog_buf_adds(b, "\",\"description\":\"");
    blog_escape_json(b, description->data, description->len);
    blog_buf_adds(b, "\",\"datePublished\":\"");
    blog_date_iso(b, &post->date);
    blog_buf_adds(b, "\",\"dateModified\":\"");
    blog_date_iso(b, &post->lastmod);
    blog_buf_adds(b, "\",\"url\":\"");
    blog_escape_json(b, url->data, url->len);
    blog_buf_adds(b, "\",\"mainEntityOfPage\":\"");
    blog_escape_json(b, url->data, url->len);
    blog_buf_addc(b, '"');

    if (r->site->author.len) {
        blog_buf_adds(b, ",\"author\":{\"@type\":\"Person\",\"name\":\"");
        blog_escape_json(b, r->site->author.data, r->site->author.len);
        blog_buf_adds(b, "\"}");
    }

    if (post->ntags) {
        blog_buf_adds(b, ",\"keywords\":[");

        for (i = 0; i < post->ntags; i++) {
            blog_buf_adds(b, i ? ",\"" : "\"");
            blog_escape_json(b, post->tags[i].name.data,
                             post->tags[i].name.len);
            blog_buf_addc(b, '"');
        }

        blog_buf_addc(b, ']');
    }

    blog_buf_addc(b, '}');
}


/*
 * The first max characters (not bytes) of a summary, then "..." when it
 * was longer, as the reference page cuts them.
 */

void
blog_summary_cut(blog_buf_t *b, const blog_str_t *text, size_t max)
{
    size_t  i, chars;

    chars = 0;

    for (i = 0; i < text->len; i++) {
        if ((text->data[i] & 0xc0) != 0x80) {
            if (chars == max) {
                blog_buf_add(b, text->data, i);
                blog_buf_adds(b, "...");
                return;
            }

            chars++;
        }
    }

    blog_buf_add(b, text->data, text->len);
}


static void
blog_render_post_path(blog_render_t *r, blog_buf_t *b,
    const blog_str_t *slug)
{
    blog_buf_add(b, r->site->prefix.data, r->site->prefix.len);
    blog_buf_addc(b, '/');
    blog_escape_uri(b, slug->data, slug->len);
    blog_buf_addc(b, '/');
}


static void
blog_render_tag_path(blog_render_t *r, blog_buf_t *b, const blog_str_t *key)
{
    blog_buf_add(b, r->site->prefix.data, r->site->prefix.len);
    blog_buf_adds(b, "/tags/");
    blog_escape_uri(b, key->data, key->len);
    blog_buf_addc(b, '/');
}


/* scheme://host/prefix, to which a path below the blog is appended */

static void
blog_render_absolute(blog_render_t *r, blog_buf_t *b)
{
    blog_buf_add(b, r->site->base_url.data, r->site->base_url.len);
    blog_buf_add(b, r->site->prefix.data, r->site->prefix.len);
}


static int64_t
blog_render_updated(const blog_post_t *post)
{
    return post->lastmod.sec > post->date.sec ? post->lastmod.sec
                                               : post->date.sec;
}


static blog_value_t *
blog_render_str(blog_render_t *r, blog_buf_t *b)
{
    u_char  *p;

    if (b->failed) {
        return NULL;
    }

    p = blog_arena_strdup(r->arena, b->data, b->len);
    if (p == NULL) {
        return NULL;
    }

    return blog_value_string(r->arena, p, b->len);
}


static blog_value_t *
blog_render_cstr(blog_render_t *r, const char *s)
{
    return blog_value_string(r->arena, (u_char *) s, strlen(s));
}


static blog_value_t *
blog_render_blog_str(blog_render_t *r, const blog_str_t *s)
{
    u_char  *p;

    p = blog_arena_strdup(r->arena, s->data, s->len);
    if (p == NULL) {
        return NULL;
    }

    return blog_value_string(r->arena, p, s->len);
}


/*
 * A NULL value is a failed allocation: it marks the render as failed, to
 * be checked once at the end, as blog_buf_t does.
 */

static int
blog_render_set(blog_render_t *r, blog_value_t *map, const char *key,
    blog_value_t *v)
{
    if (v == NULL) {
        r->tmp.failed = 1;
        return BLOG_ERROR;
    }

    if (blog_value_set(r->arena, map, key, v) != BLOG_OK) {
        r->tmp.failed = 1;
        return BLOG_ERROR;
    }

    return BLOG_OK;
}
