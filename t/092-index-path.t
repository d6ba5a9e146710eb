# blog_index_path: the builder keeps each site's index in a file of that
# folder, so that the first scan after nginx starts again reads only the
# posts whose files changed while it was stopped.  nginx is stopped and
# started again over the same prefix and content (not reloaded).  The
# cases: the folder (0700) and its one file (0600, named by 32 hex digits)
# owned by the worker user, and blog_status's index_file and files_read;
# a restart with nothing changed serves the same pages and ETags and reads
# no file; posts edited, deleted and added while nginx was stopped show on
# the very first page after the start, and only those files are read; a
# save while nginx runs is kept at most once a minute, and once the minute
# is over without another change; a worker taking
# over from a killed builder reads the file as a start does; a file
# damaged, cut short, made by another build of the module or replaced by
# a folder is said once in the log, every post is read and the file is
# written again; other options (blog_drafts) keep their index in another
# file; files no site keeps go once stale; nginx -t refuses the directive
# twice or in a server block.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use File::Basename qw(basename);
use JSON::PP qw(decode_json);
use Test::Blog qw(write_file);
use Test::Blog::Nginx;
use Test::Blog::Util qw(start_nginx poll write_in_place excerpt);
use Test::More;
use Time::HiRes qw(sleep);

Test::Blog::Nginx::skip_all_under_valgrind(
    'one process that never changes user, started again and again');

# As root, the workers run as nobody: nginx must hand the folder over.
my ($MAIN, $WORKER) = $> == 0 ? ('user nobody nogroup;', 'nobody')
                              : ('', scalar getpwuid $>);
my $WORKER_UID = getpwnam($WORKER);

my %POST = (
    alpha   => "---\ntitle: Alpha Post\ndate: 2024-01-01\n"
               . "description: The first of four.\ntags: [Kept, Index]\n"
               . "aliases: [old-alpha]\n---\nAlpha's words.\n",
    bravo   => "---\ntitle: Bravo Post\ndate: 2024-01-02\ntags: [Kept]\n"
               . "---\nBravo's words.\n",
    charlie => "---\ntitle: Charlie Post\ndate: 2024-01-03\n---\n"
               . "Charlie's words.\n",
    delta   => "---\ntitle: Delta Post\ndate: 2024-01-04\n---\n"
               . "Delta's words.\n",
);

my $POSTS = join '', map { ">>> $_.md\n$POST{$_}" } sort keys %POST;
my $NPOSTS = keys %POST;

# what a restart with nothing changed must serve as it did
my @PAGES = ('/blog/', '/blog/alpha/', '/blog/tags/kept/', '/blog/feed.xml',
             '/blog/old-alpha/');


# A blog of the four posts at /blog/, blog_status at /status, two workers
# and "blog_index_path index;" (under the prefix); start_nginx's arguments
# pass.

sub blog_with {
    my (%arg) = @_;

    return start_nginx(workers => 2, main_config => $MAIN,
                       http_config => 'blog_index_path index;',
                       config => config(), files => $POSTS, %arg);
}


# The server's locations, with SETTINGS in the blog's.

sub config {
    my ($settings) = @_;
    $settings //= '';

    return <<"END";
location /blog/ {
    blog \$CONTENT;
    $settings
}
location = /status {
    blog_status;
}
END
}


# Stops nginx (and checks its log), then starts it again over the same
# prefix, with CONFIG's parts changed if given.

sub restart {
    my ($blog, %config) = @_;

    $blog->stop;
    $blog->write_config(%config) if %config;

    my $problem = $blog->nginx->start;
    ok(!$problem, 'nginx starts again over the same prefix')
        or diag($problem);

    return !$problem;
}


# blog_status's one site, or {} after a failed test that says why.

sub status {
    my ($blog) = @_;
    my $r = $blog->get('/status');
    my $s = eval { decode_json($r->{body} // '') };

    return $s->{sites}[0] if $s && $s->{sites};

    fail('blog_status answers JSON');
    diag("$@\n" . excerpt($r->{body} // $r->{error}, 1500));
    return {};
}


sub folder { $_[0]->prefix . '/index' }

sub index_files {
    my @files = glob(folder($_[0]) . '/*.index');
    return sort @files;
}


# The kept file once the builder has written it (within 5 s), or undef.

sub kept_file {
    my ($blog) = @_;
    my ($file) = poll(5, sub { (index_files($blog))[0] });
    return $file;
}


# Waits (SECONDS, or 5 s, at most) until FILE is no longer the file of
# IDENTITY (a stat(): device and inode), as after it is written again and
# renamed into place.

sub replaced {
    my ($file, $identity, $seconds) = @_;
    my @identity = @$identity;
    my ($done) = poll($seconds // 5, sub {
        my @now = stat $file;
        return @now && -f _ && "@now[0, 1]" ne "@identity[0, 1]";
    });
    return $done;
}


# The titles the index page lists, in its order.

sub listed {
    my ($body) = @_;
    return join ', ',
                ($body // '') =~ m{<h2><a href="[^"]*">([^<]+)</a></h2>}g;
}


# The log lines since nginx started that match RE.

sub log_lines {
    my ($blog, $re) = @_;
    return grep { $_ =~ $re } split /\n/, $blog->log;
}


sub not_used_re {
    my ($blog, $file, $reason) = @_;
    my $root = $blog->content;
    return qr/\[notice\] .*blog: the index kept in "\Q$file\E" is not used, /
           . qr/every post of "\Q$root\E" is read: $reason/;
}


subtest 'a first start: the folder, its one file, blog_status' => sub {
    my $blog = blog_with() or return;
    my $folder = folder($blog);

    my @st = stat $folder;
    ok(-d _, 'nginx made the folder, under the prefix');
    is(sprintf('%04o', $st[2] & 07777), '0700', 'its mode is 0700');
    is($st[4], $WORKER_UID, "it belongs to the worker user, $WORKER");

    my $file = kept_file($blog);
    ok($file, 'a file appears in it within 5 s') or return;
    like(basename($file), qr/^[0-9a-f]{32}\.index$/,
         'named by 32 hex digits, .index');

    @st = stat $file;
    ok(-f _, 'a regular file');
    is(sprintf('%04o', $st[2] & 07777), '0600', 'its mode is 0600');
    is($st[4], $WORKER_UID, "it belongs to $WORKER");

    opendir my $dh, $folder or die "$folder: $!\n";
    my @entries = sort grep { !/^\.\.?$/ } readdir $dh;
    is("@entries", basename($file),
       'nothing else in the folder: no temporary file left');

    is(listed($blog->get('/blog/')->{body}),
       'Delta Post, Charlie Post, Bravo Post, Alpha Post',
       'the blog lists its posts');

    my $s = status($blog);
    is($s->{index_file}, $file, 'blog_status: index_file is that file');
    is($s->{files_read}, $NPOSTS, "blog_status: files_read $NPOSTS");

    is(scalar(log_lines($blog, qr/blog: the index kept in/)), 0,
       'a missing file is not logged');

    $blog->stop;
};


subtest 'nothing changed: the same pages, and no file read' => sub {
    my $blog = blog_with() or return;
    my $file = kept_file($blog);
    ok($file, 'the index is kept') or return;

    my %before = map { $_ => $blog->get($_) } @PAGES;
    my $etag = $before{'/blog/'}{headers}{etag};
    ok($etag, "the index page has an ETag, $etag") or return;
    my @identity = stat $file;

    restart($blog) or return;

    # the very first request after the start
    my $r = $blog->get('/blog/');
    is($r->{status}, 200, 'the first index page after the start is 200');
    ok($r->{body} eq $before{'/blog/'}{body},
       'and the same, byte for byte, as before the restart')
        or diag("before: " . listed($before{'/blog/'}{body})
                . "\nafter: " . listed($r->{body}));

    $r = $blog->get('/blog/', 'If-None-Match' => $etag);
    is($r->{status}, 304, 'GET /blog/ with the ETag from before: 304');

    for my $uri (@PAGES[1 .. $#PAGES]) {
        $r = $blog->get($uri);
        my $was = $before{$uri};
        ok($r->{status} == $was->{status}
           && $r->{body} eq $was->{body}
           && ($r->{headers}{location} // '')
              eq ($was->{headers}{location} // ''),
           "GET $uri: $was->{status}, as before")
            or diag("before: $was->{status}, after: $r->{status}");
    }

    my $s = status($blog);
    is($s->{files_read}, 0, 'blog_status: files_read 0');
    is($s->{posts}, $NPOSTS, "blog_status: $NPOSTS posts");
    is($s->{index_file}, $file, 'the same file');

    # an index of the same version is not written again
    my @now = stat $file;
    is("@now[0, 1, 7, 9]", "@identity[0, 1, 7, 9]",
       'the file is as it was: not written again');

    $blog->stop;
};


subtest 'changed while nginx was stopped: an edit, a deletion, a new post'
    => sub {
    my $blog = blog_with() or return;
    my $file = kept_file($blog);
    ok($file, 'the index is kept') or return;
    my $content = $blog->content;

    $blog->stop;

    (my $edited = $POST{alpha}) =~ s/Alpha Post/Alpha Retitled Anew/;
    write_in_place("$content/alpha.md", $edited);
    unlink "$content/charlie.md" or die "unlink: $!\n";
    write_file("$content/echo.md",
               "---\ntitle: Echo Post\ndate: 2024-01-05\n---\nEcho.\n");
    my @identity = stat $file;

    my $problem = $blog->nginx->start;
    ok(!$problem, 'nginx starts again over the same prefix')
        or do { diag($problem); return };

    my $now = 'Echo Post, Delta Post, Bravo Post, Alpha Retitled Anew';
    is(listed($blog->get('/blog/')->{body}), $now,
       'the first index page after the start: the new title, the new'
       . ' post, not the deleted one');

    is($blog->get('/blog/charlie/')->{status}, 404,
       'the deleted post is 404');
    like($blog->get('/blog/alpha/')->{body},
         qr{<h1 class="post-title">Alpha Retitled Anew</h1>},
         'the edited post has its new title');
    is($blog->get('/blog/echo/')->{status}, 200, 'the new post answers');

    my $s = status($blog);
    is($s->{files_read}, 2,
       'blog_status: files_read 2, the edited and the new');
    is($s->{posts}, $NPOSTS, "blog_status: $NPOSTS posts");

    ok(replaced($file, \@identity), 'the new index is kept, written again');

    restart($blog) or return;

    is(listed($blog->get('/blog/')->{body}), $now,
       'after another restart, the same posts');
    is(status($blog)->{files_read}, 0, 'and no file read');

    $blog->stop;
};


# A save while nginx runs shows at once, but the file is written again at
# most once a minute: a restart soon after reads that post again.

subtest 'a save while nginx runs: kept at most once a minute' => sub {
    my $blog = blog_with() or return;
    my $file = kept_file($blog);
    ok($file, 'the index is kept') or return;
    my @identity = stat $file;

    (my $edited = $POST{bravo}) =~ s/Bravo Post/Bravo Saved Live/;
    write_in_place($blog->content . '/bravo.md', $edited);

    ok(poll(5, sub { $blog->get('/blog/')->{body} =~ /Bravo Saved Live/ }),
       'the save shows on the index') or return;

    # a write would follow the new index at once, were it allowed
    sleep 0.5;
    my @now = stat $file;
    is("@now[0, 1, 7, 9]", "@identity[0, 1, 7, 9]",
       'the file is not written again within the minute');

    restart($blog) or return;

    like(listed($blog->get('/blog/')->{body}), qr/Bravo Saved Live/,
         'after a restart, the first index page shows the save');
    is(status($blog)->{files_read}, 1,
       'files_read 1: the post saved since the file was written');

    $blog->stop;
};


# The save of the subtest before is written once the minute since the
# last write is over: by a timer, with no other change to set it off.

subtest 'a save while nginx runs: written once the minute is over' => sub {
    my $blog = blog_with() or return;
    my $file = kept_file($blog);
    ok($file, 'the index is kept') or return;
    my @identity = stat $file;

    (my $edited = $POST{charlie}) =~ s/Charlie Post/Charlie Kept Later/;
    write_in_place($blog->content . '/charlie.md', $edited);

    ok(poll(5, sub { $blog->get('/blog/')->{body} =~ /Charlie Kept Later/ }),
       'the save shows on the index') or return;

    ok(replaced($file, \@identity, 75),
       'the file is written again within 75 s') or return;

    my @now = stat $file;
    cmp_ok($now[9] - $identity[9], '>=', 59,
           'a minute after the write before it');

    restart($blog) or return;

    like(listed($blog->get('/blog/')->{body}), qr/Charlie Kept Later/,
         'after a restart, the first index page shows the save');
    is(status($blog)->{files_read}, 0,
       'files_read 0: the file holds the save');

    $blog->stop;
};


# A worker that takes over from a builder killed reads the file as a
# start does.

subtest 'a builder killed: the worker that takes over reads no file' => sub {
    my $blog = blog_with() or return;
    my $file = kept_file($blog);
    ok($file, 'the index is kept') or return;
    my $listed = listed($blog->get('/blog/')->{body});

    my $zone = status($blog)->{index_zone} // {};
    my $builder = $zone->{builder_pid};
    ok($builder && kill('KILL', $builder),
       'SIGKILL to the builder, ' . ($builder // 'which blog_status names'))
        or return;

    my ($s) = poll(5, sub {
        my $s = status($blog);
        my $z = $s->{index_zone} // {};
        return ($z->{builder_pid} // $builder) != $builder
               && ($z->{builds} // 0) > ($zone->{builds} // 0) ? $s : undef;
    });
    ok($s, 'another worker builds the index within 5 s') or return;
    is($s->{files_read}, 0, 'files_read 0: it took the posts from the file');
    is(listed($blog->get('/blog/')->{body}), $listed, 'the same posts');

    $blog->stop(qr/worker process $builder exited on signal 9/);
};


# each damage, and the reason the log gives
my @DAMAGES = (
    ['bytes flipped in the middle', sub {
        my ($file) = @_;
        open my $fh, '+<:raw', $file or die "$file: $!\n";
        my $at = int((-s $fh) / 2);
        seek $fh, $at, 0;
        read $fh, my $bytes, 8;
        seek $fh, $at, 0;
        print {$fh} $bytes ^ ("\xff" x length $bytes);
        close $fh or die "$file: $!\n";
     }, qr/damaged/],
    ['cut to half its size', sub {
        truncate $_[0], int((-s $_[0]) / 2) or die "truncate: $!\n";
     }, qr/damaged/],
    ['cut inside its header', sub {
        truncate $_[0], 20 or die "truncate: $!\n";
     }, qr/not an index/],
);

subtest 'a damaged file: said once, every post read, written again' => sub {
    my $blog = blog_with() or return;
    my $file = kept_file($blog);
    ok($file, 'the index is kept') or return;
    my $listed = listed($blog->get('/blog/')->{body});

    for my $d (@DAMAGES) {
        my ($what, $damage, $reason) = @$d;

        note($what);
        $blog->stop;
        $damage->($file);
        my @identity = stat $file;

        my $problem = $blog->nginx->start;
        ok(!$problem, "$what: nginx starts")
            or do { diag($problem); return };

        is(listed($blog->get('/blog/')->{body}), $listed,
           "$what: the first index page lists every post");
        is($blog->get("/blog/$_/")->{status}, 200,
           "$what: GET /blog/$_/ is 200") for sort keys %POST;

        my $s = status($blog);
        is($s->{files_read}, $NPOSTS, "$what: files_read $NPOSTS");

        ok(replaced($file, \@identity), "$what: the file is written again");

        my $re = not_used_re($blog, $file, $reason);
        my @said = log_lines($blog, qr/blog: the index kept in/);
        ok(@said == 1 && $said[0] =~ $re,
           "$what: the log says once that it is not used: $reason")
            or diag(@said ? join "\n", @said : 'no such line');

        restart($blog) or return;

        is(listed($blog->get('/blog/')->{body}), $listed,
           "$what: after another restart, the same posts");
        is(status($blog)->{files_read}, 0,
           "$what: and no file read: the file written again is used");
    }

    $blog->stop;
};


# A new build of the module (its file changed, as a package upgrade does):
# what the old one parsed is not trusted.

subtest 'a file of another build of the module' => sub {
    my $blog = blog_with() or return;
    my $file = kept_file($blog);
    ok($file, 'the index is kept') or return;
    my $listed = listed($blog->get('/blog/')->{body});

    open my $fh, '<', $blog->nginx->conf_file or die "nginx.conf: $!\n";
    my ($module) = join('', <$fh>) =~ /^load_module (\S+);/m;
    ok($module, "the module nginx loads is $module") or return;

    $blog->stop;
    my $then = (stat $module)[9];
    utime $then + 60, $then + 60, $module or die "utime $module: $!\n";
    my @identity = stat $file;

    my $problem = $blog->nginx->start;
    ok(!$problem, 'nginx starts with the module changed')
        or do { diag($problem); return };

    is(listed($blog->get('/blog/')->{body}), $listed,
       'the first index page lists every post');
    is(status($blog)->{files_read}, $NPOSTS, "files_read $NPOSTS");
    ok(replaced($file, \@identity), 'the file is written again');

    my $re = not_used_re($blog, $file, 'made by another build of the module'
                                       . ' or with other options');
    my @said = log_lines($blog, qr/blog: the index kept in/);
    ok(@said == 1 && $said[0] =~ $re,
       'the log says once that it is not used: another build')
        or diag(@said ? join "\n", @said : 'no such line');

    restart($blog) or return;
    is(listed($blog->get('/blog/')->{body}), $listed,
       'after another restart, the same posts');
    is(status($blog)->{files_read}, 0,
       'and no file read: the file written again is used');

    $blog->stop;
};


subtest 'a folder where the file would be' => sub {
    my $blog = blog_with() or return;
    my $file = kept_file($blog);
    ok($file, 'the index is kept') or return;
    my $listed = listed($blog->get('/blog/')->{body});

    $blog->stop;
    unlink $file or die "unlink $file: $!\n";
    mkdir $file or die "mkdir $file: $!\n";

    my $problem = $blog->nginx->start;
    ok(!$problem, 'nginx starts') or do { diag($problem); return };

    is(listed($blog->get('/blog/')->{body}), $listed,
       'the first index page lists every post');
    is($blog->get("/blog/$_/")->{status}, 200, "GET /blog/$_/ is 200")
        for sort keys %POST;
    is(status($blog)->{files_read}, $NPOSTS, "files_read $NPOSTS");

    my $root = $blog->content;
    my $cannot = qr/\[error\] .*blog: cannot keep the index of "\Q$root\E" /
                 . qr/in "\Q$file\E": .*; the next start reads every post/;
    my ($said) = poll(5, sub { scalar log_lines($blog, $cannot) });
    is($said, 1, 'the log says once that the index cannot be kept')
        or diag(excerpt($blog->log));

    my @said = log_lines($blog, qr/blog: the index kept in/);
    ok(@said == 1 && $said[0] =~ not_used_re($blog, $file,
                                             'not a regular file'),
       'and once that the folder is not used: not a regular file')
        or diag(@said ? join "\n", @said : 'no such line');

    ok(-d $file, 'the folder is left as it was');
    opendir my $dh, folder($blog) or die folder($blog) . ": $!\n";
    my @entries = sort grep { !/^\.\.?$/ } readdir $dh;
    is("@entries", basename($file), 'and no temporary file is left beside');

    $blog->stop;
};


subtest 'other options: another file' => sub {
    my $drafts = ">>> draft.md\n---\ntitle: Flagged Draft\ndate: 2024-01-06\n"
                 . "draft: true\n---\nNot yet.\n"
                 . ">>> _drafts/idea.md\n---\ntitle: Folder Draft\n"
                 . "date: 2024-01-07\n---\nAn idea.\n";
    my $blog = blog_with(files => $POSTS . $drafts) or return;
    my $file = kept_file($blog);
    ok($file, 'the index is kept') or return;

    my $without = listed($blog->get('/blog/')->{body});
    unlike($without, qr/Draft/, 'blog_drafts off: no draft listed');
    is(status($blog)->{files_read}, $NPOSTS + 1,
       'files_read ' . ($NPOSTS + 1) . ': the posts and draft.md, not'
       . ' _drafts/');

    restart($blog, config => config('blog_drafts on;')) or return;

    is(listed($blog->get('/blog/')->{body}),
       "Folder Draft, Flagged Draft, $without",
       'blog_drafts on: the first index page lists both drafts');

    my $s = status($blog);
    is($s->{files_read}, $NPOSTS + 2,
       'files_read ' . ($NPOSTS + 2) . ': every file, read again');

    my ($other) = poll(5, sub {
        (grep { $_ ne $file } index_files($blog))[0];
    });
    ok($other, 'the index is kept in another file');
    is($s->{index_file}, $other, 'blog_status: index_file is that file');
    is(scalar(() = index_files($blog)), 2, 'two .index files in the folder');
    is(scalar(log_lines($blog, qr/blog: the index kept in/)), 0,
       'the file of the other options is not said to be unusable');

    restart($blog, config => config()) or return;

    is(listed($blog->get('/blog/')->{body}), $without,
       'blog_drafts off again: the drafts are not listed');
    $s = status($blog);
    is($s->{index_file}, $file, 'the first file is used again');
    is($s->{files_read}, 0, 'and no file read');

    $blog->stop;
};


# Files that no site of the configuration keeps (of another content root,
# or other options) go once untouched for ten minutes: their times are
# set an hour back here.  Other names, and the site's own file however
# old, stay.

subtest 'files no site keeps: removed once stale' => sub {
    my $blog = blog_with() or return;
    my $file = kept_file($blog);
    ok($file, 'the index is kept') or return;
    $blog->stop;

    my $folder = folder($blog);
    my @stale = map { "$folder/$_" } ('0' x 32) . '.index',
                                     ('f' x 32) . '.index.tmp';
    my @old = map { "$folder/$_" } 'notes.index', ('2' x 32) . '.index.bak',
                                   ('A' x 32) . '.index';
    my $recent = "$folder/" . ('1' x 32) . '.index';

    for my $f (@stale, @old, $recent) {
        open my $fh, '>', $f or die "$f: $!\n";
        print {$fh} "not an index\n";
        close $fh or die "$f: $!\n";
    }

    my $hour_ago = time - 3600;
    utime $hour_ago, $hour_ago, @stale, @old, $file
        or die "utime: $!\n";

    restart($blog) or return;

    ok(poll(5, sub { !grep { -e } @stale }),
       'the stale files of no site are removed within 5 s');
    ok(-e $_, 'kept: ' . basename($_)) for @old, $recent;
    ok(-e $file, "the site's own file stays, however old");
    is(status($blog)->{files_read}, 0, 'and is used: files_read 0');

    for my $f (@stale) {
        is(scalar(log_lines($blog, qr/\[notice\] .*blog: removed "\Q$f\E", /
                                   . qr/an index kept for a content root or /
                                   . qr/directives no longer configured/)),
           1, 'said once in the log: ' . basename($f));
    }

    $blog->stop;
};


subtest 'nginx -t: blog_index_path twice, or in a server block' => sub {
    my $blog = blog_with() or return;
    $blog->stop;

    for my $case (
        ['given twice',
         [http_config => "blog_index_path index;\nblog_index_path other;"],
         qr/\[emerg\] .*"blog_index_path" directive is duplicate/],
        ['in a server block',
         [http_config => '', config => "blog_index_path index;\n" . config()],
         qr/\[emerg\] .*"blog_index_path" directive is not allowed here/])
    {
        my ($what, $config, $re) = @$case;

        $blog->write_config(http_config => 'blog_index_path index;',
                            config => config(), @$config);
        my ($passed, $output) = $blog->nginx->test_config;
        ok(!$passed, "$what: nginx -t fails");
        like($output, $re, "$what: and says why");
        like($output, qr/\Q${\ $blog->nginx->conf_file }\E:\d+/,
                    "$what: with the line of nginx.conf");
    }
};


done_testing();
