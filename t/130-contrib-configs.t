# The ready configurations in contrib/nginx/ load: each is wrapped in a
# main configuration with the built module, its paths and hosts pointed at
# a temporary prefix and loopback ports, and must pass nginx -t.  So must
# README.md's complete, annotated nginx.conf, with the same substitutions.

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
    $text =~ s{/var/lib/nginx/blog}{$prefix/logs/blog}g;
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

    my $output = nginx_t($prefix);

    is($?, 0, "$name passes nginx -t") or diag($output);
}

# README's complete configuration is a whole nginx.conf: the module's path,
# the pid and the logs move to the prefix, temporary files and the kept
# index too.

my ($readme_conf) = slurp("$root/README.md")
    =~ /^## A complete configuration.*?^```nginx\n(.*?)^```$/ms;

ok(defined $readme_conf, 'README has a complete nginx.conf');

if (defined $readme_conf) {
    my $prefix = tempdir(CLEANUP => 1);

    mkdir "$prefix/$_" for qw(conf logs content www);

    my $text = $readme_conf;
    my $port = 20000 + int(rand(20000));

    like($text, qr/^load_module modules\/ngx_http_blog_module\.so;/m,
         'README\'s nginx.conf loads the module');

    $text =~ s{^load_module \S+;}{load_module $module;}m;
    $text =~ s{^user \S+;\n}{}m;
    $text =~ s{^pid \S+;}{pid $prefix/logs/nginx.pid;}m;
    $text =~ s{/srv/blog}{$prefix/content}g;
    $text =~ s{/var/www/html}{$prefix/www}g;
    $text =~ s{/var/log/nginx/}{$prefix/logs/}g;
    $text =~ s{\blisten\s+(\d+);}{"listen 127.0.0.1:" . $port++ . ";"}ge;

    my $temp = join '', map { "    ${_}_temp_path $prefix/logs/$_;\n" }
                       qw(client_body proxy fastcgi uwsgi scgi);

    $text =~ s/^http \{\n/http {\n$temp/m;

    open my $out, '>', "$prefix/conf/nginx.conf" or die $!;
    print $out $text;
    close $out;

    my $output = nginx_t($prefix);

    is($?, 0, "README's complete nginx.conf passes nginx -t")
        or diag($output);
}

# nginx -t of PREFIX/conf/nginx.conf: its output, the status in $?

sub nginx_t {
    my ($prefix) = @_;

    # make test-asan: a module built with ASan needs its runtime preloaded
    local $ENV{LD_PRELOAD} = $ENV{TEST_NGINX_LD_PRELOAD}
        if $ENV{TEST_NGINX_LD_PRELOAD};
    local $ENV{ASAN_OPTIONS} = 'detect_leaks=0'
        if $ENV{TEST_NGINX_LD_PRELOAD};

    return `$nginx -t -p $prefix -c $prefix/conf/nginx.conf 2>&1`;
}

sub slurp {
    my ($file) = @_;
    open my $fh, '<', $file or die "$file: $!";
    local $/;
    return <$fh>;
}

done_testing();
