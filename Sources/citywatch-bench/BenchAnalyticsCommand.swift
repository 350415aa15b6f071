import ArgumentParser
import CityWatchAnalytics
import CityWatchDetection
import CityWatchDomain
import CityWatchMedia
import Foundation

/// `citywatch-bench analytics`: motion + tracking speed and accuracy against OpenCV's MOG2 on the
/// same frames, the detector's cost and how often it is needed, and the metadata bytes per
/// camera-day.
struct BenchAnalyticsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analytics",
        abstract: "Motion + tracking frames/s and F1 against OpenCV MOG2 + findContours; detector inferences/s; metadata bytes per camera-day.",
        discussion: """
        Renders a synthetic scene with ground truth at the analysis size (320×180, 5 fps) in memory. \
        CityWatch's motion detector + tracker and the baseline (scripts/mog2-baseline.py: MOG2 + opening + \
        external contours, Debian's python3-opencv, one thread) run on the same gray frames; both are timed \
        on the per-frame work only and scored per frame against the ground-truth boxes (IoU ≥ 0.5, \
        the first 2 s of learning excluded). CityWatch is scored on its confirmed tracks.
        """)

    @Option(help: "Built-in scene: walkers, traffic, night, intrusion.") var scene = "walkers"
    @Option(help: "Seconds of scene.") var seconds = 120.0
    @Option(help: "Timed runs of CityWatch's detector (the median is reported).") var runs = 3
    @Option(help: "The MOG2 baseline script.") var baseline = "scripts/mog2-baseline.py"
    @Option(help: "Python with OpenCV (Debian's python3-opencv).") var python = "/usr/bin/python3"
    @Option(help: "Detector model; detection figures are skipped without it.") var model = "../shared/models/yolox_nano.onnx"

    func run() async throws {
        let builtIn = try BuiltInScene.named(scene)
        let synthetic = try builtIn.scene(.init(width: 320, height: 180, fps: 5, duration: seconds, seed: 7))
        let truth = SyntheticGroundTruth(scene: synthetic)
        let renderer = SyntheticRenderer(scene: synthetic)
        let frames = (0..<synthetic.frameCount).map { Self.luma(renderer.render(frame: $0)) }
        let warmUp = 2 * synthetic.fps
        print("analytics: scene \(scene), \(frames.count) frames 320×180 at \(synthetic.fps) fps")

        // CityWatch: motion + tracking, timed per frame, boxes of the last run scored.
        var rates: [Double] = []
        var ours: [[PixelBox]] = []
        for _ in 0..<max(1, runs) {
            var motion = MotionDetector(width: 320, height: 180)
            var tracker = ObjectTracker(width: 320, height: 180)
            var boxes: [[PixelBox]] = []
            boxes.reserveCapacity(frames.count)
            var elapsed = Duration.zero
            let clock = ContinuousClock()
            for (index, frame) in frames.enumerated() {
                let time = Double(index) / Double(synthetic.fps)
                let start = clock.now
                let status = motion.process(frame, time: time)
                let tracks = status == .analysed ? tracker.update(blobs: motion.blobs, time: time) : tracker.objects
                elapsed += start.duration(to: clock.now)
                boxes.append(tracks.filter { $0.isConfirmed && $0.missedFrames == 0 }.map(\.box))
            }
            rates.append(Double(frames.count) / Self.seconds(elapsed))
            ours = boxes
        }
        let oursRate = rates.sorted()[rates.count / 2]
        let truthBoxes = truth.frames.map { $0.objects.map(\.box).filter { $0.area >= 30 } }
        let oursScore = Self.score(ours, truthBoxes, from: warmUp)
        print(String(format: "  CityWatch motion + tracking: %.0f frames/s (%.0f µs per frame), F1 %.3f (precision %.3f, recall %.3f)",
                     oursRate, 1e6 / oursRate, oursScore.f1, oursScore.precision, oursScore.recall))

        // Baseline: the same frames through MOG2.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("citywatch-bench-analytics-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let raw = folder.appendingPathComponent("frames.gray")
        try Data(frames.flatMap(\.pixels)).write(to: raw)
        let boxesFile = folder.appendingPathComponent("mog2.jsonl").path
        let result = try await ChildProgram.run(python, [baseline, raw.path, "320", "180", "--boxes", boxesFile], timeout: 600)
        if result.status == 0, let rate = result.standardOutput.split(separator: " ").firstIndex(of: "frames/s,").map({ index in
            Double(result.standardOutput.split(separator: " ")[index - 1]) ?? 0
        }) {
            let mog2 = try Self.readBoxes(boxesFile, frames: frames.count)
            let mog2Score = Self.score(mog2, truthBoxes, from: warmUp)
            print(String(format: "  OpenCV MOG2 + open + contours (baseline): %.0f frames/s (%.0f µs per frame), F1 %.3f (precision %.3f, recall %.3f)",
                         rate, 1e6 / rate, mog2Score.f1, mog2Score.precision, mog2Score.recall))
            print(String(format: "  ratio (CityWatch / MOG2 frames/s): %.2f×; cameras at 5 fps per core: %.0f", oursRate / rate, oursRate / 5))
        } else {
            print("  baseline did not run (\(result.standardError.split(separator: "\n").last ?? "exit \(result.status)")): apt-get install python3-opencv")
        }

        try detection(frames: frames, fps: synthetic.fps)
        metadata(frames: frames, scene: synthetic)
    }

    /// Detector cost per inference and how often the tracker asks for one on this scene.
    private func detection(frames: [GrayImage], fps: Int) throws {
        guard FileManager.default.fileExists(atPath: model) else {
            print("  detector: no model at \(model); skipped")
            return
        }
        let detector = try ObjectDetector(modelPath: model)
        var motion = MotionDetector(width: 320, height: 180)
        var tracker = ObjectTracker(width: 320, height: 180)
        var waiting: [TrackedObject] = []
        var framesAsking = 0, inferences = 0
        var elapsed = Duration.zero
        let clock = ContinuousClock()
        for (index, frame) in frames.enumerated() {
            let time = Double(index) / Double(fps)
            guard motion.process(frame, time: time) == .analysed else { continue }
            tracker.update(blobs: motion.blobs, time: time)
            tracker.tracksAwaitingClass(into: &waiting)
            if !waiting.isEmpty { framesAsking += 1 }
            for track in waiting {
                let start = clock.now
                let found = try detector.detect(pixels: frame.pixels, width: 320, height: 180, channels: 1, region: track.box)
                elapsed += start.duration(to: clock.now)
                inferences += 1
                let best = found.first { $0.box.intersection(track.box) != nil }
                tracker.classify(trackID: track.id, as: best?.objectClass ?? .unknown, confidence: Double(best?.score ?? 0))
            }
        }
        let perInference = inferences == 0 ? 0 : Self.seconds(elapsed) / Double(inferences)
        print(String(format: "  detector: %.1f inferences/s on one core (%.0f ms each); %d of %d frames (%.1f %%) needed one, %.2f inferences per frame",
                     perInference > 0 ? 1 / perInference : 0, perInference * 1000, framesAsking, frames.count,
                     100 * Double(framesAsking) / Double(max(1, frames.count)), Double(inferences) / Double(max(1, frames.count))))
    }

    /// Bytes of motion grids and track summaries this scene leaves, scaled to a camera-day.
    private func metadata(frames: [GrayImage], scene: SyntheticScene) {
        var analyzer = CameraAnalyzer(width: 320, height: 180, settings: CameraAnalyticsSettings())
        var minutes: [Int64: MotionMinute] = [:]
        var summaries: [TrackSummaryBuilder.Summary] = []
        let base = 1_790_000_000.0
        for (index, frame) in frames.enumerated() {
            let analysis = analyzer.process(yuv: frame.pixels, time: base + Double(index) / Double(scene.fps), weekday: 1, minute: 600)
            if let grid = analysis.grid { minutes[grid.second / 60, default: MotionMinute(minute: grid.second / 60)].add(grid) }
            summaries += analysis.finishedTracks
        }
        summaries += analyzer.finishAll()
        let gridBytes = minutes.values.reduce(0) { $0 + $1.secondsBytes.count + ($1.summary?.bytes.count ?? 0) + 24 }
        // As stored: the packed path, plus class, colour, times, direction and speed (~64 B).
        let trackBytes = summaries.reduce(0) { $0 + ImageBox.pack($1.path).count + 64 }
        let perDay = 86_400 / scene.duration
        print(String(format: "  metadata: %d motion minutes (%d B) and %d track summaries (%d B) in %.0f s → %.1f MB per camera-day at this activity",
                     minutes.count, gridBytes, summaries.count, trackBytes, scene.duration, Double(gridBytes + trackBytes) * perDay / 1e6))
    }

    static func luma(_ rgb: [UInt8]) -> GrayImage {
        var image = GrayImage(width: 320, height: 180)
        for index in 0..<(320 * 180) {
            let r = Int(rgb[3 * index]), g = Int(rgb[3 * index + 1]), b = Int(rgb[3 * index + 2])
            image.pixels[index] = UInt8((66 * r + 129 * g + 25 * b + 128) / 256 + 16)
        }
        return image
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Per-frame box matching, greedy by overlap at IoU ≥ 0.5, summed from frame `from`.
    static func score(_ found: [[PixelBox]], _ truth: [[PixelBox]], from: Int) -> (precision: Double, recall: Double, f1: Double) {
        var tp = 0, fp = 0, fn = 0
        for index in from..<min(found.count, truth.count) {
            var pairs: [(Double, Int, Int)] = []
            for (a, box) in found[index].enumerated() {
                for (b, wanted) in truth[index].enumerated() {
                    let iou = box.intersectionOverUnion(wanted)
                    if iou >= 0.5 { pairs.append((iou, a, b)) }
                }
            }
            var usedA = Set<Int>(), usedB = Set<Int>()
            for (_, a, b) in pairs.sorted(by: { $0.0 > $1.0 }) where !usedA.contains(a) && !usedB.contains(b) {
                usedA.insert(a)
                usedB.insert(b)
            }
            tp += usedA.count
            fp += found[index].count - usedA.count
            fn += truth[index].count - usedB.count
        }
        let precision = tp + fp == 0 ? 1 : Double(tp) / Double(tp + fp)
        let recall = tp + fn == 0 ? 1 : Double(tp) / Double(tp + fn)
        return (precision, recall, precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall))
    }

    static func readBoxes(_ path: String, frames: Int) throws -> [[PixelBox]] {
        struct Line: Decodable {
            var frame: Int
            var boxes: [[Int]]
        }
        var result = [[PixelBox]](repeating: [], count: frames)
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            let decoded = try JSONDecoder().decode(Line.self, from: Data(line.utf8))
            guard decoded.frame < frames else { continue }
            result[decoded.frame] = decoded.boxes.filter { $0.count == 4 }.map { PixelBox(x: $0[0], y: $0[1], width: $0[2], height: $0[3]) }
        }
        return result
    }
}
