#!/bin/sh
# Installs the Debian packages CityWatch needs, when any is missing.
# Server: libjs-leaflet, libjs-leaflet.markercluster, libjs-chart.js (the console's map and charts).
# Tests: postgresql (throwaway server), chromium + chromium-driver (browser test), fonts for screenshots.
# Benchmarks: wrk, hyperfine.
set -eu
PACKAGES="libjs-leaflet libjs-leaflet.markercluster libjs-chart.js postgresql postgresql-client chromium chromium-driver fonts-nanum wrk hyperfine sqlite3 python3"
MISSING=""
for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || MISSING="$MISSING $p"
done
[ -z "$MISSING" ] && exit 0
echo "install-deps: installing$MISSING"
SUDO=""
[ "$(id -u)" = "0" ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $MISSING >/dev/null
