# The deploys of t/095-deploys.t ("git checkout" between two releases,
# "rsync -a --delete" of a new tree, an atomic swap of the root's link),
# each repeated for LOAD_SECONDS while four readers fetch every post, the
# index and the feed, with the cache and without it: no 5xx, no page that
# mixes two releases of a post, no 404 for a post both releases have, and
# every release on every page within 2 s of its deploy.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/../lib";

use Test::Blog::Deploy qw(deploy_patterns deploys_under_load);
use Test::Blog::Load qw(load_seconds);
use Test::More;

# no wrk here: the readers are the ones t/095-deploys.t has
plan(skip_all => 'load test: run with make test-load (TEST_BLOG_LOAD=1)')
    unless $ENV{TEST_BLOG_LOAD};

for my $pattern (deploy_patterns()) {
    subtest $pattern => sub { deploys_under_load($pattern, load_seconds()) };
}

done_testing();
