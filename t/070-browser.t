# The example blog in a real browser: headless Chromium loads the index, a
# post, the tags page, a tag page, the 404 page, a post of every Markdown
# feature (tables, footnotes, heading anchors, a table of contents,
# highlighted code) and a post of every built-in shortcode (figure, youtube,
# vimeo, gist, x, tweet, highlight, details, ref, relref;
# Test::Blog::Showcase has the blog and both posts) at a desktop and a phone
# width, in the light and the dark scheme, and each page must log no console
# error, fit the window with no horizontal scrolling and pass axe-core's
# accessibility rules with no violation; wide tables and code scroll in
# their own box. Screenshots go to build/screenshots/NAME-WIDTH-SCHEME.png
# for a person to look at.
#
# Chromium is driven through its DevTools protocol over a pipe
# (--remote-debugging-pipe: JSON messages ended by a NUL byte, on file
# descriptors 3 and 4), so no WebSocket client or CPAN module is needed.
# It resolves no name but the test's own server's: the embeds' players
# are not loaded from outside.  Skipped when Chromium is not installed
# (Debian: chromium); axe-core is the one make installs from
# t/tools/package-lock.json (build/npm/), or TEST_AXE's.

use strict;
use warnings;

use FindBin;
use lib "$FindBin::Bin/lib";

use Cwd qw(abs_path);
use Fcntl qw(F_DUPFD);
use File::Path qw(make_path);
use File::Temp qw(tempdir);
use IO::Handle;
use IO::Select;
use JSON::PP;
use MIME::Base64 qw(decode_base64);
use POSIX qw(WNOHANG);
use Test::Blog::Showcase qw(showcase);
use Test::Blog::Util qw(start_nginx);
use Test::More;
use Time::HiRes qw(sleep time);

my $CHROMIUM = $ENV{TEST_CHROMIUM} || '/usr/bin/chromium';
my @CHROMIUM_FLAGS = (qw(--headless --no-sandbox --disable-gpu
                         --disable-background-networking
                         --disable-component-update --no-first-run
                         --disable-sync --disable-quic
                         --remote-debugging-pipe),
                      '--host-resolver-rules=MAP * ~NOTFOUND,'
                      . ' EXCLUDE 127.0.0.1');

plan skip_all => "no Chromium at $CHROMIUM (Debian: apt-get install chromium)"
    unless -x $CHROMIUM;

# The repository, where the harness is.
my $ROOT = abs_path("$FindBin::Bin/..");
my $SHOTS = "$ROOT/build/screenshots";
my $AXE_BUILT = 'build/npm/node_modules/axe-core/axe.min.js';
my $AXE = $ENV{TEST_AXE} || "$ROOT/$AXE_BUILT";

my $TIMEOUT = 30;
my @WIDTHS = (1280, 390);
my @SCHEMES = qw(light dark);
my $HEIGHT = 900;

my @PAGES = (
    [index => '/blog/', 200],
    [post  => '/blog/the-index-youre-missing/', 200],
    [tags  => '/blog/tags/', 200],
    [tag   => '/blog/tags/distributed-systems/', 200],
    [404   => '/blog/no-such-page/', 404],
    [markdown => '/md/markdown-features/', 200],
    [shortcodes => '/md/shortcodes/', 200],
);

my $JSON = JSON::PP->new->utf8->canonical;


make_path($SHOTS);

my $axe_source;

if (open my $fh, '<', $AXE) {
    local $/;
    $axe_source = <$fh>;
}

ok(defined $axe_source, "axe-core is at $AXE")
    or diag("make $AXE_BUILT (npm ci of t/tools/package-lock.json), or"
            . " set TEST_AXE to an axe.min.js");

my $blog = start_nginx(showcase());

if ($blog) {
    check_pages($blog);
    $blog->stop;
}

done_testing();


# Every page answers with its status, then passes check_page in Chromium
# at every width.

sub check_pages {
    my ($blog) = @_;
    my $base = "http://127.0.0.1:" . $blog->port;

    for my $page (@PAGES) {
        my ($name, $uri, $status) = @$page;
        is($blog->get($uri)->{status}, $status, "GET $uri - status $status");
    }

    my $browser = Chromium->start($CHROMIUM);

    if (!ref $browser) {
        fail('Chromium starts');
        diag($browser);
        return;
    }

    my %colour;

    for my $page (@PAGES) {
        my ($name, $uri, $status) = @$page;

        for my $width (@WIDTHS) {
            for my $scheme (@SCHEMES) {
                check_page($browser, "$name-$width-$scheme", "$base$uri",
                           $width, $status, $scheme, \%colour);
            }
        }
    }

    for my $width (@WIDTHS) {
        my ($light, $dark) = map { $colour{"$width-$_"} } @SCHEMES;
        ok($light && $dark && $light ne $dark,
           "markdown-$width: a keyword's colour is the scheme's")
            or diag('light ' . ($light // '-') . ', dark ' . ($dark // '-'));
    }

    my $problem = $browser->stop;
    ok(!$problem, 'Chromium stops') or diag($problem);
}


# One page in a fresh tab WIDTH pixels wide, in the light or dark scheme:
# it loads, logs no error, has no horizontal overflow; its screenshot is
# saved as NAME.png.  The Markdown page is checked further, and its
# keywords' colour kept in colour.

sub check_page {
    my ($browser, $name, $url, $width, $status, $scheme, $colour) = @_;
    my $tab = eval { $browser->open_tab($width, $HEIGHT) };

    if (!$tab) {
        fail("$name: a tab opens");
        diag($@);
        return;
    }

    my $done = eval {
        $tab->call('Emulation.setEmulatedMedia',
                   { features => [ { name => 'prefers-color-scheme',
                                     value => $scheme } ] });

        my $load = $tab->navigate($url);
        ok(!$load->{errorText}, "$name: $url loads")
            or diag($load->{errorText});

        my $size = $tab->evaluate(<<"END");
(() => {
    const root = document.documentElement;
    const sheets = Array.from(document.styleSheets);
    const wide = [];

    for (const el of document.body.querySelectorAll('*')) {
        const box = el.getBoundingClientRect();
        if (box.right > $width + 0.5 && box.width > 0) {
            wide.push(el.tagName.toLowerCase()
                      + (el.className ? '.' + el.className : '')
                      + ' ' + Math.round(box.right) + 'px');
        }
    }

    return {
        scrollWidth: root.scrollWidth,
        innerWidth: window.innerWidth,
        wide: wide.slice(0, 10),
        styled: sheets.length > 0 && sheets.every(s => {
            try { return s.cssRules.length > 0; } catch (e) { return false; }
        }),
    };
})()
END

        # A phone widens its layout viewport (and zooms out) to fit a page
        # wider than its screen: innerWidth then grows past the width.
        my $fits = $size->{innerWidth} == $width
                   && $size->{scrollWidth} <= $size->{innerWidth};

        ok($fits, "$name: no horizontal overflow")
            or diag("at $width px: innerWidth $size->{innerWidth},"
                    . " scrollWidth $size->{scrollWidth}; wider than"
                    . " $width px:\n" . join "\n", @{ $size->{wide} });

        # A stylesheet sent with a type that is not text/css is dropped
        # without a console error: it is there, with no rules.
        ok($size->{styled}, "$name: the stylesheet applies");

        if ($name =~ /^markdown-/) {
            my $kw = check_markdown($tab, $name);
            $colour->{"$width-$scheme"} = $kw;
        }

        if ($name =~ /^shortcodes-/) {
            check_shortcodes($tab, $name);
        }

        check_axe($tab, $name);

        my $png = $tab->screenshot;
        my $file = "$SHOTS/$name.png";
        open my $fh, '>:raw', $file or die "cannot write $file: $!\n";
        print {$fh} $png;
        close $fh or die "cannot write $file: $!\n";
        note("screenshot $file");

        # Two "Failed to load resource" entries are not the page's: the 404
        # page's own status, and /favicon.ico, which the browser asks the
        # server's root for on its own and which is outside the blog.
        my ($root) = $url =~ m{^(\w+://[^/]+)};
        my @errors = grep {
            my $failed = $_->{source} eq 'network' ? $_->{url} // '' : '';
            !($status == 404 && $failed eq $url)
                && $failed ne "$root/favicon.ico"
        } $tab->errors;

        ok(!@errors, "$name: no console error")
            or diag(join "\n", map { $_->{text} } @errors);
        1;
    };

    if (!$done) {
        fail("$name: the browser answers");
        diag($@);
    }

    eval { $tab->close };
}


# The Markdown page as a reader meets it: the keyword colour, or undef.

sub check_markdown {
    my ($tab, $name) = @_;
    my $m = $tab->evaluate(<<'END');
(() => {
    const q = s => Array.from(document.querySelectorAll(s));
    const ids = new Set(q('[id]').map(e => e.id));
    const to = a => ids.has(decodeURIComponent(a.getAttribute('href').slice(1)));
    const body = document.querySelector('.post-body');
    const headings = q('.post-body h2, .post-body h3, .post-body h4');
    const anchors = q('.post-body .anchor');
    const box = body.querySelector('.table');
    const pre = body.querySelector('pre');
    const kw = body.querySelector('pre .hl-keyword');
    const code = body.querySelector('pre code');
    const a = anchors[0];
    const hidden = getComputedStyle(a).opacity;
    a.focus();
    const shown = getComputedStyle(a).opacity;
    const named = a.querySelector('.visually-hidden').textContent;
    a.blur();

    return {
        ids: headings.map(h => h.id),
        unique: ids.size === q('[id]').length,
        anchors: anchors.length === headings.length && anchors.every(to),
        hidden: hidden, shown: shown, named: named,
        toc: q('nav.toc a').map(a => a.getAttribute('href')),
        tocok: q('nav.toc a').every(to),
        table: !!box && box.tabIndex === 0 && box.scrollWidth > box.clientWidth
               && box.getBoundingClientRect().right <= window.innerWidth,
        pre: !!pre && pre.tabIndex === 0 && pre.scrollWidth > pre.clientWidth
             && pre.getBoundingClientRect().right <= window.innerWidth,
        notes: q('.footnote-ref a').length === 2
               && q('.footnote-ref a, .footnote-backref').every(to),
        kw: kw ? getComputedStyle(kw).color : null,
        plain: code ? getComputedStyle(code).color : null,
        prompt: !!body.querySelector('.hl-prompt'),
        raw: (body.innerText.match(/\[\^|\|---|~~|\{#/) || [null])[0],
    };
})()
END

    is_deeply($m->{ids}, [qw(a-wide-table code custom-id deeper a-wide-table-1)],
              "$name: every heading has its id, unique");
    ok($m->{unique}, "$name: no id twice in the page");
    ok($m->{anchors}, "$name: each heading has an anchor to its id");
    is("$m->{hidden}/$m->{shown}", '0/1',
       "$name: an anchor shows on keyboard focus only");
    is($m->{named}, 'Section: A wide table', "$name: an anchor has a name");
    is_deeply($m->{toc}, [map { "#$_" } qw(a-wide-table code custom-id deeper
                                           a-wide-table-1)],
              "$name: the contents link every h2-h4");
    ok($m->{tocok}, "$name: the contents' links lead to headings");
    ok($m->{table}, "$name: the wide table scrolls in its own focusable box");
    ok($m->{pre}, "$name: long code scrolls in its own focusable box");
    ok($m->{notes}, "$name: footnotes and their links back lead somewhere");
    ok($m->{kw} && $m->{plain} && $m->{kw} ne $m->{plain},
       "$name: keywords are coloured apart from plain code")
        or diag('keyword ' . ($m->{kw} // '-') . ', code '
                . ($m->{plain} // '-'));
    ok($m->{prompt}, "$name: the console prompt is set apart");
    is($m->{raw}, undef, "$name: no raw Markdown syntax shows");

    return $m->{kw};
}


# The built-in shortcodes' output as a reader meets it.

sub check_shortcodes {
    my ($tab, $name) = @_;
    my $s = $tab->evaluate(<<'END');
(() => {
    const q = s => Array.from(document.querySelectorAll('.post-body ' + s));
    const img = q('figure img')[0];
    return {
        figures: q('figure.figure figcaption').length,
        image: !!img && img.complete && img.naturalWidth > 0,
        frames: q('.embed iframe').map(f => f.title),
        links: q('.embed-link a').length,
        code: q('pre code .hl-keyword').length > 0,
        details: q('details.details summary').map(s => s.textContent),
        refs: q('a[href$="/md/markdown-features/"]').length,
        raw: (document.querySelector('.post-body').innerText
              .match(/\{\{[<%]/) || [null])[0],
    };
})()
END

    is($s->{figures}, 2, "$name: both figures have a caption");
    ok($s->{image}, "$name: the figure's image loads");
    is_deeply($s->{frames}, ['YouTube video', 'A film about the sea'],
              "$name: each embed's frame has a title");
    is($s->{links}, 3, "$name: the gist and the posts are links");
    ok($s->{code}, "$name: highlight's code is highlighted");
    is_deeply($s->{details}, ['More about the cat'],
              "$name: details has its summary");
    is($s->{refs}, 3, "$name: ref, relref and the figure's link lead to"
                      . " the post");
    is($s->{raw}, undef, "$name: no shortcode shows raw");
}


# axe-core's rules on the page as it is shown: every violation, with the
# elements it found it on.  Frames are not entered: the players are not
# loaded here, and what the theme owns is the iframe element.

sub check_axe {
    my ($tab, $name) = @_;

    return unless defined $axe_source;

    $tab->evaluate($axe_source . ';true');

    my $v = $tab->evaluate(<<'END');
axe.run(document, { iframes: false, resultTypes: ['violations'] })
   .then(r => r.violations.map(v => ({
       id: v.id, impact: v.impact, help: v.help,
       nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': '
                                          + (n.failureSummary || '')
                                                .replace(/\s+/g, ' '))
   })))
END

    ok(ref $v eq 'ARRAY' && !@$v, "$name: no axe-core violation")
        or diag(join "\n", map {
               "$_->{id} ($_->{impact}): $_->{help}\n    "
               . join "\n    ", @{ $_->{nodes} }
           } @{ ref $v eq 'ARRAY' ? $v : [] });
}


# A headless Chromium, its own process group and profile, spoken to over
# the DevTools pipe.

package Chromium;

use POSIX qw(WNOHANG);
use Time::HiRes qw(sleep time);

# A Chromium object, or why it did not start.

sub start {
    my ($class, $binary) = @_;
    my $profile = File::Temp::tempdir('chromium-XXXXXX', TMPDIR => 1,
                                      CLEANUP => 1);

    pipe(my $commands_in, my $commands) or return "pipe: $!";
    pipe(my $events, my $events_out) or return "pipe: $!";

    my $pid = fork;
    return "fork: $!" unless defined $pid;

    if ($pid == 0) {
        POSIX::setpgid(0, 0);

        # Chromium reads commands on fd 3 and writes on fd 4: move both
        # ends clear of 3 and 4 first, then into place (dup2 leaves them
        # open across exec).
        my $in = fcntl($commands_in, Fcntl::F_DUPFD(), 10);
        my $out = fcntl($events_out, Fcntl::F_DUPFD(), 10);
        POSIX::dup2($in, 3);
        POSIX::dup2($out, 4);
        POSIX::close($in);
        POSIX::close($out);

        open STDIN, '<', '/dev/null';
        open STDOUT, '>>', "$profile/chromium.log";
        open STDERR, '>&', \*STDOUT;

        {
            no warnings 'exec';
            exec { $binary } $binary, @CHROMIUM_FLAGS,
                             "--user-data-dir=$profile", 'about:blank';
        }
        print "cannot run $binary: $!\n";
        POSIX::_exit(127);
    }

    close $commands_in;
    close $events_out;
    binmode $commands;
    binmode $events;
    $commands->autoflush(1);

    my $self = bless {
        pid      => $pid,
        profile  => $profile,
        commands => $commands,
        events   => $events,
        select   => IO::Select->new($events),
        buffer   => '',
        next_id  => 0,
        queue    => [],
    }, $class;

    my $version = eval { $self->call('Browser.getVersion') };
    return $version ? $self
                    : "Chromium does not answer: $@" . $self->output;
}


# The end of what Chromium wrote to stdout and stderr.

sub output {
    my ($self) = @_;
    open my $fh, '<', "$self->{profile}/chromium.log" or return '';
    local $/;
    my $log = <$fh> // '';
    return "\nits output:\n"
           . (length $log > 3000 ? substr($log, -3000) : $log);
}


# Sends a command (to SESSION's page, or to the browser) and waits for its
# result; events that arrive meanwhile are queued.

sub call {
    my ($self, $method, $params, $session) = @_;
    my $id = ++$self->{next_id};
    my %message = (id => $id, method => $method, params => $params // {});
    $message{sessionId} = $session if defined $session;

    print {$self->{commands}} $JSON->encode(\%message) . "\0"
        or die "cannot send $method: $!\n";

    for ( ;; ) {
        my $m = $self->read_message($method);

        if (defined $m->{id} && $m->{id} == $id) {
            die "$method: $m->{error}{message}\n" if $m->{error};
            return $m->{result};
        }

        push @{ $self->{queue} }, $m unless defined $m->{id};
    }
}


# The queued events of SESSION, removed from the queue.

sub take_events {
    my ($self, $session) = @_;
    my (@mine, @others);

    for my $m (@{ $self->{queue} }) {
        if (($m->{sessionId} // '') eq $session) {
            push @mine, $m;

        } else {
            push @others, $m;
        }
    }

    $self->{queue} = \@others;
    return @mine;
}


sub read_message {
    my ($self, $waiting_for) = @_;
    my $deadline = time + $TIMEOUT;

    for ( ;; ) {
        if ($self->{buffer} =~ s/\A([^\0]*)\0//) {
            return $JSON->decode($1);
        }

        my $left = $deadline - time;
        die "no answer to $waiting_for within $TIMEOUT s\n"
            if $left <= 0 || !$self->{select}->can_read($left);

        my $n = sysread($self->{events}, $self->{buffer}, 1 << 20,
                        length $self->{buffer});
        die "Chromium closed the pipe\n" . $self->output unless $n;
    }
}


sub open_tab {
    my ($self, $width, $height) = @_;
    return Chromium::Tab->new($self, $width, $height);
}


# Closes the browser: '' or what went wrong.

sub stop {
    my ($self) = @_;
    my $pid = $self->{pid} or return '';
    my $problem = '';

    $self->{pid} = undef;
    eval { $self->call('Browser.close') };
    close $self->{commands};

    my $deadline = time + 10;
    while (time < $deadline) {
        my $reaped = waitpid($pid, WNOHANG);
        return '' if $reaped == $pid || $reaped == -1;
        sleep 0.05;
    }

    kill 'KILL', -$pid;
    waitpid($pid, 0);
    return "Chromium did not exit within 10 s of Browser.close; killed it";
}


sub DESTROY {
    my ($self) = @_;

    if ($self->{pid}) {
        kill 'KILL', -$self->{pid};
        waitpid($self->{pid}, 0);
    }
}


# One tab: a page target attached in flat mode, with Runtime, Log and Page
# events on, at a given window size.

package Chromium::Tab;

sub new {
    my ($class, $browser, $width, $height) = @_;

    my $target = $browser->call('Target.createTarget',
                                { url => 'about:blank' });
    my $attached = $browser->call('Target.attachToTarget',
                                  { targetId => $target->{targetId},
                                    flatten => JSON::PP::true });

    my $self = bless { browser => $browser, target => $target->{targetId},
                       session => $attached->{sessionId} }, $class;

    $self->call('Emulation.setDeviceMetricsOverride',
                { width => $width, height => $height,
                  deviceScaleFactor => 1,
                  mobile => $width < 600 ? JSON::PP::true : JSON::PP::false });
    $self->call($_) for qw(Page.enable Runtime.enable Log.enable);

    return $self;
}


sub call {
    my ($self, $method, $params) = @_;
    return $self->{browser}->call($method, $params, $self->{session});
}


# Goes to URL and waits until it is loaded, fonts included: the result of
# Page.navigate.  Polled rather than waited for as an event, which could be
# the load of the about:blank before.

sub navigate {
    my ($self, $url) = @_;
    my $result = $self->call('Page.navigate', { url => $url });

    return $result if $result->{errorText};

    my $deadline = Time::HiRes::time() + $TIMEOUT;
    my $check = 'document.readyState === "complete"'
                . ' && location.href === ' . $JSON->encode([$url]) . '[0]';

    until ($self->evaluate($check)) {
        die "$url did not load within $TIMEOUT s\n"
            if Time::HiRes::time() > $deadline;
        Time::HiRes::sleep(0.05);
    }

    $self->evaluate('document.fonts.ready.then(() => true)');

    return $result;
}


sub evaluate {
    my ($self, $expression) = @_;
    my $r = $self->call('Runtime.evaluate',
                        { expression => $expression,
                          returnByValue => JSON::PP::true,
                          awaitPromise => JSON::PP::true });

    die "the page's script failed: "
        . ($r->{exceptionDetails}{exception}{description}
           // $r->{exceptionDetails}{text}) . "\n"
        if $r->{exceptionDetails};

    return $r->{result}{value};
}


# The whole page, as PNG bytes.

sub screenshot {
    my ($self) = @_;
    my $metrics = $self->call('Page.getLayoutMetrics');
    my $size = $metrics->{cssContentSize} // $metrics->{contentSize};

    my $shot = $self->call('Page.captureScreenshot',
        { format => 'png', captureBeyondViewport => JSON::PP::true,
          clip => { x => 0, y => 0, scale => 1,
                    width => $size->{width},
                    height => $size->{height} } });

    return MIME::Base64::decode_base64($shot->{data});
}


# The console errors, uncaught exceptions and error log entries seen so
# far: a list of {text, source, url}.

sub errors {
    my ($self) = @_;
    my @errors;

    for my $m ($self->{browser}->take_events($self->{session})) {
        my $p = $m->{params};

        if ($m->{method} eq 'Runtime.consoleAPICalled'
            && ($p->{type} eq 'error' || $p->{type} eq 'assert'))
        {
            push @errors, { source => 'console', text => 'console.'
                            . $p->{type} . ': ' . join ' ',
                            map { $_->{value} // $_->{description} // '' }
                                @{ $p->{args} } };

        } elsif ($m->{method} eq 'Runtime.exceptionThrown') {
            my $d = $p->{exceptionDetails};
            push @errors, { source => 'exception', text => 'exception: '
                            . ($d->{exception}{description} // $d->{text}) };

        } elsif ($m->{method} eq 'Log.entryAdded'
                 && $p->{entry}{level} eq 'error')
        {
            my $e = $p->{entry};
            push @errors, { source => $e->{source}, url => $e->{url},
                            text => "$e->{source}: $e->{text}"
                                    . ($e->{url} ? " ($e->{url})" : '') };
        }
    }

    return @errors;
}


sub close {
    my ($self) = @_;
    $self->{browser}->call('Target.closeTarget',
                           { targetId => $self->{target} });
}
