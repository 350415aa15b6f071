import AsyncHTTPClient
import CityWatchApp
import CityWatchMedia
import CityWatchTestSupport
import Foundation
import NIOCore
import NIOHTTP1
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The server finds its console beside its binary, wherever it is run from, and refuses to
/// start without it, naming where it looked.
@Suite("Console files", .serialized)
struct ConsoleFolderTests {
    @Test func installedBinaryLooksInItsShareFolderThenItsCheckoutThenTheWorkingDirectory() throws {
        #expect(ConsoleFolder.candidates(executable: "/opt/citywatch/bin/citywatch", workingDirectory: "/srv")
            == ["/opt/citywatch/share/citywatch/Public", "/srv/Public"])
        #expect(ConsoleFolder.candidates(executable: "/home/k/citywatch/.build/x86_64-unknown-linux-gnu/release/citywatch", workingDirectory: "/tmp/w")
            == ["/home/k/citywatch/.build/x86_64-unknown-linux-gnu/share/citywatch/Public", "/home/k/citywatch/Public", "/tmp/w/Public"])
        let present: Set<String> = ["/srv/Public/index.html", "/opt/citywatch/share/citywatch/Public/index.html"]
        #expect(try ConsoleFolder.locate(configured: nil, executable: "/opt/citywatch/bin/citywatch", workingDirectory: "/srv",
                                         fileExists: present.contains) == "/opt/citywatch/share/citywatch/Public")
        #expect(try ConsoleFolder.locate(configured: "console", executable: "/x/citywatch", workingDirectory: "/opt/citywatch/share/citywatch",
                                         fileExists: { $0 == "/opt/citywatch/share/citywatch/console/index.html" }) == "/opt/citywatch/share/citywatch/console")
        #expect(throws: ConsoleFolder.Missing(lookedIn: ["/elsewhere"], configured: true)) {
            try ConsoleFolder.locate(configured: "/elsewhere", executable: "/opt/citywatch/bin/citywatch", workingDirectory: "/srv", fileExists: present.contains)
        }
    }

    /// No message the program prints tells the user to `swift run` it: the binary may be
    /// installed far from any checkout.
    @Test func noHintNamesSwiftRun() throws {
        let sources = RepositoryPaths.root.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        #expect(files.count > 100)
        // Code, not comments (which may say why the hints do not).
        let offenders = try files.filter { file in
            try String(contentsOfFile: sources.appendingPathComponent(file).path, encoding: .utf8).split(separator: "\n")
                .contains { $0.contains("swift run") && !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }
        }
        #expect(offenders.isEmpty, "these print `swift run`: \(offenders)")
    }

    /// `citywatch serve` started in an empty folder outside the repository; returns once its
    /// console page answers, with the page.
    static func serveConsole(binary: String, in folder: URL) async throws -> (MediaProcess, String) {
        let port = SyntheticRTSPCamera.freePort()
        var environment = ProcessInfo.processInfo.environment.merging([
            "CITYWATCH_BCRYPT_COST": "4", "CITYWATCH_RECORDING": "false", "CITYWATCH_LOG_LEVEL": "warning",
        ]) { $1 }
        environment["CITYWATCH_PUBLIC_DIR"] = nil
        let server = try MediaProcess(path: "/bin/sh", arguments: [
            "-c", "cd \"$0\" && exec \"$1\" serve --address 127.0.0.1:\(port) --data-dir data --tile-url none", folder.path, binary,
        ], environment: environment)
        var page = ""
        do {
            try await waitUntil("the console at port \(port)", timeout: .seconds(90), pollingEvery: .milliseconds(200)) {
                guard server.isRunning else { throw ProgramFailure(program: binary, status: server.exitStatus?.status ?? -1,
                                                                    standardError: server.standardErrorTail.joined(separator: "\n"), standardOutput: "") }
                let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/"), timeout: .seconds(5))
                page = String(buffer: try await response.body.collect(upTo: 1 << 20))
                return response.status == .ok
            }
        } catch {
            server.forceKill()
            throw error
        }
        return (server, page)
    }

    static func stop(_ server: MediaProcess) async throws {
        server.terminate()
        try await waitUntil("the server to stop", timeout: .seconds(30)) { !server.isRunning }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: CommandLineTests.binary), "build the executable first: swift build"),
          .timeLimit(.minutes(3)))
    func builtAndInstalledBinariesServeTheConsoleFromAnywhereAndRefuseWithoutIt() async throws {
        let expected = try String(contentsOf: RepositoryPaths.publicDirectory.appendingPathComponent("index.html"), encoding: .utf8)
        let folder = try RepositoryPaths.temporaryFolder("console")
        defer { try? FileManager.default.removeItem(at: folder) }
        let work = folder.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)

        // The binary of this checkout, run from a folder outside it.
        let (built, builtPage) = try await Self.serveConsole(binary: CommandLineTests.binary, in: work)
        try await Self.stop(built)
        #expect(builtPage == expected)

        // Installed the way `make install` does, with no checkout anywhere near.
        let prefix = folder.appendingPathComponent("prefix")
        _ = try await runProgramDetached(RepositoryPaths.root.appendingPathComponent("scripts/install.sh").path, [prefix.path, CommandLineTests.binary])
        let installed = prefix.appendingPathComponent("bin/citywatch").path
        let (server, page) = try await Self.serveConsole(binary: installed, in: work)
        try await Self.stop(server)
        #expect(page == expected)

        // The console removed: no start, and the message names every folder looked in.
        try FileManager.default.removeItem(at: prefix.appendingPathComponent("share"))
        do {
            _ = try await runProgramDetached("/bin/sh", ["-c", "cd \"$0\" && exec \"$1\" serve --address 127.0.0.1:0 --data-dir data", work.path, installed],
                                             environment: ["CITYWATCH_PUBLIC_DIR": "", "CITYWATCH_RECORDING": "false"])
            Issue.record("the server started without its console")
        } catch let failure as ProgramFailure {
            #expect(failure.status != 0)
            #expect(failure.standardError.contains(prefix.appendingPathComponent("share/citywatch/Public").path)
                    && failure.standardError.contains(work.appendingPathComponent("Public").path), "\(failure.standardError)")
        }
    }
}
