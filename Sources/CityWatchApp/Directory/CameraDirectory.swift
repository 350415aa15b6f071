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
        /// The one reload in progress; concurrent callers wait for it instead of starting their own.
        var loading: Task<Snapshot, any Error>?
    }

    private enum Pending {
        case cached(Snapshot)
        case loading(Task<Snapshot, any Error>)
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
        let pending = state.withLock { state -> Pending in
            if let cached = state.snapshot, now.timeIntervalSince(state.checkedAt) < recheckInterval { return .cached(cached) }
            if let loading = state.loading { return .loading(loading) }
            let cached = state.snapshot
            let task = Task<Snapshot, any Error> {
                let version = try await Settings(database: database).get(.registryVersion)
                if let cached, cached.version == version { return cached }
                let (sites, cameras) = try await RegistryRepository(database: database).loadAll()
                return Snapshot(version: version, sites: sites, cameras: cameras)
            }
            state.loading = task
            return .loading(task)
        }
        switch pending {
        case .cached(let cached):
            return cached
        case .loading(let task):
            do {
                let fresh = try await task.value
                state.withLock {
                    if $0.loading == task { $0.loading = nil }
                    $0.snapshot = fresh
                    $0.checkedAt = now
                }
                return fresh
            } catch {
                state.withLock { if $0.loading == task { $0.loading = nil } }
                throw error
            }
        }
    }

    /// Forgets the snapshot so the next request reloads (after a change made by this process).
    public func invalidate() {
        state.withLock { $0 = State() }
    }
}
