// YOLOX-nano person and vehicle detection on OpenCV DNN, behind the C API in
// include/CCityWatchDetector.h.
//
// Budget: one inference of at most 416×416 (~50–140 ms on one core, by machine); everything
// around it (padding, blob, decoding at most 3549 anchors, NMS) stays well under 2 ms and reuses
// the detector's buffers, so a steady stream of same-sized frames allocates nothing but what
// OpenCV allocates inside.
//
// The network's input takes the region's shape: its longer side is scaled to 416 (as a square
// letterbox would), its shorter side to the next multiple of 32 above the same scale, so a 4:3
// frame is looked at as 416×320 and a 16:9 one as 416×256 instead of 416×416 with a grey band.
// A caller may ask for a larger scale side (the frame's): the region is then looked at at that
// scale, and its input is smaller than the longer side's 416 in proportion.
// The network costs what its input's area does, and the band found nothing. YOLOX is fully
// convolutional; only the anchor grid, decoded here, follows the input's shape.
//
// Only OpenCV core and dnn are used (Debian's libopencv-dnn-dev pulls in no imgproc headers):
// the region is padded on the right and bottom with cv::copyMakeBorder to the input's shape,
// and blobFromImage does the resize and the RGB→BGR swap in one pass.

#include "CCityWatchDetector.h"

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <exception>
#include <fstream>
#include <string>
#include <vector>

namespace {

/// OpenCV's own reason ("Failed to parse ONNX model: …"), without the source-file preamble.
std::string reasonOf(const cv::Exception &error) {
    return error.err.empty() ? std::string(error.what()) : error.err;
}

constexpr int kInputSize = CW_DETECTOR_INPUT_SIZE;
/// Every side of the input is a multiple of the coarsest stride.
constexpr int kInputStep = CW_DETECTOR_INPUT_STEP;
constexpr int kStrides[] = {8, 16, 32};
/// x, y, w, h, objectness, then 80 COCO class probabilities.
constexpr int kValuesPerAnchor = 85;
constexpr int kClassCount = 80;
/// 52² + 26² + 13² grid cells for a 416×416 input, the most any region gives.
constexpr int kAnchorCount = 3549;
/// YOLOX was trained with gray 114 padding.
constexpr double kPadValue = 114;
/// Boxes are shifted this far apart per class so that a single NMS pass only ever compares
/// boxes of the same class (a car never suppresses the person getting out of it).
constexpr double kClassOffset = 8192;

/// The COCO classes CityWatch names: person, bicycle, car, motorcycle, bus, truck.
bool isKeptClass(int classId) {
    switch (classId) {
    case 0: case 1: case 2: case 3: case 5: case 7: return true;
    default: return false;
    }
}

void writeMessage(char *buffer, size_t capacity, const std::string &message) {
    if (buffer == nullptr || capacity == 0) return;
    const size_t length = std::min(message.size(), capacity - 1);
    std::memcpy(buffer, message.data(), length);
    buffer[length] = '\0';
}

void setStatus(cw_status *status, cw_status value) {
    if (status != nullptr) *status = value;
}

}  // namespace

struct cw_detector {
    cv::dnn::Net net;
    /// A gray region expanded to three equal channels.
    cv::Mat color;
    /// The region padded on the right or bottom to the input's shape.
    cv::Mat padded;
    /// The 1×3×H×W float input.
    cv::Mat blob;
    /// Candidates above the score threshold, boxes in (class-shifted) input pixels.
    std::vector<cv::Rect2d> boxes;
    std::vector<float> scores;
    std::vector<int> classes;
    std::vector<int> kept;
};

extern "C" void cw_detector_input_size(int32_t width, int32_t height, int32_t scale_side, int32_t *input_width,
                                       int32_t *input_height) {
    const double side = std::max({1, width, height, scale_side});
    auto fitted = [&](int32_t length) {
        const double scaled = std::max(1, length) * kInputSize / side;
        const int steps = int(std::ceil(scaled / kInputStep - 1e-9));
        return int32_t(std::min(kInputSize, std::max(1, steps) * kInputStep));
    };
    if (input_width != nullptr) *input_width = fitted(width);
    if (input_height != nullptr) *input_height = fitted(height);
}

extern "C" cw_detector *cw_detector_create(const char *model_path, cw_status *status,
                                           char *error_message, size_t error_capacity) {
    if (model_path == nullptr) {
        setStatus(status, CW_STATUS_MODEL_MISSING);
        writeMessage(error_message, error_capacity, "no model path given");
        return nullptr;
    }
    if (!std::ifstream(model_path, std::ios::binary).good()) {
        setStatus(status, CW_STATUS_MODEL_MISSING);
        writeMessage(error_message, error_capacity, std::string("cannot open ") + model_path);
        return nullptr;
    }
    cw_detector *detector = nullptr;
    try {
        detector = new cw_detector();
        detector->net = cv::dnn::readNetFromONNX(model_path);
        if (detector->net.empty()) {
            delete detector;
            setStatus(status, CW_STATUS_MODEL_UNLOADABLE);
            writeMessage(error_message, error_capacity, "OpenCV returned an empty network");
            return nullptr;
        }
        detector->net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
        detector->net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
        detector->boxes.reserve(kAnchorCount);
        detector->scores.reserve(kAnchorCount);
        detector->classes.reserve(kAnchorCount);
        detector->kept.reserve(kAnchorCount);
        setStatus(status, CW_STATUS_OK);
        writeMessage(error_message, error_capacity, "");
        return detector;
    } catch (const cv::Exception &error) {
        delete detector;
        setStatus(status, CW_STATUS_MODEL_UNLOADABLE);
        writeMessage(error_message, error_capacity, reasonOf(error));
    } catch (const std::exception &error) {
        delete detector;
        setStatus(status, CW_STATUS_MODEL_UNLOADABLE);
        writeMessage(error_message, error_capacity, error.what());
    } catch (...) {
        delete detector;
        setStatus(status, CW_STATUS_MODEL_UNLOADABLE);
        writeMessage(error_message, error_capacity, "unknown error while loading the model");
    }
    return nullptr;
}

extern "C" void cw_detector_set_threads(int32_t threads) {
    try {
        cv::setNumThreads(threads);
    } catch (...) {
        // Thread count is a tuning hint; OpenCV keeps its previous setting.
    }
}

extern "C" cw_status cw_detector_detect(cw_detector *detector, const uint8_t *pixels,
                                        int32_t width, int32_t height, int32_t channels, int64_t row_stride,
                                        const cw_box *region, int32_t scale_side, float score_threshold,
                                        float nms_threshold, cw_detection *detections, int32_t capacity, int32_t *count,
                                        char *error_message, size_t error_capacity) {
    if (count != nullptr) *count = 0;
    auto bad = [&](const std::string &why) {
        writeMessage(error_message, error_capacity, why);
        return CW_STATUS_BAD_ARGUMENT;
    };
    if (detector == nullptr) return bad("no detector");
    if (pixels == nullptr) return bad("no pixels");
    if (count == nullptr) return bad("no count pointer");
    if (capacity < 0 || (capacity > 0 && detections == nullptr)) return bad("no room for detections");
    if (width <= 0 || height <= 0) return bad("frame size must be positive");
    if (channels != 1 && channels != 3) return bad("channels must be 1 (gray) or 3 (RGB)");
    if (row_stride < int64_t(width) * channels) return bad("row stride is shorter than a row");
    if (scale_side < 0) return bad("scale side must not be negative");
    const cw_box roi = region != nullptr ? *region : cw_box{0, 0, width, height};
    if (roi.width <= 0 || roi.height <= 0 || roi.x < 0 || roi.y < 0 ||
        int64_t(roi.x) + roi.width > width || int64_t(roi.y) + roi.height > height) {
        return bad("region must have a positive size and lie inside the frame");
    }

    try {
        // Wraps the caller's memory; nothing is copied until the padding step.
        const cv::Mat frame(height, width, CV_8UC(channels), const_cast<uint8_t *>(pixels), size_t(row_stride));
        cv::Mat view = frame(cv::Rect(roi.x, roi.y, roi.width, roi.height));
        if (channels == 1) {
            const cv::Mat planes[3] = {view, view, view};
            cv::merge(planes, 3, detector->color);
            view = detector->color;
        }
        int32_t inputWidth = 0, inputHeight = 0;
        cw_detector_input_size(roi.width, roi.height, scale_side, &inputWidth, &inputHeight);
        // The region padded to the input's shape at the look's scale (`side` frame pixels
        // become kInputSize input pixels; each side gains at most 31 input pixels of grey).
        const double side = std::max({roi.width, roi.height, scale_side});
        const int paddedWidth = std::max(roi.width, int(std::lround(inputWidth * side / kInputSize)));
        const int paddedHeight = std::max(roi.height, int(std::lround(inputHeight * side / kInputSize)));
        cv::copyMakeBorder(view, detector->padded, 0, paddedHeight - roi.height, 0, paddedWidth - roi.width,
                           cv::BORDER_CONSTANT, cv::Scalar::all(kPadValue));
        // Pixel values stay 0–255; swapRB turns RGB into the BGR the model was trained on.
        cv::dnn::blobFromImage(detector->padded, detector->blob, 1.0, cv::Size(inputWidth, inputHeight),
                               cv::Scalar(), /* swapRB */ true, /* crop */ false, CV_32F);
        detector->net.setInput(detector->blob);
        const cv::Mat output = detector->net.forward();
        size_t anchors = 0;
        for (const int stride : kStrides) anchors += size_t(inputWidth / stride) * size_t(inputHeight / stride);
        if (output.type() != CV_32F || output.total() != anchors * kValuesPerAnchor || !output.isContinuous()) {
            writeMessage(error_message, error_capacity,
                         "unexpected network output (want 1×" + std::to_string(anchors) + "×85 float for a " +
                             std::to_string(inputWidth) + "×" + std::to_string(inputHeight) +
                             " input): is this a YOLOX model?");
            return CW_STATUS_INFERENCE_FAILED;
        }

        detector->boxes.clear();
        detector->scores.clear();
        detector->classes.clear();
        const float *values = output.ptr<float>();
        for (const int stride : kStrides) {
            const int columns = inputWidth / stride, rows = inputHeight / stride;
            for (int gridY = 0; gridY < rows; ++gridY) {
                for (int gridX = 0; gridX < columns; ++gridX, values += kValuesPerAnchor) {
                    const float objectness = values[4];
                    // A class probability is at most 1, so a weak objectness can never pass.
                    if (objectness < score_threshold) continue;
                    const float *classScores = values + 5;
                    const int best = int(std::max_element(classScores, classScores + kClassCount) - classScores);
                    if (!isKeptClass(best)) continue;
                    const float score = objectness * classScores[best];
                    if (score < score_threshold) continue;
                    const double centerX = (values[0] + gridX) * stride;
                    const double centerY = (values[1] + gridY) * stride;
                    const double boxWidth = std::exp(double(values[2])) * stride;
                    const double boxHeight = std::exp(double(values[3])) * stride;
                    detector->boxes.emplace_back(centerX - boxWidth / 2 + best * kClassOffset,
                                                 centerY - boxHeight / 2, boxWidth, boxHeight);
                    detector->scores.push_back(score);
                    detector->classes.push_back(best);
                }
            }
        }
        detector->kept.clear();
        if (!detector->boxes.empty()) {
            cv::dnn::NMSBoxes(detector->boxes, detector->scores, score_threshold, nms_threshold, detector->kept);
        }

        // Back from input pixels to frame pixels, clipped to the region the network saw.
        const double toFrameX = double(paddedWidth) / inputWidth;
        const double toFrameY = double(paddedHeight) / inputHeight;
        int32_t written = 0;
        for (const int index : detector->kept) {
            if (written >= capacity) break;
            const cv::Rect2d &box = detector->boxes[size_t(index)];
            const int classId = detector->classes[size_t(index)];
            const double left = (box.x - classId * kClassOffset) * toFrameX + roi.x;
            const double top = box.y * toFrameY + roi.y;
            const long x0 = std::max(long(roi.x), std::lround(left));
            const long y0 = std::max(long(roi.y), std::lround(top));
            const long x1 = std::min(long(roi.x) + roi.width, std::lround(left + box.width * toFrameX));
            const long y1 = std::min(long(roi.y) + roi.height, std::lround(top + box.height * toFrameY));
            if (x1 <= x0 || y1 <= y0) continue;
            detections[written++] = cw_detection{
                classId, detector->scores[size_t(index)],
                cw_box{int32_t(x0), int32_t(y0), int32_t(x1 - x0), int32_t(y1 - y0)}};
        }
        *count = written;
        return CW_STATUS_OK;
    } catch (const cv::Exception &error) {
        writeMessage(error_message, error_capacity, reasonOf(error));
    } catch (const std::exception &error) {
        writeMessage(error_message, error_capacity, error.what());
    } catch (...) {
        writeMessage(error_message, error_capacity, "unknown error during inference");
    }
    return CW_STATUS_INFERENCE_FAILED;
}

extern "C" void cw_detector_destroy(cw_detector *detector) {
    delete detector;
}
