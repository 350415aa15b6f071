import CityWatchDomain
import OpenAPIKit

/// The words the document is written in: schema shorthands and parameters. The schemas and
/// the endpoint declarations both speak it.
protocol APIVocabulary {}

extension APIVocabulary {
    /// A reference to the component schema `name`.
    static func ref(_ name: String) -> JSONSchema { .reference(.component(named: name)) }

    /// The same reference, as a property that may be missing.
    static func optionalRef(_ name: String) -> JSONSchema { .reference(.component(named: name), required: false) }

    /// `schema` as a property that may be missing.
    static func optional(_ schema: JSONSchema) -> JSONSchema { schema.optionalSchemaObject() }

    /// An object with exactly these properties; a property is required unless its schema was
    /// made optional.
    static func object(_ description: String? = nil, _ properties: KeyValuePairs<String, JSONSchema>) -> JSONSchema {
        var map = OrderedDictionary<String, JSONSchema>()
        for (name, schema) in properties { map[name] = schema }
        return .object(description: description, properties: map, additionalProperties: .a(false))
    }

    /// A JSON object whose keys are free and whose values are `values` (a map by code or id).
    static func map(_ values: JSONSchema, _ description: String? = nil) -> JSONSchema {
        .object(description: description, additionalProperties: .b(values))
    }

    /// A list of `items`.
    static func list(_ items: JSONSchema, minItems: Int? = nil, maxItems: Int? = nil) -> JSONSchema {
        .array(minItems: minItems, maxItems: maxItems, items: items)
    }

    /// One of `values`.
    static func oneOf(_ values: [String], _ description: String? = nil) -> JSONSchema {
        .string(description: description, allowedValues: values.map { AnyCodable($0) })
    }

    /// An optional query parameter.
    static func query(_ name: String, _ schema: JSONSchema, _ description: String, required: Bool = false) -> OpenAPI.Parameter {
        .query(name: name, required: required, schema: schema, description: description)
    }

    /// An optional request header.
    static func header(_ name: String, _ schema: JSONSchema, _ description: String, required: Bool = false) -> OpenAPI.Parameter {
        .header(name: name, required: required, schema: schema, description: description)
    }

    /// A whole number in `range`.
    static func whole(_ range: ClosedRange<Int>) -> JSONSchema {
        .integer(maximum: (range.upperBound, exclusive: false), minimum: (range.lowerBound, exclusive: false))
    }

    /// A whole number of at least `minimum`.
    static func whole(atLeast minimum: Int) -> JSONSchema {
        .integer(minimum: (minimum, exclusive: false))
    }

    static var uuid: JSONSchema { .string(format: .uuid) }
    static var time: JSONSchema { .string(format: .dateTime) }
    static var text: JSONSchema { .string }
    static var number: JSONSchema { .number }
    static var integer: JSONSchema { .integer }
    static var boolean: JSONSchema { .boolean }
    /// Any JSON value (an audit entry's details).
    static var anything: JSONSchema { .fragment }

    /// Purpose codes as the API spells them.
    static var purposeCodes: [String] { CameraPurpose.standard.map(\.code) + ["other"] }
    static var roles: JSONSchema { oneOf(Role.allCases.map(\.rawValue)) }
    static var objectClass: JSONSchema { oneOf(ObjectClass.allCases.map(\.rawValue)) }
    static var priority: JSONSchema { oneOf(Alarm.Priority.allCases.map(\.rawValue)) }
}

/// The JSON shapes of the API as component schemas.
///
/// Answers are closed objects (`additionalProperties: false`): a field a DTO gains without the
/// document saying so fails the fuzzer's schema check, so the document cannot fall behind the
/// code unnoticed. An optional Swift property is a property that may be missing (Swift's
/// encoder leaves out `nil`), never `null`.
enum APISchemas: APIVocabulary {
    /// Every component schema, in the order docs/API.md lists them.
    static var components: OrderedDictionary<String, JSONSchema> {
        var all = OrderedDictionary<String, JSONSchema>()
        for part in [core, registry, recording, analytics, search, alarms, provision, sharing, clusterShapes] {
            for (name, schema) in part { all[name] = schema }
        }
        return all
    }

    /// The error body, users, groups and the console's settings.
    static var core: KeyValuePairs<String, JSONSchema> {
        [
            "Error": object("Every refusal and failure: the reason names the bad field or what to do.", [
                "error": .boolean(allowedValues: [true]), "reason": text,
            ]),
            "User": object(nil, [
                "id": uuid, "username": text, "role": roles, "mustChangePassword": boolean, "disabled": boolean,
                "groupIds": list(uuid), "createdAt": time,
            ]),
            "Session": object("A signed-in session: send `csrfToken` as `X-CSRF-Token` with every state-changing request.", [
                "user": ref("User"), "csrfToken": text,
            ]),
            "UserWithPassword": object("A user and a generated password, shown this once.", ["user": ref("User"), "password": text]),
            "Group": object("A camera belongs to the group when it matches every part of the rule that is given.", [
                "id": uuid, "name": text, "description": text, "rule": ref("GroupRule"), "cameraCount": integer,
            ]),
            "GroupRule": object(nil, [
                "purposes": optional(list(oneOf(purposeCodes))), "bbox": optionalRef("BoundingBox"), "cameraIds": optional(list(uuid)),
            ]),
            "BoundingBox": object(nil, ["south": number, "west": number, "north": number, "east": number]),
            "GeoPoint": object(nil, ["latitude": number, "longitude": number]),
            "ConsoleConfig": object("`tileURL` left out: no base map (a plain background).", [
                "tileURL": optional(text), "tileAttribution": text, "center": list(number, minItems: 2, maxItems: 2), "zoom": integer,
            ]),
            "Purpose": object(nil, ["code": oneOf(purposeCodes), "name": text, "nameEnglish": text, "color": text]),
            "ServerHealth": object("`recording`: `ok`, or how many cameras' footage is not reaching the index.", [
                "status": oneOf(["ok", "unavailable"]), "database": oneOf(["ok", "unreachable"]), "recording": optional(text),
            ]),
        ]
    }
}
