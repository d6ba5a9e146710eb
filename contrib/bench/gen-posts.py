#!/usr/bin/env python3
"""Write N generated blog posts (Markdown with YAML front matter) into DIR.

    python3 contrib/bench/gen-posts.py N DIR [--seed S] [--folders F]

Each post is DIR/SLUG.md with a title, an RFC 3339 date (all in the past,
strictly increasing), one to three tags from a small pool and a description,
then a few paragraphs of CommonMark: a heading, emphasis, inline code, a
link, a list and now and then a fenced code block (about 200-500 words,
330 on average).
The same N and seed give the same bytes.  Python 3 standard library only.
"""

import argparse
import datetime
import os
import random
import sys

TAGS = [
    "Go", "Rust", "nginx", "PostgreSQL", "Kubernetes", "Performance",
    "Security", "Testing", "Web", "AI", "Distributed Systems", "DevOps",
]

WORDS = """
about above across after again against agent allocator api application
architecture array async backend balance batch benchmark binary block
branch browser buffer build bundle byte cache call capacity change
channel check client cluster code commit compile concurrency config
connection consistency container context cost counter cpu data database
deadline debug default deploy design disk document domain driver edge
error event failure feature field file filter flag flow format frame
function garbage gateway graph handler hash header heap host index
input instance interface issue job kernel key latency layer library
limit line link list load lock log loop memory message method metric
model module monitor network node object operator order output packet
page parser partition patch path pipeline plan platform pointer policy
pool port process protocol proxy queue query queue race rate reader
record region release replica request resource response retry route
runtime sample scale schema scope server service session shard signal
socket source stack state storage stream string system table task
template test thread throughput timeout token trace traffic transaction
tree type update upstream user value version view volume worker write
""".split()

VERBS = """
builds breaks caches checks compiles copies drops fails fetches fixes
grows handles hides holds keeps leaks loads locks measures moves parses
reads reduces renders retries returns runs scales sends serves splits
stores streams tracks writes
""".split()

CODE = [
    ("go", "func handler(w http.ResponseWriter, r *http.Request) {\n"
           "    w.Header().Set(\"Cache-Control\", \"max-age=60\")\n"
           "    fmt.Fprintln(w, \"ok\")\n}"),
    ("sql", "SELECT id, total\nFROM orders\nWHERE customer_id = $1\n"
            "ORDER BY created_at DESC\nLIMIT 20;"),
    ("python", "def retry(fn, attempts=3):\n    for i in range(attempts):\n"
               "        try:\n            return fn()\n"
               "        except TimeoutError:\n            continue\n"
               "    raise RuntimeError(\"gave up\")"),
    ("nginx", "location /blog/ {\n    blog /srv/blog;\n"
              "    blog_cache blog;\n}"),
    ("rust", "fn main() {\n    let v: Vec<u32> = (1..10).collect();\n"
             "    println!(\"{}\", v.iter().sum::<u32>());\n}"),
]


def sentence(rng, lo=8, hi=18):
    n = rng.randint(lo, hi)
    words = [rng.choice(WORDS) for _ in range(n)]
    words.insert(rng.randint(1, n - 1), rng.choice(VERBS))
    return " ".join(words).capitalize() + "."


def paragraph(rng):
    parts = []
    for _ in range(rng.randint(3, 5)):
        s = sentence(rng)
        r = rng.random()
        if r < 0.25:
            w = rng.choice(WORDS)
            s = s.replace(" %s " % w, " `%s` " % w, 1)
        elif r < 0.45:
            w = rng.choice(WORDS)
            s = s.replace(" %s " % w, " **%s** " % w, 1)
        elif r < 0.55:
            w = rng.choice(WORDS)
            s = s.replace(" %s " % w,
                          " [%s](https://example.com/%s) " % (w, w), 1)
        parts.append(s)
    return " ".join(parts)


def post(rng, i, when):
    title_words = [rng.choice(WORDS).capitalize() for _ in range(rng.randint(3, 6))]
    title = " ".join(title_words) + " %d" % (i + 1)
    slug = "post-%05d-%s" % (i + 1, "-".join(w.lower() for w in title_words[:3]))
    tags = rng.sample(TAGS, rng.randint(1, 3))
    description = sentence(rng, 12, 24)

    out = ["---",
           'title: "%s"' % title,
           "date: %s" % when.strftime("%Y-%m-%dT%H:%M:%SZ"),
           "tags: [%s]" % ", ".join('"%s"' % t for t in tags),
           'description: "%s"' % description,
           "---",
           ""]
    out.append(paragraph(rng))
    out.append("")
    out.append("## " + sentence(rng, 3, 6).rstrip("."))
    out.append("")
    for _ in range(rng.randint(1, 3)):
        out.append(paragraph(rng))
        out.append("")
    out.extend("- " + sentence(rng, 4, 9) for _ in range(rng.randint(2, 5)))
    out.append("")
    if rng.random() < 0.4:
        lang, code = rng.choice(CODE)
        out.extend(["```" + lang, code, "```", ""])
    for _ in range(rng.randint(1, 2)):
        out.append(paragraph(rng))
        out.append("")
    return slug, "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of posts")
    ap.add_argument("dir", help="folder to write the posts into")
    ap.add_argument("--seed", type=int, default=1, help="random seed")
    ap.add_argument("--folders", type=int, default=0,
                    help="spread the posts over this many subfolders"
                         " (f000, f001, ...), as large blogs are")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    os.makedirs(args.dir, exist_ok=True)
    when = datetime.datetime(2012, 1, 1, 8, 0, 0)

    # one to ten hours apart; closer for a large N, so that every date
    # is before 2026
    hi = min(600, max(2, 7000000 // max(args.n, 1)))
    lo = max(1, hi // 10)

    for i in range(args.n):
        when += datetime.timedelta(minutes=rng.randint(lo, hi))
        slug, text = post(rng, i, when)
        folder = args.dir
        if args.folders:
            folder = os.path.join(args.dir, "f%03d" % (i % args.folders))
            os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, slug + ".md"), "w",
                  encoding="utf-8") as f:
            f.write(text)

    return 0


if __name__ == "__main__":
    sys.exit(main())
