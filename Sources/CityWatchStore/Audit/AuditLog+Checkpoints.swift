import FluentKit
import Foundation
import SQLKit

extension AuditLog {
    /// Compares the log's head, count and the entries the checkpoints name with the stored
    /// checkpoints and `exported` ones (``AuditCheckpointCheck``).
    func checkCheckpoints(exported: [AuditCheckpoint], trustedKeys: [String]) async throws -> AuditCheckpointCheck {
        let stored = try await AuditCheckpoints(database: database).all()
        let headSeq = try await AuditCheckpoints.head(database)?.seq ?? 0
        let count = try await count()
        let named = Set((stored + exported).map(\.seq).filter { $0 <= headSeq }).sorted()
        let hashes = try await AuditCheckpoints.hashes(database, of: named)
        return AuditCheckpointCheck(stored: stored, exported: exported, headSeq: headSeq, count: Int64(count),
                                    hashes: hashes, trustedKeys: trustedKeys)
    }
}
