import CityWatchAnalytics
import CityWatchDomain
import CityWatchMedia
import Foundation
import Synchronization

/// The analyzers of every camera, behind one lock: the analysis loop is their only user, the
/// lock only lets the API ask which cameras are analysed.
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

    /// True when cameras with enabled rules run the detector-led profile (a detector is loaded).
    let detectorLed: Bool

    init(detectorLed: Bool = false) {
        self.detectorLed = detectorLed
    }

    /// The profile for `settings` (see ``CameraAnalyticsSettings/isDetectorLed(detectorLoaded:)``).
    private func schedule(for settings: CameraAnalyticsSettings) -> DetectionSchedule? {
        settings.isDetectorLed(detectorLoaded: detectorLed) ? DetectionSchedule() : nil
    }

    private let state = Mutex<[UUID: Camera]>([:])
    private let stored = Mutex(0)

    /// Cameras with an analyzer now.
    var cameras: Set<UUID> { state.withLock { Set($0.keys) } }

    var eventsStored: Int { stored.withLock { $0 } }

    func addStored(_ count: Int) {
        stored.withLock { $0 += count }
    }

    /// Analyses `frame` of `camera`: what came of it worth writing (nothing, mostly). A camera
    /// whose analytics are off loses its analyzer; a change of frame size starts a new one; an
    /// analyzer that goes leaves what it still held (open tracks, the second in progress).
    func analyse(camera: UUID, frame: FrameTap.Frame, settings: CameraAnalyticsSettings, weekday: Int, minute: Int) -> [Output] {
        state.withLock { cameras -> [Output] in
            guard settings.enabled else {
                return Self.end(&cameras, camera, at: frame.capturedAt).map { [$0] } ?? []
            }
            var outputs: [Output] = []
            if let existing = cameras[camera], existing.analyzer.width != frame.width || existing.analyzer.height != frame.height {
                outputs += Self.end(&cameras, camera, at: frame.capturedAt).map { [$0] } ?? []
            }
            if cameras[camera] == nil {
                cameras[camera] = Camera(analyzer: CameraAnalyzer(width: frame.width, height: frame.height, settings: settings,
                                                                  detection: schedule(for: settings)))
            } else if cameras[camera]!.analyzer.settings != settings {
                cameras[camera]!.analyzer.update(settings: settings)
                cameras[camera]!.analyzer.useDetection(schedule(for: settings))
            }
            let look = cameras[camera]!.look
            cameras[camera]!.look = nil
            let analysis = cameras[camera]!.analyzer.process(yuv: frame.pixels, time: frame.capturedAt.timeIntervalSince1970,
                                                               weekday: weekday, minute: minute, look: look)
            let output = Output(frame: analysis.events.isEmpty ? nil : frame, analysis: analysis, at: frame.capturedAt,
                                privacyMasks: settings.privacyMasks)
            if output.isWorthWriting { outputs.append(output) }
            return outputs
        }
    }

    /// Removes the analyzer of `camera`, returning what it still held, if anything.
    private static func end(_ cameras: inout [UUID: Camera], _ camera: UUID, at time: Date) -> Output? {
        guard var ending = cameras.removeValue(forKey: camera) else { return nil }
        let output = Output(frame: nil, analysis: ending.analyzer.finishStream(), at: time)
        return output.isWorthWriting ? output : nil
    }

    /// Where the detector should look in `camera`'s frame of `time` (the one just analysed), if
    /// the camera is detector-led and a look is due.
    func detectionRegion(camera: UUID, time: Double) -> PixelBox? {
        state.withLock { $0[camera]?.analyzer.detectionRegion(time: time) }
    }

    /// Keeps the detector's `look` for `camera`'s next frame (a newer look replaces an older one).
    func deliver(_ look: DetectorLook, camera: UUID) {
        state.withLock { cameras in
            guard cameras[camera] != nil else { return }
            if let held = cameras[camera]!.look, held.time > look.time { return }
            cameras[camera]!.look = look
        }
    }

    /// True when `camera` runs the detector-led profile.
    func isDetectorLed(camera: UUID) -> Bool {
        state.withLock { $0[camera]?.analyzer.isDetectorLed ?? false }
    }

    /// Confirmed tracks of `camera` seen in its last frame that still need a class.
    func tracksAwaitingClass(camera: UUID) -> [TrackedObject] {
        state.withLock { cameras in
            var result: [TrackedObject] = []
            cameras[camera]?.analyzer.tracker.tracksAwaitingClass(into: &result)
            return result
        }
    }

    /// Gives a track of `camera` the class the detector found.
    func classify(camera: UUID, trackID: Int, as objectClass: ObjectClass, confidence: Double) {
        state.withLock { cameras in
            cameras[camera]?.analyzer.classify(trackID: trackID, as: objectClass, confidence: confidence)
        }
    }

    /// Drops the analyzers of cameras no longer recorded; returns what they still held.
    func forget(except keep: Set<UUID>, at time: Date) -> [(UUID, Output)] {
        state.withLock { cameras in
            cameras.keys.filter { !keep.contains($0) }.compactMap { id in Self.end(&cameras, id, at: time).map { (id, $0) } }
        }
    }

    /// What every analyzer still holds (open tracks, the second in progress), at shutdown.
    func finishAll(at time: Date) -> [(UUID, Output)] {
        forget(except: [], at: time)
    }
}
