# The generators' own front matter: Hugo's and Zola's TOML between "+++"
# lines, Hugo's JSON object, their field names (Zola's [taxonomies] and
# [extra], updated; Hugo's publishDate, expiryDate, [params]); old URLs
# (Hugo's aliases, jekyll-redirect-from's redirect_from, a post's url)
# answered with 301 to the post; and every field in templates as
# post.params.NAME.

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Blog qw(run_tests write_file);

my $files = <<'END';
>>> zola-post.md
+++
title = "Written for Zola"
date = 2024-05-01
updated = 2024-06-02T10:00:00Z
path = "2024/zola-post"
description = "A TOML header, as Zola writes it."

[taxonomies]
tags = ["Rust", "Static Sites"]

[extra]
subtitle = "Zola's extra table"
+++
The body of the Zola post.
>>> hugo-toml.md
+++
title = 'Hugo in TOML'
date = 2024-04-01T08:00:00+02:00
tags = ['hugo']
aliases = ['/blog/2019/04/hugo-old/', 'hugo-older']

[params]
  mood = "sunny"
  [params.author]
    name = "Ann"
+++
Hugo's TOML body.
>>> json-post.md
{
  "title": "Hugo in JSON",
  "date": "2024-03-01",
  "tags": ["json", "hugo"],
  "redirect_from": ["/blog/json.html"],
  "series": { "name": "Formats", "part": 2 },
  "featured": false
}
The JSON body, with {braces}.
>>> later.md
---
title: Not yet
date: 2024-02-01
publishDate: 2099-01-01
---
Comes later.
>>> expired.md
---
title: Expired
date: 2024-02-02
expiryDate: 2001-01-01
---
Gone.
>>> expiring.md
---
title: Still here
date: 2024-02-03
expirydate: 2099-12-31
---
Here until it expires.
>>> jekyll.md
---
title: Jekyll moved
date: 2024-01-05
redirect_from: /blog/2015/01/jekyll-moved.html
permalink: /:year/:title/
---
Moved.
>>> broken-toml.md
+++
title = "Broken"
date = 2024-01-01
title = "again"
+++
Never shown.
>>> broken-json.md
{
  "title": "Broken JSON",
  "date": 2024-01-01
}
Never shown.
END

run_tests(files => $files,
          config => 'location /blog/ { blog $CONTENT; }');

__DATA__

=== TEST 1: a Zola post: title, date, tags from [taxonomies], no header shown
--- request
GET /blog/zola-post/
--- error_code: 200
--- response_body_like
<h1 class="post-title">Written for Zola</h1>
datetime="2024-05-01
href="/blog/tags/rust/"
href="/blog/tags/static-sites/"
<p>The body of the Zola post.</p>
--- response_body_unlike
\+\+\+
taxonomies
title =



=== TEST 2: Zola's "updated" is the post's modification date
--- request
GET /blog/zola-post/
--- error_code: 200
--- response_body_like
"dateModified":\s*"2024-06-02T10:00:00Z"



=== TEST 3: Hugo's TOML header, with its offset date
--- request
GET /blog/hugo-toml/
--- error_code: 200
--- response_body_like
<h1 class="post-title">Hugo in TOML</h1>
datetime="2024-04-01T08:00:00\+02:00"
href="/blog/tags/hugo/"
<p>Hugo's TOML body.</p>



=== TEST 4: a JSON header; the body keeps its braces
--- request
GET /blog/json-post/
--- error_code: 200
--- response_body_like
<h1 class="post-title">Hugo in JSON</h1>
href="/blog/tags/json/"
<p>The JSON body, with \{braces\}.</p>
--- response_body_unlike
"title":



=== TEST 5: the index lists them newest first, none of them in the future
--- request
GET /blog/
--- error_code: 200
--- response_body_like
(?s)Written for Zola.*Hugo in TOML.*Hugo in JSON.*Still here.*Jekyll moved
--- response_body_unlike
Not yet
Expired
Broken



=== TEST 6: a post whose publishDate is to come is not public yet
--- request
GET /blog/later/
--- error_code: 404



=== TEST 7: a post past its expiryDate is gone; one before it is served
--- request
GET /blog/expired/
--- error_code: 404



=== TEST 8: expirydate in any case, as Hugo reads keys
--- request
GET /blog/expiring/
--- error_code: 200



=== TEST 9: an absolute alias under the blog moves to the post
--- request
GET /blog/2019/04/hugo-old/
--- error_code: 301
--- response_headers
Location: ~/blog/hugo-toml/$



=== TEST 10: a relative alias is taken below the blog
--- request
GET /blog/hugo-older/
--- error_code: 301
--- response_headers
Location: ~/blog/hugo-toml/$



=== TEST 11: redirect_from, a list in JSON or one string in YAML
--- request
GET /blog/json.html
--- error_code: 301
--- response_headers
Location: ~/blog/json-post/$



=== TEST 12: redirect_from with .html and a folder
--- request
GET /blog/2015/01/jekyll-moved.html
--- error_code: 301
--- response_headers
Location: ~/blog/jekyll/$



=== TEST 13: Zola's path is an old URL below the blog too
--- request
GET /blog/2024/zola-post/
--- error_code: 301
--- response_headers
Location: ~/blog/zola-post/$



=== TEST 14: a Jekyll permalink pattern is no URL; unknown paths stay 404
--- request
GET /blog/:year/:title/
--- error_code: 404



=== TEST 15: an alias never hides a real page
--- files
>>> a.md
---
title: A
date: 2024-01-02
aliases: [b, tags]
---
A.
>>> b.md
---
title: B
date: 2024-01-01
---
B.
--- request
GET /blog/b/
--- error_code: 200
--- response_body_like
<h1 class="post-title">B</h1>



=== TEST 16: broken TOML and JSON headers: skipped, each with file, line and reason
--- request
GET /blog/broken-toml/
--- error_code: 404
--- error_log
skipped "[^"]*/broken-toml\.md", line 4: front matter is not valid TOML: .*title
skipped "[^"]*/broken-json\.md", line 3: front matter is not valid JSON



=== TEST 17: every field reaches a theme as post.params, nested ones too
--- config
location /blog/ { blog $CONTENT; blog_templates $PREFIX/theme; }
--- setup
write_file("$PREFIX/theme/post.html", <<'T');
<p class="sub">{{post.params.subtitle}}</p>
<p class="mood">{{post.params.mood}}</p>
<p class="author">{{#post.params.author}}{{name}}{{/post.params.author}}</p>
<p class="series">{{post.params.series.name}} {{post.params.series.part}}</p>
<p class="featured">{{^post.params.featured}}not featured{{/post.params.featured}}</p>
<p class="tags">{{#post.params.tags}}[{{.}}]{{/post.params.tags}}</p>
T
--- request
GET /blog/json-post/
--- error_code: 200
--- response_body_like
<p class="series">Formats 2</p>
<p class="featured">not featured</p>
<p class="tags">\[json\]\[hugo\]</p>



=== TEST 18: Hugo's [params] and Zola's [extra] are found at the top too
--- config
location /blog/ { blog $CONTENT; blog_templates $PREFIX/theme; }
--- setup
write_file("$PREFIX/theme/post.html", <<'T');
<p class="sub">{{post.params.subtitle}}|{{post.params.extra.subtitle}}</p>
<p class="mood">{{post.params.mood}}|{{post.params.params.author.name}}</p>
T
--- request
GET /blog/zola-post/
--- error_code: 200
--- response_body_like
<p class="sub">Zola&#39;s extra table\|Zola&#39;s extra table</p>
<p class="mood">\|</p>



=== TEST 19: an old URL two posts claim goes to the newer one
--- files
>>> first.md
---
title: First
date: 2024-01-01
aliases: [/blog/shared/]
---
One.
>>> second.md
---
title: Second
date: 2024-01-02
redirect_from: [/blog/shared/]
---
Two.
>>> third.md
---
title: Third
date: 2023-12-31
aliases: [shared]
---
Three.
--- request
GET /blog/shared/
--- error_code: 301
--- response_headers
Location: ~/blog/second/$



=== TEST 20: a name with a backslash is no page, and no redirect to "//host"
--- config
absolute_redirect off;
location / { blog $CONTENT; }
--- files
>>> moved.md
---
title: Moved
date: 2024-01-01
slug: \evil.example
aliases: [old-one]
---
Moved.
--- request
GET /%5Cevil.example
--- error_code: 404
--- response_headers
!Location



=== TEST 21: an old URL's target with a backslash is escaped: never "//host"
--- config
absolute_redirect off;
location / { blog $CONTENT; }
--- files
>>> moved.md
---
title: Moved
date: 2024-01-01
slug: \evil.example
aliases: [old-one]
---
Moved.
--- request
GET /old-one/
--- error_code: 301
--- response_headers
Location: /%5Cevil.example/
