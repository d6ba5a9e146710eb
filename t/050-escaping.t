# Every front matter text is HTML-escaped wherever the page shows it.

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Blog;

my $files = <<'END';
>>> hostile.md
---
title: '<script>alert(1)</script> & "q"'
date: 2024-01-01
tags:
  - '<b>bold</b>'
  - 'a & "b"'
description: '<img src=x onerror=alert(2)> & "d"'
---
An ordinary body.
END

run_tests(config => 'location /blog/ { blog $CONTENT; }', files => $files);

__DATA__

=== TEST 1: the title in h1
--- request
GET /blog/hostile/
--- error_code: 200
--- response_body_like
<h1 class="post-title">&lt;script&gt;alert\(1\)&lt;/script&gt; &amp; &quot;q&quot;</h1>



=== TEST 2: the title in <title>
--- request
GET /blog/hostile/
--- error_code: 200
--- response_body_like
<title>[^<]*&lt;script&gt;alert\(1\)&lt;/script&gt; &amp; &quot;q&quot;



=== TEST 3: the tags
--- request
GET /blog/hostile/
--- error_code: 200
--- response_body_like
<a class="tag" href="[^"]*">&lt;b&gt;bold&lt;/b&gt;</a>
<a class="tag" href="[^"]*">a &amp; &quot;b&quot;</a>



=== TEST 4: the description
--- request
GET /blog/hostile/
--- error_code: 200
--- response_body_like
<meta name="description" content="&lt;img src=x onerror=alert\(2\)&gt; &amp; &quot;d&quot;">



=== TEST 5: no markup from the front matter anywhere
--- request
GET /blog/hostile/
--- error_code: 200
--- response_body_unlike
<script>alert\(1\)
<b>bold
<img src=x
"q"
"b"
"d"
