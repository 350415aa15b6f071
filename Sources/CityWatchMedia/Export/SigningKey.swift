import Crypto
import Foundation

/// The installation's Ed25519 key that signs evidence manifests.
///
/// Kept in `<data>/keys/signing.key` (raw 32 bytes, owner-readable only), created on first use.
/// Its public half is what a court or the police compare an export's signature with.
public struct SigningKey: Sendable {
    private let raw: [UInt8]

    /// The key in `folder`, creating it when there is none.
    public static func load(folder: String) throws -> SigningKey {
        let path = (folder as NSString).appendingPathComponent("signing.key")
        if let data = FileManager.default.contents(atPath: path) {
            guard data.count == 32 else {
                throw MediaFailure(operation: "read \(path)", status: 0, message: "not a 32-byte Ed25519 private key")
            }
            return SigningKey(raw: Array(data))
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let key = Curve25519.Signing.PrivateKey()
        guard FileManager.default.createFile(atPath: path, contents: key.rawRepresentation, attributes: [.posixPermissions: 0o600]) else {
            throw MediaFailure(operation: "write \(path)", status: 0, message: "cannot store the signing key")
        }
        return SigningKey(raw: Array(key.rawRepresentation))
    }

    init(raw: [UInt8]) {
        self.raw = raw
    }

    private var privateKey: Curve25519.Signing.PrivateKey {
        // The bytes were validated as 32 bytes when loaded; any 32 bytes are a valid key.
        try! Curve25519.Signing.PrivateKey(rawRepresentation: raw)
    }

    /// The public key, raw, base64.
    public var publicKeyBase64: String { privateKey.publicKey.rawRepresentation.base64EncodedString() }

    /// A short fingerprint of the public key (first 16 hex digits of its SHA-256), for people.
    public var fingerprint: String { Self.fingerprint(ofPublicKey: privateKey.publicKey.rawRepresentation) }

    /// Signs `data`.
    public func sign(_ data: Data) throws -> Data {
        try privateKey.signature(for: data)
    }

    /// The fingerprint of a raw public key.
    public static func fingerprint(ofPublicKey raw: Data) -> String {
        SHA256.hash(data: raw).prefix(8).map { String(format: "%02x", $0) }.joined()
    }
}
