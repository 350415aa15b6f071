import CityWatchAnalytics
import CityWatchDetection
import CityWatchDomain

/// One clip going through a ``CameraAnalyzer`` for the evaluation: frames in, the events of each
/// rule collected, the analyzer's own time summed.
public struct AnalysisSession: Sendable {
    /// The rules drawn on the clip, in the order outcomes are reported.
    public let rules: [AnalyticsRule]
    private var analyzer: CameraAnalyzer
    private var detected: [[EventScore.Occurrence]]
    /// Where each track was seen (not coasting), frame by frame: the paths of detections.
    private var seen: [Int: [EventScore.TimedBox]] = [:]
    /// Frames given so far.
    public private(set) var frames = 0
    /// Seconds spent inside ``CameraAnalyzer/process(yuv:time:weekday:minute:look:)``.
    public private(set) var analysisSeconds = 0.0
    /// The person/vehicle detector of the detector-led profile; nil for motion only.
    private let detector: ObjectDetector?
    /// Detector runs so far, and the seconds they took.
    public private(set) var detectorRuns = 0
    public private(set) var detectorSeconds = 0.0
    /// Called after every frame with its time, what the analyzer made of it and the detector's
    /// look, if one ran (`eval --trace`).
    public var observer: (@Sendable (_ time: Double, _ analysis: FrameAnalysis, _ look: DetectorLook?) -> Void)?

    /// A session for `width` × `height` frames with `rules` (cool-downs as given): the
    /// detector-led profile when `detector` is given (run where the analyzer's schedule asks,
    /// on the frame's luma), the motion-only profile otherwise.
    public init(width: Int, height: Int, rules: [AnalyticsRule], detector: ObjectDetector? = nil,
                schedule: DetectionSchedule = DetectionSchedule()) {
        self.rules = rules
        self.detector = detector
        analyzer = CameraAnalyzer(width: width, height: height, settings: CameraAnalyticsSettings(rules: rules),
                                  detection: detector == nil ? nil : schedule)
        detected = Array(repeating: [], count: rules.count)
    }

    /// Analyses one frame (gray or yuv420p) shown at `time` seconds from the clip's start.
    public mutating func add(_ pixels: [UInt8], time: Double) {
        let clock = ContinuousClock()
        let started = clock.now
        // A weekday noon: the evaluation's rules have no schedule, so any time arms them.
        var look: DetectorLook?
        if let detector, let region = analyzer.detectionRegion(time: time) {
            look = detector.look(yuv: pixels, width: analyzer.width, height: analyzer.height, region: region, time: time)
            detectorRuns += 1
            detectorSeconds += Self.seconds(clock.now - started)
        }
        let analysed = clock.now
        let result = analyzer.process(yuv: pixels, time: time, weekday: 3, minute: 12 * 60, look: look)
        analysisSeconds += Self.seconds(clock.now - analysed)
        observer?(time, result, look)
        frames += 1
        for track in result.tracks where track.isConfirmed && track.missedFrames == 0 {
            seen[track.id, default: []].append(EventScore.TimedBox(time: time, box: track.box))
        }
        for event in result.events {
            guard let index = rules.firstIndex(where: { $0.id == event.ruleID }) else { continue }
            // One box per event; crowding names many objects, so it is scored on time alone.
            let box = event.kind == "crowding" ? nil : event.boxes.first
            detected[index].append(EventScore.Occurrence(time: event.time, box: box, trackId: box == nil ? nil : event.trackIDs.first,
                                                         boxTime: event.time == time ? nil : time))
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    /// The events each rule raised so far, in rule order, each with its object's path over the
    /// clip so far.
    public var detections: [[EventScore.Occurrence]] {
        detected.map { events in
            events.map { event in
                var event = event
                if let id = event.trackId { event.path = seen[id] ?? [] }
                return event
            }
        }
    }

    /// Scores each rule's detections against `expected` (in rule order) and names the clip;
    /// `boxAt` as in ``EventScore/match(detected:expected:tolerance:minimumOverlap:boxAt:)``.
    public func outcome(clip: String, expected: [[EventScore.Occurrence]], tolerance: Double, minimumOverlap: Double,
                        boxAt: ((EventScore.Occurrence, Double) -> PixelBox?)? = nil) -> ClipEvaluation {
        let outcomes = rules.indices.map { index in
            let wanted = index < expected.count ? expected[index] : []
            let score = EventScore.match(detected: detected[index], expected: wanted, tolerance: tolerance, minimumOverlap: minimumOverlap,
                                         boxAt: boxAt)
            return ClipEvaluation.RuleOutcome(rule: rules[index].name, kind: rules[index].kind.name, expected: wanted,
                                              detected: detected[index], score: score)
        }
        return ClipEvaluation(clip: clip, frames: frames, analysisSeconds: analysisSeconds, rules: outcomes)
    }
}
