package Test::Blog::Apache;

# One Apache httpd for one test file, as Test::Blog::Nginx is for nginx: a
# private server root (conf/, logs/, content/), a free loopback port, the
# generated httpd.conf with mod_blog loaded, "apache2 -t", start in the
# foreground as our child in its own process group, stop, and the error
# log read by offsets.  What to configure and check is the test's.
#
#     my $apache = Test::Blog::Apache->new(mpm => 'event');
#     $apache->write_config(<<"END");
#     <Location /blog/>
#         Blog ${\ $apache->content }
#     </Location>
#     END
#     my $problem = $apache->start;
#
# TEST_BLOG_APACHE (default /usr/sbin/apache2) is the binary; the modules
# come from TEST_BLOG_APACHE_MODULES (/usr/lib/apache2/modules).

use strict;
use warnings;

use Cwd qw(abs_path);
use File::Basename qw(dirname);
use File::Path qw(make_path);
use File::Temp qw(tempdir);
use IO::Socket::INET;
use POSIX qw(WNOHANG);
use Time::HiRes qw(sleep time);

use Test::Blog::Nginx;

my $ROOT = abs_path(dirname(__FILE__) . '/../../../..');
my $BINARY = $ENV{TEST_BLOG_APACHE} // '/usr/sbin/apache2';
my $MODULES = $ENV{TEST_BLOG_APACHE_MODULES} // '/usr/lib/apache2/modules';

my @INSTANCES;
my $OWNER = $$;


# Why Apache tests cannot run here, or '' when they can.
sub missing {
    return "no Apache httpd at $BINARY (apt-get install apache2)"
        unless -x $BINARY;
    return "no mod_blog at $ROOT/build/mod_blog.so (make apache)"
        unless -f "$ROOT/build/mod_blog.so";
    return '';
}


# new(mpm => 'event' | 'worker' | 'prefork', module => PATH or undef for
# no LoadModule of mod_blog)

sub new {
    my ($class, %args) = @_;

    umask 022;

    my $prefix = tempdir('test-apache-XXXXXX', TMPDIR => 1,
                         CLEANUP => !$ENV{TEST_BLOG_KEEP});
    chmod 0755, $prefix;
    make_path(map { "$prefix/$_" } qw(conf logs content));

    # the children, as another user, write the cache's and the locks'
    # files into logs/
    chmod 01777, "$prefix/logs";

    my $self = bless {
        module     => exists $args{module} ? $args{module}
                                               : "$ROOT/build/mod_blog.so",
        mpm        => $args{mpm} // 'event',
        prefix     => $prefix,
        port       => Test::Blog::Nginx::free_port(),
        pid        => undef,
        error_from => 0,
    }, $class;

    push @INSTANCES, $self;

    return $self;
}

sub prefix    { $_[0]{prefix} }
sub content   { "$_[0]{prefix}/content" }
sub port      { $_[0]{port} }
sub conf_file { "$_[0]{prefix}/conf/httpd.conf" }
sub error_log { "$_[0]{prefix}/logs/error.log" }
sub pid_file  { "$_[0]{prefix}/logs/httpd.pid" }


# The server's part of httpd.conf is ours; $body is the test's: sections,
# directives, more LoadModule lines.  Options: modules => [NAMES] to load
# (mod_NAME.so), log_format => a LogFormat for an access log,
# modules_enabled => DIR to load DIR/*.load, the way Debian's apache2.conf
# loads /etc/apache2/mods-enabled, instead of our own modules.
sub write_config {
    my ($self, $body, %opt) = @_;
    my $prefix = $self->{prefix};
    my @modules = ("mpm_$self->{mpm}",
                   qw(authz_core authz_host mime socache_shmcb),
                   @{ $opt{modules} // [] });
    my $load = join '', map {
        "LoadModule ${_}_module $MODULES/mod_$_.so\n"
    } @modules;

    $load = "IncludeOptional $opt{modules_enabled}/*.load\n"
        if defined $opt{modules_enabled};
    $load .= "LoadModule blog_module $self->{module}\n"
        if defined $self->{module};

    my $user = '';
    if ($> == 0) {
        my $name = getpwnam('www-data') ? 'www-data' : 'nobody';
        my $group = getgrnam('www-data') ? 'www-data' : 'nogroup';
        $user = "User $name\nGroup $group\n";
    }

    my $access = defined $opt{log_format}
        ? qq{LogFormat "$opt{log_format}" blog\n}
          . "CustomLog $prefix/logs/access.log blog\n"
        : '';

    my $conf = <<"END";
ServerRoot $prefix
PidFile $prefix/logs/httpd.pid
Listen 127.0.0.1:$self->{port}
ServerName localhost
$load$user
ErrorLog $prefix/logs/error.log
LogLevel info
Mutex file:$prefix/logs default
TypesConfig /etc/mime.types
$access
$body
END

    open my $fh, '>', $self->conf_file or die "cannot write httpd.conf: $!\n";
    print {$fh} $conf;
    close $fh or die "cannot write httpd.conf: $!\n";
}


# (passed, what apache2 -t and the error log said)
sub test_config {
    my ($self) = @_;
    my $output = `$BINARY -t -f ${\ $self->conf_file } 2>&1`;
    return ($? == 0, $output);
}


# '' once it accepts connections, else what went wrong with its log.
sub start {
    my ($self) = @_;

    $self->{error_from} = -s $self->error_log // 0;
    unlink $self->pid_file;

    my $pid = fork;
    die "fork: $!\n" unless defined $pid;

    if ($pid == 0) {
        POSIX::setpgid(0, 0);
        open STDIN, '<', '/dev/null';
        open STDOUT, '>>', "$self->{prefix}/logs/stderr.log";
        open STDERR, '>&', \*STDOUT;
        { no warnings 'exec'; exec $BINARY, '-f', $self->conf_file,
                                   '-DFOREGROUND'; }
        POSIX::_exit(127);
    }

    POSIX::setpgid($pid, $pid);
    $self->{pid} = $pid;

    my $deadline = time + 20;

    while (time < $deadline) {
        if (waitpid($pid, WNOHANG) == $pid) {
            $self->{pid} = undef;
            return "apache2 exited with status " . ($? >> 8) . "; its log:\n"
                   . $self->log_since_start;
        }

        return '' if -s $self->pid_file && $self->accepts;

        sleep 0.05;
    }

    $self->stop;
    return "apache2 did not accept connections within 20 s; its log:\n"
           . $self->log_since_start;
}


sub accepts {
    my ($self) = @_;
    my $socket = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
                                       PeerPort => $self->{port},
                                       Proto => 'tcp', Timeout => 1)
        or return 0;
    close $socket;
    return 1;
}


# A graceful stop (SIGWINCH to the parent's group would be graceful-stop;
# SIGTERM stops the children at once, which is what a test wants).
sub stop {
    my ($self) = @_;
    my $pid = $self->{pid} or return;

    $self->{pid} = undef;
    kill 'TERM', $pid;

    my $deadline = time + 10;

    while (time < $deadline) {
        my $reaped = waitpid($pid, WNOHANG);
        return if $reaped == $pid || $reaped == -1;
        sleep 0.05;
    }

    kill 'KILL', -$pid;
    waitpid($pid, 0);
}


sub log_since_start {
    my ($self) = @_;
    return read_from($self->error_log, $self->{error_from});
}


# The error log's lines since the last call (or the start).
sub new_log_lines {
    my ($self) = @_;
    my $text = read_from($self->error_log, $self->{error_from});
    $self->{error_from} += length $text;
    return split /\n/, $text;
}


sub read_from {
    my ($file, $from) = @_;
    open my $fh, '<', $file or return '';
    seek $fh, $from, 0;
    local $/;
    return <$fh> // '';
}


END {
    return unless $$ == $OWNER;
    $_->stop for @INSTANCES;
}

1;
