package Test::Blog::Nginx;

# One nginx for one test file: a private prefix directory (conf/, logs/,
# temp/, content/), a free loopback port, the generated nginx.conf, nginx -t,
# start, stop, and the error log read by offsets.  nginx runs in the
# foreground as our child, in its own process group, and is stopped by an
# END block whatever happens to the test.  What to configure and what to
# check is left to Test::Blog.
#
# Two memory-checking modes, chosen by the environment (make test-asan and
# make test-valgrind set it; contrib/test/asan.sh and valgrind.sh):
#
#   TEST_NGINX_LD_PRELOAD=LIBS  sanitizer mode, for a module built with
#       -fsanitize=address,undefined: nginx and nginx -t run with
#       LD_PRELOAD=LIBS (the ASan and UBSan runtimes, which must come
#       before everything else in a binary that was not built with them),
#       ASAN_OPTIONS and UBSAN_OPTIONS that write reports to logs/asan.PID
#       and logs/ubsan.PID (logs/ is made world-writable for workers that
#       run as nobody), and "env ASAN_OPTIONS; env UBSAN_OPTIONS; env
#       LD_PRELOAD;" in nginx.conf.  nginx -t runs with detect_leaks=0
#       (nginx never frees the cycle it only tested).
#   TEST_NGINX_USE_VALGRIND=1  valgrind mode: nginx runs as one process
#       ("master_process off;") under valgrind memcheck, its log in
#       logs/valgrind.PID, with contrib/test/valgrind.supp
#       (TEST_NGINX_VALGRIND_SUPP replaces it, TEST_NGINX_VALGRIND_OPTS adds
#       options); nginx -t runs without valgrind.  A test file that needs
#       workers, signals or reloads skips itself with
#       skip_all_under_valgrind(REASON), a block with "--- skip_valgrind".
#
# For both, the module is linked with -Wl,-z,nodelete: nginx unloads it at
# exit, and with it would go the roots of its once-per-process objects
# (compiled regexes, a locale), which would then look leaked, and the names
# of its functions in the reports.
#
# In either mode new_log_lines() also returns the reports that involve the
# module: every ASan error and UBSan report, and the leaks ("Direct leak")
# and valgrind errors and definite leaks with a frame in the module
# (ngx_http_blog_*, blog_*, cmark, yaml, the module's .so and sources).
# Each of their lines starts "[alert] logs/TOOL.PID: ", so every check for
# [alert] lines fails on them.  nginx's own leaks at exit are left out.
# TEST_NGINX_REPORT_DIR=DIR: every report file is copied there when nginx
# stops (the scripts summarize them).

use strict;
use warnings;

use Cwd qw(abs_path);
use File::Basename qw(basename dirname);
use File::Copy qw(copy);
use File::Path qw(make_path);
use File::Temp qw(tempdir);
use IO::Socket::INET;
use POSIX qw(WNOHANG);
use Time::HiRes qw(sleep time);

my $ROOT = abs_path(dirname(__FILE__) . '/../../../..');

my $MODE = $ENV{TEST_NGINX_USE_VALGRIND} ? 'valgrind'
         : ($ENV{TEST_NGINX_LD_PRELOAD} // '') ne '' ? 'sanitizer'
         : '';

die "TEST_NGINX_USE_VALGRIND and TEST_NGINX_LD_PRELOAD exclude each other\n"
    if $ENV{TEST_NGINX_USE_VALGRIND} && $ENV{TEST_NGINX_LD_PRELOAD};

# valgrind makes nginx some 20 times slower to start and to stop (the leak
# check runs at exit).
my $START_TIMEOUT = $MODE eq 'valgrind' ? 60 : $MODE ? 30 : 20;
my $STOP_TIMEOUT = $MODE eq 'valgrind' ? 60 : $MODE ? 30 : 10;

# A frame of the module in a report: its functions, the libraries only it
# uses, its sources, its .so.
our $MODULE_FRAME_RE = qr/\b(?:ngx_http_blog_\w+|blog_\w+|cmark_\w+|yaml_\w+)
                     |ngx_blog_module\/|ngx_http_blog_module\.so
                     |libcmark|libyaml/x;

my @INSTANCES;
my $OWNER = $$;


# new(binary => PATH, module => PATH or undef for no load_module)

sub new {
    my ($class, %args) = @_;

    # nginx's workers run as "nobody" when the tests run as root: they must
    # be able to read the prefix and the content.
    umask 022;

    my $prefix = tempdir('test-blog-XXXXXX', TMPDIR => 1,
                         CLEANUP => !$ENV{TEST_BLOG_KEEP});
    chmod 0755, $prefix;
    make_path(map { "$prefix/$_" } qw(conf logs temp content));

    my $self = bless {
        binary      => $args{binary},
        module      => $args{module},
        prefix      => $prefix,
        port        => free_port(),
        pid         => undef,
        error_from  => 0,
        stderr_from => 0,
        scanned     => {},
        reported    => {},
    }, $class;

    # Workers may run as another user (a test says so) and write their
    # sanitizer reports into logs/.
    chmod 01777, "$prefix/logs" if $MODE eq 'sanitizer';

    push @INSTANCES, $self;

    $SIG{PIPE} = 'IGNORE';
    $SIG{INT} = $SIG{TERM} = sub {
        print STDERR "# caught SIG$_[0], stopping nginx\n";
        exit 1;
    };

    return $self;
}


# '', 'sanitizer' or 'valgrind' (see the top of this file).
sub mode { $MODE }
sub under_valgrind { $MODE eq 'valgrind' }

# A line new_log_lines() made of a report.
sub is_report_line { $_[-1] =~ m{^\[alert\] logs/(?:asan|ubsan|valgrind)\.\d+: } }

# For a test file that needs worker processes, signals or reloads:
#     Test::Blog::Nginx::skip_all_under_valgrind('it reloads nginx');
sub skip_all_under_valgrind {
    my ($why) = @_;
    return unless $MODE eq 'valgrind';
    require Test::More;
    Test::More::plan(skip_all => "under valgrind (one nginx process): $why");
}

sub prefix  { $_[0]{prefix} }
sub content { "$_[0]{prefix}/content" }
sub port    { $_[0]{port} }
sub running { defined $_[0]{pid} }

sub conf_file   { "$_[0]{prefix}/conf/nginx.conf" }
sub error_log   { "$_[0]{prefix}/logs/error.log" }
sub stderr_log  { "$_[0]{prefix}/logs/stderr.log" }
sub pid_file    { "$_[0]{prefix}/logs/nginx.pid" }


sub free_port {
    my $socket = IO::Socket::INET->new(LocalAddr => '127.0.0.1',
                                       LocalPort => 0, Proto => 'tcp',
                                       Listen => 1, ReuseAddr => 1)
        or die "cannot bind a port on 127.0.0.1: $!\n";
    my $port = $socket->sockport;
    close $socket;
    return $port;
}


# write_config(main => TEXT, http => TEXT, server => TEXT, comment => TEXT,
#              workers => N)

sub write_config {
    my ($self, %part) = @_;
    my $prefix = $self->{prefix};
    my $load = defined $self->{module} ? "load_module $self->{module};" : '';
    my ($main, $http, $server) = map { $_ // '' } @part{qw(main http server)};
    (my $comment = $part{comment} // '') =~ s/\n/ /g;

    my $workers = $part{workers} // 2;

    # Workers run as the user who runs the tests: as root, nginx would make
    # them nobody, who may not enter a clone in a home folder.  A test of
    # another user says so in its main config.
    my $user = $> == 0 && $main !~ /^\s*user\s/m
               ? 'user ' . (getpwuid $>)[0] . ';' : '';
    my $master = $MODE eq 'valgrind' ? 'off' : 'on';
    my $env = $MODE eq 'sanitizer'
              ? "env ASAN_OPTIONS;\nenv UBSAN_OPTIONS;\nenv LD_PRELOAD;\n" : '';

    my $conf = <<"END";
# generated by t/lib/Test/Blog/Nginx.pm for $comment
$load
${env}
worker_processes $workers;
$user
daemon off;
master_process $master;
pid $prefix/logs/nginx.pid;
lock_file $prefix/logs/nginx.lock;
error_log $prefix/logs/error.log info;

$main

events {
    worker_connections 256;
}

http {
    default_type text/plain;
    access_log off;

    client_body_temp_path $prefix/temp/client_body;
    proxy_temp_path $prefix/temp/proxy;
    fastcgi_temp_path $prefix/temp/fastcgi;
    uwsgi_temp_path $prefix/temp/uwsgi;
    scgi_temp_path $prefix/temp/scgi;

$http

    server {
        listen 127.0.0.1:$self->{port};
        server_name localhost;

$server
    }
}
END

    open my $fh, '>', $self->conf_file or die "cannot write nginx.conf: $!\n";
    print {$fh} $conf;
    close $fh or die "cannot write nginx.conf: $!\n";
}


sub numbered_config {
    my ($self) = @_;
    my $n = 0;

    open my $fh, '<', $self->conf_file or return '';
    return join '', map { sprintf "%3d  %s", ++$n, $_ } <$fh>;
}


# nginx -t: (passed, its output together with what it wrote to error.log).

sub test_config {
    my ($self) = @_;
    my $from = -s $self->error_log // 0;

    my $pid = open(my $fh, '-|');
    die "fork: $!\n" unless defined $pid;

    if ($pid == 0) {
        open STDERR, '>&', \*STDOUT;
        $self->exec_nginx('-t');
    }

    local $/;
    my $output = <$fh> // '';
    close $fh;
    my $passed = $? == 0;

    return ($passed, $output . read_from($self->error_log, $from));
}


sub exec_nginx {
    my ($self, @args) = @_;
    my @command = ($self->{binary}, @args, '-p', "$self->{prefix}/",
                   '-c', $self->conf_file);
    my $testing = grep { $_ eq '-t' } @args;

    if ($MODE eq 'sanitizer') {
        my $logs = "$self->{prefix}/logs";
        my $leaks = $testing ? 0 : 1;

        $ENV{LD_PRELOAD} = $ENV{TEST_NGINX_LD_PRELOAD};
        $ENV{ASAN_OPTIONS} = join ':', grep { $_ ne '' }
            # the fast unwinder: the module has frame pointers, and the
            # slow one makes cmark's many mallocs 100 times slower
            'abort_on_error=0:malloc_context_size=30',
            $ENV{ASAN_OPTIONS} // '',
            "detect_leaks=$leaks:log_path=$logs/asan";
        $ENV{UBSAN_OPTIONS} = join ':', grep { $_ ne '' }
            # every report, not only the first: each one fails its block
            'print_stacktrace=1:halt_on_error=0',
            $ENV{UBSAN_OPTIONS} // '', "log_path=$logs/ubsan";

    } elsif ($MODE eq 'valgrind' && !$testing) {
        unshift @command, valgrind_command($self->{prefix});
    }

    { no warnings 'exec'; exec { $command[0] } @command; }
    print "cannot run $command[0]: $!\n";
    POSIX::_exit(127);
}


sub valgrind_command {
    my ($prefix) = @_;
    my $supp = $ENV{TEST_NGINX_VALGRIND_SUPP}
               // "$ROOT/contrib/test/valgrind.supp";

    return ('valgrind', '--tool=memcheck', '--quiet',
            '--leak-check=full', '--show-leak-kinds=definite',
            '--errors-for-leak-kinds=definite', '--error-exitcode=99',
            '--num-callers=40', '--keep-debuginfo=yes',
            '--track-origins=yes',
            "--log-file=$prefix/logs/valgrind.%p",
            (-f $supp ? "--suppressions=$supp" : ()),
            split(' ', $ENV{TEST_NGINX_VALGRIND_OPTS} // ''));
}


# Starts nginx and waits until it accepts connections: '' or why it failed.

sub start {
    my ($self) = @_;

    $self->{error_from} = -s $self->error_log // 0;
    $self->{stderr_from} = -s $self->stderr_log // 0;
    unlink $self->pid_file;

    my $pid = fork;
    die "fork: $!\n" unless defined $pid;

    if ($pid == 0) {
        # Its own process group: a ^C for prove does not reach nginx, and
        # the whole group can be killed if the master hangs or dies.
        POSIX::setpgid(0, 0);
        open STDIN, '<', '/dev/null';
        open STDOUT, '>>', $self->stderr_log;
        open STDERR, '>&', \*STDOUT;
        $self->exec_nginx();
    }

    POSIX::setpgid($pid, $pid);
    $self->{pid} = $pid;

    my $deadline = time + $START_TIMEOUT;

    while (time < $deadline) {
        if (waitpid($pid, WNOHANG) == $pid) {
            my $status = $?;
            $self->{pid} = undef;
            return "nginx exited with status " . ($status >> 8)
                   . ($status & 127 ? " on signal " . ($status & 127) : '')
                   . "; its log:\n" . $self->log_since_start;
        }

        return '' if -s $self->pid_file && $self->accepts;

        sleep 0.05;
    }

    $self->stop;
    return "nginx did not accept connections on 127.0.0.1:$self->{port}"
           . " within $START_TIMEOUT s; its log:\n" . $self->log_since_start;
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


# Graceful stop (SIGQUIT), then SIGKILL to the process group: '' or what
# went wrong.

sub stop {
    my ($self) = @_;
    my $pid = $self->{pid} or return '';
    my $problem = '';

    $self->{pid} = undef;
    kill 'QUIT', $pid;

    my $deadline = time + $STOP_TIMEOUT;
    my $exited = 0;

    my $poke = time + 0.5;

    while (time < $deadline) {
        my $reaped = waitpid($pid, WNOHANG);
        if ($reaped == $pid || $reaped == -1) {
            $exited = 1;
            last;
        }

        # Under valgrind a signal does not interrupt an idle nginx's
        # epoll_wait(): a connection wakes it to see it must quit.
        if ($MODE eq 'valgrind' && time > $poke) {
            $self->accepts;
            $poke = time + 0.5;
        }

        sleep 0.05;
    }

    if (!$exited) {
        $problem = "nginx did not stop within $STOP_TIMEOUT s of SIGQUIT;"
                   . " killed its process group";
        kill 'KILL', -$pid;
        waitpid($pid, 0);
    }

    if (kill 0, -$pid) {
        $problem ||= "nginx processes were left behind; killed them";
        kill 'KILL', -$pid;
    }

    $self->keep_reports;

    return $problem;
}


END {
    my $status = $?;

    if ($$ == $OWNER) {
        for my $nginx (@INSTANCES) {
            my $problem = $nginx->stop;
            print STDERR "# $problem\n" if $problem;

            # reports no check has read: the test did not stop nginx itself
            my @reports = $nginx->report_lines;
            if (@reports) {
                print STDERR map { "# $_\n" } "sanitizer or valgrind"
                    . " reports nobody checked:", @reports;
                $status ||= 1;
            }
        }
    }

    $? = $status;
}


# The log of the running nginx: what it wrote to stderr before its
# error_log took over, then error.log.

sub log_since_start {
    my ($self) = @_;
    return read_from($self->stderr_log, $self->{stderr_from})
           . read_from($self->error_log, $self->{error_from});
}


# Log lines written since the last call, and forgetting them; then the
# lines of the sanitizer and valgrind reports that involve the module.

sub new_log_lines {
    my ($self) = @_;
    my @lines;

    for my $file ($self->error_log, $self->stderr_log) {
        my $from = $self->{scanned}{$file} // 0;
        my $text = read_from($file, $from);
        $self->{scanned}{$file} = $from + length $text;
        push @lines, split /\n/, $text;
    }

    return (@lines, $self->report_lines);
}


# The sanitizer and valgrind reports in logs/ that involve the module and
# were not returned before, as lines "[alert] FILE: LINE".  A report of a
# process that still runs is taken once it is complete.

sub report_lines {
    my ($self) = @_;
    my @lines;

    return () unless $MODE;

    for my $file (report_files($self->{prefix})) {
        my ($tool, $pid) = basename($file) =~ /^(\w+)\.(\d+)$/;
        my $text = read_from($file, 0);
        my $exited = !kill 0, $pid;

        for my $report (parse_reports($tool, $text, $exited)) {
            my $key = "$file\0$report->{offset}";
            next if $self->{reported}{$key}++;

            my $name = 'logs/' . basename($file);
            push @lines, map { "[alert] $name: $_" } @{ $report->{lines} };
        }
    }

    return @lines;
}


sub report_files {
    my ($prefix) = @_;

    opendir my $dh, "$prefix/logs" or return ();
    my @files = sort map { "$prefix/logs/$_" }
                     grep { /^(?:asan|ubsan|valgrind)\.\d+$/ } readdir $dh;
    closedir $dh;

    return @files;
}


# parse_reports(TOOL, TEXT, EXITED): the reports in one log file that
# involve the module, each { offset => where it starts, lines => [...] }.
# TOOL is asan, ubsan or valgrind; unless EXITED (the process is gone), a
# report the file does not finish yet is left for a later call.

sub parse_reports {
    my ($tool, $text, $exited) = @_;
    my @reports;

    if ($tool eq 'ubsan') {
        # Only the module is built with -fsanitize=undefined: every report
        # is the module's.  One report: a "runtime error:" line and the
        # stack under it, up to the next one.
        my @starts;
        push @starts, $-[0] while $text =~ /^.*runtime error:/mg;

        for my $i (0 .. $#starts) {
            my $end = $i < $#starts ? $starts[$i + 1] : length $text;
            my $report = substr $text, $starts[$i], $end - $starts[$i];
            next unless $exited || $i < $#starts || $report =~ /\n\s*\n/;
            push @reports, { offset => $starts[$i],
                             lines => [grep { /\S/ } split /\n/, $report] };
        }

    } elsif ($tool eq 'asan') {
        # Reports start with a line of '='; an error report ends with a
        # SUMMARY line, a leak report too.
        my @starts;
        push @starts, $-[0] while $text =~ /^={20,}\n/mg;
        unshift @starts, 0 if (@starts ? substr($text, 0, $starts[0]) : $text)
                              =~ /\S/;

        for my $i (0 .. $#starts) {
            my $end = $i < $#starts ? $starts[$i + 1] : length $text;
            my $report = substr $text, $starts[$i], $end - $starts[$i];
            next unless $exited || $report =~ /^==\d+==ABORTING/m
                        || ($report =~ /LeakSanitizer/
                            && $report =~ /^SUMMARY: /m);

            my @lines = asan_report_lines($report);
            push @reports, { offset => $starts[$i], lines => \@lines }
                if @lines;
        }

    } elsif ($tool eq 'valgrind') {
        # "==PID== " on every line; an empty "==PID== " line ends a block.
        my @blocks;
        my $offset = 0;

        for my $block (split /(?<=\n)(?===\d+==\s*\n)/, $text) {
            push @blocks, [$offset, $block];
            $offset += length $block;
        }

        # the last block is complete once the next empty line comes
        pop @blocks unless $exited;

        for (@blocks) {
            my ($at, $block) = @$_;
            my @lines = grep { /\S/ && !/^==\d+==\s*$/ } split /\n/, $block;
            next unless @lines;

            my ($head) = $lines[0] =~ /^==\d+==\s+(.*)/;
            next unless defined $head;
            next if $head =~ /^(?:HEAP SUMMARY|LEAK SUMMARY|ERROR SUMMARY
                               |in use at exit|total heap usage
                               |For lists of|For counts|Use --|Rerun with
                               |Memcheck,|Copyright|Using Valgrind|Command:
                               |Parent PID|(?:definitely|indirectly|possibly)
                                \ lost:|still reachable:|suppressed:
                               |To see them|Reachable blocks)/x;
            # only definite leaks are errors (--errors-for-leak-kinds)
            next if $head =~ /are (?:indirectly|possibly) lost|still reachable/;
            next unless grep { $_ =~ $MODULE_FRAME_RE } @lines;

            push @reports, { offset => $at, lines => \@lines };
        }
    }

    return @reports;
}


# The lines of one ASan report that concern the module: an error report
# whole; of a leak report, the direct leaks with a frame in the module
# (indirect ones hang off a direct one, which is reported; nginx's own
# leaks at exit have no module frame).

sub asan_report_lines {
    my ($report) = @_;
    my @lines = grep { /\S/ && !/^={20,}$/ } split /\n/, $report;

    return @lines unless $report =~ /ERROR: LeakSanitizer: detected/;

    my @kept;
    my $leaked = 0;

    for my $entry (split /\n\s*\n/, $report) {
        my ($bytes) = $entry =~ /^Direct leak of (\d+) byte/m or next;
        next unless $entry =~ $MODULE_FRAME_RE;
        $leaked += $bytes;
        push @kept, grep { /\S/ } split /\n/, $entry;
    }

    return () unless @kept;

    my ($head) = grep { /ERROR: LeakSanitizer/ } @lines;
    return ($head, @kept,
            "SUMMARY: AddressSanitizer: $leaked byte(s) leaked by the module"
            . " (nginx's own leaks at exit not shown)");
}


# TEST_NGINX_REPORT_DIR: a copy of every report file, named after the
# prefix.

sub keep_reports {
    my ($self) = @_;
    my $dir = $ENV{TEST_NGINX_REPORT_DIR} or return;

    make_path($dir);
    for my $file (report_files($self->{prefix})) {
        copy($file, "$dir/" . basename($self->{prefix}) . '.'
                    . basename($file));
    }
}


sub read_from {
    my ($file, $offset) = @_;

    open my $fh, '<:raw', $file or return '';
    seek $fh, $offset, 0;
    local $/;
    my $text = <$fh>;
    return $text // '';
}


1;
