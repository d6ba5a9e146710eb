# The Apache package, as an administrator meets it: contrib/debian/build.sh
# builds libapache2-mod-blog (unless build/deb/ holds one newer than the
# sources), dpkg installs it and its scripts enable the module, a2enmod
# and a2dismod know it, Debian's mods-enabled/*.load loads it into an
# Apache of our own that serves a post from a shared page cache, and
# dpkg --purge leaves the system as it was.  Installing changes the
# machine, so this runs only when asked (BLOG_TEST_DEB=1, which make
# test-deb sets), as root, with no system Apache running (the package's
# scripts would restart it) and no blog module installed already.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use Test::Blog::Apache;
use Test::Blog::Deb qw(package_file package_status deb_field snapshot run
                       slurp);
use Test::Blog::HTTP qw(http_request);
use Test::More;

my $PACKAGE = 'libapache2-mod-blog';
my $MODULE = '/usr/lib/apache2/modules/mod_blog.so';
my $MODS = '/etc/apache2/mods-available';
my $ENABLED = '/etc/apache2/mods-enabled';
my $LOAD = "$MODS/blog.load";
my $DOC = "/usr/share/doc/$PACKAGE";
my $STATE = '/var/lib/apache2/module';
my @MARKERS = qw(enabled_by_maint enabled_by_admin disabled_by_maint
                 disabled_by_admin);
my $PID_FILE = '/run/apache2/apache2.pid';

# What the package may touch (and a2enmod's state), listed before the
# install and after the purge.
my @WATCHED = ('/etc/apache2', '/usr/lib/apache2', '/var/lib/apache2',
               $DOC);

my $installed = 0;      # dpkg -i ran: the END block purges
my $shmcb_was_enabled = -l "$ENABLED/socache_shmcb.load";
my $apache;


plan skip_all => 'installs a package: set BLOG_TEST_DEB=1 (make test-deb)'
    unless $ENV{BLOG_TEST_DEB};
plan skip_all => 'installs a package: runs as root only' if $> != 0;

for my $tool (qw(dpkg dpkg-buildpackage dh_apache2 a2enmod a2dismod a2query
                 apache2)) {
    plan skip_all => "$tool is missing: run make deps"
        unless grep { -x "$_/$tool" } split /:/, $ENV{PATH};
}

plan skip_all => "$PACKAGE is installed already (" . package_status($PACKAGE)
                 . ')'
    if package_status($PACKAGE) ne 'not-installed';

for my $path ($MODULE, $LOAD, "$ENABLED/blog.load") {
    plan skip_all => "$path exists: the package would replace it"
        if -e $path || -l $path;
}

if (my $pid = system_apache()) {
    plan skip_all => "the system Apache runs (pid $pid) and installing the"
                     . " package would restart it";
}

$SIG{INT} = $SIG{TERM} = sub { die "caught SIG$_[0]\n" };


my $deb = package_file($PACKAGE);
ok(defined $deb, 'build/deb holds the package, newer than its sources');
if (!defined $deb) {
    done_testing();
    exit;
}

my $abi = apache_abi();
like(deb_field($deb, 'Depends'), qr/(?:^|, )\Q$abi\E(?:,|$)/,
     "it depends on the ABI of the Apache it was built for ($abi)");

my $before = snapshot(@WATCHED);

$apache = Test::Blog::Apache->new(module => undef);
write_post($apache->content . '/hello.md');
write_blog_config($apache);

my ($passed, $output) = $apache->test_config;
ok(!$passed && $output =~ /Invalid command 'Blog'/,
   'before the install, mods-enabled does not load the module')
    or diag($output);


$installed = 1;
my ($status, $log) = run('dpkg', '-i', $deb);
is($status, 0, 'dpkg -i installs the package') or diag($log);
is(package_status($PACKAGE), 'installed',
   "dpkg lists $PACKAGE as installed");
is(system_apache(), undef, 'its scripts started no system Apache');

ok(-f $MODULE, "the module is $MODULE");
is(slurp($LOAD), "LoadModule blog_module $MODULE\n", "$LOAD loads it");
is(readlink("$ENABLED/blog.load"), '../mods-available/blog.load',
   'the install enabled it');
ok(-f "$DOC/copyright" && -f "$DOC/README.md.gz",
   "the copyright and the README are in $DOC");

($status, $log) = run('a2dismod', '-q', 'blog');
ok($status == 0 && !-l "$ENABLED/blog.load", 'a2dismod blog disables it')
    or diag($log);

($status, $log) = run('a2enmod', '-q', 'blog', 'socache_shmcb');
ok($status == 0 && -l "$ENABLED/blog.load"
   && -l "$ENABLED/socache_shmcb.load",
   'a2enmod blog socache_shmcb enables it and the cache it uses')
    or diag($log);


($passed, $output) = $apache->test_config;
ok($passed, 'apache2 -t passes with the modules mods-enabled loads')
    or diag($output . "\n" . slurp($apache->conf_file));

my $problem = $passed ? $apache->start : 'apache2 -t failed';
is($problem, '', 'Apache starts');

if ($problem eq '') {
    for my $round ('', ' again, from the cache') {
        my $r = http_request($apache->port, 'GET /blog/hello/');
        is($r->{status} // $r->{error}, 200, "GET /blog/hello/ is 200$round");
        like($r->{body} // '', qr{<h1 class="post-title">Packaged</h1>},
             'it is the post, rendered');
    }

    my $r = http_request($apache->port, 'GET /blog/assets/style.css');
    is($r->{body} // $r->{error},
       slurp("$FindBin::Bin/../templates/style.css"),
       'the built-in theme serves its style.css');
}

$apache->stop;
my @bad = grep { /\[(?:alert|crit|emerg)\]/ } $apache->new_log_lines;
is("@bad", '', 'with no alert, crit or emerg in its log');


restore_shmcb();

($status, $log) = run('dpkg', '--purge', $PACKAGE);
is($status, 0, 'dpkg --purge removes the package') or diag($log);
$installed = 0 if $status == 0;
forget_marker_folders();

is(package_status($PACKAGE), 'not-installed', "dpkg no longer knows $PACKAGE");
is(system_apache(), undef, 'its scripts started no system Apache');
ok(!-e $_ && !-l $_, "$_ is gone")
    for $MODULE, $LOAD, "$ENABLED/blog.load", $DOC,
        map { "$STATE/$_/blog" } @MARKERS;
is_deeply(snapshot(@WATCHED), $before,
          'every path under ' . join(', ', @WATCHED) . ' is as before');

done_testing();


END {
    if ($installed) {
        local $?;
        $apache->stop if $apache;
        restore_shmcb();
        my ($status, $log) = run('dpkg', '--purge', $PACKAGE);
        print STDERR $status ? "# dpkg --purge $PACKAGE failed: $log\n"
                             : "# purged $PACKAGE after a failure\n";
        forget_marker_folders();
    }
}


# Undoes our a2enmod of socache_shmcb, with the state a2enmod keeps for it.

sub restore_shmcb {
    if (!$shmcb_was_enabled && -l "$ENABLED/socache_shmcb.load") {
        run('a2dismod', '-q', '-p', '-f', 'socache_shmcb');
    }
}


# a2enmod and a2dismod, ours and those Debian's helper runs at any module
# package's removal and purge, make a folder per kind of marker and leave
# it when it empties: remove those that were not there before, if they are
# empty.  A marker left in one keeps it, and the snapshot shows it.

sub forget_marker_folders {
    for my $dir (map { "$STATE/$_" } @MARKERS) {
        rmdir $dir if !exists $before->{$dir} && -d $dir;
    }
}


sub write_post {
    my ($file) = @_;

    open my $fh, '>', $file or die "$file: $!\n";
    print {$fh} "---\ntitle: Packaged\ndate: 2025-01-02\n---\n\n",
                "Installed by dpkg.\n";
    close $fh or die "$file: $!\n";
}


# Debian's own modules, as its apache2.conf loads them, and a blog with the
# shared page cache of contrib/apache/blog.conf.

sub write_blog_config {
    my ($apache) = @_;
    my $content = $apache->content;
    my $cache = $apache->prefix . '/logs/blog_cache';

    $apache->write_config(<<"END", modules_enabled => $ENABLED);
<Location /blog/>
    Blog $content
    BlogCache shmcb:$cache(1048576)
</Location>
END
}


# apache2-api-N, which apache2-bin provides and the module must depend on.

sub apache_abi {
    my ($status, $provides) = run('dpkg-query', '-W', '-f=${Provides}',
                                  'apache2-bin');
    $provides =~ /\b(apache2-api-\d+)\b/
        or die "apache2-bin provides no apache2-api: $provides\n";
    return $1;
}


# The pid of the Apache the init system runs, if it runs.

sub system_apache {
    my $pid = slurp($PID_FILE) // return;
    ($pid) = $pid =~ /(\d+)/ or return;
    return kill(0, $pid) ? $pid : undef;
}
