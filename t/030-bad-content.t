# A post that can't be read or parsed is skipped with one error-log line
# naming the file, the line and the reason; the rest of the blog is served.

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Blog;

my $files = <<'END';
>>> good.md
---
title: Good
date: 2024-01-01
---
Still served.
>>> bad-yaml.md
---
title: [unclosed
date: 2024-01-01
---
The front matter is not YAML.
>>> bad-list.md
---
- a list
- not a mapping
---
The front matter is a list.
>>> bad-scalar.md
---
just a string
---
The front matter is a scalar.
>>> bad-utf8.md
---
title: Bad UTF-8
date: 2024-01-01
---
END

# Two bytes that are never UTF-8, then a post over blog_max_post_size 1k.
$files .= "Bytes \xff\xfe here.\n";
$files .= ">>> too-big.md\n---\ntitle: Too big\ndate: 2024-01-01\n---\n"
          . ("word " x 400) . "\n";

run_tests(
    config => 'location /blog/ { blog $CONTENT; blog_max_post_size 1k; }',
    files => $files,
);

__DATA__

=== TEST 1: a good post beside bad ones is served
--- request
GET /blog/good/
--- error_code: 200
--- response_body_like
<h1 class="post-title">Good</h1>



=== TEST 2: front matter that is not YAML
--- request
GET /blog/bad-yaml/
--- error_code: 404
--- error_log_once
skipped "/[^"]*/bad-yaml\.md", line \d+: .+



=== TEST 3: front matter that is a list
--- request
GET /blog/bad-list/
--- error_code: 404
--- error_log_once
skipped "/[^"]*/bad-list\.md", line \d+: .+



=== TEST 4: front matter that is a scalar
--- request
GET /blog/bad-scalar/
--- error_code: 404
--- error_log_once
skipped "/[^"]*/bad-scalar\.md", line \d+: .+



=== TEST 5: a post that is not UTF-8
--- request
GET /blog/bad-utf8/
--- error_code: 404
--- error_log_once
skipped "/[^"]*/bad-utf8\.md", line \d+: .+



=== TEST 6: a post bigger than blog_max_post_size
--- request
GET /blog/too-big/
--- error_code: 404
--- error_log_once
skipped "/[^"]*/too-big\.md", line \d+: .+



=== TEST 7: the good post is not reported
--- request
GET /blog/good/
--- error_code: 200
--- no_error_log
skipped "[^"]*/good\.md"
