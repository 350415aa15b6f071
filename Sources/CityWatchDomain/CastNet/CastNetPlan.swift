import Foundation

/// What the cast-net decided: the cameras to show in rank order and why, and what to draw.
public struct CastNetPlan: Hashable, Sendable, Codable {
    /// The point the net is centred on.
    public var centre: GeoPoint
    public var incidentTime: Date
    public var now: Date
    /// Seconds between them: how far escape routes reach.
    public var elapsedSeconds: Double
    /// The rings to draw.
    public var rings: [CastNetRing]
    /// The chosen cameras, best first.
    public var cameras: [CastNetPick]
    /// Roads the suspect could have reached by now, per mode, as lines for the map.
    public var reachedRoads: [ReachedRoad]
    /// Where each mode's routes start (the nearest road open to it).
    public var routeStarts: [RouteStart]
    /// Fallbacks taken and why, for the operator.
    public var notes: [CastNetNote]
}

/// One ring around the centre.
public struct CastNetRing: Hashable, Sendable, Codable {
    public var kind: CastNetPick.Ring
    /// Metres.
    public var radius: Double

    public init(kind: CastNetPick.Ring, radius: Double) {
        self.kind = kind
        self.radius = radius
    }
}

/// One camera the net picked, with the reasons it was picked.
public struct CastNetPick: Hashable, Sendable, Codable {
    /// The ring a camera stands in.
    public enum Ring: String, Hashable, Sendable, Codable {
        /// Within the radius.
        case inner
        /// Between the radius and the outer radius.
        case outer
    }

    public var cameraID: String
    public var point: GeoPoint
    /// 1 for the first camera to show.
    public var rank: Int
    /// Metres from the centre.
    public var distance: Double
    /// The ring it stands in; nil for a camera picked only for a route beyond the outer ring.
    public var ring: Ring?
    /// Whether its view direction takes in the centre.
    public var coversPoint: Bool
    /// Seconds after the incident the suspect could first have passed it; nil when it is on no
    /// reached road.
    public var arrivalSeconds: Double?
    /// How the suspect would have got there that soon.
    public var arrivalMode: TravelMode?
    /// Metres from the camera to the reached road it watches.
    public var roadDistance: Double?
}

/// A stretch of road reached by one mode, for the map.
public struct ReachedRoad: Hashable, Sendable, Codable {
    /// The source's road id.
    public var roadID: String
    public var mode: TravelMode
    /// Where the stretch starts and ends, as fractions of the road's length (1 = all of it).
    public var fromFraction: Double
    public var toFraction: Double
    /// Seconds after the incident the first point of the stretch is reached.
    public var earliestSeconds: Double
    public var polyline: [GeoPoint]
}

/// Where one mode's escape routes begin.
public struct RouteStart: Hashable, Sendable, Codable {
    public var mode: TravelMode
    public var roadID: String
    public var point: GeoPoint
    /// Metres from the centre to the road.
    public var distance: Double
}

/// A fallback the net took, and why, in words an operator can read.
public struct CastNetNote: Hashable, Sendable, Codable {
    /// The fallbacks there are.
    public enum Kind: String, Hashable, Sendable, Codable {
        /// No road network is loaded: rings only.
        case noRoadNetwork
        /// The point is farther than the limit from every road: rings only.
        case farFromRoads
        /// The nearest road is in a small disconnected fragment: routes start on the nearest
        /// road of the largest connected part instead.
        case movedToLargestPart
        /// No road open to one mode is near enough: no routes for that mode.
        case noRoadForMode
        /// "Now" is before the incident: routes are cast for zero seconds.
        case nowBeforeIncident
    }

    public var kind: Kind
    public var message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }
}
