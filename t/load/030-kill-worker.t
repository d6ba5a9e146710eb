# The load of 010-edits.t while a worker is killed with SIGKILL every 5 s:
# the master starts another, nothing deadlocks (not the zone's lock, not a
# parked request), no 5xx, every page one whole version, and no more
# requests fail than the connections a killed worker can have held
# (requests carry "Connection: close", so that is every connection wrk has
# at most, per kill).

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/../lib";

use Test::Blog::Load qw(blog_of mixed_load check_wrk load_seconds
                        zone_status);
use Test::More;
use Time::HiRes qw(sleep time);

Test::Blog::Load::skip_unless_wanted();

my $CONNECTIONS = 2;        # per wrk run (run_wrk's default threads)

my $blog = blog_of(60) or exit;
my ($kills, $replaced) = (0, 0);

my ($stable, $churn) = mixed_load($blog, stable => 60, churn => 30,
    close => 1, during => sub {
        my $end = time + load_seconds() - 3;
        while (time < $end) {
            sleep 5;
            my @workers = $blog->workers or next;
            my $victim = $workers[int rand @workers];
            kill 'KILL', $victim or next;
            $kills++;
            $replaced++ if $blog->wait_new_workers([$victim], 2, 5);
        }
    });

note("$kills workers killed");
cmp_ok($kills, '>', 0, 'workers were killed under load');
is($replaced, $kills, 'the master replaced each within 5 s');

check_wrk('posts that stay', $stable, failed => $kills * $CONNECTIONS);
check_wrk('posts that come and go', $churn, may_vanish => 1,
          failed => $kills * $CONNECTIONS);

my $zone = zone_status($blog, '/status');
ok($zone && $zone->{entries} > 0, 'the zone answers afterwards')
    or diag(explain($zone));
is($blog->get('/blog/s0001/')->{status}, 200, 'a post is served afterwards');

$blog->stop(qr/worker process \d+ exited on signal 9/);

done_testing();
