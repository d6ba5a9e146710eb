
/*
 * Rendering a compiled template: one walk over its nodes with a stack of
 * contexts.  Bounded in depth, steps and output, so a template that
 * includes itself ends; one that hits a bound makes blog_tmpl_render
 * return BLOG_ERROR.
 */


#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blog_template.h"


typedef struct blog_tmpl_ctx_s  blog_tmpl_ctx_t;

struct blog_tmpl_ctx_s {
    blog_value_t           *value;
    blog_tmpl_ctx_t        *parent;
};

typedef struct blog_tmpl_indent_s  blog_tmpl_indent_t;

struct blog_tmpl_indent_s {
    const u_char           *data;
    size_t                  len;
    blog_tmpl_indent_t     *parent;
};

typedef struct {
    blog_tmpl_set_t        *set;
    blog_buf_t             *out;
    size_t                  max_len;
    size_t                  steps;
    unsigned                depth;
    unsigned                overflow:1;
} blog_tmpl_render_t;


static void blog_tmpl_nodes(blog_tmpl_render_t *r, blog_tmpl_t *t,
    size_t from, size_t to, blog_tmpl_ctx_t *ctx,
    blog_tmpl_indent_t *indent);
static void blog_tmpl_section(blog_tmpl_render_t *r, blog_tmpl_t *t,
    blog_tmpl_node_t *node, blog_tmpl_ctx_t *ctx,
    blog_tmpl_indent_t *indent);
static void blog_tmpl_partial(blog_tmpl_render_t *r, blog_tmpl_t *t,
    blog_tmpl_node_t *node, blog_tmpl_ctx_t *ctx,
    blog_tmpl_indent_t *indent);
static blog_value_t *blog_tmpl_lookup(blog_tmpl_render_t *r, blog_tmpl_t *t,
    blog_tmpl_node_t *node, blog_tmpl_ctx_t *ctx);
static int blog_tmpl_truthy(blog_value_t *v);
static void blog_tmpl_value(blog_buf_t *out, blog_value_t *v,
    unsigned escape);
static void blog_tmpl_number(blog_buf_t *out, double d);
static void blog_tmpl_indent(blog_buf_t *out, blog_tmpl_indent_t *indent);


int
blog_tmpl_render(blog_tmpl_set_t *set, const char *name, blog_value_t *ctx,
    blog_buf_t *out)
{
    blog_tmpl_t         *t;
    blog_tmpl_ctx_t      root;
    blog_tmpl_render_t   r;

    t = blog_tmpl_find(set, (const u_char *) name, strlen(name));
    if (t == NULL) {
        return BLOG_DECLINED;
    }

    r.set = set;
    r.out = out;
    r.max_len = out->len + BLOG_TMPL_MAX_OUTPUT;
    r.steps = 0;
    r.depth = 0;
    r.overflow = 0;

    root.value = ctx;
    root.parent = NULL;

    blog_tmpl_nodes(&r, t, 0, t->nnodes, ctx != NULL ? &root : NULL, NULL);

    if (r.overflow || out->failed) {
        return BLOG_ERROR;
    }

    return BLOG_OK;
}


static void
blog_tmpl_nodes(blog_tmpl_render_t *r, blog_tmpl_t *t, size_t from,
    size_t to, blog_tmpl_ctx_t *ctx, blog_tmpl_indent_t *indent)
{
    size_t             i;
    blog_value_t      *v;
    blog_tmpl_node_t  *node;

    for (i = from; i < to; /* void */ ) {

        if (r->overflow || r->out->failed) {
            return;
        }

        if (++r->steps > BLOG_TMPL_MAX_STEPS || r->out->len > r->max_len) {
            r->overflow = 1;
            return;
        }

        node = &t->nodes[i];

        if (node->bol && indent != NULL) {
            blog_tmpl_indent(r->out, indent);
        }

        switch (node->type) {

        case BLOG_TMPL_TEXT:
            blog_buf_add(r->out, t->src + node->text.off, node->text.len);
            i++;
            break;

        case BLOG_TMPL_VAR:
        case BLOG_TMPL_RAW:
            v = blog_tmpl_lookup(r, t, node, ctx);

            if (node->url && v != NULL && v->type == BLOG_VALUE_STRING
                && !blog_url_safe(v->u.string.data, v->u.string.len))
            {
                /* javascript: and the like, as an author may write */
                i++;
                break;
            }

            blog_tmpl_value(r->out, v, node->type == BLOG_TMPL_VAR);
            i++;
            break;

        case BLOG_TMPL_SECTION:
        case BLOG_TMPL_INVERTED:
            blog_tmpl_section(r, t, node, ctx, indent);
            i = node->end > i ? node->end : i + 1;
            break;

        case BLOG_TMPL_PARTIAL:
            blog_tmpl_partial(r, t, node, ctx, indent);
            i++;
            break;
        }
    }
}


static void
blog_tmpl_section(blog_tmpl_render_t *r, blog_tmpl_t *t,
    blog_tmpl_node_t *node, blog_tmpl_ctx_t *ctx, blog_tmpl_indent_t *indent)
{
    size_t            i, from;
    blog_value_t     *v;
    blog_tmpl_ctx_t   frame;

    v = blog_tmpl_lookup(r, t, node, ctx);

    if (blog_tmpl_truthy(v) != (node->type == BLOG_TMPL_SECTION)) {
        return;
    }

    if (r->depth >= BLOG_TMPL_MAX_DEPTH) {
        r->overflow = 1;
        return;
    }

    r->depth++;

    from = node - t->nodes + 1;

    if (node->type == BLOG_TMPL_INVERTED) {
        blog_tmpl_nodes(r, t, from, node->end, ctx, indent);

    } else if (v->type == BLOG_VALUE_LIST) {
        frame.parent = ctx;

        for (i = 0; i < v->u.list.n && !r->overflow; i++) {
            frame.value = v->u.list.items[i];
            blog_tmpl_nodes(r, t, from, node->end, &frame, indent);
        }

    } else {
        frame.parent = ctx;
        frame.value = v;
        blog_tmpl_nodes(r, t, from, node->end, &frame, indent);
    }

    r->depth--;
}


/*
 * A standalone partial indents each of its lines by its own indent, inside
 * the indents of the partials around it; one inline is not indented.
 */

static void
blog_tmpl_partial(blog_tmpl_render_t *r, blog_tmpl_t *t,
    blog_tmpl_node_t *node, blog_tmpl_ctx_t *ctx, blog_tmpl_indent_t *indent)
{
    blog_tmpl_t         *p;
    blog_tmpl_indent_t   in, *pin;

    p = blog_tmpl_find(r->set, t->src + node->text.off, node->text.len);
    if (p == NULL) {
        return;
    }

    if (r->depth >= BLOG_TMPL_MAX_DEPTH) {
        r->overflow = 1;
        return;
    }

    pin = NULL;

    if (node->standalone) {
        pin = indent;

        if (node->indent.len) {
            in.data = t->src + node->indent.off;
            in.len = node->indent.len;
            in.parent = indent;
            pin = &in;
        }
    }

    r->depth++;
    blog_tmpl_nodes(r, p, 0, p->nnodes, ctx, pin);
    r->depth--;
}


/*
 * The first part of a name is looked for from the innermost context out;
 * the rest only inside what it found.  Each context searched is a step.
 */

static blog_value_t *
blog_tmpl_lookup(blog_tmpl_render_t *r, blog_tmpl_t *t,
    blog_tmpl_node_t *node, blog_tmpl_ctx_t *ctx)
{
    size_t             i;
    blog_value_t      *v;
    blog_tmpl_span_t  *part;

    if (node->nparts == 0) {
        return ctx != NULL ? ctx->value : NULL;
    }

    part = &t->parts[node->parts];
    v = NULL;

    for ( /* void */ ; ctx != NULL; ctx = ctx->parent) {
        r->steps++;

        v = blog_value_get(ctx->value, t->src + part->off, part->len);
        if (v != NULL) {
            break;
        }
    }

    for (i = 1; v != NULL && i < node->nparts; i++) {
        part++;
        v = blog_value_get(v, t->src + part->off, part->len);
    }

    return v;
}


static int
blog_tmpl_truthy(blog_value_t *v)
{
    if (v == NULL) {
        return 0;
    }

    switch (v->type) {

    case BLOG_VALUE_NULL:
        return 0;

    case BLOG_VALUE_BOOL:
        return v->u.boolean;

    case BLOG_VALUE_LIST:
        return v->u.list.n != 0;

    case BLOG_VALUE_STRING:
        return v->u.string.len != 0;

    default:
        return 1;
    }
}


/* lists and maps show as nothing */

static void
blog_tmpl_value(blog_buf_t *out, blog_value_t *v, unsigned escape)
{
    if (v == NULL) {
        return;
    }

    switch (v->type) {

    case BLOG_VALUE_BOOL:
        blog_buf_adds(out, v->u.boolean ? "true" : "false");
        break;

    case BLOG_VALUE_NUMBER:
        blog_tmpl_number(out, v->u.number);
        break;

    case BLOG_VALUE_STRING:
        if (escape) {
            blog_escape_html(out, v->u.string.data, v->u.string.len);

        } else {
            blog_buf_add(out, v->u.string.data, v->u.string.len);
        }

        break;

    default:
        break;
    }
}


/* integers as such, others in the fewest digits that read back the same */

static void
blog_tmpl_number(blog_buf_t *out, double d)
{
    int   prec;
    char  buf[64];

    if (d == 0) {
        blog_buf_addc(out, '0');
        return;
    }

    if (d > -1e15 && d < 1e15 && d == (double) (long long) d) {
        blog_buf_printf(out, "%lld", (long long) d);
        return;
    }

    for (prec = 15; prec < 17; prec++) {
        snprintf(buf, sizeof(buf), "%.*g", prec, d);

        if (strtod(buf, NULL) == d) {
            break;
        }
    }

    if (prec == 17) {
        snprintf(buf, sizeof(buf), "%.17g", d);
    }

    blog_buf_adds(out, buf);
}


static void
blog_tmpl_indent(blog_buf_t *out, blog_tmpl_indent_t *indent)
{
    if (indent->parent != NULL) {
        blog_tmpl_indent(out, indent->parent);
    }

    blog_buf_add(out, indent->data, indent->len);
}
