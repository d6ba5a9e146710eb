# Requests that come before a worker's first index is built: a theme file
# is served at once, and one the theme lacks waits for the index and is
# the 404 page (it once dereferenced the missing index and killed the
# worker).  Thousands of posts make the first scan take a while.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use Test::Blog::Util qw(start_nginx);
use Test::More;

my $POSTS = 4000;

my $blog = start_nginx(
    setup => sub {
        my ($blog) = @_;
        for my $n (1 .. $POSTS) {
            open my $fh, '>', $blog->content . "/p$n.md" or die $!;
            print {$fh} "---\ntitle: Post $n\n---\n" . ("Text. " x 200);
            close $fh;
        }
    },
    config => <<'END') or exit;
location /blog/ {
    blog $CONTENT;
}
END

my @got = map { $blog->get('/blog/assets/no-such-file.css')->{status} // 0 }
              1 .. 4;
is("@got", '404 404 404 404',
   'a theme file the theme lacks is 404, first index or not');
is($blog->get('/blog/assets/style.css')->{status}, 200,
   'a theme file is served');
is($blog->get("/blog/p$POSTS/")->{status}, 200, 'the posts are served');

$blog->stop;

done_testing();
