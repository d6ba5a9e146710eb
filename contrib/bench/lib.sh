# Helpers that contrib/bench/run.sh and contrib/bench/scale.sh share;
# sourced, with log() defined by the caller.

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

master_pid() { cat "$1/logs/nginx.pid" 2>/dev/null || true; }

worker_pids() { ps -o pid= --ppid "$(master_pid "$1")" | tr -d ' '; }

stop_nginx() {          # stop_nginx PREFIX: TERM its master, wait for it
    local pid i
    pid=$(master_pid "$1")
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 1 500); do
        [ -e "$1/logs/nginx.pid" ] || return 0
        sleep 0.02
    done
    log "nginx $pid did not stop in 10 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
}

# cpu_ticks PREFIX: user and system clock ticks of its workers so far
cpu_ticks() {
    local p
    for p in $(worker_pids "$1"); do
        awk '{ print $14 + $15 }' "/proc/$p/stat"
    done | awk '{ s += $1 } END { print s + 0 }'
}

# an awk function: a time as wrk prints it ("870.00us", "3.21ms", "1.02s")
# in milliseconds
AWK_MS='
    function ms(v) {
        if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
        if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
        if (v ~ /s$/)  return substr(v, 1, length(v) - 1) * 1000
        return v + 0
    }
'
