import CityWatchAPI
import CityWatchDomain
import CityWatchTestSupport
import Foundation
import NIOCore
import Testing
import Vapor
import VaporTesting

@Suite("Route access")
struct RouteAccessTests {
    /// The route's path with every parameter filled by a random id.
    static func concretePath(_ route: Route) -> String {
        "/" + route.path.map { component -> String in
            switch component {
            case .constant(let text): text
            case .parameter: UUID().uuidString
            case .anything, .catchall: "x"
            }
        }.joined(separator: "/")
    }

    @Test(arguments: DatabaseKind.allCases)
    func everyRouteDeclaresItsRolesAndAnswers401Then403(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            var sessions: [Role: TestSession] = [:]
            for role in Role.allCases { sessions[role] = try await app.signIn(as: role) }
            let routes = app.routes.all
            #expect(routes.count >= 20)
            var checkedDenials = 0
            for route in routes {
                let label = "\(route.method.rawValue) \(route.path.map(\.description).joined(separator: "/"))"
                guard let access = route.access else {
                    Issue.record("route \(label) declares no roles: register it with endpoint(_:_:access:use:)")
                    continue
                }
                guard case .roles(let allowed) = access else { continue }
                let path = Self.concretePath(route)
                let anonymous = try await app.testing().sendRequest(route.method, path, headers: ["Content-Type": "application/json"], body: .text("{}"))
                #expect(anonymous.status == .unauthorized, "\(label) without a session answered \(anonymous.status.code)")
                for role in Role.allCases where !allowed.contains(role) {
                    let response = try await app.testing().sendRequest(route.method, path, headers: sessions[role]!.headers, body: .text("{}"))
                    #expect(response.status == .forbidden, "\(label) as \(role.rawValue) answered \(response.status.code)")
                    #expect(response.body.string.contains("role \(role.rawValue) may not"), "\(label): \(response.body.string)")
                    checkedDenials += 1
                }
                guard !path.hasSuffix("/logout") else { continue }
                for role in allowed {
                    let response = try await app.testing().sendRequest(route.method, path, headers: sessions[role]!.headers, body: .text("{}"))
                    #expect(response.status != .unauthorized && response.status != .forbidden,
                            "\(label) as allowed role \(role.rawValue) answered \(response.status.code): \(response.body.string)")
                    #expect(response.status.code < 500, "\(label) as \(role.rawValue) answered \(response.status.code)")
                }
            }
            #expect(checkedDenials > 20)
        }
    }

    @Test func openRoutesAreOnlyTheOnesMeantToBeOpen() async throws {
        try await withCityWatch(.sqlite) { app in
            let open = app.routes.all.filter { $0.access == .open }.map { "\($0.method.rawValue) /\($0.path.map(\.description).joined(separator: "/"))" }
            // The OpenAPI document is open like the console's scripts, which name the same routes:
            // it holds shapes and roles, no data, and every route it names checks its own access.
            #expect(Set(open) == ["POST /api/login", "GET /healthz", "POST /api/bells/:bell/press", "GET /api/openapi.json"])
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func stateChangingRequestsNeedTheCSRFToken(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let admin = try await app.signIn(as: .administrator)
            var headers = admin.headers
            headers.remove(name: "X-CSRF-Token")
            let missing = try await app.testing().sendRequest(.POST, "/api/users", headers: headers, body: .json(["username": "kim", "role": "operator"]))
            #expect(missing.status == .forbidden)
            #expect(missing.body.string.contains("X-CSRF-Token"))
            headers.add(name: "X-CSRF-Token", value: "forged")
            let forged = try await app.testing().sendRequest(.POST, "/api/users", headers: headers, body: .json(["username": "kim", "role": "operator"]))
            #expect(forged.status == .forbidden)
            let good = try await app.testing().sendRequest(.POST, "/api/users", headers: admin.headers, body: .json(["username": "kim", "role": "operator"]))
            #expect(good.status == .created)
            // Reading needs no token.
            headers.remove(name: "X-CSRF-Token")
            #expect(try await app.testing().sendRequest(.GET, "/api/users", headers: headers).status == .ok)
        }
    }
}
