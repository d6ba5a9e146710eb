# The blog directive: where it is allowed, and what nginx -t says about a
# content root it cannot use.

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Blog;

run_tests();

__DATA__

=== TEST 1: blog in a location serves the posts under its root
--- config
location /blog/ { blog $CONTENT; }
--- files
>>> hello.md
---
title: Hello
date: 2026-06-05
---
Hi.
--- request
GET /blog/hello/
--- error_code: 200
--- response_headers
Content-Type: text/html; charset=utf-8
--- response_body_like
<h1 class="post-title">Hello</h1>



=== TEST 2: a location without blog is left to nginx
--- config
location /blog/ { blog $CONTENT; }
location /other/ { return 200 "other"; }
--- files
>>> hello.md
---
title: Hello
date: 2026-06-05
---
Hi.
--- request
GET /other/hello/
--- error_code: 200
--- response_body chomp
other



=== TEST 3: a content root that does not exist fails nginx -t
--- config
location /blog/ { blog /nonexistent; }
--- must_die
--- error_log
\[emerg\] .*/nonexistent



=== TEST 4: a content root that is a file fails nginx -t
--- config
location /blog/ { blog $CONTENT/post.md; }
--- files
>>> post.md
---
title: Not a folder
---
--- must_die
--- error_log
\[emerg\] .*$CONTENT/post\.md
\[emerg\] .*(?i:not a directory)



=== TEST 5: blog at server level fails nginx -t
--- config
blog $CONTENT;
--- must_die
--- error_log
\[emerg\] .*"blog" directive is not allowed here



=== TEST 6: blog at http level fails nginx -t
--- http_config
blog $CONTENT;
--- must_die
--- error_log
\[emerg\] .*"blog" directive is not allowed here



=== TEST 7: a blog_index_zone smaller than eight pages fails nginx -t
--- http_config
blog_index_zone 8k;
--- config
location /blog/ { blog $CONTENT; }
--- must_die
--- error_log
\[emerg\] .*blog_index_zone "8k" is too small: at least 32k in .*nginx\.conf:\d+



=== TEST 8: a blog_index_zone that is not a size fails nginx -t
--- http_config
blog_index_zone lots;
--- config
location /blog/ { blog $CONTENT; }
--- must_die
--- error_log
\[emerg\] .*invalid size "lots" in .*nginx\.conf:\d+



=== TEST 9: blog_index_zone twice fails nginx -t
--- http_config
blog_index_zone 1m;
blog_index_zone 2m;
--- config
location /blog/ { blog $CONTENT; }
--- must_die
--- error_log
\[emerg\] .*"blog_index_zone" directive is duplicate in .*nginx\.conf:\d+



=== TEST 10: blog_index_zone in a location fails nginx -t
--- config
location /blog/ { blog $CONTENT; blog_index_zone 1m; }
--- must_die
--- error_log
\[emerg\] .*"blog_index_zone" directive is not allowed here
