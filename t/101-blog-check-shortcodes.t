# blog-check and what a post page would remove: each unknown shortcode,
# Liquid tag or variable that needs Jekyll, and link to no post is a
# warning with its file and line, as the module logs it; the built-in
# shortcodes are known; Liquid is looked at in Jekyll's posts only.
# --templates DIR adds a site's theme, as blog_templates does: its
# shortcodes/ are known too, and a theme nginx would refuse is exit 2.

use strict;
use warnings;

use Cwd qw(abs_path);
use Errno qw(ENOENT);
use File::Path qw(make_path);
use File::Temp qw(tempdir);
use FindBin;
use Test::More;

my $top = "$FindBin::Bin/..";
my $bin = $ENV{BLOG_CHECK_BINARY} // "$top/build/blog-check";

plan skip_all => "$bin is not built (make build/blog-check)" unless -x $bin;

my $dir = tempdir('blog-check-sc-XXXXXX', TMPDIR => 1, CLEANUP => 1);

my %files = (
    'hugo.md' => <<'END',
---
title: Hugo
---
{{< figure src="a.png" alt="A" >}} {{< gh 1 >}}

{{< code-toggle >}}
x = 1
{{< /code-toggle >}} [t]({{< ref "nowhere.md" >}}) {{</* gh 2 */>}}
{% include not-jekyll.html %}
END
    '_posts/2024-01-05-jekyll.md' => <<'END',
---
title: Jekyll
---
{{ site.title }} {% raw %}{% include ok %}{% endraw %}

{% for i in x %}{{ i }}{% endfor %}
[a]({% link _docs/history.md %}) {{ site.repository }}
END
);

write_files($dir, %files);

my $out = `$bin $dir 2>&1`;

my @cases = (
    [ 'hugo.md', 4, 'unknown shortcode "gh", removed' ],
    [ 'hugo.md', 6, 'unknown shortcode "code-toggle", removed' ],
    [ 'hugo.md', 8, 'ref "nowhere.md" names no post' ],
    [ '_posts/2024-01-05-jekyll.md', 6,
      'Liquid tag "for" needs Jekyll\'s templates, removed with its body' ],
    [ '_posts/2024-01-05-jekyll.md', 7, 'link "_docs/history.md" names no post' ],
    [ '_posts/2024-01-05-jekyll.md', 7,
      'Liquid variable "site.repository" is not known here, removed' ],
);

for my $case (@cases) {
    my ($file, $line, $text) = @$case;
    like($out, qr{\Q$dir/$file:$line: warning: $text\E},
         "$file:$line: $text");
}

unlike($out, qr/"figure"|"include"|site\.title/,
       'built-in shortcodes, raw content, known values and Liquid outside'
       . ' Jekyll posts are not warned of');

# a warning names the shortcode alone: the escaped one, on line 8, would
# be "gh" there
unlike($out, qr{\Q$dir/hugo.md:8: warning: unknown shortcode "gh"\E},
       'an escaped shortcode is not warned of');


# --- --templates DIR

my $themes = tempdir('blog-check-theme-XXXXXX', TMPDIR => 1, CLEANUP => 1);

write_files("$themes/site",
    'shortcodes/gh.html' =>
        qq{<a href="https://github.com/gohugoio/hugo/issues/{{0}}">#{{0}}</a>\n},
    'post.html' => qq{<article>{{{post.content}}}</article>\n},
    'README.md' => "{{#not a template\n");
write_files("$themes/broken",
    'shortcodes/gh.html' => "<b>\n{{#args}}{{.}}\n");
write_files("$themes/broken-top", 'index.html' => "{{/posts}}\n");

$out = `$bin --templates $themes/site $dir 2>&1`;
is($? >> 8, 0, '--templates: exit 0');
unlike($out, qr/unknown shortcode "gh"/,
       "--templates: the theme's shortcodes/gh.html is known");
like($out, qr{\Q$dir/hugo.md:6: warning: unknown shortcode "code-toggle"\E},
     '--templates: a shortcode neither has is still warned of');
unlike($out, qr/"figure"/, '--templates: the built-in ones are still known');

$out = `$bin --templates=$themes/site $dir 2>&1`;
unlike($out, qr/unknown shortcode "gh"/, '--templates=DIR works too');

my $enoent = do { local $! = ENOENT; "$!" };

for my $case (
    [ "$themes/broken", qr{\Q$themes/broken/shortcodes/gh.html:2: \E\S},
      'a shortcode template that does not compile' ],
    [ "$themes/broken-top", qr{\Q$themes/broken-top/index.html:1: \E\S},
      'a page template that does not compile' ],
    [ "$themes/none", qr{\Q$themes/none: $enoent\E},
      'a theme folder that is not there' ],
    [ "$themes/site/post.html", qr{\Q$themes/site/post.html: \E\S},
      'a theme that is a file' ],
) {
    my ($theme, $says, $name) = @$case;

    $out = `$bin --templates $theme $dir 2>&1`;
    is($? >> 8, 2, "$name: exit 2");
    like($out, qr/^blog-check: --templates: $says/m,
         "$name: named, with the reason");
    unlike($out, qr/published/, "$name: nothing checked");
}

$out = `$bin $dir --templates 2>&1`;
is($? >> 8, 2, '--templates without a folder: exit 2');

# The Hugo corpus's own shortcode, gh, known with a theme that has it.
my $hugo = abs_path("$top/../shared/corpus/hugo-posts");

SKIP: {
    skip "no Hugo corpus beside the repository", 2
        unless defined $hugo && -d $hugo;

    $out = `$bin $hugo 2>&1`;
    like($out, qr/unknown shortcode "gh"/,
         'the Hugo corpus: gh is unknown to the built-in theme');

    $out = `$bin --templates $themes/site $hugo 2>&1`;
    unlike($out, qr/unknown shortcode "gh"/,
           'the Hugo corpus: gh is known with --templates');
}

done_testing();


# a folder of files: name => text
sub write_files {
    my ($root, %files) = @_;

    for my $name (keys %files) {
        my $path = "$root/$name";
        (my $parent = $path) =~ s{/[^/]+$}{};
        make_path($parent);
        open my $fh, '>', $path or die "$path: $!\n";
        print $fh $files{$name};
        close $fh or die "$path: $!\n";
    }
}
