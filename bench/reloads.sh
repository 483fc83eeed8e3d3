#!/usr/bin/env bash
# Reloads and rolling restarts under a load that keeps its connections, jcorn beside Gunicorn in
# the same run, both with 2 gthread workers of 4 threads (the app: Hello). Loopback and unix
# sockets only; every run is bounded and stops by itself (about 4 minutes in all).
#   1. through nginx, run as packaged (workers as www-data), upstream keepalive over a unix socket:
#      wrk -t1 -c32 -d45s while the master gets 20 HUPs, one every 2 s; then wrk -d20s with a
#      rolling restart (URG; Gunicorn has none). Counted: wrk's non-2xx answers (nginx's 502s)
#      and socket errors, and what nginx's error log says about the upstream connections.
#   2. wrk -t1 -c32 -d16s straight at the server (it keeps its connections and never retries),
#      with three HUPs 4 s apart; then with a rolling restart. Counted: wrk's socket errors.
# Usage: bench/reloads.sh   (as root, for nginx's user; installs wrk, nginx and gunicorn if missing)
set -euo pipefail
home=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
missing=()
for tool in wrk gunicorn; do command -v $tool >/dev/null || missing+=($tool); done
[ -x /usr/sbin/nginx ] || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null; fi
work=$(mktemp -d)
chmod 755 "$work" # nginx's workers reach the socket inside
master= nginx=
trap '[ -n "$master" ] && kill -TERM $master 2>/dev/null; [ -n "$nginx" ] && kill -TERM $nginx 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
socket=$work/app.sock
port=18210
direct=18211

start_nginx() {
    mkdir -p "$work/nginx"
    cat > "$work/nginx.conf" <<EOF
daemon off;
user $(id -u www-data >/dev/null 2>&1 && echo www-data || echo nobody);
worker_processes 1;
error_log $work/nginx/error.log info;
pid $work/nginx/nginx.pid;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    upstream app { server unix:$socket fail_timeout=0; keepalive 16; }
    server {
        listen 127.0.0.1:$port;
        location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection ""; }
    }
}
EOF
    /usr/sbin/nginx -p "$work/nginx" -e "$work/nginx/error.log" -c "$work/nginx.conf" &
    nginx=$!
}

start() { # command...
    "$@" 2>>"$work/server.log" &
    master=$!
    for _ in $(seq 300); do [ "$(pgrep -c -P $master)" -ge 2 ] && break; sleep 0.05; done
    sleep 3
}

stop() {
    kill -TERM $master; wait $master 2>/dev/null || true
    master=
}

# name seconds signals... : wrk at $url for $seconds while the master gets each signal in turn
# ("HUP@2" = HUP, then 2 s), starting 2 s in
load() {
    local name=$1 seconds=$2; shift 2
    : > "$work/nginx/error.log" 2>/dev/null || true
    wrk -t1 -c32 -d"${seconds}s" "$url" > "$work/wrk.out" &
    local wrk=$!
    sleep 2
    for step in "$@"; do kill -"${step%@*}" $master; sleep "${step#*@}"; done
    wait $wrk
    local requests errors non2xx
    requests=$(awk '/requests in/ {print $1}' "$work/wrk.out")
    errors=$(sed -n 's/.*Socket errors: //p' "$work/wrk.out")
    non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/wrk.out")
    printf '%-44s requests %8s  non-2xx %4s  socket errors %s\n' "$name" "$requests" "${non2xx:-0}" \
        "${errors:-none}"
    if [ "$url" = "http://127.0.0.1:$port/" ]; then
        grep 'upstream' "$work/nginx/error.log" > "$work/upstream.log" || true
        printf '%-44s nginx, upstream: %s reset by peer, %s broken pipe, %s prematurely closed\n' "" \
            "$(grep -c 'Connection reset by peer' "$work/upstream.log")" \
            "$(grep -c 'Broken pipe' "$work/upstream.log")" \
            "$(grep -c 'prematurely closed' "$work/upstream.log")"
    fi
}

hups() { local n=$1 every=$2 steps=(); for _ in $(seq "$n"); do steps+=("HUP@$every"); done; echo "${steps[@]}"; }

echo "machine: $(nproc) cores, $(sed -n 's/model name\t: //p' /proc/cpuinfo | head -1), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "nginx $(/usr/sbin/nginx -v 2>&1 | sed 's/.*nginx\///'), $(wrk -v 2>&1 | head -1 | awk '{print $1, $2}')"
jcorn_name="jcorn $(git -C "$home" rev-parse --short HEAD 2>/dev/null)"
gunicorn_name="gunicorn $(gunicorn --version | awk '{print $3}' | tr -d '()')"
jcorn=("$home/bin/jcorn" -w 2 -k gthread --threads 4 --classpath "$home/examples/target/classes" io.jcorn.examples.Hello)
gunicorn=(gunicorn -w 2 -k gthread --threads 4 --chdir "$home/bench/peers" hello:app)

# bind n every seconds rolling: jcorn, then Gunicorn, on bind: n HUPs, every s apart, under wrk for
# seconds; and jcorn's rolling restart under wrk for rolling seconds
compare() {
    local bind=$1 n=$2 every=$3 seconds=$4 rolling=$5
    start "${jcorn[@]}" -b "$bind"
    load "$jcorn_name: $n HUPs, $every s apart" "$seconds" $(hups "$n" "$every")
    load "$jcorn_name: a rolling restart" "$rolling" URG@1
    stop
    start "${gunicorn[@]}" -b "$bind"
    load "$gunicorn_name: $n HUPs, $every s apart" "$seconds" $(hups "$n" "$every")
    stop
}

start_nginx
url="http://127.0.0.1:$port/"
echo "== through nginx (upstream keepalive 16, unix socket)"
compare "unix:$socket" 20 2 45 20
url="http://127.0.0.1:$direct/"
echo "== wrk straight at the server"
compare "127.0.0.1:$direct" 3 4 16 16
