
/*
 * What every fuzz target of the core includes: libc, blog.h, a check that
 * aborts with a message (so libFuzzer keeps an input that breaks an
 * invariant as it keeps one that crashes), and the few reference
 * functions the targets compare the core against.  Each target is one
 * file, t/fuzz/fuzz_NAME.c, linked with all of the core; run.sh builds
 * and runs them.
 */


#ifndef _FUZZ_H_INCLUDED_
#define _FUZZ_H_INCLUDED_


#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blog.h"


#define FUZZ_ARRAY(a)  (sizeof(a) / sizeof((a)[0]))

#define fuzz_check(expr)                                                      \
    do {                                                                      \
        if (!(expr)) {                                                        \
            fprintf(stderr, "%s:%d: invariant broken: %s\n",                 \
                    __FILE__, __LINE__, #expr);                               \
            abort();                                                          \
        }                                                                     \
    } while (0)

/* a blog_str_t that lies within [p, p + n), or is empty */

#define fuzz_inside(s, p, n)                                                  \
    ((s).len == 0                                                             \
     || ((s).data >= (p) && (s).len <= (n)                                    \
         && (size_t) ((s).data - (p)) <= (n) - (s).len))


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);


/*
 * The offset of the first byte that does not start a well-formed UTF-8
 * sequence (Unicode's table 3-7), or n: written apart from the core's
 * decoder so the two can be compared.
 */

static inline size_t
fuzz_utf8_check(const u_char *p, size_t n)
{
    size_t  i, k, need;
    u_char  c, lo, hi;

    for (i = 0; i < n; i += need + 1) {
        c = p[i];
        lo = 0x80;
        hi = 0xbf;

        if (c < 0x80) {
            need = 0;

        } else if (c >= 0xc2 && c <= 0xdf) {
            need = 1;

        } else if (c == 0xe0) {
            need = 2;
            lo = 0xa0;

        } else if ((c >= 0xe1 && c <= 0xec) || c == 0xee || c == 0xef) {
            need = 2;

        } else if (c == 0xed) {
            need = 2;
            hi = 0x9f;

        } else if (c == 0xf0) {
            need = 3;
            lo = 0x90;

        } else if (c >= 0xf1 && c <= 0xf3) {
            need = 3;

        } else if (c == 0xf4) {
            need = 3;
            hi = 0x8f;

        } else {
            return i;
        }

        if (need == 0) {
            continue;
        }

        if (n - i - 1 < need || p[i + 1] < lo || p[i + 1] > hi) {
            return i;
        }

        for (k = 2; k <= need; k++) {
            if ((p[i + k] & 0xc0) != 0x80) {
                return i;
            }
        }
    }

    return n;
}


/*
 * No character XML 1.0 forbids (what a feed shows must parse): C0 controls
 * but TAB, LF and CR, and the non-characters U+FFFE and U+FFFF.  The text
 * is valid UTF-8 already.
 */

static inline int
fuzz_xml_text(const u_char *p, size_t n)
{
    size_t  i;

    for (i = 0; i < n; i++) {
        if (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r') {
            return 0;
        }

        if (p[i] == 0xef && n - i >= 3 && p[i + 1] == 0xbf
            && (p[i + 2] == 0xbe || p[i + 2] == 0xbf))
        {
            return 0;
        }
    }

    return 1;
}


/* memmem, ignoring ASCII case; needle in lower case */

static inline const u_char *
fuzz_find_nocase(const u_char *p, size_t n, const char *needle)
{
    size_t  i, k, len;
    u_char  c;

    len = strlen(needle);

    if (p == NULL) {
        return NULL;
    }

    for (i = 0; i + len <= n; i++) {
        for (k = 0; k < len; k++) {
            c = p[i + k];

            if (c >= 'A' && c <= 'Z') {
                c |= 0x20;
            }

            if (c != (u_char) needle[k]) {
                break;
            }
        }

        if (k == len) {
            return p + i;
        }
    }

    return NULL;
}


/*
 * The invariants of a tag's URL name: not empty, valid UTF-8, ASCII only
 * in lower case, digits, "+", "#" and single inner "-".
 */

static inline void
fuzz_check_tag_key(const blog_str_t *key)
{
    size_t  i;
    u_char  c;

    fuzz_check(key->len > 0 && key->data != NULL);
    fuzz_check(key->data[key->len] == '\0');
    fuzz_check(fuzz_utf8_check(key->data, key->len) == key->len);
    fuzz_check(key->data[0] != '-' && key->data[key->len - 1] != '-');

    for (i = 0; i < key->len; i++) {
        c = key->data[i];

        if (c >= 0x80) {
            continue;
        }

        fuzz_check((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                   || c == '+' || c == '#' || c == '-');
        fuzz_check(!(c == '-' && key->data[i + 1] == '-'));
    }
}


#endif /* _FUZZ_H_INCLUDED_ */
