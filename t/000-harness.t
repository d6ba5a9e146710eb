# The harness itself, on stock nginx directives only: placeholders, files,
# setup, reuse of a running nginx, request headers, raw requests, log
# checks and must_die.  Runs with or without the blog module
# (TEST_NGINX_MODULE='' leaves load_module out).

use FindBin;
use lib "$FindBin::Bin/lib";
use Test::Blog;

run_tests();

__DATA__

=== TEST 1: a plain response
--- config
location / { return 200 "ok"; }
--- request
GET /
--- error_code: 200
--- response_headers
Content-Type: text/plain
Content-Length: ~^2$
!X-Not-There
--- response_body chomp
ok



=== TEST 2: placeholders are replaced in config and regexes
--- config
location / { return 200 "$PREFIX|$CONTENT|$PORT|$ROOT"; }
--- request
GET /
--- error_code: 200
--- response_body_like
^$PREFIX\|$CONTENT\|$PORT\|$ROOT$
^/.+/content\|\d+\|/
--- response_body_unlike
\$PREFIX



=== TEST 3: files are written below $CONTENT
--- config
location / { root $CONTENT; }
--- files
>>> a/b.txt
hello
>>> empty/
>>> link.txt symlink=a/b.txt
--- request
GET /a/b.txt
--- error_code: 200
--- response_body
hello



=== TEST 4: same sections: nginx and content are reused
--- config
location / { root $CONTENT; }
--- files
>>> a/b.txt
hello
>>> empty/
>>> link.txt symlink=a/b.txt
--- request
GET /link.txt
--- error_code: 200
--- response_body
hello



=== TEST 5: a mode set on a file
--- main_config
user nobody nogroup;
--- config
location / { root $CONTENT; }
--- files
>>> secret.txt mode=0000
hidden
--- request
GET /secret.txt
--- error_code: 403
--- error_log
open\(\) "$CONTENT/secret\.txt" failed \(13: Permission denied\)
--- skip_valgrind
one nginx process, run as root: mode 000 does not keep it out



=== TEST 6: setup runs once per nginx start
--- config
location = /runs { alias $PREFIX/runs.txt; }
--- setup
open my $fh, '>>', "$PREFIX/runs.txt" or die $!;
print $fh "run\n";
--- request
GET /runs
--- error_code: 200
--- response_body
run



=== TEST 7: setup is not run again while nginx is reused
--- config
location = /runs { alias $PREFIX/runs.txt; }
--- setup
open my $fh, '>>', "$PREFIX/runs.txt" or die $!;
print $fh "run\n";
--- request
GET /runs
--- response_body
run



=== TEST 8: a changed config restarts nginx and runs setup again
--- config
location = /runs { alias $PREFIX/runs.txt; }
# changed
--- setup
open my $fh, '>>', "$PREFIX/runs.txt" or die $!;
print $fh "run\n";
--- request
GET /runs
--- response_body
run
run



=== TEST 9: request headers
--- config
location / { return 200 "[$http_x_test]"; }
--- request
GET /
X-Test: some value
--- response_body chomp
[some value]



=== TEST 10: http_config
--- http_config
map $uri $mapped { default "from the map"; }
--- config
location / { return 200 $mapped; }
--- request
GET /
--- response_body chomp
from the map



=== TEST 11: main_config is at the top level
--- main_config
sendfile on;
--- must_die
--- error_log
"sendfile" directive is not allowed here



=== TEST 12: must_die with an unknown directive
--- config
location / { no_such_directive; }
--- must_die
--- error_log
\[emerg\] .*unknown directive "no_such_directive"



=== TEST 13: raw request, HTTP/1.0, body to EOF
--- config
location / { root $CONTENT; }
--- files
>>> a.txt
raw
--- raw_request
GET /a.txt HTTP/1.0
--- error_code: 200
--- response_headers
Content-Length: 4
--- response_body
raw



=== TEST 14: raw request, HTTP/1.1 keep-alive, body by Content-Length
--- config
location / { root $CONTENT; }
--- files
>>> a.txt
raw
--- raw_request
GET /a.txt HTTP/1.1
Host: localhost
--- error_code: 200
--- response_body
raw



=== TEST 15: raw request with exact bytes, chunked response
--- config
location / { root $CONTENT; ssi on; ssi_types text/plain; }
--- files
>>> a.txt
[<!--# echo var="uri" -->]
--- raw_request eval
"GET /a.txt HTTP/1.1\r\nHost: localhost\r\n\r\n"
--- error_code: 200
--- response_headers
Transfer-Encoding: chunked
--- response_body
[/a.txt]



=== TEST 16: raw request with a URI HTTP::Tiny would not send
--- config
location / { return 200 "[$request_uri]"; }
--- raw_request eval
"GET /a/./b%2Fc?d#e HTTP/1.0\r\n\r\n"
--- response_body chomp
[/a/./b%2Fc?d#e]



=== TEST 17: binary file content from an eval section
--- config
location / { root $CONTENT; }
--- files eval
">>> bin.txt\n\xff\xfe\x00end"
--- request
GET /bin.txt
--- response_body eval
"\xff\xfe\x00end"



=== TEST 18: error_log, error_log_once, no_error_log
--- config
location / { root $CONTENT; }
--- request
GET /missing.txt
--- error_code: 404
--- error_log
\[error\] .*open\(\) "$CONTENT/missing\.txt" failed
--- error_log_once
open\(\) "[^"]*/missing\.txt" failed \(2: No such file or directory\)
--- no_error_log
this line is never logged
\[warn\]
