
/*
 * Hugo shortcodes and Jekyll Liquid (blog_shortcode.c, blog_liquid.c): a
 * body expanded with the default theme's shortcode templates (read from
 * templates/shortcodes/, the tests run from the top of the tree) and a
 * site's own "gh", then rendered and its placeholders put back, as the
 * post page does it; headings' ids and contents from what they show; the
 * warnings; the summaries' stripped text; and hostile bodies that must
 * stay linear.
 */


#include "unit.h"

#include <time.h>


#define UNIT_SHORTCODES  "templates/shortcodes"


typedef struct {
    blog_tmpl_set_t    *tmpl;
    blog_arena_t       *arena;
    blog_value_t       *site;
    blog_value_t       *page;
    blog_expand_t       x;
    blog_buf_t          html;
    blog_buf_t          toc;
    char               *out;
} unit_sc_t;


static int setup(void **state);
static int teardown(void **state);
static void load_shortcodes(unit_sc_t *u);
static const char *expand(unit_sc_t *u, const char *body, unsigned liquid);
static const char *render(unit_sc_t *u, const char *body, unsigned liquid,
    blog_buf_t *toc);
static const char *note(unit_sc_t *u, size_t i);
static void set(unit_sc_t *u, blog_value_t *map, const char *key,
    const char *value);


static int
setup(void **state)
{
    unit_sc_t              *u;
    blog_value_t           *params;
    blog_problem_detail_t   pd;
    static const char       gh[] =
        "<a class=\"gh\" href=\"https://github.com/gohugoio/hugo/issues/"
        "{{0}}\">#{{0}}</a>\n";

    u = calloc(1, sizeof(unit_sc_t));
    assert_non_null(u);

    u->tmpl = blog_tmpl_set_create();
    u->arena = blog_arena_create();
    assert_non_null(u->tmpl);
    assert_non_null(u->arena);

    load_shortcodes(u);

    assert_int_equal(blog_tmpl_add(u->tmpl, "shortcodes/gh", (u_char *) gh,
                                   sizeof(gh) - 1, &pd), BLOG_OK);

    u->site = blog_value_map(u->arena);
    u->page = blog_value_map(u->arena);
    params = blog_value_map(u->arena);

    set(u, u->site, "title", "My <Blog>");
    set(u, u->page, "title", "A <post>");
    set(u, u->page, "date_iso", "2024-01-05T00:00:00Z");
    set(u, params, "author", "Ada & Bob");
    blog_value_set(u->arena, u->page, "params", params);

    blog_buf_init(&u->html);
    blog_buf_init(&u->toc);

    *state = u;

    return 0;
}


static int
teardown(void **state)
{
    unit_sc_t  *u = *state;

    blog_expand_free(&u->x);
    blog_buf_free(&u->html);
    blog_buf_free(&u->toc);
    blog_tmpl_set_free(u->tmpl);
    blog_arena_destroy(u->arena);
    free(u->out);
    free(u);

    return 0;
}


static void
load_shortcodes(unit_sc_t *u)
{
    DIR                    *dir;
    char                    path[512], name[256];
    size_t                  n;
    blog_buf_t              text;
    const char             *reason;
    struct dirent          *de;
    blog_file_id_t          id;
    blog_problem_detail_t   pd;

    dir = opendir(UNIT_SHORTCODES);
    if (dir == NULL) {
        fail_msg("%s: %s (run from the top of the tree)", UNIT_SHORTCODES,
                 strerror(errno));
    }

    blog_buf_init(&text);

    while ((de = readdir(dir)) != NULL) {
        n = strlen(de->d_name);

        if (n < 6 || strcmp(de->d_name + n - 5, ".html") != 0) {
            continue;
        }

        snprintf(path, sizeof(path), "%s/%s", UNIT_SHORTCODES, de->d_name);
        snprintf(name, sizeof(name), "shortcodes/%.*s", (int) n - 5,
                 de->d_name);

        text.len = 0;

        if (blog_file_read(path, 1024 * 1024, &text, &id, &reason)
            != BLOG_OK)
        {
            fail_msg("%s: %s", path, reason);
        }

        if (blog_tmpl_add(u->tmpl, name, text.data, text.len, &pd)
            != BLOG_OK)
        {
            fail_msg("%s:%u: %s", path, pd.line, pd.reason);
        }
    }

    closedir(dir);
    blog_buf_free(&text);
}


static void
set(unit_sc_t *u, blog_value_t *map, const char *key, const char *value)
{
    assert_int_equal(blog_value_set(u->arena, map, key,
                                    blog_value_string(u->arena,
                                                      (u_char *) value,
                                                      strlen(value))),
                     BLOG_OK);
}


/* the body's HTML, as a feed has it; the body starts at line 5 */

static const char *
expand(unit_sc_t *u, const char *body, unsigned liquid)
{
    return render(u, body, liquid, NULL);
}


/* ... and with toc, as the post's own page has it, with its contents */

static const char *
render(unit_sc_t *u, const char *body, unsigned liquid, blog_buf_t *toc)
{
    blog_buf_t       tmp;
    blog_markdown_t  mo;

    blog_expand_free(&u->x);
    blog_expand_init(&u->x);

    memset(&mo, 0, sizeof(blog_markdown_t));
    mo.name.data = (u_char *) "post";
    mo.name.len = 4;
    mo.anchors = (toc != NULL);
    mo.toc = toc;
    mo.heading_text = blog_expand_text;
    mo.heading_data = &u->x;

    u->x.tmpl = u->tmpl;
    u->x.arena = u->arena;
    u->x.site = u->site;
    u->x.page = u->page;
    u->x.base_url.data = (u_char *) "https://example.com";
    u->x.base_url.len = sizeof("https://example.com") - 1;
    u->x.prefix.data = (u_char *) "/blog";
    u->x.prefix.len = 5;
    u->x.mo = &mo;
    u->x.line = 5;

    assert_int_equal(blog_expand(&u->x, (u_char *) body, strlen(body),
                                 liquid), BLOG_OK);

    blog_buf_init(&tmp);
    assert_int_not_equal(blog_markdown_html(&tmp, u->x.md.data, u->x.md.len,
                                            &mo), BLOG_ERROR);

    u->html.len = 0;
    assert_int_equal(blog_expand_finish(&u->x, &u->html, tmp.data, tmp.len),
                     BLOG_OK);
    blog_buf_free(&tmp);

    free(u->out);
    u->out = strndup((char *) u->html.data, u->html.len);
    assert_non_null(u->out);

    return u->out;
}


static const char *
note(unit_sc_t *u, size_t i)
{
    static char  text[200];

    if (i >= u->x.nnotes) {
        return "(no note)";
    }

    snprintf(text, sizeof(text), "%u: %s", u->x.notes[i].line,
             u->x.notes[i].text);

    return text;
}


static void
test_shortcode_forms(void **state)
{
    unit_sc_t   *u = *state;
    const char  *h;

    h = expand(u, "A {{< gh 123 >}}, {{<gh 7 >}}, {{% gh \"9\" %}} and "
                  "{{< gh 1 />}}.\n", 0);

    assert_contains(h, "<p>A <a class=\"gh\" href=\"https://github.com/"
                       "gohugoio/hugo/issues/123\">#123</a>, ");
    assert_contains(h, ">#7</a>, ");
    assert_contains(h, ">#9</a> and ");
    assert_contains(h, ">#1</a>.</p>");
    assert_not_contains(h, "{{");
    assert_int_equal(u->x.nnotes, 0);
}


static void
test_shortcode_block(void **state)
{
    unit_sc_t   *u = *state;
    const char  *h;

    h = expand(u, "{{< figure src=\"cat.jpg\" alt=\"A cat\" "
                  "caption=\"The <cat>\" >}}\n\ntext\n", 0);

    assert_contains(h, "<figure class=\"figure\"><img src=\"cat.jpg\" "
                       "alt=\"A cat\" loading=\"lazy\"");
    assert_contains(h, "<figcaption>The &lt;cat&gt;</figcaption></figure>");
    assert_not_contains(h, "<p><figure");

    h = expand(u, "{{< youtube w7Ft2ymGmfc >}}\n", 0);
    assert_contains(h, "<iframe src=\"https://www.youtube-nocookie.com/embed/"
                       "w7Ft2ymGmfc\" title=\"YouTube video\" "
                       "loading=\"lazy\"");

    h = expand(u, "{{< vimeo id=\"146022717\" title=\"A film\" >}}\n", 0);
    assert_contains(h, "src=\"https://player.vimeo.com/video/146022717"
                       "?dnt=1\" title=\"A film\"");

    h = expand(u, "{{< x user=\"SanDiegoZoo\" id=\"145\" >}} "
                  "{{< tweet 877 >}} {{< gist spf13 7896402 >}}\n", 0);
    assert_contains(h, "href=\"https://x.com/SanDiegoZoo/status/145\"");
    assert_contains(h, "href=\"https://x.com/i/status/877\"");
    assert_contains(h, "href=\"https://gist.github.com/spf13/7896402\"");
    assert_not_contains(h, "<script");
}


static void
test_shortcode_paired(void **state)
{
    unit_sc_t   *u = *state;
    const char  *h;

    h = expand(u, "{{% details summary=\"More\" %}}**bold** "
                  "{{< gh 5 >}}{{% /details %}}\n", 0);
    assert_contains(h, "<details class=\"details\"><summary>More</summary>"
                       "<p><strong>bold</strong> <a class=\"gh\"");
    assert_contains(h, ">#5</a></p>\n</details>");

    h = expand(u, "{{< details >}}<script>x</script>{{< /details >}}\n", 0);
    assert_not_contains(h, "<script>");

    h = expand(u, "{{< highlight go >}}\nfunc main() { x := \"s\" }\n"
                  "{{< /highlight >}}\n", 0);
    assert_contains(h, "<code class=\"language-go\">");
    assert_contains(h, "hl-keyword");
    assert_not_contains(h, "{{");
}


static void
test_shortcode_escape(void **state)
{
    unit_sc_t   *u = *state;
    const char  *h;

    h = expand(u, "Write `{{</* ref \"x.md\" */>}}` or {{%/* gh 1 */%}}, "
                  "even {{</* */>}}.\n\n"
                  "```\n{{</* figure src=\"a\" */>}}\n```\n", 0);

    assert_contains(h, "<code>{{&lt; ref &quot;x.md&quot; &gt;}}</code>");
    assert_contains(h, "or {{% gh 1 %}}, even {{&lt; &gt;}}.");
    assert_contains(h, "<pre tabindex=\"0\"><code>{{&lt; figure "
                       "src=&quot;a&quot; &gt;}}\n</code></pre>");
    assert_int_equal(u->x.nnotes, 0);
}


static void
test_shortcode_unknown(void **state)
{
    unit_sc_t   *u = *state;
    const char  *h;

    h = expand(u, "one {{< imgproc a >}}\n\n"
                  "{{< code-toggle file=\"config\" >}}\nx = 1\n"
                  "{{< /code-toggle >}}\n\ntwo {{< imgproc b >}} "
                  "{{< /nothing >}}\n", 0);

    assert_not_contains(h, "{{");
    assert_not_contains(h, "x = 1");
    assert_contains(h, "<p>one</p>\n<p>two</p>");
    assert_int_equal(u->x.nnotes, 3);
    assert_string_equal(note(u, 0), "5: unknown shortcode \"imgproc\", "
                                    "removed");
    assert_string_equal(note(u, 1), "7: unknown shortcode \"code-toggle\", "
                                    "removed");
    assert_string_equal(note(u, 2), "11: shortcode \"/nothing\" closes no "
                                    "shortcode, removed");
}


static void
test_shortcode_page(void **state)
{
    unit_sc_t   *u = *state;
    const char  *h;

    h = expand(u, "By {{< param author >}}, [me]({{< ref \"x.md\" >}}).\n",
               0);

    assert_contains(h, "<p>By Ada &amp; Bob, <a href=\"\">me</a>.</p>");
    assert_string_equal(note(u, 0), "5: ref \"x.md\" names no post");
}


/*
 * A heading's id, its anchor's name and its line in the contents are
 * what the reader sees, never a placeholder.
 */

static void
test_shortcode_heading(void **state)
{
    unit_sc_t   *u = *state;
    const char  *h;
    char        *toc;

    set(u, blog_value_get(u->page, (u_char *) "params", 6), "version",
        "1.2");

    u->toc.len = 0;
    h = render(u, "## Version {{< param \"version\" >}}\n\n"
                  "## By {{< param author >}}\n\n"
                  "### Watch {{< youtube abc >}}\n\n"
                  "## {{< youtube abc >}}\n\n"
                  "## Tag {{</* gh 1 */>}}\n\n"
                  "## Set {#{{< param version >}}}\n", 0, &u->toc);

    toc = strndup((char *) u->toc.data, u->toc.len);
    assert_non_null(toc);

    assert_contains(h, "<h2 id=\"version-12\">Version 1.2</h2>");
    assert_contains(h, "Section: Version 1.2</span>");
    assert_contains(h, "<h2 id=\"by-ada--bob\">By Ada &amp; Bob</h2>");
    assert_contains(h, "Section: By Ada &amp; Bob</span>");
    assert_contains(h, "<h3 id=\"watch\">Watch <div class=\"embed\">");
    assert_contains(h, "<h2 id=\"section\">");
    assert_contains(h, "<h2 id=\"tag--gh-1-\">");
    assert_contains(h, "<h2 id=\"12\">Set</h2>");

    assert_contains(toc, "<a href=\"#version-12\">Version 1.2</a>");
    assert_contains(toc, "<a href=\"#by-ada--bob\">By Ada &amp; Bob</a>");
    assert_contains(toc, "<a href=\"#watch\">Watch</a>");
    assert_contains(toc, "<a href=\"#tag--gh-1-\">Tag {{&lt; gh 1 &gt;}}</a>");
    assert_not_contains(toc, "<iframe");

    assert_not_contains(h, "zblogexp");
    assert_not_contains(h, "zBlOgExP");
    assert_not_contains(toc, "zblogexp");
    assert_not_contains(toc, "zBlOgExP");
    free(toc);

    /* Liquid's values in a Jekyll post */

    u->toc.len = 0;
    h = render(u, "## {{ page.title }}\n\n## On {{ site.title }}\n", 1,
               &u->toc);

    toc = strndup((char *) u->toc.data, u->toc.len);
    assert_non_null(toc);

    assert_contains(h, "<h2 id=\"a-post\">A &lt;post&gt;</h2>");
    assert_contains(h, "<h2 id=\"on-my-blog\">On My &lt;Blog&gt;</h2>");
    assert_contains(toc, "<a href=\"#a-post\">A &lt;post&gt;</a>");
    assert_not_contains(toc, "zblogexp");
    free(toc);
}


static void
test_shortcode_not_liquid(void **state)
{
    unit_sc_t   *u = *state;
    const char  *h;

    h = expand(u, "{{ .Title }} {% raw %}x{% endraw %}\n", 0);

    assert_contains(h, "<p>{{ .Title }} {% raw %}x{% endraw %}</p>");

    /* in a dated post, what is not Jekyll's stays: a Rust backtrace */

    h = expand(u, "`main::{{closure}}` {{ x }}\n", 1);

    assert_contains(h, "<p><code>main::{{closure}}</code> {{ x }}</p>");
    assert_int_equal(u->x.nnotes, 0);
}


static void
test_liquid(void **state)
{
    unit_sc_t   *u = *state;
    const char  *h;

    h = expand(u, "{% raw %}`{{ site.url }}`{% endraw %}, {{ site.title }}, "
                  "{{ page.title }}, {{ page.date }}, {{ site.url }}"
                  "{{ site.baseurl }}, {{ page.author }}.\n\n"
                  "[a]({{ \"/docs/\" | relative_url }}) "
                  "[b]({{ 'x' | prepend: '/y/' | absolute_url }})\n", 1);

    assert_contains(h, "<p><code>{{ site.url }}</code>, My &lt;Blog&gt;, "
                       "A &lt;post&gt;, 2024-01-05T00:00:00Z, "
                       "https://example.com/blog, Ada &amp; Bob.</p>");
    assert_contains(h, "<a href=\"/blog/docs/\">a</a> "
                       "<a href=\"https://example.com/blog/y/x\">b</a>");
    assert_int_equal(u->x.nnotes, 0);
}


static void
test_liquid_highlight(void **state)
{
    unit_sc_t   *u = *state;
    const char  *h;

    h = expand(u, "Text\n{% highlight ruby linenos %}\ndef x = 1\n"
                  "{% endhighlight %}\n{% highlight klingon %}\n```\n"
                  "{{ not }}\n{% endhighlight %}\nafter\n", 1);

    assert_contains(h, "<code class=\"language-ruby\"><span "
                       "class=\"hl-keyword\">def</span>");
    assert_contains(h, "<code class=\"language-klingon\">```\n{{ not }}\n"
                       "</code>");
    assert_contains(h, "<p>after</p>");
    assert_int_equal(u->x.nnotes, 0);
}


static void
test_liquid_removed(void **state)
{
    unit_sc_t   *u = *state;
    const char  *h;

    h = expand(u, "a {% for i in list %}LOOP {{ i }}{% endfor %} b\n"
                  "{% include foo.html %}{% assign x = 1 %}\n"
                  "{{ site.repository }}/issues {% comment %}no{% endcomment %}"
                  "\n{% if x %}{% if y %}IF{% endif %}{% endif %}\n"
                  "[x]({% post_url 2024-01-01-nope %})\n", 1);

    assert_not_contains(h, "LOOP");
    assert_not_contains(h, "IF");
    assert_not_contains(h, "{%");
    assert_not_contains(h, "{{");
    assert_contains(h, "<p>a  b</p>\n<p>/issues</p>\n"
                       "<p><a href=\"\">x</a></p>");

    assert_string_equal(note(u, 0), "5: Liquid tag \"for\" needs Jekyll's "
                                    "templates, removed with its body");
    assert_string_equal(note(u, 1), "6: Liquid tag \"include\" needs "
                                    "Jekyll's templates, removed");
    assert_string_equal(note(u, 2), "6: Liquid tag \"assign\" needs "
                                    "Jekyll's templates, removed");
    assert_string_equal(note(u, 3), "7: Liquid variable \"site.repository\" "
                                    "is not known here, removed");
    assert_string_equal(note(u, 4), "8: Liquid tag \"if\" needs Jekyll's "
                                    "templates, removed with its body");
    assert_string_equal(note(u, 5), "9: post_url \"2024-01-01-nope\" names "
                                    "no post");
}


static void
test_liquid_unsafe(void **state)
{
    unit_sc_t   *u = *state;
    const char  *h;

    set(u, blog_value_get(u->page, (u_char *) "params", 6), "js",
        "javascript:alert(1)");

    h = expand(u, "[x]({{ page.js }})\n", 1);

    assert_not_contains(h, "javascript");
}


static void
test_strip(void **state)
{
    const char  *s;
    blog_buf_t   b;

    (void) state;

    blog_buf_init(&b);

    /* a Hugo post: its shortcodes; Liquid is text there, as on the page */
    s = "A {{< gh 1 >}}b{{% x %}}c{{% /x %}} {% raw %}x{% endraw %} "
        "{{</* e */>}}.";
    assert_int_equal(blog_expand_strip(&b, (u_char *) s, strlen(s), 0),
                     BLOG_OK);
    assert_bstr_equal(b, "A bc {% raw %}x{% endraw %} {{< e >}}.");

    /* a Jekyll post: its Liquid, Jekyll's values too, not other braces */
    b.len = 0;
    s = "A {% raw %}{{ r }}{% endraw %} {% include y %}[home]({{ page.home "
        "}}) {{closure}} {{< gh 1 >}}.";
    assert_int_equal(blog_expand_strip(&b, (u_char *) s, strlen(s), 1),
                     BLOG_OK);
    assert_bstr_equal(b, "A {{ r }} [home]() {{closure}} {{< gh 1 >}}.");

    b.len = 0;
    s = "no tags { % }";
    assert_int_equal(blog_expand_strip(&b, (u_char *) s, strlen(s), 1),
                     BLOG_DECLINED);
    assert_int_equal(b.len, 0);

    s = "{% raw %} in a Hugo post";
    assert_int_equal(blog_expand_strip(&b, (u_char *) s, strlen(s), 0),
                     BLOG_DECLINED);
    blog_buf_free(&b);
}


/* a megabyte of openings, unclosed or nested, in well under a second */

static void
test_hostile(void **state)
{
    unit_sc_t      *u = *state;
    size_t          i, n;
    char           *body;
    clock_t         start;
    const char     *shapes[] = { "{{<", "{{< a", "{{% details %}}",
                                 "{{< gh 1 >}}", "{{</*", "{% if %}",
                                 "{% raw %}", "{{ site.title }}",
                                 "{{<{{%{%{{", NULL };
    const char    **s;

    n = 1024 * 1024;
    body = malloc(n + 1);
    assert_non_null(body);

    for (s = shapes; *s; s++) {
        for (i = 0; i < n; i++) {
            body[i] = (*s)[i % strlen(*s)];
        }

        body[n] = '\0';

        start = clock();

        blog_expand_free(&u->x);
        blog_expand_init(&u->x);
        u->x.tmpl = u->tmpl;
        u->x.arena = u->arena;

        assert_int_equal(blog_expand(&u->x, (u_char *) body, n,
                                     strncmp(*s, "{%", 2) == 0
                                     || strncmp(*s, "{{ ", 3) == 0),
                         BLOG_OK);

        if (clock() - start > 3 * CLOCKS_PER_SEC) {
            fail_msg("\"%s\" repeated: %.1f s", *s,
                     (double) (clock() - start) / CLOCKS_PER_SEC);
        }
    }

    /* nested deeper than the cap: bounded, and said */

    body[0] = '\0';

    for (i = 0; i < 20; i++) {
        strcat(body, "{{% details %}}");
    }

    strcat(body, "deep");

    for (i = 0; i < 20; i++) {
        strcat(body, "{{% /details %}}");
    }

    expand(u, body, 0);
    assert_contains(u->out, "<details");
    assert_string_equal(note(u, 0), "5: shortcode \"details\" is nested too "
                                    "deep, removed");

    free(body);
}


int
main(void)
{
    const struct CMUnitTest  tests[] = {
        cmocka_unit_test_setup_teardown(test_shortcode_forms, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_shortcode_block, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_shortcode_paired, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_shortcode_escape, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_shortcode_unknown, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_shortcode_page, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_shortcode_heading, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_shortcode_not_liquid, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_liquid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_liquid_highlight, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_liquid_removed, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_liquid_unsafe, setup, teardown),
        cmocka_unit_test(test_strip),
        cmocka_unit_test_setup_teardown(test_hostile, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
