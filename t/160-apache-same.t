# The example blog through nginx and through Apache httpd with the same
# settings: for the index, a listing page, a post and its redirect, the
# tags, a tag page, the feeds, the sitemap, a 404 and an asset, both
# answer with the same status, body bytes, ETag and Content-Type (and a
# redirect with the same Location), with the page cache on, and again
# compressed where gzip is on for the location.  What the blog stores
# compressed (pages, assets) is the same bytes; what each server's own
# filter compresses on the fly (the 404 page) is compared inflated, and
# Vary as the list of names it is (httpd writes it without spaces).

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use File::Temp qw(tempdir);
use IO::Uncompress::Gunzip qw(gunzip);
use Test::More;

use Test::Blog;
use Test::Blog::Apache;
use Test::Blog::HTTP qw(http_request);
use Test::Blog::Nginx;

my $missing = Test::Blog::Apache::missing();
plan skip_all => $missing if $missing;

Test::Blog::Nginx::skip_all_under_valgrind('it runs Apache beside nginx');

my $ROOT = "$FindBin::Bin/..";

# the example blog, where both servers' users may read it
umask 022;
my $content = tempdir('test-blog-same-XXXXXX', TMPDIR => 1, CLEANUP => 1);
chmod 0755, $content;
system('cp', '-R', "$ROOT/contrib/example/posts/.", $content) == 0
    or BAIL_OUT("cannot copy the example blog");

opendir my $dh, $content or die "$content: $!\n";
my @posts = sort grep { /\.md$/ } readdir $dh;
closedir $dh;

my ($first) = map { /^\d{4}-\d\d-\d\d-(.+)\.md$/ ? $1 : () } reverse @posts;

my @uris = ('/blog/', '/blog/page/2/', "/blog/$first/", "/blog/$first",
            '/blog/tags/', '/blog/tags/python/', '/blog/feed.xml',
            '/blog/tags/python/feed.xml', '/blog/sitemap.xml',
            '/blog/no-such-post/', '/blog/assets/style.css',
            '/blog/assets/style.css?v=0', "/blog/$first/?a=1",
            '/blog/assets/none.css');

my $nginx = Test::Blog::Nginx->new(binary => $ENV{TEST_NGINX_BINARY}
                                             || '/usr/sbin/nginx',
                                   module => Test::Blog::module_path());
my $apache = Test::Blog::Apache->new(mpm => 'event');

for my $gzip (0, 1) {
    my $name = $gzip ? 'gzip on' : 'plain';

    $nginx->write_config(
        http => "blog_cache_zone blog:8m;\n"
                . ($gzip ? "gzip on;\ngzip_types *;\n" : ''),
        server => <<"END");
        location /blog/ {
            blog $content;
            blog_cache blog;
            blog_title "Same Blog";
            blog_base_url http://blog.example;
        }
END

    $apache->write_config(<<"END", modules => $gzip ? ['deflate'] : []);
<Location /blog/>
    Blog $content
    BlogCache shmcb:${\ $apache->prefix }/logs/blog_cache(4194304)
    BlogTitle "Same Blog"
    BlogBaseURL http://blog.example
    ${\ ($gzip ? 'SetOutputFilter DEFLATE' : '') }
</Location>
END

    my $problem = $nginx->start;
    is($problem, '', "$name: nginx starts") or next;
    $problem = $apache->start;
    is($problem, '', "$name: Apache starts") or next;

    my @headers = $gzip ? ("Accept-Encoding: gzip") : ();

    for my $uri (@uris) {
        # twice each: a render, then the cache
        for my $round ('rendered', 'cached') {
            my $request = join "\n", "GET $uri", @headers;
            my $n = http_request($nginx->port, $request);
            my $a = http_request($apache->port, $request);
            my $what = "$name, $round: $uri";

            is($a->{status}, $n->{status}, "$what: same status")
                or diag($a->{error} // '', $n->{error} // '');

            if (($n->{status} // 0) == 301) {
                # each server's own address, then the same path
                my ($al, $nl) = ($a->{headers}{location} // '',
                                 $n->{headers}{location} // '');
                my $ap = $apache->port;
                my $np = $nginx->port;

                ok($al =~ s{^http://127\.0\.0\.1:$ap/}{/}
                   && $nl =~ s{^http://127\.0\.0\.1:$np/}{/} && $al eq $nl,
                   "$what: same Location") or diag("$al / $nl");
                next;
            }

            my ($ab, $nb) = ($a->{body}, $n->{body});

            if (($n->{status} // 0) != 200) {
                $ab = inflated($a);
                $nb = inflated($n);
            }

            ok(defined $ab && defined $nb && $ab eq $nb,
               "$what: same body bytes")
                or diag("nginx " . length($nb // '') . " bytes, "
                        . "Apache " . length($ab // '') . " bytes");

            for my $h ('etag', 'content-type', 'content-encoding') {
                next if $h eq 'content-encoding' && $n->{status} != 200;
                is(lc($a->{headers}{$h} // ''), lc($n->{headers}{$h} // ''),
                   "$what: same $h");
            }

            is(vary($a), vary($n), "$what: same Vary") if $gzip;
        }
    }

    # compressed, the bytes are gzip's of the same page
    if ($gzip) {
        my $a = http_request($apache->port,
                             "GET /blog/\nAccept-Encoding: gzip");
        my $p = http_request($apache->port, "GET /blog/");
        my $plain;
        gunzip(\$a->{body} => \$plain, Transparent => 0);
        is($a->{headers}{'content-encoding'}, 'gzip', 'Apache sends gzip');
        ok(defined $plain && $plain eq $p->{body},
           'and it inflates to the plain page');
    }

    my @lines = grep { /\[(?:emerg|alert|crit|error)\]|\b:error\]/ }
                $apache->new_log_lines;
    is_deeply(\@lines, [], "$name: nothing wrong in Apache's error log");

    $nginx->stop;
    $apache->stop;
}

done_testing;


sub inflated {
    my ($r) = @_;
    my $body = $r->{body};

    return $body unless ($r->{headers}{'content-encoding'} // '') eq 'gzip';

    my $plain;
    gunzip(\$body => \$plain, Transparent => 0) or return undef;
    return $plain;
}


sub vary {
    my ($r) = @_;
    return join ',', sort map { lc } split /\s*,\s*/,
                                     $r->{headers}{vary} // '';
}
