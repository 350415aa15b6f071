import ArgumentParser
import CityWatchApp
import CityWatchCommandLine
import CityWatchStore
import Fluent
import FluentKit
import Foundation

/// `citywatch audit checkpoint`.
struct AuditCheckpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Sign the audit log's head now with the installation's key.",
        discussion: """
            serve does this by itself at start, every CITYWATCH_AUDIT_CHECKPOINT_MINUTES (15) and at shutdown. Nothing is \
            written when the head has not moved since the latest checkpoint. Exit 1, writing nothing, when the log no \
            longer extends the latest checkpoint (it was truncated or rewritten: see `citywatch audit verify`).
            """)

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let configuration = try store.resolve()
        let signer = try configuration.signingKey().auditCheckpointSigner
        let (written, latest): (AuditCheckpoint?, AuditCheckpoint?)
        do {
            (written, latest) = try await withStore(configuration) { app in
                let checkpoints = AuditCheckpoints(database: app.db)
                return (try await checkpoints.write(signer: signer), try await checkpoints.latest())
            }
        } catch let refusal as AuditCheckpoints.Refusal {
            FileHandle.standardError.write(Data("\(refusal)\n".utf8))
            throw ExitCode(1)
        }
        if let written {
            print("checkpoint signed: entry \(written.seq) (\(Int(written.count).grouped) entries), head \(written.headHash.prefix(16))…, key \(written.fingerprint)")
        } else if let latest {
            print("no checkpoint needed: the log has not moved since the checkpoint of entry \(latest.seq) at \(latest.time.formatted(.iso8601))")
        } else {
            print("the audit log is empty: nothing to sign")
        }
    }
}
