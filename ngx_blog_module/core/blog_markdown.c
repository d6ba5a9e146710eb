
/*
 * Markdown to HTML with cmark-gfm.  The dialect is GitHub's, as Hugo and
 * Jekyll render posts: CommonMark with tables, strikethrough (~~), bare
 * autolinks, task lists and footnotes; BLOG_MARKDOWN_COMMONMARK is
 * CommonMark alone.  By default cmark's safe mode drops raw HTML and
 * javascript:, vbscript:, file: and data: links (bar images); with raw
 * HTML on, in either dialect, GitHub's tag filter still disarms <script>,
 * <iframe>, <style> and the like.
 *
 * Before rendering, the tree is reworked:
 *
 *   headings   get an id, GitHub's slug of their text (or an explicit
 *              "{#id}" at the end, as kramdown and goldmark take it), unique
 *              in the page, and on a post's own page an anchor link;
 *   code       blocks are focusable, so that a keyboard scrolls them, and
 *              highlighted when their language is known;
 *   tables     sit in a focusable box that scrolls sideways;
 *   footnotes  ids carry the post's name, unique where several posts share
 *              a page (a feed).
 *
 * cmark passes control characters through; the HTML goes into the feeds
 * too, so they are replaced.
 *
 * Some Markdown makes cmark-gfm 0.29 (Debian 12's) build far more than it
 * reads: a table of n columns and n short rows has n^2 cells, and a link
 * reference with a long title, used n times, writes the title n times (at
 * 1 GB cmark aborts).  Each parse and render therefore takes its memory
 * from a budget (BLOG_MARKDOWN_MEMORY); a body that passes it is left by
 * a jump from the allocator, its memory freed whole, and shown as text.
 */


#include <pthread.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#include "blog.h"


#define BLOG_TOC_MIN    2
#define BLOG_TOC_MAX    4

/* the thread's CPU time a page's code may take to highlight, in all */
#define BLOG_MD_HIGHLIGHT_NS  (2 * 1000000000LL)

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

typedef int (*blog_md_work_pt)(cmark_node *doc, cmark_parser *parser,
    int options, void *data);


typedef struct {
    unsigned                dialect;
    blog_markdown_tell_pt   tell;
    void                   *data;
} blog_md_check_t;

typedef struct {
    blog_markdown_walk_pt   walk;
    void                   *data;
} blog_md_walk_t;

typedef struct {
    const blog_markdown_t  *mo;
    blog_buf_t             *out;
    cmark_node            **headings;
    size_t                  nheadings;
    cmark_node            **codes;
    size_t                  ncodes;
    cmark_node            **tables;
    size_t                  ntables;
    int64_t                 highlight_ns;   /* spent highlighting */
    unsigned                footnotes:1;
    unsigned                tasks:1;
    unsigned                failed:1;
    blog_heading_ids_t      ids;
    blog_buf_t              tmp;
} blog_md_t;


static void blog_markdown_extensions(void);
static cmark_parser *blog_markdown_parser(unsigned dialect,
    unsigned raw_html, int *options);
static int blog_md_run(const u_char *md, size_t n, unsigned dialect,
    unsigned raw_html, blog_md_work_pt work, void *data);
static int blog_md_work(const u_char *md, size_t n, unsigned dialect,
    unsigned raw_html, blog_md_work_pt work, void *data);
static int blog_md_walked(cmark_node *doc, cmark_parser *parser,
    int options, void *data);
static int blog_md_render(cmark_node *doc, cmark_parser *parser,
    int options, void *data);
static void *blog_md_calloc(size_t n, size_t size);
static void *blog_md_realloc(void *p, size_t size);
static void blog_md_free(void *p);
static void blog_md_link(blog_md_arena_t *a, blog_md_block_t *b);
static int64_t blog_md_cpu_ns(void);
static int blog_md_collect(blog_md_t *md, cmark_node *doc);
static void blog_md_push(blog_md_t *md, cmark_node ***a, size_t *n,
    cmark_node *node);
static int blog_md_heading(blog_md_t *md, cmark_node *heading,
    blog_buf_t *toc, unsigned *toc_level);
static int blog_md_code(blog_md_t *md, cmark_node *code);
static int blog_md_table(blog_md_t *md, cmark_node *table);
static int blog_md_checked(cmark_node *doc, void *data);
static int blog_md_check_code(cmark_node *code, blog_buf_t *seen,
    blog_markdown_tell_pt tell, void *data);
static int blog_md_check_footnotes(cmark_node *text,
    blog_markdown_tell_pt tell, void *data);
static unsigned blog_md_line(cmark_node *node);
static cmark_node *blog_md_custom(cmark_node_type type, blog_buf_t *on_enter,
    const char *on_exit);
static void blog_md_finish(blog_buf_t *out, const u_char *html, size_t n,
    const blog_str_t *name);


static pthread_once_t  blog_markdown_once = PTHREAD_ONCE_INIT;

/* the budget of the body this thread parses: static, as no automatic
 * variable may change between setjmp and longjmp */
static __thread blog_md_arena_t   blog_md_arena_slot;
static __thread blog_md_arena_t  *blog_md_arena;

static cmark_mem  blog_md_mem = {
    blog_md_calloc, blog_md_realloc, blog_md_free
};

/* GitHub's; its tag filter, with raw HTML on, whatever the dialect */
static const char  *blog_gfm_extensions[] = {
    "table", "strikethrough", "autolink", "tasklist", "tagfilter", NULL
};

/* a language that says "no highlighting" */
static const char  *blog_plain_languages[] = {
    "text", "txt", "plain", "plaintext", "none", NULL
};

/* ids the default theme's layout uses itself */
static const char  *blog_reserved_ids[] = { "content", NULL };


/* cmark-gfm's registry is a list without a lock: filled once */

static void
blog_markdown_extensions(void)
{
    cmark_gfm_core_extensions_ensure_registered();
}


static cmark_parser *
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

    parser = cmark_parser_new_with_mem(opts, &blog_md_mem);
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

static int
blog_md_run(const u_char *md, size_t n, unsigned dialect, unsigned raw_html,
    blog_md_work_pt work, void *data)
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


/* a function of its own, so that no local of blog_md_run changes after
 * setjmp */

static int
blog_md_work(const u_char *md, size_t n, unsigned dialect, unsigned raw_html,
    blog_md_work_pt work, void *data)
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

    return blog_md_run(md, n, dialect, 0, blog_md_walked, &w);
}


static int
blog_md_walked(cmark_node *doc, cmark_parser *parser, int options,
    void *data)
{
    blog_md_walk_t  *w = data;

    return w->walk(doc, w->data);
}


/*
 * The body's HTML, appended to out.  A body that passes its budget is
 * shown as it was written, in a <pre>, and BLOG_DECLINED says so.
 */

int
blog_markdown_html(blog_buf_t *out, const u_char *md, size_t n,
    const blog_markdown_t *mo)
{
    int        rc;
    size_t     toc;
    blog_md_t  m;

    memset(&m, 0, sizeof(blog_md_t));
    m.mo = mo;
    m.out = out;
    blog_buf_init(&m.tmp);

    toc = mo->toc != NULL ? mo->toc->len : 0;

    rc = blog_md_run(md, n, mo->dialect, mo->raw_html, blog_md_render, &m);

    free(m.headings);
    free(m.codes);
    free(m.tables);
    blog_heading_ids_free(&m.ids);
    blog_buf_free(&m.tmp);

    if (rc == BLOG_DECLINED) {
        if (mo->toc != NULL) {
            mo->toc->len = toc;
        }

        blog_buf_adds(out, "<pre class=\"source\">");
        blog_escape_html(out, md, n);
        blog_buf_adds(out, "</pre>\n");

        if (out->failed) {
            return BLOG_ERROR;
        }
    }

    return rc;
}


static int
blog_md_render(cmark_node *doc, cmark_parser *parser, int options,
    void *data)
{
    blog_md_t  *m = data;

    char                   *html;
    size_t                  i;
    unsigned                level;
    const blog_markdown_t  *mo;

    mo = m->mo;

    if (blog_md_collect(m, doc) != BLOG_OK) {
        return BLOG_ERROR;
    }

    for (i = 0; blog_reserved_ids[i]; i++) {
        m->tmp.len = 0;
        blog_buf_adds(&m->tmp, blog_reserved_ids[i]);

        if (blog_heading_ids_take(&m->ids, &m->tmp) != BLOG_OK) {
            return BLOG_ERROR;
        }
    }

    level = 0;

    for (i = 0; i < m->nheadings; i++) {
        if (blog_md_heading(m, m->headings[i], mo->toc, &level) != BLOG_OK) {
            return BLOG_ERROR;
        }
    }

    if (mo->toc != NULL) {
        while (level--) {
            blog_buf_adds(mo->toc, "</li>\n</ul>\n");
        }

        if (mo->toc->failed) {
            return BLOG_ERROR;
        }
    }

    for (i = 0; i < m->ncodes; i++) {
        if (blog_md_code(m, m->codes[i]) != BLOG_OK) {
            return BLOG_ERROR;
        }
    }

    for (i = 0; i < m->ntables; i++) {
        if (blog_md_table(m, m->tables[i]) != BLOG_OK) {
            return BLOG_ERROR;
        }
    }

    html = cmark_render_html_with_mem(doc, options,
                                      cmark_parser_get_syntax_extensions(
                                          parser),
                                      &blog_md_mem);
    if (html == NULL) {
        return BLOG_ERROR;
    }

    if (m->footnotes || m->tasks) {
        m->tmp.len = 0;
        blog_md_finish(&m->tmp, (u_char *) html, strlen(html), &mo->name);
        blog_text_clean(m->out, m->tmp.data, m->tmp.len);

    } else {
        blog_text_clean(m->out, (u_char *) html, strlen(html));
    }

    return (m->out->failed || m->tmp.failed) ? BLOG_ERROR : BLOG_OK;
}


/* the nodes to rework, found before any is changed */

static int
blog_md_collect(blog_md_t *md, cmark_node *doc)
{
    cmark_iter       *it;
    cmark_node       *node;
    cmark_event_type  ev;

    it = cmark_iter_new(doc);
    if (it == NULL) {
        return BLOG_ERROR;
    }

    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        if (ev != CMARK_EVENT_ENTER) {
            continue;
        }

        node = cmark_iter_get_node(it);

        switch (cmark_node_get_type(node)) {

        case CMARK_NODE_HEADING:
            blog_md_push(md, &md->headings, &md->nheadings, node);
            break;

        case CMARK_NODE_CODE_BLOCK:
            blog_md_push(md, &md->codes, &md->ncodes, node);
            break;

        case CMARK_NODE_FOOTNOTE_DEFINITION:
            md->footnotes = 1;
            break;

        case CMARK_NODE_ITEM:
            if (cmark_node_get_syntax_extension(node) != NULL) {
                md->tasks = 1;
            }

            break;

        default:
            if (blog_markdown_table(node)) {
                blog_md_push(md, &md->tables, &md->ntables, node);
            }

            break;
        }
    }

    cmark_iter_free(it);

    return md->failed ? BLOG_ERROR : BLOG_OK;
}


static void
blog_md_push(blog_md_t *md, cmark_node ***a, size_t *n, cmark_node *node)
{
    cmark_node  **p;

    if (md->failed) {
        return;
    }

    /* grows at powers of two */

    if ((*n & (*n - 1)) == 0) {
        p = realloc(*a, (*n ? *n * 2 : 8) * sizeof(cmark_node *));
        if (p == NULL) {
            md->failed = 1;
            return;
        }

        *a = p;
    }

    (*a)[(*n)++] = node;
}


/*
 * A heading becomes
 *     <h2 id="ID">...</h2>
 * or, with anchors,
 *     <div class="heading"><h2 id="ID">...</h2><a class="anchor"
 *     href="#ID"><span aria-hidden="true">#</span><span
 *     class="visually-hidden">Section: TEXT</span></a></div>
 * where the link is beside the heading, not in it: the heading's own name
 * stays its text.  h2-h4 go into the table of contents.
 */

static int
blog_md_heading(blog_md_t *md, cmark_node *heading, blog_buf_t *toc,
    unsigned *toc_level)
{
    int          rc;
    unsigned     level;
    blog_buf_t   id, text, enter, exit_;
    cmark_node  *block, *inl, *child;

    blog_buf_init(&id);
    blog_buf_init(&text);
    blog_buf_init(&enter);
    blog_buf_init(&exit_);

    rc = BLOG_ERROR;
    block = NULL;
    inl = NULL;

    if (md->mo->dialect != BLOG_MARKDOWN_GFM
        || blog_heading_explicit_id(heading, &id) != BLOG_OK)
    {
        id.len = 0;
    }

    /* the text and the id go into the contents as they are into the
     * page, where every character XML forbids is replaced */

    blog_heading_text(&enter, heading);
    blog_text_clean(&text, enter.data, enter.len);

    if (id.len == 0) {
        blog_heading_slug(&id, text.data, text.len);

        if (id.len == 0) {
            blog_buf_adds(&id, "section");
        }

    } else {
        enter.len = 0;
        blog_text_clean(&enter, id.data, id.len);
        id.len = 0;
        blog_buf_add(&id, enter.data, enter.len);
    }

    enter.len = 0;

    if (id.failed || text.failed
        || blog_heading_ids_take(&md->ids, &id) != BLOG_OK)
    {
        goto failed;
    }

    level = cmark_node_get_heading_level(heading);

    if (md->mo->anchors) {
        blog_buf_adds(&enter, "<div class=\"heading\">");
    }

    block = blog_md_custom(CMARK_NODE_CUSTOM_BLOCK, &enter,
                           md->mo->anchors ? "</div>" : NULL);
    if (block == NULL) {
        goto failed;
    }

    enter.len = 0;
    blog_buf_printf(&enter, "<h%u id=\"", level);
    blog_escape_html(&enter, id.data, id.len);
    blog_buf_adds(&enter, "\">");

    blog_buf_printf(&exit_, "</h%u>", level);

    if (md->mo->anchors) {
        blog_buf_adds(&exit_, "<a class=\"anchor\" href=\"#");
        blog_escape_html(&exit_, id.data, id.len);
        blog_buf_adds(&exit_, "\"><span aria-hidden=\"true\">#</span>"
                      "<span class=\"visually-hidden\">Section: ");
        blog_escape_html(&exit_, text.data, text.len);
        blog_buf_adds(&exit_, "</span></a>");
    }

    blog_buf_addc(&exit_, '\0');

    if (exit_.failed) {
        goto failed;
    }

    inl = blog_md_custom(CMARK_NODE_CUSTOM_INLINE, &enter,
                         (char *) exit_.data);
    if (inl == NULL) {
        goto failed;
    }

    while ((child = cmark_node_first_child(heading)) != NULL) {
        if (!cmark_node_append_child(inl, child)) {
            goto failed;
        }
    }

    if (!cmark_node_append_child(block, inl)) {
        goto failed;
    }

    inl = NULL;

    if (!cmark_node_replace(heading, block)) {
        goto failed;
    }

    /*
     * The heading is not freed: its text nodes may still point into its
     * content, the line cmark parsed them from.  It goes with the rest of
     * the body's memory, after the render.
     */

    block = NULL;

    if (toc != NULL && level >= BLOG_TOC_MIN && level <= BLOG_TOC_MAX) {
        blog_heading_toc(toc, toc_level, level - BLOG_TOC_MIN + 1, &id, &text);
    }

    rc = BLOG_OK;

failed:

    if (inl != NULL) {
        cmark_node_free(inl);
    }

    if (block != NULL) {
        cmark_node_free(block);
    }

    blog_buf_free(&id);
    blog_buf_free(&text);
    blog_buf_free(&enter);
    blog_buf_free(&exit_);

    return rc;
}


/*
 * <pre tabindex="0"><code class="language-rust">...</code></pre>: a
 * language the highlighter knows gives token spans; any other keeps the
 * author's word in the class, for themes, and plain escaped text.
 */

static int
blog_md_code(blog_md_t *md, cmark_node *code)
{
    size_t       len;
    int64_t      start;
    blog_buf_t  *b;
    cmark_node  *node;
    const char  *info, *lang, *literal;

    b = &md->tmp;
    b->len = 0;

    info = cmark_node_get_fence_info(code);
    literal = cmark_node_get_literal(code);

    if (literal == NULL) {
        literal = "";
    }

    len = 0;
    lang = NULL;

    if (info != NULL && info[0] != '\0') {
        lang = blog_highlight_language((const u_char *) info, strlen(info));

        if (lang == NULL) {
            len = strcspn(info, " \t");
        }
    }

    blog_buf_adds(b, "<pre tabindex=\"0\"><code");

    if (lang != NULL) {
        blog_buf_adds(b, " class=\"language-");
        blog_buf_adds(b, lang);
        blog_buf_adds(b, "\">");

        /* each block is bounded in time; so are all of a page's */

        start = blog_md_cpu_ns();

        if (md->highlight_ns >= BLOG_MD_HIGHLIGHT_NS
            || blog_highlight(b, (const u_char *) info, strlen(info),
                              (const u_char *) literal, strlen(literal))
               != BLOG_OK)
        {
            blog_escape_html(b, (const u_char *) literal, strlen(literal));
        }

        md->highlight_ns += blog_md_cpu_ns() - start;

    } else {
        if (len) {
            blog_buf_adds(b, " class=\"language-");
            blog_escape_html(b, (const u_char *) info, len);
            blog_buf_addc(b, '"');
        }

        blog_buf_addc(b, '>');
        blog_escape_html(b, (const u_char *) literal, strlen(literal));
    }

    blog_buf_adds(b, "</code></pre>");

    node = blog_md_custom(CMARK_NODE_CUSTOM_BLOCK, b, NULL);
    if (node == NULL) {
        return BLOG_ERROR;
    }

    if (!cmark_node_replace(code, node)) {
        cmark_node_free(node);
        return BLOG_ERROR;
    }

    cmark_node_free(code);

    return BLOG_OK;
}


/* a wide table scrolls in its own box, which a keyboard can reach */

static int
blog_md_table(blog_md_t *md, cmark_node *table)
{
    blog_buf_t  *b;
    cmark_node  *box;

    b = &md->tmp;
    b->len = 0;
    blog_buf_adds(b, "<div class=\"table\" tabindex=\"0\" role=\"region\""
                  " aria-label=\"Table\">");

    box = blog_md_custom(CMARK_NODE_CUSTOM_BLOCK, b, "</div>");
    if (box == NULL) {
        return BLOG_ERROR;
    }

    if (!cmark_node_insert_before(table, box)) {
        cmark_node_free(box);
        return BLOG_ERROR;
    }

    return cmark_node_append_child(box, table) ? BLOG_OK : BLOG_ERROR;
}


/* a new custom node of type that writes on_enter, then on_exit */

static cmark_node *
blog_md_custom(cmark_node_type type, blog_buf_t *on_enter,
    const char *on_exit)
{
    cmark_node  *node;

    blog_buf_addc(on_enter, '\0');

    if (on_enter->failed) {
        return NULL;
    }

    on_enter->len--;

    node = cmark_node_new_with_mem(type, &blog_md_mem);
    if (node == NULL) {
        return NULL;
    }

    if (!cmark_node_set_on_enter(node, (char *) on_enter->data)
        || !cmark_node_set_on_exit(node, on_exit ? on_exit : ""))
    {
        cmark_node_free(node);
        return NULL;
    }

    return node;
}


/*
 * What cmark-gfm writes that the page wants otherwise:
 *
 *   footnotes are "fn-LABEL" and their references "fnref-LABEL": here
 *   "fn-NAME-LABEL" and "fnref-NAME-LABEL", NAME being the post's;
 *   a task's box has no name: here "done" or "to do".
 *
 * Text cannot spell these in the HTML (quotes and "<" in text are
 * escaped), so what matches is cmark's, or an author's link to a footnote.
 */

static void
blog_md_finish(blog_buf_t *out, const u_char *html, size_t n,
    const blog_str_t *name)
{
    size_t         i, k;
    const u_char  *p, *end;

    static const struct {
        const char  *from;
        const char  *to;            /* NULL: from, then the name */
    } marks[] = {
        { "id=\"fn-", NULL },
        { "id=\"fnref-", NULL },
        { "href=\"#fn-", NULL },
        { "href=\"#fnref-", NULL },
        { "<input type=\"checkbox\" checked=\"\" disabled=\"\" />",
          "<input type=\"checkbox\" checked=\"\" disabled=\"\""
          " aria-label=\"done\" />" },
        { "<input type=\"checkbox\" disabled=\"\" />",
          "<input type=\"checkbox\" disabled=\"\" aria-label=\"to do\" />" },
        { NULL, NULL }
    };

    p = html;
    end = html + n;

    while (p < end) {
        k = 0;

        if (*p == 'i' || *p == 'h' || *p == '<') {
            for (i = 0; marks[i].from; i++) {
                k = strlen(marks[i].from);

                if ((size_t) (end - p) >= k
                    && memcmp(p, marks[i].from, k) == 0)
                {
                    break;
                }
            }

            if (marks[i].from == NULL) {
                k = 0;
            }
        }

        if (k == 0) {
            blog_buf_addc(out, *p++);
            continue;
        }

        p += k;

        if (marks[i].to != NULL) {
            blog_buf_adds(out, marks[i].to);
            continue;
        }

        blog_buf_adds(out, marks[i].from);

        if (name->len) {
            blog_heading_slug(out, name->data, name->len);
            blog_buf_addc(out, '-');
        }
    }
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
 * What blog-check tells an author of a body: a fenced language the
 * highlighter does not know (once for each language), an explicit heading
 * id written twice, and a footnote reference with no definition (which
 * cmark-gfm leaves as text).
 */

int
blog_markdown_check(const u_char *md, size_t n, unsigned dialect,
    blog_markdown_tell_pt tell, void *data)
{
    blog_md_check_t  c;

    c.dialect = dialect;
    c.tell = tell;
    c.data = data;

    return blog_markdown_walk(md, n, dialect, blog_md_checked, &c);
}


static int
blog_md_checked(cmark_node *doc, void *data)
{
    blog_md_check_t  *c = data;

    int                  rc;
    void                *tdata;
    unsigned             dialect;
    cmark_iter          *it;
    cmark_node          *node, *prev;
    blog_buf_t           id, seen, b;
    cmark_node_type      type;
    cmark_event_type     ev;
    blog_heading_ids_t   ids;
    blog_markdown_tell_pt  tell;

    dialect = c->dialect;
    tell = c->tell;
    tdata = c->data;

    it = cmark_iter_new(doc);
    if (it == NULL) {
        return BLOG_ERROR;
    }

    memset(&ids, 0, sizeof(blog_heading_ids_t));
    blog_buf_init(&id);
    blog_buf_init(&seen);
    blog_buf_init(&b);

    rc = BLOG_OK;

    while (rc == BLOG_OK && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        if (ev != CMARK_EVENT_ENTER) {
            continue;
        }

        node = cmark_iter_get_node(it);
        type = cmark_node_get_type(node);

        if (type == CMARK_NODE_CODE_BLOCK) {
            rc = blog_md_check_code(node, &seen, tell, tdata);
            continue;
        }

        if (dialect != BLOG_MARKDOWN_GFM) {
            continue;
        }

        if (type == CMARK_NODE_TEXT) {
            prev = cmark_node_previous(node);

            if (prev == NULL || cmark_node_get_type(prev) != CMARK_NODE_TEXT)
            {
                rc = blog_md_check_footnotes(node, tell, tdata);
            }

            continue;
        }

        if (type != CMARK_NODE_HEADING) {
            continue;
        }

        /* the id is cut out of the heading, which the walk has entered */

        id.len = 0;

        if (blog_heading_explicit_id(node, &id) != BLOG_OK) {
            continue;
        }

        b.len = 0;
        blog_buf_adds(&b, "heading id \"");
        blog_buf_add(&b, id.data, id.len);

        if (blog_heading_ids_take(&ids, &id) != BLOG_OK) {
            rc = BLOG_ERROR;
            break;
        }

        if (id.len + sizeof("heading id \"") - 1 == b.len) {
            continue;
        }

        blog_buf_adds(&b, "\" is given twice; this heading gets \"");
        blog_buf_add(&b, id.data, id.len);
        blog_buf_adds(&b, "\"");
        blog_buf_addc(&b, '\0');

        rc = b.failed ? BLOG_ERROR
                      : tell(tdata, blog_md_line(node), BLOG_MARKDOWN_WARNING,
                             (char *) b.data);
    }

    cmark_iter_free(it);
    blog_heading_ids_free(&ids);
    blog_buf_free(&id);
    blog_buf_free(&seen);
    blog_buf_free(&b);

    return rc;
}


/* a fenced language that is not highlighted, told once */

static int
blog_md_check_code(cmark_node *code, blog_buf_t *seen,
    blog_markdown_tell_pt tell, void *data)
{
    int           rc;
    size_t        len, i;
    blog_buf_t    b;
    const char   *info;
    const u_char *p;

    info = cmark_node_get_fence_info(code);

    if (info == NULL || info[0] == '\0'
        || blog_highlight_language((const u_char *) info, strlen(info))
           != NULL)
    {
        return BLOG_OK;
    }

    len = strcspn(info, " \t,{");

    if (len == 0) {
        return BLOG_OK;
    }

    for (i = 0; blog_plain_languages[i]; i++) {
        if (strlen(blog_plain_languages[i]) == len
            && strncasecmp(info, blog_plain_languages[i], len) == 0)
        {
            return BLOG_OK;
        }
    }

    /* seen: the languages told of, each followed by a NUL */

    for (p = seen->data; p != NULL && p < seen->data + seen->len;
         p += strlen((char *) p) + 1)
    {
        if (strlen((char *) p) == len && memcmp(p, info, len) == 0) {
            return BLOG_OK;
        }
    }

    blog_buf_add(seen, info, len);
    blog_buf_addc(seen, '\0');

    blog_buf_init(&b);
    blog_buf_adds(&b, "code in \"");
    blog_buf_add(&b, info, len);
    blog_buf_adds(&b, "\" is not highlighted: the language is not one the "
                  "highlighter knows");
    blog_buf_addc(&b, '\0');

    rc = (b.failed || seen->failed)
         ? BLOG_ERROR
         : tell(data, blog_md_line(code), BLOG_MARKDOWN_NOTE, (char *) b.data);

    blog_buf_free(&b);

    return rc;
}


/*
 * "[^label]" left in a run of text: cmark-gfm found no definition for it.
 * cmark may have split the run at "[" and "]", so it is read as one.
 */

static int
blog_md_check_footnotes(cmark_node *text, blog_markdown_tell_pt tell,
    void *data)
{
    int           rc;
    size_t        i, j;
    blog_buf_t    run, b;
    const char   *s;
    cmark_node   *node;

    blog_buf_init(&run);

    for (node = text;
         node != NULL && cmark_node_get_type(node) == CMARK_NODE_TEXT;
         node = cmark_node_next(node))
    {
        s = cmark_node_get_literal(node);
        if (s != NULL) {
            blog_buf_adds(&run, s);
        }
    }

    rc = run.failed ? BLOG_ERROR : BLOG_OK;

    for (i = 0; rc == BLOG_OK && i + 3 < run.len; i++) {
        if (run.data[i] != '[' || run.data[i + 1] != '^') {
            continue;
        }

        for (j = i + 2; j < run.len && run.data[j] != ']'
                        && run.data[j] != '[' && run.data[j] > ' ';
             j++)
        {
            /* void */
        }

        if (j == i + 2 || j == run.len || run.data[j] != ']') {
            continue;
        }

        blog_buf_init(&b);
        blog_buf_adds(&b, "footnote \"");
        blog_buf_add(&b, run.data + i, j + 1 - i);
        blog_buf_adds(&b, "\" has no definition: it is shown as text");
        blog_buf_addc(&b, '\0');

        rc = b.failed ? BLOG_ERROR
                      : tell(data, blog_md_line(text), BLOG_MARKDOWN_WARNING,
                             (char *) b.data);

        blog_buf_free(&b);
        i = j;
    }

    blog_buf_free(&run);

    return rc;
}


/* a node's line in the body: an inline's is its block's */

static unsigned
blog_md_line(cmark_node *node)
{
    int  line;

    for ( ;; ) {
        line = cmark_node_get_start_line(node);

        if (line > 0 || cmark_node_parent(node) == NULL) {
            return line > 0 ? (unsigned) line : 1;
        }

        node = cmark_node_parent(node);
    }
}


/*
 * cmark's allocator: each block in the ring of the thread's budget.  A
 * block past the budget, or one malloc cannot give, leaves the parse by
 * the jump blog_md_run set (cmark itself would abort).
 */

static void *
blog_md_calloc(size_t n, size_t size)
{
    blog_md_block_t  *b;
    blog_md_arena_t  *a;

    a = blog_md_arena;

    if (size && n > (SIZE_MAX - BLOG_MD_BLOCK) / size) {
        longjmp(a->over, 1);
    }

    size *= n;

    if (size > a->limit - a->used) {
        longjmp(a->over, 1);
    }

    b = calloc(1, BLOG_MD_BLOCK + size);
    if (b == NULL) {
        longjmp(a->over, 1);
    }

    b->size = size;
    a->used += size;
    blog_md_link(a, b);

    return (u_char *) b + BLOG_MD_BLOCK;
}


static void *
blog_md_realloc(void *p, size_t size)
{
    blog_md_block_t  *b, *nb;
    blog_md_arena_t  *a;

    if (p == NULL) {
        return blog_md_calloc(1, size);
    }

    a = blog_md_arena;
    b = (blog_md_block_t *) ((u_char *) p - BLOG_MD_BLOCK);

    if (size > b->size
        && (size > SIZE_MAX - BLOG_MD_BLOCK
            || size - b->size > a->limit - a->used))
    {
        longjmp(a->over, 1);
    }

    b->prev->next = b->next;
    b->next->prev = b->prev;

    nb = realloc(b, BLOG_MD_BLOCK + size);
    if (nb == NULL) {
        blog_md_link(a, b);
        longjmp(a->over, 1);
    }

    a->used = a->used - nb->size + size;
    nb->size = size;
    blog_md_link(a, nb);

    return (u_char *) nb + BLOG_MD_BLOCK;
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


static int64_t
blog_md_cpu_ns(void)
{
    struct timespec  ts;

    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) {
        return 0;
    }

    return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}
