# What an author does on disk is what a reader sees, within a check
# interval and without a reload: an edit in place (even one that keeps the
# file's size), an editor's atomic save, a new post, a deleted post, a
# renamed file and a post dated a few seconds ahead.  Each change must show
# on every page that shows the post (the post, the index, its tag's page,
# the feed, the sitemap) within about a second -- with the page cache
# (/blog/, its pages stored before each change) and without it (/plain/).

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use POSIX qw(strftime);
use Test::Blog::Util qw(start_nginx poll write_in_place save_atomically
                        excerpt);
use Test::More;
use Time::HiRes qw(sleep time);

# blog_check_interval 200ms: a change must show within this (the polls go
# on to 2 s so that a slow one says how slow it was)
my $WITHIN = 2;

my @LOCATIONS = ('/blog', '/plain');


my $blog = start_nginx(
    http_config => 'blog_cache_zone pages:1m;',
    config => <<'END',
location /blog/ {
    blog $CONTENT;
    blog_cache pages;
    blog_check_interval 200ms;
    blog_base_url http://blog.test;
    add_header X-Cache $blog_cache_status always;
}
location /plain/ {
    blog $CONTENT;
    blog_check_interval 200ms;
    blog_base_url http://blog.test;
}
END
    files => <<'END');
>>> alpha.md
---
title: Alpha
date: 2024-05-01
tags: [Fresh]
---
The first body.
>>> beta.md
---
title: Beta
date: 2024-05-02
tags: [Fresh]
---
The second body.
>>> gamma.md
---
title: Gamma
date: 2024-05-03
tags: [Fresh]
---
The third body.
END

if ($blog) {
    run_cases();
    $blog->stop;
}

done_testing();


sub run_cases {
    my $content = $blog->content;

    change('an edit in place', sub {
        write_in_place("$content/alpha.md", <<'END');
---
title: Alpha Edited
date: 2024-05-01
lastmod: 2025-03-04
tags: [Fresh]
---
The first body, edited.
END
    }, shown('alpha', 'Alpha Edited', 'The first body, edited\.',
             '2025-03-04T00:00:00Z'));

    # "Edited" -> "Redone": the same size, only the mtime tells
    change('an edit in place that keeps the size', sub {
        write_in_place("$content/alpha.md", <<'END');
---
title: Alpha Redone
date: 2024-05-01
lastmod: 2025-03-04
tags: [Fresh]
---
The first body, redone.
END
    }, shown('alpha', 'Alpha Redone', 'The first body, redone\.'));

    change('an atomic save (a temporary file renamed over the post)', sub {
        save_atomically("$content/beta.md", <<'END');
---
title: Beta Saved
date: 2024-05-02
lastmod: 2025-03-05
tags: [Fresh]
---
The second body, saved.
END
    }, shown('beta', 'Beta Saved', 'The second body, saved\.',
             '2025-03-05T00:00:00Z'));

    change('a new post', sub {
        Test::Blog::write_file("$content/delta.md", <<'END');
---
title: Delta
date: 2024-05-04
tags: [Fresh]
---
The new body.
END
    }, shown('delta', 'Delta', 'The new body\.'));

    change('a deleted post', sub {
        unlink "$content/gamma.md" or die "unlink gamma.md: $!\n";
    }, gone('gamma'));

    change('a renamed file', sub {
        rename "$content/beta.md", "$content/beta-renamed.md"
            or die "rename beta.md: $!\n";
    }, gone('beta'), shown('beta-renamed', 'Beta Saved'));

    future_post();
}


# The checks that a post is shown: [uri, status, regexes it must match].
# Each uri is relative to a location's prefix (P).

sub shown {
    my ($slug, $title, $body, $lastmod) = @_;
    my $t = quotemeta $title;
    my $card = sub { qr{<h2><a href="$_[0]/$slug/">$t</a></h2>} };

    my @checks = (
        ["/$slug/", 200, sub { qr{<h1 class="post-title">$t</h1>} },
                         $body ? sub { qr{<p>$body</p>} } : ()],
        ['/', 200, $card],
        ['/tags/fresh/', 200, $card],
        ['/feed.xml', 200, sub {
            qr{<title>$t</title>\n<link rel="alternate" type="text/html" }
            . qr{href="http://blog\.test$_[0]/$slug/"/>} }],
        ['/sitemap.xml', 200, sub {
            my $lm = $lastmod ? "<lastmod>\Q$lastmod\E</lastmod>" : '';
            qr{<loc>http://blog\.test$_[0]/$slug/</loc>$lm} }],
    );

    return map { { uri => $_->[0], status => $_->[1],
                   like => [ @$_[2 .. $#$_] ], what => "shows $title" } }
               @checks;
}


# The checks that a post is gone: its page 404s, no page links to it.

sub gone {
    my ($slug) = @_;
    my $link = sub { qr{/\Q$slug\E/[<"]} };

    return ({ uri => "/$slug/", status => 404, what => "404s" },
            map { { uri => $_, status => 200, unlike => [$link],
                    what => "has no $slug" } }
                ('/', '/tags/fresh/', '/feed.xml', '/sitemap.xml'));
}


# Stores every page the checks read (the cached location asks twice and
# must HIT), makes the change, then polls each check in both locations.

sub change {
    my ($name, $do, @checks) = @_;

    for my $p (@LOCATIONS) {
        for my $uri (map { $_->{uri} } @checks) {
            $blog->get("$p$uri") for 1 .. 2;
        }
    }

    my $r = $blog->get('/blog/');
    is($r->{headers}{'x-cache'}, 'HIT',
       "$name - before it, /blog/ is a cached page");

    $do->();
    my $t0 = time;

    for my $p (@LOCATIONS) {
        check_within("$name, $p", $t0, $p, $_) for @checks;
    }
}


sub check_within {
    my ($name, $t0, $p, $check) = @_;
    my $uri = "$p$check->{uri}";
    my $why;

    my ($r, $took);

    for ( ;; ) {
        $r = $blog->get($uri);
        $why = mismatch($r, $p, $check);
        $took = time - $t0;
        last if !$why || $took >= $WITHIN;
        sleep 0.05;
    }

    ok(!$why, sprintf "%s - GET %s %s within %g s", $name, $uri,
                      $check->{what}, $WITHIN)
        or diag(sprintf "after %.1f s: %s; X-Cache: %s; body:\n%s", $took,
                $why, $r->{headers}{'x-cache'} // '(none)',
                excerpt($r->{body}, 1500));
}


# Why a response does not pass a check, or undef.

sub mismatch {
    my ($r, $p, $check) = @_;

    return "status $r->{status}, not $check->{status}"
           . ($r->{error} ? " ($r->{error})" : '')
        if $r->{status} != $check->{status};

    for (@{ $check->{like} || [] }) {
        my $re = $_->($p);
        return "no match for $re" if $r->{body} !~ $re;
    }

    for (@{ $check->{unlike} || [] }) {
        my $re = $_->($p);
        return "'$&' is there" if $r->{body} =~ $re;
    }

    return undef;
}


# A post dated three seconds ahead: 404 and absent until then, then
# shown within about a second of its time, with no reload.

sub future_post {
    my $name = 'a post dated 3 s ahead';
    my $date = int(time) + 3;

    for my $p (@LOCATIONS) {
        $blog->get("$p$_") for '/', '/', '/tags/fresh/', '/feed.xml',
                                '/sitemap.xml';
    }

    Test::Blog::write_file($blog->content . '/epsilon.md',
        "---\ntitle: Epsilon\n"
        . strftime("date: %Y-%m-%d %H:%M:%S +0000\n", gmtime $date)
        . "tags: [Fresh]\n---\nThe future body.\n");

    sleep 0.6;      # three check intervals: the post has been read

    for my $p (@LOCATIONS) {
        my @early = map { { %$_, what => "has no epsilon yet" } }
                        gone('epsilon');
        $early[0]{what} = '404s before its time';

        for my $check (@early) {
            my $r = $blog->get("$p$check->{uri}");
            my $why = mismatch($r, $p, $check);
            ok(!$why, "$name, $p - GET $p$check->{uri} $check->{what}")
                or diag($why);
        }
    }

    # poll the post until it is there, noting when it came
    my %came;
    my $deadline = $date + $WITHIN;

    while (time < $deadline && keys %came < @LOCATIONS) {
        for my $p (@LOCATIONS) {
            next if $came{$p};
            my $r = $blog->get("$p/epsilon/");
            $came{$p} = time if $r->{status} == 200;
        }
        sleep 0.05;
    }

    for my $p (@LOCATIONS) {
        ok($came{$p} && $came{$p} >= $date - 0.05,
           "$name, $p - not shown before its time")
            or diag($came{$p} ? sprintf("shown %.2f s early",
                                        $date - $came{$p})
                              : 'never shown');
        ok($came{$p} && $came{$p} <= $date + 1.5,
           "$name, $p - shown within 1.5 s of its time")
            or diag($came{$p} ? sprintf("shown %.2f s after its time",
                                        $came{$p} - $date)
                              : "not shown within $WITHIN s of its time");
    }

    for my $p (@LOCATIONS) {
        check_within("$name, $p", $date, $p, $_)
            for shown('epsilon', 'Epsilon', 'The future body\.');
    }
}
