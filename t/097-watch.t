# Changes told by inotify (blog_watch on, the default): the worker that
# builds the index scans when a watched folder changes, not every check
# interval.  With blog_check_interval 1h, so that no interval scan can
# explain it: an edit, a new post, a post in a new folder, a rename, a
# deletion, a touched date and a swapped root link each show within 1.5 s;
# an idle blog is not scanned, nor one whose only changes are dotfiles; blog_status says "events" and how many
# folders are watched.  A save reads its own folder again and keeps every
# other as it was (blog_status: folders_read), its posts and problems; a
# folder made, removed or renamed, or more folders changed at once than
# the watch keeps, has every folder read.  With blog_watch off the folder is scanned every
# interval, as blog_status says.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use File::Path qw(make_path);
use JSON::PP qw(decode_json);
use Test::Blog qw(write_file);
use Test::Blog::Nginx;
use Test::Blog::Util qw(start_nginx poll save_atomically write_in_place);
use Test::More;
use Time::HiRes qw(sleep time);

my $SHOW = 1.5;

my $POSTS = join '', map {
    sprintf ">>> post-%d.md\n---\ntitle: Post %d\ndate: 2024-01-%02d\n---\n"
            . "Words of post %d.\n", $_, $_, $_, $_
} 1 .. 4;


# the blog at /blog/ of ROOT [$CONTENT] with SETTINGS, blog_status at
# /status, two workers; start_nginx's other arguments pass

sub blog_with {
    my ($settings, %arg) = @_;
    my $root = delete $arg{root} // '$CONTENT';

    return start_nginx(workers => 2, %arg, config => <<"END");
location /blog/ {
    blog $root;
    $settings
}
location = /status {
    blog_status;
}
END
}


sub status {
    my ($blog) = @_;
    my $r = $blog->get('/status');
    return eval { decode_json($r->{body})->{sites}[0] } // {};
}


sub post {
    my ($title, $date) = @_;
    return "---\ntitle: $title\ndate: " . ($date // '2024-03-01')
           . "\n---\nWords of $title.\n";
}


# each change, then what the index (or PAGE) must show, or not show
my @CHANGES = (
    ['an edit in place',
     sub { write_in_place("$_[0]/post-1.md", post('Edited One', '2024-01-01')) },
     qr/Edited One/],
    ['an atomic save',
     sub { save_atomically("$_[0]/post-2.md", post('Saved Two', '2024-01-02')) },
     qr/Saved Two/],
    ['a new post',
     sub { write_file("$_[0]/fresh.md", post('Fresh Post')) },
     qr/Fresh Post/],
    ['a post in a new folder',
     sub { make_path("$_[0]/2025/deep");
           write_file("$_[0]/2025/deep/deep.md", post('Deep Post')) },
     qr/Deep Post/],
    ['a post in that folder, later',
     sub { write_file("$_[0]/2025/deep/deeper.md", post('Deeper Post')) },
     qr/Deeper Post/],
    ['a rename',
     sub { rename "$_[0]/fresh.md", "$_[0]/renamed.md" or die "rename: $!" },
     qr{/blog/renamed/}],
    ['a deletion',
     sub { unlink "$_[0]/post-3.md" or die "unlink: $!" },
     qr/Post 3/, 'gone'],
    ['a date in the future, then the file touched into the past',
     sub { write_file("$_[0]/later.md", post('Later Post', '2099-01-01'));
           sleep 0.5;
           write_in_place("$_[0]/later.md", post('Later Post', '2024-05-05')) },
     qr/Later Post/],
);


subtest 'blog_watch on: each change shows, with no interval scan' => sub {
    my $blog = blog_with('blog_check_interval 1h;', files => $POSTS)
        or return;

    ok(poll(5, sub { $blog->get('/blog/')->{body} =~ /Post 4/ }),
       'the first index') or return;

    my $content = $blog->content;

    for my $c (@CHANGES) {
        my ($what, $change, $re, $gone) = @$c;
        my $t0 = time;

        $change->($content);

        my ($ok, $took) = poll($SHOW + 1, sub {
            my $body = $blog->get('/blog/')->{body} // '';
            return $gone ? $body !~ $re : $body =~ $re;
        });
        ok($ok && time - $t0 <= $SHOW,
           sprintf '%s shows within %.1f s (%.2f s)', $what, $SHOW,
                   time - $t0);
    }

    my $s = status($blog);
    is($s->{index_zone}{changes}, 'events', 'blog_status: changes: events');

    # the root and its two folders, and the folders above the root
    cmp_ok($s->{index_zone}{watches}, '>=', 3,
           "blog_status: $s->{index_zone}{watches} folders watched");

    my $before = $s->{index_zone}{scans};
    sleep 1.5;
    my $after = status($blog)->{index_zone}{scans};
    is($after, $before, "an idle blog is not scanned ($before scans in all)");

    # an editor's swap file, written, renamed and removed: not content,
    # and no scan; nor a dot folder made beside the posts
    write_file("$content/.post-1.md.swp", 'swap');
    rename "$content/.post-1.md.swp", "$content/.post-1.md.swx"
        or die "rename: $!";
    unlink "$content/.post-1.md.swx" or die "unlink: $!";
    make_path("$content/.cache");
    sleep 1.5;
    $after = status($blog)->{index_zone}{scans};
    is($after, $before, 'dotfiles and dot folders ask for no scan');

    $blog->stop;
};


# A save whose writer closed the file, or renamed it into place, is whole:
# the scan comes at once, where any other change waits for the settle time
# (0.1 s in a watched folder).  Of six saves, the best shows on the index
# under 0.09 s; waiting for the settle time, none could.  A request for
# the post that reads the new file before the scan is done waits for a
# scan, not for the settle time of an unwatched folder (1 s with this
# interval): each of six saves shows on the post's page within 0.5 s, on
# either worker.

subtest 'blog_watch on: a save closed whole shows without settling' => sub {
    plan skip_all => 'valgrind: one scan takes longer than the settle time'
        if Test::Blog::Nginx::under_valgrind();

    my $blog = blog_with('blog_check_interval 1h;', files => $POSTS)
        or return;

    ok(poll(5, sub { $blog->get('/blog/')->{body} =~ /Post 4/ }),
       'the first index') or return;

    my $n = 0;

    for my $page ('/blog/', '/blog/post-1/') {
        my @took;

        for (1 .. 6) {
            my $file = $blog->content . '/post-1.md';
            my $text = post('Quick ' . ++$n, '2024-01-01');
            my $t0 = time;
            my $shown;

            $n % 2 ? save_atomically($file, $text)
                   : write_in_place($file, $text);

            while (time - $t0 < 2) {
                $shown = ($blog->get($page)->{body} // '') =~ /Quick $n\b/
                    and last;
                sleep 0.002;
            }

            ok($shown, "save $n shows on $page") or return;
            push @took, time - $t0;
            sleep 0.2;
        }

        my ($best, $worst) = (sort { $a <=> $b } @took)[0, -1];
        my $all = join ' ', map { sprintf '%.0f', $_ * 1000 } @took;

        if ($page eq '/blog/') {
            cmp_ok($best, '<', 0.09,
                   sprintf 'the best of six shows on the index in %.0f ms '
                           . '(%s ms)', $best * 1000, $all);
        } else {
            cmp_ok($worst, '<', 0.5,
                   sprintf 'the worst of six shows on the post in %.0f ms '
                           . '(%s ms)', $worst * 1000, $all);
        }
    }

    $blog->stop;
};


subtest 'blog_watch on: a change reads its folder, keeps the rest' => sub {
    my $folders = join '', map {
        sprintf ">>> f%02d/post-f%02d.md\n---\ntitle: Folder %d\n"
                . "date: 2024-02-%02d\n---\nIn folder %d.\n", $_, $_, $_,
                  $_ % 28 + 1, $_
    } 1 .. 70;

    my $blog = blog_with("blog_check_interval 1h;\n"
                         . "    blog_posts_per_page 100;",
                         files => $folders . <<'END') or return;
>>> bad/broken.md
---
title: [unclosed
---
Broken.
>>> deep/er/deep.md
---
title: Deep Kept
date: 2024-03-03
---
Deep words.
END

    my $content = $blog->content;

    ok(poll(5, sub { $blog->get('/blog/')->{body} =~ /Folder 70/ }),
       'the first index') or return;

    my $s = status($blog);
    my $all = $s->{folders};
    is($s->{folders_read}, $all, "the first scan read all $all folders");

    my $changed = sub {
        my ($what, $change, $re, $gone) = @_;
        my $t0 = time;
        $change->();
        my ($ok) = poll($SHOW + 1, sub {
            my $body = $blog->get('/blog/')->{body} // '';
            return $gone ? $body !~ $re : $body =~ $re;
        });
        ok($ok && time - $t0 <= $SHOW,
           sprintf '%s shows within %.1f s (%.2f s)', $what, $SHOW,
                   time - $t0);
        return status($blog);
    };

    # a save in one folder: that folder is read, every other one kept
    $s = $changed->('an atomic save in f07', sub {
        save_atomically("$content/f07/post-f07.md", post('Seventh Saved'));
    }, qr/Seventh Saved/);

    is($s->{folders_read}, 1, "then only its folder was read, of $all");
    is($s->{folders}, $all, 'and every folder is still known');

    my $body = $blog->get('/blog/')->{body};
    is(scalar(() = $body =~ /Folder \d+/g), 69,
       'the posts of the folders kept are all listed');
    like($body, qr/Deep Kept/, 'a post two folders down is kept');
    is($blog->get('/blog/deep/')->{status}, 200, 'and its page answers');

    my @bad = grep { $_->{file} =~ m{/bad/broken\.md$} }
              @{ $s->{problems} // [] };
    is(scalar @bad, 1, 'the problem of a kept folder is still reported');
    is($s->{skipped}, 1, 'and its post still skipped');

    # the broken post fixed: its folder is read, the problem goes
    $s = $changed->('the broken post fixed', sub {
        save_atomically("$content/bad/broken.md", post('Mended Post'));
    }, qr/Mended Post/);
    is($s->{skipped}, 0, 'nothing skipped any more');

    # saves in two folders at once: both read
    $s = $changed->('saves in two folders', sub {
        save_atomically("$content/f01/post-f01.md", post('First Again'));
        save_atomically("$content/f02/post-f02.md", post('Second Again'));
    }, qr/First Again.*|Second Again/s);
    ok(poll(2, sub { my $b = $blog->get('/blog/')->{body};
                     $b =~ /First Again/ && $b =~ /Second Again/ }),
       'both saves show');

    # a folder removed, then one renamed: every folder is read again
    $s = $changed->('a folder removed', sub {
        unlink "$content/f03/post-f03.md" or die "unlink: $!";
        rmdir "$content/f03" or die "rmdir: $!";
    }, qr/Folder 3\b/, 'gone');

    $s = $changed->('a folder renamed', sub {
        rename "$content/f04", "$content/g04" or die "rename: $!";
        save_atomically("$content/g04/post-f04.md", post('Moved Four'));
    }, qr/Moved Four/);
    is($blog->get('/blog/post-f04/')->{status}, 200,
       'the moved post answers at its URL');

    # more folders changed at once than the watch keeps (64): all are read
    $s = $changed->('saves in 66 folders', sub {
        save_atomically(sprintf("$content/f%02d/post-f%02d.md", $_, $_),
                        post("Resaved $_")) for 5 .. 70;
    }, qr/Resaved 70/);
    ok(poll(2, sub { my $b = $blog->get('/blog/')->{body};
                     !grep { $b !~ /Resaved $_\b/ } 5 .. 70 }),
       'all 66 saves show');

    $blog->stop;
};


subtest 'blog_watch on: a swapped root link shows' => sub {
    my $blog = blog_with('blog_check_interval 1h;',
        root => '$PREFIX/current',
        setup => sub {
            my ($b) = @_;
            for my $n (1, 2) {
                write_file($b->prefix . "/releases/$n/post.md",
                           post("Release $n"));
            }
            symlink 'releases/1', $b->prefix . '/current'
                or die "symlink: $!\n";
        }) or return;

    ok(poll(5, sub { $blog->get('/blog/')->{body} =~ /Release 1/ }),
       'release 1') or return;

    my $prefix = $blog->prefix;
    my $t0 = time;

    symlink 'releases/2', "$prefix/current.new" or die "symlink: $!\n";
    rename "$prefix/current.new", "$prefix/current" or die "rename: $!\n";

    my ($ok) = poll($SHOW + 1, sub {
        $blog->get('/blog/')->{body} =~ /Release 2/
    });
    ok($ok && time - $t0 <= $SHOW,
       sprintf 'release 2 shows within %.1f s (%.2f s)', $SHOW, time - $t0);

    $blog->stop;
};


subtest 'blog_watch on: a builder killed, another watches' => sub {
    plan(skip_all => 'needs worker processes, which valgrind runs without')
        if Test::Blog::Nginx->under_valgrind;

    my $blog = blog_with('blog_check_interval 1h;', files => $POSTS)
        or return;

    ok(poll(5, sub { $blog->get('/blog/')->{body} =~ /Post 4/ }),
       'the first index') or return;

    my $builder = status($blog)->{index_zone}{builder_pid};
    ok($builder && kill('KILL', $builder), "SIGKILL to the builder, $builder");

    # no request waits: the other worker finds the builder gone on its
    # own, within a second whatever the interval
    sleep 0.2;
    my $t0 = time;
    save_atomically($blog->content . '/post-4.md', post('After', '2024-01-04'));

    my ($ok) = poll(4, sub { $blog->get('/blog/')->{body} =~ /After/ });
    ok($ok, sprintf 'a save after it shows within 4 s (%.2f s)', time - $t0);

    my ($s) = poll(2, sub {
        my $s = status($blog);
        return ($s->{index_zone}{builder_pid} // 0) != $builder
               && $s->{index_zone}{changes} eq 'events' ? $s : undef;
    });
    ok($s, 'another worker builds and watches');

    $blog->stop(qr/worker process $builder exited on signal 9/);
};


subtest 'blog_watch off: scanned every interval' => sub {
    my $blog = blog_with("blog_check_interval 100ms;\n    blog_watch off;",
                         files => $POSTS)
        or return;

    ok(poll(5, sub { $blog->get('/blog/')->{body} =~ /Post 4/ }),
       'the first index') or return;

    my $s = status($blog);
    is($s->{index_zone}{changes}, 'scans', 'blog_status: changes: scans');
    is($s->{index_zone}{watches}, 0, 'blog_status: no folder watched');

    my $before = $s->{index_zone}{scans};
    sleep 1.5;
    my $after = status($blog)->{index_zone}{scans};
    cmp_ok($after - $before, '>=', 8,
           'scans every 100 ms: ' . ($after - $before) . ' in 1.5 s');

    save_atomically($blog->content . '/post-1.md', post('Edited Off'));
    ok(poll($SHOW, sub { $blog->get('/blog/')->{body} =~ /Edited Off/ }),
       "an edit shows within $SHOW s");

    $blog->stop;
};


done_testing();
