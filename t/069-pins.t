# Cached pages are sent straight from the zone, pinned while they are
# sent.  A client that reads a large page slowly holds its pin: the page
# it is reading is replaced by an edit and then evicted by other pages,
# and it still gets every byte of the version it asked for, while other
# clients get the new one; at the end no pin and no retired page is left.
# A worker killed with SIGKILL while it sends a page leaves its pins
# behind; the worker the master starts in its place releases them and
# frees the retired page, and says so in the log.  blog_status shows the
# pins, the retired pages and the pins released.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use IO::Select;
use IO::Socket::INET;
use JSON::PP qw(decode_json);
use Socket qw(SOL_SOCKET SO_RCVBUF pack_sockaddr_in inet_aton);
use Test::Blog::Util qw(start_nginx poll save_atomically);
use Test::Blog::Nginx;
use Test::More;
use Time::HiRes qw(sleep time);


# a server whose sockets send little at a time, so that a client that
# does not read keeps its response unsent; the cache zone holds two
# versions of the large page and little else
my $HTTP_CONFIG = <<'END';
blog_cache_zone pins:8m;

server {
    listen 127.0.0.1:$PORT2 sndbuf=16k;

    location /blog/ {
        blog $CONTENT;
        blog_cache pins;
        blog_check_interval 100ms;
        add_header X-Cache $blog_cache_status always;
        add_header X-Pid $pid always;
    }

    location = /status {
        blog_status;
    }
}
END

my $CONFIG = <<'END';
location / {
    return 204;
}
END


# about KB kilobytes of words that compress as prose does, the same for
# the same SEED

sub words {
    my ($kb, $seed) = @_;
    my @letters = ('a' .. 'z');
    my ($text, $x) = ('', $seed);

    while (length $text < $kb * 1024) {
        my $word = '';
        for (1 .. 2 + $x % 8) {
            $x = ($x * 1103515245 + 12345) % 2147483648;
            $word .= $letters[($x >> 16) % 26];
        }
        $text .= $word . (($x >> 8) % 13 ? ' ' : ".\n\n");
    }

    return $text;
}


sub post {
    my ($title, $body) = @_;
    return "---\ntitle: $title\ndate: 2024-03-01\n---\n$body\n";
}


sub status {
    my ($blog) = @_;
    my $r = $blog->request('GET', '/status', port => 2);
    return undef unless $r->{status} == 200;
    return decode_json($r->{body})->{caches}[0];
}


# GET URI with a small receive buffer, reading the headers alone: the
# socket and the headers (lowercase names), or undef

sub slow_get {
    my ($blog, $uri) = @_;
    my $s = IO::Socket::INET->new(Proto => 'tcp') or return undef;

    setsockopt($s, SOL_SOCKET, SO_RCVBUF, 4096) or return undef;
    $s->connect(pack_sockaddr_in($blog->port(2), inet_aton('127.0.0.1')))
        or return undef;

    my $req = "GET $uri HTTP/1.1\r\nHost: localhost\r\n"
              . "Connection: close\r\n\r\n";
    syswrite($s, $req) == length $req or return undef;

    my ($head, $select, $deadline) = ('', IO::Select->new($s), time + 5);

    while ($head !~ /\r\n\r\n/ && time < $deadline) {
        last unless $select->can_read($deadline - time);
        last unless sysread($s, $head, 1, length $head);
    }

    return undef unless $head =~ /\r\n\r\n\z/;

    my %h = map { /^([^:]+):\s*(.*?)\s*$/ ? (lc $1 => $2) : () }
            split /\r\n/, $head;
    ($h{status}) = $head =~ m{^HTTP/1\.1 (\d+)};

    return { socket => $s, headers => \%h };
}


# the rest of a slow_get's body, read to the end (20 s at most)

sub read_rest {
    my ($slow) = @_;
    my ($body, $s) = ('', $slow->{socket});
    my ($select, $deadline) = (IO::Select->new($s), time + 20);

    while (time < $deadline) {
        last unless $select->can_read($deadline - time);
        my $n = sysread($s, $body, 65536, length $body);
        return $body if defined $n && $n == 0;
        last unless $n;
    }

    return undef;
}


my $V1 = "Version-one-of-the-post.\n\n" . words(900, 1);
my $V2 = "Version-two-of-the-post.\n\n" . words(900, 2);

# the page as it is rendered: the post's first line, and all its length
sub has_words {
    my ($page, $words) = @_;
    my ($first) = $words =~ /\A(\S+)/;
    return defined $page && index($page, $first) >= 0
           && length($page) > length($words);
}


subtest 'a pinned page survives its replacement and its eviction' => sub {
    my $blog = start_nginx(
        workers => 1,
        files => ">>> big.md\n" . post('Big', $V1),
        http_config => $HTTP_CONFIG,
        config => $CONFIG) or return;

    my $r = $blog->request('GET', '/blog/big/', port => 2);
    is($r->{status}, 200, 'GET /blog/big/ - 200');
    my $v1 = $r->{body};
    ok(has_words($v1, $V1), 'the page has the post\'s words')
        or diag('page of ' . length($v1 // '') . ' bytes');
    is($blog->request('GET', '/blog/big/', port => 2)->{headers}{'x-cache'},
       'HIT', 'GET /blog/big/ again - HIT');

    my $slow1 = slow_get($blog, '/blog/big/');
    ok($slow1 && $slow1->{headers}{status} == 200
       && $slow1->{headers}{'x-cache'} eq 'HIT',
       'a slow client asks for the page: a HIT, its body unread');

    my $st = status($blog);
    is($st->{pins}, 1, 'blog_status: one pin');

    # the edit replaces the entry the slow client reads
    save_atomically($blog->content . '/big.md', post('Big', $V2));

    my ($v2) = poll(10, sub {
        my $r = $blog->request('GET', '/blog/big/', port => 2);
        return has_words($r->{body}, $V2) ? $r->{body} : undef;
    });
    ok($v2, 'the edit shows to other clients');
    is($blog->request('GET', '/blog/big/', port => 2)->{headers}{'x-cache'},
       'HIT', 'the new version is cached');

    $st = status($blog);
    is($st->{retired}, 1, 'blog_status: the old version is retired, pinned')
        or diag(explain($st));

    # a second slow client pins the new version, which other pages evict
    my $slow2 = slow_get($blog, '/blog/big/');
    ok($slow2 && $slow2->{headers}{'x-cache'} eq 'HIT',
       'a second slow client reads the new version: a HIT');

    for my $n (1 .. 40) {
        Test::Blog::write_file($blog->content . "/filler-$n.md",
                               post("Filler $n", words(300, 10 + $n)));
    }

    my ($evicted) = poll(20, sub {
        for my $n (1 .. 40) {
            $blog->request('GET', "/blog/filler-$n/", port => 2);
        }
        my $st = status($blog);
        return $st && $st->{retired} == 2 ? $st : undef;
    });
    ok($evicted, 'pages for other posts evict the pinned new version')
        or diag(explain(status($blog)));
    cmp_ok($evicted && $evicted->{evictions}, '>', 0,
           'blog_status: evictions');

    my $r3 = $blog->request('GET', '/blog/big/', port => 2);
    is($r3->{headers}{'x-cache'}, 'MISS',
       'GET /blog/big/ now - a MISS, the entry is gone from the cache');
    ok(has_words($r3->{body}, $V2), 'the new version, rendered again');

    my $body1 = read_rest($slow1);
    my $body2 = read_rest($slow2);
    ok(defined $body1 && $body1 eq $v1,
       'the first slow client gets every byte of the old version')
        or diag('got ' . length($body1 // '') . ' of ' . length($v1));
    ok(defined $body2 && $body2 eq $v2,
       'the second slow client gets every byte of the new version')
        or diag('got ' . length($body2 // '') . ' of ' . length($v2));

    my ($done) = poll(5, sub {
        my $st = status($blog);
        return $st && $st->{pins} == 0 && $st->{retired} == 0 ? $st : undef;
    });
    ok($done, 'at the end: no pin, no retired page')
        or diag(explain(status($blog)));

    $blog->stop;
};


subtest 'a worker killed while it sends: the next one releases its pins'
        => sub {
    plan(skip_all => 'needs worker processes, which valgrind runs without')
        if Test::Blog::Nginx->under_valgrind;

    my $blog = start_nginx(
        workers => 2,
        files => ">>> big.md\n" . post('Big', $V1),
        http_config => $HTTP_CONFIG,
        config => $CONFIG) or return;

    $blog->request('GET', '/blog/big/', port => 2);
    my $before = status($blog);

    my $slow = slow_get($blog, '/blog/big/');
    ok($slow && $slow->{headers}{'x-cache'} eq 'HIT',
       'a slow client reads the cached page');
    my $pid = $slow && $slow->{headers}{'x-pid'};

    save_atomically($blog->content . '/big.md', post('Big', $V2));
    my ($st) = poll(10, sub {
        my $r = $blog->request('GET', '/blog/big/', port => 2);
        my $st = status($blog);
        return has_words($r->{body}, $V2) && $st->{retired} == 1 ? $st
                                                                 : undef;
    });
    ok($st && $st->{pins} == 1,
       'the edit retires the pinned page: one pin, one retired page')
        or diag(explain(status($blog)));

    my @workers = $blog->workers;
    ok($pid && kill('KILL', $pid), "SIGKILL to the sending worker $pid");
    waitpid($pid, 0);
    close $slow->{socket} if $slow;

    my @new = $blog->wait_new_workers([$pid], scalar @workers);
    is(scalar @new, 2, 'the master starts a worker in its place');

    my ($after) = poll(10, sub {
        my $st = status($blog);
        return $st && $st->{pins} == 0 && $st->{retired} == 0 ? $st : undef;
    });
    ok($after, 'the pins are released and the retired page freed')
        or diag(explain(status($blog)));
    is($after && $after->{released}, 1, 'blog_status: one pin released');
    cmp_ok($after && $after->{used}, '<=', $st && $st->{used} - 900 * 1024,
           'the zone has the retired page\'s memory back');

    like($blog->log,
         qr/"pins": 1 pins of exited workers released, 1 retired/,
         'the log says so');

    my $r = $blog->request('GET', '/blog/big/', port => 2);
    ok(has_words($r->{body}, $V2) && $r->{headers}{'x-cache'} eq 'HIT',
       'the cache serves on: the new version, a HIT');

    $blog->stop(qr/worker process $pid exited on signal 9/);
};


done_testing();
