# Faults and races, each bounded to a few seconds: a post saved again and
# again while four clients read it (no 5xx, and every page, feed and
# index is one whole version of the file, with and without the cache, for
# atomic saves and for writes in place, fast and slow: never a file
# caught half written); a worker killed with SIGKILL under load (the
# master replaces it, nothing hangs, the cache still answers); a zone far
# too small under concurrent load (every answer right, no log flood).

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use Test::Blog::HTTP qw(http_request);
use Test::Blog::Util qw(start_nginx poll write_in_place save_atomically
                        write_in_place_slowly start_children excerpt);
use Test::More;
use Time::HiRes qw(sleep time);

my $LOAD_SECONDS = 3;


# A version of the post: "version-N" in its title, first and last
# paragraphs, with some 12k of text between them.

sub version {
    my ($n) = @_;
    my $filler = join '', map { "Filler paragraph $_ of version $n. "
                                . ('text ' x 30) . "\n\n" } 1 .. 70;

    return "---\ntitle: version-$n\ndate: 2024-05-01\ntags: [Race]\n---\n"
           . "The first paragraph of version-$n.\n\n$filler"
           . "The last paragraph of version-$n.\n";
}


# Which version a response shows: (N, '') when each marker names version
# N; (undef, 'mixed', why) when they name two versions; (undef, 'blank',
# why) when one or both are missing -- what a reader gets from a file
# caught between its truncation and the end of its rewrite.

sub version_of {
    my ($uri, $body) = @_;
    my @markers = $uri =~ m{/race/$}
        ? (qr{<h1 class="post-title">version-(\d+)</h1>},
           qr{<p>The last paragraph of version-(\d+)\.</p>})
        : $uri =~ m{/feed\.xml$}
        ? (qr{<title[^>]*>version-(\d+)</title>},
           qr{The last paragraph of version-(\d+)\.})
        : (qr{<h2><a href="[^"]*/race/">version-(\d+)</a></h2>},
           qr{<p class="summary">The first paragraph of version-(\d+)\.</p>});
    my @n = map { $body =~ $_ ? $1 : undef } @markers;

    my @named = grep { defined } @n;

    return (undef, 'mixed', "version-$named[0] and version-$named[1]")
        if @named == 2 && $named[0] != $named[1];
    return (undef, 'blank', 'title: ' . ($n[0] // 'none') . ', last part: '
                            . ($n[1] // 'none'))
        if @named < 2;
    return ($n[0], '');
}


sub edits_under_load {
    my ($how, $save, $pause, $seconds, $min_versions) = @_;

    my $blog = start_nginx(files => ">>> race.md\n" . version(0),
        http_config => 'blog_cache_zone pages:4m;',
        config => <<'END') or return;
location /blog/ {
    blog $CONTENT;
    blog_cache pages;
    blog_check_interval 50ms;
}
location /plain/ {
    blog $CONTENT;
    blog_check_interval 50ms;
}
END

    my $file = $blog->content . '/race.md';
    my $port = $blog->port;
    my @uris = ('/blog/race/', '/plain/race/', '/blog/', '/plain/',
                '/blog/feed.xml', '/plain/feed.xml');

    my $wait = start_children(5, sub {
        my ($i) = @_;
        my $deadline = time + $seconds;

        if ($i == 5) {
            # the author: a new version, then a pause
            my $n = 0;
            while (time < $deadline && $n < 1000) {
                $save->($file, version(++$n));
                sleep $pause;
            }
            return { versions => $n };
        }

        my (%seen, %status, %sample);
        my $requests = 0;

        while (time < $deadline && $requests < 20000) {
            my $uri = $uris[$requests++ % @uris];
            my $r = http_request($port, "GET $uri");
            my $status = $r->{status} // 'no answer';
            my $kind = $status;
            my ($n, $why);

            if ($status eq '200') {
                ($n, $kind, $why) = version_of($uri, $r->{body});
                $kind ||= '200';

            } else {
                $why = $r->{error} // '';
            }

            $seen{$n} = 1 if defined $n;
            $status{$kind}++;

            push @{ $sample{$kind} }, "GET $uri: $kind, $why; body:\n"
                                      . excerpt($r->{body}, 400)
                if $kind ne '200' && @{ $sample{$kind} || [] } < 2;
        }

        return { requests => $requests, status => \%status,
                 versions_seen => scalar keys %seen, sample => \%sample };
    });

    my @results = $wait->();
    my $author = pop @results;

    my (%status, %sample, @errors, $requests, $seen);

    for my $res (@results) {
        push @errors, $res->{error} if $res->{error};
        $requests += $res->{requests} // 0;
        $seen = $res->{versions_seen}
            if ($res->{versions_seen} // 0) > ($seen // 0);
        $status{$_} += $res->{status}{$_} for keys %{ $res->{status} || {} };
        push @{ $sample{$_} }, @{ $res->{sample}{$_} }
            for keys %{ $res->{sample} || {} };
    }

    # 200 whole, 200 blank or mixed, or another status
    my $summary = join ', ', map { "$_: $status{$_}" } sort keys %status;
    my $versions = $author->{versions} // 0;
    my $samples = sub {     # the first two of each kind
        join "\n", map { grep { defined } @{ $sample{$_} || [] }[0, 1] } @_;
    };

    cmp_ok($versions, '>=', $min_versions,
           "$how: the author saved $versions versions")
        or diag($author->{error} // '');
    cmp_ok($requests, '>', 100, "$how: $requests requests ($summary)")
        or diag(join "\n", @errors);

    my @failed = grep { /^5|no answer/ } keys %status;
    ok(!@failed, "$how: no 5xx, no failed request")
        or diag($samples->(@failed));
    ok(!$status{mixed}, "$how: no page mixes two versions")
        or diag($samples->('mixed'));
    ok(!$status{blank}, "$how: no page is blank or partial")
        or diag($samples->('blank'));

    my @other = grep { !/^(?:200|mixed|blank)$/ && !/^5|no answer/ }
                keys %status;
    ok(!@other, "$how: every request 200 with one whole version")
        or diag($samples->(@other));

    cmp_ok($seen // 0, '>', 2,
           "$how: the readers saw the post change (" . ($seen // 0)
           . " versions)");

    # once the author stops, the last version everywhere
    for my $uri (@uris) {
        my ($r) = poll(2, sub {
            my $r = $blog->get($uri);
            my ($n) = version_of($uri, $r->{body});
            return defined $n && $n == $versions ? $r : undef;
        });
        ok($r, "$how: GET $uri shows the last version within 2 s");
    }

    $blog->stop;
}


# A save is seen once the file has stood still for twice the check
# interval (50 ms here): saves 150 ms apart are each seen.

subtest 'a post saved atomically every 150 ms under load' => sub {
    edits_under_load('atomic saves', \&save_atomically, 0.15,
                     $LOAD_SECONDS, 10);
};


subtest 'a post rewritten in place every 150 ms under load' => sub {
    edits_under_load('writes in place', \&write_in_place, 0.15,
                     $LOAD_SECONDS, 10);
};


subtest 'a post rewritten slowly in place every 0.6 s under load' => sub {
    edits_under_load('slow writes in place', \&write_in_place_slowly, 0.56,
                     $LOAD_SECONDS + 1, 5);
};


subtest 'a worker killed with SIGKILL under load' => sub {
    my $blog = start_nginx(
        files => ">>> hello.md\n---\ntitle: Hello\ndate: 2024-05-01\n---\n"
                 . "Still here.\n",
        http_config => 'blog_cache_zone pages:1m;',
        config => <<'END') or return;
location /blog/ {
    blog $CONTENT;
    blog_cache pages;
    add_header X-Cache $blog_cache_status always;
}
END

    my $port = $blog->port;
    my $start = time;

    my $wait = start_children(2, sub {
        my ($i) = @_;
        my $deadline = time + $LOAD_SECONDS;
        my ($requests, $ok, @failed) = (0, 0);

        while (time < $deadline && $requests < 20000) {
            my $uri = $requests++ % 2 ? '/blog/' : '/blog/hello/';
            my $r = http_request($port, "GET $uri");

            if (($r->{status} // 0) == 200) {
                $ok++;

            } else {
                push @failed, [time, "GET $uri: "
                               . ($r->{status} // $r->{error} // '?')];
            }
        }

        return { requests => $requests, ok => $ok, failed => \@failed };
    });

    # ps may miss them for a moment under the sanitizers' load: looked for
    # again for up to 5 s
    my @old = $blog->wait_new_workers([], 2, 5);
    is(scalar @old, 2, 'two workers');

    my (@killed, $last_kill);

    for my $pid (@old) {
        sleep 0.5;
        my @before = $blog->workers;

        if (kill 'KILL', $pid) {
            push @killed, $pid;
            $last_kill = time;
        }

        my @new = $blog->wait_new_workers([$pid], scalar @before, 5);
        ok(scalar @new, "SIGKILL to worker $pid - the master starts another")
            or diag('workers now: ' . join ' ', $blog->workers);
    }

    my @results = $wait->();

    my ($requests, $ok, @late) = (0, 0);

    for my $res (@results) {
        push @late, $res->{error} if $res->{error};
        $requests += $res->{requests} // 0;
        $ok += $res->{ok} // 0;

        # a connection the killed worker held may fail; none after
        push @late, map { sprintf "%.2f s after the kill: %s",
                                  $_->[0] - $last_kill, $_->[1] }
                    grep { $_->[0] > $last_kill + 1 }
                    @{ $res->{failed} || [] };
    }

    cmp_ok($ok, '>', 100, "$ok of $requests requests under load were 200");
    ok(!@late, 'no request failed from 1 s after the last kill on')
        or diag(join "\n", @late[0 .. ($#late > 9 ? 9 : $#late)]);

    my @now = $blog->workers;
    my %killed = map { $_ => 1 } @killed;
    ok(@now == 2 && !grep({ $killed{$_} } @now),
       'two workers, none of them a killed one')
        or diag("workers: @now; killed: @killed");

    for my $uri ('/blog/hello/', '/blog/') {
        my $t0 = time;
        my $r = $blog->get($uri);
        my $took = time - $t0;

        ok($r->{status} == 200 && $took < 2,
           "GET $uri after the kills - 200 within 2 s")
            or diag(sprintf "%s after %.1f s",
                    $r->{status} // $r->{error}, $took);
        is($r->{headers}{'x-cache'}, 'HIT',
           "GET $uri after the kills - HIT: the zone kept its pages");
    }

    $blog->stop(qr/worker process \d+ exited on signal 9/,
                qr/shared memory zone "pages" was locked by/);
};


subtest 'a zone far too small under concurrent load' => sub {
    my $blog = start_nginx(
        setup => sub {
            my ($blog) = @_;

            for my $n (1 .. 50) {
                my $id = sprintf '%02d', $n;
                Test::Blog::write_file($blog->content . "/post-$id.md",
                    "---\ntitle: Post $id\ndate: 2024-01-01 12:$id:00\n"
                    . "description: Post number $id.\n---\n"
                    . join(' ', map { "word$id-$_" } 1 .. 300)
                    . "\n\nThe end of post $id.\n");
            }
        },
        http_config => 'blog_cache_zone tiny:32k;',
        config => <<'END') or return;
location /blog/ {
    blog $CONTENT;
    blog_cache tiny;
}
END

    my $port = $blog->port;

    my $wait = start_children(4, sub {
        my ($i) = @_;
        my $deadline = time + $LOAD_SECONDS;
        my ($requests, %status, @bad) = (0);

        while (time < $deadline && $requests < 20000) {
            my $id = sprintf '%02d', 1 + ($requests++ * 7 + $i * 13) % 50;
            my $r = http_request($port, "GET /blog/post-$id/");
            my $status = $r->{status} // 'no answer';

            if ($status eq '200'
                && ($r->{body} !~ m{<h1 class="post-title">Post $id</h1>}
                    || $r->{body} !~ m{<p>The end of post $id\.</p>}))
            {
                $status = 'wrong page';
            }

            $status{$status}++;
            push @bad, "GET /blog/post-$id/: $status" if $status ne '200'
                                                         && @bad < 5;
        }

        return { requests => $requests, status => \%status, bad => \@bad };
    });

    my @results = $wait->();
    my ($requests, %status, @bad) = (0);

    for my $res (@results) {
        push @bad, $res->{error} if $res->{error};
        push @bad, @{ $res->{bad} || [] };
        $requests += $res->{requests} // 0;
        $status{$_} += $res->{status}{$_} for keys %{ $res->{status} || {} };
    }

    my $summary = join ', ', map { "$_: $status{$_}" } sort keys %status;

    cmp_ok($requests, '>', 100, "$requests requests ($summary)");
    is($status{200} // 0, $requests, 'every one 200 with its own post')
        or diag(join "\n", @bad);

    my @full = grep { /is full|ngx_slab_alloc\(\) failed/ }
               split /\n/, $blog->log;
    cmp_ok(scalar @full, '<=', 1,
           'the error log says the zone is full at most once')
        or diag(join "\n", @full[0 .. ($#full > 5 ? 5 : $#full)]);

    $blog->stop;
};


done_testing();
