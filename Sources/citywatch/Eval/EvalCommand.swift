import ArgumentParser
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
            file on a real clip decoded by ffmpeg instead; give --scene as well to run both. An event counts as found \
            when the rule fires within --tolerance seconds of the expected time and, where the expected event has a \
            box, the boxes overlap at IoU >= 0.5. Low scores are reported, not failed: the exit status is non-zero \
            only when something could not be run.
            """)

    @Option(help: ArgumentHelp("Run only the synthetic clips called NAME or NAME-* (e.g. fall, crowding-noisy). Kinds: \(EvaluationSet.kinds.joined(separator: ", ")).", valueName: "name"))
    var scene: String?

    @Option(help: ArgumentHelp("A real clip to score (e.g. ../shared/data/vtest.avi) against --labels.", valueName: "file"))
    var real: String?

    @Option(help: ArgumentHelp("Hand labels of the --real clip: rules and event times.", valueName: "file"))
    var labels = "data/vtest.labels.json"

    @Option(help: ArgumentHelp("Seconds a detection may be off the expected time.", valueName: "seconds"))
    var tolerance = 2.0

    @Option(help: ArgumentHelp("Pixels given to the analyzer: yuv420p (as production) or gray.", valueName: "format"))
    var pixelFormat = AnalysisPixelFormat.yuv420p.rawValue

    @Option(help: ArgumentHelp("Person/vehicle model (YOLOX ONNX) for the detector-led profile on --real clips, as cameras with rules run; \"none\" for the motion-only profile.", valueName: "file"))
    var detector = ProcessInfo.processInfo.environment["CITYWATCH_DETECTOR_MODEL"] ?? "../shared/models/yolox_nano.onnx"

    @Option(help: ArgumentHelp("The ffmpeg that decodes --real clips.", valueName: "path"))
    var ffmpeg = "/usr/bin/ffmpeg"

    @Flag(help: "Print the whole report, every clip's expected and detected events included, as JSON.")
    var json = false

    @Flag(help: "Print every frame of --real clips to standard error: tracks, detector looks, events.")
    var trace = false

    @Flag(help: "Also list, per clip and rule, the events expected and found.")
    var verbose = false

    func validate() throws {
        guard tolerance >= 0, tolerance.isFinite else { throw ValidationError("--tolerance must be 0 or more seconds") }
        guard AnalysisPixelFormat(rawValue: pixelFormat) != nil else { throw ValidationError("--pixel-format must be yuv420p or gray") }
        if let scene, EvaluationSet.clips(named: scene).isEmpty {
            throw ValidationError("no synthetic clip is called \(scene) (kinds: \(EvaluationSet.kinds.joined(separator: ", ")))")
        }
    }

    /// The model of the detector-led profile, or nil for motion only.
    var detectorModel: String? { detector == "none" ? nil : detector }

    func run() async throws {
        let format = AnalysisPixelFormat(rawValue: pixelFormat) ?? .yuv420p
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
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            return
        }
        if verbose {
            for clip in report.clips {
                for rule in clip.rules {
                    let expected = rule.expected.map { String(format: "%.1f", $0.time) }.joined(separator: " ")
                    let detected = rule.detected.map { String(format: "%.1f", $0.time) }.joined(separator: " ")
                    print("\(clip.clip) · \(rule.rule): expected [\(expected)] detected [\(detected)]")
                }
            }
            print("")
        }
        if real != nil || verbose {
            print(report.ruleTable)
            print("")
        }
        print(report.table)
    }
}
