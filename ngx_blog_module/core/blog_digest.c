
/*
 * Digests of pages, the same on every server holding the same content:
 * the strong ETag of a rendered page (MD5 of its bytes), and the key a
 * page is cached by with the signature of what it shows, which tell a
 * stored page still good, older than the index asking, or newer.  MD5
 * comes from libmd; none of this is a security boundary.
 */


#include <string.h>
#include <time.h>
#include <md5.h>

#include "blog.h"


static void blog_digest_entry(MD5_CTX *md5, blog_entry_t *e);


void
blog_etag(u_char *etag, const u_char *p, size_t n)
{
    size_t               i;
    MD5_CTX              md5;
    u_char               digest[MD5_DIGEST_LENGTH];
    static const u_char  hex[] = "0123456789abcdef";

    MD5Init(&md5);
    MD5Update(&md5, p, n);
    MD5Final(digest, &md5);

    etag[0] = '"';

    for (i = 0; i < MD5_DIGEST_LENGTH; i++) {
        etag[1 + 2 * i] = hex[digest[i] >> 4];
        etag[2 + 2 * i] = hex[digest[i] & 0xf];
    }

    etag[BLOG_ETAG_LEN - 1] = '"';
}


/*
 * The key: what the page is (conf, a digest of the location's settings
 * and theme; the route; the base of its links when it is not configured;
 * the year of the copyright line).  The signature: what it shows (the
 * post and its neighbours, or the whole index for listings).
 */

void
blog_page_key(blog_page_key_t *k, const u_char *conf, const blog_route_t *rt,
    const blog_str_t *base_url, int64_t now, blog_index_t *ix)
{
    size_t         i;
    time_t         t;
    uint32_t       n;
    MD5_CTX        md5;
    struct tm      tm;
    blog_entry_t  *e;

    MD5Init(&md5);
    MD5Update(&md5, conf, 16);

    n = rt->kind;
    MD5Update(&md5, (u_char *) &n, sizeof(n));
    n = rt->page;
    MD5Update(&md5, (u_char *) &n, sizeof(n));
    MD5Update(&md5, rt->slug.data, rt->slug.len);
    MD5Update(&md5, (u_char *) "/", 1);
    MD5Update(&md5, rt->tag.data, rt->tag.len);
    MD5Update(&md5, (u_char *) "/", 1);

    if (base_url != NULL) {
        MD5Update(&md5, base_url->data, base_url->len);
    }

    t = (time_t) now;
    n = (gmtime_r(&t, &tm) != NULL) ? (uint32_t) tm.tm_year : 0;
    MD5Update(&md5, (u_char *) &n, sizeof(n));

    MD5Final(k->key, &md5);

    MD5Init(&md5);

    if (rt->kind == BLOG_ROUTE_POST) {
        e = blog_index_find(ix, rt->slug.data, rt->slug.len);

        if (e != NULL) {
            i = e - ix->entries;

            blog_digest_entry(&md5, e);
            blog_digest_entry(&md5, i > 0 ? &ix->entries[i - 1] : NULL);
            blog_digest_entry(&md5, i + 1 < ix->nentries
                                    ? &ix->entries[i + 1] : NULL);
        }

    } else {
        MD5Update(&md5, (u_char *) &ix->version, sizeof(ix->version));
    }

    MD5Final(k->sig, &md5);

    k->built = ix->generation;
}


/*
 * What shapes a site's pages besides its posts: its root, its theme and
 * its settings, as configured (site's base_url only when the server was
 * given one).  Equal configurations give equal signatures on every server
 * and across reloads, so cached pages survive both.
 */

void
blog_site_signature(u_char *sig, const char *root, const blog_site_t *site)
{
    size_t              i;
    MD5_CTX             md5;
    uint32_t            n[10];
    const blog_str_t   *s[7];

    MD5Init(&md5);
    MD5Update(&md5, site->theme->digest, 16);
    MD5Update(&md5, (const u_char *) root, strlen(root) + 1);

    s[0] = &site->prefix;
    s[1] = &site->title;
    s[2] = &site->description;
    s[3] = &site->author;
    s[4] = &site->base_url;
    s[5] = &site->home_url;
    s[6] = &site->favicon;

    for (i = 0; i < 7; i++) {
        MD5Update(&md5, s[i]->data, s[i]->len);
        MD5Update(&md5, (const u_char *) "", 1);
    }

    n[0] = site->posts_per_page;
    n[1] = site->summary_length;
    n[2] = site->opts->words_per_minute;
    n[3] = (uint32_t) site->opts->max_post_size;
    n[4] = site->opts->drafts;
    n[5] = site->raw_html;
    n[6] = (uint32_t) site->opts->max_front_matter;
    n[7] = site->opts->max_depth;
    n[8] = site->opts->markdown;
    n[9] = site->no_favicon;

    MD5Update(&md5, (const u_char *) n, sizeof(n));
    MD5Final(sig, &md5);
}


/*
 * A stored page against one asked for by the same key: 0 if it shows the
 * same; -1 if it shows something else and was made from an index no newer
 * than the asker's (render again); 1 if from a newer index (keep it: an
 * asker with an older index must not store over it).
 */

int
blog_page_key_compare(const u_char *sig, int64_t built,
    const blog_page_key_t *k)
{
    if (memcmp(sig, k->sig, 16) == 0) {
        return 0;
    }

    return (built > k->built) ? 1 : -1;
}


static void
blog_digest_entry(MD5_CTX *md5, blog_entry_t *e)
{
    if (e == NULL) {
        MD5Update(md5, (u_char *) "-", 1);
        return;
    }

    MD5Update(md5, e->slug.data, e->slug.len);
    MD5Update(md5, e->post->path.data, e->post->path.len + 1);
    MD5Update(md5, (u_char *) &e->post->file, sizeof(blog_file_id_t));
}
