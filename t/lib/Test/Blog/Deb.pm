package Test::Blog::Deb;

# The Debian packages of contrib/debian as a test meets them: the .deb in
# build/deb/ (built first by contrib/debian/build.sh when missing or older
# than its sources), dpkg's status of a package, a field of a .deb, and a
# listing of the paths a package may touch, to compare before the install
# and after the purge.  Installing and checking are the test's.

use strict;
use warnings;

use Cwd qw(abs_path);
use Exporter qw(import);
use File::Basename qw(dirname);
use File::Find qw(find);
use POSIX ();

our @EXPORT_OK = qw(package_file package_status deb_field snapshot run
                    slurp);

my $ROOT = abs_path(dirname(__FILE__) . '/../../../..');

# What the packages are built from.
my @SOURCES = qw(config Makefile README.md ngx_blog_module templates
                 contrib/debian);


# build/deb/PACKAGE_*_ARCH.deb, built first when it is missing or older
# than a file it is built from; undef when the build fails (it says why).

sub package_file {
    my ($package) = @_;
    my ($deb) = current_package($package);

    return $deb if defined $deb && -M $deb < newest_source();

    Test::More::diag('building the packages: contrib/debian/build.sh');
    my ($status, $log) = run("$ROOT/contrib/debian/build.sh");
    Test::More::diag($log) if $status != 0;

    ($deb) = current_package($package);
    return $deb;
}


sub current_package {
    my ($package) = @_;
    my $arch = `dpkg --print-architecture`;
    chomp $arch;
    return grep { -f } glob("$ROOT/build/deb/${package}_*_$arch.deb");
}


# The age in days (as -M gives it) of the newest file the packages hold or
# are built from.

sub newest_source {
    my $newest;

    find({ no_chdir => 1, wanted => sub {
        my $age = -M $_;
        $newest = $age if -f _ && (!defined $newest || $age < $newest);
    } }, map { "$ROOT/$_" } @SOURCES);

    return $newest;
}


# "installed", "not-installed", or dpkg's status words for anything between.

sub package_status {
    my ($package) = @_;
    my ($status, $out) = run('dpkg-query', '-W', '-f=${db:Status-Abbrev}',
                             $package);

    return 'not-installed' if $status != 0 || $out =~ /^[u-]n/;
    return 'installed' if $out =~ /^ii/;
    $out =~ s/\s+$//;
    return "dpkg status '$out'";
}


sub deb_field {
    my ($deb, $field) = @_;
    my ($status, $out) = run('dpkg-deb', '-f', $deb, $field);
    chomp $out;
    return $out;
}


# Every path below the directories, with its type and link target.

sub snapshot {
    my (@dirs) = @_;
    my %paths;

    for my $dir (grep { -e } @dirs) {
        find({ no_chdir => 1, wanted => sub {
            $paths{$_} = -l $_ ? 'link ' . readlink($_)
                       : -d _ ? 'dir' : 'file';
        } }, $dir);
    }

    return \%paths;
}


# Runs a command without a shell: (exit status, stdout and stderr).

sub run {
    my (@command) = @_;

    my $pid = open(my $fh, '-|');
    die "fork: $!\n" unless defined $pid;

    if ($pid == 0) {
        open STDERR, '>&', \*STDOUT;
        $ENV{DEBIAN_FRONTEND} = 'noninteractive';
        { no warnings 'exec'; exec { $command[0] } @command; }
        print "cannot run $command[0]: $!\n";
        POSIX::_exit(127);
    }

    local $/;
    my $output = <$fh> // '';
    close $fh;
    return ($? >> 8, $output);
}


sub slurp {
    my ($file) = @_;

    open my $fh, '<:raw', $file or return undef;
    local $/;
    return scalar <$fh>;
}

1;
