
/*
 * What blog-check tells an author of a body: a fenced language the
 * highlighter does not know, an explicit heading id written twice, and a
 * footnote reference with no definition.
 */


#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "blog_markdown.h"


typedef struct {
    unsigned                dialect;
    blog_markdown_tell_pt   tell;
    void                   *data;
} blog_md_check_t;


static int blog_md_checked(cmark_node *doc, void *data);
static int blog_md_check_code(cmark_node *code, blog_buf_t *seen,
    blog_markdown_tell_pt tell, void *data);
static int blog_md_check_footnotes(cmark_node *text,
    blog_markdown_tell_pt tell, void *data);
static unsigned blog_md_line(cmark_node *node);


/* a language that says "no highlighting" */
static const char  *blog_plain_languages[] = {
    "text", "txt", "plain", "plaintext", "none", NULL
};


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
