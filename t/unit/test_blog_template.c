
/*
 * blog_template.c and blog_value.c: the Mustache spec's core modules, read
 * from their JSON files (one test per file, each case reported on a "#"
 * line), then compile errors, escaping, numbers, partial indentation, the
 * bounds on rendering, the arena and maps.  The spec folder is
 * ../shared/conformance/mustache from the repository root, or
 * $BLOG_MUSTACHE_SPEC_DIR; without it the test fails.
 */


#include "unit.h"

#include <dirent.h>


#define SPEC_DIR        "../shared/conformance/mustache"
#define SPEC_MAX_SIZE   (16 << 20)
#define JSON_MAX_DEPTH  64
#define MAIN            "(main)"
#define ARENA_ALLOCS    20000

#define add(set, name, s)                                                     \
    do {                                                                      \
        blog_problem_detail_t  pd_;                                           \
                                                                              \
        if (blog_tmpl_add(set, name, (const u_char *) (s), strlen(s), &pd_)   \
            != BLOG_OK)                                                       \
        {                                                                     \
            fail_msg("%s: line %u: %s", name, pd_.line, pd_.reason);          \
        }                                                                     \
    } while (0)


typedef struct {
    const u_char    *p;
    const u_char    *end;
    blog_arena_t    *arena;
    unsigned         depth;
} json_t;

typedef struct {
    const char      *tmpl;
    unsigned         line;
    const char      *reason;
} error_case_t;


static blog_value_t *json_parse(blog_arena_t *a, const u_char *p, size_t n);
static blog_value_t *json_value(json_t *j);
static blog_value_t *json_object(json_t *j);
static blog_value_t *json_array(json_t *j);
static int json_string(json_t *j, blog_str_t *s);
static int json_hex(json_t *j, uint32_t *cp);
static blog_value_t *json_number(json_t *j);
static void json_blank(json_t *j);
static void json_utf8(u_char **d, uint32_t cp);
static blog_value_t *json_member(blog_value_t *map, const char *key);
static int spec_case(blog_value_t *tc, blog_buf_t *got);
static void spec_quote(blog_buf_t *b, const u_char *p, size_t n);
static const char *spec_dir(void);
static int spec_name_cmp(const void *a, const void *b);
static void test_spec_file(void **state);
static void test_spec_missing(void **state);
static const char *render(blog_tmpl_set_t *set, const char *name,
    blog_value_t *ctx, blog_buf_t *out, int *rc);
static const char *render_one(const char *tmpl, const char *json,
    blog_buf_t *out);
static void test_compile_errors(void **state);
static void test_failed_add_keeps_set(void **state);
static void test_escaping(void **state);
static void test_numbers(void **state);
static void test_values(void **state);
static void test_partial_indent(void **state);
static void test_missing(void **state);
static void test_replace(void **state);
static void test_recursion_cap(void **state);
static void test_step_cap(void **state);
static void test_deep_tree(void **state);
static void test_arena(void **state);
static void test_value_get(void **state);
static void test_value_types(void **state);
static void test_fuzz_smoke(void **state);


static const char  *spec_files[] = {
    "comments.json", "delimiters.json", "interpolation.json",
    "inverted.json", "partials.json", "sections.json"
};

/* why opendir() of the spec folder failed */
static int  spec_dir_errno;


/* a small JSON reader: enough for the spec files and the tests below */

static blog_value_t *
json_parse(blog_arena_t *a, const u_char *p, size_t n)
{
    json_t         j;
    blog_value_t  *v;

    j.p = p;
    j.end = p + n;
    j.arena = a;
    j.depth = 0;

    v = json_value(&j);
    if (v == NULL) {
        return NULL;
    }

    json_blank(&j);

    return j.p == j.end ? v : NULL;
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


static blog_value_t *
json_value(json_t *j)
{
    size_t      n;
    blog_str_t  s;

    json_blank(j);

    if (j->p == j->end) {
        return NULL;
    }

    n = j->end - j->p;

    switch (*j->p) {

    case '{':
        return json_object(j);

    case '[':
        return json_array(j);

    case '"':
        if (json_string(j, &s) != BLOG_OK) {
            return NULL;
        }

        return blog_value_string(j->arena, s.data, s.len);

    case 't':
        if (n >= 4 && memcmp(j->p, "true", 4) == 0) {
            j->p += 4;
            return blog_value_bool(j->arena, 1);
        }

        return NULL;

    case 'f':
        if (n >= 5 && memcmp(j->p, "false", 5) == 0) {
            j->p += 5;
            return blog_value_bool(j->arena, 0);
        }

        return NULL;

    case 'n':
        if (n >= 4 && memcmp(j->p, "null", 4) == 0) {
            j->p += 4;
            return blog_value_null(j->arena);
        }

        return NULL;

    default:
        return json_number(j);
    }
}


static blog_value_t *
json_object(json_t *j)
{
    blog_str_t     key;
    blog_value_t  *map, *v;

    if (++j->depth > JSON_MAX_DEPTH) {
        return NULL;
    }

    map = blog_value_map(j->arena);
    if (map == NULL) {
        return NULL;
    }

    j->p++;
    json_blank(j);

    if (j->p < j->end && *j->p == '}') {
        j->p++;
        j->depth--;
        return map;
    }

    for ( ;; ) {
        json_blank(j);

        if (j->p == j->end || *j->p != '"'
            || json_string(j, &key) != BLOG_OK)
        {
            return NULL;
        }

        json_blank(j);

        if (j->p == j->end || *j->p++ != ':') {
            return NULL;
        }

        v = json_value(j);
        if (v == NULL
            || blog_value_set_n(j->arena, map, key.data, key.len, v)
               != BLOG_OK)
        {
            return NULL;
        }

        json_blank(j);

        if (j->p == j->end) {
            return NULL;
        }

        if (*j->p == '}') {
            j->p++;
            j->depth--;
            return map;
        }

        if (*j->p++ != ',') {
            return NULL;
        }
    }
}


static blog_value_t *
json_array(json_t *j)
{
    blog_value_t  *list, *v;

    if (++j->depth > JSON_MAX_DEPTH) {
        return NULL;
    }

    list = blog_value_list(j->arena);
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
        if (v == NULL || blog_value_push(j->arena, list, v) != BLOG_OK) {
            return NULL;
        }

        json_blank(j);

        if (j->p == j->end) {
            return NULL;
        }

        if (*j->p == ']') {
            j->p++;
            j->depth--;
            return list;
        }

        if (*j->p++ != ',') {
            return NULL;
        }
    }
}


/* decoded into the arena, NUL-terminated; never longer than the source */

static int
json_string(json_t *j, blog_str_t *s)
{
    u_char        *d;
    uint32_t       cp, lo;
    const u_char  *q;

    for (q = j->p + 1; q < j->end && *q != '"'; q++) {
        if (*q == '\\') {
            q++;
        }
    }

    if (q >= j->end) {
        return BLOG_ERROR;
    }

    s->data = blog_arena_alloc(j->arena, q - j->p);
    if (s->data == NULL) {
        return BLOG_ERROR;
    }

    d = s->data;
    j->p++;

    while (j->p < q) {
        if (*j->p != '\\') {
            *d++ = *j->p++;
            continue;
        }

        j->p++;

        switch (*j->p++) {
        case '"':
            *d++ = '"';
            break;
        case '\\':
            *d++ = '\\';
            break;
        case '/':
            *d++ = '/';
            break;
        case 'b':
            *d++ = '\b';
            break;
        case 'f':
            *d++ = '\f';
            break;
        case 'n':
            *d++ = '\n';
            break;
        case 'r':
            *d++ = '\r';
            break;
        case 't':
            *d++ = '\t';
            break;
        case 'u':
            if (json_hex(j, &cp) != BLOG_OK) {
                return BLOG_ERROR;
            }

            if (cp >= 0xd800 && cp < 0xdc00 && q - j->p >= 6
                && j->p[0] == '\\' && j->p[1] == 'u')
            {
                j->p += 2;

                if (json_hex(j, &lo) != BLOG_OK
                    || lo < 0xdc00 || lo > 0xdfff)
                {
                    return BLOG_ERROR;
                }

                cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            }

            json_utf8(&d, cp);
            break;
        default:
            return BLOG_ERROR;
        }
    }

    *d = '\0';
    s->len = d - s->data;
    j->p = q + 1;

    return BLOG_OK;
}


static int
json_hex(json_t *j, uint32_t *cp)
{
    int       i;
    u_char    c;
    uint32_t  v;

    if (j->end - j->p < 4) {
        return BLOG_ERROR;
    }

    v = 0;

    for (i = 0; i < 4; i++) {
        c = *j->p++;

        if (c >= '0' && c <= '9') {
            v = v * 16 + (c - '0');

        } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') {
            v = v * 16 + ((c | 0x20) - 'a' + 10);

        } else {
            return BLOG_ERROR;
        }
    }

    *cp = v;

    return BLOG_OK;
}


static void
json_utf8(u_char **d, uint32_t cp)
{
    u_char  *p;

    p = *d;

    if (cp < 0x80) {
        *p++ = (u_char) cp;

    } else if (cp < 0x800) {
        *p++ = (u_char) (0xc0 | (cp >> 6));
        *p++ = (u_char) (0x80 | (cp & 0x3f));

    } else if (cp < 0x10000) {
        *p++ = (u_char) (0xe0 | (cp >> 12));
        *p++ = (u_char) (0x80 | ((cp >> 6) & 0x3f));
        *p++ = (u_char) (0x80 | (cp & 0x3f));

    } else {
        *p++ = (u_char) (0xf0 | (cp >> 18));
        *p++ = (u_char) (0x80 | ((cp >> 12) & 0x3f));
        *p++ = (u_char) (0x80 | ((cp >> 6) & 0x3f));
        *p++ = (u_char) (0x80 | (cp & 0x3f));
    }

    *d = p;
}


static blog_value_t *
json_number(json_t *j)
{
    char           buf[64], *e;
    size_t         n;
    double         d;
    const u_char  *q;

    for (q = j->p; q < j->end; q++) {
        if (!((*q >= '0' && *q <= '9') || *q == '-' || *q == '+'
              || *q == '.' || *q == 'e' || *q == 'E'))
        {
            break;
        }
    }

    n = q - j->p;

    if (n == 0 || n >= sizeof(buf)) {
        return NULL;
    }

    memcpy(buf, j->p, n);
    buf[n] = '\0';

    d = strtod(buf, &e);
    if (*e != '\0') {
        return NULL;
    }

    j->p = q;

    return blog_value_number(j->arena, d);
}


static blog_value_t *
json_member(blog_value_t *map, const char *key)
{
    return blog_value_get(map, (const u_char *) key, strlen(key));
}


/* the spec files */

static const char *
spec_dir(void)
{
    const char  *dir;

    dir = getenv("BLOG_MUSTACHE_SPEC_DIR");

    return dir != NULL && dir[0] != '\0' ? dir : SPEC_DIR;
}


static void
spec_quote(blog_buf_t *b, const u_char *p, size_t n)
{
    size_t  i;

    blog_buf_addc(b, '"');

    for (i = 0; i < n; i++) {
        switch (p[i]) {
        case '\n':
            blog_buf_adds(b, "\\n");
            break;
        case '\r':
            blog_buf_adds(b, "\\r");
            break;
        case '\t':
            blog_buf_adds(b, "\\t");
            break;
        case '"':
            blog_buf_adds(b, "\\\"");
            break;
        case '\\':
            blog_buf_adds(b, "\\\\");
            break;
        default:
            blog_buf_addc(b, p[i]);
        }
    }

    blog_buf_addc(b, '"');
}


/* one case: 1 passed, 0 failed, with what went wrong in got */

static int
spec_case(blog_value_t *tc, blog_buf_t *got)
{
    int                     rc, ok;
    size_t                  i;
    blog_buf_t              msg;
    blog_value_t           *tmpl, *data, *partials, *expected, *p;
    blog_tmpl_set_t        *set;
    blog_problem_detail_t   pd;

    tmpl = json_member(tc, "template");
    data = json_member(tc, "data");
    partials = json_member(tc, "partials");
    expected = json_member(tc, "expected");

    blog_buf_init(&msg);
    blog_buf_free(got);

    if (tmpl == NULL || tmpl->type != BLOG_VALUE_STRING
        || expected == NULL || expected->type != BLOG_VALUE_STRING)
    {
        blog_buf_adds(got, "no template or no expected text in the case");
        return 0;
    }

    set = blog_tmpl_set_create();
    assert_non_null(set);

    ok = 0;

    if (partials != NULL && partials->type == BLOG_VALUE_MAP) {
        for (i = 0; i < partials->u.map.n; i++) {
            p = partials->u.map.values[i];

            if (p->type != BLOG_VALUE_STRING
                || blog_tmpl_add(set, (char *) partials->u.map.keys[i].data,
                                 p->u.string.data, p->u.string.len, &pd)
                   != BLOG_OK)
            {
                blog_buf_printf(got, "partial \"%s\": line %u: %s",
                                (char *) partials->u.map.keys[i].data,
                                pd.line, pd.reason);
                goto done;
            }
        }
    }

    if (blog_tmpl_add(set, MAIN, tmpl->u.string.data, tmpl->u.string.len,
                      &pd)
        != BLOG_OK)
    {
        blog_buf_printf(got, "line %u: %s", pd.line, pd.reason);
        goto done;
    }

    rc = blog_tmpl_render(set, MAIN, data, &msg);

    if (rc == BLOG_OK && msg.len == expected->u.string.len
        && (msg.len == 0
            || memcmp(msg.data, expected->u.string.data, msg.len) == 0))
    {
        ok = 1;
        goto done;
    }

    blog_buf_printf(got, "render %d, got ", rc);
    spec_quote(got, msg.data, msg.len);
    blog_buf_adds(got, ", expected ");
    spec_quote(got, expected->u.string.data, expected->u.string.len);

done:

    blog_buf_free(&msg);
    blog_tmpl_set_free(set);

    return ok;
}


static void
test_spec_file(void **state)
{
    char            path[4096];
    size_t          i, passed;
    const char     *file, *reason;
    blog_buf_t      text, got, failed;
    blog_value_t   *spec, *tests, *tc, *name;
    blog_arena_t   *a;
    blog_file_id_t  id;

    file = *state;
    snprintf(path, sizeof(path), "%s/%s", spec_dir(), file);

    blog_buf_init(&text);
    blog_buf_init(&got);
    blog_buf_init(&failed);

    if (blog_file_read(path, SPEC_MAX_SIZE, &text, &id, &reason)
        != BLOG_OK)
    {
        fail_msg("%s: %s", path, reason);
    }

    a = blog_arena_create();
    assert_non_null(a);

    spec = json_parse(a, text.data, text.len);
    if (spec == NULL) {
        fail_msg("%s: not valid JSON", path);
    }

    tests = json_member(spec, "tests");
    if (tests == NULL || tests->type != BLOG_VALUE_LIST
        || tests->u.list.n == 0)
    {
        fail_msg("%s: no \"tests\" list", path);
    }

    passed = 0;

    for (i = 0; i < tests->u.list.n; i++) {
        tc = tests->u.list.items[i];
        name = json_member(tc, "name");

        if (name == NULL || name->type != BLOG_VALUE_STRING) {
            fail_msg("%s: case %zu has no name", path, i + 1);
        }

        if (spec_case(tc, &got)) {
            printf("# %s: %s: pass\n", file, (char *) name->u.string.data);
            passed++;
            continue;
        }

        printf("# %s: %s: FAIL: %.*s\n", file, (char *) name->u.string.data,
               (int) got.len, got.data != NULL ? (char *) got.data : "");

        blog_buf_printf(&failed, "%s\"%s\"", failed.len ? ", " : "",
                        (char *) name->u.string.data);
    }

    printf("# %s: %zu/%zu passed\n", file, passed, tests->u.list.n);
    fflush(stdout);

    if (passed != tests->u.list.n) {
        fail_msg("%s: %zu of %zu cases failed: %s", file,
                 tests->u.list.n - passed, tests->u.list.n,
                 unit_buf_str(&failed));
    }

    blog_arena_destroy(a);
    blog_buf_free(&text);
    blog_buf_free(&got);
    blog_buf_free(&failed);
}


/*
 * Without the spec folder the templates' conformance is not checked at
 * all: that fails, naming the folder it looked for.
 */

static void
test_spec_missing(void **state)
{
    fail_msg("cannot open the Mustache spec folder %s: %s (run from the"
             " repository root, or set BLOG_MUSTACHE_SPEC_DIR)",
             spec_dir(), strerror(spec_dir_errno));
}


static int
spec_name_cmp(const void *a, const void *b)
{
    return strcmp(*(char * const *) a, *(char * const *) b);
}


/* helpers for the tests of our own */

static const char *
render(blog_tmpl_set_t *set, const char *name, blog_value_t *ctx,
    blog_buf_t *out, int *rc)
{
    blog_buf_free(out);
    *rc = blog_tmpl_render(set, name, ctx, out);

    return unit_buf_str(out);
}


/* renders tmpl over the data in json; the result lives in out */

static const char *
render_one(const char *tmpl, const char *json, blog_buf_t *out)
{
    int                     rc;
    const char             *s;
    blog_arena_t           *a;
    blog_value_t           *data;
    blog_tmpl_set_t        *set;
    blog_problem_detail_t   pd;

    a = blog_arena_create();
    set = blog_tmpl_set_create();
    assert_non_null(a);
    assert_non_null(set);

    data = json_parse(a, (const u_char *) json, strlen(json));
    assert_non_null(data);

    if (blog_tmpl_add(set, "t", (const u_char *) tmpl, strlen(tmpl), &pd)
        != BLOG_OK)
    {
        fail_msg("\"%s\": line %u: %s", tmpl, pd.line, pd.reason);
    }

    s = render(set, "t", data, out, &rc);
    assert_int_equal(rc, BLOG_OK);

    blog_tmpl_set_free(set);
    blog_arena_destroy(a);

    return s;
}


static void
test_compile_errors(void **state)
{
    size_t                  i;
    blog_buf_t              deep;
    blog_tmpl_set_t        *set;
    blog_problem_detail_t   pd;

    static const error_case_t  cases[] = {
        { "a\nb {{x\nc", 2, "tag opened with \"{{\" is never closed" },
        { "a\n{{{x}}\n", 2, "never closed" },
        { "\n\n{{#posts}}\nx\n", 3,
          "section \"posts\" opened on line 3 is never closed" },
        { "{{#a}}\n{{#b}}\n{{/b}}\n", 1,
          "section \"a\" opened on line 1 is never closed" },
        { "{{#a}}\n\n{{/b}}", 3,
          "closing tag \"b\" does not match section \"a\" opened on line 1" },
        { "x\n{{/a}}", 2, "closing tag \"a\" has no open section" },
        { "{{}}", 1, "empty tag name" },
        { "\n{{ }}", 2, "empty tag name" },
        { "\n\n{{#}}{{/}}", 3, "empty tag name" },
        { "{{^ }}", 1, "empty tag name" },
        { "a\n{{> }}", 2, "empty tag name" },
        { "{{& }}", 1, "empty tag name" },
        { "{{{ }}}", 1, "empty tag name" },
        { "{{#a}}\n{{/}}", 2, "empty tag name" },
        { "{{a..b}}", 1, "bad tag name \"a..b\"" },
        { "{{.a}}", 1, "bad tag name" },
        { "\n{{a.}}", 2, "bad tag name" },
        { "{{a b}}", 1, "bad tag name \"a b\"" },
        { "\n{{= <% =}}", 2, "bad set-delimiter tag \"<%\"" },
        { "{{=<% %> x=}}", 1, "bad set-delimiter tag" },
        { "{{=<= %>=}}", 1, "bad set-delimiter tag" },
        { "{{==}}", 1, "bad set-delimiter tag" },
        { "{{=}}", 1, "never closed" },
        { "{{= =}}", 1, "bad set-delimiter tag" },
        { "{{=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa b=}}", 1,
          "bad set-delimiter tag" },
        { "{{!\n\n}}\n{{/x}}", 4, "has no open section" },
        { "{{=<% %>=}}\n\n<%#a%>\n", 3,
          "section \"a\" opened on line 3 is never closed" },
        { "{{=<% %>=}}\n{{x}}\n<%x", 3, "tag opened with \"<%\"" },
        { "a\r\nb\r\n{{#x}}{{/y}}", 3, "does not match" },
    };

    set = blog_tmpl_set_create();
    assert_non_null(set);

    for (i = 0; i < UNIT_ARRAY(cases); i++) {
        pd.line = 0;
        pd.reason = NULL;

        if (blog_tmpl_add(set, "t", (const u_char *) cases[i].tmpl,
                          strlen(cases[i].tmpl), &pd)
            != BLOG_ERROR)
        {
            fail_msg("\"%s\" compiled", cases[i].tmpl);
        }

        assert_non_null(pd.reason);

        if (pd.line != cases[i].line) {
            fail_msg("\"%s\": line %u, expected %u (%s)", cases[i].tmpl,
                     pd.line, cases[i].line, pd.reason);
        }

        assert_contains(pd.reason, cases[i].reason);
    }

    /* nesting is bounded when compiled: 100 deep is fine, 101 is not */

    blog_buf_init(&deep);

    for (i = 0; i < 100; i++) {
        blog_buf_adds(&deep, "{{#a}}\n");
    }

    for (i = 0; i < 100; i++) {
        blog_buf_adds(&deep, "{{/a}}\n");
    }

    assert_int_equal(blog_tmpl_add(set, "t", deep.data, deep.len, &pd),
                     BLOG_OK);

    blog_buf_free(&deep);

    for (i = 0; i < 101; i++) {
        blog_buf_adds(&deep, "{{#a}}\n");
    }

    assert_int_equal(blog_tmpl_add(set, "t", deep.data, deep.len, &pd),
                     BLOG_ERROR);
    assert_int_equal(pd.line, 101);
    assert_contains(pd.reason, "nested more than 100 deep");

    blog_buf_free(&deep);
    blog_tmpl_set_free(set);
}


static void
test_failed_add_keeps_set(void **state)
{
    int                     rc;
    blog_buf_t              out;
    blog_tmpl_set_t        *set;
    blog_problem_detail_t   pd;

    blog_buf_init(&out);
    set = blog_tmpl_set_create();
    assert_non_null(set);

    assert_int_equal(blog_tmpl_add(set, "page", (const u_char *) "old", 3,
                                   &pd), BLOG_OK);
    assert_int_equal(blog_tmpl_add(set, "page", (const u_char *) "{{#x}}",
                                   6, &pd), BLOG_ERROR);
    assert_int_equal(blog_tmpl_add(set, "new", (const u_char *) "{{x", 3,
                                   NULL), BLOG_ERROR);

    assert_true(blog_tmpl_has(set, "page"));
    assert_false(blog_tmpl_has(set, "new"));
    assert_string_equal(render(set, "page", NULL, &out, &rc), "old");
    assert_int_equal(rc, BLOG_OK);

    blog_buf_free(&out);
    blog_tmpl_set_free(set);
}


static void
test_escaping(void **state)
{
    blog_buf_t  out;

    blog_buf_init(&out);

    assert_string_equal(
        render_one("{{x}}|{{{x}}}|{{&x}}",
                   "{\"x\": \"<a href=\\\"u\\\">Tom & Jerry's</a>\"}", &out),
        "&lt;a href=&quot;u&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;|"
        "<a href=\"u\">Tom & Jerry's</a>|<a href=\"u\">Tom & Jerry's</a>");

    assert_string_equal(render_one("{{#l}}{{.}}{{/l}}",
                                   "{\"l\": [\"&amp;\", \"<\"]}", &out),
                        "&amp;amp;&lt;");

    /* the template's own text is never escaped */

    assert_string_equal(render_one("<b>&'\"</b>", "{}", &out),
                        "<b>&'\"</b>");

    /*
     * A value that starts an address (href, src...) never runs script:
     * javascript:, vbscript: and data: are dropped there, and only there.
     */

    assert_string_equal(
        render_one("<a href=\"{{u}}\">{{u}}</a><img SRC = '{{{u}}}'>"
                   "<a href=\"/x/{{u}}\"><a title=\"{{u}}\">"
                   "<a href=\"{{s}}\">",
                   "{\"u\": \"JavaScript:alert(1)\", "
                   "\"s\": \"https://example.com/\"}", &out),
        "<a href=\"\">JavaScript:alert(1)</a><img SRC = ''>"
        "<a href=\"/x/JavaScript:alert(1)\"><a title=\"JavaScript:alert(1)\">"
        "<a href=\"https://example.com/\">");

    assert_string_equal(
        render_one("<a href={{u}}><a data-href=\"{{u}}\">",
                   "{\"u\": \" data:text/html,x\"}", &out),
        "<a href=><a data-href=\" data:text/html,x\">");

    blog_buf_free(&out);
}


static void
test_numbers(void **state)
{
    blog_buf_t  out;

    blog_buf_init(&out);

    assert_string_equal(
        render_one("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{g}} {{h}}",
                   "{\"a\": 85, \"b\": 1.210, \"c\": -3, \"d\": 0.5,"
                   " \"e\": -0.0, \"f\": 1e20, \"g\": 1234567890123456,"
                   " \"h\": 0.30000000000000004}", &out),
        "85 1.21 -3 0.5 0 1e+20 1234567890123456 0.30000000000000004");

    assert_string_equal(render_one("{{t}} {{f}} [{{n}}] [{{l}}] [{{m}}]",
                                   "{\"t\": true, \"f\": false, \"n\": null,"
                                   " \"l\": [1], \"m\": {\"a\": 1}}", &out),
                        "true false [] [] []");

    blog_buf_free(&out);
}


/* false, null, the empty list and the empty string are falsy; 0 is not */

static void
test_values(void **state)
{
    blog_buf_t  out;

    blog_buf_init(&out);

    assert_string_equal(
        render_one("{{#z}}z{{/z}}{{#e}}e{{/e}}{{#f}}f{{/f}}{{#n}}n{{/n}}"
                   "{{#l}}l{{/l}}{{#m}}m{{/m}}{{#u}}u{{/u}}",
                   "{\"z\": 0, \"e\": \"\", \"f\": false, \"n\": null,"
                   " \"l\": [], \"m\": {}}", &out),
        "zm");

    assert_string_equal(
        render_one("{{^z}}z{{/z}}{{^e}}e{{/e}}{{^f}}f{{/f}}{{^n}}n{{/n}}"
                   "{{^l}}l{{/l}}{{^m}}m{{/m}}{{^u}}u{{/u}}",
                   "{\"z\": 0, \"e\": \"\", \"f\": false, \"n\": null,"
                   " \"l\": [], \"m\": {}}", &out),
        "efnlu");

    /* a name found with a null value masks the same name further out */

    assert_string_equal(render_one("{{#b}}[{{a}}]{{/b}}",
                                   "{\"a\": 1, \"b\": {\"a\": null}}", &out),
                        "[]");

    assert_string_equal(render_one("{{#posts}}{{title}} in {{site}}; "
                                   "{{/posts}}",
                                   "{\"site\": \"S\", \"posts\":"
                                   " [{\"title\": \"A\"}, {\"title\": \"B\","
                                   " \"site\": \"T\"}]}", &out),
                        "A in S; B in T; ");

    blog_buf_free(&out);
}


static void
test_partial_indent(void **state)
{
    int                     rc;
    blog_buf_t              out;
    blog_arena_t           *a;
    blog_value_t           *ctx, *items;
    blog_tmpl_set_t        *set;

    blog_buf_init(&out);
    set = blog_tmpl_set_create();
    a = blog_arena_create();
    assert_non_null(set);
    assert_non_null(a);

    add(set, "page", "<body>\n  {{>list}}\n</body>\n");
    add(set, "list", "<ul>\n{{#items}}\n  {{>item}}\n{{/items}}\n</ul>\n");
    add(set, "item", "<li>{{.}}</li>\n");
    add(set, "inline", "[{{>item}}]");
    add(set, "skip", "  {{! a comment starting a line }}x\n  y\n");
    add(set, "skipper", "\t{{>skip}}\n");

    ctx = blog_value_map(a);
    items = blog_value_list(a);
    assert_int_equal(blog_value_push(a, items,
                                     blog_value_string(a,
                                                       (u_char *) "a\nb", 3)),
                     BLOG_OK);
    assert_int_equal(blog_value_push(a, items, blog_value_number(a, 2)),
                     BLOG_OK);
    assert_int_equal(blog_value_set(a, ctx, "items", items), BLOG_OK);

    /* a value's own lines are not indented */

    assert_string_equal(render(set, "page", ctx, &out, &rc),
                        "<body>\n"
                        "  <ul>\n"
                        "    <li>a\nb</li>\n"
                        "    <li>2</li>\n"
                        "  </ul>\n"
                        "</body>\n");
    assert_int_equal(rc, BLOG_OK);

    /* an inline partial is not indented */

    assert_string_equal(render(set, "inline", ctx, &out, &rc),
                        "[<li></li>\n]");

    /* a line that starts with a comment is still indented, once */

    assert_string_equal(render(set, "skipper", ctx, &out, &rc),
                        "\t  x\n\t  y\n");

    blog_arena_destroy(a);
    blog_buf_free(&out);
    blog_tmpl_set_free(set);
}


static void
test_missing(void **state)
{
    int                     rc;
    blog_buf_t              out;
    blog_tmpl_set_t        *set;
    blog_problem_detail_t   pd;

    blog_buf_init(&out);
    set = blog_tmpl_set_create();
    assert_non_null(set);

    assert_int_equal(blog_tmpl_add(set, "t", (const u_char *) "[{{>nope}}]",
                                   11, &pd), BLOG_OK);
    assert_string_equal(render(set, "t", NULL, &out, &rc), "[]");
    assert_int_equal(rc, BLOG_OK);

    assert_false(blog_tmpl_has(set, "nope"));
    render(set, "nope", NULL, &out, &rc);
    assert_int_equal(rc, BLOG_DECLINED);

    /* an empty template, and a NULL context */

    assert_int_equal(blog_tmpl_add(set, "e", (const u_char *) "", 0, &pd),
                     BLOG_OK);
    assert_string_equal(render(set, "e", NULL, &out, &rc), "");
    assert_int_equal(rc, BLOG_OK);

    add(set, "n", "{{a}}{{.}}{{#a}}x{{/a}}{{^.}}y{{/.}}");
    assert_string_equal(render(set, "n", NULL, &out, &rc), "y");
    assert_int_equal(rc, BLOG_OK);

    blog_buf_free(&out);
    blog_tmpl_set_free(set);
}


static void
test_replace(void **state)
{
    int                     rc;
    blog_buf_t              out;
    blog_tmpl_set_t        *set;
    blog_problem_detail_t   pd;

    blog_buf_init(&out);
    set = blog_tmpl_set_create();
    assert_non_null(set);

    assert_int_equal(blog_tmpl_add(set, "p", (const u_char *) "one", 3, &pd),
                     BLOG_OK);
    assert_int_equal(blog_tmpl_add(set, "t", (const u_char *) "<{{>p}}>", 8,
                                   &pd), BLOG_OK);
    assert_string_equal(render(set, "t", NULL, &out, &rc), "<one>");

    assert_int_equal(blog_tmpl_add(set, "p", (const u_char *) "two", 3, &pd),
                     BLOG_OK);
    assert_string_equal(render(set, "t", NULL, &out, &rc), "<two>");
    assert_int_equal(rc, BLOG_OK);

    blog_buf_free(&out);
    blog_tmpl_set_free(set);
}


/* a partial that includes itself stops at the cap, and says so */

static void
test_recursion_cap(void **state)
{
    int                     rc;
    size_t                  i;
    const char             *s;
    blog_buf_t              out;
    blog_tmpl_set_t        *set;
    blog_problem_detail_t   pd;

    blog_buf_init(&out);
    set = blog_tmpl_set_create();
    assert_non_null(set);

    assert_int_equal(blog_tmpl_add(set, "self", (const u_char *) "x{{>self}}",
                                   10, &pd), BLOG_OK);

    s = render(set, "self", NULL, &out, &rc);
    assert_int_equal(rc, BLOG_ERROR);
    assert_int_equal(out.len, 101);

    for (i = 0; i < out.len; i++) {
        assert_int_equal(s[i], 'x');
    }

    /* twice per level would be 2^100 renders without the cap */

    assert_int_equal(blog_tmpl_add(set, "two",
                                   (const u_char *) "{{>two}}{{>two}}", 16,
                                   &pd), BLOG_OK);
    render(set, "two", NULL, &out, &rc);
    assert_int_equal(rc, BLOG_ERROR);

    /* standalone: each level indents by one more space */

    assert_int_equal(blog_tmpl_add(set, "deep",
                                   (const u_char *) "-\n {{>deep}}\n", 13,
                                   &pd), BLOG_OK);
    render(set, "deep", NULL, &out, &rc);
    assert_int_equal(rc, BLOG_ERROR);
    assert_true(out.len > 100 && out.len < 100 * 100);

    blog_buf_free(&out);
    blog_tmpl_set_free(set);
}


/* sections nested over a list multiply: the step bound ends them */

static void
test_step_cap(void **state)
{
    int                     rc;
    size_t                  i;
    blog_buf_t              tmpl, out;
    blog_arena_t           *a;
    blog_value_t           *ctx, *list;
    blog_tmpl_set_t        *set;
    blog_problem_detail_t   pd;

    blog_buf_init(&tmpl);
    blog_buf_init(&out);

    for (i = 0; i < 30; i++) {
        blog_buf_adds(&tmpl, "{{#l}}x");
    }

    for (i = 0; i < 30; i++) {
        blog_buf_adds(&tmpl, "{{/l}}");
    }

    set = blog_tmpl_set_create();
    a = blog_arena_create();
    assert_non_null(set);
    assert_non_null(a);

    assert_int_equal(blog_tmpl_add(set, "t", tmpl.data, tmpl.len, &pd),
                     BLOG_OK);

    ctx = blog_value_map(a);
    list = blog_value_list(a);

    for (i = 0; i < 10; i++) {
        assert_int_equal(blog_value_push(a, list, blog_value_bool(a, 1)),
                         BLOG_OK);
    }

    assert_int_equal(blog_value_set(a, ctx, "l", list), BLOG_OK);

    render(set, "t", ctx, &out, &rc);
    assert_int_equal(rc, BLOG_ERROR);
    assert_true(out.len < (64 << 20) + 64);

    blog_arena_destroy(a);
    blog_tmpl_set_free(set);
    blog_buf_free(&tmpl);
    blog_buf_free(&out);
}


/* a tree 40 deep, a partial and a section per level, is within bounds */

static void
test_deep_tree(void **state)
{
    int                     rc;
    size_t                  i;
    blog_buf_t              out, expected;
    blog_arena_t           *a;
    blog_value_t           *root, *node, *kids, *child;
    blog_tmpl_set_t        *set;
    blog_problem_detail_t   pd;

    static const char  tmpl[] = "{{n}}<{{#kids}}{{>node}}{{/kids}}>";

    blog_buf_init(&out);
    blog_buf_init(&expected);

    set = blog_tmpl_set_create();
    a = blog_arena_create();
    assert_non_null(set);
    assert_non_null(a);

    assert_int_equal(blog_tmpl_add(set, "node", (const u_char *) tmpl,
                                   sizeof(tmpl) - 1, &pd), BLOG_OK);

    root = blog_value_map(a);
    node = root;

    for (i = 0; i < 40; i++) {
        assert_int_equal(blog_value_set(a, node, "n",
                                        blog_value_number(a, i)), BLOG_OK);
        blog_buf_printf(&expected, "%zu<", i);

        if (i == 39) {
            /* or "kids" would be found further out, again and again */
            assert_int_equal(blog_value_set(a, node, "kids",
                                            blog_value_list(a)), BLOG_OK);
            break;
        }

        kids = blog_value_list(a);
        child = blog_value_map(a);
        assert_int_equal(blog_value_push(a, kids, child), BLOG_OK);
        assert_int_equal(blog_value_set(a, node, "kids", kids), BLOG_OK);
        node = child;
    }

    for (i = 0; i < 40; i++) {
        blog_buf_addc(&expected, '>');
    }

    assert_string_equal(render(set, "node", root, &out, &rc),
                        unit_buf_str(&expected));
    assert_int_equal(rc, BLOG_OK);

    blog_arena_destroy(a);
    blog_tmpl_set_free(set);
    blog_buf_free(&out);
    blog_buf_free(&expected);
}


static void
test_arena(void **state)
{
    size_t         i, j, n;
    u_char        *p, **ptrs, *s;
    size_t        *sizes;
    blog_arena_t  *a;

    a = blog_arena_create();
    assert_non_null(a);

    ptrs = malloc(ARENA_ALLOCS * sizeof(u_char *));
    sizes = malloc(ARENA_ALLOCS * sizeof(size_t));
    assert_non_null(ptrs);
    assert_non_null(sizes);

    for (i = 0; i < ARENA_ALLOCS; i++) {
        /* mostly small, one in a hundred larger than a chunk */
        n = (i * 7919) % 300;

        if (i % 100 == 0) {
            n = 9000 + i;
        }

        if (i % 1000 == 1) {
            n = 0;
        }

        p = blog_arena_alloc(a, n);
        assert_non_null(p);
        assert_int_equal((uintptr_t) p % 8, 0);

        memset(p, (int) (i & 0xff), n);
        ptrs[i] = p;
        sizes[i] = n;
    }

    /* nothing overlaps: every block still holds its own byte */

    for (i = 0; i < ARENA_ALLOCS; i++) {
        for (j = 0; j < sizes[i]; j++) {
            if (ptrs[i][j] != (u_char) (i & 0xff)) {
                fail_msg("block %zu clobbered at %zu", i, j);
            }
        }
    }

    s = blog_arena_strdup(a, (const u_char *) "hello", 5);
    assert_string_equal((char *) s, "hello");

    s = blog_arena_strdup(a, NULL, 0);
    assert_non_null(s);
    assert_int_equal(s[0], '\0');

    assert_null(blog_arena_alloc(a, SIZE_MAX - 4));

    free(ptrs);
    free(sizes);
    blog_arena_destroy(a);

    blog_arena_destroy(NULL);

    /* an arena never used */

    a = blog_arena_create();
    assert_non_null(a);
    blog_arena_destroy(a);
}


static void
test_value_get(void **state)
{
    char           key[32];
    size_t         i;
    blog_arena_t  *a;
    blog_value_t  *map, *v, *one, *two, *list;

    a = blog_arena_create();
    assert_non_null(a);

    map = blog_value_map(a);
    one = blog_value_number(a, 1);
    two = blog_value_number(a, 2);
    assert_non_null(map);

    assert_null(blog_value_get(map, (const u_char *) "a", 1));

    assert_int_equal(blog_value_set(a, map, "a", one), BLOG_OK);
    assert_int_equal(blog_value_set(a, map, "a", two), BLOG_OK);
    assert_int_equal(blog_value_set_n(a, map, (const u_char *) "abc", 2,
                                      two), BLOG_OK);
    assert_int_equal(blog_value_set_n(a, map, (const u_char *) "", 0, one),
                     BLOG_OK);

    /* the first value set for a key wins */

    assert_ptr_equal(blog_value_get(map, (const u_char *) "a", 1), one);
    assert_ptr_equal(blog_value_get(map, (const u_char *) "ab", 2), two);
    assert_ptr_equal(blog_value_get(map, (const u_char *) "", 0), one);
    assert_null(blog_value_get(map, (const u_char *) "abc", 3));
    assert_null(blog_value_get(map, (const u_char *) "A", 1));

    /* keys are copied */

    for (i = 0; i < 1000; i++) {
        snprintf(key, sizeof(key), "key%zu", i);
        assert_int_equal(blog_value_set(a, map, key,
                                        blog_value_number(a, i)), BLOG_OK);
    }

    memset(key, 0, sizeof(key));

    for (i = 0; i < 1000; i++) {
        snprintf(key, sizeof(key), "key%zu", i);
        v = blog_value_get(map, (const u_char *) key, strlen(key));
        assert_non_null(v);
        assert_int_equal(v->type, BLOG_VALUE_NUMBER);
        assert_true(v->u.number == (double) i);
    }

    assert_int_equal(map->u.map.n, 1004);

    /* get on what is not a map finds nothing, set and push refuse */

    list = blog_value_list(a);
    assert_null(blog_value_get(list, (const u_char *) "a", 1));
    assert_null(blog_value_get(NULL, (const u_char *) "a", 1));
    assert_int_equal(blog_value_set(a, list, "a", one), BLOG_ERROR);
    assert_int_equal(blog_value_push(a, map, one), BLOG_ERROR);
    assert_int_equal(blog_value_push(a, list, NULL), BLOG_ERROR);
    assert_int_equal(blog_value_set(a, map, "x", NULL), BLOG_ERROR);

    blog_arena_destroy(a);
}


static void
test_value_types(void **state)
{
    size_t         i;
    blog_arena_t  *a;
    blog_value_t  *v, *list;

    a = blog_arena_create();
    assert_non_null(a);

    v = blog_value_null(a);
    assert_int_equal(v->type, BLOG_VALUE_NULL);

    v = blog_value_bool(a, 7);
    assert_int_equal(v->type, BLOG_VALUE_BOOL);
    assert_int_equal(v->u.boolean, 1);

    v = blog_value_number(a, 2.5);
    assert_int_equal(v->type, BLOG_VALUE_NUMBER);
    assert_true(v->u.number == 2.5);

    v = blog_value_string(a, (const u_char *) "abc", 3);
    assert_int_equal(v->type, BLOG_VALUE_STRING);
    assert_bstr_equal(v->u.string, "abc");

    list = blog_value_list(a);
    assert_int_equal(list->type, BLOG_VALUE_LIST);
    assert_int_equal(list->u.list.n, 0);

    for (i = 0; i < 5000; i++) {
        assert_int_equal(blog_value_push(a, list, blog_value_number(a, i)),
                         BLOG_OK);
    }

    assert_int_equal(list->u.list.n, 5000);

    for (i = 0; i < 5000; i++) {
        assert_true(list->u.list.items[i]->u.number == (double) i);
    }

    v = blog_value_map(a);
    assert_int_equal(v->type, BLOG_VALUE_MAP);
    assert_int_equal(v->u.map.n, 0);

    blog_arena_destroy(a);
}


/*
 * Random templates from Mustache's own pieces: each compiles or fails
 * cleanly, and renders within bounds.  Valgrind and the sanitizers look
 * for the rest.
 */

static void
test_fuzz_smoke(void **state)
{
    int                     rc;
    size_t                  i, k, n, done;
    uint64_t                seed;
    blog_buf_t              src, out;
    blog_arena_t           *a;
    blog_value_t           *data;
    blog_tmpl_set_t        *set;
    blog_problem_detail_t   pd;

    static const char  *pieces[] = {
        "{{", "}}", "{{{", "}}}", "{{#", "{{^", "{{/", "{{!", "{{>", "{{&",
        "{{=", "=}}", "<%", "%>", "{{=<% %>=}}", "<%={{ }}=%>", "a", "b",
        "l", "m", ".", "a.b", " ", "\t", "\n", "\r\n", "\r", "x", "{{a}}",
        "{{#l}}", "{{/l}}", "{{^m}}", "{{/m}}", "{{>p}}", "{{>q}}",
        "  {{>p}}\n", "{{.}}", "<", "&", "\"", "'", "=", "}", "{", "#", "/"
    };

    static const char  data_json[] =
        "{\"a\": {\"b\": \"<b>\"}, \"b\": 1.5, \"l\": [1, {\"a\": \"x\"},"
        " [true], null], \"m\": {\"l\": [\"y\"]}, \"x\": \"&\"}";

    blog_buf_init(&src);
    blog_buf_init(&out);

    a = blog_arena_create();
    set = blog_tmpl_set_create();
    assert_non_null(a);
    assert_non_null(set);

    data = json_parse(a, (const u_char *) data_json, sizeof(data_json) - 1);
    assert_non_null(data);

    seed = 0x2545f4914f6cdd1dULL;
    done = 0;

    for (i = 0; i < 6000; i++) {
        blog_buf_free(&src);

        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        n = (seed >> 33) % 40;

        for (k = 0; k < n; k++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            blog_buf_adds(&src, pieces[(seed >> 33) % UNIT_ARRAY(pieces)]);
        }

        rc = blog_tmpl_add(set, (i % 3 == 0) ? "p" : (i % 3 == 1) ? "q" : "t",
                           src.data, src.len, &pd);

        if (rc != BLOG_OK) {
            assert_int_equal(rc, BLOG_ERROR);
            assert_non_null(pd.reason);
            assert_true(pd.line >= 1);
            continue;
        }

        done++;

        blog_buf_free(&out);
        rc = blog_tmpl_render(set, "t", data, &out);
        assert_true(rc == BLOG_OK || rc == BLOG_ERROR || rc == BLOG_DECLINED);

        rc = blog_tmpl_render(set, "p", data, &out);
        assert_true(rc == BLOG_OK || rc == BLOG_ERROR || rc == BLOG_DECLINED);
    }

    printf("# fuzz smoke: %zu of 6000 random templates compiled\n", done);

    assert_true(done > 100);

    blog_buf_free(&src);
    blog_buf_free(&out);
    blog_tmpl_set_free(set);
    blog_arena_destroy(a);
}


int
main(void)
{
    int                 rc;
    DIR                *dir;
    char              **names, *name;
    size_t              i, n, len, size;
    struct dirent      *de;
    struct CMUnitTest  *tests;

    static const struct CMUnitTest  own[] = {
        cmocka_unit_test(test_compile_errors),
        cmocka_unit_test(test_failed_add_keeps_set),
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_partial_indent),
        cmocka_unit_test(test_missing),
        cmocka_unit_test(test_replace),
        cmocka_unit_test(test_recursion_cap),
        cmocka_unit_test(test_step_cap),
        cmocka_unit_test(test_deep_tree),
        cmocka_unit_test(test_arena),
        cmocka_unit_test(test_value_get),
        cmocka_unit_test(test_value_types),
        cmocka_unit_test(test_fuzz_smoke),
    };

    /* the six core files, and any other JSON file the folder holds */

    size = UNIT_ARRAY(spec_files) + 64;
    names = calloc(size, sizeof(char *));
    tests = calloc(UNIT_ARRAY(own) + size + 1, sizeof(struct CMUnitTest));

    if (names == NULL || tests == NULL) {
        return 1;
    }

    n = 0;
    dir = opendir(spec_dir());
    spec_dir_errno = errno;

    if (dir != NULL) {
        for (i = 0; i < UNIT_ARRAY(spec_files); i++) {
            names[n++] = strdup(spec_files[i]);
        }

        while ((de = readdir(dir)) != NULL && n < size) {
            len = strlen(de->d_name);

            if (len <= 5 || strcmp(de->d_name + len - 5, ".json") != 0) {
                continue;
            }

            for (i = 0; i < UNIT_ARRAY(spec_files); i++) {
                if (strcmp(de->d_name, spec_files[i]) == 0) {
                    break;
                }
            }

            if (i == UNIT_ARRAY(spec_files)) {
                names[n++] = strdup(de->d_name);
            }
        }

        closedir(dir);

        qsort(names, n, sizeof(char *), spec_name_cmp);
    }

    for (i = 0; i < UNIT_ARRAY(own); i++) {
        tests[i] = own[i];
    }

    for (i = 0; i < n; i++) {
        name = malloc(strlen(names[i]) + sizeof("mustache spec "));

        if (name == NULL || names[i] == NULL) {
            return 1;
        }

        sprintf(name, "mustache spec %s", names[i]);

        tests[UNIT_ARRAY(own) + i].name = name;
        tests[UNIT_ARRAY(own) + i].test_func = test_spec_file;
        tests[UNIT_ARRAY(own) + i].initial_state = names[i];
    }

    if (n == 0) {
        tests[UNIT_ARRAY(own)].name = "mustache spec";
        tests[UNIT_ARRAY(own)].test_func = test_spec_missing;
        n = 1;
    }

    rc = _cmocka_run_group_tests("test_blog_template", tests,
                                 UNIT_ARRAY(own) + n, NULL, NULL);

    for (i = UNIT_ARRAY(own); i < UNIT_ARRAY(own) + n; i++) {
        if (tests[i].initial_state != NULL) {
            free((char *) tests[i].name);
            free(tests[i].initial_state);
        }
    }

    free(names);
    free(tests);

    return rc;
}
