import CityWatchAnalytics
import CityWatchDomain
import CityWatchMedia
import Foundation
import Synchronization

/// The analyzers of every camera, each behind its own lock: every camera's analysis task works
/// on its own analyzer while the others work on theirs (one lock over all of them made the
/// cameras take turns, whatever the cores), and the detector thread and the API reach one
/// camera's analyzer without waiting for another's frame. The map of cameras has a lock of its
/// own, held only to find, add or remove a camera.
final class AnalyticsWorker: Sendable {
    /// What one frame produced that must be stored or shown.
    struct Output: Sendable {
        /// The frame, for event snapshots.
        var frame: FrameTap.Frame?
        /// The camera's real picture size (the frame is always scaled to 16:9): the snapshot's shape.
        var pictureSize: (width: Int, height: Int)?
        var analysis: FrameAnalysis
        /// When the frame was taken.
        var at: Date
        /// The camera's privacy masks: blacked out in event snapshots, whoever looks at them.
        var privacyMasks: [ImagePolygon] = []

        /// True when there is anything to write.
        var isWorthWriting: Bool {
            !analysis.events.isEmpty || !analysis.merges.isEmpty || analysis.tamper != nil || analysis.grid != nil
                || !analysis.finishedTracks.isEmpty
        }
    }

    private struct Camera {
        var analyzer: CameraAnalyzer
        /// The detector's latest look, not yet given to the analyzer.
        var look: DetectorLook?
    }

    /// One camera's analyzer and its lock.
    private final class Slot: Sendable {
        let camera: Mutex<Camera>

        init(_ camera: Camera) {
            self.camera = Mutex(camera)
        }
    }

    /// True when cameras with enabled rules run the detector-led profile (a detector is loaded).
    let detectorLed: Bool

    init(detectorLed: Bool = false) {
        self.detectorLed = detectorLed
    }

    /// The profile for `settings` (see ``CameraAnalyticsSettings/isDetectorLed(detectorLoaded:)``).
    private func schedule(for settings: CameraAnalyticsSettings) -> DetectionSchedule? {
        settings.isDetectorLed(detectorLoaded: detectorLed) ? DetectionSchedule() : nil
    }

    private let slots = Mutex<[UUID: Slot]>([:])
    private let stored = Mutex(0)

    /// Cameras with an analyzer now.
    var cameras: Set<UUID> { slots.withLock { Set($0.keys) } }

    var eventsStored: Int { stored.withLock { $0 } }

    func addStored(_ count: Int) {
        stored.withLock { $0 += count }
    }

    private func slot(_ camera: UUID) -> Slot? {
        slots.withLock { $0[camera] }
    }

    /// Analyses `frame` of `camera`: what came of it worth writing (nothing, mostly). A camera
    /// whose analytics are off loses its analyzer; a change of frame size starts a new one; an
    /// analyzer that goes leaves what it still held (open tracks, the second in progress).
    func analyse(camera: UUID, frame: FrameTap.Frame, settings: CameraAnalyticsSettings, weekday: Int, minute: Int) -> [Output] {
        guard settings.enabled else {
            return end(camera, at: frame.capturedAt).map { [$0] } ?? []
        }
        let slot = slots.withLock { slots -> Slot in
            if let slot = slots[camera] { return slot }
            let slot = Slot(Camera(analyzer: CameraAnalyzer(width: frame.width, height: frame.height, settings: settings,
                                                            detection: schedule(for: settings))))
            slots[camera] = slot
            return slot
        }
        return slot.camera.withLock { camera -> [Output] in
            var outputs: [Output] = []
            if camera.analyzer.width != frame.width || camera.analyzer.height != frame.height {
                outputs += Self.finish(&camera.analyzer, at: frame.capturedAt).map { [$0] } ?? []
                camera = Camera(analyzer: CameraAnalyzer(width: frame.width, height: frame.height, settings: settings,
                                                         detection: schedule(for: settings)))
            } else if camera.analyzer.settings != settings {
                camera.analyzer.update(settings: settings)
                camera.analyzer.useDetection(schedule(for: settings))
            }
            let look = camera.look
            camera.look = nil
            let analysis = camera.analyzer.process(yuv: frame.pixels, time: frame.capturedAt.timeIntervalSince1970,
                                                   weekday: weekday, minute: minute, look: look)
            let output = Output(frame: analysis.events.isEmpty ? nil : frame, analysis: analysis, at: frame.capturedAt,
                                privacyMasks: settings.privacyMasks)
            if output.isWorthWriting { outputs.append(output) }
            return outputs
        }
    }

    /// Removes the analyzer of `camera`, returning what it still held, if anything.
    private func end(_ camera: UUID, at time: Date) -> Output? {
        guard let ending = slots.withLock({ $0.removeValue(forKey: camera) }) else { return nil }
        return ending.camera.withLock { Self.finish(&$0.analyzer, at: time) }
    }

    /// What `analyzer` still holds at the end of its stream, if worth writing.
    private static func finish(_ analyzer: inout CameraAnalyzer, at time: Date) -> Output? {
        let output = Output(frame: nil, analysis: analyzer.finishStream(), at: time)
        return output.isWorthWriting ? output : nil
    }

    /// Where the detector should look in `camera`'s frame of `time` (the one just analysed), if
    /// the camera is detector-led and a look is due.
    func detectionRegion(camera: UUID, time: Double) -> PixelBox? {
        slot(camera)?.camera.withLock { $0.analyzer.detectionRegion(time: time) }
    }

    /// Keeps the detector's `look` for `camera`'s next frame (a newer look replaces an older one).
    func deliver(_ look: DetectorLook, camera: UUID) {
        slot(camera)?.camera.withLock { camera in
            if let held = camera.look, held.time > look.time { return }
            camera.look = look
        }
    }

    /// True when `camera` runs the detector-led profile.
    func isDetectorLed(camera: UUID) -> Bool {
        slot(camera)?.camera.withLock { $0.analyzer.isDetectorLed } ?? false
    }

    /// Confirmed tracks of `camera` seen in its last frame that still need a class.
    func tracksAwaitingClass(camera: UUID) -> [TrackedObject] {
        var result: [TrackedObject] = []
        slot(camera)?.camera.withLock { $0.analyzer.tracker.tracksAwaitingClass(into: &result) }
        return result
    }

    /// Gives a track of `camera` the class the detector found.
    func classify(camera: UUID, trackID: Int, as objectClass: ObjectClass, confidence: Double) {
        slot(camera)?.camera.withLock { $0.analyzer.classify(trackID: trackID, as: objectClass, confidence: confidence) }
    }

    /// Drops the analyzers of cameras no longer recorded; returns what they still held.
    func forget(except keep: Set<UUID>, at time: Date) -> [(UUID, Output)] {
        let gone = slots.withLock { slots in slots.keys.filter { !keep.contains($0) } }
        return gone.compactMap { id in end(id, at: time).map { (id, $0) } }
    }

    /// What every analyzer still holds (open tracks, the second in progress), at shutdown.
    func finishAll(at time: Date) -> [(UUID, Output)] {
        forget(except: [], at: time)
    }
}
