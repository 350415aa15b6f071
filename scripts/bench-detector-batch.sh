#!/bin/sh
# Builds and runs scripts/bench/detector-batch.cpp: the detector's cost per image when looks of
# several cameras share one network run (batches of 1, 2, 4), on 1 and 2 threads; and the cost
# of the input shapes a 4:3 and a 16:9 region are looked at with, against the square.
# Usage: scripts/bench-detector-batch.sh [MODEL.onnx] [RUNS]
set -eu
cd "$(dirname "$0")/.."
MODEL=${1:-../shared/models/yolox_nano.onnx}
RUNS=${2:-5}
[ -f "$MODEL" ] || { echo "no model at $MODEL (give its path)" >&2; exit 2; }
OUT=.build/bench-detector-batch
mkdir -p .build
c++ -O2 -std=c++17 -I/usr/include/opencv4 scripts/bench/detector-batch.cpp -o "$OUT" -lopencv_dnn -lopencv_core
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
"$OUT" "$MODEL" "$RUNS"
