import ArgumentParser
import CityWatchApp
import CityWatchCommandLine
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import Fluent
import Foundation

/// `citywatch archive`: the archive tier (CITYWATCH_ARCHIVE_DIR).
struct ArchiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "The archive tier: footage per tier, moving due footage now, and reconciling both tiers with the index.",
        discussion: "The server moves footage itself every CITYWATCH_ARCHIVE_MOVE_SECONDS; these commands are for looking and for maintenance. Run 'move' and 'reconcile' while this node's server is stopped: they act as the node (CITYWATCH_NODE_NAME on PostgreSQL).",
        subcommands: [ArchiveStatusCommand.self, ArchiveMoveCommand.self, ArchiveReconcileCommand.self])

    /// The configured archive, or a clear refusal.
    static func tier(_ configuration: Configuration) throws -> ArchiveTier {
        guard let archive = ArchiveTier(configuration) else {
            throw ValidationError("no archive tier is configured: set CITYWATCH_ARCHIVE_DIR to the archive's folder (the same path on every node)")
        }
        return archive
    }

    /// This process's node name in a cluster; nil on a single node (SQLite).
    static func node(_ configuration: Configuration) -> String? {
        if case .postgres = configuration.database { return configuration.nodeName }
        return nil
    }
}

/// `citywatch archive status`.
struct ArchiveStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Footage per tier (segments, bytes, oldest) and whether the archive can take footage.")

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let configuration = try store.resolve()
        let node = ArchiveCommand.node(configuration)
        let report = try await withStore(configuration) { app in
            try await StorageReport.read(database: app.db, configuration: configuration, node: node, mover: nil)
        }
        func line(_ tier: StorageReport.Tier) -> String {
            let oldest = tier.totals.oldest.map { ISO8601DateFormatter().string(from: $0) } ?? "-"
            let free = tier.disk.map { String(format: "%.1f %% free", $0.freePercent) } ?? "free space unknown"
            let quota = tier.quotaBytes.map { " of " + ByteCountFormatter.string(fromByteCount: $0, countStyle: .binary) } ?? ""
            return "\(tier.tier.rawValue)\t\(tier.totals.segments) segments\t\(ByteCountFormatter.string(fromByteCount: tier.totals.bytes, countStyle: .binary))\(quota)\toldest \(oldest)\t\(tier.folder) (\(free))"
        }
        var lines = [line(report.hot)]
        if let archived = report.archive, let archive = ArchiveTier(configuration) {
            lines.append(line(archived))
            let state = archive.state(archived: archived.totals, node: node ?? configuration.nodeName)
            lines.append("archive state: \(state.name)" + (state.reason.map { " — \($0)" } ?? ""))
        } else {
            lines.append("no archive tier (CITYWATCH_ARCHIVE_DIR is not set)")
        }
        print(lines.joined(separator: "\n"))
    }
}

/// `citywatch archive move`.
struct ArchiveMoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "move",
        abstract: "Move the footage that is due (older than its purpose's move age, or the oldest while the hot disk is short of space) to the archive now.",
        discussion: "Each segment is copied, verified (size and SHA-256), switched in the index and only then deleted from the recordings folder. Prints what it moved, or why the archive cannot take footage (exit status 1).")

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let configuration = try store.resolve()
        let archive = try ArchiveCommand.tier(configuration)
        let node = ArchiveCommand.node(configuration)
        let report = try await withStore(configuration) { app in
            // A line on standard error every 20 segments: a backlog takes a while.
            try await TierMover(database: { app.db }, configuration: configuration, archive: archive, node: node).pass { done, looked in
                guard done.moved % 20 == 0 else { return }
                FileHandle.standardError.write(Data("moved \(done.moved) of up to \(looked) segments (\(ByteCountFormatter.string(fromByteCount: done.bytes, countStyle: .binary)))\n".utf8))
            }
        }
        print("moved \(report.moved) segments (\(ByteCountFormatter.string(fromByteCount: report.bytes, countStyle: .binary))) to \(archive.folder)"
              + (report.failed > 0 ? "; \(report.failed) could not be moved (see the log)" : ""))
        if let reason = report.state.reason {
            throw ValidationError("the archive is \(report.state.name): \(reason); moves pause until it can take footage")
        }
    }
}

/// `citywatch archive reconcile`.
struct ArchiveReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Make the index and both tiers agree, as the server does when it starts.",
        discussion: "Adopts segments on disk the index lacks, marks missing what has gone, and removes the second copy a move killed part way left (never the indexed one). Prints what it did.")

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let configuration = try store.resolve()
        let node = ArchiveCommand.node(configuration)
        let report = try await withStore(configuration) { app in
            try await SegmentReconciler.reconcileTiers(database: app.db, configuration: configuration, node: node)
        }
        print("adopted \(report.adopted.count), removed \(report.removed.count) unplayable, marked \(report.missing.count) missing, "
              + "removed \(report.removedCopies.count) second copies; \(report.unindexedInArchive.count) files in the archive are not indexed")
        for path in report.removedCopies { print("  second copy removed: \(path)") }
        for path in report.missing { print("  missing: \(path)") }
        for path in report.unindexedInArchive { print("  not indexed (left alone): \(path)") }
    }
}
