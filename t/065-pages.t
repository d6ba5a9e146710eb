# What every page has: one <h1>, a <title>, a description, a canonical URL,
# OpenGraph and Twitter tags; the theme's 404 page for unknown URLs; a
# post's date, its links to the older and newer posts and its schema.org
# BlogPosting in JSON-LD; the theme's assets.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use JSON::PP qw(decode_json);
use Test::Blog qw(run_tests);
use Test::Blog::Util qw(start_nginx);
use Test::More;

my $CONFIG = <<'END';
location /blog/ {
    blog $CONTENT;
    blog_title "Pages Blog";
    blog_description "A blog for the page tests.";
}
END

my $FILES = <<'END';
>>> ay.md
---
title: Ay
date: 2024-05-01
---
The oldest post.
>>> bee.md
---
title: Bee
date: 2024-05-02
description: The post in the middle.
tags: [Go]
---
The post in the middle.
>>> sea.md
---
title: Sea
date: 2024-05-03
---
The newest post.
END

# What the head of every HTML page holds, and one <h1> in its body.
my $EVERY_PAGE = <<'END';
\A(?s:(?!<h1[\s>]).)*<h1[\s>](?s:(?!<h1[\s>]).)*\z
<title>[^<]+</title>
<meta name="description" content="[^"]+">
<link rel="canonical" href="https?://[^"]+">
<meta property="og:title" content="[^"]+">
<meta property="og:description" content="[^"]+">
<meta property="og:url" content="https?://[^"]+">
<meta property="og:type" content="[^"]+">
<meta name="twitter:card" content="[^"]+">
END


my $blog = start_nginx(config => $CONFIG, files => $FILES);

if ($blog) {
    check_json_ld($blog->get('/blog/bee/'));
    $blog->stop;
}

run_tests(config => $CONFIG, files => $FILES,
          response_body_like => $EVERY_PAGE);


# A post's page holds one JSON-LD script: a BlogPosting with the post's
# title and date.

sub check_json_ld {
    my ($r) = @_;

    is($r->{status}, 200, 'GET /blog/bee/ - status') or return;

    my @scripts = $r->{body} =~
        m{<script type="application/ld\+json">(.*?)</script>}gs;
    is(scalar @scripts, 1, 'the post page has one JSON-LD script') or return;

    my $ld = eval { decode_json($scripts[0]) };
    is(ref $ld, 'HASH', 'its JSON parses, to an object')
        or do { diag("$@\n$scripts[0]"); return };

    is($ld->{'@type'}, 'BlogPosting', 'it is a BlogPosting');
    is($ld->{headline}, 'Bee', 'its headline is the title');
    like($ld->{datePublished} // '', qr/^2024-05-02(?:T|$)/,
         'its datePublished is the date');
}

__DATA__

=== TEST 1: the index has what every page has
--- request
GET /blog/
--- error_code: 200



=== TEST 2: a post has what every page has
--- request
GET /blog/bee/
--- error_code: 200



=== TEST 3: a tag's page has what every page has
--- request
GET /blog/tags/go/
--- error_code: 200



=== TEST 4: the tags page has what every page has
--- request
GET /blog/tags/
--- error_code: 200



=== TEST 5: the 404 page has what every page has
--- request
GET /blog/no-such-post/
--- error_code: 404



=== TEST 6: a post's OpenGraph tags describe the post
--- request
GET /blog/bee/
--- error_code: 200
--- response_body_like
<meta property="og:type" content="article">
<meta property="og:title" content="Bee">
<meta property="og:description" content="The post in the middle\.">
<link rel="canonical" href="http://127\.0\.0\.1:$PORT/blog/bee/">
<meta property="og:url" content="http://127\.0\.0\.1:$PORT/blog/bee/">



=== TEST 7: the index is a website
--- request
GET /blog/
--- error_code: 200
--- response_body_like
<meta property="og:type" content="website">
<meta name="description" content="A blog for the page tests\.">
<link rel="canonical" href="http://127\.0\.0\.1:$PORT/blog/">



=== TEST 8: an unknown post is the theme's 404 page
--- request
GET /blog/no-such-post/
--- error_code: 404
--- response_headers
Content-Type: text/html; charset=utf-8
--- response_body_like
Page not found
<link rel="stylesheet" href="/blog/assets/style\.css\?v=[0-9a-f]{10}">
(?:&larr;|←) Home
>Pages Blog<



=== TEST 9: a deep unknown path is the theme's 404 page
--- request
GET /blog/a/b/c/
--- error_code: 404
--- response_headers
Content-Type: text/html; charset=utf-8
--- response_body_like
Page not found
<link rel="stylesheet" href="/blog/assets/style\.css\?v=[0-9a-f]{10}">
(?:&larr;|←) Home



=== TEST 10: an unknown tag is the theme's 404 page
--- request
GET /blog/tags/nope/
--- error_code: 404
--- response_headers
Content-Type: text/html; charset=utf-8
--- response_body_like
Page not found
<link rel="stylesheet" href="/blog/assets/style\.css\?v=[0-9a-f]{10}">
(?:&larr;|←) Home



=== TEST 11: a post links to the older and the newer post
--- request
GET /blog/bee/
--- error_code: 200
--- response_body_like
<a (?=[^>]*\brel="prev")(?=[^>]*\bhref="/blog/ay/")[^>]*>.*Ay</a>
<a (?=[^>]*\brel="next")(?=[^>]*\bhref="/blog/sea/")[^>]*>.*Sea</a>



=== TEST 12: the oldest post has no older one
--- request
GET /blog/ay/
--- error_code: 200
--- response_body_like
<a (?=[^>]*\brel="next")(?=[^>]*\bhref="/blog/bee/")
--- response_body_unlike
<a [^>]*\brel="prev"



=== TEST 13: the newest post has no newer one
--- request
GET /blog/sea/
--- error_code: 200
--- response_body_like
<a (?=[^>]*\brel="prev")(?=[^>]*\bhref="/blog/bee/")
--- response_body_unlike
<a [^>]*\brel="next"



=== TEST 14: a post shows its date in a <time>
--- request
GET /blog/bee/
--- error_code: 200
--- response_body_like
<time datetime="2024-05-02T00:00:00Z">May 2, 2024</time>



=== TEST 15: the theme's stylesheet is CSS, whatever types nginx knows
--- request
GET /blog/assets/style.css
--- error_code: 200
--- response_headers
Content-Type: ~^text/css(?:;|$)
--- response_body_like
\{



=== TEST 16: the theme's stylesheet is CSS with nginx's mime.types too
--- http_config
include /etc/nginx/mime.types;
--- request
GET /blog/assets/style.css
--- error_code: 200
--- response_headers
Content-Type: ~^text/css(?:;|$)
--- response_body_like
\{



=== TEST 17: an asset the theme lacks is the 404 page
--- request
GET /blog/assets/nope.css
--- error_code: 404
