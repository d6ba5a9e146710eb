# A post swapped for a symbolic link after the index read it never shows
# the link's target: not on its page, not as its Markdown source, not in
# the index or the feed, not from the page cache, whether or not a rescan
# comes before the next request.  The swaps are what an author with write
# access to the content folder can do: remove a post and make a link in
# its place, rename a link over a post, and replace a page bundle's folder
# by a link to a folder elsewhere.  The target holds a marker that no
# response may carry.  The content root itself may be a link (a deploy
# that swaps "current"): the posts below it still serve.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use File::Path qw(rmtree);
use Test::Blog qw(write_file);
use Test::Blog::Util qw(start_nginx excerpt);
use Test::More;
use Time::HiRes qw(sleep time);

# One random tag per run, so the marker can only come from its file.
my $RUN = sprintf "%08x%04x", int(rand(0xffffffff)), $$ & 0xffff;
my $MARKER = "SYMLINK_SECRET_$RUN";

# How long each location is watched after the swaps.
my $WATCH = 3;

my @LOCATIONS = ('/blog', '/plain');

# [what, post slug, its text before the swap, the swap (content, outside)]
my @SWAPS = (
    ['a post removed and a link made in its place', 'removed',
     sub {
         my ($content, $outside) = @_;
         unlink "$content/removed.md" or die "unlink removed.md: $!\n";
         symlink "$outside/secret.md", "$content/removed.md"
             or die "symlink removed.md: $!\n";
     }],
    ['a link renamed over a post', 'renamed',
     sub {
         my ($content, $outside) = @_;
         symlink "$outside/secret.md", "$content/.renamed.tmp"
             or die "symlink .renamed.tmp: $!\n";
         rename "$content/.renamed.tmp", "$content/renamed.md"
             or die "rename over renamed.md: $!\n";
     }],
    ['a bundle folder replaced by a link to a folder outside', 'bundle',
     sub {
         my ($content, $outside) = @_;
         rmtree("$content/bundle");
         symlink "$outside/folder", "$content/bundle"
             or die "symlink bundle: $!\n";
     }],
);

# [what, blog_check_interval, the root the blog names]
my @RUNS = (
    ['a rescan every 100 ms', '100ms', '$CONTENT'],
    ['no rescan during the test, the root a link', '1h', '$PREFIX/current'],
);

my $FILES = <<'END';
>>> removed.md
---
title: Removed
date: 2024-05-01
tags: [Swap]
---
The removed post, as written.
>>> renamed.md
---
title: Renamed
date: 2024-05-02
tags: [Swap]
---
The renamed post, as written.
>>> bundle/index.md
---
title: Bundle
date: 2024-05-03
tags: [Swap]
---
The bundle, as written.
>>> stays.md
---
title: Stays
date: 2024-05-04
tags: [Swap]
---
The post that stays.
END

# The target of every link, outside the content root: a post that would
# be listed, titled and described with the marker.
my $SECRET = <<"END";
---
title: Secret $MARKER
description: $MARKER
date: 2024-05-05
tags: [Swap]
---
$MARKER
END


for my $run (@RUNS) {
    my ($name, $interval, $root) = @$run;

    subtest $name => sub { swap_and_watch($interval, $root) };
}

done_testing();


sub swap_and_watch {
    my ($interval, $root) = @_;

    my $blog = start_nginx(
        http_config => 'blog_cache_zone pages:1m;',
        config => <<"END",
location /blog/ {
    blog $root;
    blog_cache pages;
    blog_check_interval $interval;
    blog_base_url http://blog.test;
}
location /plain/ {
    blog $root;
    blog_check_interval $interval;
    blog_base_url http://blog.test;
}
END
        files => $FILES,
        setup => sub {
            my ($blog) = @_;
            my $prefix = $blog->prefix;

            write_file("$prefix/outside/secret.md", $SECRET);
            write_file("$prefix/outside/folder/index.md", $SECRET);
            symlink $blog->content, "$prefix/current"
                or die "symlink current: $!\n";
        }) or return;

    my $content = $blog->content;
    my $outside = $blog->prefix . '/outside';

    # read, indexed and cached as the author first wrote them
    for my $p (@LOCATIONS) {
        for my $slug ('stays', map { $_->[1] } @SWAPS) {
            my $r;
            $r = $blog->get("$p/$slug/") for 1 .. 2;
            like($r->{body} // '', qr{<p>The [\w ]+(?:, as written)?\.</p>},
                 "before the swaps, GET $p/$slug/ shows the post");
        }
    }

    $_->[2]->($content, $outside) for @SWAPS;

    my @uris = map { my $p = $_;
                     ((map { ["$p/$_->[1]/"],
                             ["$p/$_->[1]/", Accept => 'text/markdown'] }
                           @SWAPS),
                      ["$p/"], ["$p/feed.xml"], ["$p/tags/swap/feed.xml"]) }
               @LOCATIONS;

    my (%leaked, %status);
    my $deadline = time + $WATCH;

    while (time < $deadline) {
        for my $u (@uris) {
            my ($uri, @headers) = @$u;
            my $what = "GET $uri" . (@headers ? " ($headers[1])" : '');
            my $r = $blog->get($uri, @headers);
            my $status = $r->{status} // 'no answer';

            $status{$what}{$status}++;

            if (index($r->{body} // '', $MARKER) >= 0) {
                $status{$what}{'with the marker'}++;
                $leaked{$what} //= excerpt($r->{body}, 600);
            }
        }

        sleep 0.05;
    }

    for my $u (@uris) {
        my ($uri, @headers) = @$u;
        my $what = "GET $uri" . (@headers ? " ($headers[1])" : '');
        my $seen = join ', ', map { "$_: $status{$what}{$_}" }
                                  sort keys %{ $status{$what} };

        ok(!$leaked{$what}, "$what never shows the link's target ($seen)")
            or diag($leaked{$what});
        ok(!grep({ !/^(?:200|404|with the marker)$/ }
                 keys %{ $status{$what} }),
           "$what answers 200 or 404");
    }

    # a reader of the page without the cache gets what a deleted post gets
    for my $swap (@SWAPS) {
        my ($what, $slug) = @$swap;
        my $r = $blog->get("/plain/$slug/");
        is($r->{status}, 404, "$what: GET /plain/$slug/ is 404");
    }

    my $r = $blog->get('/plain/stays/');
    like($r->{body} // '', qr{<p>The post that stays\.</p>},
         'the post that stays still serves');

    $blog->stop;
}
