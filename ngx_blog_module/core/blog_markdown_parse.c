
/*
 * cmark-gfm's parser, in a budget of memory.  Some Markdown makes
 * cmark-gfm 0.29 (Debian 12's) build far more than it reads: a table of n
 * columns and n short rows has n^2 cells, and a link reference with a long
 * title, used n times, writes the title n times (at 1 GB cmark aborts).
 * Each parse, and what is done with its tree, therefore takes its memory
 * from a budget (BLOG_MARKDOWN_MEMORY) through an allocator of ours: a
 * body that passes it is left by a jump from the allocator, and its
 * memory, every block of which is in a ring, freed whole.
 */


#include <pthread.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm/registry.h>

#include "blog_markdown.h"


/* what cmark may hold for a body of n bytes, tree and HTML together */
#define BLOG_MARKDOWN_MEMORY(n)  (64 * 1024 * 1024 + 192 * (size_t) (n))


/* cmark's memory for one body: a ring of blocks, freed whole */

typedef struct blog_md_block_s  blog_md_block_t;

struct blog_md_block_s {
    blog_md_block_t        *prev;
    blog_md_block_t        *next;
    size_t                  size;
};

#define BLOG_MD_BLOCK  ((sizeof(blog_md_block_t) + 15) & ~(size_t) 15)

typedef struct {
    blog_md_block_t         ring;
    size_t                  used;
    size_t                  limit;
    jmp_buf                 over;
} blog_md_arena_t;

typedef struct {
    blog_markdown_walk_pt   walk;
    void                   *data;
} blog_md_walk_t;


static void blog_markdown_extensions(void);
static int blog_md_work(const u_char *md, size_t n, unsigned dialect,
    unsigned raw_html, blog_markdown_work_pt work, void *data);
static int blog_md_walked(cmark_node *doc, cmark_parser *parser,
    int options, void *data);
static void *blog_md_calloc(size_t n, size_t size);
static void *blog_md_alloc(size_t size);
static void *blog_md_realloc(void *p, size_t size);
static void blog_md_free(void *p);
static void blog_md_link(blog_md_arena_t *a, blog_md_block_t *b);


static pthread_once_t  blog_markdown_once = PTHREAD_ONCE_INIT;
static unsigned        blog_markdown_registered;

/* the budget of the body this thread parses: static, as no automatic
 * variable may change between setjmp and longjmp */
static __thread blog_md_arena_t   blog_md_arena_slot;
static __thread blog_md_arena_t  *blog_md_arena;

cmark_mem  blog_markdown_mem = {
    blog_md_calloc, blog_md_realloc, blog_md_free
};

/* GitHub's; its tag filter, with raw HTML on, whatever the dialect */
static const char  *blog_gfm_extensions[] = {
    "table", "strikethrough", "autolink", "tasklist", "tagfilter", NULL
};


/* cmark-gfm's registry is a list without a lock: filled once */

static void
blog_markdown_extensions(void)
{
    cmark_gfm_core_extensions_ensure_registered();
    blog_markdown_registered = 1;
}


/*
 * At a process's exit, when no thread parses any more: the registry goes,
 * or, the library unloaded with the module, its list would be lost.
 */

void
blog_markdown_release(void)
{
    if (blog_markdown_registered) {
        cmark_release_plugins();
        blog_markdown_registered = 0;
    }
}


cmark_parser *
blog_markdown_parser(unsigned dialect, unsigned raw_html, int *options)
{
    int                      opts;
    const char             **name;
    cmark_parser            *parser;
    cmark_syntax_extension  *ext;

    opts = CMARK_OPT_DEFAULT;

    if (raw_html) {
        opts |= CMARK_OPT_UNSAFE;
    }

    if (dialect == BLOG_MARKDOWN_GFM) {
        opts |= CMARK_OPT_FOOTNOTES | CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE
                | CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES;
    }

    parser = cmark_parser_new_with_mem(opts, &blog_markdown_mem);
    if (parser == NULL) {
        return NULL;
    }

    *options = opts;

    (void) pthread_once(&blog_markdown_once, blog_markdown_extensions);

    for (name = blog_gfm_extensions; *name; name++) {
        if (dialect != BLOG_MARKDOWN_GFM
            && !(raw_html && strcmp(*name, "tagfilter") == 0))
        {
            continue;
        }

        if (!raw_html && strcmp(*name, "tagfilter") == 0) {
            continue;
        }

        ext = cmark_find_syntax_extension(*name);

        if (ext == NULL || !cmark_parser_attach_syntax_extension(parser, ext))
        {
            cmark_parser_free(parser);
            return NULL;
        }
    }

    return parser;
}


/*
 * Parses a body and runs work on its tree, in the thread's budget: the
 * tree and whatever cmark allocates for work are gone after.  Returns
 * work's answer, or BLOG_DECLINED when the body passed its budget.
 */

int
blog_markdown_run(const u_char *md, size_t n, unsigned dialect,
    unsigned raw_html, blog_markdown_work_pt work, void *data)
{
    int               rc;
    blog_md_block_t  *b;
    blog_md_arena_t  *a;

    a = &blog_md_arena_slot;
    a->ring.prev = &a->ring;
    a->ring.next = &a->ring;
    a->used = 0;
    a->limit = BLOG_MARKDOWN_MEMORY(n);

    blog_md_arena = a;

    if (setjmp(a->over) == 0) {
        rc = blog_md_work(md, n, dialect, raw_html, work, data);

    } else {
        rc = BLOG_DECLINED;
    }

    a = blog_md_arena;
    blog_md_arena = NULL;

    while ((b = a->ring.next) != &a->ring) {
        a->ring.next = b->next;
        free(b);
    }

    return rc;
}


/* a function of its own, so that no local of blog_markdown_run changes
 * after setjmp */

static int
blog_md_work(const u_char *md, size_t n, unsigned dialect, unsigned raw_html,
    blog_markdown_work_pt work, void *data)
{
    int            options;
    cmark_node    *doc;
    cmark_parser  *parser;

    parser = blog_markdown_parser(dialect, raw_html, &options);
    if (parser == NULL) {
        return BLOG_ERROR;
    }

    cmark_parser_feed(parser, (const char *) md, n);

    doc = cmark_parser_finish(parser);
    if (doc == NULL) {
        return BLOG_ERROR;
    }

    return work(doc, parser, options, data);
}


int
blog_markdown_walk(const u_char *md, size_t n, unsigned dialect,
    blog_markdown_walk_pt walk, void *data)
{
    blog_md_walk_t  w;

    w.walk = walk;
    w.data = data;

    return blog_markdown_run(md, n, dialect, 0, blog_md_walked, &w);
}


static int
blog_md_walked(cmark_node *doc, cmark_parser *parser, int options,
    void *data)
{
    blog_md_walk_t  *w = data;

    return w->walk(doc, w->data);
}


/* the table extension's node type is not in cmark-gfm's headers */

int
blog_markdown_table(cmark_node *node)
{
    const char  *type;

    if (cmark_node_get_syntax_extension(node) == NULL) {
        return 0;
    }

    type = cmark_node_get_type_string(node);

    return type != NULL && strcmp(type, "table") == 0;
}


/*
 * cmark's allocator: each block in the ring of the thread's budget.  A
 * block past the budget, or one malloc cannot give, leaves the parse by
 * the jump blog_markdown_run set (cmark itself would abort).
 */

static void *
blog_md_calloc(size_t n, size_t size)
{
    u_char  *p;

    if (size && n > (SIZE_MAX - BLOG_MD_BLOCK) / size) {
        longjmp(blog_md_arena->over, 1);
    }

    p = blog_md_alloc(n * size);

    memset(p, 0, n * size);

    return p;
}


static void *
blog_md_alloc(size_t size)
{
    blog_md_block_t  *b;
    blog_md_arena_t  *a;

    a = blog_md_arena;

    if (size > a->limit - a->used || size > SIZE_MAX - BLOG_MD_BLOCK) {
        longjmp(a->over, 1);
    }

    b = malloc(BLOG_MD_BLOCK + size);
    if (b == NULL) {
        longjmp(a->over, 1);
    }

    b->size = size;
    a->used += size;
    blog_md_link(a, b);

    return (u_char *) b + BLOG_MD_BLOCK;
}


/*
 * A block grows into a new one, by a copy: cmark grows its buffers by
 * half each time, so the copies cost no more than the bytes kept.  glibc's
 * realloc() would grow a block into the free chunk after it and free what
 * is left of that chunk again, filling all of it when MALLOC_PERTURB_ is
 * set: after a long render, every small buffer that grew cost a pass over
 * megabytes, and a 3 MB post took 8 s to render, not 0.5 s.
 */

static void *
blog_md_realloc(void *p, size_t size)
{
    u_char           *np;
    blog_md_block_t  *b;

    if (p == NULL) {
        return blog_md_calloc(1, size);
    }

    b = (blog_md_block_t *) ((u_char *) p - BLOG_MD_BLOCK);

    if (size <= b->size) {
        return p;
    }

    np = blog_md_alloc(size);

    memcpy(np, p, b->size);
    blog_md_free(p);

    return np;
}


static void
blog_md_free(void *p)
{
    blog_md_block_t  *b;

    if (p == NULL) {
        return;
    }

    b = (blog_md_block_t *) ((u_char *) p - BLOG_MD_BLOCK);

    b->prev->next = b->next;
    b->next->prev = b->prev;
    blog_md_arena->used -= b->size;

    free(b);
}


static void
blog_md_link(blog_md_arena_t *a, blog_md_block_t *b)
{
    b->prev = &a->ring;
    b->next = a->ring.next;
    a->ring.next->prev = b;
    a->ring.next = b;
}
