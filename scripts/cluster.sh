#!/bin/sh
# Starts a three-node CityWatch cluster on this machine, in the foreground; Ctrl-C stops it all.
#
#   scripts/cluster.sh [--port 8443] [--http-port 8480] [--first-node-port 8101]
#                      [--folder .citywatch-cluster] [--binary .build/debug/citywatch]
#
# What it starts, in order:
#   1. a throwaway PostgreSQL server (scripts/start-postgres.sh) on a free loopback port;
#   2. the demo district written into it once (`citywatch demo --prepare-only`: 16 cameras playing
#      synthetic clips in a loop; the clips are made in FOLDER/shared/demo on the first run, about
#      a minute, and kept for the next);
#   3. an administrator `admin` with a generated password, printed once (`citywatch users add`);
#   4. three `citywatch serve` nodes, node-a, node-b and node-c, on 127.0.0.1:FIRST_NODE_PORT and
#      the two ports after it, each with its own data folder FOLDER/node-*, all with the same
#      store, CITYWATCH_CREDENTIALS_KEY and CITYWATCH_CLUSTER_SECRET (generated for this run);
#      they share the cameras out among themselves;
#   5. nginx from deploy/nginx/ with a self-signed certificate: the console at
#      https://127.0.0.1:PORT/ (plain HTTP on HTTP_PORT redirects there).
# It waits until every node answers /healthz and the console answers through nginx, then prints
# the URL and the password. Ctrl-C (or SIGTERM) stops the nodes with SIGTERM (each cuts and
# indexes its segments and lets go of its cameras), then nginx and PostgreSQL, and removes the
# nodes' folders (recordings), nginx's folder and the database: each run starts afresh, with the
# clips of the last. Logs: FOLDER/node-a.log … (kept until the next run) and, while it runs,
# FOLDER/nginx/error.log and access.log (which node answered each request).
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PORT=8443
HTTP_PORT=8480
FIRST_NODE_PORT=8101
FOLDER=.citywatch-cluster
BINARY=$ROOT/.build/debug/citywatch
NODES="node-a node-b node-c"

usage() {
    sed -n '2,/^set -eu/p' "$0" | sed -e '/^set -eu/d' -e 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
    case $1 in
        --port) PORT=${2:?--port needs a number}; shift 2 ;;
        --http-port) HTTP_PORT=${2:?--http-port needs a number}; shift 2 ;;
        --first-node-port) FIRST_NODE_PORT=${2:?--first-node-port needs a number}; shift 2 ;;
        --folder) FOLDER=${2:?--folder needs a path}; shift 2 ;;
        --binary) BINARY=${2:?--binary needs a path}; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "cluster: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done

# Running, not merely a child that ended and was not waited for yet.
alive() { kill -0 "$1" 2>/dev/null && ! grep -qs '^State:[[:space:]]*Z' "/proc/$1/status"; }
say() { printf '[cluster %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
fail() { echo "cluster: $*" >&2; exit 1; }

for number in "$PORT" "$HTTP_PORT" "$FIRST_NODE_PORT"; do
    case $number in ''|*[!0-9]*) fail "'$number' is not a port number" ;; esac
    [ "$number" -ge 1 ] && [ "$number" -le 65533 ] || fail "port $number is out of range"
done
[ -x "$BINARY" ] || fail "no citywatch executable at $BINARY: build it first (swift build --product citywatch), or run make cluster"
for tool in nginx openssl curl python3 setsid; do
    command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || fail "$tool is missing: scripts/install-deps.sh installs it"
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

# The ports must be free now: a second cluster or a `make run` on them would take the requests.
NODE_PORTS=""
port=$FIRST_NODE_PORT
for name in $NODES; do NODE_PORTS="$NODE_PORTS $port"; port=$((port + 1)); done
for port in $PORT $HTTP_PORT $NODE_PORTS; do
    python3 -c 'import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try: s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError: sys.exit(1)' "$port" || fail "port $port on 127.0.0.1 is in use (another cluster? see --help for other ports)"
done

mkdir -p "$FOLDER"
FOLDER=$(cd "$FOLDER" && pwd)
EDGE=$FOLDER/nginx
PG_DIR=""
NGINX_PID=""
NODE_PIDS=""

# Stops whatever has been started so far, nodes first so their last segments reach the store.
stop_all() {
    trap - INT TERM EXIT
    set +e
    if [ -n "$NODE_PIDS" ]; then
        say "stopping the nodes (SIGTERM: each cuts its segments and lets go of its cameras)…"
        for pid in $NODE_PIDS; do kill -TERM "$pid" 2>/dev/null; done
        waited=0
        while [ $waited -lt 60 ]; do
            still=""
            for pid in $NODE_PIDS; do alive "$pid" && still="$still $pid"; done
            [ -z "$still" ] && break
            sleep 1
            waited=$((waited + 1))
        done
        if [ -n "$still" ]; then
            say "nodes still running after 60 s, killed:$still"
            for pid in $still; do kill -KILL "$pid" 2>/dev/null; done
            # Their ffmpeg children write into the cluster's folder.
            pkill -KILL -f "$FOLDER/node-" 2>/dev/null
        fi
        for pid in $NODE_PIDS; do wait "$pid" 2>/dev/null; done
    fi
    if [ -n "$NGINX_PID" ]; then
        say "stopping nginx…"
        kill -TERM "$NGINX_PID" 2>/dev/null
        wait "$NGINX_PID" 2>/dev/null
    fi
    if [ -n "$PG_DIR" ]; then
        say "stopping PostgreSQL and removing its data…"
        "$ROOT/scripts/stop-postgres.sh" "$PG_DIR"
    fi
    for name in $NODES; do rm -rf "$FOLDER/$name"; done
    rm -rf "$EDGE"
    say "stopped; kept the demo clips ($FOLDER/shared) and the nodes' logs ($FOLDER/node-*.log) until the next run"
}
trap 'exit 130' INT
trap 'exit 143' TERM
trap stop_all EXIT

# Leftovers of a run that was killed outright: its database is gone, so are its cameras.
for name in $NODES; do rm -rf "$FOLDER/$name" "$FOLDER/$name.log"; done
rm -rf "$EDGE"

say "starting PostgreSQL…"
# In a session of its own (as the nodes and nginx below): Ctrl-C reaches only this script, which
# stops them in order instead of all at once.
set -- $(setsid -w "$ROOT/scripts/start-postgres.sh")
[ $# -eq 2 ] || fail "PostgreSQL did not start (scripts/start-postgres.sh printed: $*)"
DATABASE_URL=$1
PG_DIR=$2
say "PostgreSQL at ${DATABASE_URL%%\?*}"

CREDENTIALS_KEY=$(openssl rand -base64 32)
CLUSTER_SECRET=$(openssl rand -hex 32)
METRICS_TOKEN=$(openssl rand -hex 16)
export CITYWATCH_DATABASE_URL="$DATABASE_URL"
export CITYWATCH_CREDENTIALS_KEY="$CREDENTIALS_KEY"
export CITYWATCH_CLUSTER_SECRET="$CLUSTER_SECRET"

say "writing the demo district into the store (the first run makes the clips, about a minute)…"
"$BINARY" demo --prepare-only --data-dir "$FOLDER/shared" | sed 's/^/    /'

ADMIN_OUTPUT=$("$BINARY" users add admin --role administrator --data-dir "$FOLDER/shared")
ADMIN_PASSWORD=$(printf '%s\n' "$ADMIN_OUTPUT" | sed -n 's/^password: //p')
[ -n "$ADMIN_PASSWORD" ] || fail "users add printed no password: $ADMIN_OUTPUT"

say "making a self-signed certificate for 127.0.0.1 and localhost…"
mkdir -p "$EDGE"
# nginx's workers drop root and must reach their temporary folders in here.
chmod 755 "$EDGE"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
    -subj "/CN=CityWatch cluster on 127.0.0.1" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$EDGE/front.key" -out "$EDGE/front.pem" 2>/dev/null

port=$FIRST_NODE_PORT
for name in $NODES; do
    mkdir -p "$FOLDER/$name"
    say "starting $name on 127.0.0.1:$port (log: $FOLDER/$name.log)"
    CITYWATCH_NODE_NAME=$name CITYWATCH_NODE_ADDRESS=http://127.0.0.1:$port \
    CITYWATCH_TRUSTED_PROXIES=127.0.0.1 CITYWATCH_SECURE_COOKIES=true CITYWATCH_METRICS_TOKEN=$METRICS_TOKEN \
        setsid "$BINARY" serve --data-dir "$FOLDER/$name" --address "127.0.0.1:$port" >>"$FOLDER/$name.log" 2>&1 &
    NODE_PIDS="$NODE_PIDS $!"
    port=$((port + 1))
done

say "starting nginx on https://127.0.0.1:$PORT/"
set --
for port in $NODE_PORTS; do set -- "$@" "NODE=127.0.0.1:$port"; done
"$ROOT/deploy/nginx/render-conf.sh" "$ROOT/deploy/nginx/citywatch.conf.template" \
    "SERVER_NAME=127.0.0.1 localhost" LISTEN_ADDRESS=127.0.0.1 HTTPS_PORT="$PORT" HTTP_PORT="$HTTP_PORT" \
    CERTIFICATE="$EDGE/front.pem" CERTIFICATE_KEY="$EDGE/front.key" "$@" >"$EDGE/citywatch.conf"
"$ROOT/deploy/nginx/render-conf.sh" "$ROOT/deploy/nginx/nginx-prefix.conf.template" SITE="$EDGE/citywatch.conf" >"$EDGE/nginx.conf"
setsid "$NGINX" -p "$EDGE/" -e "$EDGE/error.log" -c "$EDGE/nginx.conf" &
NGINX_PID=$!

# Every node healthy (its store answers), then the console through nginx.
started=$(date +%s)
pending=$NODES
while [ -n "$pending" ]; do
    still=""
    set -- $NODE_PIDS
    port=$FIRST_NODE_PORT
    for name in $NODES; do
        pid=$1; shift
        case " $pending " in *" $name "*) ;; *) port=$((port + 1)); continue ;; esac
        alive "$pid" || { tail -n 15 "$FOLDER/$name.log" >&2; fail "$name stopped while starting (its log ends above)"; }
        if curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$port/healthz"; then
            say "$name is healthy ($(($(date +%s) - started)) s)"
        else
            still="$still $name"
        fi
        port=$((port + 1))
    done
    pending=${still# }
    [ -z "$pending" ] && break
    [ $(($(date +%s) - started)) -lt 180 ] || fail "not healthy after 180 s:$still (see $FOLDER/<node>.log)"
    sleep 1
done
alive "$NGINX_PID" || { cat "$EDGE/error.log" >&2; fail "nginx stopped (its error log is above)"; }
curl -sf -o /dev/null --max-time 5 --cacert "$EDGE/front.pem" "https://127.0.0.1:$PORT/healthz" ||
    fail "the nodes are healthy but https://127.0.0.1:$PORT/healthz does not answer through nginx (see $EDGE/error.log)"

cat <<EOF

CityWatch cluster of three nodes is up ($(($(date +%s) - started)) s after the nodes started).

  Console:   https://127.0.0.1:$PORT/   (self-signed certificate: $EDGE/front.pem)
  User:      admin
  Password:  $ADMIN_PASSWORD
             shown once; change it at the first login.

  Nodes:     $(set -- $NODE_PORTS; for name in $NODES; do printf '%s http://127.0.0.1:%s  ' "$name" "$1"; shift; done)
  Cameras:   16 demo cameras, shared out by the nodes (console: 노드 Nodes, or GET /api/cluster/nodes)
  Metrics:   curl -H 'Authorization: Bearer $METRICS_TOKEN' http://127.0.0.1:$FIRST_NODE_PORT/metrics
  Logs:      $FOLDER/node-*.log, $EDGE/error.log, $EDGE/access.log (which node answered)

Ctrl-C stops the nodes, nginx and PostgreSQL and removes what this run made.
EOF

# Wait for Ctrl-C; a node that stops by itself is reported and the others take its cameras.
reported=""
while :; do
    set -- $NODE_PIDS
    for name in $NODES; do
        pid=$1; shift
        case " $reported " in *" $name "*) continue ;; esac
        if ! alive "$pid"; then
            say "$name has stopped (its log: $FOLDER/$name.log); the other nodes take over its cameras"
            reported="$reported $name"
        fi
    done
    sleep 2
done
