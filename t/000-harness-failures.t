# The harness must fail when it should: each case runs a small .t file made
# of blocks, or of code with an nginx from start_nginx, that ought to fail,
# without the blog module, and looks for the "not ok" line and the
# diagnostic in its output.  The last case kills a test file while nginx
# runs and checks that nginx went with it.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use File::Path qw(remove_tree);
use File::Temp qw(tempdir);
use Test::More;
use Time::HiRes qw(sleep time);

my $LIB = "$FindBin::Bin/lib";
my $DIR = tempdir('test-blog-fixture-XXXXXX', TMPDIR => 1, CLEANUP => 1);

my @cases = (
    {
        name   => 'a [crit] line in the error log fails the block',
        blocks => <<'END',
=== TEST 1: crit
--- config
location = /null { root /dev; }
--- request
GET /null
END
        expect => [qr/^not ok \d+ - TEST 1: crit - no \[alert\], \[crit\]/m,
                   qr/^# .*\[crit\] .*"\/dev\/null" is not a regular file/m],
    },
    {
        name   => 'a sanitizer report in the error log fails the block',
        blocks => <<'END',
=== TEST 1: sanitizer
--- config
location / { root $CONTENT; }
--- request
GET /runtime%20error:%20shift%20exponent
END
        expect => [qr/^not ok \d+ - TEST 1: sanitizer - no \[alert\]/m,
                   qr/^# .*runtime error: shift exponent/m],
    },
    {
        name   => 'a wrong status fails',
        blocks => <<'END',
=== TEST 1: status
--- config
location / { return 200 "ok"; }
--- request
GET /
--- error_code: 404
END
        expect => [qr/^not ok \d+ - TEST 1: status - status code/m],
    },
    {
        name   => 'a body regex that does not match fails',
        blocks => <<'END',
=== TEST 1: body
--- config
location / { return 200 "ok"; }
--- request
GET /
--- response_body_like
^ko$
--- response_body_unlike
^ok$
END
        expect => [qr{^not ok \d+ - TEST 1: body - body like /\^ko\$/}m,
                   qr{^not ok \d+ - TEST 1: body - body unlike /\^ok\$/}m],
    },
    {
        name   => 'a header that differs or should be absent fails',
        blocks => <<'END',
=== TEST 1: headers
--- config
location / { return 200 "ok"; }
--- request
GET /
--- response_headers
Content-Type: text/html
!Content-Length
END
        expect => [qr/^not ok \d+ - TEST 1: headers - header Content-Type/m,
                   qr/^not ok \d+ - TEST 1: headers - no Content-Length/m],
    },
    {
        name   => 'error log expectations fail',
        blocks => <<'END',
=== TEST 1: logs
--- config
location / { root $CONTENT; }
--- request
GET /missing.txt
--- error_log
never logged
--- error_log_once
\[notice\]
--- no_error_log
missing\.txt
END
        expect => [qr{^not ok \d+ - TEST 1: logs - error log has /never}m,
                   qr{^not ok \d+ - TEST 1: logs - error log has one line}m,
                   qr{^not ok \d+ - TEST 1: logs - error log has no /missing}m],
    },
    {
        name   => 'must_die fails when nginx -t passes',
        blocks => <<'END',
=== TEST 1: valid
--- config
location / { return 200 "ok"; }
--- must_die
END
        expect => [qr/^not ok \d+ - TEST 1: valid - nginx -t fails/m],
    },
    {
        name   => 'a configuration nginx -t rejects fails the block',
        blocks => <<'END',
=== TEST 1: invalid
--- config
location / { no_such_directive; }
--- request
GET /
--- error_code: 200
END
        expect => [qr/^not ok \d+ - TEST 1: invalid - nginx -t$/m,
                   qr/^# .*unknown directive "no_such_directive"/m],
    },
    {
        name   => 'a misspelt section fails the block',
        blocks => <<'END',
=== TEST 1: typo
--- config
location / { return 200 "ok"; }
--- request
GET /
--- reponse_body
ok
END
        expect => [qr/^not ok \d+ - TEST 1: typo - the harness runs/m,
                   qr/^# unknown section '--- reponse_body'/m],
    },
    {
        name   => 'an eval section that dies fails the block',
        blocks => <<'END',
=== TEST 1: eval
--- config
location / { return 200 "ok"; }
--- request
GET /
--- response_body eval
die "broken"
END
        expect => [qr/^not ok \d+ - TEST 1: eval - the harness runs/m,
                   qr/^# the eval in '--- response_body' failed: broken/m],
    },
    {
        name   => 'a module that is not built fails the file',
        env    => { TEST_NGINX_MODULE => '/nonexistent/module.so' },
        blocks => <<'END',
=== TEST 1: anything
--- config
location / { return 200 "ok"; }
END
        expect => [qr{^not ok 1 - the module /nonexistent/module\.so is built}m],
    },
    {
        name   => 'start_nginx reports a configuration nginx -t rejects',
        code   => <<'END',
my $blog = start_nginx(config => 'location / { no_such_directive; }');
$blog->stop if $blog;
END
        expect => [qr/^not ok 1 - nginx -t$/m,
                   qr/^# .*unknown directive "no_such_directive"/m,
                   qr/^#\s+\d+\s+location \/ \{ no_such_directive; \}$/m],
    },
    {
        name   => 'a [crit] line in the log of a start_nginx fails its stop',
        code   => <<'END',
my $blog = start_nginx(config => 'location = /null { root /dev; }');
$blog->get('/null');
$blog->stop;
END
        expect => [qr/^ok 1 - nginx stops$/m,
                   qr/^not ok 2 - no \[alert\], \[crit\]/m,
                   qr/^# .*\[crit\] .*"\/dev\/null" is not a regular file/m],
    },
);

for my $case (@cases) {
    my ($status, $output) = run_fixture($case);

    ok($status != 0, "$case->{name}: the file fails") or diag($output);

    for my $re (@{ $case->{expect} }) {
        like($output, $re, "$case->{name}: $re");
    }
}


# Killed while nginx runs: the END block stops nginx.

{
    my $file = write_fixture({ blocks => <<'END' });
=== TEST 1: long
--- config
location / { return 200 "ok"; }
--- request
GET /
--- wait: 30
END

    local $ENV{TEST_NGINX_MODULE} = '';
    local $ENV{TEST_BLOG_KEEP} = 1;

    my $pid = open(my $fh, '-|') // die "fork: $!";
    if ($pid == 0) {
        open STDERR, '>&', \*STDOUT;
        exec $^X, $file or die "exec: $!";
    }

    my ($prefix, $master, $output) = (undef, undef, '');

    while (my $line = <$fh>) {
        $output .= $line;
        $prefix = $1 if $line =~ /^# prefix (\S+) is kept/;
        last if $line =~ /nginx starts/;
    }

    if (defined $prefix && open my $pid_fh, '<', "$prefix/logs/nginx.pid") {
        $master = <$pid_fh>;
        chomp $master if defined $master;
    }

    ok($master, 'a killed test file: nginx was running') or diag($output);

    sleep 0.5;
    kill 'TERM', $pid;
    $output .= join '', <$fh>;
    close $fh;

    ok($master && !kill(0, $master), 'a killed test file: nginx stopped')
        or diag($output);
    ok($master && !kill(0, -$master),
       'a killed test file: no nginx worker left')
        or diag($output);

    remove_tree($prefix) if defined $prefix;
}

done_testing();


# The fixture of a case: its blocks after run_tests(), or its code between
# "use Test::Blog::Util qw(start_nginx)" and done_testing().

sub write_fixture {
    my ($case) = @_;
    my $file = "$DIR/fixture.t";

    my $text = defined $case->{code}
        ? "use Test::More;\nuse Test::Blog::Util qw(start_nginx);\n"
          . "$case->{code}done_testing();\n"
        : "use Test::Blog;\nrun_tests();\n__DATA__\n\n$case->{blocks}";

    open my $fh, '>', $file or die "cannot write $file: $!";
    print {$fh} "use lib '$LIB';\n$text";
    close $fh or die "cannot write $file: $!";

    return $file;
}


sub run_fixture {
    my ($case) = @_;
    my $file = write_fixture($case);

    my %env = (TEST_NGINX_MODULE => '', %{ $case->{env} || {} });
    local @ENV{keys %env} = values %env;

    my $pid = open(my $fh, '-|') // die "fork: $!";
    if ($pid == 0) {
        open STDERR, '>&', \*STDOUT;
        exec $^X, $file or die "exec: $!";
    }

    local $/;
    my $output = <$fh>;
    close $fh;

    return ($?, $output);
}
