/// A camera as the cast-net sees it: where it is and which way it looks.
public struct CastNetCamera: Hashable, Sendable, Codable {
    /// The camera's identifier in the registry or the store.
    public var id: String
    public var point: GeoPoint
    public var view: CameraView

    public init(id: String, point: GeoPoint, view: CameraView = .omnidirectional) {
        self.id = id
        self.point = point
        self.view = view
    }
}
