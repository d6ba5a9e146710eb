# What the cache does when the wall clock moves in ways a test cannot wait
# for: the new year comes while pages are cached, and the clock is stepped
# back an hour before a post is edited.  nginx runs with libfaketime in
# LD_PRELOAD, which fakes the time of day (CLOCK_REALTIME, gettimeofday)
# and leaves the monotonic clock alone, as a real step of the clock does.
# The workers are forked, not executed, so they keep the library the
# master loaded; "env" keeps its settings in their environment.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use File::Temp qw(tempdir);
use Test::Blog::Util qw(start_nginx poll save_atomically set_mtime);
use Test::More;
use Time::Local qw(timegm);

my ($LIBFAKETIME) = grep { -f } glob '/usr/lib/*/faketime/libfaketime.so.1';

plan skip_all => 'libfaketime is missing: run make deps'
    unless $LIBFAKETIME;

my %NOT_UNDER = (
    sanitizer => 'LD_PRELOAD holds the sanitizer runtimes, which must come'
                 . ' first; libfaketime is not mixed in with them',
    valgrind  => 'valgrind preloads its own libraries into nginx; this file'
                 . ' checks the clock, not memory',
);

plan skip_all => 'under ' . Test::Blog::Nginx::mode() . ': '
                 . $NOT_UNDER{Test::Blog::Nginx::mode()}
    if Test::Blog::Nginx::mode();

my $YEAR = qr/&copy; (\d{4})/;

my $POSTS = ">>> hello.md\n---\ntitle: Hello\ndate: 2024-01-01\n---\n"
          . "Hello, version 1.\n"
          . ">>> other.md\n---\ntitle: Other\ndate: 2024-01-02\n---\n"
          . "Another post.\n";

new_year();
clock_stepped_back();

done_testing();


# The footer's year is part of what a page is: a page cached on the last
# evening of a year must not be served with that year once the next one
# has come.  The module used to key the cache by quarters of a year from
# the epoch (seconds / 7884000); the quarter that holds this fake midnight
# runs from 2026-12-18 to 2027-03-19 UTC (number 228), so the old key does
# not change across it: only a key that holds the year itself does.

sub new_year {
    my $blog = with_fake_clock(
        { FAKETIME => '@2026-12-31 23:59:55' },
        http_config => 'blog_cache_zone pages:8m;',
        config => <<'END',
location /blog/ {
    blog $CONTENT;
    blog_cache pages;
}
END
        files => $POSTS) or return;

    my @pages = ('/blog/', '/blog/hello/');

    for my $uri (@pages) {
        my $r = $blog->get($uri);
        is($r->{status}, 200, "new year: GET $uri answers");
        is(($r->{body} =~ $YEAR)[0], 2026,
           "new year: $uri shows 2026 before midnight")
            or diag("Date: " . ($r->{headers}{date} // 'none'));
    }

    my ($midnight, $took) = poll(8, sub {
        ($blog->get('/blog/other/')->{headers}{date} // '') =~ / 2027 /;
    });
    ok($midnight, 'new year: the server\'s Date reaches 2027')
        or diag(sprintf "still 2026 after %.1f s", $took);

    for my $uri (@pages) {
        my $r = $blog->get($uri);
        is(($r->{body} =~ $YEAR)[0], 2027,
           "new year: $uri shows 2027 after midnight");
    }

    $blog->stop;
}


# Which of two pages in the cache is newer is told by when their indexes
# were scanned.  Told by the time of day, a page cached before the clock
# was stepped back looks newer than the edited post rendered after it, and
# the old text stays.

sub clock_stepped_back {
    my $dir = tempdir('test-blog-clock-XXXXXX', TMPDIR => 1, CLEANUP => 1);
    my $clock = "$dir/faketime";

    chmod 0755, $dir;
    save_atomically($clock, "+0\n");

    my $blog = with_fake_clock(
        { FAKETIME_TIMESTAMP_FILE => $clock, FAKETIME_NO_CACHE => 1 },
        http_config => 'blog_cache_zone pages:8m;',
        config => <<'END',
location /blog/ {
    blog $CONTENT;
    blog_cache pages;
    blog_check_interval 100ms;
}
END
        files => $POSTS) or return;

    my $post = $blog->content . '/hello.md';
    my $mtime = (stat $post)[9];

    like($blog->get('/blog/hello/')->{body}, qr/version 1/,
         'clock stepped back: the post shows version 1');
    like($blog->get('/blog/hello/')->{body}, qr/version 1/,
         'clock stepped back: and so does its cached page');

    # the fake clock is read anew at every call: from now on it is an hour
    # behind in every worker
    save_atomically($clock, "-3600\n");

    my $before = $blog->get('/blog/other/')->{headers}{date} // '';
    ok(abs(parse_date($before) - time + 3600) < 60,
       'clock stepped back: the server\'s Date is an hour behind')
        or diag("Date: $before");

    save_atomically($post, "---\ntitle: Hello\ndate: 2024-01-01\n---\n"
                           . "Hello, version 2.\n");
    set_mtime($post, $mtime - 100);

    my ($shown, $took) = poll(3, sub {
        $blog->get('/blog/hello/')->{body} =~ /version 2/;
    });
    ok($shown, 'clock stepped back: the edited post shows version 2')
        or diag(sprintf "still version 1 after %.1f s", $took);

    $blog->stop;
}


# start_nginx(ARGS) with libfaketime and the FAKETIME settings in ENV, in
# UTC, the monotonic clock left alone.

sub with_fake_clock {
    my ($env, %args) = @_;
    my %fake = (%$env, FAKETIME_DONT_FAKE_MONOTONIC => 1);

    local $ENV{LD_PRELOAD} = $LIBFAKETIME;
    local $ENV{TZ} = 'UTC';
    local @ENV{keys %fake} = values %fake;

    return start_nginx(%args,
                       main_config => join '', ($args{main_config} // ''),
                                      map { "\nenv $_;" } sort keys %fake);
}


# seconds since the epoch of an HTTP date, or 0

sub parse_date {
    my ($date) = @_;
    my %month;
    @month{qw(Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec)} = 0 .. 11;

    my ($d, $m, $y, $hh, $mm, $ss) =
        $date =~ /^\w+, (\d\d) (\w{3}) (\d{4}) (\d\d):(\d\d):(\d\d) GMT$/
        or return 0;

    return timegm($ss, $mm, $hh, $d, $month{$m}, $y);
}
