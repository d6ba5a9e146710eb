# mod_blog's configuration: the ready configurations of contrib/apache/
# pass "apache2 -t" and serve the blog, and a bad one fails the test with
# what is wrong and where: a missing folder, a broken template, a bad
# size, time, number or dialect, a cache provider that is not there,
# Blog outside a <Location>.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use Test::More;

use Test::Blog::Apache;
use Test::Blog::HTTP qw(http_request);
use Test::Blog qw(write_file);

my $missing = Test::Blog::Apache::missing();
plan skip_all => $missing if $missing;

my $ROOT = "$FindBin::Bin/..";


# the ready configurations

my @confs = glob("$ROOT/contrib/apache/*.conf");
ok(@confs >= 2, 'contrib/apache holds the ready configurations');

for my $file (@confs) {
    my $name = (split m{/}, $file)[-1];
    my $apache = Test::Blog::Apache->new;
    my $prefix = $apache->prefix;
    my $port = $apache->port;

    open my $in, '<', $file or die "$file: $!\n";
    my $text = do { local $/; <$in> };
    close $in;

    $text =~ s{/srv/blog-theme}{$prefix/theme}g;
    $text =~ s{/srv/blog}{$prefix/content}g;
    $text =~ s{/run/apache2/}{$prefix/logs/}g;
    $text =~ s{\$\{APACHE_LOG_DIR\}}{$prefix/logs}g;
    $text =~ s{<VirtualHost \*:80>}{<VirtualHost *:$port>}g;

    write_file($apache->content . '/hello.md',
               "---\ntitle: Hello\ndate: 2026-01-02\n---\nHi.\n");

    $apache->write_config($text, modules => ['deflate']);

    my ($passed, $output) = $apache->test_config;
    ok($passed, "$name passes apache2 -t") or diag($output);

    my $problem = $apache->start;
    is($problem, '', "$name: Apache starts with it") or next;

    my $r = http_request($port, "GET /blog/hello/");
    is($r->{status}, 200, "$name: a post is served");
    like($r->{body} // '', qr{<h1 class="post-title">Hello</h1>},
         "$name: the post's page");

    $apache->stop;
}


# bad configurations: what, and where

my $apache = Test::Blog::Apache->new;
my $content = $apache->content;
my $theme = $apache->prefix . '/theme';

write_file("$theme/post.html", "line one\n{{#open}}\n");

my @bad = (
    [ 'a missing folder',
      "<Location /blog/>\n    Blog /nonexistent/blog\n</Location>",
      qr{line \d+ of .*httpd\.conf.*blog content root "/nonexistent/blog" cannot be used}s ],
    [ 'a file, not a folder',
      "<Location /blog/>\n    Blog " . $apache->conf_file . "\n</Location>",
      qr{line \d+ of .*is not a directory}s ],
    [ 'a broken template',
      "<Location /blog/>\n    Blog $content\n    BlogTemplates $theme\n"
      . "</Location>",
      qr{httpd\.conf:\d+: blog template "\Q$theme\E/post\.html", line 2:} ],
    [ 'a bad size',
      "<Location /blog/>\n    Blog $content\n    BlogMaxPostSize 12q\n"
      . "</Location>",
      qr{line \d+ of .*BlogMaxPostSize "12q": not a size}s ],
    [ 'a bad time',
      "<Location /blog/>\n    Blog $content\n    BlogCheckInterval soon\n"
      . "</Location>",
      qr{line \d+ of .*BlogCheckInterval "soon": not a time}s ],
    [ 'a number out of bounds',
      "<Location /blog/>\n    Blog $content\n    BlogPostsPerPage 0\n"
      . "</Location>",
      qr{line \d+ of .*BlogPostsPerPage "0": a number from 1 to 1000}s ],
    [ 'an unknown dialect',
      "<Location /blog/>\n    Blog $content\n    BlogMarkdown rst\n"
      . "</Location>",
      qr{line \d+ of .*BlogMarkdown "rst": it must be "gfm" or "commonmark"}s ],
    [ 'a cache provider that is not there',
      "<Location /blog/>\n    Blog $content\n    BlogCache memcache:x\n"
      . "</Location>",
      qr{line \d+ of .*BlogCache "memcache:x": no socache provider "memcache"}s ],
    [ 'Blog outside a <Location>',
      "<Directory /srv>\n    Blog $content\n</Directory>",
      qr{line \d+ of .*Blog belongs in a <Location> section}s ],
);

for my $case (@bad) {
    my ($what, $conf, $says) = @$case;

    $apache->write_config($conf);

    my ($passed, $output) = $apache->test_config;
    ok(!$passed, "$what fails apache2 -t");
    like($output, $says, "$what: it says what and where");
}

done_testing;
