import CityWatchAnalytics
import CityWatchApp
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import CityWatchTestSupport
import Fluent
import FluentKit
import Foundation
import PropertyBased
import Testing

/// Smart search through the index gives exactly what reading every row gives, on both
/// databases, and finds what was put there at the right second.
@Suite("Search index")
struct SearchIndexTests {
    static let start = Date(timeIntervalSince1970: 1_790_000_000 - 1_790_000_000.truncatingRemainder(dividingBy: 3_600))

    /// A random query over the generated period: motion in a region, or objects by any mix of
    /// class, colour, direction, size, region, dwell and line.
    static func query(seed: UInt64, cameras: [UUID], hours: Int) -> SearchQuery {
        var random = SceneRandom(seed: seed)
        let from = start.addingTimeInterval(random.uniform(0...Double(hours * 3_600 - 600)))
        let to = from.addingTimeInterval(random.uniform(60...Double(hours * 3_600)))
        var query = SearchQuery(cameras: .init(ids: random.uniform(0...1) < 0.3 ? [cameras[0]] : nil), from: from, to: to,
                                order: random.uniform(0...1) < 0.5 ? .time : .relevance, limit: SearchQuery.maximumLimit)
        func point() -> ImagePoint { ImagePoint(x: random.uniform(0...1), y: random.uniform(0...1)) }
        if random.uniform(0...1) < 0.7 {
            let a = point(), b = point()
            let left = min(a.x, b.x), right = max(a.x, b.x) + 0.02, top = min(a.y, b.y), bottom = max(a.y, b.y) + 0.02
            query.region = ImagePolygon(points: [ImagePoint(x: left, y: top), ImagePoint(x: min(1, right), y: top),
                                                 ImagePoint(x: min(1, right), y: min(1, bottom)), ImagePoint(x: left, y: min(1, bottom))])
        }
        guard random.uniform(0...1) < 0.6 else { return query }
        if random.uniform(0...1) < 0.5 { query.classes = [[.person], [.car, .truck], [.person, .bicycle]][Int(random.next() % 3)] }
        if random.uniform(0...1) < 0.3 { query.colors = [ColorName.allCases[Int(random.next() % 9)], .red] }
        if random.uniform(0...1) < 0.3 { query.direction = .init(from: random.uniform(0...360), to: random.uniform(0...360)) }
        if random.uniform(0...1) < 0.3 { query.size = .init(minimum: random.uniform(0...0.3), maximum: random.uniform(0.3...1)) }
        if random.uniform(0...1) < 0.3 {
            query.line = ImageLine(start: point(), end: point())
            query.crossing = CrossingDirection.allCases[Int(random.next() % 3)]
        }
        if query.region != nil, random.uniform(0...1) < 0.3 { query.dwellSeconds = random.uniform(1...30) }
        if !query.asksForObjects { query.classes = [.person] }
        return query
    }

    @Test(arguments: DatabaseKind.allCases)
    func theIndexAnswersExactlyAsReadingEveryRowDoes(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let cameras = try await app.makeCameras(3)
            let generator = SearchMetadataGenerator(seed: 42, peakObjectsPerMinute: 1.5)
            for (number, camera) in cameras.enumerated() {
                let day = generator.generate(camera: camera, number: number, from: Self.start, minutes: 180)
                // The bulk writer (scale tests, benchmark) must index exactly as the service's writer does.
                if number == 2 {
                    try await SearchMetadataGenerator.storeBulk(day, camera: camera, on: app.db)
                } else {
                    try await SearchMetadataGenerator.store(day, camera: camera, on: app.db)
                }
            }
            let search = SearchService(database: app.db)
            let all = Set(cameras)
            var found = 0, rowsIndexed = 0, rowsRead = 0
            await propertyCheck(count: 40, input: Gen.uint64()) { seed in
                let query = try Self.query(seed: seed, cameras: cameras, hours: 3).validated()
                let scope = query.cameras.ids.map(Set.init) ?? all
                let indexed = try await search.run(query, cameras: scope)
                let brute = try await search.bruteForce(query, cameras: scope)
                #expect(indexed.episodes == brute.episodes, "seed \(seed): \(query)")
                #expect(indexed.total == brute.total)
                found += indexed.total
                if !query.asksForObjects {
                    rowsIndexed += indexed.reads.hours
                    rowsRead += brute.reads.minutes
                }
            }
            #expect(found > 0, "the random queries found something")
            #expect(rowsIndexed * 3 < rowsRead, "one row a camera-hour (not one a minute), those that cannot match skipped: \(rowsIndexed) against \(rowsRead)")
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func aPersonWalkingThroughARegionIsFoundAtTheRightSecond(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let cameras = try await app.makeCameras(2)
            let enters = Self.start.addingTimeInterval(1_234)
            // Left to right across the lower half, 10 s; in the doorway (x 0.4–0.6) from 4 s to 6 s.
            let path = (0...10).map { step in ImageBox(x: 0.05 + 0.09 * Double(step), y: 0.5, width: 0.05, height: 0.3) }
            let walker = TrackSummary(cameraID: cameras[0], trackID: 7, objectClass: .person, start: enters, end: enters.addingTimeInterval(10),
                                      path: path, color: "red", direction: 90, speed: 0.09)
            try await SearchMetadataGenerator.store(.init(minutes: [], tracks: [walker]), camera: cameras[0], on: app.db)
            var minute = MotionMinute(minute: Int64(enters.timeIntervalSince1970 / 60))
            for grid in SearchMetadataGenerator.grids(of: walker) { minute.add(grid) }
            try await SearchMetadataGenerator.store(.init(minutes: [minute], tracks: []), camera: cameras[0], on: app.db)

            let doorway = ImagePolygon(points: [ImagePoint(x: 0.4, y: 0.6), ImagePoint(x: 0.6, y: 0.6), ImagePoint(x: 0.6, y: 0.9), ImagePoint(x: 0.4, y: 0.9)])
            let search = SearchService(database: app.db)
            let people = try await search.run(SearchQuery(from: Self.start, to: Self.start.addingTimeInterval(3_600), region: doorway,
                                                          classes: [.person]), cameras: Set(cameras))
            let episode = try #require(people.episodes.first)
            #expect(people.total == 1 && episode.cameraID == cameras[0] && episode.trackIDs == [7])
            #expect(abs(episode.moment.timeIntervalSince(enters) - 4) <= 1, "in the doorway about 4 s after entering: \(episode.moment.timeIntervalSince(enters))")
            let motion = try await search.run(SearchQuery(from: Self.start, to: Self.start.addingTimeInterval(3_600), region: doorway),
                                              cameras: Set(cameras))
            #expect(motion.total == 1 && motion.episodes.first.map { abs($0.start.timeIntervalSince(enters) - 4) <= 1 } == true)
            let elsewhere = ImagePolygon(points: [ImagePoint(x: 0.1, y: 0.0), ImagePoint(x: 0.9, y: 0.0), ImagePoint(x: 0.5, y: 0.3)])
            #expect(try await search.run(SearchQuery(from: Self.start, to: Self.start.addingTimeInterval(3_600), region: elsewhere),
                                         cameras: Set(cameras)).total == 0, "nothing moved at the top of the picture")
            let leftwards = try await search.run(SearchQuery(from: Self.start, to: Self.start.addingTimeInterval(3_600),
                                                             line: ImageLine(start: ImagePoint(x: 0.5, y: 1), end: ImagePoint(x: 0.5, y: 0.2)),
                                                             crossing: .rightToLeft), cameras: Set(cameras))
            #expect(leftwards.total == 0, "the walker crossed the other way")
            #expect(try await search.run(SearchQuery(from: Self.start, to: Self.start.addingTimeInterval(3_600), region: doorway, dwellSeconds: 5),
                                         cameras: Set(cameras)).total == 0, "2 s in the doorway is no 5 s stay")
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func aMinuteStoredInPartsKeepsEverySecondAndRetentionLeavesNoneBehind(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let camera = try await app.makeCameras(1)[0]
            let repository = AnalyticsRepository(database: app.db)
            let search = SearchService(database: app.db)
            func store(_ seconds: [Int], minute: Int) async throws {
                var stored = MotionMinute(minute: Int64(Self.start.timeIntervalSince1970 / 60) + Int64(minute))
                for second in seconds {
                    var grid = MotionGrid(second: stored.minute * 60 + Int64(second))
                    grid[3, 4] = 90
                    stored.add(grid)
                }
                try await repository.saveMotionMinute(camera: camera, stored)
            }
            func found() async throws -> [Date] {
                let query = SearchQuery(from: Self.start, to: Self.start.addingTimeInterval(3_600))
                let indexed = try await search.run(query, cameras: [camera])
                #expect(indexed.episodes == (try await search.bruteForce(query, cameras: [camera])).episodes)
                return indexed.episodes.map(\.start).sorted()
            }
            try await store([10, 11], minute: 2)
            try await store([30], minute: 40)
            #expect(try await found() == [Self.start.addingTimeInterval(130), Self.start.addingTimeInterval(2_430)])
            // More of minute 2 arrives (the writer stores a minute in parts, and again after a restart): merged.
            try await store([50], minute: 2)
            #expect(try await found() == [Self.start.addingTimeInterval(130), Self.start.addingTimeInterval(170), Self.start.addingTimeInterval(2_430)])
            let minute = try #require(try await MotionMinuteModel.query(on: app.db).filter(\.$minuteAt == Self.start.addingTimeInterval(120)).first())
            #expect(minute.activeSeconds == 3)
            // An hour written before runs were kept (runs NULL) is read from its minutes; the next minute fills it in.
            try await MotionHourModel.query(on: app.db).set(\.$runs, to: nil).update()
            #expect(try await found() == [Self.start.addingTimeInterval(130), Self.start.addingTimeInterval(170), Self.start.addingTimeInterval(2_430)])
            try await store([5], minute: 41)
            #expect(try await MotionHourModel.query(on: app.db).first()?.runs != nil)
            #expect(try await found() == [Self.start.addingTimeInterval(130), Self.start.addingTimeInterval(170), Self.start.addingTimeInterval(2_430),
                                          Self.start.addingTimeInterval(2_465)])
            // Retention cuts the hour at minute 30: minute 2 goes, minute 40 stays.
            _ = try await repository.expire(camera: camera, before: Self.start.addingTimeInterval(1_800), holds: [])
            #expect(try await found() == [Self.start.addingTimeInterval(2_430), Self.start.addingTimeInterval(2_465)])
        }
    }

    @Test func aYearOverEveryCameraIsRefusedWithAReason() async throws {
        try await withCityWatch(.sqlite) { app in
            let cameras = Set((0..<1_100).map { _ in UUID() })
            let query = SearchQuery(from: Self.start.addingTimeInterval(-365 * 86_400), to: Self.start)
            await #expect(throws: SearchService.Refusal.self) { try await SearchService(database: app.db).run(query, cameras: cameras) }
        }
    }
}
