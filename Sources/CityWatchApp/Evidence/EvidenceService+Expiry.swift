import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import Foundation

/// Exports are copies of footage and are kept no longer than they are needed: each is deleted
/// ``Configuration/exportKeepDays`` after it was made (on every node that holds a copy), unless
/// a legal hold covers footage it holds, and each deletion is an audit line.
extension EvidenceService {
    /// What one sweep of this node's exports folder did.
    public struct ExportSweep: Sendable, Equatable {
        /// Exports deleted (each with its `video.export.expire` audit line).
        public var expired: [UUID] = []
        /// This node's copies of exports destroyed early (``destroyExport(_:reason:actor:holds:node:visible:)``,
        /// perhaps on another node), removed, each with its `video.export.destroy.copy` line.
        public var destroyedCopies: [UUID] = []
        /// Exports past their days kept because a legal hold covers footage they hold.
        public var keptByHolds: [UUID] = []
        /// Half-made zips and copies a crash left behind (no export), removed.
        public var leftoversRemoved = 0

        public init() {}
    }

    /// The earliest an export made at `createdAt` is deleted (a legal hold keeps it longer).
    public func keptUntil(_ createdAt: Date) -> Date {
        createdAt.addingTimeInterval(Double(configuration.exportKeepDays) * 86_400)
    }

    /// Deletes the exports in this node's folder whose days are over and that no hold in
    /// `holds` covers. `node` (in a cluster) is named in the audit lines: every node deletes
    /// its own copies.
    public func expireExports(holds: [RetentionPlanner.Hold], node: String? = nil) async throws -> ExportSweep {
        let manager = FileManager.default
        let now = clock()
        var sweep = ExportSweep()
        guard let names = try? manager.contentsOfDirectory(atPath: exportsDirectory) else { return sweep }
        func path(_ name: String) -> String { (exportsDirectory as NSString).appendingPathComponent(name) }
        func modified(_ path: String) -> Date? { (try? manager.attributesOfItem(atPath: path))?[.modificationDate] as? Date }
        var ids = Set<UUID>()
        for name in names {
            if Self.leftoverMarkers.contains(where: { name.contains($0) }) {
                // A zip or copy being made (or moved out) is minutes old at most; an hour-old
                // one was left by a crash.
                if let date = modified(path(name)), now.timeIntervalSince(date) > 3_600 {
                    try? manager.removeItem(atPath: path(name))
                    sweep.leftoversRemoved += 1
                }
                continue
            }
            if let id = UUID(uuidString: name.hasSuffix(".zip") ? String(name.dropLast(4)) : name) { ids.insert(id) }
        }
        // Exports destroyed early, perhaps through another node: this node's copies go now.
        let destroyed = try await AuditLog(database: database).list(.init(
            action: Self.destroyedAction, exactAction: true, targets: ids.map(\.uuidString), limit: max(1, ids.count)))
        for id in Set(destroyed.compactMap { UUID(uuidString: $0.target) }).sorted(by: { $0.uuidString < $1.uuidString }) {
            var details: [String: AuditValue] = [:]
            if let node { details["node"] = .string(node) }
            ids.remove(id)
            guard try await removeExport(id, logging: AuditEvent(actor: "system", action: Self.destroyedCopyAction, target: id.uuidString,
                                                                 details: details)) else { continue }
            sweep.destroyedCopies.append(id)
        }
        for id in ids.sorted(by: { $0.uuidString < $1.uuidString }) {
            let folder = path(id.uuidString.lowercased()), zip = folder + ".zip"
            // When it was made and what it holds come from its manifest; a zip fetched from
            // another node and never unpacked, or a folder without one, goes by the file's date.
            let manifest = EvidenceManifest.read(folder: folder)
            guard let made = manifest?.createdAt ?? modified(folder) ?? modified(zip), now >= keptUntil(made) else { continue }
            if let manifest, Self.heldCamera(manifest, by: holds) != nil {
                sweep.keptByHolds.append(id)
                continue
            }
            var details = Self.deletionDetails(made: made, manifest: manifest, node: node)
            details["keptDays"] = .int(Int64(configuration.exportKeepDays))
            guard try await removeExport(id, logging: AuditEvent(actor: "system", action: Self.expiredAction, target: id.uuidString,
                                                                 details: details)) else { continue }
            sweep.expired.append(id)
        }
        return sweep
    }

    /// What a deletion's audit line says of the export: when it was made, by whom, its cameras,
    /// its provision request, and the node deleting it.
    static func deletionDetails(made: Date, manifest: EvidenceManifest?, node: String?) -> [String: AuditValue] {
        var details: [String: AuditValue] = ["madeAt": .string(ISO8601DateFormatter().string(from: made))]
        if let manifest {
            details["requestedBy"] = .string(manifest.requestedBy)
            details["cameras"] = .list(manifest.cameras.map { .string($0.cameraId.uuidString) })
            if let request = manifest.provisionRequestId { details["provisionRequest"] = .string(request.uuidString) }
        }
        if let node { details["node"] = .string(node) }
        return details
    }

    /// Removes export `id`'s folder and zip from this node once `line` is in the audit log. The
    /// folder is moved aside first, so that no download reads half of it, and moved back when
    /// the line cannot be written (the error is thrown: nothing is deleted unlogged). False when
    /// the folder could not be moved aside (nothing done).
    @discardableResult
    func removeExport(_ id: UUID, logging line: AuditEvent) async throws -> Bool {
        let manager = FileManager.default
        let folder = (exportsDirectory as NSString).appendingPathComponent(id.uuidString.lowercased()), zip = folder + ".zip"
        let aside = folder + ".expiring-\(UUID().uuidString.prefix(8))"
        let hadFolder = manager.fileExists(atPath: folder)
        if hadFolder, rename(folder, aside) != 0 { return false }
        do {
            try await AuditLog(database: database, clock: clock).append(line)
        } catch {
            if hadFolder { _ = rename(aside, folder) }
            throw error
        }
        try? manager.removeItem(atPath: aside)
        try? manager.removeItem(atPath: zip)
        return true
    }

    /// The audit action of an export's deletion.
    public static let expiredAction = "video.export.expire"

    /// Pieces of names that mark work in progress in the exports folder, not an export.
    static let leftoverMarkers = [".part-", ".unpack-", ".expiring-"]

    /// The first of the manifest's cameras a hold covers within the range exported, if any.
    static func heldCamera(_ manifest: EvidenceManifest, by holds: [RetentionPlanner.Hold]) -> UUID? {
        manifest.cameras.first { clip in
            holds.contains { $0.cameraID == clip.cameraId && $0.from < clip.to && $0.to > clip.from }
        }?.cameraId
    }

    /// A deleted export, as the audit line of its deletion tells it.
    public struct Deletion: Sendable, Equatable {
        public var deletedAt: Date
        /// The cameras it held (empty when its manifest could not be read).
        public var cameras: [UUID]
        /// Who destroyed it before its days were over, and why; nil when its days were over.
        public var destroyedBy: String?
        public var reason: String?

        /// Why a download of export `id` finds nothing.
        public func explanation(_ id: UUID) -> String {
            let when = ISO8601DateFormatter().string(from: deletedAt)
            guard let destroyedBy else {
                return "export \(id) was deleted on \(when), when the days exports are kept (CITYWATCH_EXPORT_KEEP_DAYS) were over; "
                    + "export the footage again if it is still recorded"
            }
            return "export \(id) was destroyed on \(when) by \(destroyedBy): \(reason ?? "no reason recorded")"
        }
    }

    /// When export `id` was deleted (destroyed early, or its days over), and what it held, if it was.
    public func deletion(of id: UUID) async throws -> Deletion? {
        let log = AuditLog(database: database)
        let destroyed = try await log.list(.init(action: Self.destroyedAction, exactAction: true, target: id.uuidString, limit: 1)).first
        var found = destroyed
        if found == nil {
            found = try await log.list(.init(action: Self.expiredAction, exactAction: true, target: id.uuidString, limit: 1)).first
        }
        guard let entry = found else { return nil }
        let details = try? JSONDecoder().decode([String: AuditValue].self, from: Data(entry.details.utf8))
        var cameras: [UUID] = []
        if case .list(let values)? = details?["cameras"] {
            for case .string(let text) in values { if let camera = UUID(uuidString: text) { cameras.append(camera) } }
        }
        var deletion = Deletion(deletedAt: entry.time, cameras: cameras)
        if destroyed != nil {
            deletion.destroyedBy = entry.actor
            if case .string(let reason)? = details?["reason"] { deletion.reason = reason }
        }
        return deletion
    }
}
