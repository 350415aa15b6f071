import ArgumentParser
import CityWatchApp
import CityWatchCommandLine
import CityWatchStore
import Fluent
import FluentKit
import Foundation

/// `citywatch audit checkpoints`.
struct AuditCheckpointsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoints",
        abstract: "List the signed audit checkpoints, or write them with their public keys to a file to keep off the machine.",
        discussion: "`citywatch audit verify --checkpoints FILE` checks the store against such a file, so checkpoint rows deleted from the database do not hide a truncation.")

    @OptionGroup var store: StoreOptions
    @Flag(help: "Print the checkpoint file (JSON) instead of a table.") var json = false
    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp(
        "Write the checkpoint file (JSON, with the public keys) here.", valueName: "file"))
    var output: String?

    func run() async throws {
        let configuration = try store.resolve()
        let checkpoints = try await withStore(configuration) { app in try await AuditCheckpoints(database: app.db).all() }
        let file = AuditCheckpointFile(checkpoints: checkpoints, now: Date())
        if let output {
            do { try file.encoded().write(to: URL(fileURLWithPath: output)) } catch {
                throw ValidationError("cannot write \(output): \(error.localizedDescription)")
            }
            print("wrote \(checkpoints.count.grouped) checkpoint(s) signed by \(file.signers.count) key(s) to \(output)")
        } else if json {
            print(String(decoding: try file.encoded(), as: UTF8.self))
        } else {
            print("seq\tentries\tsigned at\thead hash\tkey")
            for checkpoint in checkpoints {
                print("\(checkpoint.seq)\t\(checkpoint.count)\t\(checkpoint.time.formatted(.iso8601))\t\(checkpoint.headHash.prefix(16))…\t\(checkpoint.fingerprint)")
            }
        }
    }
}
