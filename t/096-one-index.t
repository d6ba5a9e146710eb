# One index per server: one worker scans the content root for all of them
# and every worker reads its copy in the index zone (blog_index_zone).
# With four workers: every worker that answers reads the same generation,
# built by the same worker, and copies are made only when something
# changed; an edit, once any worker has shown it, is shown by every
# worker after; a builder killed with SIGKILL leaves the role to another,
# and edits still show; an index with no room in the zone is said in the
# log and each worker builds its own, serving as before.  A new index
# with no room only while a worker still uses the one before waits for
# it, and the workers keep one index.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use IO::Socket::INET;
use JSON::PP qw(decode_json);
use Test::Blog::Util qw(start_nginx poll save_atomically read_replies
                        excerpt);
use Test::Blog::Nginx;
use Test::More;
use Time::HiRes qw(sleep time);

plan(skip_all => 'needs worker processes, which valgrind runs without')
    if Test::Blog::Nginx->under_valgrind;

my $CONFIG = <<'END';
location /blog/ {
    blog $CONTENT;
    blog_check_interval 200ms;
}
location = /status {
    blog_status;
}
END

my $POSTS = join '', map {
    sprintf ">>> post-%02d.md\n---\ntitle: Post %02d\ndate: 2024-01-%02d\n"
            . "---\nWords of post %d.\n", $_, $_, $_, $_
} 1 .. 12;


# 300 posts with long titles and descriptions: an index of about 250 KB
my $MANY = join '', map {
    sprintf ">>> many-%03d.md\n---\ntitle: Many %03d with a long title"
            . " to take room\ndate: 2023-01-01 00:%02d\ntags: [One, Two,"
            . " Three]\ndescription: %s\n---\nWords.\n",
            $_, $_, $_ % 60, 'A description of some length. ' x 5
} 1 .. 300;


# nginx with WORKERS workers and the locations of CONFIG [$CONFIG] twice:
# in the usual server, and in one on $PORT2 whose listen has reuseport, so
# that the kernel spreads the connections to it over every worker (on a
# shared socket one idle worker may take them all); start_nginx's other
# arguments pass.

sub start {
    my ($workers, %arg) = @_;
    my $config = delete $arg{config} // $CONFIG;

    return start_nginx(workers => $workers, config => $config,
                       http_config => ($arg{http_config} // '') . <<"END",
server {
    listen 127.0.0.1:\$PORT2 reuseport;
$config}
END
                       map { $_ eq 'http_config' ? () : ($_ => $arg{$_}) }
                           keys %arg);
}


# N answers to GET URI, asked on N connections at once to the reuseport
# server, so that every worker answers some: [status line, body] each.

sub at_once {
    my ($blog, $uri, $n) = @_;
    my @sockets = map { ask($blog, $uri) } 1 .. $n;
    my %reply = read_replies(5, @sockets);

    return map { my ($status) = /\A([^\r\n]*)/;
                 my ($body) = /\r\n\r\n(.*)\z/s;
                 [$status // '', $body // ''] } values %reply;
}


# a socket to the reuseport server that GET URI was written to

sub ask {
    my ($blog, $uri) = @_;
    my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
                                  PeerPort => $blog->port(2),
                                  Proto => 'tcp', Timeout => 5)
        or die "cannot connect to 127.0.0.1:" . $blog->port(2) . ": $!\n";

    syswrite($s, "GET $uri HTTP/1.1\r\nHost: localhost\r\n"
                 . "Connection: close\r\n\r\n");
    return $s;
}


# blog_status from as many workers as answer N requests, up to ROUNDS
# times N: { pid => the site's figures }.

sub site_status_by_worker {
    my ($blog, $n, $rounds, $want) = @_;
    my %by;

    for (1 .. $rounds) {
        for my $reply (at_once($blog, '/status', $n)) {
            my $s = eval { decode_json($reply->[1]) } or next;
            $by{$s->{pid}} = $s->{sites}[0];
        }

        last if keys %by >= $want;
    }

    return \%by;
}


subtest 'every worker reads one generation, built by one worker' => sub {
    my $blog = start(4, files => $POSTS)
        or return;

    poll(5, sub { $blog->get('/blog/')->{body} =~ /Post 12/ })
        or diag('no index within 5 s');

    my $by = site_status_by_worker($blog, 8, 30, 3);
    my @pids = sort keys %$by;
    my %workers = map { $_ => 1 } $blog->workers;

    cmp_ok(scalar @pids, '>=', 2, scalar(@pids) . ' workers answered')
        or return;

    my @shared = grep { $by->{$_}{index_shared} } @pids;
    is(scalar @shared, scalar @pids, 'each one reads the index zone');

    my %builders = map { ($by->{$_}{index_zone}{builder_pid} // 0) => 1 }
                   @pids;
    is(scalar keys %builders, 1, 'each names the same builder')
        or diag(explain($by));
    my ($builder) = keys %builders;
    ok($workers{$builder}, "the builder, $builder, is one of the workers");

    my %generations = map { ($by->{$_}{index_zone}{generation} // 0) => 1 }
                      @pids;
    is(scalar keys %generations, 1, 'each reads the same generation')
        or diag(explain($by));
    is(join(',', map { $by->{$_}{posts} } @pids),
       join(',', map { 12 } @pids), 'each has the 12 posts');

    # scans every 200 ms, and nothing changes: no new copy
    my $before = $by->{$pids[0]}{index_zone}{builds};
    sleep 1.2;
    my $after = site_status_by_worker($blog, 2, 1, 1);
    my ($any) = values %$after;
    is($any->{index_zone}{builds}, $before,
       "six scans of unchanged files made no copy ($before so far)");

    $blog->stop;
};


subtest 'an edit one worker has shown, every worker shows after' => sub {
    my $blog = start(4, files => $POSTS)
        or return;

    poll(5, sub { $blog->get('/blog/post-01/')->{body} =~ /Post 01/ })
        or diag('no index within 5 s');

    my (@late, @back);

    for my $edit (1 .. 8) {
        save_atomically($blog->content . '/post-01.md',
                        "---\ntitle: Edit $edit\ndate: 2024-01-01\n---\n"
                        . "Words of edit $edit.\n");

        my $deadline = time + 3;
        my $seen;

        # the index page: its titles come from the index alone, where
        # a post's page reads its file again
        while (!$seen && time < $deadline) {
            $seen = grep { $_->[1] =~ /Edit $edit\b/ }
                    at_once($blog, '/blog/', 4);
            sleep 0.02 unless $seen;
        }

        if (!$seen) {
            push @late, "edit $edit";
            next;
        }

        # from now on, whichever worker answers
        for my $uri ('/blog/', '/blog/post-01/', '/blog/feed.xml') {
            for my $reply (map { at_once($blog, $uri, 8) } 1 .. 2) {
                push @back, "edit $edit: GET $uri: $reply->[0]: "
                            . join(', ', $reply->[1] =~ /(Edit \d+)/g)
                    unless $reply->[1] =~ /Edit $edit\b/
                           && $reply->[1] !~ /Edit (?!$edit\b)\d+/;
            }
        }
    }

    ok(!@late, 'each edit shows within 3 s') or diag(join "\n", @late);
    ok(!@back, 'no worker shows a version another has moved past')
        or diag(join "\n", @back[0 .. ($#back < 9 ? $#back : 9)]);

    $blog->stop;
};


subtest 'a builder killed with SIGKILL leaves the role to another' => sub {
    my $blog = start(4, files => $POSTS)
        or return;

    poll(5, sub { $blog->get('/blog/')->{body} =~ /Post 12/ })
        or diag('no index within 5 s');

    my ($first) = values %{ site_status_by_worker($blog, 2, 1, 1) };
    my $builder = $first->{index_zone}{builder_pid};
    my @old = $blog->workers;

    ok($builder && grep({ $_ == $builder } @old),
       "the builder ($builder) is a worker");
    ok(kill('KILL', $builder), 'SIGKILL to the builder');

    my ($new) = poll(5, sub {
        my @w = $blog->workers;
        return @w == 4 && !grep({ $_ == $builder } @w) ? \@w : undef;
    });
    ok($new, 'the master replaces it');

    my $t0 = time;
    save_atomically($blog->content . '/post-13.md',
                    "---\ntitle: After the kill\ndate: 2024-02-01\n---\n"
                    . "Written after the builder died.\n");

    my $shown = poll(5, sub {
        my @r = at_once($blog, '/blog/', 4);
        return @r == 4 && !grep { $_->[1] !~ /After the kill/ } @r;
    });
    ok($shown, sprintf 'a new post shows from every worker, %.1f s after'
                       . ' its save', time - $t0);

    my $by = site_status_by_worker($blog, 8, 10, 2);
    my %builders = map { ($_->{index_zone}{builder_pid} // 0) => 1 }
                   values %$by;
    my ($now) = keys %builders;
    is(scalar keys %builders, 1, 'the workers name one builder');
    ok($now && $now != $builder && grep({ $_ == $now } $blog->workers),
       "another worker builds ($now)");
    is(join(',', map { $_->{posts} } values %$by),
       join(',', map { 13 } values %$by), 'each has the 13 posts');

    $blog->stop(qr/worker process $builder exited on signal 9/);
};


# a child that sets the time of every post in DIR to now, every 50 ms,
# until stop_toucher

sub touch_posts {
    my ($dir) = @_;
    my $pid = fork // die "fork: $!\n";

    return $pid if $pid;

    while (1) {
        utime(undef, undef, glob("$dir/post-*.md"));
        sleep 0.05;
    }
}


sub stop_toucher {
    my ($pid) = @_;
    return unless $pid;
    kill 'KILL', $pid;
    waitpid($pid, 0);
}


subtest 'a builder killed while it builds leaves no worker stuck' => sub {

    # a child touches every post every 50 ms from before nginx starts
    # until the builder is killed: the first scan waits in its thread for
    # each post to stand still for the settle time, three times at most,
    # and so takes seconds, however slow the machine is to start nginx
    my $toucher;
    my $blog = start(4, files => $POSTS, config => $CONFIG =~ s/200ms/1s/r,
                     setup => sub {
                         $toucher = touch_posts($_[0]->content);
                     });
    if (!$blog) {
        stop_toucher($toucher);
        return;
    }

    my ($first) = poll(2, sub {
        my ($s) = values %{ site_status_by_worker($blog, 1, 1, 1) };
        return $s && $s->{index_zone}{builder_pid} ? $s : undef;
    });
    my $builder = $first ? $first->{index_zone}{builder_pid} : 0;

    if (!ok($builder, "a worker builds ($builder)")) {
        stop_toucher($toucher);
        return;
    }
    ok(!$first->{ready}, 'its first scan has not ended');

    # requests that wait for the first index, spread over the workers
    my @waiting = map { ask($blog, '/blog/') } 1 .. 16;

    ok(kill('KILL', $builder), 'SIGKILL to the builder, mid-scan');
    stop_toucher($toucher);

    my %reply = read_replies(10, @waiting);
    my @whole = grep { m{\AHTTP/1\.1 200 } && /Post 12/ } values %reply;

    # those the killed worker had accepted died with it: no answer
    my @other = grep { $_ ne '' && !(m{\AHTTP/1\.1 200 } && /Post 12/) }
                values %reply;

    cmp_ok(scalar @whole, '>=', 1,
           scalar(@whole) . ' of the 16 waiting requests get the index');
    ok(!@other, 'the others were the killed worker\'s: no answer at all')
        or diag(join "\n", map { excerpt($_, 200) } @other);

    my $by = site_status_by_worker($blog, 8, 10, 2);
    my %builders = map { ($_->{index_zone}{builder_pid} // 0) => 1 }
                   values %$by;
    my ($now) = keys %builders;
    ok(keys %builders == 1 && $now && $now != $builder,
       "another worker builds ($now)");

    save_atomically($blog->content . '/post-13.md',
                    "---\ntitle: Later\ndate: 2024-02-01\n---\nLater.\n");
    ok(poll(5, sub {
        my @r = at_once($blog, '/blog/', 4);
        return @r == 4 && !grep { $_->[1] !~ /Later/ } @r;
    }), 'an edit after it shows from every worker');

    $blog->stop(qr/worker process $builder exited on signal 9/);
};


# Room for two whole generations of this blog's index (about 250 KB each)
# and the posts the current one reads, not three: the worker that did not
# build keeps the generation it took until its next request or tick (every
# second, with a long check interval), so a copy made before then waits
# for it.  A generation copies only the posts that changed: each save here
# rewrites every post, as a deploy may.  Saves come in bursts of three,
# 30 ms apart, until the log says one waited (a tick in the middle of a
# burst lets the old one go first).

subtest 'no room while the index before is in use: the next waits' => sub {
    (my $config = $CONFIG) =~ s/200ms/1h/;

    my $blog = start(2, http_config => "blog_index_zone 768k;\n",
                     config => $config, files => $POSTS . $MANY)
        or return;

    ok(poll(5, sub { $blog->get('/blog/')->{body} =~ /Post 12/ }),
       'the index') or return;

    my $by = site_status_by_worker($blog, 4, 20, 2);
    is(scalar(keys %$by), 2, 'both workers answered, each with the index');

    my ($n, $waited) = (0, 0);

    for my $burst (1 .. 8) {
        for (1 .. 3) {
            $n++;
            for my $i (1 .. 300) {
                save_atomically(sprintf('%s/many-%03d.md', $blog->content,
                                        $i),
                                sprintf("---\ntitle: Many %03d, edit %d, "
                                        . "with a long title\ndate: "
                                        . "2023-01-01 00:%02d\ntags: [One, "
                                        . "Two, Three]\ndescription: %s\n"
                                        . "---\nWords.\n", $i, $n, $i % 60,
                                        'A description of some length. '
                                        x 5));
            }
            save_atomically($blog->content . '/post-12.md',
                            "---\ntitle: Edit $n\ndate: 2024-01-12\n---\n"
                            . "Edited.\n");
            sleep 0.03;
        }

        sleep 0.5;
        $waited = $blog->log =~ /no room for a new index/ and last;
    }

    ok(poll(5, sub { $blog->get('/blog/')->{body} =~ /Edit $n\b/ }),
       "the last edit shows ($n saves)");

    my $log = $blog->log;
    like($log, qr/\[warn\] .*blog: blog_index_zone has no room for a new (?#
                  )index of "[^"]*" \(\d+ bytes\) while workers still use/,
         'the log says a new index waited for room')
        or diag(excerpt($log, 3000));
    unlike($log, qr/builds the index .* for itself/,
           'the workers still share one index')
        or diag(excerpt($log, 3000));

    $by = site_status_by_worker($blog, 4, 20, 2);
    ok(keys %$by && !grep({ !$_->{index_shared} } values %$by),
       'blog_status: every worker answers from the shared index')
        or diag(explain($by));

    $blog->stop;
};


subtest 'an index with no room in the zone: each worker builds its own' => sub {
    my $blog = start(2, http_config => "blog_index_zone 32k;\n",
                     files => $POSTS . $MANY)
        or return;

    my $r = poll(5, sub {
        my $r = $blog->get('/blog/post-12/');
        return $r->{status} == 200 ? $r : undef;
    });
    ok($r, 'the posts are served');

    # each worker goes its own way at its next check (every 200 ms here)
    my ($by) = poll(3, sub {
        my $by = site_status_by_worker($blog, 4, 1, 1);
        return (keys %$by && !grep { $_->{index_shared} || !$_->{ready}
                                     || $_->{files} != 312 } values %$by)
               ? $by : undef;
    });
    ok($by, 'blog_status: the index is not shared, and has the 312 files')
        or diag(explain(site_status_by_worker($blog, 4, 1, 1)));

    my ($log) = poll(3, sub {
        my $l = $blog->log;
        return $l =~ /builds the index .* for itself/ ? $l : undef;
    });
    $log //= $blog->log;
    like($log, qr/\[error\] .*blog: blog_index_zone has no room for the (?#
                  )index of "[^"]*" \(\d+ bytes, 312 posts\): raise its size/,
         'the log says the zone has no room, with the size')
        or diag(excerpt($log, 3000));
    my @each = $log =~ /\[warn\] .*each worker builds the index of (?#
                        )"[^"]*" for itself now/g;
    cmp_ok(scalar @each, '>=', 1, 'and that the workers build their own');

    save_atomically($blog->content . '/post-12.md',
                    "---\ntitle: Edited\ndate: 2024-01-12\n---\nEdited.\n");
    ok(poll(3, sub { $blog->get('/blog/post-12/')->{body} =~ /Edited/ }),
       'an edit shows');

    $blog->stop;
};


done_testing();
