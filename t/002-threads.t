# Renders and scans run in nginx's thread pool, never on a worker's event
# loop, so the module needs an nginx built with threads: configure says so
# and names the option, rather than building a module that would block.

use strict;
use warnings;

use Cwd qw(abs_path);
use File::Temp qw(tempdir);
use FindBin;
use Test::More;

my $ROOT = abs_path("$FindBin::Bin/..");
my $SRC = $ENV{NGINX_SRC} || '/usr/share/nginx/src';

plan skip_all => "no nginx source tree at $SRC (make deps installs it)"
    unless -f "$SRC/conf_flags";

# Debian's own flags, as the Makefile uses them, less --with-threads
my $flags = `bash -c '. "$SRC/conf_flags";
                      printf "%s\\n" "\${NGX_CONF_FLAGS[\@]}"'`;
my @flags = grep { $_ ne '--with-threads' } split /\n/, $flags;

ok(scalar @flags, "Debian's configure flags are read");

my $build = tempdir('blog-threads-XXXXXX', TMPDIR => 1, CLEANUP => 1);

my $output = `cd '$SRC' && ./configure @flags \\
               --add-dynamic-module='$ROOT' --builddir='$build' 2>&1`;
my $status = $? >> 8;

isnt($status, 0, 'configure without --with-threads fails');
like($output, qr/the blog module requires thread pools/,
     'it says the blog module needs threads');
like($output, qr/--with-threads/, 'it names the option');

done_testing();
