#!/bin/sh
# Installs the PyPI tools `make test` runs against the HTTP API, pinned, in a virtualenv inside
# .build/ (never in git): openapi-spec-validator checks the OpenAPI document, schemathesis fuzzes
# a live server with it (scripts/fuzz-api.sh). Prints the virtualenv's folder.
set -eu
cd "$(dirname "$0")/.."
VENV=${CITYWATCH_TOOLS_VENV:-.build/python-tools}
SCHEMATHESIS=4.32.5
SPEC_VALIDATOR=0.9.0
wanted="schemathesis==$SCHEMATHESIS openapi-spec-validator==$SPEC_VALIDATOR"
if [ -x "$VENV/bin/schemathesis" ] && [ "$(cat "$VENV/.pinned" 2>/dev/null)" = "$wanted" ]; then
    echo "$VENV"
    exit 0
fi
echo "install-python-tools: $wanted into $VENV" >&2
rm -rf "$VENV"
python3 -m venv "$VENV" >&2
"$VENV/bin/pip" install --quiet --disable-pip-version-check $wanted >&2
echo "$wanted" > "$VENV/.pinned"
echo "$VENV"
