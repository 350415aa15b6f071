#!/bin/sh
# Installs the Debian packages CityWatch needs, when any is missing.
# Server: libjs-leaflet, libjs-leaflet.markercluster, libjs-chart.js (the console's map and charts).
# Tests: postgresql (throwaway server), chromium + chromium-driver (browser test), fonts for screenshots.
# Recording: ffmpeg; zlib for the evidence zips. Tests: GStreamer's RTSP server as a camera peer.
# Benchmarks: wrk, hyperfine.
# API fuzzing: python3-venv (scripts/install-python-tools.sh makes a virtualenv for schemathesis).
# Cluster: nginx (the TLS front of `make cluster` and the production set-up, and its tests), openssl
# (certificates, secrets), systemd (its systemd-analyze checks the shipped unit file in the tests).
# Where systemd runs, Debian also starts its own nginx service on port 80; the tests and `make
# cluster` start nginx of their own on other ports and leave that one alone.
# Detection: libopencv-dnn-dev (OpenCV DNN 4.6 for the CCityWatchDetector target); python3-opencv for the MOG2 baseline of `citywatch-bench analytics`.
set -eu
PACKAGES="libjs-leaflet libjs-leaflet.markercluster libjs-chart.js ffmpeg zlib1g-dev postgresql postgresql-client chromium chromium-driver fonts-nanum wrk hyperfine sqlite3 python3 python3-gi python3-gst-1.0 gir1.2-gst-rtsp-server-1.0 gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly gstreamer1.0-plugins-bad gstreamer1.0-libav procps curl libopencv-dnn-dev python3-opencv python3-venv nginx openssl systemd"
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
