import CityWatchDomain

/// A named area of the frame for zone rules: the ground truth records an
/// ``SyntheticEventType/enterZone`` event when an object's ground point moves into it and an
/// ``SyntheticEventType/exitZone`` event when it leaves (or the object disappears inside it).
public struct SceneZone: Codable, Sendable, Hashable {
    /// The zone's name, reported with its events.
    public var name: String
    /// The area, in scene coordinates.
    public var area: PixelBox

    public init(name: String, area: PixelBox) {
        self.name = name
        self.area = area
    }
}
