#!/usr/bin/env bash
# Measures Hello with 2 sync workers, jcorn beside Gunicorn in the same run: requests/s under
# wrk -t1 -c50 -d10s, and how long a replacement worker takes from its spawn to its first
# served request. Loopback only; every run is bounded and stops by itself.
# Usage: bench/hello.sh   (installs wrk, curl and gunicorn from Debian if missing)
set -euo pipefail
home=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
missing=()
for tool in wrk curl gunicorn; do command -v $tool >/dev/null || missing+=($tool); done
if [ ${#missing[@]} -gt 0 ]; then apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null; fi
log=$(mktemp)
master=
trap '[ -n "$master" ] && kill -TERM $master 2>/dev/null; wait 2>/dev/null; rm -f $log' EXIT

await_workers() {
    for _ in $(seq 200); do [ "$(pgrep -c -P $master)" -ge 2 ] && return; sleep 0.05; done
}

start() { # command...
    "$@" 2>>"$log" &
    master=$!
    await_workers
    sleep 2
}

stop() {
    kill -TERM $master; wait $master 2>/dev/null || true
    master=
}

# With no worker left, the kernel queues the request until a replacement accepts it. A master
# respawns a worker that dies more than 3 times a minute only after a growing delay (crash-loop
# backoff), so each master is killed 3 times: 3 masters, 9 samples.
first_requests() { # port command...
    local port=$1; shift
    for _ in 1 2 3; do
        [ -n "$master" ] || start "$@"
        for _ in 1 2 3; do
            kill -9 $(pgrep -P $master)
            curl -s -o /dev/null -m 10 -w '%{time_total}\n' "http://127.0.0.1:$port/"
            await_workers
            sleep 1
        done
        stop
    done
}

measure() { # name port command...
    local name=$1 port=$2; shift 2
    : > "$log"
    start "$@"
    echo "== $name: wrk -t1 -c50 -d10s"
    wrk -t1 -c50 -d10s --latency "http://127.0.0.1:$port/" | grep -E 'Requests/sec|50%|99%|Socket errors|Non-2xx'
    echo "== $name: idle worker memory (RSS / PSS: PSS splits shared pages among the processes that map them)"
    for pid in $(pgrep -P $master); do
        awk '/^Rss/ {r=$2} /^Pss:/ {p=$2} END {printf "RSS %.1f MiB, PSS %.1f MiB\n", r/1024, p/1024}' /proc/$pid/smaps_rollup
    done
    stop
    echo "== $name: first request after kill -9 of both workers (9 runs)"
    first_requests "$port" "$@" | sort -n \
        | awk '{a[NR]=$1} END {printf "median %.0f ms, min %.0f ms, max %.0f ms\n", a[int((NR+1)/2)]*1000, a[1]*1000, a[NR]*1000}'
    grep 'booted in' "$log" | sed -n 's/.*booted in \([0-9]*\) ms/\1/p' | sort -n \
        | awk '{a[NR]=$1} END {if (NR) printf "spawn to ready (master log): median %d ms over %d boots\n", a[int((NR+1)/2)], NR}'
}

echo "machine: $(nproc) cores, $(sed -n 's/model name\t: //p' /proc/cpuinfo | head -1), $(date -u +%Y-%m-%d)"
jcorn=("$home/bin/jcorn" -w 2 -b 127.0.0.1:18000 --classpath "$home/examples/target/classes" io.jcorn.examples.Hello)
version=$(git -C "$home" rev-parse --short HEAD 2>/dev/null)
measure "jcorn $version, AOT cache" 18000 "${jcorn[@]}"
# An unwritable cache directory: the training run cannot write, and workers start without a cache.
XDG_CACHE_HOME=/proc/jcorn-no-cache measure "jcorn $version, no AOT cache" 18000 "${jcorn[@]}"
measure "gunicorn $(gunicorn --version | awk '{print $3}' | tr -d '()') sync" 18001 \
    gunicorn -w 2 -b 127.0.0.1:18001 --chdir "$home/bench/peers" hello:app
