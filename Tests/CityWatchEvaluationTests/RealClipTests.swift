import CityWatchEvaluation
import Foundation
import Testing

/// The hand labels in the repo and the ffmpeg path that decodes real clips.
@Suite("Real clip")
struct RealClipTests {
    /// The repository's root, from this file's place in it.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let labelsPath = root.appendingPathComponent("data/vtest.labels.json").path
    static let clipPath = root.appendingPathComponent("../shared/data/vtest.avi").standardized.path
    static let ffmpegPresent = FileManager.default.isExecutableFile(atPath: "/usr/bin/ffmpeg")

    @Test func vtestLabelsLoadWithValidRulesAndTimesInsideTheClip() throws {
        let labels = try RealClipLabels.load(from: Self.labelsPath)
        #expect(labels.rules.map(\.name) == ["walkway eastbound", "walkway westbound"])
        #expect(!labels.about.isEmpty)
        for rule in labels.rules {
            #expect(!rule.events.isEmpty)
            #expect(rule.events.allSatisfy { (0...79.5).contains($0.time) })
            #expect(rule.events.map(\.time) == rule.events.map(\.time).sorted())
        }
    }

    @Test func aLabelFileThatIsNotJSONIsReportedWithItsPath() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("labels-\(UUID().uuidString).json").path
        try Data("not json".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: RealClipLabels.Problem.self) { try RealClipLabels.load(from: path) }
    }

    @Test(.enabled(if: ffmpegPresent))
    func readerDeliversEveryFrameOfAGeneratedClipLetterboxed() async throws {
        let clip = FileManager.default.temporaryDirectory.appendingPathComponent("reader-\(UUID().uuidString).mp4").path
        defer { try? FileManager.default.removeItem(atPath: clip) }
        let make = Process()
        make.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        make.arguments = ["-nostdin", "-v", "error", "-f", "lavfi", "-i", "color=c=white:s=160x120:r=10:d=2", "-pix_fmt", "yuv420p", clip]
        try make.run()
        make.waitUntilExit()
        #expect(make.terminationStatus == 0)
        var frames: [[UInt8]] = []
        // 4:3 into 16:9: white in the middle, black bars left and right.
        for try await frame in VideoFrameReader().frames(of: clip, width: 64, height: 36, fps: 5, format: .gray) { frames.append(frame) }
        #expect(frames.count == 10)
        #expect(frames.allSatisfy { $0.count == 64 * 36 })
        let middle = frames.first.map { Int($0[18 * 64 + 32]) } ?? 0
        let edge = frames.first.map { Int($0[18 * 64 + 1]) } ?? 255
        #expect(middle > 200 && edge < 40)
    }

    @Test(.enabled(if: ffmpegPresent))
    func readerThrowsWhenFFmpegCannotOpenTheClip() async {
        await #expect(throws: VideoFrameReader.Failure.self) {
            for try await _ in VideoFrameReader().frames(of: "/nonexistent/clip.avi", width: 32, height: 32, fps: 5, format: .gray) {}
        }
    }

    /// Scores are not asserted: BENCHMARKS.md reports them "however they come out".
    @Test(.enabled(if: ffmpegPresent && FileManager.default.fileExists(atPath: clipPath)))
    func vtestIsAnalysedWholeAndScoredForBothRules() async throws {
        let labels = try RealClipLabels.load(from: Self.labelsPath)
        let result = try await RealClipEvaluator().evaluate(video: Self.clipPath, labels: labels)
        #expect(result.frames == 398)
        #expect(result.rules.count == 2)
        #expect(result.rules.allSatisfy { !$0.detected.isEmpty })
        print(EvaluationReport(clips: [result], tolerance: 2, minimumOverlap: 0.5).table)
    }
}
