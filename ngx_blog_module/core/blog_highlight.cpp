
/*
 * Fenced code to HTML token spans, with GNU source-highlight's library
 * (srchilite) behind a C interface: the rest of the core is C, and no C++
 * type or exception ever crosses into it.  It writes the inside of a
 * <code> element; the fence, the <pre> and the theme's colours are the
 * caller's.
 *
 * Languages.  The first word of an info string (blog_hl_word()) names a
 * language through blog_hl_aliases[], then through source-highlight's
 * lang.map.  Its definition is a .lang file of source-highlight's data
 * folder, or one of ours in highlight/: TOML, YAML, Dockerfile, nginx and
 * TypeScript, which source-highlight 3.1.9 lacks, and a diff.lang in place
 * of its own, which needs file headers that a blog's diff seldom has (a
 * file of ours wins over source-highlight's of that name).  Ours are built
 * into the core as strings (blog_files.sh), so neither
 * a build from source nor the Debian package needs a file anywhere else or
 * a path in the configuration.  srchilite parses definitions from files
 * only, so each of ours is handed to it as an anonymous memory file
 * (memfd_create()) named by its /proc/self/fd path: no temporary folder
 * to find, clean or guard from other users, and no reaching into the
 * parser's global FILE, which is no API.  Such a definition cannot
 * "include" another (the name would be looked up in /proc), so ours are
 * self-contained; without /proc (a chroot) they are declined and the
 * others still work.
 *
 * Threads.  The .lang parser is flex and bison with global state: a
 * definition is parsed under blog_hl_build_lock, once per language and
 * process, and only a thread that meets a language first waits for it.
 * The result, a graph of HighlightState whose rules are boost::regex, is
 * then only read: any number of threads match against it at once, with
 * no lock.  What changes while highlighting (the current state, the stack
 * of states, a state copied to hold a back-reference, the output) belongs
 * to the call.  The loop over a line is ours, not srchilite's
 * SourceHighlighter: that one formats through a FormatterManager that
 * caches into a shared map, and it can neither bound its work nor stop a
 * rule that matches nothing forever.  srchilite's states count their
 * copies in a static integer that nothing reads (HighlightState::
 * global_id); two threads copying at once may lose a count, no more.
 *
 * Bounds.  For each token srchilite tries every rule of the state on the
 * rest of the line, and a rule that fails may try each start on it: real
 * code costs about a microsecond a byte, and more on long lines, while a
 * hostile line (a run of backslashes and quotes) costs the cube of its
 * length.  No count of ours predicts boost's work, so the bound is the
 * thread's CPU time: a call may take BLOG_HL_NSEC_PER_BYTE per byte plus
 * BLOG_HL_NSEC_MIN, at most BLOG_HL_NSEC_MAX, looked at every few
 * tokens; past it the block is declined, as it is past a nesting or a
 * standstill no real code reaches, or when boost::regex throws (a match
 * too complex).  Code past BLOG_HL_MAX_CODE is declined at once, lines
 * past BLOG_HL_MAX_LINE are written plain: both would mostly spend the
 * time for nothing.  So a hostile block costs a second at most (more in
 * builds slowed down by the sanitizers or valgrind, whose bound grows
 * with them), and a block close to its bound may be highlighted by one
 * render and declined by the next.
 */


#include <atomic>
#include <map>
#include <new>
#include <string>
#include <vector>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>

#if defined __has_include
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define BLOG_HL_VALGRIND  1
#endif
#endif

#include <srchilite/highlightrule.h>
#include <srchilite/highlightstate.h>
#include <srchilite/highlighttoken.h>
#include <srchilite/langdefmanager.h>
#include <srchilite/langmap.h>
#include <srchilite/matchingparameters.h>
#include <srchilite/regexrulefactory.h>
#include <srchilite/settings.h>

extern "C" {
#include "blog.h"
}


#define BLOG_HL_WORD_MAX        32

/* code past this is declined, a line past this (data) written plain */
#define BLOG_HL_MAX_CODE        (512 * 1024)
#define BLOG_HL_MAX_LINE        512

/*
 * The CPU time a call may take: real code takes about 1 us a byte, some
 * small blocks up to 4, none more than 5 ms; the clock is read every
 * BLOG_HL_CLOCK_TOKENS tokens.
 */
#define BLOG_HL_NSEC_PER_BYTE   4000
#define BLOG_HL_NSEC_MIN        (5 * 1000000)
#define BLOG_HL_NSEC_MAX        (1000 * 1000000)
#define BLOG_HL_CLOCK_TOKENS    8

/* the sanitizers slow it down some eightfold: tests must see the same */
#if defined __SANITIZE_ADDRESS__ || defined __SANITIZE_THREAD__
#define BLOG_HL_SANITIZED       1
#elif defined __has_feature
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define BLOG_HL_SANITIZED       1
#endif
#endif

/* nested states, and steps in a row that consume nothing */
#define BLOG_HL_MAX_DEPTH       256
#define BLOG_HL_MAX_STILL       64


typedef struct {
    const char                 *alias;
    const char                 *name;       /* canonical */
    const char                 *file;       /* the .lang file */
    unsigned                    console;    /* prompts, commands, output */
} blog_hl_alias_t;

typedef struct {
    const char                 *file;       /* NULL: any language */
    const char                 *element;
    const char                 *cls;
} blog_hl_class_t;

typedef std::map<std::string, const char *>  blog_hl_classes_t;

/* a language definition: parsed on first use, then only read */

typedef struct {
    std::string                 file;
    const blog_theme_file_t    *builtin;    /* ours, or NULL */
    blog_hl_classes_t           classes;
    std::atomic<int>            ready;      /* 0: not yet, 1: yes, -1: no */
    srchilite::HighlightStatePtr  main;
} blog_hl_lang_t;

typedef struct {
    std::string                 name;
    blog_hl_lang_t             *lang;
    unsigned                    console;
} blog_hl_name_t;

typedef struct {
    std::string                 datadir;
    std::map<std::string, blog_hl_lang_t *>  langs;     /* by file */
    std::map<std::string, blog_hl_name_t *>  names;     /* by alias */
    srchilite::RegexRuleFactory  *factory;
    srchilite::LangDefManager    *manager;
} blog_hl_registry_t;

/* one call: where the line stands and what it has written */

typedef struct {
    blog_buf_t                 *out;
    const blog_hl_classes_t    *classes;
    const u_char               *line;
    size_t                      len;
    size_t                      pos;        /* written up to here */
    const char                 *open;       /* the open span's class */
    unsigned                    tokens;     /* since the clock was read */
    int64_t                     deadline;   /* CPU time, ns */
    unsigned                    console:1;
    unsigned                    more:1;     /* a command goes on */
    srchilite::HighlightStatePtr  main;
    srchilite::HighlightStatePtr  state;
    std::vector<srchilite::HighlightStatePtr>  stack;
} blog_hl_run_t;

/* thrown past the bounds: the block is declined */

struct blog_hl_give_up_t {
};

/* thrown when memfd_create() or write() fail */

struct blog_hl_sys_error_t {
    int                         err;
};


static blog_hl_name_t *blog_hl_find(const u_char *lang, size_t lang_len);
static size_t blog_hl_word(const u_char *p, size_t n, char *word);
static void blog_hl_init(void);
static void blog_hl_init_names(blog_hl_registry_t *reg);
static blog_hl_lang_t *blog_hl_lang(blog_hl_registry_t *reg,
    const std::string &file);
static void blog_hl_init_lang_map(blog_hl_registry_t *reg);
static int blog_hl_ready(blog_hl_lang_t *lang);
static void blog_hl_build(blog_hl_lang_t *lang);
static srchilite::HighlightStatePtr blog_hl_parse_builtin(
    blog_hl_lang_t *lang);
static int64_t blog_hl_budget(size_t n);
static int64_t blog_hl_clock(void);
static void blog_hl_lines(blog_hl_run_t *run, const u_char *code, size_t n);
static void blog_hl_source(blog_hl_run_t *run, const u_char *p, size_t n);
static void blog_hl_session(blog_hl_run_t *run, const u_char *p, size_t n);
static size_t blog_hl_prompt(const u_char *p, size_t n);
static void blog_hl_reset(blog_hl_run_t *run);
static void blog_hl_line(blog_hl_run_t *run, const u_char *p, size_t n);
static void blog_hl_move(blog_hl_run_t *run,
    const srchilite::HighlightToken &token);
static const char *blog_hl_class(blog_hl_run_t *run,
    const std::string &element);
static void blog_hl_emit(blog_hl_run_t *run, const char *cls, size_t end);
static int blog_hl_punctuation_char(u_char c);
static void blog_hl_write(blog_hl_run_t *run, const char *cls,
    const u_char *p, size_t n);
static void blog_hl_close(blog_hl_run_t *run);


/* the classes, each written as class="hl-NAME" */

static const char  blog_hl_keyword[] = "keyword";
static const char  blog_hl_type[] = "type";
static const char  blog_hl_string[] = "string";
static const char  blog_hl_comment[] = "comment";
static const char  blog_hl_number[] = "number";
static const char  blog_hl_function[] = "function";
static const char  blog_hl_operator[] = "operator";
static const char  blog_hl_punctuation[] = "punctuation";
static const char  blog_hl_variable[] = "variable";
static const char  blog_hl_constant[] = "constant";
static const char  blog_hl_preprocessor[] = "preprocessor";
static const char  blog_hl_attribute[] = "attribute";
static const char  blog_hl_tag[] = "tag";
static const char  blog_hl_inserted[] = "inserted";
static const char  blog_hl_deleted[] = "deleted";
static const char  blog_hl_heading[] = "heading";
static const char  blog_hl_prompt_class[] = "prompt";
static const char  blog_hl_output[] = "output";

/* not classes: split by character when written */

static const char  blog_hl_symbol[] = "(symbol)";
static const char  blog_hl_markup[] = "(markup)";


/*
 * Info string words onto canonical names and definitions.  A name of
 * lang.map that is not here takes the canonical name of its file's row
 * ("ksh" is "shell"), or else its file's name ("lua").
 */

static const blog_hl_alias_t  blog_hl_aliases[] = {
    /* alias             name            file */
    { "rust",            "rust",         "rust.lang", 0 },
    { "rs",              "rust",         "rust.lang", 0 },
    { "console",         "console",      "sh.lang", 1 },
    { "shell-session",   "console",      "sh.lang", 1 },
    { "shellsession",    "console",      "sh.lang", 1 },
    { "terminal",        "console",      "sh.lang", 1 },
    { "shell",           "shell",        "sh.lang", 0 },
    { "sh",              "shell",        "sh.lang", 0 },
    { "bash",            "shell",        "sh.lang", 0 },
    { "zsh",             "shell",        "sh.lang", 0 },
    { "go",              "go",           "go.lang", 0 },
    { "golang",          "go",           "go.lang", 0 },
    { "toml",            "toml",         "toml.lang", 0 },
    { "yaml",            "yaml",         "yaml.lang", 0 },
    { "yml",             "yaml",         "yaml.lang", 0 },
    { "c",               "c",            "c.lang", 0 },
    { "h",               "c",            "c.lang", 0 },
    { "cpp",             "cpp",          "cpp.lang", 0 },
    { "c++",             "cpp",          "cpp.lang", 0 },
    { "cc",              "cpp",          "cpp.lang", 0 },
    { "cxx",             "cpp",          "cpp.lang", 0 },
    { "hpp",             "cpp",          "cpp.lang", 0 },
    { "hh",              "cpp",          "cpp.lang", 0 },
    { "json",            "json",         "json.lang", 0 },
    { "ruby",            "ruby",         "ruby.lang", 0 },
    { "rb",              "ruby",         "ruby.lang", 0 },
    { "javascript",      "javascript",   "javascript.lang", 0 },
    { "js",              "javascript",   "javascript.lang", 0 },
    { "jsx",             "javascript",   "javascript.lang", 0 },
    { "mjs",             "javascript",   "javascript.lang", 0 },
    { "cjs",             "javascript",   "javascript.lang", 0 },
    { "typescript",      "typescript",   "typescript.lang", 0 },
    { "ts",              "typescript",   "typescript.lang", 0 },
    { "tsx",             "typescript",   "typescript.lang", 0 },
    { "html",            "html",         "html.lang", 0 },
    { "htm",             "html",         "html.lang", 0 },
    { "xhtml",           "html",         "html.lang", 0 },
    { "xml",             "xml",          "xml.lang", 0 },
    { "svg",             "xml",          "xml.lang", 0 },
    { "diff",            "diff",         "diff.lang", 0 },
    { "patch",           "diff",         "diff.lang", 0 },
    { "udiff",           "diff",         "diff.lang", 0 },
    { "sql",             "sql",          "sql.lang", 0 },
    { "python",          "python",       "python.lang", 0 },
    { "py",              "python",       "python.lang", 0 },
    { "python3",         "python",       "python.lang", 0 },
    { "py3",             "python",       "python.lang", 0 },
    { "css",             "css",          "css.lang", 0 },
    { "java",            "java",         "java.lang", 0 },
    { "dockerfile",      "dockerfile",   "dockerfile.lang", 0 },
    { "docker",          "dockerfile",   "dockerfile.lang", 0 },
    { "containerfile",   "dockerfile",   "dockerfile.lang", 0 },
    { "nginx",           "nginx",        "nginx.lang", 0 },
    { "nginxconf",       "nginx",        "nginx.lang", 0 },
    { "perl",            "perl",         "perl.lang", 0 },
    { "pl",              "perl",         "perl.lang", 0 },
    { NULL, NULL, NULL, 0 }
};


/*
 * source-highlight's element names onto our classes.  A .lang file names
 * its tokens as it likes (style.defaults lists the usual names); "normal"
 * and any name not here are written plain.  "symbol" is split by
 * character: brackets, commas, semicolons, dots and colons are
 * punctuation, the rest operators.  A row with a file is for that
 * language only: JSON's keywords are constants, and the markup languages
 * call tags "keyword" (one starting with "<", ">" or "/" is a tag, the
 * rest are keywords of an embedded script) and attribute names "type".
 */

static const blog_hl_class_t  blog_hl_classes[] = {
    /* file            element          class */
    { NULL,            "keyword",       blog_hl_keyword },
    { NULL,            "type",          blog_hl_type },
    { NULL,            "usertype",      blog_hl_type },
    { NULL,            "classname",     blog_hl_type },
    { NULL,            "string",        blog_hl_string },
    { NULL,            "specialchar",   blog_hl_string },
    { NULL,            "regexp",        blog_hl_string },
    { NULL,            "valquote",      blog_hl_string },
    { NULL,            "comment",       blog_hl_comment },
    { NULL,            "todo",          blog_hl_comment },
    { NULL,            "url",           blog_hl_comment },
    { NULL,            "number",        blog_hl_number },
    { NULL,            "function",      blog_hl_function },
    { NULL,            "predef_func",   blog_hl_function },
    { NULL,            "symbol",        blog_hl_symbol },
    { NULL,            "cbracket",      blog_hl_punctuation },
    { NULL,            "paren",         blog_hl_punctuation },
    { NULL,            "colon",         blog_hl_punctuation },
    { NULL,            "variable",      blog_hl_variable },
    { NULL,            "predef_var",    blog_hl_variable },
    { NULL,            "constant",      blog_hl_constant },
    { NULL,            "value",         blog_hl_constant },
    { NULL,            "atom",          blog_hl_constant },
    { NULL,            "label",         blog_hl_constant },
    { NULL,            "preproc",       blog_hl_preprocessor },
    { NULL,            "attribute",     blog_hl_attribute },
    { NULL,            "property",      blog_hl_attribute },
    { NULL,            "key",           blog_hl_attribute },
    { NULL,            "keyquote",      blog_hl_attribute },
    { NULL,            "selector",      blog_hl_tag },
    { NULL,            "newfile",       blog_hl_inserted },
    { NULL,            "oldfile",       blog_hl_deleted },
    { NULL,            "difflines",     blog_hl_heading },
    { "json.lang",     "keyword",       blog_hl_constant },
    { "html.lang",     "keyword",       blog_hl_markup },
    { "html.lang",     "type",          blog_hl_attribute },
    { "xml.lang",      "keyword",       blog_hl_markup },
    { "xml.lang",      "type",          blog_hl_attribute },
    { NULL, NULL, NULL }
};


static pthread_once_t       blog_hl_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t      blog_hl_build_lock = PTHREAD_MUTEX_INITIALIZER;

/* never freed: a thread may still highlight while the process exits */
static blog_hl_registry_t  *blog_hl_registry;


int
blog_highlight(blog_buf_t *out, const u_char *lang, size_t lang_len,
    const u_char *code, size_t n)
{
    size_t           len;
    blog_hl_run_t    run;
    blog_hl_name_t  *name;

    if (out->failed) {
        return BLOG_ERROR;
    }

    if (n > BLOG_HL_MAX_CODE) {
        return BLOG_DECLINED;
    }

    len = out->len;

    try {
        name = blog_hl_find(lang, lang_len);

        if (name == NULL || blog_hl_ready(name->lang) != 1) {
            return BLOG_DECLINED;
        }

        run.out = out;
        run.classes = &name->lang->classes;
        run.line = NULL;
        run.len = 0;
        run.pos = 0;
        run.open = NULL;
        run.tokens = 0;
        run.deadline = blog_hl_clock() + blog_hl_budget(n);
        run.console = name->console;
        run.more = 0;
        run.main = name->lang->main;

        blog_hl_lines(&run, code, n);

    } catch (...) {

        if (out->failed) {
            return BLOG_ERROR;
        }

        out->len = len;

        return BLOG_DECLINED;
    }

    return out->failed ? BLOG_ERROR : BLOG_OK;
}


const char *
blog_highlight_language(const u_char *lang, size_t lang_len)
{
    blog_hl_name_t  *name;

    try {
        name = blog_hl_find(lang, lang_len);

        if (name == NULL || blog_hl_ready(name->lang) != 1) {
            return NULL;
        }

    } catch (...) {
        return NULL;
    }

    return name->name.c_str();
}


static blog_hl_name_t *
blog_hl_find(const u_char *lang, size_t lang_len)
{
    char  word[BLOG_HL_WORD_MAX + 1];
    std::map<std::string, blog_hl_name_t *>::const_iterator  it;

    if (blog_hl_word(lang, lang_len, word) == 0) {
        return NULL;
    }

    pthread_once(&blog_hl_once, blog_hl_init);

    if (blog_hl_registry == NULL) {
        return NULL;
    }

    it = blog_hl_registry->names.find(word);

    return it != blog_hl_registry->names.end() ? it->second : NULL;
}


/*
 * The language of an info string, lower-cased into word: its first word
 * in "rust", "rust,ignore", "rust=" (HackMD's line numbers),
 * "go {linenos=true}", "{.go}", "{.go .numberLines}", ".go", and the
 * name after "language-" or "lang-" as in "language-go".  A word is
 * letters, digits and "_", "-", "+", "#"; 0 if there is none or it is
 * longer than BLOG_HL_WORD_MAX.
 */

static size_t
blog_hl_word(const u_char *p, size_t n, char *word)
{
    size_t  i, len;
    u_char  c;

    i = 0;

    while (i < n && (p[i] == ' ' || p[i] == '\t')) {
        i++;
    }

    if (i < n && p[i] == '{') {
        i++;

        while (i < n && (p[i] == ' ' || p[i] == '\t')) {
            i++;
        }
    }

    if (i < n && p[i] == '.') {
        i++;
    }

    for (len = 0; i < n; i++) {
        c = p[i];

        if (c >= 'A' && c <= 'Z') {
            c |= 0x20;

        } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                     || c == '_' || c == '-' || c == '+' || c == '#'))
        {
            break;
        }

        if (len == BLOG_HL_WORD_MAX) {
            return 0;
        }

        word[len++] = (char) c;
    }

    word[len] = '\0';

    if (len > 9 && memcmp(word, "language-", 9) == 0) {
        len -= 9;
        memmove(word, word + 9, len + 1);

    } else if (len > 5 && memcmp(word, "lang-", 5) == 0) {
        len -= 5;
        memmove(word, word + 5, len + 1);
    }

    return len;
}


/* the names and their definitions, once per process; parsing waits */

static void
blog_hl_init(void)
{
    const char          *dir;
    blog_hl_registry_t  *reg;

    reg = NULL;

    try {
        reg = new blog_hl_registry_t();

        dir = getenv("SOURCE_HIGHLIGHT_DATADIR");
        reg->datadir = dir != NULL ? dir
                                   : srchilite::Settings::getDefaultDataDir();

        reg->factory = new srchilite::RegexRuleFactory();
        reg->manager = new srchilite::LangDefManager(reg->factory);

        blog_hl_init_names(reg);

    } catch (...) {

        /* out of memory at the first code block: none will be highlighted */

        return;
    }

    blog_hl_registry = reg;
}


static void
blog_hl_init_names(blog_hl_registry_t *reg)
{
    const blog_hl_alias_t  *a;
    blog_hl_name_t         *name;

    for (a = blog_hl_aliases; a->alias != NULL; a++) {
        name = new blog_hl_name_t();

        name->name = a->name;
        name->lang = blog_hl_lang(reg, a->file);
        name->console = a->console;

        reg->names[a->alias] = name;
    }

    try {
        blog_hl_init_lang_map(reg);

    } catch (...) {

        /* no lang.map, or a broken one: our names are enough */
    }
}


static blog_hl_lang_t *
blog_hl_lang(blog_hl_registry_t *reg, const std::string &file)
{
    blog_hl_lang_t           *lang;
    const blog_hl_class_t    *c;
    const blog_theme_file_t  *f;

    if (reg->langs.count(file)) {
        return reg->langs[file];
    }

    lang = new blog_hl_lang_t();

    lang->file = file;
    lang->builtin = NULL;
    lang->ready.store(0);

    for (f = blog_highlight_builtin; f->name != NULL; f++) {
        if (file == f->name) {
            lang->builtin = f;
        }
    }

    for (c = blog_hl_classes; c->element != NULL; c++) {
        if (c->file == NULL) {
            lang->classes[c->element] = c->cls;
        }
    }

    for (c = blog_hl_classes; c->element != NULL; c++) {
        if (c->file != NULL && file == c->file) {
            lang->classes[c->element] = c->cls;
        }
    }

    reg->langs[file] = lang;

    return lang;
}


/*
 * lang.map's names that ours leave free, lower-cased: "lua", "pm",
 * "makefile"...  A name for a file of ours keeps that file's canonical
 * name; "txt" (nohilite.lang) highlights nothing and is left out.
 */

static void
blog_hl_init_lang_map(blog_hl_registry_t *reg)
{
    size_t                          i;
    std::string                     alias, file, canonical;
    blog_hl_name_t                 *name;
    srchilite::LangMap              map(reg->datadir, "lang.map");
    const blog_hl_alias_t          *a;
    srchilite::LangMap::const_iterator  it;

    map.open();

    for (it = map.begin(); it != map.end(); ++it) {
        alias = it->first;
        file = it->second;

        for (i = 0; i < alias.size(); i++) {
            if (alias[i] >= 'A' && alias[i] <= 'Z') {
                alias[i] |= 0x20;
            }
        }

        if (alias.empty() || alias.size() > BLOG_HL_WORD_MAX
            || reg->names.count(alias) || file == "nohilite.lang"
            || file.size() <= 5
            || file.compare(file.size() - 5, 5, ".lang") != 0)
        {
            continue;
        }

        canonical = file.substr(0, file.size() - 5);

        for (a = blog_hl_aliases; a->alias != NULL; a++) {
            if (!a->console && file == a->file) {
                canonical = a->name;
                break;
            }
        }

        name = new blog_hl_name_t();

        name->name = canonical;
        name->lang = blog_hl_lang(reg, file);
        name->console = 0;

        reg->names[alias] = name;
    }
}


/* 1 once the definition is parsed; the first caller parses it */

static int
blog_hl_ready(blog_hl_lang_t *lang)
{
    int  ready;

    ready = lang->ready.load(std::memory_order_acquire);

    if (ready != 0) {
        return ready;
    }

    pthread_mutex_lock(&blog_hl_build_lock);

    if (lang->ready.load(std::memory_order_relaxed) == 0) {
        blog_hl_build(lang);
    }

    pthread_mutex_unlock(&blog_hl_build_lock);

    return lang->ready.load(std::memory_order_acquire);
}


/*
 * Parses a definition, holding blog_hl_build_lock.  A definition that
 * fails to parse or to open is given up for good; one that met a lack of
 * memory or descriptors is tried again by the next call.
 */

static void
blog_hl_build(blog_hl_lang_t *lang)
{
    blog_hl_registry_t  *reg;

    reg = blog_hl_registry;

    try {
        if (lang->builtin != NULL) {
            lang->main = blog_hl_parse_builtin(lang);

        } else {
            lang->main = reg->manager->buildHighlightState(reg->datadir,
                                                           lang->file);
        }

    } catch (std::bad_alloc &) {
        return;

    } catch (blog_hl_sys_error_t &e) {
        if (e.err == ENOMEM || e.err == EMFILE || e.err == ENFILE) {
            return;
        }

        lang->ready.store(-1, std::memory_order_release);
        return;

    } catch (...) {
        lang->ready.store(-1, std::memory_order_release);
        return;
    }

    lang->ready.store(1, std::memory_order_release);
}


/* one of ours, from memory: see the comment at the top */

static srchilite::HighlightStatePtr
blog_hl_parse_builtin(blog_hl_lang_t *lang)
{
    int                            fd, err;
    char                           path[64];
    size_t                         done;
    ssize_t                        k;
    blog_hl_registry_t            *reg;
    const blog_theme_file_t       *f;
    srchilite::HighlightStatePtr   state;

    reg = blog_hl_registry;
    f = lang->builtin;

    fd = memfd_create("blog-highlight", MFD_CLOEXEC);
    if (fd == -1) {
        throw blog_hl_sys_error_t{errno};
    }

    for (done = 0; done < f->len; done += k) {
        k = write(fd, f->data + done, f->len - done);

        if (k == -1) {
            if (errno == EINTR) {
                k = 0;
                continue;
            }

            err = errno;
            close(fd);
            throw blog_hl_sys_error_t{err};
        }
    }

    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);

    try {
        state = reg->manager->buildHighlightState(reg->datadir, path);

    } catch (...) {
        close(fd);
        throw;
    }

    close(fd);

    return state;
}


static int64_t
blog_hl_budget(size_t n)
{
    int64_t  ns;

    ns = BLOG_HL_NSEC_MIN + (int64_t) n * BLOG_HL_NSEC_PER_BYTE;

    if (ns > BLOG_HL_NSEC_MAX) {
        ns = BLOG_HL_NSEC_MAX;
    }

#ifdef BLOG_HL_SANITIZED
    ns *= 8;
#endif

#ifdef BLOG_HL_VALGRIND
    if (RUNNING_ON_VALGRIND) {
        ns *= 50;
    }
#endif

    return ns;
}


/* the thread's CPU time: time another thread runs is not ours */

static int64_t
blog_hl_clock(void)
{
    struct timespec  ts;

    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == -1) {
        clock_gettime(CLOCK_MONOTONIC, &ts);
    }

    return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}


/* line by line, each with its own line break, as it came */

static void
blog_hl_lines(blog_hl_run_t *run, const u_char *code, size_t n)
{
    size_t         len;
    const u_char  *p, *end, *eol;

    blog_hl_reset(run);

    for (p = code, end = code + n; p < end; p = eol + 1) {
        eol = (const u_char *) memchr(p, '\n', end - p);
        if (eol == NULL) {
            eol = end;
        }

        len = eol - p;

        if (len && p[len - 1] == '\r') {
            len--;
        }

        if (run->console) {
            blog_hl_session(run, p, len);

        } else {
            blog_hl_source(run, p, len);
        }

        blog_buf_add(run->out, p + len, (eol < end ? eol + 1 : end) - p - len);
    }
}


static void
blog_hl_source(blog_hl_run_t *run, const u_char *p, size_t n)
{
    if (n > BLOG_HL_MAX_LINE) {
        blog_escape_html(run->out, p, n);

    } else {
        blog_hl_line(run, p, n);
    }
}


/*
 * A line of a terminal session, as chroma's console lexer reads one: a
 * line that opens with a prompt is a command, highlighted as shell (and
 * so is the next line when it ends with "\"); any other line is output.
 */

static void
blog_hl_session(blog_hl_run_t *run, const u_char *p, size_t n)
{
    size_t  prompt;

    prompt = run->more ? 0 : blog_hl_prompt(p, n);

    if (!run->more && prompt == 0) {
        if (n) {
            blog_hl_write(run, blog_hl_output, p, n);
            blog_hl_close(run);
        }

        return;
    }

    if (prompt) {
        blog_hl_write(run, blog_hl_prompt_class, p, prompt);
        blog_hl_close(run);
        blog_hl_reset(run);
    }

    blog_hl_source(run, p + prompt, n - prompt);

    run->more = n > prompt && p[n - 1] == '\\';
}


/*
 * The length of the prompt opening a line, with the blank after it, or 0:
 * "$ ", "# ", "% ", "> " (or the sign alone on its line), "user@host$ ",
 * "user@host:~/src$ ", "[user@host src]$ " ("$", "#" or "%").
 */

static size_t
blog_hl_prompt(const u_char *p, size_t n)
{
    size_t    i;
    unsigned  at;

    if (n == 0) {
        return 0;
    }

    if (p[0] == '$' || p[0] == '#' || p[0] == '%' || p[0] == '>') {
        if (n == 1) {
            return 1;
        }

        return p[1] == ' ' ? 2 : 0;
    }

    at = 0;

    if (p[0] == '[') {
        for (i = 1; i < n && p[i] != ']'; i++) {
            at |= (p[i] == '@');
        }

        i++;

    } else {
        for (i = 0; i < n && p[i] != ' ' && p[i] != '\t'; i++) {
            at |= (p[i] == '@');
        }

        if (i < 2 || (p[i - 1] != '$' && p[i - 1] != '#' && p[i - 1] != '%'))
        {
            return 0;
        }

        i--;
    }

    if (!at || i >= n || (p[i] != '$' && p[i] != '#' && p[i] != '%')) {
        return 0;
    }

    i++;

    if (i == n) {
        return i;
    }

    return p[i] == ' ' ? i + 1 : 0;
}


static void
blog_hl_reset(blog_hl_run_t *run)
{
    run->state = run->main;
    run->stack.clear();
}


/*
 * One line, token by token, in the state the previous line left: the
 * rule that matches nearest (srchilite's HighlightState::findBestMatch()),
 * the text before it in the state's own element, then the state the rule
 * enters or leaves.
 */

static void
blog_hl_line(blog_hl_run_t *run, const u_char *p, size_t n)
{
    size_t                          at, end, still;
    std::string                     line((const char *) p, n);
    srchilite::HighlightToken       token;
    srchilite::MatchingParameters   params;
    srchilite::MatchedElements::const_iterator  it;

    run->line = p;
    run->len = n;
    run->pos = 0;

    at = 0;
    still = 0;

    /* an empty line too: a rule may match its end */

    for ( ;; ) {
        if (++run->tokens == BLOG_HL_CLOCK_TOKENS) {
            run->tokens = 0;

            if (blog_hl_clock() > run->deadline) {
                throw blog_hl_give_up_t();
            }
        }

        if (!run->state->findBestMatch(line.begin() + at, line.end(), token,
                                       params))
        {
            break;
        }

        end = at + token.prefix.size();
        blog_hl_emit(run, blog_hl_class(run,
                                        run->state->getDefaultElement()),
                     end);

        for (it = token.matched.begin(); it != token.matched.end(); ++it) {
            end += it->second.size();
            blog_hl_emit(run, blog_hl_class(run, it->first), end);
        }

        if (token.matchedSize) {
            params.beginningOfLine = false;
        }

        blog_hl_move(run, token);

        end = at + token.prefix.size() + token.matchedSize;

        if (end == at) {

            /* a state entered or left on nothing, or a loop */

            if (++still > BLOG_HL_MAX_STILL) {
                throw blog_hl_give_up_t();
            }

        } else {
            still = 0;
        }

        if (end > n) {
            end = n;
        }

        at = end;
    }

    blog_hl_emit(run, blog_hl_class(run, run->state->getDefaultElement()),
                 n);
    blog_hl_close(run);
}


/* the state a matched rule enters, or the states it leaves */

static void
blog_hl_move(blog_hl_run_t *run, const srchilite::HighlightToken &token)
{
    int                            level;
    size_t                         depth;
    srchilite::HighlightStatePtr   next, copy;

    next = token.rule->isNested() ? run->state : token.rule->getNextState();

    if (next.get() != NULL) {
        if (next->getNeedsReferenceReplacement()) {

            /* a state whose end depends on its start: "r#" ... "#" */

            if (next->getOriginalState().get() != NULL) {
                next = next->getOriginalState();
            }

            copy.reset(new srchilite::HighlightState(*next));
            copy->setOriginalState(next);
            copy->replaceReferences(token.matchedSubExps);
            next = copy;
        }

        if (run->stack.size() == BLOG_HL_MAX_DEPTH) {
            throw blog_hl_give_up_t();
        }

        run->stack.push_back(run->state);
        run->state = next;

        return;
    }

    level = token.rule->getExitLevel();
    depth = run->stack.size();

    if (level == 0) {
        return;
    }

    if (level < 0 || (size_t) level > depth) {
        blog_hl_reset(run);
        return;
    }

    run->state = run->stack[depth - level];
    run->stack.resize(depth - level);
}


static const char *
blog_hl_class(blog_hl_run_t *run, const std::string &element)
{
    blog_hl_classes_t::const_iterator  it;

    it = run->classes->find(element);

    return it != run->classes->end() ? it->second : NULL;
}


/*
 * Writes the line up to end in a class.  A piece ends where a character
 * does: a rule may stop inside a UTF-8 sequence (a byte class, a "."),
 * and a tag there would break it, so the piece takes the rest of it.
 */

static void
blog_hl_emit(blog_hl_run_t *run, const char *cls, size_t end)
{
    size_t         i, start;
    const char    *c, *prev;
    const u_char  *p;

    if (end > run->len) {
        end = run->len;
    }

    while (end < run->len && (run->line[end] & 0xc0) == 0x80) {
        end++;
    }

    if (end <= run->pos) {
        return;
    }

    p = run->line;

    if (cls == blog_hl_markup) {
        cls = (p[run->pos] == '<' || p[run->pos] == '>' || p[run->pos] == '/')
              ? blog_hl_tag : blog_hl_keyword;
    }

    if (cls != blog_hl_symbol) {
        blog_hl_write(run, cls, p + run->pos, end - run->pos);
        run->pos = end;
        return;
    }

    prev = NULL;
    start = run->pos;

    for (i = run->pos; i < end; i++) {
        c = blog_hl_punctuation_char(p[i]) ? blog_hl_punctuation
                                           : blog_hl_operator;

        if (c != prev && i > start) {
            blog_hl_write(run, prev, p + start, i - start);
            start = i;
        }

        prev = c;
    }

    blog_hl_write(run, prev, p + start, end - start);
    run->pos = end;
}


static int
blog_hl_punctuation_char(u_char c)
{
    switch (c) {
    case '(': case ')': case '[': case ']': case '{': case '}':
    case ',': case ';': case '.': case ':':
        return 1;
    default:
        return 0;
    }
}


/* escaped text in a span of cls, or plain if cls is NULL */

static void
blog_hl_write(blog_hl_run_t *run, const char *cls, const u_char *p,
    size_t n)
{
    if (cls != run->open) {
        blog_hl_close(run);

        if (cls != NULL) {
            blog_buf_adds(run->out, "<span class=\"hl-");
            blog_buf_adds(run->out, cls);
            blog_buf_adds(run->out, "\">");
        }

        run->open = cls;
    }

    blog_escape_html(run->out, p, n);
}


static void
blog_hl_close(blog_hl_run_t *run)
{
    if (run->open != NULL) {
        blog_buf_adds(run->out, "</span>");
        run->open = NULL;
    }
}
