import CityWatchMedia
import Dispatch
import Synchronization

/// Runs synthetic clips through the analyzer and scores them: each frame is rendered in
/// process, converted to what production's ffmpeg would hand the analyzer, and analysed; the
/// events of each rule are matched against ``ExpectedEvents`` with ``EventScore``.
public struct EvaluationRunner: Sendable {
    /// Seconds a detection may be off the expected event's time.
    public var tolerance: Double
    /// IoU a detection's box needs with the expected box (events that carry one).
    public var minimumOverlap: Double
    /// Pixels given to the analyzer.
    public var pixelFormat: AnalysisPixelFormat

    public init(tolerance: Double = 2, minimumOverlap: Double = 0.5, pixelFormat: AnalysisPixelFormat = .yuv420p) {
        self.tolerance = tolerance
        self.minimumOverlap = minimumOverlap
        self.pixelFormat = pixelFormat
    }

    /// Scores one clip.
    public func evaluate(_ clip: EvaluationClip) -> ClipEvaluation {
        let scene = clip.scene
        let renderer = SyntheticRenderer(scene: scene)
        var session = AnalysisSession(width: scene.width, height: scene.height, rules: clip.rules)
        var rgb = [UInt8](repeating: 0, count: scene.frameByteCount)
        var frame: [UInt8] = []
        for index in 0..<scene.frameCount {
            rgb.withUnsafeMutableBufferPointer { renderer.render(frame: index, into: $0) }
            pixelFormat.convert(rgb: rgb, width: scene.width, height: scene.height, into: &frame)
            session.add(frame, time: scene.time(ofFrame: index))
        }
        // A detection a frame or two off the expected time is compared with where the object was
        // then: the boxes of fast, narrow objects at 5 fps overlap little from frame to frame.
        let truth = SyntheticGroundTruth(scene: scene)
        let expected = clip.rules.map { ExpectedEvents.of($0, in: truth) }
        return session.outcome(clip: clip.name, expected: expected, tolerance: tolerance, minimumOverlap: minimumOverlap) { event, time in
            event.trackId.flatMap { truth.box(ofTrack: $0, inFrame: Int((time * Double(scene.fps)).rounded())) }
        }
    }

    /// Scores `clips`, one per core at a time, and adds them up in the order given. Each
    /// clip's analyzer time is its own, so frames/s stays a one-core figure.
    public func evaluate(_ clips: [EvaluationClip]) -> EvaluationReport {
        let results = Mutex([ClipEvaluation?](repeating: nil, count: clips.count))
        DispatchQueue.concurrentPerform(iterations: clips.count) { index in
            let result = evaluate(clips[index])
            results.withLock { $0[index] = result }
        }
        return EvaluationReport(clips: results.withLock { $0.compactMap { $0 } }, tolerance: tolerance, minimumOverlap: minimumOverlap)
    }
}
