/// Runs the clips of a ``RealSet`` through a ``RealClipEvaluator``, a few at a time, and adds
/// them up in the set's order. A clip ffmpeg cannot decode becomes a failure naming its label
/// file; the others still run.
public struct RealSetRunner: Sendable {
    /// Decodes, analyses and scores each clip.
    public var evaluator: RealClipEvaluator
    /// Clips decoded and analysed at the same time (each is one ffmpeg child and one core).
    public var clipsAtOnce: Int

    public init(evaluator: RealClipEvaluator = RealClipEvaluator(), clipsAtOnce: Int = 2) {
        self.evaluator = evaluator
        self.clipsAtOnce = max(1, clipsAtOnce)
    }

    /// How far a run is, told as each clip finishes (in the order they finish).
    public struct Progress: Sendable, Hashable {
        /// Clips finished so far, scored or failed, and all the set holds.
        public var finished: Int
        public var total: Int
        /// The video that just finished, and whether it could not be run.
        public var video: String
        public var failed: Bool
    }

    /// Scores every clip of `set`; the set's own failures come first in the report's.
    /// `progress` is called once per clip as it finishes (a long set takes minutes).
    public func run(_ set: RealSet, progress: (@Sendable (Progress) -> Void)? = nil) async -> RealSetReport {
        let entries = set.entries
        let evaluator = evaluator
        let work: @Sendable (Int) async -> (Int, Result<ClipEvaluation, RealSet.Failure>) = { index in
            let entry = entries[index]
            do {
                return (index, .success(try await evaluator.evaluate(video: entry.video, labels: entry.labels)))
            } catch {
                return (index, .failure(RealSet.Failure(file: entry.labelFile, reason: "clip \(entry.video): \(error)")))
            }
        }
        let results = await withTaskGroup(of: (Int, Result<ClipEvaluation, RealSet.Failure>).self) { group in
            var results = [Result<ClipEvaluation, RealSet.Failure>?](repeating: nil, count: entries.count)
            var next = min(clipsAtOnce, entries.count)
            for index in 0..<next { group.addTask { await work(index) } }
            var finished = 0
            while let (index, result) = await group.next() {
                results[index] = result
                finished += 1
                var failed = false
                if case .failure = result { failed = true }
                progress?(Progress(finished: finished, total: entries.count, video: entries[index].video, failed: failed))
                if next < entries.count {
                    let index = next
                    group.addTask { await work(index) }
                    next += 1
                }
            }
            return results
        }
        var clips: [ClipEvaluation] = [], labelFiles: [String] = [], failures = set.failures
        for (index, result) in results.enumerated() {
            switch result {
            case .success(let clip)?:
                clips.append(clip)
                labelFiles.append(entries[index].labelFile)
            case .failure(let failure)?: failures.append(failure)
            case nil: break
            }
        }
        return RealSetReport(report: EvaluationReport(clips: clips, tolerance: evaluator.tolerance, minimumOverlap: RealClipScoring.minimumOverlap),
                             labelFiles: labelFiles, failures: failures)
    }
}
