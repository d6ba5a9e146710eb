# HTTP as browsers, feed readers and caches use it: an ETag that is the
# MD5 of the body (so two servers with the same files agree, whatever the
# files' mtimes), Last-Modified from the sources' mtimes, 304 for
# If-None-Match and If-Modified-Since, HEAD, ranges, nginx's own
# directives (expires, add_header, sub_filter, gzip) on the blog's pages,
# the Markdown source for "Accept: text/markdown", and 405 for methods
# other than GET and HEAD.  Each page is checked from the cache (/blog/,
# MISS and HIT) and without it (/plain/).

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use Digest::MD5 qw(md5_hex);
use File::Copy qw(copy);
use Test::Blog qw(run_tests);
use Test::Blog::HTTP qw(after_head);
use Test::Blog::Util qw(start_nginx poll set_mtime http_date gunzip_bytes
                        excerpt);
use Test::More;
use Time::HiRes qw(sleep time);

my $FILES = <<'END';
>>> hello.md
---
title: Hello
date: 2024-05-01
lastmod: 2024-06-01
tags: [Web]
---
Hello, HTTP.

A second paragraph.
>>> older.md
---
title: Older
date: 2024-04-01
lastmod: 2024-04-02
tags: [Web]
---
An older post.
END

# hello.md is the newest file: its mtime is the Last-Modified of its own
# page and of the listings
my $HELLO_MTIME = 1700000000;       # Tue, 14 Nov 2023 22:13:20 GMT
my $OLDER_MTIME = 1600000000;

my @PAGES = ('/', '/hello/', '/older/', '/tags/', '/tags/web/', '/feed.xml',
             '/sitemap.xml', '/tags/web/feed.xml');

my $CONFIG = <<'END';
location /blog/ {
    blog $CONTENT;
    blog_cache pages;
    blog_check_interval 100ms;
    blog_base_url http://blog.test;
    add_header X-Cache $blog_cache_status always;
}
location /plain/ {
    blog $CONTENT;
    blog_check_interval 100ms;
    blog_base_url http://blog.test;
}
location /gz/ {
    blog $CONTENT;
    blog_cache pages;
    blog_base_url http://blog.test;
    gzip on;
    add_header X-Cache $blog_cache_status always;
}
location /gzplain/ {
    blog $CONTENT;
    blog_base_url http://blog.test;
    gzip on;
}
location /sub/ {
    blog $CONTENT;
    blog_cache pages;
    sub_filter '</h1>' '</h1><!--sub-->';
    sub_filter_once on;
}
location /subgz/ {
    blog $CONTENT;
    blog_cache pages;
    sub_filter '</h1>' '</h1><!--sub-->';
    sub_filter_once on;
    gzip on;
}
END

sub set_mtimes {
    my ($dir) = @_;
    set_mtime("$dir/hello.md", $HELLO_MTIME);
    set_mtime("$dir/older.md", $OLDER_MTIME);
}


my $blog = start_nginx(files => $FILES, config => $CONFIG,
                       http_config => 'blog_cache_zone pages:1m;',
                       setup => sub { set_mtimes($_[0]->content) });

if ($blog) {
    etags();
    same_etag_on_another_server();
    conditional_requests();
    head_and_range();
    gzip_variants();
    gzip_without_cache();
    sub_filter_with_gzip();
    markdown_source();
    last_modified_follows_the_file();
    $blog->stop;
}


sub etags {
    for my $p ('/blog', '/plain') {
        for my $uri (map { "$p$_" } @PAGES) {
            for my $n (1, 2) {
                my $r = $blog->get($uri);
                my $as = $p eq '/blog'
                         ? ' (' . ($r->{headers}{'x-cache'} // '?') . ')'
                         : '';

                is($r->{status}, 200, "GET $uri$as - 200") or next;
                is($r->{headers}{etag}, '"' . md5_hex($r->{body}) . '"',
                   "GET $uri$as - the ETag is the quoted MD5 of the body");
            }
        }
    }
}


# Another nginx with a copy of the files, with other mtimes: the same
# bodies, so the same ETags.

sub same_etag_on_another_server {
    my $other = start_nginx(config => $CONFIG,
        http_config => 'blog_cache_zone pages:1m;',
        setup => sub {
            my ($other) = @_;
            for my $file ('hello.md', 'older.md') {
                copy($blog->content . "/$file", $other->content . "/$file")
                    or die "copy $file: $!\n";
                set_mtime($other->content . "/$file", time - 3600);
            }
        }) or return;

    for my $uri (map { ("/blog$_", "/plain$_") } @PAGES) {
        my $a = $blog->get($uri);
        my $b = $other->get($uri);

        ok(defined $a->{headers}{etag}
           && ($a->{headers}{etag} // '') eq ($b->{headers}{etag} // ''),
           "GET $uri - the same ETag from two servers with the same files")
            or diag("ETags $a->{status} " . ($a->{headers}{etag} // '-')
                    . " and $b->{status} " . ($b->{headers}{etag} // '-')
                    . first_difference($a->{body}, $b->{body}));
    }

    $other->stop;
}


sub first_difference {
    my ($x, $y) = @_;
    my @x = split /\n/, $x;
    my @y = split /\n/, $y;

    for my $i (0 .. ($#x > $#y ? $#x : $#y)) {
        next if defined $x[$i] && defined $y[$i] && $x[$i] eq $y[$i];
        return "; line " . ($i + 1) . " differs:\n  "
               . ($x[$i] // '(none)') . "\n  " . ($y[$i] // '(none)');
    }

    return '; the bodies are equal';
}


sub conditional_requests {
    for my $p ('/blog', '/plain') {
        my $uri = "$p/hello/";
        my $r = $blog->get($uri);
        my $etag = $r->{headers}{etag} // '"none"';
        my $date = http_date($HELLO_MTIME);

        is($r->{headers}{'last-modified'}, $date,
           "GET $uri - Last-Modified is the mtime of hello.md");
        is($blog->get("$p/")->{headers}{'last-modified'}, $date,
           "GET $p/ - Last-Modified is the newest mtime of its posts");

        for my $n (1, 2) {
            $r = $blog->get($uri, 'If-None-Match' => $etag);
            is($r->{status}, 304, "GET $uri, If-None-Match: its ETag - 304");
            is(after_head($blog->port, "GET $uri\nIf-None-Match: $etag"), '',
               "GET $uri, If-None-Match: its ETag - no body on the wire");

            $r = $blog->get($uri, 'If-Modified-Since' => $date);
            is($r->{status}, 304,
               "GET $uri, If-Modified-Since: its Last-Modified - 304");
        }

        $r = $blog->get($uri, 'If-None-Match' => '"0123456789abcdef"');
        is($r->{status}, 200, "GET $uri, If-None-Match: another ETag - 200");

        # both, as a cache sends them: If-None-Match decides, and
        # If-Modified-Since is ignored (RFC 9110, 13.1.3); the date may
        # come from another server with other mtimes
        $r = $blog->get($uri, 'If-None-Match' => $etag,
                        'If-Modified-Since' => http_date($HELLO_MTIME - 60));
        is($r->{status}, 304, "GET $uri, If-None-Match: its ETag,"
                              . " If-Modified-Since: another date - 304");

        $r = $blog->get($uri, 'If-None-Match' => '"0123456789abcdef"',
                        'If-Modified-Since' => $date);
        is($r->{status}, 200, "GET $uri, If-None-Match: another ETag,"
                              . " If-Modified-Since: its date - 200");

        $r = $blog->get($uri, 'If-Modified-Since' => http_date(1000000000));
        is($r->{status}, 200,
           "GET $uri, If-Modified-Since: an older date - 200");
    }
}


sub head_and_range {
    for my $p ('/blog', '/plain') {
        my $uri = "$p/hello/";
        my $full = $blog->get($uri)->{body};
        my $len = length $full;

        my $wire = $blog->wire("HEAD $uri HTTP/1.1\r\nHost: localhost\r\n"
                               . "Connection: close\r\n\r\n") // '';
        my ($head, $rest) = split /\r\n\r\n/, $wire, 2;

        like($head // '', qr{^HTTP/1\.1 200 }, "HEAD $uri - 200");
        like($head // '', qr{\r\nContent-Length: $len\r\n}i,
             "HEAD $uri - the Content-Length of the GET ($len)");
        is($rest, '', "HEAD $uri - no body on the wire");

        for my $n (1, 2) {
            my $r = $blog->get($uri, Range => 'bytes=0-9');
            is($r->{status}, 206, "GET $uri, Range: bytes=0-9 - 206");
            is($r->{headers}{'content-range'}, "bytes 0-9/$len",
               "GET $uri, Range: bytes=0-9 - Content-Range");
            is($r->{body}, substr($full, 0, 10),
               "GET $uri, Range: bytes=0-9 - the first 10 bytes");
        }
    }
}


# gzip on: the page is stored compressed too, so the second request
# (HIT) is not compressed again; the plain bytes for those who do not
# accept gzip.

sub gzip_variants {
    for my $uri ('/gz/hello/', '/gz/', '/gz/feed.xml') {
        my $gz1 = $blog->get($uri, 'Accept-Encoding' => 'gzip');
        my $gz2 = $blog->get($uri, 'Accept-Encoding' => 'gzip');
        my $plain = $blog->get($uri);

        for ([$gz1, 'first'], [$gz2, 'second']) {
            my ($r, $nth) = @$_;
            is($r->{headers}{'content-encoding'}, 'gzip',
               "GET $uri, Accept-Encoding: gzip, $nth - Content-Encoding");
            like($r->{headers}{vary} // '', qr/\bAccept-Encoding\b/i,
                 "GET $uri, Accept-Encoding: gzip, $nth - Vary");

            my $body = gunzip_bytes($r->{body});
            ok(defined $body && $body eq $plain->{body},
               "GET $uri, Accept-Encoding: gzip, $nth - gunzips to the"
               . " plain body")
                or diag('it gunzips to '
                        . (defined $body ? excerpt($body, 300) : 'nothing'));
        }

        is($gz2->{headers}{'x-cache'}, 'HIT',
           "GET $uri, Accept-Encoding: gzip, second - HIT");
        is($gz2->{body}, $gz1->{body},
           "GET $uri, Accept-Encoding: gzip, second - the same bytes");

        ok(!defined $plain->{headers}{'content-encoding'},
           "GET $uri without Accept-Encoding - no Content-Encoding");
        like($plain->{body}, qr/\A<(?:!DOCTYPE html|\?xml)/,
             "GET $uri without Accept-Encoding - the plain bytes");
        like($plain->{headers}{vary} // '', qr/\bAccept-Encoding\b/i,
             "GET $uri without Accept-Encoding - Vary: Accept-Encoding");
        (my $want = $blog->get("/plain" . substr($uri, 3))->{body})
            =~ s{/plain/}{/gz/}g;
        is($plain->{body}, $want,
           "GET $uri without Accept-Encoding - the bytes of /plain/");
    }
}


# gzip on with no cache: each render is compressed for the clients that
# accept gzip, and only for them.

sub gzip_without_cache {
    for my $uri ('/gzplain/hello/', '/gzplain/') {
        my $gz = $blog->get($uri, 'Accept-Encoding' => 'gzip');
        my $plain = $blog->get($uri);

        is($gz->{headers}{'content-encoding'}, 'gzip',
           "GET $uri, Accept-Encoding: gzip - Content-Encoding");
        my $body = gunzip_bytes($gz->{body});
        ok(defined $body && $body eq $plain->{body},
           "GET $uri, Accept-Encoding: gzip - gunzips to the plain body");

        ok(!defined $plain->{headers}{'content-encoding'},
           "GET $uri without Accept-Encoding - no Content-Encoding");
        like($plain->{headers}{vary} // '', qr/\bAccept-Encoding\b/i,
             "GET $uri without Accept-Encoding - Vary: Accept-Encoding");
        like($plain->{body}, qr/\A<!DOCTYPE html/,
             "GET $uri without Accept-Encoding - the plain bytes");
    }
}


sub sub_filter_with_gzip {
    for my $uri ('/subgz/hello/', '/sub/hello/') {
        for my $n (1, 2) {
            my $r = $blog->get($uri, 'Accept-Encoding' => 'gzip');
            my $body = ($r->{headers}{'content-encoding'} // '') eq 'gzip'
                       ? gunzip_bytes($r->{body}) : $r->{body};

            is($r->{status}, 200, "GET $uri, Accept-Encoding: gzip - 200");
            like($body // '', qr{<h1 class="post-title">Hello</h1><!--sub-->},
                 "GET $uri, Accept-Encoding: gzip - sub_filter applied");
            like($body // '', qr{</html>\s*\z},
                 "GET $uri, Accept-Encoding: gzip - the whole page");
        }
    }

    my $r = $blog->get('/subgz/hello/', 'Accept-Encoding' => 'gzip');
    is($r->{headers}{'content-encoding'}, 'gzip',
       'GET /subgz/hello/, Accept-Encoding: gzip - gzip after sub_filter');
}


sub markdown_source {
    open my $fh, '<:raw', $blog->content . '/hello.md' or die $!;
    my $source = do { local $/; <$fh> };

    for my $uri ('/blog/hello/', '/plain/hello/', '/gz/hello/') {
        my $r = $blog->get($uri, Accept => 'text/markdown');

        is($r->{status}, 200, "GET $uri, Accept: text/markdown - 200");
        is($r->{headers}{'content-type'}, 'text/markdown; charset=utf-8',
           "GET $uri, Accept: text/markdown - Content-Type");
        is($r->{body}, $source,
           "GET $uri, Accept: text/markdown - the file's bytes");
        like($r->{headers}{vary} // '', qr/\bAccept(?:,|$)/i,
             "GET $uri, Accept: text/markdown - Vary: Accept");

        $r = $blog->get($uri);
        like($r->{headers}{vary} // '', qr/\bAccept(?:,|$)/i,
             "GET $uri - the HTML page has Vary: Accept too");
    }
}


sub last_modified_follows_the_file {
    my $t = $HELLO_MTIME + 86400;
    set_mtime($blog->content . '/hello.md', $t);

    for my $uri ('/blog/hello/', '/plain/hello/', '/blog/') {
        my ($r) = poll(2, sub {
            my $r = $blog->get($uri);
            return ($r->{headers}{'last-modified'} // '') eq http_date($t)
                   ? $r : undef;
        });

        ok($r, "touch hello.md - GET $uri has the new Last-Modified"
               . " within 2 s");
    }
}


run_tests(files => $FILES, config => <<'END');
location /blog/ {
    blog $CONTENT;
    expires 1h;
    add_header X-Test yes;
}
location /sub/ {
    blog $CONTENT;
    sub_filter '</h1>' '</h1><!--sub-->';
    sub_filter_once on;
}
END

__DATA__

=== TEST 1: expires adds Cache-Control
--- request
GET /blog/hello/
--- error_code: 200
--- response_headers
Cache-Control: max-age=3600
Expires: ~GMT$



=== TEST 2: add_header adds a header to a post
--- request
GET /blog/hello/
--- error_code: 200
--- response_headers
X-Test: yes



=== TEST 3: add_header adds a header to the index
--- request
GET /blog/
--- error_code: 200
--- response_headers
X-Test: yes
Cache-Control: max-age=3600



=== TEST 4: sub_filter changes the page, once
--- request
GET /sub/hello/
--- error_code: 200
--- response_body_like
<h1 class="post-title">Hello</h1><!--sub-->
--- response_body_unlike
<!--sub-->(?s:.*)<!--sub-->



=== TEST 5: POST is not allowed
--- raw_request
POST /blog/hello/ HTTP/1.1
Host: localhost
Content-Length: 3
Connection: close

abc
--- error_code: 405
--- response_headers
Allow: GET, HEAD



=== TEST 6: PUT is not allowed
--- raw_request
PUT /blog/hello/ HTTP/1.1
Host: localhost
Content-Length: 0
Connection: close
--- error_code: 405
--- response_headers
Allow: GET, HEAD



=== TEST 7: DELETE is not allowed
--- request
DELETE /blog/hello/
--- error_code: 405
--- response_headers
Allow: GET, HEAD



=== TEST 8: OPTIONS is not allowed
--- request
OPTIONS /blog/
--- error_code: 405
--- response_headers
Allow: GET, HEAD



=== TEST 9: PATCH on a feed is not allowed
--- request
PATCH /blog/feed.xml
--- error_code: 405
--- response_headers
Allow: GET, HEAD
