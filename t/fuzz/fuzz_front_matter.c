
/*
 * blog_fm_parse on any bytes, with small caps (4096 bytes, depth 16) and
 * with the defaults (65536, 64): no crash, no leak, and a result that
 * holds together: the body is the input's tail, right after a fence line
 * ("---", "...", "+++") or a JSON object's closing brace when there are
 * fields, and its line is one past the LFs before it; every field is a
 * NUL-terminated copy found again by blog_fm_get, on a line of the header
 * (lines are LFs, whatever libyaml counts); the tree holds the fields.
 */


#include "fuzz.h"


static void fuzz_fm(const u_char *text, size_t len, size_t max_bytes,
    unsigned max_depth);
static int fuzz_after_fence(const u_char *text, size_t len,
    const u_char *body);
static int fuzz_after_brace(const u_char *text, const u_char *body);


int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_fm(data, size, 4096, 16);
    fuzz_fm(data, size, 65536, 64);

    return 0;
}


static void
fuzz_fm(const u_char *text, size_t len, size_t max_bytes, unsigned max_depth)
{
    size_t                  i, n;
    unsigned                lines, json;
    blog_fm_t               fm;
    blog_node_t            *m;
    blog_fm_field_t        *f, *found;
    blog_problem_detail_t   pd;

    memset(&pd, 0, sizeof(blog_problem_detail_t));

    if (blog_fm_parse(&fm, text, len, max_bytes, max_depth, &pd)
        != BLOG_OK)
    {
        fuzz_check(pd.reason != NULL);
        fuzz_check(strlen(pd.reason) < 1024);
        fuzz_check(fm.fields == NULL && fm.nfields == 0);

        blog_fm_free(&fm);
        return;
    }

    fuzz_check(fm.body >= text && fm.body <= text + len);
    fuzz_check(fm.body + fm.body_len == text + len);
    fuzz_check(fm.nfields == 0 || fm.fields != NULL);
    json = (fm.nfields != 0 && !fuzz_after_fence(text, len, fm.body));

    fuzz_check(!json || fuzz_after_brace(text, fm.body));
    fuzz_check(fm.nfields == 0 || fm.root != NULL);
    fuzz_check(fm.root == NULL || fm.root->type == BLOG_NODE_MAP);

    /* every top-level scalar and list is a field */

    n = 0;

    for (m = fm.root != NULL ? fm.root->child : NULL; m; m = m->next) {
        n += (m->type != BLOG_NODE_MAP);
    }

    fuzz_check(fm.nfields >= n);

    lines = 1;

    for (i = 0; i < (size_t) (fm.body - text); i++) {
        lines += (text[i] == '\n');
    }

    /* a closing fence with no LF at the very end: the body, empty, after */

    fuzz_check(fm.body_line == lines
               || (fm.body == text + len && fm.body != text
                   && fm.body[-1] != '\n' && fm.body_line == lines + 1));

    for (i = 0; i < fm.nfields; i++) {
        f = &fm.fields[i];

        fuzz_check(f->key.data != NULL && f->key.data[f->key.len] == '\0');
        fuzz_check(f->value.data != NULL
                   && f->value.data[f->value.len] == '\0');

        /* t/fuzz/regressions/front_matter-line-cr */

        /* a JSON object's line, which its body may share */

        fuzz_check(f->line >= 1
                   && (json ? f->line <= fm.body_line
                            : f->line < fm.body_line - 1));

        if (memchr(f->key.data, '\0', f->key.len) == NULL) {
            found = blog_fm_get(&fm, (const char *) f->key.data);

            fuzz_check(found != NULL && found <= f);
            fuzz_check(found->key.len == f->key.len);
        }
    }

    blog_fm_free(&fm);

    fuzz_check(fm.fields == NULL && fm.nfields == 0 && fm.root == NULL);
}


/*
 * The line before the body is "---", "..." or "+++", then blanks: a line
 * that ends in LF, or the input's last line.
 */

static int
fuzz_after_fence(const u_char *text, size_t len, const u_char *body)
{
    const u_char  *p, *end;

    if (body == text) {
        return 0;
    }

    end = body;

    if (body[-1] == '\n') {
        end--;

    } else if (body != text + len) {
        return 0;
    }

    for (p = end; p > text && p[-1] != '\n'; p--) {
        /* void */
    }

    if (end - p < 3
        || !(memcmp(p, "---", 3) == 0 || memcmp(p, "...", 3) == 0
             || memcmp(p, "+++", 3) == 0))
    {
        return 0;
    }

    for (p += 3; p < end; p++) {
        if (*p != ' ' && *p != '\t' && *p != '\r') {
            return 0;
        }
    }

    return 1;
}


/* a JSON header's end: "}", blanks, then the line's end or the input's */

static int
fuzz_after_brace(const u_char *text, const u_char *body)
{
    const u_char  *p;

    p = body;

    if (p > text && p[-1] == '\n') {
        p--;
    }

    while (p > text && (p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\r')) {
        p--;
    }

    return p > text && p[-1] == '}';
}
