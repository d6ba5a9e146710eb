
/*
 * Front matter: the header at the top of a post, in YAML between "---"
 * lines (Jekyll, Hugo), TOML between "+++" lines (Hugo, Zola) or a JSON
 * object (Hugo).  Each is read into one tree (blog_node.c), with a cap on
 * bytes and nesting, and the tree's top-level scalars and lists of scalars
 * become the fields blog_post.c reads; Zola's [taxonomies] lend it their
 * tags and categories.  libyaml's aliases are never expanded, so a hostile
 * header costs at most its size.  Lines are counted by LF only, as editors
 * and the rest of the blog count them, not by libyaml's marks, which also
 * break at CR, NEL, LS and PS.
 */


#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "blog.h"


/* the containers a header opens, at first: few nest deeper */
#define BLOG_FM_LEVELS  8


/* maps libyaml's marks (characters from the header's start) to file lines */

typedef struct {
    const u_char   *start;
    const u_char   *pos;
    const u_char   *end;
    size_t          index;      /* characters before pos */
    unsigned        first;      /* line of start */
    unsigned        line;       /* line of pos */
    unsigned        ascii:1;    /* a character a byte */
} blog_fm_lines_t;

/* a container of the tree being built, and the key its next value has */

typedef struct {
    blog_node_t            *node;
    blog_str_t              key;
    unsigned                key_line;
    unsigned                have_key:1;
    unsigned                skip:1;     /* the value of a complex key */
} blog_fm_level_t;

/* one YAML header as libyaml reads it, and where a problem is reported */

typedef struct {
    yaml_parser_t           parser;
    blog_fm_lines_t         lines;
    blog_fm_level_t        *stack;      /* the containers open */
    unsigned                nstack;     /* levels it has room for */
    unsigned                max_depth;
    blog_problem_detail_t  *pd;
} blog_fm_reader_t;


static const u_char *blog_fm_line_end(const u_char *p, const u_char *end);
static int blog_fm_is_fence(const u_char *p, const u_char *end, u_char c);
static int blog_fm_is_blank(const u_char *p, const u_char *end);
static int blog_fm_is_bare(const u_char *p, const u_char *end);
static int blog_fm_is_json(const u_char *p, const u_char *end);
static int blog_fm_fenced(blog_fm_t *fm, const u_char *start,
    const u_char *end, unsigned line, u_char c, size_t max_bytes,
    unsigned max_depth, blog_problem_detail_t *pd);
static int blog_fm_yaml(blog_fm_t *fm, const u_char *p, size_t n,
    unsigned first_line, unsigned max_depth, blog_problem_detail_t *pd);
static int blog_fm_open(blog_fm_reader_t *rd, yaml_event_t *ev);
static int blog_fm_tree(blog_fm_reader_t *rd, yaml_event_t *ev,
    blog_node_t **root);
static int blog_fm_value(blog_fm_reader_t *rd, unsigned *depth,
    yaml_event_t *ev);
static int blog_fm_deeper(blog_fm_reader_t *rd);
static blog_node_t *blog_fm_scalar(yaml_event_t *ev, unsigned line);
static int blog_fm_skip(blog_fm_reader_t *rd, yaml_event_t *ev,
    unsigned depth);
static int blog_fm_next(blog_fm_reader_t *rd, yaml_event_t *ev);
static unsigned blog_fm_mark_line(blog_fm_lines_t *lines,
    const yaml_mark_t *mark);
static unsigned blog_fm_offset_line(blog_fm_lines_t *lines, size_t offset);
static int blog_fm_ascii(const u_char *p, size_t n);
static int blog_fm_fields(blog_fm_t *fm);
static int blog_fm_add(blog_fm_t *fm, const blog_str_t *key,
    blog_node_t *value);


static const u_char *
blog_fm_line_end(const u_char *p, const u_char *end)
{
    const u_char  *nl;

    nl = memchr(p, '\n', end - p);

    return nl != NULL ? nl + 1 : end;
}


/*
 * The fence alone on its line, trailing blanks allowed: "---" (or "..."
 * to close YAML), or "+++".
 */

static int
blog_fm_is_fence(const u_char *p, const u_char *end, u_char c)
{
    if (end - p < 3
        || !((p[0] == c && p[1] == c && p[2] == c)
             || (c == '-' && memcmp(p, "...", 3) == 0)))
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

        if (blog_fm_is_fence(p, next, '-')) {
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


/* "{" then a key or "}": a JSON object, which a Markdown line never is */

static int
blog_fm_is_json(const u_char *p, const u_char *end)
{
    if (p == end || *p != '{') {
        return 0;
    }

    for (p++; p < end; p++) {
        if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') {
            return *p == '"' || *p == '}';
        }
    }

    return 0;
}


int
blog_fm_parse(blog_fm_t *fm, const u_char *text, size_t len,
    size_t max_bytes, unsigned max_depth, blog_problem_detail_t *pd)
{
    int            rc;
    unsigned       first;
    const u_char  *p, *end, *next;

    fm->root = NULL;
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

    if (blog_fm_is_fence(p, next, '-') && *p == '-') {
        rc = blog_fm_fenced(fm, next, end, first + 1, '-', max_bytes,
                            max_depth, pd);

    } else if (blog_fm_is_fence(p, next, '+')) {
        rc = blog_fm_fenced(fm, next, end, first + 1, '+', max_bytes,
                            max_depth, pd);

    } else if (blog_fm_is_json(p, end)) {
        rc = blog_fm_json(fm, p, end - p, first, max_bytes, max_depth, pd);

    } else if (blog_fm_is_bare(p, end)) {
        snprintf(pd->warning, sizeof(pd->warning),
                 "front matter has no opening \"---\" line; "
                 "read as front matter all the same");
        pd->warning_line = first;

        rc = blog_fm_fenced(fm, p, end, first, '-', max_bytes, max_depth,
                            pd);

    } else {
        return BLOG_OK;
    }

    if (rc == BLOG_OK) {
        rc = blog_fm_fields(fm);

        if (rc != BLOG_OK) {
            pd->line = first;
            pd->reason = "out of memory reading front matter";
        }
    }

    if (rc != BLOG_OK) {
        blog_fm_free(fm);
        return BLOG_ERROR;
    }

    return BLOG_OK;
}


/*
 * A header from start (line "line" of the file) up to the closing fence
 * of c, in YAML ("-") or TOML ("+"); the body follows the fence.
 */

static int
blog_fm_fenced(blog_fm_t *fm, const u_char *start, const u_char *end,
    unsigned line, u_char c, size_t max_bytes, unsigned max_depth,
    blog_problem_detail_t *pd)
{
    unsigned       first;
    const u_char  *p, *next;

    first = line;

    for (p = start, next = start; p < end; p = next, line++) {
        next = blog_fm_line_end(p, end);

        if (blog_fm_is_fence(p, next, c)) {
            break;
        }
    }

    if (p == end) {
        pd->line = first - 1;
        pd->reason = (c == '+') ? "front matter has no closing \"+++\" line"
                                : "front matter has no closing \"---\" line";
        return BLOG_ERROR;
    }

    if ((size_t) (p - start) > max_bytes) {
        pd->line = first;
        snprintf(pd->text, sizeof(pd->text),
                 "front matter is larger than %zu bytes", max_bytes);
        pd->reason = pd->text;
        return BLOG_ERROR;
    }

    fm->body = next;
    fm->body_len = end - next;
    fm->body_line = line + 1;

    if (c == '+') {
        return blog_toml_parse(&fm->root, start, p - start, first,
                               max_depth, pd);
    }

    return blog_fm_yaml(fm, start, p - start, first, max_depth, pd);
}


void
blog_fm_free(blog_fm_t *fm)
{
    size_t  i;

    for (i = 0; i < fm->nfields; i++) {
        free(fm->fields[i].value.data);
    }

    free(fm->fields);
    fm->fields = NULL;
    fm->nfields = 0;

    blog_node_free(fm->root);
    fm->root = NULL;
}


/* a field by key, in any case: Hugo reads "publishDate" as "publishdate" */

blog_fm_field_t *
blog_fm_get(blog_fm_t *fm, const char *key)
{
    size_t  i, n;

    n = strlen(key);

    for (i = 0; i < fm->nfields; i++) {
        if (fm->fields[i].key.len == n
            && strncasecmp((char *) fm->fields[i].key.data, key, n) == 0)
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


/*
 * Most headers the simple reader reads (blog_front_matter_simple.c), at a
 * fifth of libyaml's cost; libyaml reads what it declines, and says what
 * is wrong with a header that is not valid.
 */

static int
blog_fm_yaml(blog_fm_t *fm, const u_char *p, size_t n, unsigned first_line,
    unsigned max_depth, blog_problem_detail_t *pd)
{
    int  rc;

    rc = blog_fm_simple(&fm->root, p, n, first_line, max_depth);

    if (rc == BLOG_DECLINED) {
        return blog_fm_libyaml(&fm->root, p, n, first_line, max_depth, pd);
    }

    if (rc != BLOG_OK) {
        pd->line = first_line;
        pd->reason = "out of memory reading front matter";
    }

    return rc;
}


int
blog_fm_libyaml(blog_node_t **root, const u_char *p, size_t n,
    unsigned first_line, unsigned max_depth, blog_problem_detail_t *pd)
{
    int               rc;
    yaml_event_t      ev;
    blog_fm_reader_t  rd;

    *root = NULL;

    if (!yaml_parser_initialize(&rd.parser)) {
        pd->line = first_line;
        pd->reason = "out of memory reading front matter";
        return BLOG_ERROR;
    }

    /* UTF-8 as the post is: no guessing UTF-16 from the first bytes */

    yaml_parser_set_input_string(&rd.parser, p, n);
    yaml_parser_set_encoding(&rd.parser, YAML_UTF8_ENCODING);

    rd.lines.start = p;
    rd.lines.pos = p;
    rd.lines.end = p + n;
    rd.lines.index = 0;
    rd.lines.first = first_line;
    rd.lines.line = first_line;
    rd.lines.ascii = blog_fm_ascii(p, n);
    rd.max_depth = max_depth;
    rd.pd = pd;

    rc = blog_fm_open(&rd, &ev);

    if (rc == BLOG_OK) {
        rc = blog_fm_tree(&rd, &ev, root);

    } else if (rc == BLOG_DECLINED) {
        /* an empty header: no fields */
        rc = BLOG_OK;
    }

    yaml_parser_delete(&rd.parser);

    return rc;
}


/*
 * Stream start, then document start and the start of the mapping, which
 * is left in ev; declined when the header is empty.
 */

static int
blog_fm_open(blog_fm_reader_t *rd, yaml_event_t *ev)
{
    if (blog_fm_next(rd, ev) != BLOG_OK) {
        return BLOG_ERROR;
    }

    yaml_event_delete(ev);

    /* document start, or an empty stream */

    if (blog_fm_next(rd, ev) != BLOG_OK) {
        return BLOG_ERROR;
    }

    if (ev->type == YAML_STREAM_END_EVENT) {
        yaml_event_delete(ev);
        return BLOG_DECLINED;
    }

    yaml_event_delete(ev);

    if (blog_fm_next(rd, ev) != BLOG_OK) {
        return BLOG_ERROR;
    }

    if (ev->type == YAML_SCALAR_EVENT && ev->data.scalar.length == 0
        && ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
    {
        /* "---" then "---" */
        yaml_event_delete(ev);
        return BLOG_DECLINED;
    }

    if (ev->type != YAML_MAPPING_START_EVENT) {
        rd->pd->line = blog_fm_mark_line(&rd->lines, &ev->start_mark);
        rd->pd->reason = "front matter is not a mapping of keys to values";
        yaml_event_delete(ev);
        return BLOG_ERROR;
    }

    return BLOG_OK;
}


/*
 * The mapping that ev starts, as a tree, up to its end.  The containers
 * open are a stack no deeper than the depth cap, which bounds the work a
 * deeply nested header can cause.
 */

static int
blog_fm_tree(blog_fm_reader_t *rd, yaml_event_t *ev, blog_node_t **root)
{
    int               rc;
    unsigned          depth, i;
    blog_fm_level_t  *stack;

    rd->nstack = rd->max_depth < BLOG_FM_LEVELS ? rd->max_depth + 1
                                                : BLOG_FM_LEVELS;
    rd->stack = calloc(rd->nstack, sizeof(blog_fm_level_t));

    if (rd->stack == NULL) {
        yaml_event_delete(ev);
        rd->pd->line = rd->lines.first;
        rd->pd->reason = "out of memory reading front matter";
        return BLOG_ERROR;
    }

    depth = 0;

    for ( ;; ) {
        rc = blog_fm_value(rd, &depth, ev);

        if (rc != BLOG_OK || depth == 0) {
            break;
        }

        if (blog_fm_next(rd, ev) != BLOG_OK) {
            rc = BLOG_ERROR;
            break;
        }
    }

    stack = rd->stack;

    for (i = 0; i < rd->nstack; i++) {
        free(stack[i].key.data);
    }

    if (rc == BLOG_OK || stack[0].node == NULL) {
        *root = stack[0].node;

    } else {
        blog_node_free(stack[0].node);
    }

    free(stack);

    return rc;
}


/*
 * One event in the tree: a map's key, a value, or a container's end.
 * Keys that are not scalars are skipped with their values; ev is deleted
 * on every path.
 */

static int
blog_fm_value(blog_fm_reader_t *rd, unsigned *depth, yaml_event_t *ev)
{
    unsigned          line;
    blog_node_t      *node;
    blog_fm_level_t  *top;

    top = *depth ? &rd->stack[*depth - 1] : NULL;

    if (ev->type == YAML_SEQUENCE_END_EVENT
        || ev->type == YAML_MAPPING_END_EVENT)
    {
        yaml_event_delete(ev);
        (*depth)--;
        return BLOG_OK;
    }

    line = blog_fm_mark_line(&rd->lines, &ev->start_mark);

    if (top != NULL && top->node->type == BLOG_NODE_MAP) {

        if (top->skip) {
            top->skip = 0;
            return blog_fm_skip(rd, ev, *depth);
        }

        if (!top->have_key) {
            if (ev->type != YAML_SCALAR_EVENT) {
                top->skip = 1;
                return blog_fm_skip(rd, ev, *depth);
            }

            free(top->key.data);

            if (blog_str_dup(&top->key, ev->data.scalar.value,
                             ev->data.scalar.length)
                != BLOG_OK)
            {
                yaml_event_delete(ev);
                goto nomem;
            }

            top->key_line = line;
            top->have_key = 1;
            yaml_event_delete(ev);
            return BLOG_OK;
        }
    }

    switch (ev->type) {

    case YAML_SCALAR_EVENT:
        node = blog_fm_scalar(ev, line);
        break;

    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:

        if (*depth + 1 > rd->max_depth) {
            rd->pd->line = line;
            snprintf(rd->pd->text, sizeof(rd->pd->text),
                     "front matter nests deeper than %u levels",
                     rd->max_depth);
            rd->pd->reason = rd->pd->text;
            yaml_event_delete(ev);
            return BLOG_ERROR;
        }

        node = blog_node_new(ev->type == YAML_MAPPING_START_EVENT
                             ? BLOG_NODE_MAP : BLOG_NODE_LIST, line);
        break;

    default:
        /* an alias, never expanded */
        node = blog_node_new(BLOG_NODE_NULL, line);
        break;
    }

    yaml_event_delete(ev);

    if (node == NULL) {
        goto nomem;
    }

    if (top != NULL) {
        if (top->have_key) {
            node->key = top->key;
            node->line = top->key_line;
            top->key.data = NULL;
            top->have_key = 0;
        }

        blog_node_append(top->node, node);
    }

    if (node->type == BLOG_NODE_LIST || node->type == BLOG_NODE_MAP) {

        /* a node below the root is in the tree, freed with it */

        if (*depth == rd->nstack && blog_fm_deeper(rd) != BLOG_OK) {
            goto nomem;
        }

        rd->stack[*depth].node = node;
        rd->stack[*depth].have_key = 0;
        rd->stack[*depth].skip = 0;
        (*depth)++;
    }

    return BLOG_OK;

nomem:

    rd->pd->line = rd->lines.first;
    rd->pd->reason = "out of memory reading front matter";
    return BLOG_ERROR;
}


/* room for twice as many open containers, up to the depth cap */

static int
blog_fm_deeper(blog_fm_reader_t *rd)
{
    unsigned          n;
    blog_fm_level_t  *stack;

    n = 2 * rd->nstack;

    if (n > rd->max_depth + 1) {
        n = rd->max_depth + 1;
    }

    stack = realloc(rd->stack, n * sizeof(blog_fm_level_t));
    if (stack == NULL) {
        return BLOG_ERROR;
    }

    memset(stack + rd->nstack, 0, (n - rd->nstack) * sizeof(blog_fm_level_t));

    rd->stack = stack;
    rd->nstack = n;

    return BLOG_OK;
}


static blog_node_t *
blog_fm_scalar(yaml_event_t *ev, unsigned line)
{
    return blog_fm_scalar_node(ev->data.scalar.value, ev->data.scalar.length,
                               ev->data.scalar.style
                               == YAML_PLAIN_SCALAR_STYLE,
                               line);
}


/*
 * A scalar as written; a plain true or false is a boolean and a plain
 * "~" or nothing a null, so that a template's section tests them as such.
 */

blog_node_t *
blog_fm_scalar_node(const u_char *text, size_t n, unsigned plain,
    unsigned line)
{
    const char        *p;
    blog_node_t       *node;
    blog_node_type_e   type;

    p = (const char *) text;
    type = BLOG_NODE_STRING;

    if (plain) {
        if ((n == 4 && (strncmp(p, "true", 4) == 0
                        || strncmp(p, "True", 4) == 0
                        || strncmp(p, "TRUE", 4) == 0))
            || (n == 5 && (strncmp(p, "false", 5) == 0
                           || strncmp(p, "False", 5) == 0
                           || strncmp(p, "FALSE", 5) == 0)))
        {
            type = BLOG_NODE_BOOL;

        } else if (n == 0 || (n == 1 && p[0] == '~')
                   || (n == 4 && (strncmp(p, "null", 4) == 0
                                  || strncmp(p, "Null", 4) == 0
                                  || strncmp(p, "NULL", 4) == 0)))
        {
            type = BLOG_NODE_NULL;
        }
    }

    node = blog_node_new(type, line);
    if (node == NULL) {
        return NULL;
    }

    if (blog_node_set_text(node, text, n) != BLOG_OK) {
        blog_node_free(node);
        return NULL;
    }

    return node;
}


/*
 * Consumes the node that ev starts, at depth.  The depth cap bounds the
 * work a deeply nested key can cause; ev is deleted on every path.
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
    size_t         n;
    const u_char  *to, *nl;

    if (mark->index < lines->index) {
        lines->pos = lines->start;
        lines->index = 0;
        lines->line = lines->first;
    }

    /* most headers are ASCII: the mark is a byte offset, LFs are found */

    if (lines->ascii) {
        n = mark->index - lines->index;

        if (n > (size_t) (lines->end - lines->pos)) {
            n = lines->end - lines->pos;
        }

        to = lines->pos + n;

        while ((nl = memchr(lines->pos, '\n', to - lines->pos)) != NULL) {
            lines->line++;
            lines->pos = nl + 1;
        }

        lines->pos = to;
        lines->index += n;

        return lines->line;
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


static int
blog_fm_ascii(const u_char *p, size_t n)
{
    size_t  i;

    for (i = 0; i < n; i++) {
        if (p[i] >= 0x80) {
            return 0;
        }
    }

    return 1;
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




/*
 * The fields blog_post.c reads: each top-level scalar, and each list's
 * scalars one a line.  Zola keeps tags and categories in [taxonomies].
 */

static int
blog_fm_fields(blog_fm_t *fm)
{
    size_t        n;
    blog_node_t  *m, *tax;

    if (fm->root == NULL) {
        return BLOG_OK;
    }

    /* room for every member, and for Zola's two taxonomies */

    n = 2;

    for (m = fm->root->child; m != NULL; m = m->next) {
        n++;
    }

    fm->fields = malloc(n * sizeof(blog_fm_field_t));
    if (fm->fields == NULL) {
        return BLOG_ERROR;
    }

    for (m = fm->root->child; m != NULL; m = m->next) {
        if (blog_fm_add(fm, &m->key, m) != BLOG_OK) {
            return BLOG_ERROR;
        }
    }

    tax = blog_node_get(fm->root, "taxonomies");

    if (tax == NULL) {
        return BLOG_OK;
    }

    for (m = tax->child; m != NULL; m = m->next) {
        if (((m->key.len == 4 && memcmp(m->key.data, "tags", 4) == 0)
             || (m->key.len == 10
                 && memcmp(m->key.data, "categories", 10) == 0))
            && blog_fm_get(fm, (char *) m->key.data) == NULL
            && blog_fm_add(fm, &m->key, m) != BLOG_OK)
        {
            return BLOG_ERROR;
        }
    }

    return BLOG_OK;
}


/* a field of the key's value, which must be a scalar or list; keys are
 * the tree's, not copied */

static int
blog_fm_add(blog_fm_t *fm, const blog_str_t *key, blog_node_t *value)
{
    int               rc;
    blog_buf_t        b;
    blog_str_t        v;
    blog_node_t      *item;
    blog_fm_field_t  *f;

    if (value->type == BLOG_NODE_MAP) {
        return BLOG_OK;
    }

    if (value->type == BLOG_NODE_LIST) {
        blog_buf_init(&b);

        for (item = value->child; item != NULL; item = item->next) {
            if (item->type == BLOG_NODE_LIST || item->type == BLOG_NODE_MAP) {
                continue;
            }

            if (b.len) {
                blog_buf_addc(&b, '\n');
            }

            blog_buf_add(&b, item->text.data, item->text.len);
        }

        rc = b.failed ? BLOG_ERROR : blog_str_dup(&v, b.data, b.len);

        blog_buf_free(&b);

    } else {
        rc = blog_str_dup(&v, value->text.data, value->text.len);
    }

    if (rc != BLOG_OK) {
        return BLOG_ERROR;
    }

    f = &fm->fields[fm->nfields++];

    f->key = *key;
    f->value = v;
    f->line = value->line;
    f->list = (value->type == BLOG_NODE_LIST);

    return BLOG_OK;
}
