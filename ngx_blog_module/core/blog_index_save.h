
/*
 * The file an index is kept in across restarts (blog_index_save.c writes
 * it, blog_index_restore.c reads it): a header, the content root, then a
 * record for each post in the order of their paths, its strings after it,
 * each a length then its bytes.  In the machine's own byte order: the
 * file never leaves the machine that made it.
 */


#ifndef _BLOG_INDEX_SAVE_H_INCLUDED_
#define _BLOG_INDEX_SAVE_H_INCLUDED_


#include "blog.h"


#define BLOG_SAVE_MAGIC     "BLOGIDX\n"
#define BLOG_SAVE_FORMAT    1

/* the length of a string that has no data, as a post's missing redirect */
#define BLOG_SAVE_NULL      0xffffffffU

/* a post's flags in its record */
#define BLOG_SAVE_DRAFT     0x01
#define BLOG_SAVE_DATED     0x02
#define BLOG_SAVE_TITLED    0x04
#define BLOG_SAVE_FRONTED   0x08
#define BLOG_SAVE_TOC       0x10
#define BLOG_SAVE_DATE_ZONE 0x20
#define BLOG_SAVE_MOD_ZONE  0x40


typedef struct {
    u_char          magic[8];
    uint32_t        format;
    uint32_t        header;     /* its own size */
    uint64_t        shape;      /* the build and options it was made with */
    uint64_t        version;    /* of the index */
    uint64_t        nposts;
    uint64_t        root_len;
    uint64_t        size;       /* of what follows */
    uint64_t        sum;        /* CRC-32 of what follows, then of the
                                   header with sum 0 */
} blog_save_header_t;

typedef struct {
    uint32_t        flags;
    uint32_t        name_at;
    uint32_t        reading_time;
    uint32_t        words;
    uint32_t        ntags;
    uint32_t        naliases;
    int32_t         date_off;
    int32_t         lastmod_off;
    int64_t         date;
    int64_t         lastmod;
    int64_t         publish_at;
    int64_t         expires_at;
    uint64_t        digest;
    uint64_t        dev;
    uint64_t        ino;
    uint64_t        size;
    int64_t         mtime_sec;
    int64_t         mtime_nsec;
} blog_save_post_t;


uint64_t blog_index_save_shape(const blog_options_t *opts);
const char *blog_index_keepable(const blog_post_t *post, size_t root_len,
    const blog_options_t *opts);


#endif /* _BLOG_INDEX_SAVE_H_INCLUDED_ */
