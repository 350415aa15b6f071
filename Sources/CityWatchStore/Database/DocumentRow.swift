import FluentKit
import Foundation

/// A row that keeps a whole domain value as JSON in its `document` column, beside the few
/// columns lists filter and sort by. The value reads back exactly as it was stored; the index
/// columns are copied from it on every write.
protocol DocumentRow: Model where IDValue == UUID {
    associatedtype Value: Codable

    /// How the document's dates are written (fixed per table: rows already stored read back).
    static var dates: DocumentDates { get }
    var document: String { get set }
    /// Copies the index columns from `value`.
    func index(_ value: Value)
}

/// How a table's documents write dates.
enum DocumentDates {
    /// Milliseconds since 1970 (alarms, incidents).
    case millisecondsSince1970
    /// Foundation's own (seconds since 2001; provision records).
    case foundation
}

/// How a document is written.
enum DocumentWrite {
    /// A new row; fails if the id is taken.
    case create
    /// Replaces the stored row, or adds one.
    case upsert
    /// Replaces the stored row; `missing` is thrown when there is none.
    case update(orElse: any Error)
}

extension DocumentRow {
    /// Stores `value` under `id`.
    static func write(_ value: Value, id: UUID, _ mode: DocumentWrite, on database: any Database) async throws {
        let row: Self
        switch mode {
        case .create:
            row = Self()
        case .upsert:
            row = try await find(id, on: database) ?? Self()
        case .update(let missing):
            guard let found = try await find(id, on: database) else { throw missing }
            row = found
        }
        row.id = id
        row.index(value)
        row.document = try encode(value)
        if case .create = mode { try await row.create(on: database) } else { try await row.save(on: database) }
    }

    /// Reads the rows of `ids` in one query, hands each stored value to `change`, and writes
    /// back those it returns a new value for (nil leaves the row as it is). Returns the new values
    /// by id; an id without a row is not asked about. Run it in a transaction.
    static func modify(_ ids: [UUID], on database: any Database, _ change: (Value) -> Value?) async throws -> [UUID: Value] {
        var changed: [UUID: Value] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500) {
            let rows = try await query(on: database).filter(\._$id ~~ Array(ids[chunk..<min(chunk + 500, ids.count)])).all()
            for row in rows {
                guard let id = row.id, let next = change(try row.value) else { continue }
                row.index(next)
                row.document = try encode(next)
                try await row.update(on: database)
                changed[id] = next
            }
        }
        return changed
    }

    /// The value stored under `id`, if any.
    static func value(_ id: UUID, on database: any Database) async throws -> Value? {
        try await find(id, on: database).map { try $0.value }
    }

    /// The stored value.
    var value: Value {
        get throws { try Self.decoder.decode(Value.self, from: Data(document.utf8)) }
    }

    /// The stored values of `rows`, in order.
    static func values(_ rows: [Self]) throws -> [Value] {
        let decoder = decoder
        return try rows.map { try decoder.decode(Value.self, from: Data($0.document.utf8)) }
    }

    static func encode(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        if case .millisecondsSince1970 = dates { encoder.dateEncodingStrategy = .millisecondsSince1970 }
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        if case .millisecondsSince1970 = dates { decoder.dateDecodingStrategy = .millisecondsSince1970 }
        return decoder
    }
}

extension QueryBuilder where Model: DocumentRow {
    /// The stored values of the rows the query finds.
    func values() async throws -> [Model.Value] {
        try Model.values(await all())
    }
}
