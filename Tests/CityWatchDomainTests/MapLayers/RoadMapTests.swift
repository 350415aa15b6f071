import CityWatchDomain
import Testing

/// The road network as map lines: both directions of a street drawn once, courses simplified
/// without moving them more than the tolerance.
@Suite("Road map lines")
struct RoadMapTests {
    @Test func twoWayStreetsBecomeOneLineAndOneWayStreetsStayAlone() {
        let spots = [(0.0, 0.0), (100, 0), (100, 100)]
        let network = Roads.network(spots, Roads.street("ab", 0, 1, spots, access: .cars)
            + [Roads.road("bc", 1, 2, spots, access: .pedestrians), Roads.road("-ab-path", 1, 0, spots, access: .pedestrians)])
        let map = RoadMap(network: network)
        // "-ab" pairs with "ab" (first unpaired road the other way of about the same length);
        // the footpath the same way as "-ab" has no partner left and stays its own line.
        #expect(map.lines.map(\.roadIDs) == [["ab", "-ab"], ["bc"], ["-ab-path"]])
        #expect(map.lines.map(\.isTwoWay) == [true, false, false])
        #expect(map.lines.map(\.access) == [.cars, .pedestrians, .pedestrians])
    }

    @Test func streetsOfDifferentLengthsBetweenTheSameJunctionsAreNotMerged() {
        let spots = [(0.0, 0.0), (100, 0)]
        let straight = Roads.road("straight", 0, 1, spots)
        var detour = Roads.road("detour", 1, 0, spots)
        detour.length = 180
        detour.shape = [Roads.at(100, 0), Roads.at(50, 60), Roads.at(0, 0)]
        let map = RoadMap(network: Roads.network(spots, [straight, detour]))
        #expect(map.lines.map(\.roadIDs) == [["straight"], ["detour"]])
        #expect(map.lines[1].points.count == 3, "the detour's corner 60 m off the line stays")
    }

    @Test func simplificationDropsPointsWithinTheToleranceAndKeepsCorners() {
        // A course east with a 0.5 m wobble, then a right-angle turn north.
        let course = [Roads.at(0, 0), Roads.at(50, 0.5), Roads.at(100, 0), Roads.at(100, 50), Roads.at(100, 100)]
        #expect(RoadMap.simplified(course, tolerance: 1) == [course[0], course[2], course[4]])
        #expect(RoadMap.simplified(course, tolerance: 0.1) == [course[0], course[1], course[2], course[4]])
        #expect(RoadMap.simplified(course, tolerance: 0) == course)
        #expect(RoadMap.simplified(Array(course.prefix(2)), tolerance: 10) == Array(course.prefix(2)))
    }
}
