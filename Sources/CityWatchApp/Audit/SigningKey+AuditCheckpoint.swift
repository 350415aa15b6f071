import CityWatchMedia
import CityWatchStore
import Foundation

extension SigningKey {
    /// The key as the audit log's checkpoint signer: the one installation key signs both
    /// evidence manifests and audit checkpoints (their signed bytes start differently, so
    /// neither signature can pass for the other).
    public var auditCheckpointSigner: AuditCheckpointSigner {
        AuditCheckpointSigner(publicKey: publicKeyBase64, sign: { try self.sign($0) })
    }
}

extension Configuration {
    /// Where the installation's keys are kept: `<data>/keys`.
    public var keysDirectory: String { (dataDirectory as NSString).appendingPathComponent("keys") }

    /// The installation's signing key (`<data>/keys/signing.key`), created on first use.
    public func signingKey() throws -> SigningKey {
        try SigningKey.load(folder: keysDirectory)
    }
}
