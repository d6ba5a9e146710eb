
/*
 * Sorting an array that is sorted but for a few of its elements, as the
 * index's arrays are after a scan that changed a few posts: the long runs
 * already in order stay as they are, the few elements out of place are
 * sorted alone, and all are merged, a merge copying whole stretches at a
 * time.  Any order is sorted all the same, at about the cost of qsort().
 * The comparison must be a total order, as the index's are: with no two
 * elements equal, the result is the one qsort() gives.
 */


#include <stdlib.h>
#include <string.h>

#include "blog.h"


/* a run at least this long is kept; shorter ones are sorted again */
#define BLOG_SORT_RUN  32


typedef int (*blog_cmp_pt)(const void *a, const void *b);

typedef struct {
    size_t        start;
    size_t        n;
} blog_run_t;


static size_t blog_sort_runs(u_char *base, size_t n, size_t size,
    blog_cmp_pt cmp, const u_char *after, u_char *rest, size_t *nrest,
    blog_run_t *runs);
static void blog_sort_merge(u_char *out, const u_char *a, size_t na,
    const u_char *b, size_t nb, size_t size, blog_cmp_pt cmp);
static size_t blog_sort_gallop(const u_char *p, size_t n, size_t size,
    const u_char *key, int strict, blog_cmp_pt cmp);


int
blog_sort_nearly(void *base, size_t n, size_t size, blog_cmp_pt cmp,
    const u_char *after)
{
    size_t       i, j, k, nruns, nrest;
    u_char      *p, *tmp, *swap;
    blog_run_t  *runs;

    if (n < 2) {
        return BLOG_OK;
    }

    tmp = malloc(n * size);
    runs = malloc((n / BLOG_SORT_RUN + 2) * sizeof(blog_run_t));

    if (tmp == NULL || runs == NULL) {
        free(tmp);
        free(runs);
        return BLOG_ERROR;
    }

    p = base;

    /* the long runs to the front, in order, the rest gathered and sorted
     * behind them as one more run */

    nruns = blog_sort_runs(p, n, size, cmp, after, tmp, &nrest, runs);

    if (nrest) {
        qsort(tmp, nrest, size, cmp);
        memcpy(p + (n - nrest) * size, tmp, nrest * size);

        runs[nruns].start = n - nrest;
        runs[nruns].n = nrest;
        nruns++;
    }

    /* then merged two by two, from one buffer to the other */

    while (nruns > 1) {
        for (i = 0, j = 0; i < nruns; i += 2, j++) {
            if (i + 1 == nruns) {
                memcpy(tmp + runs[i].start * size, p + runs[i].start * size,
                       runs[i].n * size);
                runs[j] = runs[i];
                continue;
            }

            k = runs[i].start;

            blog_sort_merge(tmp + k * size, p + k * size, runs[i].n,
                            p + runs[i + 1].start * size, runs[i + 1].n,
                            size, cmp);

            runs[j].start = k;
            runs[j].n = runs[i].n + runs[i + 1].n;
        }

        nruns = j;

        swap = p;
        p = tmp;
        tmp = swap;
    }

    if (p != base) {
        memcpy(base, p, n * size);
        tmp = p;
    }

    free(tmp);
    free(runs);

    return BLOG_OK;
}


/*
 * Splits the array into its ascending runs: those of BLOG_SORT_RUN or
 * more are moved to the front, each after the one before, and recorded;
 * the elements of the shorter ones are copied to rest.
 */

static size_t
blog_sort_runs(u_char *base, size_t n, size_t size, blog_cmp_pt cmp,
    const u_char *after, u_char *rest, size_t *nrest, blog_run_t *runs)
{
    size_t  i, j, kept, nruns;

    kept = 0;
    nruns = 0;
    *nrest = 0;

    for (i = 0; i < n; i = j) {
        for (j = i + 1;
             j < n && ((after != NULL && after[j])
                       || cmp(base + (j - 1) * size, base + j * size) <= 0);
             j++)
        {
            /* void */
        }

        if (j - i < BLOG_SORT_RUN) {
            memcpy(rest + *nrest * size, base + i * size, (j - i) * size);
            *nrest += j - i;
            continue;
        }

        /* a long run after a long run it continues is one run */

        if (nruns
            && cmp(base + (kept - 1) * size, base + i * size) <= 0)
        {
            runs[nruns - 1].n += j - i;

        } else {
            runs[nruns].start = kept;
            runs[nruns].n = j - i;
            nruns++;
        }

        if (kept != i) {
            memmove(base + kept * size, base + i * size, (j - i) * size);
        }

        kept += j - i;
    }

    return nruns;
}


/*
 * Merges two sorted runs into out, the first's elements first among equal
 * ones: each step finds by galloping how far one run stays before the
 * other's next element, and copies that stretch at once.
 */

static void
blog_sort_merge(u_char *out, const u_char *a, size_t na, const u_char *b,
    size_t nb, size_t size, blog_cmp_pt cmp)
{
    size_t  k;

    while (na && nb) {
        if (cmp(a, b) <= 0) {
            /* the elements of a not after b's next */
            k = blog_sort_gallop(a, na, size, b, 0, cmp);
            memcpy(out, a, k * size);
            a += k * size;
            na -= k;

        } else {
            /* the elements of b before a's next */
            k = blog_sort_gallop(b, nb, size, a, 1, cmp);
            memcpy(out, b, k * size);
            b += k * size;
            nb -= k;
        }

        out += k * size;
    }

    memcpy(out, a, na * size);
    out += na * size;
    memcpy(out, b, nb * size);
}


/*
 * How many of the n sorted elements at p come before key: those less
 * than it when strict, else those not greater.  The first is known to
 * be; the search doubles its step from there, then halves it.
 */

static size_t
blog_sort_gallop(const u_char *p, size_t n, size_t size, const u_char *key,
    int strict, blog_cmp_pt cmp)
{
    int     rc;
    size_t  lo, hi, mid, step;

    lo = 1;
    step = 1;

    for ( ;; ) {
        hi = lo + step - 1;

        if (hi >= n) {
            hi = n;
            break;
        }

        rc = cmp(p + hi * size, key);

        if (strict ? rc >= 0 : rc > 0) {
            break;
        }

        lo = hi + 1;
        step *= 2;
    }

    /* every one before lo comes before key, none from hi on */

    while (lo < hi) {
        mid = lo + (hi - lo) / 2;
        rc = cmp(p + mid * size, key);

        if (strict ? rc >= 0 : rc > 0) {
            hi = mid;

        } else {
            lo = mid + 1;
        }
    }

    return lo;
}
