#!/bin/sh
# Starts a throwaway PostgreSQL server on a free loopback port for the test suite.
# Prints one line: "<url> <folder>". Stop it with scripts/stop-postgres.sh <folder>.
# Runs the server as the 'postgres' account when started as root (PostgreSQL refuses root).
set -eu
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
    echo "start-postgres: PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)" >&2
    exit 1
fi
DIR=$(mktemp -d /tmp/citywatch-pg.XXXXXX)
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if [ "$(id -u)" = "0" ]; then
    chown postgres "$DIR"
    AS="runuser -u postgres --"
else
    AS=""
fi
$AS "$PGBIN/initdb" -D "$DIR/data" -A trust -U citywatch -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 || {
    cat "$DIR/initdb.log" >&2; exit 1; }
# Durability is not needed for tests; speed is.
$AS "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
    -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
    start >/dev/null || { cat "$DIR/server.log" >&2; exit 1; }
echo "postgres://citywatch@127.0.0.1:$PORT/postgres?sslmode=disable $DIR"
