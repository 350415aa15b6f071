/// Which cameras can see an emergency bell: the cameras a press should put on the wall.
///
/// A camera is linked when it stands within ``radius`` of the bell and its view (read from the
/// registry's 촬영방면정보 by ``CameraView/parsing(registryText:)``) covers the bearing from the
/// camera to the bell. An all-round camera, or one whose direction is unknown, covers every
/// bearing, so it is never dropped for looking the wrong way. Links are ranked nearest first;
/// equal distances keep a stable order by camera id.
///
/// Pure: the cameras are indexed once and every bell is a lookup in ``SpatialIndex``.
public struct BellCameraLinker: Sendable {
    /// How far a camera may stand from a bell and still be linked, by default.
    public static let defaultRadius = 100.0

    /// One camera linked to a bell.
    public struct Link: Hashable, Sendable, Codable {
        public var cameraID: String
        /// Metres from the camera to the bell.
        public var distance: Double
        /// Compass bearing from the camera to the bell, in degrees.
        public var bearing: Double

        public init(cameraID: String, distance: Double, bearing: Double) {
            self.cameraID = cameraID
            self.distance = distance
            self.bearing = bearing
        }
    }

    public let cameras: [CastNetCamera]
    public let radius: Double
    private let index: SpatialIndex

    public init(cameras: [CastNetCamera], radius: Double = BellCameraLinker.defaultRadius) {
        self.cameras = cameras
        self.radius = radius
        index = SpatialIndex(cameras.enumerated().map { (id: $0.offset, point: $0.element.point) })
    }

    /// The cameras that see a bell at `point`, nearest first.
    public func links(to point: GeoPoint) -> [Link] {
        index.within(radius: radius, of: point)
            .compactMap { hit -> Link? in
                guard hit.distance <= radius else { return nil }
                let camera = cameras[hit.id]
                // A camera on top of the bell sees it whatever way it points.
                let bearing = hit.distance < 0.5 ? camera.view.direction ?? 0 : camera.point.bearing(to: point)
                guard camera.view.covers(bearing: bearing) else { return nil }
                return Link(cameraID: camera.id, distance: hit.distance, bearing: bearing)
            }
            .sorted { $0.distance != $1.distance ? $0.distance < $1.distance : $0.cameraID < $1.cameraID }
    }
}
