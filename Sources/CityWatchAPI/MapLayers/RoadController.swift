import CityWatchApp
import CityWatchDomain
import Foundation
import Vapor

/// The configured road network as a map layer.
struct RoadController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.endpoint(.GET, "api", "roads", access: .signedIn, use: roads)
    }

    /// `GET /api/roads`: every street once, as GeoJSON lines in WGS84. The network is read
    /// once (the cast-net's copy) and the answer encoded and gzipped once per process; 404 when
    /// no network is configured, 503 when the configured file cannot be read.
    func roads(req: Request) async throws -> Response {
        let network: RoadNetwork
        let path: String
        switch await req.cityWatch.castNet.network() {
        case .none:
            throw Abort(.notFound, reason: "no road network is configured (set CITYWATCH_ROAD_NETWORK to a SUMO .net.xml file)")
        case .unreadable(let file, let reason):
            throw Abort(.serviceUnavailable, reason: "the road network \(file) could not be read: \(reason)")
        case .loaded(let loaded, let file, _):
            network = loaded
            path = file
        }
        let body = try req.cityWatch.roadMaps.body(for: path) {
            try JSONEncoder().encode(RoadFeatureCollection(RoadMap(network: network)))
        }
        return body.response(for: req, contentType: HTTPMediaType(type: "application", subType: "geo+json"))
    }
}
