package Test::Blog::Showcase;

# The pages the browser and HTML validator tests look at: the example blog
# as make demo serves it (contrib/example at /blog/ with the directives of
# contrib/demo/nginx.conf) and, at /md/, a folder with a post of every
# Markdown feature (tables, footnotes, heading anchors, a table of
# contents, highlighted code; wide enough to scroll on a phone) and a post
# of every built-in shortcode (figure, youtube, vimeo, gist, x, tweet,
# highlight, details, ref, relref).  The /md/ blog shows one post to a
# page and both posts share a tag, so that its index and its tag have
# pages after the first.  What to check in them is left to the tests.
#
#   my $blog = start_nginx(showcase());

use strict;
use warnings;

use Exporter qw(import);

our @EXPORT_OK = qw(showcase);

my $FEATURES = <<'END';
>>> markdown-features.md
---
title: Markdown features
date: 2024-05-01
tags: [Showcase]
toc: true
---
A paragraph with a footnote[^1] and another[^long], ~~struck~~ text and a
link to www.example.com.

## A wide table

| Column | A long column header | Right | Wide column | One more | Last |
|---|:-:|--:|---|---|---|
| cell | `a_long_identifier_that_does_not_break` | 12345678 | words words | more | end |
| two | `another_long_identifier_here` | 9 | x | y | z |

## Code

```rust
fn main() { let very_long_variable_name = "a string long enough to overflow a phone screen and more"; println!("{}", very_long_variable_name); }
```

```console
$ cargo build --release
   Compiling app v0.1.0 (/home/user/app)
```

### A subsection {#custom-id}

- [x] done
- [ ] to do

#### Deeper

Text.

## A wide table

Again, the same title.

[^1]: The note.
[^long]: A longer note, with `code`.
>>> shortcodes/index.md
---
title: Shortcodes
date: 2024-05-02
tags: [Showcase]
---
Every built-in shortcode, as a reader meets it.

{{< figure src="cat.svg" alt="A ginger cat asleep" caption="The cat, asleep" attr="Drawn by the author" width="200" height="120" >}}

{{< figure src="cat.svg" title="Linked" caption="A figure that links" link="/md/markdown-features/" >}}

{{< youtube w7Ft2ymGmfc >}}

{{< vimeo id="146022717" title="A film about the sea" >}}

{{< gist spf13 7896402 >}}

{{< x user="SanDiegoZoo" id="1453110110599868418" >}}

{{< tweet 877 >}}

{{< highlight go >}}
func main() { fmt.Println("a line long enough to scroll sideways on a phone screen") }
{{< /highlight >}}

{{% details summary="More about the cat" %}}It sleeps **all** day.{{% /details %}}

See [every Markdown feature]({{< ref "markdown-features.md" >}}), or
[the same, by its path]({{< relref "markdown-features.md" >}}).
>>> shortcodes/cat.svg
<svg xmlns="http://www.w3.org/2000/svg" width="200" height="120" viewBox="0 0 200 120"><rect width="200" height="120" fill="#c96"/><circle cx="100" cy="60" r="40" fill="#fff"/></svg>
END

# The demo's configuration (contrib/demo/nginx.conf).
my $CONFIG = <<'END';
location /blog/ {
    blog $ROOT/contrib/example;
    blog_title "Blog";
    blog_description "Thoughts on software engineering, AI, Web3, and building great products.";
    blog_author Phoenix;
    blog_home_url /;
}
location /md/ {
    blog $CONTENT;
    blog_title "Markdown";
    blog_posts_per_page 1;
}
END


# The arguments of Test::Blog::Util::start_nginx.

sub showcase {
    return (http_config => 'include /etc/nginx/mime.types;',
            config => $CONFIG,
            files => $FEATURES);
}


1;
