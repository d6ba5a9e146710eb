
/*
 * An index kept in a file across restarts: what a scan read of each post,
 * so that the first scan after a restart reads again only the files that
 * changed meanwhile, and lstat()s the rest (blog_index_restore.c).  This
 * half writes it: whole, under another name renamed into place, so that a
 * reader sees the old file or the new one.  Posts served with a warning
 * are left out: read again, they say it again.
 */

#define _GNU_SOURCE             /* dladdr() */

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "blog_index_save.h"


/* a temporary file older than this, in seconds, was left by a crash */
#define BLOG_SAVE_STALE     60


typedef struct {
    FILE           *f;
    uLong           sum;
    uint64_t        size;
} blog_save_out_t;


static int blog_index_save_warned(const blog_index_t *ix,
    const blog_post_t *post, size_t *next);
static int blog_index_save_post(blog_save_out_t *out, const blog_post_t *post,
    size_t root_len);
static void blog_index_save_str(blog_save_out_t *out, const blog_str_t *s);
static void blog_index_save_put(blog_save_out_t *out, const void *p,
    size_t n);


/*
 * What the file was made with: this format, this build of the module (its
 * file's identity: a new build parses posts anew; built into nginx, the
 * identity of nginx's own file) and the options that change what a post
 * is.
 */

uint64_t
blog_index_save_shape(const blog_options_t *opts)
{
    uint64_t     h;
    Dl_info      info;
    uint64_t     v[6];
    struct stat  st;

    h = blog_hash(BLOG_HASH_INIT, BLOG_SAVE_MAGIC, 8);

    v[0] = BLOG_SAVE_FORMAT;
    v[1] = sizeof(blog_save_post_t);
    v[2] = 0;
    v[3] = 0;
    v[4] = 0;
    v[5] = 0;

    /* a module's own file; the program's, whatever its argv[0] says now */

    if ((dladdr((void *) blog_index_save_shape, &info) != 0
         && info.dli_fname != NULL
         && info.dli_fname[0] == '/'
         && stat(info.dli_fname, &st) == 0)
        || stat("/proc/self/exe", &st) == 0)
    {
        v[2] = (uint64_t) st.st_dev;
        v[3] = (uint64_t) st.st_ino;
        v[4] = (uint64_t) st.st_size;
        v[5] = (uint64_t) st.st_mtim.tv_sec * 1000000000
               + (uint64_t) st.st_mtim.tv_nsec;
    }

    h = blog_hash(h, v, sizeof(v));

    v[0] = opts->words_per_minute;
    v[1] = opts->max_post_size;
    v[2] = opts->max_front_matter;
    v[3] = opts->max_depth;
    v[4] = opts->drafts;
    v[5] = opts->markdown;

    return blog_hash(h, v, sizeof(v));
}


/*
 * Writes the posts of ix to path, through "path.tmp" renamed into place:
 * a reader sees the old file or the new one.  A "path.tmp" a minute old
 * or more was left by a writer that died; a younger one is another
 * writer's, and this one gives way.  On failure the reason and errno say
 * why, and nothing of this writer's is left behind.
 */

int
blog_index_save(const blog_index_t *ix, const blog_options_t *opts,
    const char *path, const char **reason)
{
    int                  fd, err;
    char                 tmp[PATH_MAX];
    size_t               i, j, root_len;
    const u_char        *root;
    struct stat          st;
    blog_save_out_t      out;
    blog_save_header_t   h;

    if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int) sizeof(tmp)) {
        *reason = "path too long";
        errno = ENAMETOOLONG;
        return BLOG_ERROR;
    }

    root = ix->nall ? ix->all[0]->path.data : (const u_char *) "";
    root_len = ix->nall ? ix->root_len : 0;

    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

    if (fd == -1 && errno == EEXIST
        && lstat(tmp, &st) == 0 && S_ISREG(st.st_mode)
        && st.st_mtime + BLOG_SAVE_STALE < time(NULL)
        && unlink(tmp) == 0)
    {
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    }

    if (fd == -1) {
        *reason = (errno == EEXIST) ? "another worker is writing it"
                                    : "cannot create";
        return BLOG_ERROR;
    }

    out.f = fdopen(fd, "w");
    if (out.f == NULL) {
        err = errno;
        close(fd);
        *reason = "cannot write";
        goto failed;
    }

    memset(&h, 0, sizeof(blog_save_header_t));
    memcpy(h.magic, BLOG_SAVE_MAGIC, 8);
    h.format = BLOG_SAVE_FORMAT;
    h.header = sizeof(blog_save_header_t);
    h.shape = blog_index_save_shape(opts);
    h.version = ix->version;
    h.root_len = root_len;

    /* the header again at the end, once the size and sum are known */

    (void) fwrite(&h, sizeof(blog_save_header_t), 1, out.f);

    out.sum = crc32(0L, Z_NULL, 0);
    out.size = 0;

    blog_index_save_put(&out, root, root_len);

    j = 0;

    for (i = 0; i < ix->nall; i++) {
        if (i + BLOG_POST_AHEAD < ix->nall) {
            blog_post_ahead(ix->all[i + BLOG_POST_AHEAD]);
        }

        /*
         * A post served with a warning is read again, to say it again; one
         * the file cannot keep as it is (a file name that is not UTF-8)
         * is read again too.
         */

        if (blog_index_save_warned(ix, ix->all[i], &j)
            || blog_index_keepable(ix->all[i], root_len, opts) != NULL)
        {
            continue;
        }

        if (blog_index_save_post(&out, ix->all[i], root_len) != BLOG_OK) {
            break;
        }

        h.nposts++;
    }

    h.size = out.size;
    h.sum = 0;
    h.sum = crc32_z(out.sum, (u_char *) &h, sizeof(blog_save_header_t));

    if (i < ix->nall
        || fseek(out.f, 0, SEEK_SET) != 0
        || fwrite(&h, sizeof(blog_save_header_t), 1, out.f) != 1
        || fflush(out.f) != 0
        || ferror(out.f))
    {
        err = errno;
        fclose(out.f);
        *reason = "cannot write";
        goto failed;
    }

    if (fclose(out.f) != 0) {
        err = errno;
        *reason = "cannot write";
        goto failed;
    }

    if (rename(tmp, path) == -1) {
        err = errno;
        *reason = "cannot rename into place";
        goto failed;
    }

    return BLOG_OK;

failed:

    unlink(tmp);
    errno = err;

    return BLOG_ERROR;
}


/*
 * Whether the scan warned of post's file (but of its slug, which every
 * scan says anew).  Both lists are in the order of their paths: *next is
 * where the look for the next post begins.
 */

static int
blog_index_save_warned(const blog_index_t *ix, const blog_post_t *post,
    size_t *next)
{
    int                    rc;
    size_t                 j;
    const blog_problem_t  *pb;

    for (j = *next; j < ix->nproblems; j++) {
        pb = &ix->problems[j];
        rc = strcmp((char *) pb->file.data, (char *) post->path.data);

        if (rc > 0) {
            break;
        }

        if (rc < 0) {
            *next = j + 1;
            continue;
        }

        if (pb->warn && !pb->slug && !pb->denied) {
            return 1;
        }
    }

    return 0;
}


static int
blog_index_save_post(blog_save_out_t *out, const blog_post_t *post,
    size_t root_len)
{
    size_t            i;
    blog_str_t        rel;
    blog_save_post_t  sp;

    if (post->path.len < root_len) {
        errno = EINVAL;
        return BLOG_ERROR;
    }

    memset(&sp, 0, sizeof(blog_save_post_t));

    sp.flags = (post->draft ? BLOG_SAVE_DRAFT : 0)
               | (post->dated ? BLOG_SAVE_DATED : 0)
               | (post->titled ? BLOG_SAVE_TITLED : 0)
               | (post->fronted ? BLOG_SAVE_FRONTED : 0)
               | (post->toc ? BLOG_SAVE_TOC : 0)
               | (post->date.zone ? BLOG_SAVE_DATE_ZONE : 0)
               | (post->lastmod.zone ? BLOG_SAVE_MOD_ZONE : 0);
    sp.name_at = post->name_at;
    sp.reading_time = post->reading_time;
    sp.words = post->words;
    sp.ntags = (uint32_t) post->ntags;
    sp.naliases = (uint32_t) post->naliases;
    sp.date_off = post->date.off;
    sp.lastmod_off = post->lastmod.off;
    sp.date = post->date.sec;
    sp.lastmod = post->lastmod.sec;
    sp.publish_at = post->publish_at;
    sp.expires_at = post->expires_at;
    sp.digest = post->digest;
    sp.dev = post->file.dev;
    sp.ino = post->file.ino;
    sp.size = post->file.size;
    sp.mtime_sec = post->file.mtime_sec;
    sp.mtime_nsec = post->file.mtime_nsec;

    blog_index_save_put(out, &sp, sizeof(blog_save_post_t));

    /* the path below the root, "/" first: the root is said once */

    rel.data = post->path.data + root_len;
    rel.len = post->path.len - root_len;

    blog_index_save_str(out, &rel);
    blog_index_save_str(out, &post->slug);
    blog_index_save_str(out, &post->redirect);
    blog_index_save_str(out, &post->title);
    blog_index_save_str(out, &post->description);

    for (i = 0; i < post->ntags; i++) {
        blog_index_save_str(out, &post->tags[i].name);
        blog_index_save_str(out, &post->tags[i].key);
    }

    for (i = 0; i < post->naliases; i++) {
        blog_index_save_str(out, &post->aliases[i]);
    }

    return ferror(out->f) ? BLOG_ERROR : BLOG_OK;
}


static void
blog_index_save_str(blog_save_out_t *out, const blog_str_t *s)
{
    uint32_t  len;

    len = (s->data == NULL) ? BLOG_SAVE_NULL : (uint32_t) s->len;

    blog_index_save_put(out, &len, sizeof(uint32_t));

    if (s->data != NULL) {
        blog_index_save_put(out, s->data, s->len);
    }
}


static void
blog_index_save_put(blog_save_out_t *out, const void *p, size_t n)
{
    if (n == 0) {
        return;
    }

    (void) fwrite(p, 1, n, out->f);

    out->sum = crc32_z(out->sum, p, n);
    out->size += n;
}
