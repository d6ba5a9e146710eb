# Full-rate load on a mixed set of URLs (listings, feeds, sitemap, a theme
# file, posts) for LOAD_SECONDS while posts are edited, added, renamed and
# deleted every 100 ms: no 5xx, no failed request, every page one whole
# version of its post, and after a warm-up (the first third) the workers'
# private memory and the cache zone stop growing.  Then the same with
# posts saved in place (truncated, half written, a pause, the rest): no
# page is ever a post caught half written.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/../lib";

use Test::Blog::Load qw(blog_of mixed_load check_wrk start_sampler);
use Test::More;

Test::Blog::Load::skip_unless_wanted();

# pages are stored by address, a new version in place of the old one, so
# the zone must not grow with the edits; a small zone would show it
my $blog = blog_of(60, zone => 2) or exit;
my $samples = start_sampler($blog, '/status');

my ($stable, $churn) = mixed_load($blog, stable => 60, churn => 30);

my $series = $samples->();

check_wrk('posts that stay', $stable);
check_wrk('posts that come and go', $churn, may_vanish => 1);
check_flat($series);

$blog->stop;

my $inplace = blog_of(60, zone => 2) or exit;

($stable, $churn) = mixed_load($inplace, stable => 60, churn => 30,
                               in_place => 1);

check_wrk('posts saved in place that stay', $stable);
check_wrk('posts saved in place that come and go', $churn, may_vanish => 1);

$inplace->stop;

done_testing();


# After the warm-up each worker's private memory grows by at most 10% +
# 8 MB (a leak of 100 bytes a request would pass that in seconds), and the
# zone never uses more than its size: it grows by at most a tenth of it,
# or it is full and evicting.

sub check_flat {
    my ($series) = @_;
    my @s = grep { $_->{zone} } @$series;

    if (@s < 6) {
        fail('the workers and the zone were sampled');
        return;
    }

    my $warm = $s[int(@s / 3)];
    my @after = @s[int(@s / 3) .. $#s];

    for my $pid (sort keys %{ $warm->{rss} }) {
        my @kb = grep { defined } map { $_->{rss}{$pid} } @after;
        my $max = (sort { $b <=> $a } @kb)[0];
        my $from = $warm->{rss}{$pid};
        note(sprintf "worker %d: %.1f MB after the warm-up, %.1f MB at most"
                     . " after", $pid, $from / 1024, $max / 1024);
        cmp_ok($max, '<=', $from * 1.1 + 8192,
               "worker $pid: private memory flat after the warm-up");
    }

    my $size = $warm->{zone}{size};
    my $max = (sort { $b <=> $a } map { $_->{zone}{used} } @after)[0];
    my $evicted = $s[-1]{zone}{evictions} - $warm->{zone}{evictions};

    note(sprintf "zone: %d of %d KB used after the warm-up, %d KB at most"
                 . " after, %d evictions after", $warm->{zone}{used} / 1024,
                 $size / 1024, $max / 1024, $evicted);
    cmp_ok($max, '<=', $size, 'the zone never uses more than its size');
    ok($max <= $warm->{zone}{used} + $size / 10 || $evicted > 0,
       'zone use flat after the warm-up, or bounded by eviction');
}
