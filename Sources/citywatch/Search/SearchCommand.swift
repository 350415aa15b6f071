import ArgumentParser
import CityWatchApp
import CityWatchCommandLine
import CityWatchDomain
import CityWatchStore
import Fluent
import FluentKit
import Foundation

/// `citywatch search`: smart search from the command line.
struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find motion or objects in recorded metadata: a region, classes, colours, direction, a line crossed, a stay, a size.",
        discussion: """
        Without object criteria it finds motion in --region (or anywhere); with any of --class, --color, --direction, \
        --line, --dwell, --min-size, --max-size it finds tracked objects meeting all of them (inside --region when given). \
        Picture coordinates are fractions of the picture, 0,0 top left to 1,1 bottom right. No video is decoded. \
        The search is audit-logged. Example: citywatch search --from 2026-11-26T01:00:00+09:00 --to 2026-11-26T04:00:00+09:00 \
        --region "0.4,0.5 0.6,0.5 0.6,1 0.4,1" --class person
        """)

    @OptionGroup var store: StoreOptions
    @Option(name: .customLong("camera"), help: ArgumentHelp("A camera id (repeatable).", valueName: "uuid")) var cameras: [String] = []
    @Option(name: .customLong("purpose"), help: ArgumentHelp("Cameras of a purpose code, e.g. crimePrevention (repeatable).", valueName: "code"))
    var purposes: [String] = []
    @Option(help: ArgumentHelp("Cameras inside a map area: \"lat,lon lat,lon lat,lon …\".", valueName: "polygon")) var area: String?
    @Option(help: ArgumentHelp("Start, ISO 8601 (2026-11-26T09:00:00Z).", valueName: "time")) var from: String
    @Option(help: ArgumentHelp("End, ISO 8601.", valueName: "time")) var to: String
    @Option(help: ArgumentHelp("A region on the picture: \"x,y x,y x,y …\".", valueName: "polygon")) var region: String?
    @Option(name: .customLong("class"), help: ArgumentHelp("Object class: \(ObjectClass.allCases.map(\.rawValue).joined(separator: ", ")) (repeatable).", valueName: "class"))
    var classes: [String] = []
    @Option(name: .customLong("color"), help: ArgumentHelp("Dominant colour: \(ColorName.allCases.map(\.rawValue).joined(separator: ", ")) (repeatable).", valueName: "colour"))
    var colors: [String] = []
    @Option(help: ArgumentHelp("Direction of travel, degrees clockwise from up: \"300-60\" is roughly upwards.", valueName: "from-to"))
    var direction: String?
    @Option(help: ArgumentHelp("A line on the picture the object crossed: \"x,y x,y\".", valueName: "line")) var line: String?
    @Option(help: ArgumentHelp("Which way over --line: leftToRight, rightToLeft, either (seen from its first point towards its second).", valueName: "way"))
    var crossing: CrossingDirection?
    @Option(help: ArgumentHelp("Seconds an object stayed in --region without leaving.", valueName: "seconds")) var dwell: Double?
    @Option(name: .customLong("min-size"), help: ArgumentHelp("Smallest object height, fraction of the picture.", valueName: "fraction")) var minimumSize: Double?
    @Option(name: .customLong("max-size"), help: ArgumentHelp("Largest object height, fraction of the picture.", valueName: "fraction")) var maximumSize: Double?
    @Option(help: "Order: time (newest first) or relevance.") var order: SearchQuery.Order = .time
    @Option(help: "Episodes to show (1–500).") var limit = 50
    @Option(help: "Episodes to skip (paging).") var offset = 0
    @Flag(help: "Print JSON instead of a table.") var json = false
    @Flag(help: "Print CSV (camera, address, start, end, moment in KST, seconds, classes, tracks, score) instead of a table.") var csv = false

    func run() async throws {
        let configuration = try store.resolve()
        let query = try makeQuery()
        guard !(json && csv) else { throw ValidationError("--json and --csv: choose one") }
        let (asJSON, asCSV) = (json, csv)
        try await withStore(configuration) { app in
            let snapshot = try await CameraDirectory().snapshot(on: app.db)
            for id in query.cameras.ids ?? [] where snapshot.camera(id) == nil { throw ValidationError("no camera \(id)") }
            let cameras = SearchService.cameras(for: query.cameras, snapshot: snapshot, scope: .everything)
            let result: SearchService.Result
            do { result = try await SearchService(database: app.db).run(query, cameras: cameras) } catch let refusal as SearchService.Refusal {
                throw ValidationError(refusal.reason)
            }
            try await AuditLog(database: app.db).append(SearchService.auditEvent(actor: commandLineActor, query: query, cameras: cameras,
                                                                                 result: result))
            if asJSON {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                encoder.dateEncodingStrategy = .iso8601
                print(String(decoding: try encoder.encode(result), as: UTF8.self))
                return
            }
            if asCSV {
                print(SearchEpisodesCSV.text(result.episodes, snapshot: snapshot), terminator: "")
                return
            }
            Self.printTable(result, query: query, snapshot: snapshot)
        }
    }

    static func printTable(_ result: SearchService.Result, query: SearchQuery, snapshot: CameraDirectory.Snapshot) {
        let shown = result.episodes.isEmpty ? "none" : "\(query.offset + 1)–\(query.offset + result.episodes.count)"
        print("\(result.total) episode(s) of \(query.asksForObjects ? "objects" : "motion") on \(result.cameras) camera(s), showing \(shown); "
            + String(format: "%.1f ms", result.milliseconds)
            + " (read \(result.reads.hours) camera-hours, \(result.reads.minutes) minutes, \(result.reads.tracks) tracks)")
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        formatter.timeZone = TimeZone(identifier: "Asia/Seoul")
        for episode in result.episodes {
            let camera = snapshot.camera(episode.cameraID)
            let place = camera.map { record in let site = snapshot.site(of: record).record; return site.roadAddress.isEmpty ? site.lotAddress : site.roadAddress } ?? ""
            let objects = episode.classes.isEmpty ? "" : "  " + episode.classes.map(\.rawValue).joined(separator: ",")
            print("\(formatter.string(from: episode.moment)) KST  \(Int(episode.end.timeIntervalSince(episode.start).rounded()))s  "
                + "\(episode.cameraID)  \(place)\(objects)")
        }
    }

    func makeQuery() throws -> SearchQuery {
        guard let start = AuditListCommand.parse(from), let end = AuditListCommand.parse(to) else {
            throw ValidationError("--from and --to must be ISO 8601 times such as 2026-11-26T09:00:00Z")
        }
        let ids = try cameras.map { text -> UUID in
            guard let id = UUID(uuidString: text) else { throw ValidationError("--camera '\(text)' is not a camera id (UUID)") }
            return id
        }
        func points(_ text: String, _ flag: String) throws -> [ImagePoint] {
            try Self.pairs(text, flag).map { ImagePoint(x: $0.0, y: $0.1) }
        }
        var query = SearchQuery(
            cameras: .init(ids: ids.isEmpty ? nil : ids, purposes: purposes.isEmpty ? nil : purposes,
                           area: try area.map { try Self.pairs($0, "--area").map { GeoPoint(latitude: $0.0, longitude: $0.1) } }),
            from: start, to: end, region: try region.map { ImagePolygon(points: try points($0, "--region")) },
            classes: classes.isEmpty ? nil : Set(try classes.map { name in
                guard let value = ObjectClass(rawValue: name) else { throw ValidationError("--class '\(name)' is not one of \(ObjectClass.allCases.map(\.rawValue).joined(separator: ", "))") }
                return value
            }),
            colors: colors.isEmpty ? nil : Set(try colors.map { name in
                guard let value = ColorName(rawValue: name) else { throw ValidationError("--color '\(name)' is not one of \(ColorName.allCases.map(\.rawValue).joined(separator: ", "))") }
                return value
            }),
            crossing: crossing, dwellSeconds: dwell, order: order, limit: limit, offset: offset)
        if let direction {
            let parts = direction.split(separator: "-").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2 else { throw ValidationError("--direction '\(direction)' must be two angles such as 300-60") }
            query.direction = .init(from: parts[0], to: parts[1])
        }
        if let line {
            let ends = try points(line, "--line")
            guard ends.count == 2 else { throw ValidationError("--line needs exactly two points, got \(ends.count)") }
            query.line = ImageLine(start: ends[0], end: ends[1])
        }
        if minimumSize != nil || maximumSize != nil { query.size = .init(minimum: minimumSize ?? 0, maximum: maximumSize ?? 1) }
        do { return try query.validated() } catch { throw ValidationError(error.description) }
    }

    /// "a,b c,d …" as number pairs, or a message naming the flag and the bad pair.
    static func pairs(_ text: String, _ flag: String) throws -> [(Double, Double)] {
        try text.split(whereSeparator: \.isWhitespace).enumerated().map { index, pair in
            let numbers = pair.split(separator: ",").map { Double($0) }
            guard numbers.count == 2, let first = numbers[0], let second = numbers[1] else {
                throw ValidationError("\(flag): point \(index + 1) '\(pair)' must be two numbers joined by a comma, such as 0.4,0.5")
            }
            return (first, second)
        }
    }
}

extension SearchQuery.Order: ExpressibleByArgument {}
extension CrossingDirection: ExpressibleByArgument {}
