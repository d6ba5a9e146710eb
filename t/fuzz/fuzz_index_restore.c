
/*
 * blog_index_restore on any post records, past its checks of the file as
 * a whole: the target saves a real index of a small blog once, takes the
 * header of that file (the shape of this build and these options), and
 * makes each input a file of it: the input's first two bytes are the
 * number of posts, the root's path and the rest of the input the body,
 * the size and the CRC-32 made to match.  An index restored is then the
 * index before of a scan of that same blog, as after a restart.  Nothing
 * may crash or leak, and whatever the file said, the scan's index holds
 * the blog's posts, no more, no fewer.
 *
 * The seeds (t/fuzz/corpus/index_restore/) are the body of that blog's
 * file, the header and root left out.  A file's device and inode differ
 * on each run: in the seeds they are the marks "@dev@@@@" and "@inoN@@@"
 * (N: the blog's Nth file below), which the target replaces with the
 * live ones, so that the scan trusts the restored posts as a running
 * server's scan would, and what the fuzzer makes of them reaches the
 * index's passes over slugs, tags and old URLs.
 */


#include "fuzz.h"
#include "blog_index_save.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <unistd.h>
#include <sys/stat.h>
#include <zlib.h>


#define FUZZ_MARK_LEN   8
#define FUZZ_NOW        1780704000      /* 2026-06-06 00:00:00 UTC */


/*
 * The file's header is blog_save_header_t, and its sum the CRC-32 of the
 * body, then of the header with sum 0 (blog_index_save.h): fuzz_setup()
 * checks fuzz_seal() against a file that blog_index_save() wrote.
 */

static void fuzz_setup(void);
static void fuzz_cleanup(void);
static void fuzz_write_post(size_t k);
static u_char *fuzz_read(const char *path, size_t *n);
static void fuzz_write(const char *path, const u_char *p, size_t n);
static void fuzz_seal(blog_save_header_t *h, const u_char *body, size_t n);
static void fuzz_unmark(u_char *p, size_t n);
static void fuzz_check_index(blog_index_t *ix, size_t nposts);


/* the blog: what the index's passes look at, in a few posts */

static const char  *fuzz_posts[][2] = {
    { "a.md",
      "---\ntitle: A\ndate: 2024-01-01T10:00:00+02:00\ntags: [Go, Rust]\n"
      "aliases: [/old/a]\nlastmod: 2024-02-01\ntoc: true\n---\n# A\n\nx\n" },
    { "b/2024-01-02-b.md",
      "---\ntitle: B\ntags: [go, Café]\ndescription: Bee.\n---\nx\n" },
    { "c/index.md",
      "---\ntitle: C\ndate: 2024-01-03\nredirect: /blog/a/\n---\n" },
    { "_drafts/d.md", "---\ntitle: D\n---\nx\n" },
    { "e.md", "No front matter.\n" },
    { "f.md",
      "---\ntitle: F\ndate: 2024-01-01\nslug: a\nexpiryDate: 2030-01-01\n"
      "publishDate: 2024-01-01\n---\nx\n" },
};

static char                 fuzz_dir[64];
static char                 fuzz_root[PATH_MAX];
static char                 fuzz_file[PATH_MAX];
static size_t               fuzz_root_len;
static blog_options_t       fuzz_opts = BLOG_DEFAULT_OPTIONS;
static blog_save_header_t   fuzz_header;
static uint64_t             fuzz_dev;
static uint64_t             fuzz_ino[FUZZ_ARRAY(fuzz_posts)];
static char                *fuzz_paths[FUZZ_ARRAY(fuzz_posts)];
static size_t               fuzz_npaths;


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t               n;
    u_char              *file;
    const char          *reason;
    blog_index_t        *restored, *ix;
    blog_save_header_t   h;

    if (fuzz_root_len == 0) {
        fuzz_setup();
    }

    if (size < 2) {
        return 0;
    }

    n = fuzz_root_len + size - 2;

    file = malloc(sizeof(blog_save_header_t) + n);
    if (file == NULL) {
        return 0;
    }

    memcpy(file + sizeof(blog_save_header_t), fuzz_root, fuzz_root_len);
    memcpy(file + sizeof(blog_save_header_t) + fuzz_root_len, data + 2,
           size - 2);

    fuzz_unmark(file + sizeof(blog_save_header_t) + fuzz_root_len,
                size - 2);

    h = fuzz_header;
    h.nposts = data[0] | (data[1] << 8);
    fuzz_seal(&h, file + sizeof(blog_save_header_t), n);
    memcpy(file, &h, sizeof(blog_save_header_t));

    fuzz_write(fuzz_file, file, sizeof(blog_save_header_t) + n);
    free(file);

    reason = NULL;
    restored = blog_index_restore(fuzz_file, fuzz_root, &fuzz_opts, &reason);

    if (restored == NULL) {
        fuzz_check(reason != NULL);
        return 0;
    }

    fuzz_check_index(restored, h.nposts);

    ix = blog_index_update(fuzz_root, &fuzz_opts, restored, FUZZ_NOW, NULL);
    fuzz_check(ix != NULL);

    /* the blog's posts, as the file had them or read again */

    fuzz_check(ix->nall == fuzz_npaths);
    fuzz_check(ix->held == 0);

    for (n = 0; n < ix->nall; n++) {
        fuzz_check(strcmp((char *) ix->all[n]->path.data + ix->root_len,
                          fuzz_paths[n])
                   == 0);
    }

    blog_index_release(ix);
    blog_index_release(restored);

    return 0;
}


/*
 * The blog, its saved file's header, and what a scan of it from scratch
 * holds; the file is checked to be one this target can make.
 */

static void
fuzz_setup(void)
{
    char                 path[PATH_MAX + 64];
    size_t               i, n;
    u_char              *data;
    const char          *reason;
    struct stat          st;
    blog_index_t        *ix, *restored;
    blog_save_header_t   h;

    snprintf(fuzz_dir, sizeof(fuzz_dir), "/tmp/blog-fuzz-XXXXXX");
    fuzz_check(mkdtemp(fuzz_dir) != NULL);
    atexit(fuzz_cleanup);

    snprintf(fuzz_file, sizeof(fuzz_file), "%s/index", fuzz_dir);
    snprintf(path, sizeof(path), "%s/blog", fuzz_dir);
    fuzz_check(mkdir(path, 0755) == 0);

    /* the root as restore resolves it: the body starts with it */
    fuzz_check(realpath(path, fuzz_root) != NULL);
    fuzz_root_len = strlen(fuzz_root);

    fuzz_opts.drafts = 1;
    fuzz_opts.settle_ms = 100;

    for (i = 0; i < FUZZ_ARRAY(fuzz_posts); i++) {
        fuzz_write_post(i);
    }

    ix = blog_index_build(fuzz_root, &fuzz_opts, NULL, FUZZ_NOW);
    fuzz_check(ix != NULL && ix->nall == FUZZ_ARRAY(fuzz_posts));

    for (i = 0; i < ix->nall; i++) {
        fuzz_paths[i] = strdup((char *) ix->all[i]->path.data
                               + ix->root_len);
        fuzz_check(fuzz_paths[i] != NULL);
    }

    fuzz_npaths = ix->nall;

    fuzz_check(blog_index_save(ix, &fuzz_opts, fuzz_file, &reason)
               == BLOG_OK);
    blog_index_release(ix);

    data = fuzz_read(fuzz_file, &n);
    fuzz_check(n > sizeof(blog_save_header_t) + fuzz_root_len);
    memcpy(&fuzz_header, data, sizeof(blog_save_header_t));

    /* the mirror above still matches blog_index_save.c */

    h = fuzz_header;
    fuzz_seal(&h, data + sizeof(blog_save_header_t),
              n - sizeof(blog_save_header_t));
    fuzz_check(memcmp(&h, &fuzz_header, sizeof(blog_save_header_t)) == 0);
    fuzz_check(fuzz_header.root_len == fuzz_root_len);

    free(data);

    restored = blog_index_restore(fuzz_file, fuzz_root, &fuzz_opts,
                                  &reason);
    fuzz_check(restored != NULL);
    blog_index_release(restored);

    /* the identities the seeds' marks stand for */

    fuzz_check(stat(fuzz_root, &st) == 0);
    fuzz_dev = st.st_dev;

    for (i = 0; i < FUZZ_ARRAY(fuzz_posts); i++) {
        snprintf(path, sizeof(path), "%s/%s", fuzz_root, fuzz_posts[i][0]);
        fuzz_check(stat(path, &st) == 0);
        fuzz_ino[i] = st.st_ino;
    }
}


static void
fuzz_cleanup(void)
{
    size_t  i;
    char    path[PATH_MAX + 64];
    char   *slash;

    for (i = 0; i < FUZZ_ARRAY(fuzz_posts); i++) {
        snprintf(path, sizeof(path), "%s/%s", fuzz_root, fuzz_posts[i][0]);
        (void) unlink(path);

        slash = strrchr(path, '/');

        if (slash != NULL && (size_t) (slash - path) > fuzz_root_len) {
            *slash = '\0';
            (void) rmdir(path);
        }

        free(fuzz_paths[i]);
        fuzz_paths[i] = NULL;
    }

    (void) rmdir(fuzz_root);
    (void) unlink(fuzz_file);
    (void) rmdir(fuzz_dir);
}


/* the Nth post, with a time of its own that no run changes */

static void
fuzz_write_post(size_t k)
{
    int              fd;
    char             path[PATH_MAX + 64], *slash;
    size_t           n;
    struct timespec  ts[2];

    snprintf(path, sizeof(path), "%s/%s", fuzz_root, fuzz_posts[k][0]);

    slash = strrchr(path, '/');

    if ((size_t) (slash - path) > fuzz_root_len) {
        *slash = '\0';
        fuzz_check(mkdir(path, 0755) == 0 || errno == EEXIST);
        *slash = '/';
    }

    n = strlen(fuzz_posts[k][1]);

    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    fuzz_check(fd != -1);
    fuzz_check(write(fd, fuzz_posts[k][1], n) == (ssize_t) n);
    close(fd);

    ts[0].tv_sec = 1700000000 + k;
    ts[0].tv_nsec = 0;
    ts[1] = ts[0];

    fuzz_check(utimensat(AT_FDCWD, path, ts, 0) == 0);
}


static u_char *
fuzz_read(const char *path, size_t *n)
{
    int          fd;
    u_char      *p;
    struct stat  st;

    fd = open(path, O_RDONLY);
    fuzz_check(fd != -1 && fstat(fd, &st) == 0);

    p = malloc(st.st_size);
    fuzz_check(p != NULL);
    fuzz_check(read(fd, p, st.st_size) == st.st_size);
    close(fd);

    *n = st.st_size;

    return p;
}


static void
fuzz_write(const char *path, const u_char *p, size_t n)
{
    int  fd;

    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    fuzz_check(fd != -1);
    fuzz_check(write(fd, p, n) == (ssize_t) n);
    close(fd);
}


/* the size and sum of a header for a body of n bytes */

static void
fuzz_seal(blog_save_header_t *h, const u_char *body, size_t n)
{
    uLong  sum;

    h->size = n;
    h->sum = 0;

    sum = crc32_z(crc32(0L, Z_NULL, 0), body, n);
    h->sum = crc32_z(sum, (u_char *) h, sizeof(blog_save_header_t));
}


/* the seeds' marks of a device and inodes, as this run's files have them */

static void
fuzz_unmark(u_char *p, size_t n)
{
    size_t    i, k;
    uint64_t  v;

    for (i = 0; i + FUZZ_MARK_LEN <= n; i++) {
        if (p[i] != '@') {
            continue;
        }

        if (memcmp(p + i, "@dev@@@@", FUZZ_MARK_LEN) == 0) {
            v = fuzz_dev;

        } else if (memcmp(p + i, "@ino", 4) == 0
                   && p[i + 4] >= '0' && p[i + 4] <= '9'
                   && memcmp(p + i + 5, "@@@", 3) == 0
                   && (size_t) (p[i + 4] - '0') < FUZZ_ARRAY(fuzz_ino))
        {
            k = p[i + 4] - '0';
            v = fuzz_ino[k];

        } else {
            continue;
        }

        memcpy(p + i, &v, FUZZ_MARK_LEN);
        i += FUZZ_MARK_LEN - 1;
    }
}


/* what restore promises of an index it gives: its posts, below the root */

static void
fuzz_check_index(blog_index_t *ix, size_t nposts)
{
    size_t        i;
    blog_post_t  *post;

    fuzz_check(ix->nall == nposts);
    fuzz_check(ix->root_len == fuzz_root_len);
    fuzz_check(ix->nentries == 0 && ix->ntags == 0);

    for (i = 0; i < ix->nall; i++) {
        post = ix->all[i];

        fuzz_check(post->refs == 1);
        fuzz_check(post->path.len > ix->root_len + 1);
        fuzz_check(memcmp(post->path.data, fuzz_root, fuzz_root_len) == 0);
        fuzz_check(post->path.data[ix->root_len] == '/');
        fuzz_check(strlen((char *) post->path.data) == post->path.len);
        fuzz_check(post->name_at > ix->root_len
                   && post->name_at < post->path.len);
        fuzz_check(post->ntags == 0 || post->tags != NULL);
        fuzz_check(post->naliases <= BLOG_POST_MAX_ALIASES);

        if (i > 0) {
            fuzz_check(strcmp((char *) ix->all[i - 1]->path.data,
                              (char *) post->path.data)
                       < 0);
        }
    }
}
