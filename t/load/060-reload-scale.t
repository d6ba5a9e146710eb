# A reload with 100,000 posts (LOAD_SCALE_POSTS) in 500 folders, made by
# contrib/bench/gen-posts.py: while wrk reads the index and 60 posts for
# LOAD_SECONDS, nginx reloads every 3 s.  No request fails and every
# answer is a whole 200; the new workers take the index the old ones
# built from the index zone, which a reload keeps, so the first request
# to them is answered at once rather than after a scan of every post;
# the index zone holds one index, not one a reload.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/../lib";

use File::Find qw(find);
use JSON::PP qw(decode_json);
use Test::Blog::Load qw(run_wrk check_wrk load_seconds);
use Test::Blog::Util qw(start_nginx poll start_children);
use Test::More;
use Time::HiRes qw(sleep time);

Test::Blog::Load::skip_unless_wanted();

my $POSTS = $ENV{LOAD_SCALE_POSTS} // 100000;
my $GEN = "$FindBin::Bin/../../contrib/bench/gen-posts.py";

my $blog = start_nginx(
    http_config => "blog_index_zone 256m;\nblog_cache_zone pages:64m;",
    setup => sub {
        my ($b) = @_;
        system('python3', $GEN, $POSTS, $b->content, '--seed', '7',
               '--folders', '500') == 0
            or die "gen-posts.py failed\n";
    },
    config => <<'END') or exit;
location /blog/ {
    blog $CONTENT;
    blog_cache pages;
}
location = /status {
    blog_status;
}
END

my @slugs;
find(sub { push @slugs, $1 if /^(.+)\.md$/ }, $blog->content);
@slugs = sort @slugs;
is(scalar @slugs, $POSTS, "$POSTS posts generated");

my $t0 = time;
my ($ready) = poll(120, sub { $blog->get('/blog/')->{body} =~ /\Q$slugs[-1]\E/ });
ok($ready, sprintf 'the first index, %.1f s after the start', time - $t0)
    or exit;

my @urls = ('/blog/', '/blog/page/2/',
            map { "/blog/$slugs[$_ * 1667 % @slugs]/" } 1 .. 60);

my $seconds = load_seconds();
my $wait = start_children(1, sub {
    return run_wrk($blog->port, urls => \@urls, close => 1,
                   seconds => $seconds);
}, $seconds + 60);

my ($reloads, $missed, @slow) = (0, 0);
my $end = time + $seconds - 3;

while (time < $end) {
    sleep 3;

    if (!$blog->reload) {
        $missed++;
        next;
    }

    $reloads++;

    # the new workers answer from the index the zone kept
    my $t = time;
    my $r = $blog->get('/blog/');
    push @slow, sprintf '%.2f s (status %s)', time - $t, $r->{status}
        if time - $t > 0.5 || $r->{status} != 200;
}

my ($run) = $wait->();

note("$reloads reloads");
cmp_ok($reloads, '>', 0, 'nginx reloaded under load');
is($missed, 0, 'every reload brought up new workers');
ok(!@slow, 'the new workers answer the index within 0.5 s of a reload')
    or diag(join "\n", @slow);

check_wrk("index and posts, $POSTS posts, reloads every 3 s", $run);

# one index in the zone, and the one being replaced at most
my $s = eval { decode_json($blog->get('/status')->{body})->{sites}[0] };
ok($s && $s->{index_zone}{generations} <= 2,
   'the index zone keeps at most two generations ('
   . ($s ? $s->{index_zone}{generations} : '?') . ')');
is($s && $s->{posts}, $POSTS, "blog_status: $POSTS posts");

$blog->stop;

done_testing();
