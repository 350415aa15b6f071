import CityWatchApp
import CityWatchDomain
import CityWatchTestSupport
import Foundation
import Testing

/// The cast-net on real data: Gangnam's road network and its 2017 CCTV registry.
@Suite("Cast-net on Gangnam")
struct CastNetGangnamTests {
    static let gangnamStation = GeoPoint(latitude: 37.4979, longitude: 127.0276)
    static let incident = Date(timeIntervalSince1970: 1_790_000_000)

    /// One cast-net camera per registry site (1,699), its view read from 촬영방면정보.
    static let registry: [(camera: CastNetCamera, recognised: Bool, text: String)] = {
        let bytes = try! [UInt8](Data(contentsOf: RepositoryPaths.gangnamRegistry))
        let encoding = try! RegistryTextEncoding.sniff(bytes.prefix(4_096)).0
        var records: [CSVTokenizer.Record] = []
        var tokenizer = CSVTokenizer()
        tokenizer.feed(bytes) { if case .record(let record) = $0 { records.append(record) } }
        tokenizer.finish { if case .record(let record) = $0 { records.append(record) } }
        return records.dropFirst().enumerated().compactMap { number, record in
            guard record.count >= 12, let latitude = encoding.decode(record.field(10)).flatMap(Double.init),
                  let longitude = encoding.decode(record.field(11)).flatMap(Double.init) else { return nil }
            let text = encoding.decode(record.field(6)) ?? ""
            let view = CameraView.parsing(registryText: text)
            return (CastNetCamera(id: "site\(number + 2)", point: GeoPoint(latitude: latitude, longitude: longitude), view: view.view),
                    view.recognised, text)
        }
    }()

    static let net = CastNet(cameras: registry.map(\.camera),
                             network: try! SUMONetworkReader().read(contentsOf: RepositoryPaths.gangnamRoadNetwork).network)

    static func plan(after seconds: Double, modes: [TravelMode] = TravelMode.allCases) -> CastNetPlan {
        var query = CastNetQuery(point: gangnamStation, incidentTime: incident, now: incident.addingTimeInterval(seconds))
        query.modes = modes
        return net.plan(query)
    }

    @Test func registryViewTextsAreReadAndAllRoundOnesRecognised() {
        #expect(Self.registry.count == 1_699)
        let allRound = Self.registry.filter { $0.text.hasPrefix("360도") }
        #expect(allRound.count == 1_630)
        #expect(allRound.allSatisfy { $0.recognised && $0.camera.view == .omnidirectional })
        // Places such as 탄천 or 승강기 내부 say nothing about direction: all round, not recognised.
        #expect(Self.registry.filter { !$0.recognised }.allSatisfy { $0.camera.view == .omnidirectional })
    }

    @Test func ringsAroundGangnamStationMatchABruteForceCount() {
        let plan = Self.plan(after: 0)
        let inner = Self.registry.filter { $0.camera.point.distance(to: Self.gangnamStation) <= 500 }.count
        let outer = Self.registry.filter { $0.camera.point.distance(to: Self.gangnamStation) <= 1_000 }.count
        #expect(inner > 20)
        #expect(plan.cameras.filter { $0.ring == .inner }.count == inner)
        #expect(plan.cameras.filter { $0.ring != nil }.count == outer)
        #expect(plan.cameras.first?.ring == .inner)
    }

    @Test func moreRoadsAndCamerasAreReachedAfterFiveMinutesThanAfterOne() {
        for mode in TravelMode.allCases {
            let early = Self.plan(after: 60, modes: [mode]), late = Self.plan(after: 300, modes: [mode])
            func length(_ plan: CastNetPlan) -> Double {
                plan.reachedRoads.reduce(0) { total, road in
                    total + zip(road.polyline, road.polyline.dropFirst()).reduce(0) { $0 + $1.0.distance(to: $1.1) }
                }
            }
            #expect(length(late) > 2 * length(early), "\(mode)")
            let earlyCameras = Set(early.cameras.filter { $0.arrivalSeconds != nil }.map(\.cameraID))
            let lateCameras = Set(late.cameras.filter { $0.arrivalSeconds != nil }.map(\.cameraID))
            #expect(earlyCameras.isStrictSubset(of: lateCameras), "\(mode)")
        }
    }

    /// Nothing beyond reach: every reached road and route camera lies within what the mode
    /// covers in five minutes as the crow flies from where its routes start.
    @Test func nothingUnreachableIsReturned() throws {
        let elapsed = 300.0
        let plan = Self.plan(after: elapsed)
        #expect(plan.notes.isEmpty)
        #expect(plan.routeStarts.count == 2 && plan.routeStarts.allSatisfy { $0.distance < 60 })
        let topSpeed = try SUMONetworkReader().read(contentsOf: RepositoryPaths.gangnamRoadNetwork).network.roads.map(\.speedLimit).max()!
        for start in plan.routeStarts {
            let reach = elapsed * (start.mode == .foot ? 1.4 : topSpeed) + 1
            let roads = plan.reachedRoads.filter { $0.mode == start.mode }
            #expect(!roads.isEmpty)
            #expect(roads.allSatisfy { $0.earliestSeconds <= elapsed && $0.fromFraction <= $0.toFraction })
            #expect(roads.allSatisfy { $0.polyline.allSatisfy { $0.distance(to: start.point) <= reach } }, "\(start.mode)")
            let cameras = plan.cameras.filter { $0.arrivalMode == start.mode }
            #expect(cameras.allSatisfy { $0.arrivalSeconds! <= elapsed && $0.point.distance(to: start.point) <= reach + 30 })
        }
        // On foot in five minutes nobody gets 2 km away.
        #expect(plan.cameras.filter { $0.arrivalMode == .foot }.allSatisfy { $0.distance < 500 })
    }
}
