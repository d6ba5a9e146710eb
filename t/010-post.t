# One post at /blog/SLUG/: title, date, reading time, tags, the Markdown
# body; the redirect from /blog/SLUG and the 404 for a slug nobody wrote.

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Blog;

my $files = <<'END';
>>> postgres-indexes.md
---
title: Postgres Indexes
date: 2026-06-05
tags:
  - PostgreSQL
  - Next.js
  - API Design
  - C++
  - Café
---
Most slow queries are a missing index.

## Heading

- one
- two

```sql
SELECT 1;
```
>>> zoned.md
---
title: Zoned
date: 2026-06-05 14:30:00 +0200
---
A post with a time and a zone.
>>> long.md
---
title: Long
date: 2026-06-05
---
END

# 3100 words at 200 a minute: 15.5, rounded up.
$files .= join(' ', ('word') x 3100) . "\n";

run_tests(config => 'location /blog/ { blog $CONTENT; }', files => $files);

__DATA__

=== TEST 1: a post is an HTML page with its title
--- request
GET /blog/postgres-indexes/
--- error_code: 200
--- response_headers
Content-Type: text/html; charset=utf-8
--- response_body_like
<h1 class="post-title">Postgres Indexes</h1>



=== TEST 2: a date alone is midnight UTC
--- request
GET /blog/postgres-indexes/
--- error_code: 200
--- response_body_like
<time datetime="2026-06-05T00:00:00Z">Jun 5, 2026</time>



=== TEST 3: a date with a time and a zone keeps them
--- request
GET /blog/zoned/
--- error_code: 200
--- response_body_like
<time datetime="2026-06-05T14:30:00\+02:00">Jun 5, 2026</time>



=== TEST 4: reading time
--- request
GET /blog/long/
--- error_code: 200
--- response_body_like
<span class="reading-time">16 min read</span>



=== TEST 5: tags link to their pages by URL name
--- request
GET /blog/postgres-indexes/
--- error_code: 200
--- response_body_like
<a class="tag" href="/blog/tags/postgresql/">PostgreSQL</a>
<a class="tag" href="/blog/tags/next-js/">Next\.js</a>
<a class="tag" href="/blog/tags/api-design/">API Design</a>
<a class="tag" href="/blog/tags/c%2B%2B/">C\+\+</a>
<a class="tag" href="/blog/tags/caf%C3%A9/">Café</a>



=== TEST 6: the Markdown body is rendered inside post-body
--- request
GET /blog/postgres-indexes/
--- error_code: 200
--- response_body_like
(?s)<div class="post-body">.*<p>Most slow queries are a missing index\.</p>
(?s)<div class="post-body">.*<h2 id="heading">Heading</h2><a class="anchor" href="#heading">
(?s)<div class="post-body">.*<ul>\s*<li>one</li>\s*<li>two</li>\s*</ul>
(?s)<div class="post-body">.*<pre tabindex="0"><code class="language-sql">(?:<span class="hl-keyword">SELECT</span>|SELECT) 
--- response_body_unlike
## Heading
```sql



=== TEST 7: a post URL without its trailing slash redirects
--- request
GET /blog/postgres-indexes
--- error_code: 301
--- response_headers
Location: ~/blog/postgres-indexes/$



=== TEST 8: an unknown slug is 404
--- request
GET /blog/no-such-post/
--- error_code: 404
