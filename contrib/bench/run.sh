#!/usr/bin/env bash
# The benchmark of ngx_blog_module, run by `make bench` from the repository
# root once wrk and hugo are installed.  It starts its own nginx instances
# (Debian's nginx loading a copy of build/ngx_http_blog_module.so, the same
# worker_processes for every row, access_log off) on free 127.0.0.1 ports
# under build/bench/, measures with wrk on the loopback, stops them, and
# writes a markdown table to build/bench.md, which it also prints.  The rows
# and their targets are in contrib/bench/README.md.  Generated posts stay
# in build/bench-posts/ for the next run (make clean removes them): on
# some disks deleting ten thousand files takes longer than the benchmark.
#
# Environment (defaults in brackets):
#   BENCH_SECONDS [5]      wrk duration of each measured run, in seconds
#   BENCH_WARMUP [1]       wrk warm-up before each measured run, in seconds
#   BENCH_ROUNDS [2]       rounds of rows 1-4, module and comparison in
#                          turn; each figure is its round with the most
#                          requests/s (a shared machine's noise only slows)
#   BENCH_THREADS [2]      BENCH_CONNECTIONS [32]   wrk -t and -c
#   BENCH_WORKERS [2]      nginx worker_processes, every instance
#   BENCH_POSTS ["1000 10000"]  cold-start sizes; the largest is also the
#                          size of the memory and editing rows
#   BENCH_COLD_RUNS [2]    module cold starts per size, the fastest kept
#   BENCH_SEED [42]        seed of gen-posts.py
#   BENCH_KEEP [0]         1: keep build/bench/ (configurations, logs)
#   NGINX [/usr/sbin/nginx]  MODULE [build/ngx_http_blog_module.so]

set -euo pipefail

T_START=$EPOCHREALTIME
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
OUT=$ROOT/build/bench.md
RUN=$ROOT/build/bench
POSTS=$ROOT/build/bench-posts
NGINX=${NGINX:-/usr/sbin/nginx}
# nginx takes NGINX in its environment for sockets inherited in a binary
# upgrade, and then stays in the foreground: not for it
export -n NGINX
MODULE_SRC=${MODULE:-$ROOT/build/ngx_http_blog_module.so}
TOOLS=$HERE/tools.py

SECONDS_=${BENCH_SECONDS:-5}
WARMUP=${BENCH_WARMUP:-1}
ROUNDS=${BENCH_ROUNDS:-2}
THREADS=${BENCH_THREADS:-2}
CONNS=${BENCH_CONNECTIONS:-32}
WORKERS=${BENCH_WORKERS:-2}
POST_COUNTS=${BENCH_POSTS:-"1000 10000"}
COLD_RUNS=${BENCH_COLD_RUNS:-2}
SEED=${BENCH_SEED:-42}
KEEP=${BENCH_KEEP:-0}

POST_PATH=/blog/the-index-youre-missing/
INDEX_PATH=/blog/
MAX_N=0
for n in $POST_COUNTS; do [ "$n" -gt "$MAX_N" ] && MAX_N=$n; done

# nginx's workers run as "nobody" under root: what they read must be
# readable by all.
umask 022

die() { echo "bench: $*" >&2; exit 1; }
elapsed() { awk -v a="$T_START" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }'; }
log() { printf '[%4ss] %s\n' "$(elapsed)" "$*" >&2; }

for tool in wrk hugo curl python3; do
    command -v $tool >/dev/null || die "$tool is missing: run make bench"
done
[ -x "$NGINX" ] || die "no nginx at $NGINX"
[ -f "$MODULE_SRC" ] || die "no module at $MODULE_SRC: run make first"

rm -rf "$RUN"
mkdir -p "$RUN"
# a private copy: a rebuild during the run must not change what is measured
cp "$MODULE_SRC" "$RUN/ngx_http_blog_module.so"
MODULE=$RUN/ngx_http_blog_module.so


# --- nginx instances ----------------------------------------------------

STARTED=()

. "$HERE/lib.sh"

cleanup() {
    local rc=$? p
    trap - EXIT
    for p in "${STARTED[@]+"${STARTED[@]}"}"; do
        stop_nginx "$p"
    done
    if [ -n "${EDITOR_PID:-}" ]; then
        kill "$EDITOR_PID" 2>/dev/null || true
        wait "$EDITOR_PID" 2>/dev/null || true
    fi
    [ -z "${HUGO_OUT:-}" ] || rm -rf "$HUGO_OUT"
    if [ "$KEEP" = 1 ]; then
        echo "bench: kept ${RUN#$ROOT/}" >&2
    else
        rm -rf "$RUN"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# blog_server PORT CONTENT CACHE: the module at /blog/, with gzip on and
# the page cache CACHE ("blog" or "off"), and blog_status
blog_server() {
    cat <<EOF

    server {
        listen 127.0.0.1:$1;
        server_name localhost;

        location /blog/ {
            blog $2;
            blog_title "Blog";
            blog_description "Thoughts on software engineering, AI, Web3, and building great products.";
            blog_author Phoenix;
            blog_home_url /;
            blog_base_url http://localhost;
            blog_cache $3;
            gzip on;
        }

        location = /blog-status {
            blog_status;
        }
    }
EOF
}

# static_server PORT ROOT: nginx's static module, with the headers the
# module sends (charset, Vary) so that both responses have the same size
static_server() {
    cat <<EOF

    server {
        listen 127.0.0.1:$1;
        server_name localhost;
        root $2;
        charset utf-8;
        gzip on;
        gzip_vary on;

        location = /post.html {
            add_header Vary Accept;
        }
    }
EOF
}

# tuned_server PORT ROOT: the static setup of a site generator's user who
# cares about speed: open_file_cache, and files compressed at build time
# sent by gzip_static and brotli_static (Debian's
# libnginx-mod-http-brotli-static); the same headers as static_server
tuned_server() {
    cat <<EOF

    server {
        listen 127.0.0.1:$1;
        server_name localhost;
        root $2;
        charset utf-8;
        open_file_cache max=1000 inactive=60s;
        open_file_cache_valid 60s;
        gzip_static on;
        brotli_static on;
        gzip_vary on;

        location = /post.html {
            add_header Vary Accept;
        }
    }
EOF
}

# write_conf PREFIX ZONE_SIZE SERVERS...: CONF_WORKERS (WORKERS) is its
# worker_processes, CONF_MODULES more modules to load
write_conf() {
    local prefix=$1 zone=$2
    shift 2
    mkdir -p "$prefix/conf" "$prefix/logs"
    {
        cat <<EOF
# written by contrib/bench/run.sh
load_module $MODULE;
$(for m in ${CONF_MODULES:-}; do echo "load_module $m;"; done)

worker_processes ${CONF_WORKERS:-$WORKERS};
error_log logs/error.log notice;
pid logs/nginx.pid;

events {
    worker_connections 1024;
}

http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;

    client_body_temp_path logs/client_body;
    proxy_temp_path logs/proxy;
    fastcgi_temp_path logs/fastcgi;
    uwsgi_temp_path logs/uwsgi;
    scgi_temp_path logs/scgi;

    blog_cache_zone blog:$zone;
EOF
        printf '%s\n' "$@"
        echo "}"
    } > "$prefix/conf/nginx.conf"
    "$NGINX" -t -q -p "$prefix" -c conf/nginx.conf \
        || die "nginx -t fails on $prefix/conf/nginx.conf"
    STARTED+=("$prefix")
}

start_nginx() {
    "$NGINX" -p "$1" -c conf/nginx.conf || die "nginx did not start in $1"
}

wait_200() {            # wait_200 URL: poll until 200, 60 s at most
    local i
    for i in $(seq 1 3000); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = 200 ] && return 0
        sleep 0.02
    done
    die "no 200 from $1 in 60 s"
}


# --- wrk ----------------------------------------------------------------

CLK_TCK=$(getconf CLK_TCK)


# wrk_run URL [WRK ARGS...]: a warm-up run, then the measured one; prints
# "REQUESTS/S P99_MS BAD CPU_US" (BAD: non-2xx responses and socket errors;
# CPU_US: microseconds of CPU the workers of WRK_PREFIX spent per request,
# a figure that the other load of a shared machine disturbs less)
wrk_run() {
    local url=$1 out t0 t1
    shift
    wrk -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" "$@" "$url" >/dev/null
    t0=$(cpu_ticks "$WRK_PREFIX")
    out=$(wrk -t"$THREADS" -c"$CONNS" -d"${SECONDS_}s" --timeout 5s --latency \
              "$@" "$url") || die "wrk failed on $url"
    t1=$(cpu_ticks "$WRK_PREFIX")
    awk -v ticks=$(( t1 - t0 )) -v hz="$CLK_TCK" "$AWK_MS"'
        /Requests\/sec:/            { rps = $2 }
        / requests in /             { n = $1 }
        $1 == "99%"                 { p99 = ms($2) }
        /Non-2xx or 3xx responses:/ { bad += $NF }
        /Socket errors:/            { bad += $4 + $6 + $8 + $10 }
        END {
            if (rps == "" || n == 0) exit 1
            printf "%.0f %.2f %d %.1f\n", rps, p99, bad, ticks * 1e6 / hz / n
        }
    ' <<<"$out"
}

declare -A RPS P99 BAD CPU

measure() {             # measure KEY URL [WRK ARGS...]: keep the best run
    local key=$1 rps p99 bad cpu
    shift
    read -r rps p99 bad cpu <<<"$(wrk_run "$@")"
    log "  $key: $rps req/s, p99 $p99 ms, $cpu us CPU/request, $bad bad"
    BAD[$key]=$(( ${BAD[$key]:-0} + bad ))
    if [ "$rps" -gt "${RPS[$key]:-0}" ]; then
        RPS[$key]=$rps
        P99[$key]=$p99
    fi
    # the CPU per request: the least of the rounds
    if [ -z "${CPU[$key]:-}" ] || awk -v a="$cpu" -v b="${CPU[$key]}" 'BEGIN { exit !(a < b) }'; then
        CPU[$key]=$cpu
    fi
}


# --- formatting -----------------------------------------------------------

num() { sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta' <<<"$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
verdict() {             # verdict RATIO ge|le TARGET
    awk -v r="$1" -v op="$2" -v t="$3" 'BEGIN {
        if (r == "n/a") { print "MISS"; exit }
        ok = (op == "ge") ? r >= t : r <= t
        print ok ? "PASS" : "MISS" }'
}
fig() { echo "$(num "${RPS[$1]}") req/s, p99 ${P99[$1]} ms, ${CPU[$1]} µs CPU/req"; }
headers_size() { curl -s -o /dev/null -D - "$@" | wc -c; }


# === rows 1-4: one nginx, the module beside the static module ===========

log "rows 1-4: throughput on the example blog"
MAIN=$RUN/main
P_BLOG=$(free_port)
P_NOCACHE=$(free_port)
P_STATIC=$(free_port)
mkdir -p "$MAIN/static"
write_conf "$MAIN" 16m \
    "$(blog_server "$P_BLOG" "$ROOT/contrib/example" blog)" \
    "$(blog_server "$P_NOCACHE" "$ROOT/contrib/example" off)" \
    "$(static_server "$P_STATIC" "$MAIN/static")"
start_nginx "$MAIN"
WRK_PREFIX=$MAIN
wait_200 "http://127.0.0.1:$P_BLOG$POST_PATH"

# the module's own bytes, saved for the static module
curl -sf -o "$MAIN/static/post.html" "http://127.0.0.1:$P_BLOG$POST_PATH"
curl -sf -o "$MAIN/static/index.html" "http://127.0.0.1:$P_BLOG$INDEX_PATH"
for f in post index; do
    url=http://127.0.0.1:$P_STATIC/$f.html
    curl -s "$url" | cmp -s - "$MAIN/static/$f.html" \
        || die "the static module does not send $f.html as saved"
done
H_MOD=$(headers_size "http://127.0.0.1:$P_BLOG$POST_PATH")
H_STATIC=$(headers_size "http://127.0.0.1:$P_STATIC/post.html")
GZ='Accept-Encoding: gzip'
GZ_MOD=$(curl -s -H "$GZ" "http://127.0.0.1:$P_BLOG$POST_PATH" | wc -c)
GZ_STATIC=$(curl -s -H "$GZ" "http://127.0.0.1:$P_STATIC/post.html" | wc -c)
POST_SIZE=$(stat -c %s "$MAIN/static/post.html")
INDEX_SIZE=$(stat -c %s "$MAIN/static/index.html")

for round in $(seq 1 "$ROUNDS"); do
    log " round $round of $ROUNDS"
    measure 1m "http://127.0.0.1:$P_BLOG$POST_PATH"
    measure 1s "http://127.0.0.1:$P_STATIC/post.html"
    measure 2m "http://127.0.0.1:$P_BLOG$INDEX_PATH"
    measure 2s "http://127.0.0.1:$P_STATIC/index.html"
    measure 3m "http://127.0.0.1:$P_BLOG$POST_PATH" -H "$GZ"
    measure 3s "http://127.0.0.1:$P_STATIC/post.html" -H "$GZ"
    measure 4m "http://127.0.0.1:$P_NOCACHE$POST_PATH"
done

curl -s -o "$RUN/status-main.json" "http://127.0.0.1:$P_BLOG/blog-status"
HITS=$(python3 "$TOOLS" status "$RUN/status-main.json" hits)
MISSES=$(python3 "$TOOLS" status "$RUN/status-main.json" misses)
log "  cache: $HITS hits, $MISSES misses"
stop_nginx "$MAIN"


# === row 5: cold start against Hugo ======================================

# posts N: the folder of N generated posts (in its posts/ subfolder, the
# section Hugo lists), made once per N and seed
posts() {
    local dir=$POSTS/$1-seed$SEED
    if [ ! -e "$dir.done" ]; then
        log "  generating $1 posts in ${dir#$ROOT/}"
        rm -rf "$dir"
        python3 "$HERE/gen-posts.py" "$1" "$dir/posts" --seed "$SEED"
        touch "$dir.done"
    fi
    echo "$dir"
}

declare -A COLD HUGO
HUGO_VERSION=$(hugo version | awk '{ print $2 }')
# Hugo writes its site to a tmpfs when there is one: that spares it the
# disk (a favour to Hugo), and removing its files takes no time
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
    HUGO_OUT=$(mktemp -d /dev/shm/blog-bench-hugo.XXXXXX)
else
    HUGO_OUT=$RUN/hugo-public
fi
cp -r "$HERE/hugo" "$RUN/hugo"

for n in $POST_COUNTS; do
    log "row 5: $n posts"
    content=$(posts "$n")

    rm -rf "$HUGO_OUT/public"
    t0=$EPOCHREALTIME
    timeout 300 hugo --quiet -s "$RUN/hugo" --contentDir "$content" \
            -d "$HUGO_OUT/public" --cacheDir "$RUN/hugo-cache" \
            > "$RUN/hugo-$n.log" 2>&1 \
        || { cat "$RUN/hugo-$n.log" >&2; die "hugo failed"; }
    HUGO[$n]=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", (b - a) * 1000 }')
    pages=$(find "$HUGO_OUT/public/posts" -name index.html | wc -l)
    [ "$pages" -ge "$n" ] || die "hugo wrote $pages post pages of $n"
    log "  hugo: ${HUGO[$n]} ms"
    rm -rf "$HUGO_OUT/public"

    # the newest post must be on the index: not a page of an empty index
    newest=$(ls "$content/posts" | sort | tail -n 1)
    marker=/blog/${newest%.md}/
    for run in $(seq 1 "$COLD_RUNS"); do
        pre=$RUN/cold-$n-$run
        port=$(free_port)
        write_conf "$pre" 256m "$(blog_server "$port" "$content" blog)"
        ms=$(python3 "$TOOLS" coldstart "$NGINX" "$pre" \
                 "http://127.0.0.1:$port$INDEX_PATH" "$marker") \
            || die "no index from the module with $n posts"
        log "  module, run $run: $ms ms"
        [ -z "${COLD[$n]:-}" ] || [ "$ms" -lt "${COLD[$n]}" ] && COLD[$n]=$ms
        # the last instance of the largest size stays up for rows 6 and 7
        if [ "$n" = "$MAX_N" ] && [ "$run" = "$COLD_RUNS" ]; then
            BIG=$pre
            P_BIG=$port
            BIG_CONTENT=$content
        else
            stop_nginx "$pre"
        fi
    done
done


# === row 6: memory ==========================================================

# rss PREFIX FIELD: that /proc/PID/status field (kB) of each worker
rss() {
    local p
    for p in $(worker_pids "$1"); do
        awk -v f="$2:" '$1 == f { print $2 }' "/proc/$p/status"
    done | paste -sd' '
}

# private PREFIX: each worker's VmRSS less its RssShmem (the zone's pages
# it touched, counted once in the zone's own figure), kB
private() {
    paste -d' ' <(rss "$1" VmRSS | tr ' ' '\n') <(rss "$1" RssShmem | tr ' ' '\n') \
        | awk 'NF == 2 { print $1 - $2 }' | paste -sd' '
}

log "row 6: memory with $MAX_N posts"
# the big blog's workers with their index alone, before any post is asked
MEM_INDEX=$(private "$BIG")

# the baseline: an empty blog asked for the same URLs (404 pages, rendered
# in the same thread pool), so both carry what the renders leave behind
EMPTY=$RUN/empty
P_EMPTY=$(free_port)
mkdir -p "$EMPTY/content"
write_conf "$EMPTY" 256m "$(blog_server "$P_EMPTY" "$EMPTY/content" blog)"
start_nginx "$EMPTY"
wait_200 "http://127.0.0.1:$P_EMPTY$INDEX_PATH"
python3 "$TOOLS" fetch-all 127.0.0.1 "$P_EMPTY" /blog/ "$BIG_CONTENT/posts" >/dev/null
sleep 1
MEM_EMPTY=$(private "$EMPTY")
RSS_EMPTY=$(rss "$EMPTY" VmRSS)
stop_nginx "$EMPTY"

read -r FETCHED FETCH_BAD <<<"$(python3 "$TOOLS" fetch-all 127.0.0.1 "$P_BIG" /blog/ "$BIG_CONTENT/posts")"
[ "$FETCH_BAD" = 0 ] || log "  warning: $FETCH_BAD of $FETCHED posts did not answer 200"
sleep 2
MEM_BIG=$(private "$BIG")
RSS_BIG=$(rss "$BIG" VmRSS)
SHM_BIG=$(rss "$BIG" RssShmem)
curl -s -o "$RUN/status-big.json" "http://127.0.0.1:$P_BIG/blog-status"
ZONE_USED=$(python3 "$TOOLS" status "$RUN/status-big.json" used)
ZONE_ENTRIES=$(python3 "$TOOLS" status "$RUN/status-big.json" entries)
ZONE_EVICTIONS=$(python3 "$TOOLS" status "$RUN/status-big.json" evictions)

# growth A B: the larger worker's figure in A less the smaller one's in B
growth() {
    awk -v a="$1" -v b="$2" 'BEGIN {
        na = split(a, x, " "); nb = split(b, y, " ")
        hi = x[1]; for (i = 2; i <= na; i++) if (x[i] > hi) hi = x[i]
        lo = y[1]; for (i = 2; i <= nb; i++) if (y[i] < lo) lo = y[i]
        print hi - lo }'
}
per_post() { awk -v d="$1" -v n="$MAX_N" 'BEGIN { printf "%.2f", d * 1024 / n / 1000 }'; }
GROWTH=$(growth "$MEM_BIG" "$MEM_EMPTY")
PER_POST=$(per_post "$GROWTH")
INDEX_GROWTH=$(growth "$MEM_INDEX" "$MEM_EMPTY")
INDEX_PER_POST=$(per_post "$INDEX_GROWTH")
ZONE_PER_POST=$(awk -v u="$ZONE_USED" -v n="$MAX_N" 'BEGIN { if (u == "n/a") print "n/a"; else printf "%.1f", u / n / 1000 }')
log "  workers: $MEM_BIG kB private, $MEM_INDEX kB before the posts were asked (empty blog: $MEM_EMPTY kB); zone: $ZONE_USED bytes, $ZONE_ENTRIES entries"


# === row 7: p99 of cached pages, idle and with one edit a second =========

log "row 7: $MAX_N posts, idle, then one edit a second"
# the index and the 99 newest posts, all cached by now
ls "$BIG_CONTENT/posts" | sort -r | sed -n 's/\.md$//; 1,99p' > "$RUN/edit-slugs"
{ echo "$INDEX_PATH"; sed 's|.*|/blog/&/|' "$RUN/edit-slugs"; } > "$RUN/paths"
export BENCH_PATHS=$RUN/paths
BIG_URL=http://127.0.0.1:$P_BIG
WRK_PREFIX=$BIG
measure 7i "$BIG_URL" -s "$HERE/paths.lua"
curl -s -o "$RUN/status-idle.json" "http://127.0.0.1:$P_BIG/blog-status"
python3 "$TOOLS" edit "$BIG_CONTENT/posts" "$RUN/edit-slugs" \
    $(( WARMUP + SECONDS_ + 2 )) > "$RUN/edits" &
EDITOR_PID=$!
sleep 1
measure 7e "$BIG_URL" -s "$HERE/paths.lua"
wait "$EDITOR_PID"
EDITOR_PID=
EDITS=$(cat "$RUN/edits")
curl -s -o "$RUN/status-big2.json" "http://127.0.0.1:$P_BIG/blog-status"
MISSES7=$(( $(python3 "$TOOLS" status "$RUN/status-big2.json" misses) \
            - $(python3 "$TOOLS" status "$RUN/status-idle.json" misses) ))
log "  $EDITS edits; $MISSES7 cache misses from the end of the idle run"
stop_nginx "$BIG"


# === the table ================================================================

rows=()
r=$(ratio "${RPS[1m]}" "${RPS[1s]}")
rows+=("| 1 | cached post ($(num "$POST_SIZE") B) | $(fig 1m) | static file, same bytes: $(fig 1s) | ${r}× | ≥ 1.0× | $(verdict "$r" ge 1.0) |")
r=$(ratio "${RPS[2m]}" "${RPS[2s]}")
rows+=("| 2 | cached index ($(num "$INDEX_SIZE") B) | $(fig 2m) | static file, same bytes: $(fig 2s) | ${r}× | ≥ 1.0× | $(verdict "$r" ge 1.0) |")
r=$(ratio "${RPS[3m]}" "${RPS[3s]}")
rows+=("| 3 | cached post, gzip (module $(num "$GZ_MOD") B stored; static $(num "$GZ_STATIC") B per request) | $(fig 3m) | static file + gzip on: $(fig 3s) | ${r}× | ≥ 5× | $(verdict "$r" ge 5) |")
r=$(ratio "${RPS[4m]}" "${RPS[1s]}")
rows+=("| 4 | post, blog_cache off (rendered per request) | $(fig 4m) | row 1's static file: $(fig 1s) | ${r}× | for scale | — |")
for n in $POST_COUNTS; do
    r=$(ratio "${COLD[$n]}" "${HUGO[$n]}")
    rows+=("| 5 | cold start, $(num "$n") posts: nginx start → first index with the newest post | $(num "${COLD[$n]}") ms (best of $COLD_RUNS) | hugo build: $(num "${HUGO[$n]}") ms | ${r}× | ≤ 0.1× | $(verdict "$r" le 0.1) |")
done
rows+=("| 6 | memory, $(num "$MAX_N") posts, every post requested once: worker growth over an empty blog | $PER_POST KB/post (+$(num "$GROWTH") kB, larger worker; index alone $INDEX_PER_POST KB/post); zone $(num "$ZONE_USED") B used, $ZONE_PER_POST KB/post | empty blog | — | ≤ 2 KB/post | $(verdict "$PER_POST" le 2) |")
r=$(ratio "${P99[7e]}" "${P99[7i]}")
rows+=("| 7 | p99 of cached pages, $(num "$MAX_N") posts, one edit a second ($EDITS edits) | p99 ${P99[7e]} ms ($(num "${RPS[7e]}") req/s) | idle: p99 ${P99[7i]} ms ($(num "${RPS[7i]}") req/s) | ${r}× | ≤ 2× | $(verdict "$r" le 2) |")

# === row 12: a real blog's posts, each rendered per request ===================

RUST_BLOG=$ROOT/../shared/corpus/rust-blog
if [ -d "$RUST_BLOG" ]; then
    log "row 12: every post of the Rust blog, rendered per request"
    R12=$RUN/render
    P_R12=$(free_port)
    write_conf "$R12" 16m "$(blog_server "$P_R12" "$RUST_BLOG" off)"
    "$ROOT/build/blog-check" "$RUST_BLOG" \
        | awk -F'\t' 'NF == 4 { print "/blog/" $1 "/" }' > "$R12/paths"
    R12_POSTS=$(wc -l < "$R12/paths")
    start_nginx "$R12"
    WRK_PREFIX=$R12
    wait_200 "http://127.0.0.1:$P_R12$(head -n 1 "$R12/paths")"
    BENCH_PATHS=$R12/paths measure 12 "http://127.0.0.1:$P_R12" \
        -s "$HERE/paths.lua"
    stop_nginx "$R12"
    rows+=("| 12 | every post of the Rust blog ($(num "$R12_POSTS") posts, highlighted code), blog_cache off: a render per request | $(fig 12) | — | — | for scale | — |")
else
    log "row 12: no Rust blog at $RUST_BLOG, skipped"
fi

# === rows 13-17: against the tuned static setup ===============================

BROTLI_STATIC=/usr/lib/nginx/modules/ngx_http_brotli_static_module.so
[ -f "$BROTLI_STATIC" ] || die "no $BROTLI_STATIC: run make bench-deps"
BR='Accept-Encoding: br'

log "rows 13-16: one worker, against open_file_cache, gzip_static and brotli_static"
TUNED=$RUN/tuned
P_TBLOG=$(free_port)
P_TUNED=$(free_port)
mkdir -p "$TUNED/static"
CONF_WORKERS=1 CONF_MODULES=$BROTLI_STATIC write_conf "$TUNED" 16m \
    "$(blog_server "$P_TBLOG" "$ROOT/contrib/example" blog)" \
    "$(tuned_server "$P_TUNED" "$TUNED/static")"
start_nginx "$TUNED"
WRK_PREFIX=$TUNED
wait_200 "http://127.0.0.1:$P_TBLOG$POST_PATH"

# the module's own bytes in each coding, saved as the build would
MOD_POST=http://127.0.0.1:$P_TBLOG$POST_PATH
TUNED_POST=http://127.0.0.1:$P_TUNED/post.html
curl -sf -o "$TUNED/static/post.html" "$MOD_POST"
curl -sf -H "$GZ" -o "$TUNED/static/post.html.gz" "$MOD_POST"
curl -sf -H "$BR" -o "$TUNED/static/post.html.br" "$MOD_POST"
for enc in identity gzip br; do
    case $enc in
        identity) f=post.html ;;
        gzip) f=post.html.gz ;;
        br) f=post.html.br ;;
    esac
    curl -s -H "Accept-Encoding: $enc" "$TUNED_POST" \
        | cmp -s - "$TUNED/static/$f" \
        || die "the tuned static setup does not send $f for $enc"
    got=$(curl -s -o /dev/null -D - -H "Accept-Encoding: $enc" "$MOD_POST" \
          | tr -d '\r' | awk -F': ' 'tolower($1) == "content-encoding" { print $2 }')
    [ "${got:-identity}" = "$enc" ] || die "the module sends ${got:-identity} for $enc"
done
BYTES_PLAIN=$(stat -c %s "$TUNED/static/post.html")
BYTES_GZ=$(stat -c %s "$TUNED/static/post.html.gz")
BYTES_BR=$(stat -c %s "$TUNED/static/post.html.br")

for round in $(seq 1 "$ROUNDS"); do
    log " round $round of $ROUNDS"
    measure 13m "$MOD_POST"
    measure 13s "$TUNED_POST"
    measure 14m "$MOD_POST" -H "$GZ"
    measure 14s "$TUNED_POST" -H "$GZ"
    measure 15m "$MOD_POST" -H "$BR"
    measure 15s "$TUNED_POST" -H "$BR"
done

# row 16: every post page of the example blog, brotli against gzip
EX_GZ=0
EX_BR=0
EX_POSTS=0
for slug in $("$ROOT/build/blog-check" "$ROOT/contrib/example" \
                | awk -F'\t' 'NF == 4 { print $1 }'); do
    url=http://127.0.0.1:$P_TBLOG/blog/$slug/
    g=$(curl -sf -H "$GZ" "$url" | wc -c)
    b=$(curl -sf -H "$BR" "$url" | wc -c)
    EX_GZ=$(( EX_GZ + g ))
    EX_BR=$(( EX_BR + b ))
    EX_POSTS=$(( EX_POSTS + 1 ))
done
stop_nginx "$TUNED"

r=$(ratio "${RPS[13m]}" "${RPS[13s]}")
rows+=("| 13 | cached post, plain ($(num "$BYTES_PLAIN") B), one worker | $(fig 13m) | static file + \`open_file_cache\`: $(fig 13s) | ${r}× | ≥ 1.0× | $(verdict "$r" ge 1.0) |")
r=$(ratio "${RPS[14m]}" "${RPS[14s]}")
rows+=("| 14 | cached post, gzip ($(num "$BYTES_GZ") B), one worker | $(fig 14m) | \`gzip_static\`, same bytes: $(fig 14s) | ${r}× | ≥ 1.0× | $(verdict "$r" ge 1.0) |")
r=$(ratio "${RPS[15m]}" "${RPS[15s]}")
rows+=("| 15 | cached post, brotli ($(num "$BYTES_BR") B), one worker | $(fig 15m) | \`brotli_static\`, same bytes: $(fig 15s) | ${r}× | ≥ 1.0× | $(verdict "$r" ge 1.0) |")
r=$(ratio "$EX_BR" "$EX_GZ")
rows+=("| 16 | bytes of the example blog's $EX_POSTS post pages, brotli | $(num "$EX_BR") B | gzip: $(num "$EX_GZ") B | ${r}× | ≤ 0.85× | $(verdict "$r" le 0.85) |")

# row 17: small pages while one client fetches a 2 MB feed, two workers
log "row 17: p99 of a small page, alone and while a 2 MB feed is fetched"
LOCKED=$RUN/locked
P_LOCKED=$(free_port)
python3 "$TOOLS" big-feed "$LOCKED/content"
write_conf "$LOCKED" 64m "$(blog_server "$P_LOCKED" "$LOCKED/content" blog)"
start_nginx "$LOCKED"
WRK_PREFIX=$LOCKED
SMALL_URL=http://127.0.0.1:$P_LOCKED/blog/small/
FEED_URL=http://127.0.0.1:$P_LOCKED/blog/feed.xml
wait_200 "$SMALL_URL"
wait_200 "$FEED_URL"
FEED_SIZE=$(curl -sf "$FEED_URL" | wc -c)
SMALL_SIZE=$(curl -sf -H "$GZ" "$SMALL_URL" | wc -c)
for round in $(seq 1 "$ROUNDS"); do
    log " round $round of $ROUNDS"
    measure 17i "$SMALL_URL" -H "$GZ"
    wrk -t1 -c1 -d"$(( WARMUP + SECONDS_ + 2 ))s" "$FEED_URL" \
        > "$LOCKED/feed-wrk.txt" &
    FEED_WRK=$!
    sleep 0.5
    measure 17f "$SMALL_URL" -H "$GZ"
    wait "$FEED_WRK"
done
FEED_RPS=$(awk '/Requests\/sec:/ { printf "%.0f", $2 }' "$LOCKED/feed-wrk.txt")
stop_nginx "$LOCKED"
r=$(ratio "${P99[17f]}" "${P99[17i]}")
rows+=("| 17 | p99 of a small cached page ($(num "$SMALL_SIZE") B gzip) while one client fetches the $(num "$FEED_SIZE") B feed ($(num "$FEED_RPS") req/s), $WORKERS workers | p99 ${P99[17f]} ms ($(num "${RPS[17f]}") req/s) | alone: p99 ${P99[17i]} ms ($(num "${RPS[17i]}") req/s) | ${r}× | ≤ 2× | $(verdict "$r" le 2) |")

# === rows 8-11 and 18: at scale ==============================================

log "rows 8-11 and 18: contrib/bench/scale.sh"
SCALE_ROWS=$(BENCH_NGINX=$NGINX MODULE=$MODULE BENCH_SEED=$SEED \
             bash "$HERE/scale.sh") \
    || die "contrib/bench/scale.sh failed"
while IFS= read -r line; do rows+=("$line"); done <<<"$SCALE_ROWS"

# === row 19: mod_blog in Apache httpd ========================================

log "row 19: contrib/bench/apache.sh"
APACHE_ROW=$(bash "$HERE/apache.sh") || die "contrib/bench/apache.sh failed"
rows+=("$APACHE_ROW")

bad=0
for k in "${!BAD[@]}"; do bad=$(( bad + BAD[$k] )); done
alerts=$(cat "$RUN"/*/logs/error.log | grep -E '\[(alert|crit|emerg)\]' | head -n 5 || true)

{
    echo "# ngx_blog_module benchmark"
    echo
    echo "- machine: $(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(nproc) cores, Linux $(uname -r), $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM"
    echo "- $("$NGINX" -v 2>&1 | sed 's/^nginx version: //'), worker_processes $WORKERS, access_log off, sendfile on; $(wrk -v 2>&1 | awk 'NR == 1 { print $1, $2 }'); hugo $HUGO_VERSION"
    echo "- load average (1, 5, 15 min): $LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
    echo "- $(date -u '+%Y-%m-%d %H:%M UTC'), $(elapsed) s"
    echo
    echo "| # | measure | module | comparison | ratio | target | result |"
    echo "| --- | --- | --- | --- | --- | --- | --- |"
    printf '%s\n' "${rows[@]}"
    echo
    echo "Rows 1-4 and 7: \`wrk -t$THREADS -c$CONNS -d${SECONDS_}s --latency\` on 127.0.0.1 after a"
    echo "${WARMUP} s warm-up, wrk sharing the machine's CPUs with nginx; rows 1-4 ran $ROUNDS"
    echo "round(s), module and comparison in turn, each figure from its best round."
    echo "Rows 1-3: one nginx serves the module (\`blog_cache\`, \`gzip on\`) and, from another"
    echo "server block, the module's own response bytes saved to files, with \`charset utf-8\`, \`gzip_vary on\`"
    echo "and \`add_header Vary Accept\` so that the headers match (post headers: module"
    echo "$H_MOD B, static $H_STATIC B).  The static module compresses at \`gzip_comp_level 1\`"
    echo "on every request; the module stored its level-9 bytes once.  Cache after rows"
    echo "1-4: $HITS hits, $MISSES misses."
    echo
    echo "CPU per request (the nginx workers' user and system time over the requests"
    echo "served, the least of the rounds; the rest of the machine's load disturbs it"
    echo "less than requests/s): static over module, row 1 $(ratio "${CPU[1s]}" "${CPU[1m]}")×,"
    echo "row 2 $(ratio "${CPU[2s]}" "${CPU[2m]}")×, row 3 $(ratio "${CPU[3s]}" "${CPU[3m]}")×, row 4 $(ratio "${CPU[1s]}" "${CPU[4m]}")×"
    echo "(the render in the thread pool included).  It leaves out wrk and the kernel's"
    echo "loopback work on wrk's side."
    echo
    echo "Row 5: milliseconds from running nginx to the first 200 of $INDEX_PATH that links"
    echo "the newest post (polled every 5 ms), vs \`hugo --quiet\` building"
    echo "\`contrib/bench/hugo/\` around the same posts (posts, home, tags, RSS, sitemap)."
    echo "Posts: \`gen-posts.py\`, seed $SEED; the files are in the page cache for both."
    echo "Hugo writes to $( [ "${HUGO_OUT#/dev/shm}" != "$HUGO_OUT" ] && echo "a tmpfs" || echo "the disk")."
    echo
    echo "Row 6: each worker's VmRSS less its RssShmem (the zone's pages, counted once in"
    echo "the zone figure of \`blog_status\`), after asking for each of the $(num "$MAX_N") posts"
    echo "once ($FETCH_BAD not 200), the larger worker, minus the smaller figure of a"
    echo "worker serving an empty blog that was asked for the same URLs (404s).  Private"
    echo "kB per worker: $MEM_BIG ($MEM_INDEX with the index alone, before the"
    echo "posts were asked); empty blog: $MEM_EMPTY.  VmRSS: $RSS_BIG kB (RssShmem"
    echo "$SHM_BIG kB); empty blog: $RSS_EMPTY kB.  Zone: $ZONE_ENTRIES entries,"
    echo "$ZONE_EVICTIONS evictions.  KB is 1,000 bytes."
    echo
    echo "Row 7: wrk cycles through $INDEX_PATH and the 99 newest posts; while it runs,"
    echo "\`tools.py edit\` rewrites one of those posts a second (a line more in its body,"
    echo "renamed over the old file), so each edit expires that post, its neighbours and"
    echo "the listings ($MISSES7 misses from the end of the idle run to the end of this"
    echo "one: each worker renders an expired page once, and the requests that"
    echo "come meanwhile wait for that render; \`blog_check_interval 1s\`)."
    echo
    echo "Row 12: wrk cycles through every post blog-check lists in"
    echo "../shared/corpus/rust-blog with \`blog_cache off\`: each request reads,"
    echo "parses, highlights and lays out one post in the thread pool; the CPU per"
    echo "request is one post's cold render.  The rows with the cache must not move"
    echo "with it."
    echo
    echo "Rows 13-15: one nginx with \`worker_processes 1\` serves the module and, from"
    echo "another server block, the module's own bytes of the post saved as post.html,"
    echo "post.html.gz and post.html.br, sent with \`open_file_cache\`, \`gzip_static\`"
    echo "and \`brotli_static\` (Debian's libnginx-mod-http-brotli-static); rows 14 and 15"
    echo "ask with \`Accept-Encoding: gzip\` and \`br\`.  The module stores each coding"
    echo "once per version and sends it from the zone.  Row 16: the sum over the example"
    echo "blog's post pages of the bytes the module sends for each coding (brotli at"
    echo "quality 11, gzip at level 9).  Row 17: \`wrk -c$CONNS\` on a small post's gzip"
    echo "while another wrk, one connection, fetches the feed of twenty 100 KB posts"
    echo "(\`tools.py big-feed\`) as fast as it can, against the same without it; a"
    echo "hit holds the zone's lock for a lookup and a pin, not for a copy."
    echo
    echo "Rows 8-11 and 18 (\`contrib/bench/scale.sh\`, \`make bench-scale\` alone): \`gen-posts.py\`"
    echo "posts spread over folders, \`blog_index_zone 256m\`, with 2 workers and then more."
    echo "Row 9: the workers' user and system time over ${BENCH_SCALE_IDLE:-10} s once the index is built"
    echo "and every worker has taken it.  Row 10: the sum over the workers of PSS less"
    echo "Pss_Shmem (/proc/PID/smaps_rollup): the zones' pages are shared, and the index"
    echo "zone's figure is what \`blog_status\` gives.  Row 11: as row 7, with 20 posts of"
    echo "one folder and \`wrk -t2 -c32 -d5s\`.  Row 18: a new post renamed into place"
    echo "(\`tools.py saved\`), 9 times, each until its page and the index show it."
    echo
    echo "Row 19 (\`contrib/bench/apache.sh\`, \`make bench-apache\` alone): one Apache"
    echo "httpd, event MPM, serves the example blog with mod_blog and \`BlogCache\`, and"
    echo "the module's own bytes of the post as post.html from its DocumentRoot (httpd's"
    echo "default handler); wrk asks for each in turn, the best of BENCH_ROUNDS rounds."
    if [ "$bad" -gt 0 ]; then
        echo
        echo "**Warning:** $bad non-2xx responses or socket errors in the wrk runs."
    fi
    if [ -n "$alerts" ]; then
        echo
        echo "**Warning:** alert, crit or emerg lines in the error logs:"
        echo
        sed 's/^/    /' <<<"$alerts"
    fi
} > "$OUT"

echo
cat "$OUT"
