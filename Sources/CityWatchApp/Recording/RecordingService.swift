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
/// On a node of a cluster (`ownership` given) only the cameras it holds a lease on, and every
/// write for one carries the lease's epoch: a write refused as stale stops that camera's
/// pipeline at once and its file is reported as unadopted footage.
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
    /// The cameras this node holds, on a node of a cluster; nil: every camera is recorded here.
    public let ownership: CameraOwnership?
    /// Moves old footage to the archive tier, when there is one; started once the index is
    /// reconciled with the disks.
    public let mover: TierMover?
    private let running = Mutex<[UUID: Running]>([:])
    /// Writes refused because the camera's lease had moved on.
    private let fencedWrites = Mutex(0)
    /// Cameras taken on under a lease whose first segment has not been written: the time since
    /// the camera's last segment (another node's, or this one's before it stopped) is a gap.
    private let takenOn = Mutex<Set<UUID>>([])
    /// Starting and stopping pipelines (`synchronise`, `letGo`) one at a time: both await between
    /// deciding and doing, and a camera let go of must not be started again by a sync that
    /// read the cameras held just before.
    private let pipelineChanges = OneAtATime()
    /// Set by ``stopAll(reason:)``: the recorder is stopping and starts nothing more.
    private let stopping = Mutex(false)
    /// What the pipelines report, each with the lease its pipeline was started under (nil on a
    /// single node): a write is fenced by the lease of the pipeline that made it, however late
    /// it is written (a retry after the camera came back under a newer lease included).
    private let events: AsyncStream<LeasedEvent>
    private let eventSink: AsyncStream<LeasedEvent>.Continuation
    private let written = Mutex<Int>(0)
    /// Closed segments waiting for their row, and whether a camera's indexing has stalled.
    private let indexing: Mutex<IndexingWatch>
    /// Events whose write failed, tried again every ``retryInterval``.
    private let retries = Mutex<[FailedWrite]>([])
    /// Closed segments the lists missed and the folders gave (since start).
    private let foundInFolders = Mutex<Int>(0)
    /// How often failed writes are tried again and indexing is checked.
    static let retryInterval: Duration = .seconds(2)

    /// An event not yet in the store, and how often writing it failed.
    private typealias LeasedEvent = (event: PipelineEvent, lease: LeaseToken?)

    private struct FailedWrite {
        var event: PipelineEvent
        var lease: LeaseToken?
        var attempts: Int
    }

    public init(database: @escaping @Sendable () -> any Database, configuration: Configuration, tools: MediaTools = MediaTools(),
                sealer: CredentialSealer, ownership: CameraOwnership? = nil, mover: TierMover? = nil, clock: @escaping @Sendable () -> Date = { Date() },
                logger: Logger = Logger(label: "citywatch.recording")) {
        self.database = database
        self.ownership = ownership
        self.mover = mover
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
        self.indexing = Mutex(IndexingWatch(stallAfter: TimeInterval(configuration.indexStallSeconds)))
        (events, eventSink) = AsyncStream<LeasedEvent>.makeStream()
    }

    /// Analysis frames a second each camera's pipeline decodes (when analysis frames are on).
    public var analysisFramesPerCamera: Int { settings.frames.fps }

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

    /// Writes the store refused because the camera's lease had moved to another node.
    public var fencedWriteCount: Int { fencedWrites.withLock { $0 } }

    /// Events written to the store so far (tests wait on this instead of sleeping).
    public var eventsWritten: Int { written.withLock { $0 } }

    /// How indexing stands: cameras stalled, segments waiting, segments found in folders.
    public struct IndexingSummary: Sendable, Equatable {
        public var stalledCameras: Int
        public var waitingSegments: Int
        public var foundInFolders: Int
    }

    /// How indexing stands over every camera (for `/metrics`).
    public var indexingSummary: IndexingSummary {
        let (stalled, waiting) = indexing.withLock { ($0.stalledCameras, $0.waitingSegments) }
        return IndexingSummary(stalledCameras: stalled, waitingSegments: waiting, foundInFolders: foundInFolders.withLock { $0 })
    }

    /// How indexing stands for one camera (for its health).
    public func indexingStatus(of camera: UUID) -> IndexingWatch.Status {
        indexing.withLock { $0.status(of: camera) }
    }

    public func run() async throws {
        await endOrphanedRecorders()
        removeLeftInputScripts()
        // On a node of a cluster, the index rows of this node's name are its own only once it
        // has joined: a second process started under a name in use must not reconcile (and mark
        // missing) the running node's footage against its own empty folder.
        if let ownership, !ownership.hasJoined {
            logger.notice("waiting to join the cluster before reconciling the index with the disk", metadata: ["node": .string(ownership.node)])
            guard await ownership.waitUntilJoined() else {
                eventSink.finish()
                return
            }
        }
        let report = try await reconcile()
        if report.changedAnything {
            logger.notice("segment index reconciled with disk", metadata: [
                "adopted": .stringConvertible(report.adopted.count), "removed": .stringConvertible(report.removed.count),
                "missing": .stringConvertible(report.missing.count), "copiesRemoved": .stringConvertible(report.removedCopies.count),
            ])
        }
        if !report.unindexedInArchive.isEmpty {
            logger.warning("files in the archive that no segment is indexed at were left alone", metadata: [
                "count": .stringConvertible(report.unindexedInArchive.count), "first": .string(report.unindexedInArchive[0])])
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await self.writeEvents()
                await self.retryFailedWrites()
            }
            // From here on what the pipelines report is stored: a cluster node may claim cameras.
            self.ownership?.markRecorderReady()
            if let mover = self.mover {
                group.addTask { await cancelWhenGracefulShutdown { await mover.run() } }
            }
            group.addTask {
                await cancelWhenGracefulShutdown {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: Self.retryInterval)
                        await self.retryFailedWrites()
                        await self.carryOut(self.indexing.withLock { $0.check(now: self.clock()) })
                    }
                }
            }
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

    /// Ends the recorders a killed server left running (see ``RecorderPIDFile``), before the
    /// index is reconciled with folders they might still be writing into.
    func endOrphanedRecorders() async {
        let runFolder = (configuration.dataDirectory as NSString).appendingPathComponent("run")
        let cameras = ((try? FileManager.default.contentsOfDirectory(atPath: runFolder)) ?? []).filter { UUID(uuidString: $0) != nil }
        await withTaskGroup(of: Void.self) { group in
            for camera in cameras {
                let pidFile = RecorderPIDFile(runtimeFolder: (runFolder as NSString).appendingPathComponent(camera),
                                              segmentFolder: (configuration.recordingsDirectory as NSString).appendingPathComponent(camera))
                group.addTask {
                    if let pid = await pidFile.endOrphan() {
                        self.logger.warning("ended a recorder an earlier server left running",
                                            metadata: ["camera": .string(camera), "pid": .stringConvertible(pid)])
                    }
                }
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
        let report = try await SegmentReconciler.reconcileTiers(database: database(), configuration: configuration, tools: tools,
                                                                node: ownership?.node, logger: logger)
        if report.changedAnything {
            try await AuditLog(database: database(), clock: clock).append(AuditEvent(
                actor: "system", action: "recording.reconcile",
                details: ["adopted": .int(Int64(report.adopted.count)), "removed": .int(Int64(report.removed.count)),
                          "missing": .int(Int64(report.missing.count)), "copiesRemoved": .int(Int64(report.removedCopies.count))]))
        }
        return report
    }

    /// Starts pipelines for cameras that should record and stops the others.
    public func synchronise() async throws {
        try await pipelineChanges.run { try await synchroniseNow() }
    }

    private func synchroniseNow() async throws {
        // Once stopping, nothing starts again (a cluster node's round may still ask).
        guard !stopping.withLock({ $0 }) else { return }
        var wanted = Dictionary(try await RecordingRepository(database: database()).recordableStreams(sealer: sealer)
            .map { ($0.cameraID, $0.stream) }, uniquingKeysWith: { a, _ in a })
        let held = ownership?.tokens
        if let held { wanted = wanted.filter { held[$0.key] != nil } }
        let current = running.withLock { $0 }
        for (camera, entry) in current where wanted[camera] != entry.stream {
            let reason = held != nil && held?[camera] == nil ? "camera held by another node" :
                wanted[camera] == nil ? "camera disabled or stream removed" : "stream changed"
            await stopPipeline(camera, reason: reason)
        }
        let starting = wanted.filter { camera, _ in running.withLock { $0[camera] == nil } }
        // Several at a time: a node that takes over a dead node's cameras starts tens of them,
        // and each waits on the store and on process creation.
        try await withThrowingTaskGroup(of: Void.self) { group in
            var pending = starting.makeIterator()
            for _ in 0..<Self.parallelStarts {
                guard let (camera, stream) = pending.next() else { break }
                group.addTask { try await self.startPipeline(camera, stream: stream) }
            }
            while try await group.next() != nil {
                guard let (camera, stream) = pending.next() else { continue }
                group.addTask { try await self.startPipeline(camera, stream: stream) }
            }
        }
    }

    /// How many pipelines ``synchronise()`` starts at once.
    static let parallelStarts = 8

    private func startPipeline(_ camera: UUID, stream: CameraStream) async throws {
        // Under the lease it is held by now (nil on a single node).
        let lease = ownership?.token(for: camera)
        if ownership != nil, lease == nil { return }
        let pipeline = CameraPipeline(
            cameraID: camera, stream: stream,
            segmentFolder: (configuration.recordingsDirectory as NSString).appendingPathComponent(camera.uuidString),
            runtimeFolder: ((configuration.dataDirectory as NSString).appendingPathComponent("run") as NSString).appendingPathComponent(camera.uuidString),
            tools: tools, settings: settings, clock: clock, logger: logger) { [eventSink, weak self] event in
                if case .segmentClosed(let segment) = event, let self {
                    let now = self.clock()
                    self.indexing.withLock { $0.closed(camera: segment.cameraID, path: segment.path, at: now) }
                }
                eventSink.yield((event, lease))
            }
        var known = try await RecordingRepository(database: database()).segmentPaths(camera: camera, node: ownership?.node)
        // Files this node wrote while another held the camera stay unadopted: the pipeline
        // must not find them in the folder and index them under the new lease.
        if let node = ownership?.node { known += try await ClusterStore(database: database()).unadoptedPaths(camera: camera, node: node) }
        await pipeline.markIndexed(known.map { ($0 as NSString).lastPathComponent })
        if ownership != nil { takenOn.withLock { _ = $0.insert(camera) } }
        running.withLock { $0[camera] = Running(pipeline: pipeline, stream: stream) }
        await pipeline.start()
    }

    /// Stops camera `camera`'s pipeline, if it runs: ffmpeg finishes its segment, viewers are let go.
    private func stopPipeline(_ camera: UUID, reason: String) async {
        guard let entry = running.withLock({ $0.removeValue(forKey: camera) }) else { return }
        await entry.pipeline.stop(reason: reason)
        entry.pipeline.live.finishAll()
        await entry.masked?.stop()
    }

    /// Stops the pipelines of `cameras` now (their lease is being handed over or was lost), and
    /// waits until the segment each was writing has been offered to the store (not when the
    /// lease was lost: another node holds the camera, and the store refuses those rows anyway).
    public func letGo(_ cameras: some Collection<UUID> & Sendable, reason: String, waitForIndexing: Bool = true) async {
        await pipelineChanges.run {
            await withTaskGroup(of: Void.self) { group in
                for camera in cameras { group.addTask { await self.stopPipeline(camera, reason: reason) } }
            }
        }
        guard waitForIndexing else { return }
        // The last segments' rows go through the event queue; wait until it is empty of them.
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline, indexing.withLock({ state in cameras.contains { state.status(of: $0).waiting > 0 } }) {
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Stops every pipeline (each finishes and indexes its last segment).
    public func stopAll(reason: String) async {
        // After any start in progress, and for good: no later `synchronise` starts one again.
        let all = await pipelineChanges.run {
            stopping.withLock { $0 = true }
            return running.withLock { state in
                defer { state = [:] }
                return Array(state.values)
            }
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

    /// Stores the pipelines' events, ``writerLanes`` writers side by side (a node of a hundred
    /// cameras closes tens of segments a second, more than one writer keeps up with on a busy
    /// machine); each camera's events all go to one writer, in the order they came.
    private func writeEvents() async {
        let lanes = (0..<Self.writerLanes).map { _ in AsyncStream<LeasedEvent>.makeStream() }
        await withDiscardingTaskGroup { group in
            for lane in lanes {
                group.addTask {
                    for await (event, lease) in lane.stream { await self.write(event, lease: lease, attempts: 0) }
                }
            }
            for await item in events {
                lanes[Int(item.event.cameraID.uuid.15) % lanes.count].continuation.yield(item)
            }
            for lane in lanes { lane.continuation.finish() }
        }
    }

    /// How many writers store events at once.
    static let writerLanes = 4

    /// Writes `event`; a failed write is kept and tried again, so a store that refuses for a
    /// while (locked, restarting) loses no segment's row. Returns false when it failed and was
    /// queued again (`requeue`) or is to be (not `requeue`).
    @discardableResult
    private func write(_ event: PipelineEvent, lease: LeaseToken?, attempts: Int, requeue: Bool = true) async -> Bool {
        // Counted once it has been tried (tests wait on the count, then read the store).
        defer { if attempts == 0 { written.withLock { $0 += 1 } } }
        do {
            try await store(event, lease: lease)
            if case .segmentClosed(let segment) = event {
                await carryOut(indexing.withLock { $0.indexed(camera: segment.cameraID, path: segment.path, now: clock()) })
            }
        } catch let refusal as FencedWrite {
            await fenced(refusal, event: event)
        } catch {
            let problem = String(describing: error)
            if case .segmentClosed(let segment) = event {
                indexing.withLock { $0.failed(camera: segment.cameraID, path: segment.path, problem: problem) }
            }
            // Segments are kept until their row is written; health and gaps are given up after a while.
            if case .segmentClosed = event {} else if attempts >= 30 {
                logger.error("a camera event was not stored and is given up", metadata: ["error": .string(problem)])
                return true
            }
            if attempts == 0 {
                logger.error("cannot record a camera event; will try again", metadata: ["error": .string(problem)])
            }
            if requeue { retries.withLock { $0.append(FailedWrite(event: event, lease: lease, attempts: attempts + 1)) } }
            return false
        }
        return true
    }

    private func retryFailedWrites() async {
        let due = retries.withLock { queue in
            defer { queue = [] }
            return queue
        }
        // Each tried once a round, except when three in a row fail (the store is down): then the
        // rest wait untried, and go first next round. A long outage costs a few attempts a round,
        // not one per segment recorded meanwhile, and one write that keeps failing holds up none.
        var again: [FailedWrite] = []
        var failuresInARow = 0
        for (index, failed) in due.enumerated() {
            if await write(failed.event, lease: failed.lease, attempts: failed.attempts, requeue: false) {
                failuresInARow = 0
                continue
            }
            again.append(FailedWrite(event: failed.event, lease: failed.lease, attempts: failed.attempts + 1))
            failuresInARow += 1
            if failuresInARow >= 3 {
                let untried = due[(index + 1)...]
                retries.withLock { $0.insert(contentsOf: Array(untried) + again, at: 0) }
                return
            }
        }
        retries.withLock { $0.insert(contentsOf: again, at: 0) }
    }

    /// Carries out what the indexing watch decided: the log, the camera's health, its history.
    private func carryOut(_ actions: [IndexingWatch.Action]) async {
        for action in actions {
            switch action {
            case let .stalled(camera, since, waiting, problem):
                logger.error("recording indexing stalled: closed segments are not reaching the index", metadata: [
                    "camera": .string(camera.uuidString), "waiting": .stringConvertible(waiting),
                    "since": .string(since.formatted(.iso8601)), "problem": .string(problem ?? "none reported"),
                ])
                let reason = "\(waiting) closed segment(s) not indexed" + (problem.map { ": " + String($0.prefix(300)) } ?? "")
                await noteHealth(camera, to: Self.indexingStalled, at: since, reason: reason)
            case let .recovered(camera, at, since):
                logger.notice("recording indexing caught up", metadata: [
                    "camera": .string(camera.uuidString), "stalled for": .string("\(Int(at.timeIntervalSince(since))) s"),
                ])
                let current = await pipeline(for: camera)?.health ?? .offline
                await noteHealth(camera, to: current.rawValue, at: at, reason: "indexing caught up")
            }
        }
    }

    /// Seconds between the last holder's footage and a new holder's first segment that count as a gap.
    static let handOverGapSeconds = 1.5

    /// The health value a camera has while its segments do not reach the index.
    public static let indexingStalled = "indexingStalled"

    /// Stores a health change for `camera` when the store takes it (it may be why indexing stalled).
    private func noteHealth(_ camera: UUID, to: String, at: Date, reason: String) async {
        let from = to == Self.indexingStalled ? (await pipeline(for: camera)?.health.rawValue ?? "unknown") : Self.indexingStalled
        try? await RecordingRepository(database: database()).recordHealth(camera: camera, from: from, to: to, at: at, reason: reason)
    }

    private func store(_ event: PipelineEvent, lease: LeaseToken?) async throws {
        let repository = RecordingRepository(database: database())
        switch event {
        case .segmentClosed(let segment):
            let recorded = RecordedSegment(cameraID: segment.cameraID, path: segment.path, start: segment.start, end: segment.end, bytes: segment.bytes)
            let now = clock(), node = ownership?.node
            let first = takenOn.withLock { $0.contains(segment.cameraID) }
            try await withLease(lease, of: segment.cameraID, repository) { repository in
                // Footage stopped where the last holder's ended (its segment in flight when it died is not in the index).
                if first, let end = try await repository.lastSegmentEnd(camera: recorded.cameraID, before: recorded.start.addingTimeInterval(0.5)),
                   recorded.start.timeIntervalSince(end) > Self.handOverGapSeconds {
                    try await repository.recordGap(camera: recorded.cameraID, from: end, to: recorded.start)
                }
                try await repository.addSegment(recorded, now: now, node: node)
            }
            if first { takenOn.withLock { _ = $0.remove(segment.cameraID) } }
        case let .health(camera, from, to, at, reason):
            try await withLease(lease, of: camera, repository) { try await $0.recordHealth(camera: camera, from: from.rawValue, to: to.rawValue, at: at, reason: reason) }
        case let .gap(camera, from, to):
            try await withLease(lease, of: camera, repository) { try await $0.recordGap(camera: camera, from: from, to: to) }
        case let .unusableSegment(camera, path, reason):
            logger.warning("segment not indexed", metadata: ["camera": .string(camera.uuidString), "path": .string(path), "reason": .string(reason)])
        case let .segmentsFoundInFolder(_, paths):
            foundInFolders.withLock { $0 += paths.count }
        }
    }

    /// Runs `write` under `lease`, the lease of the pipeline whose event it stores (a node of a
    /// cluster), or as it is (a single node).
    private func withLease(_ lease: LeaseToken?, of camera: UUID, _ repository: RecordingRepository,
                           _ write: @escaping @Sendable (RecordingRepository) async throws -> Void) async throws {
        guard let ownership else { return try await write(repository) }
        guard let lease else {
            throw FencedWrite(camera: camera, token: LeaseToken(node: ownership.node, epoch: 0), holder: nil, holderEpoch: nil)
        }
        try await repository.fenced(lease, camera: camera, write)
    }

    /// A write refused as stale: the camera's pipeline stops now (if it still runs under the old
    /// lease), and a segment's file is kept and reported as unadopted footage.
    private func fenced(_ refusal: FencedWrite, event: PipelineEvent) async {
        fencedWrites.withLock { $0 += 1 }
        logger.error("write refused: this node no longer holds the camera", metadata: [
            "camera": .string(refusal.camera.uuidString), "lease": .string(refusal.token.description),
            "holder": .string(refusal.holder ?? "none"),
        ])
        // The pipeline running now stops if it is the one under the refused lease (a late
        // segment of an earlier holding refused while the camera is held again stops nothing).
        let current = ownership?.token(for: refusal.camera)
        if current == nil || current == refusal.token {
            ownership?.remove([refusal.camera])
            await stopPipeline(refusal.camera, reason: "camera held by another node")
        }
        guard case .segmentClosed(let segment) = event else { return }
        // Not waiting for the index any more: it is reported instead.
        await carryOut(indexing.withLock { $0.indexed(camera: segment.cameraID, path: segment.path, now: clock()) })
        do {
            try await ClusterStore(database: database()).recordUnadopted(.init(
                camera: segment.cameraID, node: ownership?.node ?? "", path: segment.path, start: segment.start, end: segment.end,
                bytes: segment.bytes, reason: "written after the lease moved to \(refusal.holder.map { $0.isEmpty ? "nobody" : $0 } ?? "nobody") (this node held \(refusal.token))",
                foundAt: clock()))
        } catch {
            logger.error("unadopted footage could not be reported", metadata: ["path": .string(segment.path), "error": .string("\(error)")])
        }
    }
}
