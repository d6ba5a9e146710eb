
/*
 * blog_highlight.cpp: fenced code to <span class="hl-..."> tokens.  What a
 * reader's browser gets: the code's own text, escaped, in spans that open
 * and close on one line and never nest; the names an author may write in
 * an info string; a terminal session split into prompts, commands and
 * output; a snippet of every language the blog promises, taken from the
 * corpus where it has one; the same answers from many threads at once;
 * declined blocks leave the page as it was.
 */


#include "unit.h"

#include <pthread.h>
#include <time.h>

#if defined __has_include
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define UNIT_HL_VALGRIND  1
#endif
#endif


#define UNIT_HL_THREADS  32
#define UNIT_HL_ROUNDS   40

/* a hostile block's bound is a second at most, 50 under valgrind */
#define UNIT_HL_MAX_MS   2000


typedef struct {
    const char  *lang;
    const char  *code;
    const char  *span;      /* a span the snippet must have */
} unit_hl_snippet_t;

typedef struct {
    const unit_hl_snippet_t  *snippet;
    pthread_barrier_t        *start;
    blog_buf_t                out[UNIT_HL_ROUNDS];
    int                       rc[UNIT_HL_ROUNDS];
} unit_hl_thread_t;


static int highlight(blog_buf_t *b, const char *lang, const char *code);
static void check_html(const blog_buf_t *b, const char *code);
static void *highlight_thread(void *data);
static void test_threads(void **state);
static void test_rust(void **state);
static void test_declined(void **state);
static void test_escaping(void **state);
static void test_names(void **state);
static void test_console(void **state);
static void test_languages(void **state);
static void test_lines(void **state);
static void test_utf8(void **state);
static void test_long_line(void **state);
static void test_hostile(void **state);
static void test_out_of_memory(void **state);


/* from the corpus but for cpp, typescript, xml, python, css, java,
 * dockerfile and nginx, which it has none of */

static const unit_hl_snippet_t  snippets[] = {

    { "rust",
      "fn main() {\n"
      "    let v: Vec<i32> = vec![1, 2, 3];\n"
      "    println!(r#\"{:?} \"raw\"\"#, v);\n"
      "}\n",
      "<span class=\"hl-keyword\">fn</span>" },

    { "console",
      "$ cargo +nightly build\n"
      "   Compiling hello v0.1.0 (/tmp/hello)\n",
      "<span class=\"hl-prompt\">$ </span>" },

    { "bash",
      "curl https://sh.rustup.rs -sSf | sh\n"
      "source $HOME/.cargo/env\n",
      "<span class=\"hl-variable\">$HOME</span>" },

    { "go",
      "func main() {\n"
      "\tfmt.Println(\"hello, world\")\n"
      "}\n",
      "<span class=\"hl-keyword\">func</span>" },

    { "toml",
      "[dependencies]\n"
      "serde = { version = \"1.0\", features = [\"derive\"] }\n",
      "<span class=\"hl-attribute\">serde</span>" },

    { "yaml",
      "date: 2017-01-17\n"
      "resources:\n"
      "- src: \"image-4.png\"\n"
      "  title: \"The Fourth Image\"\n",
      "<span class=\"hl-attribute\">resources</span>" },

    { "c",
      "int double_input(int input) {\n"
      "    return input * 2;\n"
      "}\n",
      "<span class=\"hl-type\">int</span>" },

    { "cpp",
      "#include <vector>\n"
      "template <typename T> class Stack {\n"
      "    std::vector<T> items; // the elements\n"
      "};\n",
      "<span class=\"hl-preprocessor\">#include</span>" },

    { "json",
      "{\n"
      "    \"reason\": \"compiler-artifact\",\n"
      "    \"fresh\": false\n"
      "}\n",
      "<span class=\"hl-attribute\">&quot;reason&quot;</span>" },

    { "ruby",
      "gem 'jekyll', '~> 4.0'\n",
      "<span class=\"hl-string\">&#39;jekyll&#39;</span>" },

    { "js",
      "let tailwindConfig = process.env.HUGO_FILE_TAILWIND_CONFIG_JS"
      " || './tailwind.config.js';\n"
      "const tailwind = require('tailwindcss')(tailwindConfig);\n",
      "<span class=\"hl-keyword\">const</span>" },

    { "typescript",
      "interface Post { title: string; draft?: boolean }\n"
      "export async function load(p: string): Promise<Post> {\n"
      "  return JSON.parse(await readFile(p, `utf-8`));\n"
      "}\n",
      "<span class=\"hl-type\">Post</span>" },

    { "html",
      "<picture>\n"
      "  <img src=\"https://test.crates.io/logo.svg\" alt=\"logo\">\n"
      "</picture>\n",
      "<span class=\"hl-tag\">&lt;picture&gt;</span>" },

    { "xml",
      "<?xml version=\"1.0\"?>\n"
      "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>x</title></feed>\n",
      "<span class=\"hl-attribute\">xmlns</span>" },

    { "diff",
      " fn main() {\n"
      "+    #[allow(unused_unsafe)]\n"
      "     let static_mut_ptr = unsafe { addr_of_mut!(STATIC_MUT) };\n"
      " }\n",
      "<span class=\"hl-inserted\">+    #[allow(unused_unsafe)]</span>" },

    { "sql",
      "SELECT\n"
      "  COUNT(*) TotalCount, \"featureStatus\".name\n"
      "FROM\n"
      "  \"featureStatus\"\n",
      "<span class=\"hl-keyword\">SELECT</span>" },

    { "python",
      "import os\n"
      "def walk(root):\n"
      "    return [p for p in os.listdir(root) if p != '.git']\n",
      "<span class=\"hl-keyword\">def</span>" },

    { "css",
      "pre code { font-family: monospace; }\n",
      "<span class=\"hl-attribute\">font-family:</span>" },

    { "java",
      "public class Hello {\n"
      "    public static void main(String[] args) { }\n"
      "}\n",
      "<span class=\"hl-keyword\">public</span>" },

    { "dockerfile",
      "FROM rust:1.75 AS builder\n"
      "COPY --from=builder /src/target/release/app /usr/local/bin/\n"
      "CMD [\"app\"]\n",
      "<span class=\"hl-keyword\">FROM</span>" },

    { "nginx",
      "location /blog/ {\n"
      "    blog /srv/blog;\n"
      "    expires 30d;\n"
      "}\n",
      "<span class=\"hl-keyword\">location</span>" },

    { NULL, NULL, NULL }
};


static int
highlight(blog_buf_t *b, const char *lang, const char *code)
{
    int  rc;

    rc = blog_highlight(b, (const u_char *) lang, strlen(lang),
                        (const u_char *) code, strlen(code));

    if (rc == BLOG_OK) {
        check_html(b, code);
    }

    return rc;
}


/*
 * The output is well-formed and says the code: spans of a known class,
 * none inside another, closed on their line; "<", ">", "&", "\"" and "'"
 * only as the project escapes them; the text, tags taken out and
 * entities read, is the code.
 */

static void
check_html(const blog_buf_t *b, const char *code)
{
    size_t         i, k, n;
    unsigned       open;
    blog_buf_t     text;
    const char    *p, *end, *q;
    static const char  *classes[] = {
        "keyword", "type", "string", "comment", "number", "function",
        "operator", "punctuation", "variable", "constant", "preprocessor",
        "attribute", "tag", "inserted", "deleted", "heading", "prompt",
        "output"
    };
    static const struct {
        const char  *entity;
        char         c;
    } entities[] = {
        { "&lt;", '<' }, { "&gt;", '>' }, { "&amp;", '&' },
        { "&quot;", '"' }, { "&#39;", '\'' }
    };

    blog_buf_init(&text);

    p = b->data != NULL ? (const char *) b->data : "";
    end = p + b->len;
    open = 0;

    while (p < end) {
        if (*p == '<') {
            if (open && end - p >= 7 && memcmp(p, "</span>", 7) == 0) {
                open = 0;
                p += 7;
                continue;
            }

            if (open || end - p < 18
                || memcmp(p, "<span class=\"hl-", 16) != 0)
            {
                fail_msg("bad tag at \"%.40s\"", p);
            }

            q = memchr(p + 16, '"', end - p - 16);
            if (q == NULL || q + 1 >= end || q[1] != '>') {
                fail_msg("bad span at \"%.40s\"", p);
            }

            n = q - (p + 16);

            for (k = 0; k < UNIT_ARRAY(classes); k++) {
                if (strlen(classes[k]) == n
                    && memcmp(classes[k], p + 16, n) == 0)
                {
                    break;
                }
            }

            if (k == UNIT_ARRAY(classes)) {
                fail_msg("unknown class \"%.*s\"", (int) n, p + 16);
            }

            open = 1;
            p = q + 2;
            continue;
        }

        if (*p == '&') {
            for (k = 0; k < UNIT_ARRAY(entities); k++) {
                n = strlen(entities[k].entity);

                if ((size_t) (end - p) >= n
                    && memcmp(p, entities[k].entity, n) == 0)
                {
                    break;
                }
            }

            if (k == UNIT_ARRAY(entities)) {
                fail_msg("raw & at \"%.40s\"", p);
            }

            blog_buf_addc(&text, entities[k].c);
            p += n;
            continue;
        }

        if (*p == '>' || *p == '"' || *p == '\'') {
            fail_msg("raw %c at \"%.40s\"", *p, p);
        }

        if (*p == '\n' && open) {
            fail_msg("span open across a line: \"%.*s\"", (int) b->len,
                     b->data);
        }

        blog_buf_addc(&text, (u_char) *p);
        p++;
    }

    if (open) {
        fail_msg("span left open: \"%.*s\"", (int) b->len, b->data);
    }

    i = strlen(code);

    if (text.len != i || (i != 0 && memcmp(text.data, code, i) != 0)) {
        fail_msg("text \"%.*s\" is not the code \"%s\"", (int) text.len,
                 text.data, code);
    }

    blog_buf_free(&text);
}


/*
 * First of all, so that the threads also parse the definitions at once:
 * each highlights its language UNIT_HL_ROUNDS times while the others do
 * theirs, and gets what one thread alone gets afterwards.
 */

static void *
highlight_thread(void *data)
{
    int                       i;
    unit_hl_thread_t         *t;
    const unit_hl_snippet_t  *s;

    t = data;
    s = t->snippet;

    pthread_barrier_wait(t->start);

    for (i = 0; i < UNIT_HL_ROUNDS; i++) {
        blog_buf_init(&t->out[i]);
        t->rc[i] = blog_highlight(&t->out[i], (const u_char *) s->lang,
                                  strlen(s->lang),
                                  (const u_char *) s->code,
                                  strlen(s->code));
    }

    return NULL;
}


static void
test_threads(void **state)
{
    int                 i, k, rc;
    size_t              nsnippets;
    pthread_t           tid[UNIT_HL_THREADS];
    blog_buf_t          b;
    pthread_barrier_t   start;
    unit_hl_thread_t   *t;

    nsnippets = UNIT_ARRAY(snippets) - 1;

    t = calloc(UNIT_HL_THREADS, sizeof(unit_hl_thread_t));
    assert_non_null(t);

    assert_int_equal(pthread_barrier_init(&start, NULL, UNIT_HL_THREADS), 0);

    for (i = 0; i < UNIT_HL_THREADS; i++) {
        t[i].snippet = &snippets[i % nsnippets];
        t[i].start = &start;
        assert_int_equal(pthread_create(&tid[i], NULL, highlight_thread,
                                        &t[i]), 0);
    }

    for (i = 0; i < UNIT_HL_THREADS; i++) {
        assert_int_equal(pthread_join(tid[i], NULL), 0);
    }

    pthread_barrier_destroy(&start);

    for (i = 0; i < UNIT_HL_THREADS; i++) {
        blog_buf_init(&b);
        rc = highlight(&b, t[i].snippet->lang, t[i].snippet->code);
        assert_int_equal(rc, BLOG_OK);

        for (k = 0; k < UNIT_HL_ROUNDS; k++) {
            assert_int_equal(t[i].rc[k], BLOG_OK);
            assert_int_equal(t[i].out[k].len, b.len);
            assert_memory_equal(t[i].out[k].data, b.data, b.len);
            blog_buf_free(&t[i].out[k]);
        }

        blog_buf_free(&b);
    }

    free(t);
}


static void
test_rust(void **state)
{
    blog_buf_t  b;

    blog_buf_init(&b);

    assert_int_equal(highlight(&b, "rust", "fn main() { let s = \"x\"; }"),
                     BLOG_OK);
    assert_string_equal(unit_buf_str(&b),
        "<span class=\"hl-keyword\">fn</span> "
        "<span class=\"hl-function\">main</span>"
        "<span class=\"hl-punctuation\">()</span> "
        "<span class=\"hl-punctuation\">{</span> "
        "<span class=\"hl-keyword\">let</span> s "
        "<span class=\"hl-operator\">=</span> "
        "<span class=\"hl-string\">&quot;x&quot;</span>"
        "<span class=\"hl-punctuation\">;</span> "
        "<span class=\"hl-punctuation\">}</span>");

    blog_buf_free(&b);

    /* appended: what the buffer held stays */

    blog_buf_init(&b);
    blog_buf_adds(&b, "<pre><code>");

    assert_int_equal(blog_highlight(&b, (const u_char *) "rs", 2,
                                    (const u_char *) "// hi\n", 6),
                     BLOG_OK);
    assert_string_equal(unit_buf_str(&b),
        "<pre><code><span class=\"hl-comment\">// hi</span>\n");

    blog_buf_free(&b);
}


static void
test_declined(void **state)
{
    size_t       i;
    u_char      *code;
    blog_buf_t   b;
    static const char  *langs[] = {
        "klingon", "text", "plain", "plaintext", "txt", "", " ", "{}",
        "language-", ",rust", "rustrustrustrustrustrustrustrustrust"
    };

    for (i = 0; i < UNIT_ARRAY(langs); i++) {
        blog_buf_init(&b);
        blog_buf_adds(&b, "<pre><code>");

        assert_int_equal(blog_highlight(&b, (const u_char *) langs[i],
                                        strlen(langs[i]),
                                        (const u_char *) "x < y", 5),
                         BLOG_DECLINED);
        assert_bstr_equal(b, "<pre><code>");
        assert_null(blog_highlight_language((const u_char *) langs[i],
                                            strlen(langs[i])));

        blog_buf_free(&b);
    }

    /* past the size limit, at once */

    code = calloc(1, 600 * 1024);
    assert_non_null(code);

    blog_buf_init(&b);

    assert_int_equal(blog_highlight(&b, (const u_char *) "c", 1, code,
                                    600 * 1024),
                     BLOG_DECLINED);
    assert_int_equal(b.len, 0);

    free(code);
}


static void
test_escaping(void **state)
{
    const char  *html;
    blog_buf_t   b;

    blog_buf_init(&b);

    assert_int_equal(highlight(&b, "c",
                               "if (a < b && c > d) puts(\"<&>\"); // <&>"),
                     BLOG_OK);
    html = unit_buf_str(&b);

    assert_contains(html, "<span class=\"hl-operator\">&lt;</span> b "
                          "<span class=\"hl-operator\">&amp;&amp;</span>");
    assert_contains(html, "<span class=\"hl-string\">&quot;&lt;&amp;&gt;"
                          "&quot;</span>");
    assert_contains(html, "<span class=\"hl-comment\">// &lt;&amp;&gt;"
                          "</span>");

    blog_buf_free(&b);

    /* outside any span too: "normal" text */

    blog_buf_init(&b);

    assert_int_equal(highlight(&b, "go", "x&y<z'w\"\n"), BLOG_OK);
    assert_contains(unit_buf_str(&b), "x<span class=\"hl-operator\">&amp;"
                                      "</span>y");

    blog_buf_free(&b);
}


static void
test_names(void **state)
{
    size_t       i;
    const char  *name;
    static const struct {
        const char  *lang;
        const char  *name;
    } names[] = {
        { "rust", "rust" }, { "rs", "rust" }, { "RS", "rust" },
        { "Rust", "rust" }, { "rust,ignore", "rust" },
        { "rust=", "rust" }, { "rust no_run", "rust" },
        { "{.go}", "go" }, { "{ .go .numberLines }", "go" },
        { ".go", "go" }, { "language-go", "go" }, { "lang-go", "go" },
        { "go {linenos=true}", "go" }, { "golang", "go" },
        { "console", "console" }, { "shell-session", "console" },
        { "shell", "shell" }, { "sh", "shell" }, { "bash", "shell" },
        { "zsh", "shell" }, { "ksh", "shell" },
        { "toml", "toml" }, { "yaml", "yaml" }, { "yml", "yaml" },
        { "c", "c" }, { "h", "c" },
        { "cpp", "cpp" }, { "c++", "cpp" }, { "cc", "cpp" },
        { "cxx", "cpp" }, { "hpp", "cpp" },
        { "json", "json" }, { "ruby", "ruby" }, { "rb", "ruby" },
        { "javascript", "javascript" }, { "js", "javascript" },
        { "jsx", "javascript" }, { "mjs", "javascript" },
        { "typescript", "typescript" }, { "ts", "typescript" },
        { "tsx", "typescript" },
        { "html", "html" }, { "htm", "html" }, { "xml", "xml" },
        { "diff", "diff" }, { "patch", "diff" },
        { "sql", "sql" }, { "SQL", "sql" },
        { "python", "python" }, { "py", "python" },
        { "python3", "python" },
        { "css", "css" }, { "java", "java" },
        { "dockerfile", "dockerfile" }, { "Dockerfile", "dockerfile" },
        { "docker", "dockerfile" }, { "containerfile", "dockerfile" },
        { "nginx", "nginx" },

        /* from source-highlight's lang.map */
        { "lua", "lua" }, { "pm", "perl" }, { "makefile", "makefile" },
        { "hs", "haskell" }
    };

    for (i = 0; i < UNIT_ARRAY(names); i++) {
        name = blog_highlight_language((const u_char *) names[i].lang,
                                       strlen(names[i].lang));
        if (name == NULL || strcmp(name, names[i].name) != 0) {
            fail_msg("\"%s\" is \"%s\", not \"%s\"", names[i].lang,
                     name != NULL ? name : "(null)", names[i].name);
        }
    }
}


static void
test_console(void **state)
{
    const char  *html;
    blog_buf_t   b;

    blog_buf_init(&b);

    assert_int_equal(highlight(&b, "console",
                               "$ cargo build --release\n"
                               "   Compiling blog v0.1.0\n"
                               "\n"
                               "user@host:~/src$ ls -l | grep \"x\" \\\n"
                               "  > out.txt\n"
                               "[me@box src]# make install\n"
                               "> echo $HOME\n"
                               "$\n"
                               "error: could not compile `blog`"),
                     BLOG_OK);
    html = unit_buf_str(&b);

    /* the command, its options, and the shell's own words */

    assert_string_equal(html,
        "<span class=\"hl-prompt\">$ </span>"
        "<span class=\"hl-function\">cargo</span> build "
        "<span class=\"hl-attribute\">--release</span>\n"
        "<span class=\"hl-output\">   Compiling blog v0.1.0</span>\n"
        "\n"
        "<span class=\"hl-prompt\">user@host:~/src$ </span>"
        "<span class=\"hl-function\">ls</span> "
        "<span class=\"hl-attribute\">-l</span> "
        "<span class=\"hl-operator\">|</span> "
        "<span class=\"hl-function\">grep</span> "
        "<span class=\"hl-string\">&quot;x&quot;</span> "
        "<span class=\"hl-operator\">\\</span>\n"
        "  <span class=\"hl-operator\">&gt;</span> out"
        "<span class=\"hl-punctuation\">.</span>txt\n"
        "<span class=\"hl-prompt\">[me@box src]# </span>"
        "<span class=\"hl-function\">make</span> install\n"
        "<span class=\"hl-prompt\">&gt; </span>"
        "<span class=\"hl-function\">echo</span> "
        "<span class=\"hl-variable\">$HOME</span>\n"
        "<span class=\"hl-prompt\">$</span>\n"
        "<span class=\"hl-output\">error: could not compile `blog`"
        "</span>");

    blog_buf_free(&b);
}


static void
test_languages(void **state)
{
    const unit_hl_snippet_t  *s;
    blog_buf_t                b;

    for (s = snippets; s->lang != NULL; s++) {
        blog_buf_init(&b);

        if (highlight(&b, s->lang, s->code) != BLOG_OK) {
            fail_msg("%s: declined", s->lang);
        }

        assert_contains(unit_buf_str(&b), s->span);

        blog_buf_free(&b);
    }
}


static void
test_lines(void **state)
{
    blog_buf_t  b;

    blog_buf_init(&b);

    /* a comment over three lines: a span on each, the line ends kept */

    assert_int_equal(highlight(&b, "c", "/* a\r\n\n b */ int\n\n"),
                     BLOG_OK);
    assert_string_equal(unit_buf_str(&b),
        "<span class=\"hl-comment\">/* a</span>\r\n"
        "\n"
        "<span class=\"hl-comment\"> b */</span> "
        "<span class=\"hl-type\">int</span>\n"
        "\n");

    blog_buf_free(&b);

    blog_buf_init(&b);
    assert_int_equal(highlight(&b, "rust", ""), BLOG_OK);
    assert_int_equal(b.len, 0);
    blog_buf_free(&b);
}


static void
test_utf8(void **state)
{
    blog_buf_t  b;

    blog_buf_init(&b);

    assert_int_equal(highlight(&b, "rust",
                               "let café = \"naïve — 日本\"; // ✓ ok\n"
                               "let c = 'é'; let x = é+ü;\n"),
                     BLOG_OK);
    assert_int_equal(blog_utf8_check(b.data, b.len), b.len);
    assert_contains(unit_buf_str(&b),
                    "<span class=\"hl-string\">&quot;naïve — 日本&quot;"
                    "</span>");

    blog_buf_free(&b);
}


static void
test_long_line(void **state)
{
    char        *code;
    const char  *html;
    blog_buf_t   b;

    /* a line of data among code: plain, and the code still highlighted */

    code = malloc(4096);
    assert_non_null(code);

    strcpy(code, "let data = \"");
    memset(code + 12, 'a', 2000);
    strcpy(code + 2012, "\";\nfn main() {}\n");

    blog_buf_init(&b);

    assert_int_equal(highlight(&b, "rust", code), BLOG_OK);
    html = unit_buf_str(&b);

    assert_true(strncmp(html, "let data = &quot;aaaa", 21) == 0);
    assert_contains(html, "\n<span class=\"hl-keyword\">fn</span>");

    blog_buf_free(&b);
    free(code);
}


/*
 * Runs of quotes and backslashes, unclosed comments, strings and
 * brackets, in lines just short of the plain ones: each call ends within
 * its time bound, highlighted or declined, never in between.
 */

static void
test_hostile(void **state)
{
    int              rc;
    char            *code;
    size_t           i, k, u, n;
    double           ms, max;
    blog_buf_t       b;
    struct timespec  t0, t1;
    static const char  *langs[] = {
        "rust", "ruby", "python", "lua", "shell", "yaml", "toml", "c",
        "typescript", "nginx", "dockerfile", "html"
    };
    static const char  *units[] = {
        "\"\\", "\"", "\\", "/*", "(", "r#\"", "${", "<a b=\"", "'''"
    };

    n = 8 * 1024;
    code = malloc(n + 1);
    assert_non_null(code);

    max = UNIT_HL_MAX_MS;

#ifdef UNIT_HL_VALGRIND
    if (RUNNING_ON_VALGRIND) {
        max *= 50;
    }
#endif

    for (u = 0; u < UNIT_ARRAY(units); u++) {
        for (i = 0; i < n; i++) {
            code[i] = (i % 500 == 499) ? '\n'
                      : units[u][i % strlen(units[u])];
        }

        code[n] = '\0';

        for (k = 0; k < UNIT_ARRAY(langs); k++) {
            blog_buf_init(&b);
            blog_buf_adds(&b, "kept");

            clock_gettime(CLOCK_MONOTONIC, &t0);
            rc = blog_highlight(&b, (const u_char *) langs[k],
                                strlen(langs[k]), (const u_char *) code, n);
            clock_gettime(CLOCK_MONOTONIC, &t1);

            ms = (t1.tv_sec - t0.tv_sec) * 1e3
                 + (t1.tv_nsec - t0.tv_nsec) / 1e6;

            if (ms > max) {
                fail_msg("%s on \"%s\": %.0f ms", langs[k], units[u], ms);
            }

            if (rc == BLOG_DECLINED) {
                assert_bstr_equal(b, "kept");

            } else {
                assert_int_equal(rc, BLOG_OK);
                assert_true(b.len > 4 && memcmp(b.data, "kept", 4) == 0);
            }

            blog_buf_free(&b);
        }
    }

    free(code);
}


static void
test_out_of_memory(void **state)
{
    blog_buf_t  b;

    blog_buf_init(&b);
    b.failed = 1;

    assert_int_equal(blog_highlight(&b, (const u_char *) "rust", 4,
                                    (const u_char *) "fn x() {}", 9),
                     BLOG_ERROR);
}


int
main(void)
{
    const struct CMUnitTest  tests[] = {
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_rust),
        cmocka_unit_test(test_declined),
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_console),
        cmocka_unit_test(test_languages),
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_long_line),
        cmocka_unit_test(test_hostile),
        cmocka_unit_test(test_out_of_memory),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
