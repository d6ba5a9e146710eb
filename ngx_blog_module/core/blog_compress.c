
/*
 * The compressed variants of a page or an asset, made once per version in
 * a render's thread: gzip at its best level, and brotli.  The server
 * decides which one a client takes; a variant that fails is not sent.
 */


#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <brotli/encode.h>

#include "blog.h"


/*
 * brotli's best quality takes about a second of a thread per 600 KB: up
 * to this size a page gets it (a fifth smaller than gzip's best), past
 * it quality 9 (some 15% smaller, twenty times faster), so a very long
 * page holds a render thread for a fraction of a second, not seconds.
 */
#define BLOG_BROTLI_BEST_SIZE  (256 * 1024)
#define BLOG_BROTLI_LARGE      9


/* len bytes gzipped into malloc'd memory; NULL if zlib fails */

u_char *
blog_gzip(const u_char *in, size_t len, size_t *out_len)
{
    int        rc;
    size_t     size;
    u_char    *out;
    z_stream   zs;

    memset(&zs, 0, sizeof(z_stream));

    if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8,
                     Z_DEFAULT_STRATEGY)
        != Z_OK)
    {
        return NULL;
    }

    size = deflateBound(&zs, len);

    out = malloc(size);
    if (out == NULL) {
        deflateEnd(&zs);
        return NULL;
    }

    zs.next_in = (u_char *) in;
    zs.avail_in = len;
    zs.next_out = out;
    zs.avail_out = size;

    rc = deflate(&zs, Z_FINISH);

    *out_len = size - zs.avail_out;

    deflateEnd(&zs);

    if (rc != Z_STREAM_END) {
        free(out);
        return NULL;
    }

    return out;
}


/* len bytes in brotli, into malloc'd memory; NULL if it fails */

u_char *
blog_brotli(const u_char *in, size_t len, size_t *out_len)
{
    int      quality;
    size_t   size;
    u_char  *out;

    size = BrotliEncoderMaxCompressedSize(len);
    if (size == 0) {
        return NULL;
    }

    out = malloc(size);
    if (out == NULL) {
        return NULL;
    }

    quality = (len <= BLOG_BROTLI_BEST_SIZE)
              ? BROTLI_MAX_QUALITY : BLOG_BROTLI_LARGE;

    if (!BrotliEncoderCompress(quality, BROTLI_DEFAULT_WINDOW,
                               BROTLI_MODE_TEXT, len, in, &size, out))
    {
        free(out);
        return NULL;
    }

    *out_len = size;

    return out;
}
