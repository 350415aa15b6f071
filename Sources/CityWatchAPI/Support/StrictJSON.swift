import CityWatchApp
import Fluent
import FluentKit
import Foundation
import Vapor

/// A request body whose keys are checked: a key the endpoint does not know is refused, so a
/// typo (`enable` for `enabled`) is an error instead of a silent no-op.
protocol StrictContent: Decodable {
    /// The keys the body may hold.
    static var allowedKeys: Set<String> { get }
}

extension Request {
    /// Decodes a JSON object body, answering 400 with the offending field on any problem.
    func decodeStrict<Body: StrictContent>(_ type: Body.Type) throws -> Body {
        guard var buffer = body.data, let bytes = buffer.readBytes(length: buffer.readableBytes), !bytes.isEmpty else {
            throw Abort(.badRequest, reason: "the request needs a JSON object body")
        }
        let data = Data(bytes)
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw Abort(.badRequest, reason: "the body is not valid JSON")
        }
        guard let fields = object as? [String: Any] else {
            throw Abort(.badRequest, reason: "the body must be a JSON object")
        }
        if let unknown = fields.keys.sorted().first(where: { !Body.allowedKeys.contains($0) }) {
            throw Abort(.badRequest, reason: "unknown field '\(unknown.prefix(60))' (allowed: \(Body.allowedKeys.sorted().joined(separator: ", ")))")
        }
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .custom { decoder in
                let text = try decoder.singleValueContainer().decode(String.self)
                if let date = Request.parseTime(text) { return date }
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                        debugDescription: "'\(text.prefix(40))' is not an ISO 8601 time such as 2026-11-26T09:00:00Z"))
            }
            return try decoder.decode(Body.self, from: data)
        } catch let error as DecodingError {
            throw Abort(.badRequest, reason: Self.describe(error))
        }
    }

    /// Reads an ISO 8601 time, with or without fractional seconds.
    static func parseTime(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    /// A sentence naming the field a decoding error is about.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context, _ extra: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (extra.map { [$0] } ?? [])
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return text.isEmpty ? "the body" : "field '\(text)'"
        }
        switch error {
        case let .typeMismatch(type, context): return "\(path(context)) must be \(Self.typeName(type))"
        case let .keyNotFound(key, context): return "\(path(context, key)) is required"
        case let .valueNotFound(type, context): return "\(path(context)) must be \(Self.typeName(type)), not null"
        case let .dataCorrupted(context): return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "the body does not have the expected shape"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Int64.Type: "a whole number"
        case is Double.Type: "a number"
        case is [Any].Type: "a list"
        default: "\(type)".hasPrefix("Array") ? "a list" : (("\(type)".hasPrefix("Dictionary")) ? "an object" : "\(type)")
        }
    }
}
