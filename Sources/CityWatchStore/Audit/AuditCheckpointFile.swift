import Foundation

/// The checkpoints as a file to keep off the machine (`citywatch audit checkpoints -o FILE`,
/// `GET /api/audit/checkpoints`): every signed checkpoint with the public keys that signed them.
/// `citywatch audit verify --checkpoints FILE` checks the live store against it, so deleting
/// checkpoint rows from the database does not hide a truncation.
public struct AuditCheckpointFile: Sendable, Equatable, Codable {
    /// One key that signed checkpoints in the file.
    public struct Signer: Sendable, Equatable, Codable {
        /// The raw Ed25519 public key, base64: what `--public-key` pins.
        public var publicKey: String
        /// Its fingerprint, for people.
        public var fingerprint: String
        /// How many of the checkpoints it signed.
        public var checkpoints: Int
    }

    /// Why a file cannot be read as checkpoints.
    public struct Unreadable: Error, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    /// The format tag every file carries.
    public static let formatName = "citywatch-audit-checkpoints/1"

    /// Always ``formatName``.
    public var format: String
    /// When the file was written (ISO 8601).
    public var exportedAt: String
    /// The keys that signed, with their fingerprints.
    public var signers: [Signer]
    /// The checkpoints, oldest first.
    public var checkpoints: [AuditCheckpoint]

    /// A file of `checkpoints` written at `now`.
    public init(checkpoints: [AuditCheckpoint], now: Date) {
        format = Self.formatName
        exportedAt = now.formatted(.iso8601)
        let counts = Dictionary(checkpoints.map { ($0.publicKey, 1) }, uniquingKeysWith: +)
        signers = counts.keys.sorted().map { Signer(publicKey: $0, fingerprint: AuditCheckpoint.fingerprint(publicKey: $0), checkpoints: counts[$0] ?? 0) }
        self.checkpoints = checkpoints
    }

    /// The file as written: pretty-printed JSON with sorted keys.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Reads a file written by ``encoded()``.
    public static func decode(_ data: Data) throws -> AuditCheckpointFile {
        let file: AuditCheckpointFile
        do { file = try JSONDecoder().decode(AuditCheckpointFile.self, from: data) } catch {
            throw Unreadable(reason: "not a CityWatch audit checkpoint file (JSON with format \(formatName)): \(error)")
        }
        guard file.format == formatName else {
            throw Unreadable(reason: "format '\(file.format.prefix(60))' is not \(formatName)")
        }
        return file
    }
}
