/// Who may use a road: people on foot, cars, both, or neither (a rail or bus-only lane).
public struct RoadAccess: OptionSet, Hashable, Sendable, Codable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// People on foot (a pavement, a footpath, a road SUMO lets pedestrians use).
    public static let pedestrians = RoadAccess(rawValue: 1 << 0)
    /// Private cars.
    public static let cars = RoadAccess(rawValue: 1 << 1)
    /// Both.
    public static let everyone: RoadAccess = [.pedestrians, .cars]
}

/// How a suspect may move away from an incident.
public enum TravelMode: String, Hashable, Sendable, Codable, CaseIterable {
    /// Walking or running on any road pedestrians may use, in either direction.
    case foot
    /// Driving at the speed limit, only where cars may go and only in the road's direction.
    case car

    /// The access a road needs for this mode.
    public var access: RoadAccess {
        switch self {
        case .foot: .pedestrians
        case .car: .cars
        }
    }
}
