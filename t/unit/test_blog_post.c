
/*
 * blog_post.c: what a file's name says (slug, Jekyll date, bundle, draft)
 * and what its text says (title, summary, tags, draft, reading time, dates),
 * with the fallbacks of DESIGN.md, and the errors an author would see.
 */


#include "unit.h"

#include <ctype.h>


#define UNIT_ROOT  "/blog"


static int name(blog_post_name_t *pn, const char *rel);
static int parse(blog_post_t **post, const char *rel, const char *text,
    unsigned wpm, blog_problem_detail_t *pd);
static blog_post_t *parse_ok(const char *rel, const char *text);
static void assert_tags(blog_post_t *post, const char **keys,
    const char **names, size_t n);
static char *words(const char *header, unsigned n);
static void test_name_plain(void **state);
static void test_name_jekyll(void **state);
static void test_name_markdown_ext(void **state);
static void test_name_bundle(void **state);
static void test_name_declined(void **state);
static void test_name_drafts(void **state);
static void test_title_front_matter(void **state);
static void test_title_heading(void **state);
static void test_title_slug(void **state);
static void test_slug_front_matter(void **state);
static void test_description_fields(void **state);
static void test_description_more(void **state);
static void test_description_more_in_code(void **state);
static void test_title_heading_after_more(void **state);
static void test_description_first_paragraph(void **state);
static void test_tags_list(void **state);
static void test_tags_commas(void **state);
static void test_tags_blanks(void **state);
static void test_tags_categories_keywords(void **state);
static void test_tags_duplicates(void **state);
static void test_draft(void **state);
static void test_reading_time_override(void **state);
static void test_reading_time_computed(void **state);
static void test_date_front_matter_wins(void **state);
static void test_date_jekyll_name(void **state);
static void test_date_bad(void **state);
static void test_lastmod(void **state);
static void test_publish_window(void **state);
static void test_aliases(void **state);
static void test_generator_formats(void **state);
static void test_invalid_utf8(void **state);
static void test_bad_front_matter(void **state);
static void test_hugo_blank_line_first(void **state);
static void test_text_gfm(void **state);
static void test_words_markdown(void **state);
static void test_words_any_text(void **state);
static unsigned words_one_by_one(const char *p, size_t n);
static void test_toc(void **state);


static int
name(blog_post_name_t *pn, const char *rel)
{
    static char  path[1024];

    snprintf(path, sizeof(path), "%s/%s", UNIT_ROOT, rel);
    memset(pn, 0, sizeof(blog_post_name_t));

    return blog_post_name(pn, path, sizeof(UNIT_ROOT) - 1);
}


/* parses text as the file rel below the root; the caller releases */

static int
parse(blog_post_t **post, const char *rel, const char *text, unsigned wpm,
    blog_problem_detail_t *pd)
{
    int               rc;
    char              path[1024];
    blog_fm_t         fm;
    blog_options_t    opts;
    blog_post_name_t  pn;

    memset(&opts, 0, sizeof(blog_options_t));
    opts.words_per_minute = wpm;
    opts.max_post_size = 1024 * 1024;
    opts.max_front_matter = 16384;
    opts.max_depth = 8;

    snprintf(path, sizeof(path), "%s/%s", UNIT_ROOT, rel);

    memset(&pn, 0, sizeof(blog_post_name_t));
    assert_int_equal(blog_post_name(&pn, path, sizeof(UNIT_ROOT) - 1),
                     BLOG_OK);

    *post = calloc(1, sizeof(blog_post_t));
    assert_non_null(*post);
    (*post)->refs = 1;

    memset(pd, 0, sizeof(blog_problem_detail_t));

    rc = blog_post_parse(*post, &pn, (const u_char *) text, strlen(text),
                         &opts, pd, &fm);

    if (rc == BLOG_OK) {
        blog_fm_free(&fm);
    }

    return rc;
}


static blog_post_t *
parse_ok(const char *rel, const char *text)
{
    blog_post_t            *post;
    blog_problem_detail_t   pd;

    if (parse(&post, rel, text, 200, &pd) != BLOG_OK) {
        blog_post_release(post);
        fail_msg("%s: line %u: %s", rel, pd.line,
                 pd.reason != NULL ? pd.reason : "(no reason)");
    }

    return post;
}


static void
assert_tags(blog_post_t *post, const char **keys, const char **names,
    size_t n)
{
    size_t  i;

    assert_int_equal(post->ntags, n);

    for (i = 0; i < n; i++) {
        assert_bstr_equal(post->tags[i].key, keys[i]);
        assert_bstr_equal(post->tags[i].name, names[i]);
    }
}


/* a front matter header and n words; the caller frees */

static char *
words(const char *header, unsigned n)
{
    char      *text, *p;
    unsigned   i;

    text = malloc(strlen(header) + n * 5 + 1);
    assert_non_null(text);

    p = text + sprintf(text, "%s", header);

    for (i = 0; i < n; i++) {
        p += sprintf(p, i % 10 == 9 ? "word\n" : "word ");
    }

    *p = '\0';

    return text;
}


static void
test_name_plain(void **state)
{
    blog_post_name_t  pn;

    assert_int_equal(name(&pn, "hello-world.md"), BLOG_OK);
    assert_bstr_equal(pn.slug, "hello-world");
    assert_int_equal(pn.dated, 0);
    assert_int_equal(pn.draft, 0);

    assert_int_equal(name(&pn, "notes/2026/why-c.md"), BLOG_OK);
    assert_bstr_equal(pn.slug, "why-c");
    assert_int_equal(pn.dated, 0);
}


static void
test_name_jekyll(void **state)
{
    blog_post_name_t  pn;

    assert_int_equal(name(&pn, "_posts/2026-06-05-hello-world.md"), BLOG_OK);
    assert_bstr_equal(pn.slug, "hello-world");
    assert_int_equal(pn.dated, 1);
    assert_int_equal(pn.date.sec, 1780617600);
    assert_int_equal(pn.draft, 0);

    /* not a date: the whole name is the slug */

    assert_int_equal(name(&pn, "2026-13-05-x.md"), BLOG_OK);
    assert_bstr_equal(pn.slug, "2026-13-05-x");
    assert_int_equal(pn.dated, 0);

    assert_int_equal(name(&pn, "2026-06-05.md"), BLOG_OK);
    assert_bstr_equal(pn.slug, "2026-06-05");
    assert_int_equal(pn.dated, 0);
}


static void
test_name_markdown_ext(void **state)
{
    blog_post_name_t  pn;

    assert_int_equal(name(&pn, "notes.markdown"), BLOG_OK);
    assert_bstr_equal(pn.slug, "notes");

    assert_int_equal(name(&pn, "_posts/2024-03-01-x.markdown"), BLOG_OK);
    assert_bstr_equal(pn.slug, "x");
    assert_int_equal(pn.dated, 1);
    assert_int_equal(pn.date.sec, 1709251200);
}


static void
test_name_bundle(void **state)
{
    blog_post_name_t  pn;

    assert_int_equal(name(&pn, "my-post/index.md"), BLOG_OK);
    assert_bstr_equal(pn.slug, "my-post");
    assert_int_equal(pn.dated, 0);

    assert_int_equal(name(&pn, "posts/2024/deep/index.markdown"), BLOG_OK);
    assert_bstr_equal(pn.slug, "deep");

    /* the content root's own index.md is not a post */
    assert_int_equal(name(&pn, "index.md"), BLOG_DECLINED);
}


static void
test_name_declined(void **state)
{
    size_t             i;
    blog_post_name_t   pn;
    const char        *cases[] = {
        "_index.md",
        "section/_index.md",
        ".hidden.md",
        "x.txt",
        "README",
        "notes.md.bak",
        "image.png",
        ".md",
        "_config.markdown",
    };

    for (i = 0; i < UNIT_ARRAY(cases); i++) {
        if (name(&pn, cases[i]) != BLOG_DECLINED) {
            fail_msg("\"%s\" was taken for a post", cases[i]);
        }
    }
}


static void
test_name_drafts(void **state)
{
    blog_post_name_t  pn;

    assert_int_equal(name(&pn, "_drafts/a.md"), BLOG_OK);
    assert_bstr_equal(pn.slug, "a");
    assert_int_equal(pn.draft, 1);

    assert_int_equal(name(&pn, "site/_drafts/2026-06-05-b.md"), BLOG_OK);
    assert_bstr_equal(pn.slug, "b");
    assert_int_equal(pn.draft, 1);
    assert_int_equal(pn.dated, 1);

    /* a folder that only ends in "_drafts" is not the drafts folder */

    assert_int_equal(name(&pn, "old_drafts/c.md"), BLOG_OK);
    assert_int_equal(pn.draft, 0);

    assert_int_equal(name(&pn, "posts/c.md"), BLOG_OK);
    assert_int_equal(pn.draft, 0);
}


static void
test_title_front_matter(void **state)
{
    blog_post_t  *post;

    post = parse_ok("hello.md", "---\ntitle: \"  My <Post>  \"\n---\n"
                                "# Heading\n\nText.\n");
    assert_bstr_equal(post->title, "My <Post>");
    assert_bstr_equal(post->slug, "hello");
    blog_post_release(post);
}


static void
test_title_heading(void **state)
{
    blog_post_t  *post;

    post = parse_ok("hello.md", "Intro.\n\n## Second level\n\n"
                                "# My *Great* `Post`\n\nText.\n\n# Later\n");
    assert_bstr_equal(post->title, "My Great Post");
    blog_post_release(post);

    /* a title field that is blank falls back too */

    post = parse_ok("hello.md", "---\ntitle: \"\"\n---\n# From Body\n");
    assert_bstr_equal(post->title, "From Body");
    blog_post_release(post);
}


static void
test_title_slug(void **state)
{
    blog_post_t  *post;

    post = parse_ok("_posts/2026-06-05-no-title.md",
                    "## Only level two\n\nText.\n");
    assert_bstr_equal(post->title, "no-title");
    assert_bstr_equal(post->slug, "no-title");
    blog_post_release(post);
}


static void
test_slug_front_matter(void **state)
{
    blog_post_t  *post;

    post = parse_ok("file-name.md", "---\nslug: custom-name\n---\nText.\n");
    assert_bstr_equal(post->slug, "custom-name");
    blog_post_release(post);

    /* a slug that is not one path segment is ignored */

    post = parse_ok("file-name.md", "---\nslug: a/b\n---\nText.\n");
    assert_bstr_equal(post->slug, "file-name");
    blog_post_release(post);

    post = parse_ok("file-name.md", "---\nslug: ..\n---\nText.\n");
    assert_bstr_equal(post->slug, "file-name");
    blog_post_release(post);
}


static void
test_description_fields(void **state)
{
    blog_post_t  *post;

    post = parse_ok("a.md", "---\ndescription: From description\n"
                            "summary: From summary\nexcerpt: From excerpt\n"
                            "---\nFirst paragraph.\n");
    assert_bstr_equal(post->description, "From description");
    blog_post_release(post);

    post = parse_ok("a.md", "---\nsummary: From summary\n"
                            "excerpt: From excerpt\n---\nFirst paragraph.\n");
    assert_bstr_equal(post->description, "From summary");
    blog_post_release(post);

    post = parse_ok("a.md", "---\nexcerpt: \" From excerpt \"\n---\n"
                            "First paragraph.\n");
    assert_bstr_equal(post->description, "From excerpt");
    blog_post_release(post);

    /* the title still comes from the body when only the summary is set */

    post = parse_ok("a.md", "---\ndescription: D\n---\n# Body Title\n\n"
                            "First paragraph.\n");
    assert_bstr_equal(post->description, "D");
    assert_bstr_equal(post->title, "Body Title");
    blog_post_release(post);
}


static void
test_description_more(void **state)
{
    blog_post_t  *post;

    post = parse_ok("a.md", "---\ntitle: T\n---\n"
                            "Intro *one*.\n\nIntro two.\n\n<!--more-->\n\n"
                            "The rest of the post.\n");
    assert_bstr_equal(post->description, "Intro one. Intro two.");
    blog_post_release(post);
}


/*
 * A divider written as code is text, not a divider: Hugo's own news post
 * shared/corpus/hugo-posts/0.9-relnotes/index.md has "(`<!--more-->`)".
 */

static void
test_description_more_in_code(void **state)
{
    blog_post_t  *post;

    post = parse_ok("a.md", "---\ntitle: T\n---\n"
                            "Intro para.\n\n"
                            "- Support for the divider (`<!--more-->`)\n\n"
                            "Last.\n");
    assert_bstr_equal(post->description, "Intro para.");
    blog_post_release(post);

    post = parse_ok("a.md", "---\ntitle: T\n---\n"
                            "```html\n<!--more-->\n```\n\n"
                            "First para.\n");
    assert_bstr_equal(post->description, "First para.");
    blog_post_release(post);
}


/* the first "# heading" of the body, wherever the divider is */

static void
test_title_heading_after_more(void **state)
{
    blog_post_t  *post;

    post = parse_ok("a.md", "Intro para.\n\n<!--more-->\n\n"
                            "# Real Title\n\nMore.\n");
    assert_bstr_equal(post->description, "Intro para.");
    assert_bstr_equal(post->title, "Real Title");
    blog_post_release(post);
}


static void
test_description_first_paragraph(void **state)
{
    blog_post_t  *post;

    post = parse_ok("a.md", "# Title\n\n"
                            "The **first** paragraph with `code` and "
                            "[a link](http://example.com/).\n"
                            "Second <b>line</b>.\n\n"
                            "Second paragraph.\n");
    assert_bstr_equal(post->title, "Title");
    assert_bstr_equal(post->description,
                      "The first paragraph with code and a link. "
                      "Second line.");
    blog_post_release(post);

    post = parse_ok("a.md", "# Only a title\n");
    assert_int_equal(post->description.len, 0);
    blog_post_release(post);
}


static void
test_tags_list(void **state)
{
    const char   *keys[] = { "go", "web-dev", "c++" };
    const char   *names[] = { "Go", "Web Dev", "C++" };
    blog_post_t  *post;

    post = parse_ok("a.md", "---\ntags:\n  - Go\n  - \" Web Dev \"\n"
                            "  - C++\n  - \"!!!\"\n---\nText.\n");
    assert_tags(post, keys, names, 3);
    blog_post_release(post);
}


static void
test_tags_commas(void **state)
{
    const char   *keys[] = { "go", "web-dev", "next-js" };
    const char   *names[] = { "Go", "Web Dev", "Next.js" };
    blog_post_t  *post;

    post = parse_ok("a.md", "---\ntags: \"Go, Web Dev,, Next.js\"\n---\n");
    assert_tags(post, keys, names, 3);
    blog_post_release(post);
}


static void
test_tags_blanks(void **state)
{
    const char   *keys[] = { "go", "rust", "c#" };
    const char   *names[] = { "go", "Rust", "C#" };
    blog_post_t  *post;

    post = parse_ok("a.md", "---\ntags: \" go  Rust\tC# \"\n---\n");
    assert_tags(post, keys, names, 3);
    blog_post_release(post);
}


static void
test_tags_categories_keywords(void **state)
{
    const char   *ckeys[] = { "news", "release-notes" };
    const char   *cnames[] = { "News", "Release Notes" };
    const char   *kkeys[] = { "x", "y" };
    const char   *knames[] = { "x", "y" };
    const char   *tkeys[] = { "t" };
    const char   *tnames[] = { "t" };
    blog_post_t  *post;

    post = parse_ok("a.md", "---\ncategories: [News, Release Notes]\n---\n");
    assert_tags(post, ckeys, cnames, 2);
    blog_post_release(post);

    post = parse_ok("a.md", "---\nkeywords: x, y\n---\n");
    assert_tags(post, kkeys, knames, 2);
    blog_post_release(post);

    /* tags win over the others */

    post = parse_ok("a.md", "---\ncategories: [News]\ntags: [t]\n"
                            "keywords: k\n---\n");
    assert_tags(post, tkeys, tnames, 1);
    blog_post_release(post);

    post = parse_ok("a.md", "---\ntitle: none\n---\n");
    assert_int_equal(post->ntags, 0);
    blog_post_release(post);
}


static void
test_tags_duplicates(void **state)
{
    const char   *keys[] = { "go", "next-js", "caf\xc3\xa9" };
    const char   *names[] = { "Go", "Next.js", "Caf\xc3\xa9" };
    blog_post_t  *post;

    post = parse_ok("a.md", "---\ntags: [Go, go, GO, Next.js, next js, "
                            "Caf\xc3\xa9, CAF\xc3\x89]\n---\n");
    assert_tags(post, keys, names, 3);
    blog_post_release(post);
}


static void
test_draft(void **state)
{
    blog_post_t  *post;

    post = parse_ok("a.md", "---\ndraft: true\n---\n");
    assert_int_equal(post->draft, 1);
    blog_post_release(post);

    post = parse_ok("a.md", "---\npublished: false\n---\n");
    assert_int_equal(post->draft, 1);
    blog_post_release(post);

    post = parse_ok("a.md", "---\ndraft: false\npublished: true\n---\n");
    assert_int_equal(post->draft, 0);
    blog_post_release(post);

    post = parse_ok("a.md", "Text.\n");
    assert_int_equal(post->draft, 0);
    blog_post_release(post);

    post = parse_ok("_drafts/a.md", "---\ndraft: false\n---\n");
    assert_int_equal(post->draft, 1);
    blog_post_release(post);
}


static void
test_reading_time_override(void **state)
{
    char         *text;
    blog_post_t  *post;

    post = parse_ok("a.md", "---\nreading_time: 7\n---\nThree words here.\n");
    assert_int_equal(post->reading_time, 7);
    assert_int_equal(post->words, 3);
    blog_post_release(post);

    /* not a number: computed */

    post = parse_ok("a.md", "---\nreading_time: soon\n---\nThree words.\n");
    assert_int_equal(post->reading_time, 1);
    blog_post_release(post);

    /* zero is no figure at all */

    text = words("---\nreading_time: 0\n---\n", 401);
    post = parse_ok("a.md", text);
    assert_int_equal(post->reading_time, 3);
    blog_post_release(post);
    free(text);
}


static void
test_reading_time_computed(void **state)
{
    char                   *text;
    blog_post_t            *post;
    blog_problem_detail_t   pd;

    text = words("---\ntitle: T\n---\n", 401);

    assert_int_equal(parse(&post, "a.md", text, 200, &pd), BLOG_OK);
    assert_int_equal(post->words, 401);
    assert_int_equal(post->reading_time, 3);
    blog_post_release(post);

    assert_int_equal(parse(&post, "a.md", text, 100, &pd), BLOG_OK);
    assert_int_equal(post->reading_time, 5);
    blog_post_release(post);

    free(text);

    text = words("---\ntitle: T\n---\n", 400);

    assert_int_equal(parse(&post, "a.md", text, 200, &pd), BLOG_OK);
    assert_int_equal(post->reading_time, 2);
    blog_post_release(post);

    free(text);

    assert_int_equal(parse(&post, "a.md", "---\ntitle: Empty\n---\n", 200,
                           &pd),
                     BLOG_OK);
    assert_int_equal(post->words, 0);
    assert_int_equal(post->reading_time, 1);
    blog_post_release(post);
}


static void
test_date_front_matter_wins(void **state)
{
    blog_post_t  *post;

    post = parse_ok("_posts/2026-06-05-x.md",
                    "---\ndate: 2024-03-01T10:20:30+05:30\n---\n");
    assert_int_equal(post->dated, 1);
    assert_int_equal(post->date.sec, 1709268630);
    assert_int_equal(post->date.off, 330);
    assert_bstr_equal(post->slug, "x");
    blog_post_release(post);
}


static void
test_date_jekyll_name(void **state)
{
    blog_post_t  *post;

    post = parse_ok("_posts/2026-06-05-x.md", "---\ntitle: T\n---\n");
    assert_int_equal(post->dated, 1);
    assert_int_equal(post->date.sec, 1780617600);
    blog_post_release(post);

    /* no date anywhere: the file's time, and not marked as dated */

    post = parse_ok("x.md", "Text.\n");
    assert_int_equal(post->dated, 0);
    assert_int_equal(post->date.sec, 0);
    blog_post_release(post);
}


static void
test_date_bad(void **state)
{
    blog_post_t            *post;
    blog_problem_detail_t   pd;

    assert_int_equal(parse(&post, "a.md", "---\ntitle: T\ntags: [a]\n"
                                          "date: June 5th, 2026\n---\nText.\n",
                           200, &pd),
                     BLOG_ERROR);
    assert_int_equal(pd.line, 4);
    assert_non_null(pd.reason);
    assert_contains(pd.reason, "date");
    assert_contains(pd.reason, "June 5th");
    blog_post_release(post);
}


static void
test_lastmod(void **state)
{
    char                    text[256];
    size_t                  i;
    blog_post_t            *post;
    blog_problem_detail_t   pd;
    const char             *keys[] = { "lastmod", "last_modified_at",
                                       "updated", "modified", "LastMod" };

    for (i = 0; i < UNIT_ARRAY(keys); i++) {
        snprintf(text, sizeof(text), "---\ndate: 2024-03-01\n%s: 2026-06-05"
                 "\n---\n", keys[i]);
        post = parse_ok("a.md", text);
        assert_int_equal(post->lastmod.sec, 1780617600);
        assert_int_equal(post->date.sec, 1709251200);
        blog_post_release(post);
    }

    /* none: the date, whatever the file's time */
    post = parse_ok("a.md", "---\ndate: 2024-03-01 10:00 +0200\n---\n");
    assert_int_equal(post->lastmod.sec, post->date.sec);
    assert_int_equal(post->lastmod.off, post->date.off);
    blog_post_release(post);

    assert_int_equal(parse(&post, "a.md", "---\n\nupdated: soon\n---\n",
                           200, &pd),
                     BLOG_ERROR);
    assert_int_equal(pd.line, 3);
    assert_contains(pd.reason, "updated");
    blog_post_release(post);
}


/* Hugo's publishDate and expiryDate: when the post is public */

static void
test_publish_window(void **state)
{
    blog_post_t            *post;
    blog_problem_detail_t   pd;

    post = parse_ok("a.md", "---\ndate: 2024-03-01\n---\n");
    assert_int_equal(post->publish_at, 1709251200);
    assert_int_equal(post->expires_at, 0);
    blog_post_release(post);

    post = parse_ok("a.md", "---\ndate: 2024-03-01\npublishDate: 2026-06-05"
                    "\nexpiryDate: 2027-01-01\n---\n");
    assert_int_equal(post->date.sec, 1709251200);
    assert_int_equal(post->publish_at, 1780617600);
    assert_int_equal(post->expires_at, 1798761600);
    blog_post_release(post);

    /* no date: publishDate dates the post too */
    post = parse_ok("a.md", "---\npublishdate: 2026-06-05\n---\n");
    assert_int_equal(post->date.sec, 1780617600);
    assert_int_equal(post->dated, 1);
    blog_post_release(post);

    assert_int_equal(parse(&post, "a.md", "---\ndate: 2024-03-01\n"
                           "expiryDate: never\n---\n", 200, &pd),
                     BLOG_ERROR);
    assert_int_equal(pd.line, 3);
    assert_contains(pd.reason, "expirydate \"never\" is not a date");
    blog_post_release(post);
}


/* old URLs: kept as paths; what could not be one is left out */

static void
test_aliases(void **state)
{
    blog_post_t  *post;

    post = parse_ok("a.md",
        "---\n"
        "aliases: [/posts/old/, old-name, /x/index.html, '/2019/01/a.html',\n"
        "          'https://example.com/from/there/', /:year/:title/,\n"
        "          /a/../b/, '/with space/', /q?x=1, //host/x, /, '']\n"
        "redirect_from: /jekyll/old/\n"
        "url: /hugo/url/\n"
        "path: zola/path\n"
        "permalink: '      /about/   '\n"
        "---\n");

    assert_int_equal(post->naliases, 9);
    assert_bstr_equal(post->aliases[0], "/posts/old");
    assert_bstr_equal(post->aliases[1], "old-name");
    assert_bstr_equal(post->aliases[2], "/x");
    assert_bstr_equal(post->aliases[3], "/2019/01/a.html");
    assert_bstr_equal(post->aliases[4], "/from/there");
    assert_bstr_equal(post->aliases[5], "/jekyll/old");
    assert_bstr_equal(post->aliases[6], "/hugo/url");
    assert_bstr_equal(post->aliases[7], "zola/path");
    assert_bstr_equal(post->aliases[8], "/about");
    blog_post_release(post);
}


/* the same post in YAML, TOML and JSON reads the same */

static void
test_generator_formats(void **state)
{
    size_t        i;
    blog_post_t  *post;
    const char   *tags[] = { "go", "web" };
    const char   *texts[] = {
        "---\ntitle: Same\ndate: 2024-03-01\ntags: [Go, Web]\n"
        "aliases: [/old/]\n---\nBody.\n",
        "+++\ntitle = \"Same\"\ndate = 2024-03-01\naliases = [\"/old/\"]\n"
        "[taxonomies]\ntags = [\"Go\", \"Web\"]\n+++\nBody.\n",
        "{\n\"title\": \"Same\", \"date\": \"2024-03-01\",\n"
        "\"tags\": [\"Go\", \"Web\"], \"aliases\": [\"/old/\"]\n}\nBody.\n",
    };
    const char   *names[] = { "Go", "Web" };

    for (i = 0; i < UNIT_ARRAY(texts); i++) {
        post = parse_ok("a.md", texts[i]);
        assert_bstr_equal(post->title, "Same");
        assert_int_equal(post->date.sec, 1709251200);
        assert_tags(post, tags, names, 2);
        assert_int_equal(post->naliases, 1);
        assert_bstr_equal(post->aliases[0], "/old");
        assert_bstr_equal(post->description, "Body.");
        blog_post_release(post);
    }
}


static void
test_invalid_utf8(void **state)
{
    blog_post_t            *post;
    blog_problem_detail_t   pd;

    assert_int_equal(parse(&post, "a.md", "---\ntitle: T\n---\nline four\n"
                                          "bad \xc0\xaf here\nline six\n",
                           200, &pd),
                     BLOG_ERROR);
    assert_int_equal(pd.line, 5);
    assert_non_null(pd.reason);
    assert_contains(pd.reason, "UTF-8");
    blog_post_release(post);

    assert_int_equal(parse(&post, "a.md", "---\ntitle: \xff\n---\n", 200,
                           &pd),
                     BLOG_ERROR);
    assert_int_equal(pd.line, 2);
    blog_post_release(post);
}


static void
test_bad_front_matter(void **state)
{
    blog_post_t            *post;
    blog_problem_detail_t   pd;

    assert_int_equal(parse(&post, "a.md", "---\ntitle: T\nbad: a: b\n---\n",
                           200, &pd),
                     BLOG_ERROR);
    assert_int_equal(pd.line, 3);
    assert_contains(pd.reason, "YAML");
    blog_post_release(post);
}


/* shared/corpus/hugo-posts/0.26-relnotes/index.md, as Hugo reads it */

static void
test_hugo_blank_line_first(void **state)
{
    const char   *keys[] = { "releases" };
    const char   *names[] = { "Releases" };
    blog_post_t  *post;

    post = parse_ok("0.26-relnotes/index.md",
                    "\n"
                    "---\n"
                    "date: 2017-08-07\n"
                    "title: \"Hugo 0.26: Language Style Edition\"\n"
                    "description: \"Hugo 0.26 brings proper AP Style.\"\n"
                    "categories: [\"Releases\"]\n"
                    "---\n"
                    "\n"
                    "This release brings a choice of **AP Style**.\n");

    assert_bstr_equal(post->slug, "0.26-relnotes");
    assert_bstr_equal(post->title, "Hugo 0.26: Language Style Edition");
    assert_int_equal(post->dated, 1);
    assert_int_equal(post->date.sec, 1502064000);
    assert_bstr_equal(post->description, "Hugo 0.26 brings proper AP Style.");
    assert_tags(post, keys, names, 1);

    blog_post_release(post);
}


/* tables and footnotes are not the summary; "{#id}" is not the title */

static void
test_text_gfm(void **state)
{
    blog_post_t  *post;

    post = parse_ok("a.md", "# The title {#top}\n\n"
                            "| a | b |\n|---|---|\n| cell | cell |\n\n"
                            "The first[^1] paragraph, ~~not~~ struck.\n\n"
                            "[^1]: A note.\n");

    assert_bstr_equal(post->title, "The title");
    assert_bstr_equal(post->description, "The first paragraph, not struck.");

    blog_post_release(post);

    /* a table alone is no summary */

    post = parse_ok("b.md", "---\ntitle: T\n---\n"
                            "| a | b |\n|---|---|\n| cell | cell |\n");

    assert_bstr_equal(post->description, "");

    blog_post_release(post);
}


/* a table's pipes and rules, bullets and "#" are not words */

static void
test_words_markdown(void **state)
{
    blog_post_t  *post;

    post = parse_ok("a.md", "---\ntitle: T\n---\n## Two words\n\n"
                            "| one | two |\n|:---|---:|\n| three | four |\n\n"
                            "- five\n- six\n\n> seven[^1]\n\n"
                            "[^1]: eight\n");

    assert_int_equal(post->words, 10);

    blog_post_release(post);

    /* a label first or last in the text, glued to a word, or letterless */

    post = parse_ok("b.md", "---\ntitle: T\n---\n[^a]: one two[^b]: "
                            "three\t[^-]: [^c]:");

    assert_int_equal(post->words, 3);

    blog_post_release(post);

    /* any byte past ASCII is a letter; marks alone and CRLF are blanks */

    post = parse_ok("c.md", "---\ntitle: T\n---\ncaf\xc3\xa9 -- "
                            "\xe6\x97\xa5\xe6\x9c\xac\r\n* 3\r\n");

    assert_int_equal(post->words, 3);

    blog_post_release(post);

    /* a text of shortcodes alone has no words, and no text left to read */

    post = parse_ok("d.md", "---\ntitle: T\n---\n{{< figure src=a >}}");

    assert_int_equal(post->words, 0);

    blog_post_release(post);
}


/*
 * The word count, which reads 16 bytes at a time, against the plain count
 * a byte at a time: texts of blanks, letters, digits, marks, controls and
 * multibyte characters in any order and any length, so that words and
 * letterless runs fall at every place in and across the 16 bytes.
 */

static void
test_words_any_text(void **state)
{
    char          text[1024], *body;
    size_t        i, n, len, pick;
    uint32_t      seed;
    unsigned      expected;
    blog_post_t  *post;
    static const char  header[] = "---\ntitle: T\n---\n";
    static const char  *pieces[] = {
        "a", "Z", "7", "word", " ", " ", "  ", "\n", "\t", "\r\n", "-",
        "|", "#", "`", ".", "*", "\xc3\xa9", "\xc2\xa0", "\xe2\x80\x94",
        "\v", "\f", "\x01", "[^1]:", "[", "^", "]", ":", "--", "- ",
    };

    seed = 42;
    memcpy(text, header, sizeof(header) - 1);

    for (i = 0; i < 3000; i++) {
        body = text + sizeof(header) - 1;
        len = 0;

        seed = seed * 1103515245 + 12345;
        n = (seed >> 16) % 120;

        while (n--) {
            seed = seed * 1103515245 + 12345;
            pick = (seed >> 16) % UNIT_ARRAY(pieces);

            memcpy(body + len, pieces[pick], strlen(pieces[pick]));
            len += strlen(pieces[pick]);
        }

        body[len] = '\0';

        expected = words_one_by_one(body, len);
        post = parse_ok("a.md", text);

        if (post->words != expected) {
            fail_msg("%u words, %u expected, in \"%s\"", post->words,
                     expected, body);
        }

        blog_post_release(post);
    }
}


/* the count as it was, a byte at a time */

static unsigned
words_one_by_one(const char *text, size_t n)
{
    size_t          i;
    unsigned        words, word, letter, blank;
    const u_char   *p, *q, *e;

    p = (const u_char *) text;
    words = 0;
    word = 0;

    for (i = 0; i < n; i++) {
        blank = (p[i] == ' ' || p[i] == '\n' || p[i] == '\t'
                 || p[i] == '\r');
        letter = isalnum(p[i]) || p[i] >= 0x80;

        words += word & blank;
        word = (word | letter) & !blank;
    }

    words += word;

    /* footnotes' labels, "[^1]:" alone, are no words */

    for (q = p; (q = memchr(q, '[', p + n - q)) != NULL; q++) {
        if (q + 1 == p + n || q[1] != '^'
            || (q > p && q[-1] != ' ' && q[-1] != '\n' && q[-1] != '\t'
                && q[-1] != '\r'))
        {
            continue;
        }

        for (e = q, word = 0;
             e < p + n && *e != ' ' && *e != '\n' && *e != '\t'
             && *e != '\r';
             e++)
        {
            word |= isalnum(*e) || *e >= 0x80;
        }

        if (word && e - q > 4 && e[-2] == ']' && e[-1] == ':') {
            words--;
        }
    }

    return words;
}


static void
test_toc(void **state)
{
    blog_post_t  *post;

    post = parse_ok("a.md", "---\ntitle: T\ntoc: true\n---\ntext\n");
    assert_true(post->toc);
    blog_post_release(post);

    post = parse_ok("b.md", "---\ntitle: T\n---\ntext\n");
    assert_false(post->toc);
    blog_post_release(post);
}


int
main(void)
{
    const struct CMUnitTest  tests[] = {
        cmocka_unit_test(test_name_plain),
        cmocka_unit_test(test_name_jekyll),
        cmocka_unit_test(test_name_markdown_ext),
        cmocka_unit_test(test_name_bundle),
        cmocka_unit_test(test_name_declined),
        cmocka_unit_test(test_name_drafts),
        cmocka_unit_test(test_title_front_matter),
        cmocka_unit_test(test_title_heading),
        cmocka_unit_test(test_title_slug),
        cmocka_unit_test(test_slug_front_matter),
        cmocka_unit_test(test_description_fields),
        cmocka_unit_test(test_description_more),
        cmocka_unit_test(test_description_more_in_code),
        cmocka_unit_test(test_title_heading_after_more),
        cmocka_unit_test(test_description_first_paragraph),
        cmocka_unit_test(test_tags_list),
        cmocka_unit_test(test_tags_commas),
        cmocka_unit_test(test_tags_blanks),
        cmocka_unit_test(test_tags_categories_keywords),
        cmocka_unit_test(test_tags_duplicates),
        cmocka_unit_test(test_draft),
        cmocka_unit_test(test_reading_time_override),
        cmocka_unit_test(test_reading_time_computed),
        cmocka_unit_test(test_date_front_matter_wins),
        cmocka_unit_test(test_date_jekyll_name),
        cmocka_unit_test(test_date_bad),
        cmocka_unit_test(test_lastmod),
        cmocka_unit_test(test_publish_window),
        cmocka_unit_test(test_aliases),
        cmocka_unit_test(test_generator_formats),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_bad_front_matter),
        cmocka_unit_test(test_hugo_blank_line_first),
        cmocka_unit_test(test_text_gfm),
        cmocka_unit_test(test_words_markdown),
        cmocka_unit_test(test_words_any_text),
        cmocka_unit_test(test_toc),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
