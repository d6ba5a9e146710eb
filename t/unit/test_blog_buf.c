
/*
 * blog_buf.c: growable buffers (growth, printf, a failure that sticks),
 * string helpers, reading a post's file within blog_max_post_size, and
 * opening it beneath the content root with no link on the way, through
 * openat2() and through the steps used where the kernel has none.
 */


#include "unit.h"

#include <limits.h>

#if defined __linux__ && defined __has_include
#if __has_include(<linux/openat2.h>) && __has_include(<linux/seccomp.h>)
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#ifdef SYS_openat2
#define UNIT_HAVE_OPENAT2  1
#endif
#endif
#endif


typedef struct {
    char            dir[64];
    char            path[128];
} unit_tmp_t;


static int setup(void **state);
static int teardown(void **state);
static void test_buf_growth(void **state);
static void test_buf_add_kinds(void **state);
static void test_buf_printf(void **state);
static void test_buf_failure_sticks(void **state);
static void test_str_dup(void **state);
static void test_str_eq(void **state);
static void test_file_read(void **state);
static void test_file_read_too_large(void **state);
static void test_file_read_not_regular(void **state);
static void test_file_read_missing(void **state);
static void test_file_read_beneath(void **state);
static void test_file_read_beneath_steps(void **state);
static void check_beneath(const char *dir);
static void check_beneath_refused(const char *path, size_t root_len,
    const char *reason, int err);


static int
setup(void **state)
{
    unit_tmp_t  *t;

    t = calloc(1, sizeof(unit_tmp_t));
    if (t == NULL) {
        return -1;
    }

    unit_mkdtemp(t->dir, sizeof(t->dir));
    snprintf(t->path, sizeof(t->path), "%s/post.md", t->dir);

    *state = t;

    return 0;
}


static int
teardown(void **state)
{
    unit_tmp_t  *t = *state;

    unit_rmrf(t->dir);
    free(t);

    return 0;
}


static void
test_buf_growth(void **state)
{
    size_t      i;
    blog_buf_t  b;

    blog_buf_init(&b);
    assert_int_equal(b.len, 0);
    assert_null(b.data);

    for (i = 0; i < 10000; i++) {
        blog_buf_add(&b, "0123456789", 10);
    }

    assert_int_equal(b.failed, 0);
    assert_int_equal(b.len, 100000);
    assert_true(b.size >= b.len);

    for (i = 0; i < 10000; i++) {
        if (memcmp(b.data + i * 10, "0123456789", 10) != 0) {
            fail_msg("bytes %zu..%zu are wrong", i * 10, i * 10 + 9);
        }
    }

    /* one append larger than twice the buffer */

    blog_buf_free(&b);
    blog_buf_adds(&b, "x");

    {
        char  big[5000];

        memset(big, 'y', sizeof(big));
        blog_buf_add(&b, big, sizeof(big));
    }

    assert_int_equal(b.len, 5001);
    assert_int_equal(b.data[0], 'x');
    assert_int_equal(b.data[5000], 'y');

    blog_buf_free(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.size, 0);
}


static void
test_buf_add_kinds(void **state)
{
    blog_buf_t  b;

    blog_buf_init(&b);

    blog_buf_adds(&b, "ab");
    blog_buf_addc(&b, 'c');
    blog_buf_add(&b, "def", 0);
    blog_buf_add(&b, "de\0f", 4);
    blog_buf_adds(&b, "");

    assert_int_equal(b.len, 7);
    assert_memory_equal(b.data, "abcde\0f", 7);

    blog_buf_free(&b);
}


static void
test_buf_printf(void **state)
{
    blog_buf_t  b;

    blog_buf_init(&b);

    blog_buf_printf(&b, "%d-%s-%c", 42, "x", 'y');
    assert_string_equal(unit_buf_str(&b), "42-x-y");

    blog_buf_adds(&b, "|");
    blog_buf_printf(&b, "%05u", 7u);
    assert_string_equal(unit_buf_str(&b), "42-x-y|00007");

    blog_buf_printf(&b, "%s", "");
    assert_int_equal(b.len, 12);

    /* longer than the first allocation */

    b.len = 0;
    blog_buf_printf(&b, "%0600d|%s", 1, "end");
    assert_int_equal(b.len, 604);
    assert_int_equal(b.data[0], '0');
    assert_int_equal(b.data[599], '1');
    assert_memory_equal(b.data + 600, "|end", 4);

    blog_buf_free(&b);
}


/* a buffer that could not grow drops every later write */

static void
test_buf_failure_sticks(void **state)
{
    blog_buf_t  b;

    blog_buf_init(&b);
    blog_buf_adds(&b, "ok");

    assert_int_equal(blog_buf_reserve(&b, SIZE_MAX - 8), BLOG_ERROR);
    assert_int_equal(b.failed, 1);

    blog_buf_adds(&b, "more");
    blog_buf_addc(&b, 'c');
    blog_buf_printf(&b, "%d", 1);

    assert_int_equal(b.len, 2);
    assert_int_equal(blog_buf_reserve(&b, 1), BLOG_ERROR);

    blog_buf_free(&b);
    assert_int_equal(b.failed, 0);

    blog_buf_adds(&b, "again");
    assert_int_equal(b.len, 5);

    blog_buf_free(&b);
}


static void
test_str_dup(void **state)
{
    blog_str_t  s;

    assert_int_equal(blog_str_dup(&s, (const u_char *) "hello world", 5),
                     BLOG_OK);
    assert_int_equal(s.len, 5);
    assert_string_equal((char *) s.data, "hello");
    free(s.data);

    assert_int_equal(blog_str_dup(&s, NULL, 0), BLOG_OK);
    assert_int_equal(s.len, 0);
    assert_non_null(s.data);
    assert_string_equal((char *) s.data, "");
    free(s.data);
}


static void
test_str_eq(void **state)
{
    blog_str_t  a = blog_string("abc");
    blog_str_t  b = blog_string("abc");
    blog_str_t  c = blog_string("abd");
    blog_str_t  d = blog_string("ab");
    blog_str_t  e = blog_null_string;
    blog_str_t  f = { 0, (u_char *) "x" };

    assert_true(blog_str_eq(&a, &b));
    assert_false(blog_str_eq(&a, &c));
    assert_false(blog_str_eq(&a, &d));
    assert_false(blog_str_eq(&d, &a));
    assert_true(blog_str_eq(&e, &f));
    assert_false(blog_str_eq(&e, &a));
}


static void
test_file_read(void **state)
{
    unit_tmp_t      *t = *state;
    blog_buf_t       b;
    const char      *reason;
    struct stat      st;
    blog_file_id_t   id;

    unit_write(t->dir, "post.md", "# Hello\n\nworld\n");
    assert_int_equal(stat(t->path, &st), 0);

    blog_buf_init(&b);
    reason = NULL;

    assert_int_equal(blog_file_read(t->path, 1024, &b, &id, &reason),
                     BLOG_OK);
    assert_int_equal(b.len, 15);
    assert_memory_equal(b.data, "# Hello\n\nworld\n", 15);

    assert_int_equal(id.size, 15);
    assert_int_equal(id.ino, st.st_ino);
    assert_int_equal(id.dev, st.st_dev);
    assert_int_equal(id.mtime_sec, st.st_mtim.tv_sec);
    assert_int_equal(id.mtime_nsec, st.st_mtim.tv_nsec);

    /* exactly the limit is allowed */

    b.len = 0;
    assert_int_equal(blog_file_read(t->path, 15, &b, &id, &reason), BLOG_OK);
    assert_int_equal(b.len, 15);

    /* an empty file */

    unit_write(t->dir, "post.md", "");
    b.len = 0;
    assert_int_equal(blog_file_read(t->path, 15, &b, &id, &reason), BLOG_OK);
    assert_int_equal(b.len, 0);
    assert_int_equal(id.size, 0);

    blog_buf_free(&b);
}


static void
test_file_read_too_large(void **state)
{
    char             text[10001];
    unit_tmp_t      *t = *state;
    blog_buf_t       b;
    const char      *reason;
    blog_file_id_t   id;

    memset(text, 'a', sizeof(text) - 1);
    text[sizeof(text) - 1] = '\0';
    unit_write(t->dir, "post.md", text);

    blog_buf_init(&b);
    reason = NULL;

    assert_int_equal(blog_file_read(t->path, 9999, &b, &id, &reason),
                     BLOG_ERROR);
    assert_non_null(reason);
    assert_contains(reason, "larger than");

    b.len = 0;
    reason = NULL;

    assert_int_equal(blog_file_read(t->path, 14, &b, &id, &reason),
                     BLOG_ERROR);
    assert_contains(reason, "larger than");

    blog_buf_free(&b);
}


static void
test_file_read_not_regular(void **state)
{
    unit_tmp_t      *t = *state;
    blog_buf_t       b;
    const char      *reason;
    blog_file_id_t   id;

    blog_buf_init(&b);
    reason = NULL;

    assert_int_equal(blog_file_read(t->dir, 1024, &b, &id, &reason),
                     BLOG_ERROR);
    assert_non_null(reason);
    assert_contains(reason, "not a regular file");

    blog_buf_free(&b);
}


static void
test_file_read_missing(void **state)
{
    unit_tmp_t      *t = *state;
    blog_buf_t       b;
    const char      *reason;
    blog_file_id_t   id;

    blog_buf_init(&b);
    reason = NULL;

    assert_int_equal(blog_file_read(t->path, 1024, &b, &id, &reason),
                     BLOG_ERROR);
    assert_non_null(reason);
    assert_string_equal(reason, strerror(ENOENT));
    assert_int_equal(errno, ENOENT);

    blog_buf_free(&b);
}


static void
test_file_read_beneath(void **state)
{
    unit_tmp_t  *t = *state;

    check_beneath(t->dir);
}


/*
 * A kernel without openat2(): a seccomp filter makes it fail with ENOSYS
 * for the rest of this process, so this test runs last.
 */

static void
test_file_read_beneath_steps(void **state)
{
#ifdef UNIT_HAVE_OPENAT2
    unit_tmp_t  *t = *state;

    struct sock_filter  filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                 offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat2, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog   prog = { UNIT_ARRAY(filter), filter };

    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1
        || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == -1)
    {
        skip();
    }

    assert_int_equal(syscall(SYS_openat2, AT_FDCWD, ".", NULL, 0), -1);
    assert_int_equal(errno, ENOSYS);

    check_beneath(t->dir);
#else
    skip();
#endif
}


/*
 * In dir: root/ (the content root), outside/ beside it, and current, a
 * link to root/ as a deploy makes one.
 */

static void
check_beneath(const char *dir)
{
    char             root[PATH_MAX], path[PATH_MAX + 64];
    size_t           len;
    blog_buf_t       b;
    const char      *reason;
    struct stat      st;
    blog_file_id_t   id;

    unit_write(dir, "root/post.md", "# Post\n");
    unit_write(dir, "root/sub/deeper/post.md", "# Deeper\n");
    unit_write(dir, "outside/secret.md", "# Secret\n");

    snprintf(path, sizeof(path), "%s/root", dir);
    assert_non_null(realpath(path, root));
    len = strlen(root);

    blog_buf_init(&b);

    /* a file below the root, at any depth */

    snprintf(path, sizeof(path), "%s/post.md", root);
    assert_int_equal(blog_file_read_beneath(path, len, 1024, &b, &id,
                                            &reason),
                     BLOG_OK);
    assert_int_equal(b.len, 7);
    assert_memory_equal(b.data, "# Post\n", 7);

    snprintf(path, sizeof(path), "%s/sub/deeper/post.md", root);
    assert_int_equal(stat(path, &st), 0);
    b.len = 0;
    assert_int_equal(blog_file_read_beneath(path, len, 1024, &b, &id,
                                            &reason),
                     BLOG_OK);
    assert_int_equal(b.len, 9);
    assert_int_equal(id.dev, st.st_dev);
    assert_int_equal(id.ino, st.st_ino);

    /* the root may be a link; what is below it may not */

    snprintf(path, sizeof(path), "%s/current", dir);
    assert_int_equal(symlink("root", path), 0);

    snprintf(path, sizeof(path), "%s/current/sub/deeper/post.md", dir);
    b.len = 0;
    assert_int_equal(blog_file_read_beneath(path, strlen(dir) + 8, 1024, &b,
                                            &id, &reason),
                     BLOG_OK);
    assert_int_equal(b.len, 9);

    snprintf(path, sizeof(path), "%s/link.md", root);
    assert_int_equal(symlink("../outside/secret.md", path), 0);
    check_beneath_refused(path, len, "symbolic link, not read", ELOOP);

    snprintf(path, sizeof(path), "%s/inside.md", root);
    assert_int_equal(symlink("post.md", path), 0);
    check_beneath_refused(path, len, "symbolic link, not read", ELOOP);

    snprintf(path, sizeof(path), "%s/out", root);
    assert_int_equal(symlink("../outside", path), 0);
    snprintf(path, sizeof(path), "%s/out/secret.md", root);
    check_beneath_refused(path, len, "symbolic link, not read", ELOOP);

    snprintf(path, sizeof(path), "%s/sub/in", root);
    assert_int_equal(symlink("deeper", path), 0);
    snprintf(path, sizeof(path), "%s/sub/in/post.md", root);
    check_beneath_refused(path, len, "symbolic link, not read", ELOOP);

    /* the same through the link to the root */

    snprintf(path, sizeof(path), "%s/current/out/secret.md", dir);
    check_beneath_refused(path, strlen(dir) + 8, "symbolic link, not read",
                          ELOOP);

    /* not a post, gone, or not below the root it was given */

    snprintf(path, sizeof(path), "%s/sub", root);
    check_beneath_refused(path, len, "not a regular file", 0);

    snprintf(path, sizeof(path), "%s/gone.md", root);
    check_beneath_refused(path, len, strerror(ENOENT), ENOENT);

    snprintf(path, sizeof(path), "%s/post.md", root);
    check_beneath_refused(path, len - 1, "not below the content root",
                          EINVAL);
    check_beneath_refused(path, strlen(path), "not below the content root",
                          EINVAL);

    blog_buf_free(&b);
}


static void
check_beneath_refused(const char *path, size_t root_len, const char *reason,
    int err)
{
    blog_buf_t       b;
    const char      *got;
    blog_file_id_t   id;

    blog_buf_init(&b);
    got = NULL;
    errno = 0;

    if (blog_file_read_beneath(path, root_len, 1024, &b, &id, &got)
        != BLOG_ERROR)
    {
        fail_msg("%s was read (root: %.*s)", path, (int) root_len, path);
    }

    if (err) {
        assert_int_equal(errno, err);
    }

    assert_contains(got, reason);
    assert_int_equal(b.len, 0);

    blog_buf_free(&b);
}


int
main(void)
{
    const struct CMUnitTest  tests[] = {
        cmocka_unit_test(test_buf_growth),
        cmocka_unit_test(test_buf_add_kinds),
        cmocka_unit_test(test_buf_printf),
        cmocka_unit_test(test_buf_failure_sticks),
        cmocka_unit_test(test_str_dup),
        cmocka_unit_test(test_str_eq),
        cmocka_unit_test_setup_teardown(test_file_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_read_too_large, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_file_read_not_regular, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_file_read_missing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_file_read_beneath, setup,
                                        teardown),
        /* last: it takes openat2() away from the process */
        cmocka_unit_test_setup_teardown(test_file_read_beneath_steps, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
