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

    /// The latest exports (newest first, at most `limit`) that `visible` lets the user see.
    public func recentExports(limit: Int, visible: (ExportRecord) -> Bool) async throws -> [ExportRecord] {
        let log = AuditLog(database: database)
        let lines = try await log.list(.init(action: "video.export", exactAction: true, limit: 2_000))
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
            guard visible(record) else { continue }
            records.append(record)
            if records.count == limit { break }
        }
        guard let oldest = records.last?.createdAt else { return records }
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
