
/*
 * The time blog_highlight takes, per call: a typical 2 KB Rust block, then
 * hostile blocks (runs of quotes, backslashes, unclosed strings, comments
 * and brackets, in lines just short of those written plain, and in one
 * line) of each size given, in each language the blog promises; prints a
 * Markdown table of the worst per language, in the thread's CPU time and
 * in wall time.  `make bench-highlight` builds it with the core at -O2.
 *
 *     build/bench-highlight [SIZE...]      (default: 65536 1048576)
 */


#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "blog.h"


#define BENCH_HL_LINE     500
#define BENCH_HL_ROUNDS   200


typedef struct {
    double        cpu;
    double        wall;
} bench_hl_time_t;


static void bench_hl_typical(void);
static void bench_hl_hostile(size_t n);
static void bench_hl_fill(char *p, size_t n, const char *unit, size_t line);
static int bench_hl_call(const char *lang, const char *code, size_t n,
    bench_hl_time_t *t);
static double bench_hl_clock(clockid_t id);


static const char  *bench_hl_langs[] = {
    "rust", "console", "shell", "go", "toml", "yaml", "c", "cpp", "json",
    "ruby", "javascript", "typescript", "html", "xml", "diff", "sql",
    "python", "css", "java", "dockerfile", "nginx"
};

static const char  *bench_hl_units[] = {
    "\"\\", "\"", "\\", "'", "/*", "(", "[{", "<a b=\"", "r#\"", "${",
    "\"\"\"", "a+b*c(d)[e]; "
};

/* typical: a program of the kind a Rust post shows, 2 KB */

static const char  bench_hl_rust[] =
    "use std::collections::HashMap;\n"
    "use std::fmt;\n"
    "\n"
    "/// A word count, most frequent first.\n"
    "#[derive(Debug, Clone, PartialEq)]\n"
    "pub struct Counts<'a> {\n"
    "    words: HashMap<&'a str, usize>,\n"
    "    total: usize,\n"
    "}\n"
    "\n"
    "impl<'a> Counts<'a> {\n"
    "    pub fn new(text: &'a str) -> Self {\n"
    "        let mut words = HashMap::new();\n"
    "        let mut total = 0;\n"
    "\n"
    "        for word in text.split_whitespace() {\n"
    "            *words.entry(word).or_insert(0) += 1;\n"
    "            total += 1;\n"
    "        }\n"
    "\n"
    "        Counts { words, total }\n"
    "    }\n"
    "\n"
    "    /// The `n` most frequent words and their counts.\n"
    "    pub fn top(&self, n: usize) -> Vec<(&'a str, usize)> {\n"
    "        let mut v: Vec<_> = self.words.iter()\n"
    "            .map(|(w, c)| (*w, *c))\n"
    "            .collect();\n"
    "\n"
    "        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));\n"
    "        v.truncate(n);\n"
    "        v\n"
    "    }\n"
    "}\n"
    "\n"
    "impl fmt::Display for Counts<'_> {\n"
    "    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {\n"
    "        for (word, count) in self.top(10) {\n"
    "            writeln!(f, \"{:>12} {:5.1}%\", word,\n"
    "                     100.0 * count as f64 / self.total as f64)?;\n"
    "        }\n"
    "\n"
    "        Ok(())\n"
    "    }\n"
    "}\n"
    "\n"
    "fn main() -> Result<(), Box<dyn std::error::Error>> {\n"
    "    let path = std::env::args().nth(1).ok_or(\"usage: count FILE\")?;\n"
    "    let text = std::fs::read_to_string(&path)?;\n"
    "    let counts = Counts::new(&text);\n"
    "\n"
    "    // an empty file has no words to show\n"
    "    if counts.total == 0 {\n"
    "        eprintln!(\"{}: no words\", path);\n"
    "        std::process::exit(1);\n"
    "    }\n"
    "\n"
    "    print!(\"{}\", counts);\n"
    "    Ok(())\n"
    "}\n"
    "\n"
    "/// Splits on anything but letters, digits and apostrophes.\n"
    "pub fn words(text: &str) -> impl Iterator<Item = &str> + '_ {\n"
    "    text.split(|c: char| !(c.is_alphanumeric() || c == '\\''))\n"
    "        .filter(|w| !w.is_empty())\n"
    "}\n"
    "\n"
    "const LIMIT: usize = 0x10_000; /* words kept at most */\n"
    "\n"
    "static STOP: [&str; 4] = [\"a\", \"an\", \"the\", r#\"of\"#];\n"
    "\n"
    "#[cfg(test)]\n"
    "mod tests {\n"
    "    use super::*;\n"
    "\n"
    "    #[test]\n"
    "    fn counts_words() {\n"
    "        let c = Counts::new(\"a b a\");\n"
    "        assert_eq!(c.top(1), vec![(\"a\", 2)]);\n"
    "        assert_eq!(c.total, 3);\n"
    "    }\n"
    "}\n";


int
main(int argc, char **argv)
{
    int  i;

    bench_hl_typical();

    if (argc < 2) {
        bench_hl_hostile(64 * 1024);
        bench_hl_hostile(1024 * 1024);
        return 0;
    }

    for (i = 1; i < argc; i++) {
        bench_hl_hostile(strtoul(argv[i], NULL, 10));
    }

    return 0;
}


static void
bench_hl_typical(void)
{
    int              i, rc;
    double           cpu, wall;
    size_t           n;
    bench_hl_time_t  t;

    n = sizeof(bench_hl_rust) - 1;

    /* the first call parses rust.lang: not counted */

    rc = bench_hl_call("rust", bench_hl_rust, n, &t);

    printf("typical Rust block, %zu bytes: first call %.2f ms (parses the"
           " definition), rc %d\n", n, t.cpu * 1e3, rc);

    cpu = 0;
    wall = 0;

    for (i = 0; i < BENCH_HL_ROUNDS; i++) {
        rc = bench_hl_call("rust", bench_hl_rust, n, &t);
        cpu += t.cpu;
        wall += t.wall;
    }

    printf("then %.3f ms CPU, %.3f ms wall a call (mean of %d), rc %d\n\n",
           cpu / BENCH_HL_ROUNDS * 1e3, wall / BENCH_HL_ROUNDS * 1e3,
           BENCH_HL_ROUNDS, rc);
}


static void
bench_hl_hostile(size_t n)
{
    int              rc, worst_rc;
    char            *code;
    size_t           l, u, k;
    double           worst_cpu, worst_wall;
    const char      *worst;
    bench_hl_time_t  t;
    static const size_t  lines[] = { BENCH_HL_LINE, 0 };

    code = malloc(n);
    if (code == NULL) {
        perror("malloc");
        exit(1);
    }

    printf("hostile blocks of %zu bytes: the worst of %zu patterns, in"
           " lines of %d bytes and in one line\n\n", n,
           sizeof(bench_hl_units) / sizeof(bench_hl_units[0]),
           BENCH_HL_LINE);
    printf("| language | CPU ms | wall ms | pattern | result |\n");
    printf("| --- | ---: | ---: | --- | --- |\n");

    for (l = 0; l < sizeof(bench_hl_langs) / sizeof(bench_hl_langs[0]);
         l++)
    {
        worst_cpu = -1;
        worst_wall = 0;
        worst = "";
        worst_rc = 0;

        for (u = 0; u < sizeof(bench_hl_units) / sizeof(bench_hl_units[0]);
             u++)
        {
            for (k = 0; k < sizeof(lines) / sizeof(lines[0]); k++) {
                bench_hl_fill(code, n, bench_hl_units[u], lines[k]);

                rc = bench_hl_call(bench_hl_langs[l], code, n, &t);

                if (t.cpu > worst_cpu) {
                    worst_cpu = t.cpu;
                    worst_wall = t.wall;
                    worst = bench_hl_units[u];
                    worst_rc = rc;
                }
            }
        }

        printf("| %s | %.1f | %.1f | `%s` | %s |\n", bench_hl_langs[l],
               worst_cpu * 1e3, worst_wall * 1e3, worst,
               worst_rc == BLOG_OK ? "highlighted" : "declined");
    }

    printf("\n");

    free(code);
}


static void
bench_hl_fill(char *p, size_t n, const char *unit, size_t line)
{
    size_t  i, k;

    k = strlen(unit);

    for (i = 0; i < n; i++) {
        p[i] = (line && i % line == line - 1) ? '\n' : unit[i % k];
    }
}


static int
bench_hl_call(const char *lang, const char *code, size_t n,
    bench_hl_time_t *t)
{
    int         rc;
    double      cpu, wall;
    blog_buf_t  b;

    blog_buf_init(&b);

    cpu = bench_hl_clock(CLOCK_THREAD_CPUTIME_ID);
    wall = bench_hl_clock(CLOCK_MONOTONIC);

    rc = blog_highlight(&b, (const u_char *) lang, strlen(lang),
                        (const u_char *) code, n);

    t->cpu = bench_hl_clock(CLOCK_THREAD_CPUTIME_ID) - cpu;
    t->wall = bench_hl_clock(CLOCK_MONOTONIC) - wall;

    blog_buf_free(&b);

    return rc;
}


static double
bench_hl_clock(clockid_t id)
{
    struct timespec  ts;

    clock_gettime(id, &ts);

    return ts.tv_sec + ts.tv_nsec / 1e9;
}
