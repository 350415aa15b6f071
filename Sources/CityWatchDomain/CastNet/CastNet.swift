import Foundation

/// Cast-net surveillance: for an incident at a place and time, which cameras to bring up and
/// in what order.
///
/// Two nets are cast. **Rings**: every camera within the radius, then within the outer radius,
/// nearest first, but within each distance band those whose view takes in the point first.
/// **Escape routes**: from the road nearest the point, how far someone could have walked or
/// driven since the incident (``RoadNetwork/travelTimes(from:mode:walkingSpeed:within:)``);
/// cameras within ``CastNetQuery/cameraReach`` of a reached road are picked, earliest passing
/// first. The net grows with every call as "now" moves on, and ``follow(_:seenOn:at:)``
/// re-centres it where the suspect was last seen.
///
/// The ranked list: inner-ring cameras first (they saw the incident), then cameras picked only
/// for a route in order of the earliest time the suspect could have passed, then the rest of
/// the outer ring. A camera picked both ways is listed once, with both reasons.
///
/// Pure: the cameras and the network are indexed once; a plan does no I/O.
/// Budget: rings over 100,000 cameras ≤ 20 ms (see BENCHMARKS.md, "Cast-net").
public struct CastNet: Sendable {
    public let cameras: [CastNetCamera]
    public let network: RoadNetwork?
    let index: SpatialIndex
    /// The fastest speed limit on the network, bounding how far a car gets.
    let topSpeed: Double

    public init(cameras: [CastNetCamera], network: RoadNetwork? = nil) {
        self.cameras = cameras
        self.network = network
        index = SpatialIndex(cameras.enumerated().map { (id: $0.offset, point: $0.element.point) })
        topSpeed = network?.roads.map(\.speedLimit).max() ?? 0
    }

    /// Casts the net for `query`.
    public func plan(_ query: CastNetQuery) -> CastNetPlan {
        var notes: [CastNetNote] = []
        if query.now < query.incidentTime {
            notes.append(CastNetNote(kind: .nowBeforeIncident, message: "now is before the incident time; escape routes are cast for 0 s"))
        }
        let ringHits = index.within(radius: query.outerRadius, of: query.point)
        let routes = escapeRoutes(for: query, notes: &notes)
        let picks = rank(ringHits: ringHits, routeArrivals: routes.arrivals, query: query)
        return CastNetPlan(
            centre: query.point, incidentTime: query.incidentTime, now: query.now, elapsedSeconds: query.elapsed,
            rings: [CastNetRing(kind: .inner, radius: query.radius), CastNetRing(kind: .outer, radius: query.outerRadius)],
            cameras: picks, reachedRoads: routes.reached, routeStarts: routes.starts, notes: notes)
    }

    /// The ring cameras only, found by a linear scan over every camera instead of the index:
    /// the baseline the benchmark measures ``plan(_:)``'s rings against, and a test oracle.
    public func ringsByLinearScan(_ query: CastNetQuery) -> [CastNetPick] {
        let hits = SpatialIndex.linearWithin(radius: query.outerRadius, of: query.point,
                                             in: cameras.enumerated().map { (id: $0.offset, point: $0.element.point) })
        return rank(ringHits: hits, routeArrivals: [:], query: query)
    }

    /// The query re-centred where the suspect was seen: on camera `cameraID` at `time`.
    /// Nil when no such camera is known.
    public func follow(_ query: CastNetQuery, seenOn cameraID: String, at time: Date) -> CastNetQuery? {
        guard let camera = cameras.first(where: { $0.id == cameraID }) else { return nil }
        var next = query
        next.point = camera.point
        next.incidentTime = time
        if next.now < time { next.now = time }
        return next
    }

    /// Orders ring and route cameras into one list (see the type's documentation).
    func rank(ringHits: [SpatialIndex.Hit], routeArrivals: [Int: RouteArrival], query: CastNetQuery) -> [CastNetPick] {
        var picks: [(pick: CastNetPick, group: Int, band: Int)] = []
        var seen = Set<Int>()
        for hit in ringHits where hit.distance <= query.outerRadius {
            seen.insert(hit.id)
            let inner = hit.distance <= query.radius
            let arrival = routeArrivals[hit.id]
            // On a route beyond the inner ring: ranked with the route cameras, by arrival.
            let group = inner ? 0 : (arrival != nil ? 1 : 2)
            picks.append((pick(hit.id, distance: hit.distance, ring: inner ? .inner : .outer, arrival: arrival, query: query),
                          group, Int((hit.distance / max(query.distanceBand, 1e-9)).rounded(.down))))
        }
        for (id, arrival) in routeArrivals where !seen.contains(id) {
            let distance = query.point.distance(to: cameras[id].point)
            picks.append((pick(id, distance: distance, ring: nil, arrival: arrival, query: query), 1, 0))
        }
        picks.sort { a, b in
            if a.group != b.group { return a.group < b.group }
            if a.group == 1, let x = a.pick.arrivalSeconds, let y = b.pick.arrivalSeconds, x != y { return x < y }
            if a.group != 1 {
                if a.band != b.band { return a.band < b.band }
                if a.pick.coversPoint != b.pick.coversPoint { return a.pick.coversPoint }
            }
            if a.pick.distance != b.pick.distance { return a.pick.distance < b.pick.distance }
            return a.pick.cameraID < b.pick.cameraID
        }
        return picks.enumerated().map { i, entry in
            var pick = entry.pick
            pick.rank = i + 1
            return pick
        }
    }

    private func pick(_ id: Int, distance: Double, ring: CastNetPick.Ring?, arrival: RouteArrival?, query: CastNetQuery) -> CastNetPick {
        let camera = cameras[id]
        // A camera standing on the point sees it whichever way it looks.
        let covers = distance < 1 || camera.view.covers(bearing: camera.point.bearing(to: query.point))
        return CastNetPick(cameraID: camera.id, point: camera.point, rank: 0, distance: distance, ring: ring,
                           coversPoint: covers, arrivalSeconds: arrival?.seconds, arrivalMode: arrival?.mode,
                           roadDistance: arrival?.roadDistance)
    }
}

/// The earliest a suspect could pass a camera on a reached road.
struct RouteArrival: Sendable {
    var seconds: Double
    var mode: TravelMode
    var roadDistance: Double
}
