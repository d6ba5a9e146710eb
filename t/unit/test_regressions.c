
/*
 * Inputs the fuzzers (t/fuzz/) found to break the core, each fed to the
 * entry point of the target that found it, asserting what should happen
 * instead.  Each case names its input in t/fuzz/regressions/, where the
 * fuzz target can replay it (build/fuzz/fuzz_NAME FILE).
 */


#include "unit.h"


static unsigned field_line(blog_fm_t *fm, const char *key);
static void test_front_matter_line_cr(void **state);
static void test_front_matter_line_ls(void **state);


static unsigned
field_line(blog_fm_t *fm, const char *key)
{
    blog_fm_field_t  *f;

    f = blog_fm_get(fm, key);
    if (f == NULL) {
        fail_msg("no field \"%s\"", key);
    }

    return f->line;
}


/*
 * t/fuzz/regressions/front_matter-line-cr: libyaml takes a lone CR for a
 * line break, blog_front_matter.c does not, so "date" was put on line 4,
 * the body's first line, though it sits on line 2 with "title".
 */

static void
test_front_matter_line_cr(void **state)
{
    unsigned                line;
    blog_fm_t               fm;
    blog_problem_detail_t   pd;
    static const char       text[] =
        "---\ntitle: a\rsummary: b\rdate: c\n---\nbody\n";

    memset(&pd, 0, sizeof(blog_problem_detail_t));

    assert_int_equal(blog_fm_parse(&fm, (const u_char *) text,
                                   sizeof(text) - 1, 65536, 64, &pd),
                     BLOG_OK);

    line = field_line(&fm, "date");

    /* inside the header: after the opening fence, before the closing one */

    assert_true(line >= field_line(&fm, "title"));
    assert_true(line >= 2 && line < fm.body_line - 1);

    blog_fm_free(&fm);
}


/*
 * t/fuzz/regressions/front_matter-line-ls: the same with U+2028 (LINE
 * SEPARATOR) inside a quoted value, which no editor shows as a line
 * break: "date" is on line 3, not 4.
 */

static void
test_front_matter_line_ls(void **state)
{
    blog_fm_t               fm;
    blog_problem_detail_t   pd;
    static const char       text[] =
        "---\ndescription: \"a\xe2\x80\xa8" "b\"\ndate: c\n---\nbody\n";

    memset(&pd, 0, sizeof(blog_problem_detail_t));

    assert_int_equal(blog_fm_parse(&fm, (const u_char *) text,
                                   sizeof(text) - 1, 65536, 64, &pd),
                     BLOG_OK);

    assert_int_equal(field_line(&fm, "description"), 2);
    assert_int_equal(field_line(&fm, "date"), 3);
    assert_int_equal(fm.body_line, 5);

    blog_fm_free(&fm);
}


int
main(void)
{
    const struct CMUnitTest  tests[] = {
        cmocka_unit_test(test_front_matter_line_cr),
        cmocka_unit_test(test_front_matter_line_ls),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
