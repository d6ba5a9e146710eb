#!/usr/bin/env bash
# The module at scale, run by `make bench` after contrib/bench/run.sh (and
# alone by `make bench-scale`): a blog of BENCH_SCALE_POSTS generated
# posts spread over BENCH_SCALE_FOLDERS folders, served by Debian's nginx
# with 2 and then BENCH_SCALE_MANY workers.  For each: the cold start
# (nginx start to the first index page that lists the newest post, the
# posts read once before so they are in the page cache), first with no
# index kept by blog_index_path, then again once the first start wrote
# it (a restart), the
# idle CPU of all workers together over BENCH_SCALE_IDLE seconds once the
# index is built and nothing changes, and the workers' memory (the sum of
# their PSS, less the shared zones' pages, which are counted once below).
# With 2 workers also: the p99 of cached pages while a post is saved every
# second, and how long a new post renamed into place takes to show on
# its page and the index.
# Prints markdown rows, which run.sh adds to build/bench.md, and writes
# them to build/bench-scale.md.
#
# Environment (defaults in brackets):
#   BENCH_SCALE_POSTS [100000]   BENCH_SCALE_FOLDERS [500]
#   BENCH_SCALE_MANY [8]         BENCH_SCALE_IDLE [10]
#   BENCH_SEED [42]  NGINX or BENCH_NGINX [/usr/sbin/nginx]
#   MODULE [build/ngx_http_blog_module.so]
#   BENCH_SCALE_ONLY_POSTS: set, only makes the posts and prints their
#   folder (make bench-first-scan)

set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
RUN=$ROOT/build/bench-scale
OUT=$ROOT/build/bench-scale.md
NGINX=${BENCH_NGINX:-${NGINX:-/usr/sbin/nginx}}
MODULE_SRC=${MODULE:-$ROOT/build/ngx_http_blog_module.so}

# nginx takes NGINX in its environment for sockets inherited in a binary
# upgrade, and then stays in the foreground: not for it
export -n NGINX
N=${BENCH_SCALE_POSTS:-100000}
FOLDERS=${BENCH_SCALE_FOLDERS:-500}
MANY=${BENCH_SCALE_MANY:-8}
IDLE=${BENCH_SCALE_IDLE:-10}
SEED=${BENCH_SEED:-42}
CONTENT=$ROOT/build/bench-posts/scale-$N-$FOLDERS-seed$SEED

umask 022

die() { echo "bench-scale: $*" >&2; exit 1; }
log() { echo "bench-scale: $*" >&2; }

if [ ! -e "$CONTENT.done" ]; then
    log "generating $N posts in $FOLDERS folders"
    rm -rf "$CONTENT"
    python3 "$HERE/gen-posts.py" "$N" "$CONTENT" --seed "$SEED" \
        --folders "$FOLDERS" >&2
    touch "$CONTENT.done"
fi

# the posts alone, for make bench-first-scan: their folder, on stdout
if [ -n "${BENCH_SCALE_ONLY_POSTS:-}" ]; then
    echo "$CONTENT"
    exit 0
fi

[ -x "$NGINX" ] || die "no nginx at $NGINX"
[ -f "$MODULE_SRC" ] || die "no module at $MODULE_SRC: run make first"

rm -rf "$RUN"
mkdir -p "$RUN"
cp "$MODULE_SRC" "$RUN/ngx_http_blog_module.so"

NEWEST=$(find "$CONTENT" -name '*.md' -printf '%f\n' | sort | tail -n 1)
MARKER=/blog/${NEWEST%.md}/

PREFIX=

. "$HERE/lib.sh"

cleanup() {
    local rc=$?
    trap - EXIT
    [ -z "$PREFIX" ] || stop_nginx "$PREFIX"
    rm -rf "$RUN"
    exit "$rc"
}
trap cleanup EXIT

# pss PREFIX: the workers' PSS less their shared memory's, summed, in kB
pss() {
    local p
    for p in $(worker_pids "$1"); do
        awk '$1 == "Pss:" { p = $2 } $1 == "Pss_Shmem:" { s = $2 }
             END { print p - s }' "/proc/$p/smaps_rollup"
    done | awk '{ s += $1 } END { print s + 0 }'
}

# p99 URL: wrk's 99th percentile over the paths of $RUN/paths, in ms
p99() {
    BENCH_PATHS=$RUN/paths wrk -t2 -c32 -d5s --timeout 5s --latency \
        -s "$HERE/paths.lua" "$1" \
        | awk "$AWK_MS"'$1 == "99%" { printf "%.2f\n", ms($2) }'
}

# kept PREFIX: waits up to 30 s for blog_index_path's file to be written
kept() {
    local i
    for i in $(seq 1 300); do
        ls "$1"/keep/*.index > /dev/null 2>&1 && return 0
        sleep 0.1
    done
    die "blog_index_path wrote no file in 30 s"
}

declare -A COLD FIRST CPU MEM ZONE
P99_IDLE=
P99_EDIT=
EDITS=0
SAVED_MEDIAN=
SAVED_MAX=

for w in 2 "$MANY"; do
    PREFIX=$RUN/w$w
    port=$(free_port)
    mkdir -p "$PREFIX/conf" "$PREFIX/logs"
    cat > "$PREFIX/conf/nginx.conf" <<EOF
load_module $RUN/ngx_http_blog_module.so;
worker_processes $w;
error_log logs/error.log notice;
pid logs/nginx.pid;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path logs/client_body;
    blog_index_zone 256m;
    blog_index_path keep;
    blog_cache_zone blog:64m;
    server {
        listen 127.0.0.1:$port;
        location /blog/ {
            blog $CONTENT;
            blog_cache blog;
        }
        location = /blog-status {
            blog_status;
        }
    }
}
EOF
    "$NGINX" -t -q -p "$PREFIX" -c conf/nginx.conf || die "nginx -t fails"

    # a cold start of nginx, not of the disk: the posts in the page cache,
    # as row 5 has them
    find "$CONTENT" -name '*.md' -print0 | xargs -0 cat > /dev/null

    log "$w workers: cold start, no index kept"
    FIRST[$w]=$(python3 "$HERE/tools.py" coldstart "$NGINX" "$PREFIX" \
                    "http://127.0.0.1:$port/blog/" "$MARKER") \
        || die "no index with $N posts"
    kept "$PREFIX"
    stop_nginx "$PREFIX"

    log "$w workers: cold start, the index kept by the first"
    COLD[$w]=$(python3 "$HERE/tools.py" coldstart "$NGINX" "$PREFIX" \
                   "http://127.0.0.1:$port/blog/" "$MARKER") \
        || die "no index with $N posts"

    # the other workers take the index with a request each
    for i in $(seq 1 $(( w * 4 ))); do
        curl -s -o /dev/null "http://127.0.0.1:$port/blog/"
    done
    sleep 3

    log "$w workers: idle for $IDLE s"
    t0=$(cpu_ticks "$PREFIX")
    sleep "$IDLE"
    t1=$(cpu_ticks "$PREFIX")
    CPU[$w]=$(awk -v t=$(( t1 - t0 )) -v hz="$(getconf CLK_TCK)" -v s="$IDLE" \
                  'BEGIN { printf "%.2f", t / hz / s * 100 }')
    MEM[$w]=$(pss "$PREFIX")
    ZONE[$w]=$(curl -s "http://127.0.0.1:$port/blog-status" \
               | python3 -c 'import json, sys
s = json.load(sys.stdin)["sites"][0]
print(s["index_zone"]["bytes"], s["index_zone"]["changes"], s["scan_ms"])')
    log "$w workers: cold ${FIRST[$w]} ms, again ${COLD[$w]} ms, idle CPU ${CPU[$w]}%, PSS ${MEM[$w]} kB, index zone ${ZONE[$w]}"

    # with 2 workers: cached pages, idle and while a post is saved a second
    if [ "$w" = 2 ] && command -v wrk >/dev/null; then
        ls "$CONTENT/f000" | sort -r | sed -n 's/\.md$//; 1,20p' > "$RUN/edit-slugs"
        { echo /blog/; sed 's|.*|/blog/&/|' "$RUN/edit-slugs"; } > "$RUN/paths"
        while read -r path; do
            curl -s -o /dev/null "http://127.0.0.1:$port$path"
        done < "$RUN/paths"
        log "2 workers: p99 of cached pages, idle"
        P99_IDLE=$(p99 "http://127.0.0.1:$port")
        python3 "$HERE/tools.py" edit "$CONTENT/f000" "$RUN/edit-slugs" 7 \
            > "$RUN/edits" &
        sleep 1
        log "2 workers: p99 of cached pages, a save a second"
        P99_EDIT=$(p99 "http://127.0.0.1:$port")
        wait
        EDITS=$(cat "$RUN/edits")
        log "2 workers: p99 $P99_IDLE ms idle, $P99_EDIT ms with $EDITS saves"
        log "2 workers: a new post renamed into place, until it shows"
        read -r SAVED_MEDIAN SAVED_MAX < <(python3 "$HERE/tools.py" saved \
            "http://127.0.0.1:$port/blog/" \
            "$CONTENT/$(printf 'f%03d' $(( FOLDERS / 2 )))" 9)
        log "2 workers: saves show in $SAVED_MEDIAN ms (median), $SAVED_MAX ms at most"
    fi

    stop_nginx "$PREFIX"
    PREFIX=
done

mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
num() { echo "$1" | sed ':a; s/\B[0-9]\{3\}\>/,&/; ta'; }
verdict() { awk -v a="$1" -v op="$2" -v b="$3" \
    'BEGIN { ok = op == "le" ? a <= b : a >= b; print ok ? "met" : "NOT MET" }'; }

read -r IX_BYTES CHANGES SCAN_MS <<<"${ZONE[2]}"
RATIO=$(awk -v a="${MEM[$MANY]}" -v b="${MEM[2]}" 'BEGIN { printf "%.2f", a / b }')

{
    echo "| 8 | cold start, $(num "$N") posts in $(num "$FOLDERS") folders: nginx start to the first index page, with the index blog_index_path kept (2 workers; $MANY workers) | $(num "${COLD[2]}") ms; $(num "${COLD[$MANY]}") ms | the first start, no index kept: $(num "${FIRST[2]}") ms; $(num "${FIRST[$MANY]}") ms | — | ≤ 1,000 ms | $(verdict "$(awk -v a="${COLD[2]}" -v b="${COLD[$MANY]}" 'BEGIN { print (a > b ? a : b) }')" le 1000) |"
    echo "| 9 | idle CPU of all workers together, $(num "$N") posts, nothing changing (changes found by $CHANGES) | 2 workers: ${CPU[2]}%; $MANY workers: ${CPU[$MANY]}% of one core | — | — | ≤ 0.5% | $(verdict "$(awk -v a="${CPU[2]}" -v b="${CPU[$MANY]}" 'BEGIN { print (a > b ? a : b) }')" le 0.5) |"
    echo "| 10 | workers' memory (PSS summed, zones apart), $(num "$N") posts | 2 workers: $(mb "${MEM[2]}") MB; $MANY workers: $(mb "${MEM[$MANY]}") MB (${RATIO}×); the index in the zone: $(mb $(( IX_BYTES / 1024 ))) MB | — | — | ≤ 100 MB with 2; ≤ 1.25× with $MANY | $(verdict "$(mb "${MEM[2]}")" le 100), $(verdict "$RATIO" le 1.25) |"
    if [ -n "$P99_IDLE" ]; then
        echo "| 11 | p99 of cached pages (the index and 20 posts), $(num "$N") posts, 2 workers, a post saved every second ($EDITS saves) | $P99_EDIT ms | idle: $P99_IDLE ms | $(awk -v a="$P99_EDIT" -v b="$P99_IDLE" 'BEGIN { printf "%.2f", a / b }')× | ≤ 2× | $(verdict "$(awk -v a="$P99_EDIT" -v b="$P99_IDLE" 'BEGIN { print a / b }')" le 2) |"
        echo "| 18 | a new post renamed into place until its page and the index show it, $(num "$N") posts in $(num "$FOLDERS") folders, 2 workers (9 saves) | median $SAVED_MEDIAN ms; at most $SAVED_MAX ms | — | — | ≤ 100 ms, each | $(verdict "$SAVED_MAX" le 100) |"
    fi
} | tee "$OUT"
