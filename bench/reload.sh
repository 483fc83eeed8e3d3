#!/usr/bin/env bash
# Reload under load, jcorn beside Gunicorn in the same run: wrk -t1 -c20 for 15 s against Hello
# with 2 workers while the master gets 10 HUPs, one per second; wrk's errors and non-2xx answers
# are the failed requests. Loopback only; stops by itself. Usage: bench/reload.sh
set -euo pipefail
home=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
missing=()
for tool in wrk gunicorn; do command -v $tool >/dev/null || missing+=($tool); done
if [ ${#missing[@]} -gt 0 ]; then apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null; fi
log=$(mktemp)
master=
trap '[ -n "$master" ] && kill -TERM $master 2>/dev/null; wait 2>/dev/null; rm -f $log' EXIT

measure() { # name port command...
    local name=$1 port=$2; shift 2
    "$@" 2>"$log" &
    master=$!
    for _ in $(seq 200); do [ "$(pgrep -c -P $master)" -ge 2 ] && break; sleep 0.05; done
    sleep 2
    echo "== $name: wrk -t1 -c20 -d15s, 10 HUPs"
    wrk -t1 -c20 -d15s "http://127.0.0.1:$port/" > "$log.wrk" &
    local load=$!
    sleep 2
    for _ in $(seq 10); do kill -HUP $master; sleep 1; done
    wait $load
    grep -E 'requests in|Socket errors|Non-2xx|Requests/sec' "$log.wrk" || true
    grep -qE 'Socket errors|Non-2xx' "$log.wrk" || echo "failed requests: 0"
    rm -f "$log.wrk"
    kill -TERM $master; wait $master 2>/dev/null || true
    master=
}

echo "machine: $(nproc) cores, $(sed -n 's/model name\t: //p' /proc/cpuinfo | head -1), $(date -u +%Y-%m-%d)"
measure "jcorn $(git -C "$home" rev-parse --short HEAD 2>/dev/null)" 18100 \
    "$home/bin/jcorn" -w 2 -b 127.0.0.1:18100 --classpath "$home/examples/target/classes" io.jcorn.examples.Hello
measure "gunicorn $(gunicorn --version | awk '{print $3}' | tr -d '()') sync" 18101 \
    gunicorn -w 2 -b 127.0.0.1:18101 --chdir "$home/bench/peers" hello:app
