#!/bin/sh
# Fuzzes the HTTP API with schemathesis against live servers, one fresh server per role, all five
# at once (scripts/fuzz_api.py says how). `make test` runs the short run (about two minutes on two
# cores): destructive operations, WebSockets, the login throttle and /metrics left out.
#   scripts/fuzz-api.sh            the short run
#   scripts/fuzz-api.sh --long     everything, destructive operations too, 30 minutes a role (--max-time S)
# Other options go to scripts/fuzz_api.py (--roles operator,police, --max-examples N, --seed N, --workdir DIR).
set -eu
cd "$(dirname "$0")/.."
VENV=$(scripts/install-python-tools.sh)
BIN=${CITYWATCH_BINARY:-$(swift build --show-bin-path)/citywatch}
[ -x "$BIN" ] || { echo "fuzz-api: no citywatch binary at $BIN (swift build first)" >&2; exit 1; }
exec "$VENV/bin/python" scripts/fuzz_api.py --binary "$BIN" --venv "$VENV" "$@"
