#!/bin/sh
# Runs the cluster benchmarks of BENCHMARKS.md ("Cluster") with the release build: cameras recorded
# by three `citywatch serve` nodes against plain ffmpeg, then failover over repeated SIGKILLs:
# 100 cameras on the killed node (the issue's size) with 10 s and 5 s leases, 50, and 50 with
# 5 s leases. About 40 minutes on the 2-core machine; not part of `make bench` or
# `make test`. Each run starts its own PostgreSQL (scripts/start-postgres.sh) and ends every
# process it started; after each, no process may be left that names a benchmark folder.
# A failover run that cannot go on (the cluster does not settle after a restart) reports what it
# measured and exits 1; the others still run, and this script then exits 1.
set -u
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/release/citywatch-bench}
CAMERAS=${CAMERAS:-240}
NODES=${NODES:-2}
[ -x "$BIN" ] || { echo "bench-cluster: $BIN not built (swift build -c release --product citywatch-bench)" >&2; exit 1; }
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
run() {
    name=$1; shift
    echo; echo "== $name: $BIN $*"
    "$BIN" "$@" || { echo "== $name: exit $?"; status=1; }
    if pgrep -fa 'citywatch-bench-(cluster|failover)-' >/dev/null; then
        echo "left running after $name:" >&2
        pgrep -fa 'citywatch-bench-(cluster|failover)-' >&2
        exit 1
    fi
    echo "== after $name: no benchmark process left (pgrep)"
}
run "cluster" cluster --cameras "$CAMERAS" --nodes 3 --seconds 60
run "failover, 100 a node" failover --cameras-per-node 100 --nodes "$NODES" --kills 10
run "failover, 100 a node, 5 s leases" failover --cameras-per-node 100 --nodes "$NODES" --kills 5 --lease-seconds 5
run "failover, 50 a node" failover --cameras-per-node 50 --nodes "$NODES" --kills 10
run "failover, 50 a node, 5 s leases" failover --cameras-per-node 50 --nodes "$NODES" --kills 5 --lease-seconds 5
exit $status
