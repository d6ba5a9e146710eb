
/*
 * Headings: the ids GitHub and Hugo give them, an author's own "{#id}",
 * one page's ids kept unique, and the outline a table of contents shows.
 */


#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>

#include "blog.h"


struct blog_heading_id_s {
    blog_heading_id_t  *next;
    unsigned            repeats;
    size_t              len;
    u_char              data[1];
};


static blog_heading_id_t **blog_heading_ids_find(blog_heading_ids_t *ids,
    const blog_buf_t *id);
static int blog_heading_ids_grow(blog_heading_ids_t *ids);
static size_t blog_heading_hash(const u_char *p, size_t n);


/*
 * GitHub's heading ids, which Hugo follows too: lower case, letters,
 * digits, "_" and "-" kept, a space a "-", the rest dropped.  Beyond
 * ASCII, Latin-1, Greek and Cyrillic capitals are lowered, and
 * punctuation, symbols and emoji dropped; other letters are kept.
 */

void
blog_heading_slug(blog_buf_t *b, const u_char *p, size_t n)
{
    size_t    i, k;
    uint32_t  c;

    for (i = 0; i < n; i += k) {
        c = p[i];
        k = 1;

        if (c < 0x80) {
            if (c >= 'A' && c <= 'Z') {
                blog_buf_addc(b, (u_char) (c + 0x20));

            } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                       || c == '_' || c == '-')
            {
                blog_buf_addc(b, (u_char) c);

            } else if (c == ' ') {
                blog_buf_addc(b, '-');
            }

            continue;
        }

        /* the text is valid UTF-8 */

        if (c >= 0xf0 && i + 3 < n) {
            c = ((c & 0x07) << 18) | ((p[i + 1] & 0x3f) << 12)
                | ((p[i + 2] & 0x3f) << 6) | (p[i + 3] & 0x3f);
            k = 4;

        } else if (c >= 0xe0 && i + 2 < n) {
            c = ((c & 0x0f) << 12) | ((p[i + 1] & 0x3f) << 6)
                | (p[i + 2] & 0x3f);
            k = 3;

        } else if (c >= 0xc0 && i + 1 < n) {
            c = ((c & 0x1f) << 6) | (p[i + 1] & 0x3f);
            k = 2;

        } else {
            continue;
        }

        if ((c >= 0xa0 && c <= 0xbf) || c == 0xd7 || c == 0xf7
            || (c >= 0x2000 && c <= 0x206f)
            || (c >= 0x20a0 && c <= 0x2bff)
            || (c >= 0x2e00 && c <= 0x2e7f)
            || (c >= 0x3000 && c <= 0x303f)
            || (c >= 0xfe00 && c <= 0xfe0f)
            || (c >= 0xfe30 && c <= 0xfe4f)
            || (c >= 0xff00 && c <= 0xff0f)
            || (c >= 0xff1a && c <= 0xff20)
            || (c >= 0xff3b && c <= 0xff40)
            || (c >= 0xff5b && c <= 0xff65)
            || (c >= 0xfff0 && c <= 0xffff)
            || (c >= 0x1f000 && c <= 0x1faff))
        {
            continue;
        }

        if ((c >= 0xc0 && c <= 0xde)
            || (c >= 0x391 && c <= 0x3a9 && c != 0x3a2)
            || (c >= 0x410 && c <= 0x42f))
        {
            c += 0x20;

        } else if (c >= 0x400 && c <= 0x40f) {
            c += 0x50;

        } else {
            blog_buf_add(b, p + i, k);
            continue;
        }

        if (c < 0x800) {
            blog_buf_addc(b, (u_char) (0xc0 | (c >> 6)));
            blog_buf_addc(b, (u_char) (0x80 | (c & 0x3f)));

        } else {
            blog_buf_add(b, p + i, k);
        }
    }
}


/* a node's text as a reader sees it: text and code, breaks as spaces */

void
blog_heading_text(blog_buf_t *b, cmark_node *node)
{
    const char       *s;
    cmark_iter       *it;
    cmark_node       *n;
    cmark_event_type  ev;

    it = cmark_iter_new(node);
    if (it == NULL) {
        b->failed = 1;
        return;
    }

    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        if (ev != CMARK_EVENT_ENTER) {
            continue;
        }

        n = cmark_iter_get_node(it);

        switch (cmark_node_get_type(n)) {

        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
            s = cmark_node_get_literal(n);
            if (s != NULL) {
                blog_buf_adds(b, s);
            }

            break;

        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
            blog_buf_addc(b, ' ');
            break;

        default:
            break;
        }
    }

    cmark_iter_free(it);
}


/*
 * An explicit id, "## Title {#my-id}", as kramdown and goldmark write it:
 * the id goes into id and the "{#...}" out of the heading.  cmark may have
 * split the end of the text into several text nodes ("_" is one of its
 * delimiters), so the run of text nodes at the end is read as one.
 */

int
blog_heading_explicit_id(cmark_node *heading, blog_buf_t *id)
{
    size_t       i, len, start, end, at;
    blog_buf_t   tail;
    const char  *s;
    cmark_node  *first, *node, *next;

    first = NULL;

    for (node = cmark_node_last_child(heading);
         node != NULL && cmark_node_get_type(node) == CMARK_NODE_TEXT;
         node = cmark_node_previous(node))
    {
        first = node;
    }

    if (first == NULL) {
        return BLOG_DECLINED;
    }

    blog_buf_init(&tail);

    for (node = first; node != NULL; node = cmark_node_next(node)) {
        s = cmark_node_get_literal(node);
        if (s != NULL) {
            blog_buf_adds(&tail, s);
        }
    }

    len = tail.len;

    while (len && (tail.data[len - 1] == ' ' || tail.data[len - 1] == '\t')) {
        len--;
    }

    if (tail.failed || len < 4 || tail.data[len - 1] != '}') {
        blog_buf_free(&tail);
        return BLOG_DECLINED;
    }

    end = len - 1;
    start = end;

    while (start > 0 && tail.data[start - 1] != '{') {
        start--;
    }

    if (start < 1 || tail.data[start] != '#' || start + 1 == end) {
        blog_buf_free(&tail);
        return BLOG_DECLINED;
    }

    for (i = start + 1; i < end; i++) {
        if (tail.data[i] <= ' ' || strchr("\"'<>&{}#`", tail.data[i]) != NULL)
        {
            blog_buf_free(&tail);
            return BLOG_DECLINED;
        }
    }

    blog_buf_add(id, tail.data + start + 1, end - start - 1);

    /* cut the text where "{" is, and the blanks before it */

    at = start - 1;

    while (at && (tail.data[at - 1] == ' ' || tail.data[at - 1] == '\t')) {
        at--;
    }

    blog_buf_free(&tail);

    len = 0;

    for (node = first; node != NULL; node = next) {
        next = cmark_node_next(node);
        s = cmark_node_get_literal(node);
        i = (s != NULL) ? strlen(s) : 0;

        if (len + i <= at) {
            len += i;
            continue;
        }

        if (len < at) {
            tail.data = (u_char *) strndup(s, at - len);
            if (tail.data == NULL) {
                return BLOG_ERROR;
            }

            i = cmark_node_set_literal(node, (char *) tail.data);
            free(tail.data);

            if (!i) {
                return BLOG_ERROR;
            }

            len = at;
            continue;
        }

        cmark_node_free(node);
    }

    return id->failed ? BLOG_ERROR : BLOG_OK;
}


/*
 * The outline as nested lists: depth is how many lists are open.  A
 * heading that skips a level (an h4 under an h2) nests once, as the
 * reader sees it.
 */

void
blog_heading_toc(blog_buf_t *toc, unsigned *depth, unsigned level,
    const blog_buf_t *id, const blog_buf_t *text)
{
    if (*depth == 0) {
        blog_buf_adds(toc, "<ul>\n");
        *depth = 1;

    } else if (level > *depth) {
        blog_buf_adds(toc, "\n<ul>\n");
        (*depth)++;

    } else {
        while (*depth > level && *depth > 1) {
            blog_buf_adds(toc, "</li>\n</ul>\n");
            (*depth)--;
        }

        blog_buf_adds(toc, "</li>\n");
    }

    blog_buf_adds(toc, "<li><a href=\"#");
    blog_escape_html(toc, id->data, id->len);
    blog_buf_adds(toc, "\">");
    blog_escape_html(toc, text->data, text->len);
    blog_buf_adds(toc, "</a>");
}


int
blog_heading_ids_take(blog_heading_ids_t *ids, blog_buf_t *id)
{
    size_t       base;
    blog_heading_id_t   *e, *first, **bucket;

    if (ids->n >= ids->nbuckets / 2 && blog_heading_ids_grow(ids) != BLOG_OK) {
        return BLOG_ERROR;
    }

    bucket = blog_heading_ids_find(ids, id);
    first = *bucket;
    base = id->len;

    /* taken: "id-N" for the next N that this id has not tried */

    while (*bucket != NULL) {
        first->repeats++;
        id->len = base;
        blog_buf_printf(id, "-%u", first->repeats);

        if (id->failed) {
            return BLOG_ERROR;
        }

        bucket = blog_heading_ids_find(ids, id);
    }

    e = malloc(offsetof(blog_heading_id_t, data) + id->len + 1);
    if (e == NULL) {
        return BLOG_ERROR;
    }

    e->repeats = 0;
    e->len = id->len;
    memcpy(e->data, id->data, id->len);
    e->next = NULL;
    *bucket = e;
    ids->n++;

    return BLOG_OK;
}


/* where id is in the table, or where it would go at its bucket's end */

static blog_heading_id_t **
blog_heading_ids_find(blog_heading_ids_t *ids, const blog_buf_t *id)
{
    blog_heading_id_t  **e;

    e = &ids->buckets[blog_heading_hash(id->data, id->len)
                      & (ids->nbuckets - 1)];

    while (*e != NULL
           && ((*e)->len != id->len || memcmp((*e)->data, id->data, id->len)))
    {
        e = &(*e)->next;
    }

    return e;
}


static int
blog_heading_ids_grow(blog_heading_ids_t *ids)
{
    size_t      i, n, h;
    blog_heading_id_t  *e, **nb;

    n = ids->nbuckets ? ids->nbuckets * 2 : 64;

    nb = calloc(n, sizeof(blog_heading_id_t *));
    if (nb == NULL) {
        return BLOG_ERROR;
    }

    for (i = 0; i < ids->nbuckets; i++) {
        while ((e = ids->buckets[i]) != NULL) {
            ids->buckets[i] = e->next;
            h = blog_heading_hash(e->data, e->len) & (n - 1);
            e->next = nb[h];
            nb[h] = e;
        }
    }

    free(ids->buckets);
    ids->buckets = nb;
    ids->nbuckets = n;

    return BLOG_OK;
}


/* FNV-1a */

static size_t
blog_heading_hash(const u_char *p, size_t n)
{
    size_t  i, h;

    h = (size_t) 14695981039346656037ULL;

    for (i = 0; i < n; i++) {
        h = (h ^ p[i]) * (size_t) 1099511628211ULL;
    }

    return h;
}


void
blog_heading_ids_free(blog_heading_ids_t *ids)
{
    size_t      i;
    blog_heading_id_t  *e;

    for (i = 0; i < ids->nbuckets; i++) {
        while ((e = ids->buckets[i]) != NULL) {
            ids->buckets[i] = e->next;
            free(e);
        }
    }

    free(ids->buckets);
}
