
/*
 * blog_sort.c: arrays sorted but for a few elements, and arrays in any
 * order, come out as qsort() sorts them.
 */


#include "unit.h"


/* an element as the index's sorts have: a key, then what it sorts */

typedef struct {
    uint64_t        key;
    uint64_t        id;
    uint64_t        pad;
} unit_elt_t;


static int cmp_elt(const void *a, const void *b);
static void check(unit_elt_t *v, size_t n);
static uint64_t rnd(uint64_t *x);
static void test_sort_small(void **state);
static void test_sort_sorted(void **state);
static void test_sort_few_moved(void **state);
static void test_sort_shuffled_stretch(void **state);
static void test_sort_runs(void **state);
static void test_sort_random(void **state);
static void test_sort_descending(void **state);
static void test_sort_after(void **state);
static int cmp_counted(const void *a, const void *b);

static size_t  compared;


static int
cmp_elt(const void *a, const void *b)
{
    const unit_elt_t  *ea = a;
    const unit_elt_t  *eb = b;

    if (ea->key != eb->key) {
        return ea->key < eb->key ? -1 : 1;
    }

    return ea->id < eb->id ? -1 : (ea->id > eb->id);
}


/* v sorted by blog_sort_nearly() is v sorted by qsort(), element by element */

static void
check(unit_elt_t *v, size_t n)
{
    size_t       i;
    unit_elt_t  *want;

    want = malloc((n ? n : 1) * sizeof(unit_elt_t));
    assert_non_null(want);

    memcpy(want, v, n * sizeof(unit_elt_t));
    qsort(want, n, sizeof(unit_elt_t), cmp_elt);

    assert_int_equal(blog_sort_nearly(v, n, sizeof(unit_elt_t), cmp_elt,
                                      NULL),
                     BLOG_OK);

    for (i = 0; i < n; i++) {
        if (v[i].key != want[i].key || v[i].id != want[i].id) {
            fail_msg("element %zu: %llu/%llu, not %llu/%llu", i,
                     (unsigned long long) v[i].key,
                     (unsigned long long) v[i].id,
                     (unsigned long long) want[i].key,
                     (unsigned long long) want[i].id);
        }
    }

    free(want);
}


static uint64_t
rnd(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;

    return *x;
}


static void
test_sort_small(void **state)
{
    size_t      n, i;
    uint64_t    x;
    unit_elt_t  v[40];

    (void) state;

    x = 88172645463325252ULL;

    for (n = 0; n < UNIT_ARRAY(v); n++) {
        for (i = 0; i < n; i++) {
            v[i].key = rnd(&x) % 7;
            v[i].id = i;
        }

        check(v, n);
    }
}


static void
test_sort_sorted(void **state)
{
    size_t       i, n;
    unit_elt_t  *v;

    (void) state;

    n = 10000;
    v = malloc(n * sizeof(unit_elt_t));
    assert_non_null(v);

    for (i = 0; i < n; i++) {
        v[i].key = i / 3;
        v[i].id = i;
    }

    check(v, n);
    free(v);
}


/* a sorted array with a few elements moved anywhere, to either end too */

static void
test_sort_few_moved(void **state)
{
    size_t       i, n, k, from, to, round;
    uint64_t     x;
    unit_elt_t  *v, e;

    (void) state;

    x = 2463534242ULL;
    n = 5000;
    v = malloc(n * sizeof(unit_elt_t));
    assert_non_null(v);

    for (round = 0; round < 50; round++) {
        for (i = 0; i < n; i++) {
            v[i].key = i * 2;
            v[i].id = i;
        }

        for (k = 0; k < round % 10 + 1; k++) {
            from = rnd(&x) % n;
            to = (round % 3 == 0) ? n - 1 : (round % 3 == 1) ? 0
                                                             : rnd(&x) % n;
            e = v[from];

            if (from < to) {
                memmove(&v[from], &v[from + 1],
                        (to - from) * sizeof(unit_elt_t));

            } else {
                memmove(&v[to + 1], &v[to], (from - to) * sizeof(unit_elt_t));
            }

            v[to] = e;
        }

        /* and a new element, out of place at the end */
        v[n - 1].key = rnd(&x) % (2 * n);

        check(v, n);
    }

    free(v);
}


/* a folder read again: a stretch in the middle in any order */

static void
test_sort_shuffled_stretch(void **state)
{
    size_t       i, j, n;
    uint64_t     x;
    unit_elt_t  *v, e;

    (void) state;

    x = 1234567ULL;
    n = 20000;
    v = malloc(n * sizeof(unit_elt_t));
    assert_non_null(v);

    for (i = 0; i < n; i++) {
        v[i].key = i;
        v[i].id = 0;
    }

    for (i = 10000; i < 10200; i++) {
        j = 10000 + rnd(&x) % 200;
        e = v[i];
        v[i] = v[j];
        v[j] = e;
    }

    check(v, n);
    free(v);
}


/* long runs that interleave, as the posts of two folders by date */

static void
test_sort_runs(void **state)
{
    size_t       i, n, runs;
    uint64_t     x;
    unit_elt_t  *v;

    (void) state;

    x = 99991ULL;

    for (runs = 1; runs < 12; runs++) {
        n = runs * 500 + runs;
        v = malloc(n * sizeof(unit_elt_t));
        assert_non_null(v);

        for (i = 0; i < n; i++) {
            v[i].key = (i % (n / runs)) * 10 + rnd(&x) % 3;
            v[i].id = i;
        }

        check(v, n);
        free(v);
    }
}


static void
test_sort_random(void **state)
{
    size_t       i, n;
    uint64_t     x;
    unit_elt_t  *v;

    (void) state;

    x = 42ULL;

    for (n = 100; n <= 100000; n *= 10) {
        v = malloc(n * sizeof(unit_elt_t));
        assert_non_null(v);

        for (i = 0; i < n; i++) {
            v[i].key = rnd(&x) % (n / 2);
            v[i].id = i;
        }

        check(v, n);
        free(v);
    }
}


static void
test_sort_descending(void **state)
{
    size_t       i, n;
    unit_elt_t  *v;

    (void) state;

    n = 3000;
    v = malloc(n * sizeof(unit_elt_t));
    assert_non_null(v);

    for (i = 0; i < n; i++) {
        v[i].key = n - i;
        v[i].id = i;
    }

    check(v, n);
    free(v);
}


/*
 * Elements marked as after the one before them are not compared with it,
 * and the array sorts as qsort() sorts it: runs of a sorted array marked
 * so, a few elements moved out of place and not marked.
 */

static void
test_sort_after(void **state)
{
    size_t       i, n, k;
    u_char      *after;
    uint64_t     x;
    unit_elt_t  *v, *want;

    (void) state;

    n = 20000;
    v = malloc(n * sizeof(unit_elt_t));
    want = malloc(n * sizeof(unit_elt_t));
    after = calloc(n, 1);
    assert_non_null(v);
    assert_non_null(want);
    assert_non_null(after);

    x = 2463534242ULL;

    for (i = 0; i < n; i++) {
        v[i].key = i * 2;
        v[i].id = i;
        after[i] = (i % 100 != 0);
    }

    /* 50 elements moved to another place, with no mark there */

    for (k = 0; k < 50; k++) {
        i = 1 + rnd(&x) % (n - 2);
        v[i].key = rnd(&x) % (2 * n);
        after[i] = 0;
        after[i + 1] = 0;
    }

    memcpy(want, v, n * sizeof(unit_elt_t));
    qsort(want, n, sizeof(unit_elt_t), cmp_elt);

    compared = 0;
    assert_int_equal(blog_sort_nearly(v, n, sizeof(unit_elt_t), cmp_counted,
                                      after),
                     BLOG_OK);

    for (i = 0; i < n; i++) {
        assert_int_equal(v[i].key, want[i].key);
        assert_int_equal(v[i].id, want[i].id);
    }

    /* the marked ones, nearly all, were not compared to find the runs */
    assert_true(compared < n / 4);

    free(v);
    free(want);
    free(after);
}


static int
cmp_counted(const void *a, const void *b)
{
    compared++;

    return cmp_elt(a, b);
}


int
main(void)
{
    const struct CMUnitTest  tests[] = {
        cmocka_unit_test(test_sort_small),
        cmocka_unit_test(test_sort_sorted),
        cmocka_unit_test(test_sort_few_moved),
        cmocka_unit_test(test_sort_shuffled_stretch),
        cmocka_unit_test(test_sort_runs),
        cmocka_unit_test(test_sort_random),
        cmocka_unit_test(test_sort_descending),
        cmocka_unit_test(test_sort_after),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
