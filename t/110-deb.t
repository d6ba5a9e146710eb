# The Debian package, as an administrator meets it: contrib/debian/build.sh
# builds libnginx-mod-http-blog (unless build/deb/ holds one newer than the
# sources), dpkg installs it, its files sit where Debian puts a module's,
# the stock "include /etc/nginx/modules-enabled/*.conf" loads it into an
# nginx of our own that serves a post, and dpkg --purge leaves the system
# as it was.  Installing changes the machine, so this runs only when asked
# (BLOG_TEST_DEB=1, which make test-deb sets), as root, with no system
# nginx running (the package's trigger would reload it) and no blog module
# installed already.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use POSIX ();
use Test::Blog::Deb qw(package_file package_status deb_field snapshot run
                       slurp);
use Test::Blog::HTTP qw(http_request);
use Test::Blog::Nginx;
use Test::More;

my $ROOT = "$FindBin::Bin/..";
my $PACKAGE = 'libnginx-mod-http-blog';
my $MODULE = '/usr/lib/nginx/modules/ngx_http_blog_module.so';
my $AVAILABLE = '/usr/share/nginx/modules-available/mod-http-blog.conf';
my $ENABLED = '/etc/nginx/modules-enabled/50-mod-http-blog.conf';
my $THEME = '/usr/share/nginx/blog/templates';
my $DOC = "/usr/share/doc/$PACKAGE";
my $ABI_FILE = '/usr/share/nginx/src/debian/libnginx-mod.abisubstvars';

# What the package may touch, listed before the install and after the purge.
my @WATCHED = ('/etc/nginx', '/usr/lib/nginx', '/usr/share/nginx', $DOC);

my $installed = 0;      # dpkg -i ran: the END block purges
my $nginx;


plan skip_all => 'installs a package: set BLOG_TEST_DEB=1 (make test-deb)'
    unless $ENV{BLOG_TEST_DEB};
plan skip_all => 'installs a package: runs as root only' if $> != 0;

for my $tool (qw(dpkg dpkg-buildpackage dh_nginx)) {
    plan skip_all => "$tool is missing: run make deps"
        unless grep { -x "$_/$tool" } split /:/, $ENV{PATH};
}

plan skip_all => "$PACKAGE is installed already ("
                 . package_status($PACKAGE) . ')'
    if package_status($PACKAGE) ne 'not-installed';

for my $path ($MODULE, $AVAILABLE, $ENABLED, "$ENABLED.removed", $THEME) {
    plan skip_all => "$path exists: the package would replace it"
        if -e $path || -l $path;
}

if (my $pid = system_nginx()) {
    plan skip_all => "the system nginx runs (pid $pid) and installing the"
                     . " package would reload it";
}

$SIG{INT} = $SIG{TERM} = sub { die "caught SIG$_[0]\n" };


my $deb = package_file($PACKAGE);
ok(defined $deb, 'build/deb holds the package, newer than its sources');
if (!defined $deb) {
    done_testing();
    exit;
}

my $abi = nginx_abi();
like(deb_field($deb, 'Depends'), qr/(?:^|, )\Q$abi\E(?:,|$)/,
     "it depends on the ABI of the nginx it was built for ($abi)");

my $before = snapshot(@WATCHED);

$nginx = Test::Blog::Nginx->new(binary => '/usr/sbin/nginx', module => undef);
symlink '/usr/lib/nginx/modules', $nginx->prefix . '/modules'
    or die "symlink: $!\n";
write_post($nginx->content . '/hello.md');
write_blog_config($nginx);

my ($passed, $output) = $nginx->test_config;
ok(!$passed && $output =~ /unknown directive "blog"/,
   'before the install, modules-enabled does not load the module')
    or diag($output);
$nginx->new_log_lines;          # its [emerg] is expected


$installed = 1;
my ($status, $log) = run('dpkg', '-i', $deb);
is($status, 0, 'dpkg -i installs the package') or diag($log);
is(package_status($PACKAGE), 'installed',
   "dpkg lists $PACKAGE as installed");

ok(-f $MODULE, "the module is $MODULE");
is(slurp($AVAILABLE), "load_module modules/ngx_http_blog_module.so;\n",
   "$AVAILABLE loads it");
is(readlink($ENABLED), $AVAILABLE, "$ENABLED enables it");

my @theme = theme_files();
ok(@theme >= 10, 'templates/ holds the default theme');
is_deeply([map { slurp("$THEME/$_") // "$_ is missing" } @theme],
          [map { slurp("$ROOT/templates/$_") } @theme],
          "the default theme is in $THEME");
ok(!-e "$THEME/README.md", 'without its README');
ok(-f "$DOC/copyright" && -f "$DOC/README.md.gz"
   && -f "$DOC/templates/README.md.gz",
   "the copyright and the READMEs are in $DOC");


($passed, $output) = $nginx->test_config;
ok($passed, 'nginx -t passes with the module loaded by modules-enabled')
    or diag($output . "\n" . $nginx->numbered_config);

my $problem = $passed ? $nginx->start : 'nginx -t failed';
is($problem, '', 'nginx starts');

if ($problem eq '') {
    my $r = http_request($nginx->port, 'GET /blog/hello/');
    is($r->{status} // $r->{error}, 200, 'GET /blog/hello/ is 200');
    like($r->{body} // '', qr{<h1 class="post-title">Packaged</h1>},
         'it is the post, rendered');

    $r = http_request($nginx->port, 'GET /blog/assets/style.css');
    is($r->{body} // $r->{error}, slurp("$ROOT/templates/style.css"),
       'the built-in theme serves its style.css');

    $r = http_request($nginx->port, 'GET /themed/hello/');
    like($r->{body} // $r->{error},
         qr{<h1 class="post-title">Packaged</h1>},
         "blog_templates $THEME serves the same post");
}

is($nginx->stop, '', 'nginx stops');
my @bad = grep { /\[(?:alert|crit|emerg)\]/ } $nginx->new_log_lines;
is("@bad", '', 'with no alert, crit or emerg in its log');


($status, $log) = run('dpkg', '--purge', $PACKAGE);
is($status, 0, 'dpkg --purge removes the package') or diag($log);
$installed = 0 if $status == 0;

is(package_status($PACKAGE), 'not-installed',
   "dpkg no longer knows $PACKAGE");
ok(!-e $_ && !-l $_, "$_ is gone")
    for $MODULE, $AVAILABLE, $ENABLED, "$ENABLED.removed", $THEME, $DOC;
is_deeply(snapshot(@WATCHED), $before,
          'every path under ' . join(', ', @WATCHED) . ' is as before');

done_testing();


END {
    if ($installed) {
        local $?;
        $nginx->stop if $nginx;
        my ($status, $log) = run('dpkg', '--purge', $PACKAGE);
        print STDERR $status ? "# dpkg --purge $PACKAGE failed: $log\n"
                             : "# purged $PACKAGE after a failure\n";
    }
}


# build/deb/PACKAGE_*.deb, built first when it is missing or older than a
# file it is built from.


# The age in days (as -M gives it) of the newest file the package holds or
# is built from.


sub theme_files {
    opendir my $dh, "$ROOT/templates" or die "templates: $!\n";
    return sort grep { -f "$ROOT/templates/$_" && !/^(?:README|\.)|~$/ }
                readdir $dh;
}


sub write_post {
    my ($file) = @_;

    open my $fh, '>', $file or die "$file: $!\n";
    print {$fh} "---\ntitle: Packaged\ndate: 2025-01-02\n---\n\n",
                "Installed by dpkg.\n";
    close $fh or die "$file: $!\n";
}


# Debian's own main configuration line for modules, and two blogs: one on
# the built-in theme, one on the installed copy of it.

sub write_blog_config {
    my ($nginx) = @_;
    my $content = $nginx->content;

    $nginx->write_config(
        comment => 't/110-deb.t',
        main => 'include /etc/nginx/modules-enabled/*.conf;',
        server => <<"END");
        location /blog/ {
            blog $content;
        }

        location /themed/ {
            blog $content;
            blog_templates $THEME;
        }
END
}


# "installed", "not-installed", or dpkg's status words for anything between.


sub nginx_abi {
    my $text = slurp($ABI_FILE) // die "$ABI_FILE: $!\n";
    $text =~ /^nginx:abi=(\S+)/m or die "no nginx:abi in $ABI_FILE\n";
    return $1;
}


# The pid of the nginx the init system runs, if it runs.

sub system_nginx {
    my $pid = slurp('/run/nginx.pid') // return;
    ($pid) = $pid =~ /(\d+)/ or return;
    return kill(0, $pid) ? $pid : undef;
}


# Every path below the directories, with its type and link target.


# Runs a command without a shell: (exit status, stdout and stderr).

