extension CastNet {
    /// What the escape-route half of a plan found.
    struct Routes {
        var arrivals: [Int: RouteArrival] = [:]
        var reached: [ReachedRoad] = []
        var starts: [RouteStart] = []
    }

    /// Runs each mode's travel times from the road nearest the point and picks the cameras that
    /// watch a reached road. Fallbacks taken are appended to `notes`.
    func escapeRoutes(for query: CastNetQuery, notes: inout [CastNetNote]) -> Routes {
        var routes = Routes()
        guard let network else {
            notes.append(CastNetNote(kind: .noRoadNetwork, message: "no road network is loaded: rings only"))
            return routes
        }
        guard let component = startingComponent(network, query: query, notes: &notes) else { return routes }
        for mode in query.modes {
            guard let start = network.nearestRoadPosition(to: query.point, access: mode.access, component: component,
                                                          maximumDistance: query.maximumRoadDistance) else {
                notes.append(CastNetNote(kind: .noRoadForMode,
                                         message: "no road open to \(mode.rawValue) within \(Int(query.maximumRoadDistance)) m: no \(mode.rawValue) routes"))
                continue
            }
            routes.starts.append(RouteStart(mode: mode, roadID: network.roads[start.road].id, point: start.point, distance: start.distance))
            let times = network.travelTimes(from: start, mode: mode, walkingSpeed: query.walkingSpeed, within: query.elapsed)
            routes.reached += reachedRoads(times)
            let speed = mode == .foot ? query.walkingSpeed : topSpeed
            let bound = start.distance + query.elapsed * speed + query.cameraReach
            for hit in index.within(radius: bound, of: start.point) {
                for position in network.roadPositions(near: hit.point, within: query.cameraReach, access: mode.access) {
                    guard let seconds = times.arrival(road: position.road, offset: position.offset) else { continue }
                    if seconds < routes.arrivals[hit.id]?.seconds ?? .infinity {
                        routes.arrivals[hit.id] = RouteArrival(seconds: seconds, mode: mode, roadDistance: position.distance)
                    }
                }
            }
        }
        return routes
    }

    /// The connected part routes start in: the nearest road's, unless that is a fragment, then
    /// the largest part's. Nil (with a note) when no road is near enough.
    private func startingComponent(_ network: RoadNetwork, query: CastNetQuery, notes: inout [CastNetNote]) -> Int? {
        guard let nearest = network.nearestRoadPosition(to: query.point, maximumDistance: query.maximumRoadDistance) else {
            notes.append(CastNetNote(kind: .farFromRoads,
                                     message: "no road within \(Int(query.maximumRoadDistance)) m of the point: rings only"))
            return nil
        }
        let component = network.component(ofRoad: nearest.road)
        let share = Double(network.componentSizes[component]) / Double(max(1, network.junctions.count))
        guard component != 0, share < query.fragmentShare else { return component }
        guard let main = network.nearestRoadPosition(to: query.point, component: 0, maximumDistance: query.maximumRoadDistance) else {
            notes.append(CastNetNote(kind: .farFromRoads,
                                     message: "the nearest road (\(network.roads[nearest.road].id)) is in a fragment of \(network.componentSizes[component]) junctions cut off from the network, and no connected road is within \(Int(query.maximumRoadDistance)) m: rings only"))
            return nil
        }
        notes.append(CastNetNote(kind: .movedToLargestPart,
                                 message: "the nearest road (\(network.roads[nearest.road].id), \(Int(nearest.distance.rounded())) m) is in a fragment of \(network.componentSizes[component]) junctions cut off from the network; routes start on \(network.roads[main.road].id), \(Int(main.distance.rounded())) m away"))
        return 0
    }

    /// Every reached stretch as a line for the map.
    private func reachedRoads(_ times: TravelTimes) -> [ReachedRoad] {
        var reached: [ReachedRoad] = []
        let network = times.network
        for index in times.roadsTouched {
            for stretch in times.reachedStretches(ofRoad: index) {
                let road = network.roads[index]
                reached.append(ReachedRoad(roadID: road.id, mode: times.mode, fromFraction: stretch.from / road.length,
                                           toFraction: stretch.to / road.length, earliestSeconds: stretch.earliest,
                                           polyline: network.polyline(ofRoad: index, from: stretch.from, to: stretch.to)))
            }
        }
        return reached
    }
}
