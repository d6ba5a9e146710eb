
/*
 * blog_front_matter.c: the header in YAML, TOML or JSON, its tree, fields and
 * their lines, where the body starts, and the errors (with the line of the
 * file, the opening "---" being line 1) that a post's author would see.
 */


#include "unit.h"


#define UNIT_MAX_BYTES  4096
#define UNIT_MAX_DEPTH  8


static int fm_parse(blog_fm_t *fm, const char *text, size_t max_bytes,
    unsigned max_depth, blog_problem_detail_t *pd);
static void assert_field(blog_fm_t *fm, const char *key, const char *value,
    unsigned line, unsigned list);
static void test_fm_none(void **state);
static void test_fm_not_a_fence(void **state);
static void test_fm_fields(void **state);
static void test_fm_scalar_styles(void **state);
static void test_fm_empty(void **state);
static void test_fm_closing_dots(void **state);
static void test_fm_crlf(void **state);
static void test_fm_bom(void **state);
static void test_fm_leading_blank_lines(void **state);
static void test_fm_lists(void **state);
static void test_fm_nested_skipped(void **state);
static void test_fm_alias_not_expanded(void **state);
static void test_fm_invalid_yaml(void **state);
static void test_fm_invalid_yaml_lines(void **state);
static void test_fm_field_lines(void **state);
static void test_fm_not_mapping_list(void **state);
static void test_fm_not_mapping_scalar(void **state);
static void test_fm_unclosed(void **state);
static void test_fm_too_deep(void **state);
static void test_fm_too_deep_in_list(void **state);
static void test_fm_deep_within_cap(void **state);
static void test_fm_too_big(void **state);
static void test_fm_tree(void **state);
static void test_fm_taxonomies(void **state);
static void test_fm_json(void **state);
static void test_fm_json_errors(void **state);
static void test_fm_json_not_shortcode(void **state);
static void test_fm_toml_fence(void **state);


static int
fm_parse(blog_fm_t *fm, const char *text, size_t max_bytes,
    unsigned max_depth, blog_problem_detail_t *pd)
{
    memset(pd, 0, sizeof(blog_problem_detail_t));

    return blog_fm_parse(fm, (const u_char *) text, strlen(text), max_bytes,
                         max_depth, pd);
}


static void
assert_field(blog_fm_t *fm, const char *key, const char *value,
    unsigned line, unsigned list)
{
    blog_fm_field_t  *f;

    f = blog_fm_get(fm, key);

    if (f == NULL) {
        fail_msg("no field \"%s\"", key);
    }

    assert_bstr_equal(f->value, value);
    assert_int_equal(f->line, line);
    assert_int_equal(f->list, list);
}


static void
test_fm_none(void **state)
{
    blog_fm_t               fm;
    const char             *text;
    blog_problem_detail_t   pd;

    text = "# Hello\n\nNo header here.\n";

    assert_int_equal(fm_parse(&fm, text, UNIT_MAX_BYTES, UNIT_MAX_DEPTH, &pd),
                     BLOG_OK);
    assert_int_equal(fm.nfields, 0);
    assert_ptr_equal(fm.body, text);
    assert_int_equal(fm.body_len, strlen(text));
    assert_int_equal(fm.body_line, 1);
    assert_null(blog_fm_get(&fm, "title"));

    blog_fm_free(&fm);
}


static void
test_fm_not_a_fence(void **state)
{
    blog_fm_t               fm;
    const char             *text;
    blog_problem_detail_t   pd;

    /* a thematic break of four dashes is Markdown, not a header */

    text = "----\ntitle: x\n---\nBody\n";

    assert_int_equal(fm_parse(&fm, text, UNIT_MAX_BYTES, UNIT_MAX_DEPTH, &pd),
                     BLOG_OK);
    assert_int_equal(fm.nfields, 0);
    assert_ptr_equal(fm.body, text);
    assert_int_equal(fm.body_len, strlen(text));

    blog_fm_free(&fm);
}


static void
test_fm_fields(void **state)
{
    blog_fm_t               fm;
    const char             *text;
    blog_problem_detail_t   pd;

    text = "---\n"
           "title: Hello, world\n"
           "date: 2026-06-05\n"
           "\n"
           "draft: true\n"
           "---\n"
           "Body text.\n";

    assert_int_equal(fm_parse(&fm, text, UNIT_MAX_BYTES, UNIT_MAX_DEPTH, &pd),
                     BLOG_OK);
    assert_int_equal(fm.nfields, 3);

    assert_field(&fm, "title", "Hello, world", 2, 0);
    assert_field(&fm, "date", "2026-06-05", 3, 0);
    assert_field(&fm, "draft", "true", 5, 0);
    assert_null(blog_fm_get(&fm, "tags"));

    assert_int_equal(fm.body_len, strlen("Body text.\n"));
    assert_memory_equal(fm.body, "Body text.\n", fm.body_len);
    assert_int_equal(fm.body_line, 7);

    blog_fm_free(&fm);
    assert_int_equal(fm.nfields, 0);
}


static void
test_fm_scalar_styles(void **state)
{
    blog_fm_t               fm;
    const char             *text;
    blog_problem_detail_t   pd;

    text = "---\n"
           "title: \"A: B\"\n"
           "quote: 'It''s'\n"
           "description: |\n"
           "  line one\n"
           "  line two\n"
           "empty:\n"
           "---\n";

    assert_int_equal(fm_parse(&fm, text, UNIT_MAX_BYTES, UNIT_MAX_DEPTH, &pd),
                     BLOG_OK);

    assert_field(&fm, "title", "A: B", 2, 0);
    assert_field(&fm, "quote", "It's", 3, 0);
    assert_field(&fm, "description", "line one\nline two\n", 4, 0);
    assert_field(&fm, "empty", "", 7, 0);

    assert_int_equal(fm.body_len, 0);
    assert_int_equal(fm.body_line, 9);

    blog_fm_free(&fm);
}


static void
test_fm_empty(void **state)
{
    blog_fm_t               fm;
    const char             *text;
    blog_problem_detail_t   pd;

    text = "---\n---\nBody";

    assert_int_equal(fm_parse(&fm, text, UNIT_MAX_BYTES, UNIT_MAX_DEPTH, &pd),
                     BLOG_OK);
    assert_int_equal(fm.nfields, 0);
    assert_int_equal(fm.body_len, 4);
    assert_memory_equal(fm.body, "Body", 4);
    assert_int_equal(fm.body_line, 3);
    blog_fm_free(&fm);

    text = "---\n# only a comment\n\n---\nBody";

    assert_int_equal(fm_parse(&fm, text, UNIT_MAX_BYTES, UNIT_MAX_DEPTH, &pd),
                     BLOG_OK);
    assert_int_equal(fm.nfields, 0);
    assert_int_equal(fm.body_line, 5);
    assert_memory_equal(fm.body, "Body", 4);
    blog_fm_free(&fm);
}


static void
test_fm_closing_dots(void **state)
{
    blog_fm_t               fm;
    const char             *text;
    blog_problem_detail_t   pd;

    text = "---\ntitle: x\n...\nBody\n";

    assert_int_equal(fm_parse(&fm, text, UNIT_MAX_BYTES, UNIT_MAX_DEPTH, &pd),
                     BLOG_OK);
    assert_field(&fm, "title", "x", 2, 0);
    assert_int_equal(fm.body_len, 5);
    assert_memory_equal(fm.body, "Body\n", 5);
    assert_int_equal(fm.body_line, 4);

    blog_fm_free(&fm);
}


static void
test_fm_crlf(void **state)
{
    blog_fm_t               fm;
    const char             *text;
    blog_problem_detail_t   pd;

    text = "---\r\n"
           "title: Hello\r\n"
           "tags:\r\n"
           "  - a\r\n"
           "  - b\r\n"
           "---\r\n"
           "Body\r\n";

    assert_int_equal(fm_parse(&fm, text, UNIT_MAX_BYTES, UNIT_MAX_DEPTH, &pd),
                     BLOG_OK);
    assert_int_equal(fm.nfields, 2);
    assert_field(&fm, "title", "Hello", 2, 0);
    assert_field(&fm, "tags", "a\nb", 3, 1);

    assert_int_equal(fm.body_len, 6);
    assert_memory_equal(fm.body, "Body\r\n", 6);
    assert_int_equal(fm.body_line, 7);

    blog_fm_free(&fm);
}


static void
test_fm_bom(void **state)
{
    blog_fm_t               fm;
    const char             *text;
    blog_problem_detail_t   pd;

    text = "\xef\xbb\xbf---\ntitle: Hi\n---\nBody";

    assert_int_equal(fm_parse(&fm, text, UNIT_MAX_BYTES, UNIT_MAX_DEPTH, &pd),
                     BLOG_OK);
    assert_int_equal(fm.nfields, 1);
    assert_field(&fm, "title", "Hi", 2, 0);
    assert_int_equal(fm.body_len, 4);
    assert_memory_equal(fm.body, "Body", 4);
    assert_int_equal(fm.body_line, 4);
    blog_fm_free(&fm);

    /* no header: the body still leaves the mark out */

    text = "\xef\xbb\xbf# Title\n";

    assert_int_equal(fm_parse(&fm, text, UNIT_MAX_BYTES, UNIT_MAX_DEPTH, &pd),
                     BLOG_OK);
    assert_int_equal(fm.nfields, 0);
    assert_int_equal(fm.body_len, 8);
    assert_memory_equal(fm.body, "# Title\n", 8);
    blog_fm_free(&fm);
}


/*
 * Hugo skips blank lines before the opening "---" (pageparser's
 * lexIntroSection); 137 of the 171 posts of shared/corpus/hugo-posts start
 * with one.
 */

static void
test_fm_leading_blank_lines(void **state)
{
    blog_fm_t               fm;
    const char             *text;
    blog_problem_detail_t   pd;

    text = "\n"
           "---\n"
           "date: 2017-08-07\n"
           "title: \"Hugo 0.26\"\n"
           "---\n"
           "\n"
           "Body\n";

    assert_int_equal(fm_parse(&fm, text, UNIT_MAX_BYTES, UNIT_MAX_DEPTH, &pd),
                     BLOG_OK);
    assert_int_equal(fm.nfields, 2);
    assert_field(&fm, "date", "2017-08-07", 3, 0);
    assert_field(&fm, "title", "Hugo 0.26", 4, 0);
    assert_int_equal(fm.body_len, 6);
    assert_memory_equal(fm.body, "\nBody\n", 6);
    assert_int_equal(fm.body_line, 6);

    blog_fm_free(&fm);
}


static void
test_fm_lists(void **state)
{
    blog_fm_t               fm;
    const char             *text;
    blog_problem_detail_t   pd;

    text = "---\n"
           "tags:\n"
           "  - go\n"
           "  - web dev\n"
           "  - \"a, b\"\n"
           "flow: [x, y]\n"
           "none: []\n"
           "one: [solo]\n"
           "scalar: go, web\n"
           "---\n";

    assert_int_equal(fm_parse(&fm, text, UNIT_MAX_BYTES, UNIT_MAX_DEPTH, &pd),
                     BLOG_OK);
    assert_int_equal(fm.nfields, 5);

    assert_field(&fm, "tags", "go\nweb dev\na, b", 2, 1);
    assert_field(&fm, "flow", "x\ny", 6, 1);
    assert_field(&fm, "none", "", 7, 1);
    assert_field(&fm, "one", "solo", 8, 1);
    assert_field(&fm, "scalar", "go, web", 9, 0);

    blog_fm_free(&fm);
}


static void
test_fm_nested_skipped(void **state)
{
    blog_fm_t               fm;
    const char             *text;
    blog_problem_detail_t   pd;

    text = "---\n"
           "title: T\n"
           "author:\n"
           "  name: X\n"
           "  links: [a, b]\n"
           "list:\n"
           "  - plain\n"
           "  - {k: v}\n"
           "  - [n1, n2]\n"
           "later: z\n"
           "---\n"
           "Body\n";

    assert_int_equal(fm_parse(&fm, text, UNIT_MAX_BYTES, UNIT_MAX_DEPTH, &pd),
                     BLOG_OK);

    assert_field(&fm, "title", "T", 2, 0);
    assert_field(&fm, "later", "z", 10, 0);

    /* only the scalars of a list are kept */
    assert_field(&fm, "list", "plain", 6, 1);

    assert_null(blog_fm_get(&fm, "author"));
    assert_null(blog_fm_get(&fm, "name"));
    assert_null(blog_fm_get(&fm, "links"));
    assert_null(blog_fm_get(&fm, "k"));
    assert_int_equal(fm.nfields, 3);
    assert_int_equal(fm.body_line, 12);

    blog_fm_free(&fm);
}


static void
test_fm_alias_not_expanded(void **state)
{
    blog_fm_t               fm;
    const char             *text;
    blog_fm_field_t        *f;
    blog_problem_detail_t   pd;

    text = "---\n"
           "a: &x foo\n"
           "b: *x\n"
           "c: [*x, bar]\n"
           "---\n";

    assert_int_equal(fm_parse(&fm, text, UNIT_MAX_BYTES, UNIT_MAX_DEPTH, &pd),
                     BLOG_OK);

    assert_field(&fm, "a", "foo", 2, 0);

    f = blog_fm_get(&fm, "b");
    if (f != NULL) {
        assert_int_equal(f->value.len, 0);
    }

    f = blog_fm_get(&fm, "c");
    assert_non_null(f);
    assert_bstr_equal(f->value, "bar");

    blog_fm_free(&fm);
}


static void
test_fm_invalid_yaml(void **state)
{
    blog_fm_t               fm;
    const char             *text;
    blog_problem_detail_t   pd;

    text = "---\n"
           "title: ok\n"
           "bad: a: b\n"
           "date: 2026-06-05\n"
           "---\n"
           "Body\n";

    assert_int_equal(fm_parse(&fm, text, UNIT_MAX_BYTES, UNIT_MAX_DEPTH, &pd),
                     BLOG_ERROR);
    assert_int_equal(pd.line, 3);
    assert_non_null(pd.reason);
    assert_contains(pd.reason, "YAML");
    assert_int_equal(fm.nfields, 0);
    assert_null(fm.fields);
}


static void
test_fm_invalid_yaml_lines(void **state)
{
    size_t                  i;
    blog_fm_t               fm;
    blog_problem_detail_t   pd;
    struct {
        const char         *text;
        unsigned            line;
    } cases[] = {
        { "---\ntitle: ok\ndate: 2026\n- item\nx: y\n---\n", 4 },
        { "---\ntitle: ok\ntags: [a, b\nx: y\n---\n", 4 },
        { "---\ntitle: x\n\ttab: y\n---\n", 3 },
        { "---\n\n\n\nk: v\nk2: [\n", 0 },
        /* a control character: libyaml's reader names a byte offset */
        { "---\ntitle: ok\ndate: 2026\nx: \"a\x01\"\n---\n", 4 },
        /* a lone CR is no line break to an editor */
        { "---\ntitle: ok\rdate: 2026\n- item\n---\n", 3 },
        /* multibyte characters before: libyaml's marks count characters */
        { "---\ntitle: \"\xc3\xa9t\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80\"\n"
          "date: 2026\n- item\n---\n", 4 },
        { "---\ntitle: \xc3\xa9\ntags: [\xc3\xa9, b\nx: y\n---\n", 4 },
    };

    for (i = 0; i < UNIT_ARRAY(cases); i++) {
        if (cases[i].line == 0) {
            /* no closing fence: the error names the opening one */
            cases[i].line = 1;
        }

        assert_int_equal(fm_parse(&fm, cases[i].text, UNIT_MAX_BYTES,
                                  UNIT_MAX_DEPTH, &pd),
                         BLOG_ERROR);

        if (pd.line != cases[i].line) {
            fail_msg("case %zu: line %u, expected %u (%s)", i, pd.line,
                     cases[i].line, pd.reason);
        }
    }
}


/* the line of each field, after ASCII and after multibyte characters */

static void
test_fm_field_lines(void **state)
{
    blog_fm_t               fm;
    blog_problem_detail_t   pd;

    assert_int_equal(fm_parse(&fm, "---\n\ntitle: T\n# note\n\n"
                                   "tags:\n  - a\n  - b\ndate: 2026-01-01\n"
                                   "---\n",
                              UNIT_MAX_BYTES, UNIT_MAX_DEPTH, &pd),
                     BLOG_OK);
    assert_field(&fm, "title", "T", 3, 0);
    assert_field(&fm, "tags", "a\nb", 6, 1);
    assert_field(&fm, "date", "2026-01-01", 9, 0);
    blog_fm_free(&fm);

    assert_int_equal(fm_parse(&fm, "---\ntitle: \"\xc3\xa9\xe2\x80\x94\"\n"
                                   "# \xf0\x9f\x98\x80\n"
                                   "tags: [\xc3\xa9]\ndate: 2026-01-01\n---\n",
                              UNIT_MAX_BYTES, UNIT_MAX_DEPTH, &pd),
                     BLOG_OK);
    assert_field(&fm, "title", "\xc3\xa9\xe2\x80\x94", 2, 0);
    assert_field(&fm, "tags", "\xc3\xa9", 4, 1);
    assert_field(&fm, "date", "2026-01-01", 5, 0);
    blog_fm_free(&fm);
}


static void
test_fm_not_mapping_list(void **state)
{
    blog_fm_t               fm;
    blog_problem_detail_t   pd;

    assert_int_equal(fm_parse(&fm, "---\n- a\n- b\n---\nBody\n",
                              UNIT_MAX_BYTES, UNIT_MAX_DEPTH, &pd),
                     BLOG_ERROR);
    assert_int_equal(pd.line, 2);
    assert_contains(pd.reason, "mapping");
}


static void
test_fm_not_mapping_scalar(void **state)
{
    blog_fm_t               fm;
    blog_problem_detail_t   pd;

    assert_int_equal(fm_parse(&fm, "---\n\njust some text\n---\nBody\n",
                              UNIT_MAX_BYTES, UNIT_MAX_DEPTH, &pd),
                     BLOG_ERROR);
    assert_int_equal(pd.line, 3);
    assert_contains(pd.reason, "mapping");
}


static void
test_fm_unclosed(void **state)
{
    blog_fm_t               fm;
    blog_problem_detail_t   pd;

    assert_int_equal(fm_parse(&fm, "---\ntitle: x\n\nBody text\n",
                              UNIT_MAX_BYTES, UNIT_MAX_DEPTH, &pd),
                     BLOG_ERROR);
    assert_int_equal(pd.line, 1);
    assert_contains(pd.reason, "closing");

    assert_int_equal(fm_parse(&fm, "---\n", UNIT_MAX_BYTES, UNIT_MAX_DEPTH,
                              &pd),
                     BLOG_ERROR);
    assert_contains(pd.reason, "closing");
}


static void
test_fm_too_deep(void **state)
{
    blog_fm_t               fm;
    const char             *text;
    blog_problem_detail_t   pd;

    text = "---\n"
           "title: T\n"
           "a:\n"
           "  b:\n"
           "    c:\n"
           "      d: e\n"
           "---\n";

    assert_int_equal(fm_parse(&fm, text, UNIT_MAX_BYTES, 3, &pd), BLOG_ERROR);
    assert_int_equal(pd.line, 6);
    assert_contains(pd.reason, "deeper than 3");
    assert_int_equal(fm.nfields, 0);

    /* one more level allowed: the same header is fine */

    assert_int_equal(fm_parse(&fm, text, UNIT_MAX_BYTES, 4, &pd), BLOG_OK);
    assert_field(&fm, "title", "T", 2, 0);
    assert_int_equal(fm.nfields, 1);
    blog_fm_free(&fm);
}


static void
test_fm_too_deep_in_list(void **state)
{
    blog_fm_t               fm;
    blog_problem_detail_t   pd;

    assert_int_equal(fm_parse(&fm, "---\ntags: [[[[x]]]]\n---\n",
                              UNIT_MAX_BYTES, 3, &pd),
                     BLOG_ERROR);
    assert_int_equal(pd.line, 2);
    assert_contains(pd.reason, "deeper than 3");
}


/*
 * Nesting well past the few levels a header is first given room for, up
 * to the cap and one past it, in maps and in lists.
 */

static void
test_fm_deep_within_cap(void **state)
{
    char                    text[4096];
    size_t                  len, i;
    unsigned                depth;
    blog_fm_t               fm;
    blog_node_t            *node;
    blog_problem_detail_t   pd;

    for (depth = 2; depth <= 40; depth++) {

        /* "title: T", then "a:" nested depth - 1 levels deep under "n" */

        len = snprintf(text, sizeof(text), "---\ntitle: T\nn:\n");

        for (i = 2; i < depth; i++) {
            len += snprintf(text + len, sizeof(text) - len, "%*sa:\n",
                            (int) (2 * (i - 1)), "");
        }

        len += snprintf(text + len, sizeof(text) - len,
                        "%*sa: x\ntags: ", (int) (2 * (depth - 1)), "");

        for (i = 1; i < depth; i++) {
            text[len++] = '[';
        }

        len += snprintf(text + len, sizeof(text) - len, "t");

        for (i = 1; i < depth; i++) {
            text[len++] = ']';
        }

        snprintf(text + len, sizeof(text) - len, "\n---\n");

        assert_int_equal(fm_parse(&fm, text, UNIT_MAX_BYTES, depth, &pd),
                         BLOG_OK);
        assert_field(&fm, "title", "T", 2, 0);

        for (node = blog_node_get(fm.root, "n"), i = 2;
             i < depth;
             node = blog_node_get(node, "a"), i++)
        {
            assert_non_null(node);
        }

        assert_non_null(node);
        assert_bstr_equal(blog_node_get(node, "a")->text, "x");
        blog_fm_free(&fm);

        assert_int_equal(fm_parse(&fm, text, UNIT_MAX_BYTES, depth - 1, &pd),
                         BLOG_ERROR);
        assert_contains(pd.reason, "deeper than");
    }
}


static void
test_fm_too_big(void **state)
{
    blog_fm_t               fm;
    const char             *text;
    blog_problem_detail_t   pd;

    /* the header between the fences is 29 bytes */

    text = "---\n"
           "title: abcdefghijklmnopqrstu\n"
           "---\n"
           "Body\n";

    assert_int_equal(fm_parse(&fm, text, 28, UNIT_MAX_DEPTH, &pd),
                     BLOG_ERROR);
    assert_non_null(pd.reason);
    assert_contains(pd.reason, "larger than 28");
    assert_int_equal(fm.nfields, 0);

    assert_int_equal(fm_parse(&fm, text, 29, UNIT_MAX_DEPTH, &pd), BLOG_OK);
    assert_field(&fm, "title", "abcdefghijklmnopqrstu", 2, 0);
    blog_fm_free(&fm);
}


/* the whole header as a tree: nested maps and lists, typed plain scalars */

static void
test_fm_tree(void **state)
{
    blog_fm_t               fm;
    const char             *text;
    blog_node_t            *extra, *n;
    blog_problem_detail_t   pd;

    text = "---\n"
           "title: Tree\n"
           "featured: true\n"
           "quoted: \"false\"\n"
           "empty:\n"
           "extra:\n"
           "  author: { name: Ann, links: [a, b] }\n"
           "  series: 2\n"
           "---\n"
           "Body\n";

    assert_int_equal(fm_parse(&fm, text, UNIT_MAX_BYTES, UNIT_MAX_DEPTH, &pd),
                     BLOG_OK);
    assert_non_null(fm.root);
    assert_int_equal(fm.root->type, BLOG_NODE_MAP);
    assert_int_equal(fm.root->n, 5);

    assert_int_equal(blog_node_get(fm.root, "featured")->type,
                     BLOG_NODE_BOOL);
    assert_int_equal(blog_node_get(fm.root, "quoted")->type,
                     BLOG_NODE_STRING);
    assert_int_equal(blog_node_get(fm.root, "empty")->type, BLOG_NODE_NULL);

    extra = blog_node_get(fm.root, "extra");
    assert_non_null(extra);
    assert_int_equal(extra->type, BLOG_NODE_MAP);
    assert_int_equal(extra->line, 6);

    n = blog_node_get(blog_node_get(extra, "author"), "links");
    assert_non_null(n);
    assert_int_equal(n->type, BLOG_NODE_LIST);
    assert_int_equal(n->n, 2);
    assert_bstr_equal(n->last->text, "b");

    /* a map is no field; its scalars are not fields either */
    assert_null(blog_fm_get(&fm, "extra"));
    assert_null(blog_fm_get(&fm, "series"));
    assert_field(&fm, "title", "Tree", 2, 0);

    blog_fm_free(&fm);
    assert_null(fm.root);
}


/* Zola's [taxonomies]: tags and categories, unless set at the top */

static void
test_fm_taxonomies(void **state)
{
    blog_fm_t               fm;
    const char             *text;
    blog_problem_detail_t   pd;

    text = "---\n"
           "title: Zola\n"
           "taxonomies:\n"
           "  tags: [rust, web]\n"
           "  categories: [notes]\n"
           "---\n";

    assert_int_equal(fm_parse(&fm, text, UNIT_MAX_BYTES, UNIT_MAX_DEPTH, &pd),
                     BLOG_OK);
    assert_field(&fm, "tags", "rust\nweb", 4, 1);
    assert_field(&fm, "categories", "notes", 5, 1);
    blog_fm_free(&fm);

    text = "---\n"
           "tags: [top]\n"
           "taxonomies:\n"
           "  tags: [rust]\n"
           "---\n";

    assert_int_equal(fm_parse(&fm, text, UNIT_MAX_BYTES, UNIT_MAX_DEPTH, &pd),
                     BLOG_OK);
    assert_field(&fm, "tags", "top", 2, 1);
    blog_fm_free(&fm);
}


/* Hugo's JSON front matter: an object, then the body */

static void
test_fm_json(void **state)
{
    blog_fm_t               fm;
    const char             *text;
    blog_node_t            *n;
    blog_problem_detail_t   pd;

    text = "{\n"
           "  \"title\": \"In JSON\",\n"
           "  \"date\": \"2024-03-01\",\n"
           "  \"tags\": [\"a\", \"b\"],\n"
           "  \"draft\": false,\n"
           "  \"weight\": 3,\n"
           "  \"params\": { \"x\": [1.5, null] }\n"
           "}\n"
           "Body {of} text\n";

    assert_int_equal(fm_parse(&fm, text, UNIT_MAX_BYTES, UNIT_MAX_DEPTH, &pd),
                     BLOG_OK);
    assert_field(&fm, "title", "In JSON", 1, 0);
    assert_field(&fm, "tags", "a\nb", 1, 1);
    assert_field(&fm, "draft", "false", 1, 0);
    assert_field(&fm, "weight", "3", 1, 0);

    n = blog_node_get(blog_node_get(fm.root, "params"), "x");
    assert_non_null(n);
    assert_int_equal(n->child->type, BLOG_NODE_FLOAT);
    assert_bstr_equal(n->child->text, "1.5");
    assert_int_equal(n->last->type, BLOG_NODE_NULL);

    assert_int_equal(fm.body_line, 9);
    assert_int_equal(fm.body_len, strlen("Body {of} text\n"));
    assert_memory_equal(fm.body, "Body {of} text\n", fm.body_len);

    blog_fm_free(&fm);
}


static void
test_fm_json_errors(void **state)
{
    blog_fm_t               fm;
    const char             *text;
    blog_problem_detail_t   pd;

    text = "{\n"
           "  \"title\": \"x\",\n"
           "  \"date\": 2024-03-01\n"
           "}\n";

    assert_int_equal(fm_parse(&fm, text, UNIT_MAX_BYTES, UNIT_MAX_DEPTH, &pd),
                     BLOG_ERROR);
    assert_int_equal(pd.line, 3);
    assert_contains(pd.reason, "not valid JSON");
    assert_null(fm.root);

    text = "{ \"title\": \"a\",\n  \"title\": \"b\" }\n";

    assert_int_equal(fm_parse(&fm, text, UNIT_MAX_BYTES, UNIT_MAX_DEPTH, &pd),
                     BLOG_ERROR);
    assert_contains(pd.reason, "duplicate");

    text = "{ \"a\": [[[[[[[[[[[1]]]]]]]]]]] }\n";

    assert_int_equal(fm_parse(&fm, text, UNIT_MAX_BYTES, UNIT_MAX_DEPTH, &pd),
                     BLOG_ERROR);
    assert_string_equal(pd.reason, "front matter nests deeper than 8 levels");

    text = "{ \"title\": \"a very long title that will not fit\" }\n";

    assert_int_equal(fm_parse(&fm, text, 16, UNIT_MAX_DEPTH, &pd),
                     BLOG_ERROR);
    assert_string_equal(pd.reason, "front matter is larger than 16 bytes");

    /* a NUL byte, which jansson would skip miscounting */

    {
        static const char  nul[] = "{ \"a\": [1, false\0, 2]}\n}\n";

        memset(&pd, 0, sizeof(blog_problem_detail_t));
        assert_int_equal(blog_fm_parse(&fm, (const u_char *) nul,
                                       sizeof(nul) - 1, UNIT_MAX_BYTES,
                                       UNIT_MAX_DEPTH, &pd),
                         BLOG_ERROR);
        assert_string_equal(pd.reason,
                            "front matter is not valid JSON: a NUL byte");
        assert_int_equal(pd.line, 1);
    }
}


/* a body that opens with a shortcode or a brace is no JSON header */

static void
test_fm_json_not_shortcode(void **state)
{
    blog_fm_t               fm;
    const char             *text;
    blog_problem_detail_t   pd;

    text = "{{< youtube w7Ft2ymGmfc >}}\n\nText\n";

    assert_int_equal(fm_parse(&fm, text, UNIT_MAX_BYTES, UNIT_MAX_DEPTH, &pd),
                     BLOG_OK);
    assert_null(fm.root);
    assert_int_equal(fm.body_len, strlen(text));

    text = "{draft} notes\n";

    assert_int_equal(fm_parse(&fm, text, UNIT_MAX_BYTES, UNIT_MAX_DEPTH, &pd),
                     BLOG_OK);
    assert_null(fm.root);
}


/* "+++" fences: TOML, with the body after the closing one */

static void
test_fm_toml_fence(void **state)
{
    blog_fm_t               fm;
    const char             *text;
    blog_problem_detail_t   pd;

    text = "+++\n"
           "title = \"In TOML\"\n"
           "date = 2024-03-01T10:00:00Z\n"
           "tags = [\"a\", \"b\"]\n"
           "[taxonomies]\n"
           "categories = [\"c\"]\n"
           "+++\n"
           "Body\n";

    assert_int_equal(fm_parse(&fm, text, UNIT_MAX_BYTES, UNIT_MAX_DEPTH, &pd),
                     BLOG_OK);
    assert_field(&fm, "title", "In TOML", 2, 0);
    assert_field(&fm, "date", "2024-03-01T10:00:00Z", 3, 0);
    assert_field(&fm, "tags", "a\nb", 4, 1);
    assert_field(&fm, "categories", "c", 6, 1);
    assert_int_equal(fm.body_line, 8);
    blog_fm_free(&fm);

    text = "+++\n"
           "title = \"x\"\n"
           "title = \"y\"\n"
           "+++\n";

    assert_int_equal(fm_parse(&fm, text, UNIT_MAX_BYTES, UNIT_MAX_DEPTH, &pd),
                     BLOG_ERROR);
    assert_int_equal(pd.line, 3);
    assert_contains(pd.reason, "TOML");

    text = "+++\n"
           "title = \"x\"\n";

    assert_int_equal(fm_parse(&fm, text, UNIT_MAX_BYTES, UNIT_MAX_DEPTH, &pd),
                     BLOG_ERROR);
    assert_int_equal(pd.line, 1);
    assert_string_equal(pd.reason,
                        "front matter has no closing \"+++\" line");
}


int
main(void)
{
    const struct CMUnitTest  tests[] = {
        cmocka_unit_test(test_fm_none),
        cmocka_unit_test(test_fm_not_a_fence),
        cmocka_unit_test(test_fm_fields),
        cmocka_unit_test(test_fm_scalar_styles),
        cmocka_unit_test(test_fm_empty),
        cmocka_unit_test(test_fm_closing_dots),
        cmocka_unit_test(test_fm_crlf),
        cmocka_unit_test(test_fm_bom),
        cmocka_unit_test(test_fm_leading_blank_lines),
        cmocka_unit_test(test_fm_lists),
        cmocka_unit_test(test_fm_nested_skipped),
        cmocka_unit_test(test_fm_alias_not_expanded),
        cmocka_unit_test(test_fm_invalid_yaml),
        cmocka_unit_test(test_fm_invalid_yaml_lines),
        cmocka_unit_test(test_fm_field_lines),
        cmocka_unit_test(test_fm_not_mapping_list),
        cmocka_unit_test(test_fm_not_mapping_scalar),
        cmocka_unit_test(test_fm_unclosed),
        cmocka_unit_test(test_fm_too_deep),
        cmocka_unit_test(test_fm_too_deep_in_list),
        cmocka_unit_test(test_fm_deep_within_cap),
        cmocka_unit_test(test_fm_too_big),
        cmocka_unit_test(test_fm_tree),
        cmocka_unit_test(test_fm_taxonomies),
        cmocka_unit_test(test_fm_json),
        cmocka_unit_test(test_fm_json_errors),
        cmocka_unit_test(test_fm_json_not_shortcode),
        cmocka_unit_test(test_fm_toml_fence),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
