# README.md documents every directive the module has, and the module has
# every directive README.md documents; likewise for variables.

use strict;
use warnings;

use FindBin;
use Test::More;

my $root = "$FindBin::Bin/..";

sub slurp {
    my ($file) = @_;
    open my $fh, '<', $file or die "$file: $!";
    local $/;
    return <$fh>;
}

my $code = join '', map { slurp($_) } glob("$root/ngx_blog_module/nginx/*.c");
my $readme = slurp("$root/README.md");

my %in_code = map { $_ => 1 } $code =~ /ngx_string\("(blog[a-z_]*)"\),\s*\n\s*NGX_HTTP_/g;
my %in_readme = map { $_ => 1 } $readme =~ /^### (blog[a-z_]*)\s*$/mg;

ok(keys %in_code >= 10, 'the module declares its directives')
    or diag(join ' ', sort keys %in_code);

for my $d (sort keys %in_code) {
    ok($in_readme{$d}, "README documents the directive $d");
}

for my $d (sort keys %in_readme) {
    ok($in_code{$d}, "the directive $d in README exists in the module");
}

for my $d (sort keys %in_code) {
    like($readme, qr/^\s+Syntax:\s+\Q$d\E\b/m,
         "README gives the syntax of $d");
}

my %vars_code = map { $_ => 1 }
    $code =~ /\{\s*ngx_string\("(blog_[a-z_]+)"\),\s*NULL,/g;
my %vars_readme = map { $_ => 1 } $readme =~ /^`\$(blog_[a-z_]+)`\s*$/mg;

ok(keys %vars_code, 'the module declares variables');

for my $v (sort keys %vars_code) {
    ok($vars_readme{$v}, "README documents the variable \$$v");
}

for my $v (sort keys %vars_readme) {
    ok($vars_code{$v}, "the variable \$$v in README exists in the module");
}

done_testing();
