package Test::Blog::Util;

# Helpers for the .t files whose checks need Perl between requests: an
# nginx of the file's own (spare ports, reload, its worker processes),
# requests with headers, posts written in place or saved atomically,
# mtimes, polling with a deadline, and child processes that send load
# while the test does something else.  Test::Blog::Nginx runs nginx and
# Test::Blog::HTTP sends the requests; what to check is left to the .t
# files.
#
#   my $blog = start_nginx(config => ..., http_config => ..., files => ...,
#                          setup => sub { my ($blog) = @_; ... });
#   my $r = $blog->get('/blog/hello/', 'Accept-Encoding' => 'gzip');
#   $blog->reload(http_config => ...);        # SIGHUP, new workers up
#   my $s = $blog->send_raw("GET /blog/ HTTP/1.0\r\n...\r\n\r\n");
#   my %reply = read_replies(15, $s, ...);     # socket => bytes
#   my $wait = start_children(4, sub { my ($i) = @_; ...; return {...} });
#   my @results = $wait->();
#   $blog->stop;                               # and the log check
#
# $CONTENT, $PREFIX, $PORT, $PORT2 ... $PORT5 and $ROOT are replaced in
# config, http_config, main_config and files.
#
# With TEST_BLOG_SERVER=apache, start_nginx starts Apache httpd with
# mod_blog instead, its configuration translated as Test::Blog's blocks
# are (Test::Blog::Apache::translate), and reload is a graceful restart.
# For a configuration with no httpd equivalent, start_nginx returns undef
# after a skipped test that says why, as it does after a failed one.

use strict;
use warnings;

use Cwd qw(abs_path);
use Exporter qw(import);
use File::Basename qw(basename dirname);
use File::Copy ();
use File::Temp ();
use IO::Uncompress::Gunzip qw(gunzip);
use JSON::PP qw(encode_json decode_json);
use POSIX qw(WNOHANG);
use Test::More;
use Time::HiRes qw(sleep time);

use Test::Blog ();
use Test::Blog::Apache;
use Test::Blog::HTTP qw(http_request);
use Test::Blog::Nginx;

our @EXPORT_OK = qw(start_nginx poll write_in_place write_in_place_slowly
                    save_atomically
                    set_mtime http_date gunzip_bytes unbrotli_bytes
                    brotli_tool start_children
                    excerpt read_replies);

my $ROOT = abs_path(dirname(__FILE__) . '/../../../..');

my $BAD_LOG_LINE = qr/\[(?:alert|crit|emerg)\]|Sanitizer|runtime error:/;

my $RELOAD_TIMEOUT = 10;

my $APACHE = ($ENV{TEST_BLOG_SERVER} // '') eq 'apache';


# start_nginx(config, http_config, main_config, files, setup, workers): a
# started nginx (workers: worker_processes, 2 unless given), or undef after
# a failed test that says why.

sub start_nginx {
    my (%arg) = @_;
    my $self = bless { arg => {} }, 'Test::Blog::Util::Server';

    if ($APACHE) {
        my $missing = Test::Blog::Apache::missing();

        if ($missing) {
            SKIP: { skip("this server of $0 needs Apache httpd: $missing",
                         1) }
            return undef;
        }

        $self->{apache} = 1;
        $self->{nginx} = Test::Blog::Apache->new;

    } else {
        my $module = module_copy();

        return undef if defined $module && $module eq '';

        $self->{nginx} = Test::Blog::Nginx->new(
            module => $module,
            binary => $ENV{TEST_NGINX_BINARY} || '/usr/sbin/nginx');
    }

    $self->{ports} = [ undef, $self->{nginx}->port,
                       map { Test::Blog::Nginx::free_port() } 2 .. 5 ];

    diag("prefix " . $self->prefix . " is kept") if $ENV{TEST_BLOG_KEEP};

    if (defined $arg{files}) {
        Test::Blog::write_files($self->content, $self->expand($arg{files}));
    }

    $arg{setup}->($self) if $arg{setup};

    # under Apache httpd, a configuration it has no equivalent of: skipped
    return undef unless $self->write_config(%arg);

    my ($passed, $output) = $self->{nginx}->test_config;
    if (!$passed) {
        fail('nginx -t');
        diag($output . "\nnginx.conf:\n" . $self->{nginx}->numbered_config);
        return undef;
    }

    my $problem = $self->{nginx}->start;
    if ($problem) {
        fail('nginx starts');
        diag($problem);
        return undef;
    }

    return $self;
}


# A private copy of the module (undef for none, '' after a failed test):
# a reload loads the module the test started with, not one rebuilt
# meanwhile.

sub module_copy {
    my $module = Test::Blog::module_path();

    return undef unless defined $module;

    if (!-f $module) {
        fail("the module $module is built");
        diag("run 'make' first");
        return '';
    }

    my $dir = File::Temp::tempdir('test-blog-module-XXXXXX', TMPDIR => 1,
                                  CLEANUP => 1);
    chmod 0755, $dir;

    my $copy = "$dir/" . basename($module);
    File::Copy::copy($module, $copy)
        or die "cannot copy $module to $copy: $!\n";

    return $copy;
}


# poll(SECONDS, CODE): calls CODE every 50 ms until it returns true or the
# time is up; returns (CODE's last value, seconds it took), or in scalar
# context the value alone: ok(poll(...)) must fail when the time is up,
# and Test::More's ok() takes its first argument in scalar context.

sub poll {
    my ($seconds, $code) = @_;
    my $start = time;
    my $deadline = $start + $seconds;
    my $value;

    for ( ;; ) {
        $value = $code->();
        if ($value || time >= $deadline) {
            return wantarray ? ($value, time - $start) : $value;
        }

        sleep 0.05;
    }
}


# Rewrites FILE where it is (same inode): truncate, then write.

sub write_in_place {
    my ($file, $data) = @_;

    utf8::encode($data) if $data =~ /[^\x00-\xff]/;
    open my $fh, '>:raw', $file or die "cannot write $file: $!\n";
    print {$fh} $data;
    close $fh or die "cannot write $file: $!\n";
}


# A save in place as scp, rsync --inplace and some editors make it: FILE
# truncated, half of DATA written, a pause of 40 ms, then the rest.

sub write_in_place_slowly {
    my ($file, $data) = @_;
    my $half = int(length($data) / 2);

    utf8::encode($data) if $data =~ /[^\x00-\xff]/;
    open my $fh, '>:raw', $file or die "cannot write $file: $!\n";
    syswrite($fh, substr($data, 0, $half));
    sleep 0.04;
    syswrite($fh, substr($data, $half));
    close $fh or die "cannot write $file: $!\n";
}


# What editors do: a temporary file beside FILE, then rename over it.

sub save_atomically {
    my ($file, $data) = @_;
    my $tmp = dirname($file) . '/.' . basename($file) . ".tmp-$$";

    Test::Blog::write_file($tmp, $data);
    rename $tmp, $file or die "cannot rename $tmp to $file: $!\n";
}


sub set_mtime {
    my ($file, $time) = @_;
    utime $time, $time, $file or die "cannot set the mtime of $file: $!\n";
}


# An HTTP date (RFC 7231 IMF-fixdate), whatever the locale.

sub http_date {
    my ($time) = @_;
    my @t = gmtime $time;

    return sprintf "%s, %02d %s %04d %02d:%02d:%02d GMT",
        (qw(Sun Mon Tue Wed Thu Fri Sat))[$t[6]], $t[3],
        (qw(Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec))[$t[4]],
        $t[5] + 1900, $t[2], $t[1], $t[0];
}


# The gunzipped bytes, or undef when they are not gzip (the module's
# default, Transparent, would pass bytes that are not gzip through).

sub gunzip_bytes {
    my ($bytes) = @_;
    my $out;

    gunzip(\$bytes => \$out, Transparent => 0) or return undef;
    return $out;
}


# Debian's brotli command, which the tests decompress with (Perl has no
# brotli of its own): its name, or undef when it is not installed.

sub brotli_tool {
    return system('brotli --version >/dev/null 2>&1') == 0 ? 'brotli'
                                                          : undef;
}


# The bytes brotli decompresses to, or undef when they are not brotli.

sub unbrotli_bytes {
    my ($bytes) = @_;
    my ($fh, $file) = File::Temp::tempfile('test-blog-br-XXXXXX',
                                           TMPDIR => 1, UNLINK => 1);

    binmode $fh;
    print {$fh} $bytes;
    close $fh or die "$file: $!";

    # the name is File::Temp's: no quote in it
    open my $out, '-|', "brotli --decompress --stdout '$file' 2>/dev/null"
        or return undef;
    binmode $out;
    my $plain = do { local $/; <$out> };
    close $out or return undef;
    unlink $file;

    return $plain // '';
}


# start_children(N, CODE): forks N processes that each run CODE(i) (i from
# 1) and return a hash of plain values; returns a function that waits for
# them (at most TIMEOUT seconds, default 30, then kills them) and returns
# their hashes, { error => ... } for one that died.

sub start_children {
    my ($n, $code, $timeout) = @_;
    my $dir = File::Temp::tempdir('test-blog-children-XXXXXX', TMPDIR => 1,
                                  CLEANUP => 1);
    my @pids;

    for my $i (1 .. $n) {
        my $pid = fork;
        die "fork: $!\n" unless defined $pid;

        if ($pid == 0) {
            my $result = eval { $code->($i) };
            $result = { error => "child $i died: $@" } unless $result;

            if (open my $fh, '>', "$dir/$i.json") {
                print {$fh} encode_json($result);
                close $fh;
            }

            # no END blocks: nginx and the test's temporary files belong to
            # the parent
            POSIX::_exit(0);
        }

        push @pids, $pid;
    }

    return sub {
        my $deadline = time + ($timeout // 30);
        my %left = map { $_ => 1 } @pids;

        while (%left && time < $deadline) {
            for my $pid (keys %left) {
                delete $left{$pid} if waitpid($pid, WNOHANG) != 0;
            }
            sleep 0.05 if %left;
        }

        for my $pid (keys %left) {
            kill 'KILL', $pid;
            waitpid($pid, 0);
        }

        my @results;

        for my $i (1 .. $n) {
            my $result = { error => "child $i left no result" };

            if (open my $fh, '<', "$dir/$i.json") {
                local $/;
                $result = eval { decode_json(<$fh>) }
                          // { error => "child $i: bad result" };
            }

            push @results, $result;
        }

        return @results;
    };
}


# read_replies(SECONDS, SOCKETS): what each socket got until nginx closed
# it or SECONDS passed, by socket; the sockets are closed.

sub read_replies {
    my ($seconds, @sockets) = @_;
    my %reply = map { ("$_" => '') } @sockets;
    my $select = IO::Select->new(@sockets);
    my $deadline = time + $seconds;

    while ($select->count && time < $deadline) {
        for my $s ($select->can_read(0.5)) {
            my $n = sysread($s, my $buf, 65536);

            if ($n) {
                $reply{"$s"} .= $buf;
            } else {
                $select->remove($s);
            }
        }
    }

    close $_ for @sockets;

    return %reply;
}


sub excerpt {
    my ($text, $limit) = @_;
    $limit //= 2000;
    $text //= '(undef)';

    return $text if length $text <= $limit;
    return substr($text, 0, $limit) . "\n... (" . (length($text) - $limit)
           . " more bytes)";
}


package Test::Blog::Util::Server;

use strict;
use warnings;

use IO::Select;
use IO::Socket::INET;
use Test::More;
use Time::HiRes qw(sleep time);

use Test::Blog::HTTP qw(http_request);


sub nginx   { $_[0]{nginx} }
sub prefix  { $_[0]{nginx}->prefix }
sub content { $_[0]{nginx}->content }
sub log     { $_[0]{nginx}->log_since_start }

# port() or port(1): the server block's port; port(2) ... port(5): spare
# ports for the configuration's own listen directives.
sub port    { $_[0]{ports}[$_[1] // 1] }


# The master's pid, from the pid file as nginx -s would read it.

sub master {
    my ($self) = @_;

    open my $fh, '<', $self->{nginx}->pid_file or return undef;
    my ($pid) = <$fh> =~ /^(\d+)/;
    return $pid;
}


sub expand {
    my ($self, $text) = @_;
    return $text unless defined $text;

    my %value = (CONTENT => $self->content, PREFIX => $self->prefix,
                 ROOT => $ROOT);

    $text =~ s{\$(CONTENT|PREFIX|ROOT|PORT([2-5])?)\b}
              {defined $value{$1} ? $value{$1} : $self->port($2 // 1)}ge;

    return $text;
}


sub write_config {
    my ($self, %arg) = @_;

    for (qw(config http_config main_config workers)) {
        $self->{arg}{$_} = $arg{$_} if exists $arg{$_};
    }

    my $a = $self->{arg};

    if ($self->{apache}) {
        my ($conf, $modules) = $self->{nginx}->translate(
            map { $self->expand($a->{$_}) }
                qw(main_config http_config config));

        if (!defined $conf) {
            SKIP: { skip("this server of $0 is not for Apache httpd: "
                         . $modules, 1) }
            return 0;
        }

        $self->{nginx}->write_config($conf, modules => $modules);
        return 1;
    }

    $self->{nginx}->write_config(comment => $0,
                                 workers => $a->{workers},
                                 main => $self->expand($a->{main_config}),
                                 http => $self->expand($a->{http_config}),
                                 server => $self->expand($a->{config}));
    return 1;
}


# request(METHOD, URI, headers => { ... }, port => N): the response as
# Test::Blog::HTTP returns it.

sub request {
    my ($self, $method, $uri, %opt) = @_;
    my $headers = $opt{headers} || {};
    my $text = join "\n", "$method $uri",
                          map { "$_: $headers->{$_}" } sort keys %$headers;

    return http_request($self->port($opt{port}), $text);
}


sub get {
    my ($self, $uri, %headers) = @_;
    return $self->request('GET', $uri, headers => \%headers);
}


# wire(BYTES, PORT): every byte that comes back for BYTES (a request with
# "Connection: close") until the server closes, or undef when it does not
# in time (Test::Blog::HTTP::wire).

sub wire {
    my ($self, $bytes, $port) = @_;
    return Test::Blog::HTTP::wire($self->port($port), $bytes);
}


# send_raw(BYTES): a socket to nginx that BYTES were written to, for
# requests that must be on the wire together; read_replies() reads them.

sub send_raw {
    my ($self, $bytes) = @_;
    my $socket = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
                                       PeerPort => $self->port,
                                       Proto => 'tcp', Timeout => 5)
        or die "cannot connect to 127.0.0.1:" . $self->port . ": $!\n";

    syswrite($socket, $bytes) == length $bytes or die "write: $!\n";

    return $socket;
}


# The pids of the master's worker processes that are not shutting down.

sub workers {
    my ($self) = @_;
    my $master = $self->master or return ();

    open my $ps, '-|', 'ps', '--ppid', $master, '-o', 'pid=,args='
        or return ();
    my @pids = map { /^\s*(\d+)\s+.*worker process\s*$/ ? $1
                     : $self->{apache} && /^\s*(\d+)\s/ ? $1 : () } <$ps>;
    close $ps;

    return @pids;
}


# Waits for COUNT workers none of which is in OLD (a list of pids): the
# new pids, or () after SECONDS.

sub wait_new_workers {
    my ($self, $old, $count, $seconds) = @_;
    my %old = map { $_ => 1 } @$old;
    my $deadline = time + ($seconds // $RELOAD_TIMEOUT);

    while (time < $deadline) {
        my @now = $self->workers;
        my @new = grep { !$old{$_} } @now;
        return @new if @new >= $count && @new == @now;
        sleep 0.05;
    }

    return ();
}


# reload(config => ..., ...): rewrites nginx.conf with what is given, checks
# it with nginx -t, sends SIGHUP to the master and waits until every worker
# is a new one.  True when the new workers are up.

sub reload {
    my ($self, %arg) = @_;
    my @old = $self->workers;

    if (%arg) {
        $self->write_config(%arg);

        my ($passed, $output) = $self->{nginx}->test_config;
        if (!$passed) {
            diag("nginx -t before the reload:\n$output");
            return 0;
        }
    }

    # httpd's graceful restart; nginx's reload
    kill $self->{apache} ? 'USR1' : 'HUP', $self->master or return 0;

    my @new = $self->wait_new_workers(\@old, scalar @old);
    diag("no new workers within $RELOAD_TIMEOUT s of SIGHUP") unless @new;

    return scalar @new;
}


# Lines of the log since the last call that an operator must never see,
# less those like one of ALLOW (expected ones, such as a killed worker).

sub bad_log_lines {
    my ($self, @allow) = @_;

    return grep { my $line = $_; !grep { $line =~ $_ } @allow }
           grep { $_ =~ $BAD_LOG_LINE } $self->{nginx}->new_log_lines;
}


# Stops nginx: a test that it stopped and one that its log holds no
# [alert], [crit], [emerg] or sanitizer report but those like ALLOW.

sub stop {
    my ($self, @allow) = @_;

    my $problem = $self->{nginx}->stop;
    ok(!$problem, "nginx stops") or diag($problem);

    my @bad = $self->bad_log_lines(@allow);
    ok(!@bad, "no [alert], [crit], [emerg] or sanitizer report in the log")
        or diag(join "\n", @bad > 10 ? (@bad[0 .. 9], "... and "
                                        . (@bad - 10) . " more lines")
                                     : @bad);
}


1;
