#!/usr/bin/python3
"""OpenCV MOG2 baseline for CityWatch's MotionDetector.

Reads raw 8-bit gray frames (width x height bytes each, back to back) from a file, runs
MOG2 background subtraction + a 3x3 morphological opening + external contours on each, and
prints the frames per second of that per-frame work on one thread. With --boxes it also writes
one JSON line per frame: {"frame": n, "boxes": [[x, y, w, h], ...]}, for scoring against
the synthetic ground truth.

Run with Debian's python (python3-opencv 4.6):
    /usr/bin/python3 scripts/mog2-baseline.py frames.gray 320 180 --boxes mog2.jsonl
Make the input with e.g.:
    ffmpeg -i clip.mp4 -vf scale=320:180 -pix_fmt gray -f rawvideo frames.gray
"""
import argparse
import json
import time

import cv2
import numpy as np


def main():
    parser = argparse.ArgumentParser(description="MOG2 + opening + contours over raw gray frames")
    parser.add_argument("path", help="raw 8-bit gray frames, back to back")
    parser.add_argument("width", type=int, help="frame width in pixels")
    parser.add_argument("height", type=int, help="frame height in pixels")
    parser.add_argument("--boxes", help="write boxes per frame as JSON lines to this file")
    parser.add_argument("--min-area", type=int, default=30, help="smallest box area kept (pixels)")
    parser.add_argument("--history", type=int, default=500, help="MOG2 history (frames)")
    args = parser.parse_args()

    cv2.setNumThreads(1)  # one core, like one camera's analyser
    frame_bytes = args.width * args.height
    data = np.fromfile(args.path, dtype=np.uint8)
    count = data.size // frame_bytes
    frames = data[: count * frame_bytes].reshape(count, args.height, args.width)

    # detectShadows off: gray frames carry no colour to tell shadows by.
    subtractor = cv2.createBackgroundSubtractorMOG2(history=args.history, detectShadows=False)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3))
    out = open(args.boxes, "w") if args.boxes else None

    elapsed = 0.0
    for index in range(count):
        start = time.perf_counter()
        mask = subtractor.apply(frames[index])
        mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        boxes = [cv2.boundingRect(c) for c in contours]
        boxes = [b for b in boxes if b[2] * b[3] >= args.min_area]
        elapsed += time.perf_counter() - start  # writing JSON is not part of the timing
        if out:
            out.write(json.dumps({"frame": index, "boxes": [list(b) for b in boxes]}) + "\n")

    if out:
        out.close()
    fps = count / elapsed if elapsed > 0 else float("inf")
    print(f"{count} frames {args.width}x{args.height}: {fps:.0f} frames/s, "
          f"{1e6 * elapsed / max(1, count):.0f} us per frame (MOG2 + open + contours, 1 thread)")


if __name__ == "__main__":
    main()
