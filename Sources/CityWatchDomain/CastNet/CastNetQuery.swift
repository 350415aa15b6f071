import Foundation

/// What an operator asks the cast-net: where and when something happened, what time it is now,
/// and how wide to cast.
public struct CastNetQuery: Hashable, Sendable, Codable {
    /// Where the incident happened (or where the suspect was last seen).
    public var point: GeoPoint
    /// When it happened.
    public var incidentTime: Date
    /// The moment the net is cast for: escape routes cover the time from the incident to now.
    public var now: Date
    /// Inner ring radius in metres.
    public var radius: Double = 500
    /// Outer ring radius in metres.
    public var outerRadius: Double = 1_000
    /// Within one band of this many metres, cameras that look at the point rank before those
    /// that do not.
    public var distanceBand: Double = 100
    /// Metres per second on foot (a brisk walk; a runner is faster, so set it per incident).
    public var walkingSpeed: Double = 1.4
    /// A camera this close to a reached road (metres) watches that road.
    public var cameraReach: Double = 30
    /// A point farther than this (metres) from every road gets rings only.
    public var maximumRoadDistance: Double = 300
    /// A connected part of the network holding less than this share of its junctions is a
    /// fragment (an island left by the map's edge): routes start in the largest part instead.
    public var fragmentShare: Double = 0.1
    /// How the suspect may move.
    public var modes: [TravelMode] = TravelMode.allCases

    public init(point: GeoPoint, incidentTime: Date, now: Date) {
        self.point = point
        self.incidentTime = incidentTime
        self.now = now
    }

    /// Seconds from the incident to now; never negative.
    public var elapsed: Double {
        max(0, now.timeIntervalSince(incidentTime))
    }
}
