import AsyncHTTPClient
import CityWatchMedia
import CityWatchStore
import FluentKit
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization

/// This node's dealings with the other nodes of its cluster: live video of a camera another node
/// holds (relayed once per camera, fanned out here), recorded segments read from the node that
/// wrote them (for playback and export), and a probe of each peer that tells an unreachable
/// address or a different cluster secret apart from a healthy link.
///
/// Every request carries a signature made with the cluster secret (``ClusterSecret``); without
/// one this node neither asks nor answers, and says so.
public final class ClusterPeers: Service, Sendable {
    /// How this node's link to a peer stands (the Nodes view shows it).
    public enum Link: Sendable, Equatable {
        case ok
        /// The peer's address does not answer (wrong `CITYWATCH_NODE_ADDRESS`, a firewall, down).
        case unreachable(String)
        /// The peer answered but refused this node: most often a different cluster secret.
        case refused(String)
        /// This node has no cluster secret, so it cannot talk to its peers.
        case noSecret

        public var state: String {
            switch self {
            case .ok: "ok"
            case .unreachable: "unreachable"
            case .refused: "refused"
            case .noSecret: "noSecret"
            }
        }

        public var detail: String? {
            switch self {
            case .ok: nil
            case .unreachable(let why), .refused(let why): why
            case .noSecret: "this node has no CITYWATCH_CLUSTER_SECRET: it cannot relay live video or read recordings of other nodes"
            }
        }
    }

    /// Footage (or live video) that sits on another node which cannot give it now.
    public struct Unavailable: Error, CustomStringConvertible {
        public var node: String
        public var reason: String
        /// True when the node answered that it has no such file (deleted by retention), not
        /// that it is down.
        public var missing = false

        public var description: String {
            missing ? "the recording is no longer on node \(node): \(reason)" : "unavailable on node \(node): \(reason)"
        }
    }

    /// This node's name.
    public let node: String
    let secret: ClusterSecret?
    let database: @Sendable () -> any Database
    let clusterTime: @Sendable () -> Date
    let leaseSeconds: Double
    /// Segments read from other nodes, kept a while for players that ask in ranges.
    let cacheFolder: String
    /// Where relayed cameras' masked transcoders keep their FIFOs.
    let runFolder: String
    let tools: MediaTools
    let logger: Logger
    let client: HTTPClient
    private let links = Mutex<[String: Link]>([:])
    private let relays = Mutex<[UUID: RelayedCamera]>([:])
    private let fetches = Mutex<[UUID: Task<String, any Error>]>([:])
    private let refusalsLogged = Mutex<[String: Date]>([:])
    /// Seconds a relay keeps its connection to the holder after its last viewer left.
    let linger: Duration

    public init(node: String, secret: ClusterSecret?, database: @escaping @Sendable () -> any Database,
                clusterTime: @escaping @Sendable () -> Date, leaseSeconds: Double, dataDirectory: String,
                tools: MediaTools = MediaTools(), linger: Duration = .seconds(10), logger: Logger = Logger(label: "citywatch.peers")) {
        self.node = node
        self.secret = secret
        self.database = database
        self.clusterTime = clusterTime
        self.leaseSeconds = leaseSeconds
        cacheFolder = (dataDirectory as NSString).appendingPathComponent("peer-cache")
        runFolder = (dataDirectory as NSString).appendingPathComponent("run")
        self.tools = tools
        self.linger = linger
        self.logger = logger
        var configuration = HTTPClient.Configuration()
        // A peer that stops sending (frozen, cable cut) ends the relay within seconds; it is retried.
        configuration.timeout = .init(connect: .seconds(3), read: .seconds(10))
        configuration.redirectConfiguration = .disallow
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// The node that signed a request to this one, or why it is refused. Refusals of a signed
    /// request are logged (once a minute per node): a peer with another secret is a fault to fix.
    public func verify(_ header: String?, method: String, path: String) -> Result<String, ClusterSecret.Refusal> {
        guard let secret else { return .failure(.notConfigured) }
        let result = secret.verify(header, method: method, path: path, now: clusterTime())
        if case .failure(let refusal) = result {
            let key: String
            switch refusal {
            case .wrongSecret(let node), .outOfWindow(let node, _): key = node
            default: key = "?"
            }
            let now = Date()
            let due = refusalsLogged.withLock { logged in
                guard logged[key].map({ now.timeIntervalSince($0) >= 60 }) ?? true else { return false }
                logged[key] = now
                return true
            }
            if due { logger.error("node-to-node request refused", metadata: ["reason": .string(refusal.description)]) }
        }
        return result
    }

    /// This node's link to each peer it has probed.
    public var peerLinks: [String: Link] { links.withLock { $0 } }

    /// Cameras whose live video is relayed here from their holder now.
    public var relayCount: Int { relays.withLock { $0.count } }

    /// Probes the peers each lease until the process stops, then closes every relay.
    public func run() async throws {
        if secret == nil {
            logger.warning("no CITYWATCH_CLUSTER_SECRET: cameras held by other nodes cannot be watched, played back or exported from this one")
        }
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.probe()
                self.sweepCache()
                try? await Task.sleep(for: .milliseconds(Int(self.leaseSeconds * 1000)))
            }
        }
        let open = relays.withLock { state in defer { state = [:] }; return Array(state.values) }
        for relay in open { await relay.close() }
        try? await client.shutdown()
    }

    // MARK: Probing

    /// Asks every live peer who it is, with a signed request, and logs each change of link.
    func probe() async {
        guard let nodes = try? await ClusterStore(database: database()).nodes(liveSeconds: leaseSeconds) else { return }
        let peers = nodes.filter { $0.alive && $0.name != node }
        var seen: [String: Link] = [:]
        await withTaskGroup(of: (String, Link).self) { group in
            for peer in peers {
                group.addTask { (peer.name, await self.link(to: peer.address)) }
            }
            for await (name, link) in group { seen[name] = link }
        }
        let before = links.withLock { state in defer { state = seen }; return state }
        for (name, link) in seen where before[name] != link {
            if link == .ok {
                logger.notice("peer reachable", metadata: ["peer": .string(name)])
            } else {
                logger.error("peer link \(link.state)", metadata: ["peer": .string(name), "reason": .string(link.detail ?? "")])
            }
        }
    }

    private func link(to address: String) async -> Link {
        guard secret != nil else { return .noSecret }
        do {
            let response = try await client.execute(try signed("/api/cluster/peer/ping", to: address), timeout: .seconds(3))
            if response.status == .ok {
                _ = try? await response.body.collect(upTo: 4096)
                return .ok
            }
            return .refused("\(address) answered \(response.status.code): \(await Self.reason(of: response))")
        } catch {
            return .unreachable("\(address): \(Self.describe(error))")
        }
    }

    // MARK: Requests

    private func signed(_ path: String, to address: String) throws -> HTTPClientRequest {
        guard let secret else { throw Unavailable(node: "?", reason: Link.noSecret.detail!) }
        var request = HTTPClientRequest(url: (address.hasSuffix("/") ? String(address.dropLast()) : address) + path)
        request.method = .GET
        request.headers.add(name: ClusterSecret.header, value: secret.sign(method: "GET", path: path, node: node, at: clusterTime()))
        return request
    }

    static func reason(of response: HTTPClientResponse) async -> String {
        guard let body = try? await response.body.collect(upTo: 16_384) else { return "no reason given" }
        struct Refusal: Decodable { var reason: String }
        if let refusal = try? JSONDecoder().decode(Refusal.self, from: Data(body.readableBytesView)) { return refusal.reason }
        return String(buffer: body).prefix(200).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return "\(error)" }
        let text = String(describing: error)
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }

    // MARK: Recorded segments

    /// A path on this node to `segment`'s file: its own path when this node wrote it (or on a
    /// single node) or it is in the shared archive, else a copy read from the node that did.
    /// Throws ``Unavailable`` when that node is down or does not have it.
    public func localPath(of segment: SegmentModel) async throws -> String {
        guard !segment.isArchived, let owner = segment.node, !owner.isEmpty, owner != node else { return segment.path }
        let id = try segment.requireID()
        let cached = (cacheFolder as NSString).appendingPathComponent(id.uuidString + ".mp4")
        if FileManager.default.fileExists(atPath: cached) {
            try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: cached)
            return cached
        }
        // One read per segment, however many players ask at once.
        let task = fetches.withLock { state in
            if let running = state[id] { return running }
            let started = Task { try await self.fetch(segment: id, from: owner, to: cached) }
            state[id] = started
            return started
        }
        defer { fetches.withLock { _ = $0.removeValue(forKey: id) } }
        return try await task.value
    }

    private func fetch(segment id: UUID, from owner: String, to cached: String) async throws -> String {
        guard secret != nil else { throw Unavailable(node: owner, reason: Link.noSecret.detail!) }
        let nodes = try await ClusterStore(database: database()).nodes(liveSeconds: leaseSeconds)
        guard let peer = nodes.first(where: { $0.name == owner }) else {
            throw Unavailable(node: owner, reason: "no such node is registered")
        }
        guard peer.alive else {
            throw Unavailable(node: owner, reason: peer.stoppedAt != nil ? "the node is stopped" : "not heard from for \(Int(peer.silentSeconds)) s")
        }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(try signed("/api/cluster/peer/segments/\(id.uuidString)", to: peer.address), timeout: .seconds(10))
        } catch {
            throw Unavailable(node: owner, reason: "\(peer.address) does not answer: \(Self.describe(error))")
        }
        guard response.status == .ok else {
            let reason = await Self.reason(of: response)
            throw Unavailable(node: owner, reason: reason, missing: response.status == .notFound)
        }
        try FileManager.default.createDirectory(atPath: cacheFolder, withIntermediateDirectories: true)
        try await Self.save(response, from: owner, to: cached)
        return cached
    }

    /// Writes `response`'s body from node `owner` to `path`, whole or not at all (a partial
    /// file renamed into place once complete).
    private static func save(_ response: HTTPClientResponse, from owner: String, to path: String) async throws {
        let partial = path + ".part-\(UUID().uuidString.prefix(8))"
        guard FileManager.default.createFile(atPath: partial, contents: nil), let file = FileHandle(forWritingAtPath: partial) else {
            throw Unavailable(node: owner, reason: "cannot write \(partial) on this node")
        }
        do {
            defer { try? file.close() }
            for try await chunk in response.body { try file.write(contentsOf: Data(chunk.readableBytesView)) }
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw Unavailable(node: owner, reason: "the copy broke off: \(describe(error))")
        }
        _ = rename(partial, path)
    }

    // MARK: Evidence exports

    /// Copies export `id`'s zip from the live node that made it to `zipPath` on this node.
    /// Returns false when no node has it; throws ``Unavailable`` naming the nodes that could not
    /// be asked when none of those that could had it (the export may be on one of them).
    public func fetchExport(_ id: UUID, to zipPath: String) async throws -> Bool {
        guard secret != nil else { throw Unavailable(node: "?", reason: Link.noSecret.detail!) }
        let nodes = try await ClusterStore(database: database()).nodes(liveSeconds: leaseSeconds).filter { $0.name != node }
        var silent: [String] = []
        for peer in nodes {
            guard peer.alive else { silent.append(peer.name); continue }
            let response: HTTPClientResponse
            do {
                response = try await client.execute(try signed("/api/cluster/peer/exports/\(id.uuidString.lowercased())", to: peer.address),
                                                    timeout: .seconds(30))
            } catch {
                silent.append(peer.name)
                continue
            }
            // 404: not made there; anything else (a node refusing this one) could not be asked.
            guard response.status == .ok else {
                if response.status != .notFound { silent.append(peer.name) }
                continue
            }
            try await Self.save(response, from: peer.name, to: zipPath)
            return true
        }
        if !silent.isEmpty {
            throw Unavailable(node: silent.sorted().joined(separator: ", "), reason: "down, not answering or refusing this node")
        }
        return false
    }

    /// Stretches of `segments` (in time order) recorded by nodes that are down now, neighbours
    /// less than 2 s apart joined, each with why.
    public func unavailable(_ segments: [SegmentModel]) async throws -> [(start: Date, end: Date, node: String, reason: String)] {
        // Archived footage is read from the shared archive, whoever recorded it.
        let segments = segments.filter { !$0.isArchived }
        let others = Set(segments.compactMap(\.node).filter { !$0.isEmpty && $0 != node })
        guard !others.isEmpty else { return [] }
        let nodes = Dictionary(try await ClusterStore(database: database()).nodes(liveSeconds: leaseSeconds).map { ($0.name, $0) },
                               uniquingKeysWith: { a, _ in a })
        var down: [String: String] = [:]
        for name in others {
            guard let peer = nodes[name] else { down[name] = "no such node is registered"; continue }
            if !peer.alive { down[name] = peer.stoppedAt != nil ? "the node is stopped" : "not heard from for \(Int(peer.silentSeconds)) s" }
        }
        var stretches: [(start: Date, end: Date, node: String, reason: String)] = []
        for segment in segments {
            guard let owner = segment.node, let reason = down[owner] else { continue }
            if let last = stretches.last, last.node == owner, segment.start.timeIntervalSince(last.end) < 2 {
                stretches[stretches.count - 1].end = max(last.end, segment.end)
            } else {
                stretches.append((segment.start, segment.end, owner, reason))
            }
        }
        return stretches
    }

    /// Copies read from other nodes go ten minutes after their last use.
    func sweepCache() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: cacheFolder) else { return }
        let old = Date().addingTimeInterval(-600)
        for name in names {
            let path = (cacheFolder as NSString).appendingPathComponent(name)
            if let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date, modified < old {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
    }

    // MARK: Live video

    /// Runs `viewer` with the live video of `camera`, which another node holds: one connection
    /// to the holder per camera, whatever the number of viewers here, kept `linger` after the
    /// last one leaves; followed to the new holder when the camera moves. With `filter` the
    /// viewer gets the masked stream (one transcoder here for every masked viewer).
    public func watchLive(camera: UUID, filter: String?, _ viewer: @Sendable (AsyncStream<LiveHub.Message>) async -> Void) async {
        let relay = relays.withLock { state in
            if let existing = state[camera] { return existing }
            let made = RelayedCamera(camera: camera, peers: self)
            state[camera] = made
            return made
        }
        relay.join()
        if let filter, let masked = await relay.masked(filter: filter) {
            await masked.watch(viewer)
        } else {
            await relay.hub.watch(viewer)
        }
        if relay.leave() {
            Task {
                try? await Task.sleep(for: self.linger)
                let idle = self.relays.withLock { state -> RelayedCamera? in
                    guard let current = state[camera], current === relay, relay.isIdle else { return nil }
                    state[camera] = nil
                    return relay
                }
                await idle?.close()
            }
        }
    }

    /// Forgets `relay` of `camera`, whose feed ended by itself.
    func retire(_ camera: UUID, _ relay: RelayedCamera) async {
        relays.withLock { state in
            if state[camera] === relay { state[camera] = nil }
        }
        await relay.ended()
    }

    /// Copies `camera`'s live stream from its holder into `hub` until cancelled, reconnecting
    /// (to whichever node holds it then) when the stream ends.
    func feed(camera: UUID, into hub: LiveHub) async {
        var reported: String?
        while !Task.isCancelled {
            var problem: String?
            do {
                if let holder = try await ClusterStore(database: database()).holder(of: camera) {
                    if holder.node == node {
                        // Held here now: the viewers reconnect to this node's own pipeline.
                        hub.finishAll()
                        return
                    }
                    let path = "/api/cluster/peer/cameras/\(camera.uuidString)/live"
                    let response = try await client.execute(try signed(path, to: holder.address), timeout: .seconds(5))
                    if response.status == .ok {
                        hub.reset()
                        if reported != nil { logger.notice("live relay connected", metadata: ["camera": .string(camera.uuidString)]) }
                        reported = nil
                        for try await chunk in response.body {
                            chunk.withUnsafeReadableBytes { hub.ingest($0) }
                        }
                    } else {
                        problem = "node \(holder.node) answered \(response.status.code): \(await Self.reason(of: response))"
                    }
                } else {
                    problem = "no node holds the camera now"
                }
            } catch {
                problem = Self.describe(error)
            }
            if let problem, problem != reported {
                logger.warning("live relay interrupted; retrying", metadata: ["camera": .string(camera.uuidString), "reason": .string(problem)])
                reported = problem
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}

/// One camera's live video relayed from its holder: the connection, the viewers here, and the
/// masked transcoder when someone here may not see behind its privacy masks.
final class RelayedCamera: Sendable {
    let camera: UUID
    let hub = LiveHub()
    private struct State {
        var viewers = 0
        var feed: Task<Void, Never>?
        var masked: MaskedLiveRelay?
        var closed = false
    }
    private let state = Mutex(State())
    private let peers: ClusterPeers

    init(camera: UUID, peers: ClusterPeers) {
        self.camera = camera
        self.peers = peers
    }

    var isIdle: Bool { state.withLock { $0.viewers == 0 } }

    /// A viewer arrives: the feed starts if it is not running.
    func join() {
        state.withLock { state in
            state.viewers += 1
            if state.feed == nil, !state.closed {
                state.feed = Task { [peers, camera, hub] in
                    await peers.feed(camera: camera, into: hub)
                    // Ended on its own (the camera is held here now): the next viewer starts afresh.
                    if !Task.isCancelled { await peers.retire(camera, self) }
                }
            }
        }
    }

    /// A viewer leaves; true when it was the last.
    func leave() -> Bool {
        state.withLock { state in
            state.viewers -= 1
            return state.viewers == 0
        }
    }

    /// The masked stream with `filter`, replacing one made for older masks.
    func masked(filter: String) async -> MaskedLiveRelay? {
        let (relay, replaced): (MaskedLiveRelay?, MaskedLiveRelay?) = state.withLock { state in
            if state.closed { return (nil, nil) }
            if let existing = state.masked, existing.filter == filter { return (existing, nil) }
            let old = state.masked
            let folder = (peers.runFolder as NSString).appendingPathComponent(camera.uuidString + "-relayed-masked")
            state.masked = MaskedLiveRelay(source: hub, filter: filter, folder: folder, tools: peers.tools, logger: peers.logger)
            return (state.masked, old)
        }
        await replaced?.stop()
        return relay
    }

    /// After the feed ended by itself: the transcoder stops and every viewer's stream ends.
    func ended() async {
        let masked = state.withLock { state in
            state.closed = true
            defer { state.feed = nil; state.masked = nil }
            return state.masked
        }
        await masked?.stop()
        hub.finishAll()
    }

    /// Stops the feed and the transcoder; every viewer's stream ends.
    func close() async {
        let (feed, masked) = state.withLock { state in
            state.closed = true
            defer { state.feed = nil; state.masked = nil }
            return (state.feed, state.masked)
        }
        feed?.cancel()
        await feed?.value
        await masked?.stop()
        hub.finishAll()
    }
}
