# The example blog (contrib/example, as make demo serves it) against the
# reference page, shared/seed/blog-index.txt, copied at the end of this
# file: the index's visible text holds every line of the reference in
# order, and its 16 cards have the reference's titles, reading times,
# summaries, tags and dates, with links to each post and tag.

use strict;
use warnings;
use utf8;

use FindBin;
use lib "$FindBin::Bin/lib";

use Encode qw(decode encode);
use Test::Blog qw(run_tests);
use Test::Blog::Util qw(start_nginx);
use Test::More;

binmode Test::More->builder->$_, ':encoding(UTF-8)'
    for qw(output failure_output todo_output);

my $HOME_URL = 'https://phoenix.example.com/';

# The demo's directives (contrib/demo/nginx.conf), with a home URL of its
# own so that a link to it can't be the default "/".
my $CONFIG = <<"END";
location /blog/ {
    blog \$ROOT/contrib/example;
    blog_title "Blog";
    blog_description "Thoughts on software engineering, AI, Web3, and building great products.";
    blog_author Phoenix;
    blog_home_url $HOME_URL;
}
END

# The posts of the reference page, newest first, by slug.
my @SLUGS = qw(
    the-index-youre-missing
    idempotency-how-not-to-charge-a-card-twice
    race-conditions-and-the-lies-of-select
    cache-invalidation-is-still-hard
    queues-and-event-driven-architecture
    claude-claude-code-and-why-ai-is-not-going-anywhere
    the-art-of-api-design
    docker-to-kubernetes
    why-your-nextjs-app-is-slow
    ssr-vs-csr-vs-ssg
    data-replication-in-distributed-systems
    complete-git-commit-message-guide
    building-kemuko-support
    building-intelligent-workflows-mastra-a2a-telex
    building-a2a-protocol-agents-with-python-and-fastapi
    what-is-a2a
);

my %MONTH = (Jan => 1, Feb => 2, Mar => 3, Apr => 4, May => 5, Jun => 6,
             Jul => 7, Aug => 8, Sep => 9, Oct => 10, Nov => 11, Dec => 12);


my $blog = start_nginx(config => $CONFIG);

if ($blog) {
    check_index($blog->get('/blog/'));
    $blog->stop;
}

run_tests(config => $CONFIG);


# The index holds the reference's text and cards.

sub check_index {
    my ($r) = @_;

    is($r->{status}, 200, 'GET /blog/ - status') or return;

    my $html = decode('UTF-8', $r->{body});
    check_reference_text($html);
    check_cards($html);
}


# Every non-empty line of the reference, in order, in the page's visible
# text; both without whitespace, as the reference joins text nodes.

sub check_reference_text {
    my ($html) = @_;
    my $text = squeeze(visible_text($html));
    my $at = 0;
    my $n = 0;

    for my $line (reference_lines()) {
        my $want = squeeze($line);
        my $found = index($text, $want, $at);
        $n++;

        if ($found >= 0) {
            pass("reference line $n in order: $line");
            $at = $found + length $want;

        } else {
            fail("reference line $n in order: $line");
            my $anywhere = index($text, $want);
            diag($anywhere >= 0
                 ? "it is in the page, but before the previous line"
                 : "it is not in the page; the text from the previous line"
                   . " on:\n" . substr($text, $at, 300));
        }
    }
}


# The cards: the reference's posts in its order, each with its link, title,
# reading time, summary, tags (linked to their pages) and date.

sub check_cards {
    my ($html) = @_;
    my @cards = $html =~ m{<article class="card"[^>]*>(.*?)</article>}gs;
    my @expected = reference_cards();
    my (%card, @hrefs);

    is(scalar @cards, 16, 'the index holds 16 cards');

    for my $card (@cards) {
        my ($href) = $card =~ m{<h2[^>]*>\s*<a href="([^"]*)"};
        push @hrefs, $href // '(no title link)';
        $card{$href} = $card if defined $href;
    }

    is_deeply(\@hrefs, [map { "/blog/$_/" } @SLUGS],
              'the cards link to the posts of the reference, newest first')
        or diag("the card links:\n" . join "\n", @hrefs);

    my @dates = map { m{<time datetime="([^"]+)"} ? $1 : '' } @cards;
    is_deeply(\@dates, [sort { $b cmp $a } @dates],
              'the cards are in date order, newest first')
        or diag(join "\n", @dates);

    for my $i (0 .. $#SLUGS) {
        my $slug = $SLUGS[$i];
        my $want = $expected[$i];
        my $card = $card{"/blog/$slug/"};

        if (!defined $card) {
            fail("card $slug: on the page");
            next;
        }

        my ($title) = $card =~ m{<h2[^>]*>\s*<a [^>]*>(.*?)</a>}s;
        is(text($title), $want->{title}, "card $slug: title");

        like(text($card), qr/\b\Q$want->{reading_time}\E\b/,
             "card $slug: reading time");

        my ($summary) = $card =~ m{<p class="summary">(.*?)</p>}s;
        is(text($summary), $want->{summary},
           "card $slug: summary, cut at 180 characters as the reference");

        my @tags = $card =~ m{<a class="tag" href="([^"]*)">(.*?)</a>}gs;
        my @names = map { text($tags[2 * $_ + 1]) } 0 .. $#tags / 2;
        is(join('', @names), $want->{tags}, "card $slug: tags");

        for my $k (0 .. $#names) {
            is($tags[2 * $k], "/blog/tags/" . tag_key($names[$k]) . "/",
               "card $slug: tag $names[$k] links to its page");
        }

        my ($iso, $date) = $card =~ m{<time datetime="([^"]*)">(.*?)</time>}s;
        is(text($date), $want->{date}, "card $slug: date");
        like($iso // '', qr/^\Q$want->{iso}\E/, "card $slug: datetime");
    }
}


sub reference_lines {
    my $year = (gmtime)[5] + 1900;
    my @lines = grep { /\S/ } split /\n/, reference();

    # The reference was made in 2026: the copyright is this year's.
    s/^© 2026 /© $year / for @lines;

    return @lines;
}


# The reference after its five lines of page heading, five lines a card:
# title, reading time, summary, tags run together, date.

sub reference_cards {
    my @lines = reference_lines();
    my @cards;

    splice @lines, 0, 5;

    while (@lines) {
        my %card;
        @card{qw(title reading_time summary tags date)} = splice @lines, 0, 5;
        my ($month, $day, $year) = $card{date} =~ /^(\w+) (\d+), (\d+)$/;
        $card{iso} = sprintf "%04d-%02d-%02d", $year, $MONTH{$month}, $day;
        push @cards, \%card;
    }

    return @cards;
}


# A tag's URL name (DESIGN.md): lower case, every run of characters other
# than letters, digits, + and # made one "-", percent-encoded.

sub tag_key {
    my ($name) = @_;
    my $key = lc $name;

    $key =~ s/[^\p{L}\p{N}+#]+/-/g;
    $key =~ s/^-+|-+$//g;
    $key = encode('UTF-8', $key);
    $key =~ s/([^A-Za-z0-9\-])/sprintf "%%%02X", ord $1/ge;

    return $key;
}


# What a visitor reads: no head, script or style, tags dropped, entities
# decoded.

sub visible_text {
    my ($html) = @_;

    $html =~ s{<head\b.*?</head>}{}gsi;
    $html =~ s{<script\b.*?</script>}{}gsi;
    $html =~ s{<style\b.*?</style>}{}gsi;
    $html =~ s{<!--.*?-->}{}gs;

    return text($html);
}


sub text {
    my ($html) = @_;
    return '' unless defined $html;

    my %entity = (amp => '&', lt => '<', gt => '>', quot => '"',
                  apos => "'", nbsp => "\x{a0}", larr => "\x{2190}",
                  rarr => "\x{2192}", copy => "\x{a9}", middot => "\x{b7}",
                  ldquo => "\x{201c}", rdquo => "\x{201d}",
                  lsquo => "\x{2018}", rsquo => "\x{2019}",
                  mdash => "\x{2014}", ndash => "\x{2013}",
                  hellip => "\x{2026}");

    $html =~ s{<[^>]*>}{}g;
    $html =~ s{&#[xX]([0-9a-fA-F]+);}{chr hex $1}ge;
    $html =~ s{&#(\d+);}{chr $1}ge;
    $html =~ s{&(\w+);}{$entity{$1} // "&$1;"}ge;
    $html =~ s/^\s+|\s+$//g;

    return $html;
}


sub squeeze {
    my ($text) = @_;
    $text =~ s/\s+//g;
    return $text;
}


# A copy of shared/seed/blog-index.txt, the text of the page to reproduce.

sub reference {
    return <<'END';
Built byPhoenix

© 2026 Phoenix

← Home

Blog

Thoughts on software engineering, AI, Web3, and building great products.

The Index You're Missing: A Practical Guide to Postgres Performance

16 min read

Most slow Postgres queries aren't a hardware problem — they're a missing index. Here's how to read query plans and build the indexes your database is begging for.

PostgreSQLDatabasesPerformanceIndexing
Jun 5, 2026

Idempotency, or How Not to Charge a Card Twice

14 min read

A network timeout never tells you if the charge landed, so the client retries and the customer pays twice. How idempotency keys and reconciliation make retries safe.

IdempotencyPaymentsFintechDistributed Systems
May 25, 2026

Race Conditions and the Lies of SELECT: A Guide to Transactions & Isolation Levels

16 min read

A SELECT tells you what was true a moment ago, not what is true when you write. How lost updates happen in Postgres, and how to fix them with locks, version columns, and isolation ...

DatabasesPostgreSQLConcurrencyTransactions
May 14, 2026

Cache Invalidation Is Still Hard

14 min read

Caching is easy; invalidation is the hard part. Cache-aside, TTLs, the stale-read race, stampedes, and the Redis patterns I actually use to keep two copies of the truth in sync.

CachingRedisPerformanceDistributed Systems
May 2, 2026

Queues and Event-Driven Architecture: When, Why, and How Not to Get Burned

15 min read

Most teams reach for a queue too late, or for the wrong reasons. When a queue actually earns its keep, the patterns that stop it losing your data, and when to skip it entirely.

Message QueuesEvent-DrivenDistributed SystemsArchitecture
Apr 20, 2026

Claude, Claude Code, and Why AI Is Not Going Anywhere

14 min read

A personal take on working with both Claude and Claude Code as a software engineer, why AI is here to stay, the honest pros and cons, and the agent features I actually rely on.

Claude CodeClaudeAIDeveloper Tools
Mar 7, 2026

The Art of API Design: REST, GraphQL, tRPC, and When to Use Each

22 min read

A real-world comparison of API paradigms — REST, GraphQL, and tRPC. Learn the trade-offs in type safety, versioning, performance, and developer experience, and how tRPC eliminates ...

API DesignRESTGraphQLtRPC
Feb 24, 2026

Docker to Kubernetes: A Software Engineer's Production Journey

25 min read

From your first Dockerfile to production Kubernetes — a practical guide covering multi-stage builds, container best practices, Helm charts, rolling deployments, health checks, and ...

DockerKubernetesDevOpsInfrastructure
Feb 8, 2026

Why Your Next.js App Is Slow (And How to Fix It)

20 min read

Your Next.js app should be fast by default. If it isn't, something is wrong. This guide covers the most common performance killers — bundle bloat, unoptimized images, font loading ...

Next.jsPerformanceWeb VitalsReact
Jan 20, 2026

SSR vs CSR vs SSG: The Rendering Strategy Guide You Actually Need

18 min read

A practical, no-nonsense breakdown of Server-Side Rendering, Client-Side Rendering, and Static Site Generation. Learn how each strategy works under the hood, when to use which, and...

Web DevelopmentNext.jsSSRSSG
Dec 15, 2025

Data Replication in Distributed Systems: From CAP Theorem to Multi-Region Architecture

45 min read

A comprehensive deep-dive into data replication strategies for distributed systems. Explore the CAP theorem, advanced consistency models (linearizability, serializability, snapshot...

Distributed SystemsData ReplicationCAP TheoremArchitecture
Nov 29, 2025

Complete Git Commit Message Guide

10 min read

A comprehensive guide to writing professional Git commit messages following conventional commits specification. Learn commit types, structure, best practices, and tools for better ...

GitVersion ControlBest PracticesConventional Commits
Nov 8, 2025

Building Kemuko Support: An AI Agent for EdTech with Mastra

20 min read

How I built Kemuko Support - an AI-powered customer support agent using Mastra that helps learners with course progress, assists instructors with analytics, handles billing, and es...

MastraAIEdTechCustomer Support
Nov 1, 2025

Building Intelligent Workflows: Integrating Mastra A2A Protocol with Telex

12 min read

Learn how to integrate Mastra's Agent-to-Agent (A2A) protocol with Telex to build intelligent, interconnected AI workflows. A complete guide from development to deployment.

AIMastraA2A ProtocolTelex
Oct 26, 2025

Building A2A Protocol Agents with Python and FastAPI

15 min read

A comprehensive guide to implementing the Agent-to-Agent (A2A) protocol using Python and FastAPI. Learn how to build production-ready AI agents with JSON-RPC 2.0 communication.

PythonFastAPIA2A ProtocolAI
Oct 26, 2025

What is A2A? Understanding the Agent-to-Agent Protocol

8 min read

An introduction to the Agent-to-Agent (A2A) protocol - the standardized communication layer revolutionizing how AI agents interact across platforms. Learn the fundamentals, benefit...

A2A ProtocolAIAgent CommunicationJSON-RPC
Oct 20, 2025
END
}

__DATA__

=== TEST 1: the index is an HTML page
--- request
GET /blog/
--- error_code: 200
--- response_headers
Content-Type: text/html; charset=utf-8



=== TEST 2: "← Home" links to blog_home_url
--- request
GET /blog/
--- error_code: 200
--- response_body_like
<a [^>]*href="https://phoenix\.example\.com/"[^>]*>\s*(?:&larr;|←)\s*Home\s*</a>



=== TEST 3: the author's name links to blog_home_url
--- request
GET /blog/
--- error_code: 200
--- response_body_like
<a [^>]*href="https://phoenix\.example\.com/"[^>]*>\s*Phoenix\s*</a>
