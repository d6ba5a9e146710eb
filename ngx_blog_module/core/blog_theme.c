
/*
 * Themes: the templates a blog renders with and the assets it serves.
 * A file named *.html, feed.xml or sitemap.xml is compiled as a template
 * named for the file without its extension ("post", "feed"); any other
 * file is an asset, kept as bytes.  The server (and blog-check) adds a
 * custom theme's folder first and the built-in files after, so a missing
 * file falls back; which files are built in is theirs to link.
 */


#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <dirent.h>
#include <strings.h>
#include <md5.h>

#include "blog.h"


static int blog_theme_template_name(const char *name, char *out,
    size_t size);
static int blog_theme_add_folder(blog_theme_t *theme, const char *dir,
    const char *sub, blog_theme_seen_pt seen, void *data,
    blog_theme_error_t *err);


static void blog_theme_seen(void *data, const char *name, const u_char *p,
    size_t n);
static int blog_theme_variant(const blog_theme_file_t *f,
    u_char *(*compress)(const u_char *in, size_t len, size_t *out_len),
    blog_str_t *variant);


static const char  *blog_theme_required[] = {
    "base", "index", "post", "tags", "tag", "404", "feed", "sitemap", NULL
};


/* assets sent compressed, as a server's gzip_types would have them */
static const char  *blog_theme_text_assets[] = {
    ".css", ".js", ".svg", ".txt", ".json", ".xml", ".map", NULL
};


/* types for servers whose own types do not know a name */
static const char  *blog_file_types[] = {
    "css", "text/css; charset=utf-8",
    "js", "text/javascript; charset=utf-8",
    "svg", "image/svg+xml",
    "png", "image/png",
    "jpg", "image/jpeg",
    "jpeg", "image/jpeg",
    "gif", "image/gif",
    "webp", "image/webp",
    "avif", "image/avif",
    "ico", "image/x-icon",
    "woff2", "font/woff2",
    "pdf", "application/pdf",
    "txt", "text/plain; charset=utf-8",
    NULL, NULL
};


blog_theme_t *
blog_theme_create(void)
{
    blog_theme_t  *theme;

    theme = calloc(1, sizeof(blog_theme_t));
    if (theme == NULL) {
        return NULL;
    }

    theme->tmpl = blog_tmpl_set_create();
    if (theme->tmpl == NULL) {
        free(theme);
        return NULL;
    }

    return theme;
}


void
blog_theme_free(blog_theme_t *theme)
{
    size_t  i;

    if (theme == NULL) {
        return;
    }

    for (i = 0; i < theme->nassets; i++) {
        free((char *) theme->assets[i].name);
        free((u_char *) theme->assets[i].data);
    }

    for (i = 0; theme->gzip != NULL && i < theme->nassets; i++) {
        free(theme->gzip[i].data);
        free(theme->br[i].data);
    }

    free(theme->gzip);
    free(theme->br);
    free(theme->assets);
    free(theme->digests);
    blog_tmpl_set_free(theme->tmpl);
    free(theme);
}


static int
blog_theme_template_name(const char *name, char *out, size_t size)
{
    size_t  n;

    n = strlen(name);

    if (n > 5 && strcmp(name + n - 5, ".html") == 0) {
        n -= 5;

    } else if (strcmp(name, "feed.xml") == 0
               || strcmp(name, "sitemap.xml") == 0)
    {
        n -= 4;

    } else {
        return 0;
    }

    if (n + 1 > size) {
        return 0;
    }

    memcpy(out, name, n);
    out[n] = '\0';

    return 1;
}


/* a file the theme holds already is kept: the first one added wins */

int
blog_theme_add(blog_theme_t *theme, const char *name, const u_char *p,
    size_t n, blog_problem_detail_t *pd)
{
    char               tname[256];
    uint64_t          *digests;
    blog_str_t         copy;
    blog_theme_file_t *assets;

    if (blog_theme_template_name(name, tname, sizeof(tname))) {
        if (blog_tmpl_has(theme->tmpl, tname)) {
            return BLOG_OK;
        }

        return blog_tmpl_add(theme->tmpl, tname, p, n, pd);
    }

    if (blog_theme_asset(theme, (u_char *) name, strlen(name)) != NULL) {
        return BLOG_OK;
    }

    pd->line = 0;
    pd->reason = "out of memory";

    assets = realloc(theme->assets,
                     (theme->nassets + 1) * sizeof(blog_theme_file_t));
    if (assets == NULL) {
        return BLOG_ERROR;
    }

    theme->assets = assets;

    digests = realloc(theme->digests, (theme->nassets + 1) * sizeof(uint64_t));
    if (digests == NULL) {
        return BLOG_ERROR;
    }

    theme->digests = digests;
    digests[theme->nassets] = blog_hash(BLOG_HASH_INIT, p, n);

    if (blog_str_dup(&copy, (u_char *) name, strlen(name)) != BLOG_OK) {
        return BLOG_ERROR;
    }

    assets[theme->nassets].name = (char *) copy.data;

    if (blog_str_dup(&copy, p, n) != BLOG_OK) {
        free((char *) assets[theme->nassets].name);
        return BLOG_ERROR;
    }

    assets[theme->nassets].data = copy.data;
    assets[theme->nassets].len = n;
    theme->nassets++;

    return BLOG_OK;
}


/*
 * The files of a theme's folder, then those of its "shortcodes" folder,
 * which may be missing (the templates of Hugo's shortcodes, named
 * "shortcodes/NAME").  Dot files, READMEs and what is not a regular file
 * are not the theme's.
 */

int
blog_theme_add_dir(blog_theme_t *theme, const char *dir,
    blog_theme_seen_pt seen, void *data, blog_theme_error_t *err)
{
    if (blog_theme_add_folder(theme, dir, "", seen, data, err) != BLOG_OK) {
        return BLOG_ERROR;
    }

    return blog_theme_add_folder(theme, dir, "shortcodes/", seen, data, err);
}


static int
blog_theme_add_folder(blog_theme_t *theme, const char *dir, const char *sub,
    blog_theme_seen_pt seen, void *data, blog_theme_error_t *err)
{
    int              rc;
    DIR             *d;
    char             name[256];
    size_t           n;
    blog_buf_t       text;
    const char      *reason;
    struct dirent   *de;
    blog_file_id_t   id;

    err->line = 0;

    /* the folder's path, without sub's slash */

    n = snprintf(err->file, sizeof(err->file), "%s%s%.*s", dir,
                 *sub ? "/" : "", (int) (*sub ? strlen(sub) - 1 : 0), sub);

    if (n >= sizeof(err->file)) {
        err->reason = "the path is too long";
        return BLOG_ERROR;
    }

    d = opendir(err->file);
    if (d == NULL) {
        if (*sub && errno == ENOENT) {
            return BLOG_OK;
        }

        err->reason = strerror(errno);
        return BLOG_ERROR;
    }

    rc = BLOG_OK;
    blog_buf_init(&text);

    for ( ;; ) {
        errno = 0;

        de = readdir(d);
        if (de == NULL) {
            if (errno != 0) {
                err->reason = strerror(errno);
                rc = BLOG_ERROR;
            }

            break;
        }

        if (de->d_name[0] == '.' || strncmp(de->d_name, "README", 6) == 0) {
            continue;
        }

        n = snprintf(err->file, sizeof(err->file), "%s/%s%s", dir, sub,
                     de->d_name);

        if (n >= sizeof(err->file)
            || (size_t) snprintf(name, sizeof(name), "%s%s", sub, de->d_name)
               >= sizeof(name))
        {
            continue;
        }

        text.len = 0;

        if (blog_file_read(err->file, BLOG_THEME_FILE_MAX, &text, &id,
                           &reason)
            != BLOG_OK)
        {
            if (strcmp(reason, "not a regular file") == 0) {
                continue;
            }

            err->reason = reason;
            rc = BLOG_ERROR;
            break;
        }

        if (seen != NULL) {
            seen(data, name, text.data, text.len);
        }

        if (blog_theme_add(theme, name, text.data, text.len, &err->pd)
            != BLOG_OK)
        {
            err->line = err->pd.line;
            err->reason = err->pd.reason;
            rc = BLOG_ERROR;
            break;
        }
    }

    blog_buf_free(&text);
    closedir(d);

    return rc;
}


int
blog_theme_has(blog_theme_t *theme, const char *name)
{
    char  tname[256];

    if (blog_theme_template_name(name, tname, sizeof(tname))) {
        return blog_tmpl_has(theme->tmpl, tname);
    }

    return blog_theme_asset(theme, (u_char *) name, strlen(name)) != NULL;
}


/* the name of a template every theme needs and this one lacks, or NULL */

const char *
blog_theme_check(blog_theme_t *theme)
{
    size_t        i;
    uint64_t      h;
    const char  **name;

    for (name = blog_theme_required; *name; name++) {
        if (!blog_tmpl_has(theme->tmpl, *name)) {
            return *name;
        }
    }

    /* the assets' version: any byte of any of them changes it */

    h = BLOG_HASH_INIT;

    for (i = 0; i < theme->nassets; i++) {
        h = blog_hash(h, theme->assets[i].name,
                      strlen(theme->assets[i].name) + 1);
        h = blog_hash(h, &theme->digests[i], sizeof(uint64_t));
    }

    snprintf(theme->version, sizeof(theme->version), "%010llx",
             (unsigned long long) (h & 0xffffffffffULL));

    return NULL;
}


uint64_t
blog_theme_digest(blog_theme_t *theme, const blog_theme_file_t *f)
{
    return theme->digests[f - theme->assets];
}


const blog_theme_file_t *
blog_theme_asset(blog_theme_t *theme, const u_char *name, size_t n)
{
    size_t  i;

    for (i = 0; i < theme->nassets; i++) {
        if (strlen(theme->assets[i].name) == n
            && memcmp(theme->assets[i].name, name, n) == 0)
        {
            return &theme->assets[i];
        }
    }

    return NULL;
}


/*
 * A server's theme: the files of dir, if not NULL, then the built-in
 * files (blog_theme_builtin, which the server links) for every file the
 * folder lacks, then checked whole.  The digest of every file, its name
 * and bytes, is what cached pages are keyed by.
 */

int
blog_theme_load(blog_theme_t *theme, const char *dir,
    const blog_theme_file_t *builtin, blog_theme_error_t *err)
{
    MD5_CTX                   md5;
    const char               *missing;
    const blog_theme_file_t  *f;

    MD5Init(&md5);

    err->step = BLOG_THEME_IN_DIR;

    if (dir != NULL
        && blog_theme_add_dir(theme, dir, blog_theme_seen, &md5, err)
           != BLOG_OK)
    {
        return BLOG_ERROR;
    }

    err->step = BLOG_THEME_BUILTIN;

    for (f = builtin; f->name != NULL; f++) {
        blog_theme_seen(&md5, f->name, f->data, f->len);

        if (blog_theme_add(theme, f->name, f->data, f->len, &err->pd)
            != BLOG_OK)
        {
            snprintf(err->file, sizeof(err->file), "%s", f->name);
            err->line = err->pd.line;
            err->reason = err->pd.reason;
            return BLOG_ERROR;
        }
    }

    MD5Final(theme->digest, &md5);

    missing = blog_theme_check(theme);

    if (missing != NULL) {
        err->step = BLOG_THEME_INCOMPLETE;
        snprintf(err->file, sizeof(err->file), "%s", missing);
        err->line = 0;
        err->reason = "no such template";
        return BLOG_ERROR;
    }

    return BLOG_OK;
}


/*
 * The text assets in gzip and brotli, once, where that is smaller: every
 * process of every server sends the same bytes.
 */

int
blog_theme_compress(blog_theme_t *theme)
{
    size_t                    i, n, len;
    const char              **ext;
    const blog_theme_file_t  *f;

    theme->gzip = calloc(theme->nassets + 1, sizeof(blog_str_t));
    theme->br = calloc(theme->nassets + 1, sizeof(blog_str_t));

    if (theme->gzip == NULL || theme->br == NULL) {
        return BLOG_ERROR;
    }

    for (i = 0; i < theme->nassets; i++) {
        f = &theme->assets[i];
        n = strlen(f->name);

        for (ext = blog_theme_text_assets; *ext; ext++) {
            len = strlen(*ext);

            if (n > len && strcmp(f->name + n - len, *ext) == 0) {
                break;
            }
        }

        if (*ext == NULL) {
            continue;
        }

        if (blog_theme_variant(f, blog_gzip, &theme->gzip[i]) != BLOG_OK
            || blog_theme_variant(f, blog_brotli, &theme->br[i]) != BLOG_OK)
        {
            return BLOG_ERROR;
        }
    }

    return BLOG_OK;
}


/* an asset's strong ETag: the digest of its bytes */

void
blog_theme_etag(blog_theme_t *theme, const blog_theme_file_t *f,
    u_char *etag)
{
    char  buf[BLOG_THEME_ETAG_LEN + 1];

    snprintf(buf, sizeof(buf), "\"%016llx\"",
             (unsigned long long) blog_theme_digest(theme, f));

    memcpy(etag, buf, BLOG_THEME_ETAG_LEN);
}


/*
 * 1 if v is the version of the assets the pages link them by
 * ("style.css?v=VERSION"): then an asset may be cached for good
 */

int
blog_theme_versioned(blog_theme_t *theme, const u_char *v, size_t n)
{
    return n == strlen(theme->version)
           && memcmp(v, theme->version, n) == 0;
}


/* a usual type for name's extension, for servers whose types lack it */

const char *
blog_file_type(const u_char *name, size_t n)
{
    size_t         len;
    const char   **t;
    const u_char  *ext;

    ext = NULL;

    for (len = n; len > 0; len--) {
        if (name[len - 1] == '.') {
            ext = name + len;
            break;
        }
    }

    if (ext == NULL) {
        return NULL;
    }

    len = name + n - ext;

    for (t = blog_file_types; *t != NULL; t += 2) {
        if (strlen(*t) == len && strncasecmp(*t, (const char *) ext, len) == 0)
        {
            return t[1];
        }
    }

    return NULL;
}


/* an asset compressed into malloc'd memory, if that is smaller */

static int
blog_theme_variant(const blog_theme_file_t *f,
    u_char *(*compress)(const u_char *in, size_t len, size_t *out_len),
    blog_str_t *variant)
{
    size_t   len;
    u_char  *out;

    out = compress(f->data, f->len, &len);
    if (out == NULL) {
        return BLOG_ERROR;
    }

    if (len < f->len) {
        variant->data = out;
        variant->len = len;
        return BLOG_OK;
    }

    free(out);

    return BLOG_OK;
}


/* md5 gathers each file's name, with its NUL, and bytes */

static void
blog_theme_seen(void *data, const char *name, const u_char *p, size_t n)
{
    MD5_CTX  *md5 = data;

    MD5Update(md5, (const u_char *) name, strlen(name) + 1);
    MD5Update(md5, p, n);
}
