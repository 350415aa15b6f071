import CityWatchApp
import CityWatchMedia
import CityWatchStore
import FluentKit
import Foundation
import SQLKit

/// Installation keys for audit checkpoint tests: a real ``SigningKey``, made in a folder of its
/// own as `serve` makes one, as the checkpoint signer it becomes.
public enum AuditSigningKeys {
    /// A new installation key's signer.
    public static func make() throws -> AuditCheckpointSigner {
        let folder = try RepositoryPaths.temporaryFolder("keys")
        defer { try? FileManager.default.removeItem(at: folder) }
        return try SigningKey.load(folder: folder.path).auditCheckpointSigner
    }

    /// Drops the triggers that keep `audit_log` and `audit_checkpoints` append-only, as an
    /// intruder with database access would.
    public static func dropAppendOnlyGuards(_ db: any Database) async throws {
        if db.isPostgres {
            try await db.sql.raw("DROP TRIGGER audit_log_append_only ON audit_log").run()
            try await db.sql.raw("DROP TRIGGER audit_checkpoints_append_only ON audit_checkpoints").run()
        } else {
            for trigger in ["audit_log_no_update", "audit_log_no_delete", "audit_checkpoints_no_update", "audit_checkpoints_no_delete"] {
                try await db.sql.raw("DROP TRIGGER \(unsafeRaw: trigger)").run()
            }
        }
    }
}
