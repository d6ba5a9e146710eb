package Test::Blog::Deploy;

# Deploys as people make them, under load, for t/095-deploys.t (a few
# seconds each) and t/load/050-deploys.t (LOAD_SECONDS each): a content
# root that is a git repository switched between two commits, a new tree
# copied over the old with "rsync -a --delete", and a "current" link
# swapped atomically to a new release folder.  Each release rewrites 30
# posts (their title, first and last paragraphs name the release), keeps 4
# as they were, and has 2 posts of its own (odd releases odd-1 and odd-2,
# even ones even-1 and even-2).  Four readers fetch every post, the index
# (one page of them all) and the feed, with the cache and without it,
# while the test deploys a release, waits for it on every page, and
# deploys the next.  What must hold is checked here, the same for every
# pattern; the .t files say which patterns and for how long.
#
#   for my $pattern (deploy_patterns()) {
#       subtest $pattern => sub { deploys_under_load($pattern, 3) };
#   }

use strict;
use warnings;

use Exporter qw(import);
use File::Path qw(make_path rmtree);
use File::Temp ();
use POSIX qw(strftime);
use Test::More;
use Time::HiRes qw(sleep time);

use Test::Blog ();
use Test::Blog::HTTP qw(http_request);
use Test::Blog::Util qw(start_nginx start_children excerpt);

our @EXPORT_OK = qw(deploy_patterns deploys_under_load);

# A release must show on every page within this many seconds.
my $SETTLE = 2;

my @CHANGED = map { sprintf 'p%02d', $_ } 1 .. 30;
my @KEPT = map { sprintf 'k%02d', $_ } 1 .. 4;
my @ODD = qw(odd-1 odd-2);
my @EVEN = qw(even-1 even-2);
my %ONLY_SOME = map { $_ => 1 } @ODD, @EVEN;

# Newest first: the posts that come and go, then those that stay.
my @SLUGS = (@ODD, @EVEN, @KEPT, @CHANGED);
my %DATE = map { $SLUGS[$_] => strftime('%Y-%m-%d %H:%M:00',
                               gmtime(1714521600 - $_ * 3600)) } 0 .. $#SLUGS;

# The Atom feed holds the newest 20; at most 4 posts that come and go
# exist at once, so the newest 16 that stay are always in it.
my $FEED_SIZE = 20;
my %MUST = (index => [@KEPT, @CHANGED],
            feed => [(@KEPT, @CHANGED)[0 .. $FEED_SIZE - 5]]);

my @LOCATIONS = ('/blog/', '/plain/');     # with the cache, without it

# A post's marker, as its title and first and last paragraphs have it.
my $POST = qr{([\w-]+) release-(\d+)};

my $CONFIG = <<'END';
location /blog/ {
    blog ROOT;
    blog_cache pages;
    blog_check_interval 100ms;
    blog_posts_per_page 50;
}
location /plain/ {
    blog ROOT;
    blog_check_interval 100ms;
    blog_posts_per_page 50;
}
END

# name => the root nginx serves, the program it needs, what makes release
# 1 before nginx starts, what prepares release N (not timed), the deploy
# of release N (timed), and the release after N
my %PATTERN = (
    'git checkout' => {
        root => '$CONTENT', program => 'git',
        setup => \&git_setup,
        deploy => sub {
            my ($blog, $n) = @_;
            run(git => '-C', $blog->content, 'checkout', '-q', "release-$n");
        },
        next => sub { 3 - $_[0] },     # B, then A again, then B ...
    },
    'rsync -a --delete' => {
        root => '$CONTENT', program => 'rsync',
        setup => sub {
            my ($blog) = @_;
            build_release($blog->prefix . '/stage', 1);
            run(rsync => '-a', '--delete', $blog->prefix . '/stage/',
                $blog->content . '/');
        },
        prepare => sub {
            my ($blog, $n) = @_;
            build_release($blog->prefix . '/stage', $n);
        },
        deploy => sub {
            my ($blog, $n) = @_;
            run(rsync => '-a', '--delete', $blog->prefix . '/stage/',
                $blog->content . '/');
        },
    },
    'atomic symlink swap of the root' => {
        root => '$PREFIX/current', program => 'ln',
        setup => sub {
            my ($blog) = @_;
            build_release($blog->prefix . '/releases/1', 1);
            symlink 'releases/1', $blog->prefix . '/current'
                or die "symlink current: $!\n";
        },
        prepare => sub {
            my ($blog, $n) = @_;
            build_release($blog->prefix . "/releases/$n", $n);
        },
        deploy => sub {
            my ($blog, $n) = @_;
            my $prefix = $blog->prefix;

            # a new link beside the old, renamed over it: never no link
            run(ln => '-sfn', "releases/$n", "$prefix/current.new");
            run(mv => '-T', "$prefix/current.new", "$prefix/current");
            rmtree("$prefix/releases/" . ($n - 3)) if $n > 3;  # keep 3
        },
    },
);

my @PATTERNS = ('git checkout', 'rsync -a --delete',
                'atomic symlink swap of the root');

sub deploy_patterns { @PATTERNS }


# The post SLUG as release N has it (0 for the posts that never change),
# one paragraph longer or shorter than in N - 1: rsync's quick check
# compares sizes and whole seconds, and two releases may be built in one.

sub post_text {
    my ($slug, $n) = @_;
    my $filler = join '', map { "Paragraph $_ of $slug in release $n. "
                                . ('words ' x 25) . "\n\n" }
                              1 .. 10 + $n % 3;

    return "---\ntitle: $slug release-$n\ndate: $DATE{$slug}\n"
           . "tags: [Deploy]\n---\n"
           . "Begin $slug release-$n.\n\n${filler}End $slug release-$n.\n";
}


# { slug => the release its text names } for the posts of release N.

sub present {
    my ($n) = @_;
    return { (map { $_ => $n } @CHANGED, $n % 2 ? @ODD : @EVEN),
             map { $_ => 0 } @KEPT };
}


# Makes DIR hold release N: files whose text changed are rewritten, the
# others left alone (rsync and git then leave them alone too), and posts
# the release has not are removed.

sub build_release {
    my ($dir, $n) = @_;
    my $posts = present($n);

    make_path($dir);

    for my $slug (keys %$posts) {
        my $file = "$dir/$slug.md";
        my $text = post_text($slug, $posts->{$slug});
        next if -f $file && read_file($file) eq $text;
        Test::Blog::write_file($file, $text);
    }

    for my $file (glob "$dir/*.md") {
        my ($slug) = $file =~ m{([^/]+)\.md$};
        next if exists $posts->{$slug};
        unlink $file or die "unlink $file: $!\n";
    }
}


sub read_file {
    my ($file) = @_;
    open my $fh, '<:raw', $file or die "cannot read $file: $!\n";
    local $/;
    return scalar <$fh>;
}


# The content root a git repository: release 1 committed and tagged
# release-1, release 2 tagged release-2, release 1 checked out.

sub git_setup {
    my ($blog) = @_;
    my $dir = $blog->content;
    local $ENV{GIT_AUTHOR_NAME} = local $ENV{GIT_COMMITTER_NAME} = 'Test';
    local $ENV{GIT_AUTHOR_EMAIL} = local $ENV{GIT_COMMITTER_EMAIL}
        = 'test@example.com';
    my @git = (git => '-C', $dir, '-c', 'init.defaultBranch=main',
               '-c', 'advice.detachedHead=false');

    run(@git, 'init', '-q');

    for my $n (1, 2) {
        build_release($dir, $n);
        run(@git, 'add', '-A');
        run(@git, 'commit', '-q', '-m', "Release $n");
        run(@git, 'tag', "release-$n");
    }

    run(@git, 'checkout', '-q', 'release-1');
}


sub run {
    my (@cmd) = @_;
    system(@cmd) == 0 or die "@cmd: " . ($? == -1 ? $! : "status $?") . "\n";
}


# The URLs the readers and the deploys fetch: { uri, kind, slug }.

sub urls {
    my @posts = map { my $l = $_; map { { uri => "$l$_/", kind => 'post',
                                          slug => $_ } } @SLUGS }
                @LOCATIONS;
    my @lists = map { ({ uri => $_, kind => 'index' },
                       { uri => "${_}feed.xml", kind => 'feed' }) }
                @LOCATIONS;
    return (@posts, @lists);
}


# What a response shows: N when it is whole and names release N only (a
# listing: exactly the posts of release N, each as N has it), 'between'
# for a listing of posts from two releases, 'gone' for the 404 of a post
# some releases have not; or what is wrong with it: 'mixed' (one post
# from two releases, as title and body or as card and summary), 'blank'
# (a marker missing: a page cut short), 'lost' (the 404 of a post every
# release has), 'missing' (a listing without such a post), the status.

sub verdict {
    my ($url, $r) = @_;
    my $status = $r->{status} // return 'no answer';

    return $ONLY_SOME{$url->{slug}} ? 'gone' : 'lost'
        if $status == 404 && $url->{kind} eq 'post';
    return "status $status" if $status != 200;

    return post_release($url->{slug}, $r->{body}) if $url->{kind} eq 'post';

    my ($posts, $why) = $url->{kind} eq 'index' ? index_cards($r->{body})
                                                : feed_entries($r->{body});
    return ($posts, $why) unless ref $posts;

    my @missing = grep { !exists $posts->{$_} } @{ $MUST{$url->{kind}} };
    return ('missing', 'without ' . join(' ', @missing) . ' ('
                       . keys(%$posts) . ' posts listed)') if @missing;

    my %releases = map { $_ => 1 } grep { $_ } values %$posts;

    for my $n (keys %releases) {
        return $n if same_posts($posts, listing($url->{kind}, $n));
    }

    return 'between';
}


sub post_release {
    my ($slug, $body) = @_;

    return ('blank', 'no </html>') if $body !~ m{</html>\s*$};
    return one_post($slug, $body,
                    title => qr{<h1 class="post-title">$POST</h1>},
                    first => qr{<p>Begin $POST\.</p>},
                    last => qr{<p>End $POST\.</p>});
}


# { slug => release } of an index page's cards, or ('blank' or 'mixed',
# why).

sub index_cards {
    my ($body) = @_;
    my %posts;

    return ('blank', 'no </html>') if $body !~ m{</html>\s*$};

    for my $card ($body =~ m{<article class="card">(.*?)</article>}sg) {
        my ($slug) = $card =~ m{<h2><a href="[^"]*/([\w-]+)/">};
        my ($n, $why) = one_post($slug // '?', $card,
            title => qr{<h2><a href="[^"]*">$POST</a></h2>},
            summary => qr{<p class="summary">Begin $POST\.</p>});

        return ($n, "card $slug: $why: " . squash($card)) if $why;
        $posts{$slug} = $n;
    }

    return \%posts;
}


# { slug => release } of a feed's entries, or ('blank' or 'mixed', why).

sub feed_entries {
    my ($body) = @_;
    my %posts;

    return ('blank', 'no </feed>') if $body !~ m{</feed>\s*$};

    for my $entry ($body =~ m{<entry>(.*?)</entry>}sg) {
        my ($slug) = $entry =~ m{<id>[^<]*/([\w-]+)/</id>};
        my ($n, $why) = one_post($slug // '?', $entry,
            title => qr{<title>$POST</title>},
            first => qr{Begin $POST\.}, last => qr{End $POST\.});

        return ($n, "entry $slug: $why: " . squash($entry)) if $why;
        $posts{$slug} = $n;
    }

    return \%posts;
}


# TEXT on one line, at most 300 bytes of it.

sub squash {
    my ($text) = @_;
    $text =~ s/\s+/ /g;
    return excerpt($text, 300);
}


# The release that each marker of the post SLUG in TEXT names (markers:
# name => pattern of $POST), or ('blank', why) when one is not there,
# ('mixed', why) when they name two releases or another post.

sub one_post {
    my ($slug, $text, @markers) = @_;
    my (@found, @said);

    while (my ($name, $pattern) = splice @markers, 0, 2) {
        my @m = $text =~ $pattern;
        push @found, @m ? [@m] : undef;
        push @said, "$name " . (@m ? "$m[0] release-$m[1]" : 'none');
    }

    my $why = join ', ', @said;

    return ('blank', $why) if grep { !$_ } @found;
    return ('mixed', $why) if grep { $_->[0] ne $slug
                                     || $_->[1] != $found[0][1] } @found;
    return $found[0][1];
}


# { slug => release } that the index or the feed of release N lists.

sub listing {
    my ($kind, $n) = @_;
    my $posts = present($n);
    my @newest = grep { exists $posts->{$_} } @SLUGS;

    splice @newest, $FEED_SIZE if $kind eq 'feed' && @newest > $FEED_SIZE;
    return { map { $_ => $posts->{$_} } @newest };
}


sub same_posts {
    my ($a, $b) = @_;
    return keys %$a == keys %$b
           && !grep { ($b->{$_} // -1) ne $a->{$_} } keys %$a;
}


# What URL shows once release N is everywhere.

sub final {
    my ($url, $n) = @_;
    return $url->{kind} ne 'post' ? $n : present($n)->{$url->{slug}} // 'gone';
}


# deploys_under_load(PATTERN, SECONDS, MIN_DEPLOYS): starts nginx on
# release 1 and four readers, then deploys a release, waits until every
# URL shows it (at most $SETTLE s), looks at every URL once more, and
# deploys the next, for SECONDS and at least MIN_DEPLOYS [3] times.  Then
# tests what the readers got and how long each release took to show.

sub deploys_under_load {
    my ($name, $seconds, $min_deploys) = @_;
    my $pattern = $PATTERN{$name} or die "no deploy pattern '$name'\n";
    $min_deploys //= 3;

    plan(skip_all => "no $pattern->{program} (make deps installs it)")
        unless grep { -x "$_/$pattern->{program}" } split /:/, $ENV{PATH};

    (my $config = $CONFIG) =~ s/ROOT/$pattern->{root}/g;
    my $blog = start_nginx(http_config => 'blog_cache_zone pages:8m;',
                           config => $config,
                           setup => $pattern->{setup}) or return;

    my @urls = urls();
    my $port = $blog->port;
    my $dir = File::Temp::tempdir('test-blog-deploy-XXXXXX', TMPDIR => 1,
                                  CLEANUP => 1);
    my $limit = $seconds + 30 + $min_deploys * 10;
    my $start = time;

    my $wait = start_children(4, sub {
        my ($i) = @_;
        return read_while(sub { !-e "$dir/stop" && time < $start + $limit },
                          $port, $i, \@urls);
    }, $limit + 10);

    my @deploys = ({ release => 1, start => $start, end => $start });
    my $n = 1;

    while (@deploys <= $min_deploys || time < $start + $seconds) {
        $n = $pattern->{next} ? $pattern->{next}->($n) : $n + 1;
        $pattern->{prepare}->($blog, $n) if $pattern->{prepare};

        my %d = (release => $n, start => time);
        $pattern->{deploy}->($blog, $n);
        $d{end} = time;

        wait_everywhere(\%d, $port, \@urls);
        push @deploys, \%d;
    }

    Test::Blog::write_file("$dir/stop", '');

    my $got = tally($wait->());
    timeline($got, \@deploys, \@urls);

    check_readers($name, $got, \@deploys);
    check_deploys($name, \@deploys, $min_deploys);

    $blog->stop;
}


# A reader: every URL in turn from its own place in the list, a listing
# after each 4 posts, while WHILE returns true.  Returns { requests,
# kinds => { kind => n }, sample => { kind => [[time, text] ...] },
# seen => [releases of the posts that change], got => [[start time,
# URL's index, verdict] ...] }.

sub read_while {
    my ($while, $port, $i, $urls) = @_;
    my @posts = grep { $urls->[$_]{kind} eq 'post' } 0 .. $#$urls;
    my @lists = grep { $urls->[$_]{kind} ne 'post' } 0 .. $#$urls;
    my @order = map { ($posts[$_], $_ % 4 == 3 ? $lists[$_ / 4 % @lists]
                                               : ()) } 0 .. $#posts;
    my ($requests, %kinds, %sample, %seen, @got) = (0);

    while ($while->()) {
        my $u = $order[($requests++ + $i * 23) % @order];
        my $url = $urls->[$u];
        my $t = time;
        my $r = http_request($port, "GET $url->{uri}");
        my ($v, $why) = verdict($url, $r);
        my $kind = kind_of($v);

        $kinds{$kind}++;
        push @got, [$t, $u, $v];
        $seen{$v} = 1 if $v =~ /^\d+$/ && $v > 0 && $url->{kind} eq 'post';

        push @{ $sample{$kind} }, [$t, "GET $url->{uri}: $v"
                                       . ($why ? " ($why)" : '')
                                       . "; body:\n"
                                       . excerpt($r->{error} // $r->{body},
                                                 300)]
            if !is_fine($v) && @{ $sample{$kind} || [] } < 3;
    }

    return { requests => $requests, kinds => \%kinds, sample => \%sample,
             seen => [keys %seen], got => \@got };
}


sub kind_of {
    my ($verdict) = @_;
    return $verdict =~ /^(?:\d+|between)$/ ? '200'
         : $verdict eq 'gone' ? '404 of a post the release removed'
         : $verdict =~ /^status (\d+)$/ ? $1
         : $verdict;
}


sub is_fine { $_[0] =~ /^(?:\d+|between|gone)$/ }


# Fetches every URL until it shows release D->{release} (each until
# $SETTLE s after the deploy's end), then each once more.  Sets D's
# settled (seconds from the end to the last URL showing it), late (URLs
# that did not in time) and unsettled (URLs that showed something else
# on the second look).

sub wait_everywhere {
    my ($d, $port, $urls) = @_;
    my $deadline = $d->{end} + $SETTLE;
    my (@late, @unsettled);

    for my $url (@$urls) {
        for ( ;; ) {
            my ($v) = verdict($url, http_request($port, "GET $url->{uri}"));
            last if $v eq final($url, $d->{release});

            if (time >= $deadline) {
                push @late, "$url->{uri}: $v";
                last;
            }

            sleep 0.02;
        }
    }

    $d->{settled} = time - $d->{end};

    for my $url (@$urls) {
        my ($v) = verdict($url, http_request($port, "GET $url->{uri}"));
        push @unsettled, "$url->{uri}: $v" if $v ne final($url, $d->{release});
    }

    $d->{late} = \@late;
    $d->{unsettled} = \@unsettled;
}


# The readers' results added up: { requests, kinds, sample, seen, got,
# errors }.

sub tally {
    my (@readers) = @_;
    my %all = (requests => 0, kinds => {}, sample => {}, seen => {},
               got => [], errors => []);

    for my $res (@readers) {
        push @{ $all{errors} }, $res->{error} if $res->{error};
        $all{requests} += $res->{requests} // 0;
        $all{kinds}{$_} += $res->{kinds}{$_} for keys %{ $res->{kinds} };
        push @{ $all{sample}{$_} }, @{ $res->{sample}{$_} }
            for keys %{ $res->{sample} || {} };
        $all{seen}{$_} = 1 for @{ $res->{seen} || [] };
        push @{ $all{got} }, @{ $res->{got} || [] };
    }

    return \%all;
}


# The deploy that time T came during or after.

sub deploy_at {
    my ($deploys, $t) = @_;
    my ($d) = grep { $_->{start} <= $t } reverse @$deploys;
    return $d // $deploys->[0];
}


# Sets GOT's lag (how long after a deploy's end a reader last got the
# state before it), stale (answers later than $SETTLE s after it that
# still showed that state) and failures (each failing verdict: by the
# release deployed, seconds after its deploy began).

sub timeline {
    my ($got, $deploys, $urls) = @_;
    my ($lag, @stale, %failures) = (0);

    for my $g (sort { $a->[0] <=> $b->[0] } @{ $got->{got} }) {
        my ($t, $u, $v) = @$g;
        my $d = deploy_at($deploys, $t);

        if (!is_fine($v)) {
            push @{ $failures{kind_of($v)}{$d->{release}} }, $t - $d->{start};
            next;
        }

        next if $t < $d->{end} || $v eq final($urls->[$u], $d->{release});

        $lag = $t - $d->{end} if $t - $d->{end} > $lag;
        push @stale, sprintf "GET %s %.2f s after the deploy of release %d"
                             . " ended: %s", $urls->[$u]{uri},
                             $t - $d->{end}, $d->{release}, $v
            if $t - $d->{end} > $SETTLE;
    }

    @$got{qw(lag stale failures)} = ($lag, \@stale, \%failures);
}


sub check_readers {
    my ($how, $got, $deploys) = @_;
    my %kinds = %{ $got->{kinds} };
    my $summary = join ', ', map { "$_: $kinds{$_}" } sort keys %kinds;

    # the first three of each kind, and when they came
    my $samples = sub {
        join "\n", map { when($deploys, $_->[0]) . ": $_->[1]" }
                   map { grep { defined } @{ $got->{sample}{$_} || [] }
                                          [0 .. 2] } @_;
    };

    for my $kind (sort keys %{ $got->{failures} }) {
        my $by = $got->{failures}{$kind};
        note("$how: $kind in the deploy of " . join '; ', map {
                 my @t = sort { $a <=> $b } @{ $by->{$_} };
                 sprintf 'release %d: %d, %.3f to %.3f s after it began',
                         $_, scalar @t, $t[0], $t[-1] }
             sort { $a <=> $b } keys %$by);
    }

    cmp_ok($got->{requests}, '>', 100,
           "$how: $got->{requests} requests ($summary)")
        or diag(join "\n", @{ $got->{errors} });

    my @failed = grep { /^5|no answer/ } keys %kinds;
    ok(!@failed, "$how: no 5xx, no failed request")
        or diag($samples->(@failed));
    ok(!$kinds{mixed}, "$how: no page mixes two releases of a post")
        or diag($samples->('mixed'));
    ok(!$kinds{blank}, "$how: no page is blank or partial")
        or diag($samples->('blank'));
    ok(!$kinds{lost} && !$kinds{missing},
       "$how: no 404 for a post both releases have, no listing without it")
        or diag($samples->('lost', 'missing'));

    my @other = grep { !/^(?:200|404 of a .*|mixed|blank|lost|missing)$/
                       && !/^5|no answer/ } keys %kinds;
    ok(!@other, "$how: every other answer 200 with whole pages")
        or diag($samples->(@other));

    my @seen = sort { $a <=> $b } keys %{ $got->{seen} };
    cmp_ok(scalar @seen, '>=', 2,
           "$how: the readers saw the posts change (releases @seen)");

    note(sprintf "%s: a reader got the state before a deploy at most %.2f s"
                 . " after it ended", $how, $got->{lag});
    ok(!@{ $got->{stale} },
       "$how: no reader got the state before a deploy $SETTLE s after it")
        or diag(join "\n", grep { defined } @{ $got->{stale} }[0 .. 9]);
}


# When T was: after the start, or after which deploy began.

sub when {
    my ($deploys, $t) = @_;
    my $d = deploy_at($deploys, $t);

    return sprintf '%.3f s after the start', $t - $d->{start}
        if $d == $deploys->[0];
    return sprintf '%.3f s after the deploy of release %d began (it took'
                   . ' %.3f s)', $t - $d->{start}, $d->{release},
                   $d->{end} - $d->{start};
}


sub check_deploys {
    my ($how, $deploys, $min) = @_;
    my @d = @$deploys[1 .. $#$deploys];
    my $list = sub {
        my ($what) = @_;
        join "\n", map { "release $_->{release}: "
                         . join(', ', @{ $_->{$what} }) }
                   grep { @{ $_->{$what} } } @d;
    };

    note(sprintf "%s: %d deploys (releases %s), each %s s long, each on"
                 . " every page %s s after", $how, scalar @d,
                 join(' ', map { $_->{release} } @d),
                 join(' ', map { sprintf '%.3f', $_->{end} - $_->{start} }
                               @d),
                 join(' ', map { sprintf '%.2f', $_->{settled} } @d));

    cmp_ok(scalar @d, '>=', $min, "$how: " . scalar(@d) . " deploys");
    ok(!grep({ @{ $_->{late} } } @d),
       "$how: every post, the index and the feed show each release within"
       . " $SETTLE s")
        or diag($list->('late'));
    ok(!grep({ @{ $_->{unsettled} } } @d), "$how: and keep showing it")
        or diag($list->('unsettled'));
}


1;
