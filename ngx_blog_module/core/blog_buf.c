
/*
 * Growable byte buffers and small string helpers on malloc.  A buffer that
 * fails to grow remembers it and drops every later write, so a page writer
 * checks once, at the end, instead of after every append.  Also reading a
 * whole file into one, and opening a post beneath its content root without
 * following a symbolic link on the way.
 */


#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <time.h>

#if defined __linux__ && defined __has_include
#if __has_include(<linux/openat2.h>)
#include <sys/syscall.h>
#include <linux/openat2.h>
#ifdef SYS_openat2
#define BLOG_HAVE_OPENAT2  1
#endif
#endif
#endif

#include "blog.h"


#define BLOG_FILE_FLAGS  (O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW)


static int blog_file_open_steps(int dir, char *rel, const char **reason);
static int blog_file_read_fd(int fd, size_t max, blog_buf_t *out,
    blog_file_id_t *id, const char **reason);
static const char *blog_file_reason(int err);


#ifdef BLOG_HAVE_OPENAT2
/* set once openat2() turned out to be missing: it is not tried again */
static int  blog_openat2_missing;
#endif


void
blog_buf_init(blog_buf_t *b)
{
    b->data = NULL;
    b->len = 0;
    b->size = 0;
    b->failed = 0;
}


void
blog_buf_free(blog_buf_t *b)
{
    free(b->data);
    blog_buf_init(b);
}


int
blog_buf_reserve(blog_buf_t *b, size_t n)
{
    size_t   size;
    u_char  *p;

    if (b->failed) {
        return BLOG_ERROR;
    }

    if (n <= b->size - b->len) {
        return BLOG_OK;
    }

    if (n > SIZE_MAX / 2 - b->len) {
        b->failed = 1;
        return BLOG_ERROR;
    }

    size = b->size ? b->size : 256;

    while (size - b->len < n) {
        size *= 2;
    }

    p = realloc(b->data, size);
    if (p == NULL) {
        b->failed = 1;
        return BLOG_ERROR;
    }

    b->data = p;
    b->size = size;

    return BLOG_OK;
}


void
blog_buf_add(blog_buf_t *b, const void *p, size_t n)
{
    if (n == 0 || blog_buf_reserve(b, n) != BLOG_OK) {
        return;
    }

    memcpy(b->data + b->len, p, n);
    b->len += n;
}


void
blog_buf_adds(blog_buf_t *b, const char *s)
{
    blog_buf_add(b, s, strlen(s));
}


void
blog_buf_addc(blog_buf_t *b, u_char c)
{
    if (blog_buf_reserve(b, 1) != BLOG_OK) {
        return;
    }

    b->data[b->len++] = c;
}


void
blog_buf_printf(blog_buf_t *b, const char *fmt, ...)
{
    int      n;
    va_list  args;

    va_start(args, fmt);
    n = vsnprintf(NULL, 0, fmt, args);
    va_end(args);

    if (n <= 0 || blog_buf_reserve(b, (size_t) n + 1) != BLOG_OK) {
        return;
    }

    va_start(args, fmt);
    vsnprintf((char *) b->data + b->len, (size_t) n + 1, fmt, args);
    va_end(args);

    b->len += n;
}


int
blog_str_dup(blog_str_t *dst, const u_char *p, size_t n)
{
    dst->data = malloc(n + 1);
    if (dst->data == NULL) {
        dst->len = 0;
        return BLOG_ERROR;
    }

    if (n) {
        memcpy(dst->data, p, n);
    }

    dst->data[n] = '\0';
    dst->len = n;

    return BLOG_OK;
}


int
blog_str_eq(const blog_str_t *a, const blog_str_t *b)
{
    return a->len == b->len
           && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}


/*
 * Reads a regular file of at most max bytes.  The reason names what went
 * wrong for the error log; errno is kept for the caller.
 */

int
blog_file_read(const char *path, size_t max, blog_buf_t *out,
    blog_file_id_t *id, const char **reason)
{
    int  fd;

    fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd == -1) {
        *reason = strerror(errno);
        return BLOG_ERROR;
    }

    return blog_file_read_fd(fd, max, out, id, reason);
}


/*
 * The same for a post: path is absolute, its first root_len bytes the
 * resolved content root.  The root may itself be reached through links (a
 * deploy that swaps "current"), nothing below it may be one: an author who
 * replaces a post or a folder by a link must not publish its target.
 */

int
blog_file_read_beneath(const char *path, size_t root_len, size_t max,
    blog_buf_t *out, blog_file_id_t *id, const char **reason)
{
    return blog_file_read_below(-1, path, root_len, max, out, id, reason);
}


/*
 * The same, with the root open already (root, from an open() of its
 * first root_len bytes), as a scan does once for all its files; -1 opens
 * it for this file.
 */

int
blog_file_read_below(int root, const char *path, size_t root_len,
    size_t max, blog_buf_t *out, blog_file_id_t *id, const char **reason)
{
    int  fd;

    fd = blog_file_open_beneath(root, path, root_len, reason);
    if (fd == -1) {
        return BLOG_ERROR;
    }

    return blog_file_read_fd(fd, max, out, id, reason);
}


/*
 * Opens path, whose first root_len bytes are the resolved content root,
 * with nothing below the root a symbolic link; root is that root open
 * already, or -1.  The descriptor, or -1 with errno and reason set.
 */

int
blog_file_open_beneath(int root, const char *path, size_t root_len,
    const char **reason)
{
    int     dir, fd, err;
    char    root_path[PATH_MAX], rel[PATH_MAX];
    size_t  n;

    if (root_len >= sizeof(root_path) || path[root_len] != '/') {
        *reason = "not below the content root, not read";
        errno = EINVAL;
        return -1;
    }

    /* a root_len of 0: the root is "/" */

    memcpy(root_path, root_len ? path : "/", root_len ? root_len : 1);
    root_path[root_len ? root_len : 1] = '\0';

    path += root_len;

    while (*path == '/') {
        path++;
    }

    n = strlen(path);

    if (n == 0) {
        *reason = "not below the content root, not read";
        errno = EINVAL;
        return -1;
    }

    if (n >= sizeof(rel)) {
        *reason = "path too long";
        errno = ENAMETOOLONG;
        return -1;
    }

    memcpy(rel, path, n + 1);

    dir = (root != -1) ? root
                       : open(root_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir == -1) {
        *reason = strerror(errno);
        return -1;
    }

#ifdef BLOG_HAVE_OPENAT2
    if (!__atomic_load_n(&blog_openat2_missing, __ATOMIC_RELAXED)) {
        struct open_how  how;

        memset(&how, 0, sizeof(struct open_how));
        how.flags = BLOG_FILE_FLAGS;
        how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS;

        fd = syscall(SYS_openat2, dir, rel, &how, sizeof(struct open_how));

        if (fd != -1) {
            if (dir != root) {
                close(dir);
            }

            return fd;
        }

        /*
         * ENOSYS: a kernel older than 5.6 (or valgrind 3.19); EPERM: a
         * container's seccomp filter that predates the call.  The steps
         * below are as strict.
         */

        if (errno != ENOSYS && errno != EPERM) {
            *reason = blog_file_reason(errno);
            goto failed;
        }

        __atomic_store_n(&blog_openat2_missing, 1, __ATOMIC_RELAXED);
    }
#endif

    fd = blog_file_open_steps(dir, rel, reason);

    if (fd == -1) {
        goto failed;
    }

    if (dir != root) {
        close(dir);
    }

    return fd;

failed:

    err = errno;

    if (dir != root) {
        close(dir);
    }

    errno = err;

    return -1;
}


/* one component at a time, none of them followed if it is a link */

static int
blog_file_open_steps(int dir, char *rel, const char **reason)
{
    int           fd, next, err;
    char         *name, *slash;
    struct stat   st;

    fd = dir;
    name = rel;

    for ( ;; ) {
        slash = strchr(name, '/');

        if (slash != NULL) {
            *slash = '\0';
        }

        if (strcmp(name, "..") == 0) {
            *reason = "not below the content root, not read";
            err = EXDEV;
            goto failed;
        }

        if (slash == NULL) {
            break;
        }

        if (name[0] != '\0' && strcmp(name, ".") != 0) {
            next = openat(fd, name,
                          O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (next == -1) {
                err = errno;

                /* O_DIRECTORY meets a link it may not follow as ENOTDIR */

                if (err == ENOTDIR
                    && fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0
                    && S_ISLNK(st.st_mode))
                {
                    err = ELOOP;
                }

                *reason = blog_file_reason(err);
                goto failed;
            }

            if (fd != dir) {
                close(fd);
            }

            fd = next;
        }

        name = slash + 1;
    }

    next = openat(fd, name, BLOG_FILE_FLAGS);
    if (next == -1) {
        err = errno;
        *reason = blog_file_reason(err);
        goto failed;
    }

    if (fd != dir) {
        close(fd);
    }

    return next;

failed:

    if (fd != dir) {
        close(fd);
    }

    errno = err;

    return -1;
}


static int
blog_file_read_fd(int fd, size_t max, blog_buf_t *out, blog_file_id_t *id,
    const char **reason)
{
    int          err;
    size_t       want;
    ssize_t      n;
    struct stat  st;

    if (fstat(fd, &st) == -1) {
        *reason = strerror(errno);
        goto failed;
    }

    if (!S_ISREG(st.st_mode)) {
        *reason = "not a regular file";
        goto failed;
    }

    blog_file_id_of(id, &st);

    if ((uint64_t) st.st_size > max) {
        *reason = "larger than blog_max_post_size";
        goto failed;
    }

    if (blog_buf_reserve(out, (size_t) st.st_size + 1) != BLOG_OK) {
        *reason = "out of memory";
        goto failed;
    }

    for ( ;; ) {
        if (out->len > max) {
            *reason = "larger than blog_max_post_size";
            goto failed;
        }

        if (blog_buf_reserve(out, 4096) != BLOG_OK) {
            *reason = "out of memory";
            goto failed;
        }

        want = out->size - out->len;

        n = read(fd, out->data + out->len, want);

        if (n == -1) {
            if (errno == EINTR) {
                continue;
            }

            *reason = strerror(errno);
            goto failed;
        }

        if (n == 0) {
            break;
        }

        out->len += n;

        /*
         * A short read that ends where fstat() said is the end: no read
         * to hear it again.  Grown since, fstat() below says so.
         */

        if ((size_t) n < want && out->len == id->size) {
            break;
        }
    }

    if (out->len > max) {
        *reason = "larger than blog_max_post_size";
        goto failed;
    }

    /* a file written while it was read (a save in place) is no version */

    if (fstat(fd, &st) == 0
        && ((uint64_t) st.st_size != id->size
            || st.st_mtim.tv_sec != id->mtime_sec
            || st.st_mtim.tv_nsec != id->mtime_nsec))
    {
        *reason = "written while it was read";
        errno = EAGAIN;
        goto failed;
    }

    close(fd);

    return BLOG_OK;

failed:

    err = errno;
    close(fd);
    errno = err;

    return BLOG_ERROR;
}


/* ELOOP: a link met on the way, where no link may be */

static const char *
blog_file_reason(int err)
{
    switch (err) {

    case ELOOP:
        return "symbolic link, not read";

    case EXDEV:
        return "not below the content root, not read";

    default:
        return strerror(err);
    }
}


/* what tells one version of a file from another */

void
blog_file_id_of(blog_file_id_t *id, const struct stat *st)
{
    id->dev = st->st_dev;
    id->ino = st->st_ino;
    id->size = st->st_size;
    id->mtime_sec = st->st_mtim.tv_sec;
    id->mtime_nsec = st->st_mtim.tv_nsec;
}


/*
 * When a file saved in place can be trusted to be whole: its writer may
 * truncate it, write part, pause and write the rest, so a file changed
 * less than settle_ms ago may be half written.  0 when it has settled
 * (by the wall clock: modification times are wall-clock times); a time
 * far in the future is a clock set wrong, not a write under way.
 */

int64_t
blog_file_settled_at(const blog_file_id_t *id, unsigned settle_ms)
{
    int64_t          at, now;
    struct timespec  ts;

    if (settle_ms == 0) {
        return 0;
    }

    clock_gettime(CLOCK_REALTIME, &ts);

    now = (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    at = (int64_t) id->mtime_sec * 1000 + id->mtime_nsec / 1000000
         + settle_ms;

    if (at <= now || at > now + 60000) {
        return 0;
    }

    return at;
}


/*
 * A post that had front matter and now has none, or is empty, is most
 * likely a save in place caught between its truncation and its writes by
 * a writer that paused: it must stand still longer before it is taken.
 */

unsigned
blog_file_doubt_ms(const blog_options_t *opts)
{
    unsigned  ms;

    ms = 10 * opts->settle_ms;

    if (ms > 2000) {
        ms = 2000;
    }

    return ms > opts->settle_ms ? ms : opts->settle_ms;
}


/* FNV-1a, 64 bits: digests that are the same on every server */

uint64_t
blog_hash(uint64_t h, const void *p, size_t n)
{
    const u_char  *s = p;

    while (n--) {
        h ^= *s++;
        h *= 0x100000001b3ULL;
    }

    return h;
}


/*
 * How long a file saved in place must stand still to be taken whole,
 * for a server that checks its folders every interval_ms: twice that,
 * from a tenth of a second to one second.  Until then a scan keeps what
 * it had of the file.
 */

unsigned
blog_file_settle_ms(unsigned interval_ms)
{
    unsigned  ms;

    ms = (interval_ms > BLOG_SETTLE_MAX) ? BLOG_SETTLE_MAX : 2 * interval_ms;

    if (ms < BLOG_SETTLE_MIN) {
        ms = BLOG_SETTLE_MIN;
    }

    return (ms > BLOG_SETTLE_MAX) ? BLOG_SETTLE_MAX : ms;
}
