# A post whose file is replaced by another one (an editor's atomic save,
# a file moved over it) is not what the index found: a render of it waits
# for a rescan, so the post, the index and the feed show one version,
# however long blog_check_interval is.  Without the cache that is the new
# version at once; with it, pages already stored stay until a render
# needs the new file, and then every page moves to it together.  The
# folder is not watched: a watch would scan at once after the rename,
# and the requests must come between the save and the next scan.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use Test::Blog::Util qw(start_nginx save_atomically);
use Test::More;

for my $cache (0, 1) {
    my $name = $cache ? 'cache on' : 'cache off';

    my $blog = start_nginx(
        workers => 1,
        http_config => 'blog_cache_zone pages:4m;',
        config => <<END,
location /blog/ {
    blog \$CONTENT;
    blog_check_interval 1h;
    blog_watch off;
    @{[ $cache ? 'blog_cache pages;' : '' ]}
}
END
        files => ">>> post.md\n---\ntitle: First Title\ndate: 2024-01-01\n"
                 . "---\nThe first version.\n") or next;

    like($blog->get('/blog/')->{body}, qr/First Title/,
         "$name: the index shows the first version");
    like($blog->get('/blog/post/')->{body}, qr/The first version/,
         "$name: so does the post");

    save_atomically($blog->content . '/post.md',
                    "---\ntitle: Second Title\ndate: 2024-01-01\n---\n"
                    . "The second version.\n");

    my @uris = ('/blog/post/', '/blog/', '/blog/feed.xml');
    my %seen = map { ($_ => version($blog->get($_)->{body})) } @uris;

    if (!$cache) {
        is(join(' ', map { $seen{$_} } @uris), 'Second Second Second',
           "$name: the post, the index and the feed show the new file");
    } else {
        is("$seen{'/blog/post/'} $seen{'/blog/'}", 'First First',
           "$name: the post and the index, stored before, stay as they were");
        is($seen{'/blog/feed.xml'}, 'Second',
           "$name: the feed, rendered now, shows the new file");
        is(join(' ', map { version($blog->get($_)->{body}) } @uris),
           'Second Second Second',
           "$name: after that render every page shows the new file");
    }

    $blog->stop;
}

done_testing();


sub version {
    my ($body) = @_;
    my @v = $body =~ /(First|Second) Title/g;
    my %v = map { ($_ => 1) } @v;
    return keys %v == 1 ? $v[0] : keys %v ? 'both' : 'none';
}
