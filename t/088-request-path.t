# What the request path promises around its edges: a request that waited
# for another's render sends each Vary once; the status page is never a
# 304 and has no empty ETag; a made-up Host makes no cache entry and
# shows nowhere; a full thread queue answers 503 with Retry-After instead
# of rendering on the event loop.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use JSON::PP qw(decode_json);
use Test::Blog::HTTP qw(raw_request);
use Test::Blog::Util qw(start_nginx poll read_replies);
use Test::More;
use Time::HiRes qw(sleep);

# valgrind runs nginx as one process, many times slower: longer waits
my $SLOW = Test::Blog::Nginx::under_valgrind() ? 20 : 1;
my $PAUSE = $SLOW > 1 ? 0.2 : 0.05;     # between requests that must meet

# about 3 MB of Markdown: a tenth of a second or more to render
my $LONG = join '', map { "Paragraph $_ with *emphasis*, `code` and a "
                          . "[link](/x$_) among plain words.\n\n" }
           1 .. 40000 / ($SLOW > 1 ? 5 : 1);

my $POSTS = join '', map { ">>> long-$_.md\n---\ntitle: Long $_\n"
                           . "date: 2024-01-0$_\n---\n$LONG\n" } 1 .. 4;
$POSTS .= ">>> short.md\n---\ntitle: Short\ndate: 2024-02-01\n---\n"
          . "A short post.\n";

followers_send_vary_once();
status_page();
made_up_host();
full_queue();

done_testing();


# One thread: the long posts hold it while two requests for the short one
# wait, the second for the first one's render.

sub followers_send_vary_once {
    my $blog = start_nginx(
        workers => 1,
        main_config => 'thread_pool default threads=1;',
        http_config => "blog_cache_zone pages:32m;\ngzip on;",
        config => <<'END',
location /blog/ {
    blog $CONTENT;
    blog_cache pages;
    blog_max_post_size 8m;
    add_header X-Cache $blog_cache_status always;
}
END
        files => $POSTS) or return;

    is($blog->get('/blog/')->{status}, 200, 'the index answers');

    my @long = map { send_request($blog, "/blog/long-$_/") } 1 .. 3;
    sleep $PAUSE;
    my @short = map { send_request($blog, '/blog/short/') } 1 .. 2;

    my %reply = read_replies(15 * $SLOW, @long, @short);

    for my $i (0, 1) {
        my $head = (split /\r\n\r\n/, $reply{$short[$i]}, 2)[0] // '';
        my @vary = $head =~ /^Vary: *(.*?)\r?$/mgi;
        my ($cache) = $head =~ /^X-Cache: *(\w+)/mi;

        like($head, qr{^HTTP/1\.\d 200}, "short post, request $i: 200");
        is(join(', ', sort @vary), 'Accept, Accept-Encoding',
           "short post, request $i ($cache): each Vary once");
    }

    my ($second) = $reply{$short[1]} =~ /^X-Cache: *(\w+)/mi;
    is($second // '', 'HIT', 'the second request waited for the first '
                             . 'render and got it from the cache');

    $blog->stop;
}


sub status_page {
    my $blog = start_nginx(
        http_config => 'blog_cache_zone pages:1m;',
        config => <<'END',
location /blog/ {
    blog $CONTENT;
    blog_cache pages;
}
location = /status {
    blog_status;
}
END
        files => $POSTS) or return;

    my $r = $blog->get('/status', 'If-None-Match' => '*');

    is($r->{status}, 200, 'the status page with If-None-Match: * is 200');
    like($r->{body}, qr/"module":"ngx_http_blog_module"/,
         '... with the figures');
    ok(!exists $r->{headers}{etag},
       '... and no ETag, empty or not: it is made per request')
        or diag("ETag: '$r->{headers}{etag}'");
    is($r->{headers}{'cache-control'}, 'no-store', '... not to be stored');

    $blog->stop;
}


sub made_up_host {
    my $blog = start_nginx(
        http_config => 'blog_cache_zone pages:4m;',
        config => <<'END',
location /blog/ {
    blog $CONTENT;
    blog_cache pages;
}
location = /status {
    blog_status;
}
END
        files => $POSTS) or return;

    my $port = $blog->port;
    my $r = get_host($blog, "localhost:$port");

    like($r->{body},
         qr{<link rel="canonical" href="http://localhost:$port/blog/">},
         'a Host that is the server name makes the links');

    my $before = entries($blog);

    for my $n (1 .. 8) {
        $r = get_host($blog, "made-up-$n.example:$n$n");
        is($r->{status}, 200, "Host made-up-$n.example: the index");
        unlike($r->{body}, qr/made-up/, '... which never shows that Host');
        like($r->{body},
             qr{<link rel="canonical" href="http://localhost:$port/blog/">},
             '... and links to the server name instead');
    }

    my $after = entries($blog);
    ok($after - $before <= 1,
       "eight made-up Hosts add at most one cache entry ($before, then "
       . "$after)");

    $r = get_host($blog, 'localhost:1');
    like($r->{body}, qr{<link rel="canonical" href="http://localhost/blog/">},
         'a port in Host that is not the one the request came to is not '
         . 'shown');

    $blog->stop;
}


# One thread and room for one task in its queue: of five renders asked at
# once, some get 503 with Retry-After, none waits on the event loop.

sub full_queue {
    my $blog = start_nginx(
        workers => 1,
        main_config => 'thread_pool default threads=1 max_queue=1;',
        config => <<'END',
location /blog/ {
    blog $CONTENT;
    blog_max_post_size 8m;
}
END
        files => $POSTS) or return;

    is($blog->get('/blog/')->{status}, 200, 'the index answers');

    my @socks = map { send_request($blog, "/blog/long-$_/") } 1 .. 4;
    push @socks, send_request($blog, '/blog/short/');

    my %reply = read_replies(15 * $SLOW, @socks);
    my @status = map { $reply{$_} =~ m{^HTTP/1\.\d (\d+)} ? $1 : 'none' }
                 @socks;

    ok((grep { $_ eq '503' } @status), "a full queue answers 503 (@status)");
    is(join(' ', grep { $_ ne '503' && $_ ne '200' } @status), '',
       'the others are answered 200');

    for my $s (grep { $reply{$_} =~ m{^HTTP/1\.\d 503} } @socks) {
        like($reply{$s}, qr/^Retry-After: 1\r?$/mi,
             '503 says when to come back');
    }

    my ($ok) = poll(5 * $SLOW, sub {
        $blog->get('/blog/long-4/')->{status} == 200
    });
    ok($ok, 'the pages answer once the queue has room');

    my @warn = grep { /the thread pool's queue is full: pages/ }
               split /\n/, $blog->log;
    is(scalar @warn, 1, 'the module says so once, for the pages');

    $blog->stop;
}


sub get_host {
    my ($blog, $host) = @_;
    return raw_request($blog->port, "GET /blog/ HTTP/1.1\nHost: $host\n"
                                    . "Connection: close");
}


sub entries {
    my ($blog) = @_;
    my $r = $blog->get('/status');
    return decode_json($r->{body})->{caches}[0]{entries};
}


sub send_request {
    my ($blog, $uri) = @_;
    return $blog->send_raw("GET $uri HTTP/1.0\r\nHost: localhost\r\n"
                           . "Accept-Encoding: gzip\r\n\r\n");
}
