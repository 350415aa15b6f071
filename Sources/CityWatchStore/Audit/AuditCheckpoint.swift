import Crypto
import Foundation

/// A signed statement of how far the audit log reached at one moment: its last entry's number
/// and hash, and how many entries it held, signed with the installation's Ed25519 key.
///
/// The hash chain alone finds an entry changed, inserted or removed in the middle, but not the
/// last entries deleted (what is left still chains) nor the whole log rewritten with fresh
/// hashes from some entry on. A checkpoint pins the head: a log that ends before it, or whose
/// entry at its number carries another hash, was truncated or rewritten
/// (``AuditCheckpointCheck``). Kept in `audit_checkpoints` and exportable off the machine
/// (``AuditCheckpointFile``), so deleting the rows does not hide what they witnessed.
public struct AuditCheckpoint: Sendable, Hashable, Codable {
    /// The last entry the checkpoint covers.
    public var seq: Int64
    /// Entries in the log when it was signed (equal to `seq` in a whole chain).
    public var count: Int64
    /// The hash of entry `seq`.
    public var headHash: String
    /// When it was signed, in microseconds since 1970.
    public var timeMicros: Int64
    /// The signer's raw Ed25519 public key, base64. Each node of a cluster signs with its own.
    public var publicKey: String
    /// The Ed25519 signature over ``signedBytes``, base64.
    public var signature: String

    /// Set apart from every other thing the installation key signs (evidence manifests): a
    /// signature made for one can never pass as the other.
    static let purpose = "citywatch audit checkpoint v1"

    public init(seq: Int64, count: Int64, headHash: String, timeMicros: Int64, publicKey: String, signature: String = "") {
        self.seq = seq
        self.count = count
        self.headHash = headHash
        self.timeMicros = timeMicros
        self.publicKey = publicKey
        self.signature = signature
    }

    /// The bytes the signature covers: the purpose and every other field, length-prefixed.
    public var signedBytes: [UInt8] {
        AuditEntry.lengthPrefixed([Self.purpose, "\(seq)", "\(count)", headHash, "\(timeMicros)", publicKey])
    }

    /// True when ``signature`` is ``publicKey``'s signature over ``signedBytes``.
    public var hasValidSignature: Bool {
        guard let raw = Data(base64Encoded: publicKey), let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw),
              let signature = Data(base64Encoded: signature) else { return false }
        return key.isValidSignature(signature, for: Data(signedBytes))
    }

    /// When it was signed.
    public var time: Date { Date(timeIntervalSince1970: Double(timeMicros) / 1_000_000) }

    /// A short fingerprint of the signer's key (the first 16 hex digits of its SHA-256), the same
    /// one evidence exports show.
    public var fingerprint: String { Self.fingerprint(publicKey: publicKey) }

    /// The fingerprint of a base64 public key.
    public static func fingerprint(publicKey: String) -> String {
        guard let raw = Data(base64Encoded: publicKey) else { return "unreadable" }
        return SHA256.hash(data: raw).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    private enum CodingKeys: String, CodingKey {
        case seq, count, headHash, time, timeMicros, publicKey, signature
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(seq: try container.decode(Int64.self, forKey: .seq), count: try container.decode(Int64.self, forKey: .count),
                  headHash: try container.decode(String.self, forKey: .headHash),
                  timeMicros: try container.decode(Int64.self, forKey: .timeMicros),
                  publicKey: try container.decode(String.self, forKey: .publicKey),
                  signature: try container.decode(String.self, forKey: .signature))
    }

    /// Written with a readable `time` beside the signed `timeMicros`; reading ignores it.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(seq, forKey: .seq)
        try container.encode(count, forKey: .count)
        try container.encode(headHash, forKey: .headHash)
        try container.encode(time.formatted(.iso8601), forKey: .time)
        try container.encode(timeMicros, forKey: .timeMicros)
        try container.encode(publicKey, forKey: .publicKey)
        try container.encode(signature, forKey: .signature)
    }
}
