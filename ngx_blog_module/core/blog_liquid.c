
/*
 * Jekyll's Liquid in a post's body, before its Markdown is rendered, as
 * Jekyll runs it: over the whole body, code included.  What makes sense
 * without Jekyll's templates is done: {% raw %} shows its content as
 * written, {% highlight %} becomes a fenced code block for the
 * highlighter, {% link %} and {% post_url %} give a post's URL, and
 * {{ site.X }} and {{ page.X }} their values, HTML-escaped, through the
 * common filters.  Tags that need Jekyll's own templates (include, for,
 * if, assign...) are removed, block tags with their bodies, and noted.
 * The pass is linear: a tag never spans another "{{" or "{%", block tags
 * pair with a bounded look down a stack, and nothing is expanded twice.
 * The fragments, placeholders, notes, post links and fenced code are
 * blog_expand.c's; which posts get Liquid is blog_expand_dialect.c's
 * choice (blog_expand_liquid()), and logging the caller's.
 */


#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "blog_expand.h"


#define BLOG_LQ_PAIR_LOOK       64
#define BLOG_LQ_FILTERS         8


typedef enum {
    BLOG_LQ_OUTPUT = 0,         /* {{ expression }} */
    BLOG_LQ_TAG,                /* {% name args %} */
    BLOG_LQ_RAW                 /* {% raw %}...{% endraw %} */
} blog_lq_kind_e;

typedef struct {
    blog_lq_kind_e      kind;
    const u_char       *start;
    const u_char       *end;
    const u_char       *name;
    size_t              name_len;
    const u_char       *args;       /* raw: the content */
    const u_char       *args_end;
    unsigned            line;
    size_t              pair;       /* the end tag's index, or 0 */
} blog_lq_tag_t;

typedef struct {
    blog_expand_t      *x;
    blog_lq_tag_t      *tags;
    size_t              ntags;
    size_t              size;
} blog_lq_t;


static int blog_lq_scan(blog_lq_t *s, const u_char *p, size_t n,
    unsigned line);
static const u_char *blog_lq_parse(blog_lq_tag_t *t, const u_char *p,
    const u_char *last);
static const u_char *blog_lq_endraw(const u_char *p, const u_char *last,
    const u_char **content_end);
static const u_char *blog_lq_trim(const u_char *p, const u_char *last);
static int blog_lq_is(const blog_lq_tag_t *t, const char *name);
static int blog_lq_block(const u_char *name, size_t n);
static void blog_lq_pair(blog_lq_t *s);
static void blog_lq_tag(blog_lq_t *s, blog_buf_t *out, size_t i);
static void blog_lq_output(blog_lq_t *s, blog_buf_t *out, blog_lq_tag_t *t);
static int blog_lq_variable(blog_lq_t *s, blog_buf_t *b, const u_char *p,
    size_t n, unsigned line);
static int blog_lq_filter(blog_lq_t *s, blog_buf_t *b, const u_char *p,
    size_t n, unsigned line);
static int blog_lq_string(const u_char *p, size_t n, const u_char **s,
    size_t *len);
static void blog_lq_value(blog_buf_t *b, blog_value_t *v);
static void blog_lq_word(const u_char **p, const u_char *last,
    const u_char **w, size_t *n);
static int blog_lq_object(const u_char *p, const u_char *last);


/* the objects Jekyll gives a post's Liquid */
static const char  *blog_lq_objects[] = {
    "site", "page", "layout", "content", "paginator", "jekyll", "include",
    "theme", NULL
};

/* what Liquid and Jekyll know as block tags: removed with their bodies */
static const char  *blog_lq_blocks[] = {
    "if", "unless", "for", "case", "capture", "comment", "tablerow",
    "highlight", NULL
};


int
blog_liquid_expand(blog_expand_t *x, blog_buf_t *out, const u_char *p,
    size_t n)
{
    size_t          i, next;
    const u_char   *q;
    blog_lq_t       s;
    blog_lq_tag_t  *t;

    memset(&s, 0, sizeof(blog_lq_t));
    s.x = x;

    if (blog_lq_scan(&s, p, n, x->line) != BLOG_OK) {
        free(s.tags);
        return BLOG_ERROR;
    }

    blog_lq_pair(&s);

    q = p;
    i = 0;

    while (i < s.ntags) {
        t = &s.tags[i];

        blog_buf_add(out, q, t->start - q);

        if (t->pair) {
            next = t->pair + 1;
            q = s.tags[t->pair].end;

        } else {
            next = i + 1;
            q = t->end;
        }

        blog_lq_tag(&s, out, i);

        i = next;
    }

    blog_buf_add(out, q, p + n - q);

    free(s.tags);

    return BLOG_OK;
}


/* a summary's text: tags removed, raw content kept */

void
blog_liquid_strip(blog_buf_t *out, const u_char *p, size_t n)
{
    size_t          i;
    const u_char   *q;
    blog_lq_t       s;
    blog_lq_tag_t  *t;

    memset(&s, 0, sizeof(blog_lq_t));

    if (blog_lq_scan(&s, p, n, 1) != BLOG_OK) {
        free(s.tags);
        out->failed = 1;
        return;
    }

    q = p;

    for (i = 0; i < s.ntags; i++) {
        t = &s.tags[i];

        blog_buf_add(out, q, t->start - q);

        if (t->kind == BLOG_LQ_RAW) {
            blog_buf_add(out, t->args, t->args_end - t->args);

        } else if (t->kind == BLOG_LQ_OUTPUT
                   && !blog_lq_object(t->args, t->args_end))
        {
            /* not Jekyll's: the page shows it as written */
            blog_buf_add(out, t->start, t->end - t->start);
        }

        q = t->end;
    }

    blog_buf_add(out, q, p + n - q);

    free(s.tags);
}


/* every tag of the body in order, a raw block as one */

static int
blog_lq_scan(blog_lq_t *s, const u_char *p, size_t n, unsigned line)
{
    size_t          size;
    const u_char   *q, *last, *end, *counted;
    blog_lq_tag_t   t, *tags;

    q = p;
    last = p + n;
    counted = p;

    while (last - q >= 4) {
        q = memchr(q, '{', last - q - 3);
        if (q == NULL) {
            break;
        }

        if (q[1] != '{' && q[1] != '%') {
            q++;
            continue;
        }

        end = blog_lq_parse(&t, q, last);
        if (end == NULL) {
            q++;
            continue;
        }

        for ( /* void */ ; counted < q; counted++) {
            line += (*counted == '\n');
        }

        t.line = line;

        if (s->ntags == s->size) {
            size = s->size ? 2 * s->size : 16;

            tags = realloc(s->tags, size * sizeof(blog_lq_tag_t));
            if (tags == NULL) {
                return BLOG_ERROR;
            }

            s->tags = tags;
            s->size = size;
        }

        s->tags[s->ntags++] = t;
        q = end;
    }

    return BLOG_OK;
}


/*
 * One tag at p: its end, or NULL when it is not one.  It stops at the
 * next "{{" or "{%", which keeps the scan linear; a raw tag runs to its
 * endraw, or to the end of the body.
 */

static const u_char *
blog_lq_parse(blog_lq_tag_t *t, const u_char *p, const u_char *last)
{
    u_char         close;
    const u_char  *q, *e, *cp;

    memset(t, 0, sizeof(blog_lq_tag_t));

    t->start = p;
    t->kind = (p[1] == '{') ? BLOG_LQ_OUTPUT : BLOG_LQ_TAG;
    close = (p[1] == '{') ? '}' : '%';

    for (q = p + 2; q + 1 < last; q++) {
        if (q[0] == '{' && (q[1] == '{' || q[1] == '%')) {
            return NULL;
        }

        if (q[0] == close && q[1] == '}') {
            break;
        }
    }

    if (q + 1 >= last) {
        return NULL;
    }

    cp = q;
    e = q;

    q = blog_lq_trim(p + 2, e);

    while (e > q && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n'
                     || e[-1] == '\r' || e[-1] == '-'))
    {
        e--;
    }

    t->end = cp + 2;

    if (t->kind == BLOG_LQ_OUTPUT) {
        t->args = q;
        t->args_end = e;
        return t->end;
    }

    t->name = q;

    while (q < e && ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z')
                     || (*q >= '0' && *q <= '9') || *q == '_'))
    {
        q++;
    }

    t->name_len = q - t->name;

    if (t->name_len == 0) {
        return NULL;
    }

    t->args = blog_lq_trim(q, e);
    t->args_end = e;

    if (blog_lq_is(t, "raw")) {
        t->kind = BLOG_LQ_RAW;
        t->args = t->end;
        t->end = blog_lq_endraw(t->end, last, &t->args_end);
    }

    return t->end;
}


/* past the "{% endraw %}" after p, or the end; its start in content_end */

static const u_char *
blog_lq_endraw(const u_char *p, const u_char *last,
    const u_char **content_end)
{
    const u_char  *q, *r;

    for (q = p; last - q >= 2; q++) {
        q = memchr(q, '{', last - q - 1);
        if (q == NULL) {
            break;
        }

        if (q[1] != '%') {
            continue;
        }

        r = blog_lq_trim(q + 2, last);

        if (last - r < 6 || memcmp(r, "endraw", 6) != 0) {
            continue;
        }

        r = blog_lq_trim(r + 6, last);

        if (last - r >= 2 && r[0] == '%' && r[1] == '}') {
            *content_end = q;
            return r + 2;
        }
    }

    *content_end = last;

    return last;
}


static const u_char *
blog_lq_trim(const u_char *p, const u_char *last)
{
    while (p < last && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'
                        || *p == '-'))
    {
        p++;
    }

    return p;
}


static int
blog_lq_is(const blog_lq_tag_t *t, const char *name)
{
    size_t  n;

    n = strlen(name);

    return t->name_len == n && memcmp(t->name, name, n) == 0;
}


static int
blog_lq_block(const u_char *name, size_t n)
{
    const char  **b;

    for (b = blog_lq_blocks; *b; b++) {
        if (strlen(*b) == n && memcmp(*b, name, n) == 0) {
            return 1;
        }
    }

    return 0;
}


/* each "endX" closes the nearest open block X within the look */

static void
blog_lq_pair(blog_lq_t *s)
{
    size_t          i, k, n, *stack;
    blog_lq_tag_t  *t, *o;

    stack = malloc((s->ntags + 1) * sizeof(size_t));
    if (stack == NULL) {
        s->x->failed = 1;
        return;
    }

    n = 0;

    for (i = 0; i < s->ntags; i++) {
        t = &s->tags[i];

        if (t->kind != BLOG_LQ_TAG) {
            continue;
        }

        if (blog_lq_block(t->name, t->name_len)) {
            stack[n++] = i;
            continue;
        }

        if (t->name_len <= 3 || memcmp(t->name, "end", 3) != 0) {
            continue;
        }

        for (k = n; k > 0 && n - k < BLOG_LQ_PAIR_LOOK; k--) {
            o = &s->tags[stack[k - 1]];

            if (o->name_len == t->name_len - 3
                && memcmp(o->name, t->name + 3, o->name_len) == 0)
            {
                o->pair = i;
                n = k - 1;
                break;
            }
        }
    }

    free(stack);
}


static void
blog_lq_tag(blog_lq_t *s, blog_buf_t *out, size_t i)
{
    const u_char   *w;
    size_t          n;
    blog_expand_t  *x;
    blog_lq_tag_t  *t;

    t = &s->tags[i];
    x = s->x;

    switch (t->kind) {

    case BLOG_LQ_RAW:
        blog_buf_add(out, t->args, t->args_end - t->args);
        return;

    case BLOG_LQ_OUTPUT:
        blog_lq_output(s, out, t);
        return;

    default:
        break;
    }

    if (blog_lq_is(t, "highlight") && t->pair) {
        w = t->args;
        blog_lq_word(&w, t->args_end, &w, &n);
        blog_expand_fence(out, w, n, t->end, s->tags[t->pair].start - t->end);
        return;
    }

    if (blog_lq_is(t, "comment")) {
        return;
    }

    if (blog_lq_is(t, "link") || blog_lq_is(t, "post_url")) {
        w = t->args;
        blog_lq_word(&w, t->args_end, &w, &n);

        blog_expand_url(x, &x->frags, w, n, 0, t->line,
                        blog_lq_is(t, "link") ? "link" : "post_url");
        (void) blog_expand_fragment(x, out, 0);
        return;
    }

    if (t->pair) {
        blog_expand_note(x, t->line, "Liquid tag \"%.*s\" needs Jekyll's "
                         "templates, removed with its body",
                         (int) t->name_len, t->name);
        return;
    }

    blog_expand_note(x, t->line, "Liquid tag \"%.*s\" needs Jekyll's "
                     "templates, removed", (int) t->name_len, t->name);
}


/*
 * {{ value | filter: arg | ... }}: the value, escaped, in a fragment;
 * nothing when it names what is not known here.
 */

static void
blog_lq_output(blog_lq_t *s, blog_buf_t *out, blog_lq_tag_t *t)
{
    size_t          n;
    blog_buf_t      b;
    const u_char   *p, *q, *bar;
    blog_expand_t  *x;

    x = s->x;

    /*
     * Only Jekyll's own objects are Liquid: "{{closure}}" in a Rust
     * blog's backtrace, dated as Jekyll's posts are, stays as it is.
     */

    if (!blog_lq_object(t->args, t->args_end)) {
        blog_buf_add(out, t->start, t->end - t->start);
        return;
    }

    blog_buf_init(&b);

    p = t->args;
    bar = NULL;

    for (q = p; q < t->args_end; q++) {
        if (*q == '"' || *q == '\'') {
            bar = memchr(q + 1, *q, t->args_end - q - 1);
            if (bar == NULL) {
                break;
            }

            q = bar;
            bar = NULL;
            continue;
        }

        if (*q == '|') {
            bar = q;
            break;
        }
    }

    n = (bar != NULL ? bar : t->args_end) - p;

    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t')) {
        n--;
    }

    if (blog_lq_variable(s, &b, p, n, t->line) != BLOG_OK) {
        blog_buf_free(&b);
        return;
    }

    n = 0;

    while (bar != NULL && n++ < BLOG_LQ_FILTERS) {
        p = bar + 1;

        for (q = p; q < t->args_end && *q != '|'; q++) {
            if (*q == '"' || *q == '\'') {
                bar = memchr(q + 1, *q, t->args_end - q - 1);
                q = bar != NULL ? bar : t->args_end - 1;
            }
        }

        bar = q < t->args_end ? q : NULL;

        if (blog_lq_filter(s, &b, p, q - p, t->line) != BLOG_OK) {
            blog_buf_free(&b);
            return;
        }
    }

    /* it may start a link's address, past the Markdown renderer's check
     * of schemes: there, one that runs script is dropped */

    if (b.len) {
        blog_escape_html(&x->frags, b.data, b.len);

        if (blog_expand_fragment(x, out, 0) == BLOG_OK) {
            x->frag[x->nfrags - 1].address = !blog_url_safe(b.data, b.len);
        }
    }

    if (b.failed) {
        x->failed = 1;
    }

    blog_buf_free(&b);
}


/* a literal string, or site.X, or page.X */

static int
blog_lq_variable(blog_lq_t *s, blog_buf_t *b, const u_char *p, size_t n,
    unsigned line)
{
    size_t          len;
    const u_char   *str;
    blog_value_t   *v, *params;
    blog_expand_t  *x;

    x = s->x;

    if (blog_lq_string(p, n, &str, &len) == BLOG_OK) {
        blog_buf_add(b, str, len);
        return BLOG_OK;
    }

    if (n > 5 && memcmp(p, "site.", 5) == 0) {
        if (n == 8 && memcmp(p + 5, "url", 3) == 0) {
            blog_buf_add(b, x->base_url.data, x->base_url.len);
            return BLOG_OK;
        }

        if (n == 12 && memcmp(p + 5, "baseurl", 7) == 0) {
            blog_buf_add(b, x->prefix.data, x->prefix.len);
            return BLOG_OK;
        }

        v = x->site != NULL ? blog_value_get(x->site, p + 5, n - 5) : NULL;

        if (v != NULL && v->type == BLOG_VALUE_STRING) {
            blog_lq_value(b, v);
            return BLOG_OK;
        }

    } else if (n > 5 && memcmp(p, "page.", 5) == 0) {
        if (n == 9 && memcmp(p + 5, "date", 4) == 0) {
            v = x->page != NULL
                ? blog_value_get(x->page, (u_char *) "date_iso", 8) : NULL;

        } else {
            v = x->page != NULL ? blog_value_get(x->page, p + 5, n - 5)
                                : NULL;
        }

        if (v == NULL && x->page != NULL) {
            params = blog_value_get(x->page, (u_char *) "params", 6);
            v = params != NULL ? blog_value_get(params, p + 5, n - 5) : NULL;
        }

        if (v != NULL
            && (v->type == BLOG_VALUE_STRING || v->type == BLOG_VALUE_NUMBER
                || v->type == BLOG_VALUE_BOOL))
        {
            blog_lq_value(b, v);
            return BLOG_OK;
        }
    }

    blog_expand_note(x, line, "Liquid variable \"%.*s\" is not known here, "
                     "removed", (int) (n > 60 ? 60 : n), p);

    return BLOG_DECLINED;
}


/* the filters Jekyll's posts use most, on the value in b */

static int
blog_lq_filter(blog_lq_t *s, blog_buf_t *b, const u_char *p, size_t n,
    unsigned line)
{
    size_t          len, alen;
    blog_buf_t      tmp;
    const u_char   *name, *last, *arg, *q;
    blog_expand_t  *x;

    x = s->x;
    last = p + n;

    blog_lq_word(&p, last, &name, &len);

    while (len && name[len - 1] == ':') {
        len--;
    }

    q = p;

    while (q < last && (*q == ' ' || *q == ':')) {
        q++;
    }

    arg = NULL;
    alen = 0;

    if (q < last) {
        if (blog_lq_string(q, last - q, &arg, &alen) != BLOG_OK) {
            arg = NULL;
        }
    }

    blog_buf_init(&tmp);

#define blog_lq_named(s)                                                      \
    (len == sizeof(s) - 1 && memcmp(name, s, len) == 0)

    if (blog_lq_named("relative_url") || blog_lq_named("absolute_url")) {
        if (blog_lq_named("absolute_url")) {
            blog_buf_add(&tmp, x->base_url.data, x->base_url.len);
        }

        blog_buf_add(&tmp, x->prefix.data, x->prefix.len);

        if (b->len == 0 || b->data[0] != '/') {
            blog_buf_addc(&tmp, '/');
        }

        blog_buf_add(&tmp, b->data, b->len);

    } else if (blog_lq_named("prepend") && arg != NULL) {
        blog_buf_add(&tmp, arg, alen);
        blog_buf_add(&tmp, b->data, b->len);

    } else if (blog_lq_named("append") && arg != NULL) {
        blog_buf_add(&tmp, b->data, b->len);
        blog_buf_add(&tmp, arg, alen);

    } else if (blog_lq_named("default") && arg != NULL) {
        blog_buf_add(&tmp, b->len ? b->data : arg, b->len ? b->len : alen);

    } else if (blog_lq_named("uri_escape") || blog_lq_named("url_encode")
               || blog_lq_named("cgi_escape"))
    {
        blog_escape_uri(&tmp, b->data, b->len);

    } else if (blog_lq_named("slugify")) {
        blog_heading_slug(&tmp, b->data, b->len);

    } else if (blog_lq_named("downcase") || blog_lq_named("upcase")) {
        blog_buf_add(&tmp, b->data, b->len);

        for (q = tmp.data; tmp.data != NULL && q < tmp.data + tmp.len; q++) {
            if (name[0] == 'd' && *q >= 'A' && *q <= 'Z') {
                *(u_char *) q += 'a' - 'A';

            } else if (name[0] == 'u' && *q >= 'a' && *q <= 'z') {
                *(u_char *) q -= 'a' - 'A';
            }
        }

    } else if (blog_lq_named("strip") || blog_lq_named("escape")
               || blog_lq_named("xml_escape") || blog_lq_named("markdownify")
               || blog_lq_named("smartify") || blog_lq_named("jsonify"))
    {
        /* escaping is done once, at the end */
        blog_buf_add(&tmp, b->data, b->len);

    } else {
        blog_expand_note(x, line, "Liquid filter \"%.*s\" is not known "
                         "here, removed with its value",
                         (int) (len > 40 ? 40 : len), name);
        blog_buf_free(&tmp);
        return BLOG_DECLINED;
    }

#undef blog_lq_named

    b->len = 0;
    blog_buf_add(b, tmp.data, tmp.len);

    if (tmp.failed) {
        b->failed = 1;
    }

    blog_buf_free(&tmp);

    return BLOG_OK;
}


/* 'text' or "text" alone */

static int
blog_lq_string(const u_char *p, size_t n, const u_char **s, size_t *len)
{
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t')) {
        n--;
    }

    if (n < 2 || (p[0] != '"' && p[0] != '\'') || p[n - 1] != p[0]
        || memchr(p + 1, p[0], n - 2) != NULL)
    {
        return BLOG_DECLINED;
    }

    *s = p + 1;
    *len = n - 2;

    return BLOG_OK;
}


static void
blog_lq_value(blog_buf_t *b, blog_value_t *v)
{
    switch (v->type) {

    case BLOG_VALUE_STRING:
        blog_buf_add(b, v->u.string.data, v->u.string.len);
        break;

    case BLOG_VALUE_NUMBER:
        blog_buf_printf(b, "%.15g", v->u.number);
        break;

    case BLOG_VALUE_BOOL:
        blog_buf_adds(b, v->u.boolean ? "true" : "false");
        break;

    default:
        break;
    }
}


/* the next word after *p, quotes taken off; *p moves past it */

static void
blog_lq_word(const u_char **p, const u_char *last, const u_char **w,
    size_t *n)
{
    const u_char  *q, *start;

    q = *p;

    while (q < last && (*q == ' ' || *q == '\t' || *q == '\n')) {
        q++;
    }

    start = q;

    while (q < last && *q != ' ' && *q != '\t' && *q != '\n') {
        q++;
    }

    *p = q;

    if (q - start >= 2 && (*start == '"' || *start == '\'')
        && q[-1] == *start)
    {
        start++;
        q--;
    }

    *w = start;
    *n = q - start;
}


/* a literal, or a name that starts with one of Jekyll's objects */

static int
blog_lq_object(const u_char *p, const u_char *last)
{
    size_t        n;
    const char  **o;

    if (p < last && (*p == '"' || *p == '\'')) {
        return 1;
    }

    for (o = blog_lq_objects; *o; o++) {
        n = strlen(*o);

        if ((size_t) (last - p) >= n && memcmp(p, *o, n) == 0
            && ((size_t) (last - p) == n || p[n] == '.' || p[n] == ' '
                || p[n] == '|' || p[n] == '['))
        {
            return 1;
        }
    }

    return 0;
}
