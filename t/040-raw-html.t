# Raw HTML in Markdown: removed by default (cmark's safe mode), kept with
# blog_raw_html on, where GitHub's tag filter still disarms <script>,
# <iframe> and the like, in either Markdown dialect.

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Blog;

my $files = <<'END';
>>> raw.md
---
title: Raw
date: 2024-01-01
---
Before.

<script>alert("raw")</script>

<div class="embed">embedded</div>

<iframe src="https://example.com/"></iframe>

[click](javascript:alert(1))

After.
END

run_tests(files => $files);

__DATA__

=== TEST 1: by default a script block is omitted
--- config
location /blog/ { blog $CONTENT; }
--- request
GET /blog/raw/
--- error_code: 200
--- response_body_like
<p>Before\.</p>
<!-- raw HTML omitted -->
<p>After\.</p>
--- response_body_unlike
<script>alert\("raw"\)



=== TEST 2: by default other raw HTML is omitted too
--- config
location /blog/ { blog $CONTENT; }
--- request
GET /blog/raw/
--- error_code: 200
--- response_body_unlike
<div class="embed">



=== TEST 3: by default a javascript: link loses its URL
--- config
location /blog/ { blog $CONTENT; }
--- request
GET /blog/raw/
--- error_code: 200
--- response_body_like
>click</a>
--- response_body_unlike
(?i)href="\s*javascript:



=== TEST 4: blog_raw_html off is the default
--- config
location /blog/ { blog $CONTENT; blog_raw_html off; }
--- request
GET /blog/raw/
--- error_code: 200
--- response_body_like
<!-- raw HTML omitted -->
--- response_body_unlike
<div class="embed">
<script>alert\("raw"\)



=== TEST 5: blog_raw_html on keeps raw HTML
--- config
location /blog/ { blog $CONTENT; blog_raw_html on; }
--- request
GET /blog/raw/
--- error_code: 200
--- response_body_like
<div class="embed">embedded</div>
--- response_body_unlike
<!-- raw HTML omitted -->



=== TEST 6: with blog_raw_html on, GitHub's tag filter disarms script and iframe
--- config
location /blog/ { blog $CONTENT; blog_raw_html on; }
--- request
GET /blog/raw/
--- error_code: 200
--- response_body_like
&lt;script>alert\("raw"\)&lt;/script>(?s:.*)&lt;iframe src="https://example\.com/">
--- response_body_unlike
(?i)<(script>alert|iframe)



=== TEST 7: the tag filter holds in strict CommonMark too
--- config
location /blog/ { blog $CONTENT; blog_raw_html on; blog_markdown commonmark; }
--- request
GET /blog/raw/
--- error_code: 200
--- response_body_like
<div class="embed">embedded</div>(?s:.*)&lt;iframe src=
--- response_body_unlike
(?i)<(script>alert|iframe)
