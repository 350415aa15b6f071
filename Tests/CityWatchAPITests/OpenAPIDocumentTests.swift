@testable import CityWatchAPI
import CityWatchDomain
import CityWatchTestSupport
import Foundation
import OpenAPIKit
import Testing
import Vapor
import VaporTesting

/// The OpenAPI document against the route table, both ways, and docs/API.md against the
/// document. (openapi-spec-validator and schemathesis check it further in `make test`:
/// scripts/fuzz-api.sh.)
@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    /// `GET /api/cameras/{id}` for a route.
    static func key(_ route: Route) -> String {
        let path = route.path.map { component -> String in
            switch component {
            case .constant(let text): text
            case .parameter(let name): "{\(name)}"
            case .anything: "*"
            case .catchall: "**"
            }
        }
        return "\(route.method.rawValue) /" + path.joined(separator: "/")
    }

    /// Every operation of the document by the same key, with who may call it as it says.
    static func documented() -> [String: Access?] {
        var operations: [String: Access?] = [:]
        for (path, item) in APIDocument.make().paths {
            for endpoint in item.pathItemValue?.endpoints ?? [] {
                operations["\(endpoint.method.rawValue.uppercased()) \(path.rawValue)"] = access(of: endpoint.operation)
            }
        }
        return operations
    }

    /// The access an operation's `x-citywatch-*` extensions state.
    static func access(of operation: OpenAPI.Operation) -> Access? {
        let extensions = operation.vendorExtensions
        switch extensions["x-citywatch-access"]?.value as? String {
        case "open": return .open
        case "credential": return (extensions["x-citywatch-credential"]?.value as? String).map(Access.credential)
        case "roles":
            let names = (extensions["x-citywatch-roles"]?.value as? [Any])?.compactMap { $0 as? String } ?? []
            return .roles(Set(names.compactMap(Role.init(rawValue:))))
        default: return nil
        }
    }

    @Test func everyRouteIsDocumentedWithItsMethodPathAndRoles() async throws {
        try await withCityWatch(.sqlite) { app in
            let documented = Self.documented()
            let routes = app.routes.all
            #expect(routes.count > 90)
            for route in routes {
                let key = Self.key(route)
                guard let access = documented[key] else {
                    Issue.record("\(key) is routed but not in the OpenAPI document (Sources/CityWatchAPI/OpenAPI)")
                    continue
                }
                #expect(access == route.access, "\(key): the document says \(String(describing: access)), the route \(String(describing: route.access))")
            }
        }
    }

    @Test func nothingIsDocumentedThatIsNotRouted() async throws {
        try await withCityWatch(.sqlite) { app in
            let routed = Set(app.routes.all.map(Self.key))
            for key in Self.documented().keys.sorted() where !routed.contains(key) {
                Issue.record("\(key) is in the OpenAPI document but no route answers it")
            }
        }
    }

    @Test func theDocumentIsValidOpenAPI31() throws {
        let document = APIDocument.make()
        #expect(document.openAPIVersion == .v3_1_1)
        try document.validate()
        // What is served decodes back to the same document.
        let decoded = try JSONDecoder().decode(OpenAPI.Document.self, from: try APIDocument.json())
        #expect(decoded.paths.count == document.paths.count)
    }

    @Test func everyOperationSaysWhatItIsAndTheErrorsOfItsKind() {
        for endpoint in APIDocument.endpoints {
            let label = "\(endpoint.method.rawValue.uppercased()) \(endpoint.path)"
            #expect(!endpoint.summary.isEmpty && !endpoint.description.isEmpty, "\(label) says nothing")
            let statuses = Set(endpoint.allAnswers.map(\.status))
            #expect(statuses.contains { $0 < 400 }, "\(label) has no successful answer")
            if case .roles = endpoint.access { #expect(statuses.isSuperset(of: [401, 403]), "\(label)") }
            if endpoint.body != nil { #expect(statuses.isSuperset(of: [400, 413]), "\(label)") }
        }
    }

    @Test func theDocumentIsServedOpenToAnyone() async throws {
        try await withCityWatch(.sqlite) { app in
            let response = try await app.testing().sendRequest(.GET, "/api/openapi.json")
            #expect(response.status == .ok)
            #expect(response.headers.contentType == .json)
            #expect(Data(response.body.readableBytesView) == (try APIDocument.json()))
        }
    }

    @Test func docsAPIMarkdownIsMadeFromTheDocument() throws {
        let path = RepositoryPaths.root.appendingPathComponent("docs/API.md")
        let written = try String(contentsOf: path, encoding: .utf8)
        let made = APIReferenceMarkdown.render(APIDocument.make())
        #expect(written == made, "docs/API.md is not what the OpenAPI document makes: run `\(APIReferenceMarkdown.regenerate)`")
        // Every operation has its row, with its roles.
        #expect(made.contains("| `GET /api/cameras/{id}` | any signed-in |"))
        #expect(made.contains("| `POST /api/provision/requests/{id}/approve` | privacyOfficer |"))
        #expect(made.contains("| `POST /api/platform/events` | platform partner secret"))
    }
}
