import Crypto
import Foundation

/// Checks an evidence export: every file's SHA-256 against the manifest, no file missing or
/// added, and the manifest's Ed25519 signature — against the installation's public key when
/// one is given, so a re-signed manifest does not pass.
public struct EvidenceVerifier: Sendable {
    /// Something wrong with an export.
    public enum Problem: Sendable, Equatable, CustomStringConvertible {
        case noManifest
        case unreadableManifest(String)
        case noSignature
        case badSignature
        case untrustedKey(fingerprint: String, expected: String)
        case changedFile(String)
        case missingFile(String)
        case unexpectedFile(String)

        public var description: String {
            switch self {
            case .noManifest: "no manifest.json"
            case .unreadableManifest(let reason): "manifest.json cannot be read: \(reason)"
            case .noSignature: "no manifest.json.sig: the manifest is not signed"
            case .badSignature: "the signature does not match manifest.json: the manifest was changed"
            case let .untrustedKey(fingerprint, expected): "signed by key \(fingerprint), not by this installation's key \(expected)"
            case .changedFile(let name): "\(name) was changed: its SHA-256 differs from the manifest"
            case .missingFile(let name): "\(name) is listed in the manifest but missing"
            case .unexpectedFile(let name): "\(name) is not listed in the manifest"
            }
        }
    }

    /// The result: the manifest (when readable) and every problem found.
    public struct Result: Sendable {
        public var manifest: EvidenceManifest?
        public var problems: [Problem]
        public var isValid: Bool { problems.isEmpty }
    }

    /// The public key (raw, base64) exports must be signed with; nil accepts the manifest's own
    /// key (and says which it was).
    public var trustedKey: String?

    public init(trustedKey: String? = nil) {
        self.trustedKey = trustedKey
    }

    /// Verifies the export in `folder`.
    public func verify(folder: String) -> Result {
        let manifestPath = (folder as NSString).appendingPathComponent(EvidenceManifest.manifestName)
        guard let manifestData = FileManager.default.contents(atPath: manifestPath) else { return Result(manifest: nil, problems: [.noManifest]) }
        let manifest: EvidenceManifest
        do { manifest = try EvidenceManifest.decode(manifestData) } catch {
            return Result(manifest: nil, problems: [.unreadableManifest("\(error)")])
        }
        var problems: [Problem] = []
        let signaturePath = (folder as NSString).appendingPathComponent(EvidenceManifest.signatureName)
        if let signatureText = FileManager.default.contents(atPath: signaturePath),
           let signature = Data(base64Encoded: String(decoding: signatureText, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) {
            let signedByItsKey = Data(base64Encoded: manifest.signingKey)
                .flatMap { try? Curve25519.Signing.PublicKey(rawRepresentation: $0) }?
                .isValidSignature(signature, for: manifestData) ?? false
            if !signedByItsKey {
                problems.append(.badSignature)
            } else if let trustedKey, trustedKey != manifest.signingKey {
                problems.append(.untrustedKey(fingerprint: Self.fingerprint(manifest.signingKey), expected: Self.fingerprint(trustedKey)))
            }
        } else {
            problems.append(.noSignature)
        }
        let listed = Set(manifest.files.map(\.name))
        for file in manifest.files {
            let path = (folder as NSString).appendingPathComponent(file.name)
            guard FileManager.default.fileExists(atPath: path) else {
                problems.append(.missingFile(file.name))
                continue
            }
            if (try? Self.sha256(ofFile: path)) != file.sha256 { problems.append(.changedFile(file.name)) }
        }
        let present = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for name in present.sorted() where !listed.contains(name) && name != EvidenceManifest.manifestName && name != EvidenceManifest.signatureName {
            problems.append(.unexpectedFile(name))
        }
        return Result(manifest: manifest, problems: problems)
    }

    static func fingerprint(_ base64: String) -> String {
        Data(base64Encoded: base64).map { SigningKey.fingerprint(ofPublicKey: $0) } ?? "unreadable"
    }

    /// SHA-256 (hex) of a file, read in chunks.
    public static func sha256(ofFile path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw MediaFailure(operation: "open \(path)", status: 0, message: "cannot read")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
