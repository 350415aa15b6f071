import CityWatchAnalytics
import CityWatchDetection
import CityWatchDomain
import Foundation
import Synchronization

/// The shared person/vehicle detector, off the analysis loop: a thread of its own runs it and
/// hands the answers back. Two kinds of request: a detector-led camera's *look* (the region its
/// ``DetectionSchedule`` asks for, answered with everything found there), and a motion-only
/// camera's *track* asking for a class (the region around it, answered with the class of the
/// detection overlapping it; at most once per track at a time). Each camera has a short line of
/// its own and the detector serves the cameras in turn (``ClassifierQueue``): a request too old
/// to matter is dropped, and no camera's requests can crowd out another's.
final class TrackClassifier: Sendable {
    /// A track to classify or a region to look at, with the frame it was seen in.
    struct Request: Sendable {
        var camera: UUID
        /// The track to name; ``lookID`` for a look.
        var trackID: Int
        /// The track's box, or the region to look at.
        var box: PixelBox
        /// Luma for a track; the whole yuv420p frame for a look (looked at in colour).
        var luma: [UInt8]
        var width: Int
        var height: Int
        /// When it was offered.
        var offered = Date()
        /// The analysis clock of the frame, for a look.
        var time = 0.0

        /// A detector-led camera's look at `region` of a yuv420p frame taken at `time`.
        static func look(camera: UUID, region: PixelBox, yuv: [UInt8], width: Int, height: Int, time: Double) -> Request {
            Request(camera: camera, trackID: lookID, box: region, luma: yuv, width: width, height: height, time: time)
        }

        var isLook: Bool { trackID == lookID }
    }

    /// The `trackID` of a look (tracks are numbered from 1).
    static let lookID = -1

    /// What the detector said of a track (`unknown` with confidence 0: it saw nothing there),
    /// or, for a look, everything it found.
    struct Answer: Sendable, Equatable {
        var camera: UUID
        var trackID: Int
        var objectClass: ObjectClass
        var confidence: Double
        var look: DetectorLook?
    }

    typealias Statistics = DetectorStatistics

    private struct State {
        var queue = ClassifierQueue<Request>()
        var pending: Set<String> = []
        var answers: [Answer] = []
        var stopped = false
        var statistics = Statistics()
    }

    private let detector: ObjectDetector
    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)

    init(detector: ObjectDetector) {
        self.detector = detector
        Thread.detachNewThread { [self] in self.loop() }
    }

    /// Detector runs so far.
    var inferences: Int { state.withLock { $0.statistics.runs } }

    /// What the detector has done, and how many requests wait now.
    var statistics: Statistics {
        state.withLock { state in
            var statistics = state.statistics
            statistics.waiting = state.queue.count
            return statistics
        }
    }

    /// Queues `request` unless the same track is already waiting (its camera's oldest request
    /// makes way when the camera's line is full).
    @discardableResult
    func offer(_ request: Request) -> Bool {
        let key = Self.key(request)
        let queued = state.withLock { state -> Bool in
            guard !state.stopped, !state.pending.contains(key) else { return false }
            if let pushedOut = state.queue.add(request, camera: request.camera, key: key, at: request.offered.timeIntervalSince1970) {
                state.pending.remove(Self.key(pushedOut))
                state.statistics.dropped += 1
            }
            state.pending.insert(key)
            return true
        }
        if queued { wake.signal() }
        return queued
    }

    /// True when track `trackID` of `camera` already waits for the detector.
    func isWaiting(camera: UUID, trackID: Int) -> Bool {
        state.withLock { $0.pending.contains("\(camera)/\(trackID)") }
    }

    private static func key(_ request: Request) -> String { "\(request.camera)/\(request.trackID)" }

    /// The answers found since the last call.
    func takeAnswers() -> [Answer] {
        state.withLock { state in
            defer { state.answers.removeAll() }
            return state.answers
        }
    }

    /// Ends the thread after the request it is working on.
    func stop() {
        state.withLock { $0.stopped = true }
        wake.signal()
    }

    private func loop() {
        while true {
            wake.wait()
            guard let request = state.withLock({ state -> Request? in
                guard !state.stopped else { return nil }
                let (next, dropped) = state.queue.next(at: Date().timeIntervalSince1970)
                for stale in dropped { state.pending.remove(Self.key(stale)) }
                state.statistics.dropped += dropped.count
                return next
            }) else {
                if state.withLock({ $0.stopped }) { return }
                continue
            }
            let answer = classify(request)
            let latency = Date().timeIntervalSince(request.offered)
            state.withLock { state in
                state.pending.remove(Self.key(request))
                state.answers.append(answer)
                state.statistics.runs += 1
                state.statistics.latencySeconds += latency
                if let look = answer.look, !look.objects.isEmpty {
                    for object in look.objects { state.statistics.answered[object.objectClass, default: 0] += 1 }
                } else {
                    state.statistics.answered[answer.objectClass, default: 0] += 1
                }
            }
        }
    }

    private func classify(_ request: Request) -> Answer {
        if request.isLook { return look(request) }
        let box = request.box
        // Look at the object with its surroundings: the detector needs some context.
        let margin = max(box.width, box.height) / 2 + 8
        let region = PixelBox(x: box.x - margin, y: box.y - margin, width: box.width + 2 * margin, height: box.height + 2 * margin)
            .clipped(toWidth: request.width, height: request.height) ?? box
        let detections = (try? detector.detect(pixels: request.luma, width: request.width, height: request.height, channels: 1,
                                               region: region, minimumScore: 0.3)) ?? []
        var best: (Detection, Double)?
        for detection in detections {
            let overlap = detection.box.intersectionOverUnion(box)
            if overlap >= 0.3, overlap * Double(detection.score) > (best.map { $0.1 * Double($0.0.score) } ?? 0) { best = (detection, overlap) }
        }
        guard let (detection, _) = best else { return Answer(camera: request.camera, trackID: request.trackID, objectClass: .unknown, confidence: 0) }
        return Answer(camera: request.camera, trackID: request.trackID, objectClass: detection.objectClass, confidence: Double(detection.score))
    }

    /// A look: everything found in the region, in colour when the frame has it.
    private func look(_ request: Request) -> Answer {
        let look = detector.look(yuv: request.luma, width: request.width, height: request.height, region: request.box, time: request.time)
        let best = look.objects.max { $0.confidence < $1.confidence }
        return Answer(camera: request.camera, trackID: request.trackID, objectClass: best?.objectClass ?? .unknown,
                      confidence: best?.confidence ?? 0, look: look)
    }

}

/// What the detector has done since start, for `/metrics`.
public struct DetectorStatistics: Sendable, Equatable {
    /// Detector runs.
    public var runs = 0
    /// Requests waiting now.
    public var waiting = 0
    /// Requests dropped unanswered: too old, or pushed out by a newer one of their camera.
    public var dropped = 0
    /// Seconds from request to answer, summed over the runs.
    public var latencySeconds = 0.0
    /// Answers by class (`unknown`: the detector saw nothing there); a look counts each object found.
    public var answered: [ObjectClass: Int] = [:]
}
