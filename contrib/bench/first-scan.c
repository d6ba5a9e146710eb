
/*
 * What a first scan costs, and of what (`make bench-first-scan`).  With
 * the core alone at -O2, it builds the index of ROOT three times with no
 * index before, in one thread per core as nginx's builder does, and says
 * the wall and CPU time of each.  Then, in one thread, it takes every
 * file's steps in turn and says their time per file: the read
 * (blog_file_read_below: open below the root, fstat, read, fstat,
 * close), the front matter's tree by the simple reader, which
 * blog_post_make uses when it can, and by libyaml, blog_post_make
 * (front matter, fields, summary, words) and blog_post_packed.  The
 * sum of the read, blog_post_make and blog_post_packed per file, times
 * the files, over the cores, is the least the reading of a first scan
 * takes, before the index is sorted and copied into the zone.  Prints
 * Markdown.
 *
 *     build/bench-first-scan ROOT
 */


#define _GNU_SOURCE

#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "blog.h"


#define BENCH_FS_RUNS  3


typedef struct {
    char          **paths;
    size_t          npaths;
    size_t          size;
    size_t          root_len;
} bench_fs_files_t;

typedef struct {
    double          read;
    double          simple;
    double          yaml;
    double          make;
    double          packed;
    size_t          nsimple;
    size_t          nyaml;
} bench_fs_steps_t;


static int bench_fs_file(const char *path, const struct stat *st, int type,
    struct FTW *ftw);
static void bench_fs_steps(const char *root, bench_fs_files_t *files,
    bench_fs_steps_t *s);
static void bench_fs_header(const u_char *text, size_t len,
    bench_fs_steps_t *s);
static double bench_fs_clock(clockid_t id);


/* what nftw() found so far */
static bench_fs_files_t  *bench_fs_found;


int
main(int argc, char **argv)
{
    int                i;
    char               root[PATH_MAX];
    double             wall, cpu, sum;
    unsigned           ncores;
    blog_index_t      *ix;
    blog_options_t     opts = BLOG_DEFAULT_OPTIONS;
    bench_fs_steps_t   s;
    bench_fs_files_t   files;

    if (argc != 2 || realpath(argv[1], root) == NULL) {
        fprintf(stderr, "usage: %s ROOT\n", argv[0]);
        return 2;
    }

    memset(&files, 0, sizeof(bench_fs_files_t));
    files.root_len = strlen(root);

    bench_fs_found = &files;

    if (nftw(root, bench_fs_file, 64, FTW_PHYS) != 0 || files.npaths == 0) {
        fprintf(stderr, "%s: no posts\n", root);
        return 1;
    }

    ncores = blog_index_threads();

    printf("| first scan of %zu files, no index before, %u threads | wall "
           "| CPU |\n| --- | --- | --- |\n", files.npaths, ncores);

    for (i = 0; i < BENCH_FS_RUNS; i++) {
        wall = bench_fs_clock(CLOCK_MONOTONIC);
        cpu = bench_fs_clock(CLOCK_PROCESS_CPUTIME_ID);

        ix = blog_index_build(root, &opts, NULL, time(NULL));

        wall = bench_fs_clock(CLOCK_MONOTONIC) - wall;
        cpu = bench_fs_clock(CLOCK_PROCESS_CPUTIME_ID) - cpu;

        if (ix == NULL) {
            fprintf(stderr, "%s: no index\n", root);
            return 1;
        }

        printf("| run %d: %zu posts | %.0f ms | %.0f ms |\n", i + 1,
               ix->nall, wall * 1e3, cpu * 1e3);

        blog_index_release(ix);
    }

    bench_fs_steps(root, &files, &s);

    sum = (s.read + s.make + s.packed) / files.npaths;

    printf("\n| step, in one thread, per file | µs |\n| --- | --- |\n");
    printf("| read: open below the root, fstat, read, fstat, close | %.2f "
           "|\n", s.read / files.npaths * 1e6);
    printf("| the front matter's tree by the simple reader (%zu files) | "
           "%.2f |\n", s.nsimple,
           s.nsimple ? s.simple / s.nsimple * 1e6 : 0.0);
    printf("| the front matter's tree by libyaml, as before (%zu files) | "
           "%.2f |\n", s.nyaml, s.nyaml ? s.yaml / s.nyaml * 1e6 : 0.0);
    printf("| blog_post_make: front matter, fields, summary, words | %.2f "
           "|\n", s.make / files.npaths * 1e6);
    printf("| blog_post_packed: the post in one block | %.2f |\n",
           s.packed / files.npaths * 1e6);
    printf("| read, make and packed | %.2f |\n", sum * 1e6);
    printf("| times %zu files, over %u cores: the least the reading takes "
           "| %.0f ms |\n", files.npaths, ncores,
           sum * files.npaths / ncores * 1e3);

    return 0;
}


/* the files a scan would read: regular files named as posts */

static int
bench_fs_file(const char *path, const struct stat *st, int type,
    struct FTW *ftw)
{
    char               **paths;
    blog_post_name_t     pn;
    bench_fs_files_t    *files = bench_fs_found;

    if (type != FTW_F || !S_ISREG(st->st_mode)
        || blog_post_name(&pn, path, files->root_len) != BLOG_OK)
    {
        return 0;
    }

    if (files->npaths == files->size) {
        files->size = files->size ? 2 * files->size : 1024;
        paths = realloc(files->paths, files->size * sizeof(char *));
        if (paths == NULL) {
            return -1;
        }

        files->paths = paths;
    }

    files->paths[files->npaths] = strdup(path);
    if (files->paths[files->npaths] == NULL) {
        return -1;
    }

    files->npaths++;

    return 0;
}


static void
bench_fs_steps(const char *root, bench_fs_files_t *files, bench_fs_steps_t *s)
{
    int                     fd;
    size_t                  i, root_len;
    double                  t0, t1;
    const char             *reason;
    blog_buf_t              text;
    blog_post_t            *post, *packed;
    blog_file_id_t          id;
    blog_options_t          opts = BLOG_DEFAULT_OPTIONS;
    blog_post_name_t        pn;
    blog_problem_detail_t   pd;

    memset(s, 0, sizeof(bench_fs_steps_t));

    root_len = strlen(root);

    fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd == -1) {
        return;
    }

    blog_buf_init(&text);

    for (i = 0; i < files->npaths; i++) {
        if (blog_post_name(&pn, files->paths[i], root_len) != BLOG_OK) {
            continue;
        }

        text.len = 0;

        t0 = bench_fs_clock(CLOCK_THREAD_CPUTIME_ID);

        if (blog_file_read_below(fd, files->paths[i], root_len,
                                 opts.max_post_size, &text, &id, &reason)
            != BLOG_OK)
        {
            continue;
        }

        t1 = bench_fs_clock(CLOCK_THREAD_CPUTIME_ID);
        s->read += t1 - t0;

        bench_fs_header(text.data, text.len, s);

        memset(&pd, 0, sizeof(blog_problem_detail_t));

        t0 = bench_fs_clock(CLOCK_THREAD_CPUTIME_ID);

        post = blog_post_make(files->paths[i], &id, &pn, &opts, &text, NULL,
                              &pd);

        t1 = bench_fs_clock(CLOCK_THREAD_CPUTIME_ID);
        s->make += t1 - t0;

        if (post == NULL) {
            continue;
        }

        packed = blog_post_packed(post);

        s->packed += bench_fs_clock(CLOCK_THREAD_CPUTIME_ID) - t1;

        blog_post_release(post);
        blog_post_release(packed);
    }

    blog_buf_free(&text);
    close(fd);
}


/*
 * The front matter between "---" lines as a tree, by the simple reader
 * and by libyaml, each timed where it reads it
 */

static void
bench_fs_header(const u_char *text, size_t len, bench_fs_steps_t *s)
{
    int                     rc;
    size_t                  n;
    double                  t0, t1;
    u_char                 *end;
    blog_node_t            *root;
    blog_problem_detail_t   pd;

    if (len < 8 || memcmp(text, "---\n", 4) != 0) {
        return;
    }

    end = memmem(text + 3, len - 3, "\n---\n", 5);
    if (end == NULL) {
        return;
    }

    n = end + 1 - (text + 4);

    t0 = bench_fs_clock(CLOCK_THREAD_CPUTIME_ID);
    rc = blog_fm_simple(&root, text + 4, n, 2, 64);
    t1 = bench_fs_clock(CLOCK_THREAD_CPUTIME_ID);

    if (rc == BLOG_OK) {
        s->simple += t1 - t0;
        s->nsimple++;
        blog_node_free(root);
    }

    memset(&pd, 0, sizeof(blog_problem_detail_t));

    t0 = bench_fs_clock(CLOCK_THREAD_CPUTIME_ID);
    rc = blog_fm_libyaml(&root, text + 4, n, 2, 64, &pd);
    t1 = bench_fs_clock(CLOCK_THREAD_CPUTIME_ID);

    if (rc == BLOG_OK) {
        s->yaml += t1 - t0;
        s->nyaml++;
        blog_node_free(root);
    }
}


static double
bench_fs_clock(clockid_t id)
{
    struct timespec  ts;

    (void) clock_gettime(id, &ts);

    return ts.tv_sec + ts.tv_nsec / 1e9;
}
