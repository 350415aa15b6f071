import CityWatchApp
import CityWatchTestSupport
import Foundation
import Testing

/// `citywatch partners add | list | revoke`, run as a user would run them.
@Suite("Partners command line", .serialized)
struct PartnersCommandLineTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: CommandLineTests.binary), "build the executable first: swift build"),
          arguments: DatabaseKind.allCases)
    func addPrintsTheSecretOnceListNeverShowsItAndRevokeMarksThePartner(kind: DatabaseKind) async throws {
        let database = try await TestDatabase.make(kind)
        defer { database.drop() }
        let db = database.location
        let added = try CommandLineTests.citywatch(["partners", "add", "seoul-112"], database: db)
        let secret = try #require(added.split(separator: "\n").first { $0.hasPrefix("secret: ") }?.dropFirst("secret: ".count))
        #expect(secret.hasPrefix(PlatformPartners.secretPrefix) && secret.count == 47)

        let listed = try CommandLineTests.citywatch(["partners", "list"], database: db)
        #expect(listed.contains("seoul-112  active") && !listed.contains(secret), "\(listed)")
        do {
            _ = try CommandLineTests.citywatch(["partners", "add", "seoul-112"], database: db)
            Issue.record("a second partner with the same name was added")
        } catch let failure as ProgramFailure {
            #expect(failure.standardError.contains("exists already"), "\(failure.standardError)")
        }

        #expect(try CommandLineTests.citywatch(["partners", "revoke", "seoul-112"], database: db).contains("Revoked"))
        #expect(try CommandLineTests.citywatch(["partners", "list"], database: db).contains("seoul-112  revoked"))
        do {
            _ = try CommandLineTests.citywatch(["partners", "revoke", "nobody"], database: db)
            Issue.record("an unknown partner was revoked")
        } catch let failure as ProgramFailure {
            #expect(failure.standardError.contains("no partner named 'nobody'"), "\(failure.standardError)")
        }
        let json = try CommandLineTests.citywatch(["partners", "list", "--json"], database: db)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(rows.count == 1 && rows[0]["revokedAt"] != nil && rows[0]["name"] as? String == "seoul-112")
    }
}
