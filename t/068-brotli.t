# Brotli beside gzip: pages and text assets go out in br to clients whose
# Accept-Encoding takes it, chosen over gzip by the q-values (br on a
# tie, "br;q=0" refuses, "*" takes it), with "Content-Encoding: br", the
# weak form of the ETag and "Vary: Accept-Encoding"; HEAD and Range work
# on that variant, and it decompresses to the plain page, a long one
# (compressed at a faster quality) too.  blog_brotli follows gzip when
# not set; "blog_brotli off" keeps gzip alone.  A page cached before
# brotli was wanted is rendered again, once.  On the example blog's
# posts, brotli is at most 0.85 of gzip's bytes.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use Test::Blog::HTTP qw(after_head);
use Test::Blog::Util qw(start_nginx gunzip_bytes unbrotli_bytes brotli_tool);
use Test::More;

plan skip_all => "Debian's brotli command decompresses what is checked"
                 . " (apt-get install brotli)"
    unless brotli_tool();

my $FILES = <<'END';
>>> hello.md
---
title: Hello
date: 2024-05-01
tags: [Web]
---
Hello, brotli. A paragraph that says a little more than hello, so that
the page is long enough to compress, and then says it once more: a
paragraph that says a little more than hello.
END

# past 256 KB of HTML a page is compressed at a faster quality
$FILES .= ">>> long.md\n---\ntitle: Long\ndate: 2024-04-01\n---\n"
          . join('', map { "Paragraph $_ of a long post, with *emphasis*"
                           . " and `code`.\n\n" } 1 .. 6000);

my $CONFIG_BODY = <<'END';
location /br/ {
    blog $CONTENT;
    blog_cache pages;
    blog_base_url http://blog.test;
    gzip on;
    add_header X-Cache $blog_cache_status always;
}
location /plain/ {
    blog $CONTENT;
    blog_base_url http://blog.test;
}
location /nocache/ {
    blog $CONTENT;
    blog_base_url http://blog.test;
    gzip on;
}
location /off/ {
    blog $CONTENT;
    blog_cache pages;
    blog_base_url http://blog.test;
    gzip on;
    blog_brotli off;
}
location /only/ {
    blog $CONTENT;
    blog_cache pages;
    blog_base_url http://blog.test;
    blog_brotli on;
}
location /sub/ {
    blog $CONTENT;
    blog_cache pages;
    blog_base_url http://blog.test;
    blog_brotli on;
    sub_filter '</h1>' '</h1><!--sub-->';
}
location /later/ {
    blog $CONTENT;
    blog_cache pages;
    blog_base_url http://blog.test;
    gzip on;
    blog_brotli LATER;
    add_header X-Cache $blog_cache_status always;
}
location /ex/ {
    blog $ROOT/contrib/example;
    blog_cache pages;
    gzip on;
}
END

sub config {
    my ($later) = @_;
    (my $config = $CONFIG_BODY) =~ s/LATER/$later/;
    return $config;
}

# Accept-Encoding => the coding sent ('' for none)
my @CASES = (
    [ 'br'                          => 'br' ],
    [ 'gzip'                        => 'gzip' ],
    [ 'gzip, br'                    => 'br' ],
    [ 'gzip, deflate, br, zstd'     => 'br' ],
    [ 'br;q=0'                      => '' ],
    [ 'gzip, br;q=0'                => 'gzip' ],
    [ '*'                           => 'br' ],
    [ '*;q=0'                       => '' ],
    [ 'gzip;q=1, br;q=0.5'          => 'gzip' ],
    [ 'gzip;q=0.5, br;q=1'          => 'br' ],
    [ 'gzip;q=0.8, br;q=0.8'        => 'br' ],
    [ 'gzip;q=0.5, *;q=0.9'         => 'br' ],
    [ 'BR ; Q=1.0'                  => 'br' ],
    [ 'br;q=0.000'                  => '' ],
    [ 'br;q=2'                      => '' ],
    [ 'identity'                    => '' ],
    [ undef                         => '' ],
);


my $blog = start_nginx(files => $FILES, config => config('off'),
                       http_config => 'blog_cache_zone pages:4m;')
    or exit;

my $plain = $blog->get('/plain/hello/')->{body};
(my $page = $plain) =~ s{/plain/}{/br/}g;
my $etag = $blog->get('/br/hello/')->{headers}{etag};

like($etag // '', qr/^"[0-9a-f]{32}"$/, 'the plain page has a strong ETag');

# the body as the client reads it

sub decoded {
    my ($r) = @_;
    my $coding = $r->{headers}{'content-encoding'} // '';

    return $coding eq 'br'   ? unbrotli_bytes($r->{body})
         : $coding eq 'gzip' ? gunzip_bytes($r->{body})
         : $r->{body};
}

for my $case (@CASES) {
    my ($accept, $want) = @$case;
    my $name = defined $accept ? "Accept-Encoding: $accept"
                               : 'no Accept-Encoding';
    my $r = $blog->get('/br/hello/',
                       defined $accept ? ('Accept-Encoding' => $accept) : ());

    is($r->{status}, 200, "$name - 200");
    is($r->{headers}{'content-encoding'} // '', $want,
       "$name - " . ($want ? "Content-Encoding: $want" : 'not encoded'));
    like($r->{headers}{vary} // '', qr/\bAccept-Encoding\b/i,
         "$name - Vary: Accept-Encoding");
    is($r->{headers}{etag}, $want ? "W/$etag" : $etag,
       "$name - " . ($want ? 'the weak ETag' : 'the strong ETag'));
    is(decoded($r), $page, "$name - the plain page, once decoded");
}

# stored once: the second br request is a hit, with the same bytes

my $br1 = $blog->get('/br/', 'Accept-Encoding' => 'br');
my $br2 = $blog->get('/br/', 'Accept-Encoding' => 'br');
is($br1->{headers}{'content-encoding'}, 'br', 'the index in br');
is($br2->{headers}{'x-cache'}, 'HIT', '... then from the cache');
is($br2->{body}, $br1->{body}, '... the same bytes');

my $br = $blog->get('/br/hello/', 'Accept-Encoding' => 'br');
my $gz = $blog->get('/br/hello/', 'Accept-Encoding' => 'gzip');
cmp_ok(length $br->{body}, '<', length $gz->{body},
       'br is smaller than gzip');

my $long = $blog->get('/plain/long/')->{body};
$long =~ s{/plain/}{/br/}g;
cmp_ok(length $long, '>', 256 * 1024, 'a long post');
$br = $blog->get('/br/long/', 'Accept-Encoding' => 'br');
$gz = $blog->get('/br/long/', 'Accept-Encoding' => 'gzip');
is($br->{headers}{'content-encoding'}, 'br', '... in br');
is(decoded($br), $long, '... of the plain page');
cmp_ok(length $br->{body}, '<', length $gz->{body},
       '... smaller than gzip all the same');

$br = $blog->get('/br/hello/', 'Accept-Encoding' => 'br');

# HEAD and Range on the br variant

my $r = $blog->request('HEAD', '/br/hello/',
                       headers => { 'Accept-Encoding' => 'br' });
is($r->{status}, 200, 'HEAD, br - 200');
is($r->{headers}{'content-encoding'}, 'br', 'HEAD, br - Content-Encoding');
is($r->{headers}{'content-length'}, length $br->{body},
   'HEAD, br - the length of the br bytes');
is($r->{headers}{etag}, "W/$etag", 'HEAD, br - the weak ETag');
is(after_head($blog->port, "HEAD /br/hello/\nAccept-Encoding: br"), '',
   'HEAD, br - no body on the wire');

$r = $blog->get('/br/hello/', 'Accept-Encoding' => 'br',
                Range => 'bytes=0-9');
is($r->{status}, 206, 'Range, br - 206');
is($r->{headers}{'content-encoding'}, 'br', 'Range, br - Content-Encoding');
is($r->{headers}{'content-range'}, 'bytes 0-9/' . length $br->{body},
   'Range, br - Content-Range of the br bytes');
is($r->{body}, substr($br->{body}, 0, 10), 'Range, br - its first 10 bytes');

# revalidation per variant

$r = $blog->get('/br/hello/', 'Accept-Encoding' => 'br',
                'If-None-Match' => "W/$etag");
is($r->{status}, 304, 'If-None-Match with the weak ETag, br - 304');

# without a cache: compressed for this request

$r = $blog->get('/nocache/hello/', 'Accept-Encoding' => 'gzip, br');
is($r->{headers}{'content-encoding'}, 'br', 'no cache: br all the same');
(my $nocache = $plain) =~ s{/plain/}{/nocache/}g;
is(decoded($r), $nocache, '... of the plain page');

# blog_brotli off, and on without gzip

$r = $blog->get('/off/hello/', 'Accept-Encoding' => 'gzip, br');
is($r->{headers}{'content-encoding'}, 'gzip', 'blog_brotli off: gzip');
$r = $blog->get('/off/hello/', 'Accept-Encoding' => 'br');
ok(!defined $r->{headers}{'content-encoding'},
   'blog_brotli off, a client of br alone: plain');
like($r->{headers}{vary} // '', qr/\bAccept-Encoding\b/i,
     '... Vary all the same (gzip is on)');

$r = $blog->get('/only/hello/', 'Accept-Encoding' => 'gzip, br');
is($r->{headers}{'content-encoding'}, 'br', 'blog_brotli on, gzip off: br');
$r = $blog->get('/only/hello/', 'Accept-Encoding' => 'gzip');
ok(!defined $r->{headers}{'content-encoding'},
   '... and a client of gzip alone: plain');

$r = $blog->get('/plain/hello/', 'Accept-Encoding' => 'br');
ok(!defined $r->{headers}{'content-encoding'},
   'gzip off, blog_brotli not set: plain');
unlike($r->{headers}{vary} // '', qr/\bAccept-Encoding\b/i,
       '... and no Vary: Accept-Encoding');

# sub_filter must see plain text

$r = $blog->get('/sub/hello/', 'Accept-Encoding' => 'br');
ok(!defined $r->{headers}{'content-encoding'},
   'sub_filter: never br, even with blog_brotli on');
like($r->{body}, qr{</h1><!--sub-->}, '... and sub_filter applied');

# assets, compressed once when nginx read its configuration

my ($css) = $page =~ m{href="(/br/assets/style\.css\?v=[0-9a-f]+)"};
ok($css, 'the page links its stylesheet');
$css //= '/br/assets/style.css';
my $asset = $blog->get($css);
my $asset_etag = $asset->{headers}{etag};

$r = $blog->get($css, 'Accept-Encoding' => 'gzip, br');
is($r->{headers}{'content-encoding'}, 'br', 'the stylesheet in br');
like($r->{headers}{vary} // '', qr/\bAccept-Encoding\b/i, '... Vary');
is($r->{headers}{etag}, "W/$asset_etag", '... the weak ETag');
is(decoded($r), $asset->{body}, '... of the same bytes');

$r = $blog->get($css, 'Accept-Encoding' => 'gzip;q=1, br;q=0.5');
is($r->{headers}{'content-encoding'}, 'gzip', '... gzip where preferred');

$r = $blog->get('/off/assets/style.css', 'Accept-Encoding' => 'br');
ok(!defined $r->{headers}{'content-encoding'},
   'blog_brotli off: the stylesheet plain to a client of br alone');

$r = $blog->get('/only/assets/style.css', 'Accept-Encoding' => 'br');
is($r->{headers}{'content-encoding'}, 'br',
   'blog_brotli on, gzip off: the stylesheet in br');

# stored before brotli was wanted: rendered again once, then a hit

$r = $blog->get('/later/hello/', 'Accept-Encoding' => 'br');
ok(!defined $r->{headers}{'content-encoding'},
   'blog_brotli off: plain');
is($blog->get('/later/hello/')->{headers}{'x-cache'}, 'HIT',
   '... and cached');

SKIP: {
    skip 'a reload: nginx under valgrind is one process', 4
        if Test::Blog::Nginx::under_valgrind();

    ok($blog->reload(config => config('on')), 'blog_brotli on, reloaded');

    $r = $blog->get('/later/hello/', 'Accept-Encoding' => 'br');
    is($r->{headers}{'content-encoding'}, 'br', 'then br');
    is($r->{headers}{'x-cache'}, 'MISS', '... rendered again, with it');
    $r = $blog->get('/later/hello/', 'Accept-Encoding' => 'br');
    is($r->{headers}{'x-cache'}, 'HIT', '... once');
}

# the example blog's posts: brotli at most 0.85 of gzip's bytes

my $index = $blog->get('/ex/')->{body};
my %posts = map { $_ => 1 }
            $index =~ m{<a[^>]* href="(/ex/(?!tags/|page/|assets/)[^"/?#]+/)"}g;
cmp_ok(scalar keys %posts, '>=', 10, 'the example blog\'s posts');

my ($br_all, $gz_all) = (0, 0);

for my $uri (sort keys %posts) {
    my $b = $blog->get($uri, 'Accept-Encoding' => 'br');
    my $g = $blog->get($uri, 'Accept-Encoding' => 'gzip');
    my ($nb, $ng) = (length $b->{body}, length $g->{body});

    $br_all += $nb;
    $gz_all += $ng;

    ok($b->{headers}{'content-encoding'} eq 'br'
       && $nb <= 0.85 * $ng,
       "$uri - br $nb bytes, gzip $ng: at most 0.85")
        or diag(sprintf 'ratio %.3f', $nb / ($ng || 1));
}

diag(sprintf 'example posts: br %d bytes, gzip %d, ratio %.3f',
             $br_all, $gz_all, $br_all / ($gz_all || 1));

$blog->stop;

done_testing();
