# A cache zone far too small for the blog (1m for 1,000 posts) under
# full-rate load for LOAD_SECONDS: every answer is 200 with exactly the
# bytes of the page, the zone keeps evicting (and storing) pages, and the
# error log says once that the zone is full, not on every eviction.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/../lib";

use File::Temp ();
use Test::Blog::HTTP qw(http_request);
use Test::Blog::Load qw(post_text listing_urls post_urls run_wrk
                        zone_status check_wrk);
use Test::Blog::Util qw(start_nginx);
use Test::More;

Test::Blog::Load::skip_unless_wanted();

my $POSTS = 1000;
my @ids = map { sprintf 's%04d', $_ } 1 .. $POSTS;

my $blog = start_nginx(
    files => join('', map { ">>> $_.md\n" . post_text($_, 1) } @ids),
    http_config => 'blog_cache_zone pages:1m;',
    config => <<'END') or exit;
location /blog/ {
    blog $CONTENT;
    blog_cache pages;
    blog_posts_per_page 5;
}
location = /status {
    blog_status;
}
END

# every page once, as it must come back: the expected bytes
my @urls = (listing_urls('/blog/'), post_urls('/blog/', @ids));
my $expect = File::Temp::tempdir('test-blog-expect-XXXXXX', TMPDIR => 1,
                                 CLEANUP => 1);
my $fetched = 0;

for my $uri (@urls) {
    my $r = http_request($blog->port, "GET $uri");
    next unless ($r->{status} // 0) == 200;
    (my $name = $uri) =~ s{/}{_}g;
    open my $fh, '>:raw', "$expect/$name" or die "$expect/$name: $!\n";
    print {$fh} $r->{body};
    close $fh;
    $fetched++;
}

is($fetched, scalar @urls, 'every page is served before the load');

my $before = zone_status($blog, '/status');
my $r = run_wrk($blog->port, urls => \@urls, expect_dir => $expect);
my $after = zone_status($blog, '/status');

check_wrk('a zone far too small', $r);

note(sprintf "zone: %d KB of %d KB used, %d entries, %d evictions"
             . " before the load, %d after", $after->{used} / 1024,
             $after->{size} / 1024, $after->{entries},
             $before->{evictions}, $after->{evictions});
cmp_ok($after->{evictions}, '>', $before->{evictions},
       'the zone kept evicting under load');
cmp_ok($after->{entries}, '>', 0, '... and holds pages');
cmp_ok($after->{hits}, '>', $before->{hits}, '... and serves from them');

my @full = grep { /blog_cache_zone "pages" is full|ngx_slab_alloc/ }
           split /\n/, $blog->log;
is(scalar @full, 1, 'one log line says the zone is full')
    or diag(join "\n", @full[0 .. ($#full > 5 ? 5 : $#full)]);

$blog->stop;

done_testing();
