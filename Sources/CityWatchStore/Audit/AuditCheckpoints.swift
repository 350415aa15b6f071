import FluentKit
import Foundation
import SQLKit

/// The signed checkpoints of the audit log (`audit_checkpoints`, append-only like the log).
///
/// Safe with several writers: a checkpoint is written under the audit log's own lock (the
/// PostgreSQL advisory lock appends take; SQLite's write lock), so in a cluster sharing one
/// store only one node signs a given head, and no append slips between reading the head and
/// signing it.
public struct AuditCheckpoints: Sendable {
    static let table = "audit_checkpoints"

    let database: any Database
    let clock: @Sendable () -> Date

    public init(database: any Database, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.clock = clock
    }

    /// Why a checkpoint was not written: the log no longer extends the latest checkpoint, and
    /// signing its head now would vouch for what was done to it. `audit verify` says more.
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        /// The log ends at `headSeq`, before the latest checkpoint's entry.
        case logEndsBeforeCheckpoint(headSeq: Int64, checkpointSeq: Int64)
        /// Entry `seq` no longer has the hash the latest checkpoint signed.
        case entryChanged(seq: Int64)
        /// The latest checkpoint's signature does not verify.
        case latestCheckpointForged(seq: Int64)

        public var description: String {
            switch self {
            case .logEndsBeforeCheckpoint(let head, let seq):
                "no checkpoint written: the audit log ends at entry \(head) but the latest checkpoint covers entry \(seq); run `citywatch audit verify`"
            case .entryChanged(let seq):
                "no checkpoint written: audit entry \(seq) no longer has the hash the latest checkpoint signed; run `citywatch audit verify`"
            case .latestCheckpointForged(let seq):
                "no checkpoint written: the latest checkpoint (entry \(seq)) does not carry a valid signature; run `citywatch audit verify`"
            }
        }
    }

    /// Signs the log's head with `signer` and stores the checkpoint, unless the log is empty or
    /// its head has not moved since the latest checkpoint (then nil). The first one written on an
    /// existing log covers every entry already there.
    @discardableResult
    public func write(signer: AuditCheckpointSigner) async throws -> AuditCheckpoint? {
        try await database.writeTransaction { tx in
            if tx.isPostgres {
                try await tx.sql.raw("SELECT pg_advisory_xact_lock(\(bind: AuditLog.lockKey))").run()
            }
            guard let head = try await Self.head(tx) else { return nil }
            if let latest = try await Self.latest(tx) {
                guard latest.hasValidSignature else { throw Refusal.latestCheckpointForged(seq: latest.seq) }
                guard head.seq >= latest.seq else { throw Refusal.logEndsBeforeCheckpoint(headSeq: head.seq, checkpointSeq: latest.seq) }
                guard try await Self.hashes(tx, of: [latest.seq])[latest.seq] == latest.headHash else {
                    throw Refusal.entryChanged(seq: latest.seq)
                }
                if head.seq == latest.seq { return nil }
            }
            let count = try await AuditLog(database: tx).count()
            let checkpoint = try signer.signed(AuditCheckpoint(seq: head.seq, count: Int64(count), headHash: head.hash,
                                                               timeMicros: AuditLog.micros(clock()), publicKey: signer.publicKey))
            try await tx.sql.insert(into: Self.table).model(CheckpointRow(checkpoint)).run()
            return checkpoint
        }
    }

    /// Every stored checkpoint, oldest first.
    public func all() async throws -> [AuditCheckpoint] {
        try await database.sql.select().column("*").from(Self.table).orderBy("seq", .ascending)
            .all(decoding: CheckpointRow.self).map(\.checkpoint)
    }

    /// The latest stored checkpoint.
    public func latest() async throws -> AuditCheckpoint? {
        try await Self.latest(database)
    }

    static func latest(_ database: any Database) async throws -> AuditCheckpoint? {
        try await database.sql.select().column("*").from(table).orderBy("seq", .descending).limit(1)
            .first(decoding: CheckpointRow.self)?.checkpoint
    }

    /// The log's last entry.
    static func head(_ database: any Database) async throws -> (seq: Int64, hash: String)? {
        guard let row = try await database.sql.select().columns("seq", "hash").from(AuditLog.table)
            .orderBy("seq", .descending).limit(1).first() else { return nil }
        return (try row.decode(column: "seq", as: Int64.self), try row.decode(column: "hash", as: String.self))
    }

    /// The hashes of those of the entries `seqs` that exist.
    static func hashes(_ database: any Database, of seqs: [Int64]) async throws -> [Int64: String] {
        var hashes: [Int64: String] = [:]
        // Bound parameters per statement stay well under both databases' limits.
        for start in stride(from: 0, to: seqs.count, by: 500) {
            let rows = try await database.sql.select().columns("seq", "hash").from(AuditLog.table)
                .where("seq", .in, Array(seqs[start..<min(start + 500, seqs.count)])).all()
            for row in rows { hashes[try row.decode(column: "seq", as: Int64.self)] = try row.decode(column: "hash", as: String.self) }
        }
        return hashes
    }
}

/// The stored shape of a checkpoint.
struct CheckpointRow: Codable {
    var seq: Int64
    var entry_count: Int64
    var head_hash: String
    var time_micros: Int64
    var public_key: String
    var signature: String

    init(_ checkpoint: AuditCheckpoint) {
        seq = checkpoint.seq
        entry_count = checkpoint.count
        head_hash = checkpoint.headHash
        time_micros = checkpoint.timeMicros
        public_key = checkpoint.publicKey
        signature = checkpoint.signature
    }

    var checkpoint: AuditCheckpoint {
        AuditCheckpoint(seq: seq, count: entry_count, headHash: head_hash, timeMicros: time_micros, publicKey: public_key, signature: signature)
    }
}

/// Creates `audit_checkpoints` and the triggers that refuse UPDATE and DELETE on it. An existing
/// log gets its first checkpoint from the first writer after this (serve at start, or
/// `citywatch audit checkpoint`): the migration has no key to sign with.
struct CreateAuditCheckpoints: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditCheckpoints.table)
            .field("seq", .int64, .identifier(auto: false))
            .field("entry_count", .int64, .required)
            .field("head_hash", .string, .required)
            .field("time_micros", .int64, .required)
            .field("public_key", .string, .required)
            .field("signature", .string, .required)
            .create()
        try await AppendOnlyGuard.install(on: database, table: AuditCheckpoints.table)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditCheckpoints.table).delete()
        try await AppendOnlyGuard.removeFunction(on: database, table: AuditCheckpoints.table)
    }
}
