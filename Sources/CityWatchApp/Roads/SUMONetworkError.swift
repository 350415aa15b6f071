/// Why a SUMO network file could not be read at all. Problems with single junctions or edges
/// are not errors: they are reported as ``SUMONetworkProblem``s and the rest is kept.
public enum SUMONetworkError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened or read.
    case unreadable(path: String, reason: String)
    /// The file is not well-formed XML; `line` is where the parser stopped.
    case notXML(line: Int, reason: String)
    /// There is no `<location>` element, so coordinates cannot be placed on the earth.
    case noLocation
    /// `<location>` names a projection other than UTM on WGS84, or none.
    case unsupportedProjection(line: Int, projection: String)
    /// A `<location>` attribute that must be numbers is not.
    case badLocation(line: Int, attribute: String, value: String)
    /// The junctions and edges read do not make a network (a check the reader missed).
    case inconsistent(reason: String)
    /// Nothing usable was left: no junctions or no edges could be read.
    case empty(problems: Int)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): "cannot read \(path): \(reason)"
        case let .notXML(line, reason): "line \(line): not a well-formed XML file (\(reason))"
        case .noLocation: "no <location> element: the file does not say where its coordinates are"
        case let .unsupportedProjection(line, projection):
            "line \(line): <location projParameter=\"\(projection)\"> is not supported; only +proj=utm with +zone=N on WGS84 is"
        case let .badLocation(line, attribute, value): "line \(line): <location \(attribute)=\"\(value)\"> is not a pair of numbers"
        case let .inconsistent(reason): "the network is inconsistent: \(reason)"
        case let .empty(problems): "no usable junctions and edges in the file (\(problems) problems)"
        }
    }
}

/// A junction or edge that was skipped, with the line it starts on and why.
public struct SUMONetworkProblem: Error, Hashable, Sendable, CustomStringConvertible {
    /// The element, as `edge "123"`, `lane "123_0"` or `junction "45"`.
    public var element: String
    public var line: Int
    public var reason: String

    public var description: String { "line \(line): \(element): \(reason)" }
}
