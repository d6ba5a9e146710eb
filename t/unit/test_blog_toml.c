
/*
 * blog_toml.c: toml-test's cases of TOML 1.0 (every valid document decodes
 * to its JSON, compared by type and value; every invalid one is refused),
 * then the errors an author sees (reason and line), the depth cap, tables
 * of 50,000 keys, CRLF headers, values' text, inputs cut short and each
 * allocation failing in turn (this file's malloc fails on demand).  The
 * suite is ../shared/conformance/toml from the repository root, or
 * $BLOG_TOML_TEST_DIR; without it its two tests are skipped, saying why.
 */


#include "unit.h"

#include <ctype.h>
#include <math.h>
#include <time.h>

#if defined __has_include
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif

#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND  0
#endif

/* a sanitizer's malloc takes no blocks from glibc's: keep out of its way */

#if defined __has_feature
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define UNIT_NO_ALLOC_HOOK  1
#endif
#endif

#if defined __SANITIZE_ADDRESS__
#define UNIT_NO_ALLOC_HOOK  1
#endif


#define SUITE_DIR       "../shared/conformance/toml"
#define SUITE_LIST      "tests/files-toml-1.0.0"
#define SUITE_MAX_SIZE  (1 << 20)
#define JSON_MAX_DEPTH  64
#define FIRST_LINE      2           /* the line after "+++" */
#define MAX_DEPTH       BLOG_DEFAULT_MAX_DEPTH
#define MANY_KEYS       50000


typedef struct {
    const u_char    *p;
    const u_char    *end;
    unsigned         depth;
} json_t;

/* a case of toml-test this test knowingly does not run */

typedef struct {
    const char      *name;          /* as files-toml-1.0.0 lists it */
    const char      *reason;
} skip_t;

typedef struct {
    const char      *toml;
    size_t           len;           /* 0: strlen(toml) */
    unsigned         line;
    const char      *reason;
} error_case_t;


static blog_node_t *json_parse(const u_char *p, size_t n);
static blog_node_t *json_value(json_t *j);
static blog_node_t *json_object(json_t *j);
static blog_node_t *json_array(json_t *j);
static blog_node_t *json_tagged(blog_node_t *map);
static int json_string(json_t *j, blog_buf_t *b);
static int json_hex(json_t *j, uint32_t *cp);
static void json_blank(json_t *j);
static void json_utf8(blog_buf_t *b, uint32_t cp);
static int tree_equal(const blog_node_t *got, const blog_node_t *exp,
    blog_buf_t *path, blog_buf_t *why);
static int scalar_equal(const blog_node_t *got, const blog_node_t *exp);
static void datetime_norm(blog_buf_t *b, const blog_str_t *s);
static int tree_lines(const blog_node_t *node, unsigned first, unsigned last);
static const char *type_name(blog_node_type_e type);
static u_char *read_file(const char *path, size_t *n);
static const char *suite_dir(void);
static const char *suite_skip(const char *name);
static char **suite_cases(const char *kind, size_t *n);
static void suite_free(char **names, size_t n);
static unsigned count_lines(const u_char *p, size_t n);
static int toml_parse(blog_node_t **root, const char *text, size_t len,
    unsigned first_line, unsigned max_depth, blog_problem_detail_t *pd);
static blog_node_t *toml_ok(const char *text);
static double seconds_since(const struct timespec *start);
static void test_suite_valid(void **state);
static void test_suite_invalid(void **state);
static void test_values(void **state);
static void test_float_text(void **state);
static void test_datetime_text(void **state);
static void test_lines(void **state);
static void test_errors(void **state);
static void test_depth(void **state);
static void test_depth_deep_input(void **state);
static void test_many_keys(void **state);
static void test_many_tables(void **state);
static void test_crlf(void **state);
static void test_cut_short(void **state);
#ifndef UNIT_NO_ALLOC_HOOK
static int alloc_fails(void);
#endif
static void test_tables(void **state);
static void test_out_of_memory(void **state);


/*
 * The program's malloc, calloc, realloc and free are these, over glibc's:
 * while alloc_counting, they count the blocks, and the allocation numbered
 * alloc_fail (from 0) fails.
 */

#ifndef UNIT_NO_ALLOC_HOOK

extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void __libc_free(void *p);

void *malloc(size_t n);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t n);
void free(void *p);

#endif

/* volatile: the compiler takes malloc for the C library's, which would
 * touch none of them */

static volatile int   alloc_counting;
static volatile long  alloc_fail;
static volatile long  alloc_count;      /* allocations while counting */
static volatile long  alloc_live;       /* ... less the blocks freed */


/* none: every case of toml-test's TOML 1.0 list runs */

static const skip_t  suite_skips[] = {
    { NULL, NULL }
};


#ifndef UNIT_NO_ALLOC_HOOK

static int
alloc_fails(void)
{
    if (!alloc_counting) {
        return 0;
    }

    return alloc_count++ == alloc_fail;
}


void *
malloc(size_t n)
{
    void  *p;

    if (alloc_fails()) {
        return NULL;
    }

    p = __libc_malloc(n);
    alloc_live += (alloc_counting && p != NULL);

    return p;
}


void *
calloc(size_t n, size_t size)
{
    void  *p;

    if (alloc_fails()) {
        return NULL;
    }

    p = __libc_calloc(n, size);
    alloc_live += (alloc_counting && p != NULL);

    return p;
}


void *
realloc(void *p, size_t n)
{
    void  *q;

    if (alloc_fails()) {
        return NULL;
    }

    q = __libc_realloc(p, n);
    alloc_live += (alloc_counting && p == NULL && q != NULL);

    return q;
}


void
free(void *p)
{
    alloc_live -= (alloc_counting && p != NULL);
    __libc_free(p);
}

#endif


/* a small JSON reader: toml-test's tagged JSON as a tree of blog_node_t */

static blog_node_t *
json_parse(const u_char *p, size_t n)
{
    json_t        j;
    blog_node_t  *v;

    j.p = p;
    j.end = p + n;
    j.depth = 0;

    v = json_value(&j);
    if (v == NULL) {
        return NULL;
    }

    json_blank(&j);

    if (j.p != j.end) {
        blog_node_free(v);
        return NULL;
    }

    return v;
}


static void
json_blank(json_t *j)
{
    while (j->p < j->end
           && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n'
               || *j->p == '\r'))
    {
        j->p++;
    }
}


/* a JSON string is a BLOG_NODE_NULL with text: only "type" and "value" */

static blog_node_t *
json_value(json_t *j)
{
    blog_buf_t    b;
    blog_node_t  *node;

    json_blank(j);

    if (j->p == j->end) {
        return NULL;
    }

    switch (*j->p) {

    case '{':
        return json_object(j);

    case '[':
        return json_array(j);

    case '"':
        blog_buf_init(&b);

        if (json_string(j, &b) != BLOG_OK) {
            blog_buf_free(&b);
            return NULL;
        }

        node = blog_node_new(BLOG_NODE_NULL, 0);

        if (node != NULL
            && blog_node_set_text(node, b.data, b.len) != BLOG_OK)
        {
            blog_node_free(node);
            node = NULL;
        }

        blog_buf_free(&b);

        return node;

    default:
        return NULL;
    }
}


static blog_node_t *
json_object(json_t *j)
{
    blog_buf_t    key;
    blog_node_t  *map, *v;

    if (++j->depth > JSON_MAX_DEPTH) {
        return NULL;
    }

    map = blog_node_new(BLOG_NODE_MAP, 0);
    if (map == NULL) {
        return NULL;
    }

    blog_buf_init(&key);
    j->p++;
    json_blank(j);

    if (j->p < j->end && *j->p == '}') {
        j->p++;
        j->depth--;
        return map;
    }

    for ( ;; ) {
        json_blank(j);
        key.len = 0;

        if (j->p == j->end || *j->p != '"' || json_string(j, &key) != BLOG_OK)
        {
            goto failed;
        }

        json_blank(j);

        if (j->p == j->end || *j->p != ':') {
            goto failed;
        }

        j->p++;

        v = json_value(j);
        if (v == NULL) {
            goto failed;
        }

        if (blog_node_set_key(v, key.data, key.len) != BLOG_OK) {
            blog_node_free(v);
            goto failed;
        }

        blog_node_append(map, v);
        json_blank(j);

        if (j->p < j->end && *j->p == ',') {
            j->p++;
            continue;
        }

        if (j->p < j->end && *j->p == '}') {
            j->p++;
            break;
        }

        goto failed;
    }

    blog_buf_free(&key);
    j->depth--;

    return json_tagged(map);

failed:

    blog_buf_free(&key);
    blog_node_free(map);

    return NULL;
}


/* {"type": T, "value": V}, both JSON strings, is a scalar of type T */

static blog_node_t *
json_tagged(blog_node_t *map)
{
    size_t             i;
    blog_node_t       *type, *value, *node;
    blog_node_type_e   t;

    static const blog_node_type_e  types[] = {
        BLOG_NODE_STRING, BLOG_NODE_INTEGER, BLOG_NODE_FLOAT, BLOG_NODE_BOOL,
        BLOG_NODE_DATETIME, BLOG_NODE_DATETIME_LOCAL, BLOG_NODE_DATE_LOCAL,
        BLOG_NODE_TIME_LOCAL
    };

    type = blog_node_get(map, "type");
    value = blog_node_get(map, "value");

    if (map->n != 2 || type == NULL || value == NULL
        || type->type != BLOG_NODE_NULL || value->type != BLOG_NODE_NULL)
    {
        return map;
    }

    t = BLOG_NODE_NULL;

    for (i = 0; i < UNIT_ARRAY(types); i++) {
        if (strcmp((char *) type->text.data, type_name(types[i])) == 0) {
            t = types[i];
        }
    }

    if (t == BLOG_NODE_NULL) {
        blog_node_free(map);
        return NULL;
    }

    node = blog_node_new(t, 0);

    if (node == NULL
        || blog_node_set_text(node, value->text.data, value->text.len)
           != BLOG_OK)
    {
        blog_node_free(node);
        node = NULL;
    }

    blog_node_free(map);

    return node;
}


static blog_node_t *
json_array(json_t *j)
{
    blog_node_t  *list, *v;

    if (++j->depth > JSON_MAX_DEPTH) {
        return NULL;
    }

    list = blog_node_new(BLOG_NODE_LIST, 0);
    if (list == NULL) {
        return NULL;
    }

    j->p++;
    json_blank(j);

    if (j->p < j->end && *j->p == ']') {
        j->p++;
        j->depth--;
        return list;
    }

    for ( ;; ) {
        v = json_value(j);
        if (v == NULL) {
            blog_node_free(list);
            return NULL;
        }

        blog_node_append(list, v);
        json_blank(j);

        if (j->p < j->end && *j->p == ',') {
            j->p++;
            continue;
        }

        if (j->p < j->end && *j->p == ']') {
            j->p++;
            j->depth--;
            return list;
        }

        blog_node_free(list);
        return NULL;
    }
}


static int
json_string(json_t *j, blog_buf_t *b)
{
    u_char    c;
    uint32_t  cp, lo;

    j->p++;

    while (j->p < j->end && *j->p != '"') {
        c = *j->p++;

        if (c != '\\') {
            blog_buf_addc(b, c);
            continue;
        }

        if (j->p == j->end) {
            return BLOG_ERROR;
        }

        c = *j->p++;

        switch (c) {
        case 'n':
            blog_buf_addc(b, '\n');
            break;
        case 't':
            blog_buf_addc(b, '\t');
            break;
        case 'r':
            blog_buf_addc(b, '\r');
            break;
        case 'b':
            blog_buf_addc(b, '\b');
            break;
        case 'f':
            blog_buf_addc(b, '\f');
            break;
        case 'u':
            if (json_hex(j, &cp) != BLOG_OK) {
                return BLOG_ERROR;
            }

            if (cp >= 0xd800 && cp <= 0xdbff) {
                if (j->end - j->p < 2 || j->p[0] != '\\' || j->p[1] != 'u') {
                    return BLOG_ERROR;
                }

                j->p += 2;

                if (json_hex(j, &lo) != BLOG_OK
                    || lo < 0xdc00 || lo > 0xdfff)
                {
                    return BLOG_ERROR;
                }

                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            }

            json_utf8(b, cp);
            break;
        default:
            blog_buf_addc(b, c);
        }
    }

    if (j->p == j->end) {
        return BLOG_ERROR;
    }

    j->p++;

    return b->failed ? BLOG_ERROR : BLOG_OK;
}


static int
json_hex(json_t *j, uint32_t *cp)
{
    int     i;
    u_char  c;

    if (j->end - j->p < 4) {
        return BLOG_ERROR;
    }

    *cp = 0;

    for (i = 0; i < 4; i++) {
        c = *j->p++;

        if (c >= '0' && c <= '9') {
            *cp = *cp * 16 + (c - '0');

        } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') {
            *cp = *cp * 16 + ((c | 0x20) - 'a' + 10);

        } else {
            return BLOG_ERROR;
        }
    }

    return BLOG_OK;
}


static void
json_utf8(blog_buf_t *b, uint32_t cp)
{
    if (cp < 0x80) {
        blog_buf_addc(b, (u_char) cp);

    } else if (cp < 0x800) {
        blog_buf_addc(b, (u_char) (0xc0 | (cp >> 6)));
        blog_buf_addc(b, (u_char) (0x80 | (cp & 0x3f)));

    } else if (cp < 0x10000) {
        blog_buf_addc(b, (u_char) (0xe0 | (cp >> 12)));
        blog_buf_addc(b, (u_char) (0x80 | ((cp >> 6) & 0x3f)));
        blog_buf_addc(b, (u_char) (0x80 | (cp & 0x3f)));

    } else {
        blog_buf_addc(b, (u_char) (0xf0 | (cp >> 18)));
        blog_buf_addc(b, (u_char) (0x80 | ((cp >> 12) & 0x3f)));
        blog_buf_addc(b, (u_char) (0x80 | ((cp >> 6) & 0x3f)));
        blog_buf_addc(b, (u_char) (0x80 | (cp & 0x3f)));
    }
}


/*
 * The decoded tree against the expected one: tables by their keys (each
 * once), arrays in order, scalars by type and value.  why says where
 * they part.
 */

static int
tree_equal(const blog_node_t *got, const blog_node_t *exp, blog_buf_t *path,
    blog_buf_t *why)
{
    size_t              len, i;
    const blog_node_t  *g, *e;

    if (got->type != exp->type) {
        blog_buf_printf(why, "%.*s: %s, expected %s", (int) path->len,
                        (char *) path->data, type_name(got->type),
                        type_name(exp->type));
        return 0;
    }

    if (got->n != exp->n) {
        blog_buf_printf(why, "%.*s: %zu members, expected %zu",
                        (int) path->len, (char *) path->data, got->n, exp->n);
        return 0;
    }

    len = path->len;

    if (exp->type == BLOG_NODE_MAP) {
        for (e = exp->child; e != NULL; e = e->next) {
            for (g = got->child; g != NULL; g = g->next) {
                if (blog_str_eq(&g->key, &e->key)) {
                    break;
                }
            }

            path->len = len;
            blog_buf_printf(path, ".\"%.*s\"", (int) e->key.len,
                            (char *) e->key.data);

            if (g == NULL) {
                blog_buf_printf(why, "%.*s: missing", (int) path->len,
                                (char *) path->data);
                return 0;
            }

            if (!tree_equal(g, e, path, why)) {
                return 0;
            }
        }

        path->len = len;
        return 1;
    }

    if (exp->type == BLOG_NODE_LIST) {
        for (g = got->child, e = exp->child, i = 0; e != NULL;
             g = g->next, e = e->next, i++)
        {
            path->len = len;
            blog_buf_printf(path, "[%zu]", i);

            if (!tree_equal(g, e, path, why)) {
                return 0;
            }
        }

        path->len = len;
        return 1;
    }

    if (!scalar_equal(got, exp)) {
        blog_buf_printf(why, "%.*s: %s \"%.*s\", expected \"%.*s\"",
                        (int) path->len, (char *) path->data,
                        type_name(got->type), (int) got->text.len,
                        (char *) got->text.data, (int) exp->text.len,
                        (char *) exp->text.data);
        return 0;
    }

    return 1;
}


/* integers as int64, floats as doubles (nan is nan), date-times normalized */

static int
scalar_equal(const blog_node_t *got, const blog_node_t *exp)
{
    int         rc;
    char       *end;
    double      g, e;
    long long   gi, ei;
    blog_buf_t  gb, eb;

    switch (exp->type) {

    case BLOG_NODE_INTEGER:
        errno = 0;
        gi = strtoll((char *) got->text.data, &end, 10);

        if (errno != 0 || *end != '\0' || got->text.len == 0) {
            return 0;
        }

        ei = strtoll((char *) exp->text.data, NULL, 10);

        return gi == ei;

    case BLOG_NODE_FLOAT:
        g = strtod((char *) got->text.data, &end);

        if (*end != '\0' || got->text.len == 0) {
            return 0;
        }

        e = strtod((char *) exp->text.data, NULL);

        if (isnan(e)) {
            return isnan(g);
        }

        return g == e && signbit(g) == signbit(e);

    case BLOG_NODE_DATETIME:
    case BLOG_NODE_DATETIME_LOCAL:
    case BLOG_NODE_DATE_LOCAL:
    case BLOG_NODE_TIME_LOCAL:
        blog_buf_init(&gb);
        blog_buf_init(&eb);
        datetime_norm(&gb, &got->text);
        datetime_norm(&eb, &exp->text);

        rc = gb.len == eb.len && memcmp(gb.data, eb.data, gb.len) == 0;

        blog_buf_free(&gb);
        blog_buf_free(&eb);

        return rc;

    default:
        return blog_str_eq(&got->text, &exp->text);
    }
}


/* "T" and "Z" in capitals, a fraction without its trailing zeros */

static void
datetime_norm(blog_buf_t *b, const blog_str_t *s)
{
    size_t  i, k;
    u_char  c;

    for (i = 0; i < s->len; i++) {
        c = s->data[i];

        if (i == 10 && (c == ' ' || c == 't')) {
            c = 'T';

        } else if (c == 'z') {
            c = 'Z';
        }

        blog_buf_addc(b, c);

        if (c != '.') {
            continue;
        }

        for (k = i + 1; k < s->len && isdigit(s->data[k]); k++) {
            /* void */
        }

        blog_buf_add(b, s->data + i + 1, k - i - 1);

        while (b->len > 0 && b->data[b->len - 1] == '0') {
            b->len--;
        }

        if (b->data[b->len - 1] == '.') {
            b->len--;
        }

        i = k - 1;
    }

    blog_buf_addc(b, '\0');
}


/* every node's line within [first, last] */

static int
tree_lines(const blog_node_t *node, unsigned first, unsigned last)
{
    const blog_node_t  *m;

    if (node->line < first || node->line > last) {
        return 0;
    }

    for (m = node->child; m != NULL; m = m->next) {
        if (!tree_lines(m, first, last)) {
            return 0;
        }
    }

    return 1;
}


static const char *
type_name(blog_node_type_e type)
{
    switch (type) {
    case BLOG_NODE_STRING:
        return "string";
    case BLOG_NODE_INTEGER:
        return "integer";
    case BLOG_NODE_FLOAT:
        return "float";
    case BLOG_NODE_BOOL:
        return "bool";
    case BLOG_NODE_DATETIME:
        return "datetime";
    case BLOG_NODE_DATETIME_LOCAL:
        return "datetime-local";
    case BLOG_NODE_DATE_LOCAL:
        return "date-local";
    case BLOG_NODE_TIME_LOCAL:
        return "time-local";
    case BLOG_NODE_LIST:
        return "array";
    case BLOG_NODE_MAP:
        return "table";
    default:
        return "JSON string";
    }
}


/* the file in a block of exactly its size, so reading past it shows */

static u_char *
read_file(const char *path, size_t *n)
{
    FILE         *f;
    u_char       *p;
    struct stat   st;

    f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }

    if (fstat(fileno(f), &st) == -1 || st.st_size > SUITE_MAX_SIZE) {
        fclose(f);
        return NULL;
    }

    *n = st.st_size;
    p = malloc(*n ? *n : 1);

    if (p != NULL && fread(p, 1, *n, f) != *n) {
        free(p);
        p = NULL;
    }

    fclose(f);

    return p;
}


static const char *
suite_dir(void)
{
    const char  *dir;

    dir = getenv("BLOG_TOML_TEST_DIR");

    return dir != NULL && dir[0] != '\0' ? dir : SUITE_DIR;
}


static const char *
suite_skip(const char *name)
{
    size_t  i;

    for (i = 0; suite_skips[i].name != NULL; i++) {
        if (strcmp(suite_skips[i].name, name) == 0) {
            return suite_skips[i].reason;
        }
    }

    return NULL;
}


/* the cases of kind ("valid" or "invalid") files-toml-1.0.0 lists */

static char **
suite_cases(const char *kind, size_t *n)
{
    char     path[4096], *line, *nl, **names;
    size_t   len, klen, size, i;
    u_char  *list;

    snprintf(path, sizeof(path), "%s/%s", suite_dir(), SUITE_LIST);

    list = read_file(path, &len);
    if (list == NULL) {
        print_message("# cannot read %s: %s (run from the repository root,"
                      " or set BLOG_TOML_TEST_DIR)\n", path, strerror(errno));
        return NULL;
    }

    size = 1024;
    names = calloc(size, sizeof(char *));
    assert_non_null(names);

    *n = 0;
    klen = strlen(kind);

    for (i = 0; i < len; i += nl - line + 1) {
        line = (char *) list + i;
        nl = memchr(line, '\n', len - i);

        if (nl == NULL) {
            nl = (char *) list + len;
        }

        if ((size_t) (nl - line) <= klen + 6 || line[klen] != '/'
            || memcmp(line, kind, klen) != 0
            || memcmp(nl - 5, ".toml", 5) != 0)
        {
            continue;
        }

        if (*n == size) {
            size *= 2;
            names = realloc(names, size * sizeof(char *));
            assert_non_null(names);
        }

        names[(*n)++] = strndup(line, nl - line - 5);
    }

    free(list);

    return names;
}


static void
suite_free(char **names, size_t n)
{
    size_t  i;

    for (i = 0; i < n; i++) {
        free(names[i]);
    }

    free(names);
}


static unsigned
count_lines(const u_char *p, size_t n)
{
    size_t    i;
    unsigned  lines;

    lines = 0;

    for (i = 0; i < n; i++) {
        lines += (p[i] == '\n');
    }

    return lines;
}


static void
test_suite_valid(void **state)
{
    char                    path[4096], **names;
    size_t                  n, i, tlen, jlen, passed, failed, skipped;
    u_char                 *toml, *json;
    const char             *why;
    blog_buf_t              where, diff;
    blog_node_t            *root, *exp;
    blog_problem_detail_t   pd;

    names = suite_cases("valid", &n);
    if (names == NULL) {
        skip();
    }

    passed = failed = skipped = 0;
    blog_buf_init(&where);
    blog_buf_init(&diff);

    for (i = 0; i < n; i++) {
        why = suite_skip(names[i]);

        if (why != NULL) {
            print_message("# %s: skipped: %s\n", names[i], why);
            skipped++;
            continue;
        }

        snprintf(path, sizeof(path), "%s/tests/%s.toml", suite_dir(),
                 names[i]);
        toml = read_file(path, &tlen);
        assert_non_null(toml);

        snprintf(path, sizeof(path), "%s/tests/%s.json", suite_dir(),
                 names[i]);
        json = read_file(path, &jlen);
        assert_non_null(json);

        exp = json_parse(json, jlen);

        if (exp == NULL) {
            fail_msg("%s: cannot read the expected JSON", path);
        }

        memset(&pd, 0, sizeof(blog_problem_detail_t));

        if (blog_toml_parse(&root, toml, tlen, FIRST_LINE, MAX_DEPTH, &pd)
            != BLOG_OK)
        {
            print_message("# %s: FAIL: refused: line %u: %s\n", names[i],
                          pd.line, pd.reason);
            failed++;

        } else {
            where.len = 0;
            diff.len = 0;
            blog_buf_adds(&where, "$");

            if (!tree_equal(root, exp, &where, &diff)) {
                print_message("# %s: FAIL: %.*s\n", names[i],
                              (int) diff.len, (char *) diff.data);
                failed++;

            } else if (!tree_lines(root, FIRST_LINE,
                                   FIRST_LINE + count_lines(toml, tlen)))
            {
                print_message("# %s: FAIL: a node's line is outside the"
                              " document\n", names[i]);
                failed++;

            } else {
                passed++;
            }

            blog_node_free(root);
        }

        blog_node_free(exp);
        free(toml);
        free(json);
    }

    print_message("# toml-test %s, valid: %zu passed, %zu failed,"
                  " %zu skipped, of %zu\n", SUITE_LIST, passed, failed,
                  skipped, n);

    blog_buf_free(&where);
    blog_buf_free(&diff);
    suite_free(names, n);

    assert_int_equal(failed, 0);
    assert_true(passed > 0);
}


static void
test_suite_invalid(void **state)
{
    char                    path[4096], **names;
    size_t                  n, i, tlen, refused, accepted, skipped;
    u_char                 *toml;
    unsigned                last;
    const char             *why;
    blog_node_t            *root;
    blog_problem_detail_t   pd;

    names = suite_cases("invalid", &n);
    if (names == NULL) {
        skip();
    }

    refused = accepted = skipped = 0;

    for (i = 0; i < n; i++) {
        why = suite_skip(names[i]);

        if (why != NULL) {
            print_message("# %s: skipped: %s\n", names[i], why);
            skipped++;
            continue;
        }

        snprintf(path, sizeof(path), "%s/tests/%s.toml", suite_dir(),
                 names[i]);
        toml = read_file(path, &tlen);
        assert_non_null(toml);

        memset(&pd, 0, sizeof(blog_problem_detail_t));
        root = (blog_node_t *) &pd;

        if (blog_toml_parse(&root, toml, tlen, FIRST_LINE, MAX_DEPTH, &pd)
            == BLOG_OK)
        {
            print_message("# %s: FAIL: accepted\n", names[i]);
            blog_node_free(root);
            accepted++;
            free(toml);
            continue;
        }

        /* a reason of its own, and a line of the document */

        last = FIRST_LINE + count_lines(toml, tlen);

        assert_null(root);
        assert_non_null(pd.reason);
        assert_true(strncmp(pd.reason, "front matter ", 13) == 0);
        assert_true(strlen(pd.reason) < sizeof(pd.text));

        if (pd.line < FIRST_LINE || pd.line > last) {
            fail_msg("%s: line %u outside %u-%u: %s", names[i], pd.line,
                     FIRST_LINE, last, pd.reason);
        }

        print_message("# %s: line %u: %s\n", names[i], pd.line, pd.reason);
        refused++;
        free(toml);
    }

    print_message("# toml-test %s, invalid: %zu refused, %zu accepted,"
                  " %zu skipped, of %zu\n", SUITE_LIST, refused, accepted,
                  skipped, n);

    suite_free(names, n);

    assert_int_equal(accepted, 0);
    assert_true(refused > 0);
}


/* text, not NUL-terminated: a copy of exactly len bytes */

static int
toml_parse(blog_node_t **root, const char *text, size_t len,
    unsigned first_line, unsigned max_depth, blog_problem_detail_t *pd)
{
    int     rc;
    u_char  *copy;

    copy = malloc(len ? len : 1);
    assert_non_null(copy);
    memcpy(copy, text, len);

    memset(pd, 0, sizeof(blog_problem_detail_t));
    *root = (blog_node_t *) pd;

    rc = blog_toml_parse(root, copy, len, first_line, max_depth, pd);

    free(copy);

    if (rc != BLOG_OK) {
        assert_null(*root);
    }

    return rc;
}


static blog_node_t *
toml_ok(const char *text)
{
    blog_node_t            *root;
    blog_problem_detail_t   pd;

    if (toml_parse(&root, text, strlen(text), 1, MAX_DEPTH, &pd)
        != BLOG_OK)
    {
        fail_msg("refused: line %u: %s", pd.line, pd.reason);
    }

    assert_int_equal(root->type, BLOG_NODE_MAP);

    return root;
}


static void
test_values(void **state)
{
    blog_node_t  *root, *n;

    root = toml_ok("title = \"Caf\\u00e9 \\U0001F600\"\n"
                   "raw = 'C:\\Users\\n'\n"
                   "text = \"\"\"\n"
                   "one \\\n"
                   "     two\"\"\"\n"
                   "big = 9_223_372_036_854_775_807\n"
                   "small = -9223372036854775808\n"
                   "hex = 0xDEAD_beef\n"
                   "oct = 0o755\n"
                   "bin = 0b1010\n"
                   "draft = false\n"
                   "weight = 6.626e-34\n"
                   "date = 2024-02-29\n"
                   "tags = [\"c\", 'nginx', ]\n"
                   "nul = \"a\\u0000b\"\n");

    assert_bstr_equal(blog_node_get(root, "title")->text,
                      "Caf\xc3\xa9 \xf0\x9f\x98\x80");
    assert_bstr_equal(blog_node_get(root, "raw")->text, "C:\\Users\\n");
    assert_bstr_equal(blog_node_get(root, "text")->text, "one two");
    assert_bstr_equal(blog_node_get(root, "big")->text,
                      "9223372036854775807");
    assert_bstr_equal(blog_node_get(root, "small")->text,
                      "-9223372036854775808");
    assert_bstr_equal(blog_node_get(root, "hex")->text, "3735928559");
    assert_bstr_equal(blog_node_get(root, "oct")->text, "493");
    assert_bstr_equal(blog_node_get(root, "bin")->text, "10");
    assert_int_equal(blog_node_get(root, "draft")->type, BLOG_NODE_BOOL);
    assert_bstr_equal(blog_node_get(root, "draft")->text, "false");
    assert_int_equal(blog_node_get(root, "weight")->type, BLOG_NODE_FLOAT);
    assert_bstr_equal(blog_node_get(root, "weight")->text, "6.626e-34");
    assert_int_equal(blog_node_get(root, "date")->type,
                     BLOG_NODE_DATE_LOCAL);

    n = blog_node_get(root, "tags");
    assert_int_equal(n->type, BLOG_NODE_LIST);
    assert_int_equal(n->n, 2);
    assert_bstr_equal(n->child->text, "c");
    assert_bstr_equal(n->last->text, "nginx");

    n = blog_node_get(root, "nul");
    assert_int_equal(n->text.len, 3);
    assert_memory_equal(n->text.data, "a\0b", 3);

    blog_node_free(root);
}


static void
test_float_text(void **state)
{
    size_t        i;
    char          doc[128];
    blog_node_t  *root;

    static const char  *cases[][2] = {
        { "3.14", "3.14" }, { "+3.14", "3.14" }, { "-0.0", "-0" },
        { "0e0", "0" }, { "1e3", "1000" }, { "1_000.5", "1000.5" },
        { "9_007_199_254_740_991.0", "9007199254740991" },
        { "1e21", "1e+21" }, { "1e300", "1e+300" }, { "0.1", "0.1" },
        { "1e-7", "1e-7" }, { "0.000001", "0.000001" },
        { "5e-324", "5e-324" }, { "-inf", "-inf" }, { "+inf", "inf" },
        { "-nan", "nan" }, { "6.02E+23", "6.02e+23" },
        { "3.141592653589793", "3.141592653589793" },
    };

    for (i = 0; i < UNIT_ARRAY(cases); i++) {
        snprintf(doc, sizeof(doc), "f = %s", cases[i][0]);
        root = toml_ok(doc);

        assert_int_equal(root->child->type, BLOG_NODE_FLOAT);
        assert_bstr_equal(root->child->text, cases[i][1]);

        blog_node_free(root);
    }
}


static void
test_datetime_text(void **state)
{
    size_t        i;
    char          doc[128];
    blog_node_t  *root;

    static const struct {
        const char        *toml;
        blog_node_type_e   type;
        const char        *text;
    } cases[] = {
        { "1979-05-27 07:32:00z", BLOG_NODE_DATETIME,
          "1979-05-27T07:32:00Z" },
        { "1979-05-27t07:32:00.5-07:00", BLOG_NODE_DATETIME,
          "1979-05-27T07:32:00.500-07:00" },
        { "1979-05-27T07:32:00.123456", BLOG_NODE_DATETIME_LOCAL,
          "1979-05-27T07:32:00.123456" },
        { "2000-02-29", BLOG_NODE_DATE_LOCAL, "2000-02-29" },
        { "23:59:60", BLOG_NODE_TIME_LOCAL, "23:59:60" },
        { "00:00:00.1", BLOG_NODE_TIME_LOCAL, "00:00:00.100" },
    };

    for (i = 0; i < UNIT_ARRAY(cases); i++) {
        snprintf(doc, sizeof(doc), "d = %s # note", cases[i].toml);
        root = toml_ok(doc);

        assert_int_equal(root->child->type, cases[i].type);
        assert_bstr_equal(root->child->text, cases[i].text);

        blog_node_free(root);
    }
}


/* each node on its line of the file, the header starting on line 5 */

static void
test_lines(void **state)
{
    blog_node_t            *root, *n;
    blog_problem_detail_t   pd;

    static const char  doc[] =
        "title = 'x'\n"                     /* 5 */
        "tags = [\n"                        /* 6 */
        "  'a',\n"                          /* 7 */
        "  'b',\n"                          /* 8 */
        "]\n"                               /* 9 */
        "body = '''\n"                      /* 10 */
        "two\n"                             /* 11 */
        "lines'''\n"                        /* 12 */
        "[extra]\n"                         /* 13 */
        "x.y = 1\n"                         /* 14 */
        "[[menu]]\n"                        /* 15 */
        "[[menu]]\n"                        /* 16 */
        "name = 'm'\n";                     /* 17 */

    assert_int_equal(toml_parse(&root, doc, sizeof(doc) - 1, 5, MAX_DEPTH,
                                &pd), BLOG_OK);

    assert_int_equal(root->line, 5);
    assert_int_equal(blog_node_get(root, "title")->line, 5);

    n = blog_node_get(root, "tags");
    assert_int_equal(n->line, 6);
    assert_int_equal(n->child->line, 7);
    assert_int_equal(n->last->line, 8);

    assert_int_equal(blog_node_get(root, "body")->line, 10);
    assert_bstr_equal(blog_node_get(root, "body")->text, "two\nlines");

    n = blog_node_get(root, "extra");
    assert_int_equal(n->line, 13);
    assert_int_equal(blog_node_get(n, "x")->line, 14);
    assert_int_equal(blog_node_get(blog_node_get(n, "x"), "y")->line, 14);

    n = blog_node_get(root, "menu");
    assert_int_equal(n->type, BLOG_NODE_LIST);
    assert_int_equal(n->n, 2);
    assert_int_equal(n->line, 15);
    assert_int_equal(n->child->line, 15);
    assert_int_equal(n->last->line, 16);
    assert_int_equal(blog_node_get(n->last, "name")->line, 17);

    blog_node_free(root);
}


#define E  "front matter is not valid TOML: "
#define X5  "xxxxx"
#define X35  X5 X5 X5 X5 X5 X5 X5
#define X40  X35 X5

static void
test_errors(void **state)
{
    size_t                  i, len;
    blog_node_t            *root;
    blog_problem_detail_t   pd;

    static const error_case_t  cases[] = {
        { "title = \"a\"\n\ntitle = \"b\"\n", 0, 12,
          E "duplicate key \"title\"" },
        { "a = 1\nb = \"abc\n", 0, 11, E "unterminated string" },
        { "a = 1\nb = \"\"\"abc\n\nd\n", 0, 11,
          E "unterminated multi-line string" },
        { "a = '''\n\n'''\nb = \"\\q\"\n", 0, 13, E "invalid escape \\q" },
        { "n = 012\n", 0, 10, E "leading zero in integer" },
        { "n = 1.\n", 0, 10, E "invalid float \"1.\"" },
        { "n = 1__0\n", 0, 10, E "misplaced underscore in integer \"1__0\"" },
        { "n = 9223372036854775808\n", 0, 10, E "integer out of range" },
        { "n = -0x1\n", 0, 10,
          E "a sign on a hexadecimal, octal or binary integer" },
        { "n = 1e400\n", 0, 10, E "float out of range" },
        { "d = 2023-02-29\n", 0, 10,
          E "day out of range in \"2023-02-29\"" },
        { "d = 2024-13-01\n", 0, 10,
          E "month out of range in \"2024-13-01\"" },
        { "d = 1979-05-27T24:00:00\n", 0, 10,
          E "time out of range in \"1979-05-27T24:00:00\"" },
        { "d = 1979-05-27T07:32:00+24:00\n", 0, 10,
          E "time offset out of range in \"1979-05-27T07:32:00+24:00\"" },
        { "s = \"\\uD800\"\n", 0, 10,
          E "escape \\uD800 is not a Unicode scalar value" },
        { "s = \"\\U00110000\"\n", 0, 10,
          E "escape \\U00110000 is not a Unicode scalar value" },
        { "s = \"\\u12\"\n", 0, 10,
          E "invalid escape \\u: 4 hex digits expected" },
        { "a = 1\n\nb = \"x\0y\"\n", 17, 12,
          E "control character U+0000 in a string" },
        { "a = 1\n# \0\n", 10, 11,
          E "control character U+0000 in a comment" },
        { "a = 1\n\n\nb = 'caf\xc3'\n", 0, 13, E "invalid UTF-8" },
        { "a = 1\rb = 2\n", 0, 10,
          E "expected the end of the line, found U+000D" },
        { "a = 1 b = 2\n", 0, 10,
          E "expected the end of the line, found \"b\"" },
        { "a = \n", 0, 10, E "expected a value, found a line break" },
        { "a = tru\n", 0, 10, E "invalid value \"tru\"" },
        { "= 1\n", 0, 10, E "expected a key, found \"=\"" },
        { "a 1\n", 0, 10, E "expected \"=\" after a key, found \"1\"" },
        { "\"\"\"a\"\"\" = 1\n", 0, 10,
          E "a key cannot be a multi-line string" },
        { "x = [1,\n2,\n\n", 0, 10, E "unterminated array" },
        { "x = [1 2]\n", 0, 10,
          E "expected \",\" or \"]\" in an array, found \"2\"" },
        { "x = {a = 1,}\n", 0, 10, E "trailing comma in an inline table" },
        { "x = {a = 1\n}\n", 0, 10,
          E "expected \",\" or \"}\" in an inline table, found a line"
            " break" },
        { "[a]\n[a]\n", 0, 11, E "table \"a\" is defined twice" },
        { "[a]\nb.c = 1\n[a.b]\n", 0, 12,
          E "table \"b\" is already defined by dotted keys" },
        { "[a.b]\n[a]\nb.c = 1\n", 0, 12,
          E "dotted keys cannot extend the table \"b\" of a header" },
        { "a = {b = 1}\n[a.c]\n", 0, 11,
          E "inline table \"a\" cannot be extended" },
        { "a = {b = 1}\na.c = 2\n", 0, 11,
          E "inline table \"a\" cannot be extended" },
        { "a = [1]\n[[a]]\n", 0, 11,
          E "cannot add a table to the static array \"a\"" },
        { "[a]\n[[a]]\n", 0, 11,
          E "key \"a\" is not an array of tables" },
        { "[[a]]\n[a]\n", 0, 11,
          E "table \"a\" is already an array of tables" },
        { "a = 1\na.b = 2\n", 0, 11, E "key \"a\" is a value, not a table" },
        { "[a\n", 0, 10,
          E "expected \"]\" to close the header, found a line break" },
        { "[[a]\n", 0, 10,
          E "expected \"]]\" to close the header, found \"]\"" },
        { "\"a\\u0000\\\"" X40 "\" = 1\n"
          "\"a\\u0000\\\"" X40 "\" = 2\n", 0, 11,
          E "duplicate key \"a?\\\"" X35 "...\"" },
    };

    for (i = 0; i < UNIT_ARRAY(cases); i++) {
        len = cases[i].len ? cases[i].len : strlen(cases[i].toml);

        if (toml_parse(&root, cases[i].toml, len, 10, MAX_DEPTH, &pd)
            == BLOG_OK)
        {
            blog_node_free(root);
            fail_msg("case %zu accepted: %s", i, cases[i].toml);
        }

        if (strcmp(pd.reason, cases[i].reason) != 0
            || pd.line != cases[i].line)
        {
            fail_msg("case %zu: line %u: \"%s\", expected line %u: \"%s\"",
                     i, pd.line, pd.reason, cases[i].line, cases[i].reason);
        }

        assert_ptr_equal(pd.reason, pd.text);
    }
}

#undef E
#undef X5
#undef X35
#undef X40


/* the root counts as a level, as libyaml's mapping does */

static void
test_depth(void **state)
{
    size_t                  i;
    blog_node_t            *root;
    blog_problem_detail_t   pd;

    static const struct {
        const char  *toml;
        int          rc;
        unsigned     line;
    } cases[] = {
        { "a.b.c = 1", BLOG_OK, 0 },
        { "a.b.c.d = 1", BLOG_OK, 0 },
        { "a.b.c = []", BLOG_OK, 0 },
        { "a.b.c = {}", BLOG_OK, 0 },
        { "a.b.c.d = []", BLOG_ERROR, 1 },
        { "a.b.c.d = {}", BLOG_ERROR, 1 },
        { "\na.b.c.d.e = 1", BLOG_ERROR, 2 },
        { "x = [[[1]]]", BLOG_OK, 0 },
        { "x = [[[[1]]]]", BLOG_ERROR, 1 },
        { "x = [\n{a = [{}]}]", BLOG_ERROR, 2 },
        { "x = {a = {b.c = 1}}", BLOG_OK, 0 },
        { "x = {a = {b.c.d = 1}}", BLOG_ERROR, 1 },
        { "\n[a.b.c]\nd = 1", BLOG_OK, 0 },
        { "\n[a.b.c]\nd = []", BLOG_ERROR, 3 },
        { "\n\n[a.b.c.d]", BLOG_ERROR, 3 },
        { "[[a]]\nb = []", BLOG_OK, 0 },
        { "[[a]]\nb.c = []", BLOG_ERROR, 2 },
        { "[[a.b]]", BLOG_OK, 0 },
        { "[[a.b.c]]", BLOG_ERROR, 1 },
        { "[a.b]\n[[a.b.c]]", BLOG_ERROR, 2 },
    };

    for (i = 0; i < UNIT_ARRAY(cases); i++) {
        if (toml_parse(&root, cases[i].toml, strlen(cases[i].toml), 1, 4,
                       &pd) != cases[i].rc)
        {
            fail_msg("case %zu (%s): %s", i, cases[i].toml,
                     cases[i].rc == BLOG_OK ? pd.reason : "accepted");
        }

        if (cases[i].rc == BLOG_OK) {
            blog_node_free(root);
            continue;
        }

        assert_string_equal(pd.reason,
                            "front matter nests deeper than 4 levels");
        assert_int_equal(pd.line, cases[i].line);
    }
}


/* nesting that would take a deep stack is refused at the cap, at once */

static void
test_depth_deep_input(void **state)
{
    char                   *doc;
    size_t                  i, n, k;
    blog_node_t            *root;
    blog_problem_detail_t   pd;

    static const char  *shapes[] = { "[", "{a=", "a." };

    n = 200000;
    doc = malloc(n + 8);
    assert_non_null(doc);

    for (k = 0; k < UNIT_ARRAY(shapes); k++) {
        memcpy(doc, "x = ", 4);

        for (i = 4; i + strlen(shapes[k]) <= n; i += strlen(shapes[k])) {
            memcpy(doc + i, shapes[k], strlen(shapes[k]));
        }

        assert_int_equal(toml_parse(&root, k == 2 ? doc + 4 : doc,
                                    k == 2 ? i - 4 : i, 1, MAX_DEPTH, &pd),
                         BLOG_ERROR);
        assert_string_equal(pd.reason,
                            "front matter nests deeper than 64 levels");
    }

    free(doc);
}


static double
seconds_since(const struct timespec *start)
{
    struct timespec  now;

    clock_gettime(CLOCK_MONOTONIC, &now);

    return (now.tv_sec - start->tv_sec)
           + (now.tv_nsec - start->tv_nsec) / 1e9;
}


/*
 * 50,000 keys in a table: their look-ups are hashed, not a walk of the
 * table per key.  Under valgrind everything is some 30 times slower.
 */

static void
test_many_keys(void **state)
{
    double                  took, bound;
    size_t                  i;
    blog_buf_t              doc;
    blog_node_t            *root;
    struct timespec         start;
    blog_problem_detail_t   pd;

    bound = RUNNING_ON_VALGRIND ? 30.0 : 1.0;

    blog_buf_init(&doc);
    blog_buf_adds(&doc, "[params]\n");

    for (i = 0; i < MANY_KEYS; i++) {
        blog_buf_printf(&doc, "key%zu = %zu\n", i, i);
    }

    assert_false(doc.failed);

    clock_gettime(CLOCK_MONOTONIC, &start);
    assert_int_equal(toml_parse(&root, (char *) doc.data, doc.len, 1,
                                MAX_DEPTH, &pd), BLOG_OK);
    took = seconds_since(&start);

    print_message("# %d keys in one table (%zu bytes): %.3f s\n", MANY_KEYS,
                  doc.len, took);

    assert_int_equal(blog_node_get(root, "params")->n, MANY_KEYS);
    assert_bstr_equal(blog_node_get(blog_node_get(root, "params"),
                                    "key49999")->text, "49999");
    assert_true(took < bound);
    blog_node_free(root);

    /* the same key again at the end is found, on its line */

    blog_buf_adds(&doc, "key0 = 1\n");

    clock_gettime(CLOCK_MONOTONIC, &start);
    assert_int_equal(toml_parse(&root, (char *) doc.data, doc.len, 1,
                                MAX_DEPTH, &pd), BLOG_ERROR);
    took = seconds_since(&start);

    assert_string_equal(pd.reason,
                        "front matter is not valid TOML: duplicate key"
                        " \"key0\"");
    assert_int_equal(pd.line, MANY_KEYS + 2);
    assert_true(took < bound);

    blog_buf_free(&doc);
}


/* as many tables, arrays of tables and keys of an inline table */

static void
test_many_tables(void **state)
{
    double                  took, bound;
    size_t                  i, k;
    blog_buf_t              doc;
    blog_node_t            *root;
    struct timespec         start;
    blog_problem_detail_t   pd;

    bound = RUNNING_ON_VALGRIND ? 30.0 : 1.0;

    for (k = 0; k < 3; k++) {
        blog_buf_init(&doc);

        if (k == 2) {
            blog_buf_adds(&doc, "x = {");
        }

        for (i = 0; i < MANY_KEYS; i++) {
            switch (k) {
            case 0:
                blog_buf_printf(&doc, "[t.k%zu]\nv = 1\n", i);
                break;
            case 1:
                blog_buf_printf(&doc, "[[t]]\nv = %zu\n", i);
                break;
            default:
                blog_buf_printf(&doc, "%sk%zu.v = 1", i ? ", " : "", i);
            }
        }

        if (k == 2) {
            blog_buf_adds(&doc, "}\n");
        }

        assert_false(doc.failed);

        clock_gettime(CLOCK_MONOTONIC, &start);
        assert_int_equal(toml_parse(&root, (char *) doc.data, doc.len, 1,
                                    MAX_DEPTH, &pd), BLOG_OK);
        took = seconds_since(&start);

        print_message("# %d %s: %.3f s\n", MANY_KEYS,
                      k == 0 ? "tables" : k == 1 ? "arrays of tables"
                                                 : "keys of an inline table",
                      took);

        assert_int_equal(root->child->n, MANY_KEYS);
        assert_true(took < bound);

        blog_node_free(root);
        blog_buf_free(&doc);
    }
}


/* a header saved on Windows: CR LF ends lines, and is LF in strings */

static void
test_crlf(void **state)
{
    blog_node_t            *root, *n;
    blog_problem_detail_t   pd;

    static const char  doc[] =
        "title = \"Hello\"\r\n"             /* 2 */
        "date = 2024-01-02T03:04:05Z\r\n"   /* 3 */
        "# a comment\r\n"                   /* 4 */
        "tags = [\r\n"                      /* 5 */
        "  \"a\", # first\r\n"              /* 6 */
        "]\r\n"                             /* 7 */
        "body = \"\"\"\r\n"                 /* 8 */
        "one\r\n"                           /* 9 */
        "two \\\r\n"                        /* 10 */
        "  three\"\"\"\r\n"                 /* 11 */
        "lit = '''\r\n"                     /* 12 */
        "x\r\n"                             /* 13 */
        "'''\r\n"                           /* 14 */
        "\r\n"                              /* 15 */
        "[extra]\r\n"                       /* 16 */
        "draft = true\r\n";                 /* 17 */

    assert_int_equal(toml_parse(&root, doc, sizeof(doc) - 1, 2, MAX_DEPTH,
                                &pd), BLOG_OK);

    assert_bstr_equal(blog_node_get(root, "title")->text, "Hello");
    assert_bstr_equal(blog_node_get(root, "date")->text,
                      "2024-01-02T03:04:05Z");
    assert_int_equal(blog_node_get(root, "tags")->n, 1);
    assert_bstr_equal(blog_node_get(root, "body")->text, "one\ntwo three");
    assert_bstr_equal(blog_node_get(root, "lit")->text, "x\n");

    n = blog_node_get(root, "extra");
    assert_int_equal(n->line, 16);
    assert_int_equal(blog_node_get(n, "draft")->line, 17);
    assert_bstr_equal(blog_node_get(n, "draft")->text, "true");

    blog_node_free(root);

    /* a bare CR is not a line end, the line after a CR LF counts */

    assert_int_equal(toml_parse(&root, "a = 1\r\nb = 2\r", 13, 2, MAX_DEPTH,
                                &pd), BLOG_ERROR);
    assert_int_equal(pd.line, 3);
}


/*
 * Every prefix of a document, in a block of exactly its size: never a
 * byte read past the end (ASan and valgrind watch), a tree or a reason.
 */

static void
test_cut_short(void **state)
{
    int                     rc;
    size_t                  n;
    blog_node_t            *root;
    blog_problem_detail_t   pd;

    static const char  doc[] =
        "\xef\xbb\xbftitle = \"Caf\\u00e9\\U0001F600 \\\"q\\\"\" # c\n"
        "a.\"b\".'c' = '''x''y'''\n"
        "m = \"\"\"\\\n  l\"\"\"\"\n"
        "n = [ 0x1F , 0o7, 0b1, +1_000, 1e-1_0, -inf, nan, true, false ]\n"
        "d = [1979-05-27 07:32:00.999-07:00, 1979-05-27t07:32:00z,\n"
        "     1979-05-27, 07:32:00.5, 1979-05-27T07:32:00 ]\n"
        "i = { x = 1, y.z = [ { } ], w = { } }\n"
        "[t . 'u']\n"
        "[[arr]]\n"
        "k = 1\n";

    for (n = 0; n <= sizeof(doc) - 1; n++) {
        rc = toml_parse(&root, doc, n, 1, MAX_DEPTH, &pd);

        if (rc == BLOG_OK) {
            blog_node_free(root);

        } else {
            assert_non_null(pd.reason);
            assert_true(pd.line >= 1 && pd.line <= 11);
        }
    }

    assert_int_equal(rc, BLOG_OK);
}


/* TOML 1.0's rules on tables, the spec's own examples */

static void
test_tables(void **state)
{
    size_t                  i;
    blog_node_t            *root;
    blog_problem_detail_t   pd;

    static const struct {
        const char  *toml;
        int          rc;
    } cases[] = {
        { "[fruit]\napple.color = 'red'\napple.taste.sweet = true\n"
          "[fruit.apple.texture]\nsmooth = true\n", BLOG_OK },
        { "[x.y.z.w]\n[x]\n", BLOG_OK },
        { "[[a.b]]\n[a]\nc = 1\n", BLOG_OK },
        { "[[fruits]]\nname = 'apple'\n[fruits.physical]\ncolor = 'red'\n"
          "[[fruits.varieties]]\nname = 'red delicious'\n[[fruits]]\n"
          "name = 'banana'\n", BLOG_OK },
        { "a.b.c = 1\na.d = 2\n[a.e]\n", BLOG_OK },
        { "a.b.c = 1\n[a]\n", BLOG_ERROR },
        { "a = {}\n[a]\n", BLOG_ERROR },
        { "[[fruits]]\n[fruits.physical]\n[fruits.physical]\n",
          BLOG_ERROR },
        { "[[fruits]]\nname = 'apple'\n[[fruits.varieties]]\n"
          "[fruits.varieties]\n", BLOG_ERROR },
        { "[a]\nx = 1\n[a.x]\n", BLOG_ERROR },
        { "x = {a.b = 1, a.c = 2}\n", BLOG_OK },
        { "x = {a.b = 1, a = 2}\n", BLOG_ERROR },
        { "x = {a = {b = 1}, a.c = 2}\n", BLOG_ERROR },
        { "x = [{a = 1}]\n[x.b]\n", BLOG_ERROR },
    };

    for (i = 0; i < UNIT_ARRAY(cases); i++) {
        if (toml_parse(&root, cases[i].toml, strlen(cases[i].toml), 1,
                       MAX_DEPTH, &pd) != cases[i].rc)
        {
            fail_msg("case %zu: %s\n%s", i,
                     cases[i].rc == BLOG_OK ? pd.reason : "accepted",
                     cases[i].toml);
        }

        if (cases[i].rc == BLOG_OK) {
            blog_node_free(root);
        }
    }
}


/*
 * Each allocation of a parse fails in turn: the reason says so, and every
 * block is freed; the tree of a parse that ends well is all that is left.
 */

static void
test_out_of_memory(void **state)
{
    int                     rc;
    long                    fail, live;
    u_char                 *copy;
    blog_node_t            *root;
    blog_problem_detail_t   pd;

    static const char  doc[] =
        "title = \"Caf\\u00e9\"\n"
        "a.\"b\".'c' = '''x''y'''\n"
        "n = [ 0x1F, 1e-1_0, -inf, true, 1979-05-27 07:32:00.999-07:00 ]\n"
        "i = { x = 1, y.z = [ { } ], w = { } }\n"
        "[t . 'u']\n"
        "[[arr]]\n"
        "k = \"\"\"\n"
        "long\"\"\"\n";

    /* valgrind puts its own malloc in place of this file's, and a
     * sanitizer's build has none */

    alloc_count = 0;
    alloc_fail = -1;
    alloc_counting = 1;
    copy = malloc(sizeof(doc) - 1);
    alloc_counting = 0;

    assert_non_null(copy);
    memcpy(copy, doc, sizeof(doc) - 1);

    if (alloc_count == 0) {
        free(copy);
        print_message("# skipped: this file's malloc is not the program's"
                      " (valgrind's or a sanitizer's is)\n");
        skip();
    }

    for (fail = 0; /* void */ ; fail++) {
        memset(&pd, 0, sizeof(blog_problem_detail_t));

        alloc_count = 0;
        alloc_live = 0;
        alloc_fail = fail;
        alloc_counting = 1;

        rc = blog_toml_parse(&root, copy, sizeof(doc) - 1, 1, MAX_DEPTH,
                             &pd);

        if (rc == BLOG_OK) {
            blog_node_free(root);
        }

        alloc_counting = 0;
        live = alloc_live;

        if (rc == BLOG_OK) {
            assert_true(alloc_count <= fail);
            assert_int_equal(live, 0);
            break;
        }

        assert_null(root);
        assert_string_equal(pd.reason,
                            "front matter could not be read: out of memory");

        if (live != 0) {
            fail_msg("allocation %ld failing leaves %ld blocks", fail, live);
        }
    }

    free(copy);

    print_message("# each of %ld allocations failed in turn\n", fail);
    assert_true(fail > 20);
}


int
main(void)
{
    static const struct CMUnitTest  tests[] = {
        cmocka_unit_test(test_suite_valid),
        cmocka_unit_test(test_suite_invalid),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_float_text),
        cmocka_unit_test(test_datetime_text),
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_depth_deep_input),
        cmocka_unit_test(test_many_keys),
        cmocka_unit_test(test_many_tables),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_cut_short),
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_out_of_memory),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
