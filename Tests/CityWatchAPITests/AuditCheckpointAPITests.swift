import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import CityWatchTestSupport
import Fluent
import FluentKit
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@Suite("Audit checkpoints API")
struct AuditCheckpointAPITests {
    /// The parts of `GET /api/audit/verify` these tests read.
    struct Verification: Decodable {
        struct Finding: Decodable {
            var kind: String
            var seq: Int64
            var message: String
        }

        struct Checkpoints: Decodable {
            var checked: Int
            var latestSeq: Int64?
        }

        var ok: Bool
        var findings: [Finding]
        var checkpoints: Checkpoints
    }

    @Test(arguments: DatabaseKind.allCases)
    func verifyReportsATruncatedLogAndTheCheckpointsDownloadForAuditors(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let officer = try await app.signIn(as: .privacyOfficer)
            let key = try app.cityWatch.configuration.signingKey()
            let signed = try #require(try await AuditCheckpoints(database: app.db).write(signer: key.auditCheckpointSigner))

            let download = try await app.testing().sendRequest(.GET, "/api/audit/checkpoints", headers: officer.headers)
            #expect(download.status == .ok)
            #expect(download.headers.contentDisposition?.filename == "audit-checkpoints.json")
            let file = try AuditCheckpointFile.decode(Data(download.body.readableBytesView))
            #expect(file.checkpoints == [signed])
            #expect(file.signers.map(\.fingerprint) == [key.fingerprint])
            let watcher = try await app.signIn(as: .operator)
            #expect(try await app.testing().sendRequest(.GET, "/api/audit/checkpoints", headers: watcher.headers).status == .forbidden)

            let intact = try await app.testing().sendRequest(.GET, "/api/audit/verify", headers: officer.headers)
                .content.decode(Verification.self)
            #expect(intact.ok && intact.findings.isEmpty && intact.checkpoints.checked == 1 && intact.checkpoints.latestSeq == signed.seq)

            try await AuditSigningKeys.dropAppendOnlyGuards(app.db)
            try await app.db.sql.delete(from: "audit_log").where("seq", .greaterThan, signed.seq - 2).run()
            let broken = try await app.testing().sendRequest(.GET, "/api/audit/verify", headers: officer.headers)
                .content.decode(Verification.self)
            #expect(!broken.ok)
            #expect(broken.findings.map(\.kind) == ["truncated"] && broken.findings.first?.seq == signed.seq)
            #expect(broken.findings.first?.message.contains("entries \(signed.seq - 1)…\(signed.seq) were deleted") == true)
        }
    }
}
