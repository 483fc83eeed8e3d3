#!/usr/bin/env bash
# Worker classes beside the peers, in one run: Hello with 2 workers under wrk -t1 -c50 -d10s,
# keep-alive and with "Connection: close", for nginx (return 200), Gunicorn sync, uWSGI, and
# jcorn sync, gthread and virtual: requests/s, p99 latency, idle worker RSS (3 s and 10 s after one
# request: a worker JVM gives its JIT's scratch memory back a few seconds after its last compilation,
# and after the load), and how the work
# spreads over the two workers (each worker's share of the workers' CPU time during the runs).
# Each server gets the same 30 s of warm-up load first: a worker JVM compiles its hot path during
# the first 10-25 s under this load, and the figures are for a server that has been running.
# "cpu/req" is the workers' CPU time (user + system) per keep-alive request. Loopback only;
# every run is bounded; stops by itself. Usage: bench/classes.sh   (installs what is missing from Debian)
set -euo pipefail
home=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
packages=()
for tool in wrk nginx gunicorn curl; do command -v $tool >/dev/null || packages+=($tool); done
command -v uwsgi >/dev/null || packages+=(uwsgi-core)
[ -e /usr/lib/uwsgi/plugins/python3_plugin.so ] || packages+=(uwsgi-plugin-python3)
if [ ${#packages[@]} -gt 0 ]; then apt-get update -qq && apt-get install -y -qq "${packages[@]}" >/dev/null; fi
[ -f "$home/worker/target/jcorn-worker.jar" ] || (cd "$home" && bin/jcorn --version >/dev/null)
work=$(mktemp -d)
master=
trap '[ -n "$master" ] && kill -TERM $master 2>/dev/null; wait 2>/dev/null; rm -rf $work' EXIT
port=18200

cat > "$work/nginx.conf" <<NGINX
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
daemon off;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work; proxy_temp_path $work; fastcgi_temp_path $work; uwsgi_temp_path $work; scgi_temp_path $work;
    server { listen 127.0.0.1:$port; location / { default_type text/plain; return 200 "Hello, World!"; } }
}
NGINX

workers() { pgrep -P $master | head -2; }
cpu() { awk '{print $14 + $15}' /proc/$1/stat; }

await_serving() {
    for _ in $(seq 600); do
        [ "$(pgrep -c -P $master)" -ge 2 ] && curl -s -o /dev/null -m 1 "http://127.0.0.1:$port/" && return
        sleep 0.1
    done
    echo "did not start: $*" >&2
}

load() { # label, extra wrk args...
    local label=$1; shift
    wrk -t1 -c50 -d10s --latency "$@" "http://127.0.0.1:$port/" > "$work/wrk.out"
    awk -v label="$label" '
        /Requests\/sec/ {rps=$2} / 99%/ {p99=$2} /Socket errors/ {err=$0} /Non-2xx/ {non=$0}
        END {printf "  %-11s %10s req/s   p99 %8s   %s %s\n", label, rps, p99, err, non}' "$work/wrk.out"
}

requests() { awk '/requests in/ {print $1}' "$work/wrk.out"; }

measure() { # name command...
    local name=$1; shift
    "$@" >"$work/out.log" 2>&1 &
    master=$!
    await_serving "$name"
    echo "== $name"
    local pids=($(workers)) before=() after=() fresh="" idle=""
    sleep 3
    for pid in "${pids[@]}"; do fresh+=" $(awk '/^VmRSS/ {printf "%.1f", $2/1024}' /proc/$pid/status)"; done
    sleep 7
    for pid in "${pids[@]}"; do idle+=" $(awk '/^VmRSS/ {printf "%.1f", $2/1024}' /proc/$pid/status)"; done
    wrk -t1 -c50 -d30s "http://127.0.0.1:$port/" >/dev/null
    for pid in "${pids[@]}"; do before+=($(cpu $pid)); done
    load keep-alive
    local kept=0 served=$(requests)
    for pid in "${pids[@]}"; do kept=$((kept + $(cpu $pid))); done
    load close -H "Connection: close"
    for pid in "${pids[@]}"; do after+=($(cpu $pid)); done
    sleep 2
    local total=0 shares="" rss=""
    for i in "${!pids[@]}"; do total=$((total + after[i] - before[i])); kept=$((kept - before[i])); done
    for i in "${!pids[@]}"; do
        shares+=" $(( total > 0 ? (after[i] - before[i]) * 100 / total : 0 ))%"
        rss+=" $(awk '/^VmRSS/ {printf "%.1f", $2/1024}' /proc/${pids[$i]}/status)"
    done
    echo "  worker RSS (MiB), idle 3 s / 10 s after its first request:$fresh /$idle, idle after the load:$rss   share of worker CPU:$shares"
    echo "  workers' cpu/req (keep-alive): $(awk -v t=$kept -v n=$served -v hz=$(getconf CLK_TCK) 'BEGIN {printf "%.1f", t * 1e6 / hz / n}') us"
    kill -TERM $master; wait $master 2>/dev/null || true
    master=
    sleep 1
}

echo "machine: $(nproc) cores, $(sed -n 's/model name\t: //p' /proc/cpuinfo | head -1), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC')"
measure "nginx $(nginx -v 2>&1 | sed 's/.*\///') return 200, 2 workers" nginx -c "$work/nginx.conf"
measure "Gunicorn $(gunicorn --version | awk '{print $3}' | tr -d '()') sync, 2 workers" \
    gunicorn -w 2 -b 127.0.0.1:$port --chdir "$home/bench/peers" hello:app
measure "uWSGI $(uwsgi --version) http11-socket, 2 processes" \
    uwsgi --plugin python3 --http11-socket 127.0.0.1:$port --master --processes 2 --die-on-term \
    --chdir "$home/bench/peers" --module hello:app --disable-logging
jcorn=("$home/bin/jcorn" -w 2 -b 127.0.0.1:$port --classpath "$home/examples/target/classes")
version=$(git -C "$home" rev-parse --short HEAD 2>/dev/null || echo dev)
measure "jcorn $version sync" "${jcorn[@]}" -k sync io.jcorn.examples.Hello
measure "jcorn $version gthread (--threads 1)" "${jcorn[@]}" -k gthread io.jcorn.examples.Hello
measure "jcorn $version gthread --threads 4" "${jcorn[@]}" -k gthread --threads 4 io.jcorn.examples.Hello
measure "jcorn $version virtual" "${jcorn[@]}" -k virtual io.jcorn.examples.Hello
