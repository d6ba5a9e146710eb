package Test::Blog::Load;

# Load for the t/load/ files: posts whose body carries a version marker at
# its start and its end, wrk runs over a list of URLs with a Lua script
# that checks every answer (status, and that a page is one whole version),
# a child that edits, adds, renames and deletes posts every 100 ms, and a
# sampler of worker memory and of the cache zone.  What to assert is left
# to the .t files.
#
#   my $blog = start_nginx(...);
#   my $edits = start_editor($blog, stable => 50, churn => 20);
#   my @urls = (listing_urls('/blog/'), post_urls('/blog/', ...));
#   my $wrk = run_wrk($blog->port, seconds => 10, urls => \@urls);
#   my $n = $edits->();                       # stops it: edits made
#
# Each run lasts LOAD_SECONDS (environment) seconds [60].  wrk runs one
# connection per thread, so each thread knows which URL an answer is for.

use strict;
use warnings;

use Exporter qw(import);
use File::Temp ();
use JSON::PP qw(decode_json);
use POSIX qw(WNOHANG);
use Time::HiRes qw(sleep time);

use Test::Blog::HTTP qw(http_request);
use Test::Blog::Util qw(start_nginx start_children write_in_place_slowly);
use Test::More;

our @EXPORT_OK = qw(load_seconds post_text write_post start_editor
                    listing_urls post_urls run_wrk start_sampler
                    zone_status rss_kb blog_of mixed_load check_wrk);

my $WRK = (grep { -x "$_/wrk" } split /:/, $ENV{PATH} // '')[0];


sub load_seconds {
    my $s = $ENV{LOAD_SECONDS} // 60;
    return $s =~ /^\d+$/ && $s > 0 ? $s : 60;
}

sub wrk_path { $WRK ? "$WRK/wrk" : undef }


# Load tests run from make test-load (TEST_BLOG_LOAD=1), not from the
# "prove -r t/" of make test: they take minutes and want a quiet machine.

sub skip_unless_wanted {
    plan(skip_all => 'load test: run with make test-load (TEST_BLOG_LOAD=1)')
        unless $ENV{TEST_BLOG_LOAD};
    plan(skip_all => 'no wrk (Debian: apt-get install wrk)')
        unless wrk_path();
}


# The text of post ID at VERSION: "ID vVERSION" as its title, markers
# "BEGIN-vVERSION-ID" and "END-vVERSION-ID" as its first and last
# paragraphs, some KB of text between them.

sub post_text {
    my ($id, $version, %opt) = @_;
    my $paragraphs = $opt{paragraphs} // 20;
    my $day = 1 + unpack('%16C*', $id) % 28;
    my $tag = 't' . (unpack('%16C*', $id) % 10);
    my $filler = join '', map { "Paragraph $_ of $id, version $version. "
                                . ('lorem ipsum ' x 20) . "\n\n" }
                              1 .. $paragraphs;

    return "---\ntitle: \"$id v$version\"\n"
           . sprintf("date: 2024-03-%02d\n", $day)
           . "tags: [load, $tag]\n---\n"
           . "BEGIN-v$version-$id start of the post.\n\n$filler"
           . "END-v$version-$id\n";
}


# Writes FILE whole and at once, as editors, git and rsync do: into a
# temporary file beside the content folder, then rename().

sub write_post {
    my ($blog, $file, $text) = @_;
    my $tmp = $blog->prefix . "/temp/post.$$";

    open my $fh, '>', $tmp or die "cannot write $tmp: $!\n";
    print {$fh} $text;
    close $fh or die "cannot write $tmp: $!\n";
    rename $tmp, $blog->content . "/$file" or die "cannot rename $tmp: $!\n";
}


# write_post_in_place(BLOG, FILE, TEXT): as scp or rsync --inplace write.

sub write_post_in_place {
    my ($blog, $file, $text) = @_;
    write_in_place_slowly($blog->content . "/$file", $text);
}


# start_editor(BLOG, stable => N, churn => M, every => SECONDS,
# in_place => 1): a child
# that, every 0.1 s, does in turn: a new version of one of the posts
# s0001 .. sN (they stay), a new post among c0001 .. cM, a rename of one
# of those to a free name, a deletion of one; posts are saved by a rename,
# or with in_place written where they are.  The posts s0001 .. sN must
# exist already.  Returns a function that stops it and returns how many
# changes it made.

sub start_editor {
    my ($blog, %opt) = @_;
    my $stable = $opt{stable} // 50;
    my $churn = $opt{churn} // 20;
    my $every = $opt{every} // 0.1;
    my $count = File::Temp->new(TMPDIR => 1);

    my $pid = fork;
    die "fork: $!\n" unless defined $pid;

    if ($pid == 0) {
        my $stop = 0;
        local $SIG{TERM} = sub { $stop = 1 };
        my $content = $blog->content;
        my ($n, $version) = (0, 1000);
        my $next = time;
        my $write = $opt{in_place} ? \&write_post_in_place : \&write_post;

        until ($stop) {
            my $step = $n % 4;
            opendir my $dh, $content or die "$content: $!\n";
            my @present = map { /^(c\d+)\.md$/ ? $1 : () } readdir $dh;
            closedir $dh;
            my %present = map { $_ => 1 } @present;
            my @absent = grep { !$present{$_} }
                         map { sprintf 'c%04d', $_ } 1 .. $churn;
            my $pick = sub { $_[int rand @_] };

            $version++;

            if ($step == 0) {
                my $id = sprintf 's%04d', 1 + int rand $stable;
                $write->($blog, "$id.md", post_text($id, $version));

            } elsif ($step == 1 && @absent) {
                my $id = $pick->(@absent);
                $write->($blog, "$id.md", post_text($id, $version));

            } elsif ($step == 2 && @present && @absent) {
                # the post keeps its text: a renamed file, a new URL
                rename "$content/" . $pick->(@present) . '.md',
                       "$content/" . $pick->(@absent) . '.md';

            } elsif ($step == 3 && @present > $churn / 2) {
                unlink "$content/" . $pick->(@present) . '.md';
            }

            $n++;
            $next += $every;
            my $wait = $next - time;
            sleep $wait if $wait > 0;
        }

        open my $fh, '>', $count->filename;
        print {$fh} $n;
        close $fh;
        POSIX::_exit(0);
    }

    return sub {
        kill 'TERM', $pid;
        waitpid($pid, 0);
        open my $fh, '<', $count->filename or return 0;
        return scalar(<$fh>) // 0;
    };
}


# The listing pages under PREFIX (index, its second page, tags, a tag,
# feeds, sitemap) and a theme file.

sub listing_urls {
    my ($prefix) = @_;
    return map { "$prefix$_" } '', 'page/2/', 'tags/', 'tags/load/',
        'tags/t3/', 'tags/load/page/3/', 'feed.xml', 'tags/t1/feed.xml',
        'sitemap.xml', 'assets/style.css';
}


sub post_urls {
    my ($prefix, @ids) = @_;
    return map { "$prefix$_/" } @ids;
}


# run_wrk(PORT, urls => [...], seconds => N, threads => N, close => 1,
#         may_vanish => 1, expect_dir => DIR):
# runs wrk over URLS in turn, each thread from its own place in the list.
# Every answer is checked: a post page (an <h1> "ID vN") must carry
# BEGIN-vN-ID and END-vN-ID and end with </html>; on a listing, each card
# must show the same version in its title and summary.  may_vanish: 404 is
# fine (posts that come and go).  close: "Connection: close" on every
# request.  expect_dir: the exact body of URL U is in DIR/U with '/'
# replaced by '_'; any other body is wrong.
# Returns { requests, status => { CODE => n }, torn, wrong, errors =>
# { connect, read, write, timeout }, rps, examples => [...] }, or
# { failed => WHY }.

sub run_wrk {
    my ($port, %opt) = @_;
    my $wrk = wrk_path() or return { failed => 'no wrk in PATH' };
    my $threads = $opt{threads} // 2;
    my $seconds = $opt{seconds} // load_seconds();
    my $dir = File::Temp::tempdir('test-blog-wrk-XXXXXX', TMPDIR => 1,
                                  CLEANUP => 1);

    open my $fh, '>', "$dir/check.lua" or die "$dir/check.lua: $!\n";
    print {$fh} lua_script($opt{urls}, $opt{may_vanish}, $opt{close},
                           $opt{expect_dir});
    close $fh;

    my @cmd = ($wrk, '-t', $threads, '-c', $threads, '-d', "${seconds}s",
               '--timeout', '10s', '-s', "$dir/check.lua",
               "http://127.0.0.1:$port");
    my $out = `@cmd 2>&1`;

    my ($json) = $out =~ /^RESULT (\{.*\})$/m
        or return { failed => "wrk said:\n$out" };
    my $r = decode_json($json);

    $r->{requests} = 0;
    $r->{requests} += $_ for values %{ $r->{status} };
    ($r->{rps}) = $out =~ /Requests\/sec:\s+([\d.]+)/;
    $r->{output} = $out;
    return $r;
}


sub lua_quote {
    my ($s) = @_;
    $s =~ s/([\\"])/\\$1/g;
    return qq{"$s"};
}


sub lua_script {
    my ($urls, $may_vanish, $close, $expect_dir) = @_;
    my $list = join ",\n", map { '  ' . lua_quote($_) } @$urls;

    return <<"END" . <<'END';
local urls = {
$list
}
local may_vanish = @{[ $may_vanish ? 'true' : 'false' ]}
local close = @{[ $close ? 'true' : 'false' ]}
local expect_dir = @{[ defined $expect_dir ? lua_quote($expect_dir) : 'nil' ]}
END
local threads = {}
local id = 0

function setup(thread)
  id = id + 1
  thread:set("id", id)
  table.insert(threads, thread)
end

-- globals: done() reads them from each thread with thread:get()
local n, current
status, torn, wrong, examples = {}, 0, 0, {}
local expected = {}

-- the id setup() gave this thread: a global of its own state, which the
-- chunk's local id above hides
function init(args)
  n = ((_G.id or 0) * 7919) % #urls
  if close then wrk.headers["Connection"] = "close" end
end

function request()
  n = n % #urls + 1
  current = urls[n]
  return wrk.format("GET", current)
end

local function example(what, body)
  if #examples < 3 then
    table.insert(examples, what .. " " .. current .. ": "
                 .. string.sub(body or "", 1, 300) .. " ... "
                 .. string.sub(body or "", -300))
  end
end

local function whole(body)
  if string.find(current, "/assets/", 1, true)
     or string.find(current, ".xml", 1, true) then
    return true
  end
  return string.find(body, "</html>%s*$") ~= nil
end

-- a post page is one version; on a listing each card is
local function consistent(body)
  if not whole(body) then return false end
  local t_id, t_v = string.match(body,
    '<h1 class="post%-title">(%w+) v(%d+)</h1>')
  if t_id then
    local b_v, b_id = string.match(body, "BEGIN%-v(%d+)%-(%w+)")
    local e_v, e_id = string.match(body, "END%-v(%d+)%-(%w+)")
    return b_v == t_v and e_v == t_v and b_id == t_id and e_id == t_id
  end
  for v, i in string.gmatch(body, "BEGIN%-v(%d+)%-(%w+)") do
    if not string.find(body, ">" .. i .. " v" .. v .. "<", 1, true) then
      return false
    end
  end
  return true
end

local function expected_body()
  local e = expected[current]
  if e == nil then
    local f = io.open(expect_dir .. "/" .. string.gsub(current, "/", "_"),
                      "rb")
    e = f and f:read("*a") or false
    if f then f:close() end
    expected[current] = e
  end
  return e
end

function response(code, headers, body)
  status[code] = (status[code] or 0) + 1
  if code == 200 then
    if expect_dir then
      if body ~= expected_body() then
        wrong = wrong + 1
        example("wrong", body)
      end
    elseif not consistent(body) then
      torn = torn + 1
      example("torn", body)
    end
  elseif not (code == 404 and may_vanish) then
    example("status " .. code, body)
  end
end

local function json_string(s)
  return '"' .. string.gsub(s, '[%c"\\]', function(c)
    return string.format("\\u%04x", string.byte(c)) end) .. '"'
end

function done(summary, latency, requests)
  local all, t, w, ex = {}, 0, 0, {}
  for _, thread in ipairs(threads) do
    for code, count in pairs(thread:get("status")) do
      all[code] = (all[code] or 0) + count
    end
    t = t + thread:get("torn")
    w = w + thread:get("wrong")
    for _, e in ipairs(thread:get("examples")) do table.insert(ex, e) end
  end
  local codes = {}
  for code, count in pairs(all) do
    table.insert(codes, string.format('"%d":%d', code, count))
  end
  local exs = {}
  for _, e in ipairs(ex) do table.insert(exs, json_string(e)) end
  local e = summary.errors
  io.write(string.format('RESULT {"status":{%s},"torn":%d,"wrong":%d,'
    .. '"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},'
    .. '"examples":[%s]}\n', table.concat(codes, ","), t, w,
    e.connect, e.read, e.write, e.timeout, table.concat(exs, ",")))
end
END
}


# rss_kb(PID): the process' private resident memory (RssAnon: neither
# the shared zone nor mapped files), in KB.

sub rss_kb {
    my ($pid) = @_;
    open my $fh, '<', "/proc/$pid/status" or return undef;
    while (my $line = <$fh>) {
        return $1 if $line =~ /^RssAnon:\s+(\d+)/;
    }
    return undef;
}


# zone_status(BLOG, URI): the first cache of the blog_status JSON at URI.

sub zone_status {
    my ($blog, $uri) = @_;
    my $r = http_request($blog->port, "GET $uri");
    return undef unless ($r->{status} // 0) == 200;
    my $json = eval { decode_json($r->{body}) } or return undef;
    return $json->{caches}[0];
}


# start_sampler(BLOG, STATUS_URI): samples every second, in a child, the
# RssAnon of each worker and the zone's figures.  Returns a function that
# stops it and returns the samples: [{ t, rss => { PID => KB }, zone }].

sub start_sampler {
    my ($blog, $uri) = @_;
    my $file = File::Temp->new(TMPDIR => 1);

    my $pid = fork;
    die "fork: $!\n" unless defined $pid;

    if ($pid == 0) {
        my $stop = 0;
        local $SIG{TERM} = sub { $stop = 1 };
        my $start = time;
        my @samples;

        until ($stop) {
            my %rss = map { $_ => rss_kb($_) } $blog->workers;
            push @samples, { t => time - $start, rss => \%rss,
                             zone => zone_status($blog, $uri) };
            sleep 1 unless $stop;
        }

        open my $fh, '>', $file->filename;
        print {$fh} JSON::PP->new->encode(\@samples);
        close $fh;
        POSIX::_exit(0);
    }

    return sub {
        kill 'TERM', $pid;
        waitpid($pid, 0);
        open my $fh, '<', $file->filename or return [];
        local $/;
        return eval { decode_json(<$fh>) } // [];
    };
}


# blog_of(STABLE, zone => MB): an nginx serving posts s0001 .. sSTABLE
# under /blog/ with a cache zone of MB, the index checked every 100 ms,
# five posts a page, blog_status at /status.

sub blog_of {
    my ($stable, %opt) = @_;
    my $zone = $opt{zone} // 8;
    my $files = join '', map { my $id = sprintf 's%04d', $_;
                               ">>> $id.md\n" . post_text($id, 1) }
                             1 .. $stable;

    return start_nginx(files => $files,
        http_config => "blog_cache_zone pages:${zone}m;",
        config => <<'END');
location /blog/ {
    blog $CONTENT;
    blog_cache pages;
    blog_check_interval 100ms;
    blog_posts_per_page 5;
}
location = /status {
    blog_status;
}
END
}


# mixed_load(BLOG, stable => N, churn => M, close => 1, during => CODE):
# the editor (see start_editor) and two wrk runs of LOAD_SECONDS: one on
# the listings and the posts that stay, one on the posts that come and go.
# CODE runs in the test meanwhile, until wrk is done.  Returns (the two
# runs' results, the number of changes made).

sub mixed_load {
    my ($blog, %opt) = @_;
    my $seconds = load_seconds();
    my @stable = (listing_urls('/blog/'), post_urls('/blog/',
                  map { sprintf 's%04d', $_ } 1 .. $opt{stable}));
    my @churn = post_urls('/blog/', map { sprintf 'c%04d', $_ }
                                        1 .. $opt{churn});

    my $edits = start_editor($blog, %opt);
    my $wait = start_children(2, sub {
        my ($i) = @_;
        return run_wrk($blog->port, close => $opt{close},
                       $i == 1 ? (urls => \@stable)
                               : (urls => \@churn, may_vanish => 1));
    }, $seconds + 60);

    $opt{during}->() if $opt{during};

    my @runs = $wait->();
    my $changes = $edits->();
    note("$changes changes to posts in $seconds s");

    return (@runs, $changes);
}


# check_wrk(WHAT, RESULT, may_vanish => 1, failed => N): tests that wrk
# ran, every answer was 200 (or 404 with may_vanish), no page was torn,
# and at most N requests failed on the wire [0].

sub check_wrk {
    my ($what, $r, %opt) = @_;

    if ($r->{failed} || $r->{error}) {
        fail("$what: wrk ran");
        diag($r->{failed} // $r->{error});
        return;
    }

    my %s = %{ $r->{status} };
    my $bad = join ', ', map { "$_: $s{$_}" }
              grep { $_ != 200 && !($opt{may_vanish} && $_ == 404) }
              sort keys %s;
    my $e = $r->{errors};
    my $failed = $e->{connect} + $e->{read} + $e->{write} + $e->{timeout};

    note(sprintf "%s: %d requests, %s/s, statuses %s, %d failed", $what,
         $r->{requests}, $r->{rps} // '?',
         join(', ', map { "$_: $s{$_}" } sort keys %s), $failed);
    cmp_ok($r->{requests}, '>', 0, "$what: requests were answered");
    is($bad, '', $opt{may_vanish} ? "$what: only 200 and 404, no 5xx"
                                  : "$what: every answer is 200")
        or diag(join "\n", @{ $r->{examples} });
    is($r->{torn}, 0, "$what: every page is one whole version")
        or diag(join "\n", @{ $r->{examples} });
    is($r->{wrong}, 0, "$what: every page has the right bytes")
        or diag(join "\n", @{ $r->{examples} });
    cmp_ok($failed, '<=', $opt{failed} // 0,
           "$what: failed requests" . ($opt{failed} ? " within bound" : ''))
        or diag(explain($e));
}


1;
