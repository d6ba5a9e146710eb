package Test::Blog::Apache;

# One Apache httpd for one test file, as Test::Blog::Nginx is for nginx: a
# private server root (conf/, logs/, content/), a free loopback port, the
# generated httpd.conf with mod_blog loaded, "apache2 -t", start in the
# foreground as our child in its own process group, stop, and the error
# log read by offsets.  What to configure and check is the test's.
#
#     my $apache = Test::Blog::Apache->new(mpm => 'event');
#     $apache->write_config(<<"END");
#     <Location /blog/>
#         Blog ${\ $apache->content }
#     </Location>
#     END
#     my $problem = $apache->start;
#
# TEST_BLOG_APACHE (default /usr/sbin/apache2) is the binary; the modules
# come from TEST_BLOG_APACHE_MODULES (/usr/lib/apache2/modules).

use strict;
use warnings;

use Cwd qw(abs_path);
use File::Basename qw(dirname);
use File::Path qw(make_path);
use File::Temp qw(tempdir);
use IO::Socket::INET;
use POSIX qw(WNOHANG);
use Time::HiRes qw(sleep time);

use Test::Blog::Nginx;

my $ROOT = abs_path(dirname(__FILE__) . '/../../../..');
my $BINARY = $ENV{TEST_BLOG_APACHE} // '/usr/sbin/apache2';
my $MODULES = $ENV{TEST_BLOG_APACHE_MODULES} // '/usr/lib/apache2/modules';

my @INSTANCES;
my $OWNER = $$;


# Why Apache tests cannot run here, or '' when they can.
sub missing {
    return "no Apache httpd at $BINARY (apt-get install apache2)"
        unless -x $BINARY;
    return "no mod_blog at $ROOT/build/mod_blog.so (make apache)"
        unless -f "$ROOT/build/mod_blog.so";
    return '';
}


# new(mpm => 'event' | 'worker' | 'prefork', module => PATH or undef for
# no LoadModule of mod_blog)

sub new {
    my ($class, %args) = @_;

    umask 022;

    my $prefix = tempdir('test-apache-XXXXXX', TMPDIR => 1,
                         CLEANUP => !$ENV{TEST_BLOG_KEEP});
    chmod 0755, $prefix;
    make_path(map { "$prefix/$_" } qw(conf logs content));

    # the children, as another user, write the cache's and the locks'
    # files into logs/
    chmod 01777, "$prefix/logs";

    my $self = bless {
        module     => exists $args{module} ? $args{module}
                                               : "$ROOT/build/mod_blog.so",
        mpm        => $args{mpm} // 'event',
        prefix     => $prefix,
        port       => Test::Blog::Nginx::free_port(),
        pid        => undef,
        error_from => 0,
    }, $class;

    push @INSTANCES, $self;

    return $self;
}

sub running   { defined $_[0]{pid} }
sub prefix    { $_[0]{prefix} }
sub content   { "$_[0]{prefix}/content" }
sub port      { $_[0]{port} }
sub conf_file { "$_[0]{prefix}/conf/httpd.conf" }
sub error_log { "$_[0]{prefix}/logs/error.log" }
sub pid_file  { "$_[0]{prefix}/logs/httpd.pid" }


# The server's part of httpd.conf is ours; $body is the test's: sections,
# directives, more LoadModule lines.  Options: modules => [NAMES] to load
# (mod_NAME.so), log_format => a LogFormat for an access log,
# modules_enabled => DIR to load DIR/*.load, the way Debian's apache2.conf
# loads /etc/apache2/mods-enabled, instead of our own modules.
sub write_config {
    my ($self, $body, %opt) = @_;
    my $prefix = $self->{prefix};
    my @modules = ("mpm_$self->{mpm}",
                   qw(authz_core authz_host mime socache_shmcb),
                   @{ $opt{modules} // [] });
    my $load = join '', map {
        "LoadModule ${_}_module $MODULES/mod_$_.so\n"
    } @modules;

    $load = "IncludeOptional $opt{modules_enabled}/*.load\n"
        if defined $opt{modules_enabled};
    $load .= "LoadModule blog_module $self->{module}\n"
        if defined $self->{module};

    my $user = '';
    if ($> == 0) {
        my $name = getpwnam('www-data') ? 'www-data' : 'nobody';
        my $group = getgrnam('www-data') ? 'www-data' : 'nogroup';
        $user = "User $name\nGroup $group\n";
    }

    my $access = defined $opt{log_format}
        ? qq{LogFormat "$opt{log_format}" blog\n}
          . "CustomLog $prefix/logs/access.log blog\n"
        : '';

    my $conf = <<"END";
ServerRoot $prefix
PidFile $prefix/logs/httpd.pid
Listen 127.0.0.1:$self->{port}
ServerName localhost
$load$user
ErrorLog $prefix/logs/error.log
LogLevel info
Mutex file:$prefix/logs default
TypesConfig /etc/mime.types
$access
$body
END

    open my $fh, '>', $self->conf_file or die "cannot write httpd.conf: $!\n";
    print {$fh} $conf;
    close $fh or die "cannot write httpd.conf: $!\n";
}


# (passed, what apache2 -t and the error log said)
sub test_config {
    my ($self) = @_;
    my $output = `$BINARY -t -f ${\ $self->conf_file } 2>&1`;
    return ($? == 0, $output);
}


# '' once it accepts connections, else what went wrong with its log.
sub start {
    my ($self) = @_;

    $self->{error_from} = -s $self->error_log // 0;
    unlink $self->pid_file;

    my $pid = fork;
    die "fork: $!\n" unless defined $pid;

    if ($pid == 0) {
        POSIX::setpgid(0, 0);
        open STDIN, '<', '/dev/null';
        open STDOUT, '>>', "$self->{prefix}/logs/stderr.log";
        open STDERR, '>&', \*STDOUT;
        { no warnings 'exec'; exec $BINARY, '-f', $self->conf_file,
                                   '-DFOREGROUND'; }
        POSIX::_exit(127);
    }

    POSIX::setpgid($pid, $pid);
    $self->{pid} = $pid;

    my $deadline = time + 20;

    while (time < $deadline) {
        if (waitpid($pid, WNOHANG) == $pid) {
            $self->{pid} = undef;
            return "apache2 exited with status " . ($? >> 8) . "; its log:\n"
                   . $self->log_since_start;
        }

        return '' if -s $self->pid_file && $self->accepts;

        sleep 0.05;
    }

    $self->stop;
    return "apache2 did not accept connections within 20 s; its log:\n"
           . $self->log_since_start;
}


# as nginx's harness: the port takes a connection
sub accepts { Test::Blog::Nginx::accepts(@_) }


# A graceful stop (SIGWINCH to the parent's group would be graceful-stop;
# SIGTERM stops the children at once, which is what a test wants).
sub stop {
    my ($self) = @_;
    my $pid = $self->{pid} or return;

    $self->{pid} = undef;
    kill 'TERM', $pid;

    my $deadline = time + 10;

    while (time < $deadline) {
        my $reaped = waitpid($pid, WNOHANG);
        return if $reaped == $pid || $reaped == -1;
        sleep 0.05;
    }

    kill 'KILL', -$pid;
    waitpid($pid, 0);
}


# The log since the start, its lines as nginx writes them (see nginx_line).
sub log_since_start {
    my ($self) = @_;
    return join '', map { nginx_line($_) . "\n" }
                    split /\n/, read_from($self->error_log,
                                          $self->{error_from});
}


# The error log's lines since the last call (or the start), as nginx's.
sub new_log_lines {
    my ($self) = @_;
    my $text = read_from($self->error_log, $self->{lines_from} // 0);
    $self->{lines_from} = ($self->{lines_from} // 0) + length $text;
    return map { nginx_line($_) } split /\n/, $text;
}


# "[Mon Dec 07 03:30:57.102365 2026] [blog:error] [pid 1:tid 2] MESSAGE"
# as "2026/12/07 03:30:57 [error] 1#2: MESSAGE", so that a test's
# expectations of the log read the same under both servers.
my %MONTH = (Jan => 1, Feb => 2, Mar => 3, Apr => 4, May => 5, Jun => 6,
             Jul => 7, Aug => 8, Sep => 9, Oct => 10, Nov => 11, Dec => 12);

sub nginx_line {
    my ($line) = @_;

    $line =~ s{^\[\w+\ (\w+)\ (\d+)\ (\d\d:\d\d:\d\d)\.\d+\ (\d+)\]
               \ \[(?:[\w.]*:)?(\w+)\]\ \[pid\ (\d+)(?::tid\ (\d+))?\]
               (?:\ \[client\ [^\]]*\])?\ }
              {sprintf "%s/%02d/%02d %s [%s] %s#%s: ", $4, $MONTH{$1} // 0,
                       $2, $3, ($5 eq 'warning' ? 'warn' : $5), $6,
                       $7 // 0}ex;

    return $line;
}


sub numbered_config {
    my ($self) = @_;
    my $n = 0;

    open my $fh, '<', $self->conf_file or return '';
    return join '', map { sprintf "%3d  %s", ++$n, $_ } <$fh>;
}


# An nginx configuration of a test block as mod_blog's: (the httpd.conf
# body, [modules to load]), or (undef, why not) for what has no
# equivalent under httpd.  The blog's directives become their Blog*
# namesakes, a location a <Location>, blog_status a blog-status handler,
# blog_cache a socache, "gzip on" mod_deflate; the zones' directives and
# blog_watch (httpd's children scan) have nothing to say.

my %DIRECTIVE = (
    blog => 'Blog', blog_title => 'BlogTitle',
    blog_description => 'BlogDescription', blog_author => 'BlogAuthor',
    blog_base_url => 'BlogBaseURL', blog_home_url => 'BlogHomeURL',
    blog_favicon => 'BlogFavicon', blog_templates => 'BlogTemplates',
    blog_posts_per_page => 'BlogPostsPerPage',
    blog_summary_length => 'BlogSummaryLength',
    blog_words_per_minute => 'BlogWordsPerMinute',
    blog_check_interval => 'BlogCheckInterval',
    blog_drafts => 'BlogDrafts', blog_raw_html => 'BlogRawHTML',
    blog_markdown => 'BlogMarkdown', blog_max_post_size => 'BlogMaxPostSize',
    blog_max_front_matter_size => 'BlogMaxFrontMatterSize',
    blog_max_front_matter_depth => 'BlogMaxFrontMatterDepth',
);

my %IGNORED = map { $_ => 1 }
              qw(blog_cache_zone blog_index_zone blog_watch);

sub translate {
    my ($self, $main, $http, $server) = @_;
    my ($out, @modules) = ('');

    for my $st (statements($main // '')) {
        # httpd's children run as its User, whoever nginx's workers are
        next if $st->{name} eq 'user';
        return (undef, "\"$st->{name}\" has no httpd equivalent")
            unless $IGNORED{$st->{name}};
    }

    # the blog's directives outside a location hold for the server
    for my $st (statements($http // ''), statements($server // '')) {
        my ($text, $why, @more) = $self->section($st, '');
        return (undef, $why) unless defined $text;
        $out .= $text;
        push @modules, @more;
    }

    my %seen;
    return ($out, [grep { !$seen{$_}++ } @modules]);
}


# one statement of http {} or server {}, as httpd's: (text, undef,
# modules), or (undef, why not)
sub section {
    my ($self, $st, $indent) = @_;
    my $name = $st->{name};
    my ($out, @modules) = ('');

    if (!$st->{block} && ($DIRECTIVE{$name} || $name eq 'blog_cache')) {
        my ($line, $why) = $self->directive($st);
        return (undef, $why) unless defined $line;
        return ("$indent$line\n");
    }

    if ($name eq 'location' && $st->{block}) {
        my $path = $st->{args}[0] // '';
        return (undef, "location $path is not a prefix location")
            if @{ $st->{args} } != 1;

        $out .= "$indent<Location $path>\n";

        for my $d (@{ $st->{block} }) {
            my ($line, $why, @more) = $self->directive($d);
            return (undef, $why) unless defined $line;
            $out .= "$indent    $line\n" if $line ne '';
            push @modules, @more;
        }

        return ("$out$indent</Location>\n", undef, @modules);
    }

    # another server, on a port of its own: a virtual host
    if ($name eq 'server' && $st->{block}) {
        my ($listen) = map { $_->{args}[0] }
                       grep { $_->{name} eq 'listen' } @{ $st->{block} };
        return (undef, 'a server with no listen') unless $listen;

        my $body = '';

        for my $d (@{ $st->{block} }) {
            next if $d->{name} eq 'listen' || $d->{name} eq 'server_name';
            my ($text, $why, @more) = $self->section($d, "$indent    ");
            return (undef, $why) unless defined $text;
            $body .= $text;
            push @modules, @more;
        }

        return ("Listen $listen\n<VirtualHost $listen>\n$body"
                . "</VirtualHost>\n", undef, @modules);
    }

    # httpd knows its types (TypesConfig)
    return ('') if $name eq 'include'
                   && ($st->{args}[0] // '') =~ /mime\.types$/;

    if ($name eq 'large_client_header_buffers') {
        my ($size) = ($st->{args}[1] // '') =~ /^(\d+)k$/i
            or return (undef, "large_client_header_buffers $st->{args}[1]");
        return ("LimitRequestLine " . $size * 1024
                . "\nLimitRequestFieldSize " . $size * 1024 . "\n");
    }

    return (undef, "\"$name\" has no httpd equivalent")
        unless $IGNORED{$name};

    return ('');
}


sub directive {
    my ($self, $d) = @_;
    my $name = $d->{name};
    my @args = @{ $d->{args} };

    return ('') if $IGNORED{$name};

    # nginx's test workers run as root; httpd's children never do: a
    # folder of the repository they may not read (in a home of mode 0700)
    # is served from a copy in the prefix, with its files' times
    if ($name eq 'blog' && !children_read($args[0] // '')) {
        $args[0] = $self->readable_copy($args[0])
            // return (undef, "httpd's children (www-data) may not read "
                              . "$args[0], nor a copy of it");
    }
    return ('SetHandler blog-status') if $name eq 'blog_status';

    if ($name eq 'blog_cache') {
        return ('BlogCache none') if $args[0] eq 'off';
        return ("BlogCache shmcb:$self->{prefix}/logs/$args[0]"
                . "(8388608)");
    }

    if ($name eq 'gzip') {
        return ('') if $args[0] eq 'off';
        return ('SetOutputFilter DEFLATE', undef, 'deflate');
    }

    my $ap = $DIRECTIVE{$name}
        or return (undef, "\"$name\" has no httpd equivalent");

    @args = map { ucfirst } @args if $ap eq 'BlogDrafts' || $ap eq 'BlogRawHTML';

    return (join ' ', $ap, map { /[\s"]/ || $_ eq '' ? qq{"$_"} : $_ } @args);
}


# A copy of the folder PATH in the prefix, which the children may read,
# made once per folder and instance; undef if it cannot be made.
sub readable_copy {
    my ($self, $path) = @_;

    return $self->{copies}{$path} if $self->{copies}{$path};
    return undef unless $path =~ m{^/} && -d $path;

    my $copy = "$self->{prefix}/copy-" . (keys(%{ $self->{copies} }) + 1);

    system('cp', '-a', $path, $copy) == 0
        && system('chmod', '-R', 'a+rX', $copy) == 0
        or return undef;

    return $self->{copies}{$path} = $copy;
}


# Whether the children's user may read the folder PATH: every folder on
# the way open to others (the children are neither its owner nor in its
# group), as a root test's content in a home of mode 0700 is not.
sub children_read {
    my ($path) = @_;

    return 1 unless $> == 0;
    return 0 unless $path =~ m{^/};

    my $dir = '';

    for my $part (grep { length } split m{/}, $path) {
        $dir .= "/$part";
        my @st = stat $dir or return 0;
        return 0 unless $st[2] & 0001;
    }

    my @st = stat $path or return 0;
    return $st[2] & 0004 ? 1 : 0;
}


# nginx's syntax, enough for test blocks: name args; or name args { ... }
sub statements {
    my ($text) = @_;
    my @tokens = $text =~ /"((?:[^"\\]|\\.)*)"|'([^']*)'|([{};])|([^\s{};"'#]+)|#[^\n]*/g;
    my @list;
    my @stack = (\@list);
    my $cur;

    while (@tokens) {
        my ($dq, $sq, $punct, $word) = splice @tokens, 0, 4;
        next if !defined $dq && !defined $sq && !defined $punct
                && !defined $word;

        if (defined $punct) {
            if ($punct eq '{') {
                $cur->{block} = [];
                push @{ $stack[-1] }, $cur;
                push @stack, $cur->{block};
                $cur = undef;

            } elsif ($punct eq '}') {
                pop @stack;

            } else {
                push @{ $stack[-1] }, $cur if $cur;
                $cur = undef;
            }

            next;
        }

        my $value = $dq // $sq // $word;

        if ($cur) {
            push @{ $cur->{args} }, $value;
        } else {
            $cur = { name => $value, args => [] };
        }
    }

    return @list;
}


sub read_from { Test::Blog::Nginx::read_from(@_) }


END {
    return unless $$ == $OWNER;
    $_->stop for @INSTANCES;
}

1;
