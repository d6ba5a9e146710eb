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

TOOL=asan
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
. contrib/test/common.sh

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

check_nodelete
prepare_reports

echo "asan: $MODULE, LD_PRELOAD=$PRELOAD"

export TEST_NGINX_LD_PRELOAD=$PRELOAD

if [ $# -gt 0 ]; then
    run_suite "$@"
else
    run_suite ${PROVE_ARGS:--I t/lib -r t/}
fi
