package Test::Blog;

# The integration test harness: each .t file is a list of Test::Base blocks
# (configuration, content files, one request, what must come back), and this
# module runs them against a real nginx with the blog module loaded.  It owns
# the plumbing: a private prefix, a free port, starting and reusing nginx,
# sending the request, reading the error log, and stopping nginx whatever
# happens.  What a page must contain is left to the .t files.
#
# Sections of a block (all optional):
#
#   --- main_config      top-level directives
#   --- http_config      directives inside http {}, outside server {}
#   --- config           directives inside server {}
#   --- files            ">>> path [mode=0644] [symlink=TARGET]" lines, each
#                        followed by the file's content; paths are relative
#                        to $CONTENT; a path ending in "/" makes a directory
#   --- setup            Perl run after the files are written, before nginx
#                        starts; $CONTENT $PREFIX $PORT $ROOT are in scope
#   --- request          "METHOD URI", then "Name: value" header lines
#   --- raw_request      the exact bytes (line ends made CRLF and the final
#                        empty line added when the text holds no CR)
#   --- wait             seconds to sleep after the request, before checks
#   --- error_code       expected status
#   --- response_headers "Name: value", "Name: ~regex" or "!Name", per line
#   --- response_body    the exact body
#   --- response_body_like / response_body_unlike   one regex per line
#   --- error_log        regexes that must match the log since nginx started
#   --- error_log_once   regexes that must match exactly one line of it
#   --- no_error_log     regexes that must match no line of it
#   --- must_die         nginx -t must fail; error_log then also searches
#                        the output of nginx -t
#
# $PREFIX, $CONTENT, $PORT and $ROOT are replaced in every section but setup
# (quoted as literals in regexes).  run_tests(SECTION => TEXT, ...) gives
# defaults for the sections a block leaves out.  nginx is restarted only when
# main_config, http_config, config, files or setup change from the previous
# block; otherwise the running nginx is reused.  After every block, and after
# nginx stops, any [alert], [crit] or [emerg] line or sanitizer report in the
# log is a failure.
#
# Environment: TEST_NGINX_BINARY (default /usr/sbin/nginx),
# TEST_NGINX_MODULE (default build/ngx_http_blog_module.so under the repo
# root; empty: no load_module), TEST_BLOG_KEEP (keep the prefix directory).

use strict;
use warnings;

use Test::Base ();      # its block parser and filters only, not its plan
use Test::More;
use Cwd qw(abs_path);
use Exporter qw(import);
use File::Basename qw(dirname);
use File::Path qw(make_path remove_tree);
use File::Spec;
use File::Temp qw(tempdir);
use HTTP::Tiny;
use IO::Select;
use IO::Socket::INET;
use POSIX qw(WNOHANG);
use Time::HiRes qw(sleep time);

our @EXPORT = qw(run_tests);
our @EXPORT_OK = qw(write_file);

my $ROOT = abs_path(dirname(__FILE__) . '/../../..');

my $START_TIMEOUT = 20;
my $STOP_TIMEOUT = 10;
my $REQUEST_TIMEOUT = 10;

my $BAD_LOG_LINE = qr/\[(?:alert|crit|emerg)\]
                      |ERROR:\ \w*Sanitizer
                      |SUMMARY:\ \w*Sanitizer
                      |runtime\ error:/x;

my %SECTIONS = map { $_ => 1 } qw(
    main_config http_config config files setup
    request raw_request wait
    error_code response_headers response_body
    response_body_like response_body_unlike
    error_log error_log_once no_error_log must_die
    ONLY SKIP LAST
);

# The one nginx of this test file and what is known about it.
my %nginx = (
    pid          => undef,  # master process, our child
    key          => undef,  # the sections it was started for
    error_from   => 0,      # error.log offset when it started
    stderr_from  => 0,      # stderr.log offset when it started
    scanned      => {},     # log offsets already checked for alerts
);

my ($PREFIX, $CONTENT, $PORT);
my $OWNER = $$;


sub run_tests {
    my (%defaults) = @_;

    for my $section (keys %defaults) {
        die "run_tests: unknown section '$section'\n"
            unless $SECTIONS{$section};
    }

    setup_prefix();

    my $module = module_path();
    if (defined $module && !-f $module) {
        fail("the module $module is built");
        diag("run 'make' first, or set TEST_NGINX_MODULE='' to run without"
             . " the module");
        done_testing();
        return;
    }

    my $parser = Test::Base->new;
    my @blocks = @{ $parser->block_list };

    for my $block (@blocks) {
        my $name = $block->name;
        my $must_die = 0;

        my $done = eval {
            $block->run_filters unless $block->is_filtered;
            my $sections = block_sections($block, \%defaults);
            $must_die = exists $sections->{must_die};
            run_block($name, $sections);
            1;
        };

        if (!$done) {
            fail("$name - the harness runs the block");
            diag($@);
        }

        if ($must_die) {
            skip_log_lines();

        } else {
            check_log_lines("$name");
        }
    }

    stop_nginx();
    check_log_lines('after nginx stopped');

    done_testing();
}


sub run_block {
    my ($name, $s) = @_;

    for my $section (keys %$s) {
        die "unknown section '--- $section' (a typo?)\n"
            unless $SECTIONS{$section};
    }

    my $must_die = exists $s->{must_die};
    my $key = join "\0", map { $_ => $s->{$_} // '' }
                             qw(main_config http_config config files setup);

    if ($must_die || !defined $nginx{key} || $nginx{key} ne $key
        || !$nginx{pid})
    {
        stop_nginx();

        return unless prepare_content($name, $s);

        write_config($name, $s);

        my $error_from = -s error_log_path() // 0;
        my ($passed, $output) = nginx_test();

        if ($must_die) {
            ok(!$passed, "$name - nginx -t fails") or diag($output);
            my $log = $output . read_from(error_log_path(), $error_from);
            check_error_log($name, $s, $log);
            return;
        }

        if (!$passed) {
            fail("$name - nginx -t");
            diag($output);
            return;
        }

        return unless start_nginx($name);

        $nginx{key} = $key;
    }

    my $response;

    if (defined $s->{request}) {
        $response = http_request(expand($s->{request}));

    } elsif (defined $s->{raw_request}) {
        $response = raw_request(expand($s->{raw_request}));
    }

    if ($response && $response->{error}) {
        fail("$name - request");
        diag($response->{error});
        return;
    }

    sleep($s->{wait}) if $s->{wait};

    check_response($name, $s, $response) if $response;

    check_error_log($name, $s, log_since_start());
}


sub block_sections {
    my ($block, $defaults) = @_;
    my %s = %$defaults;

    for my $section (@{ $block->{_section_order}[0] || [] }) {
        my @values = @{ $block->{$section} || [] };
        $s{$section} = @values > 1 ? [@values] : $values[0];
    }

    for my $section (keys %s) {
        next if ref $s{$section} || !defined $s{$section};
        die "the eval filter of '--- $section' failed: $s{$section}\n"
            if $s{$section} =~ /\bat \(eval \d+\) line \d+/;
    }

    return \%s;
}


# Placeholders: $PREFIX $CONTENT $PORT $ROOT, as literals or as regexes.

sub expand {
    my ($text, $as_regex) = @_;
    return $text unless defined $text && !ref $text;

    my %value = (PREFIX => $PREFIX, CONTENT => $CONTENT, PORT => $PORT,
                 ROOT => $ROOT);

    $text =~ s{\$(PREFIX|CONTENT|PORT|ROOT)\b}
              {$as_regex ? quotemeta($value{$1}) : $value{$1}}ge;

    return $text;
}


sub regexes {
    my ($value) = @_;
    return () unless defined $value;

    # Each item: [compiled regex, the text to name it by in test names].
    my @items = ref $value eq 'ARRAY' ? @$value : ($value);
    my @res;

    for my $item (@items) {
        if (ref $item eq 'Regexp') {
            push @res, [$item, "$item"];
            next;
        }

        for my $line (split /\n/, $item) {
            next unless $line =~ /\S/;
            my $re = expand($line, 1);
            push @res, [qr/$re/m, "/$line/"];
        }
    }

    return @res;
}


# The prefix: conf/, logs/, temp/, content/; readable by nginx's workers,
# which run as "nobody" when the tests run as root.

sub setup_prefix {
    return if $PREFIX;

    umask 022;

    $PREFIX = tempdir('test-blog-XXXXXX', TMPDIR => 1,
                      CLEANUP => !$ENV{TEST_BLOG_KEEP});
    chmod 0755, $PREFIX;

    make_path(map { "$PREFIX/$_" } qw(conf logs temp content html));
    $CONTENT = "$PREFIX/content";
    $PORT = free_port();

    diag("prefix $PREFIX is kept") if $ENV{TEST_BLOG_KEEP};

    $SIG{PIPE} = 'IGNORE';
    $SIG{INT} = $SIG{TERM} = sub {
        diag("caught SIG$_[0], stopping nginx");
        exit 1;
    };
}


sub free_port {
    my $socket = IO::Socket::INET->new(LocalAddr => '127.0.0.1',
                                       LocalPort => 0, Proto => 'tcp',
                                       Listen => 1, ReuseAddr => 1)
        or die "cannot bind a port on 127.0.0.1: $!\n";
    my $port = $socket->sockport;
    close $socket;
    return $port;
}


sub module_path {
    my $module = $ENV{TEST_NGINX_MODULE};

    return "$ROOT/build/ngx_http_blog_module.so" unless defined $module;
    return undef if $module eq '';
    return File::Spec->rel2abs($module);
}


sub nginx_binary { $ENV{TEST_NGINX_BINARY} || '/usr/sbin/nginx' }
sub error_log_path { "$PREFIX/logs/error.log" }
sub stderr_log_path { "$PREFIX/logs/stderr.log" }
sub pid_path { "$PREFIX/logs/nginx.pid" }
sub conf_path { "$PREFIX/conf/nginx.conf" }


# Content: rebuilt from scratch for every nginx that starts.

sub prepare_content {
    my ($name, $s) = @_;

    remove_tree($CONTENT);
    make_path($CONTENT);

    my $ok = eval {
        write_files(expand($s->{files})) if defined $s->{files};
        run_setup($name, $s->{setup}) if defined $s->{setup};
        1;
    };

    return 1 if $ok;

    fail("$name - files and setup");
    diag($@);
    return 0;
}


sub write_files {
    my ($text) = @_;
    $text = join '', @$text if ref $text eq 'ARRAY';

    my @parts = split /^>>>[ \t]*(.*?)[ \t]*\n/m, $text, -1;
    my $before = shift @parts;
    die "the files section must start with a '>>> path' line\n"
        if $before =~ /\S/;

    while (@parts) {
        my ($spec, $content) = splice(@parts, 0, 2);
        my ($path, @options) = split ' ', $spec;
        my %option = map { /^(\w+)=(.*)$/ ? ($1 => $2)
                                          : die "bad option '$_' in '>>> $spec'\n" }
                         @options;

        die "'>>> $spec' needs a path\n" unless defined $path;

        my $file = "$CONTENT/$path";

        if ($path =~ m{/$}) {
            make_path($file);

        } elsif (defined $option{symlink}) {
            make_path(dirname($file));
            symlink($option{symlink}, $file)
                or die "symlink $file -> $option{symlink}: $!\n";

        } else {
            write_file($file, $content);
        }

        if (defined $option{mode}) {
            chmod(oct $option{mode}, $file) or die "chmod $file: $!\n";
        }
    }
}


sub write_file {
    my ($file, $content) = @_;

    make_path(dirname($file));

    # Text in a .t file is bytes; wide characters are written as UTF-8.
    utf8::encode($content) if $content =~ /[^\x00-\xff]/;

    open my $fh, '>:raw', $file or die "cannot write $file: $!\n";
    print {$fh} $content;
    close $fh or die "cannot write $file: $!\n";
}


sub run_setup {
    my ($name, $code) = @_;

    my $sub = eval "package main; use strict; use warnings;\n"
                 . "sub { my (\$CONTENT, \$PREFIX, \$PORT, \$ROOT) = \@_;\n"
                 . "#line 1 \"setup of $name\"\n$code\n}"
        or die "the setup section does not compile: $@";

    $sub->($CONTENT, $PREFIX, $PORT, $ROOT);
}


sub write_config {
    my ($name, $s) = @_;
    my $module = module_path();
    my $load = defined $module ? "load_module $module;" : '';
    my $main = expand($s->{main_config} // '');
    my $http = expand($s->{http_config} // '');
    my $server = expand($s->{config} // '');

    (my $comment = $name) =~ s/\n/ /g;

    my $conf = <<"END";
# generated by t/lib/Test/Blog.pm for $comment
$load

worker_processes 2;
daemon off;
master_process on;
pid $PREFIX/logs/nginx.pid;
lock_file $PREFIX/logs/nginx.lock;
error_log $PREFIX/logs/error.log info;

$main

events {
    worker_connections 256;
}

http {
    default_type text/plain;
    access_log off;

    client_body_temp_path $PREFIX/temp/client_body;
    proxy_temp_path $PREFIX/temp/proxy;
    fastcgi_temp_path $PREFIX/temp/fastcgi;
    uwsgi_temp_path $PREFIX/temp/uwsgi;
    scgi_temp_path $PREFIX/temp/scgi;

$http

    server {
        listen 127.0.0.1:$PORT;
        server_name localhost;

$server
    }
}
END

    write_file(conf_path(), $conf);
}


# nginx: test the configuration, start, stop.

sub nginx_test {
    my ($status, $output) = run_command(nginx_binary(), '-t',
                                        '-p', "$PREFIX/",
                                        '-c', conf_path());
    return ($status == 0, $output);
}


sub run_command {
    my (@command) = @_;

    my $pid = open(my $fh, '-|');
    die "fork: $!\n" unless defined $pid;

    if ($pid == 0) {
        open STDERR, '>&', \*STDOUT;
        exec { $command[0] } @command;
        print "cannot run $command[0]: $!\n";
        POSIX::_exit(127);
    }

    local $/;
    my $output = <$fh> // '';
    close $fh;

    return ($?, $output);
}


sub start_nginx {
    my ($name) = @_;

    $nginx{error_from} = -s error_log_path() // 0;
    $nginx{stderr_from} = -s stderr_log_path() // 0;
    unlink pid_path();

    my @command = (nginx_binary(), '-p', "$PREFIX/", '-c', conf_path());

    my $pid = fork;
    die "fork: $!\n" unless defined $pid;

    if ($pid == 0) {
        # Its own process group: a ^C for prove does not reach nginx, and
        # the whole group can be killed if the master hangs.
        POSIX::setpgid(0, 0);
        open STDIN, '<', '/dev/null';
        open STDOUT, '>>', stderr_log_path();
        open STDERR, '>&', \*STDOUT;
        exec { $command[0] } @command;
        print "cannot run $command[0]: $!\n";
        POSIX::_exit(127);
    }

    POSIX::setpgid($pid, $pid);
    $nginx{pid} = $pid;

    my $deadline = time + $START_TIMEOUT;

    while (time < $deadline) {
        if (waitpid($pid, WNOHANG) == $pid) {
            my $status = $?;
            $nginx{pid} = undef;
            fail("$name - nginx starts");
            diag("nginx exited with status " . ($status >> 8)
                 . ($status & 127 ? " on signal " . ($status & 127) : '')
                 . "; its log:\n" . log_since_start());
            return 0;
        }

        if (-s pid_path() && port_accepts()) {
            pass("$name - nginx starts");
            return 1;
        }

        sleep 0.05;
    }

    fail("$name - nginx starts");
    diag("nginx did not accept connections on 127.0.0.1:$PORT within"
         . " $START_TIMEOUT s; its log:\n" . log_since_start());
    stop_nginx();
    return 0;
}


sub port_accepts {
    my $socket = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
                                       PeerPort => $PORT, Proto => 'tcp',
                                       Timeout => 1)
        or return 0;
    close $socket;
    return 1;
}


sub stop_nginx {
    my $pid = $nginx{pid} or return;

    $nginx{pid} = undef;
    $nginx{key} = undef;

    kill 'QUIT', $pid;

    my $deadline = time + $STOP_TIMEOUT;
    my $exited = 0;

    while (time < $deadline) {
        my $reaped = waitpid($pid, WNOHANG);
        if ($reaped == $pid || $reaped == -1) {
            $exited = 1;
            last;
        }
        sleep 0.05;
    }

    if (!$exited) {
        diag("nginx did not stop on SIGQUIT within $STOP_TIMEOUT s;"
             . " killing process group $pid");
        kill 'KILL', -$pid;
        waitpid($pid, 0);
    }

    # Workers left behind by a master that died.
    kill 'KILL', -$pid if kill 0, -$pid;
}


END {
    local $?;
    stop_nginx() if $$ == $OWNER;
}


# Requests.

sub http_request {
    my ($text) = @_;
    my @lines = grep { /\S/ } split /\n/, $text;
    my ($method, $uri) = split ' ', shift(@lines) // '';

    die "the request section needs 'METHOD URI'\n" unless defined $uri;

    my %headers;
    for my $line (@lines) {
        $line =~ /^([^:\s]+):[ \t]*(.*?)\s*$/
            or die "bad request header line '$line'\n";
        $headers{$1} = $2;
    }

    my $http = HTTP::Tiny->new(max_redirect => 0, keep_alive => 0,
                               timeout => $REQUEST_TIMEOUT,
                               agent => 'Test::Blog');

    my $r = $http->request($method, "http://127.0.0.1:$PORT$uri",
                           { headers => \%headers });

    if ($r->{status} == 599) {
        return { error => "$method $uri: $r->{content}" };
    }

    my %h;
    for my $name (keys %{ $r->{headers} }) {
        my $value = $r->{headers}{$name};
        $h{lc $name} = ref $value ? join(', ', @$value) : $value;
    }

    return { status => $r->{status}, headers => \%h,
             body => $r->{content} // '' };
}


sub raw_request {
    my ($bytes) = @_;
    $bytes = join '', @$bytes if ref $bytes eq 'ARRAY';

    if ($bytes !~ /\r/) {
        $bytes =~ s/\n*\z//;
        $bytes =~ s/\n/\r\n/g;
        $bytes .= "\r\n\r\n";
    }

    my ($method) = $bytes =~ /^(\S+)/;

    my $socket = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
                                       PeerPort => $PORT, Proto => 'tcp',
                                       Timeout => $REQUEST_TIMEOUT)
        or return { error => "cannot connect to 127.0.0.1:$PORT: $!" };

    my $sent = 0;
    while ($sent < length $bytes) {
        my $n = syswrite($socket, $bytes, length($bytes) - $sent, $sent);
        return { error => "cannot send the request: $!" } unless $n;
        $sent += $n;
    }

    my $response = read_response($socket, $method // '');
    close $socket;
    return $response;
}


sub read_response {
    my ($socket, $method) = @_;
    my $select = IO::Select->new($socket);
    my $deadline = time + $REQUEST_TIMEOUT;
    my $buffer = '';
    my $eof = 0;

    my $more = sub {
        return 0 if $eof;
        my $left = $deadline - time;
        return 0 if $left <= 0 || !$select->can_read($left);
        my $n = sysread($socket, $buffer, 65536, length $buffer);
        $eof = 1 unless $n;
        return $n ? 1 : 0;
    };

    while ($buffer !~ /\r?\n\r?\n/) {
        $more->() or return { error => "incomplete response head:\n$buffer" };
    }

    my ($head, $rest) = split /\r?\n\r?\n/, $buffer, 2;
    my ($status_line, @lines) = split /\r?\n/, $head;
    my ($status) = $status_line =~ m{^HTTP/\d\.\d (\d{3})}
        or return { error => "bad status line: $status_line" };

    my %h;
    for my $line (@lines) {
        my ($name, $value) = $line =~ /^([^:]+):[ \t]*(.*?)\s*$/ or next;
        $h{lc $name} = exists $h{lc $name} ? "$h{lc $name}, $value" : $value;
    }

    my $header_bytes = length($buffer) - length($rest);
    my $body;

    if ($method eq 'HEAD' || $status =~ /^(?:1\d\d|204|304)$/) {
        $body = '';

    } elsif (($h{'transfer-encoding'} // '') =~ /chunked/i) {
        until (defined($body = dechunk(substr $buffer, $header_bytes))) {
            $more->() or return { error => "incomplete chunked body" };
        }

    } elsif (defined $h{'content-length'}) {
        while (length($buffer) - $header_bytes < $h{'content-length'}) {
            $more->() or return { error => "body shorter than Content-Length" };
        }
        $body = substr $buffer, $header_bytes, $h{'content-length'};

    } else {
        1 while $more->();
        $body = substr $buffer, $header_bytes;
    }

    return { status => $status, headers => \%h, body => $body };
}


sub dechunk {
    my ($data) = @_;
    my $body = '';

    for ( ;; ) {
        $data =~ s/\A([0-9a-fA-F]+)[^\r\n]*\r\n// or return undef;
        my $size = hex $1;

        if ($size == 0) {
            return $data =~ /\A(?:[^\r\n]+\r\n)*\r\n/ ? $body : undef;
        }

        return undef if length($data) < $size + 2;
        $body .= substr $data, 0, $size;
        substr($data, 0, $size + 2) = '';
    }
}


# Checks.

sub check_response {
    my ($name, $s, $r) = @_;
    my $body_shown = 0;

    my $show_body = sub {
        return if $body_shown++;
        diag("the response body was:\n" . excerpt($r->{body}));
    };

    if (defined $s->{error_code}) {
        is($r->{status}, $s->{error_code}, "$name - status code")
            or $show_body->();
    }

    for my $line (split /\n/, $s->{response_headers} // '') {
        next unless $line =~ /\S/;

        if ($line =~ /^\s*!\s*(\S+)\s*$/) {
            my $header = $1;
            ok(!exists $r->{headers}{lc $header}, "$name - no $header header")
                or diag("$header: $r->{headers}{lc $header}");
            next;
        }

        my ($header, $want) = $line =~ /^\s*([^:\s]+):\s*(.*?)\s*$/
            or die "bad response_headers line '$line'\n";
        my $got = $r->{headers}{lc $header};

        if ($want =~ /^~\s*(.*)$/) {
            my $pattern = $1;
            my $re = expand($pattern, 1);
            ok(defined $got && $got =~ /$re/,
               "$name - header $header like /$pattern/")
                or diag("$header: " . ($got // '(absent)'));

        } else {
            is($got, expand($want), "$name - header $header");
        }
    }

    if (defined $s->{response_body}) {
        my $want = $s->{response_body};
        $want = join '', @$want if ref $want eq 'ARRAY';
        is($r->{body}, expand($want), "$name - response body");
    }

    for (regexes($s->{response_body_like})) {
        my ($re, $label) = @$_;
        ok($r->{body} =~ $re, "$name - body like $label") or $show_body->();
    }

    for (regexes($s->{response_body_unlike})) {
        my ($re, $label) = @$_;
        if ($r->{body} =~ $re) {
            fail("$name - body unlike $label");
            diag("it matched '$&'");
            $show_body->();

        } else {
            pass("$name - body unlike $label");
        }
    }
}


sub check_error_log {
    my ($name, $s, $log) = @_;
    my $log_shown = 0;
    my @lines = split /\n/, $log;

    my $show_log = sub {
        return if $log_shown++;
        diag("the error log since nginx started:\n" . excerpt($log));
    };

    for (regexes($s->{error_log})) {
        my ($re, $label) = @$_;
        ok($log =~ $re, "$name - error log has $label") or $show_log->();
    }

    for (regexes($s->{error_log_once})) {
        my ($re, $label) = @$_;
        my @found = grep { $_ =~ $re } @lines;
        if (@found == 1) {
            pass("$name - error log has one line like $label");

        } else {
            fail("$name - error log has one line like $label");
            diag(scalar(@found) . " lines match" . join("\n", '', @found));
            $show_log->() unless @found;
        }
    }

    for (regexes($s->{no_error_log})) {
        my ($re, $label) = @$_;
        my @found = grep { $_ =~ $re } @lines;
        ok(!@found, "$name - error log has no $label")
            or diag(join "\n", @found);
    }
}


# Alerts and sanitizer reports: every log line written since the last check.

sub check_log_lines {
    my ($name) = @_;
    my @bad;

    for my $file (error_log_path(), stderr_log_path()) {
        my $from = $nginx{scanned}{$file} // 0;
        my $text = read_from($file, $from);
        $nginx{scanned}{$file} = $from + length $text;
        push @bad, grep { $_ =~ $BAD_LOG_LINE } split /\n/, $text;
    }

    ok(!@bad, "$name - no [alert], [crit], [emerg] or sanitizer report"
              . " in the log")
        or diag(join "\n", @bad);
}


sub skip_log_lines {
    for my $file (error_log_path(), stderr_log_path()) {
        $nginx{scanned}{$file} = -s $file // 0;
    }
}


sub log_since_start {
    return read_from(stderr_log_path(), $nginx{stderr_from})
           . read_from(error_log_path(), $nginx{error_from});
}


sub read_from {
    my ($file, $offset) = @_;

    open my $fh, '<:raw', $file or return '';
    seek $fh, $offset, 0;
    local $/;
    my $text = <$fh>;
    return $text // '';
}


sub excerpt {
    my ($text) = @_;
    my $limit = 4000;

    return $text if length $text <= $limit;
    return substr($text, 0, $limit) . "\n... (" . (length($text) - $limit)
           . " more bytes)";
}


1;
