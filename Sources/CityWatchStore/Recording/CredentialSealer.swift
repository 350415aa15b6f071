import Crypto
import Foundation

/// Seals camera passwords with AES-GCM so a copy of the database does not reveal them.
///
/// The 256-bit key lives in a file of the data folder (created on first use, readable by the
/// owner only); a cluster gives every node the same key through `CITYWATCH_CREDENTIALS_KEY`
/// (base64).
public struct CredentialSealer: Sendable {
    /// The key's bytes (`SymmetricKey` itself is not `Sendable`).
    private let keyBytes: [UInt8]
    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    /// Why a password could not be sealed or opened.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case badKey(String)
        case cannotOpen

        public var description: String {
            switch self {
            case .badKey(let reason): "credentials key: \(reason)"
            case .cannotOpen: "a stored camera password cannot be opened with this installation's credentials key"
            }
        }
    }

    public init(key: SymmetricKey) {
        self.keyBytes = key.withUnsafeBytes { Array($0) }
    }

    /// The key from `base64` when given, else from `<folder>/credentials.key`, creating it.
    public static func load(base64: String?, folder: String) throws -> CredentialSealer {
        if let base64 {
            guard let data = Data(base64Encoded: base64), data.count == 32 else { throw Problem.badKey("CITYWATCH_CREDENTIALS_KEY must be 32 bytes in base64") }
            return CredentialSealer(key: SymmetricKey(data: data))
        }
        let path = (folder as NSString).appendingPathComponent("credentials.key")
        if let data = FileManager.default.contents(atPath: path) {
            guard data.count == 32 else { throw Problem.badKey("\(path) is not a 32-byte key") }
            return CredentialSealer(key: SymmetricKey(data: data))
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let key = SymmetricKey(size: .bits256)
        let data = key.withUnsafeBytes { Data($0) }
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw Problem.badKey("cannot write \(path)")
        }
        return CredentialSealer(key: key)
    }

    /// The sealed form of `secret`, base64.
    public func seal(_ secret: String) throws -> String {
        try AES.GCM.seal(Data(secret.utf8), using: key).combined!.base64EncodedString()
    }

    /// The secret inside `sealed`.
    public func open(_ sealed: String) throws -> String {
        guard let data = Data(base64Encoded: sealed), let box = try? AES.GCM.SealedBox(combined: data),
              let plain = try? AES.GCM.open(box, using: key) else { throw Problem.cannotOpen }
        return String(decoding: plain, as: UTF8.self)
    }
}
