import CityWatchAnalytics
import CityWatchDetection
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import FluentKit
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Analyses every camera the recording service decodes analysis frames for: one
/// ``CameraAnalyzer`` per camera, fed the newest frame of its tap, with everything it finds
/// written to the store and pushed to the consoles.
///
/// Frames are taken, never waited for: a camera whose analysis falls behind loses frames
/// (counted by its tap), and recording is never held up.
public final class AnalyticsService: Service, Sendable {
    let database: @Sendable () -> any Database
    let recording: RecordingService
    let snapshotFolder: String
    let clock: @Sendable () -> Date
    let logger: Logger
    let timeZone: TimeZone
    /// Events go to consoles through this.
    public let hub: AnalyticsEventHub
    let worker: AnalyticsWorker
    let classifier: TrackClassifier?
    /// Why there is no detector (no model configured, or one that cannot be loaded), if so.
    let detectorProblem: String?
    private let settingsVersion = Mutex(0)
    /// Every camera's settings as last read from the store.
    private let settings = Mutex<[UUID: CameraAnalyticsSettings]>([:])
    /// Outputs queued for the writer and not written yet.
    private let writesWaiting = Mutex(0)

    /// Outputs of the analysis waiting for the store (a slow store shows here, not as late analysis).
    public var writeQueueLength: Int { writesWaiting.withLock { $0 } }

    /// How a camera is analysed here, for its health: `detectorLed`, `motionOnly` or `off`, and
    /// why a camera that should be detector-led runs on motion alone.
    public struct AnalysisHealth: Codable, Sendable, Equatable {
        public var profile: String
        public var reason: String?
    }

    /// The analysis health of a camera with `settings`.
    public func analysisHealth(settings: CameraAnalyticsSettings) -> AnalysisHealth {
        guard settings.enabled else { return AnalysisHealth(profile: "off") }
        if settings.isDetectorLed(detectorLoaded: classifier != nil) { return AnalysisHealth(profile: "detectorLed") }
        let wanted = settings.isDetectorLed(detectorLoaded: true)
        return AnalysisHealth(profile: "motionOnly",
                              reason: wanted ? "no person/vehicle detector: \(detectorProblem ?? "none loaded"); rules count every moving object" : nil)
    }

    /// `detector`, when given, runs the detector-led profile on cameras with enabled rules (tracks
    /// built from its findings, rules acting on named objects) and names the class of moving
    /// objects on the others; without it analytics run on motion alone and every object is
    /// `unknown`, and cameras that would be detector-led say so in their health with
    /// `detectorProblem`.
    public init(database: @escaping @Sendable () -> any Database, recording: RecordingService, dataDirectory: String,
                detector: ObjectDetector? = nil, detectorProblem: String? = nil,
                hub: AnalyticsEventHub = AnalyticsEventHub(), timeZone: TimeZone = TimeZone(identifier: "Asia/Seoul") ?? .current,
                clock: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "citywatch.analytics")) {
        self.database = database
        self.recording = recording
        self.snapshotFolder = (dataDirectory as NSString).appendingPathComponent("snapshots")
        self.hub = hub
        self.timeZone = timeZone
        self.clock = clock
        self.logger = logger
        self.worker = AnalyticsWorker(detectorLed: detector != nil)
        self.classifier = detector.map(TrackClassifier.init)
        self.detectorProblem = detectorProblem
    }

    /// How often the settings are read again even without an edit in this process.
    static let settingsRefresh = Duration.seconds(60)

    /// True when camera `id` is being analysed now.
    public func isAnalysing(_ id: UUID) -> Bool { worker.cameras.contains(id) }

    /// True when a person/vehicle detector is loaded: cameras with rules run detector-led.
    public var hasDetector: Bool { classifier != nil }

    /// Detector runs so far (0 without a detector).
    public var detectorRuns: Int { classifier?.inferences ?? 0 }

    /// What the detector has done since start; nil without a detector.
    public var detectorStatistics: DetectorStatistics? { classifier?.statistics }

    /// Events stored so far (tests wait on this).
    public var eventsStored: Int { worker.eventsStored }

    /// Asks the loop to read every camera's settings again (after an edit).
    public func reloadSettings() async {
        settingsVersion.withLock { $0 += 1 }
    }

    public func run() async throws {
        let writer = AnalyticsWriter(database: database, snapshotFolder: snapshotFolder, hub: hub, logger: logger)
        await cancelWhenGracefulShutdown { await self.analyse(writer: writer) }
        classifier?.stop()
        for (camera, output) in worker.finishAll(at: clock()) {
            await writer.write(output, camera: camera)
        }
        await writer.flushMotion()
        hub.finishAll()
    }

    /// What the analysis writes, in the order it was found; one writer task drains it, so a slow
    /// store never holds up a camera's analysis.
    typealias WriteQueue = AsyncStream<(UUID, AnalyticsWorker.Output)>

    /// The supervisor: reads the settings, keeps one analysis task per recorded camera (started
    /// when the camera is recorded, ended when it no longer is), and hands the detector's answers
    /// to the analyzers. Everything found goes through one write queue to `writer`.
    private func analyse(writer: AnalyticsWriter) async {
        let (queue, enqueue) = WriteQueue.makeStream()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await (camera, output) in queue {
                    await writer.write(output, camera: camera)
                    self.worker.addStored(await writer.takeStoredCount())
                    self.writesWaiting.withLock { $0 -= 1 }
                }
            }
            var tasks: [UUID: Task<Void, Never>] = [:]
            var loadedVersion = -1
            var loadedAt = ContinuousClock.now
            while !Task.isCancelled {
                let version = settingsVersion.withLock { $0 }
                // Edits made here are taken at once; those made on another node of a cluster within a minute.
                if version != loadedVersion || ContinuousClock.now - loadedAt > Self.settingsRefresh {
                    do {
                        let loaded = try await AnalyticsRepository(database: database()).allSettings()
                        settings.withLock { $0 = loaded }
                        loadedVersion = version
                        loadedAt = ContinuousClock.now
                    } catch {
                        logger.error("cannot read analytics settings", metadata: ["error": .string("\(error)")])
                    }
                }
                let cameras = recording.recordingCameras
                for camera in cameras where tasks[camera] == nil {
                    tasks[camera] = Task { await self.analyseCamera(camera, enqueue: enqueue) }
                }
                for (camera, task) in tasks where !cameras.contains(camera) {
                    task.cancel()
                    await task.value
                    tasks[camera] = nil
                }
                for answer in classifier?.takeAnswers() ?? [] {
                    if let look = answer.look {
                        worker.deliver(look, camera: answer.camera)
                    } else {
                        worker.classify(camera: answer.camera, trackID: answer.trackID, as: answer.objectClass, confidence: answer.confidence)
                    }
                }
                for (camera, output) in worker.forget(except: cameras, at: clock()) { send(output, camera: camera, to: enqueue) }
                try? await Task.sleep(for: .milliseconds(100))
            }
            for task in tasks.values { task.cancel() }
            for task in tasks.values { await task.value }
            enqueue.finish()
            await group.waitForAll()
        }
    }

    /// One camera's analysis task: its newest frame through its analyzer every 100 ms (frames
    /// that came in between are dropped, and counted by the tap), the detector asked where the
    /// analyzer's schedule says, what is found queued for writing.
    private func analyseCamera(_ camera: UUID, enqueue: WriteQueue.Continuation) async {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        while !Task.isCancelled {
            if let pipeline = recording.pipeline(for: camera), let frame = pipeline.frames.take() {
                let components = calendar.dateComponents([.weekday, .hour, .minute], from: frame.capturedAt)
                // Calendar weekdays run 1 = Sunday … 7 = Saturday; rules use ISO 1 = Monday … 7 = Sunday.
                let weekday = ((components.weekday ?? 1) + 5) % 7 + 1
                let minute = (components.hour ?? 0) * 60 + (components.minute ?? 0)
                let current = settings.withLock { $0[camera] } ?? CameraAnalyticsSettings()
                for var result in worker.analyse(camera: camera, frame: frame, settings: current, weekday: weekday, minute: minute) {
                    if result.frame != nil { result.pictureSize = pipeline.live.pictureSize }
                    send(result, camera: camera, to: enqueue)
                }
                offerToDetector(camera: camera, frame: frame)
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Asks the shared detector about `camera`'s frame: a look where a detector-led camera's
    /// schedule asks, in colour; on a motion-only camera, a class for each new track.
    private func offerToDetector(camera: UUID, frame: FrameTap.Frame) {
        guard let classifier else { return }
        if worker.isDetectorLed(camera: camera) {
            if let region = worker.detectionRegion(camera: camera, time: frame.capturedAt.timeIntervalSince1970) {
                classifier.offer(.look(camera: camera, region: region, yuv: frame.pixels, width: frame.width, height: frame.height,
                                       time: frame.capturedAt.timeIntervalSince1970))
            }
            return
        }
        let waiting = worker.tracksAwaitingClass(camera: camera).filter { !classifier.isWaiting(camera: camera, trackID: $0.id) }
        // The luma is copied only when some track asks for a class (most frames none does).
        let luma = waiting.isEmpty ? [] : Array(frame.pixels.prefix(frame.width * frame.height))
        for track in waiting {
            classifier.offer(.init(camera: camera, trackID: track.id, box: track.box, luma: luma, width: frame.width, height: frame.height))
        }
    }

    /// Queues `output` for the writer.
    private func send(_ output: AnalyticsWorker.Output, camera: UUID, to enqueue: WriteQueue.Continuation) {
        writesWaiting.withLock { $0 += 1 }
        enqueue.yield((camera, output))
    }
}
