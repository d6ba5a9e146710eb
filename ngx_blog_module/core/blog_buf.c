
/*
 * Growable byte buffers and small string helpers on malloc.  A buffer that
 * fails to grow remembers it and drops every later write, so a page writer
 * checks once, at the end, instead of after every append.
 */


#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

#include "blog.h"


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
    int          fd, err;
    ssize_t      n;
    struct stat  st;

    fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd == -1) {
        *reason = strerror(errno);
        return BLOG_ERROR;
    }

    if (fstat(fd, &st) == -1) {
        *reason = strerror(errno);
        goto failed;
    }

    if (!S_ISREG(st.st_mode)) {
        *reason = "not a regular file";
        goto failed;
    }

    id->dev = st.st_dev;
    id->ino = st.st_ino;
    id->size = st.st_size;
    id->mtime_sec = st.st_mtim.tv_sec;
    id->mtime_nsec = st.st_mtim.tv_nsec;

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

        n = read(fd, out->data + out->len, out->size - out->len);

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
    }

    if (out->len > max) {
        *reason = "larger than blog_max_post_size";
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
