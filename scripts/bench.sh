#!/bin/sh
# Runs every benchmark of BENCHMARKS.md with the release build and prints the figures
# (`make bench` builds both executables first: api, live and import run the citywatch beside citywatch-bench).
set -eu
cd "$(dirname "$0")/.."
BIN=.build/release/citywatch-bench
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
$BIN geo --cameras 100000 --queries 5000
$BIN castnet --cameras 100000 --queries 2000 --route-queries 200 --minutes 5
$BIN import --rows 100000 --runs 3
$BIN api --cameras 20000 --duration 10
$BIN record --cameras 16 --seconds 30
$BIN live --viewers 50 --seconds 20
$BIN export --minutes 10 --runs 3
$BIN analytics --seconds 120 --runs 3
$BIN search --cameras 1100 --hours 24 --year-days 365 --queries 40 --brute-runs 10
$BIN alarms --alarms 500 --runs 5
$BIN alarm-rate --minutes 60
$BIN tiers --files 60 --megabytes 8 --rounds 3 --cameras 8 --seconds 60 --backlog-megabytes 1024
# The same on a throwaway PostgreSQL server.
PGLINE=$(scripts/start-postgres.sh)
$BIN search --cameras 1100 --hours 24 --year-days 365 --queries 40 --brute-runs 10 --database-url "${PGLINE% *}"
$BIN alarms --alarms 500 --runs 5 --database-url "${PGLINE% *}"
scripts/stop-postgres.sh "${PGLINE#* }"
scripts/bench-detector-batch.sh
