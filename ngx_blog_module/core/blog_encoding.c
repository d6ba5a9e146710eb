
/*
 * Content codings: the stored variant of a page or an asset a client
 * takes, by the q-values of its Accept-Encoding (RFC 9110, 12.5.3).
 * Whether a variant may be sent at all is the server's to say.
 */


#include <string.h>
#include <strings.h>

#include "blog.h"


static int blog_accept_qvalue(const u_char *p, const u_char *last);


void
blog_accept_init(blog_accept_t *acc)
{
    acc->br = -1;
    acc->gzip = -1;
    acc->any = -1;
}


/* a coding's q-value in thousandths: named, else that of "*", else 0 */

int
blog_accept_q(const blog_accept_t *acc, unsigned coding)
{
    int  q;

    q = (coding == BLOG_BROTLI) ? acc->br : acc->gzip;

    if (q < 0) {
        q = (acc->any > 0) ? acc->any : 0;
    }

    return q;
}


/*
 * BLOG_BROTLI, BLOG_GZIP or BLOG_IDENTITY: the coding of the highest
 * q-value among those the server has, brotli on a tie; q=0 refuses.
 */

unsigned
blog_accept_choose(const blog_accept_t *acc, unsigned gzip, unsigned br)
{
    int  qbr, qgzip;

    qbr = br ? blog_accept_q(acc, BLOG_BROTLI) : 0;
    qgzip = gzip ? blog_accept_q(acc, BLOG_GZIP) : 0;

    if (qbr > 0 && qbr >= qgzip) {
        return BLOG_BROTLI;
    }

    if (qgzip > 0) {
        return BLOG_GZIP;
    }

    return BLOG_IDENTITY;
}


/*
 * One Accept-Encoding line, parsed into acc: codings with parameters, of which only "q"
 * counts (RFC 9110, 12.5.3).  The first mention of a coding holds.
 */

void
blog_accept_parse(blog_accept_t *acc, const u_char *p, size_t n)
{
    int            q, *slot;
    size_t         len;
    const u_char  *last, *name, *param;

    last = p + n;

    while (p < last) {

        while (p < last && (*p == ' ' || *p == '\t' || *p == ',')) {
            p++;
        }

        name = p;

        while (p < last && *p != ',' && *p != ';' && *p != ' '
               && *p != '\t')
        {
            p++;
        }

        len = p - name;
        q = 1000;

        while (p < last && *p != ',') {

            if (*p++ != ';') {
                continue;
            }

            while (p < last && (*p == ' ' || *p == '\t')) {
                p++;
            }

            param = p;

            while (p < last && *p != '=' && *p != ';' && *p != ','
                   && *p != ' ' && *p != '\t')
            {
                p++;
            }

            if (!(p - param == 1 && (*param | 0x20) == 'q')) {
                continue;
            }

            while (p < last && (*p == ' ' || *p == '\t')) {
                p++;
            }

            if (p == last || *p != '=') {
                q = 0;
                continue;
            }

            p++;

            while (p < last && (*p == ' ' || *p == '\t')) {
                p++;
            }

            param = p;

            while (p < last && *p != ';' && *p != ',' && *p != ' '
                   && *p != '\t')
            {
                p++;
            }

            q = blog_accept_qvalue(param, p);
        }

        if (len == 2 && strncasecmp((const char *) name, "br", 2) == 0) {
            slot = &acc->br;

        } else if ((len == 4
                    && strncasecmp((const char *) name, "gzip", 4) == 0)
                   || (len == 6
                       && strncasecmp((const char *) name, "x-gzip", 6)
                          == 0))
        {
            slot = &acc->gzip;

        } else if (len == 1 && *name == '*') {
            slot = &acc->any;

        } else {
            continue;
        }

        if (*slot < 0) {
            *slot = q;
        }
    }
}


/* "0", "0.5", "1.000": thousandths; anything else refuses, as 0 */

static int
blog_accept_qvalue(const u_char *p, const u_char *last)
{
    int  q, scale;

    if (p == last || (*p != '0' && *p != '1')) {
        return 0;
    }

    q = (*p++ - '0') * 1000;

    if (p == last) {
        return q;
    }

    if (*p++ != '.' || last - p > 3) {
        return 0;
    }

    for (scale = 100; p < last; p++, scale /= 10) {
        if (*p < '0' || *p > '9') {
            return 0;
        }

        q += (*p - '0') * scale;
    }

    return (q > 1000) ? 0 : q;
}
