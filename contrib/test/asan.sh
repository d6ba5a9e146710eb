#!/usr/bin/env bash
# The integration suite with the module built with ASan and UBSan
# (`make test-asan` builds it into build/asan/ and runs this).
#
#     contrib/test/asan.sh [MODULE] [PROVE ARGS...]
#
# Debian's nginx is not built with the sanitizers, so their runtimes are
# preloaded (TEST_NGINX_LD_PRELOAD, see t/lib/Test/Blog/Nginx.pm): the
# harness then writes ASan and UBSan reports into each nginx's logs/ and
# fails a block whose run produced one that involves the module (every
# ASan error, every UBSan report, leaks with a frame in the module).
# Every report file is copied to build/asan/reports/ and summarized at the
# end, nginx's own leaks at exit too.
#
# Environment: CC [gcc] (whose runtimes to preload, the compiler that built
# the module), PROVE_ARGS [-I t/lib -r t/] when no PROVE ARGS are given.

set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"

MODULE=${1:-build/asan/ngx_http_blog_module.so}
shift || true
CC=${CC:-gcc}
[ "$CC" = cc ] && CC=gcc

if [ ! -f "$MODULE" ]; then
    echo "asan: no module at $MODULE: run make test-asan" >&2
    exit 2
fi

if ! nm -D "$MODULE" 2>/dev/null | grep ' U __asan_init' >/dev/null; then
    echo "asan: $MODULE is not built with -fsanitize=address" >&2
    exit 2
fi

PRELOAD=
for lib in libasan.so libubsan.so; do
    path=$("$CC" -print-file-name=$lib)
    if [ ! -e "$path" ]; then
        echo "asan: $CC has no $lib" >&2
        exit 2
    fi
    PRELOAD="$PRELOAD${PRELOAD:+ }$(readlink -f "$path")"
done

if ! readelf -d "$MODULE" 2>/dev/null | grep NODELETE >/dev/null; then
    echo "asan: $MODULE is not linked with -Wl,-z,nodelete: its once-per-process" \
         "objects will look leaked when nginx unloads it at exit" >&2
fi

REPORTS=$ROOT/build/asan/reports
rm -rf "$REPORTS"
mkdir -p "$REPORTS"

# the harness' own parsing of reports, on made-up ones
if ! out=$(perl -I t/lib contrib/test/report-selftest.pl 2>&1); then
    echo "$out"
    echo "asan: the harness misreads sanitizer reports" >&2
    exit 1
fi

echo "asan: $MODULE, LD_PRELOAD=$PRELOAD"

start=$(date +%s)
export TEST_NGINX_MODULE=$ROOT/$MODULE
export TEST_NGINX_LD_PRELOAD=$PRELOAD
export TEST_NGINX_REPORT_DIR=$REPORTS

if [ $# -gt 0 ]; then
    prove "$@"
else
    prove ${PROVE_ARGS:--I t/lib -r t/}
fi
status=$?

echo "asan: the suite took $(( $(date +%s) - start )) s"
perl -I t/lib contrib/test/report-summary.pl "$REPORTS"

exit $status
