#!/usr/bin/env bash
# The integration suite with nginx under valgrind memcheck (`make
# test-valgrind` builds the module and runs this).
#
#     contrib/test/valgrind.sh [MODULE] [PROVE ARGS...]
#
# nginx runs as one process ("master_process off;", as Test::Nginx does)
# under valgrind --leak-check=full --errors-for-leak-kinds=definite with
# contrib/test/valgrind.supp (TEST_NGINX_USE_VALGRIND, see
# t/lib/Test/Blog/Nginx.pm); the harness fails a block whose nginx logged
# a valgrind error or a definite leak with a frame in the module.  Every
# valgrind log is copied to build/valgrind/reports/ and summarized at the
# end, what is left out (nginx's own) too.
#
# Without PROVE ARGS it runs the files in VALGRIND_FILES below: the whole
# suite but the files that need worker processes, signals or reloads, or
# whose time bounds valgrind's 20-50x slowdown cannot meet.  Each file gets
# at most VALGRIND_FILE_TIMEOUT seconds [600].

set -uo pipefail

TOOL=valgrind
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
. contrib/test/common.sh

MODULE=${1:-build/ngx_http_blog_module.so}
shift || true

# Left out, and why (VALGRIND_SKIP replaces the list: names, spaces):
SKIPPED="
000-harness-failures.t  checks the harness, not the module; kills a test on purpose
070-browser.t           Chromium, not the module; its timeouts
071-html-validator.t    the HTML checker (Java), not the module
080-cache.t             counts and reloads worker processes
083-proxy-cache.t       a proxy with a cache manager process
084-faults.t            kills and signals workers
091-hostile-content.t   2 s bounds on pathological posts, 64 MB and 2 GB posts
110-deb.t               packaging
130-contrib-configs.t   nginx -t of sample configurations: no request served
140-readme-directives.t nginx -t of the README's directives: no request served
"
SKIP_FILES=${VALGRIND_SKIP:-$(echo "$SKIPPED" | awk 'NF { print $1 }')}

if ! command -v valgrind >/dev/null; then
    echo "valgrind: not installed (Debian: apt-get install valgrind)" >&2
    exit 2
fi

if [ ! -f "$MODULE" ]; then
    echo "valgrind: no module at $MODULE: run make" >&2
    exit 2
fi

check_nodelete
prepare_reports

export TEST_NGINX_USE_VALGRIND=1

if [ $# -eq 0 ]; then
    files=()
    for f in t/*.t; do
        case " $(echo $SKIP_FILES) " in
            *" $(basename "$f") "*)
                why=$(echo "$SKIPPED" | awk -v f="$(basename "$f")" \
                      '$1 == f { $1 = ""; sub(/^ +/, ""); print }')
                echo "valgrind: skipping $f${why:+: $why}" ;;
            *) files+=("$f") ;;
        esac
    done
    set -- -I t/lib "${files[@]}"
fi

echo "valgrind: $MODULE, $(valgrind --version)"

run_suite --timer "$@"
