/// What analytics say a tracked object is. Raw values are the COCO names the detector uses;
/// `unknown` is an object seen only as motion (no detector, or not yet classified).
public enum ObjectClass: String, Codable, Sendable, Hashable, CaseIterable {
    case person
    case bicycle
    case car
    case motorcycle
    case bus
    case truck
    /// Moving or newly static pixels the detector has not named.
    case unknown

    /// Vehicles, for rules and searches that ask for "any vehicle".
    public var isVehicle: Bool {
        switch self {
        case .car, .motorcycle, .bus, .truck: true
        case .person, .bicycle, .unknown: false
        }
    }
}
