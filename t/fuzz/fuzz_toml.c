
/*
 * blog_toml_parse on any bytes, with a small depth cap (8) and the
 * default (64): no crash, no leak, and a result that holds together.  A
 * refused input leaves no tree and a reason of its own on a line of the
 * input, and is refused under the small cap too.  An accepted one is
 * UTF-8; its nodes lie on its lines, no deeper than the cap; a map's keys
 * differ; scalars' text is in toml-test's form; what the small cap takes,
 * the default takes alike; and the tree written back as TOML (inline
 * tables, basic strings) reads back as the same tree.
 */


#include "fuzz.h"

#include <errno.h>
#include <math.h>


#define FUZZ_FIRST_LINE  2


static blog_node_t *fuzz_parse(const u_char *p, size_t n, unsigned depth,
    blog_problem_detail_t *pd);
static void fuzz_check_tree(const blog_node_t *node, unsigned depth,
    unsigned max_depth, unsigned last_line);
static void fuzz_check_scalar(const blog_node_t *node);
static void fuzz_check_keys(const blog_node_t *map);
static int fuzz_key_cmp(const void *a, const void *b);
static void fuzz_write_root(blog_buf_t *b, const blog_node_t *root);
static void fuzz_write(blog_buf_t *b, const blog_node_t *node);
static void fuzz_write_string(blog_buf_t *b, const blog_str_t *s);
static int fuzz_same(const blog_node_t *a, const blog_node_t *b);


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t                  i;
    unsigned                last;
    blog_buf_t              out;
    blog_node_t            *deep, *shallow, *again;
    blog_problem_detail_t   pd;

    last = FUZZ_FIRST_LINE;

    for (i = 0; i < size; i++) {
        last += (data[i] == '\n');
    }

    deep = fuzz_parse(data, size, 64, &pd);

    if (deep == NULL) {
        fuzz_check(pd.line >= FUZZ_FIRST_LINE && pd.line <= last);

        shallow = fuzz_parse(data, size, 8, &pd);
        fuzz_check(shallow == NULL);
        fuzz_check(pd.line >= FUZZ_FIRST_LINE && pd.line <= last);

        return 0;
    }

    fuzz_check(fuzz_utf8_check(data, size) == size);
    fuzz_check(deep->type == BLOG_NODE_MAP && deep->line == FUZZ_FIRST_LINE);
    fuzz_check_tree(deep, 1, 64, last);

    shallow = fuzz_parse(data, size, 8, &pd);

    if (shallow != NULL) {
        fuzz_check_tree(shallow, 1, 8, last);
        fuzz_check(fuzz_same(shallow, deep));
        blog_node_free(shallow);

    } else {
        fuzz_check(strstr(pd.reason, "nests deeper than 8 levels") != NULL);
    }

    /* written back and read again: the same tree */

    blog_buf_init(&out);
    fuzz_write_root(&out, deep);
    fuzz_check(!out.failed);

    again = fuzz_parse(out.data, out.len, 64, &pd);

    if (again == NULL) {
        fprintf(stderr, "written back: %.*s\nrefused: line %u: %s\n",
                (int) out.len, (char *) out.data, pd.line, pd.reason);
    }

    fuzz_check(again != NULL);
    fuzz_check(fuzz_same(again, deep));

    blog_node_free(again);
    blog_buf_free(&out);
    blog_node_free(deep);

    return 0;
}


/* the tree, or NULL and a reason that holds together */

static blog_node_t *
fuzz_parse(const u_char *p, size_t n, unsigned depth,
    blog_problem_detail_t *pd)
{
    blog_node_t  *root;

    memset(pd, 0, sizeof(blog_problem_detail_t));
    root = (blog_node_t *) pd;

    if (blog_toml_parse(&root, p, n, FUZZ_FIRST_LINE, depth, pd) == BLOG_OK)
    {
        fuzz_check(root != NULL);
        return root;
    }

    fuzz_check(root == NULL);
    fuzz_check(pd->reason != NULL);
    fuzz_check(strncmp(pd->reason, "front matter ", 13) == 0);
    fuzz_check(strlen(pd->reason) < sizeof(pd->text));
    fuzz_check(fuzz_utf8_check((u_char *) pd->reason, strlen(pd->reason))
               == strlen(pd->reason));

    return NULL;
}


static void
fuzz_check_tree(const blog_node_t *node, unsigned depth, unsigned max_depth,
    unsigned last_line)
{
    size_t              n;
    const blog_node_t  *m;

    fuzz_check(node->line >= FUZZ_FIRST_LINE && node->line <= last_line);
    fuzz_check(node->key.len == 0 || node->key.data != NULL);
    fuzz_check(node->key.data == NULL
               || node->key.data[node->key.len] == '\0');
    fuzz_check(fuzz_utf8_check(node->key.data, node->key.len)
               == node->key.len);

    if (node->type != BLOG_NODE_MAP && node->type != BLOG_NODE_LIST) {
        fuzz_check(node->child == NULL);
        fuzz_check_scalar(node);
        return;
    }

    fuzz_check(depth <= max_depth);
    fuzz_check(node->text.data == NULL);

    n = 0;

    for (m = node->child; m != NULL; m = m->next) {
        fuzz_check(node->type == BLOG_NODE_MAP ? m->key.data != NULL
                                               : m->key.data == NULL);
        fuzz_check_tree(m, depth + 1, max_depth, last_line);
        n++;

        if (m->next == NULL) {
            fuzz_check(node->last == m);
        }
    }

    fuzz_check(n == node->n);

    if (node->type == BLOG_NODE_MAP) {
        fuzz_check_keys(node);
    }
}


static void
fuzz_check_scalar(const blog_node_t *node)
{
    char        *end;
    size_t       i, n;
    double       v;
    long long    ll;
    const char  *s;

    fuzz_check(node->text.data != NULL);
    fuzz_check(node->text.data[node->text.len] == '\0');

    s = (const char *) node->text.data;
    n = node->text.len;

    switch (node->type) {

    case BLOG_NODE_STRING:
        fuzz_check(fuzz_utf8_check(node->text.data, n) == n);
        break;

    case BLOG_NODE_INTEGER:
        i = (s[0] == '-');
        fuzz_check(n > i && strspn(s + i, "0123456789") == n - i);
        fuzz_check(s[i] != '0' || n == i + 1);
        fuzz_check(strcmp(s, "-0") != 0);

        errno = 0;
        ll = strtoll(s, &end, 10);
        fuzz_check(errno == 0 && *end == '\0');
        (void) ll;
        break;

    case BLOG_NODE_FLOAT:
        if (strcmp(s, "nan") == 0 || strcmp(s, "inf") == 0
            || strcmp(s, "-inf") == 0)
        {
            break;
        }

        fuzz_check(strspn(s, "0123456789.e+-") == n);
        v = strtod(s, &end);
        fuzz_check(*end == '\0' && isfinite(v));
        break;

    case BLOG_NODE_BOOL:
        fuzz_check(strcmp(s, "true") == 0 || strcmp(s, "false") == 0);
        break;

    case BLOG_NODE_DATE_LOCAL:
        fuzz_check(n == 10 && s[4] == '-' && s[7] == '-');
        break;

    case BLOG_NODE_TIME_LOCAL:
        fuzz_check(n >= 8 && s[2] == ':' && s[5] == ':');
        fuzz_check(n == 8 || (n >= 12 && s[8] == '.'));
        break;

    case BLOG_NODE_DATETIME_LOCAL:
        fuzz_check(n >= 19 && s[10] == 'T' && strchr(s, 'Z') == NULL);
        break;

    case BLOG_NODE_DATETIME:
        fuzz_check(n >= 20 && s[10] == 'T');
        fuzz_check(s[n - 1] == 'Z' || s[n - 3] == ':');
        break;

    default:
        fuzz_check(0);
    }
}


/* no key twice in a map, found by sorting them */

static void
fuzz_check_keys(const blog_node_t *map)
{
    size_t              i;
    const blog_node_t  *m, **keys;

    if (map->n < 2) {
        return;
    }

    keys = malloc(map->n * sizeof(blog_node_t *));
    if (keys == NULL) {
        return;
    }

    i = 0;

    for (m = map->child; m != NULL; m = m->next) {
        keys[i++] = m;
    }

    qsort(keys, map->n, sizeof(blog_node_t *), fuzz_key_cmp);

    for (i = 1; i < map->n; i++) {
        fuzz_check(fuzz_key_cmp(&keys[i - 1], &keys[i]) != 0);
    }

    free(keys);
}


static int
fuzz_key_cmp(const void *a, const void *b)
{
    const blog_node_t  *x, *y;

    x = *(const blog_node_t * const *) a;
    y = *(const blog_node_t * const *) b;

    if (x->key.len != y->key.len) {
        return x->key.len < y->key.len ? -1 : 1;
    }

    return x->key.len ? memcmp(x->key.data, y->key.data, x->key.len) : 0;
}


/* the tree as TOML: the root's members one a line, the rest inline */

static void
fuzz_write_root(blog_buf_t *b, const blog_node_t *root)
{
    const blog_node_t  *m;

    for (m = root->child; m != NULL; m = m->next) {
        fuzz_write_string(b, &m->key);
        blog_buf_adds(b, " = ");
        fuzz_write(b, m);
        blog_buf_addc(b, '\n');
    }
}


static void
fuzz_write(blog_buf_t *b, const blog_node_t *node)
{
    const blog_node_t  *m;

    switch (node->type) {

    case BLOG_NODE_MAP:
    case BLOG_NODE_LIST:
        blog_buf_addc(b, node->type == BLOG_NODE_MAP ? '{' : '[');

        for (m = node->child; m != NULL; m = m->next) {
            if (node->type == BLOG_NODE_MAP) {
                fuzz_write_string(b, &m->key);
                blog_buf_adds(b, " = ");
            }

            fuzz_write(b, m);

            if (m->next != NULL) {
                blog_buf_adds(b, ", ");
            }
        }

        blog_buf_addc(b, node->type == BLOG_NODE_MAP ? '}' : ']');
        break;

    case BLOG_NODE_STRING:
        fuzz_write_string(b, &node->text);
        break;

    case BLOG_NODE_FLOAT:
        blog_buf_add(b, node->text.data, node->text.len);

        if (strpbrk((char *) node->text.data, ".en") == NULL) {
            blog_buf_adds(b, ".0");
        }

        break;

    default:
        blog_buf_add(b, node->text.data, node->text.len);
    }
}


static void
fuzz_write_string(blog_buf_t *b, const blog_str_t *s)
{
    size_t  i;
    u_char  c;

    blog_buf_addc(b, '"');

    for (i = 0; i < s->len; i++) {
        c = s->data[i];

        if (c == '"' || c == '\\') {
            blog_buf_addc(b, '\\');
            blog_buf_addc(b, c);

        } else if (c < 0x20 || c == 0x7f) {
            blog_buf_printf(b, "\\u%04X", c);

        } else {
            blog_buf_addc(b, c);
        }
    }

    blog_buf_addc(b, '"');
}


/* the same types, keys, texts and members in the same order */

static int
fuzz_same(const blog_node_t *a, const blog_node_t *b)
{
    const blog_node_t  *x, *y;

    if (a->type != b->type || a->n != b->n
        || !blog_str_eq(&a->key, &b->key) || !blog_str_eq(&a->text, &b->text))
    {
        return 0;
    }

    for (x = a->child, y = b->child; x != NULL && y != NULL;
         x = x->next, y = y->next)
    {
        if (!fuzz_same(x, y)) {
            return 0;
        }
    }

    return x == NULL && y == NULL;
}
