
/*
 * The index: every post under a content root, read once and then kept
 * fresh by rebuilding.  A rebuild walks the folder and stats each file, but
 * reads again only the files whose identity (device, inode, size, mtime)
 * changed; unchanged posts are shared with the previous index.  An index is
 * immutable once built and counted by reference, so a server may build the
 * next one in a thread while requests read the current one.
 */


#ifndef _GNU_SOURCE
#define _GNU_SOURCE             /* sched_getaffinity() */
#endif

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <time.h>
#include <pthread.h>
#include <sys/stat.h>

#include "blog.h"


#define BLOG_MAX_DEPTH  32

/* files read and parsed at once, by one thread a processor at most */
#define BLOG_LOAD_THREADS    8
#define BLOG_LOAD_PARALLEL   64

/* the files to read are kept in blocks of so many, which never move */
#define BLOG_LOAD_BLOCK      1024

/* no place, in the maps from one index's posts to another's */
#define BLOG_NONE            ((size_t) -1)


/* a file to be read: what the walk saw of it, then what was read */

typedef struct {
    char                   *path;
    blog_file_id_t          id;
    blog_post_t            *prev;      /* the version before, if any */
    blog_post_t            *post;
    blog_problem_detail_t  *pd;        /* what was wrong, or NULL */
    unsigned                first:1;   /* found by the first scan */
    unsigned                same:1;    /* as prev has it: not read */
    unsigned                skip:1;    /* no post after all */
} blog_load_t;

/*
 * A post with what sorts it in front: a sort reads its keys from one
 * array, not from posts all over memory, and reaches a post only to
 * break a tie.
 */

typedef struct {
    uint64_t               key[2];
    blog_post_t           *post;
} blog_sort_t;

typedef struct {
    const blog_options_t  *opts;
    blog_index_t          *prev;
    blog_index_t          *ix;
    size_t                *carried;         /* by place in prev's all: the
                                               same post's in ix's, or
                                               BLOG_NONE */
    size_t                *entry_of;        /* by place in ix's all: its
                                               entry, or BLOG_NONE */
    int64_t               *dates;           /* by entry, before the sort
                                               by date: its post's */
    size_t                 naliases;        /* of the entries' posts */
    size_t                 root_len;
    char                   root_real[PATH_MAX];
    size_t                 nall_size;
    u_char                *after;           /* by place in ix's all: 1 when
                                               its post is known to sort
                                               after the one before */
    size_t                 kept_at;         /* the last post kept: its place
                                               in prev's all, in ix's */
    size_t                 kept_k;
    size_t                 nproblems_size;
    blog_load_t          **loads;           /* blocks of BLOG_LOAD_BLOCK */
    size_t                 nloads;
    size_t                 nblocks_size;
    size_t                 next_load;       /* taken by the threads */
    pthread_mutex_t        lock;            /* of the four above, once
                                               threads read files */
    pthread_cond_t         more;            /* the walk deferred a file */
    pthread_t              tid[BLOG_LOAD_THREADS];
    unsigned               nthreads;
    int                    root_fd;         /* the root, open, or -1 */
    char                 **changed;         /* folders to read again */
    size_t                 nchanged;
    blog_closed_t         *closed;          /* files closed whole, sorted */
    size_t                 nclosed;
    char                 **kept;            /* folders kept as they were */
    size_t                 nkept;
    size_t                 nfolders_size;
    unsigned               incremental:1;   /* only changed folders read */
    unsigned               reread:1;        /* changed: allocated here */
    unsigned               sorted:1;        /* all, by path */
    unsigned               failed:1;
    unsigned               root_moved:1;    /* another root than prev's */
    unsigned               walked:1;        /* no file is deferred now */
} blog_scan_t;


static void blog_index_walk(blog_scan_t *sc, char *path, size_t len,
    unsigned depth);
static void blog_index_file(blog_scan_t *sc, char *path, struct stat *st);
static int blog_index_add_folder(blog_scan_t *sc, const char *path);
static int blog_index_listed(char **list, size_t n, const char *path);
static size_t blog_index_first_folder(char **folders, size_t n,
    const char *prefix, size_t len);
static size_t blog_index_first_below(blog_post_t **all, size_t n,
    const char *prefix, size_t len);
static void blog_index_keep(blog_scan_t *sc, char *path, size_t len,
    unsigned depth);
static void blog_index_keep_problems(blog_scan_t *sc);
static void blog_index_keep_warnings(blog_scan_t *sc, const char *path,
    const blog_file_id_t *id);
static void blog_index_defer(blog_scan_t *sc, const char *path,
    const blog_file_id_t *id, blog_post_t *prev);
static void blog_index_same(blog_scan_t *sc, blog_post_t *prev,
    const char *path, const blog_file_id_t *id);
static int blog_index_too_large(blog_scan_t *sc, const blog_file_id_t *id,
    blog_problem_detail_t *pd);
static void blog_index_load_start(blog_scan_t *sc);
static void blog_index_load_all(blog_scan_t *sc);
static void *blog_index_load_thread(void *data);
static blog_load_t *blog_index_next_load(blog_scan_t *sc);
static void blog_index_load(blog_scan_t *sc, blog_load_t *ld,
    blog_buf_t *text);
static int blog_index_unchanged(blog_scan_t *sc, blog_load_t *ld);
static int blog_index_load_first(blog_scan_t *sc, blog_load_t *ld,
    const blog_post_name_t *pn, blog_buf_t *text, blog_fm_t *fm,
    blog_problem_detail_t *pd);
static void blog_index_load_detail(blog_load_t *ld,
    const blog_problem_detail_t *pd);
static void blog_index_loaded(blog_scan_t *sc, blog_load_t *ld);
static void blog_index_hold(blog_scan_t *sc, blog_post_t *prev);
static blog_post_t *blog_index_find_rel(blog_post_t **all, size_t n,
    size_t root_len, const char *rel);
static void blog_index_add(blog_scan_t *sc, blog_post_t *post);
static void blog_index_ghosts(blog_scan_t *sc);
static void blog_index_settle(blog_scan_t *sc, const char *path,
    struct stat *st, blog_file_id_t *id);
static int blog_index_changed(const char *path, const blog_file_id_t *id);
static void blog_index_denied(blog_scan_t *sc, const char *path, int err,
    unsigned root);
static int blog_index_problem(blog_scan_t *sc, const char *path,
    const blog_file_id_t *id, unsigned line, const char *reason,
    unsigned warn);
static int blog_index_said(blog_index_t *prev, blog_problem_t *pb);
static blog_post_t *blog_index_by_path(blog_index_t *ix, const char *path);
static blog_problem_t *blog_index_old_problem(blog_index_t *ix,
    const char *path, const blog_file_id_t *id);
static int blog_index_reread(blog_scan_t *sc);
static void blog_index_held_folders(blog_scan_t *sc);
static int blog_index_finish(blog_scan_t *sc, int64_t now);
static int blog_index_publish(blog_scan_t *sc, int64_t now);
static int blog_index_carry(blog_scan_t *sc);
static size_t blog_index_carried(blog_scan_t *sc, const blog_entry_t *e);
static int blog_index_slugs(blog_scan_t *sc);
static void blog_index_by_prev_slug(blog_scan_t *sc,
    const blog_post_t **seen, u_char *apart, u_char *after);
static int blog_index_rename_pass(blog_index_t *ix, size_t pass,
    const blog_post_t **taken, u_char *apart, u_char *after, blog_buf_t *b);
static int blog_index_rename(blog_entry_t *e, size_t pass, size_t number,
    blog_buf_t *b);
static int blog_index_slug_warnings(blog_scan_t *sc,
    const blog_post_t **taken);
static int blog_index_reserved(const blog_str_t *slug);
static int blog_index_tags(blog_index_t *ix);
static int blog_index_tags_carried(blog_scan_t *sc);
static int blog_index_tags_fill(blog_scan_t *sc, const size_t *map,
    size_t *pairs, size_t npairs, size_t *count, size_t nlists);
static int blog_index_tags_end(blog_index_t *ix);
static int blog_index_tag_table(blog_index_t *ix, size_t **slot,
    size_t size);
static size_t blog_index_tag_slot(blog_index_t *ix, size_t *slot,
    size_t mask, const blog_tag_t *tag);
static int blog_index_aliases(blog_scan_t *sc);
static size_t blog_index_stem(const u_char *p, size_t n, const u_char **stem);
static int blog_index_sort_paths(blog_scan_t *sc);
static int blog_index_sort_dates(blog_scan_t *sc);
static int blog_cmp_path(const void *a, const void *b);
static int blog_cmp_post_path(const void *a, const void *b);
static int blog_cmp_cstr(const void *a, const void *b);
static int blog_cmp_closed(const void *a, const void *b);
static int blog_index_closed(blog_scan_t *sc, const char *path,
    const blog_file_id_t *id);
static int blog_cmp_problem(const void *a, const void *b);
static int blog_cmp_date(const void *a, const void *b);
static int blog_cmp_slug(const void *a, const void *b);
static int blog_cmp_entry_slug(const void *a, const void *b);
static int blog_cmp_alias(const void *a, const void *b);
static int blog_cmp_alias_from(const void *a, const void *b);
static int blog_cmp_tag_count(const void *a, const void *b);
static int blog_cmp_tag_key(const void *a, const void *b);
static int blog_str_cmp(const blog_str_t *a, const blog_str_t *b);
static void blog_index_free(blog_index_t *ix);


blog_index_t *
blog_index_build(const char *root, const blog_options_t *opts,
    blog_index_t *prev, int64_t now)
{
    return blog_index_update(root, opts, prev, now, NULL);
}


/*
 * A scan told which folders changed since prev (by inotify: their files
 * were added, written, renamed or removed), as absolute paths below the
 * resolved root: only those are read again, and every other folder prev
 * read is kept as it was, its posts, problems and subfolders.  With no
 * folders, or when prev cannot say (it held files back, or another root),
 * the whole folder is walked.  A file its writer closed is whole: it need
 * not stand still for the settle time (blog_index_closed).
 */

blog_index_t *
blog_index_update(const char *root, const blog_options_t *opts,
    blog_index_t *prev, int64_t now, blog_changes_t *changes)
{
    int               rc;
    char              path[PATH_MAX];
    size_t            len;
    int64_t           start;
    blog_scan_t       sc;

    start = blog_monotonic_ms();

    memset(&sc, 0, sizeof(blog_scan_t));
    sc.opts = opts;
    sc.prev = prev;
    sc.root_fd = -1;
    sc.kept_k = BLOG_NONE;

    sc.ix = calloc(1, sizeof(blog_index_t));
    if (sc.ix == NULL) {
        return NULL;
    }

    sc.ix->refs = 1;

    (void) pthread_mutex_init(&sc.lock, NULL);
    (void) pthread_cond_init(&sc.more, NULL);

    /*
     * What orders two indexes, of this worker or another, is when their
     * scans began, on a clock that a change of the time of day never
     * sets back: the later scan saw the newer files.
     */

    sc.ix->generation = start;

    if (realpath(root, sc.root_real) == NULL) {
        blog_index_denied(&sc, root, errno, 1);
        goto done;
    }

    len = strlen(sc.root_real);

    if (len >= sizeof(path) - 2) {
        blog_index_problem(&sc, root, NULL, 0, "path too long", 0);
        goto done;
    }

    memcpy(path, sc.root_real, len + 1);
    sc.root_len = len;
    sc.ix->root_len = len;

    sc.root_moved = prev != NULL
                    && (prev->root_len != len
                        || (prev->nall
                            && strncmp((char *) prev->all[0]->path.data,
                                       sc.root_real, len) != 0));

    if (changes != NULL) {
        sc.changed = changes->folders;
        sc.nchanged = changes->nfolders;
        sc.closed = changes->closed;
        sc.nclosed = changes->nclosed;
    }

    sc.incremental = sc.changed != NULL && prev != NULL && !sc.root_moved
                     && (!prev->held || prev->reread != NULL)
                     && prev->folders != NULL;

    if (sc.incremental && prev->held && blog_index_reread(&sc) != BLOG_OK) {
        sc.failed = 1;
        goto done;
    }

    if (sc.incremental && sc.nchanged > 1) {
        qsort(sc.changed, sc.nchanged, sizeof(char *), blog_cmp_cstr);
    }

    if (sc.nclosed > 1) {
        qsort(sc.closed, sc.nclosed, sizeof(blog_closed_t),
              blog_cmp_closed);
    }

    /*
     * The files are opened below the root as the walk sees it; threads
     * read them while the walk goes on.
     */

    sc.root_fd = open(sc.root_real, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    blog_index_walk(&sc, path, len, 0);

    blog_index_keep_problems(&sc);

    blog_index_load_all(&sc);

    if (sc.root_fd != -1) {
        close(sc.root_fd);
    }

    if (sc.ix->nfolders > 1) {
        qsort(sc.ix->folders, sc.ix->nfolders, sizeof(char *),
              blog_cmp_cstr);
    }

    sc.ix->nread = sc.ix->nfolders - sc.nkept;

    blog_index_ghosts(&sc);

    blog_index_held_folders(&sc);

done:

    (void) pthread_cond_destroy(&sc.more);
    (void) pthread_mutex_destroy(&sc.lock);

    free(sc.kept);

    if (sc.reread) {
        free(sc.changed);
    }

    rc = blog_index_finish(&sc, now);

    free(sc.after);

    if (rc != BLOG_OK) {
        blog_index_free(sc.ix);
        return NULL;
    }

    /* in file order, whatever order the file system lists folders in */

    if (sc.ix->nproblems) {
        qsort(sc.ix->problems, sc.ix->nproblems, sizeof(blog_problem_t),
              blog_cmp_problem);
    }

    sc.ix->built = time(NULL);
    sc.ix->msec = (unsigned) (blog_monotonic_ms() - start);

    return sc.ix;
}


static void
blog_index_walk(blog_scan_t *sc, char *path, size_t len, unsigned depth)
{
    DIR               *dir;
    size_t             n;
    struct stat        st;
    struct dirent     *de;
    blog_post_name_t   pn;

    if (depth > BLOG_MAX_DEPTH) {
        blog_index_problem(sc, path, NULL, 0,
                           "folder nests too deep, not read", 1);
        return;
    }

    /* a folder that did not change since prev read it is kept */

    if (sc->incremental
        && !blog_index_listed(sc->changed, sc->nchanged, path)
        && blog_index_listed(sc->prev->folders, sc->prev->nfolders, path))
    {
        blog_index_keep(sc, path, len, depth);
        return;
    }

    dir = opendir(path);
    if (dir == NULL) {
        blog_index_denied(sc, path, errno, depth == 0);
        return;
    }

    if (blog_index_add_folder(sc, path) != BLOG_OK) {
        closedir(dir);
        return;
    }

    if (sc->opts->folder != NULL) {
        sc->opts->folder(sc->opts->folder_data, path);
    }

    while ((de = readdir(dir)) != NULL && !sc->failed) {

        /* dotfiles, .git, and generators' output are never content */

        if (de->d_name[0] == '.'
            || strcmp(de->d_name, "_site") == 0
            || strcmp(de->d_name, "node_modules") == 0
            || (!sc->opts->drafts && strcmp(de->d_name, "_drafts") == 0))
        {
            continue;
        }

        n = strlen(de->d_name);

        if (len + 1 + n >= PATH_MAX) {
            continue;
        }

        path[len] = '/';
        memcpy(path + len + 1, de->d_name, n + 1);

        /*
         * The first scan keeps nothing: a file is looked at where it is
         * read, by one of the threads that read files.  So is one of an
         * index kept across a restart: the threads lstat() the files and
         * read those that changed since (blog_index_unchanged).
         */

        if (de->d_type == DT_REG
            && (sc->prev == NULL || sc->root_moved || sc->prev->restored))
        {
            if (blog_post_name(&pn, path, sc->root_len) == BLOG_OK) {
                blog_index_defer(sc, path, NULL, NULL);
            }

            continue;
        }

        /* from the folder: the kernel looks up one name, not the path */

        if (fstatat(dirfd(dir), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1) {
            /* it went away between readdir() and here */
            continue;
        }

        if (S_ISLNK(st.st_mode)) {
            char  real[PATH_MAX];

            if (realpath(path, real) == NULL
                || strncmp(real, sc->root_real, sc->root_len) != 0
                || (real[sc->root_len] != '/' && real[sc->root_len] != '\0')
                || stat(real, &st) == -1)
            {
                blog_index_problem(sc, path, NULL, 0,
                                   "symbolic link leads out of the content "
                                   "root, not read", 1);
                continue;
            }

            /* a link to a file or folder inside the root: the walk finds
             * it where it is, and a post is never listed twice */
            continue;
        }

        if (S_ISDIR(st.st_mode)) {
            if (blog_post_name(&pn, path, sc->root_len) == BLOG_OK
                && strcmp(de->d_name, "index.md") != 0)
            {
                blog_index_problem(sc, path, NULL, 0,
                                   "a folder named like a post: read as a "
                                   "folder", 1);
            }

            blog_index_walk(sc, path, len + 1 + n, depth + 1);
            continue;
        }

        if (S_ISREG(st.st_mode)) {
            blog_index_file(sc, path, &st);
            continue;
        }

        if (blog_post_name(&pn, path, sc->root_len) == BLOG_OK) {
            blog_index_problem(sc, path, NULL, 0,
                               "not a regular file, not read", 1);
        }
    }

    closedir(dir);
    path[len] = '\0';
}


/*
 * A folder as prev read it: its own posts, then its subfolders, each
 * kept or read as it changed.  Its problems are taken over after the walk
 * (blog_index_keep_problems).  Below the root, all paths share it, so
 * prev's posts and folders sort by what follows.
 */

static void
blog_index_keep(blog_scan_t *sc, char *path, size_t len, unsigned depth)
{
    char          *sub;
    size_t         i, n, end, slen;
    blog_post_t   *post;
    blog_index_t  *prev;

    prev = sc->prev;

    if (blog_index_add_folder(sc, path) != BLOG_OK) {
        return;
    }

    n = sc->nkept;

    if ((n & (n - 1)) == 0) {
        char  **kept;

        kept = realloc(sc->kept, (n ? 2 * n : 8) * sizeof(char *));
        if (kept == NULL) {
            sc->failed = 1;
            return;
        }

        sc->kept = kept;
    }

    sc->kept[sc->nkept++] = sc->ix->folders[sc->ix->nfolders - 1];

    path[len] = '/';
    path[len + 1] = '\0';

    /*
     * Its posts, those of prev from "path/" to "path0": a post whose name
     * begins right after "path/" is its own, found without reading the
     * path; those of its subfolders are skipped a subfolder at once.
     */

    i = blog_index_first_below(prev->all, prev->nall, path, len + 1);

    path[len] = '/' + 1;
    end = i + blog_index_first_below(prev->all + i, prev->nall - i, path,
                                     len + 1);
    path[len] = '/';

    while (i < end && !sc->failed) {
        post = prev->all[i];

        if (i + BLOG_POST_AHEAD < end) {
            blog_post_ahead(prev->all[i + BLOG_POST_AHEAD]);
        }

        sub = (post->name_at == len + 1)
              ? NULL : strchr((char *) post->path.data + len + 1, '/');

        if (sub == NULL) {
            if (post->gone_at) {
                post->gone_at = 0;
            }

            blog_post_ref(post);
            blog_index_add(sc, post);

            /* right after a post that came before it in prev: in order */

            if (!sc->failed) {
                n = sc->ix->nall - 1;

                if (sc->kept_k != BLOG_NONE && sc->kept_k + 1 == n
                    && sc->kept_at < i)
                {
                    sc->after[n] = 1;
                }

                sc->kept_at = i;
                sc->kept_k = n;
            }

            i++;
            continue;
        }

        /* past "path/sub/": the first path after it starts "path/sub0" */

        slen = sub - (char *) post->path.data;
        memcpy(path, post->path.data, slen);
        path[slen] = '/' + 1;
        path[slen + 1] = '\0';

        i += blog_index_first_below(prev->all + i, prev->nall - i, path,
                                    slen + 1);

        path[len] = '/';
        path[len + 1] = '\0';
    }

    /* its subfolders, each kept or read: sorted, they follow "path/" */

    i = blog_index_first_folder(prev->folders, prev->nfolders, path,
                                len + 1);

    for ( /* void */ ; i < prev->nfolders && !sc->failed; i++) {
        sub = prev->folders[i];

        if (strncmp(sub, path, len + 1) != 0) {
            break;
        }

        if (strchr(sub + len + 1, '/') != NULL) {
            continue;
        }

        slen = strlen(sub);

        if (slen >= PATH_MAX) {
            continue;
        }

        memcpy(path, sub, slen + 1);
        blog_index_walk(sc, path, slen, depth + 1);
        path[len] = '/';
        path[len + 1] = '\0';
    }

    path[len] = '\0';
}


/*
 * The problems prev had with the entries of the folders kept: a folder
 * that did not change has the same.  Not the renamed slugs, which depend
 * on other folders' posts too, and are given out again after the scan.
 */

static void
blog_index_keep_problems(blog_scan_t *sc)
{
    char             dir[PATH_MAX];
    size_t           i, n;
    const char      *file, *slash;
    blog_problem_t  *pb;

    if (!sc->incremental || sc->nkept == 0 || sc->failed) {
        return;
    }

    if (sc->nkept > 1) {
        qsort(sc->kept, sc->nkept, sizeof(char *), blog_cmp_cstr);
    }

    for (i = 0; i < sc->prev->nproblems && !sc->failed; i++) {
        pb = &sc->prev->problems[i];
        file = (char *) pb->file.data;

        if (pb->slug) {
            continue;
        }

        slash = strrchr(file, '/');

        if (slash == NULL || (size_t) (slash - file) >= sizeof(dir)) {
            continue;
        }

        n = slash - file;
        memcpy(dir, file, n);
        dir[n] = '\0';

        if (!blog_index_listed(sc->kept, sc->nkept, dir)) {
            continue;
        }

        if (blog_index_problem(sc, file, &pb->id, pb->line,
                               (char *) pb->reason.data, pb->warn)
            == BLOG_OK)
        {
            sc->ix->problems[sc->ix->nproblems - 1].denied = pb->denied;
        }
    }
}


/*
 * A post kept as it was keeps the warnings its file was served with: the
 * index before has them in file order.
 */

static void
blog_index_keep_warnings(blog_scan_t *sc, const char *path,
    const blog_file_id_t *id)
{
    int              rc;
    size_t           lo, hi, mid;
    blog_problem_t  *pb, *end;

    if (sc->prev->nproblems == 0) {
        return;
    }

    lo = 0;
    hi = sc->prev->nproblems;

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        rc = strcmp((char *) sc->prev->problems[mid].file.data, path);

        if (rc < 0) {
            lo = mid + 1;

        } else {
            hi = mid;
        }
    }

    end = sc->prev->problems + sc->prev->nproblems;

    for (pb = sc->prev->problems + lo;
         pb < end && strcmp((char *) pb->file.data, path) == 0;
         pb++)
    {
        if (pb->warn && !pb->slug && !pb->denied
            && memcmp(&pb->id, id, sizeof(blog_file_id_t)) == 0)
        {
            (void) blog_index_problem(sc, path, id, pb->line,
                                      (char *) pb->reason.data, 1);
        }
    }
}


/* the first of n sorted posts whose path is not before prefix */

static size_t
blog_index_first_below(blog_post_t **all, size_t n, const char *prefix,
    size_t len)
{
    size_t  lo, hi, mid;

    lo = 0;
    hi = n;

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;

        if (strncmp((char *) all[mid]->path.data, prefix, len) < 0) {
            lo = mid + 1;

        } else {
            hi = mid;
        }
    }

    return lo;
}


/* the first of n sorted folders not before prefix */

static size_t
blog_index_first_folder(char **folders, size_t n, const char *prefix,
    size_t len)
{
    size_t  lo, hi, mid;

    lo = 0;
    hi = n;

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;

        if (strncmp(folders[mid], prefix, len) < 0) {
            lo = mid + 1;

        } else {
            hi = mid;
        }
    }

    return lo;
}


static int
blog_index_add_folder(blog_scan_t *sc, const char *path)
{
    char          **folders;
    blog_index_t   *ix;

    ix = sc->ix;

    if (ix->nfolders == sc->nfolders_size) {
        sc->nfolders_size = sc->nfolders_size ? 2 * sc->nfolders_size : 16;

        folders = realloc(ix->folders, sc->nfolders_size * sizeof(char *));
        if (folders == NULL) {
            sc->failed = 1;
            return BLOG_ERROR;
        }

        ix->folders = folders;
    }

    ix->folders[ix->nfolders] = strdup(path);

    if (ix->folders[ix->nfolders] == NULL) {
        sc->failed = 1;
        return BLOG_ERROR;
    }

    ix->nfolders++;

    return BLOG_OK;
}


/* whether a sorted list of paths has path */

static int
blog_index_listed(char **list, size_t n, const char *path)
{
    return n != 0
           && bsearch(&path, list, n, sizeof(char *), blog_cmp_cstr) != NULL;
}


/*
 * A file the walk found: an unchanged post is kept as it is; a changed or
 * new one is read after the walk, with the others (blog_index_load_all).
 */

static void
blog_index_file(blog_scan_t *sc, char *path, struct stat *st)
{
    blog_post_t             *prev;
    blog_file_id_t           id;
    blog_problem_t          *old;
    blog_post_name_t         pn;
    blog_problem_detail_t    pd;

    if (blog_post_name(&pn, path, sc->root_len) != BLOG_OK) {
        return;
    }

    blog_file_id_of(&id, st);

    /* a moved root (a swapped link) keeps nothing of the old one */

    prev = sc->root_moved ? NULL
                          : blog_index_by_path(sc->prev, path + sc->root_len);

    if (prev != NULL && memcmp(&prev->file, &id, sizeof(id)) == 0
        && strcmp((char *) prev->path.data, path) == 0)
    {
        blog_index_same(sc, prev, path, &id);
        return;
    }

    /*
     * A file changed a moment ago, or a new one, may still be being
     * written: in place (truncated, then written), or created and written
     * as git checkout does, which no file time tells from a rename.  What
     * was published of it stays, and a new one waits, until it has stood
     * still for the settle time.  The first scan, which has nothing to
     * keep instead, waits for it; so does one from an index kept across a
     * restart, which nothing served since.
     */

    if (sc->prev == NULL || sc->root_moved || sc->prev->restored) {
        blog_index_defer(sc, path, NULL, NULL);
        return;
    }

    if (blog_file_settled_at(&id, sc->opts->settle_ms)
        && !blog_index_closed(sc, path, &id))
    {
        blog_index_hold(sc, prev);
        return;
    }

    old = blog_index_old_problem(sc->prev, path, &id);

    if (old != NULL) {
        blog_index_problem(sc, path, &id, old->line,
                           (char *) old->reason.data, old->warn);
        return;
    }

    if (blog_index_too_large(sc, &id, &pd)) {
        blog_index_problem(sc, path, &id, 0, pd.reason, 0);
        return;
    }

    blog_index_defer(sc, path, &id, prev);
}


/* a file as prev has it: its post stays, with its warnings */

static void
blog_index_same(blog_scan_t *sc, blog_post_t *prev, const char *path,
    const blog_file_id_t *id)
{
    prev->gone_at = 0;
    blog_post_ref(prev);
    blog_index_add(sc, prev);
    blog_index_keep_warnings(sc, path, id);
}


/*
 * A file changed a moment ago that its writer has closed, or renamed into
 * place, since it was last written: it is whole, and taken at once.  Its
 * last write must come before the close was seen: a writer that opened
 * it again since is in the middle of another save.
 */

static int
blog_index_closed(blog_scan_t *sc, const char *path,
    const blog_file_id_t *id)
{
    int64_t         written;
    blog_closed_t  *c, key;

    if (sc->nclosed == 0) {
        return 0;
    }

    key.path = (char *) path;

    c = bsearch(&key, sc->closed, sc->nclosed, sizeof(blog_closed_t),
                blog_cmp_closed);
    if (c == NULL) {
        return 0;
    }

    written = id->mtime_sec * 1000 + id->mtime_nsec / 1000000;

    return written <= c->at;
}


static int
blog_index_too_large(blog_scan_t *sc, const blog_file_id_t *id,
    blog_problem_detail_t *pd)
{
    if (id->size <= sc->opts->max_post_size) {
        return 0;
    }

    snprintf(pd->text, sizeof(pd->text),
             "%llu bytes, larger than blog_max_post_size (%zu)",
             (unsigned long long) id->size, sc->opts->max_post_size);

    pd->line = 0;
    pd->reason = pd->text;

    return 1;
}


static void
blog_index_defer(blog_scan_t *sc, const char *path, const blog_file_id_t *id,
    blog_post_t *prev)
{
    size_t         n, size;
    blog_load_t   *ld, **loads;

    n = sc->nloads;

    if (n % BLOG_LOAD_BLOCK == 0) {

        if (n / BLOG_LOAD_BLOCK == sc->nblocks_size) {
            size = sc->nblocks_size ? 2 * sc->nblocks_size : 16;

            /* the threads find the blocks under the lock */

            pthread_mutex_lock(&sc->lock);

            loads = realloc(sc->loads, size * sizeof(blog_load_t *));

            if (loads != NULL) {
                sc->loads = loads;
                sc->nblocks_size = size;
            }

            pthread_mutex_unlock(&sc->lock);

            if (loads == NULL) {
                sc->failed = 1;
                return;
            }
        }

        sc->loads[n / BLOG_LOAD_BLOCK] = malloc(BLOG_LOAD_BLOCK
                                                * sizeof(blog_load_t));

        if (sc->loads[n / BLOG_LOAD_BLOCK] == NULL) {
            sc->failed = 1;
            return;
        }
    }

    ld = &sc->loads[n / BLOG_LOAD_BLOCK][n % BLOG_LOAD_BLOCK];
    memset(ld, 0, sizeof(blog_load_t));

    ld->path = strdup(path);
    if (ld->path == NULL) {
        sc->failed = 1;
        return;
    }

    if (id != NULL) {
        ld->id = *id;

    } else {
        ld->first = 1;
    }

    ld->prev = prev;

    pthread_mutex_lock(&sc->lock);
    sc->nloads++;
    pthread_cond_signal(&sc->more);
    pthread_mutex_unlock(&sc->lock);

    if (n + 1 == BLOG_LOAD_PARALLEL) {
        blog_index_load_start(sc);
    }
}


/*
 * Once there are many files to read, threads read them, one a processor,
 * while the walk finds more: the first scan of a large blog is mostly
 * this.  The walk's thread joins them when it is done.
 */

static void
blog_index_load_start(blog_scan_t *sc)
{
    unsigned  n;

    n = blog_index_threads();

    while (sc->nthreads + 1 < n
           && pthread_create(&sc->tid[sc->nthreads], NULL,
                             blog_index_load_thread, sc)
              == 0)
    {
        sc->nthreads++;
    }
}


/* the files read are taken into the index in the walk's order */

static void
blog_index_load_all(blog_scan_t *sc)
{
    size_t        i;
    blog_load_t  *ld;

    pthread_mutex_lock(&sc->lock);
    sc->walked = 1;
    pthread_cond_broadcast(&sc->more);
    pthread_mutex_unlock(&sc->lock);

    if (!sc->failed) {
        (void) blog_index_load_thread(sc);
    }

    while (sc->nthreads) {
        (void) pthread_join(sc->tid[--sc->nthreads], NULL);
    }

    for (i = 0; i < sc->nloads; i++) {
        ld = &sc->loads[i / BLOG_LOAD_BLOCK][i % BLOG_LOAD_BLOCK];

        if (!ld->skip && !ld->same) {
            sc->ix->nfiles_read++;
        }

        if (!sc->failed) {
            blog_index_loaded(sc, ld);

        } else if (ld->post != NULL) {
            blog_post_release(ld->post);
        }

        free(ld->path);
        free(ld->pd);
    }

    for (i = 0; i * BLOG_LOAD_BLOCK < sc->nloads; i++) {
        free(sc->loads[i]);
    }

    free(sc->loads);
    sc->loads = NULL;
    sc->nloads = 0;
}


static void *
blog_index_load_thread(void *data)
{
    blog_scan_t *sc = data;

    blog_buf_t    text;
    blog_load_t  *ld;

    /* one buffer for all the files the thread reads */

    blog_buf_init(&text);

    while ((ld = blog_index_next_load(sc)) != NULL) {
        blog_index_load(sc, ld, &text);
    }

    blog_buf_free(&text);

    return NULL;
}


/* the next file to read; NULL when there is none and the walk is done */

static blog_load_t *
blog_index_next_load(blog_scan_t *sc)
{
    size_t        i;
    blog_load_t  *ld;

    pthread_mutex_lock(&sc->lock);

    while (sc->next_load == sc->nloads && !sc->walked) {
        pthread_cond_wait(&sc->more, &sc->lock);
    }

    ld = NULL;

    if (sc->next_load < sc->nloads) {
        i = sc->next_load++;
        ld = &sc->loads[i / BLOG_LOAD_BLOCK][i % BLOG_LOAD_BLOCK];
    }

    pthread_mutex_unlock(&sc->lock);

    return ld;
}


/* in any thread: reads and parses one file, touching nothing shared */

static void
blog_index_load(blog_scan_t *sc, blog_load_t *ld, blog_buf_t *text)
{
    blog_fm_t               fm;
    struct stat             st;
    blog_post_t            *packed;
    blog_post_name_t        pn;
    blog_problem_detail_t   pd;

    if (blog_post_name(&pn, ld->path, sc->root_len) != BLOG_OK) {
        ld->skip = 1;
        return;
    }

    if (ld->first && sc->prev != NULL && blog_index_unchanged(sc, ld)) {
        return;
    }

    pd.line = 0;
    pd.reason = NULL;
    pd.warning[0] = '\0';

    if (ld->first && blog_index_load_first(sc, ld, &pn, text, &fm, &pd)) {
        goto done;
    }

    /*
     * Found by the first scan: it waits, in its thread, for the file to
     * settle.  A file that went away since the walk is no post.
     */

    if (ld->first) {
        if (lstat(ld->path, &st) == -1 || !S_ISREG(st.st_mode)) {
            ld->skip = 1;
            return;
        }

        blog_file_id_of(&ld->id, &st);

        blog_index_settle(sc, ld->path, &st, &ld->id);

        if (blog_index_too_large(sc, &ld->id, &pd)) {
            blog_index_load_detail(ld, &pd);
            return;
        }
    }

    ld->post = blog_post_load(sc->root_fd, ld->path, sc->root_len, &pn,
                              sc->opts, text, &fm, &pd);

done:

    if (ld->post != NULL) {
        ld->post->fronted = (fm.nfields != 0);
        blog_fm_free(&fm);

        /* kept in one block, as long as the index keeps it */

        packed = blog_post_packed(ld->post);

        if (packed != NULL) {
            blog_post_release(ld->post);
            ld->post = packed;
        }
    }

    if (ld->post == NULL || pd.warning[0] != '\0') {
        blog_index_load_detail(ld, &pd);
    }
}


/*
 * In a thread, a file of an index kept across a restart: as the index has
 * it, it is not read again, and blog_index_loaded() keeps its post.
 */

static int
blog_index_unchanged(blog_scan_t *sc, blog_load_t *ld)
{
    int              rc;
    const char      *rel;
    struct stat      st;
    blog_post_t     *prev;
    blog_file_id_t   id;

    if (sc->root_moved) {
        return 0;
    }

    rel = ld->path + sc->root_len;

    prev = blog_index_by_path(sc->prev, rel);
    if (prev == NULL) {
        return 0;
    }

    /* from the root: the kernel looks up the names below it only */

    rc = (sc->root_fd != -1)
         ? fstatat(sc->root_fd, rel + 1, &st, AT_SYMLINK_NOFOLLOW)
         : lstat(ld->path, &st);

    if (rc == -1 || !S_ISREG(st.st_mode)) {
        return 0;
    }

    blog_file_id_of(&id, &st);

    if (memcmp(&prev->file, &id, sizeof(id)) != 0
        || strcmp((char *) prev->path.data, ld->path) != 0)
    {
        return 0;
    }

    ld->id = id;
    ld->prev = prev;
    ld->same = 1;

    return 1;
}


/*
 * A file of the first scan, most often read whole at once and settled
 * long ago: its bytes are taken with the identity fstat() gave them,
 * which is what lstat() would have said.  0 when it cannot be read so,
 * or changed a moment ago: the steps of blog_index_load() then wait for
 * it to settle, or tell why it is no post.
 */

static int
blog_index_load_first(blog_scan_t *sc, blog_load_t *ld,
    const blog_post_name_t *pn, blog_buf_t *text, blog_fm_t *fm,
    blog_problem_detail_t *pd)
{
    const char      *reason;
    blog_file_id_t   id;

    text->len = 0;

    if (blog_file_read_below(sc->root_fd, ld->path, sc->root_len,
                             sc->opts->max_post_size, text, &id, &reason)
        != BLOG_OK
        || blog_file_settled_at(&id, sc->opts->settle_ms) != 0)
    {
        return 0;
    }

    ld->id = id;
    ld->post = blog_post_make(ld->path, &id, pn, sc->opts, text, fm, pd);

    return 1;
}


/* what a read found wrong, kept for the walk's thread: most find nothing */

static void
blog_index_load_detail(blog_load_t *ld, const blog_problem_detail_t *pd)
{
    ld->pd = malloc(sizeof(blog_problem_detail_t));
    if (ld->pd == NULL) {
        return;
    }

    *ld->pd = *pd;

    if (pd->reason == pd->text) {
        ld->pd->reason = ld->pd->text;
    }
}


/* a file read: its post, or its problem, or the version before kept */

static void
blog_index_loaded(blog_scan_t *sc, blog_load_t *ld)
{
    blog_post_t  *post, *prev;

    post = ld->post;
    prev = ld->prev;

    if (ld->skip) {
        return;
    }

    if (ld->same) {
        blog_index_same(sc, prev, ld->path, &ld->id);
        return;
    }

    if (post == NULL) {
        if (blog_index_changed(ld->path, &ld->id)) {
            /* written while it was read: what was read is no version */
            blog_index_hold(sc, prev);
            return;
        }

        if (prev != NULL && prev->fronted
            && blog_file_settled_at(&ld->id, blog_file_doubt_ms(sc->opts)))
        {
            /* empty or broken a moment after a save in place: doubtful */
            blog_index_hold(sc, prev);
            return;
        }

        blog_index_problem(sc, ld->path, &ld->id,
                           ld->pd ? ld->pd->line : 0,
                           ld->pd ? ld->pd->reason : "out of memory", 0);
        return;
    }

    /*
     * Changed since the walk saw it: perhaps a save in place just begun.
     * Or its front matter gone: perhaps one caught half done.
     */

    if ((memcmp(&post->file, &ld->id, sizeof(blog_file_id_t)) != 0
         && blog_file_settled_at(&post->file, sc->opts->settle_ms))
        || (prev != NULL && prev->fronted && !post->fronted
            && blog_file_settled_at(&post->file,
                                    blog_file_doubt_ms(sc->opts))))
    {
        blog_post_release(post);
        blog_index_hold(sc, prev);
        return;
    }

    /*
     * post->file is what fstat() said of the bytes read, not what the
     * walk's lstat() saw: a file replaced between the two is recorded as
     * the one read, and the next walk compares the path against that.
     */

    if (ld->pd != NULL && ld->pd->warning[0] != '\0') {
        blog_index_problem(sc, ld->path, &post->file, ld->pd->warning_line,
                           ld->pd->warning, 1);
    }

    blog_index_add(sc, post);
}


/* a file not taken yet: the version before, if any, stays meanwhile */

static void
blog_index_hold(blog_scan_t *sc, blog_post_t *prev)
{
    sc->ix->held = 1;

    if (prev != NULL) {
        blog_post_ref(prev);
        blog_index_add(sc, prev);
    }
}


/* how many threads read files: the processors this one may run on */

unsigned
blog_index_threads(void)
{
    unsigned   n;
    cpu_set_t  set;

    if (sched_getaffinity(0, sizeof(cpu_set_t), &set) == 0) {
        n = CPU_COUNT(&set);

    } else {
        n = 1;
    }

    return n < 1 ? 1 : (n > BLOG_LOAD_THREADS ? BLOG_LOAD_THREADS : n);
}


/* adds a post, referenced for the index, to the posts read */

static void
blog_index_add(blog_scan_t *sc, blog_post_t *post)
{
    size_t         n;
    u_char        *after;
    blog_post_t  **all;

    if (sc->ix->nall == sc->nall_size) {
        n = sc->nall_size ? 2 * sc->nall_size : 64;

        all = realloc(sc->ix->all, n * sizeof(blog_post_t *));
        if (all == NULL) {
            blog_post_release(post);
            sc->failed = 1;
            return;
        }

        sc->ix->all = all;

        after = realloc(sc->after, n);
        if (after == NULL) {
            blog_post_release(post);
            sc->failed = 1;
            return;
        }

        sc->after = after;
        sc->nall_size = n;
    }

    sc->after[sc->ix->nall] = 0;
    sc->ix->all[sc->ix->nall++] = post;
}


/*
 * A post whose file went away a moment ago may be on its way back: git
 * deletes a file before it writes the new one.  It stays for the settle
 * time, then goes.
 */

static void
blog_index_ghosts(blog_scan_t *sc)
{
    int               rc;
    size_t            i, j, n;
    int64_t           now;
    blog_post_t      *p;
    blog_index_t     *prev;

    prev = sc->prev;

    if (prev == NULL || sc->opts->settle_ms == 0 || sc->failed) {
        return;
    }

    n = sc->ix->nall;

    if (blog_index_sort_paths(sc) != BLOG_OK) {
        sc->failed = 1;
        return;
    }

    /* how long a file has been missing: no change of the time of day
     * may make it longer or shorter */

    now = blog_monotonic_ms();

    /*
     * Both lists are in the order of their paths below the root: one
     * pass over the two finds the posts of prev that the walk did not,
     * among its first n.
     */

    j = 0;

    for (i = 0; i < prev->nall && !sc->failed; i++) {
        p = prev->all[i];

        /* the same post, kept or held: found without reading its path */

        if (j < n && p == sc->ix->all[j]) {
            j++;
            continue;
        }

        /* a root that moved (a swapped link) has no ghosts: its files
         * are all there, in the new place */

        if (prev->root_len != sc->root_len
            || strncmp((char *) p->path.data, sc->root_real, sc->root_len)
               != 0)
        {
            continue;
        }

        rc = 1;

        while (j < n) {
            rc = strcmp((char *) p->path.data + prev->root_len,
                        (char *) sc->ix->all[j]->path.data + sc->root_len);

            if (rc <= 0) {
                break;
            }

            j++;
        }

        if (rc == 0) {
            continue;
        }

        if (p->gone_at == 0) {
            p->gone_at = now;

        } else if (now - p->gone_at >= sc->opts->settle_ms) {
            continue;
        }

        sc->ix->held = 1;

        blog_post_ref(p);
        blog_index_add(sc, p);
    }

    sc->sorted = (sc->ix->nall == n);
}


/*
 * The first scan, or the first of a root that moved (a swapped link), has
 * no earlier version of a file to keep while it is being written: it
 * waits, in its thread, until the file has settled, a settle time at most
 * each round, and takes it as it is after three.  Meanwhile requests are
 * answered from the index before.
 */

static void
blog_index_settle(blog_scan_t *sc, const char *path, struct stat *st,
    blog_file_id_t *id)
{
    int64_t          at, now;
    unsigned         round;
    struct timespec  ts;

    for (round = 0; round < 3; round++) {
        at = blog_file_settled_at(id, sc->opts->settle_ms);

        if (at == 0) {
            return;
        }

        clock_gettime(CLOCK_REALTIME, &ts);
        now = (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;

        ts.tv_sec = (at - now) / 1000;
        ts.tv_nsec = (long) ((at - now) % 1000) * 1000000;
        nanosleep(&ts, NULL);

        if (lstat(path, st) == -1) {
            return;
        }

        blog_file_id_of(id, st);
    }
}


/* has the file at path changed since it was seen as id? */

static int
blog_index_changed(const char *path, const blog_file_id_t *id)
{
    struct stat  st;

    if (lstat(path, &st) == -1) {
        return 1;
    }

    return (uint64_t) st.st_size != id->size
           || st.st_mtim.tv_sec != id->mtime_sec
           || st.st_mtim.tv_nsec != id->mtime_nsec
           || st.st_ino != id->ino;
}


/*
 * A folder that cannot be read.  One the process may not read (EACCES:
 * typically a home folder that nginx's workers, another user, cannot
 * enter) is marked so, for the server to name the user; an unreadable
 * root leaves the blog empty, which is not the same as no posts.
 */

static void
blog_index_denied(blog_scan_t *sc, const char *path, int err,
    unsigned root)
{
    if (blog_index_problem(sc, path, NULL, 0, strerror(err), !root)
        != BLOG_OK)
    {
        return;
    }

    if (err == EACCES || err == EPERM) {
        sc->ix->problems[sc->ix->nproblems - 1].denied = 1;
        sc->ix->root_denied |= root;
    }
}


static int
blog_index_problem(blog_scan_t *sc, const char *path,
    const blog_file_id_t *id, unsigned line, const char *reason,
    unsigned warn)
{
    blog_index_t    *ix;
    blog_problem_t  *pb;

    ix = sc->ix;

    if (ix->nproblems == sc->nproblems_size) {
        sc->nproblems_size = sc->nproblems_size ? 2 * sc->nproblems_size : 8;

        pb = realloc(ix->problems,
                     sc->nproblems_size * sizeof(blog_problem_t));
        if (pb == NULL) {
            sc->failed = 1;
            return BLOG_ERROR;
        }

        ix->problems = pb;
    }

    pb = &ix->problems[ix->nproblems];
    memset(pb, 0, sizeof(blog_problem_t));

    if (blog_str_dup(&pb->file, (u_char *) path, strlen(path)) != BLOG_OK) {
        sc->failed = 1;
        return BLOG_ERROR;
    }

    if (blog_str_dup(&pb->reason, (u_char *) reason, strlen(reason))
        != BLOG_OK)
    {
        free(pb->file.data);
        sc->failed = 1;
        return BLOG_ERROR;
    }

    if (id != NULL) {
        pb->id = *id;
    }

    pb->line = line;
    pb->warn = warn;
    pb->fresh = !blog_index_said(sc->prev, pb);
    ix->nproblems++;

    return BLOG_OK;
}


/* a problem the previous index had already reported */

static int
blog_index_said(blog_index_t *prev, blog_problem_t *pb)
{
    size_t           i;
    blog_problem_t  *old;

    if (prev == NULL) {
        return 0;
    }

    for (i = 0; i < prev->nproblems; i++) {
        old = &prev->problems[i];

        if (old->line == pb->line
            && blog_str_eq(&old->file, &pb->file)
            && blog_str_eq(&old->reason, &pb->reason))
        {
            return 1;
        }
    }

    return 0;
}


/*
 * The post of ix at a path relative to the root: the same post across a
 * swap of the root's link (current -> releases/N), whose resolved path
 * changes with it.  ix->all is in path order, which is the order of the
 * relative paths too.
 */

static blog_post_t *
blog_index_by_path(blog_index_t *ix, const char *rel)
{
    if (ix == NULL) {
        return NULL;
    }

    return blog_index_find_rel(ix->all, ix->nall, ix->root_len, rel);
}


static blog_post_t *
blog_index_find_rel(blog_post_t **all, size_t n, size_t root_len,
    const char *rel)
{
    int     rc;
    size_t  lo, hi, mid;

    lo = 0;
    hi = n;

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        rc = strcmp(rel, (char *) all[mid]->path.data + root_len);

        if (rc == 0) {
            return all[mid];
        }

        if (rc < 0) {
            hi = mid;

        } else {
            lo = mid + 1;
        }
    }

    return NULL;
}


static blog_problem_t *
blog_index_old_problem(blog_index_t *ix, const char *path,
    const blog_file_id_t *id)
{
    size_t  i;

    if (ix == NULL) {
        return NULL;
    }

    for (i = 0; i < ix->nproblems; i++) {
        if (strcmp((char *) ix->problems[i].file.data, path) == 0
            && memcmp(&ix->problems[i].id, id, sizeof(*id)) == 0)
        {
            return &ix->problems[i];
        }
    }

    return NULL;
}


/*
 * After a scan that held files back, the folders it read are read again
 * with those that changed since: the files held (being written, or gone
 * a moment ago) are there, and may have settled with no event since.
 */

static int
blog_index_reread(blog_scan_t *sc)
{
    char          **changed;
    size_t          n;
    blog_index_t   *prev;

    prev = sc->prev;
    n = sc->nchanged + prev->nreread;

    changed = malloc((n ? n : 1) * sizeof(char *));
    if (changed == NULL) {
        return BLOG_ERROR;
    }

    if (sc->nchanged) {
        memcpy(changed, sc->changed, sc->nchanged * sizeof(char *));
    }

    if (prev->nreread) {
        memcpy(changed + sc->nchanged, prev->reread,
               prev->nreread * sizeof(char *));
    }

    sc->changed = changed;
    sc->nchanged = n;
    sc->reread = 1;

    return BLOG_OK;
}


/* a scan that held files back: the folders it read, for the next */

static void
blog_index_held_folders(blog_scan_t *sc)
{
    size_t         i;
    blog_index_t  *ix;

    ix = sc->ix;

    if (!ix->held || sc->failed) {
        return;
    }

    ix->reread = malloc((ix->nfolders ? ix->nfolders : 1) * sizeof(char *));
    if (ix->reread == NULL) {
        /* the next scan reads every folder */
        return;
    }

    /* kept: sorted by blog_index_keep_problems() */

    for (i = 0; i < ix->nfolders; i++) {
        if (!blog_index_listed(sc->kept, sc->nkept, ix->folders[i])) {
            ix->reread[ix->nreread++] = ix->folders[i];
        }
    }
}


/* the posts read: what the pages list, by date, slug, tag and old URL */

static int
blog_index_finish(blog_scan_t *sc, int64_t now)
{
    int  rc;

    rc = (sc->failed
          || blog_index_publish(sc, now) != BLOG_OK
          || blog_index_slugs(sc) != BLOG_OK
          || blog_index_tags_carried(sc) != BLOG_OK
          || blog_index_aliases(sc) != BLOG_OK)
         ? BLOG_ERROR : BLOG_OK;

    free(sc->carried);
    free(sc->entry_of);
    free(sc->dates);

    return rc;
}


/*
 * The public posts: not drafts (unless asked for), not in the future, not
 * expired.
 */

static int
blog_index_publish(blog_scan_t *sc, int64_t now)
{
    size_t         i;
    uint64_t       h;
    blog_post_t   *post;
    blog_index_t  *ix;

    ix = sc->ix;

    if (!sc->sorted && blog_index_sort_paths(sc) != BLOG_OK) {
        return BLOG_ERROR;
    }

    ix->entries = calloc(ix->nall ? ix->nall : 1, sizeof(blog_entry_t));
    ix->redirects = calloc(ix->nall ? ix->nall : 1, sizeof(blog_entry_t));
    sc->entry_of = malloc((ix->nall ? ix->nall : 1) * sizeof(size_t));
    sc->dates = malloc((ix->nall ? ix->nall : 1) * sizeof(int64_t));

    if (ix->entries == NULL || ix->redirects == NULL || sc->entry_of == NULL
        || sc->dates == NULL || blog_index_carry(sc) != BLOG_OK)
    {
        return BLOG_ERROR;
    }

    /*
     * One pass reads the posts, in the order of their paths; what the
     * passes after it need of them, it keeps: a post's fields are read
     * from memory no cache holds, at 100,000 posts some 50 ns each.  The
     * version is of the entries' digests, in that order.
     */

    h = BLOG_HASH_INIT;

    for (i = 0; i < ix->nall; i++) {
        post = ix->all[i];
        sc->entry_of[i] = BLOG_NONE;

        if (i + BLOG_POST_AHEAD < ix->nall) {
            blog_post_ahead(ix->all[i + BLOG_POST_AHEAD]);
        }

        if (post->draft && !sc->opts->drafts) {
            continue;
        }

        if (post->publish_at > now) {
            if (ix->next_future == 0 || post->publish_at < ix->next_future) {
                ix->next_future = post->publish_at;
            }

            continue;
        }

        if (post->expires_at) {
            if (post->expires_at <= now) {
                continue;
            }

            /* scan again when it expires, as when a post goes live */

            if (ix->next_future == 0 || post->expires_at < ix->next_future) {
                ix->next_future = post->expires_at;
            }
        }

        if (post->redirect.len) {
            ix->redirects[ix->nredirects].post = post;
            ix->redirects[ix->nredirects].slug = post->slug;
            ix->redirects[ix->nredirects].at = i;
            ix->nredirects++;
            continue;
        }

        ix->entries[ix->nentries].post = post;
        ix->entries[ix->nentries].slug = post->slug;
        ix->entries[ix->nentries].at = i;
        sc->dates[ix->nentries] = post->date.sec;
        sc->naliases += post->naliases;
        sc->entry_of[i] = ix->nentries++;

        h = blog_hash(h, &post->digest, sizeof(uint64_t));
    }

    ix->version = h;

    if (ix->nredirects) {
        qsort(ix->redirects, ix->nredirects, sizeof(blog_entry_t),
              blog_cmp_entry_slug);
    }

    return blog_index_sort_dates(sc);
}


/*
 * Where each post of prev is in the new index, when it is the same post:
 * the sorts start from prev's order, which a scan that changed a few posts
 * leaves nearly right.  Both are by path: one pass over the two.
 */

static int
blog_index_carry(blog_scan_t *sc)
{
    int            rc;
    size_t         i, j;
    blog_index_t  *prev, *ix;

    prev = sc->prev;
    ix = sc->ix;

    if (prev == NULL || prev->nentries == 0 || sc->root_moved
        || prev->root_len != sc->root_len)
    {
        return BLOG_OK;
    }

    sc->carried = malloc(prev->nall * sizeof(size_t));
    if (sc->carried == NULL) {
        return BLOG_ERROR;
    }

    j = 0;

    for (i = 0; i < prev->nall; i++) {
        sc->carried[i] = BLOG_NONE;

        while (j < ix->nall) {
            if (prev->all[i] == ix->all[j]) {
                sc->carried[i] = j++;
                break;
            }

            rc = strcmp((char *) prev->all[i]->path.data + sc->root_len,
                        (char *) ix->all[j]->path.data + sc->root_len);

            if (rc < 0) {
                break;
            }

            j++;

            if (rc == 0) {
                break;
            }
        }
    }

    return BLOG_OK;
}


/* the entry of ix that has prev's entry's post, or BLOG_NONE */

static size_t
blog_index_carried(blog_scan_t *sc, const blog_entry_t *e)
{
    size_t  j;

    j = sc->carried[e->at];

    return j == BLOG_NONE ? BLOG_NONE : sc->entry_of[j];
}


/*
 * Two posts with one slug: the newest keeps it, each older one gets its
 * date appended (and a number, should that be taken too), and a warning
 * names both files.  Slugs the routes use ("tags", "page", ...) are
 * renamed the same way.
 */

static int
blog_index_slugs(blog_scan_t *sc)
{
    int                  rc;
    size_t               pass, n;
    u_char              *apart, *after;
    blog_buf_t           b;
    blog_index_t        *ix;
    const blog_post_t  **taken;

    ix = sc->ix;
    n = ix->nentries ? ix->nentries : 1;

    ix->by_slug = malloc(n * sizeof(blog_entry_t *));
    taken = calloc(n, sizeof(blog_post_t *));
    apart = malloc(n);
    after = malloc(n);

    if (ix->by_slug == NULL || taken == NULL || apart == NULL
        || after == NULL)
    {
        rc = BLOG_ERROR;
        goto done;
    }

    blog_index_by_prev_slug(sc, taken, apart, after);

    blog_buf_init(&b);

    /* a new name can clash again: renamed until none does, or 8 times */

    rc = BLOG_OK;

    for (pass = 0; pass < 8 && rc == BLOG_OK; pass++) {
        rc = blog_index_rename_pass(ix, pass, taken, apart, after, &b);
    }

    if (rc != BLOG_ERROR) {
        rc = blog_index_slug_warnings(sc, taken);
    }

    blog_buf_free(&b);

done:

    free(taken);
    free(apart);
    free(after);

    return rc;
}


/*
 * The entries in the order of prev's by slug, those prev had, then the
 * others: the sort of the slugs starts nearly done.  Seen marks them, and
 * is left zeroed.
 *
 * Apart marks, by entry, the posts prev had under their own slugs: the
 * renames left no two of those with one slug, so none is renamed for
 * another now, and they are in order, so after marks each that follows
 * another.
 */

static void
blog_index_by_prev_slug(blog_scan_t *sc, const blog_post_t **seen,
    u_char *apart, u_char *after)
{
    size_t         i, k, n;
    blog_entry_t  *e;
    blog_index_t  *ix;

    ix = sc->ix;
    n = 0;

    for (i = 0; sc->carried != NULL && i < sc->prev->nentries; i++) {
        e = sc->prev->by_slug[i];
        k = blog_index_carried(sc, e);

        if (k != BLOG_NONE) {
            seen[k] = ix->entries[k].post;
            apart[k] = !e->own_slug;
            after[n] = n && apart[k]
                       && apart[ix->by_slug[n - 1] - ix->entries];
            ix->by_slug[n++] = &ix->entries[k];
        }
    }

    for (k = 0; k < ix->nentries; k++) {
        if (seen[k] == NULL) {
            apart[k] = 0;
            after[n] = 0;
            ix->by_slug[n++] = &ix->entries[k];
        }

        seen[k] = NULL;
    }
}


/*
 * One pass over the slugs, sorted: each run of equal slugs keeps its
 * first, and the others are renamed; taken records who kept the name.
 * Declined when nothing was renamed.  Two entries marked apart are not
 * compared: neither is renamed for the other.
 */

static int
blog_index_rename_pass(blog_index_t *ix, size_t pass,
    const blog_post_t **taken, u_char *apart, u_char *after, blog_buf_t *b)
{
    size_t         i, j, k;
    unsigned       renamed;
    blog_str_t     name;
    blog_entry_t  *e, *keep;

    /* by slug, then newest first: the sort breaks ties on position */

    if (blog_sort_nearly(ix->by_slug, ix->nentries, sizeof(blog_entry_t *),
                         blog_cmp_slug, after)
        != BLOG_OK)
    {
        return BLOG_ERROR;
    }

    renamed = 0;

    for (i = 0; i < ix->nentries; i = j) {
        keep = ix->by_slug[i];
        name = keep->slug;
        j = i + 1;

        /* a slug prev left alone is no page's name */

        if (pass == 0 && !apart[keep - ix->entries]
            && blog_index_reserved(&keep->slug))
        {
            /* renamed below, as if a post held the name */
            j = i;
        }

        for ( /* void */ ;
             j < ix->nentries
             && (j == i
                 || apart[keep - ix->entries] != 1
                 || apart[ix->by_slug[j] - ix->entries] != 1)
             && blog_str_eq(&ix->by_slug[j]->slug, &name);
             j++)
        {
            e = ix->by_slug[j];

            if (blog_index_rename(e, pass, j - i + 1, b) != BLOG_OK) {
                return BLOG_ERROR;
            }

            if (taken[e - ix->entries] == NULL && e != keep) {
                taken[e - ix->entries] = keep->post;
            }

            /* renamed in this pass */
            apart[e - ix->entries] = 2;
            renamed = 1;
        }

        if (j == i) {
            j = i + 1;
        }
    }

    if (!renamed) {
        return BLOG_DECLINED;
    }

    /*
     * For the next pass: those not renamed now differ from one another,
     * and are still in order; only the renamed ones are compared.
     */

    for (j = 0; j < ix->nentries; j++) {
        k = ix->by_slug[j] - ix->entries;
        apart[k] = (apart[k] != 2);
        after[j] = j && apart[k] && apart[ix->by_slug[j - 1] - ix->entries];
    }

    return BLOG_OK;
}


/* the first pass appends the post's date, the later ones a number */

static int
blog_index_rename(blog_entry_t *e, size_t pass, size_t number, blog_buf_t *b)
{
    b->len = 0;
    blog_buf_add(b, e->slug.data, e->slug.len);

    if (pass == 0) {
        blog_buf_addc(b, '-');
        blog_date_iso(b, &e->post->date);
        b->len = e->slug.len + 11;

    } else {
        blog_buf_printf(b, "-%zu", number);
    }

    if (b->failed) {
        return BLOG_ERROR;
    }

    if (e->own_slug) {
        free(e->slug.data);
    }

    if (blog_str_dup(&e->slug, b->data, b->len) != BLOG_OK) {
        e->own_slug = 0;
        e->slug = e->post->slug;
        return BLOG_ERROR;
    }

    e->own_slug = 1;

    return BLOG_OK;
}


/* a warning for each renamed post: who holds its slug, or that a page does */

static int
blog_index_slug_warnings(blog_scan_t *sc, const blog_post_t **taken)
{
    char           reason[2 * PATH_MAX];
    size_t         i;
    blog_entry_t  *e;
    blog_index_t  *ix;

    ix = sc->ix;

    for (i = 0; i < ix->nentries; i++) {
        e = &ix->entries[i];

        if (!e->own_slug) {
            continue;
        }

        if (taken[i] != NULL) {
            snprintf(reason, sizeof(reason),
                     "slug \"%.*s\" is taken by \"%s\", serving this post "
                     "at \"%.*s\"", (int) e->post->slug.len,
                     e->post->slug.data, taken[i]->path.data,
                     (int) e->slug.len, e->slug.data);

        } else {
            snprintf(reason, sizeof(reason),
                     "slug \"%.*s\" names a page of the blog, serving this "
                     "post at \"%.*s\"", (int) e->post->slug.len,
                     e->post->slug.data, (int) e->slug.len, e->slug.data);
        }

        if (blog_index_problem(sc, (char *) e->post->path.data,
                               &e->post->file, 0, reason, 1)
            != BLOG_OK)
        {
            return BLOG_ERROR;
        }

        ix->problems[ix->nproblems - 1].slug = 1;
    }

    return BLOG_OK;
}


static int
blog_index_reserved(const blog_str_t *slug)
{
    static const blog_str_t   names[] = {
        blog_string("tags"), blog_string("page"), blog_string("assets"),
        blog_string("feed.xml"), blog_string("sitemap.xml")
    };
    size_t                    i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (slug->len == names[i].len
            && memcmp(slug->data, names[i].data, slug->len) == 0)
        {
            return 1;
        }
    }

    return 0;
}


static int
blog_index_tags(blog_index_t *ix)
{
    size_t              i, j, n, k, l, size, cap, *slot;
    uint32_t           *refs;
    blog_tag_t         *tag;
    blog_tag_list_t    *tl;
    blog_entry_t      **entries;
    const blog_post_t  *post;

    n = 0;

    for (i = 0; i < ix->nentries; i++) {
        n += ix->entries[i].post->ntags;
    }

    /*
     * Each post's tags are gathered into their lists through a table of
     * the keys, taken in the entries' order, newest first: no sort of all
     * the posts' tags, only of the tags themselves.  The posts are read
     * once: refs keeps, for each of their tags, its entry and its list.
     * A blog has far fewer tags than posts: the table and the lists grow
     * with the tags found.
     */

    size = 64;
    cap = 32;

    slot = calloc(size, sizeof(size_t));
    refs = malloc((n ? n : 1) * 2 * sizeof(uint32_t));
    entries = malloc((n ? n : 1) * sizeof(blog_entry_t *));
    ix->tags = malloc(cap * sizeof(blog_tag_list_t));

    if (slot == NULL || refs == NULL || entries == NULL || ix->tags == NULL)
    {
        goto failed;
    }

    /*
     * A slot holds a tag list's number + 1, or 0.  The posts are in no
     * order in memory: each post's tags are fetched ahead in steps, the
     * post, then its tags, then the first one's key.  Here in the loop:
     * GCC drops a function that only fetches ahead, as one with no effect.
     */

    n = 0;

    for (i = 0; i < ix->nentries; i++) {

        if (i + BLOG_POST_AHEAD < ix->nentries) {
            post = ix->entries[i + BLOG_POST_AHEAD].post;

            blog_ahead(&post->tags);
            blog_ahead(&post->ntags);
        }

        if (i + BLOG_POST_AHEAD / 2 < ix->nentries) {
            post = ix->entries[i + BLOG_POST_AHEAD / 2].post;

            if (post->ntags) {
                blog_ahead(post->tags);
            }
        }

        if (i + BLOG_POST_AHEAD / 4 < ix->nentries) {
            post = ix->entries[i + BLOG_POST_AHEAD / 4].post;

            if (post->ntags) {
                blog_ahead(post->tags[0].key.data);
            }
        }

        for (j = 0; j < ix->entries[i].post->ntags; j++) {
            tag = &ix->entries[i].post->tags[j];

            if (2 * (ix->ntags + 1) > size) {
                size *= 2;

                if (blog_index_tag_table(ix, &slot, size) != BLOG_OK) {
                    goto failed;
                }
            }

            k = blog_index_tag_slot(ix, slot, size - 1, tag);

            if (slot[k] == 0) {
                if (ix->ntags == cap) {
                    cap *= 2;

                    tl = realloc(ix->tags, cap * sizeof(blog_tag_list_t));
                    if (tl == NULL) {
                        goto failed;
                    }

                    ix->tags = tl;
                }

                memset(&ix->tags[ix->ntags], 0, sizeof(blog_tag_list_t));
                slot[k] = ++ix->ntags;
            }

            l = slot[k] - 1;
            tl = &ix->tags[l];

            /* the display name is the oldest post's spelling */
            tl->tag = *tag;
            tl->nentries++;

            refs[n++] = (uint32_t) i;
            refs[n++] = (uint32_t) l;
        }
    }

    /* each list's room in entries, then its entries in order */

    for (i = 0, k = 0; i < ix->ntags; i++) {
        ix->tags[i].entries = &entries[k];
        k += ix->tags[i].nentries;
        ix->tags[i].nentries = 0;
    }

    for (i = 0; i < n; i += 2) {
        tl = &ix->tags[refs[i + 1]];
        tl->entries[tl->nentries++] = &ix->entries[refs[i]];
    }

    free(refs);
    free(slot);

    ix->tag_entries = entries;

    return blog_index_tags_end(ix);

failed:

    free(slot);
    free(refs);
    free(entries);

    return BLOG_ERROR;
}


/*
 * The tag lists of an index that carried most of its posts from prev,
 * with the same tags: prev's lists, each of its entries mapped to its
 * place in this index, and the posts read anew put in by their keys.  No
 * post carried is read.  A post's tags, its date and path do not change
 * while it is carried, so the order of a list stays; should it not, or
 * should most posts be new, or prev have no lists, the lists are built
 * from every post (declined, then done).
 */

static int
blog_index_tags_carried(blog_scan_t *sc)
{
    int                  rc;
    size_t               i, j, k, l, n, nfresh, nlists, cap, *map, *fresh;
    size_t              *count, *pairs;
    blog_index_t        *ix;
    blog_tag_list_t     *tl;
    const blog_post_t   *post;
    const blog_index_t  *prev;

    ix = sc->ix;
    prev = sc->prev;

    map = NULL;
    fresh = NULL;
    count = NULL;
    pairs = NULL;
    rc = BLOG_ERROR;

    if (sc->carried == NULL || prev->ntags == 0 || ix->nentries == 0) {
        goto whole;
    }

    /* each entry of prev: its place here, or BLOG_NONE; here, who is new */

    map = malloc((prev->nentries ? prev->nentries : 1) * sizeof(size_t));
    fresh = malloc(ix->nentries * sizeof(size_t));

    if (map == NULL || fresh == NULL) {
        goto failed;
    }

    for (k = 0; k < ix->nentries; k++) {
        fresh[k] = 1;
    }

    for (i = 0; i < prev->nentries; i++) {
        map[i] = blog_index_carried(sc, &prev->entries[i]);

        if (map[i] != BLOG_NONE) {
            fresh[map[i]] = 0;
        }
    }

    nfresh = 0;

    for (k = 0; k < ix->nentries; k++) {
        if (fresh[k]) {
            fresh[nfresh++] = k;
        }
    }

    if (nfresh > ix->nentries / 4) {
        goto whole;
    }

    /*
     * The lists: prev's, in its order, then those of keys prev had not;
     * count says how many entries each takes.  The keys of the new posts
     * are found in prev's lists, else among the new ones.
     */

    cap = prev->ntags + 16;
    nlists = prev->ntags;

    ix->tags = malloc(cap * sizeof(blog_tag_list_t));
    count = calloc(cap, sizeof(size_t));

    if (ix->tags == NULL || count == NULL) {
        goto failed;
    }

    for (i = 0; i < prev->ntags; i++) {
        ix->tags[i].tag = prev->tags[i].tag;

        for (j = 0; j < prev->tags[i].nentries; j++) {
            n = prev->tags[i].entries[j] - prev->entries;
            count[i] += (map[n] != BLOG_NONE);
        }
    }

    /* the new posts' tags: pairs of an entry and a list, by entry */

    n = 0;

    for (i = 0; i < nfresh; i++) {
        n += ix->entries[fresh[i]].post->ntags;
    }

    pairs = malloc((n ? n : 1) * 2 * sizeof(size_t));
    if (pairs == NULL) {
        goto failed;
    }

    n = 0;

    for (i = 0; i < nfresh; i++) {
        post = ix->entries[fresh[i]].post;

        for (j = 0; j < post->ntags; j++) {
            tl = blog_index_tag((blog_index_t *) prev,
                                post->tags[j].key.data,
                                post->tags[j].key.len);

            if (tl != NULL) {
                l = tl - prev->tags;

            } else {
                for (l = prev->ntags; l < nlists; l++) {
                    if (blog_str_eq(&ix->tags[l].tag.key,
                                    &post->tags[j].key))
                    {
                        break;
                    }
                }

                if (l == nlists) {
                    if (nlists == cap) {
                        goto whole;
                    }

                    ix->tags[nlists++].tag = post->tags[j];
                }
            }

            count[l]++;
            pairs[n++] = fresh[i];
            pairs[n++] = l;
        }
    }

    rc = blog_index_tags_fill(sc, map, pairs, n, count, nlists);

    if (rc != BLOG_OK) {
        goto failed;
    }

    free(map);
    free(fresh);
    free(count);
    free(pairs);

    return blog_index_tags_end(ix);

whole:

    rc = BLOG_DECLINED;

failed:

    free(ix->tags);
    ix->tags = NULL;
    ix->ntags = 0;
    free(ix->tag_entries);
    ix->tag_entries = NULL;

    free(map);
    free(fresh);
    free(count);
    free(pairs);

    return (rc == BLOG_DECLINED) ? blog_index_tags(ix) : BLOG_ERROR;
}


/*
 * The entries of the lists: those prev had, mapped, then the new ones,
 * merged in order; lists left empty go.  Declined when a list mapped is
 * out of order.
 */

static int
blog_index_tags_fill(blog_scan_t *sc, const size_t *map, size_t *pairs,
    size_t npairs, size_t *count, size_t nlists)
{
    size_t               i, j, k, n, m, f, total, w;
    blog_entry_t       **entries, **buf, *e;
    blog_index_t        *ix;
    blog_tag_list_t     *tl;
    const blog_post_t   *post;
    const blog_index_t  *prev;

    ix = sc->ix;
    prev = sc->prev;

    total = 0;

    for (i = 0; i < nlists; i++) {
        total += count[i];
    }

    entries = malloc((total ? total : 1) * sizeof(blog_entry_t *));
    buf = malloc((npairs ? npairs / 2 : 1) * sizeof(blog_entry_t *));

    if (entries == NULL || buf == NULL) {
        free(entries);
        free(buf);
        return BLOG_ERROR;
    }

    ix->tag_entries = entries;

    for (i = 0, k = 0; i < nlists; i++) {
        ix->tags[i].entries = &entries[k];
        ix->tags[i].nentries = 0;
        k += count[i];
    }

    for (i = 0; i < prev->ntags; i++) {
        tl = &ix->tags[i];

        for (j = 0; j < prev->tags[i].nentries; j++) {
            n = map[prev->tags[i].entries[j] - prev->entries];

            if (n == BLOG_NONE) {
                continue;
            }

            e = &ix->entries[n];

            if (tl->nentries && tl->entries[tl->nentries - 1] >= e) {
                free(buf);
                return BLOG_DECLINED;
            }

            tl->entries[tl->nentries++] = e;
        }

        count[i] = tl->nentries;
    }

    for (i = prev->ntags; i < nlists; i++) {
        count[i] = 0;
    }

    for (i = 0; i < npairs; i += 2) {
        tl = &ix->tags[pairs[i + 1]];
        tl->entries[tl->nentries++] = &ix->entries[pairs[i]];
    }

    /* the new ones, in order, into the mapped, in order: from the end */

    for (i = 0; i < nlists; i++) {
        tl = &ix->tags[i];
        m = count[i];
        f = tl->nentries - m;

        if (m == 0 || f == 0) {
            continue;
        }

        memcpy(buf, &tl->entries[m], f * sizeof(blog_entry_t *));

        w = tl->nentries;

        while (f) {
            if (m && tl->entries[m - 1] > buf[f - 1]) {
                tl->entries[--w] = tl->entries[--m];

            } else {
                tl->entries[--w] = buf[--f];
            }
        }
    }

    free(buf);

    /* the lists left, each named as its oldest post spells its tag */

    for (i = 0, n = 0; i < nlists; i++) {
        tl = &ix->tags[i];

        if (tl->nentries == 0) {
            continue;
        }

        post = tl->entries[tl->nentries - 1]->post;

        for (j = 0; j < post->ntags; j++) {
            if (blog_str_eq(&post->tags[j].key, &tl->tag.key)) {
                break;
            }
        }

        if (j == post->ntags) {
            return BLOG_DECLINED;
        }

        tl->tag = post->tags[j];
        ix->tags[n++] = *tl;
    }

    ix->ntags = n;

    return BLOG_OK;
}


/* the lists by size, and by key; the next index maps them */

static int
blog_index_tags_end(blog_index_t *ix)
{
    size_t  i;

    ix->tags_by_key = malloc((ix->ntags ? ix->ntags : 1)
                             * sizeof(blog_tag_list_t *));
    if (ix->tags_by_key == NULL) {
        return BLOG_ERROR;
    }

    qsort(ix->tags, ix->ntags, sizeof(blog_tag_list_t), blog_cmp_tag_count);

    for (i = 0; i < ix->ntags; i++) {
        ix->tags_by_key[i] = &ix->tags[i];
    }

    qsort(ix->tags_by_key, ix->ntags, sizeof(blog_tag_list_t *),
          blog_cmp_tag_key);

    return BLOG_OK;
}


/* the table of the tags' keys, grown to size slots */

static int
blog_index_tag_table(blog_index_t *ix, size_t **slot, size_t size)
{
    size_t   i, k, *s;

    s = calloc(size, sizeof(size_t));
    if (s == NULL) {
        return BLOG_ERROR;
    }

    for (i = 0; i < ix->ntags; i++) {
        k = blog_index_tag_slot(ix, s, size - 1, &ix->tags[i].tag);
        s[k] = i + 1;
    }

    free(*slot);
    *slot = s;

    return BLOG_OK;
}


/* the slot of a tag's key in the table: its list's, or a free one */

static size_t
blog_index_tag_slot(blog_index_t *ix, size_t *slot, size_t mask,
    const blog_tag_t *tag)
{
    size_t  k;

    k = blog_hash(BLOG_HASH_INIT, tag->key.data, tag->key.len) & mask;

    while (slot[k] != 0 && !blog_str_eq(&ix->tags[slot[k] - 1].tag.key,
                                        &tag->key))
    {
        k = (k + 1) & mask;
    }

    return k;
}


blog_entry_t *
blog_index_find(blog_index_t *ix, const u_char *slug, size_t n)
{
    int          rc;
    size_t       lo, hi, mid;
    blog_str_t   key;

    key.data = (u_char *) slug;
    key.len = n;

    lo = 0;
    hi = ix->nentries;

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        rc = blog_str_cmp(&key, &ix->by_slug[mid]->slug);

        if (rc == 0) {
            return ix->by_slug[mid];
        }

        if (rc < 0) {
            hi = mid;

        } else {
            lo = mid + 1;
        }
    }

    return NULL;
}


/*
 * The old URLs of the public posts, sorted for blog_index_alias().  Two
 * posts claiming one URL: the newer has it, and blog-check says so.
 */

static int
blog_index_aliases(blog_scan_t *sc)
{
    size_t         i, j;
    blog_post_t   *post;
    blog_index_t  *ix;
    blog_alias_t  *a;

    ix = sc->ix;

    ix->aliases = calloc(sc->naliases ? sc->naliases : 1,
                         sizeof(blog_alias_t));
    if (ix->aliases == NULL) {
        return BLOG_ERROR;
    }

    /* the publishing pass counted them: most blogs have none */

    for (i = 0; ix->naliases < sc->naliases && i < ix->nentries; i++) {
        post = ix->entries[i].post;

        for (j = 0; j < post->naliases; j++) {
            a = &ix->aliases[ix->naliases++];
            a->from = post->aliases[j];
            a->to = &ix->entries[i];
        }
    }

    if (ix->naliases) {
        qsort(ix->aliases, ix->naliases, sizeof(blog_alias_t),
              blog_cmp_alias);
    }

    return BLOG_OK;
}


/* the post an old URL names: "/a/b" from the site's root, "a/b" below the
 * blog's, as blog_post.c keeps them */

blog_entry_t *
blog_index_alias(blog_index_t *ix, const u_char *path, size_t n)
{
    blog_alias_t   probe, *a;

    probe.from.data = (u_char *) path;
    probe.from.len = n;

    a = bsearch(&probe, ix->aliases, ix->naliases, sizeof(blog_alias_t),
                blog_cmp_alias_from);

    if (a == NULL) {
        return NULL;
    }

    /* claimed twice: the newer post's, which sorts first */

    while (a > ix->aliases && blog_cmp_alias_from(&a[-1], a) == 0) {
        a--;
    }

    return a->to;
}


/*
 * The public post a link names: a file name or path ("my-post.md",
 * "_posts/2017-01-18-x.markdown", "/blog/x/index.md"), a Jekyll name
 * without its extension, or a slug.  The file's own name wins over a
 * slug, as several posts may share a slug.
 */

blog_entry_t *
blog_index_named(blog_index_t *ix, const u_char *name, size_t n)
{
    size_t          i, len, plen;
    const u_char   *stem, *pstem;
    blog_entry_t   *e;
    blog_post_t    *post;

    if (ix == NULL) {
        return NULL;
    }

    len = blog_index_stem(name, n, &stem);
    if (len == 0) {
        return NULL;
    }

    for (i = 0; i < ix->nentries; i++) {
        post = ix->entries[i].post;
        plen = blog_index_stem(post->path.data, post->path.len, &pstem);

        if (plen == len && memcmp(pstem, stem, len) == 0) {
            return &ix->entries[i];
        }
    }

    e = blog_index_find(ix, stem, len);

    if (e == NULL && len > 11 && stem[10] == '-') {
        e = blog_index_find(ix, stem + 11, len - 11);
    }

    return e;
}


/* the last name of a path, without its extension; a bundle's folder */

static size_t
blog_index_stem(const u_char *p, size_t n, const u_char **stem)
{
    size_t         len;
    const u_char  *base;

    for ( ;; ) {
        while (n && p[n - 1] == '/') {
            n--;
        }

        for (base = p + n; base > p && base[-1] != '/'; base--) {
            /* void */
        }

        len = p + n - base;

        if (len > 9 && memcmp(base + len - 9, ".markdown", 9) == 0) {
            len -= 9;

        } else if (len > 3 && memcmp(base + len - 3, ".md", 3) == 0) {
            len -= 3;

        } else if (len > 5 && memcmp(base + len - 5, ".html", 5) == 0) {
            len -= 5;
        }

        if (!((len == 5 && memcmp(base, "index", 5) == 0)
              || (len == 6 && memcmp(base, "_index", 6) == 0)))
        {
            break;
        }

        /* a bundle's index: its folder's name */

        if (base - p < 2) {
            return 0;
        }

        n = base - p - 1;
    }

    *stem = base;

    return len;
}


/* a stub that moved: answered with a redirect, never listed */

blog_entry_t *
blog_index_redirect(blog_index_t *ix, const u_char *slug, size_t n)
{
    blog_str_t     key;
    blog_entry_t   probe;

    key.data = (u_char *) slug;
    key.len = n;
    probe.slug = key;

    return bsearch(&probe, ix->redirects, ix->nredirects,
                   sizeof(blog_entry_t), blog_cmp_entry_slug);
}


blog_tag_list_t *
blog_index_tag(blog_index_t *ix, const u_char *k, size_t n)
{
    int          rc;
    size_t       lo, hi, mid;
    blog_str_t   key;

    key.data = (u_char *) k;
    key.len = n;

    lo = 0;
    hi = ix->ntags;

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        rc = blog_str_cmp(&key, &ix->tags_by_key[mid]->tag.key);

        if (rc == 0) {
            return ix->tags_by_key[mid];
        }

        if (rc < 0) {
            hi = mid;

        } else {
            lo = mid + 1;
        }
    }

    return NULL;
}


void
blog_index_ref(blog_index_t *ix)
{
    if (ix->frozen) {
        return;
    }

    __atomic_add_fetch(&ix->refs, 1, __ATOMIC_RELAXED);
}


void
blog_index_release(blog_index_t *ix)
{
    if (ix != NULL && !ix->frozen
        && __atomic_sub_fetch(&ix->refs, 1, __ATOMIC_ACQ_REL) == 0)
    {
        blog_index_free(ix);
    }
}


static void
blog_index_free(blog_index_t *ix)
{
    size_t  i;

    for (i = 0; i < ix->nentries; i++) {
        if (ix->entries[i].own_slug) {
            free(ix->entries[i].slug.data);
        }
    }

    for (i = 0; i < ix->nall; i++) {
        if (i + BLOG_POST_AHEAD < ix->nall) {
            blog_post_ahead(ix->all[i + BLOG_POST_AHEAD]);
        }

        blog_post_release(ix->all[i]);
    }

    for (i = 0; i < ix->nproblems; i++) {
        free(ix->problems[i].file.data);
        free(ix->problems[i].reason.data);
    }

    free(ix->tag_entries);
    free(ix->entries);
    free(ix->redirects);
    free(ix->aliases);
    free(ix->by_slug);
    free(ix->all);
    free(ix->tags);
    free(ix->tags_by_key);
    free(ix->problems);

    for (i = 0; i < ix->nfolders; i++) {
        free(ix->folders[i]);
    }

    free(ix->folders);
    free(ix->reread);
    free(ix);
}


static int
blog_str_cmp(const blog_str_t *a, const blog_str_t *b)
{
    int  rc;

    rc = memcmp(a->data, b->data, a->len < b->len ? a->len : b->len);

    if (rc != 0) {
        return rc;
    }

    return a->len < b->len ? -1 : (a->len > b->len);
}


/*
 * The posts by path.  All are below the root: their keys are the first
 * sixteen bytes after it, which tell most paths apart.  A scan that kept
 * the folders that did not change has them in order already, and the
 * paths of the few others are compared as they are.
 */

static int
blog_index_sort_paths(blog_scan_t *sc)
{
    size_t          i, j, n, len;
    blog_sort_t    *keys;
    const u_char   *p;
    blog_index_t   *ix;

    ix = sc->ix;

    if (ix->nall < 2) {
        return BLOG_OK;
    }

    if (sc->incremental) {
        if (blog_sort_nearly(ix->all, ix->nall, sizeof(blog_post_t *),
                             blog_cmp_post_path, sc->after)
            != BLOG_OK)
        {
            return BLOG_ERROR;
        }

        /* sorted: posts added from now on come after */
        memset(sc->after + 1, 1, ix->nall - 1);

        return BLOG_OK;
    }

    keys = malloc(ix->nall * sizeof(blog_sort_t));
    if (keys == NULL) {
        return BLOG_ERROR;
    }

    for (i = 0; i < ix->nall; i++) {
        keys[i].post = ix->all[i];
        keys[i].key[0] = 0;
        keys[i].key[1] = 0;

        p = ix->all[i]->path.data;
        len = ix->all[i]->path.len;
        n = 0;

        for (j = sc->root_len; j < len && n < 16; j++, n++) {
            keys[i].key[n / 8] |= (uint64_t) p[j] << (56 - 8 * (n % 8));
        }
    }

    qsort(keys, ix->nall, sizeof(blog_sort_t), blog_cmp_path);

    for (i = 0; i < ix->nall; i++) {
        ix->all[i] = keys[i].post;
    }

    free(keys);

    return BLOG_OK;
}


/*
 * The entries by date: the key is the time, then the path breaks ties.
 * They start in prev's order, those prev had, and the others after them.
 * Two posts prev had sort as they did there, so those are not compared
 * again: the sort reads no post but the new ones and their neighbours.
 */

static int
blog_index_sort_dates(blog_scan_t *sc)
{
    int            rc;
    size_t         i, k, n, ncarried;
    u_char        *placed, *after;
    blog_sort_t   *keys;
    blog_entry_t  *was;
    blog_index_t  *ix;

    ix = sc->ix;

    if (ix->nentries < 2) {
        goto done;
    }

    rc = BLOG_ERROR;

    keys = malloc(ix->nentries * sizeof(blog_sort_t));
    placed = calloc(ix->nentries, 1);
    after = malloc(ix->nentries);
    was = malloc(ix->nentries * sizeof(blog_entry_t));

    if (keys == NULL || placed == NULL || after == NULL || was == NULL) {
        goto failed;
    }

    n = 0;

    for (i = 0; sc->carried != NULL && i < sc->prev->nentries; i++) {
        k = blog_index_carried(sc, &sc->prev->entries[i]);

        if (k != BLOG_NONE) {
            placed[k] = 1;
            keys[n++].key[1] = k;
        }
    }

    ncarried = n;

    for (k = 0; k < ix->nentries; k++) {
        if (!placed[k]) {
            keys[n++].key[1] = k;
        }
    }

    for (i = 0; i < n; i++) {
        k = keys[i].key[1];
        keys[i].post = ix->entries[k].post;
        keys[i].key[0] = (uint64_t) sc->dates[k];
        keys[i].key[1] = ix->entries[k].at;

        /* those prev had, after the first of them, follow in order */
        after[i] = (i > 0 && i < ncarried);
    }

    memcpy(was, ix->entries, ix->nentries * sizeof(blog_entry_t));

    if (blog_sort_nearly(keys, n, sizeof(blog_sort_t), blog_cmp_date, after)
        != BLOG_OK)
    {
        goto failed;
    }

    /* the entries as they were, moved: no post is read for its slug */

    for (i = 0; i < n; i++) {
        ix->entries[i] = was[sc->entry_of[keys[i].key[1]]];
    }

    rc = BLOG_OK;

failed:

    free(keys);
    free(placed);
    free(after);
    free(was);

    if (rc != BLOG_OK) {
        return rc;
    }

done:

    for (i = 0; i < ix->nentries; i++) {
        sc->entry_of[ix->entries[i].at] = i;
    }

    return BLOG_OK;
}


static int
blog_cmp_path(const void *a, const void *b)
{
    const blog_sort_t  *ka = a;
    const blog_sort_t  *kb = b;

    if (ka->key[0] != kb->key[0]) {
        return ka->key[0] < kb->key[0] ? -1 : 1;
    }

    if (ka->key[1] != kb->key[1]) {
        return ka->key[1] < kb->key[1] ? -1 : 1;
    }

    return strcmp((char *) ka->post->path.data, (char *) kb->post->path.data);
}


/* paths below one root: whole, as they share it */

static int
blog_cmp_post_path(const void *a, const void *b)
{
    return strcmp((char *) (*(blog_post_t **) a)->path.data,
                  (char *) (*(blog_post_t **) b)->path.data);
}


static int
blog_cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(char **) a, *(char **) b);
}


static int
blog_cmp_closed(const void *a, const void *b)
{
    return strcmp(((blog_closed_t *) a)->path, ((blog_closed_t *) b)->path);
}


static int
blog_cmp_problem(const void *a, const void *b)
{
    int                    rc;
    const blog_problem_t  *pa = a;
    const blog_problem_t  *pb = b;

    rc = strcmp((char *) pa->file.data, (char *) pb->file.data);

    if (rc != 0) {
        return rc;
    }

    return pa->line < pb->line ? -1 : (pa->line > pb->line);
}


/*
 * Newest first; equal times fall back to the path, last first, which is
 * the order Jekyll lists posts of one day in.
 */

static int
blog_cmp_date(const void *a, const void *b)
{
    int                 rc;
    const blog_sort_t  *ka = a;
    const blog_sort_t  *kb = b;

    if (ka->key[0] != kb->key[0]) {
        return (int64_t) ka->key[0] > (int64_t) kb->key[0] ? -1 : 1;
    }

    rc = strcmp((char *) kb->post->path.data, (char *) ka->post->path.data);

    if (rc != 0) {
        return rc;
    }

    /* one path twice: in the order of all, as a stable sort leaves them */

    return ka->key[1] < kb->key[1] ? -1 : (ka->key[1] > kb->key[1]);
}


static int
blog_cmp_slug(const void *a, const void *b)
{
    int                  rc;
    const blog_entry_t  *ea = *(blog_entry_t **) a;
    const blog_entry_t  *eb = *(blog_entry_t **) b;

    rc = blog_str_cmp(&ea->slug, &eb->slug);

    if (rc != 0) {
        return rc;
    }

    return ea < eb ? -1 : (ea > eb);
}


static int
blog_cmp_alias_from(const void *a, const void *b)
{
    return blog_str_cmp(&((const blog_alias_t *) a)->from,
                        &((const blog_alias_t *) b)->from);
}


static int
blog_cmp_alias(const void *a, const void *b)
{
    int                  rc;
    const blog_alias_t  *aa = a, *ab = b;

    rc = blog_str_cmp(&aa->from, &ab->from);

    if (rc != 0 || aa->to == ab->to) {
        return rc;
    }

    /* entries are newest first: the newer post first */
    return aa->to < ab->to ? -1 : 1;
}


static int
blog_cmp_entry_slug(const void *a, const void *b)
{
    return blog_str_cmp(&((const blog_entry_t *) a)->slug,
                        &((const blog_entry_t *) b)->slug);
}


static int
blog_cmp_tag_count(const void *a, const void *b)
{
    const blog_tag_list_t  *ta = a;
    const blog_tag_list_t  *tb = b;

    if (ta->nentries != tb->nentries) {
        return ta->nentries > tb->nentries ? -1 : 1;
    }

    return blog_str_cmp(&ta->tag.key, &tb->tag.key);
}


static int
blog_cmp_tag_key(const void *a, const void *b)
{
    const blog_tag_list_t  *ta = *(blog_tag_list_t **) a;
    const blog_tag_list_t  *tb = *(blog_tag_list_t **) b;

    return blog_str_cmp(&ta->tag.key, &tb->tag.key);
}
