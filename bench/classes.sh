#!/usr/bin/env bash
# Worker classes beside the peers: Hello with 2 workers under wrk -t1 -c50 -d10s, keep-alive and
# with "Connection: close", for nginx (return 200), Gunicorn sync, uWSGI, and jcorn sync, gthread
# and virtual: requests/s, p99 latency, idle worker RSS (3 s and 10 s after one request: a worker
# JVM gives its JIT's scratch memory back a few seconds after its last compilation, and after the
# load), and how the work spreads over the two workers (each worker's share of the workers' CPU
# time during the runs). "cpu/req" is the workers' CPU time (user + system) per keep-alive request.
#
# All servers run at once, each on its own port, and the load goes to them in turn, ROUNDS times
# (default 3): a host whose speed drifts within minutes then slows every server's figure of a
# round alike, and the ratios of a round hold. Each server gets 30 s of warm-up load first (a
# worker JVM compiles its hot path during the first 10-25 s of it). An idle server costs the one
# under load nothing measurable. Loopback only; every run is bounded; stops by itself.
# Usage: bench/classes.sh   (installs what is missing from Debian; about 14 minutes)
set -euo pipefail
home=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
rounds=${ROUNDS:-3}
packages=()
for tool in wrk nginx gunicorn curl; do command -v $tool >/dev/null || packages+=($tool); done
command -v uwsgi >/dev/null || packages+=(uwsgi-core)
[ -e /usr/lib/uwsgi/plugins/python3_plugin.so ] || packages+=(uwsgi-plugin-python3)
if [ ${#packages[@]} -gt 0 ]; then apt-get update -qq && apt-get install -y -qq "${packages[@]}" >/dev/null; fi
[ -f "$home/worker/target/jcorn-worker.jar" ] || (cd "$home" && bin/jcorn --version >/dev/null)
work=$(mktemp -d)
masters=()
trap 'for m in "${masters[@]}"; do kill -TERM $m 2>/dev/null || true; done; wait 2>/dev/null; rm -rf $work' EXIT

names=() ports=() workers=() fresh=() idle=() cpu_total=() cpu_kept=() served=()
declare -A result share # result[server,round,mode] = "req/s p99"; share[server,worker] = CPU ticks

nginx_conf() { # port
    cat > "$work/nginx-$1.conf" <<NGINX
worker_processes 2;
pid $work/nginx-$1.pid;
error_log $work/nginx-error.log;
daemon off;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work; proxy_temp_path $work; fastcgi_temp_path $work; uwsgi_temp_path $work; scgi_temp_path $work;
    server { listen 127.0.0.1:$1; location / { default_type text/plain; return 200 "Hello, World!"; } }
}
NGINX
    echo "$work/nginx-$1.conf"
}

cpu() { awk '{print $14 + $15}' /proc/$1/stat; }
rss() { for pid in "$@"; do awk '/^VmRSS/ {printf " %.1f", $2/1024}' /proc/$pid/status; done; }

await_serving() { # master port name
    for _ in $(seq 600); do
        [ "$(pgrep -c -P $1)" -ge 2 ] && curl -s -o /dev/null -m 1 "http://127.0.0.1:$2/" && return
        sleep 0.1
    done
    echo "did not start: $3" >&2
    exit 1
}

start() { # name port command...
    local name=$1 port=$2; shift 2
    "$@" >"$work/out-$port.log" 2>&1 &
    local master=$! i=${#names[@]}
    masters+=($master)
    await_serving $master $port "$name"
    names+=("$name") ports+=($port) workers+=("$(pgrep -P $master | head -2 | tr '\n' ' ')")
    cpu_total+=(0) cpu_kept+=(0) served+=(0)
    sleep 3; fresh+=("$(rss ${workers[$i]})")
    sleep 7; idle+=("$(rss ${workers[$i]})")
    wrk -t1 -c50 -d30s "http://127.0.0.1:$port/" >/dev/null
    echo "started: $name" >&2
}

workers_cpu() { # server index; the sum of its workers' CPU ticks
    local sum=0
    for pid in ${workers[$1]}; do sum=$((sum + $(cpu $pid))); done
    echo $sum
}

load() { # server index, round, mode, extra wrk args...
    local i=$1 round=$2 mode=$3; shift 3
    wrk -t1 -c50 -d10s --latency "$@" "http://127.0.0.1:${ports[$i]}/" > "$work/wrk.out"
    result[$i,$round,$mode]=$(awk '/Requests\/sec/ {rps=$2} / 99%/ {p99=$2} END {printf "%.0f %s", rps, p99}' "$work/wrk.out")
    grep -E 'Socket errors|Non-2xx' "$work/wrk.out" | sed "s/^/  ${names[$i]}, round $round, $mode: /" >&2 || true
}

round() { # round number
    local r=$1 i before kept after
    for i in "${!names[@]}"; do
        local -a begin=()
        for pid in ${workers[$i]}; do begin+=($(cpu $pid)); done
        before=$(workers_cpu $i)
        load $i $r keep-alive
        kept=$(workers_cpu $i)
        served[$i]=$((served[i] + $(awk '/requests in/ {print $1}' "$work/wrk.out")))
        load $i $r close -H "Connection: close"
        after=$(workers_cpu $i)
        cpu_kept[$i]=$((cpu_kept[i] + kept - before))
        local j=0
        for pid in ${workers[$i]}; do
            share[$i,$j]=$(( ${share[$i,$j]:-0} + $(cpu $pid) - begin[j] ))
            j=$((j + 1))
        done
        cpu_total[$i]=$((cpu_total[i] + after - before))
    done
}

echo "machine: $(nproc) cores, $(sed -n 's/model name\t: //p' /proc/cpuinfo | head -1), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%Y-%m-%d %H:%M UTC'), $rounds rounds"
port=18200
start "nginx $(nginx -v 2>&1 | sed 's/.*\///') return 200, 2 workers" $port nginx -c "$(nginx_conf $port)"
start "Gunicorn $(gunicorn --version | awk '{print $3}' | tr -d '()') sync, 2 workers" $((++port)) \
    gunicorn -w 2 -b 127.0.0.1:$port --chdir "$home/bench/peers" hello:app
start "uWSGI $(uwsgi --version) http11-socket, 2 processes" $((++port)) \
    uwsgi --plugin python3 --http11-socket 127.0.0.1:$port --master --processes 2 --die-on-term \
    --chdir "$home/bench/peers" --module hello:app --disable-logging
version=$(git -C "$home" rev-parse --short HEAD 2>/dev/null || echo dev)
jcorn() { exec "$home/bin/jcorn" -w 2 -b 127.0.0.1:$port --classpath "$home/examples/target/classes" "$@" io.jcorn.examples.Hello; }
start "jcorn $version sync" $((++port)) jcorn -k sync
start "jcorn $version gthread (--threads 1)" $((++port)) jcorn -k gthread
start "jcorn $version gthread --threads 4" $((++port)) jcorn -k gthread --threads 4
start "jcorn $version virtual" $((++port)) jcorn -k virtual

for r in $(seq $rounds); do round $r; echo "round $r done, $(date -u +%H:%M:%S)" >&2; done
sleep 2

for i in "${!names[@]}"; do
    echo "== ${names[$i]}"
    for mode in keep-alive close; do
        line=$(printf "  %-11s" $mode)
        for r in $(seq $rounds); do line+=$(printf " %8s req/s p99 %-8s" ${result[$i,$r,$mode]}); done
        echo "$line"
    done
    shares="" total=0
    for j in 0 1; do total=$((total + ${share[$i,$j]:-0})); done
    for j in 0 1; do shares+=" $(( total > 0 ? ${share[$i,$j]:-0} * 100 / total : 0 ))%"; done
    echo "  worker RSS (MiB), idle 3 s / 10 s after its first request:${fresh[$i]} /${idle[$i]}, idle after the load:$(rss ${workers[$i]})   share of worker CPU:$shares"
    echo "  workers' cpu/req (keep-alive): $(awk -v t=${cpu_kept[$i]} -v n=${served[$i]} -v hz=$(getconf CLK_TCK) 'BEGIN {printf "%.1f", t * 1e6 / hz / n}') us"
done

# jcorn's keep-alive classes against nginx and Gunicorn, round by round (servers 0 and 1).
echo "== keep-alive, each round: jcorn × nginx, × Gunicorn sync; p99 jcorn / nginx"
for i in "${!names[@]}"; do
    [ $i -ge 3 ] || continue
    line=$(printf "  %-36s" "${names[$i]#jcorn $version }")
    for r in $(seq $rounds); do
        read -r rps p99 <<<"${result[$i,$r,keep-alive]}"
        read -r nginx_rps nginx_p99 <<<"${result[0,$r,keep-alive]}"
        read -r gunicorn_rps _ <<<"${result[1,$r,keep-alive]}"
        line+=$(awk -v a=$rps -v n=$nginx_rps -v g=$gunicorn_rps -v p=$p99 -v q=$nginx_p99 '
            function ms(t) { return t ~ /us$/ ? t / 1000 : t ~ /ms$/ ? t + 0 : t * 1000 }
            BEGIN {printf "  %.2f× %.1f× %.2f", a / n, a / g, ms(p) / ms(q)}')
    done
    echo "$line"
done
