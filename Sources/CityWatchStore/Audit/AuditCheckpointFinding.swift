import Foundation

/// Something the signed checkpoints say about the audit log that its hash chain cannot.
public enum AuditCheckpointFinding: Sendable, Equatable, CustomStringConvertible {
    /// The log ends before `checkpoint`'s entry, or holds fewer entries than it counted: the
    /// entries after `headSeq` were deleted (the rest still chains, so only this shows it).
    case truncated(checkpoint: AuditCheckpoint, headSeq: Int64, count: Int64)
    /// The entry at `checkpoint.seq` no longer carries the signed hash (`found`; nil when the
    /// entry is gone): entries from `firstSuspect` on were rewritten with recomputed hashes, or
    /// deleted and their numbers reused by later appends. `laterCheckpoints` more checkpoints
    /// disagree the same way.
    case rewritten(checkpoint: AuditCheckpoint, found: String?, firstSuspect: Int64, laterCheckpoints: Int)
    /// The checkpoint's signature does not verify: it was edited or forged. It is not used as
    /// evidence of anything else.
    case badSignature(AuditCheckpoint)
    /// Validly signed, but by a key the auditor did not name as trusted.
    case untrustedKey(AuditCheckpoint)
    /// In the exported file but not in the store: checkpoint rows were deleted.
    case missingFromStore(AuditCheckpoint)

    /// A short name for the kind of finding, for machines (`truncated`, `rewritten`, …).
    public var kind: String {
        switch self {
        case .truncated: "truncated"
        case .rewritten: "rewritten"
        case .badSignature: "badSignature"
        case .untrustedKey: "untrustedKey"
        case .missingFromStore: "missingFromStore"
        }
    }

    /// The checkpoint the finding is about.
    public var checkpoint: AuditCheckpoint {
        switch self {
        case .truncated(let checkpoint, _, _), .rewritten(let checkpoint, _, _, _), .badSignature(let checkpoint),
             .untrustedKey(let checkpoint), .missingFromStore(let checkpoint):
            checkpoint
        }
    }

    public var description: String {
        let signed = "the checkpoint signed \(checkpoint.time.formatted(.iso8601)) by key \(checkpoint.fingerprint)"
        switch self {
        case .truncated(let checkpoint, let headSeq, let count):
            if headSeq < checkpoint.seq {
                let end = headSeq == 0 ? "the log is empty" : "the log now ends at entry \(headSeq)"
                let deleted = headSeq + 1 == checkpoint.seq ? "entry \(checkpoint.seq) was" : "entries \(headSeq + 1)…\(checkpoint.seq) were"
                return "TRUNCATED: \(deleted) deleted: \(signed) covers entries up to \(checkpoint.seq) (\(checkpoint.count) entries); \(end)"
            }
            return "TRUNCATED: the log holds \(count) entries, fewer than the \(checkpoint.count) \(signed) counted: entries were deleted"
        case .rewritten(let checkpoint, let found, let firstSuspect, let later):
            let now = found.map { "has hash \($0.prefix(16))…" } ?? "is gone"
            let more = later > 0 ? "; \(later) later checkpoint(s) disagree too" : ""
            return "REWRITTEN: entry \(checkpoint.seq) \(now), but \(signed) holds \(checkpoint.headHash.prefix(16))…: entries \(firstSuspect)…\(checkpoint.seq) were rewritten, or deleted and their numbers reused\(more)"
        case .badSignature(let checkpoint):
            return "BAD SIGNATURE: the checkpoint of entry \(checkpoint.seq) dated \(checkpoint.time.formatted(.iso8601)) does not verify with key \(checkpoint.fingerprint): it was edited or forged"
        case .untrustedKey(let checkpoint):
            return "UNTRUSTED KEY: the checkpoint of entry \(checkpoint.seq) dated \(checkpoint.time.formatted(.iso8601)) is signed by key \(checkpoint.fingerprint), not one named as trusted"
        case .missingFromStore(let checkpoint):
            return "MISSING: \(signed) for entry \(checkpoint.seq) is in the exported file but not in the store: checkpoint rows were deleted"
        }
    }
}
