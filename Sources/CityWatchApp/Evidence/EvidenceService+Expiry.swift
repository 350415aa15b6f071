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
        for id in ids.sorted(by: { $0.uuidString < $1.uuidString }) {
            let folder = path(id.uuidString.lowercased()), zip = folder + ".zip"
            // When it was made and what it holds come from its manifest; a zip fetched from
            // another node and never unpacked, or a folder without one, goes by the file's date.
            let manifest = manager.contents(atPath: (folder as NSString).appendingPathComponent(EvidenceManifest.manifestName))
                .flatMap { try? EvidenceManifest.decode($0) }
            guard let made = manifest?.createdAt ?? modified(folder) ?? modified(zip), now >= keptUntil(made) else { continue }
            if let manifest, Self.isHeld(manifest, by: holds) {
                sweep.keptByHolds.append(id)
                continue
            }
            // Moved aside first, so that no download reads half of it, and moved back when the
            // audit log cannot say it was deleted.
            let aside = folder + ".expiring-\(UUID().uuidString.prefix(8))"
            let hadFolder = manager.fileExists(atPath: folder)
            if hadFolder, rename(folder, aside) != 0 { continue }
            var details: [String: AuditValue] = ["madeAt": .string(ISO8601DateFormatter().string(from: made)),
                                                 "keptDays": .int(Int64(configuration.exportKeepDays))]
            if let manifest {
                details["requestedBy"] = .string(manifest.requestedBy)
                details["cameras"] = .list(manifest.cameras.map { .string($0.cameraId.uuidString) })
                if let request = manifest.provisionRequestId { details["provisionRequest"] = .string(request.uuidString) }
            }
            if let node { details["node"] = .string(node) }
            do {
                try await AuditLog(database: database, clock: clock).append(AuditEvent(
                    actor: "system", action: Self.expiredAction, target: id.uuidString, details: details))
            } catch {
                if hadFolder { _ = rename(aside, folder) }
                throw error
            }
            try? manager.removeItem(atPath: aside)
            try? manager.removeItem(atPath: zip)
            sweep.expired.append(id)
        }
        return sweep
    }

    /// The audit action of an export's deletion.
    public static let expiredAction = "video.export.expire"

    /// Pieces of names that mark work in progress in the exports folder, not an export.
    static let leftoverMarkers = [".part-", ".unpack-", ".expiring-"]

    /// True when a hold covers one of the manifest's cameras within the range exported.
    static func isHeld(_ manifest: EvidenceManifest, by holds: [RetentionPlanner.Hold]) -> Bool {
        manifest.cameras.contains { clip in
            holds.contains { $0.cameraID == clip.cameraId && $0.from < clip.to && $0.to > clip.from }
        }
    }

    /// A deleted export, as its `video.export.expire` audit line tells it.
    public struct Expired: Sendable, Equatable {
        public var deletedAt: Date
        /// The cameras it held (empty when its manifest could not be read).
        public var cameras: [UUID]
    }

    /// When export `id` was deleted, and what it held, if it was.
    public func expiry(of id: UUID) async throws -> Expired? {
        guard let entry = try await AuditLog(database: database).list(.init(action: Self.expiredAction, target: id.uuidString, limit: 1)).first
        else { return nil }
        let details = try? JSONDecoder().decode([String: AuditValue].self, from: Data(entry.details.utf8))
        var cameras: [UUID] = []
        if case .list(let values)? = details?["cameras"] {
            for case .string(let text) in values { if let camera = UUID(uuidString: text) { cameras.append(camera) } }
        }
        return Expired(deletedAt: entry.time, cameras: cameras)
    }
}
