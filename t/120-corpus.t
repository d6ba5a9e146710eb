# Real blogs, served as they are: the posts of four public Jekyll, Hugo,
# Go and Rust-generator blogs (../shared/corpus, beside the repository;
# each folder's SOURCE.txt says where it comes from and how the original
# site maps files to URLs).  For each folder, Test::Blog::Corpus works out
# in Perl what the original generator would publish, and this file checks
# that the module serves the same blog:
#
#   - every post is at /blog/SLUG/ with status 200, a whole page, its
#     title in <h1 class="post-title"> and its date in <time datetime>;
#   - the index, page after page, lists exactly those posts, newest first
#     (posts of one instant in any order), each card with the post's
#     title and, when the front matter has one, its summary;
#   - a page the generator turns into a redirect (Go's "redirect:")
#     still leads to its target;
#   - Jekyll's Liquid and Hugo's shortcodes run as their generators run
#     them: no raw "{% %}", "{{< >}}" or "{{% %}}" is left in any post but
#     the literals their authors escaped ({% raw %}, "{{</* */>}}"), and
#     the unknown, site-specific ones are removed and logged; with a theme
#     of its own "gh" shortcode, the Hugo blog's "{{< gh 1234 >}}" are
#     links; Go template actions and Hugo's "{{ .Title }}" come out as
#     text (HTML-escaped), not as template output or a broken page;
#   - a file that is not served is not a post for the generator either, or
#     the error log names it;
#   - the Markdown comes out as the generators render it: no raw pipe
#     table, footnote marker or ~~ in any post's visible text, every body
#     heading with an id unique in its page, and highlighted code in every
#     post whose code blocks name a language the module highlights.
#
# Where the module and the generator disagree, the test takes the
# generator's side; the diagnostics name the file, what the generator
# does and what the module did, and one line per folder counts files,
# posts and skipped files.  Skipped when ../shared/corpus is absent or
# YAML::XS (Debian: libyaml-libyaml-perl) is not installed.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use Cwd qw(abs_path);
use Encode qw(decode);
use Test::More;
use Time::HiRes qw(time);

use Test::Blog ();
use Test::Blog::Util qw(start_nginx poll);

my $ROOT = abs_path("$FindBin::Bin/..");
my $CORPUS = abs_path("$ROOT/../shared/corpus") // "$ROOT/../shared/corpus";

# How many lines of one kind of discrepancy to print.
my $SHOW = 12;

# The languages the module highlights, of those the four blogs use and
# those README lists.
my %HIGHLIGHTED = map { $_ => 1 } qw(
    rust console shell sh bash go toml yaml c json ruby javascript html diff
    sql python css cpp java typescript dockerfile nginx
);

plan skip_all => "no real-blog corpus: $ROOT/../shared/corpus is absent"
    unless -d $CORPUS;

plan skip_all => 'YAML::XS is not installed (Debian: libyaml-libyaml-perl);'
                 . ' the expected model reads front matter with it'
    unless eval { require YAML::XS; 1 };

require Test::Blog::Corpus;
Test::Blog::Corpus->import(qw(model generator_of parse_rfc3339 html_text));

my $module = Test::Blog::module_path();
if (defined $module && !-f $module) {
    fail("the module $module is built");
    diag("run 'make' first");
    done_testing();
    exit;
}

opendir my $dh, $CORPUS or die "cannot read $CORPUS: $!\n";
my @folders = sort grep { !/^\./ && -d "$CORPUS/$_" } readdir $dh;
closedir $dh;

my $started = time;

for my $name (@folders) {
    my $generator = generator_of($name);

    if (!$generator) {
        note("$name: no generator rules for this folder; not checked");
        next;
    }

    subtest "$name ($generator)" => sub {
        check_corpus($name, $generator, "$CORPUS/$name");
    };
}

note(sprintf 'the corpus took %.1f s', time - $started);

done_testing();


sub check_corpus {
    my ($name, $generator, $root) = @_;

    ok(-f "$root/SOURCE.txt", "$name has a SOURCE.txt");

    my $model = model($generator, $root);
    my @posts = @{ $model->{posts} };
    ok(@posts > 0, "the generator would publish posts from $name")
        or return;

    my $blog = start_nginx(config => <<"END") or return;
location /blog/ {
    blog "$root";
    blog_drafts off;
}
END

    my ($ready) = poll(30, sub { ($blog->get('/blog/')->{status} // 0) == 200 });
    ok($ready, 'GET /blog/ answers 200') or do { $blog->stop; return };

    # The index, page after page.
    my ($cards, $index_problems) = read_index($blog);
    is(scalar @$index_problems, 0, 'every index page is a whole page')
        or show($index_problems);

    # Every post the generator publishes.
    my %page;
    for my $post (@posts) {
        $page{ $post->{file} } = $blog->get('/blog/' . uri_escape($post->{slug}) . '/');
    }

    my @slugs = map { $_->{slug} } @$cards;

    check_posts($model, \%page);
    check_index($model, \@slugs);
    check_cards($model, $cards);
    check_template_tags($model, \%page, $generator);
    check_markdown($model, \%page);
    check_redirects($model, $blog);

    # The log of the whole visit, then the files that are not served.
    my @log = split /\n/, $blog->log;
    check_unserved($model, \@slugs, \@log);
    check_expanded($model, \%page, $generator, \@log);

    $blog->stop;

    report_counts($name, $model, \@slugs, \@log);

    check_own_shortcode($model, $root) if $generator eq 'hugo';
}


# (cards in order, problems): /blog/, /blog/page/2/, ... until a page
# that is not there.  A card: { slug, title, summary, datetime } (HTML).
sub read_index {
    my ($blog) = @_;
    my (@cards, @problems);

    for (my $n = 1; $n < 1000; $n++) {
        my $uri = $n == 1 ? '/blog/' : "/blog/page/$n/";
        my $r = $blog->get($uri);

        last if $n > 1 && $r->{status} == 404;

        if ($r->{status} != 200) {
            push @problems, "$uri: status $r->{status}"
                            . ($r->{error} ? " ($r->{error})" : '');
            last;
        }

        my $html = utf8($r->{body});
        push @problems, "$uri: no </html>" unless $html =~ m{</html>\s*\z};

        my @here;
        while ($html =~ m{<article class="card">(.*?)</article>}gs) {
            my $card = $1;
            $card =~ m{<a href="/blog/([^"]+?)/?">(.*?)</a>}s or next;
            my ($slug, $title) = (uri_unescape(html_text($1)), $2);
            my ($summary) = $card =~ m{<p class="summary">(.*?)</p>}s;
            my ($datetime) = $card =~ m{<time datetime="([^"]*)"};
            push @here, { slug => $slug, title => $title,
                          summary => $summary, datetime => $datetime };
        }

        if (!@here) {
            push @problems, "$uri: no post cards" if $n == 1;
            last;
        }
        push @cards, @here;
    }

    return (\@cards, \@problems);
}


sub check_posts {
    my ($model, $page) = @_;
    my (@unreachable, @titles, @dates, @unknown);

    for my $post (@{ $model->{posts} }) {
        my $file = $post->{file};
        my $uri = "/blog/$post->{slug}/";
        my $r = $page->{$file};

        if (($r->{status} // 0) != 200) {
            push @unreachable, "$file: GET $uri: expected 200, got "
                               . ($r->{status} // "no answer: $r->{error}");
            next;
        }

        my $html = utf8($r->{body});
        if ($html !~ m{</html>\s*\z}) {
            push @unreachable, "$file: GET $uri: 200 but the page does not"
                               . " end with </html>";
            next;
        }

        # the title, as the generator shows it, HTML-escaped
        my ($h1) = $html =~ m{<h1 class="post-title">(.*?)</h1>}s;
        my $want = $post->{title} // '';
        if (!defined $h1) {
            push @titles, "$file: no <h1 class=\"post-title\"> in $uri";
        } elsif ($h1 =~ /[<>]/ || squash(html_text($h1)) ne squash($want)) {
            push @titles, "$file: title expected " . quote($want)
                          . ", got " . quote($h1);
        }

        # the date: the same instant when the text has an offset, else the
        # same date and time of day as written
        my $date = $post->{date};
        my ($attr) = $html =~ m{<h1 class="post-title">.*?<time datetime="([^"]*)"}s;
        my $got = defined $attr ? parse_rfc3339($attr) : undef;

        if (!$date) {
            push @unknown, "$file: the generator's date is not in the file;"
                           . " the module says " . ($attr // 'nothing');
        } elsif (!$got) {
            push @dates, "$file: date expected $date->{ymd}T$date->{hms}"
                         . " (from '$date->{text}'), got "
                         . (defined $attr ? "'$attr'" : 'no <time datetime>');
        } elsif (defined $date->{offset} ? $got->{epoch} != $date->{epoch}
                 : "$got->{ymd} $got->{hms}" ne "$date->{ymd} $date->{hms}")
        {
            push @dates, "$file: date expected " . show_date($date)
                         . " (from '$date->{text}'), got '$attr'";
        }
    }

    is(scalar @unreachable, 0,
       'every post the generator publishes is a whole page at /blog/SLUG/')
        or show(\@unreachable);
    is(scalar @titles, 0, 'every post has its title in <h1 class="post-title">')
        or show(\@titles);
    is(scalar @dates, 0, 'every post has its date in <time datetime>')
        or show(\@dates);
    diag($_) for @unknown;
}


sub check_index {
    my ($model, $cards) = @_;
    my @posts = @{ $model->{posts} };
    my %post = map { $_->{slug} => $_ } @posts;
    my %listed = map { $_ => 1 } @$cards;

    # which file a URL name on the index is, for the messages
    my %file_of = map { $_->{slug} => $_->{file} } @posts;
    for my $e (values %{ $model->{entries} }) {
        next if $e->{kind} eq 'post' || !defined $e->{base};
        $file_of{ $e->{base} } //= $e->{file};
    }

    my @missing = map { "$_->{file}: not on the index (expected at"
                        . " /blog/$_->{slug}/)" }
                  grep { !$listed{ $_->{slug} } } @posts;

    my %seen;
    my @extra = map { my $f = $file_of{$_};
                      my $e = $f ? $model->{entries}{$f} : undef;
                      "/blog/$_/ is on the index but "
                      . ($e ? "$f is not a post for the generator ($e->{kind})"
                            : 'no file is a post of that name') }
                grep { !$post{$_} } @$cards;
    my @twice = map { "/blog/$_/ is on the index more than once" }
                grep { $seen{$_}++ == 1 } @$cards;

    my @problems = (@missing, @extra, @twice);
    is(scalar @problems, 0,
       'the index lists every post the generator publishes, and no other')
        or show(\@problems);

    # Newest first: the posts of one instant form a group, in any order;
    # the groups must come in the generator's order.  Posts the files give
    # no date for are left out.
    my (%rank, $last);
    my $rank = -1;
    for my $p (sort { $b->{date}{sort_epoch} <=> $a->{date}{sort_epoch} }
               grep { $_->{date} } @posts)
    {
        my $key = $p->{date}{sort_epoch};
        $rank++ unless defined $last && $key == $last;
        $rank{ $p->{slug} } = $rank;
        $last = $key;
    }

    my @order;
    my ($prev_slug, $prev_rank);
    for my $slug (grep { defined $rank{$_} } @$cards) {
        if (defined $prev_rank && $rank{$slug} < $prev_rank) {
            push @order, "/blog/$slug/ ($post{$slug}{file}, "
                         . show_date($post{$slug}{date}) . ") is listed after"
                         . " /blog/$prev_slug/ ($post{$prev_slug}{file}, "
                         . show_date($post{$prev_slug}{date}) . ")";
        }
        ($prev_slug, $prev_rank) = ($slug, $rank{$slug});
    }

    is(scalar @order, 0, 'the index lists the posts newest first')
        or show(\@order);
}


# The cards on the index: the title, and the summary when the front
# matter has one (the field each generator's listing shows: Go's
# "summary", Hugo's and the Rust blog's "description", Jekyll's
# "description" or "excerpt"), cut at a word and ended with "..." when
# long.
sub check_cards {
    my ($model, $cards) = @_;
    my %post = map { $_->{slug} => $_ } @{ $model->{posts} };
    my (@titles, @summaries);
    my $n = 0;

    for my $card (@$cards) {
        my $post = $post{ $card->{slug} } or next;
        my $want = $post->{title} // '';

        if ($card->{title} =~ /[<>]/
            || squash(html_text($card->{title})) ne squash($want))
        {
            push @titles, "$post->{file}: card title expected " . quote($want)
                          . ", got " . quote($card->{title});
        }

        my $fm = $post->{fm};
        my ($field) = grep { defined $fm->{$_} && !ref $fm->{$_}
                             && $fm->{$_} =~ /\S/ }
                      qw(description summary excerpt);
        next unless $field;
        $n++;

        my $expected = squash("$fm->{$field}");
        my $got = squash(html_text($card->{summary} // ''));
        my $ok = $got eq $expected
                 || ($got =~ /\A(.+?)\s*(?:\.\.\.|\x{2026})\z/s
                     && index($expected, $1) == 0 && length($1) >= 20);
        push @summaries, "$post->{file}: summary expected " . quote($expected)
                         . " ($field), got " . quote($got)
            unless $ok;
    }

    is(scalar @titles, 0, 'every card on the index has its post\'s title')
        or show(\@titles);

    SKIP: {
        skip 'no post of this blog has a summary in its front matter', 1
            unless $n;
        is(scalar @summaries, 0,
           "the cards summarise posts with their front matter's summary ($n)")
            or show(\@summaries);
    }
}


# A page the generator turns into a redirect (the Go blog's
# "redirect: /blog/other") still takes its visitors to the other page.
sub check_redirects {
    my ($model, $blog) = @_;
    my @redirects = grep { $_->{kind} eq 'redirect' }
                    values %{ $model->{entries} };
    return unless @redirects;

    my @problems;
    for my $e (sort { $a->{file} cmp $b->{file} } @redirects) {
        my $uri = "/blog/$e->{base}/";
        my $target = $e->{fm}{redirect};
        my $r = $blog->get($uri);
        my $location = $r->{headers}{location} // '';
        next if $r->{status} =~ /^30[1278]$/
                && $location =~ m{^(?:https?://[^/]+)?\Q$target\E/?$};
        my ($h1) = utf8($r->{body}) =~ m{<h1 class="post-title">(.*?)</h1>}s;
        push @problems, "$e->{file}: GET $uri: expected a redirect to"
                        . " $target, got $r->{status}"
                        . ($location ? " to $location" : '')
                        . (defined $h1 ? ", a post titled " . quote($h1) : '');
    }

    is(scalar @problems, 0,
       'pages the generator redirects lead to their target ('
       . scalar(@redirects) . ')')
        or show(\@problems);
}


# Template syntax of other generators in a body is text for this module:
# "{{< gh ... >}}" must come out as "{{&lt; gh", "{% highlight" as it is.
# Only tokens in paragraphs, lists, quotes and code are looked at (raw
# HTML is left out of the page in safe mode, link targets are URLs).
sub check_template_tags {
    my ($model, $page, $generator) = @_;
    my (@problems, %checked);

    # Jekyll runs Liquid, Hugo its shortcodes: check_expanded's part
    return if $generator eq 'jekyll';

    for my $post (@{ $model->{posts} }) {
        my @tokens = grep { !/^\{\{[<%]/ } template_tokens($post->{body})
            or next;
        my $r = $page->{ $post->{file} };
        next unless ($r->{status} // 0) == 200;

        my $html = utf8($r->{body});
        my ($content) = $html =~ m{<div class="post-body">(.*)}s;
        $content //= $html;

        # highlighted code splits a tag into token spans
        $content =~ s{<span class="hl-\w+">|</span>}{}g;

        my %done;
        for my $token (@tokens) {
            next if $done{$token}++;
            $checked{ $post->{file} }++;
            my $escaped = html_escape($token);
            next if index($content, $escaped) >= 0;
            push @problems, "$post->{file}: " . quote($token) . " should be in"
                            . " the page as " . quote($escaped);
        }
    }

    my $n = keys %checked;
    note("template tags checked in $n posts");

    SKIP: {
        skip 'no post of this blog has template tags', 1 unless $n;
        is(scalar @problems, 0,
           "template tags of the generator pass through as text ($n posts)")
            or show(\@problems);
    }
}


# Liquid (Jekyll) and shortcodes (Hugo) as their generators run them:
# the page keeps as many "{%", "{{<" and "{{%" as the literals the
# source escaped, and the log names what was removed.
sub check_expanded {
    my ($model, $page, $generator, $log) = @_;
    my (@problems, %removed);
    my ($before, $after) = (0, 0);

    return unless $generator eq 'jekyll' || $generator eq 'hugo';

    for my $post (@{ $model->{posts} }) {
        my $r = $page->{ $post->{file} };
        next unless ($r->{status} // 0) == 200;

        my $src = $post->{body};
        my %want;

        if ($generator eq 'jekyll') {
            my $literal = join '', $src =~ m{\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}}gs;
            %want = ('{%' => count($literal, '{%'));
            $before++ if $src =~ /\{%/;
        } else {
            %want = ('{{<' => count($src, '{{</*'),
                     '{{%' => count($src, '{{%/*'));
            $before++ if $src =~ /\{\{[<%]\s*[^\/\s*]/;
        }

        my ($content) = utf8($r->{body}) =~ m{<div class="post-body">(.*?)</article>}s;
        next unless defined $content;
        $content =~ s{<span class="hl-\w+">|</span>}{}g;
        $content =~ s/&lt;/</g;

        my $raw = 0;
        for my $tag (sort keys %want) {
            my $got = count($content, $tag);
            next if $got == $want{$tag};
            $raw = 1;
            push @problems, "$post->{file}: $got " . quote($tag) . " in the"
                            . " page, the source escapes $want{$tag}";
        }
        $after += $raw;
    }

    note("$generator: $before posts with tags to expand, $after with raw"
         . ' tags in the page');
    is(scalar @problems, 0, 'no raw Liquid or shortcode in any page')
        or show(\@problems);

    for (@$log) {
        $removed{$1}++ if /(unknown shortcode "[^"]+"|Liquid tag "\w+")/;
    }
    note('removed and logged: ' . join(', ', map { "$_ ($removed{$_})" }
                                          sort keys %removed));

    my @expect = $generator eq 'hugo'
                 ? ('unknown shortcode "gh"', 'unknown shortcode "code-toggle"',
                    'unknown shortcode "imgproc"')
                 : ('Liquid tag "for"', 'Liquid tag "assign"');
    for my $what (@expect) {
        ok($removed{$what}, "the log names the removed $what, with file and"
                            . ' line')
            or diag(join "\n", grep { /blog:/ } @$log[0 .. 9]);
    }
}


# The Hugo blog with a theme of its own "gh" shortcode: the issues it
# names are links, and no "gh" is unknown.
sub check_own_shortcode {
    my ($model, $root) = @_;

    my $theme = "$ROOT/build/t120-theme";
    mkdir $theme;
    mkdir "$theme/shortcodes";
    open my $fh, '>', "$theme/shortcodes/gh.html" or die "$theme: $!\n";
    print $fh '{{#args}}<a class="gh" href="https://github.com/gohugoio/'
              . 'hugo/issues/{{.}}">#{{.}}</a> {{/args}}' . "\n";
    close $fh;

    my $blog = start_nginx(config => <<"END") or return;
location /blog/ {
    blog "$root";
    blog_templates "$theme";
}
END

    my ($post) = grep { $_->{body} =~ /\{\{<gh 2534 >\}\}/ }
                 @{ $model->{posts} };
    ok($post, 'a post names issue 2534 with {{<gh 2534 >}}') or return;

    my $r = $blog->get('/blog/' . uri_escape($post->{slug}) . '/');
    like($r->{body} // '',
         qr{<a class="gh" href="https://github\.com/gohugoio/hugo/issues/2534">#2534</a>},
         "the theme's gh shortcode links the issue");
    unlike($blog->log, qr/unknown shortcode "gh"/,
           'no gh shortcode is unknown with the theme');

    $blog->stop;
}


sub count {
    my ($text, $what) = @_;
    my $n = () = $text =~ /\Q$what\E/g;
    return $n;
}


sub check_markdown {
    my ($model, $page) = @_;
    my (@raw, @ids, @plain, %checked);
    my $code_posts = 0;

    for my $post (@{ $model->{posts} }) {
        my $r = $page->{ $post->{file} };
        next unless ($r->{status} // 0) == 200;

        my $html = utf8($r->{body});
        my ($body) = $html =~ m{<div class="post-body">(.*?)</article>}s;
        next unless defined $body;
        $checked{ $post->{file} }++;

        # what a reader sees: no code, no tags
        (my $visible = $body) =~ s{<pre\b.*?</pre>}{}gs;
        $visible =~ s{<code>.*?</code>}{}gs;
        $visible = html_text($visible);

        for my $line (split /\n/, $visible) {
            my $what = $line =~ /^\s*\|?\s*:?-{3,}:?\s*\|/ ? 'a pipe table'
                     : $line =~ /\[\^[^\]\s]+\]/        ? 'a footnote marker'
                     : $line =~ /~~\S/                     ? 'a raw ~~'
                     : undef;
            push @raw, "$post->{file}: $what in the page: " . quote($line)
                if $what;
        }

        # every heading of the body has an id; no id twice in the page
        my %seen;
        for my $id ($html =~ m{\bid="([^"]*)"}g) {
            push @ids, "$post->{file}: id " . quote($id) . " twice"
                if $seen{$id}++ == 1;
        }
        while ($body =~ m{(<h[1-6]\b[^>]*>)(.*?)</h[1-6]>}gs) {
            my ($tag, $text) = ($1, $2);
            next if $tag =~ /\bid="[^"]+"/;
            push @ids, "$post->{file}: heading without an id: "
                       . quote(html_text($text));
        }

        # a post whose code names a highlighted language has tokens in it
        my @known = grep { $HIGHLIGHTED{ lc $_ } }
                    $body =~ m{<code class="language-([^"]+)">}g;
        next unless @known;
        $code_posts++;
        push @plain, "$post->{file}: code in " . join(', ', @known)
                     . ' without a highlighted token'
            unless $body =~ m{<code class="language-[^"]+">[^<]*<span class="hl-};
    }

    my $n = keys %checked;
    is(scalar @raw, 0, "no raw Markdown syntax in the text of $n posts")
        or show(\@raw);
    is(scalar @ids, 0, 'every body heading has an id, unique in its page')
        or show(\@ids);
    is(scalar @plain, 0, "highlighted code in the $code_posts posts whose"
                         . ' code names a known language')
        or show(\@plain);
}


sub template_tokens {
    my ($body) = @_;
    my (@tokens, $fence, $html_block, $blank);

    $blank = 1;
    for my $line (split /\r?\n/, $body) {
        if ($fence) {
            $fence = undef if $line =~ /^\s{0,3}\Q$fence\E/;
        } elsif ($line =~ /^\s{0,3}(```+|~~~+)/) {
            $fence = $1;
            $html_block = 0;
            next;
        } elsif ($line !~ /\S/) {
            $html_block = 0;
            $blank = 1;
            next;
        } elsif ($blank && $line =~ /^\s{0,3}</) {
            $html_block = 1;
        }
        $blank = 0;
        next if $html_block;

        while ($line =~ /(\{\{[<%]\s*[\w.-]+|\{%-?\s*\w+|\{\{-?\s*[\w.]+)/g) {
            my ($token, $at) = ($1, $-[1]);
            my $before = substr($line, 0, $at);

            next if $before =~ /\]\(\S*\z|\]:\s*\S*\z/;      # a link's target
            next if ($before =~ tr/<//) > ($before =~ tr/>//); # inside a tag
            push @tokens, $token;
        }
    }

    return @tokens;
}


# Every file that is not served has a reason: the generator would not
# publish it either, or the error log names it.  The URL names served.
sub check_unserved {
    my ($model, $cards, $log) = @_;
    my %listed = map { $_ => 1 } @$cards;
    my $root = $model->{root};
    my (%logged, @nameless);

    for my $line (@$log) {
        next unless $line =~ /blog: (?:skipped )?"([^"]+)"/;
        (my $file = $1) =~ s{\A\Q$root\E/}{};
        push @{ $logged{$file} }, $line;
    }

    for my $e (sort { $a->{file} cmp $b->{file} } values %{ $model->{entries} }) {
        next if $e->{kind} ne 'post';
        next if $listed{ $e->{slug} };
        next if $logged{ $e->{file} };
        push @nameless, "$e->{file}: a post for the generator, not on the"
                        . " index, and no error-log line names it";
    }

    is(scalar @nameless, 0, 'no post is left out without a log line naming it')
        or show(\@nameless);
}


sub report_counts {
    my ($name, $model, $cards, $log) = @_;
    my $entries = $model->{entries};
    my @md = grep { /\.(?:md|markdown)\z/ } @{ $model->{files} };

    my %kind;
    $kind{ $_->{kind} }++ for values %$entries;
    my $not_posts = join ', ', map { "$kind{$_} $_" } grep { $_ ne 'post' }
                                                      sort keys %kind;

    my %skipped = map { /blog: skipped "([^"]+)"/ ? ($1 => 1) : () } @$log;
    my $warnings = grep { /\[warn\].*blog: "/ } @$log;

    diag(sprintf '%s: %d files, %d .md/.markdown; %d posts the generator'
                 . ' publishes%s; %d posts on the index; %d skipped with a'
                 . ' logged reason, %d warnings',
         $name, scalar @{ $model->{files} }, scalar @md,
         scalar @{ $model->{posts} }, $not_posts ? " (not posts: $not_posts)" : '',
         scalar @$cards, scalar keys %skipped, $warnings);
}


sub show {
    my ($lines) = @_;
    diag($_) for @$lines[0 .. ($#$lines < $SHOW - 1 ? $#$lines : $SHOW - 1)];
    diag('... and ' . (@$lines - $SHOW) . ' more') if @$lines > $SHOW;
}


sub show_date {
    my ($d) = @_;
    return 'no date' unless $d;
    my $zone = !defined $d->{offset} ? '' : $d->{offset} == 0 ? 'Z'
             : sprintf('%s%02d:%02d', $d->{offset} < 0 ? '-' : '+',
                       abs($d->{offset}) / 3600, abs($d->{offset}) % 3600 / 60);
    return "$d->{ymd}T$d->{hms}$zone";
}


# Runs of ASCII white space as one space, none at the ends: what a
# browser shows (a no-break space stays).
sub squash {
    my ($text) = @_;
    $text = '' unless defined $text;
    $text =~ s/[ \t\r\n]+/ /g;
    $text =~ s/\A | \z//g;
    return $text;
}


sub utf8 {
    my ($bytes) = @_;
    return eval { decode('UTF-8', $bytes // '') } // $bytes;
}


sub quote {
    my ($text) = @_;
    $text = '' unless defined $text;
    $text = substr($text, 0, 160) . '...' if length $text > 160;
    return "'$text'";
}


sub html_escape {
    my ($text) = @_;
    $text =~ s/&/&amp;/g;
    $text =~ s/</&lt;/g;
    $text =~ s/>/&gt;/g;
    $text =~ s/"/&quot;/g;
    return $text;
}


sub uri_escape {
    my ($text) = @_;
    my $bytes = Encode::encode('UTF-8', $text);
    $bytes =~ s/([^A-Za-z0-9\-._~])/sprintf '%%%02X', ord $1/ge;
    return $bytes;
}


sub uri_unescape {
    my ($text) = @_;
    (my $bytes = $text) =~ s/%([0-9A-Fa-f]{2})/chr hex $1/ge;
    return eval { decode('UTF-8', $bytes) } // $text;
}
