import CityWatchDomain
import Foundation

/// Reads a SUMO road network (`.net.xml`, as written by netconvert or netedit) into a
/// ``RoadNetwork``.
///
/// Kept: `<junction>`s that are not internal, with x/y placed on the earth through
/// `<location>` (UTM on WGS84 only); `<edge>`s of the normal function, each one directed road
/// with the longest lane length, the fastest lane speed, who may use it from its lanes'
/// `allow`/`disallow` (SUMO's rule: neither means every class) and the edge's own shape, or its
/// middle lane's. Passed over: internal edges and junctions (a crossing's interior),
/// crossings, walking areas and connectors. A bad junction or edge is reported with its line
/// and skipped; the good ones are kept.
public struct SUMONetworkReader: Sendable {
    /// A network and what was wrong on the way.
    public struct Result: Sendable {
        public var network: RoadNetwork
        public var location: SUMOLocation
        /// Junctions and edges skipped, in file order.
        public var problems: [SUMONetworkProblem]
        /// Internal junctions and non-road edges passed over (not problems).
        public var skippedInternal: Int
    }

    public init() {}

    /// Reads the file at `url`.
    public func read(contentsOf url: URL) throws(SUMONetworkError) -> Result {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadable(path: url.path, reason: (error as NSError).localizedDescription)
        }
        return try read(data)
    }

    /// Reads a network from the bytes of a file.
    public func read(_ data: Data) throws(SUMONetworkError) -> Result {
        let elements = try SUMOElements.parse(data)
        guard let locationElement = elements.location else { throw .noLocation }
        let location = try SUMOLocation(attributes: locationElement.attributes, line: locationElement.line)
        var problems: [SUMONetworkProblem] = []
        var junctions: [RoadNetwork.Junction] = []
        var junctionNumber: [String: Int] = [:]
        for raw in elements.junctions {
            let element = "junction \"\(raw.id)\""
            guard let x = raw.x.flatMap(Double.init), let y = raw.y.flatMap(Double.init), x.isFinite, y.isFinite else {
                problems.append(SUMONetworkProblem(element: element, line: raw.line, reason: "x and y must be numbers (x=\"\(raw.x ?? "")\", y=\"\(raw.y ?? "")\")"))
                continue
            }
            guard junctionNumber[raw.id] == nil else {
                problems.append(SUMONetworkProblem(element: element, line: raw.line, reason: "a junction with this id came earlier; this one is skipped"))
                continue
            }
            let point = location.geoPoint(x: x, y: y)
            guard point.isValid else {
                problems.append(SUMONetworkProblem(element: element, line: raw.line, reason: "x=\(x), y=\(y) lies off the earth in UTM zone \(location.zone)"))
                continue
            }
            junctionNumber[raw.id] = junctions.count
            junctions.append(RoadNetwork.Junction(id: raw.id, point: point))
        }
        var roads: [RoadNetwork.Road] = []
        for edge in elements.edges {
            switch Self.road(edge, junctionNumber: junctionNumber, location: location) {
            case .success(let road): roads.append(road)
            case .failure(let problem): problems.append(problem)
            }
        }
        guard !junctions.isEmpty, !roads.isEmpty else { throw .empty(problems: problems.count) }
        do {
            let network = try RoadNetwork(junctions: junctions, roads: roads)
            return Result(network: network, location: location, problems: problems, skippedInternal: elements.skippedInternal)
        } catch {
            // Every road was checked above; a point off the earth is the one thing left.
            throw .inconsistent(reason: error.description)
        }
    }

    /// One edge as a road, or why it cannot be one.
    static func road(_ edge: SUMOElements.Edge, junctionNumber: [String: Int], location: SUMOLocation) -> Swift.Result<RoadNetwork.Road, SUMONetworkProblem> {
        func problem(_ reason: String, element: String? = nil, line: Int? = nil) -> Swift.Result<RoadNetwork.Road, SUMONetworkProblem> {
            .failure(SUMONetworkProblem(element: element ?? "edge \"\(edge.id)\"", line: line ?? edge.line, reason: reason))
        }
        let fromID = edge.attributes["from"] ?? "", toID = edge.attributes["to"] ?? ""
        guard let from = junctionNumber[fromID] else { return problem("from=\"\(fromID)\" names no junction in the file") }
        guard let to = junctionNumber[toID] else { return problem("to=\"\(toID)\" names no junction in the file") }
        guard !edge.lanes.isEmpty else { return problem("has no <lane>") }
        var length = 0.0, speed = 0.0
        var access: RoadAccess = []
        for lane in edge.lanes {
            let element = "lane \"\(lane.id)\" of edge \"\(edge.id)\""
            guard let text = lane.attributes["speed"] else { return problem("has no speed; the edge is skipped", element: element, line: lane.line) }
            guard let laneSpeed = Double(text), laneSpeed.isFinite, laneSpeed > 0 else {
                return problem("speed=\"\(text)\" is not a positive number; the edge is skipped", element: element, line: lane.line)
            }
            if let text = lane.attributes["length"] {
                guard let laneLength = Double(text), laneLength.isFinite, laneLength >= 0 else {
                    return problem("length=\"\(text)\" is not a number; the edge is skipped", element: element, line: lane.line)
                }
                length = max(length, laneLength)
            }
            speed = max(speed, laneSpeed)
            access.formUnion(Self.access(allow: lane.attributes["allow"], disallow: lane.attributes["disallow"]))
        }
        let middle = edge.lanes[edge.lanes.count / 2]
        let shapeText = edge.attributes["shape"] ?? middle.attributes["shape"] ?? ""
        var shape: [GeoPoint] = []
        for token in shapeText.split(separator: " ") {
            guard let xy = SUMOLocation.pair(String(token)) else { return problem("shape point \"\(token)\" is not x,y") }
            let point = location.geoPoint(x: xy.x, y: xy.y)
            guard point.isValid else { return problem("shape point \"\(token)\" lies off the earth") }
            shape.append(point)
        }
        if length <= 0 {
            // No lane said how long it is: measure the drawn course, or the straight line.
            let course = shape.count >= 2 ? shape : []
            length = zip(course, course.dropFirst()).reduce(0) { $0 + $1.0.distance(to: $1.1) }
            guard length > 0 else { return problem("has no length and no shape to measure") }
        }
        return .success(RoadNetwork.Road(id: edge.id, from: from, to: to, length: length, speedLimit: speed, access: access, shape: shape))
    }

    /// Who may use a lane, by SUMO's vehicle classes: `allow` lists the only classes allowed,
    /// `disallow` those excluded from all; `all` stands for every class; neither means all.
    public static func access(allow: String?, disallow: String?) -> RoadAccess {
        func classes(_ text: String) -> RoadAccess {
            var access: RoadAccess = []
            for word in text.split(whereSeparator: \.isWhitespace) {
                switch word {
                case "all": access = .everyone
                case "pedestrian": access.insert(.pedestrians)
                case "passenger", "private": access.insert(.cars)
                default: break
                }
            }
            return access
        }
        if let allow { return classes(allow) }
        if let disallow { return RoadAccess.everyone.subtracting(classes(disallow)) }
        return .everyone
    }
}
