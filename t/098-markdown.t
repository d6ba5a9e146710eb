# The Markdown as Hugo and Jekyll render it: GitHub's tables,
# strikethrough, autolinks, task lists and footnotes; an id on every
# heading (GitHub's slug, or "{#id}"), unique in the page, with an anchor
# beside it on the post's page; the table of contents with "toc: true";
# highlighted code; footnote ids that stay unique in a feed of several
# posts; summaries with no table in them; and "blog_markdown commonmark"
# for strict CommonMark.

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Blog;

my $files = <<'END';
>>> gfm.md
---
title: GFM
date: 2024-01-02
toc: true
---
| Name | Value |
|:-----|------:|
| one  | 1     |

Text with a note[^1], ~~gone~~ and www.example.com.

## Start with the plan, not a guess

- [x] done
- [ ] to do

## Start with the plan, not a guess

### Own id {#my-id}

```rust
fn main() { let s = "x < y"; }
```

```klingon
Qapla' <brave>
```

[^1]: The note.
>>> other.md
---
title: Other
date: 2024-01-01
---
Another note[^1].

## Plain

[^1]: Its note.
END

run_tests(files => $files);

__DATA__

=== TEST 1: a pipe table is a table in a box that scrolls, aligned by style
--- config
location /blog/ { blog $CONTENT; }
--- request
GET /blog/gfm/
--- error_code: 200
--- response_body_like
<div class="table" tabindex="0" role="region" aria-label="Table">\s*<table>\s*<thead>\s*<tr>\s*<th style="text-align: left">Name</th>\s*<th style="text-align: right">Value</th>
<td style="text-align: right">1</td>
--- response_body_unlike
\|\s*Name
\|:-----



=== TEST 2: strikethrough, autolinks and task lists
--- config
location /blog/ { blog $CONTENT; }
--- request
GET /blog/gfm/
--- error_code: 200
--- response_body_like
<del>gone</del>
<a href="http://www\.example\.com">www\.example\.com</a>
<input type="checkbox" checked="" disabled="" aria-label="done" /> done
<input type="checkbox" disabled="" aria-label="to do" /> to do
--- response_body_unlike
~~gone~~



=== TEST 3: footnotes, with links both ways, named for the post
--- config
location /blog/ { blog $CONTENT; }
--- request
GET /blog/gfm/
--- error_code: 200
--- response_body_like
note<sup class="footnote-ref"><a href="#fn-gfm-1" id="fnref-gfm-1"[^>]*>1</a></sup>
(?s)<section class="footnotes"[^>]*>\s*<ol>\s*<li id="fn-gfm-1">\s*<p>The note\. <a href="#fnref-gfm-1" class="footnote-backref"
--- response_body_unlike
\[\^1\]



=== TEST 4: every heading has an id, unique, and an anchor with a name
--- config
location /blog/ { blog $CONTENT; }
--- request
GET /blog/gfm/
--- error_code: 200
--- response_body_like
<div class="heading">\s*<h2 id="start-with-the-plan-not-a-guess">Start with the plan, not a guess</h2><a class="anchor" href="#start-with-the-plan-not-a-guess"><span aria-hidden="true">#</span><span class="visually-hidden">Section: Start with the plan, not a guess</span></a>\s*</div>
<h2 id="start-with-the-plan-not-a-guess-1">Start with the plan, not a guess</h2>
<h3 id="my-id">Own id</h3>
--- response_body_unlike
\{#my-id\}



=== TEST 5: toc: true shows the contents, linked to the headings
--- config
location /blog/ { blog $CONTENT; }
--- request
GET /blog/gfm/
--- error_code: 200
--- response_body_like
(?s)<nav class="toc" aria-label="Contents">\s*<h2>Contents</h2>\s*<ul>\s*<li><a href="#start-with-the-plan-not-a-guess">Start with the plan, not a guess</a></li>\s*<li><a href="#start-with-the-plan-not-a-guess-1">Start with the plan, not a guess</a>\s*<ul>\s*<li><a href="#my-id">Own id</a></li>\s*</ul>\s*</li>\s*</ul>\s*</nav>\s*<div class="post-body">



=== TEST 6: a post without toc: true has no contents
--- config
location /blog/ { blog $CONTENT; }
--- request
GET /blog/other/
--- error_code: 200
--- response_body_like
<h2 id="plain">Plain</h2>
--- response_body_unlike
class="toc"



=== TEST 7: code in a known language is highlighted, escaped; another is plain
--- config
location /blog/ { blog $CONTENT; }
--- request
GET /blog/gfm/
--- error_code: 200
--- response_body_like
<pre tabindex="0"><code class="language-rust"><span class="hl-keyword">fn</span>
<span class="hl-keyword">let</span>
<span class="hl-string">&quot;x &lt; y&quot;</span>
<pre tabindex="0"><code class="language-klingon">Qapla&#39; &lt;brave&gt;
--- response_body_unlike
<brave>



=== TEST 8: in a feed, each post's footnotes have ids of their own, and headings no anchors
--- config
location /blog/ { blog $CONTENT; blog_base_url https://example.com; }
--- request
GET /blog/feed.xml
--- error_code: 200
--- response_body_like
id=&quot;fn-gfm-1&quot;
id=&quot;fn-other-1&quot;
&lt;h2 id=&quot;plain&quot;&gt;Plain&lt;/h2&gt;
--- response_body_unlike
class=&quot;anchor&quot;
class=&quot;heading&quot;



=== TEST 9: a card's summary is the paragraph, not the table or the note
--- config
location /blog/ { blog $CONTENT; }
--- request
GET /blog/
--- error_code: 200
--- response_body_like
<p class="summary">Text with a note, gone and www\.example\.com\.</p>
--- response_body_unlike
class="summary">[^<]*(\||\[\^)



=== TEST 10: blog_markdown commonmark: no tables, footnotes or explicit ids; ids all the same
--- config
location /blog/ { blog $CONTENT; blog_markdown commonmark; }
--- request
GET /blog/gfm/
--- error_code: 200
--- response_body_like
\| Name \| Value \|
~~gone~~
<h3 id="own-id-my-id">Own id \{#my-id\}</h3>
<code class="language-rust"><span class="hl-keyword">fn</span>
--- response_body_unlike
<table
<del>
class="footnotes"



=== TEST 11: blog_markdown takes gfm or commonmark
--- config
location /blog/ { blog $CONTENT; blog_markdown kramdown; }
--- must_die
--- error_log
invalid value "kramdown" in "blog_markdown" directive, it must be "gfm" or "commonmark"
