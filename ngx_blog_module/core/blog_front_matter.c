
/*
 * Front matter: the YAML mapping between "---" lines at the top of a post.
 * libyaml's event parser reads it with a cap on bytes and nesting, and
 * aliases are never expanded, so a hostile header costs at most its size.
 * Only top-level keys with a scalar or a list of scalars are kept; nested
 * mappings are skipped.  What the keys mean is blog_post.c's business.
 * Lines are counted by LF only, as editors and the rest of the blog count
 * them, not by libyaml's marks, which also break at CR, NEL, LS and PS.
 */


#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "blog.h"


/* maps libyaml's marks (characters from the header's start) to file lines */

typedef struct {
    const u_char   *start;
    const u_char   *pos;
    const u_char   *end;
    size_t          index;      /* characters before pos */
    unsigned        first;      /* line of start */
    unsigned        line;       /* line of pos */
} blog_fm_lines_t;

/* one header as libyaml reads it, and where a problem is reported */

typedef struct {
    yaml_parser_t           parser;
    blog_fm_lines_t         lines;
    blog_buf_t              value;      /* of the field being read */
    unsigned                max_depth;
    blog_problem_detail_t  *pd;
} blog_fm_reader_t;


static const u_char *blog_fm_line_end(const u_char *p, const u_char *end);
static int blog_fm_is_fence(const u_char *p, const u_char *end);
static int blog_fm_is_blank(const u_char *p, const u_char *end);
static int blog_fm_is_bare(const u_char *p, const u_char *end);
static int blog_fm_yaml(blog_fm_t *fm, const u_char *p, size_t n,
    unsigned first_line, unsigned max_depth, blog_problem_detail_t *pd);
static int blog_fm_open(blog_fm_reader_t *rd);
static int blog_fm_fields(blog_fm_t *fm, blog_fm_reader_t *rd);
static int blog_fm_field(blog_fm_t *fm, blog_fm_reader_t *rd,
    yaml_event_t *key);
static int blog_fm_list(blog_fm_reader_t *rd);
static int blog_fm_skip(blog_fm_reader_t *rd, yaml_event_t *ev,
    unsigned depth);
static int blog_fm_next(blog_fm_reader_t *rd, yaml_event_t *ev);
static unsigned blog_fm_mark_line(blog_fm_lines_t *lines,
    const yaml_mark_t *mark);
static unsigned blog_fm_offset_line(blog_fm_lines_t *lines, size_t offset);
static int blog_fm_add(blog_fm_t *fm, yaml_event_t *key, blog_buf_t *value,
    unsigned line, unsigned list);


static const u_char *
blog_fm_line_end(const u_char *p, const u_char *end)
{
    const u_char  *nl;

    nl = memchr(p, '\n', end - p);

    return nl != NULL ? nl + 1 : end;
}


/* "---" (or "..." to close) alone on its line, trailing blanks allowed */

static int
blog_fm_is_fence(const u_char *p, const u_char *end)
{
    if (end - p < 3
        || !(memcmp(p, "---", 3) == 0 || memcmp(p, "...", 3) == 0))
    {
        return 0;
    }

    for (p += 3; p < end; p++) {
        if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') {
            return 0;
        }
    }

    return 1;
}


static int
blog_fm_is_blank(const u_char *p, const u_char *end)
{
    for ( /* void */ ; p < end; p++) {
        if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') {
            return 0;
        }
    }

    return 1;
}


/*
 * Front matter that lost its opening fence, which some generators accept:
 * only "key: value" lines (and their indented or "- " continuations) up to
 * a "---" line, at least two keys, one of them a title or a date.  Plain
 * Markdown never looks like that: a setext heading is one line.
 */

static int
blog_fm_is_bare(const u_char *p, const u_char *end)
{
    unsigned       keys, known, lines;
    const u_char  *next, *q;

    keys = 0;
    known = 0;

    for (lines = 0; p < end && lines < 50; p = next, lines++) {
        next = blog_fm_line_end(p, end);

        if (blog_fm_is_fence(p, next)) {
            return keys >= 2 && known;
        }

        if (*p == ' ' || *p == '\t' || *p == '-' || *p == '#') {
            if (keys == 0) {
                return 0;
            }

            continue;
        }

        for (q = p; q < next && ((*q >= 'a' && *q <= 'z')
                                 || (*q >= 'A' && *q <= 'Z')
                                 || (*q >= '0' && *q <= '9')
                                 || *q == '_' || *q == '-');
             q++)
        {
            /* void */
        }

        if (q == p || q == next || *q != ':'
            || (q + 1 < next && q[1] != ' ' && q[1] != '\r'
                && q[1] != '\n'))
        {
            return 0;
        }

        keys++;

        if ((q - p == 5 && memcmp(p, "title", 5) == 0)
            || (q - p == 4 && memcmp(p, "date", 4) == 0))
        {
            known = 1;
        }
    }

    return 0;
}


int
blog_fm_parse(blog_fm_t *fm, const u_char *text, size_t len,
    size_t max_bytes, unsigned max_depth, blog_problem_detail_t *pd)
{
    unsigned       line, first;
    const u_char  *p, *end, *next, *start;

    fm->fields = NULL;
    fm->nfields = 0;
    fm->body = text;
    fm->body_len = len;
    fm->body_line = 1;

    end = text + len;
    p = text;

    if (len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
        p += 3;
        fm->body = p;
        fm->body_len = end - p;
    }

    /* blank lines before the opening fence, as Hugo allows */

    first = 1;

    for ( ;; ) {
        next = blog_fm_line_end(p, end);

        if (p == next || !blog_fm_is_blank(p, next)) {
            break;
        }

        p = next;
        first++;
    }

    if (end - p >= 3 && memcmp(p, "---", 3) == 0
        && blog_fm_is_fence(p, next))
    {
        start = next;
        line = first + 1;

    } else if (blog_fm_is_bare(p, end)) {
        start = p;
        line = first;
        snprintf(pd->warning, sizeof(pd->warning),
                 "front matter has no opening \"---\" line; "
                 "read as front matter all the same");
        pd->warning_line = first;

    } else {
        return BLOG_OK;
    }

    first = line - 1;

    for (p = start; p < end; p = next, line++) {
        next = blog_fm_line_end(p, end);

        if (blog_fm_is_fence(p, next)) {
            break;
        }
    }

    if (p == end) {
        pd->line = first;
        pd->reason = "front matter has no closing \"---\" line";
        return BLOG_ERROR;
    }

    if ((size_t) (p - start) > max_bytes) {
        pd->line = first + 1;
        snprintf(pd->text, sizeof(pd->text),
                 "front matter is larger than %zu bytes", max_bytes);
        pd->reason = pd->text;
        return BLOG_ERROR;
    }

    fm->body = next;
    fm->body_len = end - next;
    fm->body_line = line + 1;

    if (blog_fm_yaml(fm, start, p - start, first + 1, max_depth, pd)
        != BLOG_OK)
    {
        blog_fm_free(fm);
        return BLOG_ERROR;
    }

    return BLOG_OK;
}


void
blog_fm_free(blog_fm_t *fm)
{
    size_t  i;

    for (i = 0; i < fm->nfields; i++) {
        free(fm->fields[i].key.data);
        free(fm->fields[i].value.data);
    }

    free(fm->fields);
    fm->fields = NULL;
    fm->nfields = 0;
}


blog_fm_field_t *
blog_fm_get(blog_fm_t *fm, const char *key)
{
    size_t  i, n;

    n = strlen(key);

    for (i = 0; i < fm->nfields; i++) {
        if (fm->fields[i].key.len == n
            && memcmp(fm->fields[i].key.data, key, n) == 0)
        {
            return &fm->fields[i];
        }
    }

    return NULL;
}


static int
blog_fm_next(blog_fm_reader_t *rd, yaml_event_t *ev)
{
    yaml_parser_t          *parser;
    blog_problem_detail_t  *pd;

    parser = &rd->parser;
    pd = rd->pd;

    if (yaml_parser_parse(parser, ev)) {
        return BLOG_OK;
    }

    /* the reader (bad bytes, control characters) gives a byte offset */

    if (parser->error == YAML_READER_ERROR) {
        pd->line = blog_fm_offset_line(&rd->lines, parser->problem_offset);

    } else {
        pd->line = blog_fm_mark_line(&rd->lines, &parser->problem_mark);
    }

    if (parser->error == YAML_MEMORY_ERROR) {
        pd->reason = "out of memory reading front matter";
        return BLOG_ERROR;
    }

    snprintf(pd->text, sizeof(pd->text),
             "front matter is not valid YAML: %s%s%s",
             parser->problem ? parser->problem : "syntax error",
             parser->context ? " " : "",
             parser->context ? parser->context : "");
    pd->reason = pd->text;

    return BLOG_ERROR;
}


static int
blog_fm_yaml(blog_fm_t *fm, const u_char *p, size_t n, unsigned first_line,
    unsigned max_depth, blog_problem_detail_t *pd)
{
    int               rc;
    blog_fm_reader_t  rd;

    if (!yaml_parser_initialize(&rd.parser)) {
        pd->line = first_line;
        pd->reason = "out of memory reading front matter";
        return BLOG_ERROR;
    }

    /* UTF-8 as the post is: no guessing UTF-16 from the first bytes */

    yaml_parser_set_input_string(&rd.parser, p, n);
    yaml_parser_set_encoding(&rd.parser, YAML_UTF8_ENCODING);
    blog_buf_init(&rd.value);

    rd.lines.start = p;
    rd.lines.pos = p;
    rd.lines.end = p + n;
    rd.lines.index = 0;
    rd.lines.first = first_line;
    rd.lines.line = first_line;
    rd.max_depth = max_depth;
    rd.pd = pd;

    rc = blog_fm_open(&rd);

    if (rc == BLOG_OK) {
        rc = blog_fm_fields(fm, &rd);

    } else if (rc == BLOG_DECLINED) {
        /* an empty header: no fields */
        rc = BLOG_OK;
    }

    blog_buf_free(&rd.value);
    yaml_parser_delete(&rd.parser);

    return rc;
}


/*
 * Stream start, then document start and the start of the mapping; declined
 * when the header is empty.
 */

static int
blog_fm_open(blog_fm_reader_t *rd)
{
    yaml_event_t  ev;

    if (blog_fm_next(rd, &ev) != BLOG_OK) {
        return BLOG_ERROR;
    }

    yaml_event_delete(&ev);

    /* document start, or an empty stream */

    if (blog_fm_next(rd, &ev) != BLOG_OK) {
        return BLOG_ERROR;
    }

    if (ev.type == YAML_STREAM_END_EVENT) {
        yaml_event_delete(&ev);
        return BLOG_DECLINED;
    }

    yaml_event_delete(&ev);

    if (blog_fm_next(rd, &ev) != BLOG_OK) {
        return BLOG_ERROR;
    }

    if (ev.type == YAML_SCALAR_EVENT && ev.data.scalar.length == 0
        && ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
    {
        /* "---" then "---" */
        yaml_event_delete(&ev);
        return BLOG_DECLINED;
    }

    if (ev.type != YAML_MAPPING_START_EVENT) {
        rd->pd->line = blog_fm_mark_line(&rd->lines, &ev.start_mark);
        rd->pd->reason = "front matter is not a mapping of keys to values";
        yaml_event_delete(&ev);
        return BLOG_ERROR;
    }

    yaml_event_delete(&ev);

    return BLOG_OK;
}


/* the mapping's keys up to its end */

static int
blog_fm_fields(blog_fm_t *fm, blog_fm_reader_t *rd)
{
    yaml_event_t  key;

    for ( ;; ) {
        if (blog_fm_next(rd, &key) != BLOG_OK) {
            return BLOG_ERROR;
        }

        if (key.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&key);
            return BLOG_OK;
        }

        if (blog_fm_field(fm, rd, &key) != BLOG_OK) {
            return BLOG_ERROR;
        }
    }
}


/*
 * One key and its value: a field if the key is a scalar and the value a
 * scalar or a list, else skipped.  The key is deleted on every path.
 */

static int
blog_fm_field(blog_fm_t *fm, blog_fm_reader_t *rd, yaml_event_t *key)
{
    unsigned      line, list;
    yaml_event_t  ev;

    if (key->type != YAML_SCALAR_EVENT) {
        /* a complex key: skip it and its value */

        if (blog_fm_skip(rd, key, 1) != BLOG_OK
            || blog_fm_next(rd, &ev) != BLOG_OK)
        {
            return BLOG_ERROR;
        }

        return blog_fm_skip(rd, &ev, 1);
    }

    line = blog_fm_mark_line(&rd->lines, &key->start_mark);

    if (blog_fm_next(rd, &ev) != BLOG_OK) {
        yaml_event_delete(key);
        return BLOG_ERROR;
    }

    rd->value.len = 0;

    if (ev.type == YAML_SCALAR_EVENT) {
        blog_buf_add(&rd->value, ev.data.scalar.value, ev.data.scalar.length);
        yaml_event_delete(&ev);
        list = 0;

    } else if (ev.type == YAML_SEQUENCE_START_EVENT) {
        yaml_event_delete(&ev);
        list = 1;

        if (blog_fm_list(rd) != BLOG_OK) {
            yaml_event_delete(key);
            return BLOG_ERROR;
        }

    } else {
        /* a nested mapping or an alias: not a field the blog reads */
        yaml_event_delete(key);
        return blog_fm_skip(rd, &ev, 1);
    }

    if (blog_fm_add(fm, key, &rd->value, line, list) != BLOG_OK) {
        rd->pd->line = rd->lines.first;
        rd->pd->reason = "out of memory reading front matter";
        return BLOG_ERROR;
    }

    return BLOG_OK;
}


/* a list's scalars, one a line in rd->value; what nests deeper is skipped */

static int
blog_fm_list(blog_fm_reader_t *rd)
{
    unsigned      items;
    yaml_event_t  ev;

    items = 0;

    for ( ;; ) {
        if (blog_fm_next(rd, &ev) != BLOG_OK) {
            return BLOG_ERROR;
        }

        if (ev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&ev);
            return BLOG_OK;
        }

        if (ev.type == YAML_SCALAR_EVENT) {
            if (items++) {
                blog_buf_addc(&rd->value, '\n');
            }

            blog_buf_add(&rd->value, ev.data.scalar.value,
                         ev.data.scalar.length);
            yaml_event_delete(&ev);
            continue;
        }

        if (blog_fm_skip(rd, &ev, 2) != BLOG_OK) {
            return BLOG_ERROR;
        }
    }
}


/*
 * Consumes the node that ev starts.  The depth cap bounds the work a deeply
 * nested header can cause; ev is deleted on every path.
 */

static int
blog_fm_skip(blog_fm_reader_t *rd, yaml_event_t *ev, unsigned depth)
{
    unsigned  level;

    if (ev->type != YAML_SEQUENCE_START_EVENT
        && ev->type != YAML_MAPPING_START_EVENT)
    {
        yaml_event_delete(ev);
        return BLOG_OK;
    }

    level = 0;

    for ( ;; ) {
        if (ev->type == YAML_SEQUENCE_START_EVENT
            || ev->type == YAML_MAPPING_START_EVENT)
        {
            level++;

            if (depth + level > rd->max_depth) {
                rd->pd->line = blog_fm_mark_line(&rd->lines, &ev->start_mark);
                snprintf(rd->pd->text, sizeof(rd->pd->text),
                         "front matter nests deeper than %u levels",
                         rd->max_depth);
                rd->pd->reason = rd->pd->text;
                yaml_event_delete(ev);
                return BLOG_ERROR;
            }

        } else if (ev->type == YAML_SEQUENCE_END_EVENT
                   || ev->type == YAML_MAPPING_END_EVENT)
        {
            level--;
        }

        yaml_event_delete(ev);

        if (level == 0) {
            return BLOG_OK;
        }

        if (blog_fm_next(rd, ev) != BLOG_OK) {
            return BLOG_ERROR;
        }
    }
}


/*
 * The line of a mark: libyaml counts characters from the header's start
 * in mark->index, so walk there, counting LFs.  Marks mostly come in
 * order, so the walk resumes where the last one ended.
 */

static unsigned
blog_fm_mark_line(blog_fm_lines_t *lines, const yaml_mark_t *mark)
{
    if (mark->index < lines->index) {
        lines->pos = lines->start;
        lines->index = 0;
        lines->line = lines->first;
    }

    while (lines->index < mark->index && lines->pos < lines->end) {
        lines->line += (*lines->pos == '\n');
        lines->pos++;

        while (lines->pos < lines->end && (*lines->pos & 0xc0) == 0x80) {
            lines->pos++;
        }

        lines->index++;
    }

    return lines->line;
}


static unsigned
blog_fm_offset_line(blog_fm_lines_t *lines, size_t offset)
{
    unsigned       line;
    const u_char  *p, *end;

    line = lines->first;
    end = lines->start + offset;

    if (offset > (size_t) (lines->end - lines->start)) {
        end = lines->end;
    }

    for (p = lines->start; p < end; p++) {
        line += (*p == '\n');
    }

    return line;
}


static int
blog_fm_add(blog_fm_t *fm, yaml_event_t *key, blog_buf_t *value,
    unsigned line, unsigned list)
{
    blog_fm_field_t  *f;

    if (value->failed) {
        yaml_event_delete(key);
        return BLOG_ERROR;
    }

    f = realloc(fm->fields, (fm->nfields + 1) * sizeof(blog_fm_field_t));
    if (f == NULL) {
        yaml_event_delete(key);
        return BLOG_ERROR;
    }

    fm->fields = f;
    f = &fm->fields[fm->nfields];

    if (blog_str_dup(&f->key, key->data.scalar.value, key->data.scalar.length)
        != BLOG_OK)
    {
        yaml_event_delete(key);
        return BLOG_ERROR;
    }

    yaml_event_delete(key);

    if (blog_str_dup(&f->value, value->data, value->len) != BLOG_OK) {
        free(f->key.data);
        return BLOG_ERROR;
    }

    f->line = line;
    f->list = list;
    fm->nfields++;

    return BLOG_OK;
}
