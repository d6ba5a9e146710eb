# blog-check, the content checker: a folder in, each published post (slug,
# date, tags, reading time) and every problem out, an exit status for CI.
# Each case writes its own folder under a temporary directory.

use strict;
use warnings;

use Cwd qw(realpath);
use Errno qw(ENOENT ENOTDIR);
use File::Basename qw(dirname);
use File::Path qw(make_path);
use File::Temp qw(tempdir);
use FindBin;
use JSON::PP;
use Test::More;

my $top = realpath("$FindBin::Bin/..");
my $bin = $ENV{BLOG_CHECK_BINARY} // "$top/build/blog-check";

plan skip_all => "$bin is not built (make build/blog-check)" unless -x $bin;

my $tmp = tempdir('blog-check-XXXXXX', TMPDIR => 1, CLEANUP => 1);
my $nfolders = 0;

# a folder of files: name => bytes
sub folder {
    my (%files) = @_;
    my $dir = "$tmp/" . ++$nfolders;

    make_path($dir);

    for my $name (sort keys %files) {
        make_path(dirname("$dir/$name"));
        open my $fh, '>:raw', "$dir/$name" or die "$dir/$name: $!";
        print {$fh} $files{$name};
        close $fh or die "$dir/$name: $!";
    }

    return $dir;
}

# front matter fields in the order given, then body (or a line of text)
sub post {
    my (@fm) = @_;
    my $body = "Some text.\n";
    my $text = "---\n";

    while (my ($key, $value) = splice @fm, 0, 2) {
        if ($key eq 'body') {
            $body = $value;
            next;
        }

        $text .= "$key: $value\n";
    }

    return "$text---\n$body";
}

# runs blog-check; stdout and stderr go to files, so a big corpus can't
# fill a pipe
sub check {
    my (@args) = @_;
    my $out = "$tmp/stdout";
    my $err = "$tmp/stderr";

    my $pid = fork() // die "fork: $!";

    if ($pid == 0) {
        open STDOUT, '>', $out or die;
        open STDERR, '>', $err or die;
        exec { $args[0] } @args or exit 127;
    }

    waitpid $pid, 0;

    my %r = (code => $? >> 8, signal => $? & 127);

    for ([out => $out], [err => $err]) {
        open my $fh, '<:raw', $_->[1] or die;
        local $/;
        $r{$_->[0]} = <$fh> // '';
    }

    $r{lines} = [split /\n/, $r{out}];
    $r{posts} = [grep { /\t/ } @{$r{lines}}];
    $r{problems} = [grep { /: (error|warning|note): / } @{$r{lines}}];

    return \%r;
}

sub blog_check { return check($bin, @_) }

sub strerror {
    local $! = shift;
    return "$!";
}

my $words = join(' ', ('word') x 450) . "\n";
my $mixed;


# --- a good folder: a plain post, a Jekyll one, a Hugo bundle

my $good = folder(
    'hello.md' => post(title => 'Hello', date => '2024-03-01 09:30 +0200',
                       tags => '[Rust, Next.js]', body => $words),
    '_posts/2023-05-06-jekyll-style.markdown' =>
        post(title => 'Jekyll style', tags => '"Web Dev, C++"',
             body => "Two words.\n"),
    'bundle/index.md' => post(title => 'Bundle',
                              date => '2022-12-31T23:00:00Z',
                              tags => 'go hugo', reading_time => 7),
    'bundle/cover.png' => "\x89PNG\r\n",
    'README.md' => "# Not a post\n",
    'notes.txt' => "not a post either\n",
);

my @good = (
    "hello\t2024-03-01 09:30 +0200\tRust, Next.js\t3 min read",
    "jekyll-style\t2023-05-06 00:00 +0000\tWeb Dev, C++\t1 min read",
    "bundle\t2022-12-31 23:00 +0000\tgo, hugo\t7 min read",
);

{
    my $r = blog_check($good);

    is($r->{code}, 0, 'good folder: exit 0');
    is($r->{err}, '', 'good folder: nothing on stderr');
    is_deeply($r->{posts}, \@good,
              'good folder: slug, date, tags, reading time, newest first');
    is_deeply($r->{problems}, [], 'good folder: no problem');
    is($r->{lines}[-1], '3 posts published, 0 errors, 0 warnings, 0 notes',
       'good folder: the summary line');
    is(scalar @{$r->{lines}}, 4, 'good folder: nothing else');

    my $again = blog_check($good);
    is($again->{out}, $r->{out}, 'good folder: the same output twice');

    $r = blog_check('--words-per-minute', '100', $good);
    is($r->{posts}[0], "hello\t2024-03-01 09:30 +0200\tRust, Next.js\t"
                       . "5 min read", '--words-per-minute 100');
    is($r->{posts}[2], $good[2], 'reading_time in front matter wins');

    $r = blog_check("--words-per-minute=450", $good);
    like($r->{posts}[0], qr/\t1 min read$/, '--words-per-minute=450');

    $r = blog_check("$good/");
    is($r->{out}, blog_check($good)->{out},
       'a trailing slash changes nothing');
}


# --- bad YAML: an error with the line, the rest still listed

{
    my $d = folder(
        'ok.md' => post(title => 'OK', date => '2024-01-01'),
        'bad.md' => "---\ntitle: Bad\ndate: 2024-01-01\noops: a: b\n---\n"
                    . "Body.\n",
    );
    my $r = blog_check($d);

    is($r->{code}, 1, 'bad YAML: exit 1');
    is_deeply($r->{posts}, ["ok\t2024-01-01 00:00 +0000\t\t1 min read"],
              'bad YAML: the other post is listed');
    is(scalar @{$r->{problems}}, 1, 'bad YAML: one problem');
    like($r->{problems}[0],
         qr{^\Q$d\E/bad\.md:4: error: front matter is not valid YAML: },
         'bad YAML: error on line 4');
    is($r->{lines}[-1], '1 post published, 1 error, 0 warnings, 0 notes',
       'bad YAML: counted');
}


# --- front matter that is not a mapping

{
    my $d = folder('list.md' => "---\n- a\n- b\n---\nBody.\n");
    my $r = blog_check($d);

    is($r->{code}, 1, 'not a mapping: exit 1');
    is_deeply($r->{problems},
              ["$d/list.md:2: error: front matter is not a mapping of keys "
               . "to values"], 'not a mapping: error on line 2');
    is_deeply($r->{posts}, [], 'not a mapping: nothing published');
}


# --- no title: a warning, the post is served

{
    my $d = folder(
        'heading.md' => post(date => '2024-01-02',
                             body => "# From The Body\n\nText.\n"),
        'bare.md' => post(date => '2024-01-01'),
    );
    my $r = blog_check($d);

    is($r->{code}, 0, 'no title: exit 0');
    is_deeply($r->{problems}, [
        "$d/bare.md: warning: no title in front matter, using \"bare\"",
        "$d/heading.md: warning: no title in front matter, using "
        . "\"From The Body\"",
    ], 'no title: a warning for each, naming the title used');
    is(scalar @{$r->{posts}}, 2, 'no title: both served');
    like($r->{lines}[-1], qr/, 0 errors, 2 warnings, /, 'no title: counted');
}


# --- two posts with one slug: the older one is renamed, with a warning

{
    my $d = folder(
        'a/same.md' => post(title => 'New', date => '2024-02-01'),
        'b/same.md' => post(title => 'Old', date => '2024-01-01'),
    );
    my $r = blog_check($d);

    is($r->{code}, 0, 'duplicate slug: exit 0');
    is_deeply($r->{posts}, [
        "same\t2024-02-01 00:00 +0000\t\t1 min read",
        "same-2024-01-01\t2024-01-01 00:00 +0000\t\t1 min read",
    ], 'duplicate slug: the newest keeps it, the older gets its date');
    is_deeply($r->{problems}, [
        "$d/b/same.md: warning: slug \"same\" is taken by \"$d/a/same.md\", "
        . "serving this post at \"same-2024-01-01\"",
    ], 'duplicate slug: one warning naming both files');
}


# --- a date in no known format: an error at the date's line; a Jekyll
# file name's date is used instead, with a warning

{
    my $d = folder(
        'bad.md' => post(title => 'D', date => 'next tuesday'),
        '2021-02-03-jek.md' => post(title => 'J', date => '2020-13-45'),
    );
    my $r = blog_check($d);

    is($r->{code}, 1, 'bad date: exit 1');
    like($r->{problems}[1],
         qr{^\Q$d\E/bad\.md:3: error: date "next tuesday" is not a date },
         'bad date: error on the line of the date field');
    like($r->{problems}[0],
         qr{^\Q$d\E/2021-02-03-jek\.md:3: warning: date "2020-13-45" is not },
         'bad date in a Jekyll post: a warning at the line of the date');
    like($r->{problems}[0], qr{ \(YYYY-MM-DD, [^)]*\); dated by the file name},
         'bad date in a Jekyll post: the line is said once');
    is_deeply($r->{posts}, ["jek\t2021-02-03 00:00 +0000\t\t1 min read"],
              'bad date in a Jekyll post: dated by its name');
}


# --- drafts: a note, not published, unless --drafts

{
    my $d = folder(
        'ok.md' => post(title => 'OK', date => '2024-01-04'),
        'draft.md' => post(title => 'Draft', date => '2024-01-03',
                           draft => 'true'),
        'unpub.md' => post(title => 'Unpub', date => '2024-01-02',
                           published => 'false'),
        '_drafts/wip.md' => post(title => 'WIP', date => '2024-01-01'),
    );
    my $r = blog_check($d);

    is($r->{code}, 0, 'drafts: exit 0');
    is_deeply($r->{posts}, ["ok\t2024-01-04 00:00 +0000\t\t1 min read"],
              'drafts: not listed');
    is_deeply($r->{problems}, [
        "$d/draft.md: note: draft, not published",
        "$d/unpub.md: note: draft, not published",
    ], 'drafts: a note each (_drafts is not read)');

    $r = blog_check('--drafts', $d);
    is($r->{code}, 0, '--drafts: exit 0');
    is_deeply([map { (split /\t/)[0] } @{$r->{posts}}],
              [qw(ok draft unpub wip)], '--drafts: all four published');
    is_deeply($r->{problems}, [], '--drafts: no note');
}


# --- a future post: a note, not published yet

{
    my $d = folder(
        'now.md' => post(title => 'Now', date => '2024-01-01'),
        'future.md' => post(title => 'Later', date => '2999-01-01 12:00'),
    );
    my $r = blog_check($d);

    is($r->{code}, 0, 'future post: exit 0');
    is_deeply($r->{posts}, ["now\t2024-01-01 00:00 +0000\t\t1 min read"],
              'future post: not listed');
    is_deeply($r->{problems}, [
        "$d/future.md: note: dated in the future (2999-01-01 12:00 +0000), "
        . "not published yet",
    ], 'future post: a note with its date');
}


# --- no date anywhere: dated by the file's time, with a note

{
    my $d = folder('undated.md' => post(title => 'Undated'));
    my $r = blog_check($d);

    is($r->{code}, 0, 'undated: exit 0');
    is_deeply($r->{problems}, [
        "$d/undated.md: note: no date in front matter or file name, dated "
        . "by the file's modification time",
    ], 'undated: a note');
    is(scalar @{$r->{posts}}, 1, 'undated: published');
}


# --- invalid UTF-8: an error with the line

{
    my $d = folder(
        'bad.md' => "---\ntitle: U\n---\nline 4\nbad \xff here\n",
    );
    my $r = blog_check($d);

    is($r->{code}, 1, 'invalid UTF-8: exit 1');
    is_deeply($r->{problems}, ["$d/bad.md:5: error: not valid UTF-8"],
              'invalid UTF-8: error on line 5');
}


# --- a file larger than --max-post-size

{
    my $d = folder(
        'big.md' => post(title => 'Big', date => '2024-01-01',
                         body => ('x' x 2099) . "\n"),
    );
    my $size = -s "$d/big.md";
    my $r = blog_check('--max-post-size', '1k', $d);

    is($r->{code}, 1, 'too large: exit 1');
    is_deeply($r->{problems}, [
        "$d/big.md: error: $size bytes, larger than blog_max_post_size "
        . "(1024)",
    ], 'too large: error naming the size, no line');
    is_deeply($r->{posts}, [], 'too large: not listed');

    $r = blog_check($d);
    is($r->{code}, 0, 'too large: fits the default 1m');
    is(scalar @{$r->{posts}}, 1, 'too large: listed under the default');

    is(blog_check('--max-post-size=1m', $d)->{code}, 0, '--max-post-size=1m');
    is(blog_check('--max-post-size', $size, $d)->{code}, 0,
       '--max-post-size: the exact size fits');
    is(blog_check('--max-post-size', $size - 1, $d)->{code}, 1,
       '--max-post-size: a byte less does not');
    is(blog_check('--max-post-size', '3K', $d)->{code}, 0,
       '--max-post-size: 3K');
}


# --- --json: one object, every post read, every problem

{
    my $d = $mixed = folder(
        'hello.md' => post(title => q('"Quoted" \\ <b>&amp;</b>'),
                           date => '2024-03-01 09:30 +0200',
                           lastmod => '2024-03-02', tags => '[Café, C++]'),
        'draft.md' => post(title => 'Draft', date => '2024-02-01',
                           draft => 'true'),
        'future.md' => post(title => 'Later', date => '2999-01-01'),
        'bad.md' => "---\ntitle: [unclosed\n---\n",
        'untitled.md' => post(date => '2024-01-01'),
        "caf\xe9.md" => post(title => 'Latin-1 name', date => '2023-01-01'),
    );
    my $r = blog_check('--json', $d);

    is($r->{code}, 1, 'json: exit 1 on an error');
    is($r->{err}, '', 'json: nothing on stderr');

    my $j = eval { JSON::PP->new->utf8->decode($r->{out}) };
    ok($j, 'json: parses') or diag($@);
    $j //= {};

    is($j->{root}, realpath($d), 'json: root, resolved');
    is_deeply([map { $_->{slug} } @{$j->{posts}}],
              ['future', 'hello', 'draft', 'untitled', "caf\x{fffd}"],
              'json: every post read, newest first');

    my ($hello) = grep { $_->{slug} eq 'hello' } @{$j->{posts}};
    is_deeply($hello, {
        slug => 'hello', title => '"Quoted" \\ <b>&amp;</b>',
        date => '2024-03-01T09:30:00+02:00', lastmod => '2024-03-02T00:00:00Z',
        tags => ["Caf\x{e9}", 'C++'], reading_time => 1, file => 'hello.md',
        draft => JSON::PP::false, future => JSON::PP::false,
        published => JSON::PP::true,
    }, 'json: a post, strings escaped');

    my %flags = map {
        $_->{slug} => join(',', map { $_ ? 1 : 0 }
                                @{$_}{qw(draft future published)})
    } @{$j->{posts}};
    is_deeply(\%flags, {
        hello => '0,0,1', draft => '1,0,0', future => '0,1,0',
        untitled => '0,0,1', "caf\x{fffd}" => '0,0,1',
    }, 'json: draft, future and published flags');

    is_deeply([map { "$_->{file}:$_->{line}:$_->{level}" }
               @{$j->{problems}}],
              ['bad.md:3:error', 'draft.md:0:note', 'future.md:0:note',
               'untitled.md:0:warning'], 'json: problems by file');
    like($j->{problems}[0]{reason}, qr/^front matter is not valid YAML: /,
         'json: the reason, no level in it');
    is($j->{problems}[3]{reason},
       'no title in front matter, using "untitled"', 'json: a warning');
    is_deeply([@{$j}{qw(errors warnings notes)}], [1, 1, 2], 'json: counts');

    my $g = JSON::PP->new->utf8->decode(blog_check('--json', $good)->{out});
    is_deeply([map { "$_->{slug} $_->{date} $_->{reading_time} "
                     . join(',', @{$_->{tags}}) } @{$g->{posts}}],
              ['hello 2024-03-01T09:30:00+02:00 3 Rust,Next.js',
               'jekyll-style 2023-05-06T00:00:00Z 1 Web Dev,C++',
               'bundle 2022-12-31T23:00:00Z 7 go,hugo'],
              'json: the good folder matches the text');
    is_deeply([$g->{problems}, $g->{errors}, $g->{warnings}],
              [[], 0, 0], 'json: the good folder has no problem');
    is($g->{posts}[1]{file}, '_posts/2023-05-06-jekyll-style.markdown',
       'json: files relative to the root');

    my $dup = folder(
        'a/same.md' => post(title => 'New', date => '2024-02-01'),
        'b/same.md' => post(title => 'Old', date => '2024-01-01'),
    );
    $j = JSON::PP->new->utf8->decode(blog_check('--json', $dup)->{out});
    is($j->{problems}[0]{reason}, 'slug "same" is taken by "a/same.md", '
       . 'serving this post at "same-2024-01-01"',
       'json: files in reasons relative to the root');
}


# --- usage errors: exit 2

{
    my $file = "$good/hello.md";
    my $r;

    $r = blog_check('--help');
    is($r->{code}, 0, '--help: exit 0');
    like($r->{out}, qr/^usage: blog-check \[options\] DIR$/m,
         '--help: usage on stdout');

    for my $case (
        [[], 'no folder'],
        [['--bogus', $good], 'unknown option'],
        [['-x', $good], 'unknown short option'],
        [[$good, $good], 'two folders'],
        [['--words-per-minute', '0', $good], '--words-per-minute 0'],
        [['--words-per-minute', 'fast', $good], '--words-per-minute fast'],
        [[$good, '--words-per-minute'], '--words-per-minute with no value'],
        [['--max-post-size', '1x', $good], '--max-post-size 1x'],
        [['--max-post-size', '-1', $good], '--max-post-size -1'],
        [['--max-post-size=', $good], '--max-post-size='],
        [['--max-post-size', '99999999999999999999999', $good],
         '--max-post-size overflowing'],
    ) {
        my ($args, $name) = @$case;

        $r = blog_check(@$args);
        is($r->{code}, 2, "$name: exit 2");
        like($r->{err}, qr/^usage: blog-check/m, "$name: usage on stderr");
        is($r->{out}, '', "$name: nothing on stdout");
    }

    $r = blog_check("$tmp/nowhere");
    is($r->{code}, 2, 'missing folder: exit 2');
    is($r->{err}, "blog-check: $tmp/nowhere: " . strerror(ENOENT) . "\n",
       'missing folder: named, with the reason');

    $r = blog_check($file);
    is($r->{code}, 2, 'a file for a folder: exit 2');
    is($r->{err}, "blog-check: $file: " . strerror(ENOTDIR) . "\n",
       'a file for a folder: named, with the reason');

    $r = blog_check('--', $good);
    is($r->{code}, 0, '"--" ends the options');
}


# --- the Markdown of a body: a language not highlighted (a note, once
# for each language; "text" says "plain" on purpose), a heading id given
# twice and a footnote with no definition (warnings), each at its line;
# in strict CommonMark, neither syntax exists

{
    my $dir = folder('md.md' => post(title => 'Markdown', date => '2024-01-01',
                                     body => <<'END'));
Text[^nope] and[^1] and [link](x) [^also].

## One {#same}

## Two {#same}

```mermaid
graph
```

```mermaid
g2
```

```text
plain
```

```rust,ignore
fn main() {}
```

[^1]: A note.
END

    my $f = "$dir/md.md";
    my $r = blog_check($dir);

    is($r->{code}, 0, 'markdown: warnings and notes do not fail');
    is_deeply($r->{problems}, [
        "$f:5: warning: footnote \"[^nope]\" has no definition: it is shown"
            . ' as text',
        "$f:5: warning: footnote \"[^also]\" has no definition: it is shown"
            . ' as text',
        "$f:9: warning: heading id \"same\" is given twice; this heading gets"
            . ' "same-1"',
        "$f:11: note: code in \"mermaid\" is not highlighted: the language is"
            . ' not one the highlighter knows',
    ], 'markdown: each problem at its line, a language once');

    $r = blog_check('--markdown', 'commonmark', $dir);
    is_deeply($r->{problems}, [
        "$f:11: note: code in \"mermaid\" is not highlighted: the language is"
            . ' not one the highlighter knows',
    ], 'markdown: --markdown commonmark has no footnotes or heading ids');

    $r = blog_check('--markdown', 'kramdown', $dir);
    is($r->{code}, 2, 'markdown: --markdown takes gfm or commonmark');
}


# --- the corpus of real blogs, when ../shared is there

SKIP: {
    my $corpus = "$top/../shared/corpus";

    skip "no corpus at $corpus", 1 unless -d $corpus;

    my $date = qr/\d{4}-\d\d-\d\d \d\d:\d\d [+-]\d{4}/;
    my $post_line = qr/^[^\t]+\t$date\t[^\t]*\t\d+ min read$/;

    opendir my $dh, $corpus or die "$corpus: $!";
    my @blogs = sort grep { !/^\./ && -d "$corpus/$_" } readdir $dh;
    closedir $dh;

    for my $blog (@blogs) {
        my $r = blog_check("$corpus/$blog");
        my $n = @{$r->{posts}};

        is($r->{signal}, 0, "corpus $blog: no crash");
        ok($r->{code} == 0 || $r->{code} == 1, "corpus $blog: exit 0 or 1")
            or diag("exit $r->{code}: $r->{err}");

        my ($published, $errors) = ($r->{lines}[-1] // '')
            =~ /^(\d+) posts? published, (\d+) errors?,/;
        is($published, $n, "corpus $blog: one line per published post");
        is($r->{code}, $errors ? 1 : 0, "corpus $blog: exit follows errors");
        is(scalar @{$r->{lines}}, $n + @{$r->{problems}} + 1,
           "corpus $blog: posts, problems, summary and nothing else");
        is(scalar(grep { !/$post_line/ } @{$r->{posts}}), 0,
           "corpus $blog: every post line well formed");

        my %seen;
        my @dup = grep { $seen{(split /\t/)[0]}++ } @{$r->{posts}};
        is_deeply(\@dup, [], "corpus $blog: slugs are unique");

        my $j = eval { JSON::PP->new->utf8->decode(
                           blog_check('--json', "$corpus/$blog")->{out}) };
        ok($j, "corpus $blog: --json parses") or next;
        is(scalar(grep { $_->{published} } @{$j->{posts}}), $n,
           "corpus $blog: --json publishes as many");
        is(scalar @{$j->{problems}}, scalar @{$r->{problems}},
           "corpus $blog: --json has as many problems");

        diag("corpus $blog: $n posts published of "
             . scalar(@{$j->{posts}}) . "; $j->{errors} errors, "
             . "$j->{warnings} warnings, $j->{notes} notes");
    }
}


# --- old URLs: nginx lines for those outside the blog's location

my $moved;

{
    $moved = folder(
        'new.md' => post(title => 'New', date => '2024-02-01',
                         aliases => '[/posts/old/, /blog/2019/new/, rel, '
                                    . '/blog/, /blog]',
                         redirect_from => '"/feed/x;y.html"'),
        'older.md' => post(title => 'Older', date => '2024-01-01',
                           redirect_from => '[/posts/old/]',
                           permalink => '/:year/:title/'),
        'draft.md' => post(title => 'Draft', date => '2024-01-02',
                           draft => 'true', aliases => '[/drafted/]'),
    );

    my $r = blog_check('--nginx-redirects', '--location', '/blog/', $moved);

    is($r->{code}, 0, 'redirects: exit 0');
    is_deeply([grep { !/^#/ } @{$r->{lines}}], [
        'location = "/feed/x;y.html" { return 301 /blog/new/; }',
        'location = /posts/old { return 301 /blog/new/; }',
        'location = /posts/old/ { return 301 /blog/new/; }',
    ], 'redirects: outside the location only (never its own home), once '
       . 'each, to the newer post');

    $r = blog_check('--nginx-redirects', $moved);
    is_deeply([grep { !/^#/ } @{$r->{lines}}], [],
              'redirects: with the blog at /, the module answers them all');

    $r = blog_check($moved);
    is_deeply([grep { /old URL/ } @{$r->{problems}}], [
        "$moved/older.md: warning: old URL \"/posts/old\" is also claimed "
        . "by new.md, a newer post, which it redirects to",
    ], 'redirects: a URL two posts claim is a warning');

    $r = blog_check('--nginx-redirects', '--location', 'blog', $moved);
    is($r->{code}, 2, 'redirects: a location must start with a slash');
    like($r->{err}, qr/--location takes a path that starts with "\/"/,
         'redirects: and says so');

    for my $bad ('/blog/$uri', '/a b', '/x;y', '/#') {
        $r = blog_check('--nginx-redirects', '--location', $bad, $moved);
        is($r->{code}, 2, "redirects: location '$bad' is refused");
    }

    $r = blog_check($moved, '--location');
    is($r->{code}, 2, 'redirects: --location without its path: usage');
    is($r->{signal}, 0, '... not a crash');
}


# --- no memory error, no leak

SKIP: {
    my $valgrind = (grep { -x "$_/valgrind" } split /:/, $ENV{PATH})[0];

    skip 'valgrind is not installed', 1 unless $valgrind;

    my @vg = ("$valgrind/valgrind", '-q', '--leak-check=full',
              '--error-exitcode=99');
    my @runs = ([$good], ['--json', $good], ['--json', $mixed]);
    my $corpus = "$top/../shared/corpus/rust-blog";

    push @runs, [$corpus] if -d $corpus;

    for my $args (@runs) {
        my $r = check(@vg, $bin, @$args);
        my $err = $r->{err};

        # valgrind 3.19 (Debian 12) knows no openat2() (437 on amd64): it says
        # so once and fails the call, and the posts are opened without it
        $err =~ s/^--\d+--\ WARNING:\ unhandled\ \S+\ syscall:\ 437\n
                  (?:--\d+--\ (?!WARNING).*\n){0,4}//mx;

        ok($r->{code} == 0 || $r->{code} == 1, "valgrind @$args: clean")
            or diag($r->{err});
        is($err, '', "valgrind @$args: nothing reported");
    }
}

done_testing();
