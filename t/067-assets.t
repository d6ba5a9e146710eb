# The theme's assets as a browser and a CDN meet them: pages link the
# stylesheet and the favicon under a URL with the assets' version
# ("style.css?v=..."), which is cached for good (immutable, a year) while
# a URL without it, or with an old version, is revalidated; the ETag is
# strong and the same for the same bytes; text assets go out gzipped,
# compressed once, with "gzip on" and to clients that take it.  The
# default favicon is an SVG in the theme's colours; a theme's own replaces
# it, "blog_favicon URL" links another, "blog_favicon off" none.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use IO::Uncompress::Gunzip qw(gunzip);
use Test::Blog::HTTP qw(after_head);
use Test::Blog::Util qw(start_nginx);
use Test::More;

my $blog = start_nginx(
    files => <<'END',
>>> hello.md
---
title: Hello
date: 2024-01-01
---
Hi.
END
    setup => sub {
        my ($blog) = @_;
        my $theme = $blog->prefix . '/theme';
        mkdir $theme or die "$theme: $!";
        open my $fh, '>', "$theme/favicon.svg" or die $!;
        print {$fh} qq{<svg xmlns="http://www.w3.org/2000/svg"/>\n};
        close $fh;
    },
    config => <<'END') or exit;
location /blog/ {
    blog $CONTENT;
    gzip on;
}

location /plain/ {
    blog $CONTENT;
}

location /ico/ {
    blog $CONTENT;
    blog_favicon /favicon.ico;
}

location /none/ {
    blog $CONTENT;
    blog_favicon off;
}

location /own/ {
    blog $CONTENT;
    blog_templates $PREFIX/theme;
}
END

my $page = $blog->get('/blog/hello/');
is($page->{status}, 200, 'a post');

my ($css) = $page->{body}
    =~ m{<link rel="stylesheet" href="(/blog/assets/style\.css\?v=[0-9a-f]{10})">};
my ($icon) = $page->{body}
    =~ m{<link rel="icon" href="(/blog/assets/favicon\.svg\?v=[0-9a-f]{10})">};
ok($css, 'the page links the stylesheet with the assets\' version');
ok($icon, '... and the favicon, with the same version');
my ($version) = ($css // '') =~ /v=(\w+)/;
like($icon // '', qr/v=\Q$version\E$/, 'one version for both');

# the favicon

my $r = $blog->get($icon);
is($r->{status}, 200, 'the favicon is there');
like($r->{headers}{'content-type'}, qr{^image/svg\+xml}, '... an SVG');
like($r->{body}, qr{<svg[^>]*viewBox="0 0 32 32"}, '... the theme\'s own');
like($r->{body}, qr{prefers-color-scheme: dark}, '... in both schemes');

# caching: immutable under the page's URL, revalidated otherwise

$r = $blog->get($css);
is($r->{status}, 200, 'the stylesheet');
is($r->{headers}{'cache-control'}, 'public, max-age=31536000, immutable',
   '... cached for good under its versioned URL');
my $etag = $r->{headers}{etag};
like($etag, qr/^"[0-9a-f]{16}"$/, '... with a strong ETag');
my $plain = $r->{body};

$r = $blog->get('/blog/assets/style.css');
is($r->{headers}{'cache-control'}, 'no-cache',
   'without a version: revalidated');
is($r->{headers}{etag}, $etag, '... same bytes, same ETag');

$r = $blog->get('/blog/assets/style.css?v=0000000000');
is($r->{headers}{'cache-control'}, 'no-cache',
   'with another version: revalidated, never kept for good');

$r = $blog->get('/blog/assets/style.css', 'If-None-Match' => $etag);
is($r->{status}, 304, 'If-None-Match: 304');

$r = $blog->get('/plain/assets/style.css');
is($r->{headers}{etag}, $etag,
   'the ETag is the bytes\', the same in another location');

# compressed once: gzip on, and the client takes it

$r = $blog->get($css, 'Accept-Encoding' => 'gzip');
is($r->{headers}{'content-encoding'}, 'gzip', 'gzip on: sent gzipped');
like($r->{headers}{vary} // '', qr/Accept-Encoding/i, '... Vary says so');
is($r->{headers}{etag}, "W/$etag", '... with the weak form of the ETag');
my $body = $r->{body};
my $out;
gunzip(\$body => \$out) or die 'gunzip failed';
is($out, $plain, '... of the same bytes');
cmp_ok(length $body, '<', length($plain) / 2, '... in less than half');

$r = $blog->get($css);
ok(!defined $r->{headers}{'content-encoding'},
   'a client that does not take gzip: plain');
like($r->{headers}{vary} // '', qr/Accept-Encoding/i, '... Vary all the same');

$r = $blog->request('HEAD', $css, headers => { 'Accept-Encoding' => 'gzip' });
is($r->{headers}{'content-encoding'}, 'gzip', 'HEAD: the gzipped headers');
is(after_head($blog->port, "HEAD $css\nAccept-Encoding: gzip"), '',
   '... and no body on the wire');

$r = $blog->get($css, 'Range' => 'bytes=0-9');
is($r->{status}, 206, 'Range: 206');
is($r->{body}, substr($plain, 0, 10), '... the first ten bytes');

$r = $blog->get('/plain/assets/style.css', 'Accept-Encoding' => 'gzip');
ok(!defined $r->{headers}{'content-encoding'}, 'gzip off: plain');
ok(!defined $r->{headers}{vary}, '... and no Vary');

$r = $blog->get($icon, 'Accept-Encoding' => 'gzip');
is($r->{headers}{'content-encoding'}, 'gzip', 'the SVG is text: gzipped');

# replacing the favicon

$r = $blog->get('/ico/hello/');
like($r->{body}, qr{<link rel="icon" href="/favicon\.ico">},
     'blog_favicon URL: that icon');

$r = $blog->get('/none/hello/');
unlike($r->{body}, qr{rel="icon"}, 'blog_favicon off: none');
like($r->{body}, qr{style\.css\?v=\Q$version\E}, '... the stylesheet still');

$r = $blog->get('/own/hello/');
my ($own) = $r->{body}
    =~ m{<link rel="icon" href="(/own/assets/favicon\.svg\?v=[0-9a-f]{10})">};
ok($own, 'a theme\'s favicon.svg: linked');
unlike($own // '', qr/v=\Q$version\E/, '... under another version');
is($blog->get($own // '/own/assets/favicon.svg')->{body},
   qq{<svg xmlns="http://www.w3.org/2000/svg"/>\n}, '... the theme\'s');

$blog->stop;

done_testing();
