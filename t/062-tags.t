# Tags: the page of every tag with its count, most used first; a tag's page
# is the index filtered to that tag, paginated the same way; tag URL names
# for names with punctuation and non-ASCII letters.

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Blog;

# Go: 5 posts, Next.js: 2, C++, Café and Rust: 1 each.
my $files = <<'END';
>>> post-a.md
---
title: Post A
date: 2024-01-01
tags: [Next.js, C++, Café, Go]
---
The oldest post.
>>> post-b.md
---
title: Post B
date: 2024-01-02
tags: [Go, Next.js]
---
Second.
>>> post-c.md
---
title: Post C
date: 2024-01-03
tags: [Go]
---
Third.
>>> post-d.md
---
title: Post D
date: 2024-01-04
tags: [Go, Rust]
---
Fourth.
>>> post-e.md
---
title: Post E
date: 2024-01-05
tags: [Go]
---
The newest post.
END

run_tests(config => 'location /blog/ { blog $CONTENT; blog_posts_per_page 2; }',
          files => $files);

__DATA__

=== TEST 1: the tags page lists every tag with its count
--- request
GET /blog/tags/
--- error_code: 200
--- response_headers
Content-Type: text/html; charset=utf-8
--- response_body_like
<a class="tag" href="/blog/tags/go/">Go</a> <span class="count">5</span>
<a class="tag" href="/blog/tags/next-js/">Next\.js</a> <span class="count">2</span>
<a class="tag" href="/blog/tags/c%2B%2B/">C\+\+</a> <span class="count">1</span>
<a class="tag" href="/blog/tags/caf%C3%A9/">Café</a> <span class="count">1</span>
<a class="tag" href="/blog/tags/rust/">Rust</a> <span class="count">1</span>



=== TEST 2: the most used tags come first
--- request
GET /blog/tags/
--- error_code: 200
--- response_body_like
(?s)/blog/tags/go/.*/blog/tags/next-js/.*/blog/tags/(?:c%2B%2B|caf%C3%A9|rust)/
(?s)/blog/tags/next-js/.*/blog/tags/c%2B%2B/
(?s)/blog/tags/next-js/.*/blog/tags/caf%C3%A9/
(?s)/blog/tags/next-js/.*/blog/tags/rust/



=== TEST 3: a tag's page shows only the posts with that tag
--- request
GET /blog/tags/next-js/
--- error_code: 200
--- response_headers
Content-Type: text/html; charset=utf-8
--- response_body_like
<a href="/blog/post-b/">Post B</a>
<a href="/blog/post-a/">Post A</a>
(?s)/blog/post-b/.*/blog/post-a/
--- response_body_unlike
/blog/post-c/
/blog/post-d/
/blog/post-e/



=== TEST 4: a tag's page shows the tag as its authors spell it
--- request
GET /blog/tags/next-js/
--- error_code: 200
--- response_body_like
<h1>[^<]*Next\.js[^<]*</h1>
<title>[^<]*Next\.js



=== TEST 5: a tag with punctuation, percent-encoded
--- request
GET /blog/tags/c%2B%2B/
--- error_code: 200
--- response_body_like
<h1>[^<]*C\+\+[^<]*</h1>
<a href="/blog/post-a/">Post A</a>
--- response_body_unlike
/blog/post-b/



=== TEST 6: a tag with punctuation, as a browser may send it
--- request
GET /blog/tags/c++/
--- error_code: 200
--- response_body_like
<h1>[^<]*C\+\+[^<]*</h1>
<a href="/blog/post-a/">Post A</a>



=== TEST 7: a tag with a non-ASCII letter
--- request
GET /blog/tags/caf%C3%A9/
--- error_code: 200
--- response_body_like
<h1>[^<]*Café[^<]*</h1>
<a href="/blog/post-a/">Post A</a>
--- response_body_unlike
/blog/post-b/



=== TEST 8: a tag's first page holds blog_posts_per_page posts
--- request
GET /blog/tags/go/
--- error_code: 200
--- response_body_like
<a href="/blog/post-e/">Post E</a>
<a href="/blog/post-d/">Post D</a>
<link rel="next" href="/blog/tags/go/page/2/">
--- response_body_unlike
/blog/post-c/
/blog/post-b/
/blog/post-a/
rel="prev"



=== TEST 9: a tag's second page
--- request
GET /blog/tags/go/page/2/
--- error_code: 200
--- response_body_like
<a href="/blog/post-c/">Post C</a>
<a href="/blog/post-b/">Post B</a>
<link rel="prev" href="/blog/tags/go/">
<link rel="next" href="/blog/tags/go/page/3/">
--- response_body_unlike
/blog/post-e/
/blog/post-d/
/blog/post-a/



=== TEST 10: a tag's last page
--- request
GET /blog/tags/go/page/3/
--- error_code: 200
--- response_body_like
<a href="/blog/post-a/">Post A</a>
<link rel="prev" href="/blog/tags/go/page/2/">
--- response_body_unlike
/blog/post-b/
rel="next"



=== TEST 11: past a tag's last page is 404
--- request
GET /blog/tags/go/page/4/
--- error_code: 404



=== TEST 12: a tag's page 1 redirects to the tag's page
--- request
GET /blog/tags/go/page/1/
--- error_code: 301
--- response_headers
Location: ~/blog/tags/go/$



=== TEST 13: an unknown tag is 404
--- request
GET /blog/tags/nope/
--- error_code: 404



=== TEST 14: the tags page without its trailing slash redirects
--- request
GET /blog/tags
--- error_code: 301
--- response_headers
Location: ~/blog/tags/$



=== TEST 15: a tag's page without its trailing slash redirects
--- request
GET /blog/tags/go
--- error_code: 301
--- response_headers
Location: ~/blog/tags/go/$
