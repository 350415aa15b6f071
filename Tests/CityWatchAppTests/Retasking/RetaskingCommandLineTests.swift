import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchStore
import CityWatchTestSupport
import Fluent
import Foundation
import Testing

/// `citywatch cameras retask` and `cameras retaskings`, run as an operator at the console's
/// machine would run them.
@Suite("Re-tasking command line", .serialized)
struct RetaskingCommandLineTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: CommandLineTests.binary), "build the executable first: swift build"),
          arguments: DatabaseKind.allCases)
    func retaskListAndRevertFromTheCommandLine(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let (parking, crime) = try await app.makeParkingAndCrimeCameras()
            let database = app.cityWatch.configuration.database
            let text = try CommandLineTests.citywatch(["cameras", "retask", parking.uuidString, "--reason", "robbery at the car park", "--minutes", "45"],
                                                      database: database)
            #expect(text.contains("교통단속 → 생활방범 until") && text.contains("parking street 1"), "\(text)")
            let stored = try #require(try await RetaskingRepository(database: app.db).unreverted(camera: parking))
            #expect(abs(stored.until.timeIntervalSince(stored.from) - 45 * 60) < 1 && stored.by.hasPrefix("cli:"))
            #expect(try await AnalyticsRepository(database: app.db).settings(for: parking).rules.map(\.id) == RetaskingPolicy.crimeWatchRules.map(\.id))

            let listed = try CommandLineTests.citywatch(["cameras", "retaskings", "--json"], database: database)
            let listing = try #require(try JSONSerialization.jsonObject(with: Data(listed.utf8)) as? [String: Any])
            #expect((listing["active"] as? [[String: Any]])?.map { $0["cameraId"] as? String } == [parking.uuidString])

            do {
                _ = try CommandLineTests.citywatch(["cameras", "retask", crime.uuidString, "--reason", "robbery", "--minutes", "30"], database: database)
                Issue.record("a crime-prevention camera was re-tasked")
            } catch {
                #expect("\(error)".contains("only parking and traffic enforcement cameras"), "\(error)")
            }
            do {
                _ = try CommandLineTests.citywatch(["cameras", "retask", parking.uuidString, "--minutes", "30"], database: database)
                Issue.record("a re-tasking without a reason was accepted")
            } catch {
                #expect("\(error)".contains("--reason"), "\(error)")
            }

            let reverted = try CommandLineTests.citywatch(["cameras", "retask", parking.uuidString, "--revert"], database: database)
            #expect(reverted.contains("back to 교통단속"), "\(reverted)")
            #expect(try await AnalyticsRepository(database: app.db).settings(for: parking) == stored.savedSettings)
            let audit = try await AuditLog(database: app.db).list(.init(action: "camera.retask.revert"))
            #expect(audit.count == 1 && audit.first?.actor.hasPrefix("cli:") == true)
        }
    }
}
