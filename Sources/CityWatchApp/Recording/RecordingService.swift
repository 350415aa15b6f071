import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import FluentKit
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Records every enabled camera that has a stream: one ``CameraPipeline`` each, started and
/// stopped as cameras and streams change, with everything they report written to the store.
///
/// Run it in the process's `ServiceGroup`; on graceful shutdown every ffmpeg finishes its
/// segment and the index is brought up to date before `run()` returns.
public final class RecordingService: Service, Sendable {
    private struct Running {
        var pipeline: CameraPipeline
        var stream: CameraStream
        /// The masked live relay for viewers who may not see behind the privacy masks.
        var masked: MaskedLiveRelay?
    }

    let database: @Sendable () -> any Database
    let configuration: Configuration
    let tools: MediaTools
    let sealer: CredentialSealer
    let settings: CameraPipeline.Settings
    let clock: @Sendable () -> Date
    let logger: Logger
    private let running = Mutex<[UUID: Running]>([:])
    private let events: AsyncStream<PipelineEvent>
    private let eventSink: AsyncStream<PipelineEvent>.Continuation
    private let written = Mutex<Int>(0)

    public init(database: @escaping @Sendable () -> any Database, configuration: Configuration, tools: MediaTools = MediaTools(),
                sealer: CredentialSealer, clock: @escaping @Sendable () -> Date = { Date() },
                logger: Logger = Logger(label: "citywatch.recording")) {
        self.database = database
        self.configuration = configuration
        self.tools = tools
        self.sealer = sealer
        self.clock = clock
        self.logger = logger
        self.settings = CameraPipeline.Settings(
            segmentSeconds: configuration.segmentSeconds,
            timing: .init(stallTimeout: TimeInterval(configuration.stallSeconds)),
            timeoutSeconds: max(5, configuration.stallSeconds),
            analysisFrames: configuration.analysisFrames)
        (events, eventSink) = AsyncStream<PipelineEvent>.makeStream()
    }

    /// The pipeline of a camera being recorded (for live video and analysis frames).
    public func pipeline(for camera: UUID) -> CameraPipeline? {
        running.withLock { $0[camera]?.pipeline }
    }

    /// The camera's live video with `filter` (``PrivacyMaskFilter``) drawn in, shared by every
    /// viewer who needs it; nil when the camera is not recorded here. A relay for an older
    /// filter (the masks were edited) is stopped and replaced.
    public func maskedLive(for camera: UUID, filter: String) async -> MaskedLiveRelay? {
        let (relay, replaced): (MaskedLiveRelay?, MaskedLiveRelay?) = running.withLock { state in
            guard var entry = state[camera] else { return (nil, nil) }
            if let existing = entry.masked, existing.filter == filter { return (existing, nil) }
            let old = entry.masked
            let folder = ((configuration.dataDirectory as NSString).appendingPathComponent("run") as NSString)
                .appendingPathComponent(camera.uuidString + "-masked")
            entry.masked = MaskedLiveRelay(source: entry.pipeline.live, filter: filter, folder: folder, tools: tools, logger: logger)
            state[camera] = entry
            return (entry.masked, old)
        }
        await replaced?.stop()  // before anyone subscribes to the new one, which uses the same FIFOs
        return relay
    }

    /// Cameras being recorded now.
    public var recordingCameras: Set<UUID> { running.withLock { Set($0.keys) } }

    /// Events written to the store so far (tests wait on this instead of sleeping).
    public var eventsWritten: Int { written.withLock { $0 } }

    public func run() async throws {
        removeLeftInputScripts()
        let report = try await reconcile()
        if report.changedAnything {
            logger.notice("segment index reconciled with disk", metadata: [
                "adopted": .stringConvertible(report.adopted.count), "removed": .stringConvertible(report.removed.count),
                "missing": .stringConvertible(report.missing.count),
            ])
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.writeEvents() }
            group.addTask {
                await cancelWhenGracefulShutdown {
                    while !Task.isCancelled {
                        do { try await self.synchronise() } catch {
                            self.logger.error("cannot read the cameras to record", metadata: ["error": .string("\(error)")])
                        }
                        try? await Task.sleep(for: .seconds(3))
                    }
                }
                await self.stopAll(reason: "CityWatch is stopping")
                self.eventSink.finish()
            }
        }
    }

    /// Removes the input scripts (camera passwords in clear, see `RecordingCommand`) a process
    /// killed outright left in the runtime folders: a camera no longer recorded would keep its
    /// script for good.
    func removeLeftInputScripts() {
        let run = (configuration.dataDirectory as NSString).appendingPathComponent("run")
        for camera in (try? FileManager.default.contentsOfDirectory(atPath: run)) ?? [] {
            let folder = (run as NSString).appendingPathComponent(camera)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasSuffix(".ffconcat") {
                try? FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(name))
            }
        }
    }

    /// Reconciles the index with the disk for every camera that has a stream.
    public func reconcile() async throws -> SegmentReconciler.Report {
        let cameras = try await RecordingRepository(database: database()).camerasWithStreams()
        let report = try await SegmentReconciler(database: database(), recordingsDirectory: configuration.recordingsDirectory, tools: tools)
            .reconcile(cameras: cameras)
        if report.changedAnything {
            try await AuditLog(database: database(), clock: clock).append(AuditEvent(
                actor: "system", action: "recording.reconcile",
                details: ["adopted": .int(Int64(report.adopted.count)), "removed": .int(Int64(report.removed.count)),
                          "missing": .int(Int64(report.missing.count))]))
        }
        return report
    }

    /// Starts pipelines for cameras that should record and stops the others.
    public func synchronise() async throws {
        let wanted = Dictionary(try await RecordingRepository(database: database()).recordableStreams(sealer: sealer)
            .map { ($0.cameraID, $0.stream) }, uniquingKeysWith: { a, _ in a })
        let current = running.withLock { $0 }
        for (camera, entry) in current where wanted[camera] != entry.stream {
            let removed = running.withLock { $0.removeValue(forKey: camera) }
            await entry.pipeline.stop(reason: wanted[camera] == nil ? "camera disabled or stream removed" : "stream changed")
            entry.pipeline.live.finishAll()
            await removed?.masked?.stop()
        }
        for (camera, stream) in wanted where running.withLock({ $0[camera] == nil }) {
            let pipeline = CameraPipeline(
                cameraID: camera, stream: stream,
                segmentFolder: (configuration.recordingsDirectory as NSString).appendingPathComponent(camera.uuidString),
                runtimeFolder: ((configuration.dataDirectory as NSString).appendingPathComponent("run") as NSString).appendingPathComponent(camera.uuidString),
                tools: tools, settings: settings, clock: clock, logger: logger) { [eventSink] event in eventSink.yield(event) }
            let indexed = try await RecordingRepository(database: database()).allSegments(camera: camera)
            await pipeline.markIndexed(indexed.map { ($0.path as NSString).lastPathComponent })
            running.withLock { $0[camera] = Running(pipeline: pipeline, stream: stream) }
            await pipeline.start()
        }
    }

    /// Stops every pipeline (each finishes and indexes its last segment).
    public func stopAll(reason: String) async {
        let all = running.withLock { state in
            defer { state = [:] }
            return Array(state.values)
        }
        await withTaskGroup(of: Void.self) { group in
            for entry in all {
                group.addTask {
                    await entry.pipeline.stop(reason: reason)
                    entry.pipeline.live.finishAll()
                    await entry.masked?.stop()
                }
            }
        }
    }

    private func writeEvents() async {
        for await event in events {
            do {
                try await write(event)
            } catch {
                logger.error("cannot record a camera event", metadata: ["error": .string("\(error)")])
            }
            written.withLock { $0 += 1 }
        }
    }

    private func write(_ event: PipelineEvent) async throws {
        let repository = RecordingRepository(database: database())
        switch event {
        case .segmentClosed(let segment):
            try await repository.addSegment(RecordedSegment(cameraID: segment.cameraID, path: segment.path, start: segment.start,
                                                               end: segment.end, bytes: segment.bytes), now: clock())
        case let .health(camera, from, to, at, reason):
            try await repository.recordHealth(camera: camera, from: from.rawValue, to: to.rawValue, at: at, reason: reason)
        case let .gap(camera, from, to):
            try await repository.recordGap(camera: camera, from: from, to: to)
        case let .unusableSegment(camera, path, reason):
            logger.warning("segment not indexed", metadata: ["camera": .string(camera.uuidString), "path": .string(path), "reason": .string(reason)])
        }
    }
}
