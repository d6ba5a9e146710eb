
/*
 * The simple YAML reader (blog_front_matter_simple.c) against libyaml on
 * any bytes, as a header's text: whatever the simple reader accepts,
 * libyaml reads too, to the same tree (each node's type, line, key, text
 * and members, in order).  With a depth cap of 1 the simple reader
 * declines everything.
 */


#include "fuzz.h"


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int                     rc;
    blog_node_t            *simple, *full;
    blog_problem_detail_t   pd;

    fuzz_check(blog_fm_simple(&simple, data, size, 2, 1) == BLOG_DECLINED);
    fuzz_check(simple == NULL);

    rc = blog_fm_simple(&simple, data, size, 2, 64);

    fuzz_check(rc == BLOG_OK || rc == BLOG_DECLINED);

    if (rc != BLOG_OK) {
        fuzz_check(simple == NULL);
        return 0;
    }

    memset(&pd, 0, sizeof(blog_problem_detail_t));

    rc = blog_fm_libyaml(&full, data, size, 2, 64, &pd);

    if (rc != BLOG_OK) {
        fprintf(stderr, "libyaml: line %u: %s\n", pd.line, pd.reason);
    }

    fuzz_check(rc == BLOG_OK);
    fuzz_check(simple != NULL && full != NULL);

    fuzz_check(blog_node_equal(simple, full));

    blog_node_free(simple);
    blog_node_free(full);

    return 0;
}

