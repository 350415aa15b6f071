import CityWatchApp
import CityWatchDomain
import CityWatchTestSupport
import Foundation
import Testing

@Suite("SUMO network reader")
struct SUMONetworkReaderTests {
    /// Read once: the real file takes a moment to parse in a debug build.
    static let gangnam = Result { try SUMONetworkReader().read(contentsOf: RepositoryPaths.gangnamRoadNetwork) }

    @Test func gangnamHas414JunctionsAnd1170Roads() throws {
        let result = try Self.gangnam.get()
        #expect(result.network.junctions.count == 414)
        #expect(result.network.roads.count == 1_170)
        #expect(result.problems.isEmpty)
        #expect(result.location.zone == 52 && result.location.hemisphere == .north)
        // SUMO without allow/disallow lets every class use a lane.
        #expect(result.network.roads.allSatisfy { $0.access == .everyone && $0.speedLimit > 0 && $0.length > 0 })
    }

    /// Every junction and shape point, placed through netOffset and UTM zone 52, lands inside the
    /// lon/lat box the file itself gives as its original boundary (to a metre or two of rounding).
    @Test func everyPointLiesInsideTheFilesOwnLonLatBoundary() throws {
        let result = try Self.gangnam.get()
        let box = try #require(result.location.originalBoundary)
        let slack = 0.00002 // ≈ 2 m
        let widened = try GeoBoundingBox(south: box.south - slack, west: box.west - slack, north: box.north + slack, east: box.east + slack)
        let points = result.network.junctions.map(\.point) + result.network.roads.flatMap(\.shape)
        #expect(points.allSatisfy { widened.contains($0) })
        // And they fill it: the extremes come within 50 m of three sides; in the south the file's
        // own convBoundary starts 186 m up (y = 186.18), so the network stops about that short.
        #expect(abs(points.map(\.latitude).max()! - box.north) < 0.0005)
        let southGap = (points.map(\.latitude).min()! - box.south) * 111_000
        #expect(southGap > 150 && southGap < 220)
        #expect(abs(points.map(\.longitude).min()! - box.west) < 0.0006 && abs(points.map(\.longitude).max()! - box.east) < 0.0006)
    }

    /// Gangnam station (37.4979 N, 127.0276 E) is the crossing of Gangnam-daero and Teheran-ro:
    /// a big junction of the network must lie within 150 m of it.
    @Test func aJunctionLiesAtGangnamStation() throws {
        let network = try Self.gangnam.get().network
        let nearest = try #require(network.nearestJunction(to: GeoPoint(latitude: 37.4979, longitude: 127.0276)))
        #expect(nearest.distance < 150)
        let degree = network.roads.filter { $0.from == nearest.junction || $0.to == nearest.junction }.count
        #expect(degree >= 6)
    }

    @Test func gangnamIsOneMainPartWithFewFragments() throws {
        let network = try Self.gangnam.get().network
        #expect(network.componentSizes.reduce(0, +) == 414)
        #expect(Double(network.componentSizes[0]) > 0.9 * 414)
    }

    // MARK: - Bad input

    static func read(_ text: String) throws(SUMONetworkError) -> SUMONetworkReader.Result {
        try SUMONetworkReader().read(Data(text.utf8))
    }

    static let location = #"<location netOffset="-324525.23,-4150247.69" convBoundary="0,0,1000,1000" origBoundary="127.01,37.48,127.09,37.54" projParameter="+proj=utm +zone=52 +ellps=WGS84 +datum=WGS84 +units=m +no_defs"/>"#

    static func net(_ body: String, location: String = location) -> String {
        "<?xml version=\"1.0\"?>\n<net version=\"1.16\">\n\(location)\n\(body)\n</net>\n"
    }

    static let twoJunctions = """
        <junction id="a" type="priority" x="100.0" y="100.0"/>
        <junction id="b" type="priority" x="200.0" y="100.0"/>
        """

    @Test func aMissingFileIsUnreadable() {
        #expect {
            try SUMONetworkReader().read(contentsOf: URL(fileURLWithPath: "/nonexistent/roads.net.xml"))
        } throws: { error in
            guard case .unreadable(let path, _)? = error as? SUMONetworkError else { return false }
            return path == "/nonexistent/roads.net.xml"
        }
    }

    @Test func textThatIsNotXMLIsRefusedWithItsLine() {
        #expect {
            try Self.read("<net>\n<location/>\n<edge id=\"x\"\n just text & more")
        } throws: { error in
            guard case .notXML(let line, _)? = error as? SUMONetworkError else { return false }
            return line >= 3
        }
        #expect(throws: SUMONetworkError.self) { try Self.read("id,lat,lon\n1,37.5,127.0\n") }
    }

    @Test func aFileWithoutLocationIsRefused() {
        #expect(throws: SUMONetworkError.noLocation) { try Self.read(Self.net(Self.twoJunctions, location: "")) }
    }

    @Test(arguments: ["+proj=tmerc +lat_0=38 +lon_0=127", "!", "+proj=utm +zone=52 +ellps=bessel", "+proj=utm +zone=99"])
    func projectionsOtherThanUTMOnWGS84AreRefused(projection: String) {
        let location = #"<location netOffset="0,0" projParameter="\#(projection)"/>"#
        #expect(throws: SUMONetworkError.unsupportedProjection(line: 3, projection: projection)) {
            try Self.read(Self.net(Self.twoJunctions, location: location))
        }
    }

    @Test func badEdgesAreReportedWithTheirLinesAndTheGoodOnesKept() throws {
        let body = Self.twoJunctions + """

            <edge id=":a_0" function="internal"><lane id=":a_0_0" index="0" speed="5" length="3" shape="1,1 2,2"/></edge>
            <edge id="good" from="a" to="b" priority="1">
                <lane id="good_0" index="0" speed="13.89" length="100.00" shape="100,98 200,98"/>
            </edge>
            <edge id="ghost" from="a" to="nowhere"><lane id="ghost_0" index="0" speed="13.89" length="50" shape="1,1 2,2"/></edge>
            <edge id="slow" from="b" to="a">
                <lane id="slow_0" index="0" length="100.00" shape="200,102 100,102"/>
            </edge>
            <edge id="walk" from="b" to="a"><lane id="walk_0" index="0" speed="2" length="100" allow="pedestrian" shape="200,104 100,104"/></edge>
            <junction id="late" type="dead_end" x="oops" y="100.0"/>
            """
        let result = try Self.read(Self.net(body))
        #expect(result.network.roads.map(\.id) == ["good", "walk"])
        #expect(result.network.roads[1].access == .pedestrians)
        #expect(result.skippedInternal == 1)
        let problems = result.problems.map { "\($0.line) \($0.element)" }
        #expect(problems == ["15 junction \"late\"", "10 edge \"ghost\"", "12 lane \"slow_0\" of edge \"slow\""])
        #expect(result.problems[1].reason.contains("nowhere"))
        #expect(result.problems[2].reason.contains("no speed"))
        let good = result.network.roads[0]
        #expect(abs(good.length - 100) < 1e-9 && abs(good.speedLimit - 13.89) < 1e-9)
        #expect(abs(good.shape[0].distance(to: good.shape[1]) - 100) < 0.5)
    }

    @Test func allowAndDisallowFollowSUMOsRule() {
        #expect(SUMONetworkReader.access(allow: nil, disallow: nil) == .everyone)
        #expect(SUMONetworkReader.access(allow: "bus taxi", disallow: nil) == [])
        #expect(SUMONetworkReader.access(allow: "pedestrian bicycle", disallow: nil) == .pedestrians)
        #expect(SUMONetworkReader.access(allow: nil, disallow: "pedestrian") == .cars)
        #expect(SUMONetworkReader.access(allow: nil, disallow: "all") == [])
        #expect(SUMONetworkReader.access(allow: "all", disallow: nil) == .everyone)
    }
}
