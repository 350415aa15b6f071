import CityWatchApp
import CityWatchDomain
import CityWatchStore
import Foundation
import Vapor

/// `POST /api/search` body: ``CityWatchDomain/SearchQuery`` with classes and colours as names,
/// so an unknown one is named in the error with the ones that exist.
struct SearchRequest: StrictContent {
    static let allowedKeys: Set<String> = ["cameras", "from", "to", "region", "classes", "colors", "direction", "line", "crossing",
                                           "dwellSeconds", "size", "order", "limit", "offset"]
    var cameras: SearchQuery.Cameras?
    var from: Date
    var to: Date
    var region: ImagePolygon?
    var classes: [String]?
    var colors: [String]?
    var direction: SearchQuery.DirectionRange?
    var line: ImageLine?
    var crossing: CrossingDirection?
    var dwellSeconds: Double?
    var size: SearchQuery.SizeRange?
    var order: SearchQuery.Order?
    var limit: Int?
    var offset: Int?

    /// The query, or 400 naming what is wrong.
    func query() throws -> SearchQuery {
        func names<Value: RawRepresentable & CaseIterable>(_ values: [String]?, as: Value.Type, field: String) throws -> Set<Value>?
            where Value.RawValue == String {
            guard let values else { return nil }
            return Set(try values.map { name in
                guard let value = Value(rawValue: name) else {
                    throw Abort(.badRequest, reason: "\(field): unknown '\(name.prefix(40))' (known: \(Value.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                return value
            })
        }
        let query = SearchQuery(cameras: cameras ?? .init(), from: from, to: to, region: region,
                                classes: try names(classes, as: ObjectClass.self, field: "classes"),
                                colors: try names(colors, as: ColorName.self, field: "colors"),
                                direction: direction, line: line, crossing: crossing, dwellSeconds: dwellSeconds, size: size,
                                order: order ?? .time, limit: limit ?? 50, offset: offset ?? 0)
        do { return try query.validated() } catch { throw Abort(.badRequest, reason: error.description) }
    }
}

/// `POST /api/search` answer.
struct SearchResponse: Content {
    struct Episode: Content {
        var cameraId: UUID
        var start: Date
        var end: Date
        var moment: Date
        var trackIds: [Int]
        var classes: [ObjectClass]
        var score: Double
        /// A JPEG of the moment (needs the right to view the camera).
        var thumbnailURL: String
        /// The console's playback at the moment.
        var playbackURL: String
    }

    var kind: String
    var episodes: [Episode]
    var total: Int
    var cameras: Int
    var reads: SearchIndexRepository.Reads
    var milliseconds: Double

    init(_ result: SearchService.Result, query: SearchQuery) {
        let formatter = ISO8601DateFormatter()
        kind = query.asksForObjects ? "objects" : "motion"
        episodes = result.episodes.map { episode in
            let at = formatter.string(from: episode.moment)
            return Episode(cameraId: episode.cameraID, start: episode.start, end: episode.end, moment: episode.moment,
                           trackIds: episode.trackIDs, classes: episode.classes, score: episode.score,
                           thumbnailURL: "/api/cameras/\(episode.cameraID)/frame?at=\(at)",
                           playbackURL: "#playback?camera=\(episode.cameraID)&at=\(at)")
        }
        total = result.total
        cameras = result.cameras
        reads = result.reads
        milliseconds = result.milliseconds
    }
}
