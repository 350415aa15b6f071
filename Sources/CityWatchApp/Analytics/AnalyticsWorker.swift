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
    }

    private let state = Mutex<[UUID: Camera]>([:])
    private let stored = Mutex(0)

    /// Cameras with an analyzer now.
    var cameras: Set<UUID> { state.withLock { Set($0.keys) } }

    var eventsStored: Int { stored.withLock { $0 } }

    func addStored(_ count: Int) {
        stored.withLock { $0 += count }
    }

    /// Analyses `frame` of `camera`; nil when nothing came of it worth writing. A camera whose
    /// analytics are off loses its analyzer; a change of frame size starts a new one.
    func analyse(camera: UUID, frame: FrameTap.Frame, settings: CameraAnalyticsSettings, weekday: Int, minute: Int) -> Output? {
        state.withLock { cameras -> Output? in
            guard settings.enabled else {
                cameras[camera] = nil
                return nil
            }
            if let existing = cameras[camera], existing.analyzer.width != frame.width || existing.analyzer.height != frame.height {
                cameras[camera] = nil
            }
            if cameras[camera] == nil {
                cameras[camera] = Camera(analyzer: CameraAnalyzer(width: frame.width, height: frame.height, settings: settings))
            } else if cameras[camera]!.analyzer.settings != settings {
                cameras[camera]!.analyzer.update(settings: settings)
            }
            let analysis = cameras[camera]!.analyzer.process(yuv: frame.pixels, time: frame.capturedAt.timeIntervalSince1970,
                                                               weekday: weekday, minute: minute)
            let output = Output(frame: analysis.events.isEmpty ? nil : frame, analysis: analysis, at: frame.capturedAt,
                                privacyMasks: settings.privacyMasks)
            return output.isWorthWriting ? output : nil
        }
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

    /// Drops the analyzers of cameras no longer recorded.
    func forget(except keep: Set<UUID>) {
        state.withLock { cameras in
            for id in cameras.keys where !keep.contains(id) { cameras[id] = nil }
        }
    }

    /// The summaries of every open track, at shutdown.
    func finishAll() -> [(UUID, [TrackSummaryBuilder.Summary])] {
        state.withLock { cameras in
            var result: [(UUID, [TrackSummaryBuilder.Summary])] = []
            for id in Array(cameras.keys) {
                let summaries = cameras[id]!.analyzer.finishAll()
                if !summaries.isEmpty { result.append((id, summaries)) }
            }
            return result
        }
    }
}
