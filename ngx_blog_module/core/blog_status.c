
/*
 * What a server says of a site's index, the same under every server: the
 * index's part of its status report, as JSON members, and the error log's
 * line for each problem a scan found.  The server writes the rest (its
 * process, its caches, how it shares the index) and chooses who logs.
 */


#include <string.h>

#include "blog.h"


/* ,"readable":...,"problems":[...] after a site's own members */

void
blog_status_index(blog_buf_t *b, blog_index_t *ix, const char *user,
    unsigned long interval_ms)
{
    size_t           i, skipped, warnings;
    blog_time_t      t;
    blog_problem_t  *pb;

    if (ix == NULL) {
        blog_buf_adds(b, ",\"ready\":false");
        return;
    }

    skipped = 0;
    warnings = 0;

    for (i = 0; i < ix->nproblems; i++) {
        if (ix->problems[i].warn) {
            warnings++;

        } else {
            skipped++;
        }
    }

    t.sec = ix->built;
    t.off = 0;
    t.zone = 1;

    blog_buf_printf(b, ",\"readable\":%s,\"user\":\"",
                    ix->root_denied ? "false" : "true");
    blog_escape_json(b, (const u_char *) user, strlen(user));
    blog_buf_addc(b, '"');

    blog_buf_printf(b, ",\"ready\":true,\"posts\":%zu,\"files\":%zu,"
                       "\"skipped\":%zu,\"warnings\":%zu,\"tags\":%zu,"
                       "\"index_version\":\"%016llx\",\"built\":\"",
                    ix->nentries, ix->nall, skipped, warnings, ix->ntags,
                    (unsigned long long) ix->version);
    blog_date_iso(b, &t);
    blog_buf_printf(b, "\",\"scan_ms\":%u,\"folders\":%zu,"
                       "\"folders_read\":%zu,\"files_read\":%zu,"
                       "\"check_interval_ms\":%lu,\"problems\":[",
                    ix->msec, ix->nfolders, ix->nread, ix->nfiles_read,
                    interval_ms);

    for (i = 0; i < ix->nproblems; i++) {
        pb = &ix->problems[i];

        blog_buf_adds(b, i ? ",{" : "{");
        blog_status_str(b, "file", pb->file.data, pb->file.len);
        blog_buf_printf(b, ",\"line\":%u,\"level\":\"%s\",", pb->line,
                        pb->warn ? "warning" : "error");
        blog_status_str(b, "reason", pb->reason.data, pb->reason.len);
        blog_buf_addc(b, '}');
    }

    blog_buf_addc(b, ']');
}


/* "name":"data", escaped */

void
blog_status_str(blog_buf_t *b, const char *name, const u_char *data,
    size_t len)
{
    blog_buf_printf(b, "\"%s\":\"", name);
    blog_escape_json(b, data, len);
    blog_buf_addc(b, '"');
}


/*
 * The log line of a problem, into b (NUL-terminated): BLOG_ERROR for a
 * post skipped or a folder not read, BLOG_DECLINED for a warning (the post
 * is served).  user is the one the scan ran as.
 */

int
blog_problem_say(blog_buf_t *b, const blog_problem_t *pb, const char *user)
{
    int  level;

    level = pb->warn ? BLOG_DECLINED : BLOG_ERROR;

    if (pb->denied) {
        blog_buf_printf(b, "blog: %s \"%s\" is not readable by user \"%s\"",
                        pb->warn ? "folder" : "content root", pb->file.data,
                        user);
        level = BLOG_ERROR;

    } else if (pb->warn && pb->line) {
        blog_buf_printf(b, "blog: \"%s\", line %u: %s", pb->file.data,
                        pb->line, pb->reason.data);

    } else if (pb->warn) {
        blog_buf_printf(b, "blog: \"%s\": %s", pb->file.data,
                        pb->reason.data);

    } else {
        blog_buf_printf(b, "blog: skipped \"%s\", line %u: %s",
                        pb->file.data, pb->line ? pb->line : 1,
                        pb->reason.data);
    }

    blog_buf_addc(b, '\0');
    b->len--;

    return level;
}
