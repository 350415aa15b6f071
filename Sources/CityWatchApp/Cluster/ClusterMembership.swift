import CityWatchDomain
import CityWatchStore
import FluentKit
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// This process as a node of a cluster on PostgreSQL: registered with a heartbeat, holding camera
/// leases (renewed in bulk, expiry judged by the database's clock), claiming its share and
/// handing cameras over, and telling the recorder which cameras are its own.
///
/// Each round (a third of the lease) it beats and renews every lease, and stops the pipelines
/// of cameras lost (another node holds them now); in a second loop of its own, so that starting
/// many pipelines never holds up a renewal, it claims free cameras up to this node's share
/// (``LeasePlan``) or lets go of some when a node joined. On SIGTERM it stops after the recorder
/// (services stop in reverse order: every segment is cut and indexed) and lets go of every
/// camera, so another node takes them over at once rather than after the lease.
///
/// A node claims only after the store has answered it for a whole lease: after a store outage
/// every holder renews its leases before anyone takes an expired one, and a node that just
/// started has seen the nodes that started with it.
public final class ClusterMembership: Service, Sendable {
    public struct Settings: Sendable {
        public var node: String
        public var address: String
        public var capacity: Int
        public var leaseSeconds: Double
        public var camerasMovedPerMinute: Int
        public var version: String
        /// Analysis frames a second this node may take (nil: no limit) and what one camera takes
        /// (0 when analysis frames are off): together they may hold the camera capacity down.
        public var analysisFPS: Int?
        public var framesPerCamera: Int

        public init(node: String, address: String, capacity: Int, leaseSeconds: Double, camerasMovedPerMinute: Int, version: String,
                    analysisFPS: Int? = nil, framesPerCamera: Int = 0) {
            self.node = node
            self.address = address
            self.capacity = capacity
            self.leaseSeconds = leaseSeconds
            self.camerasMovedPerMinute = camerasMovedPerMinute
            self.version = version
            self.analysisFPS = analysisFPS
            self.framesPerCamera = framesPerCamera
        }

        /// Cameras this node takes: its camera capacity, or fewer when analysing that many would
        /// need more frames a second than its analysis capacity.
        public var recordingCapacity: Int {
            guard let analysisFPS, framesPerCamera > 0 else { return capacity }
            return min(capacity, analysisFPS / framesPerCamera)
        }

        /// Why the node takes fewer cameras than its camera capacity, if it does.
        public var capacityLimit: String? {
            if capacity == 0 {
                return "capacity 0 (CITYWATCH_NODE_CAPACITY): this node records no camera; it serves the console and the API"
            }
            guard let analysisFPS, recordingCapacity < capacity else { return nil }
            let cameras = recordingCapacity == 1 ? "1 camera" : "\(recordingCapacity) cameras"
            return "analysis capacity \(analysisFPS) frames/s (CITYWATCH_NODE_ANALYSIS_FPS) at \(framesPerCamera) a camera: "
                + "\(cameras), not the \(capacity) of CITYWATCH_NODE_CAPACITY"
        }
    }

    /// How the node stands, for its health and the Nodes view.
    public enum State: String, Sendable, Codable {
        case starting, active, storeUnreachable, nameInUse, stopped
    }

    let database: @Sendable () -> any Database
    let settings: Settings
    let recording: RecordingService
    public let ownership: CameraOwnership
    let instance = UUID()
    let logger: Logger
    private let status = Mutex<(state: State, detail: String?)>((.starting, nil))
    private let counters = Mutex<Counters>(Counters())
    /// The leases this node held at the end of its last round (the recorder's ``CameraOwnership``
    /// may have dropped one since, on a refused write).
    private let held = Mutex<[UUID: LeaseToken]>([:])
    /// The database's clock minus this node's, from the last heartbeat.
    private let clockOffset = Mutex<TimeInterval>(0)
    /// Since when the store has answered every round (nil: it did not, or the node was frozen):
    /// cameras are claimed only once it has answered for a whole lease.
    private let answeredSince = Mutex<ContinuousClock.Instant?>(nil)
    /// Renewing, claiming and starting a hand-over one at a time, so what the store answered and
    /// what ``ownership`` says cannot cross (a renewal read before a claim committed).
    private let leases = OneAtATime()
    /// Cameras being handed over: renewed until the recorder has let go of them, not recorded.
    private let handingOver = Mutex<Set<UUID>>([])

    /// What the node has done since it started.
    public struct Counters: Sendable, Equatable {
        public var claimed = 0
        public var released = 0
        /// Cameras lost without letting go (another node took them after the lease ran out).
        public var lost = 0
    }

    public init(database: @escaping @Sendable () -> any Database, settings: Settings, recording: RecordingService,
                logger: Logger = Logger(label: "citywatch.cluster")) {
        precondition(recording.ownership != nil, "the recorder of a cluster node records the cameras it holds")
        self.database = database
        self.settings = settings
        self.recording = recording
        self.ownership = recording.ownership!
        self.logger = logger
    }

    public var state: (state: State, detail: String?) { status.withLock { $0 } }
    /// The recorder whose cameras this node holds.
    public var recordingService: RecordingService? { recording }
    public var counts: Counters { counters.withLock { $0 } }

    /// The cluster's time: this node's clock corrected by the database's (within a round trip).
    /// Node-to-node requests are signed with it, so a node whose clock is wrong is not refused.
    public func clusterTime() -> Date { Date().addingTimeInterval(clockOffset.withLock { $0 }) }

    /// This node's name and the lease length.
    public var node: String { settings.node }
    public var leaseSeconds: Double { settings.leaseSeconds }

    var round: Duration { .milliseconds(Int(settings.leaseSeconds * 1000 / 3)) }

    public func run() async throws {
        let store: @Sendable () -> ClusterStore = { ClusterStore(database: self.database()) }
        if let limit = settings.capacityLimit {
            logger.notice("this node takes fewer cameras than it could record", metadata: ["node": .string(settings.node), "why": .string(limit)])
        }
        await cancelWhenGracefulShutdown {
            guard await self.register(store: store) else { return }
            // Two loops: keeping the leases never waits for the recorder, however long starting
            // or stopping pipelines takes (tens of cameras taken over at once); sharing cameras
            // out does.
            await withDiscardingTaskGroup { group in
                group.addTask { await self.keepLeases(store: store) }
                group.addTask { await self.shareCameras(store: store) }
            }
        }
        await leave(store: store())
    }

    /// Every round: the heartbeat and the renewal of every lease, and the pipelines of cameras
    /// lost stopped (without waiting for them).
    private func keepLeases(store: @Sendable () -> ClusterStore) async {
        var last = ContinuousClock.now
        await withDiscardingTaskGroup { stops in
            while !Task.isCancelled {
                let now = ContinuousClock.now
                // Woken after a freeze (SIGSTOP, a stalled machine): like after a store outage,
                // the others' view of this node is stale, so it renews before it claims.
                if now - last > .seconds(settings.leaseSeconds) { answeredSince.withLock { $0 = nil } }
                last = now
                do {
                    let lost = try await renewRound(store: store())
                    answeredSince.withLock { if $0 == nil { $0 = now } }
                    if state.state == .storeUnreachable {
                        logger.notice("the store answers again", metadata: ["node": .string(settings.node)])
                        setState(.active, activeDetail)
                    }
                    if !lost.isEmpty {
                        stops.addTask { await self.recording.letGo(lost, reason: "camera held by another node", waitForIndexing: false) }
                    }
                } catch {
                    answeredSince.withLock { $0 = nil }
                    if state.state != .storeUnreachable {
                        logger.error("cannot reach the store: recording goes on, leases are renewed when it is back",
                                     metadata: ["error": .string(String(reflecting: error))])
                    }
                    setState(.storeUnreachable, String(reflecting: error))
                }
                try? await Task.sleep(for: round)
            }
        }
    }

    /// Every round, once the store has answered for a whole lease: claims this node's share of
    /// the free cameras (and starts them) or lets go of some for a node that joined.
    private func shareCameras(store: @Sendable () -> ClusterStore) async {
        var allowance = Double(settings.camerasMovedPerMinute) / 6  // the first ten seconds' worth
        var last = ContinuousClock.now
        // Sooner than a round when a lease is about to run out unrenewed (see below).
        var wake: Duration?
        // Registered as starting: the others hand this node cameras only from the round it can
        // claim them (a restarted node reconciles its disk first, for up to a minute with a
        // hundred cameras, and what they let go of meanwhile would lie unrecorded).
        var started = false
        while !Task.isCancelled {
            try? await Task.sleep(for: wake ?? round)
            wake = nil
            let now = ContinuousClock.now
            let perMinute = Double(settings.camerasMovedPerMinute)
            // At most ten seconds' worth saved up: after a quiet spell (a node frozen, then
            // back) cameras still move to it at the set rate, not a minute's worth at once.
            allowance = min(perMinute / 6, allowance + perMinute * (now - last).seconds / 60)
            last = now
            let since = answeredSince.withLock { $0 }
            guard let since, now - since >= .seconds(settings.leaseSeconds), state.state == .active, ownership.isRecorderReady else { continue }
            do {
                if !started {
                    try await store().setStarted(name: settings.node, instance: instance)
                    started = true
                }
                let (spent, expiring) = try await shareRound(store: store(), allowance: Int(allowance))
                allowance -= Double(spent)
                // A lease about to run out unrenewed (its holder died or froze): look again just
                // after it does rather than up to a round later.
                if let expiring { wake = .milliseconds(Int((max(0, expiring) + 0.05) * 1000)) }
            } catch {
                // The keeping loop reports the store's state; a plan cut short is made again next round.
                logger.debug("sharing cameras out stopped for this round", metadata: ["error": .string(String(reflecting: error))])
            }
        }
    }

    /// Registers this node, trying again each lease until the store takes it; false when the
    /// process stops first. A name in use is refused until its holder stops or falls silent.
    private func register(store: @Sendable () -> ClusterStore) async -> Bool {
        while !Task.isCancelled {
            do {
                try await store().register(name: settings.node, instance: instance, address: settings.address, capacity: settings.recordingCapacity,
                                           analysisFPS: settings.analysisFPS, version: settings.version, liveSeconds: settings.leaseSeconds,
                                           starting: true)
                setState(.active, activeDetail)
                ownership.markJoined()
                logger.notice("joined the cluster", metadata: ["node": .string(settings.node), "address": .string(settings.address),
                                                             "capacity": .stringConvertible(settings.recordingCapacity)])
                return true
            } catch let taken as NodeNameInUse {
                setState(.nameInUse, taken.description)
                logger.error("cannot join the cluster", metadata: ["error": .string(taken.description)])
            } catch {
                setState(.storeUnreachable, "\(error)")
                logger.error("cannot reach the store to join the cluster", metadata: ["error": .string("\(error)")])
            }
            try? await Task.sleep(for: .seconds(settings.leaseSeconds))
        }
        return false
    }

    /// The heartbeat and the renewal; returns the cameras lost since the last round (another
    /// node holds them now), already out of ``ownership``.
    func renewRound(store: ClusterStore) async throws -> Set<UUID> {
        let asked = Date()
        guard let beat = try await store.heartbeat(name: settings.node, instance: instance) else {
            // Another process took this node's name after it was silent too long: it holds nothing.
            setState(.nameInUse, "another process registered as node '\(settings.node)' while this one was silent")
            return await leases.run {
                let held = Set(ownership.tokens.keys)
                ownership.set([:])
                self.held.withLock { $0 = [:] }
                return held
            }
        }
        // The database's clock, as near as this node can tell (half the round trip either way).
        let answered = Date()
        clockOffset.withLock { $0 = beat.timeIntervalSince(asked) - answered.timeIntervalSince(asked) / 2 }
        return try await leases.run {
            // Cameras being handed over are renewed until they are let go of, but not recorded.
            let handing = handingOver.withLock { $0 }
            let renewed = try await store.renew(node: settings.node, seconds: settings.leaseSeconds).filter { !handing.contains($0.key) }
            // What this node held after its last round: a camera the recorder dropped meanwhile
            // because a write for it was refused as stale is lost all the same.
            let before = held.withLock { $0 }
            let lost = Set(before.filter { renewed[$0.key] != $0.value }.map(\.key))
            ownership.set(renewed)
            held.withLock { $0 = renewed }
            if !lost.isEmpty {
                counters.withLock { $0.lost += lost.count }
                logger.warning("cameras lost: another node holds them now", metadata: ["cameras": .stringConvertible(lost.count)])
            }
            return lost
        }
    }

    /// Claims or lets go of cameras by the plan; returns how much of the moving allowance it spent
    /// and, when another node's lease runs out before the next round (a healthy holder renews
    /// each round, so it never gets that low), in how many seconds the first does.
    func shareRound(store: ClusterStore, allowance: Int) async throws -> (spent: Int, expiring: Double?) {
        let nodes = try await store.nodes(liveSeconds: settings.leaseSeconds).filter(\.alive)
        let live = try await store.leases().filter(\.isLive)
        let leases = Dictionary(live.map { ($0.camera, $0.node) }, uniquingKeysWith: { a, _ in a })
        let expiring = live.filter { $0.node != settings.node && $0.secondsLeft < round.seconds }.map(\.secondsLeft).min()
        let cameras = try await store.recordableCameras().map { (camera: $0.camera, group: $0.group) }
        let planNodes = nodes.map { LeasePlan.Node(name: $0.name, capacity: $0.capacity, draining: $0.draining, holds: $0.cameras,
                                                   starting: $0.starting) }
        // The rate is the cluster's: each node over its share gives its part of it.
        let over = max(1, planNodes.filter { $0.holds > LeasePlan.share(of: $0, among: planNodes, total: cameras.count) }.count)
        let plan = LeasePlan.make(me: settings.node, nodes: planNodes, cameras: cameras, leases: leases, releaseAllowance: allowance / over)
        if !plan.release.isEmpty {
            try await handOver(plan.release, store: store, reason: "camera handed to another node")
        }
        if !plan.claim.isEmpty {
            let claimed = try await self.leases.run {
                let claimed = try await store.claim(plan.claim, node: settings.node, seconds: settings.leaseSeconds)
                ownership.add(claimed)
                held.withLock { $0.merge(claimed) { _, new in new } }
                return claimed
            }
            if !claimed.isEmpty {
                counters.withLock { $0.claimed += claimed.count }
                logger.notice("cameras claimed", metadata: ["cameras": .stringConvertible(claimed.count), "node": .string(settings.node)])
                try? await recording.synchronise()
            }
        }
        // Spent of the cluster's allowance: as if every node over its share let go of as many.
        return (plan.release.count * over, expiring)
    }

    /// Stops recording `cameras` (their segments cut and indexed), then lets go of their leases.
    /// Until then they are still renewed, so nobody takes them while the recorder lets go.
    func handOver(_ cameras: [UUID], store: ClusterStore, reason: String) async throws {
        await leases.run {
            handingOver.withLock { $0.formUnion(cameras) }
            ownership.remove(cameras)
            held.withLock { for camera in cameras { $0[camera] = nil } }
        }
        defer { handingOver.withLock { $0.subtract(cameras) } }
        await recording.letGo(cameras, reason: reason)
        try await store.release(cameras, node: settings.node)
        counters.withLock { $0.released += cameras.count }
        logger.notice("cameras handed over", metadata: ["cameras": .stringConvertible(cameras.count), "reason": .string(reason)])
    }

    /// At a clean stop (after the recorder stopped): every camera let go, the node marked stopped.
    private func leave(store: ClusterStore) async {
        let held = Array(ownership.tokens.keys)
        do {
            try await handOver(held, store: store, reason: "node stopping")
            try await store.markStopped(name: settings.node, instance: instance)
        } catch {
            logger.error("could not hand the cameras over at stop; they move when their leases run out", metadata: ["error": .string("\(error)")])
        }
        setState(.stopped, nil)
    }

    /// What an active node says of itself: why it takes fewer cameras than it could record
    /// (capacity 0 on purpose, or its analysis capacity).
    private var activeDetail: String? { settings.capacityLimit }

    private func setState(_ state: State, _ detail: String?) {
        status.withLock { $0 = (state, detail) }
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
