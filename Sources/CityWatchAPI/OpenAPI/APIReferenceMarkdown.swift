import Foundation
import OpenAPIKit

/// docs/API.md, rendered from the OpenAPI document alone: a section per tag with its prose and
/// a table of its operations (method and path, who may call it, what it takes and answers),
/// then every component schema in brief.
///
/// Made from the document rather than from the declarations behind it, so what a reader of
/// docs/API.md learns is what a client of `GET /api/openapi.json` gets.
public enum APIReferenceMarkdown {
    /// The command that writes docs/API.md, named in its header and in the currency test.
    public static let regenerate = "make api-doc"

    public static func render(_ document: OpenAPI.Document) -> String {
        var lines = [
            "# \(document.info.title)",
            "",
            "<!-- Generated from the OpenAPI document (GET /api/openapi.json, Sources/CityWatchAPI/OpenAPI). "
                + "Do not edit: change the document and run `\(regenerate)`. -->",
            "",
            document.info.description ?? "",
        ]
        let operations = document.paths.flatMap { path, item in
            (item.pathItemValue?.endpoints ?? []).map { (path: path.rawValue, method: $0.method, operation: $0.operation) }
        }
        for tag in document.tags ?? [] {
            let mine = operations.filter { $0.operation.tags?.contains(tag.name) == true }
            guard !mine.isEmpty else { continue }
            lines += ["", "## \(tag.name)", ""]
            if let description = tag.description { lines += [description, ""] }
            lines += ["| method & path | roles | body → answer |", "|---|---|---|"]
            for entry in mine {
                let cells = ["`\(entry.method.rawValue.uppercased()) \(entry.path)`", who(entry.operation), entry.operation.description ?? ""]
                lines.append("| " + cells.map(cell).joined(separator: " | ") + " |")
            }
        }
        lines += ["", "## Shapes", ""]
        for (key, schema) in document.components.schemas {
            var line = "- `\(key.rawValue)`: `\(shape(schema))`"
            if let description = schema.description { line += " — " + description }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Who may call an operation, from its `x-citywatch-*` extensions.
    static func who(_ operation: OpenAPI.Operation) -> String {
        let extensions = operation.vendorExtensions
        switch extensions["x-citywatch-access"]?.value as? String {
        case "open": return "public"
        case "credential": return (extensions["x-citywatch-credential"]?.value as? String) ?? "credential"
        default:
            let roles = (extensions["x-citywatch-roles"]?.value as? [Any])?.compactMap { $0 as? String } ?? []
            return roles.count == 5 ? "any signed-in" : roles.joined(separator: ", ")
        }
    }

    /// A table cell: one line, pipes escaped.
    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "|", with: "\\|")
    }

    /// A schema in brief: `{a, b?, c: [Ref]}`, `[X]`, `Ref`, or its type.
    static func shape(_ schema: JSONSchema) -> String {
        if let reference = schema.reference { return reference.name ?? "…" }
        if let object = schema.objectContext, !object.properties.isEmpty {
            let fields = object.properties.map { name, property -> String in
                let mark = property.required ? "" : "?"
                let inner = shape(property)
                // Plain scalars go by name alone; shapes, lists and short sets of values are spelled out.
                let plain = property.reference == nil && property.objectContext?.properties.isEmpty != false && property.arrayContext == nil
                    && (property.allowedValues?.count ?? 99) > 6
                return plain ? name + mark : "\(name)\(mark): \(inner)"
            }
            return "{" + fields.joined(separator: ", ") + "}"
        }
        if let array = schema.arrayContext { return "[" + (array.items.map(shape) ?? "") + "]" }
        if case .one(let choices, _) = schema.value { return choices.map(shape).joined(separator: " | ") }
        if schema.objectContext != nil { return "{…}" }
        if let values = schema.allowedValues, values.count <= 6 { return values.map { "\($0.value)" }.joined(separator: "|") }
        if let format = schema.formatString, !format.isEmpty { return format == "date-time" ? "time" : format }
        return schema.jsonType?.rawValue ?? "any"
    }
}
