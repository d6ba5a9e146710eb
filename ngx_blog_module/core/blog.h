
/*
 * The blog core: posts, front matter, the index, routes and pages, in plain
 * C over cmark, libyaml and pcre2.  It knows nothing of the server that
 * hosts it: the nginx glue (and the unit tests) call these functions, own
 * the threads and decide what to log.  Every function here is safe to call
 * from several threads at once on different objects.
 */


#ifndef _BLOG_H_INCLUDED_
#define _BLOG_H_INCLUDED_


#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <sys/types.h>
#include <sys/stat.h>


#define BLOG_OK          0
#define BLOG_ERROR      -1
#define BLOG_DECLINED   -5


typedef struct {
    size_t          len;
    u_char         *data;
} blog_str_t;

#define blog_string(str)  { sizeof(str) - 1, (u_char *) str }
#define blog_null_string  { 0, NULL }


/* blog_buf.c: a growable byte buffer on malloc */

typedef struct {
    u_char         *data;
    size_t          len;
    size_t          size;
    unsigned        failed:1;
} blog_buf_t;

void blog_buf_init(blog_buf_t *b);
void blog_buf_free(blog_buf_t *b);
int blog_buf_reserve(blog_buf_t *b, size_t n);
void blog_buf_add(blog_buf_t *b, const void *p, size_t n);
void blog_buf_adds(blog_buf_t *b, const char *s);
void blog_buf_addc(blog_buf_t *b, u_char c);
void blog_buf_printf(blog_buf_t *b, const char *fmt, ...)
    __attribute__ ((format (printf, 2, 3)));
int blog_str_dup(blog_str_t *dst, const u_char *p, size_t n);
int blog_str_eq(const blog_str_t *a, const blog_str_t *b);

#define BLOG_HASH_INIT  0xcbf29ce484222325ULL

uint64_t blog_hash(uint64_t h, const void *p, size_t n);


/* blog_escape.c */

void blog_escape_html(blog_buf_t *b, const u_char *p, size_t n);
void blog_escape_uri(blog_buf_t *b, const u_char *p, size_t n);
void blog_escape_path(blog_buf_t *b, const u_char *p, size_t n);
void blog_escape_json(blog_buf_t *b, const u_char *p, size_t n);
size_t blog_utf8_check(const u_char *p, size_t n);
void blog_text_clean(blog_buf_t *b, const u_char *p, size_t n);
void blog_html_text(blog_buf_t *b, const u_char *p, size_t n);
int blog_tag_key(blog_str_t *key, const u_char *name, size_t n);
int blog_url_safe(const u_char *p, size_t n);
int blog_url_attr(const u_char *start, const u_char *end);


/* blog_date.c: times are UTC seconds plus the author's offset for display */

typedef struct {
    int64_t         sec;
    int             off;        /* minutes east of UTC */
    unsigned        zone:1;     /* the source named a zone */
} blog_time_t;

int blog_date_init(void);
int blog_date_parse(blog_time_t *t, const u_char *p, size_t n);
int64_t blog_monotonic_ms(void);
void blog_date_human(blog_buf_t *b, const blog_time_t *t);
void blog_date_iso(blog_buf_t *b, const blog_time_t *t);
void blog_date_http(blog_buf_t *b, int64_t sec);


/*
 * blog_node.c: a post's header as a tree, whatever its format (YAML, TOML,
 * JSON).  Nodes are malloc'd one by one and freed with their root.
 */

typedef enum {
    BLOG_NODE_NULL = 0,
    BLOG_NODE_STRING,
    BLOG_NODE_INTEGER,
    BLOG_NODE_FLOAT,
    BLOG_NODE_BOOL,
    BLOG_NODE_DATETIME,         /* with an offset: 1979-05-27T07:32:00Z */
    BLOG_NODE_DATETIME_LOCAL,   /* 1979-05-27T07:32:00 */
    BLOG_NODE_DATE_LOCAL,       /* 1979-05-27 */
    BLOG_NODE_TIME_LOCAL,       /* 07:32:00 */
    BLOG_NODE_LIST,
    BLOG_NODE_MAP
} blog_node_type_e;

typedef struct blog_node_s  blog_node_t;

struct blog_node_s {
    blog_node_type_e    type;
    unsigned            line;   /* where it starts, in the file */
    blog_str_t          key;    /* a map's member: its key */
    blog_str_t          text;   /* a scalar: its value as text ("true",
                                   "42", "1979-05-27T07:32:00Z") */
    blog_node_t        *child;  /* a list's or a map's members, in order */
    blog_node_t        *last;
    blog_node_t        *next;
    size_t              n;
};

blog_node_t *blog_node_new(blog_node_type_e type, unsigned line);
int blog_node_set_key(blog_node_t *node, const u_char *p, size_t n);
int blog_node_set_text(blog_node_t *node, const u_char *p, size_t n);
void blog_node_append(blog_node_t *parent, blog_node_t *member);
blog_node_t *blog_node_get(const blog_node_t *map, const char *key);
int blog_node_equal(const blog_node_t *a, const blog_node_t *b);
void blog_node_free(blog_node_t *node);


/* blog_front_matter.c */

typedef struct {
    blog_str_t      key;        /* the tree's */
    blog_str_t      value;      /* a scalar, or the items joined by "\n" */
    unsigned        line;       /* line in the file, 1-based */
    unsigned        list:1;
} blog_fm_field_t;

typedef struct {
    blog_node_t      *root;     /* the whole header, or NULL */
    blog_fm_field_t  *fields;   /* its top-level scalars and lists */
    size_t            nfields;
    const u_char     *body;
    size_t            body_len;
    unsigned          body_line;
} blog_fm_t;

typedef struct {
    unsigned        line;
    const char     *reason;
    char            text[160];
    unsigned        warning_line;   /* served, but worth a warning */
    char            warning[200];
} blog_problem_detail_t;

int blog_fm_parse(blog_fm_t *fm, const u_char *text, size_t len,
    size_t max_bytes, unsigned max_depth, blog_problem_detail_t *pd);
void blog_fm_free(blog_fm_t *fm);
blog_fm_field_t *blog_fm_get(blog_fm_t *fm, const char *key);
blog_node_t *blog_fm_scalar_node(const u_char *text, size_t n,
    unsigned plain, unsigned line);

/* a YAML header's two readers, apart for the tests that compare them */

int blog_fm_libyaml(blog_node_t **root, const u_char *p, size_t n,
    unsigned first_line, unsigned max_depth, blog_problem_detail_t *pd);


/* blog_front_matter_simple.c: the simple YAML of most headers */

int blog_fm_simple(blog_node_t **root, const u_char *p, size_t n,
    unsigned first_line, unsigned max_depth);


/* blog_front_matter_json.c: Hugo's JSON front matter, with jansson */

int blog_fm_json(blog_fm_t *fm, const u_char *p, size_t n, unsigned line,
    size_t max_bytes, unsigned max_depth, blog_problem_detail_t *pd);


/* blog_toml.c: TOML 1.0, bounded as the YAML reader is */

int blog_toml_parse(blog_node_t **root, const u_char *p, size_t n,
    unsigned first_line, unsigned max_depth, blog_problem_detail_t *pd);


/* blog_post.c: one post, as the index and the pages see it */

typedef struct {
    blog_str_t      name;       /* as the author first spelled it */
    blog_str_t      key;        /* URL name: lower-case, "-" for the rest */
} blog_tag_t;

typedef struct {
    uint64_t        dev;
    uint64_t        ino;
    uint64_t        size;
    int64_t         mtime_sec;
    long            mtime_nsec;
} blog_file_id_t;

/*
 * The defaults of the blog_* directives, for the server's glue, blog-check
 * and the core's own fallbacks alike: one home for each.
 */
#define BLOG_DEFAULT_POSTS_PER_PAGE     20
#define BLOG_DEFAULT_SUMMARY_LENGTH     180
#define BLOG_DEFAULT_WORDS_PER_MINUTE   200
#define BLOG_DEFAULT_MAX_POST_SIZE      (1024 * 1024)
#define BLOG_DEFAULT_MAX_FRONT_MATTER   (64 * 1024)
#define BLOG_DEFAULT_MAX_DEPTH          64
#define BLOG_DEFAULT_CHECK_INTERVAL     1000    /* ms */
#define BLOG_SETTLE_MIN                 100     /* ms, a save's settle time */
#define BLOG_SETTLE_MAX                 1000

/* a post's old URLs: so many, so long at most */
#define BLOG_POST_MAX_ALIASES           32
#define BLOG_POST_MAX_ALIAS             512

/* the Markdown dialect: GitHub's (tables, footnotes...), or CommonMark */
#define BLOG_MARKDOWN_GFM               0
#define BLOG_MARKDOWN_COMMONMARK        1

typedef struct {
    unsigned        words_per_minute;
    size_t          max_post_size;
    size_t          max_front_matter;
    unsigned        max_depth;
    unsigned        drafts:1;
    unsigned        settle_ms;      /* a file younger than this may still
                                       be being written (0: never) */

    /* told of each folder a scan reads, the root first, as the server
     * may want to watch them; NULL: not told */
    void          (*folder)(void *data, const char *path);
    void           *folder_data;

    unsigned        markdown;       /* BLOG_MARKDOWN_GFM, _COMMONMARK */
} blog_options_t;

/* an initializer of blog_options_t: what "blog PATH;" alone has, but
 * for the settle time, which comes from blog_check_interval */
#define BLOG_DEFAULT_OPTIONS                                                  \
    { BLOG_DEFAULT_WORDS_PER_MINUTE, BLOG_DEFAULT_MAX_POST_SIZE,              \
      BLOG_DEFAULT_MAX_FRONT_MATTER, BLOG_DEFAULT_MAX_DEPTH, 0, 0, NULL,     \
      NULL, BLOG_MARKDOWN_GFM }

typedef struct blog_post_s  blog_post_t;

/*
 * What an index's passes read of each post comes first, in the first 128
 * bytes: a scan at 100,000 posts reads every post, each from memory no
 * cache holds, a few times over (blog_index.c fetches them ahead).
 */

struct blog_post_s {
    int             refs;
    unsigned        name_at;    /* where the file's name begins in path */
    int64_t         gone_at;    /* when its file was first missed,
                                   monotonic ms */
    unsigned        draft:1;
    unsigned        dated:1;    /* the date came from the source */
    unsigned        titled:1;   /* the title came from front matter */
    unsigned        fronted:1;  /* the file has front matter */
    unsigned        frozen:1;   /* in a copy of an index: not counted */
    unsigned        toc:1;      /* "toc: true": show the contents */
    unsigned        packed:1;   /* in one block (blog_post_packed) */
    uint32_t        copy_size;  /* the bytes its last copy takes, */
    int64_t         publish_at; /* not public before, in seconds */
    int64_t         expires_at; /* nor after, if not 0 */
    uint64_t        digest;     /* of path and file: the index's version */
    blog_time_t     date;
    blog_str_t      slug;
    blog_str_t      redirect;   /* "redirect:" a stub that moved */
    size_t          naliases;
    blog_post_t    *copy;       /* that copy (blog_index_copy), */
    uint64_t        copy_mark;  /* its mark, */
    void           *copy_block; /* and the owner's block it is in */
    blog_str_t      path;
    blog_str_t     *aliases;    /* old URLs: "/from/the/root", or
                                   "below/the/blog" */
    blog_str_t      title;
    blog_str_t      description;
    blog_tag_t     *tags;
    size_t          ntags;
    blog_time_t     lastmod;
    blog_file_id_t  file;
    unsigned        reading_time;
    unsigned        words;
};

/*
 * A pass over many posts fetches each so many posts ahead, its first 128
 * bytes, while it reads the one before.
 */

#define BLOG_POST_AHEAD  8

#if (defined __GNUC__)
#define blog_ahead(p)          __builtin_prefetch(p)
#define blog_post_ahead(post)                                                 \
    (__builtin_prefetch(post),                                                \
     __builtin_prefetch((const u_char *) (post) + 64),                        \
     __builtin_prefetch((const u_char *) (post) + 127))
#else
#define blog_ahead(p)
#define blog_post_ahead(post)
#endif

typedef struct {
    blog_str_t      slug;       /* from the file name */
    blog_time_t     date;       /* from a Jekyll name prefix */
    unsigned        dated:1;
    unsigned        draft:1;    /* under _drafts */
} blog_post_name_t;

int blog_file_read(const char *path, size_t max, blog_buf_t *out,
    blog_file_id_t *id, const char **reason);
int blog_file_read_beneath(const char *path, size_t root_len, size_t max,
    blog_buf_t *out, blog_file_id_t *id, const char **reason);
int blog_file_read_below(int root, const char *path, size_t root_len,
    size_t max, blog_buf_t *out, blog_file_id_t *id, const char **reason);
int blog_file_open_beneath(int root, const char *path, size_t root_len,
    const char **reason);
void blog_file_id_of(blog_file_id_t *id, const struct stat *st);
int64_t blog_file_settled_at(const blog_file_id_t *id, unsigned settle_ms);
unsigned blog_file_doubt_ms(const blog_options_t *opts);
unsigned blog_file_settle_ms(unsigned interval_ms);
int blog_post_name(blog_post_name_t *pn, const char *path, size_t root_len);
int blog_post_parse(blog_post_t *post, const blog_post_name_t *pn,
    const u_char *text, size_t len, const blog_options_t *opts,
    blog_problem_detail_t *pd, blog_fm_t *fm);
blog_post_t *blog_post_load(int root, const char *path, size_t root_len,
    const blog_post_name_t *pn, const blog_options_t *opts, blog_buf_t *text,
    blog_fm_t *fm, blog_problem_detail_t *pd);
blog_post_t *blog_post_make(const char *path, const blog_file_id_t *id,
    const blog_post_name_t *pn, const blog_options_t *opts,
    const blog_buf_t *text, blog_fm_t *fm, blog_problem_detail_t *pd);
void blog_post_ref(blog_post_t *post);
void blog_post_release(blog_post_t *post);
blog_post_t *blog_post_packed(const blog_post_t *post);
int blog_post_redirect_ok(const u_char *p, size_t n);
int blog_post_alias_ok(const u_char *p, size_t n);


/*
 * blog_sort.c: sorting arrays that are sorted but for a few elements;
 * after, if not NULL, marks the elements known not to sort before the one
 * before them, which are not compared with it
 */

int blog_sort_nearly(void *base, size_t n, size_t size,
    int (*cmp)(const void *a, const void *b), const u_char *after);


/* blog_index.c: every post under a root, newest first, and the tags */

typedef struct {
    blog_post_t      *post;
    blog_str_t        slug;     /* URL name: the post's, unless taken */
    size_t            at;       /* the post's place in the index's all */
    unsigned          own_slug:1;
} blog_entry_t;

typedef struct {
    blog_str_t        from;     /* an old URL of the post, as
                                   blog_post.c keeps it */
    blog_entry_t     *to;
} blog_alias_t;

typedef struct {
    blog_str_t        file;
    blog_file_id_t    id;
    unsigned          line;
    unsigned          warn:1;   /* served, with a warning */
    unsigned          fresh:1;  /* not in the previous index */
    unsigned          denied:1; /* a folder the scan may not read */
    unsigned          slug:1;   /* a slug renamed: made again by every
                                   scan, never carried */
    blog_str_t        reason;
} blog_problem_t;

typedef struct {
    blog_tag_t        tag;      /* borrowed from the first post */
    blog_entry_t    **entries;  /* newest first */
    size_t            nentries;
} blog_tag_list_t;

typedef struct {
    int               refs;
    blog_entry_t     *entries;  /* public posts, newest first */
    size_t            nentries;
    blog_entry_t    **by_slug;
    blog_entry_t     *redirects;    /* stubs that moved, by slug */
    size_t            nredirects;
    blog_alias_t     *aliases;  /* public posts' old URLs, sorted */
    size_t            naliases;
    blog_post_t     **all;      /* every post read, drafts and future ones */
    size_t            nall;     /* too, by path */
    blog_tag_list_t  *tags;     /* most used first */
    size_t            ntags;
    blog_tag_list_t **tags_by_key;
    blog_entry_t    **tag_entries;
    blog_problem_t   *problems;
    size_t            nproblems;
    char            **folders;  /* every folder read, sorted: what a scan
                                   of the changed folders only keeps */
    size_t            nfolders;
    size_t            nread;    /* of them, those this scan read again */
    size_t            nfiles_read;  /* the files this scan read */
    char            **reread;   /* when it held files back: the folders
                                   it read, which the next reads again */
    size_t            nreread;
    uint64_t          version;  /* digest of what the pages show */
    size_t            root_len; /* of the resolved root, in post paths */
    int64_t           built;
    int64_t           generation;   /* the scan's start, monotonic ms */
    int64_t           next_future;  /* when a future post goes live, or 0 */
    unsigned          msec;     /* time the scan took */
    unsigned          root_denied:1;    /* the root may not be read */
    unsigned          held:1;   /* kept a file's last version, or a missing
                                   file, or left a new one out, until they
                                   settle: scan again then */
    unsigned          frozen:1;     /* a copy: not counted, not freed */
    unsigned          restored:1;   /* from a file (blog_index_restore):
                                       what was read, never served */
} blog_index_t;

/*
 * What a watch saw change since the last scan: the folders to read again,
 * and the files whose writers closed them, or that were renamed into
 * place, with the wall-clock time (ms) at which that was seen.
 */

typedef struct {
    char             *path;
    int64_t           at;
} blog_closed_t;

typedef struct {
    char            **folders;      /* NULL: read every folder */
    size_t            nfolders;
    blog_closed_t    *closed;
    size_t            nclosed;
} blog_changes_t;

blog_index_t *blog_index_build(const char *root, const blog_options_t *opts,
    blog_index_t *prev, int64_t now);
blog_index_t *blog_index_update(const char *root, const blog_options_t *opts,
    blog_index_t *prev, int64_t now, blog_changes_t *changes);
unsigned blog_index_threads(void);
void blog_index_ref(blog_index_t *ix);
void blog_index_release(blog_index_t *ix);

/*
 * blog_index_save.c, blog_index_restore.c: an index kept in a file across
 * restarts
 */
int blog_index_save(const blog_index_t *ix, const blog_options_t *opts,
    const char *path, const char **reason);
blog_index_t *blog_index_restore(const char *path, const char *root,
    const blog_options_t *opts, const char **reason);

blog_entry_t *blog_index_find(blog_index_t *ix, const u_char *slug,
    size_t n);
blog_entry_t *blog_index_redirect(blog_index_t *ix, const u_char *slug,
    size_t n);
blog_entry_t *blog_index_alias(blog_index_t *ix, const u_char *path,
    size_t n);
blog_entry_t *blog_index_named(blog_index_t *ix, const u_char *name,
    size_t n);
blog_tag_list_t *blog_index_tag(blog_index_t *ix, const u_char *key,
    size_t n);


/*
 * blog_index_copy.c: an index copied into memory processes share: its
 * lists in one block, its posts in blocks the owner gives as the copy
 * asks.  A post copied before, into a block that is still there, is not
 * copied again.
 */

typedef struct {
    uint64_t        mark;       /* of this copy, not 0: on what it copies */
    uint64_t        since;      /* a post whose last copy has a mark from
                                   this on is that copy; 0: none is */

    /* a block of at least "need" bytes for posts, "*size" in all, named
     * "*block" to the owner; NULL for no room.  From two threads at once. */
    u_char       *(*more)(void *data, size_t need, size_t *size,
                          void **block);

    /* told of the blocks of the posts taken, once or more each */
    void          (*reads)(void *data, void *block);

    void           *data;

    size_t          posts;      /* bytes of the posts it copies */
    size_t          taken;      /* bytes of the posts it takes */
    size_t          index;      /* bytes of the rest */
} blog_copy_t;

void blog_index_size(const blog_index_t *ix, blog_copy_t *c);
blog_index_t *blog_index_copy(const blog_index_t *ix, const blog_copy_t *c,
    void *index);


/* blog_route.c: a URI below the blog's prefix, with no file system */

typedef enum {
    BLOG_ROUTE_NOT_FOUND = 0,
    BLOG_ROUTE_REDIRECT,
    BLOG_ROUTE_INDEX,
    BLOG_ROUTE_POST,
    BLOG_ROUTE_POST_FILE,
    BLOG_ROUTE_TAGS,
    BLOG_ROUTE_TAG,
    BLOG_ROUTE_FEED,
    BLOG_ROUTE_TAG_FEED,
    BLOG_ROUTE_SITEMAP,
    BLOG_ROUTE_ASSET
} blog_route_kind_e;

typedef struct {
    blog_route_kind_e  kind;
    blog_str_t         slug;
    blog_str_t         tag;
    blog_str_t         file;
    unsigned           page;
    size_t             redirect_len;   /* keep this much of the path */
    unsigned           redirect_slash:1;
} blog_route_t;

void blog_route_parse(blog_route_t *rt, const u_char *p, size_t n);


/* blog_answer.c: what a request below the blog gets, whatever the server */

typedef enum {
    BLOG_ANSWER_NOT_FOUND = 0,  /* not below the blog: the server's 404 */
    BLOG_ANSWER_MOVED,          /* 301 to location */
    BLOG_ANSWER_ASSET,          /* the theme's asset route.file, else the
                                   404 page, once indexed */
    BLOG_ANSWER_INDEX,          /* needs the index: blog_answer_indexed() */
    BLOG_ANSWER_UNAVAILABLE,    /* 503: the root may not be read */
    BLOG_ANSWER_SOURCE,         /* the post's Markdown, else its page */
    BLOG_ANSWER_BUNDLE_FILE,    /* a file beside a bundle's index.md, else
                                   the page (404) */
    BLOG_ANSWER_PAGE            /* the route's page, or the 404 page */
} blog_answer_kind_e;

typedef struct {
    blog_str_t          prefix;     /* the blog's location, no trailing
                                       slash */
    blog_str_t          uri;        /* the path, decoded */
    blog_str_t          args;       /* the query as sent, without "?" */
    unsigned            encoded_slash:1;    /* "%2F" in the path as sent */
    unsigned            markdown:1; /* Accept: text/markdown */
} blog_request_t;

typedef struct {
    blog_answer_kind_e  kind;
    blog_route_t        route;
    blog_buf_t          location;   /* of BLOG_ANSWER_MOVED, escaped */
    unsigned            vary_accept:1;  /* the page varies with Accept */
} blog_answer_t;

int blog_answer_route(blog_answer_t *a, const blog_request_t *rq,
    blog_index_t *ix);
int blog_answer_indexed(blog_answer_t *a, const blog_request_t *rq,
    blog_index_t *ix);
int blog_answer_file(blog_buf_t *path, blog_index_t *ix,
    const blog_answer_t *a);
void blog_file_etag(blog_buf_t *etag, int64_t mtime, int64_t size);
void blog_answer_free(blog_answer_t *a);


/* blog_markdown.c */

typedef struct {
    unsigned        dialect;        /* BLOG_MARKDOWN_GFM, _COMMONMARK */
    unsigned        raw_html:1;
    unsigned        anchors:1;      /* a link beside each heading */
    blog_str_t      name;           /* the post's: its footnotes' ids */
    blog_buf_t     *toc;            /* if not NULL, gets the h2-h4 outline
                                       as nested <ul> lists */

    /* if not NULL, appends a heading's text as the reader will see it, for
     * its id and the contents: blog_expand_text(), which puts the text
     * of shortcodes and Liquid where their placeholders are */
    void          (*heading_text)(void *data, blog_buf_t *out,
                                  const u_char *p, size_t n);
    void           *heading_data;
} blog_markdown_t;

struct cmark_node;

int blog_markdown_html(blog_buf_t *out, const u_char *md, size_t n,
    const blog_markdown_t *mo);
/* runs walk on the body's tree, in a budget of memory: BLOG_DECLINED when
 * the body passes it, else walk's answer; the tree is freed after */
typedef int (*blog_markdown_walk_pt)(struct cmark_node *doc, void *data);

int blog_markdown_walk(const u_char *md, size_t n, unsigned dialect,
    blog_markdown_walk_pt walk, void *data);
int blog_markdown_table(struct cmark_node *node);
void blog_markdown_release(void);

/* what an author may want to know of a body: its line, a note or a
 * warning (BLOG_MARKDOWN_*), and the text */

#define BLOG_MARKDOWN_WARNING           1
#define BLOG_MARKDOWN_NOTE              2

typedef int (*blog_markdown_tell_pt)(void *data, unsigned line,
    unsigned level, const char *text);

int blog_markdown_check(const u_char *md, size_t n, unsigned dialect,
    blog_markdown_tell_pt tell, void *data);


/* blog_heading.c: heading ids and the table of contents */

typedef struct blog_heading_id_s  blog_heading_id_t;

typedef struct {                    /* one page's ids, hashed */
    blog_heading_id_t   **buckets;
    size_t                nbuckets;
    size_t                n;
} blog_heading_ids_t;

void blog_heading_slug(blog_buf_t *b, const u_char *p, size_t n);
void blog_heading_text(blog_buf_t *b, struct cmark_node *node);
int blog_heading_explicit_id(struct cmark_node *heading, blog_buf_t *id);
int blog_heading_ids_take(blog_heading_ids_t *ids, blog_buf_t *id);
void blog_heading_ids_free(blog_heading_ids_t *ids);
void blog_heading_toc(blog_buf_t *toc, unsigned *depth, unsigned level,
    const blog_buf_t *id, const blog_buf_t *text);


/*
 * blog_value.c: the data a template renders, a tree of values allocated
 * from an arena and freed with it in one call.
 */

typedef struct blog_arena_s  blog_arena_t;
typedef struct blog_value_s  blog_value_t;

typedef enum {
    BLOG_VALUE_NULL = 0,
    BLOG_VALUE_BOOL,
    BLOG_VALUE_NUMBER,
    BLOG_VALUE_STRING,
    BLOG_VALUE_LIST,
    BLOG_VALUE_MAP
} blog_value_type_e;

struct blog_value_s {
    blog_value_type_e   type;
    union {
        int             boolean;
        double          number;
        blog_str_t      string;     /* not copied: lives as long as needed */
        struct {
            blog_value_t  **items;
            size_t          n;
            size_t          size;
        } list;
        struct {
            blog_str_t     *keys;
            blog_value_t  **values;
            size_t          n;
            size_t          size;
        } map;
    } u;
};

blog_arena_t *blog_arena_create(void);
void *blog_arena_alloc(blog_arena_t *a, size_t n);
u_char *blog_arena_strdup(blog_arena_t *a, const u_char *p, size_t n);
void blog_arena_destroy(blog_arena_t *a);

blog_value_t *blog_value_null(blog_arena_t *a);
blog_value_t *blog_value_bool(blog_arena_t *a, int b);
blog_value_t *blog_value_number(blog_arena_t *a, double n);
blog_value_t *blog_value_string(blog_arena_t *a, const u_char *p, size_t n);
blog_value_t *blog_value_list(blog_arena_t *a);
blog_value_t *blog_value_map(blog_arena_t *a);
int blog_value_push(blog_arena_t *a, blog_value_t *list, blog_value_t *v);
int blog_value_set(blog_arena_t *a, blog_value_t *map, const char *key,
    blog_value_t *v);
int blog_value_set_n(blog_arena_t *a, blog_value_t *map, const u_char *key,
    size_t n, blog_value_t *v);
blog_value_t *blog_value_get(blog_value_t *map, const u_char *key,
    size_t n);

/* blog_node.c: a header's tree as a template's values */

blog_value_t *blog_node_value(blog_arena_t *a, const blog_node_t *node);


/*
 * blog_template.c: Mustache, compiled once into a list of nodes that
 * renders in one pass.  A set holds named templates; partials are looked
 * up in the set by name when rendered.  Lambdas and dynamic names are not
 * supported.
 */

typedef struct blog_tmpl_set_s  blog_tmpl_set_t;

blog_tmpl_set_t *blog_tmpl_set_create(void);
void blog_tmpl_set_free(blog_tmpl_set_t *set);
int blog_tmpl_add(blog_tmpl_set_t *set, const char *name, const u_char *src,
    size_t n, blog_problem_detail_t *pd);
int blog_tmpl_has(blog_tmpl_set_t *set, const char *name);
int blog_tmpl_render(blog_tmpl_set_t *set, const char *name,
    blog_value_t *ctx, blog_buf_t *out);


/*
 * blog_theme.c: a theme is the templates (*.html, feed.xml, sitemap.xml)
 * and the assets (everything else, served under P/assets/).
 */

typedef struct {
    const char       *name;
    const u_char     *data;
    size_t            len;
} blog_theme_file_t;

typedef struct {
    blog_tmpl_set_t  *tmpl;
    blog_theme_file_t *assets;
    uint64_t         *digests;  /* of each asset's bytes */
    blog_str_t       *gzip;     /* each asset gzipped, or empty: not text,
                                   or no smaller; by blog_theme_compress() */
    blog_str_t       *br;       /* ... and in brotli */
    size_t            nassets;
    u_char            digest[16];   /* of every file, by blog_theme_load():
                                       what cached pages are keyed by */
    char              version[11];  /* of all the assets, for their URLs
                                       ("style.css?v=..."); set by
                                       blog_theme_check() */
} blog_theme_t;

#define BLOG_THEME_FILE_MAX     (1024 * 1024)   /* a theme's file at most */

#define BLOG_THEME_ETAG_LEN     18      /* '"', 16 hex digits, '"' */

/* why a theme could not be loaded: which step, and where */
#define BLOG_THEME_IN_DIR       1       /* its folder, or a file of it */
#define BLOG_THEME_BUILTIN      2       /* a built-in file */
#define BLOG_THEME_INCOMPLETE   3       /* no template named file */

typedef struct {
    unsigned                step;
    char                    file[4096];     /* the folder or the file */
    unsigned                line;           /* in the file; 0: as a whole */
    const char             *reason;
    blog_problem_detail_t   pd;             /* where reason may point */
} blog_theme_error_t;

/* a file of a theme's folder, as it is added: the server hashes them */
typedef void (*blog_theme_seen_pt)(void *data, const char *name,
    const u_char *p, size_t n);

extern const blog_theme_file_t  blog_theme_builtin[];

blog_theme_t *blog_theme_create(void);
void blog_theme_free(blog_theme_t *theme);
int blog_theme_add(blog_theme_t *theme, const char *name, const u_char *p,
    size_t n, blog_problem_detail_t *pd);
int blog_theme_add_dir(blog_theme_t *theme, const char *dir,
    blog_theme_seen_pt seen, void *data, blog_theme_error_t *err);
int blog_theme_has(blog_theme_t *theme, const char *name);
const char *blog_theme_check(blog_theme_t *theme);
const blog_theme_file_t *blog_theme_asset(blog_theme_t *theme,
    const u_char *name, size_t n);
uint64_t blog_theme_digest(blog_theme_t *theme, const blog_theme_file_t *f);
int blog_theme_load(blog_theme_t *theme, const char *dir,
    const blog_theme_file_t *builtin, blog_theme_error_t *err);
int blog_theme_compress(blog_theme_t *theme);
void blog_theme_etag(blog_theme_t *theme, const blog_theme_file_t *f,
    u_char *etag);
int blog_theme_versioned(blog_theme_t *theme, const u_char *v, size_t n);
const char *blog_file_type(const u_char *name, size_t n);


/*
 * blog_expand_dialect.c, blog_shortcode.c, blog_liquid.c and blog_expand.c
 * (their internals in blog_expand.h): Hugo shortcodes and Jekyll Liquid,
 * run over a body before its Markdown is, as the generators run them.
 * What they render is kept aside as HTML fragments and a placeholder of
 * letters and digits stands in the Markdown for each: the Markdown
 * renderer's safe mode leaves it alone, and blog_expand_finish() puts the
 * fragments in its place in the HTML.
 */

#define BLOG_EXPAND_NOTES       16      /* warnings kept per body */
#define BLOG_EXPAND_DEPTH       8       /* shortcodes inside shortcodes */

typedef struct {
    unsigned                line;       /* in the file */
    char                    text[128];
} blog_expand_note_t;

typedef struct {
    size_t                  end;        /* in frags */
    unsigned                block:1;    /* alone in a paragraph: replaces
                                           the paragraph */
    unsigned                address:1;  /* unsafe as an address: dropped
                                           where one starts */
} blog_expand_frag_t;

typedef struct {
    /* what the body is expanded with; tmpl NULL: no shortcode is known */
    blog_tmpl_set_t        *tmpl;
    blog_arena_t           *arena;
    blog_value_t           *site;       /* as the theme's templates see it */
    blog_value_t           *page;       /* title, url, date..., params */
    /* the post a ref, relref, link or post_url names, or NULL */
    blog_entry_t         *(*named)(void *data, const u_char *name,
                                   size_t n);
    void                   *named_data;
    blog_str_t              base_url;
    blog_str_t              prefix;
    const blog_markdown_t  *mo;         /* for inner Markdown and code */
    unsigned                line;       /* the body's first, in the file */

    /* what comes out */
    blog_buf_t              md;
    blog_buf_t              frags;
    blog_expand_frag_t     *frag;
    size_t                  nfrags;
    size_t                  size;
    blog_expand_note_t      notes[BLOG_EXPAND_NOTES];
    size_t                  nnotes;
    unsigned                failed:1;
} blog_expand_t;

/* blog_expand_dialect.c */
int blog_expand_liquid(const char *path, const blog_post_name_t *pn);
int blog_expand(blog_expand_t *x, const u_char *body, size_t n,
    unsigned liquid);
int blog_expand_marked(const u_char *p, size_t n, unsigned liquid);
int blog_expand_strip(blog_buf_t *out, const u_char *p, size_t n,
    unsigned liquid);

/* blog_expand.c */
void blog_expand_init(blog_expand_t *x);
void blog_expand_free(blog_expand_t *x);
int blog_expand_finish(blog_expand_t *x, blog_buf_t *out, const u_char *html,
    size_t n);
void blog_expand_text(void *x, blog_buf_t *out, const u_char *p, size_t n);
void blog_expand_note(blog_expand_t *x, unsigned line, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));


/* blog_render.c: every page of the blog, from the index and the theme */

typedef struct {
    blog_str_t        title;
    blog_str_t        description;
    blog_str_t        author;
    blog_str_t        base_url;     /* scheme://host, no trailing slash */
    blog_str_t        prefix;       /* the location, no trailing slash */
    blog_str_t        home_url;
    blog_str_t        favicon;      /* blog_favicon's URL, else empty: the
                                       theme's favicon.svg */
    unsigned          posts_per_page;
    unsigned          summary_length;
    unsigned          raw_html:1;
    unsigned          no_favicon:1; /* "blog_favicon off" */
    unsigned          as_is:1;      /* a post's file need not be the
                                       index's: render it as it is now */
    blog_theme_t     *theme;
    const blog_options_t  *opts;
} blog_site_t;

typedef struct {
    unsigned          status;       /* 200 or 404 */
    unsigned          stale:1;      /* a post's file is not the index's */
    unsigned          missing:1;    /* ... nor there: git checkout, say */
    int64_t           settle_at;    /* ... nor settled before this, in ms */
    const char       *as_text;      /* a post whose Markdown passed the
                                       renderer's budget: its file */
    const char       *notes_file;   /* a post with shortcodes or Liquid
                                       to warn of: its file, and what */
    blog_expand_note_t  notes[BLOG_EXPAND_NOTES];
    size_t            nnotes;
    const char       *content_type;
    int64_t           last_modified;
    blog_buf_t        body;
} blog_page_t;

int blog_render(blog_page_t *page, const blog_site_t *site,
    blog_index_t *ix, const blog_route_t *rt, int64_t now);
void blog_summary_cut(blog_buf_t *b, const blog_str_t *text, size_t max);


/* blog_digest.c: a page's ETag and cache key, the same on every server */

#define BLOG_ETAG_LEN   34          /* '"', 32 hex digits, '"' */

typedef struct {
    u_char            key[16];      /* what the page is */
    u_char            sig[16];      /* what it shows */
    int64_t           built;        /* the generation of its index */
} blog_page_key_t;

void blog_etag(u_char *etag, const u_char *p, size_t n);
void blog_page_key(blog_page_key_t *k, const u_char *conf,
    const blog_route_t *rt, const blog_str_t *base_url, int64_t now,
    blog_index_t *ix);
int blog_page_key_compare(const u_char *sig, int64_t built,
    const blog_page_key_t *k);
void blog_site_signature(u_char *sig, const char *root,
    const blog_site_t *site);


/* blog_status.c: a site's index in a status report and the error log */

void blog_status_index(blog_buf_t *b, blog_index_t *ix, const char *user,
    unsigned long interval_ms);
void blog_status_str(blog_buf_t *b, const char *name, const u_char *data,
    size_t len);
int blog_problem_say(blog_buf_t *b, const blog_problem_t *pb,
    const char *user);


/* blog_compress.c: gzip and brotli variants, in malloc'd memory */

u_char *blog_gzip(const u_char *in, size_t len, size_t *out_len);
u_char *blog_brotli(const u_char *in, size_t len, size_t *out_len);


/* blog_encoding.c: the variant a client's Accept-Encoding takes */

#define BLOG_IDENTITY   0
#define BLOG_GZIP       1
#define BLOG_BROTLI     2

typedef struct {                    /* q-values in thousandths; -1: not
                                       named */
    int               br;
    int               gzip;
    int               any;
} blog_accept_t;

void blog_accept_init(blog_accept_t *acc);
void blog_accept_parse(blog_accept_t *acc, const u_char *p, size_t n);
int blog_accept_q(const blog_accept_t *acc, unsigned coding);
unsigned blog_accept_choose(const blog_accept_t *acc, unsigned gzip,
    unsigned br);


/* blog_highlight.cpp: fenced code to token spans, with GNU source-highlight */

/* appends code (n bytes, UTF-8) as escaped HTML with <span class="hl-...">
 * tokens, the inside of a <code> element: BLOG_OK; BLOG_DECLINED when the
 * language is not one it highlights or the highlighter gave up (out is then
 * as it was); BLOG_ERROR when out is out of memory */
int blog_highlight(blog_buf_t *out, const u_char *lang, size_t lang_len,
    const u_char *code, size_t n);

/* the language's canonical name ("rust" for "rs"), or NULL if lang is not
 * highlighted */
const char *blog_highlight_language(const u_char *lang, size_t lang_len);

/* the .lang files of highlight/, built into the core by
 * blog_files.sh */
extern const blog_theme_file_t  blog_highlight_builtin[];


#endif /* _BLOG_H_INCLUDED_ */
