import Foundation

/// What signs checkpoints: the installation's Ed25519 key, handed down from where it is kept.
///
/// A value holding the key's public half and a signing function rather than the key type
/// itself: the key (`SigningKey`) lives with the evidence exports in `CityWatchMedia`, which the
/// store does not depend on; `CityWatchApp`, which sees both, makes one from it.
public struct AuditCheckpointSigner: Sendable {
    /// The raw Ed25519 public key, base64.
    public var publicKey: String
    /// Signs bytes with the private half.
    public var sign: @Sendable (Data) throws -> Data

    public init(publicKey: String, sign: @escaping @Sendable (Data) throws -> Data) {
        self.publicKey = publicKey
        self.sign = sign
    }

    /// `checkpoint` as this signer signs it: its public key and signature set.
    public func signed(_ checkpoint: AuditCheckpoint) throws -> AuditCheckpoint {
        var signed = checkpoint
        signed.publicKey = publicKey
        signed.signature = try sign(Data(signed.signedBytes)).base64EncodedString()
        return signed
    }
}
