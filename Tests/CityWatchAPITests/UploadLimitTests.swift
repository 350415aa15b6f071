import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchTestSupport
import Foundation
import Testing
import Vapor
import VaporTesting

/// An upload announced as too large is refused before any of it is written, and a starting
/// server removes the uploads a killed one left behind.
@Suite("Upload limits")
struct UploadLimitTests {
    @Test func anOversizedUploadIsRefusedBeforeItIsWrittenAndLeftoversGoAtStart() async throws {
        try await withCityWatch(.sqlite) { app in
            let admin = try await app.signIn(as: .administrator)
            let data = app.cityWatch.configuration.dataDirectory
            // Over a real socket (the in-process client sets Content-Length itself): a body
            // announced at 600 MiB, of which a few bytes come, is answered at once.
            let port = try await app.startOnFreePort()
            let answer = try await runProgramDetached("/usr/bin/curl", [
                "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "20", "-X", "POST",
                "-H", "Cookie: cw_session=\(admin.cookie)", "-H", "X-CSRF-Token: \(admin.csrfToken)", "-H", "Content-Type: text/csv",
                "-H", "Content-Length: \(600 * 1_048_576)", "--data-binary", "a,b", "http://127.0.0.1:\(port)/api/registry/import",
            ])
            #expect(answer.hasPrefix("413"), "answered \(answer)")
            await app.server.shutdown()
            let left = (try? FileManager.default.contentsOfDirectory(atPath: UploadFolder.path(in: data))) ?? []
            #expect(left.isEmpty, "the upload was written: \(left)")

            // What a server killed mid-upload leaves: removed by the next start.
            try FileManager.default.createDirectory(atPath: UploadFolder.path(in: data), withIntermediateDirectories: true)
            let orphan = (UploadFolder.path(in: data) as NSString).appendingPathComponent("registry-\(UUID().uuidString).csv")
            #expect(FileManager.default.createFile(atPath: orphan, contents: Data(repeating: 65, count: 1_000)))
            #expect(UploadFolder.removeLeftovers(in: data) == 1)
            #expect(!FileManager.default.fileExists(atPath: orphan))
        }
    }
}
