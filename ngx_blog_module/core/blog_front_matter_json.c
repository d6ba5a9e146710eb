
/*
 * JSON front matter, as Hugo reads it: an object opening the file, the
 * body after its closing brace.  jansson parses it, refusing duplicate
 * keys, within the front matter's byte cap; the object becomes the same
 * tree as a YAML or TOML header, within its depth cap.
 */


#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "blog.h"


static blog_node_t *blog_fm_json_node(json_t *v, unsigned line,
    unsigned depth, unsigned max_depth, blog_problem_detail_t *pd);


int
blog_fm_json(blog_fm_t *fm, const u_char *p, size_t n, unsigned line,
    size_t max_bytes, unsigned max_depth, blog_problem_detail_t *pd)
{
    size_t         len, used;
    json_t        *obj;
    const u_char  *q, *end, *nul;
    json_error_t   err;

    len = n < max_bytes ? n : max_bytes;

    /* jansson miscounts the bytes it read past a NUL: read up to one */

    nul = memchr(p, '\0', len);

    if (nul != NULL) {
        len = nul - p;
    }

    obj = json_loadb((const char *) p, len,
                     JSON_REJECT_DUPLICATES | JSON_DISABLE_EOF_CHECK, &err);

    if (obj == NULL) {
        if (err.position >= (int) len - 1 && nul != NULL) {
            pd->line = line + (err.line > 0 ? err.line - 1 : 0);
            snprintf(pd->text, sizeof(pd->text),
                     "front matter is not valid JSON: a NUL byte");

        } else if (err.position >= (int) len - 1 && len < n) {
            pd->line = line;
            snprintf(pd->text, sizeof(pd->text),
                     "front matter is larger than %zu bytes", max_bytes);

        } else {
            pd->line = line + (err.line > 0 ? err.line - 1 : 0);
            snprintf(pd->text, sizeof(pd->text),
                     "front matter is not valid JSON: %.100s", err.text);
        }

        pd->reason = pd->text;
        return BLOG_ERROR;
    }

    used = err.position > 0 ? (size_t) err.position : len;

    if (!json_is_object(obj) || used > len || used == 0 || p[used - 1] != '}')
    {
        json_decref(obj);
        pd->line = line;
        pd->reason = "front matter is not a JSON object";
        return BLOG_ERROR;
    }

    fm->root = blog_fm_json_node(obj, line, 1, max_depth, pd);
    json_decref(obj);

    if (fm->root == NULL) {
        return BLOG_ERROR;
    }

    /* the body starts on the line after the brace's */

    end = p + n;
    q = p + used;

    while (q < end && (*q == ' ' || *q == '\t' || *q == '\r')) {
        q++;
    }

    if (q < end && *q == '\n') {
        q++;
    }

    fm->body = q;
    fm->body_len = end - q;
    fm->body_line = line;

    for (q = p; q < fm->body; q++) {
        fm->body_line += (*q == '\n');
    }

    return BLOG_OK;
}


/* a value and what it holds; every node dated at the object's line */

static blog_node_t *
blog_fm_json_node(json_t *v, unsigned line, unsigned depth,
    unsigned max_depth, blog_problem_detail_t *pd)
{
    char                num[32];
    size_t              i, len;
    json_t             *item;
    const char         *text, *key;
    blog_node_t        *node, *member;
    blog_node_type_e    type;

    if (depth > max_depth) {
        pd->line = line;
        snprintf(pd->text, sizeof(pd->text),
                 "front matter nests deeper than %u levels", max_depth);
        pd->reason = pd->text;
        return NULL;
    }

    text = NULL;
    len = 0;

    switch (json_typeof(v)) {

    case JSON_OBJECT:
        type = BLOG_NODE_MAP;
        break;

    case JSON_ARRAY:
        type = BLOG_NODE_LIST;
        break;

    case JSON_STRING:
        type = BLOG_NODE_STRING;
        text = json_string_value(v);
        len = json_string_length(v);
        break;

    case JSON_INTEGER:
        type = BLOG_NODE_INTEGER;
        text = num;
        len = snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
                       json_integer_value(v));
        break;

    case JSON_REAL:
        type = BLOG_NODE_FLOAT;
        text = num;
        len = snprintf(num, sizeof(num), "%.17g", json_real_value(v));
        break;

    case JSON_TRUE:
    case JSON_FALSE:
        type = BLOG_NODE_BOOL;
        text = json_is_true(v) ? "true" : "false";
        len = strlen(text);
        break;

    default:
        type = BLOG_NODE_NULL;
        text = "";
        break;
    }

    node = blog_node_new(type, line);

    if (node == NULL
        || (text != NULL
            && blog_node_set_text(node, (u_char *) text, len) != BLOG_OK))
    {
        goto nomem;
    }

    if (text != NULL) {
        return node;
    }

    if (json_is_object(v)) {
        json_object_foreach(v, key, item) {
            member = blog_fm_json_node(item, line, depth + 1, max_depth, pd);
            if (member == NULL) {
                blog_node_free(node);
                return NULL;
            }

            blog_node_append(node, member);

            if (blog_node_set_key(member, (u_char *) key, strlen(key))
                != BLOG_OK)
            {
                goto nomem;
            }
        }

        return node;
    }

    json_array_foreach(v, i, item) {
        member = blog_fm_json_node(item, line, depth + 1, max_depth, pd);
        if (member == NULL) {
            blog_node_free(node);
            return NULL;
        }

        blog_node_append(node, member);
    }

    return node;

nomem:

    blog_node_free(node);
    pd->line = line;
    pd->reason = "out of memory reading front matter";
    return NULL;
}
