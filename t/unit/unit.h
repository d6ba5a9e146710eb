
/*
 * What every unit test of the core includes: cmocka and blog.h, plus a few
 * assertions on blog_buf_t and blog_str_t (neither is NUL-terminated) and
 * helpers that lay out a content folder under /tmp for the index tests.
 * It must come first: it asks libc for nftw() and friends.
 */


#ifndef _UNIT_H_INCLUDED_
#define _UNIT_H_INCLUDED_


#define _GNU_SOURCE

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <unistd.h>
#include <sys/stat.h>

#include "blog.h"


#define UNIT_ARRAY(a)  (sizeof(a) / sizeof((a)[0]))


/* the text of a blog_str_t or blog_buf_t as a C string, for messages */

#define unit_cstr(s, tmp)                                                     \
    (snprintf(tmp, sizeof(tmp), "%.*s", (int) (s).len,                        \
              (s).data != NULL ? (char *) (s).data : ""), tmp)

#define assert_bstr_equal(s, expected)                                        \
    do {                                                                      \
        char  unit_tmp_[8192];                                                \
        assert_string_equal(unit_cstr(s, unit_tmp_), expected);              \
        assert_int_equal((s).len, strlen(expected));                          \
    } while (0)

#define assert_contains(hay, needle)                                          \
    do {                                                                      \
        const char  *unit_h_ = (hay), *unit_n_ = (needle);                    \
        if (unit_h_ == NULL || strstr(unit_h_, unit_n_) == NULL) {            \
            fail_msg("\"%s\" not found in \"%.2000s\"", unit_n_,              \
                     unit_h_ != NULL ? unit_h_ : "(null)");                  \
        }                                                                     \
    } while (0)

#define assert_not_contains(hay, needle)                                      \
    do {                                                                      \
        const char  *unit_h_ = (hay), *unit_n_ = (needle);                    \
        if (unit_h_ != NULL && strstr(unit_h_, unit_n_) != NULL) {            \
            fail_msg("\"%s\" unexpected in \"%.2000s\"", unit_n_, unit_h_);   \
        }                                                                     \
    } while (0)


/* NUL-terminates a buffer's text without counting the NUL */

static inline const char *
unit_buf_str(blog_buf_t *b)
{
    blog_buf_addc(b, '\0');

    if (b->failed || b->data == NULL) {
        return "(failed buffer)";
    }

    b->len--;

    return (const char *) b->data;
}


/* writes root/rel, making the folders on the way */

static inline void
unit_write(const char *root, const char *rel, const char *text)
{
    int     fd;
    char    path[4096], *p;
    size_t  n;

    snprintf(path, sizeof(path), "%s/%s", root, rel);

    for (p = path + strlen(root) + 1; (p = strchr(p, '/')) != NULL; p++) {
        *p = '\0';

        if (mkdir(path, 0755) == -1 && errno != EEXIST) {
            fail_msg("mkdir %s: %s", path, strerror(errno));
        }

        *p = '/';
    }

    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd == -1) {
        fail_msg("open %s: %s", path, strerror(errno));
    }

    n = strlen(text);

    if (write(fd, text, n) != (ssize_t) n) {
        fail_msg("write %s: %s", path, strerror(errno));
    }

    close(fd);
}


static inline void
unit_mkdtemp(char *dir, size_t size)
{
    snprintf(dir, size, "/tmp/blog-unit-XXXXXX");

    if (mkdtemp(dir) == NULL) {
        fail_msg("mkdtemp: %s", strerror(errno));
    }
}


static inline int
unit_rm_one(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
    return remove(path);
}


static inline void
unit_rmrf(const char *dir)
{
    if (dir[0] != '\0') {
        (void) nftw(dir, unit_rm_one, 16, FTW_DEPTH | FTW_PHYS);
    }
}


#endif /* _UNIT_H_INCLUDED_ */
