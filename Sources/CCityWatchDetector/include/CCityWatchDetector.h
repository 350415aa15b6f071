/*
 * CCityWatchDetector: person and vehicle detection with YOLOX-nano on OpenCV DNN, behind a
 * plain C API so Swift imports it without C++ interop.
 *
 * Nothing C++ crosses this boundary: no C++ types, no exceptions (every OpenCV exception is
 * caught inside and turned into a status and a message). A detector is not safe to use from
 * two threads at once; the caller serialises calls on one detector (the Swift wrapper holds a
 * mutex). Separate detectors may run concurrently.
 */
#ifndef CCITYWATCHDETECTOR_H
#define CCITYWATCHDETECTOR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** A loaded network plus the buffers it reuses from frame to frame. */
typedef struct cw_detector cw_detector;

/** How a call ended. */
typedef enum cw_status {
    /** Success. */
    CW_STATUS_OK = 0,
    /** The model file does not exist or cannot be opened for reading. */
    CW_STATUS_MODEL_MISSING = 1,
    /** OpenCV could not load the model (the message says why). */
    CW_STATUS_MODEL_UNLOADABLE = 2,
    /** A frame or region argument is invalid (the message says which). */
    CW_STATUS_BAD_ARGUMENT = 3,
    /** OpenCV failed while running the network (the message says why). */
    CW_STATUS_INFERENCE_FAILED = 4
} cw_status;

/** A rectangle in whole pixels: columns x ..< x + width, rows y ..< y + height. */
typedef struct cw_box {
    int32_t x;
    int32_t y;
    int32_t width;
    int32_t height;
} cw_box;

/** One detected object. */
typedef struct cw_detection {
    /** COCO class id: 0 person, 1 bicycle, 2 car, 3 motorcycle, 5 bus, 7 truck. */
    int32_t class_id;
    /** Objectness times class probability, 0...1. */
    float score;
    /** Where it is, in pixels of the full frame, clipped to the region looked at. */
    cw_box box;
} cw_detection;

/** The network input's longer side, in pixels: a region's longer side is scaled to this. */
#define CW_DETECTOR_INPUT_SIZE 416
/** Both sides of the network input are multiples of this (YOLOX's coarsest stride). */
#define CW_DETECTOR_INPUT_STEP 32

/**
 * The network input a region of `width` × `height` pixels is looked at with. `scale_side`
 * pixels of the frame become CW_DETECTOR_INPUT_SIZE input pixels; 0 (or anything below the
 * region's longer side) means the region's longer side, so the region fills the input. Each
 * side of the input is the region's side at that scale rounded up to a multiple of
 * CW_DETECTOR_INPUT_STEP (a 320×240 frame: 416×320; 320×180: 416×256; a square: 416×416; a
 * 320×120 band of a 320×240 frame at the frame's scale, `scale_side` 320: 416×160).
 * The network's cost follows the input's area.
 */
void cw_detector_input_size(int32_t width, int32_t height, int32_t scale_side, int32_t *input_width, int32_t *input_height);

/**
 * Loads a YOLOX ONNX model from `model_path`.
 * Returns NULL on failure, with the reason in `*status` and a NUL-terminated message in
 * `error_message` (truncated to `error_capacity` bytes; either may be NULL / 0).
 */
cw_detector *cw_detector_create(const char *model_path, cw_status *status,
                                char *error_message, size_t error_capacity);

/**
 * Sets how many threads OpenCV uses for inference (cv::setNumThreads). This is process-wide:
 * it applies to every detector, and the last call wins. 0 means "one, no extra threads";
 * a negative value restores OpenCV's default.
 */
void cw_detector_set_threads(int32_t threads);

/**
 * Detects persons and vehicles in an 8-bit frame.
 *
 * `pixels` holds `height` rows of `width` pixels, `channels` bytes each (1 = gray, 3 = RGB),
 * rows starting `row_stride` bytes apart. When `region` is not NULL only that part of the frame
 * (which must lie inside it) is scaled into the network's input (see cw_detector_input_size),
 * so small objects in a large frame are seen at a larger scale; boxes are still given in
 * full-frame pixels. `scale_side` as in cw_detector_input_size: 0 lets the region fill the
 * input; the frame's longer side looks at the region at the whole frame's scale, for less.
 * Candidates scoring below `score_threshold` are dropped; overlapping boxes of the same class
 * whose IoU exceeds `nms_threshold` are suppressed. Writes at most `capacity` detections, best
 * first, and their number to `*count`.
 */
cw_status cw_detector_detect(cw_detector *detector, const uint8_t *pixels,
                             int32_t width, int32_t height, int32_t channels, int64_t row_stride,
                             const cw_box *region, int32_t scale_side, float score_threshold, float nms_threshold,
                             cw_detection *detections, int32_t capacity, int32_t *count,
                             char *error_message, size_t error_capacity);

/** Frees a detector; NULL is ignored. */
void cw_detector_destroy(cw_detector *detector);

#ifdef __cplusplus
}
#endif

#endif
