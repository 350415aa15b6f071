@testable import CityWatchApp
import CityWatchDetection
import CityWatchDomain
import CityWatchTestSupport
import Foundation
import Testing

/// The classifier thread on a real frame: the region around a track is given to the detector,
/// and the detection that overlaps the track names it.
@Suite("Track classifier")
struct TrackClassifierTests {
    static let model = RepositoryPaths.sharedData("../models/yolox_nano.onnx").standardizedFileURL.path
    static let video = RepositoryPaths.sharedData("vtest.avi").path
    static var available: Bool {
        FileManager.default.fileExists(atPath: model) && FileManager.default.fileExists(atPath: video) && MediaFixtures.available
    }

    @Test(.enabled(if: available, "needs the model, vtest.avi and ffmpeg"))
    func aTrackOnAWalkerIsNamedPersonAndOneOnEmptyGroundStaysUnknown() async throws {
        let grayPath = try await Self.firstFrameGray()
        defer { try? FileManager.default.removeItem(atPath: grayPath) }
        let gray = try Data(contentsOf: URL(fileURLWithPath: grayPath))
        let luma = [UInt8](gray)
        #expect(luma.count == 768 * 576)
        let detector = try ObjectDetector(modelPath: Self.model)
        // Where the walkers are, by the detector on the whole frame (tested on its own elsewhere).
        let walker = try #require(try detector.detect(pixels: luma, width: 768, height: 576, channels: 1)
            .first { $0.objectClass == .person && $0.box.height > $0.box.width })
        let classifier = TrackClassifier(detector: detector)
        defer { classifier.stop() }
        let camera = UUID()
        // The track's box is the motion blob: a little off the detector's box.
        let blob = PixelBox(x: walker.box.x + 3, y: walker.box.y - 2, width: walker.box.width - 4, height: walker.box.height)
        #expect(classifier.offer(.init(camera: camera, trackID: 1, box: blob, luma: luma, width: 768, height: 576)))
        #expect(!classifier.offer(.init(camera: camera, trackID: 1, box: blob, luma: luma, width: 768, height: 576)),
                "a track already waiting is not queued twice")
        let sky = PixelBox(x: 5, y: 5, width: 20, height: 40)
        #expect(classifier.offer(.init(camera: camera, trackID: 2, box: sky, luma: luma, width: 768, height: 576)))
        var answers: [TrackClassifier.Answer] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while answers.count < 2, ContinuousClock.now < deadline {
            answers += classifier.takeAnswers()
            try await Task.sleep(for: .milliseconds(20))
        }
        let person = try #require(answers.first { $0.trackID == 1 })
        #expect(person.objectClass == .person && person.confidence > 0.3, "\(person)")
        let nothing = try #require(answers.first { $0.trackID == 2 })
        #expect(nothing.objectClass == .unknown && nothing.confidence == 0, "\(nothing)")
        #expect(classifier.inferences == 2)
    }

    /// The first frame of vtest.avi as 8-bit gray, in a temporary file.
    static func firstFrameGray() async throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("citywatch-vtest-\(UUID().uuidString).gray").path
        _ = try await runProgramDetached("/usr/bin/ffmpeg", ["-v", "error", "-i", video, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "-y", path])
        return path
    }
}

/// The detector's line, served fairly (cameras in turn, stale requests dropped).
@Suite("Classifier queue")
struct ClassifierQueueTests {
    @Test func camerasAreServedInTurnSoABusyOneCannotCrowdOutAQuietOne() {
        var queue = ClassifierQueue<String>(perCamera: 2, maximumAge: 10)
        let (busy, quiet) = (UUID(), UUID())
        #expect(queue.add("busy-1", camera: busy, key: "1", at: 0) == nil)
        #expect(queue.add("busy-2", camera: busy, key: "2", at: 0) == nil)
        #expect(queue.add("busy-3", camera: busy, key: "3", at: 0) == "busy-1", "a full line pushes out its oldest")
        queue.add("quiet-1", camera: quiet, key: "1", at: 0)
        #expect(queue.contains(camera: busy, key: "3") && !queue.contains(camera: busy, key: "1"))
        var order: [String] = []
        while let next = queue.next(at: 1).item { order.append(next) }
        #expect(order == ["busy-2", "quiet-1", "busy-3"])
        #expect(queue.count == 0)
    }

    @Test func staleRequestsAreDroppedNotRun() {
        var queue = ClassifierQueue<String>(perCamera: 4, maximumAge: 1.5)
        let camera = UUID()
        queue.add("old", camera: camera, key: "1", at: 0)
        queue.add("fresh", camera: camera, key: "2", at: 1)
        let (item, dropped) = queue.next(at: 2)
        #expect(item == "fresh" && dropped == ["old"])
        #expect(queue.next(at: 2).item == nil)
    }
}
