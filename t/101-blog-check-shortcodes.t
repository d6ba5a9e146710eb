# blog-check and what a post page would remove: each unknown shortcode,
# Liquid tag or variable that needs Jekyll, and link to no post is a
# warning with its file and line, as the module logs it; the built-in
# shortcodes are known; Liquid is looked at in Jekyll's posts only.

use strict;
use warnings;

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

for my $name (keys %files) {
    my $path = "$dir/$name";
    (my $parent = $path) =~ s{/[^/]+$}{};
    make_path($parent);
    open my $fh, '>', $path or die "$path: $!\n";
    print $fh $files{$name};
    close $fh;
}

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

unlike($out, qr/"figure"|"include"|"gh 2"|site\.title/,
       'built-in shortcodes, escaped ones, raw content, known values and'
       . ' Liquid outside Jekyll posts are not warned of');

done_testing();
