
/*
 * The simple YAML reader (blog_front_matter_simple.c): it reads the
 * headers it accepts to the tree libyaml reads them to, declines what it
 * does not know, and leaves libyaml's word on a header that is not valid.
 * The headers of the real blogs in ../shared/corpus are read by both
 * (BLOG_CORPUS_DIR elsewhere); skipped, saying so, when it is absent.
 */


#include "unit.h"


#define CORPUS_DIR  "../shared/corpus"


static blog_node_t *simple_read(const char *text, int expect);
static void assert_as_libyaml(const char *text);
static void test_simple_accepts(void **state);
static void test_simple_values(void **state);
static void test_simple_declines(void **state);
static void test_simple_errors_are_libyaml(void **state);
static void test_simple_corpus(void **state);
static int corpus_header(const u_char *text, size_t len, const u_char **p,
    size_t *n);


static const char  *accepted[] = {

    /* as make bench-scale writes them, and Hugo's archetype */
    "title: \"Gateway File Error 1\"\n"
    "date: 2012-01-01T08:21:00Z\n"
    "tags: [\"PostgreSQL\", \"DevOps\", \"Distributed Systems\"]\n"
    "description: \"User route build source output.\"\n",

    /* Jekyll's new site */
    "layout: post\n"
    "title:  Welcome to Jekyll!\n"
    "date:   2015-11-10 10:24:35 +0100\n"
    "categories: jekyll update\n",

    /* the Go blog's */
    "title: Hello, \xe4\xb8\xad\xe5\x9b\xbd!\n"
    "date: 2019-11-08\n"
    "by:\n"
    "- Russ Cox\n"
    "- Rob Pike\n"
    "tags:\n"
    "- community\n"
    "summary: Go\xe2\x80\x99s A\xc2\xa0" "conversation, it's here.\n",

    /* lists of every kind, comments, blank lines, nothing */
    "# a comment\n"
    "title: It's [here] {now}\n"
    "\n"
    "tags:\n"
    "  - one\n"
    "\n"
    "# between\n"
    "  - \"two # not a comment\"\n"
    "  - 'three: \\ still'\n"
    "draft: true\n"
    "summary:\n"
    "empty: []\n"
    "spaced: [ a b ,  c  ]\n"
    "none: ~\n"
    "also: NULL\n"
    "no: False\n"
    "quoted: \"true\"\n"
    "plain:   trailing   \n",

    /* CRLF, a key twice, a last line with no LF */
    "title: Caf\xc3\xa9 \xe2\x80\x94 na\xc3\xafve\r\n"
    "url: http://example.com/a#b\r\n"
    "tags:\r\n"
    "- C#\r\n"
    "- b c\r\n"
    "title: again\r\n"
    "last: \"one\"",

    "k-e_y9: v\n"
    "2019: a year\n"
    "x: ''\n"
    "y: \"\"\n"
};


static const char  *declined[] = {
    "title: a: b\n",                        /* libyaml refuses it */
    "title: ends with:\n",
    "title: \"a \\\" b\"\n",                /* an escape */
    "title: 'it''s'\n",
    "title: a # a comment\n",
    "title: \"a\" # a comment\n",
    "title: \"a\" b\n",
    "title: 'a\n  b'\n",                    /* folded */
    "title: a\n  b\n",
    "title: >\n  folded\n",
    "title: |\n  literal\n",
    "tags: [a, b,]\n",
    "tags: [a, [b]]\n",
    "tags: [a:b]\n",
    "tags: [a\n",
    "m:\n  k: v\n",                          /* a map in a map */
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "t:\tx\n",                              /* tabs */
    "t: a\tb\n",
    "t: a\xc2\x85" "b\n",                   /* NEL, a break to libyaml */
    "t: a\xe2\x80\xa8" "b\n",               /* LS */
    "t: \xef\xbb\xbf" "b\n",                /* BOM */
    "t: a\x7f\n",
    "t: a\rb\n",
    "tags:\n  - a\n - b\n",                 /* items at two indents */
    "tags:\n  - a\n    b\n",
    "tags:\n-\n",
    "tags:\n- - a\n",
    "tags:\n- k: v\n",
    "t: x\n- a\n",                          /* an item after a value */
    "- a\n- b\n",                           /* not a map */
    "key with space: v\n",
    "\"quoted key\": v\n",
    "? complex\n: v\n",
    "-k: v\n",
    "k:v\n",
    " k: v\n",
    "  # an indented comment\nk: v\n",
    "t: -x\n",
    "t: %x\n",
    "t: @x\n",
    "%YAML 1.1\n",
    "# only a comment\n",
    "\n\n",
    ""
};


static blog_node_t *
simple_read(const char *text, int expect)
{
    int           rc;
    blog_node_t  *root;

    rc = blog_fm_simple(&root, (const u_char *) text, strlen(text), 2, 64);

    if (rc != expect) {
        fail_msg("the simple reader gave %d, not %d, for \"%s\"", rc,
                 expect, text);
    }

    assert_true((rc == BLOG_OK) == (root != NULL));

    return root;
}


static void
assert_as_libyaml(const char *text)
{
    blog_node_t            *simple, *full;
    blog_problem_detail_t   pd;

    simple = simple_read(text, BLOG_OK);

    memset(&pd, 0, sizeof(blog_problem_detail_t));

    if (blog_fm_libyaml(&full, (const u_char *) text, strlen(text), 2, 64,
                        &pd)
        != BLOG_OK)
    {
        fail_msg("libyaml: line %u: %s", pd.line, pd.reason);
    }

    if (!blog_node_equal(simple, full)) {
        fail_msg("the two readers differ on \"%s\"", text);
    }

    blog_node_free(simple);
    blog_node_free(full);
}


static void
test_simple_accepts(void **state)
{
    size_t  i;

    for (i = 0; i < UNIT_ARRAY(accepted); i++) {
        assert_as_libyaml(accepted[i]);
    }
}


/* what the trees hold, apart from libyaml's word on them */

static void
test_simple_values(void **state)
{
    blog_node_t  *root, *tags, *m;

    root = simple_read(accepted[3], BLOG_OK);

    assert_int_equal(root->type, BLOG_NODE_MAP);
    assert_int_equal(root->line, 3);
    assert_int_equal(root->n, 11);

    tags = blog_node_get(root, "tags");
    assert_non_null(tags);
    assert_int_equal(tags->type, BLOG_NODE_LIST);
    assert_int_equal(tags->line, 5);
    assert_int_equal(tags->n, 3);
    assert_bstr_equal(tags->child->text, "one");
    assert_int_equal(tags->child->line, 6);
    assert_bstr_equal(tags->child->next->text, "two # not a comment");
    assert_int_equal(tags->child->next->line, 9);
    assert_bstr_equal(tags->last->text, "three: \\ still");

    m = blog_node_get(root, "title");
    assert_bstr_equal(m->text, "It's [here] {now}");
    assert_int_equal(blog_node_get(root, "draft")->type, BLOG_NODE_BOOL);
    assert_int_equal(blog_node_get(root, "summary")->type, BLOG_NODE_NULL);
    assert_int_equal(blog_node_get(root, "empty")->type, BLOG_NODE_LIST);
    assert_int_equal(blog_node_get(root, "empty")->n, 0);

    m = blog_node_get(root, "spaced");
    assert_int_equal(m->n, 2);
    assert_bstr_equal(m->child->text, "a b");
    assert_bstr_equal(m->last->text, "c");

    assert_int_equal(blog_node_get(root, "none")->type, BLOG_NODE_NULL);
    assert_int_equal(blog_node_get(root, "no")->type, BLOG_NODE_BOOL);
    assert_int_equal(blog_node_get(root, "quoted")->type, BLOG_NODE_STRING);
    assert_bstr_equal(blog_node_get(root, "plain")->text, "trailing");

    blog_node_free(root);

    root = simple_read(accepted[4], BLOG_OK);
    assert_int_equal(root->n, 5);
    assert_bstr_equal(root->child->text,
                      "Caf\xc3\xa9 \xe2\x80\x94 na\xc3\xafve");
    assert_bstr_equal(root->last->text, "one");
    assert_int_equal(root->last->line, 8);
    blog_node_free(root);

    /* a depth cap that leaves no room for a list: libyaml says so */

    assert_int_equal(blog_fm_simple(&root, (const u_char *) "t: x\n", 5, 1,
                                    1),
                     BLOG_DECLINED);
    assert_null(root);
}


static void
test_simple_declines(void **state)
{
    size_t        i;
    blog_node_t  *root;
    char          key[1100];

    for (i = 0; i < UNIT_ARRAY(declined); i++) {
        simple_read(declined[i], BLOG_DECLINED);
    }

    /* libyaml refuses a key of more than 1024 characters */

    memset(key, 'k', 1001);
    memcpy(key + 1001, ": v\n", 5);
    simple_read(key, BLOG_DECLINED);

    key[1000] = ':';
    key[1001] = ' ';
    root = simple_read(key, BLOG_OK);
    assert_int_equal(root->child->key.len, 1000);
    blog_node_free(root);
}


/* a header libyaml refuses is refused with its words and line */

static void
test_simple_errors_are_libyaml(void **state)
{
    blog_fm_t               fm;
    const char             *text;
    blog_problem_detail_t   pd;

    text = "---\n"
           "title: x\n"
           "date: a: b\n"
           "---\n"
           "body\n";

    memset(&pd, 0, sizeof(blog_problem_detail_t));

    assert_int_equal(blog_fm_parse(&fm, (const u_char *) text, strlen(text),
                                   65536, 64, &pd),
                     BLOG_ERROR);
    assert_int_equal(pd.line, 3);
    assert_contains(pd.reason, "front matter is not valid YAML: mapping "
                               "values are not allowed");
}


static void
test_simple_corpus(void **state)
{
    int                     rc;
    char                    path[4096];
    size_t                  n, total, read;
    u_char                 *text;
    blog_buf_t              b;
    const char             *why;
    blog_file_id_t          id;
    const char             *dir;
    blog_node_t            *simple, *full;
    const u_char           *p;
    struct dirent          *blog, *post;
    DIR                    *top, *d;
    blog_problem_detail_t   pd;

    dir = getenv("BLOG_CORPUS_DIR");
    if (dir == NULL || dir[0] == '\0') {
        dir = CORPUS_DIR;
    }

    top = opendir(dir);
    if (top == NULL) {
        printf("# skipped: no corpus of real blogs at %s\n", dir);
        skip();
    }

    total = 0;
    read = 0;

    while ((blog = readdir(top)) != NULL) {
        if (blog->d_name[0] == '.') {
            continue;
        }

        snprintf(path, sizeof(path), "%s/%s", dir, blog->d_name);

        d = opendir(path);
        if (d == NULL) {
            continue;
        }

        while ((post = readdir(d)) != NULL) {
            n = strlen(post->d_name);

            if (n < 4 || strcmp(post->d_name + n - 3, ".md") != 0) {
                continue;
            }

            snprintf(path, sizeof(path), "%s/%s/%s", dir, blog->d_name,
                     post->d_name);

            blog_buf_init(&b);

            if (blog_file_read(path, 1 << 24, &b, &id, &why) != BLOG_OK) {
                fail_msg("cannot read %s: %s", path, why);
            }

            text = b.data;

            if (!corpus_header(text, b.len, &p, &n)) {
                blog_buf_free(&b);
                continue;
            }

            total++;

            rc = blog_fm_simple(&simple, p, n, 2, 64);
            assert_int_not_equal(rc, BLOG_ERROR);

            if (rc == BLOG_OK) {
                read++;

                memset(&pd, 0, sizeof(blog_problem_detail_t));

                if (blog_fm_libyaml(&full, p, n, 2, 64, &pd) != BLOG_OK
                    || !blog_node_equal(simple, full))
                {
                    fail_msg("the two readers differ on %s", path);
                }

                blog_node_free(full);
                blog_node_free(simple);
            }

            blog_buf_free(&b);
        }

        closedir(d);
    }

    closedir(top);

    printf("# the simple reader read %zu of %zu headers of %s\n", read,
           total, dir);

    assert_true(total > 0);
    assert_true(read > total / 2);
}


/* the YAML between a first "---" line and the next */

static int
corpus_header(const u_char *text, size_t len, const u_char **p, size_t *n)
{
    const u_char  *end, *q;

    if (len < 4 || memcmp(text, "---\n", 4) != 0) {
        return 0;
    }

    end = text + len;

    for (q = text + 4; q < end; q = memchr(q, '\n', end - q) + 1) {
        if (end - q >= 3 && memcmp(q, "---", 3) == 0
            && (end - q == 3 || q[3] == '\n' || q[3] == '\r'))
        {
            *p = text + 4;
            *n = q - *p;
            return 1;
        }

        if (memchr(q, '\n', end - q) == NULL) {
            break;
        }
    }

    return 0;
}


int
main(void)
{
    const struct CMUnitTest  tests[] = {
        cmocka_unit_test(test_simple_accepts),
        cmocka_unit_test(test_simple_values),
        cmocka_unit_test(test_simple_declines),
        cmocka_unit_test(test_simple_errors_are_libyaml),
        cmocka_unit_test(test_simple_corpus),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
