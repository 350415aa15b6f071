import FluentKit
import Foundation
import SQLKit

/// The append-only, hash-chained audit log.
///
/// Appends are serialised: on PostgreSQL by a transaction-scoped advisory lock, so many serve
/// and worker nodes can write; on SQLite by the write lock the transaction takes before it reads
/// the last entry (``Database/writeTransaction(_:)``).
public struct AuditLog: Sendable {
    static let table = "audit_log"
    /// Advisory lock key of the audit chain on PostgreSQL ("CWAUDIT" in ASCII, as a number).
    static let lockKey: Int64 = 0x43_57_41_55_44_49_54

    let database: any Database
    let clock: @Sendable () -> Date

    public init(database: any Database, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.clock = clock
    }

    /// Appends an event and returns the entry as stored.
    @discardableResult
    public func append(_ event: AuditEvent) async throws -> AuditEntry {
        // One event in, one entry out.
        try await append(contentsOf: [event])[0]
    }

    /// Appends events in order, in one transaction (a bulk action writes one entry per item
    /// without a round trip for each), and returns the entries as stored.
    @discardableResult
    public func append(contentsOf events: [AuditEvent]) async throws -> [AuditEntry] {
        guard !events.isEmpty else { return [] }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let details = try events.map { String(decoding: try encoder.encode($0.details), as: UTF8.self) }
        return try await database.writeTransaction { tx in
            if tx.isPostgres {
                try await tx.sql.raw("SELECT pg_advisory_xact_lock(\(bind: Self.lockKey))").run()
            }
            let last = try await tx.sql.select().columns("seq", "hash").from(Self.table)
                .orderBy("seq", .descending).limit(1).first()
            var seq = try last?.decode(column: "seq", as: Int64.self) ?? 0
            var prevHash = try last?.decode(column: "hash", as: String.self) ?? AuditEntry.genesisHash
            let timeMicros = Int64((clock().timeIntervalSince1970 * 1_000_000).rounded())
            var entries: [AuditEntry] = []
            for (event, details) in zip(events, details) {
                seq += 1
                var entry = AuditEntry(seq: seq, timeMicros: timeMicros, actor: event.actor, action: event.action,
                                       target: event.target, details: details, prevHash: prevHash, hash: "")
                entry.hash = entry.computedHash
                prevHash = entry.hash
                entries.append(entry)
            }
            // Bound parameters per statement stay well under both databases' limits.
            for chunk in stride(from: 0, to: entries.count, by: 100) {
                try await tx.sql.insert(into: Self.table).models(entries[chunk..<min(chunk + 100, entries.count)].map(AuditRow.init)).run()
            }
            return entries
        }
    }

    /// Filters for ``list(_:)``.
    public struct Filter: Sendable {
        public var since: Date?
        public var until: Date?
        public var actor: String?
        public var action: String?
        /// `action` names the action itself, not a prefix (`video.export` without its downloads).
        public var exactAction = false
        /// Only entries about exactly this target (an export's id, a username…).
        public var target: String?
        /// Only entries about one of these targets (an empty list finds nothing).
        public var targets: [String]?
        /// Only entries with a lower sequence number (paging backwards).
        public var beforeSeq: Int64?
        public var limit: Int

        public init(since: Date? = nil, until: Date? = nil, actor: String? = nil, action: String? = nil, exactAction: Bool = false,
                    target: String? = nil, targets: [String]? = nil, beforeSeq: Int64? = nil, limit: Int = 100) {
            self.since = since
            self.until = until
            self.actor = actor
            self.action = action
            self.exactAction = exactAction
            self.target = target
            self.targets = targets
            self.beforeSeq = beforeSeq
            self.limit = limit
        }
    }

    /// Entries matching `filter`, newest first. `action` matches a prefix (`login` finds
    /// `login.failed` and `login.succeeded`) unless `exactAction`.
    public func list(_ filter: Filter) async throws -> [AuditEntry] {
        let query = database.sql.select().column("*").from(Self.table)
        if let since = filter.since { query.where("time_micros", .greaterThanOrEqual, Self.micros(since)) }
        if let until = filter.until { query.where("time_micros", .lessThan, Self.micros(until)) }
        if let actor = filter.actor { query.where("actor", .equal, actor) }
        if let action = filter.action {
            if filter.exactAction {
                query.where("action", .equal, action)
            } else {
                query.where(SQLBinaryExpression(SQLColumn("action"), .like, SQLBind(Self.likePrefix(action))))
            }
        }
        if let target = filter.target { query.where("target", .equal, target) }
        if let targets = filter.targets {
            guard !targets.isEmpty else { return [] }
            query.where(SQLColumn("target"), .in, SQLBind.group(targets))
        }
        if let before = filter.beforeSeq { query.where("seq", .lessThan, before) }
        return try await query.orderBy("seq", .descending).limit(max(1, min(filter.limit, 10_000)))
            .all(decoding: AuditRow.self).map(\.entry)
    }

    /// The number of entries.
    public func count() async throws -> Int {
        let row = try await database.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(Self.table).first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    /// The outcome of ``verify(exported:trustedKeys:progress:)``.
    public struct Verification: Sendable, Equatable {
        /// Entries checked.
        public var checked: Int
        /// The first entry that does not match, and why; nil when the chain is whole.
        public var problem: Problem?
        /// What the signed checkpoints say: truncation, rewrite, bad signatures.
        public var checkpoints = AuditCheckpointCheck()

        /// True when the chain is whole and every checkpoint agrees with it.
        public var isIntact: Bool { problem == nil && checkpoints.findings.isEmpty }
    }

    /// Where the chain breaks.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var seq: Int64
        public var reason: String
        public var description: String { "entry \(seq): \(reason)" }
    }

    /// Recomputes the whole chain, in sequence order, reading it in pages, then compares the log
    /// with the signed checkpoints: those in the store and `exported` ones (from a file kept off
    /// the machine). `trustedKeys` (base64 public keys or fingerprints), when given, are the only
    /// signers accepted; otherwise each checkpoint is checked with its own key.
    public func verify(exported: [AuditCheckpoint] = [], trustedKeys: [String] = [],
                       progress: (@Sendable (Int) -> Void)? = nil) async throws -> Verification {
        var verification = try await verifyChain(progress: progress)
        verification.checkpoints = try await checkCheckpoints(exported: exported, trustedKeys: trustedKeys)
        return verification
    }

    /// The hash chain alone: the first entry that is missing, misplaced or changed.
    func verifyChain(progress: (@Sendable (Int) -> Void)?) async throws -> Verification {
        var expectedSeq: Int64 = 1
        var previousHash = AuditEntry.genesisHash
        var checked = 0
        while true {
            let page = try await database.sql.select().column("*").from(Self.table)
                .where("seq", .greaterThanOrEqual, expectedSeq)
                .orderBy("seq", .ascending).limit(2_000)
                .all(decoding: AuditRow.self).map(\.entry)
            if page.isEmpty { return Verification(checked: checked, problem: nil) }
            for entry in page {
                if entry.seq != expectedSeq {
                    return Verification(checked: checked, problem: Problem(
                        seq: expectedSeq, reason: "missing: the log jumps from entry \(expectedSeq - 1) to \(entry.seq)"))
                }
                if entry.prevHash != previousHash {
                    return Verification(checked: checked, problem: Problem(
                        seq: entry.seq, reason: "its previous-hash link does not match entry \(entry.seq - 1): an entry before it was changed, removed or inserted"))
                }
                if entry.computedHash != entry.hash {
                    return Verification(checked: checked, problem: Problem(
                        seq: entry.seq, reason: "its contents do not match its hash: the entry was changed after it was written"))
                }
                previousHash = entry.hash
                expectedSeq += 1
                checked += 1
            }
            progress?(checked)
        }
    }

    static func micros(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1_000_000).rounded()) }

    static func likePrefix(_ text: String) -> String {
        text.replacing("\\", with: "").replacing("%", with: "").replacing("_", with: "\\_") + "%"
    }
}

/// The stored shape of an entry.
struct AuditRow: Codable {
    var seq: Int64
    var time_micros: Int64
    var actor: String
    var action: String
    var target: String
    var details: String
    var prev_hash: String
    var hash: String

    init(_ entry: AuditEntry) {
        seq = entry.seq
        time_micros = entry.timeMicros
        actor = entry.actor
        action = entry.action
        target = entry.target
        details = entry.details
        prev_hash = entry.prevHash
        hash = entry.hash
    }

    var entry: AuditEntry {
        AuditEntry(seq: seq, timeMicros: time_micros, actor: actor, action: action, target: target,
                   details: details, prevHash: prev_hash, hash: hash)
    }
}

/// Creates `audit_log` and the triggers that refuse UPDATE and DELETE on it.
/// An index on (action, target): the lookups of one action about one thing (has this export
/// been deleted, which exports were made) read a few rows instead of the whole log, which
/// grows by every view of video (BENCHMARKS.md, *Audit lookups by action*).
struct IndexAuditActions: AsyncMigration {
    static let name = "audit_log_action_target"

    func prepare(on database: any Database) async throws {
        try await database.sql.create(index: Self.name).on(AuditLog.table).column("action").column("target").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.drop(index: Self.name).run()
    }
}

struct CreateAuditLog: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditLog.table)
            .field("seq", .int64, .identifier(auto: false))
            .field("time_micros", .int64, .required)
            .field("actor", .string, .required)
            .field("action", .string, .required)
            .field("target", .string, .required)
            .field("details", .string, .required)
            .field("prev_hash", .string, .required)
            .field("hash", .string, .required)
            .create()
        let sql = database.sql
        try await sql.create(index: "audit_log_time").on(AuditLog.table).column("time_micros").run()
        try await sql.create(index: "audit_log_actor").on(AuditLog.table).column("actor").run()
        try await AppendOnlyGuard.install(on: database, table: AuditLog.table)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditLog.table).delete()
        try await AppendOnlyGuard.removeFunction(on: database, table: AuditLog.table)
    }
}
