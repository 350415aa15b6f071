import ArgumentParser
import CityWatchAnalytics
import CityWatchDetection
import CityWatchDomain
import CityWatchEvaluation
import Foundation

/// `citywatch-bench profiles`: what the detector-led profile costs and gives, against the
/// motion-only profile and against running the detector on every frame, on labelled real clips.
struct BenchProfilesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles",
        abstract: "CPU per camera and F1 of the motion-only, detector-led and every-frame-detection profiles on labelled real clips.",
        discussion: """
        Each clip is decoded once by ffmpeg at its labels' analysis size and rate (yuv420p, as production), then \
        analysed three times on one thread: motion only; detector-led (the detector where the camera's schedule \
        asks: about once a second around motion, every 4 s over a still picture); and the detector on the whole \
        of every frame (the baseline the detector-led profile must beat ≥ 5×). Reported per clip and profile: \
        detector runs per second of video, CPU milliseconds per second of video (analysis + detector, one \
        thread), cameras one core carries at that rate, and the rules' TP/FP/FN and F1 against the labels \
        (time only, ±--tolerance s). Pass --clip and --labels once per clip, in the same order.
        """)

    @Option(help: "A real clip (repeat; pairs with --labels in order).") var clip: [String] = [
        "../shared/data/vtest.avi", "../shared/data/real/cars/car-detection.mp4",
    ]
    @Option(help: "Its labels (repeat).") var labels: [String] = [
        "data/vtest.labels.json", "../shared/data/real/labels/cars-midline.labels.json",
    ]
    @Option(help: "Detector model.") var model = "../shared/models/yolox_nano.onnx"
    @Option(help: "Seconds a detection may be off the labelled time.") var tolerance = 2.0
    @Option(help: "The ffmpeg that decodes the clips.") var ffmpeg = "/usr/bin/ffmpeg"

    func validate() throws {
        guard clip.count == labels.count, !clip.isEmpty else { throw ValidationError("give as many --labels as --clip (\(clip.count) clips, \(labels.count) label files)") }
        guard FileManager.default.fileExists(atPath: model) else { throw ValidationError("no detector model at \(model) (--model)") }
    }

    /// One way of analysing a camera.
    enum Profile: String, CaseIterable {
        case motionOnly = "motion-only"
        case detectorLed = "detector-led"
        case everyFrame = "every frame"

        var schedule: DetectionSchedule? {
            switch self {
            case .motionOnly: nil
            case .detectorLed: DetectionSchedule()
            case .everyFrame: DetectionSchedule(activeSeconds: 0, idleSeconds: 0, newObjectSeconds: 0, wholeFrameSeconds: 0)
            }
        }
    }

    func run() async throws {
        let detector = try ObjectDetector(modelPath: model, threads: 1)
        print("profiles: one thread; CPU = analyzer + detector time per second of video")
        print("clip                      profile        runs/s   CPU ms/s   cameras/core   TP  FP  FN     F1")
        for (path, labelPath) in zip(clip, labels) {
            let labelled = try RealClipLabels.load(from: labelPath)
            var frames: [[UInt8]] = []
            for try await frame in VideoFrameReader(ffmpeg: ffmpeg).frames(of: path, width: labelled.analysisWidth, height: labelled.analysisHeight,
                                                                           fps: labelled.analysisFPS, format: .yuv420p) {
                frames.append(frame)
            }
            let videoSeconds = Double(frames.count) / Double(labelled.analysisFPS)
            let expected = labelled.rules.map { $0.events.map { EventScore.Occurrence(time: $0.time) } }
            for profile in Profile.allCases {
                var session = AnalysisSession(width: labelled.analysisWidth, height: labelled.analysisHeight,
                                              rules: labelled.rules.map(\.analyticsRule),
                                              detector: profile.schedule == nil ? nil : detector,
                                              schedule: profile.schedule ?? DetectionSchedule())
                for (index, frame) in frames.enumerated() { session.add(frame, time: Double(index) / Double(labelled.analysisFPS)) }
                let outcome = session.outcome(clip: labelled.clip, expected: expected, tolerance: tolerance, minimumOverlap: 0)
                let score = outcome.rules.map(\.score).reduce(EventScore(), +)
                let cpu = (session.analysisSeconds + session.detectorSeconds) / videoSeconds
                let name = (path as NSString).lastPathComponent.padding(toLength: 24, withPad: " ", startingAt: 0)
                print(String(format: "%@  %@ %7.2f %10.1f %14.1f %4d %3d %3d  %.3f", name,
                             profile.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0),
                             Double(session.detectorRuns) / videoSeconds, cpu * 1000, 1 / max(cpu, 1e-9),
                             score.truePositives, score.falsePositives, score.falseNegatives, score.f1))
            }
        }
    }
}
