import ArgumentParser
import CityWatchApp
import CityWatchCommandLine
import CityWatchStore
import Fluent
import FluentKit
import Foundation

/// `citywatch audit`: the hash-chained audit log.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check and read the audit log; sign and export its checkpoints.",
        subcommands: [AuditVerifyCommand.self, AuditListCommand.self, AuditCheckpointCommand.self, AuditCheckpointsCommand.self])
}

/// `citywatch audit list`.
struct AuditListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List audit entries, newest first.")

    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("Only entries at or after this time (ISO 8601, or YYYY-MM-DD).", valueName: "time")) var since: String?
    @Option(help: ArgumentHelp("Only entries before this time.", valueName: "time")) var until: String?
    @Option(help: "Only entries by this actor.") var actor: String?
    @Option(help: "Only this action or actions starting with it (e.g. 'login').") var action: String?
    @Option(help: "At most this many entries.") var limit: Int = 50
    @Flag(help: "Print JSON lines.") var json = false

    func validate() throws {
        guard (1...100_000).contains(limit) else { throw ValidationError("--limit must be 1–100000") }
        _ = try since.map { try Self.date($0, "--since") }
        _ = try until.map { try Self.date($0, "--until") }
    }

    /// An ISO 8601 time or date, or nil.
    static func parse(_ text: String) -> Date? {
        try? date(text, "")
    }

    static func date(_ text: String, _ flag: String) throws -> Date {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withFullDate]
        guard let date = formatter.date(from: text) else { throw ValidationError("\(flag) '\(text)' is not ISO 8601 (2026-11-26 or 2026-11-26T09:00:00Z)") }
        return date
    }

    func run() async throws {
        let configuration = try store.resolve()
        let filter = AuditLog.Filter(since: try since.map { try Self.date($0, "--since") }, until: try until.map { try Self.date($0, "--until") },
                                     actor: actor, action: action, limit: limit)
        let entries = try await withStore(configuration) { app in try await AuditLog(database: app.db).list(filter) }
        let formatter = ISO8601DateFormatter()
        for entry in entries {
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(entry), as: UTF8.self))
            } else {
                print("\(entry.seq)\t\(formatter.string(from: entry.time))\t\(entry.actor)\t\(entry.action)\t\(entry.target)\t\(entry.details)")
            }
        }
    }
}
