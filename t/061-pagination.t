# The index in pages of blog_posts_per_page: which posts each page shows,
# the rel=prev/next links between pages, the redirects to the canonical
# page URLs and the 404 past the last page.

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Blog;

my $files = '';

for my $n (1 .. 5) {
    $files .= <<"END";
>>> post-$n.md
---
title: Post $n
date: 2024-01-0$n
---
Post number $n.
END
}

run_tests(config => 'location /blog/ { blog $CONTENT; blog_posts_per_page 2; }',
          files => $files);

__DATA__

=== TEST 1: the first page shows the two newest posts
--- request
GET /blog/
--- error_code: 200
--- response_headers
Content-Type: text/html; charset=utf-8
--- response_body_like
<a href="/blog/post-5/">Post 5</a>
<a href="/blog/post-4/">Post 4</a>
(?s)/blog/post-5/.*/blog/post-4/
--- response_body_unlike
/blog/post-3/
/blog/post-2/
/blog/post-1/



=== TEST 2: the first page links to the second, and to no newer page
--- request
GET /blog/
--- error_code: 200
--- response_body_like
<link rel="next" href="/blog/page/2/">
<a (?=[^>]*\brel="next")(?=[^>]*\bhref="/blog/page/2/")
--- response_body_unlike
rel="prev"



=== TEST 3: the second page shows the next two posts
--- request
GET /blog/page/2/
--- error_code: 200
--- response_headers
Content-Type: text/html; charset=utf-8
--- response_body_like
<a href="/blog/post-3/">Post 3</a>
<a href="/blog/post-2/">Post 2</a>
(?s)/blog/post-3/.*/blog/post-2/
<link rel="canonical" href="http://127\.0\.0\.1:$PORT/blog/page/2/">
--- response_body_unlike
/blog/post-5/
/blog/post-4/
/blog/post-1/



=== TEST 4: the second page links back to the index and on to the third
--- request
GET /blog/page/2/
--- error_code: 200
--- response_body_like
<link rel="prev" href="/blog/">
<link rel="next" href="/blog/page/3/">
<a (?=[^>]*\brel="prev")(?=[^>]*\bhref="/blog/")
<a (?=[^>]*\brel="next")(?=[^>]*\bhref="/blog/page/3/")



=== TEST 5: the last page holds the one post left, and no next link
--- request
GET /blog/page/3/
--- error_code: 200
--- response_body_like
<a href="/blog/post-1/">Post 1</a>
\A(?s:(?!<article class="card">).)*<article class="card">(?s:(?!<article class="card">).)*\z
<link rel="prev" href="/blog/page/2/">
--- response_body_unlike
rel="next"



=== TEST 6: past the last page is 404
--- request
GET /blog/page/4/
--- error_code: 404



=== TEST 7: page 1 redirects to the index
--- request
GET /blog/page/1/
--- error_code: 301
--- response_headers
Location: ~/blog/$



=== TEST 8: a page URL without its trailing slash redirects
--- request
GET /blog/page/2
--- error_code: 301
--- response_headers
Location: ~/blog/page/2/$



=== TEST 9: there is no page 0
--- request
GET /blog/page/0/
--- error_code: 404



=== TEST 10: a page number that is not a number is 404
--- request
GET /blog/page/two/
--- error_code: 404



=== TEST 11: an empty blog has an index with no cards
--- files
>>> nothing-here/
--- request
GET /blog/
--- error_code: 200
--- response_headers
Content-Type: text/html; charset=utf-8
--- response_body_unlike
<article class="card">
rel="next"
rel="prev"



=== TEST 12: an empty blog has no second page
--- files
>>> nothing-here/
--- request
GET /blog/page/2/
--- error_code: 404
