# The Atom feeds, P/feed.xml and P/tags/TAG/feed.xml: the newest 20 posts
# with their full HTML, absolute links from blog_base_url, the newest
# post's time as the feed's, markup characters kept as text.  Each feed is
# read by feedparser, the parser of many feed readers
# (t/tools/check_feed.py, Debian: python3-feedparser), and validated
# against RFC 4287's schema (t/schema/atom.rng) with xmllint (Debian:
# libxml2-utils), which must also reject a broken feed.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use Cwd qw(abs_path);
use File::Basename qw(dirname);
use File::Temp qw(tempdir);
use JSON::PP qw(decode_json);
use POSIX ();
use Test::Blog qw(run_tests write_file);
use Test::Blog::Util qw(start_nginx);
use Test::More;

# The repository, where the harness is.
my $ROOT = abs_path(dirname($INC{"Test/Blog.pm"}) . "/../../..");

my $SCHEMA = "$ROOT/t/schema/atom.rng";
my $CHECK_FEED = "$ROOT/t/tools/check_feed.py";

# Debian's python3, beside which python3-feedparser installs.
my $PYTHON = -x '/usr/bin/python3' ? '/usr/bin/python3' : 'python3';

my $CONFIG = <<'END';
location /blog/ {
    blog $CONTENT;
    blog_title "Feed Blog";
    blog_author "Ann Author";
    blog_base_url https://blog.example.com;
}
END

# 25 posts, one a day in January 2026, each last changed on its date; the
# even ones are tagged Even.
my $files = '';

for my $n (1 .. 25) {
    my $nn = sprintf "%02d", $n;
    my $tags = $n % 2 ? '[Odd]' : '[Even]';

    $files .= <<"END";
>>> post-$nn.md
---
title: Post $nn
date: 2026-01-$nn
lastmod: 2026-01-$nn
tags: $tags
---
Post $nn: **bold**, `code` & more.

## Part two

The end of post $nn.
END
}

my @NEWEST_20 = map { sprintf "%02d", $_ } reverse 6 .. 25;
my @EVEN = map { sprintf "%02d", 2 * $_ } reverse 1 .. 12;

my $tmp = tempdir('feeds-XXXXXX', TMPDIR => 1, CLEANUP => 1);


my $blog = start_nginx(config => $CONFIG, files => $files);

if ($blog) {
    check_feeds($blog);
    $blog->stop;
}


# Markup characters in a title, the tags and the body stay text and leave
# the feed well-formed.

$blog = start_nginx(config => $CONFIG, files => <<'END');
>>> fish.md
---
title: 'Fish & "Chips" <3'
date: 2026-01-01
tags: ['<b>', 'a & b']
---
Is `1 < 2 && 3`?
END

if ($blog) {
    check_markup_characters($blog);
    $blog->stop;
}


# Control characters, from YAML escapes or the body's bytes, are no XML:
# they come out as U+FFFD and the feed stays well-formed.

$blog = start_nginx(config => $CONFIG,
                    files => <<'END' . "Hi \x04 there \x0c page.\n");
>>> controls.md
---
title: "Escape \e here"
description: "nul \0 here"
date: 2026-01-01
tags: ["bell\a"]
---
END

if ($blog) {
    check_control_characters($blog);
    $blog->stop;
}

run_tests(config => $CONFIG, files => $files);


# The feed of every post and a tag's feed, as feedparser reads them and
# against the schema.

sub check_feeds {
    my ($blog) = @_;

    my $feed = fetch($blog, '/blog/feed.xml');
    my $tag_feed = fetch($blog, '/blog/tags/even/feed.xml');

    if (defined $feed) {
        check_parsed('/blog/feed.xml', $feed, 'Feed Blog', @NEWEST_20);
        check_schema('/blog/feed.xml', $feed);
        check_schema_rejects_entry_without_id($feed);
    }

    if (defined $tag_feed) {
        check_parsed('/blog/tags/even/feed.xml', $tag_feed, qr/Even/,
                     @EVEN);
        check_schema('/blog/tags/even/feed.xml', $tag_feed);
    }
}


sub check_markup_characters {
    my ($blog) = @_;
    my $feed = fetch($blog, '/blog/feed.xml') // return;
    my $parsed = feedparser($feed) or return;

    ok(!$parsed->{bozo}, 'markup characters - feedparser reads the feed')
        or diag($parsed->{bozo_exception});
    is($parsed->{entries}[0]{title}, q{Fish & "Chips" <3},
       'markup characters - the title as its author wrote it');
    like($parsed->{entries}[0]{content} // '', qr{1 &lt; 2 &amp;&amp; 3},
         'markup characters - the body as Markdown made it');
    check_schema('markup characters', $feed);
}


sub check_control_characters {
    my ($blog) = @_;
    my $feed = fetch($blog, '/blog/feed.xml') // return;
    my $parsed = feedparser($feed) or return;

    ok(!$parsed->{bozo}, 'control characters - feedparser reads the feed')
        or diag($parsed->{bozo_exception});
    is($parsed->{entries}[0]{title}, "Escape \x{fffd} here",
       'control characters - the title, the escape replaced');
    is($parsed->{entries}[0]{summary}, "nul \x{fffd} here",
       'control characters - the summary, the escape replaced');
    like($parsed->{entries}[0]{content} // '', qr{Hi \x{fffd} there},
         'control characters - the body, the byte replaced');
    check_schema('control characters', $feed);
}


sub fetch {
    my ($blog, $uri) = @_;
    my $r = $blog->get($uri);

    is($r->{status}, 200, "GET $uri - status") or return undef;
    return $r->{body};
}


# What feedparser reads: a well-formed Atom 1.0 feed, its title, and the
# entries of the posts numbered NN, newest first, each with its link, its
# time and its full HTML.

sub check_parsed {
    my ($uri, $feed, $title, @numbers) = @_;
    my $parsed = feedparser($feed) or return;

    ok(!$parsed->{bozo}, "$uri - feedparser reads it without a problem")
        or diag($parsed->{bozo_exception});
    is($parsed->{version}, 'atom10', "$uri - feedparser sees Atom 1.0");

    if (ref $title) {
        like($parsed->{title}, $title, "$uri - title");

    } else {
        is($parsed->{title}, $title, "$uri - title");
    }

    like($parsed->{updated} // '', qr/^2026-01-$numbers[0]T00:00:00/,
         "$uri - updated is the newest post's time");

    my @entries = @{ $parsed->{entries} };

    is_deeply([map { $_->{title} } @entries],
              [map { "Post $_" } @numbers], "$uri - entry titles");

    is_deeply([map { $_->{link} } @entries],
              [map { "https://blog.example.com/blog/post-$_/" } @numbers],
              "$uri - entry links");

    is_deeply([map { substr $_->{updated} // '', 0, 19 } @entries],
              [map { "2026-01-${_}T00:00:00" } @numbers],
              "$uri - entry times");

    my $content = $entries[0]{content} // '';
    like($content, qr{<strong>bold</strong>},
         "$uri - the first entry has the post's HTML");
    like($content, qr{The end of post $numbers[0]\.},
         "$uri - the first entry has the whole post");
}


sub feedparser {
    my ($feed) = @_;
    my ($status, $output) = run(undef, $PYTHON, '-c', 'import feedparser');

    if ($status) {
        fail("feedparser is installed (Debian: python3-feedparser)");
        diag($output);
        return undef;
    }

    ($status, $output) = run(save($feed), $PYTHON, $CHECK_FEED);
    my $parsed = !$status && eval { decode_json($output) };

    ok($parsed, 't/tools/check_feed.py answers') or diag($output);
    return $parsed;
}


sub check_schema {
    my ($uri, $feed) = @_;
    my ($status, $output) = xmllint(save($feed));

    is($status, 0, "$uri - valid against RFC 4287's schema")
        or diag($output);
}


# The schema check can fail: the same feed with its first entry's <id>
# taken out is not Atom.

sub check_schema_rejects_entry_without_id {
    my ($feed) = @_;

    my $broken = $feed =~ s{(<entry>.*?)<id>[^<]*</id>\s*}{$1}sr;
    isnt($broken, $feed, 'an entry without <id> is made');

    my ($status, $output) = xmllint(save($broken));
    isnt($status, 0, 'xmllint rejects a feed with an entry without <id>');
    like($output, qr/fails to validate/, 'xmllint says why')
        or diag($output);
}


sub xmllint {
    my ($file) = @_;
    return run(undef, 'xmllint', '--noout', '--relaxng', $SCHEMA, $file);
}


my $saved = 0;

sub save {
    my ($data) = @_;
    my $file = "$tmp/feed-" . ++$saved . ".xml";

    write_file($file, $data);
    return $file;
}


# Runs COMMAND with STDIN from a file (or /dev/null): its exit status and
# what it wrote to stdout and stderr.

sub run {
    my ($stdin, @command) = @_;

    my $pid = open(my $out, '-|');
    die "fork: $!\n" unless defined $pid;

    if ($pid == 0) {
        open STDIN, '<', $stdin // '/dev/null';
        open STDERR, '>&', \*STDOUT;
        { no warnings 'exec'; exec { $command[0] } @command; }
        print "cannot run $command[0]: $!\n";
        POSIX::_exit(127);
    }

    local $/;
    my $output = <$out> // '';
    close $out;

    return ($? >> 8, $output);
}

__DATA__

=== TEST 1: the feed is Atom
--- request
GET /blog/feed.xml
--- error_code: 200
--- response_headers
Content-Type: application/atom+xml; charset=utf-8
--- response_body_like
\A<\?xml version="1\.0" encoding="utf-8"\?>\s*<feed xmlns="http://www\.w3\.org/2005/Atom">



=== TEST 2: the feed's links are absolute, from blog_base_url
--- request
GET /blog/feed.xml
--- error_code: 200
--- response_body_like
<link (?=[^>]*\brel="self")(?=[^>]*\bhref="https://blog\.example\.com/blog/feed\.xml")
<link (?=[^>]*\brel="alternate")(?=[^>]*\bhref="https://blog\.example\.com/blog/")
<id>https://blog\.example\.com/blog/</id>
<link (?=[^>]*\brel="alternate")(?=[^>]*\bhref="https://blog\.example\.com/blog/post-25/")
<id>https://blog\.example\.com/blog/post-25/</id>



=== TEST 3: the feed holds the newest 20 posts
--- request
GET /blog/feed.xml
--- error_code: 200
--- response_body_like
(?s)/blog/post-25/.*/blog/post-24/.*/blog/post-06/
--- response_body_unlike
/blog/post-05/
/blog/post-01/



=== TEST 4: the feed's updated is the newest post's time
--- request
GET /blog/feed.xml
--- error_code: 200
--- response_body_like
\A(?s:(?!<entry>).)*<updated>2026-01-25T00:00:00(?:Z|\+00:00)</updated>



=== TEST 5: an entry holds the post's full HTML, escaped
--- request
GET /blog/feed.xml
--- error_code: 200
--- response_body_like
<content type="html">&lt;p&gt;Post 25: &lt;strong&gt;bold&lt;/strong&gt;, &lt;code&gt;code&lt;/code&gt; &amp;amp; more\.&lt;/p&gt;
(?s)<content type="html">[^<]*&lt;h2 id=&quot;part-two&quot;&gt;Part two&lt;/h2&gt;[^<]*The end of post 25\.
--- response_body_unlike
<content type="html"><
<strong>



=== TEST 6: a tag's feed is Atom
--- request
GET /blog/tags/even/feed.xml
--- error_code: 200
--- response_headers
Content-Type: application/atom+xml; charset=utf-8
--- response_body_like
<link (?=[^>]*\brel="self")(?=[^>]*\bhref="https://blog\.example\.com/blog/tags/even/feed\.xml")
<link (?=[^>]*\brel="alternate")(?=[^>]*\bhref="https://blog\.example\.com/blog/tags/even/")



=== TEST 7: a tag's feed holds only the posts with the tag
--- request
GET /blog/tags/even/feed.xml
--- error_code: 200
--- response_body_like
(?s)/blog/post-24/.*/blog/post-22/.*/blog/post-02/
\A(?s:(?!<entry>).)*<updated>2026-01-24T00:00:00(?:Z|\+00:00)</updated>
--- response_body_unlike
/blog/post-25/
/blog/post-23/
/blog/post-01/



=== TEST 8: an unknown tag has no feed
--- request
GET /blog/tags/nope/feed.xml
--- error_code: 404
