#!/bin/sh
# Installs CityWatch under a prefix, the layout the server looks for its console in:
#   PREFIX/bin/citywatch                the binary
#   PREFIX/share/citywatch/Public/      the browser console (index.html, css/, js/)
#
#   scripts/install.sh PREFIX [BINARY]     (BINARY: default .build/release/citywatch)
#
# DESTDIR, when set, is put in front of PREFIX (staging for a package); the server finds its
# console relative to where the binary ends up, so the staged tree can be moved as a whole.
set -eu
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: $0 PREFIX [BINARY]" >&2
    exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
prefix="${DESTDIR:-}$1"
binary="${2:-$root/.build/release/citywatch}"
if [ ! -x "$binary" ]; then
    echo "$0: no built binary at $binary (make release builds it)" >&2
    exit 1
fi
install -d "$prefix/bin" "$prefix/share/citywatch"
install -m 755 "$binary" "$prefix/bin/citywatch"
# Replaced whole, so files removed from the console do not linger.
rm -rf "$prefix/share/citywatch/Public"
cp -R "$root/Public" "$prefix/share/citywatch/Public"
echo "installed $prefix/bin/citywatch and its console in $prefix/share/citywatch/Public"
