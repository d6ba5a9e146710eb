package Test::Blog;

# The integration test harness.  A .t file is a list of Test::Base blocks:
# configuration, content files, one request, and what must come back.  This
# module runs each block against a real nginx with the blog module loaded
# (Test::Blog::Nginx starts it, Test::Blog::HTTP sends the request) and
# turns every expectation into one Test::More test named after the block.
# What a page must contain is left to the .t files.
#
# Sections of a block (all optional):
#
#   --- main_config      top-level directives
#   --- http_config      directives in http {}, outside server {}
#   --- config           directives in server {}
#   --- files            ">>> PATH [mode=0600] [symlink=TARGET]" lines, each
#                        followed by the file's content; PATH is relative to
#                        $CONTENT; a PATH ending in "/" makes a directory
#   --- setup            Perl run after the files are written and before
#                        nginx starts, with $CONTENT $PREFIX $PORT $ROOT
#   --- request          "METHOD URI", then "Name: value" header lines
#   --- raw_request      the bytes to send (see Test::Blog::HTTP)
#   --- wait             seconds to sleep after the request
#   --- error_code       the expected status
#   --- response_headers "Name: value", "Name: ~regex" or "!Name", per line
#   --- response_body    the exact body
#   --- response_body_like, response_body_unlike    one regex per line
#   --- error_log        regexes the log since nginx started must match
#   --- error_log_once   regexes exactly one line of that log must match
#   --- no_error_log     regexes no line of that log may match
#   --- must_die         nginx -t must fail; error_log then searches its
#                        output
#   --- skip_valgrind    the reason the block is skipped when nginx runs
#                        under valgrind, as one process (it needs workers,
#                        signals or reloads); see Test::Blog::Nginx
#
# $PREFIX, $CONTENT, $PORT and $ROOT are replaced in every section but
# setup, and match literally in regexes.  run_tests(SECTION => TEXT, ...)
# gives defaults for the sections a block leaves out.  nginx restarts, with
# $CONTENT rebuilt, only when main_config, http_config, config, files or
# setup differ from the previous block's.  After every block, and after
# nginx stops, an [alert], [crit] or [emerg] line or a sanitizer report in
# the log fails the block.
#
# Environment: TEST_NGINX_BINARY (default /usr/sbin/nginx),
# TEST_NGINX_MODULE (default build/ngx_http_blog_module.so in the repo;
# empty: no load_module), TEST_BLOG_KEEP=1 keeps the prefix directory.
#
# TEST_BLOG_SERVER=apache runs the same blocks against Apache httpd with
# mod_blog (Test::Blog::Apache): each block's nginx configuration becomes
# httpd's (Test::Blog::Apache::translate), and its log's lines read as
# nginx's.  A block whose configuration has no httpd equivalent, or that
# tests nginx -t (must_die), is skipped, saying why.

use strict;
use warnings;

use Cwd qw(abs_path);
use Exporter qw(import);
use File::Basename qw(dirname);
use File::Path qw(make_path remove_tree);
use File::Spec;
use Test::Base ();      # its block parser and filters, not its plan
use Test::More;
use Time::HiRes qw(sleep time);

use Test::Blog::Apache;
use Test::Blog::HTTP qw(http_request raw_request);
use Test::Blog::Nginx;

our @EXPORT = qw(run_tests);
our @EXPORT_OK = qw(write_file);

my $ROOT = abs_path(dirname(__FILE__) . '/../../..');

my $BAD_LOG_LINE = qr/\[(?:alert|crit|emerg)\]
                      |ERROR:\ \w*Sanitizer
                      |SUMMARY:\ \w*Sanitizer
                      |runtime\ error:/x;

my %SECTIONS = map { $_ => 1 } qw(
    main_config http_config config files setup
    request raw_request wait
    error_code response_headers response_body
    response_body_like response_body_unlike
    error_log error_log_once no_error_log must_die skip_valgrind
    ONLY SKIP LAST
);

# Workers may log a moment after the response: how long to wait for a line
# that an error_log section expects.
my $LOG_WAIT = 2;

my $APACHE = ($ENV{TEST_BLOG_SERVER} // '') eq 'apache';

my $nginx;              # the Test::Blog::Nginx (or ::Apache) of this file
my $running_for;        # the sections the running nginx was started with


sub run_tests {
    my (%defaults) = @_;

    for my $section (keys %defaults) {
        die "run_tests: unknown section '$section'\n"
            unless $SECTIONS{$section};
    }

    if ($APACHE) {
        my $missing = Test::Blog::Apache::missing();
        plan(skip_all => $missing) if $missing;
        $nginx = Test::Blog::Apache->new;
        goto BLOCKS;
    }

    my $module = module_path();
    if (defined $module && !-f $module) {
        fail("the module $module is built");
        diag("run 'make' first, or set TEST_NGINX_MODULE='' to run"
             . " without the module");
        done_testing();
        return;
    }

    $nginx = Test::Blog::Nginx->new(module => $module,
                                    binary => $ENV{TEST_NGINX_BINARY}
                                              || '/usr/sbin/nginx');

  BLOCKS:
    diag("prefix " . $nginx->prefix . " is kept") if $ENV{TEST_BLOG_KEEP};

    for my $block (@{ Test::Base->new->block_list }) {
        my $name = $block->name;
        my $s;

        my $done = eval {
            $block->run_filters;
            $s = block_sections($block, \%defaults);
            run_block($name, $s);
            1;
        };

        if (!$done) {
            fail("$name - the harness runs the block");
            diag($@);
        }

        if ($s && exists $s->{must_die}) {
            # its [emerg] lines are expected, a sanitizer report is not
            my @reports = grep { Test::Blog::Nginx::is_report_line($_) }
                               $nginx->new_log_lines;
            ok(!@reports, "$name - no sanitizer or valgrind report")
                or diag(join "\n", @reports)
                if Test::Blog::Nginx::mode();

        } else {
            check_log_lines($name);
        }
    }

    stop_nginx('the last block');
    check_log_lines('after nginx stopped');

    done_testing();
}


sub module_path {
    my $module = $ENV{TEST_NGINX_MODULE};

    return "$ROOT/build/ngx_http_blog_module.so" unless defined $module;
    return undef if $module eq '';
    return File::Spec->rel2abs($module);
}


sub block_sections {
    my ($block, $defaults) = @_;
    my %s = %$defaults;

    for my $section (@{ $block->{_section_order}[0] || [] }) {
        die "unknown section '--- $section' (a typo?)\n"
            unless $SECTIONS{$section};

        my @values = @{ $block->{$section} || [] };
        $s{$section} = @values > 1 ? [@values] : $values[0];

        # Test::Base's eval filter returns the error as the value.
        die "the eval in '--- $section' failed: $s{$section}\n"
            if defined $s{$section} && !ref $s{$section}
               && $block->{_section_map}[0]{$section}{filters} =~ /\beval\b/
               && $s{$section} =~ /at \(eval \d+\) line \d+/;
    }

    return \%s;
}


sub run_block {
    my ($name, $s) = @_;

    if (exists $s->{skip_valgrind} && Test::Blog::Nginx::under_valgrind()) {
        my $why = $s->{skip_valgrind} // '';
        $why =~ s/\s+/ /g;
        SKIP: { skip("$name - under valgrind: "
                     . ($why =~ /\S/ ? $why : 'needs worker processes'), 1) }
        return;
    }

    my $key = join "\0", map { $_ => $s->{$_} // '' }
                             qw(main_config http_config config files setup);

    if ($APACHE) {
        my ($conf, $why) = exists $s->{must_die}
            ? (undef, 'it tests nginx -t')
            : $nginx->translate(map { expand($s->{$_}) }
                                qw(main_config http_config config));

        if (!defined $conf) {
            SKIP: { skip("$name - not under Apache httpd: $why", 1) }
            return;
        }
    }

    if (exists $s->{must_die}) {
        stop_nginx($name);
        return unless prepare_content($name, $s);
        write_config($name, $s);

        my ($passed, $output) = $nginx->test_config;
        ok(!$passed, "$name - nginx -t fails") or diag($output);
        check_error_log($name, $s, sub { $output });
        return;
    }

    if (!$nginx->running || $running_for ne $key) {
        stop_nginx($name);
        return unless prepare_content($name, $s);
        write_config($name, $s);

        my ($passed, $output) = $nginx->test_config;
        if (!$passed) {
            fail("$name - nginx -t");
            diag($output . "\nnginx.conf:\n" . $nginx->numbered_config);
            return;
        }

        my $problem = $nginx->start;
        ok(!$problem, "$name - nginx starts") or diag($problem);
        return if $problem;

        $running_for = $key;
    }

    my $response;

    if (defined $s->{request}) {
        $response = http_request($nginx->port, expand($s->{request}));

    } elsif (defined $s->{raw_request}) {
        my $bytes = $s->{raw_request};
        $bytes = join '', @$bytes if ref $bytes eq 'ARRAY';
        $response = raw_request($nginx->port, expand($bytes));
    }

    if ($response && $response->{error}) {
        fail("$name - request");
        diag($response->{error});
        return;
    }

    sleep($s->{wait}) if $s->{wait};

    check_response($name, $s, $response) if $response;
    check_error_log($name, $s, sub { $nginx->log_since_start });
}


sub stop_nginx {
    my ($name) = @_;
    my $problem = $nginx->stop;

    if ($problem) {
        fail("$name - nginx stops");
        diag($problem);
    }
}


# Placeholders, replaced as text or, in regexes, as literals.

sub expand {
    my ($text, $in_regex) = @_;
    return $text unless defined $text;

    my %value = (PREFIX => $nginx->prefix, CONTENT => $nginx->content,
                 PORT => $nginx->port, ROOT => $ROOT);

    $text =~ s{\$(PREFIX|CONTENT|PORT|ROOT)\b}
              {$in_regex ? quotemeta $value{$1} : $value{$1}}ge;

    return $text;
}


# A section of regexes, one per line (or qr// values from an eval filter):
# a list of [compiled regex, the text to name the test by].

sub regexes {
    my ($value) = @_;
    return () unless defined $value;

    my @res;

    for my $item (ref $value eq 'ARRAY' ? @$value : $value) {
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


# Content: rebuilt from scratch for every nginx that starts.

sub prepare_content {
    my ($name, $s) = @_;
    my $content = $nginx->content;

    remove_tree($content);
    make_path($content);

    my $done = eval {
        if (defined $s->{files}) {
            my $files = $s->{files};
            $files = join '', @$files if ref $files eq 'ARRAY';
            write_files($content, expand($files));
        }

        run_setup($name, $s->{setup}) if defined $s->{setup};
        1;
    };

    return 1 if $done;

    fail("$name - files and setup");
    diag($@);
    return 0;
}


sub write_files {
    my ($content, $text) = @_;

    my @parts = split /^>>>[ \t]*(.*?)[ \t]*\n/m, $text, -1;
    die "the files section must start with a '>>> path' line\n"
        if shift(@parts) =~ /\S/;

    while (@parts) {
        my ($spec, $data) = splice(@parts, 0, 2);
        my ($path, @options) = split ' ', $spec;
        die "'>>> $spec' needs a path\n" unless defined $path;

        my %option;
        for (@options) {
            /^(mode|symlink)=(.+)$/ or die "bad option '$_' in '>>> $spec'\n";
            $option{$1} = $2;
        }

        my $file = "$content/$path";

        if ($path =~ m{/$}) {
            make_path($file);

        } elsif (defined $option{symlink}) {
            make_path(dirname($file));
            symlink($option{symlink}, $file)
                or die "symlink $file -> $option{symlink}: $!\n";

        } else {
            write_file($file, $data);
        }

        if (defined $option{mode}) {
            chmod(oct $option{mode}, $file) or die "chmod $file: $!\n";
        }
    }
}


sub write_file {
    my ($file, $data) = @_;

    make_path(dirname($file));

    # Text from a .t file is bytes; wide characters are written as UTF-8.
    utf8::encode($data) if $data =~ /[^\x00-\xff]/;

    open my $fh, '>:raw', $file or die "cannot write $file: $!\n";
    print {$fh} $data;
    close $fh or die "cannot write $file: $!\n";
}


sub run_setup {
    my ($name, $code) = @_;

    my $setup = eval "package main; use strict; use warnings;\n"
                     . "sub { my (\$CONTENT, \$PREFIX, \$PORT, \$ROOT) = \@_;\n"
                     . "#line 1 \"the setup of $name\"\n$code\n}"
        or die "the setup section does not compile: $@";

    $setup->($nginx->content, $nginx->prefix, $nginx->port, $ROOT);
}


sub write_config {
    my ($name, $s) = @_;

    if ($APACHE) {
        my ($conf, $modules) = $nginx->translate(
            map { expand($s->{$_}) } qw(main_config http_config config));
        $nginx->write_config($conf, modules => $modules);
        return;
    }

    $nginx->write_config(comment => $name,
                         main => expand($s->{main_config}),
                         http => expand($s->{http_config}),
                         server => expand($s->{config}));
}


# Checks.

sub check_response {
    my ($name, $s, $r) = @_;
    my $body_shown = 0;

    my $show_body = sub {
        diag("the response body was:\n" . excerpt($r->{body}))
            unless $body_shown++;
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
    my ($name, $s, $read_log) = @_;
    my $log = settled_log($s, $read_log);
    my @lines = split /\n/, $log;
    my $log_shown = 0;

    my $show_log = sub {
        diag("the log searched:\n" . excerpt($log))
            unless $log_shown++;
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


# The log once every line the block expects is there, or after $LOG_WAIT.

sub settled_log {
    my ($s, $read_log) = @_;
    my @expected = (regexes($s->{error_log}), regexes($s->{error_log_once}));
    my $deadline = time + $LOG_WAIT;

    for ( ;; ) {
        my $log = $read_log->();
        my $missing = grep { $log !~ $_->[0] } @expected;

        return $log if !$missing || time >= $deadline;
        sleep 0.05;
    }
}


sub check_log_lines {
    my ($name) = @_;
    my @bad = grep { $_ =~ $BAD_LOG_LINE } $nginx->new_log_lines;

    ok(!@bad, "$name - no [alert], [crit], [emerg] or sanitizer report"
              . " in the log")
        or diag(join "\n", @bad);
}


sub excerpt {
    my ($text) = @_;
    my $limit = 4000;

    return $text if length $text <= $limit;
    return substr($text, 0, $limit) . "\n... (" . (length($text) - $limit)
           . " more bytes)";
}


1;
