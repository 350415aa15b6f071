import Crypto
import Foundation

/// One line of the append-only audit log.
///
/// Each entry carries the hash of the entry before it and its own SHA-256 over a canonical
/// encoding of every field, so changing, inserting or removing an entry anywhere breaks the
/// chain from that point on and `AuditLog.verify` names it.
public struct AuditEntry: Sendable, Equatable, Codable {
    /// 1, 2, 3, … without gaps.
    public var seq: Int64
    /// Microseconds since 1970, stored as an integer so the hash survives every database.
    public var timeMicros: Int64
    /// Who: a user name, `cli:<account>` for the command line, or `system`.
    public var actor: String
    /// What, as `noun.verb`: `login.failed`, `registry.import`, `camera.update`, …
    public var action: String
    /// What it was done to (a user name, a camera id, a file name); may be empty.
    public var target: String
    /// Further facts as a JSON object with sorted keys.
    public var details: String
    /// The previous entry's hash (64 zeros for the first entry).
    public var prevHash: String
    /// SHA-256 (hex) of ``canonicalBytes``.
    public var hash: String

    /// The previous hash of the first entry.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// When the entry was written.
    public var time: Date { Date(timeIntervalSince1970: Double(timeMicros) / 1_000_000) }

    /// The bytes the hash covers: each field length-prefixed, so no two different entries
    /// encode alike whatever characters their fields hold.
    public var canonicalBytes: [UInt8] {
        Self.lengthPrefixed(["\(seq)", "\(timeMicros)", actor, action, target, details, prevHash])
    }

    /// The hash the entry should carry.
    public var computedHash: String {
        SHA256.hash(data: canonicalBytes).map { String(format: "%02x", $0) }.joined()
    }

    /// Each field as `<byte count>:<bytes>\n`: the encoding entries and checkpoints are hashed
    /// and signed in.
    static func lengthPrefixed(_ fields: [String]) -> [UInt8] {
        var bytes: [UInt8] = []
        for field in fields {
            bytes.append(contentsOf: Array("\(field.utf8.count):".utf8))
            bytes.append(contentsOf: Array(field.utf8))
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }
}

/// What to record; the log adds sequence, time and hashes.
public struct AuditEvent: Sendable, Equatable {
    public var actor: String
    public var action: String
    public var target: String
    /// Further facts, encoded as a JSON object with sorted keys.
    public var details: [String: AuditValue]

    public init(actor: String, action: String, target: String = "", details: [String: AuditValue] = [:]) {
        self.actor = actor
        self.action = action
        self.target = target
        self.details = details
    }
}

/// A JSON value in audit details.
public enum AuditValue: Sendable, Equatable, Codable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral
{
    case string(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
    case list([AuditValue])
    case object([String: AuditValue])

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int64.self) { self = .int(value) }
        else if let value = try? container.decode(Double.self) { self = .double(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([AuditValue].self) { self = .list(value) }
        else { self = .object(try container.decode([String: AuditValue].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .list(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
