import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchStore
import CityWatchTestSupport
import Fluent
import FluentKit
import Foundation
import Testing

/// `citywatch search` as an investigator runs it.
@Suite("Search command", .serialized)
struct SearchCommandTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: CommandLineTests.binary), "build the executable first: swift build"))
    func findsTheSameAsTheServiceAndExplainsBadFlags() async throws {
        try await withCityWatch(.sqlite) { app in
            let cameras = try await app.makeCameras(2)
            let start = Date(timeIntervalSince1970: 1_790_002_800)
            let generator = SearchMetadataGenerator(seed: 5, peakObjectsPerMinute: 2)
            for (number, camera) in cameras.enumerated() {
                try await SearchMetadataGenerator.store(generator.generate(camera: camera, number: number, from: start, minutes: 30),
                                                        camera: camera, on: app.db)
            }
            let database = app.cityWatch.configuration.database
            let period = ["--from", ISO8601DateFormatter().string(from: start), "--to", ISO8601DateFormatter().string(from: start.addingTimeInterval(1_800))]
            let table = try CommandLineTests.citywatch(["search"] + period + ["--region", "0.2,0.4 0.8,0.4 0.8,1 0.2,1", "--class", "person", "--limit", "500"],
                                                       database: database)
            let expected = try await SearchService(database: app.db).run(
                SearchQuery(from: start, to: start.addingTimeInterval(1_800),
                            region: ImagePolygon(points: [ImagePoint(x: 0.2, y: 0.4), ImagePoint(x: 0.8, y: 0.4), ImagePoint(x: 0.8, y: 1), ImagePoint(x: 0.2, y: 1)]),
                            classes: [.person], limit: 500), cameras: Set(cameras))
            #expect(expected.total > 0)
            #expect(table.hasPrefix("\(expected.total) episode(s) of objects on 2 camera(s)"), "\(table.prefix(200))")
            #expect(table.split(separator: "\n").count == 1 + expected.episodes.count)
            let json = try CommandLineTests.citywatch(["search"] + period + ["--camera", cameras[0].uuidString, "--json"], database: database)
            #expect(json.contains("\"episodes\"") && !json.contains(cameras[1].uuidString))
            // CSV for a case file: a header, then the same episodes, in the same order, with addresses.
            let csv = try CommandLineTests.citywatch(["search"] + period + ["--region", "0.2,0.4 0.8,0.4 0.8,1 0.2,1", "--class", "person",
                                                                          "--limit", "500", "--csv"], database: database)
            let rows = csv.dropFirst(csv.hasPrefix("\u{FEFF}") ? 1 : 0).split(separator: "\r\n").map(String.init)
            #expect(rows.first == SearchEpisodesCSV.header.joined(separator: ","))
            #expect(rows.dropFirst().map { String($0.prefix(36)) } == expected.episodes.map(\.cameraID.uuidString))
            #expect(rows.dropFirst().allSatisfy { $0.contains("서울특별시 강남구") && $0.contains("+09:00") }, "\(rows.dropFirst().first ?? "")")
            let bad: [([String], String)] = [
                (["--json", "--csv"], "--json and --csv: choose one"),
                (["--class", "dragon"], "--class 'dragon' is not one of"),
                (["--region", "0.1,0.1 0.5"], "--region: point 2 '0.5' must be two numbers"),
                (["--crossing", "leftToRight"], "crossing: needs a line"),
                (["--direction", "north"], "--direction 'north' must be two angles"),
            ]
            for (flags, message) in bad {
                do {
                    _ = try CommandLineTests.citywatch(["search"] + period + flags, database: database)
                    Issue.record("\(flags) was accepted")
                } catch let failure as ProgramFailure {
                    #expect(failure.standardError.contains(message), "\(flags): \(failure)")
                }
            }
            #expect(try await AuditLog(database: app.db).list(.init(action: "search")).count == 3)
        }
    }
}
