#!/bin/sh
# Stops a server started by scripts/start-postgres.sh and removes its folder.
set -eu
DIR=$1
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ "$(id -u)" = "0" ]; then AS="runuser -u postgres --"; else AS=""; fi
$AS "$PGBIN/pg_ctl" -D "$DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
rm -rf "$DIR"
