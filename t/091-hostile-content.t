# Hostile content in the folder of posts: Markdown that is slow for cmark,
# the inputs of cmark-gfm's advisories (tables, autolinks, strikethrough,
# footnotes, nesting), front matter built to exhaust a YAML parser (20,000
# levels, an alias bomb, a 64 MB scalar), bytes that are not UTF-8, NUL
# bytes, a BOM, CRLF, tabs in YAML, and posts that are not files (a folder,
# a FIFO), cannot be read (mode 000), vanish between the scan and the
# request, or are 2 GB.  Slow posts answer within a bound (a TODO where
# Debian's cmark-gfm is too slow) and do not hold up other requests; bad
# posts are 404 or served as each case says, with one error-log line that
# names the file; the good posts still serve; nothing leaks, no 5xx.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use POSIX qw(mkfifo);
use Test::Blog qw(write_file);
use Test::Blog::Util qw(start_nginx poll start_children);
use Test::More;
use Time::HiRes qw(sleep time);

my $RUN = sprintf "%08x%04x", int(rand(0xffffffff)), $$ & 0xffff;

my $FIRST_RENDER = 2;       # seconds a slow post may take, rendered alone
my $LISTING = 5;            # seconds for the feed: every post's body at once
my $BESIDE_SLOW = 0.1;      # seconds a good post may take meanwhile

my $KB = 1024;
my $GFM_MAX = 1023 * $KB;   # a body that fits blog_max_post_size 1m

my $CONFIG = <<'END';
location /blog/ {
    blog $CONTENT;
}

location /big/ {
    blog $PREFIX/big;
    blog_max_post_size 100m;
}

location /gfm/ {
    blog $PREFIX/gfm;
}

location /caps/ {
    blog $PREFIX/caps;
    blog_max_front_matter_size 1k;
    blog_max_front_matter_depth 4;
}
END

my @GOOD = (['good-one', 'Good One'], ['good-two', 'Good Two'],
            ['good-three', 'Good Three']);


# Markdown that makes naive parsers quadratic or deeply recursive, each
# under blog_max_post_size 1m with its front matter.
my %SLOW = (
    'slow-brackets'  => '[' x 50000,
    'slow-emphasis'  => '*a **a ' x 40000,
    'slow-quotes'    => '>' x 50000,
    'slow-backticks' => join(' ', map { '`' x $_ } 1 .. 1000),
    'slow-angles'    => '<' x 50000,
    'slow-links'     => '[a](' x 20000,
    'slow-lists'     => join('', map { ('  ' x $_) . "- a\n" } 0 .. 600),
    'slow-line'      => 'word ' x 180000,
    'slow-alternate' => '*_' x 200000,
    'slow-entities'  => '&#' x 200000,
    'slow-refs'      => join('', map { "[r$_]: /u$_\n" } 1 .. 10000) . "\n"
                        . join(' ', map { "[r$_]" } 1 .. 10000),
    'slow-pipes'     => join('', map { ('| a ' x 50) . "|\n"
                                       . ('|---' x 50) . "|\n" } 1 .. 1000),
);

# The inputs of cmark-gfm's advisories of 2020-2023, in a blog of their
# own (/gfm/: its feed holds all their bodies, which no bound here fits).
# [slug, advisory, the extension it needs ('' for none), body size,
# markdown of about that size, the release that fixed it upstream when
# Debian 12's build (0.29.0.gfm.6-6) is still polynomial on it, and
# whether the module shows it as text: its Markdown builds more than the
# renderer's budget].  Sizes: 2 to 3 s in Debian's build with the
# extensions on; at 1m, hours.  Where the module renders without the
# extension a case needs, the case is plain Markdown, and fast.

my @GFM = (
    # each short row of a table of n columns gets n cells: n^2 nodes (in
    # Debian's build a 20 KB post takes 43 s and 2.7 GB, 64 KB all memory):
    # past the renderer's budget, shown as text
    ['columns-rows', 'CVE-2023-37463', 'table', 64 * $KB,
     sub { my $n = int($_[0] / 6);
           '|' . ('x|' x $n) . "\n|" . ('-|' x $n) . "\n" . ("a\n" x $n) },
     undef, 1],
    ['table-gt', 'CVE-2023-22483', 'table', 26 * $KB,
     sub { fill($_[0], "|-\nt>|-\n") . "y\n" }, 'gfm.7'],
    ['strike', 'CVE-2023-22483', 'strikethrough', 80 * $KB,
     sub { '~e' . fill($_[0], ',z~~') }, 'gfm.7'],
    ['www-underscores', 'CVE-2023-22483', 'autolink', 64 * $KB,
     sub { fill($_[0], 'z_www.') }, 'gfm.7'],
    ['dash-newlines', 'CVE-2023-24824', '', 28 * $KB,
     sub { pair($_[0], ' -', "\n", 'x') }, 'gfm.10'],
    ['quote-emphasis', 'CVE-2023-24824', '', 44 * $KB,
     sub { pair($_[0], '>', 'a*') }, 'gfm.10'],
    ['processing', 'CVE-2023-22483', '', 110 * $KB,
     sub { '-1' . fill($_[0], '<?x') . 'y' }, 'gfm.7'],
    # fast, but every link repeats the whole title: 4 KB make a 4 MB page,
    # and at 100 KB cmark-gfm aborts (a buffer over 1 GB), taking the
    # worker with it: past the renderer's budget, shown as text
    ['ref-titles', 'CVE-2023-22483', '', 100 * $KB,
     sub { "[f]:u\n\"\n" . fill($_[0], "[f]\n") . "[f]:u \"t\n" },
     undef, 1],

    # linear in Debian's build: at the size limit, or near it
    ['bang-brackets', 'CVE-2022-39209', 'autolink', $GFM_MAX,
     sub { fill($_[0], '![l') }],
    ['table-cr', 'CVE-2020-5238', 'table', 512 * $KB,
     sub { fill($_[0], "aaa\rbbb\n-\x0b\n") }],
    ['footnote-defs', 'CVE-2023-37463', 'footnotes', $GFM_MAX,
     sub { pair($_[0], "[^1]:\n", "\n") }],
    # every reference gets a link back: 256 KB make a 12 MB page, 1m 48 MB
    ['footnote-refs', '', 'footnotes', 256 * $KB,
     sub { fill($_[0] - 20, '[^a] ') . "\n\n[^a]: A note.\n" }],
    ['comments', 'CVE-2023-22484', '', $GFM_MAX,
     sub { '</' . fill($_[0], '<!--') }],
    ['underscores', 'CVE-2023-26485', '', $GFM_MAX,
     sub { pair($_[0], '_', '_', '.') }],
    ['tasks', '', 'tasklist', $GFM_MAX, sub { fill($_[0], "- [ ] a\n") }],
);

# One post with every extension: the page shows which the module renders.
my $PROBE = <<'END';
| a | b |
|---|:-:|
| c | d |

~~gone~~ www.example.com

- [ ] task

A note.[^n]

[^n]: The note.
END

my %EXTENSION = (
    table         => qr/<table>/,
    strikethrough => qr{<del>gone</del>},
    autolink      => qr{<a href="http://www\.example\.com">},
    tasklist      => qr/<input [^>]*type="checkbox"/,
    footnotes     => qr/data-footnote|class="footnotes"/,
);

my $LAUGHS = join "\n", 'a: &a [' . join(',', ('"lol"') x 9) . ']',
    map { my ($x, $p) = @$_; "$x: &$x [" . join(',', ("*$p") x 9) . ']' }
        [b => 'a'], [c => 'b'], [d => 'c'], [e => 'd'], [f => 'e'],
        [g => 'f'], [h => 'g'], [i => 'h'];

# [file, content, expectation, what the page must show when served]
# expectation: 404 (skipped: one "skipped" line names the file) or 200
# (served; no line needs to name it).
my @HOSTILE = (
    ['deep-yaml.md', "---\ntitle: Deep\na: " . ('[' x 20000) . (']' x 20000)
                     . "\n---\n", 404, undef, qr/nest|deep|depth/i],
    # 5,000 levels in 25 KB: under the size cap, over the depth cap
    ['deep-flow-map.md', "---\ntitle: Deep map\na: " . ('{a: ' x 5000)
                         . '1' . ('}' x 5000) . "\n---\n", 404, undef,
     qr/nest|deep|depth/i],
    # aliases are never expanded; unknown keys are skipped: served
    ['laughs.md', "---\ntitle: Laughs\n$LAUGHS\n---\n", 200,
     qr{<h1 class="post-title">Laughs</h1>}],
    # an alias where a list of tags belongs: served, the bomb unexpanded
    ['laughs-tags.md', "---\ntitle: Laughs tags\n$LAUGHS\ntags: *i\n---\n",
     200, qr{<h1 class="post-title">Laughs tags</h1>}],
    ['wide-yaml.md', "---\ntitle: Wide\nblob: " . ('x' x 70000) . "\n---\n",
     404, undef, qr/front matter/i],
    ['fm-bad-utf8.md', "---\ntitle: Bad \xc3\x28 title\n---\n", 404],
    ['fm-overlong.md', "---\ntitle: Overlong \xc0\xae\xc0\xae\n---\n", 404],
    ['body-bad-utf8.md', "---\ntitle: Bad body\n---\nA surrogate \xed\xa0\x80"
                         . " and five bytes \xf8\x88\x80\x80\x80.\n", 404],
    ['fm-nul.md', "---\ntitle: Nul\0title\n---\n", 404],
    # U+0000 is UTF-8; CommonMark replaces it with U+FFFD: served
    ['body-nul.md', "---\ntitle: Nul body\n---\nA NUL \0 here.\n", 200,
     qr{<h1 class="post-title">Nul body</h1>}],
    # editors on Windows write a BOM: the front matter still counts
    ['bom.md', "\xef\xbb\xbf---\ntitle: BOM Post\ndate: 2024-02-01\n---\n",
     200, qr{<h1 class="post-title">BOM Post</h1>}],
    ['crlf.md', "---\r\ntitle: CRLF Post\r\ndate: 2024-02-02\r\n"
                . "tags: [Crlf]\r\n---\r\nLine one.\r\nLine two.\r\n", 200,
     qr{(?s)<h1\ class="post-title">CRLF\ Post</h1>
            .*<time\ datetime="2024-02-02T00:00:00Z"
            .*href="/blog/tags/crlf/"}x],
    ['yaml-tabs.md', "---\ntitle: Tabs\ntags:\n\t- a\n\t- b\n---\n", 404],
    ['shallow.md', "---\ntitle: Shallow\na: " . ('[' x 10) . (']' x 10)
                   . "\n---\n", 200,
     qr{<h1 class="post-title">Shallow</h1>}],
);

my %CAPS = (
    'caps-ok.md'    => ["---\ntitle: Caps OK\ntags: [x]\n---\n", 200],
    'caps-size.md'  => ["---\ntitle: Caps size\nblob: " . ('y' x 2000)
                        . "\n---\n", 404, qr/front matter.*1024/i],
    'caps-depth.md' => ["---\ntitle: Caps depth\na: [[[[[[1]]]]]]\n---\n",
                        404, qr/front matter.*(?:deep|depth|nest)/i],
);

my $HUGE = 64 * 1024 * 1024;


my $SETUP = sub {
    my ($blog) = @_;
    my $content = $blog->content;
    my $prefix = $blog->prefix;
    my $day = 10;

    for (@GOOD) {
        my ($slug, $title) = @$_;
        write_file("$content/$slug.md", "---\ntitle: $title\n"
                   . "date: 2024-01-" . $day++ . "\n---\nStill here.\n");
    }

    $day = 10;
    for my $slug (sort keys %SLOW) {
        write_file("$content/$slug.md", "---\ntitle: \u$slug\n"
                   . "date: 2023-06-" . $day++ . "\n---\n$SLOW{$slug}\n");
        die "$slug.md is over 1m\n" if -s "$content/$slug.md" > 1024 * 1024;
    }

    # a description, so that the scan does not parse their bodies: here
    # the renders are checked
    mkdir "$prefix/gfm" or die "mkdir gfm: $!\n";
    write_file("$prefix/gfm/fine.md", "---\ntitle: Fine\n---\nFine.\n");
    write_file("$prefix/gfm/probe.md", "---\ntitle: Probe\n---\n$PROBE");

    for (@GFM) {
        my ($slug, undef, undef, $size, $markdown, $fixed) = @$_;

        # the polynomial ones a fourth the size under a sanitizer or
        # valgrind, which make cmark-gfm several times slower
        $size = int($size / 4) if $fixed && Test::Blog::Nginx->mode;

        write_file("$prefix/gfm/$slug.md", "---\ntitle: \u$slug\n"
                   . "description: $slug\n---\n" . $markdown->($size)
                   . "\n\nThe end of $slug.\n");
        die "gfm/$slug.md is over 1m\n"
            if -s "$prefix/gfm/$slug.md" > 1024 * 1024;
    }

    for (@HOSTILE) {
        my ($file, $text) = @$_;
        write_file("$content/$file", $text . "MARKER_$file" . "_$RUN\n");
    }

    # not posts: a folder, a FIFO, a file no worker can read, 2 GB
    mkdir "$content/dir.md" or die "mkdir dir.md: $!\n";
    mkfifo("$content/fifo.md", 0644) or die "mkfifo fifo.md: $!\n";

    write_file("$content/secret.md", "---\ntitle: Secret\n---\n"
               . "MARKER_secret.md_$RUN\n");
    chmod 0000, "$content/secret.md" or die "chmod secret.md: $!\n";

    open my $fh, '>', "$content/big.md" or die "big.md: $!\n";
    print {$fh} "---\ntitle: Big\n---\nMARKER_big.md_$RUN\n";
    truncate($fh, 2 * 1024 * 1024 * 1024) or die "truncate big.md: $!\n";
    close $fh;

    # a 64 MB scalar in the front matter, where only the front-matter cap
    # stops it
    mkdir "$prefix/big" or die "mkdir big: $!\n";
    write_file("$prefix/big/fine.md", "---\ntitle: Fine\n---\nFine.\n");

    open $fh, '>', "$prefix/big/huge.md" or die "huge.md: $!\n";
    print {$fh} "---\ntitle: Huge\nbig: \"";
    print {$fh} 'x' x (1024 * 1024) for 1 .. $HUGE / (1024 * 1024);
    print {$fh} "\"\n---\nMARKER_huge.md_$RUN\n";
    close $fh or die "huge.md: $!\n";

    mkdir "$prefix/caps" or die "mkdir caps: $!\n";
    for my $file (keys %CAPS) {
        write_file("$prefix/caps/$file", $CAPS{$file}[0]
                   . "MARKER_$file" . "_$RUN\n");
    }
};


# workers that are not root, so that mode 000 keeps a file out
my $blog = start_nginx(main_config => 'user nobody nogroup;',
                       config => $CONFIG, setup => $SETUP);

if (!$blog) {
    done_testing();
    exit;
}

my @responses;              # every response, for the 5xx and leak checks
my @named;                  # the files the log must name once

sub get {
    my ($uri, %headers) = @_;
    my $start = time;
    my $r = $blog->get($uri, %headers);

    $r->{elapsed} = time - $start;
    $r->{uri} = $uri;
    push @responses, $r;
    return $r;
}


# Every worker builds its first index in its thread pool: wait for one,
# then give the other time to finish its own.

my ($ready, $took) = poll(30, sub { (get('/blog/good-one/')->{status} // 0)
                                    == 200 });
ok($ready, 'the blog serves a good post beside the hostile ones')
    or BAIL_OUT('the blog never served');
note(sprintf "the first index took %.2f s", $took);

poll(10, sub { 6 == grep { get('/blog/good-two/')->{status} == 200 } 1 .. 6 });

if ($> == 0) {
    my @users = map { `ps -o user= -p $_` =~ /(\S+)/ ? $1 : '?' }
                    $blog->workers;
    ok(!grep({ $_ eq 'root' } @users), 'the workers do not run as root,'
                                       . ' so mode 000 is unreadable')
        or diag("workers run as: @users");
}


# Slow Markdown, each alone: answered within $FIRST_RENDER; the listings
# of them within $LISTING (the feed holds the bodies of all of them).  The
# cache is off, so every request renders; the machine may be busy with
# other work, so a page gets up to 3 tries and its fastest counts (a
# render that is slow by itself is slow every time).

my %render;

for my $uri ((map { "/blog/$_/" } sort keys %SLOW), '/blog/',
             '/blog/feed.xml', '/blog/sitemap.xml', '/blog/tags/crlf/')
{
    my $bound = $uri =~ m{^/blog/slow-} ? $FIRST_RENDER : $LISTING;
    my @times;
    my $r;

    for (1 .. 3) {
        $r = get($uri);
        push @times, $r->{elapsed};
        last if $r->{status} != 200 || $r->{elapsed} < $bound;
    }

    my ($best) = sort { $a <=> $b } @times;
    $render{$uri} = \@times;

    is($r->{status}, 200, "GET $uri is 200");
    ok($best < $bound, sprintf("$uri renders in under %g s", $bound))
        or diag(sprintf "it took %s s", join ', ', map { sprintf '%.3f', $_ }
                                                       @times);
}

note(join "\n", 'render times (s), first try first:',
     map { sprintf "  %-24s %s", $_, join ' ', map { sprintf '%.3f', $_ }
                                                   @{ $render{$_} } }
         sort { $render{$b}[0] <=> $render{$a}[0] } keys %render);


# While a child keeps the slow posts rendering, a good post answers within
# $BESIDE_SLOW, each time on a fresh connection so both workers get some.
# A render that holds up other requests (on a worker's event loop, or in
# a thread they queue behind) holds up several in every round.  The
# render takes a CPU, and on a busy machine with 2 of them the worker now
# and then waits for one: one request of a round may be slow, and the
# best of up to 3 rounds counts.

my @rounds;

for my $round (1 .. 3) {
    my $busy_until = time + 2;
    my $wait = start_children(1, sub {
        my $n = 0;
        my $max = 0;

        while (time < $busy_until) {
            for my $slug (sort keys %SLOW) {
                my $start = time;
                my $r = $blog->get("/blog/$slug/");
                $max = time - $start if time - $start > $max;
                $n++;
                return { error => "$slug: $r->{status}" }
                    if $r->{status} != 200;
                last if time >= $busy_until;
            }
        }

        return { renders => $n, max => $max };
    }, 10);

    sleep 0.2;

    my @beside;
    my @bad;

    for (1 .. 25) {
        my $r = get('/blog/good-three/');
        push @beside, $r->{elapsed};
        push @bad, $r->{status} if $r->{status} != 200;
        sleep 0.05;
    }

    my ($child) = $wait->();
    my @sorted = sort { $a <=> $b } @beside;

    push @rounds, { %$child, bad => \@bad, median => $sorted[$#sorted / 2],
                    second => $sorted[-2], max => $sorted[-1],
                    slow => scalar grep { $_ >= $BESIDE_SLOW } @sorted };

    note(sprintf "round %d: while %d slow renders ran (slowest %.3f s),"
                 . " %d requests to a good post took median %.4f s, max"
                 . " %.4f s, next to max %.4f s; %d over %g s", $round,
         $child->{renders} // 0, $child->{max} // 0, scalar @sorted,
         $sorted[$#sorted / 2], $sorted[-1], $sorted[-2],
         $rounds[-1]{slow}, $BESIDE_SLOW);

    last if $sorted[-2] < $BESIDE_SLOW || $child->{error} || @bad;
}

my ($best) = sort { $a->{second} <=> $b->{second} } @rounds;

ok(!grep({ $_->{error} } @rounds), 'the slow posts kept answering 200')
    or diag(join "\n", map { $_->{error} // () } @rounds);
ok(!grep({ @{ $_->{bad} } } @rounds), 'the good post kept answering 200')
    or diag(join "\n", map { "@{ $_->{bad} }" } @rounds);
ok($best->{second} < $BESIDE_SLOW,
   sprintf("a good post answers in under %g s while slow posts render"
           . " (all requests of a round but one)", $BESIDE_SLOW))
    or diag(join "\n", map { sprintf "round: median %.4f s, max %.4f s,"
                                     . " %d over %g s", $_->{median},
                                     $_->{max}, $_->{slow}, $BESIDE_SLOW }
                            @rounds);


# cmark-gfm's advisories, each post alone while a child asks for a good
# post of the same blog every 50 ms: the slow post answers 200 with all of
# its body, the good post all but once within $BESIDE_SLOW (a post's
# render holds up no other request), up to 3 tries as above.  Within
# $FIRST_RENDER too, but that is a TODO where Debian's cmark-gfm is still
# polynomial and the module renders with the extension the input needs.

my $probe = get('/gfm/probe/');
is($probe->{status}, 200, 'GET /gfm/probe/, a post with every extension,'
                          . ' is 200');

my %on = map { $_ => scalar(($probe->{body} // '') =~ $EXTENSION{$_}) }
             keys %EXTENSION;

note('the module renders with: '
     . (join(', ', grep { $on{$_} } sort keys %on) || 'no extension'));

my @workers = sort { $a <=> $b } $blog->workers;
my %gfm;

for (@GFM) {
    my ($slug, $advisory, $ext, undef, undef, $fixed, $as_text) = @$_;
    my $what = "/gfm/$slug/ ("
               . join(', ', grep { $_ } $advisory,
                      $ext && ($on{$ext} ? $ext : "$ext off")) . ')';
    my $todo = $fixed && (!$ext || $on{$ext})
               && "Debian's cmark-gfm 0.29.0.gfm.6 has no fix for $advisory"
                  . " (0.29.0.$fixed has)";
    my @tries;

    for (1 .. 3) {
        my ($r, $beside) = while_asking('/gfm/fine/',
                                        sub { get("/gfm/$slug/") });
        my @sorted = sort { $a <=> $b } @{ $beside->{times} };

        push @tries, { r => $r, bad => $beside->{bad}, n => scalar @sorted,
                       second => @sorted > 1 ? $sorted[-2] : 0 };

        last if ($r->{status} // 0) != 200;

        # a render the library makes slow is slow every time
        last if $tries[-1]{second} < $BESIDE_SLOW && !@{ $beside->{bad} }
                && ($r->{elapsed} < $FIRST_RENDER || $todo);
    }

    my $r = $tries[-1]{r};
    my ($fastest) = sort { $a <=> $b } map { $_->{r}{elapsed} } @tries;
    my ($best) = sort { @{ $a->{bad} } <=> @{ $b->{bad} }
                        || $a->{second} <=> $b->{second} } @tries;

    $gfm{$slug} = [map { $_->{r}{elapsed} } @tries];

    is($r->{status}, 200, "GET $what is 200")
        or diag($r->{error} // "status $r->{status}");
    # not like(): a failure would print the whole page
    if ($as_text) {
        ok(($r->{body} // '')
               =~ m{<pre class="source">[^<]*The end of \Q$slug\E\.\n?</pre>},
           "$what shows its Markdown as text, to the end");
        ok(scalar(grep { /\[warn\].*"[^"]*\/\Q$slug\E\.md" is shown as text:/ }
                  split /\n/, $blog->log),
           "$what: the error log says it is shown as text, and why");
    } else {
        ok(($r->{body} // '') =~ m{<p>The end of \Q$slug\E\.</p>},
           "$what shows its body to the end");
    }
    ok(!@{ $best->{bad} } && $best->{second} < $BESIDE_SLOW,
       sprintf("while $what renders, a good post answers 200 in under %g s"
               . " (all requests but one)", $BESIDE_SLOW))
        or diag(join "\n", map { sprintf "try: %d requests, next to max"
                                          . " %.4f s, not 200: %s", $_->{n},
                                          $_->{second}, "@{ $_->{bad} }" }
                               @tries);

    TODO: {
        local $TODO = $todo if $todo;

        ok($fastest < $FIRST_RENDER,
           sprintf("$what renders in under %g s", $FIRST_RENDER))
            or diag(sprintf "it took %s s", join ', ',
                            map { sprintf '%.3f', $_ } @{ $gfm{$slug} });
    }
}

note(join "\n", 'cmark-gfm render times (s), first try first:',
     map { sprintf "  %-32s %s", "/gfm/$_/", join ' ',
                   map { sprintf '%.3f', $_ } @{ $gfm{$_} } }
         sort { $gfm{$b}[0] <=> $gfm{$a}[0] } keys %gfm);

is_deeply([sort { $a <=> $b } $blog->workers], \@workers,
          'no worker died rendering them');

my @alerts = $blog->bad_log_lines;
ok(!@alerts, 'no [alert], [crit] or [emerg] line in the log so far')
    or diag(join "\n", @alerts > 10 ? @alerts[0 .. 9] : @alerts);


# Hostile front matter and bodies.

for (@HOSTILE) {
    my ($file, undef, $want, $like, $reason) = @$_;
    (my $slug = $file) =~ s/\.md$//;
    my $r = get("/blog/$slug/");

    is($r->{status}, $want, "$file: GET /blog/$slug/ is $want");

    if ($want == 200) {
        like($r->{body}, $like, "$file: the page shows it");
        unlike($r->{body}, qr/\0/, "$file: the page holds no NUL byte");
        next;
    }

    skipped_once($file, $reason);
}


# Front-matter caps: the defaults above, the directives here.

for my $file (sort keys %CAPS) {
    my (undef, $want, $reason) = @{ $CAPS{$file} };
    (my $slug = $file) =~ s/\.md$//;
    my $r = get("/caps/$slug/");

    is($r->{status}, $want, "$file: GET /caps/$slug/ is $want with"
                            . " blog_max_front_matter_size 1k and _depth 4");
    skipped_once($file, $reason) if $want == 404;
}

is(get('/big/fine/')->{status}, 200, 'a post beside a 64 MB one is 200');
is(get('/big/huge/')->{status}, 404, 'a post with 64 MB of front matter'
                                     . ' is 404');
skipped_once('huge.md', qr/front matter.*(?:too large|larger than)/i);


# Posts that are not files, or cannot be read.

is(get('/blog/dir/')->{status}, 404, 'a folder named dir.md is no post: 404');
# a folder is walked as a folder (a bundle is one): no line needs to name it

is(get('/blog/fifo/')->{status}, 404, 'a FIFO named fifo.md is 404');
named_once('fifo.md');

is(get('/blog/secret/')->{status}, 404, 'an unreadable post is 404');
named_once('secret.md');

is(get('/blog/big/')->{status}, 404, 'a 2 GB post is 404');
skipped_once('big.md', qr/blog_max_post_size|large/i);


# A post that vanishes between the scan and the request.

my $vanish = $blog->content . '/vanish.md';
write_file($vanish, "---\ntitle: Vanish\n---\nMARKER_vanish.md_$RUN\n");

my ($shown) = poll(5, sub { get('/blog/vanish/')->{status} == 200
                            && get('/blog/')->{body} =~ />Vanish</ });
ok($shown, 'a new post shows, and the index lists it, within 5 s');

unlink $vanish or die "unlink $vanish: $!\n";

# The index still lists it until the next scan, but a post page reads its
# source again: 404 at once, on either worker.
my @right_after = map { get('/blog/vanish/')->{status} } 1 .. 6;
ok(!grep({ $_ != 404 } @right_after),
   'right after it vanished, the post is 404 (6 requests)')
    or diag("statuses: @right_after");

my ($unlisted) = poll(5, sub {
    6 == grep { get('/blog/')->{body} !~ />Vanish</ } 1 .. 6;
});
ok($unlisted, 'within 5 s of vanishing, no index lists the post');


# The good posts, and what no page may carry.

for (@GOOD) {
    my ($slug, $title) = @$_;
    my $r = get("/blog/$slug/");

    is($r->{status}, 200, "at the end, GET /blog/$slug/ is 200");
    like($r->{body}, qr{<h1 class="post-title">\Q$title\E</h1>},
         "at the end, /blog/$slug/ shows its title");
}

get($_) for qw(/blog/ /blog/feed.xml /blog/sitemap.xml /blog/tags/ /caps/
               /big/ /big/feed.xml);

my %served = map { $_->[0] => 1 } grep { $_->[2] == 200 } @HOSTILE;
$served{$_} = 1 for 'caps-ok.md', 'vanish.md';
my @leaks;

for my $r (@responses) {
    for my $m ($r->{body} =~ /MARKER_([\w.-]+?)_$RUN/g) {
        push @leaks, "$r->{uri} holds the content of $m" unless $served{$m};
    }
}

ok(!@leaks, 'no page holds the content of a post that was not served')
    or diag(join "\n", @leaks);

# Rescans saw every bad file again since: still one line each.
my $log = $blog->log;
my @twice = grep { my $f = $_;
                   (() = $log =~ /blog: (?:skipped )?"[^"]*\/\Q$f\E"/g) != 1 }
                 @named;
ok(!@twice, 'after ' . int(time - $^T) . ' s of rescans, each bad file is'
            . ' named once in the log')
    or diag("named more or less than once: @twice");

my @errors = map { "$_->{uri}: $_->{status}" }
             grep { ($_->{status} // 599) >= 500 } @responses;
ok(!@errors, 'no response was 5xx (' . scalar(@responses) . ' requests)')
    or diag(join "\n", @errors);

$blog->stop;

done_testing();


# One "skipped" line names FILE with a reason (like REASON when given).

sub skipped_once {
    my ($file, $reason) = @_;
    my $re = qr/blog: skipped "[^"]*\/\Q$file\E", line \d+: (.+)/;
    my @lines;

    poll(3, sub { @lines = grep { /$re/ } split /\n/, $blog->log });

    push @named, $file;
    is(scalar @lines, 1, "$file: one error-log line says it was skipped")
        or diag(@lines ? join "\n", @lines
                       : "the log:\n" . tail($blog->log));
    return unless @lines;

    my ($why) = $lines[0] =~ $re;
    note("$file: $why");
    like($why, $reason, "$file: the line gives the reason") if $reason;
}


# One line names FILE with a reason: skipped, or a warning.

sub named_once {
    my ($file) = @_;
    my $re = qr/blog: (?:skipped )?"[^"]*\/\Q$file\E"(?:, line \d+)?: (.+)/;
    my @lines;

    poll(3, sub { @lines = grep { /$re/ } split /\n/, $blog->log });

    push @named, $file;
    is(scalar @lines, 1, "$file: one error-log line names it with a reason")
        or diag(@lines ? join "\n", @lines
                       : "the log:\n" . tail($blog->log));

    note("$file: " . ($lines[0] =~ $re)[0]) if @lines;
}


# (CODE's value, { times, bad }): while CODE runs, a child asks for URI
# every 50 ms, each time on a fresh connection: the seconds each request
# took, and what came back when it was not 200.

sub while_asking {
    my ($uri, $code) = @_;
    my $stop = $blog->prefix . '/stop-asking';

    unlink $stop;

    my $wait = start_children(1, sub {
        my (@times, @bad);

        until (-e $stop) {
            my $start = time;
            my $r = $blog->get($uri);

            push @times, time - $start;
            push @bad, $r->{status} // $r->{error}
                if ($r->{status} // 0) != 200;
            sleep 0.05;
        }

        return { times => \@times, bad => \@bad };
    }, 60);

    my $value = $code->();

    write_file($stop, '');
    my ($child) = $wait->();

    return ($value, { times => $child->{times} // [],
                      bad => $child->{bad} // [$child->{error}] });
}


# UNIT repeated to at most SIZE bytes.

sub fill {
    my ($size, $unit) = @_;
    return $unit x int($size / length $unit);
}


# OPEN n times, MID, CLOSE n times: at most SIZE bytes.

sub pair {
    my ($size, $open, $close, $mid) = @_;
    my $n = int(($size - length($mid // '')) / length($open . $close));

    return ($open x $n) . ($mid // '') . ($close x $n);
}


sub tail {
    my ($text) = @_;
    my @lines = split /\n/, $text;
    splice @lines, 0, -40 if @lines > 40;
    return join "\n", @lines;
}
