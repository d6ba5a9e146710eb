# README's "Moving from Jekyll, Hugo or Zola" rewrites, as written there,
# beside the blog at /blog/: old Jekyll and Hugo permalinks answer 301 to
# the post's page, which is there; tags and feeds follow.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Blog;

my $readme = do {
    open my $fh, '<', "$FindBin::Bin/../README.md" or die "README.md: $!";
    local $/;
    <$fh>;
};

my ($rewrites) = $readme
    =~ /^## Moving from Jekyll, Hugo or Zola.*?^```nginx\n(.*?)^```$/ms
    or die "README.md has no rewrites under \"Moving from Jekyll, Hugo or Zola\"";

my $files = <<'END';
>>> _posts/2016-01-01-welcome.md
---
title: Welcome
categories: [news]
---
The first post.
>>> posts/bundle/index.md
---
title: A bundle
date: 2020-05-01
tags: [Go]
---
A Hugo page bundle.
>>> posts/renamed.md
---
title: Renamed
date: 2019-02-03
slug: the-new-name
---
Its slug is not its file name.
END

run_tests(config => "$rewrites\nlocation /blog/ { blog \$CONTENT; }\n",
          files => $files);

__DATA__

=== TEST 1: the post a Jekyll permalink named is at /blog/SLUG/
--- request
GET /blog/welcome/
--- error_code: 200
--- response_body_like
<h1 class="post-title">Welcome</h1>



=== TEST 2: Jekyll's default permalink
--- request
GET /2016/01/01/welcome.html
--- error_code: 301
--- response_headers
Location: ~/blog/welcome/$



=== TEST 3: Jekyll's permalink with its categories
--- request
GET /news/2016/01/01/welcome.html
--- error_code: 301
--- response_headers
Location: ~/blog/welcome/$



=== TEST 4: Jekyll's "pretty" permalink
--- request
GET /2016/01/01/welcome/
--- error_code: 301
--- response_headers
Location: ~/blog/welcome/$



=== TEST 5: Hugo's /posts/SLUG/
--- request
GET /posts/bundle/
--- error_code: 301
--- response_headers
Location: ~/blog/bundle/$



=== TEST 6: Hugo's /posts/SLUG without the slash
--- request
GET /posts/the-new-name
--- error_code: 301
--- response_headers
Location: ~/blog/the-new-name/$



=== TEST 7: the slug from front matter is the URL
--- request
GET /blog/the-new-name/
--- error_code: 200
--- response_body_like
<h1 class="post-title">Renamed</h1>



=== TEST 8: Hugo's section list leads to the index
--- request
GET /posts/
--- error_code: 301
--- response_headers
Location: ~/blog/$



=== TEST 9: Hugo's tag pages
--- request
GET /tags/go/
--- error_code: 301
--- response_headers
Location: ~/blog/tags/go/$



=== TEST 10: the tag page is there
--- request
GET /blog/tags/go/
--- error_code: 200
--- response_body_like
A bundle



=== TEST 11: Hugo's feed
--- request
GET /index.xml
--- error_code: 301
--- response_headers
Location: ~/blog/feed.xml$



=== TEST 12: jekyll-feed's feed
--- request
GET /feed.xml
--- error_code: 301
--- response_headers
Location: ~/blog/feed.xml$



=== TEST 13: the blog's own pages are not rewritten
--- request
GET /blog/bundle/
--- error_code: 200
--- response_body_like
<h1 class="post-title">A bundle</h1>
