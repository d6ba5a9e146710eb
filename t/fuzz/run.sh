#!/usr/bin/env bash
#
# Builds every fuzz target of the core (t/fuzz/fuzz_NAME.c) into build/fuzz/
# and runs each for SECONDS (default 60), two at a time, with libFuzzer on a
# copy of its seed corpus (build/fuzz/corpus-NAME: t/fuzz/corpus/ is never
# rewritten).  First each target replays the inputs that once broke it
# (t/fuzz/regressions/NAME-*).  Exits non-zero when a target crashes, leaks,
# hangs, runs out of memory or breaks one of its invariants: the input that
# did it is left in build/fuzz/ and its path printed.  Needs clang and
# libclang-rt-14-dev (make deps); installs nothing.
#
#   t/fuzz/run.sh [SECONDS] [NAME...]      e.g. t/fuzz/run.sh 300 post date
#
# FUZZ_PARALLEL sets how many targets run at once (default 2); CC, if it
# names a clang, is used instead of clang (and its clang++ for the core's
# C++ and the links).

set -euo pipefail

cd "$(dirname "$0")/../.."

seconds=${1:-60}
[ $# -gt 0 ] && shift

case $seconds in
    ''|*[!0-9]*) echo "usage: t/fuzz/run.sh [SECONDS] [NAME...]" >&2; exit 2 ;;
esac

out=build/fuzz
top=$PWD
parallel=${FUZZ_PARALLEL:-2}
cc=clang

case ${CC:-} in
    *clang*) cc=$CC ;;
esac

cxx=${cc/clang/clang++}

if [ $# -gt 0 ]; then
    names=("$@")
else
    names=()
    for f in t/fuzz/fuzz_*.c; do
        f=${f#t/fuzz/fuzz_}
        names+=("${f%.c}")
    done
fi

# inputs longer than a target can use only slow it down

max_len() {
    case $1 in
        route|slug) echo 1024 ;;
        highlight) echo 8192 ;;
        date) echo 256 ;;
        tag) echo 4096 ;;
        template) echo 16384 ;;
        *) echo 65536 ;;
    esac
}


# build: the core with the sanitizers and coverage, each target with libFuzzer

if ! command -v "$cc" > /dev/null; then
    echo "t/fuzz/run.sh: no $cc: run make deps (clang, libclang-rt-14-dev)" >&2
    exit 2
fi

mkdir -p "$out/core"

echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)
      { return 0; }' > "$out/probe.c"

if ! "$cc" -fsanitize=fuzzer,address,undefined -o "$out/probe" \
     "$out/probe.c" 2> "$out/probe.log"
then
    cat "$out/probe.log" >&2
    echo "t/fuzz/run.sh: $cc cannot link libFuzzer: run make deps" \
         "(libclang-rt-14-dev)" >&2
    exit 2
fi

cflags=(-std=gnu99 -g -O1 -fno-omit-frame-pointer
        -fsanitize=address,undefined -fno-sanitize-recover=undefined
        -Wall -Wextra -Wno-unused-parameter -Ingx_blog_module/core)
cxxflags=("${cflags[@]/-std=gnu99/-std=gnu++17}")
libs=(-lcmark-gfm-extensions -lcmark-gfm -lyaml -ljansson -lpcre2-8
      -lmd -lz -lbrotlienc -lsource-highlight -lstdc++)
objs=()

# the language definitions of highlight/, as the module builds them in

langs=ngx_blog_module/core/highlight
sh ngx_blog_module/core/blog_files.sh blog_highlight_builtin "$langs" \
    "$out/core/langs.c"

if ! cmp -s "$out/core/langs.c" "$out/core/blog_highlight_lang.c"; then
    mv "$out/core/langs.c" "$out/core/blog_highlight_lang.c"
fi

for src in ngx_blog_module/core/*.c ngx_blog_module/core/*.cpp \
           "$out/core/blog_highlight_lang.c"
do
    obj=$out/core/$(basename "${src%.*}").o
    objs+=("$obj")

    stale=
    for h in ngx_blog_module/core/*.h "$0"; do
        [ "$h" -nt "$obj" ] && stale=1
    done

    if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ -n "$stale" ]; then
        echo "cc $src"

        case $src in
            *.cpp) "$cxx" "${cxxflags[@]}" -fsanitize=fuzzer-no-link \
                       -c -o "$obj" "$src" ;;
            *) "$cc" "${cflags[@]}" -fsanitize=fuzzer-no-link \
                   -c -o "$obj" "$src" ;;
        esac
    fi
done

for name in "${names[@]}"; do
    src=t/fuzz/fuzz_$name.c

    if [ ! -f "$src" ]; then
        echo "t/fuzz/run.sh: no target $src" >&2
        exit 2
    fi

    echo "cc $src"
    "$cc" "${cflags[@]}" -It/fuzz -fsanitize=fuzzer -c \
        -o "$out/fuzz_$name.o" "$src"
    "$cxx" "${cxxflags[@]}" -fsanitize=fuzzer \
        -o "$out/fuzz_$name" "$out/fuzz_$name.o" "${objs[@]}" "${libs[@]}"
done


# replay: what once broke a target must pass, before any fuzzing

failed=0
lsan=suppressions=$top/t/fuzz/lsan.supp

for name in "${names[@]}"; do
    cases=(t/fuzz/regressions/"$name"-*)

    [ -e "${cases[0]}" ] || continue

    if ! UBSAN_OPTIONS=print_stacktrace=1 LSAN_OPTIONS="$lsan" \
         "$out/fuzz_$name" "${cases[@]}" > "$out/replay-$name.log" 2>&1
    then
        grep -avE '^(INFO|Running|Executed)' "$out/replay-$name.log" \
            | tail -n 40
        echo "$name: a case of t/fuzz/regressions/ fails again" \
             "(see $out/replay-$name.log)"
        failed=1
    else
        echo "$name: ${#cases[@]} regression case(s) pass"
    fi
done

[ "$failed" = 0 ] || exit 1


# run: one libFuzzer job per target, its log in build/fuzz/work-NAME/

run_target() {
    local name=$1 work=$top/$out/work-$name corpus=$top/$out/corpus-$name
    local rc=0
    local args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048
                -max_len="$(max_len "$name")" -jobs=1 -print_final_stats=1
                -artifact_prefix="$top/$out/$name-")

    rm -rf "$work" "$corpus"
    mkdir -p "$work" "$corpus"

    if [ -d "t/fuzz/corpus/$name" ]; then
        cp -R "t/fuzz/corpus/$name/." "$corpus/"
    fi

    # the theme's own templates seed the template target as they stand
    if [ "$name" = template ]; then
        find templates -maxdepth 1 -type f ! -name 'README*' \
            -exec cp {} "$corpus/" \;
    fi

    if [ -f "t/fuzz/$name.dict" ]; then
        args+=(-dict="$top/t/fuzz/$name.dict")
    fi

    touch "$work/started"

    (cd "$work" && UBSAN_OPTIONS=print_stacktrace=1 LSAN_OPTIONS="$lsan" \
        "$top/$out/fuzz_$name" "${args[@]}" "$corpus" > run.log 2>&1) \
        || rc=$?

    echo "$rc" > "$work/rc"
}

report() {
    local name=$1 work=$out/work-$1 rc log last found

    rc=$(cat "$work/rc" 2> /dev/null || echo 1)
    log=$work/fuzz-0.log
    [ -f "$log" ] || log=$work/run.log

    last=$(grep -aE '^#[0-9]+.*cov: ' "$log" | tail -n 1 \
           | sed -E 's/^#([0-9]+)[[:space:]]+[A-Z_]+[[:space:]]+/runs: \1 /' \
           || true)
    found=$(find "$out" -maxdepth 1 -type f -name "$name-*" \
                 -newer "$work/started" | sort)

    if [ "$rc" = 0 ] && [ -z "$found" ]; then
        printf '%-14s ok      %s\n' "$name" "$last"
        return 0
    fi

    printf '%-14s FAILED  %s (exit %s)\n' "$name" "$last" "$rc"
    echo "---- $log (the end) ----"
    grep -avE '^#[0-9]+ ' "$log" | tail -n 40
    echo "----"

    for f in $found; do
        echo "$name: input that fails: $f"
    done

    [ -n "$found" ] || echo "$name: no input saved: see $log"

    return 1
}

trap 'kill $(jobs -p) 2> /dev/null; exit 130' INT TERM

echo "fuzzing ${names[*]} for ${seconds}s each, $parallel at a time"

for name in "${names[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do
        wait -n || true
    done

    run_target "$name" &
done

wait

failed=0

for name in "${names[@]}"; do
    report "$name" || failed=1
done

exit $failed
