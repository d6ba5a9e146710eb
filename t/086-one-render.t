# A page that is not in the cache renders once per worker, however many
# requests ask for it at the same moment: the others wait for that render
# and are answered from the cache.  Sixteen requests for a post that takes
# a while to render arrive together; the access log's $blog_cache_status
# says how many rendered it (MISS) and how many got the stored page (HIT).

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use Test::Blog::Util qw(start_nginx poll read_replies);
use Test::More;

my $CLIENTS = 16;
my $WORKERS = 2;        # the harness's worker_processes

# about 600 KB of Markdown: long enough to render that the requests meet
my $BODY = join '', map { "Paragraph $_ with *emphasis*, `code` and a "
                          . "[link](/x$_) among plain words.\n\n" } 1 .. 8000;

my $blog = start_nginx(
    http_config => <<'END',
blog_cache_zone pages:16m;
log_format status '$request_uri $status $blog_cache_status';
END
    config => <<'END',
access_log $PREFIX/logs/status.log status;

location /blog/ {
    blog $CONTENT;
    blog_cache pages;
    blog_max_post_size 4m;
}
END
    files => ">>> big.md\n---\ntitle: Big\ndate: 2024-01-01\n---\n$BODY");

if ($blog) {
    run_cases();
    $blog->stop;
}

done_testing();


sub run_cases {

    # the index is built: the first request of the test is the post's
    my $r = $blog->get('/blog/');
    is($r->{status}, 200, 'the index answers');

    # every request on the wire before the first render can finish
    my @socks = map { $blog->send_raw("GET /blog/big/ HTTP/1.0\r\n"
                                      . "Host: localhost\r\n\r\n") }
                1 .. $CLIENTS;

    my %reply = read_replies(30, @socks);

    my @bodies = map { (split /\r\n\r\n/, $reply{"$_"}, 2)[1] // '' } @socks;
    my @status = map { $reply{"$_"} =~ m{^HTTP/1\.\d (\d+)} ? $1 : 'none' }
                 @socks;

    is(join(' ', grep { $_ ne '200' } @status), '',
       "all $CLIENTS requests answer 200");
    like($bodies[0], qr{<h1 class="post-title">Big</h1>}, 'the post');
    is(scalar(grep { $_ ne $bodies[0] } @bodies), 0,
       'every request got the same bytes');

    my @lines;

    poll(2, sub {
        open my $fh, '<', $blog->prefix . '/logs/status.log' or return 0;
        @lines = grep { m{^/blog/big/ } } <$fh>;
        return @lines >= $CLIENTS;
    });

    my $misses = grep { / MISS$/ } @lines;
    my $hits = grep { / HIT$/ } @lines;

    is(scalar @lines, $CLIENTS, 'each request is logged');
    ok($misses >= 1 && $misses <= $WORKERS,
       "the post rendered once per worker at most ($misses renders)")
        or diag(join '', @lines);
    is($hits, $CLIENTS - $misses, 'the other requests got the stored page');
}
