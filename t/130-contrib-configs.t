# The ready configurations in contrib/nginx/ load: each is wrapped in a
# main configuration with the built module, its paths and hosts pointed at
# a temporary prefix and loopback ports, and must pass nginx -t.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use File::Temp qw(tempdir);
use Test::Blog;
use Test::Blog::Nginx;
use Test::More;

my $root = "$FindBin::Bin/..";
my $nginx = $ENV{TEST_NGINX_BINARY} || '/usr/sbin/nginx';
my $module = Test::Blog::module_path();

plan skip_all => "the module is not built (run make)"
    unless defined $module && -f $module;

my @confs = glob("$root/contrib/nginx/*.conf");

ok(@confs >= 3, 'contrib/nginx holds the ready configurations');

for my $conf (@confs) {
    my $name = (split m{/}, $conf)[-1];
    my $prefix = tempdir(CLEANUP => 1);

    mkdir "$prefix/$_" for qw(conf logs content cache www);

    open my $in, '<', $conf or die "$conf: $!";
    my $text = do { local $/; <$in> };
    close $in;

    my $port = 20000 + int(rand(20000));

    $text =~ s{/srv/blog}{$prefix/content}g;
    $text =~ s{/var/www/\S+;}{$prefix/www;}g;
    $text =~ s{/var/log/nginx/}{$prefix/logs/}g;
    $text =~ s{/var/cache/nginx/}{$prefix/cache/}g;
    $text =~ s{\blisten\s+(\d+);}{"listen 127.0.0.1:" . $port++ . ";"}ge;
    $text =~ s{server\s+blog\d\.internal:\d+;}{server 127.0.0.1:$port;}g;

    open my $out, '>', "$prefix/conf/nginx.conf" or die $!;
    print $out <<"END";
load_module $module;
error_log $prefix/logs/error.log;
pid $prefix/logs/nginx.pid;
events {}
http {
    include /etc/nginx/mime.types;
    client_body_temp_path $prefix/logs/body;
    proxy_temp_path $prefix/logs/proxy;
    fastcgi_temp_path $prefix/logs/fastcgi;
    uwsgi_temp_path $prefix/logs/uwsgi;
    scgi_temp_path $prefix/logs/scgi;
    access_log off;
$text
}
END
    close $out;

    # make test-asan: a module built with ASan needs its runtime preloaded
    local $ENV{LD_PRELOAD} = $ENV{TEST_NGINX_LD_PRELOAD}
        if $ENV{TEST_NGINX_LD_PRELOAD};
    local $ENV{ASAN_OPTIONS} = 'detect_leaks=0'
        if $ENV{TEST_NGINX_LD_PRELOAD};

    my $output = `$nginx -t -p $prefix -c $prefix/conf/nginx.conf 2>&1`;

    is($?, 0, "$name passes nginx -t") or diag($output);
}

done_testing();
