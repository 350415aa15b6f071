import CityWatchDomain
import Foundation
import OpenAPIKit

/// One operation of the HTTP API as the OpenAPI document states it: the route (method, path,
/// who may call it) and what it takes and answers.
///
/// The route table and these declarations are written apart on purpose: `OpenAPIDocumentTests`
/// walks both and fails when a route is missing here, is declared with other roles, or when
/// something is documented that is not routed. The errors every route of a kind can answer (a
/// malformed parameter, no session, a role that is not allowed, an unknown id, a body over the
/// limit) are added by ``operation``, so each declaration lists only what is its own.
struct APIEndpoint: Sendable {
    /// What the fuzzer of `make test` may do with an operation.
    enum Fuzzing: Sendable, Equatable {
        /// Fuzzed in every run.
        case safe
        /// Changes or removes what later requests need (a delete, disabling a user, an import
        /// that prunes the registry, signing out): fuzzed only by the long run, after the rest.
        case destructive
        /// Never fuzzed, for the reason given (a WebSocket, the login throttle, …).
        case skip(String)
    }

    var method: OpenAPI.HttpMethod
    /// The path as Vapor routes it, parameters written `:name` (`/api/cameras/:id`).
    var path: String
    var access: Access
    var tag: APITag
    /// One line: what the operation is for.
    var summary: String
    /// What it takes and answers, refusals and side effects (audit lines), as a reader of
    /// docs/API.md needs them; Markdown.
    var description: String
    /// Path parameters that are not UUIDs (a bell's key, a share token).
    var textPathParameters: Set<String> = []
    var query: [OpenAPI.Parameter] = []
    var headers: [OpenAPI.Parameter] = []
    var body: APIBody?
    var answers: [APIAnswer]
    var fuzzing: Fuzzing = .safe

    /// The path as OpenAPI writes it (`/api/cameras/{id}`).
    var openAPIPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
        }.joined(separator: "/")
    }

    /// The names of the path's parameters, in order.
    var pathParameterNames: [String] {
        path.split(separator: "/").filter { $0.hasPrefix(":") }.map { String($0.dropFirst()) }
    }

    /// The answers with the refusals common to the route's kind added.
    var allAnswers: [APIAnswer] {
        var answers = self.answers
        func add(_ status: Int, _ text: String) {
            if !answers.contains(where: { $0.status == status }) { answers.append(.refused(status, text)) }
        }
        let hasInput = !pathParameterNames.isEmpty || !query.isEmpty || !headers.isEmpty || body != nil
        if hasInput { add(400, "A parameter or the body is malformed; the reason names it.") }
        if case .roles = access {
            add(401, "No session, or it has expired.")
            add(403, "The role may not do this, the password must be changed first, or the X-CSRF-Token header is missing or wrong.")
        }
        if pathParameterNames.contains(where: { !textPathParameters.contains($0) }) {
            add(404, "Nothing with that id, or nothing the user may see.")
        }
        if body != nil { add(413, "The body is larger than the server accepts.") }
        return answers.sorted { $0.status < $1.status }
    }

    /// The OpenAPI operation.
    var operation: OpenAPI.Operation {
        var parameters: OpenAPI.Parameter.Array = pathParameterNames.map { name in
            .b(OpenAPI.Parameter.path(name: name, schema: textPathParameters.contains(name) ? .string(minLength: 1) : .string(format: .uuid)))
        }
        parameters += (query + headers).map { .b($0) }
        var responses = OpenAPI.Response.Map()
        for answer in allAnswers { responses[OpenAPI.Response.StatusCode(integerLiteral: answer.status)] = .b(answer.response) }
        var extensions: [String: AnyCodable] = [:]
        let security: [OpenAPI.SecurityRequirement]
        switch access {
        case .open:
            security = []
            extensions["x-citywatch-access"] = "open"
        case .roles(let roles):
            extensions["x-citywatch-access"] = "roles"
            extensions["x-citywatch-roles"] = AnyCodable(Role.allCases.filter(roles.contains).map(\.rawValue))
            var schemes: OpenAPI.SecurityRequirement = [.component(named: APISecurity.session): []]
            if ![.get, .head, .options].contains(method) { schemes[.component(named: APISecurity.csrf)] = [] }
            security = [schemes]
        case .credential(let name):
            extensions["x-citywatch-access"] = "credential"
            extensions["x-citywatch-credential"] = AnyCodable(name)
            security = name.contains("Bearer") ? [[.component(named: APISecurity.partner): []]] : []
        }
        switch fuzzing {
        case .safe: break
        case .destructive: extensions["x-citywatch-fuzz"] = "destructive"
        case .skip(let reason): extensions["x-citywatch-fuzz"] = AnyCodable("skip: \(reason)")
        }
        return OpenAPI.Operation(
            tags: [tag.name], summary: summary, description: description, operationId: operationID,
            parameters: parameters, requestBody: body?.request, responses: responses,
            security: security, vendorExtensions: extensions)
    }

    /// `getApiCamerasId`: method and path, camel-cased.
    var operationID: String {
        let words = [method.rawValue.lowercased()] + path.split(separator: "/").flatMap { part in
            part.replacingOccurrences(of: ":", with: "").split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        }
        return words.enumerated().map { index, word in index == 0 ? word : word.prefix(1).uppercased() + word.dropFirst() }.joined()
    }
}

/// What an operation takes as its body.
struct APIBody: Sendable {
    var contentType: OpenAPI.ContentType
    var schema: JSONSchema
    var required = true
    var description: String?
    /// A body a client may send as it is (shown to readers, and the fuzzer's first case).
    var example: AnyCodable?

    /// A JSON body with `schema`.
    static func json(_ schema: JSONSchema, required: Bool = true) -> APIBody {
        APIBody(contentType: .json, schema: schema, required: required)
    }

    var request: OpenAPI.Request {
        OpenAPI.Request(description: description, content: [contentType: .b(OpenAPI.Content(schema: schema, example: example))], required: required)
    }
}

/// One answer an operation gives.
struct APIAnswer: Sendable {
    var status: Int
    var description: String
    /// Content type and schema of the body; none for an empty one.
    var content: [(OpenAPI.ContentType, JSONSchema)] = []
    var headers: [String: JSONSchema] = [:]

    /// 200 with a JSON body.
    static func ok(_ schema: JSONSchema, _ description: String = "The answer.") -> APIAnswer {
        APIAnswer(status: 200, description: description, content: [(.json, schema)])
    }

    /// 201 with a JSON body.
    static func created(_ schema: JSONSchema, _ description: String = "Made.") -> APIAnswer {
        APIAnswer(status: 201, description: description, content: [(.json, schema)])
    }

    /// 204, no body.
    static func noContent(_ description: String = "Done.") -> APIAnswer {
        APIAnswer(status: 204, description: description)
    }

    /// A status with the error body `{error: true, reason}`.
    static func refused(_ status: Int, _ description: String) -> APIAnswer {
        APIAnswer(status: status, description: description, content: [(.json, APISchemas.ref("Error"))])
    }

    /// 200 with a file or text body of `contentType`.
    static func file(_ contentType: OpenAPI.ContentType, _ description: String, status: Int = 200) -> APIAnswer {
        APIAnswer(status: status, description: description, content: [(contentType, .string(contentEncoding: .binary))])
    }

    var response: OpenAPI.Response {
        var map = OpenAPI.Content.Map()
        for (type, schema) in content { map[type] = .b(OpenAPI.Content(schema: schema)) }
        var headerMap: OpenAPI.Header.Map?
        if !headers.isEmpty {
            headerMap = [:]
            for (name, schema) in headers.sorted(by: { $0.key < $1.key }) { headerMap?[name] = .b(OpenAPI.Header(schema: schema)) }
        }
        return OpenAPI.Response(description: description, headers: headerMap, content: map)
    }
}

/// The names of the security schemes in the document's components.
enum APISecurity {
    static let session = "session"
    static let csrf = "csrf"
    static let partner = "partnerSecret"
}
