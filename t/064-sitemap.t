# The sitemap, P/sitemap.xml: the index, every post with its last change
# and every tag page, as absolute URLs; no draft, no post dated in the
# future, no tag only they carry; valid against the sitemaps.org 0.9
# schema (t/schema/sitemap.xsd), which must also reject a broken sitemap.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use Cwd qw(abs_path);
use File::Basename qw(dirname);
use File::Temp qw(tempdir);
use POSIX ();
use Test::Blog qw(run_tests write_file);
use Test::Blog::Util qw(start_nginx);
use Test::More;

# The repository, where the harness is.
my $ROOT = abs_path(dirname($INC{"Test/Blog.pm"}) . "/../../..");

my $SCHEMA = "$ROOT/t/schema/sitemap.xsd";

my $CONFIG = <<'END';
location /blog/ {
    blog $CONTENT;
    blog_base_url https://blog.example.com;
}
END

my $FILES = <<'END';
>>> alpha.md
---
title: Alpha
date: 2024-03-01
lastmod: 2024-03-05
tags: [Go, Next.js]
---
The first post.
>>> beta.md
---
title: Beta
date: 2024-03-02
tags: [Go]
---
The second post.
>>> draft-post.md
---
title: Draft
date: 2024-03-03
draft: true
tags: [Secret]
---
Not yet.
>>> future-post.md
---
title: Future
date: 2099-01-01
tags: [Later]
---
Not yet.
END

my $tmp = tempdir('sitemap-XXXXXX', TMPDIR => 1, CLEANUP => 1);


my $blog = start_nginx(config => $CONFIG, files => $FILES);

if ($blog) {
    check_schema($blog->get('/blog/sitemap.xml'));
    $blog->stop;
}

run_tests(config => $CONFIG, files => $FILES);


# The sitemap is valid against the sitemaps.org schema, and that check can
# fail: a <url> without its <loc> is no sitemap.

sub check_schema {
    my ($r) = @_;

    is($r->{status}, 200, 'GET /blog/sitemap.xml - status') or return;

    my ($status, $output) = xmllint($r->{body});
    is($status, 0, 'the sitemap is valid against the sitemaps.org schema')
        or diag($output);

    my $broken = $r->{body} =~ s{<loc>[^<]*</loc>}{}r;
    isnt($broken, $r->{body}, 'a <url> without <loc> is made');

    ($status, $output) = xmllint($broken);
    isnt($status, 0, 'xmllint rejects a <url> without <loc>');
    like($output, qr/fails to validate/, 'xmllint says why')
        or diag($output);
}


sub xmllint {
    my ($xml) = @_;
    my $file = "$tmp/sitemap.xml";

    write_file($file, $xml);

    my $pid = open(my $out, '-|');
    die "fork: $!\n" unless defined $pid;

    if ($pid == 0) {
        open STDERR, '>&', \*STDOUT;
        my @command = ('xmllint', '--noout', '--schema', $SCHEMA, $file);
        { no warnings 'exec'; exec { $command[0] } @command; }
        print "cannot run xmllint (Debian: libxml2-utils): $!\n";
        POSIX::_exit(127);
    }

    local $/;
    my $output = <$out> // '';
    close $out;

    return ($? >> 8, $output);
}

__DATA__

=== TEST 1: the sitemap is XML in the sitemaps.org namespace
--- request
GET /blog/sitemap.xml
--- error_code: 200
--- response_headers
Content-Type: ~^application/xml(?:;|$)
--- response_body_like
\A<\?xml version="1\.0" encoding="utf-8"\?>\s*<urlset xmlns="http://www\.sitemaps\.org/schemas/sitemap/0\.9">



=== TEST 2: it lists the index
--- request
GET /blog/sitemap.xml
--- error_code: 200
--- response_body_like
<loc>https://blog\.example\.com/blog/</loc>



=== TEST 3: it lists every post with its last change
--- request
GET /blog/sitemap.xml
--- error_code: 200
--- response_body_like
<loc>https://blog\.example\.com/blog/alpha/</loc>\s*<lastmod>2024-03-05(?:T00:00:00(?:Z|\+00:00))?</lastmod>
<loc>https://blog\.example\.com/blog/beta/</loc>\s*<lastmod>[^<]+</lastmod>



=== TEST 4: it lists every tag page
--- request
GET /blog/sitemap.xml
--- error_code: 200
--- response_body_like
<loc>https://blog\.example\.com/blog/tags/go/</loc>
<loc>https://blog\.example\.com/blog/tags/next-js/</loc>



=== TEST 5: drafts, future posts and their tags are not in it
--- request
GET /blog/sitemap.xml
--- error_code: 200
--- response_body_unlike
/blog/draft-post/
/blog/future-post/
/blog/tags/secret/
/blog/tags/later/
