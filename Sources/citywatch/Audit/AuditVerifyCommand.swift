import ArgumentParser
import CityWatchApp
import CityWatchCommandLine
import CityWatchMedia
import CityWatchStore
import Fluent
import FluentKit
import Foundation

/// `citywatch audit verify`.
struct AuditVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute the hash chain and compare the log with its signed checkpoints; exit 1 naming what does not match.",
        discussion: """
            The chain names the first entry changed, inserted or removed. The signed checkpoints find what the chain \
            cannot: entries deleted from the end (truncation), entries rewritten with recomputed hashes or deleted and \
            their numbers reused by later appends (rewrite), and checkpoints whose signature does not verify. \
            --checkpoints adds a file written by `citywatch audit checkpoints -o FILE` and kept off the machine, so \
            checkpoint rows deleted from the database hide nothing; --public-key pins the keys the checkpoints must be \
            signed with (otherwise each is checked with its own key).
            """)

    @OptionGroup var store: StoreOptions

    @Option(name: .customLong("checkpoints"), help: ArgumentHelp(
        "A checkpoint file written by `citywatch audit checkpoints -o`, to check the store against.", valueName: "file"))
    var checkpointsFile: String?

    @Option(name: .customLong("public-key"), help: ArgumentHelp(
        "A key the checkpoints must be signed with: the base64 Ed25519 public key or its 16-digit fingerprint; repeat it for each node of a cluster.",
        valueName: "key"))
    var publicKeys: [String] = []

    func validate() throws {
        for key in publicKeys {
            let isKey = Data(base64Encoded: key)?.count == 32
            let isFingerprint = key.count == 16 && key.allSatisfy(\.isHexDigit)
            guard isKey || isFingerprint else {
                throw ValidationError("--public-key '\(key.prefix(60))' is neither a base64 Ed25519 public key (32 bytes) nor a 16-digit fingerprint")
            }
        }
    }

    func run() async throws {
        let configuration = try store.resolve()
        let exported = try checkpointsFile.map(Self.read) ?? []
        let trusted = publicKeys.map { $0.count == 16 ? $0.lowercased() : $0 }
        let result = try await withStore(configuration) { app in
            try await AuditLog(database: app.db).verify(exported: exported, trustedKeys: trusted)
        }
        if let problem = result.problem {
            FileHandle.standardError.write(Data("audit log BROKEN at \(problem) (\(result.checked) entries before it are intact)\n".utf8))
        }
        for finding in result.checkpoints.findings {
            FileHandle.standardError.write(Data("audit log \(finding)\n".utf8))
        }
        guard result.isIntact else { throw ExitCode(1) }
        print("audit log intact: \(result.checked.grouped) entries verified; " + summary(result.checkpoints, configuration: configuration))
    }

    /// The checkpoints in a file written by `audit checkpoints -o`.
    static func read(_ path: String) throws -> [AuditCheckpoint] {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read \(path)") }
        do { return try AuditCheckpointFile.decode(data).checkpoints } catch { throw ValidationError("\(path): \(error)") }
    }

    /// What the checkpoints vouch for, naming the keys (and which is this installation's).
    func summary(_ check: AuditCheckpointCheck, configuration: Configuration) -> String {
        guard let latest = check.latest else { return "no signed checkpoint yet (serve writes them; so does `citywatch audit checkpoint`)" }
        // Read the installation's key only if it exists: verifying must not create one.
        let keyFile = (configuration.keysDirectory as NSString).appendingPathComponent("signing.key")
        let local = FileManager.default.fileExists(atPath: keyFile) ? (try? configuration.signingKey())?.fingerprint : nil
        let keys = check.signers.map { $0 == local ? "\($0) (this installation's)" : $0 }.joined(separator: ", ")
        return "\(check.checked.grouped) signed checkpoint(s) agree with it, the latest covering entry \(latest.seq) "
            + "at \(latest.time.formatted(.iso8601)); signed by key \(keys)"
    }
}
