import CityWatchDomain
import CityWatchStore
import FluentKit
import Foundation

/// The bells with the cameras that can see each of them.
///
/// Links are computed on demand rather than stored: they depend on both registries, which change
/// independently (every camera import or camera edit would have to redo the bells' links), and
/// computing them is cheap — one ``SpatialIndex`` over the cameras, one radius query per bell,
/// milliseconds for a district's thousands of bells and cameras.
public struct BellDirectory: Sendable {
    /// One bell and its linked cameras, nearest covering camera first.
    public struct Listing: Sendable, Codable, Equatable {
        public var id: UUID
        /// What a press, a secret and a drill window name the bell by (``BellRecord/key``).
        public var key: String
        public var bell: BellRecord
        public var cameras: [LinkedCamera]
    }

    /// A camera linked to a bell, with what an operator needs to recognise it.
    public struct LinkedCamera: Sendable, Codable, Equatable {
        public var cameraID: UUID
        public var address: String
        /// The registry's 촬영방면정보 the view was read from.
        public var viewDirection: String
        public var distance: Double
        public var bearing: Double
    }

    let database: any Database
    let cameras: CameraDirectory
    /// Links to the cameras at hand rather than waiting for a reload of the registry an import
    /// just changed (``CameraDirectory/snapshotAtHand(on:now:)``): what a press does.
    let promptly: Bool

    /// Bells of `database`, linked to the cameras of `cameras` (the server's shared directory,
    /// so a press does not read the whole registry; a fresh one loads it once).
    public init(database: any Database, cameras: CameraDirectory = CameraDirectory(), promptly: Bool = false) {
        self.database = database
        self.cameras = cameras
        self.promptly = promptly
    }

    /// Every bell with the enabled cameras within `radius` metres whose view covers it.
    public func listings(radius: Double = BellCameraLinker.defaultRadius) async throws -> [Listing] {
        try await listings(of: BellRepository(database: database).all(), radius: radius)
    }

    /// One bell with its cameras.
    public func listing(bell: Bell, radius: Double = BellCameraLinker.defaultRadius) async throws -> Listing {
        try await listings(of: [bell], radius: radius)[0]
    }

    private func listings(of bells: [Bell], radius: Double) async throws -> [Listing] {
        let snapshot = try await promptly ? cameras.snapshotAtHand(on: database) : cameras.snapshot(on: database)
        var castNetCameras: [CastNetCamera] = []
        var details: [String: (camera: UUID, site: Site)] = [:]
        for (index, camera) in snapshot.cameras.enumerated() where camera.enabled {
            let site = snapshot.siteOfCamera[index]
            let id = camera.id.uuidString.lowercased()
            castNetCameras.append(CastNetCamera(id: id, point: GeoPoint(latitude: site.record.latitude, longitude: site.record.longitude),
                                                view: CameraView.parsing(registryText: site.record.viewDirection).view))
            details[id] = (camera.id, site)
        }
        let linker = BellCameraLinker(cameras: castNetCameras, radius: radius)
        return bells.map { bell in
            let linked = linker.links(to: bell.record.point).compactMap { link -> LinkedCamera? in
                guard let detail = details[link.cameraID] else { return nil }
                return LinkedCamera(cameraID: detail.camera, address: detail.site.displayAddress,
                                    viewDirection: detail.site.record.viewDirection, distance: link.distance, bearing: link.bearing)
            }
            return Listing(id: bell.id, key: bell.record.key, bell: bell.record, cameras: linked)
        }
    }
}
