# README's two commands from a fresh clone in a folder only its owner may
# enter (mode 0700, as a home folder is): the workers of the demo's and
# the tests' nginx run as the user who runs make, so they can read it.
# This clones the committed tree, runs `make test` there (less this file)
# and `make demo` on a spare port, and asks the demo for the example blog.
# It takes a few minutes: the clone builds the module again.

use strict;
use warnings;

use Cwd qw(abs_path);
use File::Temp qw(tempdir);
use FindBin;
use lib "$FindBin::Bin/lib";

use POSIX qw(setsid);
use Test::Blog::HTTP qw(http_request);
use Test::Blog::Nginx;
use Test::Blog::Util qw(poll);
use Test::More;

my $ROOT = abs_path("$FindBin::Bin/..");

plan skip_all => 'inside the clone this test made' if $ENV{BLOG_TEST_CLONE};
plan skip_all => 'the module under test is the sanitizers\' or valgrind\'s'
    if Test::Blog::Nginx::mode() ne '';
plan skip_all => 'not a git checkout' unless -d "$ROOT/.git";

my $home = tempdir('blog-home-XXXXXX', TMPDIR => 1, CLEANUP => 1);
chmod 0700, $home;

is(sprintf('%04o', (stat $home)[2] & 07777), '0700',
   'the folder is mode 0700');

system('git', 'clone', '-q', $ROOT, "$home/repo") == 0
    or BAIL_OUT("git clone failed");

# the shared material, where a clone of the project finds it
symlink(abs_path("$ROOT/../shared"), "$home/shared")
    if -d "$ROOT/../shared";

my $log = "$home/make-test.log";
my $rc = system("cd '$home/repo' && BLOG_TEST_CLONE=1 make test"
                . " > '$log' 2>&1");

is($rc, 0, 'make test passes in the clone')
    or diag(`tail -n 40 '$log'`);

my ($result) = `grep -E '^Result: ' '$log'` =~ /Result: (\w+)/;
is($result // 'none', 'PASS', '... and prove says so');

my $port = Test::Blog::Nginx::free_port();
my $pid = fork // die "fork: $!\n";

if ($pid == 0) {
    setsid();
    open STDOUT, '>', "$home/make-demo.log";
    open STDERR, '>&', \*STDOUT;
    exec 'make', '-C', "$home/repo", 'demo', "DEMO_LISTEN=127.0.0.1:$port";
    exit 127;
}

my $r;
my ($up) = poll(120, sub {
    $r = http_request($port, 'GET /blog/');
    return defined $r->{status};
});

ok($up, 'make demo serves on its port');
is($r->{status}, 200, 'the example blog answers');
like($r->{body} // '', qr/<article class="card">/, '... with its posts');
unlike($r->{body} // '', qr/No posts yet/, '... not an empty blog');

# a fresh clone's files are as new as the clone: the dates a search
# engine or a feed reader sees are still the posts' own

my $post = 'what-is-a2a';
my $date = qr/2025-10-20(?:T00:00:00(?:Z|\+00:00))?/;

$r = http_request($port, 'GET /blog/sitemap.xml');
like($r->{body} // '',
     qr{<loc>[^<]*/blog/$post/</loc>\s*<lastmod>$date</lastmod>},
     'sitemap: lastmod is the front matter\'s date, not the clone\'s');

$r = http_request($port, 'GET /blog/feed.xml');
like($r->{body} // '',
     qr{/blog/$post/"/>(?:(?!</entry>).)*?<updated>$date</updated>}s,
     'feed: the entry\'s updated is its date');

$r = http_request($port, "GET /blog/$post/");
like($r->{body} // '', qr{"dateModified":\s*"$date"},
     'JSON-LD: dateModified is its date');

kill 'TERM', -$pid;
waitpid $pid, 0;

my $demo = `cat '$home/make-demo.log'`;
unlike($demo, qr/Permission denied|not readable/,
       'the demo says nothing of permissions')
    or diag($demo);

done_testing();
