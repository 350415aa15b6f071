import CityWatchDetection
import CityWatchDomain
import Foundation
import Testing

/// What the detector says when its model or its input is wrong, what it finds in nothing, and
/// the shape of the network input a region is given.
@Suite("ObjectDetector errors and empty input")
struct ObjectDetectorErrorTests {
    /// The network's input keeps the region's shape: the longer side 416, the shorter one at
    /// the same scale rounded up to a multiple of 32, never more than 416 nor less than 32.
    @Test(arguments: [
        (320, 240, 416, 320), (768, 576, 416, 320), (320, 180, 416, 256), (1920, 1080, 416, 256),
        (160, 160, 416, 416), (100, 300, 160, 416), (240, 320, 320, 416), (1000, 10, 416, 32), (1, 1, 416, 416),
        (0, 0, 416, 416),
    ])
    func inputSizeKeepsTheRegionsShape(width: Int, height: Int, inputWidth: Int, inputHeight: Int) {
        let input = ObjectDetector.inputSize(width: width, height: height)
        #expect(input == (inputWidth, inputHeight), "\(width)×\(height) gave \(input)")
    }

    /// At a larger scale side (the frame's), the input shrinks with the region; a scale side
    /// below the region's longer side is no scale-up beyond filling the input.
    @Test(arguments: [
        (320, 120, 320, 416, 160), (320, 240, 320, 416, 320), (200, 150, 320, 288, 224), (320, 120, 0, 416, 160),
        (100, 50, 50, 416, 224), (768, 380, 768, 416, 224), (10, 10, 1920, 32, 32),
    ])
    func inputSizeAtAScaleSideShrinksWithTheRegion(width: Int, height: Int, scaleSide: Int, inputWidth: Int, inputHeight: Int) {
        let input = ObjectDetector.inputSize(width: width, height: height, scaleSide: scaleSide)
        #expect(input == (inputWidth, inputHeight), "\(width)×\(height) at scale side \(scaleSide) gave \(input)")
    }

    @Test func missingModelPathThrowsModelMissingNamingThePath() {
        let path = "/nonexistent/citywatch/\(UUID().uuidString)/yolox_nano.onnx"
        #expect(throws: DetectorError.modelMissing(path: path)) {
            try ObjectDetector(modelPath: path)
        }
        #expect(DetectorError.modelMissing(path: path).description.contains(path))
    }

    /// A relative model path is read from the folder the program started in; the error says
    /// which, as a release binary started elsewhere finds no `../shared/models`.
    @Test func aMissingRelativeModelPathSaysWhichFolderItWasLookedForFrom() {
        let said = DetectorError.modelMissing(path: "../nowhere/yolox_nano.onnx").description
        #expect(said.contains("../nowhere/yolox_nano.onnx") && said.contains("(from \(FileManager.default.currentDirectoryPath))"), "\(said)")
    }

    @Test func fileThatIsNotAModelThrowsModelUnloadableWithOpenCVsMessage() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("citywatch-not-a-model-\(UUID().uuidString).onnx")
        try Data("this is not an ONNX protobuf".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        do {
            _ = try ObjectDetector(modelPath: url.path)
            Issue.record("a text file loaded as a model")
        } catch .modelUnloadable(let path, let message) {
            #expect(path == url.path)
            #expect(!message.isEmpty)
        } catch {
            Issue.record("expected modelUnloadable, got \(error)")
        }
    }

    @Test(.enabled(if: DetectionFixtures.modelAvailable, "yolox_nano.onnx not found"),
          arguments: [(channels: 3, value: UInt8(0)), (channels: 1, value: UInt8(114)), (channels: 3, value: UInt8(255))])
    func blankFrameGivesNoDetections(channels: Int, value: UInt8) throws {
        let detector = try #require(DetectionFixtures.detector)
        let blank = [UInt8](repeating: value, count: 640 * 360 * channels)
        let found = try detector.detect(pixels: blank, width: 640, height: 360, channels: channels)
        #expect(found.isEmpty, "found \(found) in a blank frame")
    }

    @Test(.enabled(if: DetectionFixtures.modelAvailable, "yolox_nano.onnx not found"))
    func badFramesThrowBadFrameNamingTheProblem() throws {
        let detector = try #require(DetectionFixtures.detector)
        let pixels = [UInt8](repeating: 0, count: 100 * 100 * 3)
        func reason(_ body: () throws -> [Detection]) -> String? {
            do {
                _ = try body()
                return nil
            } catch DetectorError.badFrame(let reason) {
                return reason
            } catch {
                return "not badFrame: \(error)"
            }
        }
        let short = reason { try detector.detect(pixels: pixels, width: 100, height: 101, channels: 3) }
        #expect(short?.contains("30000 bytes given") == true, "\(short ?? "no error")")
        let fourChannels = reason { try detector.detect(pixels: pixels, width: 50, height: 50, channels: 4) }
        #expect(fourChannels?.contains("channels") == true, "\(fourChannels ?? "no error")")
        let narrowStride = reason { try detector.detect(pixels: pixels, width: 100, height: 100, channels: 3, rowStride: 200) }
        #expect(narrowStride?.contains("stride") == true, "\(narrowStride ?? "no error")")
        let offFrame = reason {
            try detector.detect(pixels: pixels, width: 100, height: 100, channels: 3, region: PixelBox(x: 200, y: 0, width: 50, height: 50))
        }
        #expect(offFrame?.contains("outside") == true, "\(offFrame ?? "no error")")
    }
}
