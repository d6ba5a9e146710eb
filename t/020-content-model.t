# The content model: which files are posts and under which slug, and what
# each front matter field does to the page.

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Blog;

my $files = <<'END';
>>> _posts/2024-01-02-jekyll-post.md
---
title: Jekyll Post
---
The date comes from the file name.
>>> _posts/2024-01-03-kramdown.markdown
---
title: Kramdown
---
A .markdown file.
>>> bundle/index.md
---
title: Bundle
date: 2024-01-04
---
A Hugo page bundle.
>>> _posts/2024/2024-01-05-deep.md
---
title: Deep
---
Two folders down.
>>> whatever-name.md
---
title: Custom
slug: custom-slug
date: 2024-01-06
---
The slug comes from the front matter.
>>> heading-title.md
---
date: 2024-02-01
---
# First Heading

Text.
>>> untitled-post.md
---
date: 2024-02-01
---
Just text, no heading.
>>> date-plain.md
---
title: Date
date: 2024-03-01
---
x
>>> date-minutes.md
---
title: Date
date: 2024-03-01 10:20
---
x
>>> date-zone.md
---
title: Date
date: 2024-03-01 10:20:30 +0200
---
x
>>> date-rfc-z.md
---
title: Date
date: 2024-03-01T10:20:30Z
---
x
>>> date-rfc-offset.md
---
title: Date
date: 2024-03-01T10:20:30+05:30
---
x
>>> tags-list.md
---
title: Tags
date: 2024-04-01
tags:
  - Alpha
  - Beta
categories: [Ignored]
---
x
>>> tags-comma.md
---
title: Tags
date: 2024-04-01
tags: "Gamma, Delta"
---
x
>>> tags-space.md
---
title: Tags
date: 2024-04-01
tags: "Epsilon Zeta"
---
x
>>> categories.md
---
title: Categories
date: 2024-04-01
categories: [Ops]
---
x
>>> keywords.md
---
title: Keywords
date: 2024-04-01
keywords: [Seo]
---
x
>>> desc-description.md
---
title: Description
date: 2024-05-01
description: From description
---
x
>>> desc-summary.md
---
title: Summary
date: 2024-05-01
summary: From summary
---
x
>>> desc-excerpt.md
---
title: Excerpt
date: 2024-05-01
excerpt: From excerpt
---
x
>>> draft.md
---
title: Draft
date: 2024-06-01
draft: true
---
Not yet.
>>> unpublished.md
---
title: Unpublished
date: 2024-06-01
published: false
---
Not yet.
>>> future.md
---
title: Future
date: 2099-01-01
---
Not yet.
>>> reading-time.md
---
title: Reading time
date: 2024-07-01
reading_time: 7
---
Short, but the author says seven minutes.
>>> short.md
---
title: Short
date: 2024-07-01
---
Three words here.
>>> _posts/2024-01-01-same.md
---
title: Same Old
---
The older post.
>>> _posts/2025-01-01-same.md
---
title: Same New
---
The newer post.
>>> words-401.md
---
title: Words
date: 2024-07-01
---
END

$files .= join(' ', ('word') x 401) . "\n";

run_tests(config => 'location /blog/ { blog $CONTENT; }', files => $files);

__DATA__

=== TEST 1: a Jekyll post: the slug drops the date of the file name
--- request
GET /blog/jekyll-post/
--- error_code: 200
--- response_body_like
<h1 class="post-title">Jekyll Post</h1>



=== TEST 2: a Jekyll post without a date takes the file name's
--- request
GET /blog/jekyll-post/
--- error_code: 200
--- response_body_like
<time datetime="2024-01-02T00:00:00Z">Jan 2, 2024</time>



=== TEST 3: a Jekyll post is not at its file name
--- request
GET /blog/2024-01-02-jekyll-post/
--- error_code: 404



=== TEST 4: a .markdown file is a post
--- request
GET /blog/kramdown/
--- error_code: 200
--- response_body_like
<h1 class="post-title">Kramdown</h1>
<time datetime="2024-01-03T00:00:00Z">Jan 3, 2024</time>



=== TEST 5: a Hugo page bundle is a post named after its folder
--- request
GET /blog/bundle/
--- error_code: 200
--- response_body_like
<h1 class="post-title">Bundle</h1>



=== TEST 6: a post at any depth
--- request
GET /blog/deep/
--- error_code: 200
--- response_body_like
<h1 class="post-title">Deep</h1>



=== TEST 7: slug in the front matter names the URL
--- request
GET /blog/custom-slug/
--- error_code: 200
--- response_body_like
<h1 class="post-title">Custom</h1>



=== TEST 8: slug in the front matter replaces the file name
--- request
GET /blog/whatever-name/
--- error_code: 404



=== TEST 9: no title: the first heading
--- request
GET /blog/heading-title/
--- error_code: 200
--- response_body_like
<h1 class="post-title">First Heading</h1>



=== TEST 10: no title and no heading: the slug
--- request
GET /blog/untitled-post/
--- error_code: 200
--- response_body_like
<h1 class="post-title">untitled-post</h1>



=== TEST 11: date YYYY-MM-DD
--- request
GET /blog/date-plain/
--- error_code: 200
--- response_body_like
<time datetime="2024-03-01T00:00:00Z">Mar 1, 2024</time>



=== TEST 12: date YYYY-MM-DD HH:MM
--- request
GET /blog/date-minutes/
--- error_code: 200
--- response_body_like
<time datetime="2024-03-01T10:20:00Z">Mar 1, 2024</time>



=== TEST 13: date YYYY-MM-DD HH:MM:SS +ZZZZ
--- request
GET /blog/date-zone/
--- error_code: 200
--- response_body_like
<time datetime="2024-03-01T10:20:30\+02:00">Mar 1, 2024</time>



=== TEST 14: date RFC 3339 in UTC
--- request
GET /blog/date-rfc-z/
--- error_code: 200
--- response_body_like
<time datetime="2024-03-01T10:20:30Z">Mar 1, 2024</time>



=== TEST 15: date RFC 3339 with an offset
--- request
GET /blog/date-rfc-offset/
--- error_code: 200
--- response_body_like
<time datetime="2024-03-01T10:20:30\+05:30">Mar 1, 2024</time>



=== TEST 16: tags as a YAML list; categories ignored beside tags
--- request
GET /blog/tags-list/
--- error_code: 200
--- response_body_like
<a class="tag" href="/blog/tags/alpha/">Alpha</a>
<a class="tag" href="/blog/tags/beta/">Beta</a>
--- response_body_unlike
/blog/tags/ignored/



=== TEST 17: tags as a comma separated string
--- request
GET /blog/tags-comma/
--- error_code: 200
--- response_body_like
<a class="tag" href="/blog/tags/gamma/">Gamma</a>
<a class="tag" href="/blog/tags/delta/">Delta</a>



=== TEST 18: tags as a space separated string
--- request
GET /blog/tags-space/
--- error_code: 200
--- response_body_like
<a class="tag" href="/blog/tags/epsilon/">Epsilon</a>
<a class="tag" href="/blog/tags/zeta/">Zeta</a>



=== TEST 19: categories are tags when there are no tags
--- request
GET /blog/categories/
--- error_code: 200
--- response_body_like
<a class="tag" href="/blog/tags/ops/">Ops</a>



=== TEST 20: keywords are tags when there are no tags
--- request
GET /blog/keywords/
--- error_code: 200
--- response_body_like
<a class="tag" href="/blog/tags/seo/">Seo</a>



=== TEST 21: description
--- request
GET /blog/desc-description/
--- error_code: 200
--- response_body_like
<meta name="description" content="From description">



=== TEST 22: summary is a description
--- request
GET /blog/desc-summary/
--- error_code: 200
--- response_body_like
<meta name="description" content="From summary">



=== TEST 23: excerpt is a description
--- request
GET /blog/desc-excerpt/
--- error_code: 200
--- response_body_like
<meta name="description" content="From excerpt">



=== TEST 24: a draft is hidden
--- request
GET /blog/draft/
--- error_code: 404



=== TEST 25: an unpublished post is hidden
--- request
GET /blog/unpublished/
--- error_code: 404



=== TEST 26: a post dated in the future is hidden
--- request
GET /blog/future/
--- error_code: 404



=== TEST 27: reading_time overrides the count
--- request
GET /blog/reading-time/
--- error_code: 200
--- response_body_like
<span class="reading-time">7 min read</span>



=== TEST 28: reading time is at least one minute
--- request
GET /blog/short/
--- error_code: 200
--- response_body_like
<span class="reading-time">1 min read</span>



=== TEST 29: reading time is rounded up
--- request
GET /blog/words-401/
--- error_code: 200
--- response_body_like
<span class="reading-time">3 min read</span>



=== TEST 30: the newer of two posts with one slug keeps the URL
--- request
GET /blog/same/
--- error_code: 200
--- response_body_like
<h1 class="post-title">Same New</h1>
--- error_log
^(?=.*\[(?:warn|error)\])(?=.*2024-01-01-same\.md)(?=.*2025-01-01-same\.md)



=== TEST 31: the older one gets its date appended
--- request
GET /blog/same-2024-01-01/
--- error_code: 200
--- response_body_like
<h1 class="post-title">Same Old</h1>



=== TEST 32: blog_drafts on shows drafts
--- config
location /blog/ { blog $CONTENT; blog_drafts on; }
--- request
GET /blog/draft/
--- error_code: 200
--- response_body_like
<h1 class="post-title">Draft</h1>



=== TEST 33: blog_drafts on shows unpublished posts
--- config
location /blog/ { blog $CONTENT; blog_drafts on; }
--- request
GET /blog/unpublished/
--- error_code: 200
--- response_body_like
<h1 class="post-title">Unpublished</h1>



=== TEST 34: blog_words_per_minute
--- config
location /blog/ { blog $CONTENT; blog_words_per_minute 100; }
--- request
GET /blog/words-401/
--- error_code: 200
--- response_body_like
<span class="reading-time">5 min read</span>
