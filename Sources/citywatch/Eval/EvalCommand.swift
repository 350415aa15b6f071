import ArgumentParser
import CityWatchCommandLine
import CityWatchEvaluation
import Foundation

/// `citywatch eval`: precision, recall and F1 of each analytics rule on labelled clips.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score the analytics rules on labelled clips: precision, recall and F1 per rule, and the analyzer's frames/s.",
        discussion: """
            Without --real, runs the synthetic evaluation set (each rule kind in a clean, a noisy-with-dimming and \
            a shaking-camera clip, 320x180 at 5 fps, rendered in process). With --real, scores the rules of a label \
            file on a real clip decoded by ffmpeg instead; give --scene as well to run both. With --real-set DIR \
            (repeatable), runs every *.labels.json and *.set.json file in DIR, two clips at a time, and prints per \
            rule kind the clips, expected events, TP, FP, FN, clip-level true negatives, precision, recall, F1 and \
            the median and worst time to detect (detection minus labelled time of the matched events).

            An event counts as found when the rule fires within --tolerance seconds of the expected time — falls \
            only up to \(Int(RealClipScoring.fallDeadline)) s after the labelled onset, the issue's deadline — and, \
            where the expected event has a box (picture fractions), the boxes overlap at IoU >= 0.5 in analysis \
            pixels, both at the same moment: on a real clip the detected object's box where it was seen at the \
            labelled time (within 0.3 s; else the detection's own box), on a synthetic clip the true box at the \
            detection's time. A rule labelled "clipLevel": "raises" counts one TP if it fired at all on the clip, else one \
            FN; "raisesNothing" counts one FP if it fired, else one TN.

            A label file's clip is a path relative to its folder, or a data set tag and a path suffix \
            ("gmdcsa24 Subject 1/Fall/13.mp4") found under DIR's parent and each --clip-root. Low scores are \
            reported, not failed: the exit status is non-zero only when something could not be run (a bad label \
            file or a missing clip is named and the other clips still run).
            """)

    @Option(help: ArgumentHelp("Run only the synthetic clips called NAME or NAME-* (e.g. fall, crowding-noisy). Kinds: \(EvaluationSet.kinds.joined(separator: ", ")).", valueName: "name"))
    var scene: String?

    @Option(help: ArgumentHelp("A real clip to score (e.g. ../shared/data/vtest.avi) against --labels.", valueName: "file"))
    var real: String?

    @Option(help: ArgumentHelp("Hand labels of the --real clip: rules and event times.", valueName: "file"))
    var labels = "data/vtest.labels.json"

    @Option(name: .customLong("real-set"),
            help: ArgumentHelp("A folder of label files (*.labels.json) and clip sets (*.set.json) to run, e.g. ../shared/data/real/labels; repeatable.",
                               valueName: "dir"))
    var realSets: [String] = []

    @Option(help: ArgumentHelp("With --real-set: a further folder to search for clips named by a data set tag and path suffix; repeatable (default ../shared/data, when it exists).",
                               valueName: "dir"))
    var clipRoot: [String] = []

    @Option(help: ArgumentHelp("Seconds a detection may be off the expected time (falls: before the onset only; after it, the 3 s deadline).", valueName: "seconds"))
    var tolerance = 2.0

    @Option(help: ArgumentHelp("Pixels given to the analyzer: yuv420p (as production) or gray.", valueName: "format"))
    var pixelFormat = AnalysisPixelFormat.yuv420p.rawValue

    @Option(help: ArgumentHelp("Person/vehicle model (YOLOX ONNX) for the detector-led profile on --real and --real-set clips, as cameras with rules run; \"none\" for the motion-only profile.", valueName: "file"))
    var detector = ProcessInfo.processInfo.environment["CITYWATCH_DETECTOR_MODEL"] ?? "../shared/models/yolox_nano.onnx"

    @Option(help: ArgumentHelp("The ffmpeg that decodes --real clips.", valueName: "path"))
    var ffmpeg = "/usr/bin/ffmpeg"

    @Flag(help: "Print the whole report, every clip's expected and detected events included, as JSON.")
    var json = false

    @Flag(help: "Print every frame of --real clips to standard error: tracks, detector looks, events.")
    var trace = false

    @Flag(help: "Also list, per clip and rule, the events expected and found, and under each labelled event with a box the detections within the tolerance and their IoU with it.")
    var verbose = false

    func validate() throws {
        guard tolerance >= 0, tolerance.isFinite else { throw ValidationError("--tolerance must be 0 or more seconds") }
        guard AnalysisPixelFormat(rawValue: pixelFormat) != nil else { throw ValidationError("--pixel-format must be yuv420p or gray") }
        if !realSets.isEmpty, real != nil || scene != nil { throw ValidationError("--real-set runs on its own: leave out --real and --scene") }
        if let scene, EvaluationSet.clips(named: scene).isEmpty {
            throw ValidationError("no synthetic clip is called \(scene) (kinds: \(EvaluationSet.kinds.joined(separator: ", ")))")
        }
    }

    /// The model of the detector-led profile, or nil for motion only.
    var detectorModel: String? { detector == "none" ? nil : detector }

    func run() async throws {
        let format = AnalysisPixelFormat(rawValue: pixelFormat) ?? .yuv420p
        if !realSets.isEmpty { return try await runRealSets(format: format) }
        var clips: [ClipEvaluation] = []
        if real == nil || scene != nil {
            let runner = EvaluationRunner(tolerance: tolerance, pixelFormat: format)
            let chosen = scene.map(EvaluationSet.clips(named:)) ?? EvaluationSet.clips()
            clips += runner.evaluate(chosen).clips
        }
        if let real {
            let labelled = try RealClipLabels.load(from: labels)
            var evaluator = RealClipEvaluator(reader: VideoFrameReader(ffmpeg: ffmpeg), tolerance: tolerance, pixelFormat: format,
                                              detectorModel: detectorModel)
            evaluator.trace = trace
            clips.append(try await evaluator.evaluate(video: real, labels: labelled))
        }
        let report = EvaluationReport(clips: clips, tolerance: tolerance, minimumOverlap: 0.5)
        if json { return try printJSON(report) }
        if verbose {
            print(report.eventList)
            print("")
        }
        if real != nil || verbose {
            print(report.ruleTable)
            print("")
        }
        print(report.table)
    }

    /// `--real-set`: every label and set file of the folders, two clips at a time; exits
    /// non-zero after the report when a file or clip could not be run.
    func runRealSets(format: AnalysisPixelFormat) async throws {
        let roots = clipRoot.isEmpty ? ["../shared/data"].filter { FileManager.default.fileExists(atPath: $0) } : clipRoot
        let set = RealSet.load(folders: realSets, clipRoots: roots)
        let evaluator = RealClipEvaluator(reader: VideoFrameReader(ffmpeg: ffmpeg), tolerance: tolerance, pixelFormat: format,
                                          detectorModel: detectorModel)
        let progress = EvalProgress()
        let result = await RealSetRunner(evaluator: evaluator).run(set) { progress.update($0) }
        progress.finish()
        if json {
            try printJSON(result)
        } else {
            if verbose { print(result.report.eventList + "\n") }
            print(result.table)
        }
        if !result.failures.isEmpty { throw ExitCode(1) }
    }

    /// Prints `value` as sorted, indented JSON.
    func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}

/// `eval --real-set`'s progress: clips done of all as they finish, and a clip that could not be
/// run named at once.
struct EvalProgress: Sendable {
    let line = StatusLine()

    func update(_ progress: RealSetRunner.Progress) {
        let name = (progress.video as NSString).lastPathComponent
        if progress.failed { line.say("  eval: \(name) could not be run (the report says why)") }
        line.show("  eval: \(progress.finished) of \(progress.total) clips (\(name))", final: progress.finished == progress.total)
    }

    func finish() { line.finish() }
}
