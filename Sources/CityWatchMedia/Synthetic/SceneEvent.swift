/// An event a scene scripts directly (for what cannot be derived from paths and postures, such
/// as the moment a bag counts as left behind).
public struct SceneEvent: Codable, Sendable, Hashable {
    /// What happens.
    public var type: SyntheticEventType
    /// Seconds from the start of the scene.
    public var time: Double
    /// The object it concerns (a ``SceneObject/id``).
    public var trackId: Int
    /// The zone it concerns, if any.
    public var zone: String?

    public init(type: SyntheticEventType, time: Double, trackId: Int, zone: String? = nil) {
        self.type = type
        self.time = time
        self.trackId = trackId
        self.zone = zone
    }
}
