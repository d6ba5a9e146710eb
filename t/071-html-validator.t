# Every HTML page of the example blog through the Nu Html Checker (vnu.jar,
# the checker behind validator.w3.org/nu), with no error: the pages of
# Test::Blog::Showcase (the example blog as make demo serves it, and a
# blog of a post of every Markdown feature and one of every built-in
# shortcode).  The pages are found as a crawler finds them: each blog's
# sitemap, then every link of every page within the blogs, which brings in
# the index's and the tags' further pages and the tags page; the 404 page
# is fetched with its status.  Every such link must lead somewhere.
#
# The pages are saved to build/html-validator/ and checked by one run of
# the checker; each error is reported with the page's URL, line and
# column.  Warnings are shown, not failed on.  Java is Debian's
# (default-jre-headless, from make deps) and vnu.jar the one make installs
# from t/tools/package-lock.json (build/npm/); without them the test
# fails and says how to install them.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use Cwd qw(abs_path);
use File::Path qw(make_path remove_tree);
use JSON::PP;
use Test::Blog::Showcase qw(showcase);
use Test::Blog::Util qw(start_nginx);
use Test::More;
use Time::HiRes qw(time);

binmode Test::More->builder->$_, ':encoding(UTF-8)'
    for qw(output failure_output todo_output);

my $ROOT = abs_path("$FindBin::Bin/..");
my $JAVA = $ENV{TEST_JAVA} || 'java';
my $VNU_BUILT = 'build/npm/node_modules/vnu-jar/build/dist/vnu.jar';
my $VNU = $ENV{TEST_VNU} || "$ROOT/$VNU_BUILT";
my $SAVED = "$ROOT/build/html-validator";

# The blogs of Test::Blog::Showcase, and a URL within one that is no page.
my @BLOGS = qw(/blog/ /md/);
my $MISSING = '/blog/no-such-page/';

# A page the checker must find fault with: a paragraph may not hold a
# list.  Checked with the blog's pages, so that a run that reads no page
# fails here.
my $FAULTY = <<'END';
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Faulty</title></head>
<body><p>A list <ul><li>in a paragraph</li></ul></p></body>
</html>
END


my $java = java_version();
ok($java, "Java runs ($JAVA)")
    or diag("Debian: apt-get install default-jre-headless (make deps), or"
            . " set TEST_JAVA to a java of version 17 or later");
ok(-f $VNU, "vnu.jar is at $VNU")
    or diag("make $VNU_BUILT (npm ci of t/tools/package-lock.json), or set"
            . " TEST_VNU to a vnu.jar");

my $blog = start_nginx(showcase());

if ($blog) {
    my $pages = collect_pages($blog);

    $blog->stop;

    check_pages($pages) if $java && -f $VNU;
}

done_testing();


# Every HTML page of the blogs, as { URL path => { status, body } }: the
# pages each sitemap lists, the pages their links lead to, then the links
# of those, and the 404 page.

sub collect_pages {
    my ($blog) = @_;
    my $origin = 'http://127.0.0.1:' . $blog->port;
    my (%pages, %seen, @queue, @broken);

    for my $sitemap (map { "${_}sitemap.xml" } @BLOGS) {
        my $r = $blog->get($sitemap);
        my @locs = ($r->{body} // '') =~ m{<loc>\Q$origin\E([^<]+)</loc>}g;

        ok(($r->{status} // 0) == 200 && @locs,
           "$sitemap lists pages (" . @locs . ')');
        push @queue, map { [$_, $sitemap] } @locs;
    }

    while (my $next = shift @queue) {
        my ($path, $from) = @$next;

        next if $seen{$path}++;

        my $r = $blog->get($path);
        my $type = $r->{headers}{'content-type'} // '';

        if (($r->{status} // 0) =~ /^30[1278]$/) {
            my $to = within_blogs($r->{headers}{location}, $path, $origin);
            push @queue, [$to, $path] if defined $to;

        } elsif (($r->{status} // 0) != 200) {
            push @broken, "$from links to $path: "
                          . ($r->{status} // $r->{error});

        } elsif ($type =~ m{^text/html\b}) {
            $pages{$path} = $r;
            push @queue, map { [$_, $path] } links($r->{body}, $path,
                                                   $origin);
        }
    }

    ok(!@broken, 'every link within the blogs leads to a page')
        or diag(join "\n", @broken);

    my @paths = keys %pages;

    for my $prefix (@BLOGS) {
        ok(exists $pages{"${prefix}tags/"}, "the crawl reaches ${prefix}tags/");
    }

    ok((grep { m{^/\w+/page/2/$} } @paths), 'the crawl reaches an index\'s'
                                            . ' second page');
    ok((grep { m{/tags/[^/]+/page/2/$} } @paths), 'the crawl reaches a'
                                                  . ' tag\'s second page');

    my $r = $blog->get($MISSING);
    my $type = $r->{headers}{'content-type'} // '';

    ok(($r->{status} // 0) == 404 && $type =~ m{^text/html\b},
       "GET $MISSING - the 404 page, in HTML")
        or diag('status ' . ($r->{status} // $r->{error})
                . ", Content-Type $type");
    $pages{$MISSING} = $r;

    return \%pages;
}


# The URL paths within the blogs that BODY's href attributes lead to, the
# fragment and query left out.

sub links {
    my ($body, $page, $origin) = @_;
    my @hrefs = $body =~ /\shref="([^"]*)"/g;

    return grep { defined } map { within_blogs(unescape($_), $page, $origin) }
                                @hrefs;
}


# HREF resolved against the page at PAGE: its path when it is under one of
# the blogs on this server, else undef.

sub within_blogs {
    my ($href, $page, $origin) = @_;

    return undef unless defined $href;

    $href =~ s/[?#].*//s;
    $href =~ s/^\Q$origin\E(?=\/)//;

    return undef if $href eq '' || $href =~ m{^(?:[a-z][a-z0-9+.-]*:|//)}i;

    my $path = $href =~ m{^/} ? $href : ($page =~ s{[^/]*$}{}r) . $href;

    1 while $path =~ s{/\./}{/}g;
    1 while $path =~ s{/(?!\.\./)[^/]+/\.\./}{/};

    return (grep { index($path, $_) == 0 } @BLOGS) ? $path : undef;
}


sub unescape {
    my ($text) = @_;
    my %named = (amp => '&', lt => '<', gt => '>', quot => '"', apos => "'");

    $text =~ s{&(?:#(\d+)|#x([0-9a-f]+)|(\w+));}
              {defined $1 ? chr $1 : defined $2 ? chr hex $2
                                   : $named{$3} // "&$3;"}gie;
    return $text;
}


# Saves the pages, runs the checker once over them and the faulty page,
# and reports each page's errors as one test.

sub check_pages {
    my ($pages) = @_;
    my @paths = sort keys %$pages;
    my (%url_of, %file_of);

    remove_tree($SAVED);
    make_path($SAVED);

    for my $i (0 .. $#paths) {
        my $name = $paths[$i] =~ s{^/|/$}{}gr =~ s{[^\w.-]+}{_}gr;
        my $file = sprintf "%s/%03d-%s.html", $SAVED, $i + 1, $name;

        write_bytes($file, $pages->{ $paths[$i] }{body} // '');
        $url_of{$file} = $paths[$i];
        $file_of{ $paths[$i] } = $file;
    }

    my $faulty = "$SAVED/000-faulty.html";
    write_bytes($faulty, $FAULTY);

    my $start = time;
    my ($messages, $problem) = run_checker($faulty, map { $file_of{$_} }
                                                        @paths);
    note(sprintf "%d pages checked in %.1f s", scalar @paths, time - $start);

    if (!$messages) {
        fail('the checker runs');
        diag($problem);
        return;
    }

    my (%errors, %warnings, @strays);

    for my $m (@$messages) {
        my $file = ($m->{url} // '') =~ s{^file:}{}r;
        my $type = $m->{type} // '';
        my $text = "line " . ($m->{lastLine} // '?') . ', column '
                   . ($m->{firstColumn} // $m->{lastColumn} // '?') . ': '
                   . ($m->{message} // '(no message)')
                   . (defined $m->{extract}
                      ? "\n        " . ($m->{extract} =~ s/\n/\\n/gr) : '');

        if (!exists $url_of{$file} && $file ne $faulty) {
            push @strays, ($m->{url} // '(no file)') . ": $text";

        } elsif ($type eq 'error' || $type eq 'non-document-error') {
            push @{ $errors{$file} }, $text;

        } elsif (($m->{subType} // '') eq 'warning') {
            push @{ $warnings{$file} }, $text;
        }
    }

    ok($errors{$faulty}, 'the checker finds the error in a faulty page')
        or diag('it reported: ' . JSON::PP->new->canonical->encode($messages));
    ok(!@strays, 'the checker reports on no other file')
        or diag(join "\n", @strays);

    for my $path (@paths) {
        my $file = $file_of{$path};
        my $status = $pages->{$path}{status};

        ok(!$errors{$file}, "$path ($status): no HTML error")
            or diag(join "\n", "$path, saved as $file:",
                               map { "    $_" } @{ $errors{$file} });

        diag(join "\n", "$path: warnings:", map { "    $_" }
                                                @{ $warnings{$file} })
            if $warnings{$file};
    }
}


# The checker's messages on FILES (an array of hashes), or undef and why.

sub run_checker {
    my (@files) = @_;
    my @command = ($JAVA, '-jar', $VNU, '--format', 'json', '--stdout',
                   '--skip-info-messages', '--exit-zero-always', @files);

    open my $out, '-|', @command
        or return (undef, "cannot run $JAVA: $!");
    my $json = do { local $/; <$out> } // '';
    close $out;

    return (undef, "@command[0 .. 2] exited with status " . ($? >> 8)
                   . ":\n$json") if $?;

    my $report = eval { JSON::PP->new->utf8->decode($json) };

    return (undef, "the checker wrote no JSON report ($@):\n$json")
        unless ref $report eq 'HASH' && ref $report->{messages} eq 'ARRAY';

    return $report->{messages};
}


# "17.0.15" for a java that runs, else ''.

sub java_version {
    my $output = `"$JAVA" -version 2>&1`;
    return '' if $? != 0;
    return ($output // '') =~ /version "([^"]+)"/ ? $1 : 'unknown';
}


sub write_bytes {
    my ($file, $bytes) = @_;

    open my $fh, '>:raw', $file or die "cannot write $file: $!\n";
    print {$fh} $bytes;
    close $fh or die "cannot write $file: $!\n";
}
