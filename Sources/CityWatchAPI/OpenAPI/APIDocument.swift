import Foundation
import OpenAPIKit

/// The OpenAPI 3.1 document of CityWatch's HTTP API, served at `GET /api/openapi.json`,
/// printed by `citywatch openapi` and rendered into docs/API.md.
///
/// It is written in code beside the routes rather than generated from them: the route table
/// knows paths and roles but not what a route takes and answers. `OpenAPIDocumentTests` keeps
/// the two in step, openapi-spec-validator checks the document and schemathesis checks every
/// answer of a live server against it in `make test`.
public enum APIDocument: APIVocabulary {
    /// Every operation, in the order docs/API.md lists them.
    static var endpoints: [APIEndpoint] {
        session + system + cameras + administration + recording + retention + analytics + search + alarms + bells
            + provision + platform + retasking + cluster
    }

    static let introduction = """
        All bodies are JSON (UTF-8, camelCase keys) unless stated. Errors answer with a 4xx/5xx status and \
        `{"error": true, "reason": "what was wrong"}`; the reason names the bad field. Request bodies with keys the endpoint \
        does not know are refused with 400 naming the key.

        Every state-changing request (POST, PUT, PATCH, DELETE) made with a session must send the header \
        `X-CSRF-Token: <csrfToken>`; without it the answer is 403. Every route declares the roles that may call it \
        (`x-citywatch-roles` on each operation). No session: 401. A role that is not allowed: 403. A user whose password \
        must change gets 403 with `"reason": "password change required"` from every route except `GET /api/session`, \
        `POST /api/session/password` and `POST /api/logout`. Roles: `administrator`, `operator`, `police`, `maintenance`, \
        `privacyOfficer`.

        A few routes take another credential instead of a session, checked by the route itself and answered 401 without a \
        valid one: `POST /api/platform/events` (a partner's secret as `Authorization: Bearer`), `/api/shared/:token/…` \
        (an incident share token) and `GET /metrics` (`CITYWATCH_METRICS_TOKEN` as `Authorization: Bearer`). Cameras are \
        visible by camera group: administrators see all cameras; every other user sees only the cameras of the groups \
        granted to them. Cameras outside them are never listed and answer 404.

        Refusals of requests without a session are audit-logged once per address, route kind and reason a minute; repeats \
        are counted into one `anonymous.refusals` row. An address refused more than 30 times a minute gets 429 with \
        `Retry-After` from the share and partner routes (never from bell presses) for a minute, its credential unread. \
        Open WebSockets follow their user's rights: a role, group, disabled-account or password change made through any node \
        or the command line ends or narrows them within 2 s.
        """

    /// The document.
    public static func make() -> OpenAPI.Document {
        var paths = OpenAPI.PathItem.Map()
        for endpoint in endpoints {
            let path = OpenAPI.Path(rawValue: endpoint.openAPIPath)
            var item = paths[path]?.pathItemValue ?? OpenAPI.PathItem()
            item.set(operation: endpoint.operation, for: endpoint.method)
            paths[path] = .b(item)
        }
        var schemas = OpenAPI.ComponentDictionary<JSONSchema>()
        for (name, schema) in APISchemas.components { schemas[OpenAPI.ComponentKey(rawValue: name)!] = schema }
        let securitySchemes: OpenAPI.ComponentReferenceDictionary<OpenAPI.SecurityScheme> = [
            OpenAPI.ComponentKey(rawValue: APISecurity.session)!: .b(.apiKey(name: "cw_session", location: .cookie, description: "The session cookie `POST /api/login` sets.")),
            OpenAPI.ComponentKey(rawValue: APISecurity.csrf)!: .b(.apiKey(name: "X-CSRF-Token", location: .header, description: "The session's `csrfToken`, on every state-changing request.")),
            OpenAPI.ComponentKey(rawValue: APISecurity.partner)!: .b(.http(scheme: "bearer", description: "A platform partner's secret (`citywatch partners add NAME`).")),
        ]
        return OpenAPI.Document(
            openAPIVersion: .v3_1_1,
            info: .init(title: "CityWatch HTTP API", description: introduction, version: "1"),
            servers: [],
            paths: paths,
            components: .init(schemas: schemas, securitySchemes: securitySchemes),
            tags: APITag.allCases.map { OpenAPI.Tag(name: $0.name, description: $0.description) })
    }

    /// The document as JSON, keys sorted so that the same document is the same bytes.
    public static func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(make())
    }
}
