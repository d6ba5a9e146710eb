# Deploys as people make them, each for a few seconds while four readers
# fetch every post, the index and the feed, with the cache and without
# it: "git checkout" of the other release in a content root that is a git
# repository (30 posts rewritten, 2 removed, 2 added), "rsync -a --delete"
# of the next release's tree over the root, and an atomic swap of the
# link that nginx's root is ("ln -sfn" to a new link, "mv -T" over the
# old).  No 5xx, no page that mixes two releases of a post, no 404 for a
# post both releases have, and each release on every page within 2 s of
# its deploy.  t/load/050-deploys.t runs the same for LOAD_SECONDS.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use Test::Blog::Deploy qw(deploy_patterns deploys_under_load);
use Test::Blog::Nginx;
use Test::More;

Test::Blog::Nginx::skip_all_under_valgrind('2 s bounds under load');

for my $pattern (deploy_patterns()) {
    subtest $pattern => sub { deploys_under_load($pattern, 3) };
}

done_testing();
