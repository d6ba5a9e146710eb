# Hostile URLs against every route: "..", in every encoding nginx lets
# through, encoded slashes, NUL and control bytes, header injection, 8 KB
# slugs and tags, query strings, absolute-form targets, names of the files
# that sit beside posts (dotfiles, .git, editor backups), symbolic links
# that leave the content root, extra segments, backslashes, "//" runs and
# methods other than GET and HEAD.  Each one goes to a blog at /blog/ and
# to a blog at /, as the exact bytes a client would send.  None may answer
# 200 unless the table says so, none may answer 5xx, and no response may
# carry the canary planted outside the content root or the content of a
# file that is not a post.  The good posts still serve after the barrage.
# Under Apache httpd (TEST_BLOG_SERVER=apache) a row may name the answer
# httpd's core gives before any module sees the request.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use IO::Select;
use IO::Socket::INET;
use Test::Blog qw(write_file);
use Test::Blog::Util qw(start_nginx);
use Test::More;
use Time::HiRes qw(sleep time);

# One random tag per run, so a marker can only come from its file.
my $RUN = sprintf "%08x%04x", int(rand(0xffffffff)), $$ & 0xffff;

# Files that must never reach a client, each with a marker of its own.
my %MARKER = map { $_ => "MARKER_\U$_\E_$RUN" } qw(
    canary dotenv htpasswd gitconfig githead tilde hash swp bak dotswp
    notes hidden readme secret
);

my $PNG = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\x08\x06\0\0\0"
          . "\x1f\x15\xc4\x89" . "IMAGE_BYTES_$RUN" . "\0\xff\xfe\x01";

my $CONFIG = <<'END';
location /blog/ {
    blog $CONTENT;
    blog_posts_per_page 1;
}
END

# 8 KB request lines must reach the module; the second server holds the
# blog at the root.
my $HTTP_CONFIG = <<'END';
include /etc/nginx/mime.types;
large_client_header_buffers 4 32k;

server {
    listen 127.0.0.1:$PORT2;
    server_name localhost;

    location / {
        blog $CONTENT;
        blog_posts_per_page 1;
    }
}
END

my $FILES = <<"END";
>>> post.md
---
title: Plain Post
date: 2024-03-03
tags: [Go]
---
The plain post.
>>> _posts/2024-03-01-jekyll-post.md
---
title: Jekyll Post
date: 2024-03-01
tags: [Go]
---
The Jekyll post.
>>> hello/index.md
---
title: Hello
date: 2024-03-02
tags: [Rust]
---
A page bundle with an image: ![a pixel](image.png)
>>> front-only.md
---
title: Front Only
date: 2024-01-01
secret: $MARKER{secret}
---
>>> README.md
# Read me $MARKER{readme}
>>> .env
DB_PASSWORD=$MARKER{dotenv}
>>> .htpasswd
admin:$MARKER{htpasswd}
>>> .git/config
[remote "origin"]
    url = https://$MARKER{gitconfig}\@example.com/x.git
>>> .git/HEAD
ref: refs/heads/$MARKER{githead}
>>> post.md~
---
title: Backup $MARKER{tilde}
---
$MARKER{tilde}
>>> #post.md#
---
title: Autosave $MARKER{hash}
---
$MARKER{hash}
>>> post.md.swp
$MARKER{swp}
>>> .post.md.swp
$MARKER{dotswp}
>>> post.md.bak
---
title: Bak $MARKER{bak}
---
$MARKER{bak}
>>> hello/notes.md~
$MARKER{notes}
>>> hello/.hidden
$MARKER{hidden}
>>> leak.md symlink=../canary.md
>>> dir symlink=..
>>> hello/leak.png symlink=../../canary
>>> self symlink=.
END

# The canary lives in the prefix, outside the content root: as a post, so
# a followed link would list it, and as a plain file.
my $SETUP = sub {
    my ($blog) = @_;
    my $prefix = $blog->prefix;

    write_file("$prefix/canary.md", "---\ntitle: Canary $MARKER{canary}\n"
               . "date: 2024-03-04\n---\n$MARKER{canary}\n");
    write_file("$prefix/canary", "$MARKER{canary}\n");
    write_file($blog->content . "/hello/image.png", $PNG);
};


# The routes a visitor uses, all of them 200 with the content above.
my @ROUTES = qw(
    {P}/ {P}/page/2/ {P}/post/ {P}/jekyll-post/ {P}/hello/ {P}/tags/
    {P}/tags/go/ {P}/tags/go/page/2/ {P}/feed.xml {P}/tags/go/feed.xml
    {P}/sitemap.xml {P}/assets/style.css
);

my $LONG_A = 'a' x 8192;
my $LONG_B = 'b' x 8192;

# [what, request target or "METHOD TARGET VERSION" line, allowed statuses,
#  { then => statuses allowed after following a 301, headers => [...],
#    body => bytes, allow => 1 (a 405 must say "Allow: GET, HEAD"),
#    probe => text the body must not echo }]
# {P} is the blog's prefix: "/blog" or "".
my @CASES = (
    # ".." as nginx sees it: resolved above the blog (404 outside it on
    # the first server) or above the root (400)
    ['dot-dot', '{P}/../', '400 404'],
    ['dot-dot to the canary', '{P}/../canary.md', '400 404'],
    ['%2e%2e', '{P}/%2e%2e/', '400 404'],
    ['%2E%2E', '{P}/%2E%2E/', '400 404'],
    ['.%2e', '{P}/.%2e/', '400 404'],
    ['%2e.', '{P}/%2e./', '400 404'],
    ['%2e%2e to the canary', '{P}/%2e%2e/canary.md', '400 404'],
    ['%2e%2e twice', '{P}/%2e%2e/%2e%2e/canary', '400 404'],
    ['..%2f to /etc/passwd', '{P}/..%2f..%2fetc/passwd', '400 404'],
    ['..%2F to the canary', '{P}/..%2F..%2F..%2Fcanary.md', '400 404'],
    ['..%5c', '{P}/..%5c..%5c', '400 404'],
    ['..%5c to the canary', '{P}/..%5c..%5ccanary.md', '400 404'],
    ['double-encoded dots', '{P}/%252e%252e/', '400 404'],
    ['double-encoded dots and slash', '{P}/%252e%252e%252fcanary.md',
     '301 400 404'],
    ['from a bundle up to the canary', '{P}/hello/..%2f..%2f..%2fcanary.md',
     '400 404'],
    ['from a bundle up, plain', '{P}/hello/../../canary.md', '400 404'],
    ['from a bundle up, %2e', '{P}/hello/%2e%2e/%2e%2e/canary', '400 404'],
    ['overlong UTF-8 dots', '{P}/%c0%ae%c0%ae/', '400 404'],
    ['overlong UTF-8 dots to the canary',
     '{P}/%c0%ae%c0%ae/%c0%ae%c0%ae/canary.md', '400 404'],
    ['3-byte overlong dots', '{P}/%e0%80%ae%e0%80%ae/canary.md', '400 404'],
    ['overlong UTF-8 slash', '{P}/hello%c0%afimage.png', '301 400 404'],

    # symbolic links that leave the root, and one to the root itself
    ['link to the parent', '{P}/dir/', '404'],
    ['through the link to the parent', '{P}/dir/canary.md', '404'],
    ['through the link to the parent, a post', '{P}/dir/canary/', '404'],
    ['a post that links out', '{P}/leak/', '404'],
    ['a post that links out, no slash', '{P}/leak', '301 404'],
    ['the canary by name', '{P}/canary/', '404'],
    ['a bundle file that links out', '{P}/hello/leak.png', '404'],
    ['through a link to the root', '{P}/self/hello/', '404'],
    ['through a link to the root, its image', '{P}/self/hello/image.png',
     '404'],

    # an encoded slash is part of a name, never a separator (DESIGN)
    ['encoded slash into a bundle', '{P}/hello%2fimage.png', '301 404'],
    ['encoded slash to the source', '{P}/hello%2Findex.md', '301 404'],
    ['encoded slash, bundle and slash', '{P}/hello%2fimage.png/', '404'],

    # NUL and control bytes
    ['NUL in a slug', '{P}/hello%00.md/', '400 404'],
    ['NUL after a slug', '{P}/post%00/', '400 404'],
    ['NUL alone', '{P}/%00', '400 404'],
    ['NUL in a bundle file', '{P}/hello/%00image.png', '400 404'],
    ['NUL in a tag', '{P}/tags/go%00/', '400 404'],
    ['SOH in a slug', '{P}/hello%01/', '400 404'],
    ['control bytes and DEL', '{P}/%01%02%7f/', '400 404'],
    ['a control byte in a tag', '{P}/tags/%01/', '400 404'],
    ['a tab in a slug', '{P}/he%09llo/', '400 404'],

    # header injection: no CR or LF may reach a header
    ['CRLF in a slug', '{P}/x%0d%0aX-Injected:%20yes/', '400 404'],
    ['CRLF in a slug to redirect', '{P}/x%0d%0aX-Injected:%20yes',
     '301 400 404'],
    ['LF in a slug to redirect', '{P}/x%0aX-Injected:%20yes', '301 400 404'],
    ['CRLF in a tag to redirect', '{P}/tags/x%0d%0aX-Injected:%20yes',
     '301 400 404'],
    ['CRLF in a page number', '{P}/page/2%0d%0aX-Injected:%20yes',
     '301 400 404'],
    ['CRLF in the query of a redirect',
     '{P}/post?%0d%0aX-Injected:%20yes', '301', { then => '200' }],
    ['CRLF in the query of a page redirect',
     '{P}/page/2?%0d%0aX-Injected:%20yes', '301', { then => '200' }],
    ['CRLFCRLF and a script', '{P}/%0d%0a%0d%0a<script>alert(1)</script>',
     '301 400 404'],
    ['a script in a slug', '{P}/<script>alert(1)</script>/', '400 404'],

    # 8 KB names, and page numbers too big for any counter
    ['8 KB slug', "{P}/$LONG_A/", '404'],
    ['8 KB slug, no slash', "{P}/$LONG_A", '301 404'],
    ['8 KB tag', "{P}/tags/$LONG_B/", '404'],
    ['8 KB tag, no slash', "{P}/tags/$LONG_B", '301 404'],
    ['8 KB tag feed', "{P}/tags/$LONG_B/feed.xml", '404'],
    ['8 KB tag page', "{P}/tags/$LONG_B/page/2/", '404'],
    ['8 KB bundle file', "{P}/hello/$LONG_A.png", '404'],
    ['8 KB of euro signs', '{P}/' . ('%e2%82%ac' x 900) . '/', '404'],
    ['8 KB page number', '{P}/page/' . ('9' x 8192) . '/', '404'],
    ['page 2^64 + 2', '{P}/page/18446744073709551618/', '404'],
    ['page 2^32 + 1', '{P}/page/4294967297/', '404'],
    ['page 999999999', '{P}/page/999999999/', '404'],
    ['page 0', '{P}/page/0/', '404'],
    ['page -1', '{P}/page/-1/', '404'],
    ['tag page 2^32 + 2', '{P}/tags/go/page/4294967298/', '404'],

    # absolute-form request targets
    ['absolute form, a post', 'GET http://localhost{P}/hello/ HTTP/1.1',
     '200', { like => qr{<h1 class="post-title">Hello</h1>} }],
    ['absolute form, dot-dot', 'GET http://localhost{P}/../canary.md HTTP/1.1',
     '400 404'],
    ['absolute form, %2e%2e',
     'GET http://localhost{P}/%2e%2e/%2e%2e/canary HTTP/1.1', '400 404'],
    ['absolute form, a dotfile', 'GET https://localhost{P}/.env/ HTTP/1.1',
     '404'],
    ['absolute form, another host',
     'GET http://evil.example{P}/post HTTP/1.1', '301', { then => '200' }],
    ['asterisk form', 'GET * HTTP/1.1', '400'],

    # the files beside posts that are not posts
    ['a backup beside a bundle', '{P}/hello/notes.md~', '404'],
    ['a bundle\'s Markdown source', '{P}/hello/index.md', '404'],
    ['a bundle\'s source, no extension', '{P}/hello/index', '404'],
    ['a dotfile in a bundle', '{P}/hello/.hidden', '404'],
    ['.env', '{P}/.env', '301 404'],
    ['.env/', '{P}/.env/', '404'],
    ['.htpasswd', '{P}/.htpasswd', '301 404'],
    ['.git/config', '{P}/.git/config', '404'],
    ['.git/HEAD', '{P}/.git/HEAD', '404'],
    ['.git/', '{P}/.git/', '404'],
    ['post.md~', '{P}/post.md~', '301 404'],
    ['post.md~/', '{P}/post.md~/', '404'],
    ['#post.md# encoded', '{P}/%23post.md%23', '301 404'],
    # nginx drops a fragment from the target: this is the index; httpd's
    # core refuses a target with one before any module sees it
    ['#post.md# raw', '{P}/#post.md#', '200',
     { like => qr{<meta property="og:type" content="website">},
       apache => '400' }],
    ['post.md.swp', '{P}/post.md.swp', '301 404'],
    ['.post.md.swp', '{P}/.post.md.swp', '301 404'],
    ['post.md.bak', '{P}/post.md.bak', '301 404'],
    ['post.md.bak/', '{P}/post.md.bak/', '404'],
    ['a post\'s source', '{P}/post.md', '301 404'],
    ['a front-matter-only post', '{P}/front-only/', '200 404'],
    ['README.md', '{P}/README.md', '301 404'],
    ['README/', '{P}/README/', '404'],
    ['the Jekyll folder', '{P}/_posts/', '404'],
    ['a Jekyll source', '{P}/_posts/2024-03-01-jekyll-post.md', '404'],
    ['a Jekyll file name as a slug', '{P}/2024-03-01-jekyll-post/',
     '301 404'],
    ['a bundle file as a folder', '{P}/hello/image.png/', '404'],

    # routes with extra segments
    ['a tag with extra segments', '{P}/tags/x/y/z/', '404'],
    ['a real tag with extra segments', '{P}/tags/go/y/z/', '404'],
    ['a tag page with an extra segment', '{P}/tags/go/page/2/x/', '404'],
    ['a page with an extra segment', '{P}/page/2/x/', '404'],
    ['a page with an extra name', '{P}/page/2/x', '404'],
    ['the feed as a folder', '{P}/feed.xml/x', '404'],
    ['the feed with a slash', '{P}/feed.xml/', '404'],
    ['the sitemap as a folder', '{P}/sitemap.xml/x', '404'],
    ['a tag feed as a folder', '{P}/tags/go/feed.xml/x', '404'],
    ['a post with extra segments', '{P}/hello/x/y/', '404'],
    ['an asset in a folder', '{P}/assets/x/y.css', '404'],

    # the theme's assets
    ['assets up to the canary', '{P}/assets/../../canary', '400 404'],
    ['assets up, %2f', '{P}/assets/..%2f..%2fcanary', '400 404'],
    ['assets up, %2e', '{P}/assets/%2e%2e/%2e%2e/canary.md', '400 404'],
    ['assets up, %5c', '{P}/assets/..%5c..%5ccanary', '400 404'],
    ['assets, a dotfile', '{P}/assets/.env', '404'],
    ['assets, NUL', '{P}/assets/style.css%00.png', '400 404'],
    ['assets, as a folder', '{P}/assets/style.css/', '404'],

    # backslashes
    ['backslashes up to the canary', '{P}/hello\\..\\..\\canary.md',
     '400 404'],
    ['backslash after the prefix', '{P}\\..\\canary.md', '400 404'],
    ['backslashes to a dotfile', '{P}/\\..\\.env', '400 404'],
    ['encoded backslashes', '{P}/%5c%5c', '301 400 404'],

    # "//" runs: nginx merges them, so a real page may answer
    ['// before a post', '{P}//post/', '200 404'],
    ['// before the prefix', '//{P}/post/', '200 404'],
    ['// in a tag', '{P}/tags//go/', '200 404'],
    ['// before a dotfile', '{P}//.env', '301 404'],
    ['// and dot-dot', '{P}///../../canary.md', '400 404'],
    ['/./ before a post', '{P}/./post/', '200 404'],

    # methods nginx itself answers, or the module refuses
    ['TRACE', 'TRACE {P}/post/ HTTP/1.1', '405 501',
     { headers => ['X-Probe: TRACE_PROBE'], probe => 'TRACE_PROBE' }],
    ['PROPFIND', 'PROPFIND {P}/ HTTP/1.1', '405 501',
     { headers => ['Depth: 1'], allow => 1 }],
    ['MKCOL', 'MKCOL {P}/x/ HTTP/1.1', '405 501', { allow => 1 }],
    ['lower-case get', 'get {P}/post/ HTTP/1.1', '400'],
    ['a method with an underscore', 'GE_T {P}/post/ HTTP/1.1', '400 405',
     { allow => 1 }],
    ['CONNECT', 'CONNECT localhost:80 HTTP/1.1', '400 405'],
    ['HEAD on a dotfile', 'HEAD {P}/.env/ HTTP/1.1', '404'],

    # hostile headers
    ['a Host with dot-dot', 'GET {P}/post/ HTTP/1.1', '400',
     { host => '../../etc' }],
    ['the Markdown source of a dotfile', '{P}/.env/', '404',
     { headers => ['Accept: text/markdown'] }],
    ['the Markdown source of a link out', '{P}/leak/', '404',
     { headers => ['Accept: text/markdown'] }],
    ['the Markdown source through the parent', '{P}/dir/canary/', '404',
     { headers => ['Accept: text/markdown'] }],
    ['a range of a link out', '{P}/leak/', '404',
     { headers => ['Range: bytes=0-10'] }],
);

# Query strings on every route: the page answers as without them.
for my $route (@ROUTES) {
    for my $query ('?x=1', '?../../etc/passwd', '?%00', '?%2e%2e%2f.env') {
        push @CASES, ["a query on a route", "$route$query", '200'];
    }
}

push @CASES,
    ['a query on a post redirect', '{P}/post?x=1', '301', { then => '200' }],
    ['dot-dot query on a post redirect', '{P}/post?../../canary.md', '301',
     { then => '200' }],
    ['a query on page 1', '{P}/page/1/?x=1', '301', { then => '200' }],
    ['a query on the tags redirect', '{P}/tags?../.env', '301',
     { then => '200' }];

# Methods other than GET and HEAD on every route: 405, "Allow: GET, HEAD".
for my $route (@ROUTES) {
    for my $method (qw(POST PUT DELETE PATCH OPTIONS)) {
        my %opt = (allow => 1);
        $opt{body} = "x=1&y=../../canary" if $method =~ /^(?:POST|PUT|PATCH)$/;
        push @CASES, ["$method on a route", "$method $route HTTP/1.1", '405',
                      \%opt];
    }
}

push @CASES,
    ['POST on a dotfile', 'POST {P}/.env HTTP/1.1', '405', { allow => 1,
     body => 'x' }],
    ['DELETE on a post', 'DELETE {P}/post/ HTTP/1.1', '405', { allow => 1 }],
    ['PUT on a new post', 'PUT {P}/new.md HTTP/1.1', '405', { allow => 1,
     body => "---\ntitle: New\n---\n" }];


my $blog = start_nginx(config => $CONFIG, http_config => $HTTP_CONFIG,
                       files => $FILES, setup => $SETUP);

if (!$blog) {
    done_testing();
    exit;
}

# the blog's prefix => the server's port index (see Test::Blog::Util)
my %SERVER = ('/blog' => 1, '' => 2);
my $requests = 0;

# The first index of each worker: wait until the posts are listed.
for my $prefix (sort keys %SERVER) {
    my $ready = 0;
    my $deadline = time + 10;

    while (!$ready && time < $deadline) {
        my $r = send_request($blog->port($SERVER{$prefix}),
                             "GET $prefix/post/ HTTP/1.1");
        $ready = ($r->{status} // 0) == 200;
        sleep 0.05 unless $ready;
    }

    ok($ready, "the blog at '$prefix/' serves its posts")
        or BAIL_OUT('no blog');
}

for my $case (@CASES) {
    for my $prefix (sort keys %SERVER) {
        run_case($case, $prefix, $blog->port($SERVER{$prefix}));
    }
}

note(scalar(@CASES) . " cases, $requests requests");


# After the barrage, the good posts and the bundle's image.

for my $prefix (sort keys %SERVER) {
    my $port = $SERVER{$prefix};

    for (['post', 'Plain Post'], ['jekyll-post', 'Jekyll Post'],
         ['hello', 'Hello'])
    {
        my ($slug, $title) = @$_;
        my $r = $blog->request('GET', "$prefix/$slug/", port => $port);

        is($r->{status}, 200, "after the barrage, GET $prefix/$slug/ is 200");
        like($r->{body} // '', qr{<h1 class="post-title">\Q$title\E</h1>},
             "after the barrage, $prefix/$slug/ shows its title");
        no_secret($r->{body} // '', "$prefix/$slug/ holds no file that is"
                                    . " not a post");
    }

    my $r = $blog->request('GET', "$prefix/", port => $port);
    is($r->{status}, 200, "after the barrage, GET $prefix/ is 200");
    no_secret($r->{body} // '', "the index at '$prefix/' lists no file that"
                                 . " is not a post");

    # DESIGN: P/SLUG/FILE is a file beside the post, served as nginx
    # serves static files.
    $r = $blog->request('GET', "$prefix/hello/image.png", port => $port);
    is($r->{status}, 200, "GET $prefix/hello/image.png (a bundle's image)"
                          . " is 200");
    is($r->{headers}{'content-type'}, 'image/png',
       "$prefix/hello/image.png is image/png");
    ok(defined $r->{body} && $r->{body} eq $PNG,
       "$prefix/hello/image.png is the image's bytes")
        or diag("got " . length($r->{body} // '') . " bytes, want "
                . length($PNG));
}

like($blog->log, qr{blog: "[^"]*/leak\.md": [^\n]*symbolic link}i,
     'the error log names the link that leads out of the root');

$blog->stop;

done_testing();


# A case against one server: the status is one the table allows, nothing
# leaks, a 301 leads somewhere the table allows, a 405 says what is allowed.

sub run_case {
    my ($case, $prefix, $port) = @_;
    my ($what, $target, $allowed, $opt) = @$case;
    $opt //= {};

    (my $line = $target) =~ s/\{P\}/$prefix/g;
    $line = "GET $line HTTP/1.1" unless $line =~ / /;

    my $name = "$what: " . shorten($line) . " (blog at '$prefix/')";
    my $r = send_request($port, $line, %$opt);

    if ($r->{error}) {
        fail("$name - a response");
        diag($r->{error});
        return;
    }

    # where httpd's core answers before mod_blog (TEST_BLOG_SERVER=apache)
    $allowed = $opt->{apache}
        if ($ENV{TEST_BLOG_SERVER} // '') eq 'apache'
           && defined $opt->{apache};

    my %ok = map { $_ => 1 } split ' ', $allowed;

    ok($ok{$r->{status}}, "$name - status $r->{status} is one of $allowed")
        or diag("the response was:\n" . shorten($r->{raw}, 1500));

    check_response($name, $r, $opt);

    if ($r->{status} == 301) {
        my $location = $r->{headers}{location} // '';

        my ($path) = $location =~ m{^(?:https?://[^/]*)?(/[^\r\n]*)$};
        ok(defined $path, "$name - the redirect has a Location")
            or diag("Location: $location");
        return unless defined $path;

        my $then = send_request($port, "GET $path HTTP/1.1");
        my %then_ok = map { $_ => 1 } split ' ', $opt->{then} // '400 404';

        ok(!$then->{error} && $then_ok{$then->{status}},
           "$name - its redirect to " . shorten($path) . " is "
           . ($opt->{then} // '400 404'))
            or diag($then->{error} // "status $then->{status}");
        check_response("$name, redirected", $then, {}) unless $then->{error};
    }
}


sub check_response {
    my ($name, $r, $opt) = @_;
    my @problems;

    push @problems, "a 5xx status" if $r->{status} >= 500
                                      && $r->{status} != 501;

    for my $file (sort keys %MARKER) {
        push @problems, "the $file marker"
            if index($r->{raw}, $MARKER{$file}) >= 0;
    }

    for my $header (qw(x-injected set-cookie)) {
        push @problems, "an injected $header header"
            if exists $r->{headers}{$header};
    }

    # a bare LF or CR would start a header of its own in some clients
    push @problems, "a bare CR or LF in the head"
        if $r->{head} =~ /\r(?!\n)|(?<!\r)\n/;

    push @problems, "an unescaped <script> from the URL"
        if $r->{body} =~ /<script>alert\(/i;

    push @problems, "the echoed $opt->{probe}"
        if $opt->{probe} && index($r->{body}, $opt->{probe}) >= 0;

    ok(!@problems, "$name - no 5xx, no leak, no injection")
        or diag("found " . join(', ', @problems) . " in:\n"
                . shorten($r->{raw}, 1500));

    if ($opt->{allow} && $r->{status} == 405) {
        is($r->{headers}{allow}, 'GET, HEAD', "$name - Allow: GET, HEAD");
    }

    if ($opt->{like} && $r->{status} == 200) {
        like($r->{body}, $opt->{like}, "$name - the page is the one named");
    }
}


sub no_secret {
    my ($text, $name) = @_;
    my @found = grep { index($text, $MARKER{$_}) >= 0 } sort keys %MARKER;

    ok(!@found, $name) or diag("found the markers of: @found");
}


# Sends the request line, a Host, "Connection: close", the case's headers
# and body as exact bytes; reads until nginx closes.  An HTTP/0.9-style
# answer (no status line) is status 0.

sub send_request {
    my ($port, $line, %opt) = @_;
    my $body = $opt{body} // '';
    my $head = "$line\r\nHost: " . ($opt{host} // 'localhost') . "\r\n"
               . "Connection: close\r\n";

    $head .= "$_\r\n" for @{ $opt{headers} || [] };
    $head .= "Content-Length: " . length($body) . "\r\n" if length $body;

    my $bytes = "$head\r\n$body";
    $requests++;

    my $socket = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
                                       PeerPort => $port, Proto => 'tcp',
                                       Timeout => 5)
        or return { error => "cannot connect to 127.0.0.1:$port: $!" };

    my $sent = 0;
    while ($sent < length $bytes) {
        my $n = syswrite($socket, $bytes, length($bytes) - $sent, $sent);
        last unless $n;         # nginx may answer and close before the end
        $sent += $n;
    }

    my $select = IO::Select->new($socket);
    my $deadline = time + 10;
    my $raw = '';

    while (time < $deadline) {
        last unless $select->can_read($deadline - time);
        my $n = sysread($socket, $raw, 65536, length $raw);
        last unless $n;
    }

    my $timed_out = time >= $deadline;
    close $socket;

    return { error => "no response within 10 s:\n" . shorten($raw, 500) }
        if $timed_out;
    return { error => "no response at all" } if $raw eq '';

    if ($raw !~ m{\AHTTP/\d\.\d (\d{3})}) {
        return { status => 0, headers => {}, head => '', body => $raw,
                 raw => $raw };
    }

    my $status = $1;
    my ($head_text, $rest) = split /\r\n\r\n/, $raw, 2;
    my %h;

    for my $l (split /\r\n/, $head_text) {
        my ($k, $v) = $l =~ /^([^:\s]+):[ \t]*(.*?)\s*$/ or next;
        $k = lc $k;
        $h{$k} = exists $h{$k} ? "$h{$k}, $v" : $v;
    }

    return { status => $status, headers => \%h, head => $head_text,
             body => $rest // '', raw => $raw };
}


sub shorten {
    my ($text, $limit) = @_;
    $limit //= 120;
    $text //= '';
    $text =~ s/([^\x20-\x7e\n])/sprintf '\\x%02x', ord $1/ge;

    return $text if length $text <= $limit;
    return substr($text, 0, $limit) . "... (" . length($text) . " bytes)";
}
