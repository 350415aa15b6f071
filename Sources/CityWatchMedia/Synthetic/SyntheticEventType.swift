/// The kind of a ground-truth event. An open set: scene files may script any name, and the
/// constants below are the ones CityWatch's own scenes and derivations use.
public struct SyntheticEventType: RawRepresentable, Codable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }

    /// An object's ground point moved into a ``SceneZone`` (derived from the path).
    public static let enterZone: SyntheticEventType = "enterZone"
    /// An object's ground point left a ``SceneZone``, or the object disappeared inside it (derived).
    public static let exitZone: SyntheticEventType = "exitZone"
    /// A person fell (scripted as a ``SceneObject/Posture`` with this event).
    public static let fall: SyntheticEventType = "fall"
    /// An object was left behind by its owner (scripted in ``SyntheticScene/events``).
    public static let leftObject: SyntheticEventType = "leftObject"
}
