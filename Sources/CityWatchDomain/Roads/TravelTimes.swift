/// How soon someone who left a place on the road network could be at each junction and each
/// point of each road, on foot or by car, up to a time horizon.
///
/// Made by ``RoadNetwork/travelTimes(from:mode:walkingSpeed:within:)``, which runs Dijkstra's
/// algorithm by travel time from the start and stops at the horizon. A point reached after the
/// horizon, or never, has no arrival time.
public struct TravelTimes: Sendable {
    /// The network the times are on.
    public let network: RoadNetwork
    public let mode: TravelMode
    /// Where the journey starts; for a car also the same place on the opposite carriageway.
    public let starts: [RoadPosition]
    /// The latest arrival, in seconds after leaving, that counts as reached.
    public let horizon: Double
    /// Walking speed used on foot, metres per second.
    public let walkingSpeed: Double
    /// Seconds to each junction; infinity when not reached within the horizon.
    let junctionSeconds: [Double]
    /// The junctions reached, in the order they were reached.
    public let reachedJunctions: [Int]

    /// Every road with a reached stretch: those leaving a reached junction, on foot those
    /// arriving at one too, and the roads the journey starts on; each once, in index order.
    public var roadsTouched: [Int] {
        var roads = Set(starts.map(\.road))
        for junction in reachedJunctions {
            roads.formUnion(network.outgoing[junction])
            if mode == .foot { roads.formUnion(network.incoming[junction]) }
        }
        return roads.sorted()
    }

    /// Seconds to `junction`, or nil when it is not reached within the horizon.
    public func arrival(atJunction junction: Int) -> Double? {
        let t = junctionSeconds[junction]
        return t <= horizon ? t : nil
    }

    /// Seconds to the point `offset` metres along `road`, or nil when it cannot be reached
    /// within the horizon (or the road is closed to this mode).
    public func arrival(road index: Int, offset: Double) -> Double? {
        let road = network.roads[index]
        guard road.access.contains(mode.access) else { return nil }
        let speed = self.speed(on: road)
        var best = junctionSeconds[road.from] + offset / speed
        if mode == .foot { best = min(best, junctionSeconds[road.to] + (road.length - offset) / speed) }
        for start in starts where start.road == index {
            let ahead = offset - start.offset
            if mode == .foot { best = min(best, abs(ahead) / speed) } else if ahead >= 0 { best = min(best, ahead / speed) }
        }
        return best <= horizon ? best : nil
    }

    /// The metres per second this mode moves at on `road`.
    func speed(on road: RoadNetwork.Road) -> Double {
        mode == .foot ? walkingSpeed : road.speedLimit
    }

    /// The stretches of `road` reached within the horizon: each interval of offsets (metres,
    /// merged where they overlap) with the earliest arrival anywhere in it.
    public func reachedStretches(ofRoad index: Int) -> [(from: Double, to: Double, earliest: Double)] {
        let road = network.roads[index]
        guard road.access.contains(mode.access) else { return [] }
        let speed = self.speed(on: road), length = road.length
        var intervals: [(from: Double, to: Double, earliest: Double)] = []
        let fromStart = junctionSeconds[road.from]
        if fromStart <= horizon { intervals.append((0, min(length, (horizon - fromStart) * speed), fromStart)) }
        if mode == .foot {
            let fromEnd = junctionSeconds[road.to]
            if fromEnd <= horizon { intervals.append((max(0, length - (horizon - fromEnd) * speed), length, fromEnd)) }
        }
        for start in starts where start.road == index {
            let reach = horizon * speed
            let low = mode == .foot ? max(0, start.offset - reach) : start.offset
            intervals.append((low, min(length, start.offset + reach), 0))
        }
        intervals.sort { $0.from < $1.from }
        var merged: [(from: Double, to: Double, earliest: Double)] = []
        for interval in intervals {
            if let last = merged.last, interval.from <= last.to {
                merged[merged.count - 1] = (last.from, max(last.to, interval.to), min(last.earliest, interval.earliest))
            } else {
                merged.append(interval)
            }
        }
        return merged
    }
}

extension RoadNetwork {
    /// Travel times by `mode` from `start` (and, by car, from the same place on a road that
    /// runs the other way between the same junctions), up to `horizon` seconds.
    ///
    /// On foot every road open to pedestrians is walked either way at `walkingSpeed`; by car,
    /// roads open to cars are driven in their direction at their speed limit. A start on a road
    /// closed to the mode reaches nothing: pick the start with
    /// ``nearestRoadPosition(to:access:component:maximumDistance:)`` and the mode's access.
    public func travelTimes(from start: RoadPosition, mode: TravelMode, walkingSpeed: Double = 1.4,
                            within horizon: Double) -> TravelTimes {
        var starts = [start]
        if mode == .car {
            let road = roads[start.road]
            for twin in outgoing[road.to] where roads[twin].to == road.from && roads[twin].access.contains(.cars) {
                let offset = roads[twin].length * (1 - start.offset / road.length)
                starts.append(RoadPosition(road: twin, offset: offset, point: start.point, distance: start.distance))
            }
        }
        var seconds = [Double](repeating: .infinity, count: junctions.count)
        var queue = ArrivalQueue(capacity: 64)
        var settled: [Int] = []
        func reach(_ junction: Int, at time: Double) {
            guard time <= horizon, time < seconds[junction] else { return }
            seconds[junction] = time
            queue.push(time, junction)
        }
        for start in starts where roads[start.road].access.contains(mode.access) {
            let road = roads[start.road]
            let speed = mode == .foot ? walkingSpeed : road.speedLimit
            reach(road.to, at: (road.length - start.offset) / speed)
            if mode == .foot { reach(road.from, at: start.offset / speed) }
        }
        while let (time, junction) = queue.pop() {
            guard time == seconds[junction] else { continue }
            settled.append(junction)
            for index in outgoing[junction] {
                let road = roads[index]
                guard road.access.contains(mode.access) else { continue }
                reach(road.to, at: time + road.length / (mode == .foot ? walkingSpeed : road.speedLimit))
            }
            if mode == .foot {
                for index in incoming[junction] where roads[index].access.contains(.pedestrians) {
                    reach(roads[index].from, at: time + roads[index].length / walkingSpeed)
                }
            }
        }
        return TravelTimes(network: self, mode: mode, starts: starts, horizon: horizon, walkingSpeed: walkingSpeed,
                           junctionSeconds: seconds, reachedJunctions: settled)
    }
}
