import Foundation

/// What the signed checkpoints say about the log as it is now: a pure comparison of the
/// checkpoints (from the store and, optionally, an exported file) with the log's head, its
/// entry count and the hashes at the checkpoints' entries.
///
/// Only checkpoints whose signature verifies, by a trusted key when the auditor names any,
/// count as evidence; the others are findings themselves.
public struct AuditCheckpointCheck: Sendable, Equatable {
    /// Everything that does not agree, in the order: signatures and keys, missing rows,
    /// truncation, rewrite.
    public var findings: [AuditCheckpointFinding] = []
    /// Distinct checkpoints looked at.
    public var checked = 0
    /// The latest checkpoint that counts as evidence.
    public var latest: AuditCheckpoint?
    /// Fingerprints of the keys that signed the evidence, sorted.
    public var signers: [String] = []

    public init() {}

    /// Compares `stored` and `exported` checkpoints with the log: its last entry `headSeq`, its
    /// `count` of entries, and `hashes`, the hash of each entry the checkpoints name that still
    /// exists. `trustedKeys` (base64 public keys or fingerprints), when not empty, are the only
    /// keys accepted.
    public init(stored: [AuditCheckpoint], exported: [AuditCheckpoint] = [], headSeq: Int64, count: Int64,
                hashes: [Int64: String], trustedKeys: [String] = []) {
        struct Identity: Hashable {
            var seq: Int64
            var signature: String
        }
        let inStore = Set(stored.map { Identity(seq: $0.seq, signature: $0.signature) })
        var seen = Set<Identity>()
        var evidence: [AuditCheckpoint] = []
        for checkpoint in stored + exported where seen.insert(Identity(seq: checkpoint.seq, signature: checkpoint.signature)).inserted {
            checked += 1
            guard checkpoint.hasValidSignature else {
                findings.append(.badSignature(checkpoint))
                continue
            }
            guard trustedKeys.isEmpty || trustedKeys.contains(checkpoint.publicKey) || trustedKeys.contains(checkpoint.fingerprint) else {
                findings.append(.untrustedKey(checkpoint))
                continue
            }
            if !inStore.contains(Identity(seq: checkpoint.seq, signature: checkpoint.signature)) {
                findings.append(.missingFromStore(checkpoint))
            }
            evidence.append(checkpoint)
        }
        evidence.sort { ($0.seq, $0.timeMicros) < ($1.seq, $1.timeMicros) }
        latest = evidence.last
        signers = Set(evidence.map(\.fingerprint)).sorted()
        if let latest, headSeq < latest.seq || count < latest.count {
            findings.append(.truncated(checkpoint: latest, headSeq: headSeq, count: count))
        }
        // The first checkpoint whose entry changed bounds the rewrite from below by the last one
        // that still agrees.
        var lastAgreeing: Int64 = 0
        var disagreeing: [(AuditCheckpoint, String?, Int64)] = []
        for checkpoint in evidence where checkpoint.seq <= headSeq {
            let found = hashes[checkpoint.seq]
            if found == checkpoint.headHash {
                if disagreeing.isEmpty { lastAgreeing = max(lastAgreeing, checkpoint.seq) }
            } else {
                disagreeing.append((checkpoint, found, lastAgreeing + 1))
            }
        }
        if let (checkpoint, found, firstSuspect) = disagreeing.first {
            findings.append(.rewritten(checkpoint: checkpoint, found: found, firstSuspect: firstSuspect,
                                       laterCheckpoints: disagreeing.count - 1))
        }
    }
}
