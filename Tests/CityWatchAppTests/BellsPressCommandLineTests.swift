import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchStore
import CityWatchTestSupport
import Fluent
import Foundation
import Testing
import Vapor

/// `citywatch bells key`, `bells drill` and `bells press` against a running server, as an
/// installer testing a bell's link would run them.
@Suite("Bells press command line", .serialized)
struct BellsPressCommandLineTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: CommandLineTests.binary), "build the executable first: swift build"))
    func aKeyIsIssuedAPressReachesTheServerAndADrillWindowMarksIt() async throws {
        // PostgreSQL: on SQLite the commands and the in-process server would share one database file,
        // and a write lock held across processes can stall the thread pool every test's SQLite shares.
        try await withCityWatch(.postgres) { app in
            let cameras = try await app.makeCameras(2)
            let snapshot = try await app.cityWatch.directory.snapshot(on: app.db)
            let site = snapshot.siteOfCamera[try #require(snapshot.cameraIndex[cameras[0]])]
            var record = BellRecord()
            record.managementNumber = "B-CLI-01"
            record.location = "놀이터 입구"
            record.latitude = site.record.latitude + 10 / 111_320
            record.longitude = site.record.longitude
            _ = try await BellRepository(database: app.db).upsert([record], now: Date())
            let configuration = app.cityWatch.configuration
            guard case .postgres(let url) = configuration.database else { Issue.record("a PostgreSQL test database"); return }
            let common = ["--data-dir", configuration.dataDirectory, "--database-url", url]
            // withCityWatch stops the server also when a step below fails. The commands run on
            // threads of their own (runProgramDetached): waiting for them on one of the few
            // concurrency threads could starve the server answering them.
            let port = try await app.startOnFreePort()

            let keyed = try await runProgramDetached(CommandLineTests.binary, ["bells", "key", "B-CLI-01"] + common)
            #expect(keyed.contains("shown only now"), "\(keyed)")
            let pressed = try await runProgramDetached(CommandLineTests.binary, ["bells", "press", "B-CLI-01", "--server", "http://127.0.0.1:\(port)", "--timeout", "60"] + common)
            #expect(pressed.contains("Pressed bell B-CLI-01") && pressed.contains("\"drill\":false"), "\(pressed)")
            let alarms = try await IncidentRepository(database: app.db).alarms(includeFinished: true, limit: 10)
            #expect(alarms.count == 1 && alarms[0].source == .bell && alarms[0].cameraIDs.first == cameras[0])

            let drill = try await runProgramDetached(CommandLineTests.binary, ["bells", "drill", "--all", "--minutes", "20", "--note", "소방 훈련"] + common)
            #expect(drill.contains("Drill for every bell until"), "\(drill)")
            let inDrill = try await runProgramDetached(CommandLineTests.binary, ["bells", "press", "B-CLI-01", "--server", "http://127.0.0.1:\(port)", "--timeout", "60"] + common)
            #expect(inDrill.contains("\"drill\":true"), "\(inDrill)")

            // A wrong secret, an unknown bell, nobody listening: clear failures.
            for (arguments, expected) in [
                (["bells", "press", "B-CLI-01", "--server", "http://127.0.0.1:\(port)", "--secret", "wrong", "--timeout", "60"], "not signed by a bell"),
                (["bells", "press", "NO-SUCH", "--server", "http://127.0.0.1:\(port)"], "no bell 'NO-SUCH'"),
                (["bells", "press", "B-CLI-01", "--timeout", "0"], "--timeout must be 1–300 seconds"),
                (["bells", "press", "B-CLI-01", "--server", "http://127.0.0.1:1", "--timeout", "2"], "could not reach"),
                (["bells", "drill", "B-CLI-01", "--all"], "name one bell or give --all"),
            ] {
                do {
                    _ = try await runProgramDetached(CommandLineTests.binary, arguments + common)
                    Issue.record("\(arguments) succeeded")
                } catch let failure as ProgramFailure {
                    #expect(failure.standardError.contains(expected), "\(arguments): \(failure.standardError)")
                }
            }
            #expect(try await IncidentRepository(database: app.db).alarms(includeFinished: true, limit: 10).count == 2)
            await app.server.shutdown()
        }
    }
}
