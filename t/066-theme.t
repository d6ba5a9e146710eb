# blog_templates: a theme folder replaces the built-in templates it holds
# and falls back to the built-in ones for the rest; a template that does not
# parse, or a folder that is not there, fails nginx -t naming the file.

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Blog qw(run_tests write_file);

my $files = <<'END';
>>> hello.md
---
title: Hello
date: 2024-01-01
---
Hi.
END

run_tests(files => $files);

__DATA__

=== TEST 1: a theme's post.html renders the posts
--- config
location /blog/ { blog $CONTENT; blog_templates $PREFIX/theme; }
--- setup
write_file("$PREFIX/theme/post.html",
           qq{<div class="mine">{{post.title}}</div>\n});
--- request
GET /blog/hello/
--- error_code: 200
--- response_headers
Content-Type: text/html; charset=utf-8
--- response_body_like
<div class="mine">Hello</div>
--- response_body_unlike
<h1 class="post-title">



=== TEST 2: the templates the theme lacks are the built-in ones
--- config
location /blog/ { blog $CONTENT; blog_templates $PREFIX/theme; }
--- setup
write_file("$PREFIX/theme/post.html",
           qq{<div class="mine">{{post.title}}</div>\n});
--- request
GET /blog/
--- error_code: 200
--- response_body_like
<article class="card">
<a href="/blog/hello/">Hello</a>
<link rel="stylesheet" href="/blog/assets/style\.css\?v=[0-9a-f]{10}">
--- response_body_unlike
class="mine"



=== TEST 3: the built-in stylesheet is served for a theme without one
--- config
location /blog/ { blog $CONTENT; blog_templates $PREFIX/theme; }
--- setup
write_file("$PREFIX/theme/post.html",
           qq{<div class="mine">{{post.title}}</div>\n});
--- request
GET /blog/assets/style.css
--- error_code: 200
--- response_body_like
\{



=== TEST 4: a template that does not parse fails nginx -t with its line
--- config
location /blog/ { blog $CONTENT; blog_templates $PREFIX/broken; }
--- setup
write_file("$PREFIX/broken/index.html", <<'END');
<h1>{{site.title}}</h1>
<section>
{{#posts}}
<p>{{title}}</p>
</section>
<p>The section above is never closed.</p>
END
--- must_die
--- error_log
$PREFIX/broken/index\.html(?:"?,? line |:)3\b



=== TEST 5: a theme folder that is not there fails nginx -t
--- config
location /blog/ { blog $CONTENT; blog_templates $PREFIX/no-such-theme; }
--- must_die
--- error_log
$PREFIX/no-such-theme



=== TEST 6: a missing asset asked before the first index is the 404 page
--- config
location /blog/ { blog $CONTENT; }
--- setup
# enough posts that the request comes while the workers still read them
for my $n (1 .. 3000) {
    write_file("$CONTENT/many/post-$n.md", "---\ntitle: Post $n\n---\nHi.\n");
}
--- request
GET /blog/assets/nope.css
--- error_code: 404
--- response_body_like
<html
