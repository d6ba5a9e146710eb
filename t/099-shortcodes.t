# Hugo shortcodes and Jekyll Liquid, as the generators run them before the
# Markdown: the default theme's built-in shortcodes (figure, youtube,
# vimeo, gist, x, highlight, ref, relref, details, param), a theme's own
# shortcode, the escaped literal, unknown shortcodes removed and logged
# with file and line; Liquid's raw, highlight, link, post_url and values
# in Jekyll's posts only; tags that need Jekyll's templates removed and
# logged; summaries without either; a heading's id and its line in the
# contents made of what it shows.

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Blog;

my $files = <<'END';
>>> hugo.md
---
title: Hugo
date: 2024-01-02
author: Ada & Bob
---
Intro {{< gh 123 >}} and more.

{{< figure src="cat.jpg" alt="A cat" caption="The <cat>" >}}

{{< youtube w7Ft2ymGmfc >}}

{{< vimeo id="146022717" title="A film" >}}

Code `{{</* ref "x.md" */>}}` and {{%/* param "x" */%}}.

See [the target]({{< relref "target.md" >}}) and [gone]({{< ref "nowhere.md" >}}).

{{% details summary="More" %}}**bold** text{{% /details %}}

{{< highlight go >}}
func main() { x := "s" }
{{< /highlight >}}

By {{< param author >}}.

{{< x user="SanDiegoZoo" id="1453110110599868418" >}}

{{< gist spf13 7896402 >}}

{{< code-toggle file="config" >}}
SECRET = 1
{{< /code-toggle >}}

Hugo's own {{ .Title }} stays.
>>> target.md
---
title: Target
date: 2024-01-01
---
Target body.
>>> _posts/2024-01-05-jekyll.md
---
title: Jekyll <post>
date: 2024-01-05
---
{% raw %}`{{ site.url }}`{% endraw %} in {{ site.title }}, {{ page.title }}.

[old]({% post_url 2024-01-01-nope %}) [t]({% link target.md %}) [d]({{ "/docs/" | relative_url }})

{% highlight ruby linenos %}
def x = 1
{% endhighlight %}

{% for i in list %}LOOPBODY {{ i }}{% endfor %}
{% include foo.html %}
>>> heads.md
---
title: Heads
date: 2024-01-03
version: "1.2"
author: Ada & Bob
toc: true
---
## Version {{< param "version" >}}

Text.

## By {{< param author >}} {{< youtube w7Ft2ymGmfc >}}

Text.
>>> _posts/2024-01-06-jekyll-heads.md
---
title: Jekyll <heads>
toc: true
---
## {{ page.title }}

Text.

## On {{ site.title }}

Text.
END

run_tests(files => $files,
          config => 'location /blog/ { blog $CONTENT; blog_title "My <Blog>"; }');

__DATA__

=== TEST 1: a site's shortcode not in the theme is removed and logged with file and line
--- request
GET /blog/hugo/
--- error_code: 200
--- response_body_like
<p>Intro  and more.</p>
--- response_body_unlike
\{\{&lt; gh
SECRET
--- error_log_once
blog: "$CONTENT/hugo.md", line 6: unknown shortcode "gh", removed
--- error_log
blog: "$CONTENT/hugo.md", line 30: unknown shortcode "code-toggle", removed
blog: "$CONTENT/hugo.md", line 16: ref "nowhere.md" names no post



=== TEST 2: figure, youtube and vimeo: accessible, privacy-friendly, lazy
--- request
GET /blog/hugo/
--- error_code: 200
--- response_body_like
<figure class="figure"><img src="cat.jpg" alt="A cat" loading="lazy" decoding="async"><figcaption>The &lt;cat&gt;</figcaption></figure>
<iframe src="https://www.youtube-nocookie.com/embed/w7Ft2ymGmfc" title="YouTube video" loading="lazy"
<iframe src="https://player.vimeo.com/video/146022717\?dnt=1" title="A film" loading="lazy"
--- response_body_unlike
<p><figure
<script[^>]*\bsrc=



=== TEST 3: the escaped form shows the literal, in code or not
--- request
GET /blog/hugo/
--- error_code: 200
--- response_body_like
<code>\{\{&lt; ref &quot;x.md&quot; &gt;\}\}</code> and \{\{% param &quot;x&quot; %\}\}\.



=== TEST 4: relref, details with Markdown inside, highlight, param, x, gist
--- request
GET /blog/hugo/
--- error_code: 200
--- response_body_like
<a href="/blog/target/">the target</a> and <a href="">gone</a>
<details class="details"><summary>More</summary><p><strong>bold</strong> text</p>
<code class="language-go"><span class="hl-keyword">func</span>
<p>By Ada &amp; Bob\.</p>
<a href="https://x.com/SanDiegoZoo/status/1453110110599868418">
<a href="https://gist.github.com/spf13/7896402">
Hugo's own \{\{ \.Title \}\} stays



=== TEST 5: a theme's own shortcode, and one that overrides a built-in
--- config
location /blog/ { blog $CONTENT; blog_templates $CONTENT/_theme; }
--- files
>>> hugo.md
---
title: Hugo
---
Fixed in {{<gh 123 456 >}}. {{< youtube abc >}}
>>> _theme/shortcodes/gh.html
{{#args}}<a class="gh" href="https://github.com/gohugoio/hugo/issues/{{.}}">#{{.}}</a> {{/args}}
>>> _theme/shortcodes/youtube.html
<a class="video" href="https://youtu.be/{{0}}">{{page.title}} video</a>
--- request
GET /blog/hugo/
--- error_code: 200
--- response_body_like
Fixed in <a class="gh" href="https://github.com/gohugoio/hugo/issues/123">#123</a> <a class="gh" href="https://github.com/gohugoio/hugo/issues/456">#456</a> \.
<a class="video" href="https://youtu.be/abc">Hugo video</a>
--- no_error_log
unknown shortcode



=== TEST 6: Liquid in a Jekyll post: raw, values escaped, link, post_url, highlight
--- request
GET /blog/jekyll/
--- error_code: 200
--- response_body_like
<p><code>\{\{ site.url \}\}</code> in My &lt;Blog&gt;, Jekyll &lt;post&gt;\.</p>
<a href="">old</a> <a href="/blog/target/">t</a> <a href="/blog/docs/">d</a>
<code class="language-ruby"><span class="hl-keyword">def</span>
--- response_body_unlike
\{%
LOOPBODY
--- error_log
blog: "$CONTENT/_posts/2024-01-05-jekyll.md", line 7: post_url "2024-01-01-nope" names no post
blog: "$CONTENT/_posts/2024-01-05-jekyll.md", line 13: Liquid tag "for" needs Jekyll's templates, removed with its body
blog: "$CONTENT/_posts/2024-01-05-jekyll.md", line 14: Liquid tag "include" needs Jekyll's templates, removed



=== TEST 7: a card's summary shows neither shortcodes nor Liquid
--- request
GET /blog/
--- error_code: 200
--- response_body_like
Intro and more\.|Intro  and more\.
--- response_body_unlike
\{\{&lt;
\{% raw



=== TEST 8: a heading's id, anchor and contents line are what a shortcode shows
--- request
GET /blog/heads/
--- error_code: 200
--- response_body_like
<h2 id="version-12">Version 1\.2</h2><a class="anchor" href="#version-12">.*Section: Version 1\.2</span>
<li><a href="#version-12">Version 1\.2</a>
<h2 id="by-ada--bob">By Ada &amp; Bob <div class="embed"><iframe
<li><a href="#by-ada--bob">By Ada &amp; Bob</a>
--- response_body_unlike
(?i)zblogexp



=== TEST 9: ... and what Liquid shows, in a Jekyll post
--- request
GET /blog/jekyll-heads/
--- error_code: 200
--- response_body_like
<h2 id="jekyll-heads">Jekyll &lt;heads&gt;</h2>
<li><a href="#jekyll-heads">Jekyll &lt;heads&gt;</a>
<h2 id="on-my-blog">On My &lt;Blog&gt;</h2>
<li><a href="#on-my-blog">On My &lt;Blog&gt;</a>
--- response_body_unlike
(?i)zblogexp



=== TEST 10: no argument starts an address that runs script; as text it stays
--- files
>>> evil.md
---
title: Evil
date: 2024-01-02
---
{{< figure src="cat.jpg" alt="A cat" link="JavaScript:alert(1)" >}}

{{< figure src=" java	script:alert(2)" alt="B" link="java\script:alert(3)" >}}

{{< figure src="dog.jpg" alt="A dog" link="https://example.com/x?javascript:" >}}

{{< figure src="map.png" alt="Data: a map" caption="JavaScript: the good parts" >}}
>>> _posts/2024-01-03-evil-jekyll.md
---
title: "JavaScript: the good parts"
home: "vbscript:msgbox(1)"
---
[home]({{ page.home }}) and [data]({{ "data:text/html,x" }}) from
{{ page.title }} and ![x]({{ page.home }}).
--- request
GET /blog/evil/
--- error_code: 200
--- response_body_like
<figure class="figure"><a href=""><img src="cat\.jpg" alt="A cat"
<figure class="figure"><a href=""><img src="" alt="B"
<a href="https://example\.com/x\?javascript:">
<img src="map\.png" alt="Data: a map"
<figcaption>JavaScript: the good parts</figcaption>
--- response_body_unlike
(?i)script:alert



=== TEST 11: ... in a Jekyll post's Liquid either
--- files
>>> evil.md
---
title: Evil
date: 2024-01-02
---
{{< figure src="cat.jpg" alt="A cat" link="JavaScript:alert(1)" >}}

{{< figure src=" java	script:alert(2)" alt="B" link="java\script:alert(3)" >}}

{{< figure src="dog.jpg" alt="A dog" link="https://example.com/x?javascript:" >}}

{{< figure src="map.png" alt="Data: a map" caption="JavaScript: the good parts" >}}
>>> _posts/2024-01-03-evil-jekyll.md
---
title: "JavaScript: the good parts"
home: "vbscript:msgbox(1)"
---
[home]({{ page.home }}) and [data]({{ "data:text/html,x" }}) from
{{ page.title }} and ![x]({{ page.home }}).
--- request
GET /blog/evil-jekyll/
--- error_code: 200
--- response_body_like
<a href="">home</a> and <a href="">data</a> from
JavaScript: the good parts and <img src="" alt="x"
--- response_body_unlike
(?i)vbscript
(?i)data:text
