# Growing past one machine: two blog servers ("origins") with copies of
# the same files -- copied at other times, so with other mtimes -- behind
# an HTTP cache (nginx's proxy_cache, round robin over both).  The origins
# send the same ETag for the same page, so when the cached copy expires
# the cache revalidates it with If-None-Match and either origin answers
# 304; after an edit on both, the revalidation gets the new page.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use File::Copy qw(copy);
use Test::Blog::Util qw(start_nginx poll set_mtime write_in_place excerpt);
use Test::More;
use Time::HiRes qw(sleep time);

# An odd number of pages: round robin sends each page to the other origin
# at each round.
my @PAGES = ('/blog/', '/blog/hello/', '/blog/older/', '/blog/feed.xml',
             '/blog/sitemap.xml');

my $ORIGIN = <<'END';
    server {
        listen 127.0.0.1:%s;
        access_log $PREFIX/logs/origin.log origin;

        location /blog/ {
            blog %s;
            blog_cache pages;
            blog_check_interval 100ms;
            blog_base_url http://blog.test;
        }
    }
END

my $HTTP_CONFIG = <<'END'
blog_cache_zone pages:1m;

proxy_cache_path $PREFIX/proxy_cache keys_zone=front:1m;

log_format origin '$server_port $status "$http_if_none_match" $request_uri';

upstream origins {
    zone origins 64k;       # one round robin for both workers
    server 127.0.0.1:$PORT2;
    server 127.0.0.1:$PORT3;
}
END
    . sprintf($ORIGIN, '$PORT2', '$CONTENT')
    . sprintf($ORIGIN, '$PORT3', '$PREFIX/content-b');

my $CONFIG = <<'END';
location / {
    proxy_pass http://origins;
    proxy_cache front;
    proxy_cache_valid 200 1s;
    proxy_cache_revalidate on;
    add_header X-Proxy-Cache $upstream_cache_status always;
    add_header X-Upstream $upstream_addr always;
}
END

my $FILES = <<'END';
>>> hello.md
---
title: Hello
date: 2024-05-01
lastmod: 2024-06-01
tags: [Edge]
---
Hello from whichever origin.
>>> older.md
---
title: Older
date: 2024-04-01
lastmod: 2024-04-02
tags: [Edge]
---
An older post.
END

my $HELLO_EDITED = <<'END';
---
title: Hello Edited
date: 2024-05-01
lastmod: 2024-06-02
tags: [Edge]
---
Edited on both origins.
END


my $front = start_nginx(files => $FILES, http_config => $HTTP_CONFIG,
    config => $CONFIG,
    setup => sub {
        my ($n) = @_;
        my $b = $n->prefix . '/content-b';

        mkdir $b or die "mkdir $b: $!\n";

        # the copy is an hour older: its mtimes differ, its bytes do not
        for my $file ('hello.md', 'older.md') {
            copy($n->content . "/$file", "$b/$file") or die "copy: $!\n";
            set_mtime("$b/$file", time - 3600);
        }
    });

if ($front) {
    run_cases();
    $front->stop;
}

done_testing();


sub run_cases {
    my %etag;

    for my $uri (@PAGES) {
        my $a = $front->request('GET', $uri, port => 2);
        my $b = $front->request('GET', $uri, port => 3);

        is($a->{status} . ' ' . $b->{status}, '200 200',
           "GET $uri from both origins - 200");
        ok(defined $a->{headers}{etag}
           && $a->{headers}{etag} eq ($b->{headers}{etag} // ''),
           "GET $uri - both origins send the same ETag")
            or diag('ETags: ' . ($a->{headers}{etag} // '(none)') . ' and '
                    . ($b->{headers}{etag} // '(none)'));
        isnt($a->{headers}{'last-modified'}, $b->{headers}{'last-modified'},
             "GET $uri - the origins' Last-Modified differ (other mtimes)")
            if $uri eq '/blog/hello/';

        $etag{$uri} = $a->{headers}{etag};
    }

    my %first;

    for my $uri (@PAGES) {
        my $r = $front->get($uri);
        is($r->{headers}{'x-proxy-cache'}, 'MISS', "GET $uri - MISS");
        $first{$uri} = $r->{body};

        # the proxy may send the last byte before its cache holds the
        # page (it stores the copy as the upstream request ends): a
        # request at that moment is one more MISS, and the next is a HIT
        poll(1, sub {
            $r = $front->get($uri);
            return ($r->{headers}{'x-proxy-cache'} // '') ne 'MISS';
        });
        is($r->{headers}{'x-proxy-cache'}, 'HIT', "GET $uri again - HIT");
    }

    # what the proxy does when a cached copy expires, origin by origin:
    # If-None-Match with the ETag, and If-Modified-Since with the date of
    # the origin that sent the copy, which is another date on the other
    # origin; If-None-Match decides (RFC 9110, 13.1.3)
    my $direct = log_size();
    my $hello_a = $front->request('GET', '/blog/hello/', port => 2);

    for my $port (2, 3) {
        my $r = $front->request('GET', '/blog/hello/', port => $port,
            headers => {
                'If-None-Match' => $etag{'/blog/hello/'} // '"none"',
                'If-Modified-Since' => $hello_a->{headers}{'last-modified'},
            });
        is($r->{status}, 304,
           "GET /blog/hello/ from origin " . ($port - 1) . " with its ETag"
           . " and origin 1's Last-Modified - 304");
    }

    # nginx logs a request after it has answered it: the three above are
    # in the log before the count of what the revalidations sent starts
    origin_lines($direct, 3);

    my $from = log_size();
    my $fetched = time;

    for my $round (1 .. 2) {
        expire($fetched);

        for my $uri (@PAGES) {
            my $r = $front->get($uri);

            ok($r->{status} == 200
               && ($r->{headers}{'x-proxy-cache'} // '') eq 'REVALIDATED',
               "round $round, GET $uri after it expired - REVALIDATED")
                or diag("$r->{status}, X-Proxy-Cache: "
                        . ($r->{headers}{'x-proxy-cache'} // '(none)')
                        . ', from ' . ($r->{headers}{'x-upstream'} // '?'));
            is($r->{body}, $first{$uri},
               "round $round, GET $uri after it expired - the same page");
        }

        $fetched = time;
    }

    # what the origins saw: every revalidation sent the ETag and got 304,
    # from both origins
    my @lines = origin_lines($from, 2 * @PAGES);
    my (%by_port, @wrong);

    for my $line (@lines) {
        my ($port, $status, $inm, $uri) = @$line;

        push @wrong, "$uri to :$port: $status, If-None-Match: $inm"
            if $status != 304 || $inm ne ($etag{$uri} // '');
        $by_port{$port}++ if $status == 304;
    }

    is(scalar @lines, 2 * @PAGES,
       'the origins saw one request per revalidation');
    ok(!@wrong, 'each revalidation sent the ETag and the origin said 304')
        or diag(join "\n", @wrong);
    is(join(' ', sort keys %by_port),
       join(' ', sort $front->port(2), $front->port(3)),
       'both origins answered revalidations with 304');

    # an edit on both origins: the next revalidation gets the new page
    for my $dir ($front->content, $front->prefix . '/content-b') {
        write_in_place("$dir/hello.md", $HELLO_EDITED);
    }

    expire($fetched);
    $from = log_size();

    my $r = $front->get('/blog/hello/');
    is($r->{status}, 200, 'after an edit on both origins - 200');
    like($r->{body}, qr{<h1 class="post-title">Hello Edited</h1>},
         'after an edit on both origins - the new page');
    is($r->{headers}{'x-proxy-cache'}, 'EXPIRED',
       'after an edit on both origins - EXPIRED (revalidation got 200)');

    @lines = origin_lines($from, 1);
    is(join(' ', map { "$_->[1] $_->[3]" } @lines), '200 /blog/hello/',
       'after an edit on both origins - the origin sent the page, not 304');
}


# Waits until what was fetched at FETCHED has expired: nginx counts
# proxy_cache_valid in whole seconds, so 1s lasts until the second after
# the next.

sub expire {
    my ($fetched) = @_;
    my $until = int($fetched) + 2.05;

    sleep($until - time) if $until > time;
}


sub log_size {
    return -s $front->prefix . '/logs/origin.log' // 0;
}


# The origins' access log lines after byte FROM, once there are COUNT of
# them (or after 2 s): [port, status, If-None-Match, uri].

sub origin_lines {
    my ($from, $count) = @_;
    my @lines;

    poll(2, sub {
        open my $fh, '<', $front->prefix . '/logs/origin.log' or return 0;
        seek $fh, $from, 0;
        @lines = map { /^(\d+) (\d+) "([^"]*)" (\S+)$/ ? [$1, $2, $3, $4]
                                                     : () } <$fh>;

        # nginx writes a " in a log as \x22
        $_->[2] =~ s/\\x([0-9A-Fa-f]{2})/chr hex $1/ge for @lines;
        return @lines >= $count;
    });

    return @lines;
}
