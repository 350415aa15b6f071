import Foundation
import Vapor

/// Serves the OpenAPI document of the API.
struct OpenAPIController: RouteCollection {
    /// The encoded document: the same for the life of the process, made on first request.
    private static let body = Result { try APIDocument.json() }

    func boot(routes: any RoutesBuilder) throws {
        // Open, as the console's scripts are: it describes shapes and roles, holds no data, and
        // every route it names still checks its own access.
        routes.endpoint(.GET, "api", "openapi.json", access: .open, use: document)
    }

    func document(req: Request) async throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.replaceOrAdd(name: .cacheControl, value: "no-cache")
        return Response(status: .ok, headers: headers, body: .init(data: try Self.body.get()))
    }
}
