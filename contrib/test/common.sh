# What contrib/test/asan.sh and valgrind.sh share, sourced by both after
# they set TOOL (the name their messages start with), ROOT and MODULE and
# cd to ROOT.

# nginx unloads modules at exit: without -z nodelete the module's names
# are gone from the reports and its once-per-process objects look leaked
check_nodelete() {
    if ! readelf -d "$MODULE" 2>/dev/null | grep NODELETE >/dev/null; then
        echo "$TOOL: $MODULE is not linked with -Wl,-z,nodelete: its" \
             "once-per-process objects will look leaked when nginx unloads" \
             "it at exit" >&2
    fi
}

# an empty build/TOOL/reports, which the harness fills (REPORTS), after
# checking the harness's parsing of reports on made-up ones
prepare_reports() {
    local out

    REPORTS=$ROOT/build/$TOOL/reports
    rm -rf "$REPORTS"
    mkdir -p "$REPORTS"

    if ! out=$(perl -I t/lib contrib/test/report-selftest.pl 2>&1); then
        echo "$out"
        echo "$TOOL: the harness misreads its reports" >&2
        exit 1
    fi

    export TEST_NGINX_MODULE=$ROOT/$MODULE
    export TEST_NGINX_REPORT_DIR=$REPORTS
}

# prove ARGS..., then how long it took and the summary of the reports;
# exits with prove's status
run_suite() {
    local start status

    start=$(date +%s)
    prove "$@"
    status=$?

    echo "$TOOL: the suite took $(( $(date +%s) - start )) s"
    perl -I t/lib contrib/test/report-summary.pl "$REPORTS"

    exit $status
}
