# A request that nginx terminates while it waits for a render in the
# thread pool: a bad chunk in its body, or a declared body that never
# comes within lingering_timeout.  The render still finishes; the page
# must still answer, the requests that waited for the same render must
# be answered, no worker may die, and a reload must retire the old worker.
#
# One worker and one thread, so that the requests meet: long posts hold
# the thread while the terminated request and another one for the same
# page wait behind it.  malloc fills freed memory (MALLOC_PERTURB_), so
# memory used after it was freed shows.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use Test::Blog::Util qw(start_nginx poll read_replies);
use Test::More;
use Time::HiRes qw(sleep);

# valgrind runs nginx as one process, many times slower: no reload then,
# and longer waits
my $VALGRIND = Test::Blog::Nginx::under_valgrind();
my $SLOW = $VALGRIND ? 20 : 1;
my $PAUSE = $VALGRIND ? 0.2 : 0.05;     # between requests that must meet

# about 3 MB of Markdown, a tenth of a second or more to render: the one
# thread renders $LONGS of them before the short post
my $LONGS = 4;
my $LONG = join '', map { "Paragraph $_ with *emphasis*, `code` and a "
                          . "[link](/x$_) among plain words.\n\n" }
           1 .. 40000 / ($SLOW > 1 ? 5 : 1);

my @TRIGGERS = (
    [ 'a bad chunk',
      "Transfer-Encoding: chunked\r\n", "zz\r\n" ],
    [ 'a body that never comes',
      "Content-Length: 100\r\n", '' ],
);

$ENV{MALLOC_PERTURB_} = 165;

for my $cache (1, 0) {
    for my $trigger (@TRIGGERS) {
        run_case($cache, @$trigger);
    }
}

done_testing();


sub run_case {
    my ($cache, $what, $header, $body) = @_;
    my $name = ($cache ? 'cache on' : 'cache off') . ", $what";

    my $blog = start_nginx(
        workers => 1,
        main_config => 'thread_pool default threads=1;',
        http_config => ($cache ? 'blog_cache_zone pages:16m;' : '')
                       . "\nlingering_timeout 100ms;",
        config => <<END,
location /blog/ {
    blog \$CONTENT;
    blog_max_post_size 8m;
    @{[ $cache ? 'blog_cache pages;' : '' ]}
}
END
        files => join('', map { ">>> long-$_.md\n---\ntitle: Long $_\n"
                                . "date: 2024-01-01\n---\n$LONG\n" }
                              1 .. $LONGS)
                 . ">>> short.md\n---\ntitle: Short\ndate: 2024-01-02\n---\n"
                 . "A short post.\n"
                 . ">>> other.md\n---\ntitle: Other\ndate: 2024-01-03\n---\n"
                 . "Another post.\n");

    return unless $blog;

    is($blog->get('/blog/')->{status}, 200, "$name: the index answers");

    # the long posts take the thread; the short one waits behind them for
    # two requests, the first of which nginx then terminates

    my @long = map { $blog->send_raw("GET /blog/long-$_/ HTTP/1.0\r\n"
                                      . "Host: localhost\r\n\r\n") }
               1 .. $LONGS;
    sleep $PAUSE;

    my $doomed = $blog->send_raw("GET /blog/short/ HTTP/1.1\r\n"
                                 . "Host: localhost\r\n$header\r\n");
    sleep $PAUSE;

    my $follower = $blog->send_raw("GET /blog/short/ HTTP/1.0\r\n"
                                   . "Host: localhost\r\n\r\n");
    sleep $PAUSE;

    syswrite($doomed, $body) if length $body;

    my %reply = read_replies(15 * $SLOW, @long, $follower, $doomed);

    is(scalar(grep { $reply{$_} =~ m{^HTTP/1\.\d 200 .*Long \d}s } @long),
       $LONGS, "$name: the long posts answer");
    like($reply{$follower}, qr{^HTTP/1\.\d 200 .*A short post}s,
         "$name: the request that waited beside the terminated one answers");

    for my $uri ('/blog/short/', '/blog/other/', '/blog/long-1/') {
        my $r = $blog->get($uri);
        is($r->{status}, 200, "$name: GET $uri afterwards");
    }

    if (!$VALGRIND) {
        my @old = $blog->workers;
        ok($blog->reload, "$name: a reload starts a new worker");

        my ($gone, $took) = poll(5, sub { !grep { kill 0, $_ } @old });
        ok($gone, "$name: the old worker exits after the reload")
            or diag(sprintf "still running after %.1f s: @old", $took);

        is($blog->get('/blog/short/')->{status}, 200,
           "$name: the page answers after the reload");
    }

    my @crashes = grep { /exited on signal/ }
                  split /\n/, $blog->log;
    is(join("\n", @crashes), '', "$name: no worker died");

    $blog->stop;
}
