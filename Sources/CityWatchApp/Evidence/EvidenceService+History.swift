import CityWatchStore
import Foundation

/// The exports made, as the audit log holds them (every export has its `video.export` line, and
/// the log is shared by a cluster's nodes): what an operator looks up to find an export again.
extension EvidenceService {
    /// One export made: what, by whom, why, and whether it is still kept.
    public struct ExportRecord: Sendable, Equatable, Codable {
        public var id: UUID
        public var createdAt: Date
        public var requestedBy: String
        public var reason: String
        public var cameraIds: [UUID]
        public var from: Date
        public var to: Date
        public var files: Int
        /// Cameras whose privacy masks were blacked out.
        public var maskedCameraIds: [UUID]
        public var provisionRequestId: UUID?
        /// When it is deleted (at the earliest: a legal hold on its footage keeps it longer).
        public var keptUntil: Date
        /// When it was deleted, once it was.
        public var deletedAt: Date?
        /// Who destroyed it before its days were over, and why (nil when its days ran out).
        public var destroyedBy: String?
        public var destroyReason: String?
    }

    /// `recentExports` was asked to go on after an export it does not know.
    public struct UnknownExport: Error, Sendable, Equatable {
        public var id: UUID
    }

    /// The latest exports (newest first, at most `limit`) made before `before` (any time when
    /// nil) that `visible` lets the user see; with `after`, those listed after that export (the
    /// next page: the order is the audit log's, so a page never skips or repeats one even when
    /// exports finished out of the order they were made in). The export lines of the audit log
    /// are read a page at a time back to the first, so an old export is found however many came
    /// after it. With `only`, that export alone (none when it is no export or not visible).
    /// Throws ``UnknownExport`` when `after` is no export `visible` lets the user see.
    public func recentExports(limit: Int, before: Date? = nil, after: UUID? = nil, only: UUID? = nil,
                              visible: (ExportRecord) -> Bool) async throws -> [ExportRecord] {
        let log = AuditLog(database: database)
        if let only {
            let line = try await log.list(.init(action: "video.export", exactAction: true, target: only.uuidString, limit: 1))
            return try await markDeletions(Self.exportRecords(line, keptUntil: keptUntil).filter(visible), log: log)
        }
        var records: [ExportRecord] = []
        var older: Int64?
        if let after {
            // An export the user may not see is no cursor either: the answer must not tell
            // whether an export they cannot see exists.
            let line = try await log.list(.init(action: "video.export", exactAction: true, target: after.uuidString, limit: 1))
            guard let seq = line.first?.seq, Self.exportRecords(line, keptUntil: keptUntil).contains(where: visible) else {
                throw UnknownExport(id: after)
            }
            older = seq
        }
        while records.count < limit {
            let lines = try await log.list(.init(action: "video.export", exactAction: true, beforeSeq: older, limit: Self.exportLinesPerRead))
            guard let last = lines.last else { break }
            older = last.seq
            for record in Self.exportRecords(lines, keptUntil: keptUntil) where (before.map { record.createdAt < $0 } ?? true) && visible(record) {
                records.append(record)
                if records.count == limit { break }
            }
            if lines.count < Self.exportLinesPerRead { break }
        }
        return try await markDeletions(records, log: log)
    }

    /// Export lines read from the audit log at a time.
    static let exportLinesPerRead = 1_000

    /// The exports `lines` (`video.export` audit lines) record, in their order; lines that do not
    /// describe an export are left out.
    static func exportRecords(_ lines: [AuditEntry], keptUntil: (Date) -> Date) -> [ExportRecord] {
        let iso = ISO8601DateFormatter()
        var records: [ExportRecord] = []
        for line in lines {
            guard let id = UUID(uuidString: line.target),
                  let details = try? JSONDecoder().decode([String: AuditValue].self, from: Data(line.details.utf8)) else { continue }
            func text(_ key: String) -> String? {
                guard case .string(let value)? = details[key] else { return nil }
                return value
            }
            func ids(_ key: String) -> [UUID] {
                guard case .list(let values)? = details[key] else { return [] }
                var found: [UUID] = []
                for case .string(let value) in values { if let id = UUID(uuidString: value) { found.append(id) } }
                return found
            }
            let cameras = ids("cameras")
            guard !cameras.isEmpty, let from = text("from").flatMap(iso.date(from:)), let to = text("to").flatMap(iso.date(from:)) else { continue }
            // Lines written before `madeAt` was recorded: the line's own time, a little later.
            let made = text("madeAt").flatMap(iso.date(from:)) ?? line.time
            var files = 0
            if case .int(let count)? = details["files"] { files = Int(count) }
            let record = ExportRecord(id: id, createdAt: made, requestedBy: line.actor, reason: text("reason") ?? "", cameraIds: cameras,
                                      from: from, to: to, files: files, maskedCameraIds: ids("masked"),
                                      provisionRequestId: text("provisionRequest").flatMap(UUID.init(uuidString:)),
                                      keptUntil: keptUntil(made))
            records.append(record)
        }
        return records
    }

    /// `records` with when each was deleted, and by whom and why when destroyed early.
    private func markDeletions(_ records: [ExportRecord], log: AuditLog) async throws -> [ExportRecord] {
        var records = records
        guard let oldest = records.map(\.createdAt).min() else { return records }
        let targets = records.map(\.id.uuidString)
        var deleted: [String: AuditEntry] = [:]
        for action in [Self.expiredAction, Self.destroyedAction] {
            // Newest first, so the oldest line of each export (its first deletion) is kept.
            for line in try await log.list(.init(since: oldest, action: action, exactAction: true, targets: targets, limit: 10_000)) {
                if let known = deleted[line.target], known.time < line.time { continue }
                deleted[line.target] = line
            }
        }
        for index in records.indices {
            guard let line = deleted[records[index].id.uuidString] else { continue }
            records[index].deletedAt = line.time
            guard line.action == Self.destroyedAction else { continue }
            records[index].destroyedBy = line.actor
            if case .string(let reason)? = (try? JSONDecoder().decode([String: AuditValue].self, from: Data(line.details.utf8)))?["reason"] {
                records[index].destroyReason = reason
            }
        }
        return records
    }
}
