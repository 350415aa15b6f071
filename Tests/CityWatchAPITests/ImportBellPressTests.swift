import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import CityWatchTestSupport
import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

/// A registry import never blocks the control room: while `citywatch cameras import` works
/// through a file in its own process, a bell pressed at the server puts its cameras on the wall
/// within a second — while a 100,000-row file is staged, while an import is switched in, and
/// right after.
@Suite("Import and bell presses", .serialized,
       .enabled(if: FileManager.default.isExecutableFile(atPath: RepositoryPaths.root.appendingPathComponent(".build/debug/citywatch").path),
                "needs the built executable"))
struct ImportBellPressTests {
    static let binary = RepositoryPaths.root.appendingPathComponent(".build/debug/citywatch").path

    /// A press's time to the wall, and what the import was doing then.
    struct Press {
        var seconds: Double
        var phase: String
    }

    @Test(.timeLimit(.minutes(3)))
    func aBellPressedDuringAnImportReachesTheWallWithinASecond() async throws {
        try await withCityWatch(.sqlite) { app in
            guard case .sqlite(let path) = app.cityWatch.configuration.database else { return }
            let cameras = try await app.makeCameras(1)
            let number = try await BellPressAPITests.bellNear(cameras[0], app: app)
            let sealer = try CredentialSealer.load(base64: nil, folder: (app.cityWatch.configuration.dataDirectory as NSString).appendingPathComponent("keys"))
            let (_, secret) = try await BellPressService(database: app.db, center: app.cityWatch.alarms, sealer: sealer).issueSecret(bell: number, by: "test")
            let folder = try RepositoryPaths.temporaryFolder("import-bell")
            defer { try? FileManager.default.removeItem(at: folder) }
            var walls = app.cityWatch.alarms.subscribe().makeAsyncIterator()

            /// Presses the bell; returns the seconds until its wall request reached the consoles
            /// (the bell's 202 follows once the press is stored, and is checked too).
            func press() async throws -> Double {
                let started = ContinuousClock.now
                let headers = BellPressAPITests.signed(number, secret: secret)
                let answering = Task { try await app.testing().sendRequest(.POST, "/api/bells/\(number)/press", headers: headers) }
                var shown: ContinuousClock.Instant?
                while let message = await walls.next() {
                    if case .wall(let request) = message, request.cameraIDs == [cameras[0]] {
                        shown = .now
                        break
                    }
                }
                let answer = try await answering.value
                #expect(answer.status == .accepted, "\(answer.body.string)")
                let elapsed = started.duration(to: shown ?? .now)
                return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            }
            /// What the import is doing: staging, committed (switching in), or none.
            func phase() async throws -> String {
                try await app.db.sql.select().column("state").from("registry_import_runs").first()?.decode(column: "state", as: String.self) ?? "none"
            }
            /// Imports `file` with the command line while pressing every `interval`; stops after `limit` presses.
            func pressWhileImporting(_ file: String, every interval: Duration, limit: Int) async throws -> [Press] {
                let importing = try MediaProcess(path: Self.binary, arguments: ["cameras", "import", file, "--data-dir", folder.path, "--database-url", "sqlite://" + path])
                var presses: [Press] = []
                while importing.isRunning, presses.count < limit {
                    try await Task.sleep(for: interval)
                    let during = try await phase()
                    guard during != "none" else { continue }
                    presses.append(Press(seconds: try await press(), phase: during))
                }
                importing.forceKill()
                while importing.isRunning { try await Task.sleep(for: .milliseconds(20)) }
                return presses
            }

            // A whole city's file: pressed while it is staged (then the import is stopped).
            let large = folder.appendingPathComponent("large.csv").path
            _ = try RegistryFileGenerator(rows: 100_000, seed: 3).write(to: large)
            var presses = try await pressWhileImporting(large, every: .milliseconds(700), limit: 6)
            #expect(presses.filter { $0.phase == "staging" }.count >= 3, "\(presses)")
            // The killed import staged and never committed: it is forgotten.
            for run in try await RegistryStaging(database: app.db).unfinished() {
                #expect(run.state == "staging")
                try await RegistryStaging(database: app.db).discard(run: run.id)
            }
            // A smaller one, pressed until it has been switched in.
            let small = folder.appendingPathComponent("small.csv").path
            _ = try RegistryFileGenerator(rows: 4_000, seed: 4).write(to: small)
            presses += try await pressWhileImporting(small, every: .milliseconds(150), limit: 200)
            #expect(presses.contains { $0.phase == "committed" }, "no press while switching in: \(presses)")
            // And once it is in: the first press after an import must not wait for the server to
            // reload the registry it changed.
            presses.append(Press(seconds: try await press(), phase: "after"))
            print("bell press → wall during imports:", presses.map { "\($0.phase) \(Int($0.seconds * 1000)) ms" }.joined(separator: ", "))
            // Within a second, every one (`make test` runs this suite on its own: beside other
            // suites in this process a press waits for the process's async threads, not the store).
            for press in presses {
                #expect(press.seconds < 1, "a press while \(press.phase) took \(press.seconds) s to reach the wall")
            }
        }
    }
}
