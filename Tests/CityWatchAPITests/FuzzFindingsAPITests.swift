import CityWatchDomain
import CityWatchTestSupport
import Foundation
import NIOCore
import Testing
import Vapor
import VaporTesting

/// What the API fuzzer (scripts/fuzz-api.sh) found, each pinned by the request that showed it.
@Suite("Fuzzer findings")
struct FuzzFindingsAPITests {
    /// A `POST /api/groups` body for crime-prevention cameras.
    static func group(named name: String) throws -> ByteBuffer {
        ByteBuffer(bytes: Array(try JSONSerialization.data(withJSONObject: ["name": name, "rule": ["purposes": ["crimePrevention"]]])))
    }

    /// A group without a name was answered 404 "no camera group 'name must be 1–80 characters'",
    /// an answer the document did not have and that sent the reader looking for a missing group.
    @Test func aGroupNameOutsideOneToEightyCharactersIsA400NamingTheField() async throws {
        try await withCityWatch(.sqlite) { app in
            let admin = try await app.signIn(as: .administrator)
            for name in ["", "   ", String(repeating: "가", count: 81)] {
                let response = try await app.testing().sendRequest(.POST, "/api/groups", headers: admin.headers, body: try Self.group(named: name))
                #expect(response.status == .badRequest, "name of \(name.count) characters: \(response.status)")
                #expect(response.body.string.contains("field 'name'"), "\(response.body.string)")
            }
            let good = try await app.testing().sendRequest(.POST, "/api/groups", headers: admin.headers,
                                                            body: try Self.group(named: String(repeating: "가", count: 80)))
            #expect(good.status == .created)
        }
    }
}
