import CityWatchDomain
import CityWatchTestSupport
import Foundation
import NIOCore
import Testing
import Vapor
import VaporTesting

@Suite("JSON endpoints under hostile input")
struct JSONFuzzTests {
    /// Bodies no endpoint should accept: broken JSON, wrong shapes, wrong types, unknown keys.
    static func hostileBodies(count: Int) -> [String] {
        var random = SystemRandomNumberGenerator()
        let fixed = [
            "", "{", "}", "[]", "null", "42", "\"text\"", "{\"a\":}", "{'username': 'x'}", "{\"username\": [1,2]}",
            "{\"username\": null, \"password\": null}", "{\"role\": 5, \"username\": {}}", "{\"groupIds\": [\"not-a-uuid\"]}",
            "{\"rule\": {\"bbox\": {\"south\": \"x\"}}, \"name\": 1}", "{\"enabled\": \"yes\"}", "{\"unknownField\": true}",
            "{\"username\": \"\(String(repeating: "가", count: 100_000))\", \"password\": \"x\"}",
            String(repeating: "[", count: 10_000), "{\"currentPassword\": 1, \"newPassword\": true}", "\u{0}\u{1}\u{2}",
        ]
        let pieces = ["{", "}", "[", "]", ",", ":", "\"username\"", "\"role\"", "\"enabled\"", "true", "null", "1e999", "-0", "\"\\u0000\"", "\"가\""]
        // Random joins are kept only when they are not JSON at all: a lucky `{"enabled":true}`
        // or `{}` is a valid request, and the fixed list covers well-formed wrong shapes.
        var generated: [String] = []
        while generated.count < count {
            let body = (0..<Int.random(in: 1...20, using: &random)).map { _ in pieces.randomElement(using: &random)! }.joined()
            if (try? JSONSerialization.jsonObject(with: Data(body.utf8), options: .fragmentsAllowed)) == nil { generated.append(body) }
        }
        return fixed + generated
    }

    @Test(arguments: DatabaseKind.allCases)
    func hostileBodiesGetA4xxWithAReasonAndNeverA500(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let admin = try await app.signIn(as: .administrator)
            let someUser = try await app.signIn(as: .operator)
            let users = try await app.testing().sendRequest(.GET, "/api/users", headers: admin.headers)
            let userID = try #require(try users.content.decode([IDOnly].self).first?.id)
            let targets: [(HTTPMethod, String, Bool)] = [
                (.POST, "/api/login", false), (.POST, "/api/users", true), (.PATCH, "/api/users/\(userID)", true),
                (.PUT, "/api/users/\(userID)/groups", true), (.POST, "/api/groups", true),
                (.PATCH, "/api/cameras/\(UUID())", true), (.POST, "/api/session/password", true),
            ]
            for body in Self.hostileBodies(count: 40) {
                for (method, path, signedIn) in targets {
                    var headers: HTTPHeaders = signedIn ? admin.headers : ["Content-Type": "application/json"]
                    headers.replaceOrAdd(name: .contentType, value: "application/json")
                    let response = try await app.testing().sendRequest(method, path, headers: headers, body: .text(body))
                    let code = response.status.code
                    #expect((400..<500).contains(code), "\(method) \(path) with \(body.prefix(60)) answered \(code)")
                    #expect(response.body.string.contains("\"reason\""), "\(method) \(path): \(response.body.string.prefix(200))")
                }
            }
            // The app still works afterwards.
            #expect(try await app.testing().sendRequest(.GET, "/api/session", headers: someUser.headers).status == .ok)
        }
    }

    @Test func errorsNameTheFieldThatIsWrong() async throws {
        try await withCityWatch(.sqlite) { app in
            let admin = try await app.signIn(as: .administrator)
            let cases: [(String, String)] = [
                ("{\"username\": \"kim\"}", "field 'role' is required"),
                ("{\"username\": 5, \"role\": \"police\"}", "field 'username' must be a string"),
                ("{\"username\": \"kim\", \"role\": \"police\", \"password\": \"x\"}", "unknown field 'password'"),
                ("not json", "not valid JSON"),
                ("[1]", "must be a JSON object"),
            ]
            for (body, words) in cases {
                let response = try await app.testing().sendRequest(.POST, "/api/users", headers: admin.headers, body: .text(body))
                #expect(response.status == .badRequest)
                #expect(response.body.string.contains(words), "\(body): \(response.body.string)")
            }
        }
    }

    struct IDOnly: Decodable {
        var id: UUID
    }
}
