
/*
 * How the TOML reader refuses a document: a reason and its line in the
 * caller's problem detail, with the key or value at fault quoted so that
 * it is safe to log (whole characters, no controls, a few dozen bytes at
 * most).  Running out of memory is one of the reasons, so the reader's
 * nodes are made here too.  Finding what is wrong is the other files'.
 */


#include <stdio.h>
#include <string.h>
#include <stdarg.h>

#include "blog_toml.h"


#define BLOG_TOML_KEY_SHOWN   40    /* bytes of a key or a value in a reason */


blog_node_t *
blog_toml_node(blog_toml_t *t, blog_node_type_e type, unsigned line)
{
    blog_node_t  *node;

    node = blog_node_new(type, line);
    if (node == NULL) {
        (void) blog_toml_nomem(t);
    }

    return node;
}


/* a string's or a bare value's node: its text is the value's, t->text */

blog_node_t *
blog_toml_text_node(blog_toml_t *t, blog_node_type_e type, unsigned line)
{
    blog_node_t  *node;

    node = blog_toml_node(t, type, line);
    if (node == NULL) {
        return NULL;
    }

    if (blog_node_set_text(node, t->text.data, t->text.len) != BLOG_OK) {
        blog_node_free(node);
        (void) blog_toml_nomem(t);
        return NULL;
    }

    return node;
}


/*
 * A key or a value for a reason, in quotes: its first bytes, whole
 * characters only, with controls as "?" (the text is valid UTF-8).  buf
 * holds at least 64 bytes.
 */

const char *
blog_toml_quote(char *buf, const u_char *p, size_t n)
{
    char    *d;
    size_t   i, len;
    u_char   c;

    d = buf;
    *d++ = '"';

    for (i = 0; i < n; i += len) {
        c = p[i];
        len = (c < 0x80) ? 1 : (c >= 0xf0) ? 4 : (c >= 0xe0) ? 3 : 2;

        if ((size_t) (d - buf) - 1 + len + 1 > BLOG_TOML_KEY_SHOWN
            || i + len > n)
        {
            memcpy(d, "...", 3);
            d += 3;
            break;
        }

        if (c < 0x20 || c == 0x7f) {
            *d++ = '?';

        } else {
            if (c == '"' || c == '\\') {
                *d++ = '\\';
            }

            memcpy(d, p + i, len);
            d += len;
        }
    }

    *d++ = '"';
    *d = '\0';

    return buf;
}


/* what t->p points at, for a reason */

const char *
blog_toml_what(blog_toml_t *t, char *buf, size_t size)
{
    u_char  c;

    if (t->p == t->end) {
        return "the end";
    }

    c = *t->p;

    if (c == '\n' || (c == '\r' && t->end - t->p >= 2 && t->p[1] == '\n')) {
        return "a line break";
    }

    if (c > 0x20 && c < 0x7f) {
        snprintf(buf, size, "\"%c\"", c);

    } else {
        snprintf(buf, size, "U+%04X", blog_toml_codepoint(t->p));
    }

    return buf;
}


/* the character at p, well-formed UTF-8 */

uint32_t
blog_toml_codepoint(const u_char *p)
{
    if (p[0] < 0x80) {
        return p[0];
    }

    if (p[0] < 0xe0) {
        return ((uint32_t) (p[0] & 0x1f) << 6) | (p[1] & 0x3f);
    }

    if (p[0] < 0xf0) {
        return ((uint32_t) (p[0] & 0x0f) << 12)
               | ((uint32_t) (p[1] & 0x3f) << 6) | (p[2] & 0x3f);
    }

    return ((uint32_t) (p[0] & 0x07) << 18) | ((uint32_t) (p[1] & 0x3f) << 12)
           | ((uint32_t) (p[2] & 0x3f) << 6) | (p[3] & 0x3f);
}


int
blog_toml_error(blog_toml_t *t, unsigned line, const char *fmt, ...)
{
    int      n;
    va_list  args;

    n = snprintf(t->pd->text, sizeof(t->pd->text),
                 "front matter is not valid TOML: ");

    va_start(args, fmt);
    vsnprintf(t->pd->text + n, sizeof(t->pd->text) - n, fmt, args);
    va_end(args);

    t->pd->line = line;
    t->pd->reason = t->pd->text;

    return BLOG_ERROR;
}


/* a problem at offset from start, before the parse counted its line */

int
blog_toml_error_at(blog_toml_t *t, size_t offset, const u_char *start,
    const char *reason)
{
    size_t  i;

    for (i = 0; i < offset; i++) {
        t->line += (start[i] == '\n');
    }

    return blog_toml_error(t, t->line, "%s", reason);
}


int
blog_toml_too_deep(blog_toml_t *t, unsigned line)
{
    snprintf(t->pd->text, sizeof(t->pd->text),
             "front matter nests deeper than %u levels", t->max_depth);

    t->pd->line = line;
    t->pd->reason = t->pd->text;

    return BLOG_ERROR;
}


int
blog_toml_nomem(blog_toml_t *t)
{
    t->pd->line = t->line;
    t->pd->reason = "front matter could not be read: out of memory";

    return BLOG_ERROR;
}
