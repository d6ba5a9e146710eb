package Test::Blog::Corpus;

# What the original generator of a real blog would publish, computed in
# Perl from the files alone, for t/120-corpus.t: which files are posts,
# their titles, dates and URL names, and why the others are not posts.
# Each generator's rules are written down here from its own source (see
# the notes above each one), not from ngx_blog_module's.
#
#   my $model = Test::Blog::Corpus::model('jekyll', '/path/to/folder');
#   $model->{files}      every regular file below the folder, relative
#   $model->{entries}    { FILE => entry } for every .md/.markdown file
#   $model->{posts}      the entries that are published, newest first
#
# An entry: file, kind ('post', or why not: 'redirect', 'no date',
# 'draft', 'unpublished', 'future', 'not a post file'), title, date (see
# parse_* below: { ymd, hms, offset (seconds east, undef: none given),
# epoch, text }), base (the URL name before duplicates are told apart),
# slug (after), body (the Markdown after the front matter), fm (the
# front matter, decoded) and fm_error.
#
# Front matter is decoded with YAML::XS (Debian: libyaml-libyaml-perl):
# Jekyll reads it with Psych, which is libyaml too; Hugo's, Go's and the
# Rust blog's YAML libraries agree with it on the fields used here.

use strict;
use warnings;

use Encode qw(decode);
use Exporter qw(import);
use File::Find ();
use POSIX ();
use Time::Local qw(timegm);

our @EXPORT_OK = qw(model generator_of parse_rfc3339 html_text);

# The folders of shared/corpus and their generators (SOURCE.txt says which).
my %GENERATOR = (
    'go-blog'      => 'go',
    'hugo-posts'   => 'hugo',
    'jekyll-posts' => 'jekyll',
    'rust-blog'    => 'rust',
);

sub generator_of { $GENERATOR{ $_[0] } }


sub model {
    my ($generator, $root, %opt) = @_;
    my $now = $opt{now} // time;
    my $rules = {
        go     => \&go_entry,
        hugo   => \&hugo_entry,
        jekyll => \&jekyll_entry,
        rust   => \&rust_entry,
    }->{$generator} or die "no rules for the generator '$generator'\n";

    require YAML::XS;

    my @files;
    File::Find::find({ no_chdir => 1, wanted => sub {
        return unless -f $_ && !-l $_;
        (my $rel = $File::Find::name) =~ s{\A\Q$root\E/}{};
        push @files, $rel;
    } }, $root);
    @files = sort @files;

    my %entries;

    for my $file (grep { /\.(?:md|markdown)\z/ } @files) {
        my $bytes = slurp("$root/$file");
        my $entry = $rules->($file, $bytes) or next;
        $entry->{file} = $file;

        if ($entry->{kind} eq 'post' && $entry->{date}
            && defined $entry->{date}{epoch} && $entry->{date}{epoch} > $now)
        {
            $entry->{kind} = 'future';
        }

        $entries{$file} = $entry;
    }

    # Files that are no Markdown file at all but look like posts (the Rust
    # blog's post without an extension): the generator reads only "*.md".
    for my $file (grep { !/\.(?:md|markdown|txt|yml)\z/ && !/(?:^|\/)LICENSE/ }
                  @files)
    {
        $entries{$file} = { file => $file, kind => 'not a post file',
                            title => undef };
    }

    my @posts = grep { $_->{kind} eq 'post' } values %entries;
    assign_slugs(\@posts);

    @posts = sort { order_key($b) cmp order_key($a) || $b->{file} cmp $a->{file} }
             @posts;

    return { generator => $generator, root => $root, files => \@files,
             entries => \%entries, posts => \@posts };
}


# Newest first; a post whose date the files don't tell sorts last.
sub order_key {
    my ($entry) = @_;
    my $epoch = $entry->{date} ? $entry->{date}{sort_epoch} : undef;
    return defined $epoch ? sprintf('%020.3f', $epoch + 1e11) : '0';
}


# Two posts with one URL name: the newest keeps it, each older one gets
# "-YYYY-MM-DD" (DESIGN.md; the generators had the date in the URL).
sub assign_slugs {
    my ($posts) = @_;
    my %by;

    push @{ $by{ $_->{base} } }, $_ for @$posts;

    for my $group (values %by) {
        my @g = sort { order_key($b) cmp order_key($a)
                       || $b->{file} cmp $a->{file} } @$group;
        $g[0]{slug} = $g[0]{base};
        $_->{slug} = "$_->{base}-" . ($_->{date} ? $_->{date}{ymd} : 'nodate')
            for @g[1 .. $#g];
    }
}


# Jekyll (jekyll/jekyll, lib/jekyll/document.rb, reader.rb, utils.rb;
# docs/_config.yml): _posts/YYYY-MM-DD-TITLE.EXT; front matter only when
# the file starts with "---"; "date:" overrides the name's date and is
# read by Ruby's Time.parse in the site's timezone (America/Los_Angeles)
# when it has no offset of its own; "published: false" hides a post, and
# so does a future date (future: false). URL: /news/:year/:month/:day/:title/,
# :title being "slug:" or the name's TITLE.

sub jekyll_entry {
    my ($file, $bytes) = @_;

    return { kind => 'not a post file' }
        unless $file =~ m{(?:^|/)(\d{4})-(\d\d)-(\d\d)-([^/]+)\.(?:md|markdown)\z};
    my ($y, $m, $d, $name) = ($1, $2, $3, $4);

    my ($fm, $body, $error) = front_matter($bytes, qr/\A---[ \t]*\r?\n/,
                                           qr/^(?:---|\.\.\.)[ \t]*\r?$/m);
    my $entry = entry($fm, $body, $error);

    my $date = parse_loose($fm->{date}, 'America/Los_Angeles')
               // wall_date($y, $m, $d, 'America/Los_Angeles');
    $entry->{date} = $date;
    $entry->{base} = slug_value($fm->{slug}) // $name;
    $entry->{kind} = is_false($fm->{published}) ? 'unpublished' : 'post';
    $entry->{title} //= titleize($name);
    return $entry;
}


# Hugo (gohugoio/hugo: parser/pageparser skips blank lines before the
# front matter; resources/page/pagemeta: "date", then none; "draft: true"
# and future dates are not built by default): every content page but
# _index.md; a bundle's URL name is its folder's, "slug:" overrides it.
# A page without "date" gets the zero date or its Git date, which the
# files can't tell: its date is unknown here.

sub hugo_entry {
    my ($file, $bytes) = @_;

    return undef if $file =~ m{(?:^|/)_index\.md\z};

    my ($fm, $body, $error) = front_matter($bytes, qr/\A\s*---[ \t]*\r?\n/,
                                           qr/^---[ \t]*\r?$/m);
    my $entry = entry($fm, $body, $error);

    my $name = $file =~ m{([^/]+)/index\.md\z} ? $1
             : $file =~ m{([^/]+)\.md\z}       ? $1 : $file;

    $entry->{date} = parse_rfc3339_or_date($fm->{date}, 'UTC');
    $entry->{base} = slug_value($fm->{slug}) // $name;
    $entry->{kind} = is_true($fm->{draft}) ? 'draft' : 'post';
    return $entry;
}


# The Go blog (golang/website: internal/web/page.go parseMeta needs
# "---\n" at the start and "\n---\n" at the end; yaml.v3 reads a date as
# 2006-1-2 with optional time; _content/blog/index.md and all.md list
# only the pages that have a "date"; a "redirect:" page is a redirect):
# _content/blog/SLUG.md at /blog/SLUG.

sub go_entry {
    my ($file, $bytes) = @_;

    my ($fm, $body, $error) = front_matter($bytes, qr/\A---\n/, qr/^---$/m);
    my $entry = entry($fm, $body, $error);
    (my $name = $file) =~ s{^.*/|\.md\z}{}g;

    $entry->{base} = $name;
    $entry->{date} = parse_go_yaml_date($fm->{date});

    $entry->{kind} = defined $fm->{redirect} ? 'redirect'
                   : !$entry->{date}         ? 'no date'
                   : 'post';
    return $entry;
}


# The Rust blog (rust-lang/blog.rust-lang.org at 650e08fc, src/blogs.rs
# and src/posts.rs): every "*.md" in a folder with a blog.yml; the date
# is the file name's (YYYY-MM-DD-NAME.md, midnight UTC); the front
# matter is bytes 0 .. the first "---" after byte 4, read by serde_yaml
# (so a missing opening "---" is no problem); URL YYYY/MM/DD/NAME.html.

sub rust_entry {
    my ($file, $bytes) = @_;

    return { kind => 'not a post file' }
        unless $file =~ m{(?:^|/)(\d{4})-(\d{1,2})-(\d{1,2})-([^/]+)\.md\z};
    my ($y, $m, $d, $name) = ($1, $2, $3, $4);

    my ($fm, $body, $error);
    my $end = length($bytes) > 4 ? index($bytes, '---', 4) : -1;

    if ($end < 0) {
        $error = 'no "---" after the front matter';
    } else {
        my $yaml = substr($bytes, 0, $end);
        $body = substr($bytes, $end + 3);
        $body =~ s/\A[^\n]*\n//;
        ($fm, $error) = load_yaml($yaml);
    }

    my $entry = entry($fm, $body, $error);
    $entry->{date} = wall_date($y, $m, $d, 'UTC');
    $entry->{base} = $name;
    $entry->{kind} = 'post';
    return $entry;
}


sub entry {
    my ($fm, $body, $error) = @_;
    $fm = {} unless ref $fm eq 'HASH';

    my $title = $fm->{title};
    $title = undef if ref $title;

    return { fm => $fm, body => decode_utf8($body // ''), fm_error => $error,
             title => defined $title ? "$title" : undef };
}


# (front matter, body, error): the YAML between START and END, decoded.
sub front_matter {
    my ($bytes, $start, $end) = @_;

    return ({}, $bytes, undef) unless $bytes =~ $start;
    my $from = $+[0];

    # the closing line may directly follow the opening one
    my $rest = substr($bytes, $from);
    $rest =~ $end or return ({}, $bytes, 'front matter has no closing line');
    my $yaml = substr($rest, 0, $-[0]);
    my $body = substr($rest, $+[0]);
    $body =~ s/\A\r?\n//;

    my ($fm, $error) = load_yaml($yaml);
    return ($fm, $body, $error);
}


sub load_yaml {
    my ($yaml) = @_;
    $yaml =~ s/\r\n/\n/g;

    my $fm = eval { YAML::XS::Load($yaml) };
    return ({}, "YAML: $@") unless defined $fm || !$@;
    return ({}, undef) unless defined $fm;
    return ({}, 'front matter is not a mapping') unless ref $fm eq 'HASH';
    return ($fm, undef);
}


sub slurp {
    my ($path) = @_;
    open my $fh, '<:raw', $path or die "cannot read $path: $!\n";
    local $/;
    return scalar <$fh>;
}


sub decode_utf8 {
    my ($bytes) = @_;
    return eval { decode('UTF-8', $bytes, Encode::FB_CROAK) } // $bytes;
}


sub slug_value {
    my ($v) = @_;
    return undef unless defined $v && !ref $v && length $v;
    return "$v";
}

sub is_true  { defined $_[0] && !ref $_[0] && $_[0] =~ /\A(?:1|true|yes|on)\z/i }
sub is_false { defined $_[0] && !ref $_[0] && $_[0] =~ /\A(?:|0|false|no|off)\z/i }


# Jekyll's fallback title: the name's words, capitalised.
sub titleize {
    my ($name) = @_;
    return join ' ', map { ucfirst } split /-/, $name;
}


# Dates.  A date is { ymd => 'YYYY-MM-DD', hms => 'HH:MM:SS', offset =>
# seconds east of UTC or undef when the text gave none, epoch => the
# instant (a date without offset in TZ), sort_epoch, text }.

sub make_date {
    my ($y, $m, $d, $H, $M, $S, $offset, $tz, $text) = @_;
    $_ //= 0 for $H, $M, $S;

    return undef unless $m >= 1 && $m <= 12 && $d >= 1 && $d <= 31
                        && $H < 24 && $M < 60 && $S < 61;

    my $epoch;
    if (defined $offset) {
        $epoch = eval { timegm($S, $M, $H, $d, $m - 1, $y) };
        return undef unless defined $epoch;
        $epoch -= $offset;
    } else {
        $epoch = local_epoch($y, $m, $d, $H, $M, $S, $tz);
        return undef unless defined $epoch;
    }

    return { ymd => sprintf('%04d-%02d-%02d', $y, $m, $d),
             hms => sprintf('%02d:%02d:%02d', $H, $M, $S),
             offset => $offset, epoch => $epoch, sort_epoch => $epoch,
             text => $text };
}


sub local_epoch {
    my ($y, $m, $d, $H, $M, $S, $tz) = @_;

    return eval { timegm($S, $M, $H, $d, $m - 1, $y) }
        if !$tz || $tz eq 'UTC';

    local $ENV{TZ} = $tz;
    POSIX::tzset();
    my $epoch = POSIX::mktime($S, $M, $H, $d, $m - 1, $y - 1900, 0, 0, -1);
    delete local $ENV{TZ};
    POSIX::tzset();
    return $epoch;
}


sub wall_date {
    my ($y, $m, $d, $tz) = @_;
    return make_date($y, $m, $d, 0, 0, 0, undef, $tz, "$y-$m-$d (file name)");
}


sub offset_of {
    my ($zone) = @_;
    return undef unless defined $zone && length $zone;
    return 0 if $zone =~ /\A(?:Z|UTC|GMT)\z/i;
    $zone =~ /\A([+-])(\d\d):?(\d\d)\z/ or return undef;
    return ($1 eq '-' ? -1 : 1) * ($2 * 3600 + $3 * 60);
}


# RFC 3339, or YYYY-MM-DD, or YYYY-MM-DD HH:MM:SS (Hugo's cast.ToTime).
sub parse_rfc3339_or_date {
    my ($text, $tz) = @_;
    return undef unless defined $text && !ref $text;

    $text =~ /\A\s*(\d{4})-(\d\d)-(\d\d)
              (?:[Tt ](\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?
                 \s*(Z|[+-]\d\d:?\d\d)?)?\s*\z/x or return undef;
    return make_date($1, $2, $3, $4, $5, $6, offset_of($7), $tz, $text);
}


sub parse_rfc3339 { parse_rfc3339_or_date($_[0], 'UTC') }


# gopkg.in/yaml.v3 resolve.go: "2006-1-2T15:4:5.999999999Z07:00",
# "2006-1-2t15:4:5.999999999Z07:00", "2006-1-2 15:4:5.999999999",
# "2006-1-2" (one or two digits for month, day, hour, minute, second).
sub parse_go_yaml_date {
    my ($text) = @_;
    return undef unless defined $text && !ref $text;

    if ($text =~ /\A(\d{4})-(\d\d?)-(\d\d?)[Tt](\d\d?):(\d\d?):(\d\d?)(?:\.\d+)?
                  (Z|[+-]\d\d:\d\d)\z/x)
    {
        return make_date($1, $2, $3, $4, $5, $6, offset_of($7), 'UTC', $text);
    }
    if ($text =~ /\A(\d{4})-(\d\d?)-(\d\d?)(?: (\d\d?):(\d\d?):(\d\d?)(?:\.\d+)?)?\z/) {
        return make_date($1, $2, $3, $4, $5, $6, undef, 'UTC', $text);
    }
    return undef;
}


# Ruby's Time.parse, for the forms Jekyll posts use: a date, then maybe a
# time, then maybe a zone right after the time; anything else after the
# date or time is ignored (Date._parse matches the pieces it knows).
sub parse_loose {
    my ($text, $tz) = @_;
    return undef unless defined $text && !ref $text;

    $text =~ /\A\s*(\d{4})-(\d\d?)-(\d\d?)
              (?:[Tt\s]+(\d\d?):(\d\d)(?::(\d\d)(?:[.,]\d+)?)?
                 (?:\s*(Z\b|UTC\b|GMT\b|[+-]\d\d:?\d\d))?)?/x or return undef;
    return make_date($1, $2, $3, $4, $5, $6, offset_of($7), $tz, $text);
}


# The text of an HTML fragment: tags removed, entities decoded.
sub html_text {
    my ($html) = @_;
    my %entity = (amp => '&', lt => '<', gt => '>', quot => '"', apos => "'",
                  nbsp => "\x{a0}", middot => "\x{b7}", larr => "\x{2190}",
                  rarr => "\x{2192}", hellip => "\x{2026}");

    $html =~ s/<[^>]*>//g;
    $html =~ s{&#[xX]([0-9a-fA-F]+);}{chr hex $1}ge;
    $html =~ s{&#(\d+);}{chr $1}ge;
    $html =~ s{&(\w+);}{$entity{$1} // "&$1;"}ge;
    return $html;
}


1;
