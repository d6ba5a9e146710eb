
/*
 * An index kept in a file across restarts, read back (the file is written
 * by blog_index_save.c).  The file is a cache, never the truth: the scan
 * takes a post from it only when its file still has the identity it was
 * read with (device, inode, size, modification time), as a running
 * server's scans do with the index before.  A file that is missing, made
 * by another build of the module or with other options, cut short or
 * damaged in any way is not used, and the scan reads every file.  It is
 * read as hostile input: every length is bounded, every string checked
 * as the scan's own are, every record as a scan could have made it.
 */

#define _GNU_SOURCE             /* memrchr() */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "blog_index_save.h"


/* a post has no more tags than this, nor a file more bytes */
#define BLOG_SAVE_MAX_TAGS  4096
#define BLOG_SAVE_MAX_SIZE  ((off_t) 1 << 32)

/*
 * The times a post's dates can say, a day wider: years 0 to 9999, with
 * an offset from UTC of less than a day (blog_date_parse).
 */
#define BLOG_SAVE_MIN_TIME  (-62167219200LL - 86400)
#define BLOG_SAVE_MAX_TIME  (253402300800LL + 86400)
#define BLOG_SAVE_MAX_OFF   (24 * 60 - 1)


typedef struct {
    const u_char   *p;
    const u_char   *end;
} blog_save_in_t;

/* where a post is put together before it is packed */
typedef struct {
    u_char          path[PATH_MAX];
    blog_tag_t      tags[BLOG_SAVE_MAX_TAGS];
    blog_str_t      aliases[BLOG_POST_MAX_ALIASES];
} blog_save_scratch_t;


static blog_index_t *blog_index_restore_posts(const u_char *p, size_t n,
    const blog_save_header_t *h, const blog_options_t *opts,
    const char **reason);
static blog_post_t *blog_index_restore_post(blog_save_in_t *in,
    blog_save_scratch_t *scr, const u_char *root, size_t root_len,
    const blog_options_t *opts, const char **reason);
static uint64_t blog_index_digest(const blog_post_t *post);
static int blog_index_text(const blog_str_t *s, size_t max);
static int blog_index_tags_ok(const blog_post_t *post, size_t max);
static int blog_index_restore_span(blog_save_in_t *in, blog_str_t *s,
    size_t max);
static int blog_index_restore_time(int64_t sec, int32_t off);
static int blog_index_restore_slug(const blog_str_t *slug);
static int blog_index_restore_get(blog_save_in_t *in, void *p, size_t n);


/*
 * The posts path holds, made for root (as realpath() gives it) and opts
 * by this build, as an index of nothing but its posts, all by path, and
 * the version of the index saved: what blog_index_update() takes as the
 * index before.  NULL when there is none to take: *reason then says why
 * (and errno, when a system call failed), or is NULL when path does not
 * exist.
 */

blog_index_t *
blog_index_restore(const char *path, const char *root,
    const blog_options_t *opts, const char **reason)
{
    int                  fd, err;
    char                 real[PATH_MAX];
    size_t               size, got, root_len;
    u_char              *data;
    ssize_t              n;
    uint64_t             sum;
    struct stat          st;
    blog_index_t        *ix;
    blog_save_header_t   h;

    *reason = NULL;

    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd == -1) {
        if (errno != ENOENT) {
            *reason = "cannot open";
        }

        return NULL;
    }

    data = NULL;
    ix = NULL;
    err = 0;

    if (fstat(fd, &st) == -1) {
        err = errno;
        *reason = "cannot fstat()";
        goto done;
    }

    if (!S_ISREG(st.st_mode)) {
        *reason = "not a regular file";
        goto done;
    }

    if (st.st_size < (off_t) sizeof(blog_save_header_t)
        || st.st_size > BLOG_SAVE_MAX_SIZE)
    {
        *reason = "not an index: bad size";
        goto done;
    }

    /* the header first: a file from another build is not read further */

    n = read(fd, &h, sizeof(blog_save_header_t));

    if (n != (ssize_t) sizeof(blog_save_header_t)) {
        err = (n == -1) ? errno : 0;
        *reason = "cannot read";
        goto done;
    }

    if (memcmp(h.magic, BLOG_SAVE_MAGIC, 8) != 0
        || h.header != sizeof(blog_save_header_t))
    {
        *reason = "not an index";
        goto done;
    }

    if (h.format != BLOG_SAVE_FORMAT
        || h.shape != blog_index_save_shape(opts))
    {
        *reason = "made by another build of the module or with other "
                  "options";
        goto done;
    }

    size = st.st_size - sizeof(blog_save_header_t);

    if (h.size != (uint64_t) size) {
        *reason = "damaged: its size is wrong";
        goto done;
    }

    if (realpath(root, real) == NULL) {
        err = errno;
        *reason = "the content root cannot be resolved";
        goto done;
    }

    root_len = strlen(real);

    /* an index of no posts, which says no root, is the same for all */

    if (h.root_len > size || (h.nposts != 0 && h.root_len != root_len)) {
        *reason = "made for another content root";
        goto done;
    }

    data = malloc(size ? size : 1);
    if (data == NULL) {
        *reason = "out of memory";
        goto done;
    }

    /* read() gives at most 2 GB at once */

    for (got = 0; got < size; got += n) {
        n = read(fd, data + got, size - got);

        if (n <= 0) {
            err = (n == -1) ? errno : 0;
            *reason = "cannot read";
            goto done;
        }
    }

    sum = h.sum;
    h.sum = 0;

    if (sum != crc32_z(crc32_z(crc32(0L, Z_NULL, 0), data, size),
                       (u_char *) &h, sizeof(blog_save_header_t)))
    {
        *reason = "damaged: its checksum is wrong";
        goto done;
    }

    if (h.nposts != 0 && memcmp(data, real, root_len) != 0) {
        *reason = "made for another content root";
        goto done;
    }

    ix = blog_index_restore_posts(data, size, &h, opts, reason);

done:

    free(data);
    close(fd);

    /* errno says what a system call said, if one failed */
    errno = err;

    return ix;
}


static blog_index_t *
blog_index_restore_posts(const u_char *p, size_t n,
    const blog_save_header_t *h, const blog_options_t *opts,
    const char **reason)
{
    size_t                i;
    blog_post_t          *post;
    blog_index_t         *ix;
    blog_save_in_t        in;
    blog_save_scratch_t  *scr;

    /* a post takes more bytes than its record alone */

    if (h->nposts > (n - h->root_len) / sizeof(blog_save_post_t)) {
        *reason = "damaged: too many posts";
        return NULL;
    }

    scr = malloc(sizeof(blog_save_scratch_t));
    ix = calloc(1, sizeof(blog_index_t));

    if (scr == NULL || ix == NULL) {
        free(scr);
        free(ix);
        *reason = "out of memory";
        return NULL;
    }

    ix->refs = 1;
    ix->root_len = h->root_len;
    ix->version = h->version;
    ix->restored = 1;

    if (h->nposts) {
        ix->all = malloc(h->nposts * sizeof(blog_post_t *));
        if (ix->all == NULL) {
            *reason = "out of memory";
            goto failed;
        }
    }

    in.p = p + h->root_len;
    in.end = p + n;

    for (i = 0; i < h->nposts; i++) {
        post = blog_index_restore_post(&in, scr, p, h->root_len, opts,
                                       reason);
        if (post == NULL) {
            goto failed;
        }

        ix->all[ix->nall++] = post;

        /* by path, as the scan looks them up */

        if (i > 0
            && strcmp((char *) ix->all[i - 1]->path.data + h->root_len,
                      (char *) post->path.data + h->root_len)
               >= 0)
        {
            *reason = "damaged: posts out of order";
            goto failed;
        }
    }

    if (in.p != in.end) {
        *reason = "damaged: bytes after the last post";
        goto failed;
    }

    free(scr);

    return ix;

failed:

    free(scr);
    blog_index_release(ix);

    return NULL;
}


static blog_post_t *
blog_index_restore_post(blog_save_in_t *in, blog_save_scratch_t *scr,
    const u_char *root, size_t root_len, const blog_options_t *opts,
    const char **reason)
{
    size_t            i;
    blog_str_t        rel;
    blog_post_t      *post, tmp;
    blog_save_post_t  sp;

    if (blog_index_restore_get(in, &sp, sizeof(blog_save_post_t))
        != BLOG_OK)
    {
        *reason = "damaged: a post cut short";
        return NULL;
    }

    if (sp.ntags > BLOG_SAVE_MAX_TAGS
        || sp.naliases > BLOG_POST_MAX_ALIASES)
    {
        *reason = "damaged: a post with too many tags or old URLs";
        return NULL;
    }

    /* the post in scratch, its strings where they are in the file */

    memset(&tmp, 0, sizeof(blog_post_t));

    tmp.draft = (sp.flags & BLOG_SAVE_DRAFT) != 0;
    tmp.dated = (sp.flags & BLOG_SAVE_DATED) != 0;
    tmp.titled = (sp.flags & BLOG_SAVE_TITLED) != 0;
    tmp.fronted = (sp.flags & BLOG_SAVE_FRONTED) != 0;
    tmp.toc = (sp.flags & BLOG_SAVE_TOC) != 0;
    tmp.date.zone = (sp.flags & BLOG_SAVE_DATE_ZONE) != 0;
    tmp.lastmod.zone = (sp.flags & BLOG_SAVE_MOD_ZONE) != 0;
    tmp.name_at = sp.name_at;
    tmp.reading_time = sp.reading_time;
    tmp.words = sp.words;
    tmp.date.off = sp.date_off;
    tmp.lastmod.off = sp.lastmod_off;
    tmp.date.sec = sp.date;
    tmp.lastmod.sec = sp.lastmod;
    tmp.publish_at = sp.publish_at;
    tmp.expires_at = sp.expires_at;
    tmp.digest = sp.digest;
    tmp.file.dev = sp.dev;
    tmp.file.ino = sp.ino;
    tmp.file.size = sp.size;
    tmp.file.mtime_sec = sp.mtime_sec;
    tmp.file.mtime_nsec = sp.mtime_nsec;

    /* the path below the root: the root is said once */

    if (blog_index_restore_span(in, &rel, PATH_MAX - 1 - root_len)
        != BLOG_OK
        || rel.data == NULL)
    {
        *reason = "damaged: a post's path";
        return NULL;
    }

    memcpy(scr->path, root, root_len);
    memcpy(scr->path + root_len, rel.data, rel.len);

    tmp.path.data = scr->path;
    tmp.path.len = root_len + rel.len;

    if (blog_index_restore_span(in, &tmp.slug, PATH_MAX) != BLOG_OK
        || blog_index_restore_span(in, &tmp.redirect, PATH_MAX) != BLOG_OK
        || blog_index_restore_span(in, &tmp.title, SIZE_MAX) != BLOG_OK
        || blog_index_restore_span(in, &tmp.description, SIZE_MAX)
           != BLOG_OK)
    {
        *reason = "damaged: a post cut short";
        return NULL;
    }

    tmp.tags = scr->tags;
    tmp.ntags = sp.ntags;

    for (i = 0; i < sp.ntags; i++) {
        if (blog_index_restore_span(in, &scr->tags[i].name, SIZE_MAX)
            != BLOG_OK
            || blog_index_restore_span(in, &scr->tags[i].key, SIZE_MAX)
               != BLOG_OK)
        {
            *reason = "damaged: a post cut short";
            return NULL;
        }
    }

    tmp.aliases = scr->aliases;
    tmp.naliases = sp.naliases;

    for (i = 0; i < sp.naliases; i++) {
        if (blog_index_restore_span(in, &scr->aliases[i], SIZE_MAX)
            != BLOG_OK)
        {
            *reason = "damaged: a post cut short";
            return NULL;
        }
    }

    /* its digest made anew, as blog_post_make() makes it */

    tmp.digest = blog_index_digest(&tmp);

    /* a post as a scan could have made it, nothing else */

    *reason = blog_index_keepable(&tmp, root_len, opts);

    if (*reason != NULL) {
        return NULL;
    }

    post = blog_post_packed(&tmp);
    if (post == NULL) {
        *reason = "out of memory";
        return NULL;
    }

    /* a post the scan does not find again is gone at once, not held */
    post->gone_at = 1;

    return post;
}


/* where a string of at most max bytes is in the file (data NULL: none) */

static int
blog_index_restore_span(blog_save_in_t *in, blog_str_t *s, size_t max)
{
    uint32_t  len;

    s->data = NULL;
    s->len = 0;

    if (blog_index_restore_get(in, &len, sizeof(uint32_t)) != BLOG_OK) {
        return BLOG_ERROR;
    }

    if (len == BLOG_SAVE_NULL) {
        return BLOG_OK;
    }

    if (len > max || len > (size_t) (in->end - in->p)) {
        return BLOG_ERROR;
    }

    s->data = (u_char *) in->p;
    s->len = len;
    in->p += len;

    return BLOG_OK;
}


/*
 * Whether post is one a scan could have made, as the file keeps it: what
 * pages, sorts and paths take for granted of every post.  NULL if it is,
 * else what is wrong.  The save leaves out a post that is not (one whose
 * file name is not UTF-8, say), and a file that has one is refused.
 */

const char *
blog_index_keepable(const blog_post_t *post, size_t root_len,
    const blog_options_t *opts)
{
    size_t         i;
    const u_char  *slash;

    /* the root, "/" and a name; the name where the path says */

    if (post->path.len < root_len + 2 || post->path.len >= PATH_MAX
        || post->path.data[root_len] != '/'
        || !blog_index_text(&post->path, PATH_MAX))
    {
        return "damaged: a post's path";
    }

    slash = memrchr(post->path.data, '/', post->path.len);

    if ((size_t) (slash + 1 - post->path.data) != post->name_at
        || post->name_at == post->path.len)
    {
        return "damaged: a post's file name";
    }

    /* a slug, a title and a description always, no longer than a post */

    if (blog_index_restore_slug(&post->slug) != BLOG_OK
        || !blog_index_text(&post->slug, PATH_MAX)
        || !blog_index_text(&post->title, opts->max_post_size)
        || !blog_index_text(&post->description, opts->max_post_size))
    {
        return "damaged: a post's text";
    }

    if (post->redirect.data != NULL
        && (!blog_index_text(&post->redirect, PATH_MAX)
            || !blog_post_redirect_ok(post->redirect.data,
                                      post->redirect.len)))
    {
        return "damaged: a post's redirect";
    }

    if (!blog_index_tags_ok(post, opts->max_post_size)) {
        return "damaged: a post's tags";
    }

    if (post->naliases > BLOG_POST_MAX_ALIASES) {
        return "damaged: a post's old URLs";
    }

    for (i = 0; i < post->naliases; i++) {
        if (!blog_index_text(&post->aliases[i], BLOG_POST_MAX_ALIAS)
            || !blog_post_alias_ok(post->aliases[i].data,
                                   post->aliases[i].len))
        {
            return "damaged: a post's old URLs";
        }
    }

    if (blog_index_restore_time(post->date.sec, post->date.off) != BLOG_OK
        || blog_index_restore_time(post->lastmod.sec, post->lastmod.off)
           != BLOG_OK
        || blog_index_restore_time(post->publish_at, 0) != BLOG_OK
        || blog_index_restore_time(post->expires_at, 0) != BLOG_OK)
    {
        return "damaged: a post's dates";
    }

    return NULL;
}


/* of its path, NUL included, and its file's identity */

static uint64_t
blog_index_digest(const blog_post_t *post)
{
    uint64_t  h;

    h = blog_hash(BLOG_HASH_INIT, post->path.data, post->path.len);
    h = blog_hash(h, "", 1);

    return blog_hash(h, &post->file, sizeof(blog_file_id_t));
}


/* a string there is, at most max bytes of UTF-8, with no NUL */

static int
blog_index_text(const blog_str_t *s, size_t max)
{
    return s->data != NULL && s->len <= max
           && memchr(s->data, '\0', s->len) == NULL
           && blog_utf8_check(s->data, s->len) == s->len;
}


/* tags with names, and keys no two the same, as blog_post.c adds them */

static int
blog_index_tags_ok(const blog_post_t *post, size_t max)
{
    size_t  i, j;

    if (post->ntags > BLOG_SAVE_MAX_TAGS) {
        return 0;
    }

    for (i = 0; i < post->ntags; i++) {
        if (!blog_index_text(&post->tags[i].name, max)
            || !blog_index_text(&post->tags[i].key, max)
            || post->tags[i].key.len == 0)
        {
            return 0;
        }

        for (j = 0; j < i; j++) {
            if (blog_str_eq(&post->tags[i].key, &post->tags[j].key)) {
                return 0;
            }
        }
    }

    return 1;
}


static int
blog_index_restore_time(int64_t sec, int32_t off)
{
    if (sec < BLOG_SAVE_MIN_TIME || sec > BLOG_SAVE_MAX_TIME
        || off < -BLOG_SAVE_MAX_OFF || off > BLOG_SAVE_MAX_OFF)
    {
        return BLOG_ERROR;
    }

    return BLOG_OK;
}


/* one path segment, as blog_post.c makes a slug */

static int
blog_index_restore_slug(const blog_str_t *slug)
{
    size_t  i;

    if (slug->data == NULL || slug->len == 0
        || (slug->len == 1 && slug->data[0] == '.')
        || (slug->len == 2 && slug->data[0] == '.' && slug->data[1] == '.'))
    {
        return BLOG_ERROR;
    }

    for (i = 0; i < slug->len; i++) {
        if (slug->data[i] == '/' || slug->data[i] < 0x20) {
            return BLOG_ERROR;
        }
    }

    return BLOG_OK;
}


static int
blog_index_restore_get(blog_save_in_t *in, void *p, size_t n)
{
    if (n > (size_t) (in->end - in->p)) {
        return BLOG_ERROR;
    }

    memcpy(p, in->p, n);
    in->p += n;

    return BLOG_OK;
}
