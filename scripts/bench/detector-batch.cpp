// Does batching the detector's looks of several cameras into one network run save CPU here?
// Runs YOLOX-nano (the model CityWatch loads) on OpenCV DNN with batches of 1, 2 and 4 inputs
// of 416x416, on 1 and on 2 inference threads, and prints the time per run and per image.
// Then, on one thread, the time of one image at the input shapes CityWatch gives a 4:3 and a
// 16:9 region (416×320, 416×256) against the square 416×416.
// Built and run by scripts/bench-detector-batch.sh; the figures are in BENCHMARKS.md.
#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

int main(int argc, char **argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: detector-batch MODEL.onnx [RUNS]\n");
        return 2;
    }
    const int runs = argc > 2 ? std::atoi(argv[2]) : 5;
    try {
        cv::dnn::Net net = cv::dnn::readNetFromONNX(argv[1]);
        net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
        net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
        // One warm-up run (its output kept in `warm`), then the mean of `runs` runs, in ms.
        auto timed = [&](const cv::Mat &blob, cv::Mat &warm) {
            net.setInput(blob);
            warm = net.forward();
            const auto started = std::chrono::steady_clock::now();
            for (int run = 0; run < runs; ++run) {
                net.setInput(blob);
                (void)net.forward();
            }
            return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count() / runs;
        };
        for (const int threads : {0, 2}) {
            cv::setNumThreads(threads);
            double single = 0;
            for (const int batch : {1, 2, 4}) {
                std::vector<cv::Mat> inputs;
                for (int i = 0; i < batch; ++i) {
                    cv::Mat image(416, 416, CV_8UC3);
                    cv::randu(image, 0, 255);
                    inputs.push_back(image);
                }
                const cv::Mat blob = cv::dnn::blobFromImages(inputs, 1.0, cv::Size(416, 416), cv::Scalar(), true, false, CV_32F);
                cv::Mat warm;
                const double ms = timed(blob, warm);
                if (batch == 1) single = ms;
                std::printf("threads %d, batch %d: %.1f ms per run, %.1f ms per image (%.2fx batch 1 per image), output %zu values\n",
                            threads == 0 ? 1 : threads, batch, ms, ms / batch, (ms / batch) / single, warm.total());
            }
        }
        cv::setNumThreads(0);
        double square = 0;
        for (const cv::Size shape : {cv::Size(416, 416), cv::Size(416, 320), cv::Size(416, 256)}) {
            cv::Mat image(shape, CV_8UC3);
            cv::randu(image, 0, 255);
            const cv::Mat blob = cv::dnn::blobFromImage(image, 1.0, shape, cv::Scalar(), true, false, CV_32F);
            cv::Mat warm;
            const double ms = timed(blob, warm);
            if (square == 0) square = ms;
            std::printf("threads 1, input %dx%d: %.1f ms per image (%.2fx 416x416)\n", shape.width, shape.height, ms, ms / square);
        }
    } catch (const cv::Exception &error) {
        std::fprintf(stderr, "OpenCV: %s\n", error.what());
        return 1;
    }
    return 0;
}
