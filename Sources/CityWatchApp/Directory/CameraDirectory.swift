import CityWatchDomain
import CityWatchStore
import FluentKit
import Foundation
import Synchronization

/// The whole camera registry in memory with a spatial index, shared by every request.
///
/// Serving the map and geo queries from memory keeps them under a millisecond; the store stays
/// the truth. A snapshot is reloaded when the registry version in the store changes (checked at
/// most once per `recheckInterval`), so every serve node of a cluster sees an import within a
/// second or so.
public final class CameraDirectory: Sendable {
    /// One immutable view of the registry.
    public struct Snapshot: Sendable {
        public let version: String?
        public let sites: [UUID: Site]
        /// Every camera, ordered by site address then position.
        public let cameras: [Camera]
        public let cameraIndex: [UUID: Int]
        /// Positions of ``cameras`` (by array index).
        public let spatialIndex: SpatialIndex
        /// The site of each camera, by camera index: array reads instead of dictionary lookups
        /// when a query walks every camera.
        public let siteOfCamera: [Site]
        /// What the console calls each site and camera (``CameraLabels``).
        public let labels: CameraLabels

        public init(version: String?, sites: [Site], cameras: [Camera]) {
            self.version = version
            let sitesByID = Dictionary(sites.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            self.sites = sitesByID
            let ordered = cameras.filter { sitesByID[$0.siteID] != nil }.sorted { a, b in
                let left = sitesByID[a.siteID]!.displayAddress, right = sitesByID[b.siteID]!.displayAddress
                return left != right ? left < right : (a.siteID != b.siteID ? a.siteID.uuidString < b.siteID.uuidString : a.position < b.position)
            }
            self.cameras = ordered
            self.cameraIndex = Dictionary(ordered.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
            self.siteOfCamera = ordered.map { sitesByID[$0.siteID]! }
            self.spatialIndex = SpatialIndex(ordered.enumerated().map { (id: $0, point: sitesByID[$1.siteID]!.record.location) })
            self.labels = CameraLabels(sites: Array(sitesByID.values), cameras: ordered)
        }

        /// The label of `camera` (its name, else its site's distinctive address part).
        public func label(of camera: Camera) -> String { labels.camera(camera.id) ?? site(of: camera).displayAddress }

        /// The label of `site`, without a camera's number on the pole.
        public func label(of site: Site) -> String { labels.sites[site.id] ?? site.displayAddress }

        /// The site of a camera.
        public func site(of camera: Camera) -> Site { sites[camera.siteID]! }

        /// The camera with `id`, if any.
        public func camera(_ id: UUID) -> Camera? { cameraIndex[id].map { cameras[$0] } }
    }

    private struct State {
        var snapshot: Snapshot?
        var checkedAt: Date = .distantPast
        /// The one check or reload in progress; concurrent callers wait for it instead of starting their own.
        var loading: Task<Snapshot, any Error>?
        /// Moves on ``invalidate()``: a load started before then does not store what it read.
        var generation = 0
    }

    private let state = Mutex(State())
    private let recheckInterval: TimeInterval

    public init(recheckInterval: TimeInterval = 1) {
        self.recheckInterval = recheckInterval
    }

    /// The current snapshot, reloaded first if the store's registry version moved.
    ///
    /// At most one check or reload runs at a time: when a hundred requests arrive together
    /// after an import they share one load instead of a hundred.
    public func snapshot(on database: any Database, now: Date = Date()) async throws -> Snapshot {
        switch pending(on: database, now: now) {
        case .cached(let cached): cached
        case .loading(let task): try await task.value
        }
    }

    /// The snapshot at hand, without waiting for a check or a reload that is due: it starts in
    /// the background and later calls see its result. Only a directory that has never loaded
    /// waits. For the paths that must answer at once whatever an import is doing (a bell press
    /// puts its cameras on the wall within a second; reloading a city's registry takes longer).
    public func snapshotAtHand(on database: any Database, now: Date = Date()) async throws -> Snapshot {
        let pending = pending(on: database, now: now)
        if let cached = state.withLock({ $0.snapshot }) { return cached }
        switch pending {
        case .cached(let cached): return cached
        case .loading(let task): return try await task.value
        }
    }

    private enum Pending {
        case cached(Snapshot)
        case loading(Task<Snapshot, any Error>)
    }

    /// The cached snapshot while it is recent, else the load in progress (started here if none
    /// is). A load stores its own result, so one nobody waits for still lands.
    private func pending(on database: any Database, now: Date) -> Pending {
        state.withLock { state -> Pending in
            if let cached = state.snapshot, now.timeIntervalSince(state.checkedAt) < recheckInterval { return .cached(cached) }
            if let loading = state.loading { return .loading(loading) }
            let cached = state.snapshot, generation = state.generation
            let task = Task<Snapshot, any Error> { [self] in
                do {
                    let version = try await Settings(database: database).get(.registryVersion)
                    let fresh: Snapshot
                    if let cached, cached.version == version {
                        fresh = cached
                    } else {
                        let (sites, cameras) = try await RegistryRepository(database: database).loadAll()
                        fresh = Snapshot(version: version, sites: sites, cameras: cameras)
                    }
                    self.state.withLock {
                        guard $0.generation == generation else { return }
                        $0.loading = nil
                        $0.snapshot = fresh
                        $0.checkedAt = now
                    }
                    return fresh
                } catch {
                    self.state.withLock { if $0.generation == generation { $0.loading = nil } }
                    throw error
                }
            }
            state.loading = task
            return .loading(task)
        }
    }

    /// True while a check or reload is in progress.
    public var isLoading: Bool { state.withLock { $0.loading != nil } }

    /// Waits for the check or reload in progress, if any, whatever it ends in. A reload started
    /// in the background (``snapshotAtHand(on:now:)``) is awaited by nobody; before the database
    /// closes, shutdown waits here so no query is left running on a store being torn down.
    public func settle() async {
        guard let loading = state.withLock({ $0.loading }) else { return }
        _ = try? await loading.value
    }

    /// Forgets the snapshot so the next request reloads (after a change made by this process).
    public func invalidate() {
        state.withLock { $0 = State(generation: $0.generation + 1) }
    }
}
