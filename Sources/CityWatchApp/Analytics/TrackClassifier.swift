import CityWatchAnalytics
import CityWatchDetection
import CityWatchDomain
import Foundation
import Synchronization

/// Names what moving objects are, off the analysis loop: a thread of its own runs the
/// person/vehicle detector on the region around each track that asks for a class, and hands
/// the answers back. Only tracks ask (so only where and when there is motion), at most once per
/// track at a time, and the queue is short: when the detector is busy, a request waits for a
/// later frame instead of piling up.
final class TrackClassifier: Sendable {
    /// A track to classify, with the frame it was seen in.
    struct Request: Sendable {
        var camera: UUID
        var trackID: Int
        var box: PixelBox
        var luma: [UInt8]
        var width: Int
        var height: Int
    }

    /// What the detector said of a track (`unknown` with confidence 0: it saw nothing there).
    struct Answer: Sendable, Equatable {
        var camera: UUID
        var trackID: Int
        var objectClass: ObjectClass
        var confidence: Double
    }

    private struct State {
        var queue: [Request] = []
        var pending: Set<String> = []
        var answers: [Answer] = []
        var stopped = false
        var inferences = 0
    }

    /// Requests that may wait at once.
    static let queueLimit = 4

    private let detector: ObjectDetector
    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)

    init(detector: ObjectDetector) {
        self.detector = detector
        Thread.detachNewThread { [self] in self.loop() }
    }

    /// Detector runs so far.
    var inferences: Int { state.withLock { $0.inferences } }

    /// Queues `request` unless the same track is already waiting or the queue is full.
    @discardableResult
    func offer(_ request: Request) -> Bool {
        let key = "\(request.camera)/\(request.trackID)"
        let queued = state.withLock { state -> Bool in
            guard !state.stopped, state.queue.count < Self.queueLimit, !state.pending.contains(key) else { return false }
            state.queue.append(request)
            state.pending.insert(key)
            return true
        }
        if queued { wake.signal() }
        return queued
    }

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
                state.stopped || state.queue.isEmpty ? nil : state.queue.removeFirst()
            }) else {
                if state.withLock({ $0.stopped }) { return }
                continue
            }
            let answer = classify(request)
            state.withLock { state in
                state.pending.remove("\(request.camera)/\(request.trackID)")
                state.answers.append(answer)
                state.inferences += 1
            }
        }
    }

    private func classify(_ request: Request) -> Answer {
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

}
