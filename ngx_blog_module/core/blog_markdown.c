
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
 * too, so they are replaced.  A body that passes the parser's memory
 * budget (blog_markdown_parse.c) is shown as text.
 */


#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "blog_markdown.h"


#define BLOG_TOC_MIN    2
#define BLOG_TOC_MAX    4

/* the thread's CPU time a page's code may take to highlight, in all */
#define BLOG_MD_HIGHLIGHT_NS  (2 * 1000000000LL)


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


static int blog_md_render(cmark_node *doc, cmark_parser *parser,
    int options, void *data);
static int blog_md_collect(blog_md_t *md, cmark_node *doc);
static void blog_md_push(blog_md_t *md, cmark_node ***a, size_t *n,
    cmark_node *node);
static int blog_md_heading(blog_md_t *md, cmark_node *heading,
    blog_buf_t *toc, unsigned *toc_level);
static unsigned blog_md_heading_shown(blog_md_t *md, blog_buf_t *text);
static int blog_md_code(blog_md_t *md, cmark_node *code);
static int blog_md_table(blog_md_t *md, cmark_node *table);
static cmark_node *blog_md_custom(cmark_node_type type, blog_buf_t *on_enter,
    const char *on_exit);
static void blog_md_finish(blog_buf_t *out, const u_char *html, size_t n,
    const blog_str_t *name);
static int64_t blog_md_cpu_ns(void);


/* ids the default theme's layout uses itself */
static const char  *blog_reserved_ids[] = { "content", NULL };


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

    rc = blog_markdown_run(md, n, mo->dialect, mo->raw_html, blog_md_render,
                           &m);

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
                                      &blog_markdown_mem);
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
    unsigned     level, shown;
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
    (void) blog_md_heading_shown(md, &enter);
    blog_text_clean(&text, enter.data, enter.len);

    if (id.len != 0) {
        /* "{#...}" may hold a placeholder too: then the text it shows, as
         * a slug */

        enter.len = 0;
        blog_buf_add(&enter, id.data, id.len);
        shown = blog_md_heading_shown(md, &enter);

        id.len = 0;
        blog_text_clean(&id, enter.data, enter.len);

        if (shown) {
            enter.len = 0;
            blog_heading_slug(&enter, id.data, id.len);
            id.len = 0;
            blog_buf_add(&id, enter.data, enter.len);
        }
    }

    if (id.len == 0) {
        blog_heading_slug(&id, text.data, text.len);
    }

    if (id.len == 0) {
        blog_buf_adds(&id, "section");
    }

    enter.len = 0;

    if (id.failed || text.failed || enter.failed
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
 * A heading's text as the reader sees it, in place: what a shortcode or
 * Liquid shows rather than the placeholder standing for it.  Says whether
 * that changed the text.
 */

static unsigned
blog_md_heading_shown(blog_md_t *md, blog_buf_t *text)
{
    size_t  start, end;

    if (md->mo->heading_text == NULL || text->failed) {
        return 0;
    }

    md->tmp.len = 0;
    md->mo->heading_text(md->mo->heading_data, &md->tmp, text->data,
                         text->len);

    if (md->tmp.failed) {
        text->failed = 1;
        return 0;
    }

    if (md->tmp.len == text->len
        && (text->len == 0
            || memcmp(md->tmp.data, text->data, text->len) == 0))
    {
        return 0;
    }

    /* a fragment with no text leaves a blank at an end, which a reader
     * does not see */

    start = 0;
    end = md->tmp.len;

    while (start < end && md->tmp.data[start] == ' ') {
        start++;
    }

    while (end > start && md->tmp.data[end - 1] == ' ') {
        end--;
    }

    text->len = 0;
    blog_buf_add(text, md->tmp.data + start, end - start);

    return 1;
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

    node = cmark_node_new_with_mem(type, &blog_markdown_mem);
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


static int64_t
blog_md_cpu_ns(void)
{
    struct timespec  ts;

    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) {
        return 0;
    }

    return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}
