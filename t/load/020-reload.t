# The load of 010-edits.t while nginx reloads its configuration
# (SIGHUP, as "nginx -s reload" sends) every 2 s: no request fails, no
# 5xx, every page one whole version.  Requests carry "Connection: close":
# a graceful reload closes idle keep-alive connections, and a client that
# sent a request on one at that moment must retry it (HTTP says so); with
# one request a connection, any failure is nginx's.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/../lib";

use Test::Blog::Load qw(blog_of mixed_load check_wrk load_seconds);
use Test::More;
use Time::HiRes qw(sleep time);

Test::Blog::Load::skip_unless_wanted();

my $blog = blog_of(60) or exit;
my ($reloads, $missed) = (0, 0);

my ($stable, $churn) = mixed_load($blog, stable => 60, churn => 30,
    close => 1, during => sub {
        my $end = time + load_seconds() - 2;
        while (time < $end) {
            sleep 2;
            if ($blog->reload) { $reloads++ } else { $missed++ }
        }
    });

note("$reloads reloads");
cmp_ok($reloads, '>', 0, 'nginx reloaded under load');
is($missed, 0, 'every reload brought up new workers');

check_wrk('posts that stay', $stable);
check_wrk('posts that come and go', $churn, may_vanish => 1);

$blog->stop;

done_testing();
