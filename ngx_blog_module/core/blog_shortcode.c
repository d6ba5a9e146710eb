
/*
 * Hugo's shortcodes in a body, before its Markdown is rendered, as Hugo
 * processes them: anywhere, code included.  Each {{< name args >}} or
 * {{% name args %}} (paired with {{< /name >}}, or self-closing) renders
 * through the theme's template "shortcodes/NAME" into an HTML fragment;
 * the escaped form, with a comment's marks inside the braces, shows the
 * literal, and an unknown shortcode is removed and noted.  The pass is
 * linear: a tag never spans another "{{", so the tags are found in one
 * scan, paired with a bounded look down a stack, and nested shortcodes are
 * expanded at most BLOG_EXPAND_DEPTH deep.  The fragments, placeholders,
 * notes and link targets are blog_expand.c's; choosing this pass for a
 * post is blog_expand_dialect.c's, and logging the caller's.
 */


#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blog_expand.h"


#define BLOG_SC_NAME_MAX        64
#define BLOG_SC_PAIR_LOOK       64  /* open tags a closing one looks at */


typedef struct {
    const u_char       *start;
    const u_char       *end;
    const u_char       *name;
    size_t              name_len;
    const u_char       *args;       /* escaped: the literal's inside */
    const u_char       *args_end;
    unsigned            line;
    size_t              pair;       /* the closing tag's index, or 0 */
    u_char              close;      /* '>' or '%' */
    unsigned            closing:1;
    unsigned            self:1;
    unsigned            escaped:1;
} blog_sc_tag_t;

typedef struct {
    blog_expand_t      *x;
    blog_sc_tag_t      *tags;
    size_t              ntags;
    size_t              size;
} blog_sc_t;

typedef struct {
    const u_char       *key;
    size_t              key_len;
    const u_char       *value;
    size_t              value_len;
    u_char              quote;      /* '"', '`' or 0 */
} blog_sc_arg_t;


static int blog_sc_scan(blog_sc_t *s, const u_char *p, size_t n,
    unsigned line);
static const u_char *blog_sc_parse(blog_sc_tag_t *t, const u_char *p,
    const u_char *last);
static const u_char *blog_sc_arg(blog_sc_arg_t *a, const u_char *q,
    const u_char *last, u_char close);
static int blog_sc_closer(const u_char *q, const u_char *last, u_char close);
static const u_char *blog_sc_space(const u_char *q, const u_char *last);
static void blog_sc_pair(blog_sc_t *s);
static void blog_sc_run(blog_sc_t *s, blog_buf_t *out, const u_char *p,
    const u_char *end, size_t i, size_t last, unsigned depth);
static void blog_sc_tag(blog_sc_t *s, blog_buf_t *out, size_t i,
    unsigned depth);
static void blog_sc_literal(blog_sc_t *s, blog_buf_t *out, blog_sc_tag_t *t);
static int blog_sc_inner(blog_sc_t *s, blog_value_t *ctx, size_t i,
    unsigned depth);
static blog_value_t *blog_sc_context(blog_sc_t *s, blog_sc_tag_t *t);
static blog_value_t *blog_sc_value(blog_arena_t *a, blog_sc_arg_t *arg);
static void blog_sc_special(blog_sc_t *s, blog_sc_tag_t *t,
    blog_value_t *ctx);
static blog_value_t *blog_sc_get(blog_value_t *ctx, const char *key,
    const char *pos);
static blog_value_t *blog_sc_buf_value(blog_arena_t *a, blog_buf_t *b);


int
blog_shortcode_expand(blog_expand_t *x, blog_buf_t *out, const u_char *p,
    size_t n)
{
    int        rc;
    blog_sc_t  s;

    memset(&s, 0, sizeof(blog_sc_t));
    s.x = x;

    rc = blog_sc_scan(&s, p, n, x->line);

    if (rc == BLOG_OK) {
        blog_sc_pair(&s);
        blog_sc_run(&s, out, p, p + n, 0, s.ntags, 0);
    }

    free(s.tags);

    return rc;
}


void
blog_shortcode_strip(blog_buf_t *out, const u_char *p, size_t n)
{
    size_t          i;
    const u_char   *q;
    blog_sc_t       s;
    blog_sc_tag_t  *t;

    memset(&s, 0, sizeof(blog_sc_t));

    if (blog_sc_scan(&s, p, n, 1) != BLOG_OK) {
        out->failed = 1;
        free(s.tags);
        return;
    }

    q = p;

    for (i = 0; i < s.ntags; i++) {
        t = &s.tags[i];

        blog_buf_add(out, q, t->start - q);

        if (t->escaped) {
            blog_buf_addc(out, '{');
            blog_buf_addc(out, '{');
            blog_buf_addc(out, t->close == '>' ? '<' : '%');
            blog_buf_add(out, t->args, t->args_end - t->args);
            blog_buf_addc(out, t->close);
            blog_buf_addc(out, '}');
            blog_buf_addc(out, '}');
        }

        q = t->end;
    }

    blog_buf_add(out, q, p + n - q);

    free(s.tags);
}


/* every tag of the body, in order */

static int
blog_sc_scan(blog_sc_t *s, const u_char *p, size_t n, unsigned line)
{
    size_t          size;
    const u_char   *q, *last, *end, *counted;
    blog_sc_tag_t   t, *tags;

    q = p;
    last = p + n;
    counted = p;

    while (last - q >= 6) {
        q = memchr(q, '{', last - q - 5);
        if (q == NULL) {
            break;
        }

        if (q[1] != '{' || (q[2] != '<' && q[2] != '%')) {
            q++;
            continue;
        }

        end = blog_sc_parse(&t, q, last);
        if (end == NULL) {
            q++;
            continue;
        }

        for ( /* void */ ; counted < q; counted++) {
            line += (*counted == '\n');
        }

        t.line = line;
        t.end = end;

        if (s->ntags == s->size) {
            size = s->size ? 2 * s->size : 16;

            tags = realloc(s->tags, size * sizeof(blog_sc_tag_t));
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
 * One tag at p ("{{<" or "{{%"): its end, or NULL when it is not one.
 * It stops at the next "{{", which keeps the scan linear.
 */

static const u_char *
blog_sc_parse(blog_sc_tag_t *t, const u_char *p, const u_char *last)
{
    u_char          c;
    const u_char   *q, *next;
    blog_sc_arg_t   arg;

    memset(t, 0, sizeof(blog_sc_tag_t));

    t->start = p;
    t->close = c = (p[2] == '<') ? '>' : '%';

    q = blog_sc_space(p + 3, last);

    if (last - q >= 2 && q[0] == '/' && q[1] == '*') {
        t->escaped = 1;
        t->args = q + 2;
        q = blog_sc_space(q + 2, last);
    }

    if (q < last && *q == '/') {
        t->closing = 1;
        q = blog_sc_space(q + 1, last);
    }

    t->name = q;

    while (q < last
           && ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z')
               || (*q >= '0' && *q <= '9') || *q == '_' || *q == '-'
               || *q == '.'))
    {
        q++;
    }

    t->name_len = q - t->name;

    if (t->name_len > BLOG_SC_NAME_MAX
        || (t->name_len == 0 && !t->escaped))
    {
        return NULL;
    }

    if (!t->escaped) {
        t->args = q;
    }

    for ( ;; ) {
        q = blog_sc_space(q, last);

        if (q >= last || (*q == '{' && q + 1 < last && q[1] == '{')) {
            return NULL;
        }

        if (t->escaped) {
            if (last - q >= 2 && q[0] == '*' && q[1] == '/') {
                t->args_end = q;
                q = blog_sc_space(q + 2, last);
                return blog_sc_closer(q, last, c) ? q + 3 : NULL;
            }

        } else if (blog_sc_closer(q, last, c)) {
            t->args_end = q;
            return q + 3;

        } else if (*q == '/') {
            next = blog_sc_space(q + 1, last);

            if (blog_sc_closer(next, last, c)) {
                t->args_end = q;
                t->self = 1;
                return next + 3;
            }
        }

        q = blog_sc_arg(&arg, q, last, c);
        if (q == NULL) {
            return NULL;
        }
    }
}


/* one argument: [key=]"quoted", `raw` or bare; NULL if it runs off */

static const u_char *
blog_sc_arg(blog_sc_arg_t *a, const u_char *q, const u_char *last,
    u_char close)
{
    const u_char  *k;

    a->key = NULL;
    a->key_len = 0;
    a->quote = 0;

    for (k = q; k < last
                && ((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z')
                    || (*k >= '0' && *k <= '9') || *k == '_' || *k == '-');
         k++)
    {
        /* void */
    }

    if (k > q && k < last && *k == '=') {
        a->key = q;
        a->key_len = k - q;
        q = k + 1;
    }

    if (q < last && (*q == '"' || *q == '`')) {
        a->quote = *q++;
        a->value = q;

        while (q < last && *q != a->quote) {
            if (*q == '{' && q + 1 < last && q[1] == '{') {
                return NULL;
            }

            if (*q == '\\' && a->quote == '"' && q + 1 < last) {
                q++;
            }

            q++;
        }

        if (q >= last) {
            return NULL;
        }

        a->value_len = q - a->value;

        return q + 1;
    }

    a->value = q;

    while (q < last && *q != ' ' && *q != '\t' && *q != '\n' && *q != '\r'
           && !blog_sc_closer(q, last, close)
           && !(*q == '{' && q + 1 < last && q[1] == '{')
           && !(*q == '*' && q + 1 < last && q[1] == '/'))
    {
        q++;
    }

    a->value_len = q - a->value;

    return a->value_len ? q : NULL;
}


static int
blog_sc_closer(const u_char *q, const u_char *last, u_char close)
{
    return last - q >= 3 && q[0] == close && q[1] == '}' && q[2] == '}';
}


static const u_char *
blog_sc_space(const u_char *q, const u_char *last)
{
    while (q < last && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'))
    {
        q++;
    }

    return q;
}


/*
 * Each closing tag closes the nearest open tag of its name, looking at
 * no more than BLOG_SC_PAIR_LOOK of them; those it passes stay unpaired.
 */

static void
blog_sc_pair(blog_sc_t *s)
{
    size_t          i, k, n, *stack;
    blog_sc_tag_t  *t, *o;

    stack = malloc((s->ntags + 1) * sizeof(size_t));
    if (stack == NULL) {
        return;
    }

    n = 0;

    for (i = 0; i < s->ntags; i++) {
        t = &s->tags[i];

        if (t->escaped || t->self) {
            continue;
        }

        if (!t->closing) {
            stack[n++] = i;
            continue;
        }

        for (k = n; k > 0 && n - k < BLOG_SC_PAIR_LOOK; k--) {
            o = &s->tags[stack[k - 1]];

            if (o->name_len == t->name_len
                && memcmp(o->name, t->name, t->name_len) == 0)
            {
                o->pair = i;
                n = k - 1;
                break;
            }
        }
    }

    free(stack);
}


/* the text from p to end, which holds the tags from i to last */

static void
blog_sc_run(blog_sc_t *s, blog_buf_t *out, const u_char *p,
    const u_char *end, size_t i, size_t last, unsigned depth)
{
    size_t          next;
    blog_sc_tag_t  *t;

    while (i < last) {
        t = &s->tags[i];

        blog_buf_add(out, p, t->start - p);

        if (t->pair) {
            next = t->pair + 1;
            p = s->tags[t->pair].end;

        } else {
            next = i + 1;
            p = t->end;
        }

        blog_sc_tag(s, out, i, depth);

        i = next;
    }

    blog_buf_add(out, p, end - p);
}


static void
blog_sc_tag(blog_sc_t *s, blog_buf_t *out, size_t i, unsigned depth)
{
    char            name[sizeof("shortcodes/") + BLOG_SC_NAME_MAX];
    size_t          start;
    blog_value_t   *ctx;
    blog_sc_tag_t  *t;
    blog_expand_t  *x;

    t = &s->tags[i];
    x = s->x;

    if (t->escaped) {
        blog_sc_literal(s, out, t);
        return;
    }

    if (t->closing) {
        blog_expand_note(x, t->line, "shortcode \"/%.*s\" closes no "
                         "shortcode, removed", (int) t->name_len, t->name);
        return;
    }

    if (depth >= BLOG_EXPAND_DEPTH) {
        blog_expand_note(x, t->line, "shortcode \"%.*s\" is nested too "
                         "deep, removed", (int) t->name_len, t->name);
        return;
    }

    snprintf(name, sizeof(name), "shortcodes/%.*s", (int) t->name_len,
             t->name);

    if (x->tmpl == NULL || !blog_tmpl_has(x->tmpl, name)) {
        blog_expand_note(x, t->line, "unknown shortcode \"%.*s\", removed",
                         (int) t->name_len, t->name);
        return;
    }

    ctx = blog_sc_context(s, t);
    if (ctx == NULL) {
        x->failed = 1;
        return;
    }

    if (t->pair && blog_sc_inner(s, ctx, i, depth) != BLOG_OK) {
        x->failed = 1;
        return;
    }

    blog_sc_special(s, t, ctx);

    start = x->frags.len;

    if (blog_tmpl_render(x->tmpl, name, ctx, &x->frags) != BLOG_OK) {
        x->failed = 1;
        return;
    }

    /* a template file's last newline is not part of a link's address */

    while (x->frags.len > start
           && (x->frags.data[x->frags.len - 1] == '\n'
               || x->frags.data[x->frags.len - 1] == '\r'))
    {
        x->frags.len--;
    }

    (void) blog_expand_fragment(x, out, 1);
}


/* the escaped form shows "{{< name >}}" as it is, in code or not */

static void
blog_sc_literal(blog_sc_t *s, blog_buf_t *out, blog_sc_tag_t *t)
{
    u_char          open[3];
    blog_expand_t  *x;

    x = s->x;

    open[0] = '{';
    open[1] = '{';
    open[2] = t->close == '>' ? '<' : '%';

    blog_escape_html(&x->frags, open, 3);
    blog_escape_html(&x->frags, t->args, t->args_end - t->args);

    open[0] = t->close;
    open[1] = '}';
    open[2] = '}';

    blog_escape_html(&x->frags, open, 3);

    (void) blog_expand_fragment(x, out, 0);
}


/*
 * A paired shortcode's inner text, its own shortcodes expanded: "inner"
 * is the text for {{< >}} and the rendered Markdown for {{% %}}, as Hugo
 * has it; "inner_html" is always rendered, for a template that wants it.
 */

static int
blog_sc_inner(blog_sc_t *s, blog_value_t *ctx, size_t i, unsigned depth)
{
    int               rc;
    blog_buf_t        md, text, html, tmp;
    blog_expand_t    *x;
    blog_sc_tag_t    *t, *close;
    blog_markdown_t   mo;

    x = s->x;
    t = &s->tags[i];
    close = &s->tags[t->pair];

    blog_buf_init(&md);
    blog_buf_init(&text);
    blog_buf_init(&html);
    blog_buf_init(&tmp);

    blog_sc_run(s, &md, t->end, close->start, i + 1, t->pair, depth + 1);

    rc = blog_expand_finish(x, &text, md.data, md.len);

    if (rc == BLOG_OK) {
        memset(&mo, 0, sizeof(blog_markdown_t));

        if (x->mo != NULL) {
            mo = *x->mo;
        }

        mo.toc = NULL;
        mo.anchors = 0;

        rc = blog_markdown_html(&tmp, md.data, md.len, &mo);
        rc = (rc == BLOG_ERROR) ? BLOG_ERROR
                                : blog_expand_finish(x, &html, tmp.data,
                                                     tmp.len);
    }

    if (rc == BLOG_OK) {
        if (blog_value_set(x->arena, ctx, "inner_html",
                           blog_sc_buf_value(x->arena, &html))
            != BLOG_OK
            || blog_value_set(x->arena, ctx, "inner",
                              blog_sc_buf_value(x->arena,
                                                t->close == '%' ? &html
                                                                : &text))
               != BLOG_OK)
        {
            rc = BLOG_ERROR;
        }
    }

    blog_buf_free(&md);
    blog_buf_free(&text);
    blog_buf_free(&html);
    blog_buf_free(&tmp);

    return rc;
}


/*
 * What a shortcode's template sees: name, page, site, each argument by
 * its name and by its position ("0", "1"...), and "args", the positional
 * ones as a list.
 */

static blog_value_t *
blog_sc_context(blog_sc_t *s, blog_sc_tag_t *t)
{
    char            pos[24];
    size_t          npos;
    const u_char   *q;
    blog_arena_t   *a;
    blog_value_t   *ctx, *args, *v;
    blog_sc_arg_t   arg;
    blog_expand_t  *x;

    x = s->x;
    a = x->arena;

    ctx = blog_value_map(a);
    args = blog_value_list(a);

    if (ctx == NULL || args == NULL
        || blog_value_set(a, ctx, "name",
                          blog_value_string(a, t->name, t->name_len))
           != BLOG_OK
        || blog_value_set(a, ctx, "args", args) != BLOG_OK)
    {
        return NULL;
    }

    if ((x->page != NULL && blog_value_set(a, ctx, "page", x->page) != BLOG_OK)
        || (x->site != NULL
            && blog_value_set(a, ctx, "site", x->site) != BLOG_OK))
    {
        return NULL;
    }

    q = t->args;
    npos = 0;

    for ( ;; ) {
        q = blog_sc_space(q, t->args_end);

        if (q >= t->args_end) {
            break;
        }

        q = blog_sc_arg(&arg, q, t->end, t->close);
        if (q == NULL || q > t->args_end) {
            break;
        }

        v = blog_sc_value(a, &arg);
        if (v == NULL) {
            return NULL;
        }

        if (arg.key != NULL) {
            if (blog_value_set_n(a, ctx, arg.key, arg.key_len, v) != BLOG_OK) {
                return NULL;
            }

            continue;
        }

        snprintf(pos, sizeof(pos), "%zu", npos++);

        if (blog_value_push(a, args, v) != BLOG_OK
            || blog_value_set_n(a, ctx,
                                blog_arena_strdup(a, (u_char *) pos,
                                                  strlen(pos)),
                                strlen(pos), v)
               != BLOG_OK)
        {
            return NULL;
        }
    }

    return ctx;
}


/* an argument's text: a quoted one with its escapes undone */

static blog_value_t *
blog_sc_value(blog_arena_t *a, blog_sc_arg_t *arg)
{
    size_t         i, n;
    u_char        *p;

    if (arg->quote != '"' || memchr(arg->value, '\\', arg->value_len) == NULL)
    {
        p = (u_char *) arg->value;
        n = arg->value_len;

    } else {
        p = blog_arena_alloc(a, arg->value_len + 1);
        if (p == NULL) {
            return NULL;
        }

        for (i = 0, n = 0; i < arg->value_len; i++) {
            if (arg->value[i] == '\\' && i + 1 < arg->value_len) {
                i++;
            }

            p[n++] = arg->value[i];
        }
    }

    /* where a template puts it in an address, the template checks it */

    return blog_value_string(a, p, n);
}


/*
 * What the built-ins need that a template cannot compute: "code" for
 * highlight (the inner text as a fenced block is highlighted), "url" for
 * ref and relref, "value" for param.
 */

static void
blog_sc_special(blog_sc_t *s, blog_sc_tag_t *t, blog_value_t *ctx)
{
    blog_buf_t        b, md;
    blog_value_t     *v, *inner, *params;
    blog_expand_t    *x;
    blog_markdown_t   mo;

    x = s->x;
    blog_buf_init(&b);

    if (t->name_len == 9 && memcmp(t->name, "highlight", 9) == 0) {
        v = blog_sc_get(ctx, "lang", "0");
        inner = blog_value_get(ctx, (u_char *) "inner", 5);

        blog_buf_init(&md);
        blog_expand_fence(&md,
                          v != NULL ? v->u.string.data : NULL,
                          v != NULL ? v->u.string.len : 0,
                          inner != NULL ? inner->u.string.data : NULL,
                          inner != NULL ? inner->u.string.len : 0);

        memset(&mo, 0, sizeof(blog_markdown_t));

        if (x->mo != NULL) {
            mo = *x->mo;
        }

        mo.toc = NULL;
        mo.anchors = 0;

        if (!md.failed) {
            (void) blog_markdown_html(&b, md.data, md.len, &mo);
        }

        blog_buf_free(&md);

        (void) blog_value_set(x->arena, ctx, "code",
                              blog_sc_buf_value(x->arena, &b));

    } else if ((t->name_len == 3 && memcmp(t->name, "ref", 3) == 0)
               || (t->name_len == 6 && memcmp(t->name, "relref", 6) == 0))
    {
        v = blog_sc_get(ctx, "path", "0");

        if (v != NULL) {
            blog_expand_url(x, &b, v->u.string.data, v->u.string.len,
                            t->name_len == 3, t->line, "ref");
        }

        (void) blog_value_set(x->arena, ctx, "url",
                              blog_sc_buf_value(x->arena, &b));

    } else if (t->name_len == 5 && memcmp(t->name, "param", 5) == 0) {
        v = blog_sc_get(ctx, "0", "0");
        params = x->page != NULL
                 ? blog_value_get(x->page, (u_char *) "params", 6) : NULL;

        if (v != NULL && params != NULL) {
            v = blog_value_get(params, v->u.string.data, v->u.string.len);

            if (v != NULL) {
                (void) blog_value_set(x->arena, ctx, "value", v);
            }
        }
    }

    if (b.failed) {
        x->failed = 1;
    }

    blog_buf_free(&b);
}


/* an argument by name, else by position; a string, or NULL */

static blog_value_t *
blog_sc_get(blog_value_t *ctx, const char *key, const char *pos)
{
    blog_value_t  *v;

    v = blog_value_get(ctx, (u_char *) key, strlen(key));

    if (v == NULL || v->type != BLOG_VALUE_STRING) {
        v = blog_value_get(ctx, (u_char *) pos, strlen(pos));
    }

    return (v != NULL && v->type == BLOG_VALUE_STRING) ? v : NULL;
}


static blog_value_t *
blog_sc_buf_value(blog_arena_t *a, blog_buf_t *b)
{
    u_char  *p;

    if (b->failed) {
        return NULL;
    }

    p = blog_arena_strdup(a, b->data != NULL ? b->data : (u_char *) "",
                          b->len);
    if (p == NULL) {
        return NULL;
    }

    return blog_value_string(a, p, b->len);
}
