# The page cache as an operator sees it through $blog_cache_status: MISS
# then HIT, from either worker (the zone is shared); EXPIRED once after an
# edit; BYPASS for a page larger than half the zone; a zone far too small
# evicts pages without an error and says so at most once; a reload keeps
# the pages when the zone keeps its size, starts empty when it does not,
# and fails no request.  X-Cache shows $blog_cache_status, X-Pid the
# worker that answered.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use List::Util qw(sum);
use Test::Blog qw(run_tests);
use Test::Blog::HTTP qw(http_request);
use Test::Blog::Util qw(start_nginx poll write_in_place start_children
                        excerpt);
use Test::More;
use Time::HiRes qw(sleep time);

my $FILES = <<'END';
>>> hello.md
---
title: Hello
date: 2024-05-01
tags: [Cache]
---
Hello, cache.
>>> second.md
---
title: Second
date: 2024-05-02
tags: [Cache]
---
The second post.
END

# Every kind of page the cache stores.
my @PAGES = ('/blog/', '/blog/hello/', '/blog/tags/', '/blog/tags/cache/',
             '/blog/feed.xml', '/blog/sitemap.xml');


# A request whose X-Cache says STATUS, or a failed test that shows what
# came back instead.

sub is_cache {
    my ($r, $want, $name) = @_;
    my $got = $r->{headers}{'x-cache'} // '(none)';

    return pass($name) if $r->{status} == 200 && $got eq $want;

    fail($name);
    diag("expected 200 with X-Cache: $want, got $r->{status} with"
         . " X-Cache: $got" . ($r->{error} ? " ($r->{error})" : ''));
    return 0;
}


# GET URI on fresh connections to the reuseport listener ($PORT2), where
# each worker has its own socket, until two distinct pids have answered in
# X-Pid: the test passes when every answer is a HIT with BODY (the bytes,
# or a qr//) and those two pids are the master's two workers.  At most 60
# requests.

sub is_hit_in_both_workers {
    my ($blog, $uri, $body, $name) = @_;
    my (%hit_by, $wrong);

    local $Test::Builder::Level = $Test::Builder::Level + 1;

    for my $n (1 .. 60) {
        my $r = $blog->request('GET', $uri, port => 2);
        my $cache = $r->{headers}{'x-cache'} // '(none)';
        my $pid = $r->{headers}{'x-pid'} // '(none)';
        my $same = defined $r->{body}
                   && (ref $body ? $r->{body} =~ $body : $r->{body} eq $body);

        if (($r->{status} // 0) != 200 || $cache ne 'HIT' || !$same) {
            $wrong = "request $n: " . ($r->{status} // $r->{error})
                     . ", X-Cache: $cache, X-Pid: $pid"
                     . ($same ? '' : ', another body');
            last;
        }

        $hit_by{$pid}++;
        last if keys %hit_by == 2;
    }

    # a worker has its title once it serves requests
    my @workers = sort $blog->workers;
    my @answered = sort keys %hit_by;

    return pass($name)
        if !$wrong && "@answered" eq "@workers" && @workers == 2;

    fail($name);
    diag($wrong // "in " . sum(0, values %hit_by) . " HITs, X-Pid "
                   . join(', ', map { "$_ ($hit_by{$_} times)" }
                                @answered)
                   . "; the workers are " . join(', ', @workers));
    return 0;
}


subtest 'a page is MISS, then HIT from either worker' => sub {
    my $blog = start_nginx(files => $FILES,
        http_config => <<'END',
blog_cache_zone pages:1m;
log_format cache '$request_uri $blog_cache_status $pid';
END
        config => <<'END') or return;
listen 127.0.0.1:$PORT2 reuseport;
location /blog/ {
    blog $CONTENT;
    blog_cache pages;
    access_log $PREFIX/logs/cache.log cache;
    add_header X-Cache $blog_cache_status always;
    add_header X-Pid $pid always;
}
END

    # reuseport: each worker has its own socket, so connections from
    # new source ports reach both
    for my $uri (@PAGES) {
        my $first = $blog->request('GET', $uri, port => 2);
        is_cache($first, 'MISS', "GET $uri - the first request is MISS")
            or next;

        is_hit_in_both_workers($blog, $uri, $first->{body},
            "GET $uri - HIT with the same body from both workers");
    }

    # the same figures in the access log, for operators
    my ($log) = poll(2, sub {
        open my $fh, '<', $blog->prefix . '/logs/cache.log' or return;
        local $/;
        my $text = <$fh>;
        return $text =~ m{^/blog/feed\.xml HIT}m ? $text : undef;
    });

    like($log // '', qr{^/blog/hello/ MISS \d+\n(?:/blog/hello/ HIT \d+\n)+}m,
         '$blog_cache_status in a log_format: MISS, then HIT');

    $blog->stop;
};


subtest 'an edited post is EXPIRED once, then HIT with the edit' => sub {
    my $blog = start_nginx(files => $FILES,
        http_config => 'blog_cache_zone pages:1m;',
        config => <<'END') or return;
listen 127.0.0.1:$PORT2 reuseport;
location /blog/ {
    blog $CONTENT;
    blog_cache pages;
    blog_check_interval 100ms;
    add_header X-Cache $blog_cache_status always;
    add_header X-Pid $pid always;
}
END

    for my $uri ('/blog/hello/', '/blog/') {
        is_cache($blog->request('GET', $uri, port => 2), 'MISS',
                 "GET $uri - MISS before the edit");
        is_cache($blog->request('GET', $uri, port => 2), 'HIT',
                 "GET $uri - HIT before the edit");
    }

    write_in_place($blog->content . '/hello.md', <<'END');
---
title: Hello Again
date: 2024-05-01
tags: [Cache]
---
Hello, edited cache.
END

    sleep 0.5;      # five check intervals

    for my $uri ('/blog/hello/', '/blog/') {
        my $r = $blog->request('GET', $uri, port => 2);
        is_cache($r, 'EXPIRED', "GET $uri - EXPIRED after the edit");
        like($r->{body}, qr/Hello Again/, "GET $uri - shows the edit");

        is_hit_in_both_workers($blog, $uri, qr/Hello Again/,
            "GET $uri - HIT with the edit, in both workers");
    }

    $blog->stop;
};


subtest 'a page larger than half the zone is BYPASS, never HIT' => sub {
    # 32k is the least zone (8 pages); this page is over 16k
    my $big = "---\ntitle: Big\ndate: 2024-05-03\n---\n"
              . join('', map { "Paragraph $_ " . ('lorem ' x 40) . "\n\n" }
                             1 .. 80)
              . "The end of the big post.\n";

    my $blog = start_nginx(files => "$FILES>>> big.md\n$big",
        http_config => 'blog_cache_zone small:32k;',
        config => <<'END') or return;
location /blog/ {
    blog $CONTENT;
    blog_cache small;
    add_header X-Cache $blog_cache_status always;
    add_header X-Pid $pid always;
}
END

    my $first = $blog->get('/blog/big/');
    cmp_ok(length $first->{body}, '>', 16384,
           'GET /blog/big/ - the page is larger than half the zone');

    my ($all_bypass, $same) = (1, 1);

    for my $n (1 .. 6) {
        my $r = $n == 1 ? $first : $blog->get('/blog/big/');

        if ($r->{status} != 200
            || ($r->{headers}{'x-cache'} // '') ne 'BYPASS')
        {
            diag("request $n: $r->{status}, X-Cache: "
                 . ($r->{headers}{'x-cache'} // '(none)'));
            $all_bypass = 0;
        }

        $same = 0 if $r->{body} ne $first->{body};
    }

    ok($all_bypass, 'GET /blog/big/ six times - 200 and BYPASS every time');
    ok($same, 'GET /blog/big/ - the same body every time');
    like($first->{body}, qr{<p>The end of the big post\.</p>},
         'GET /blog/big/ - the whole post');

    is_cache($blog->get('/blog/hello/'), 'MISS',
             'GET /blog/hello/ - a small page in that zone is MISS');
    is_cache($blog->get('/blog/hello/'), 'HIT',
             'GET /blog/hello/ - then HIT');

    $blog->stop;
};


subtest 'a zone far too small evicts pages, fails nothing, logs once' => sub {
    # 50 posts of about 3k each in a 32k zone; the same posts from a
    # server without the cache give the bytes every answer must have
    my $blog = start_nginx(
        setup => sub {
            my ($blog) = @_;

            for my $n (1 .. 50) {
                my $id = sprintf '%02d', $n;
                Test::Blog::write_file($blog->content . "/post-$id.md",
                    "---\ntitle: Post $id\ndate: 2024-01-01 12:$id:00\n"
                    . "description: Post number $id.\ntags: [Many]\n---\n"
                    . join(' ', map { "word$id-$_" } 1 .. 300)
                    . "\n\nThe end of post $id.\n");
            }
        },
        http_config => <<'END',
blog_cache_zone tiny:32k;

server {
    listen 127.0.0.1:$PORT3;

    location /blog/ {
        blog $CONTENT;
        blog_base_url http://blog.test;
    }
}
END
        config => <<'END') or return;
location /blog/ {
    blog $CONTENT;
    blog_cache tiny;
    blog_base_url http://blog.test;
    add_header X-Cache $blog_cache_status always;
    add_header X-Pid $pid always;
}
END

    my @uris = ((map { sprintf '/blog/post-%02d/', $_ } 1 .. 50),
                '/blog/', '/blog/page/2/', '/blog/tags/many/',
                '/blog/feed.xml', '/blog/sitemap.xml');
    my %want;

    for my $uri (@uris) {
        my $r = $blog->request('GET', $uri, port => 3);
        $want{$uri} = $r->{status} == 200 ? $r->{body} : undef;
    }

    # a post's page takes two of the zone's pages: a few fit at once
    cmp_ok(length($want{'/blog/post-01/'} // ''), '<', 8000,
           'a post page is a few kilobytes');

    my @errors;
    my %status;
    my $requests = 0;

    for my $pass (1 .. 3) {
        for my $uri (@uris) {
            my $r = $blog->get($uri);
            $requests++;
            $status{ $r->{headers}{'x-cache'} // '(none)' }++;

            push @errors, "pass $pass, GET $uri: $r->{status}"
                          . ($r->{error} ? " $r->{error}" : '')
                if $r->{status} != 200;
            push @errors, "pass $pass, GET $uri: not the uncached bytes"
                if $r->{status} == 200
                   && (!defined $want{$uri} || $r->{body} ne $want{$uri});
        }
    }

    ok(!@errors, "$requests requests - every one 200 with the right bytes")
        or diag(join "\n", @errors[0 .. ($#errors > 20 ? 20 : $#errors)]);

    # post-01 was asked for before the 49 others: long evicted
    my $r = $blog->get('/blog/post-01/');
    is_cache($r, 'MISS', 'GET /blog/post-01/ again - evicted, so MISS');
    is($r->{body}, $want{'/blog/post-01/'},
       'GET /blog/post-01/ again - the right bytes');

    ok(($status{MISS} // 0) > 0,
       'pages were stored: ' . join ', ',
       map { "$_ $status{$_}" } sort keys %status);
    is_cache($blog->get('/blog/post-07/'), 'MISS',
             'GET /blog/post-07/ - MISS in the full zone');
    is_cache($blog->get('/blog/post-07/'), 'HIT',
             'GET /blog/post-07/ - at once again: HIT');

    my @full = grep { /is full|ngx_slab_alloc\(\) failed/ }
               split /\n/, $blog->log;
    cmp_ok(scalar @full, '<=', 1,
           'the error log says the zone is full at most once')
        or diag(join "\n", @full[0 .. ($#full > 5 ? 5 : $#full)]);

    $blog->stop;
};


subtest 'a reload keeps the pages when the zone keeps its size' => sub {
    my $config = <<'END';
location /blog/ {
    blog $CONTENT;
    blog_cache pages;
    add_header X-Cache $blog_cache_status always;
    add_header X-Pid $pid always;
}
END

    my $blog = start_nginx(files => $FILES, config => $config,
                           http_config => 'blog_cache_zone pages:1m;')
        or return;

    for my $uri ('/blog/hello/', '/blog/') {
        is_cache($blog->get($uri), 'MISS', "GET $uri - MISS");
        is_cache($blog->get($uri), 'HIT', "GET $uri - HIT");
    }

    my @old = $blog->workers;
    ok($blog->reload, 'SIGHUP with the same configuration - new workers')
        or return;

    for my $uri ('/blog/hello/', '/blog/') {
        is_cache($blog->get($uri), 'HIT',
                 "GET $uri - HIT after the reload");
    }

    ok($blog->reload(http_config => 'blog_cache_zone pages:2m;'),
       'SIGHUP with the zone at 2m instead of 1m - new workers')
        or return;

    for my $uri ('/blog/hello/', '/blog/') {
        is_cache($blog->get($uri), 'MISS',
                 "GET $uri - MISS after the zone changed size");
        is_cache($blog->get($uri), 'HIT', "GET $uri - then HIT");
    }

    $blog->stop;
};


subtest 'no request fails while nginx reloads' => sub {
    my $blog = start_nginx(files => $FILES,
        http_config => 'blog_cache_zone pages:1m;',
        config => <<'END') or return;
location /blog/ {
    blog $CONTENT;
    blog_cache pages;
    add_header X-Cache $blog_cache_status always;
    add_header X-Pid $pid always;
}
END

    my $port = $blog->port;
    my $wait = start_children(2, sub {
        my ($i) = @_;
        my $deadline = time + 3.5;
        my ($n, $ok, @failed) = (0, 0);

        while (time < $deadline && $n < 20000) {
            my $uri = $PAGES[$n++ % @PAGES];
            my $r = http_request($port, "GET $uri");

            if ($r->{status} && $r->{status} == 200) {
                $ok++;

            } elsif (@failed < 10) {
                push @failed, "GET $uri: "
                              . ($r->{status} // $r->{error} // '?');
            }
        }

        return { requests => $n, ok => $ok, failed => \@failed };
    });

    my $reloads = 0;
    for my $n (1 .. 3) {
        sleep 0.3;
        $reloads++ if $blog->reload;
    }

    my @results = $wait->();

    is($reloads, 3, 'three reloads, each with new workers');

    my $requests = 0;
    my @failed;

    for my $res (@results) {
        push @failed, $res->{error} if $res->{error};
        push @failed, @{ $res->{failed} || [] };
        $requests += $res->{requests} // 0;
        push @failed, ($res->{requests} - $res->{ok}) . " of"
                      . " $res->{requests} failed"
            if defined $res->{ok} && $res->{ok} != $res->{requests};
    }

    cmp_ok($requests, '>', 100, 'the load was real');
    ok(!@failed, "$requests requests during three reloads - all 200")
        or diag(join "\n", @failed);

    $blog->stop;
};


run_tests(config => <<'END', files => $FILES);
location /blog/ {
    blog $CONTENT;
    add_header X-Cache $blog_cache_status always;
}
END

__DATA__

=== TEST 1: a location without a cache has no cache status
--- request
GET /blog/hello/
--- error_code: 200
--- response_headers
!X-Cache



=== TEST 2: blog_cache off in a location turns the server's cache off
--- http_config
blog_cache_zone pages:1m;
--- config
blog_cache pages;
location /blog/ {
    blog $CONTENT;
    blog_cache off;
    add_header X-Cache $blog_cache_status always;
}
location /cached/ {
    blog $CONTENT;
    add_header X-Cache $blog_cache_status always;
}
--- request
GET /blog/hello/
--- error_code: 200
--- response_headers
!X-Cache



=== TEST 3: the location that inherits the server's blog_cache is cached
--- http_config
blog_cache_zone pages:1m;
--- config
blog_cache pages;
location /blog/ {
    blog $CONTENT;
    blog_cache off;
    add_header X-Cache $blog_cache_status always;
}
location /cached/ {
    blog $CONTENT;
    add_header X-Cache $blog_cache_status always;
}
--- request
GET /cached/hello/
--- error_code: 200
--- response_headers
X-Cache: MISS



=== TEST 4: ... and HIT the second time
--- http_config
blog_cache_zone pages:1m;
--- config
blog_cache pages;
location /blog/ {
    blog $CONTENT;
    blog_cache off;
    add_header X-Cache $blog_cache_status always;
}
location /cached/ {
    blog $CONTENT;
    add_header X-Cache $blog_cache_status always;
}
--- request
GET /cached/hello/
--- error_code: 200
--- response_headers
X-Cache: HIT
--- response_body_like
<h1 class="post-title">Hello</h1>



=== TEST 5: blog_cache names a zone that must exist
--- http_config
blog_cache_zone pages:1m;
--- config
location /blog/ {
    blog $CONTENT;
    blog_cache nope;
}
--- must_die
--- error_log
blog_cache "nope" names no blog_cache_zone \(declare it at http level\) in \S+/nginx\.conf:\d+



=== TEST 5a: blog_cache may come before its blog_cache_zone, as limit_req
--- http_config
blog_cache later;
blog_cache_zone later:1m;
--- config
location /blog/ {
    blog $CONTENT;
    add_header X-Cache $blog_cache_status always;
}
--- request
GET /blog/hello/
--- error_code: 200
--- response_headers
X-Cache: ~^(?:MISS|HIT)$



=== TEST 5b: ... and caches there: the second request is a HIT
--- http_config
blog_cache later;
blog_cache_zone later:1m;
--- config
location /blog/ {
    blog $CONTENT;
    add_header X-Cache $blog_cache_status always;
}
--- request
GET /blog/hello/
--- error_code: 200
--- response_headers
X-Cache: HIT



=== TEST 6: a zone smaller than eight pages is refused
--- http_config
blog_cache_zone small:8k;
--- config
location /blog/ {
    blog $CONTENT;
    blog_cache small;
}
--- must_die
--- error_log
blog_cache_zone "small:8k" is too small
