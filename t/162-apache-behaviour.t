# mod_blog under each of httpd's MPMs (event, worker, prefork): the page
# cache across children (a miss, then hits, in the access log's
# %{BLOG_CACHE_STATUS}e), HEAD, conditional requests, ranges, the
# Markdown source, posts added, changed and deleted while it runs,
# hostile URLs and a symbolic link out of the root, the status JSON, and
# a child killed while the cache is in use.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use JSON::PP qw(decode_json);
use Test::More;
use Time::HiRes qw(sleep time);

use Test::Blog::Apache;
use Test::Blog::HTTP qw(http_request raw_request after_head);
use Test::Blog qw(write_file);

my $missing = Test::Blog::Apache::missing();
plan skip_all => $missing if $missing;

Test::Blog::Nginx::skip_all_under_valgrind('it runs Apache httpd');

for my $mpm (qw(event worker prefork)) {
    my $apache = Test::Blog::Apache->new(mpm => $mpm);
    my $content = $apache->content;
    my $prefix = $apache->prefix;
    my $port = $apache->port;

    write_file("$content/first.md",
               "---\ntitle: First\ndate: 2026-01-01\ntags: [ops]\n---\n"
               . "The first post.\n");
    write_file("$content/second.md",
               "---\ntitle: Second\ndate: 2026-01-02\n---\nThe second.\n");
    write_file("$prefix/secret.md",
               "---\ntitle: Secret\ndate: 2026-01-03\n---\nNot yours.\n");
    symlink "$prefix/secret.md", "$content/leak.md" or die "symlink: $!\n";

    $apache->write_config(<<"END", log_format => '%U %>s %{BLOG_CACHE_STATUS}e');
<Location /blog/>
    Blog $content
    BlogCache shmcb:$prefix/logs/blog_cache(4194304)
    BlogCheckInterval 200ms
</Location>
<Location /blog-status>
    SetHandler blog-status
</Location>
END

    my $problem = $apache->start;
    is($problem, '', "$mpm: Apache starts") or next;

    # the cache: one render, then hits, whichever child answers

    my @statuses;
    for (1 .. 6) {
        my $r = http_request($port, "GET /blog/first/");
        push @statuses, $r->{status};
    }
    is_deeply(\@statuses, [(200) x 6], "$mpm: a post, six times");

    my @logged = access_lines($apache, '/blog/first/');
    is($logged[0], 'MISS', "$mpm: the first is rendered");
    is_deeply([ @logged[1 .. $#logged] ], [('HIT') x 5],
              "$mpm: the others come from the cache");

    my $r = http_request($port, "GET /blog/first/");
    my $etag = $r->{headers}{etag};
    like($etag // '', qr/^"[0-9a-f]{32}"$/, "$mpm: a strong ETag");
    like($r->{body}, qr{<h1 class="post-title">First</h1>},
         "$mpm: the post's page");
    is($r->{headers}{vary}, 'Accept', "$mpm: it varies with Accept");

    $r = http_request($port, "HEAD /blog/first/");
    is($r->{status}, 200, "$mpm: HEAD");
    is(after_head($port, "HEAD /blog/first/"), '',
       "$mpm: HEAD has no body on the wire");

    $r = http_request($port, "GET /blog/first/\nIf-None-Match: $etag");
    is($r->{status}, 304, "$mpm: If-None-Match gets 304");

    $r = http_request($port, "GET /blog/first/\nRange: bytes=0-14");
    is($r->{status}, 206, "$mpm: a range");
    is($r->{body}, '<!DOCTYPE html>', "$mpm: its bytes");

    $r = http_request($port, "GET /blog/first/\nAccept: text/markdown");
    is($r->{headers}{'content-type'}, 'text/markdown; charset=utf-8',
       "$mpm: the Markdown source");
    like($r->{body}, qr/^---\ntitle: First/, "$mpm: as it is on disk");

    $r = http_request($port, "POST /blog/first/");
    is($r->{status}, 405, "$mpm: POST is refused");

    # hostile URLs and a link out of the root

    for my $uri ('/blog/../secret.md', '/blog/%2e%2e/secret.md',
                 '/blog/first%2Fx/', '/blog/leak/',
                 '/blog/first/..%2f..%2fsecret.md')
    {
        $r = raw_request($port, "GET $uri HTTP/1.0\r\n\r\n");
        ok(($r->{status} // 0) == 404 || ($r->{status} // 0) == 400,
           "$mpm: $uri is 404 or 400") or diag($r->{status});
        unlike($r->{body} // '', qr/Not yours/, "$mpm: $uri leaks nothing");
    }

    $r = http_request($port, "GET /blog/leak/\nAccept: text/markdown");
    unlike($r->{body} // '', qr/Not yours/,
           "$mpm: nor does the link's Markdown");

    # changes while it runs: seen within the check interval

    write_file("$content/third.md",
               "---\ntitle: Third\ndate: 2026-01-03\n---\nNew.\n");
    ok(eventually(sub {
           (http_request($port, "GET /blog/third/")->{status} // 0) == 200
       }), "$mpm: a new post is served");
    ok(eventually(sub {
           (http_request($port, "GET /blog/")->{body} // '')
               =~ m{/blog/third/}
       }), "$mpm: and listed on the index");

    write_file("$content/first.md.tmp",
               "---\ntitle: First, edited\ndate: 2026-01-01\n---\nEdited.\n");
    rename "$content/first.md.tmp", "$content/first.md" or die "$!\n";
    ok(eventually(sub {
           (http_request($port, "GET /blog/first/")->{body} // '')
               =~ /First, edited/
       }), "$mpm: an edited post shows its new text");

    unlink "$content/second.md";
    ok(eventually(sub {
           (http_request($port, "GET /blog/second/")->{status} // 0) == 404
       }), "$mpm: a deleted post is gone");

    # the status JSON

    $r = http_request($port, "GET /blog-status");
    my $status = eval { decode_json($r->{body}) };
    ok($status, "$mpm: blog-status is JSON") or diag($r->{body});

    # each child's own index: within a check interval of the others
    ok(eventually(sub {
           my $s = eval {
               decode_json(http_request($port, "GET /blog-status")->{body})
           };
           $s && $s->{sites}[0]{posts} == 2
       }), "$mpm: it counts the posts");
    is($status->{sites}[0]{user}, ($> == 0 ? 'www-data' : getpwuid($>)),
       "$mpm: and names the user that reads them") if $status;

    # a child killed: the cache and the others go on

    my @children = children($apache);
    ok(@children, "$mpm: the children are found");
    kill 'KILL', $children[0] if @children;
    sleep 0.2;

    my $served = 0;
    for (1 .. 10) {
        $r = http_request($port, "GET /blog/first/");
        $served++ if ($r->{status} // 0) == 200
                     && $r->{body} =~ /First, edited/;
    }
    is($served, 10, "$mpm: after a child was killed, pages are served");

    my @bad = grep { /\[(?:[a-z_]+:)?(?:emerg|alert|crit)\]/ }
              $apache->new_log_lines;
    is_deeply(\@bad, [], "$mpm: nothing critical in the error log");

    $apache->stop;
}

done_testing;


sub eventually {
    my ($check) = @_;
    my $deadline = time + 5;

    while (time < $deadline) {
        return 1 if $check->();
        sleep 0.05;
    }

    return 0;
}


# the cache statuses the access log has for path, in order
sub access_lines {
    my ($apache, $path) = @_;
    my $deadline = time + 2;
    my @lines;

    while (time < $deadline) {
        open my $fh, '<', $apache->prefix . '/logs/access.log' or next;
        @lines = map { (split ' ')[2] // '-' }
                 grep { /^\Q$path\E 200 / } <$fh>;
        close $fh;
        last if @lines >= 6;
        sleep 0.05;
    }

    return @lines;
}


# the pids of the parent's children
sub children {
    my ($apache) = @_;
    open my $fh, '<', $apache->pid_file or return ();
    my $parent = <$fh>;
    close $fh;
    chomp $parent;

    my @pids;
    for my $stat (glob '/proc/[0-9]*/stat') {
        open my $s, '<', $stat or next;
        my $line = <$s> // '';
        close $s;
        my ($pid, $ppid) = $line =~ /^(\d+) \(.*?\) \S+ (\d+)/ or next;
        push @pids, $pid if $ppid == $parent;
    }

    return @pids;
}
