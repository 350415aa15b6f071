#!/bin/sh
# Times the audit log lookups the server makes on every export download and export list (one
# action about one target; the latest lines of one action) on a SQLite log of ROWS lines, without
# and then with the (action, target) index of migration IndexAuditActions. The lines are a
# control room's mix: nine in ten views of live video or playback, the rest logins, exports and
# their downloads, camera changes. Usage: scripts/bench-audit-lookup.sh [ROWS] (default 1000000).
set -eu
ROWS=${1:-1000000}
command -v sqlite3 > /dev/null || { echo "needs sqlite3" >&2; exit 2; }
DB=$(mktemp -d)/audit.sqlite
trap 'rm -rf "$(dirname "$DB")"' EXIT
sqlite3 "$DB" <<SQL
CREATE TABLE audit_log (seq INTEGER PRIMARY KEY, time_micros INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
                        target TEXT NOT NULL, details TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE INDEX audit_log_time ON audit_log (time_micros);
CREATE INDEX audit_log_actor ON audit_log (actor);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $ROWS)
INSERT INTO audit_log SELECT i, 1764547200000000 + i * 1000000, 'operator' || (i % 47),
  CASE WHEN i % 10 < 6 THEN 'video.live.start' WHEN i % 10 < 9 THEN 'video.playback' WHEN i % 50 = 9 THEN 'video.export'
       WHEN i % 50 = 19 THEN 'video.export.download' WHEN i % 50 = 29 THEN 'video.export.expire' WHEN i % 20 = 9 THEN 'login.succeeded'
       ELSE 'camera.update' END,
  printf('%08X-0000-4000-8000-%012X', i % 1100, i), '{"reason":"민원"}', 'x', 'y' FROM n;
SQL
lookup="SELECT seq FROM audit_log WHERE action = 'video.export.destroy' AND target = '0000002A-0000-4000-8000-00000000002A' ORDER BY seq DESC LIMIT 1;"
latest="SELECT count(*) FROM (SELECT seq FROM audit_log WHERE action = 'video.export' ORDER BY seq DESC LIMIT 2000);"
# The export list paging back (GET /api/exports?after=): export X's own line, then a page of
# 1,000 export lines before it, a third of the way into the log.
cursor=$((ROWS / 3 / 50 * 50 + 9))
own="SELECT seq FROM audit_log WHERE action = 'video.export' AND target = '$(printf '%08X-0000-4000-8000-%012X' $((cursor % 1100)) "$cursor")' LIMIT 1;"
page="SELECT count(*) FROM (SELECT seq FROM audit_log WHERE action = 'video.export' AND seq < $cursor ORDER BY seq DESC LIMIT 1000);"
time_it() { # label, then the query run 20 times; prints the mean ms
    start=$(date +%s%N)
    for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do sqlite3 "$DB" "$2" > /dev/null; done
    echo "$1: $(( ($(date +%s%N) - start) / 20000000 )) ms a query"
}
echo "audit log of $ROWS lines, SQLite $(sqlite3 --version | cut -d' ' -f1), $(nproc) cores"
time_it "without the index: is export X destroyed" "$lookup"
time_it "without the index: the latest 2000 exports" "$latest"
t0=$(date +%s%N); sqlite3 "$DB" "CREATE INDEX audit_log_action_target ON audit_log (action, target);"
echo "building the index: $(( ($(date +%s%N) - t0) / 1000000 )) ms"
time_it "with the index: is export X destroyed" "$lookup"
time_it "with the index: the latest 2000 exports" "$latest"
time_it "with the index: export X's own line (the cursor of a page)" "$own"
time_it "with the index: a page of 1000 exports a third of the way back" "$page"
echo "(export X's line: seq $(sqlite3 "$DB" "$own"); the page: $(sqlite3 "$DB" "$page") lines)"
time_it "baseline, starting sqlite3 for SELECT 1 (in every figure above)" "SELECT 1;"
