import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchStore
import CityWatchTestSupport
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

/// `GET /api/roads`: the configured road network as GeoJSON lines for the map, on Gangnam's
/// real network and on a hand-made one whose answer is known.
@Suite("Roads API")
struct RoadsAPITests {
    struct Collection: Decodable {
        struct Feature: Decodable {
            struct Properties: Decodable {
                var id: String
                var access: String
            }

            struct Geometry: Decodable {
                var type: String
                var coordinates: [[Double]]
            }

            var type: String
            var properties: Properties
            var geometry: Geometry
        }

        var type: String
        var features: [Feature]
    }

    /// Runs `body` with an app whose road network is `roadNetwork` (nil: none configured).
    static func withRoads<T>(_ roadNetwork: String?, _ body: (Application) async throws -> T) async throws -> T {
        try await withCityWatch(.sqlite, adjust: { $0.roadNetwork = roadNetwork }, body)
    }

    @Test func gangnamsNetworkComesAsOneLinePerStreetInsideTheDistrictAndIsEncodedOnce() async throws {
        let path = RepositoryPaths.gangnamRoadNetwork.path
        try #require(FileManager.default.fileExists(atPath: path), "needs ../shared/data/gangnam.net.xml")
        try await Self.withRoads(path) { app in
            let network = try SUMONetworkReader().read(contentsOf: URL(fileURLWithPath: path)).network
            let session = try await app.signIn(as: .maintenance)
            let started = ContinuousClock.now
            let first = try await app.testing().sendRequest(.GET, "/api/roads", headers: session.headers)
            let firstTime = ContinuousClock.now - started
            #expect(first.status == .ok, "\(first.body.string.prefix(300))")
            #expect(first.headers.first(name: .contentType) == "application/geo+json")
            let answer = try JSONDecoder().decode(Collection.self, from: Data(first.body.readableBytesView))
            #expect(answer.type == "FeatureCollection")
            // Every road of the network drawn exactly once; two-way streets merged into one line.
            let ids = answer.features.flatMap { $0.properties.id.split(separator: ",").map(String.init) }
            #expect(ids.count == network.roads.count && Set(ids) == Set(network.roads.map(\.id)))
            #expect(answer.features.count < network.roads.count * 3 / 4, "\(answer.features.count) lines for \(network.roads.count) roads")
            // Lines in WGS84 [lon, lat] inside the network's box (127.014–127.083 E, 37.483–37.534 N).
            for feature in answer.features {
                #expect(feature.geometry.type == "LineString" && feature.geometry.coordinates.count >= 2)
                #expect(feature.geometry.coordinates.allSatisfy { (127.0...127.1).contains($0[0]) && (37.47...37.55).contains($0[1]) },
                        "line \(feature.properties.id) leaves Gangnam")
            }
            #expect(Set(answer.features.map(\.properties.access)).isSubset(of: ["all", "cars", "pedestrians", "none"]))
            // Simplified: fewer points than the surveyed shapes.
            let surveyed = network.roads.reduce(0) { $0 + $1.shape.count }
            let drawn = answer.features.reduce(0) { $0 + $1.geometry.coordinates.count }
            #expect(drawn < surveyed)
            // Cached: the second answer is the same bytes; gzip for a browser, much smaller.
            let again = ContinuousClock.now
            let second = try await app.testing().sendRequest(.GET, "/api/roads", headers: session.headers)
            let secondTime = ContinuousClock.now - again
            #expect(second.body == first.body)
            var gzipHeaders = session.headers
            gzipHeaders.add(name: .acceptEncoding, value: "gzip, deflate")
            let zipped = try await app.testing().sendRequest(.GET, "/api/roads", headers: gzipHeaders)
            #expect(zipped.headers.first(name: .contentEncoding) == "gzip")
            #expect(zipped.body.readableBytes * 3 < first.body.readableBytes)
            print("GET /api/roads on gangnam.net.xml: \(answer.features.count) lines from \(network.roads.count) roads, "
                + "\(drawn) points from \(surveyed); \(first.body.readableBytes) bytes JSON, \(zipped.body.readableBytes) bytes gzip; "
                + "first answer \(firstTime) (reads the network, builds and encodes), cached \(secondTime)")
        }
    }

    static let tinyNetwork = """
        <?xml version="1.0"?>
        <net version="1.16">
        <location netOffset="-324525.23,-4150247.69" convBoundary="0,0,1000,1000" origBoundary="127.01,37.48,127.09,37.54" projParameter="+proj=utm +zone=52 +ellps=WGS84 +datum=WGS84 +units=m +no_defs"/>
        <edge id=":a_0" function="internal"><lane id=":a_0_0" index="0" speed="5" length="3" shape="1,1 2,2"/></edge>
        <edge id="ab" from="a" to="b" priority="1">
            <lane id="ab_0" index="0" speed="13.89" length="100.00" shape="100,98 150,98.2 200,98"/>
        </edge>
        <edge id="-ab" from="b" to="a" priority="1">
            <lane id="-ab_0" index="0" speed="13.89" length="100.00" allow="pedestrian" shape="200,102 100,102"/>
        </edge>
        <edge id="bc" from="b" to="c" priority="1">
            <lane id="bc_0" index="0" speed="13.89" length="120.00" allow="passenger" shape="200,100 260,160 300,200"/>
        </edge>
        <junction id="a" type="priority" x="100.0" y="100.0"/>
        <junction id="b" type="priority" x="200.0" y="100.0"/>
        <junction id="c" type="dead_end" x="300.0" y="200.0"/>
        </net>
        """

    @Test func aTinyNetworkGivesItsStreetsMergedAndSimplifiedAndNoNetworkIsAClear404() async throws {
        let file = try RegistryFixtures.write(Data(Self.tinyNetwork.utf8), name: "tiny.net.xml")
        try await Self.withRoads(file) { app in
            let session = try await app.signIn(as: .operator)
            let response = try await app.testing().sendRequest(.GET, "/api/roads", headers: session.headers)
            #expect(response.status == .ok, "\(response.body.string)")
            let answer = try JSONDecoder().decode(Collection.self, from: Data(response.body.readableBytesView))
            // The two directions between a and b are one line, usable by anyone who may use
            // either; the internal edge is no road; the one-way street stays alone.
            #expect(answer.features.map(\.properties.id) == ["ab,-ab", "bc"])
            #expect(answer.features.map(\.properties.access) == ["all", "cars"])
            // 0.2 m off the straight line: under the 1 m tolerance, dropped; 260,160 lies on
            // the line from 200,100 to 300,200: dropped too.
            #expect(answer.features.map(\.geometry.coordinates.count) == [2, 2])
            let start = try #require(answer.features.first?.geometry.coordinates.first)
            let expected = try SUMONetworkReader().read(Data(Self.tinyNetwork.utf8)).location.geoPoint(x: 100, y: 98)
            #expect(abs(start[0] - expected.longitude) < 2e-6 && abs(start[1] - expected.latitude) < 2e-6)
            let stranger = try await app.testing().sendRequest(.GET, "/api/roads")
            #expect(stranger.status == .unauthorized)
        }
        try await Self.withRoads(nil) { app in
            let session = try await app.signIn(as: .operator)
            let response = try await app.testing().sendRequest(.GET, "/api/roads", headers: session.headers)
            #expect(response.status == .notFound && response.body.string.contains("CITYWATCH_ROAD_NETWORK"), "\(response.body.string)")
        }
        let broken = try RegistryFixtures.write(Data("<net><edge id=\"x\"".utf8), name: "broken.net.xml")
        try await Self.withRoads(broken) { app in
            let session = try await app.signIn(as: .operator)
            let response = try await app.testing().sendRequest(.GET, "/api/roads", headers: session.headers)
            #expect(response.status == .serviceUnavailable && response.body.string.contains("broken.net.xml"), "\(response.body.string)")
        }
    }
}
