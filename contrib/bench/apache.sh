#!/usr/bin/env bash
# mod_blog in Apache httpd, run by contrib/bench/run.sh after its other rows
# (and alone by `make bench-apache`): one httpd (event MPM, Debian's
# defaults for it, access log off) serves the example blog at /blog/ with
# BlogCache, and from its DocumentRoot the module's own bytes of a post
# saved as post.html, sent by httpd's own default handler.  wrk asks for
# each in turn, BENCH_ROUNDS times; the best round of each is kept.
# Prints the markdown row, which run.sh adds to build/bench.md.
#
# Environment (defaults in brackets): BENCH_SECONDS [5], BENCH_WARMUP [1],
# BENCH_ROUNDS [2], BENCH_THREADS [2], BENCH_CONNECTIONS [32];
# APACHE [/usr/sbin/apache2], APACHE_MODULE [build/mod_blog.so].

set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
RUN=$ROOT/build/bench-apache
APACHE=${APACHE:-/usr/sbin/apache2}
MODULE_SRC=${APACHE_MODULE:-$ROOT/build/mod_blog.so}
MODULES=/usr/lib/apache2/modules

SECONDS_=${BENCH_SECONDS:-5}
WARMUP=${BENCH_WARMUP:-1}
ROUNDS=${BENCH_ROUNDS:-2}
THREADS=${BENCH_THREADS:-2}
CONNS=${BENCH_CONNECTIONS:-32}

POST_PATH=/blog/the-index-youre-missing/

umask 022

die() { echo "bench-apache: $*" >&2; exit 1; }
log() { echo "bench-apache: $*" >&2; }

. "$HERE/lib.sh"

[ -x "$APACHE" ] || die "no Apache httpd at $APACHE"
[ -f "$MODULE_SRC" ] || die "no mod_blog at $MODULE_SRC: run make first"

rm -rf "$RUN"
mkdir -p "$RUN/logs" "$RUN/www" "$RUN/content"
chmod 01777 "$RUN/logs"
cp "$MODULE_SRC" "$RUN/mod_blog.so"
cp -R "$ROOT/contrib/example/posts/." "$RUN/content/"

PORT=$(free_port)
USER_LINES=
if [ "$(id -u)" = 0 ]; then
    USER_LINES=$'User www-data\nGroup www-data'
fi

cat > "$RUN/httpd.conf" <<EOF
ServerRoot $RUN
PidFile $RUN/logs/httpd.pid
Listen 127.0.0.1:$PORT
ServerName localhost
LoadModule mpm_event_module $MODULES/mod_mpm_event.so
LoadModule authz_core_module $MODULES/mod_authz_core.so
LoadModule mime_module $MODULES/mod_mime.so
LoadModule socache_shmcb_module $MODULES/mod_socache_shmcb.so
LoadModule blog_module $RUN/mod_blog.so
$USER_LINES
ErrorLog $RUN/logs/error.log
LogLevel warn
Mutex file:$RUN/logs default
TypesConfig /etc/mime.types
AddCharset utf-8 .html
DocumentRoot $RUN/www
<Directory $RUN/www>
    Require all granted
</Directory>
<Location /blog/>
    Blog $RUN/content
    BlogCache shmcb:$RUN/logs/blog_cache(16777216)
</Location>
EOF

"$APACHE" -t -f "$RUN/httpd.conf" 2>/dev/null || die "apache2 -t fails"
"$APACHE" -f "$RUN/httpd.conf" -k start || die "apache2 does not start"

stop_apache() {
    "$APACHE" -f "$RUN/httpd.conf" -k stop 2>/dev/null || true
    for _ in $(seq 1 250); do
        [ -e "$RUN/logs/httpd.pid" ] || break
        sleep 0.02
    done
}
trap stop_apache EXIT

for _ in $(seq 1 250); do
    curl -sf -o "$RUN/www/post.html" "http://127.0.0.1:$PORT$POST_PATH" \
        && break
    sleep 0.02
done
[ -s "$RUN/www/post.html" ] || die "no post from mod_blog"

curl -s "http://127.0.0.1:$PORT/post.html" | cmp -s - "$RUN/www/post.html" \
    || die "the default handler does not send post.html as saved"

best() {                # best URL: the best requests/s of a round
    wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" "$1" >/dev/null
    wrk -t"$THREADS" -c"$CONNS" -d"${SECONDS_}s" --timeout 5s "$1" \
        | awk '/Requests\/sec:/ { printf "%.0f\n", $2 }
               /Non-2xx or 3xx responses:/ { bad = 1 }
               END { if (bad) print "bad" > "/dev/stderr" }'
}

MOD=0
STATIC=0
for round in $(seq 1 "$ROUNDS"); do
    m=$(best "http://127.0.0.1:$PORT$POST_PATH")
    s=$(best "http://127.0.0.1:$PORT/post.html")
    log "round $round: mod_blog $m req/s, static $s req/s"
    [ "$m" -gt "$MOD" ] && MOD=$m
    [ "$s" -gt "$STATIC" ] && STATIC=$s
done

SIZE=$(stat -c %s "$RUN/www/post.html")
R=$(awk -v a="$MOD" -v b="$STATIC" 'BEGIN { printf "%.2f", a / b }')
OK=$(awk -v r="$R" 'BEGIN { print (r >= 1.0) ? "PASS" : "MISS" }')

echo "| 19 | Apache httpd (event MPM): a cached post ($SIZE B) from mod_blog | $MOD req/s | httpd's own static file of the same bytes: $STATIC req/s | ${R}× | ≥ 1.0× | $OK |"
