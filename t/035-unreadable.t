# A content root, or a folder in it, that nginx's workers may not read:
# typically a clone in a home folder (mode 0700) with workers running as
# another user.  The error log names the user and the path once, the
# status page says so, and an unreadable root answers 503 rather than an
# empty blog that looks like one with no posts yet.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use JSON::PP qw(decode_json);
use Test::Blog::Util qw(start_nginx);
use Test::More;

plan skip_all => 'needs root, to run the workers as another user'
    if $> != 0;

Test::Blog::Nginx::skip_all_under_valgrind(
    'one process, which never changes user');

my $POST = "---\ntitle: %s\ndate: 2024-01-01\n---\nSome words.\n";

my $blog = start_nginx(
    main_config => 'user nobody nogroup;',
    config => <<'END',
location /closed/ {
    blog $PREFIX/closed;
}
location /blog/ {
    blog $CONTENT;
}
location = /status {
    blog_status;
}
END
    files => ">>> open.md\n" . sprintf($POST, 'Open Post')
             . ">>> private/hidden.md\n" . sprintf($POST, 'Hidden Post'),
    setup => sub {
        my ($blog) = @_;
        my $closed = $blog->prefix . '/closed';

        mkdir $closed, 0700 or die "mkdir $closed: $!\n";
        Test::Blog::write_file("$closed/post.md", sprintf($POST, 'Closed'));
        chmod 0700, $blog->content . '/private';
    });

if ($blog) {
    my $prefix = $blog->prefix;

    my $r = $blog->get('/closed/');
    is($r->{status}, 503, 'an unreadable root answers 503');
    unlike($r->{body}, qr/No posts yet/, '... not an empty blog');

    $r = $blog->get('/blog/');
    is($r->{status}, 200, 'a readable root is served');
    like($r->{body}, qr/Open Post/, '... with its readable posts');
    unlike($r->{body}, qr/Hidden Post/,
           '... but not those in a folder it may not read');

    my $log = $blog->log;
    my $denied = 'is not readable by user "nobody"';
    my @root = $log =~ /(content root "\Q$prefix\E\/closed" \Q$denied\E)/g;
    my @folder = $log =~ /(folder "[^"]*\/content\/private" \Q$denied\E)/g;

    is(scalar @root, 1, 'the log names the root and the user, once')
        or diag($log);
    is(scalar @folder, 1, 'the log names the folder and the user, once');

    my $status = decode_json($blog->get('/status')->{body});
    my %site = map { ($_->{root} => $_) } @{ $status->{sites} };

    is($site{"$prefix/closed"}{readable}, JSON::PP::false,
       'blog_status says the root is not readable');
    is($site{"$prefix/closed"}{user}, 'nobody', '... by which user');
    is($site{$blog->content}{readable}, JSON::PP::true,
       '... and that the other one is');

    $blog->stop;
}

done_testing();
