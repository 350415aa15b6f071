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
        let archive = ArchiveTier(configuration)
        let node = ArchiveCommand.node(configuration)
        let lines = try await withStore(configuration) { app -> [String] in
            let repository = RecordingRepository(database: app.db)
            let hot = try await repository.totals(tier: .hot, node: node)
            let archived = try await repository.totals(tier: .archive)
            func line(_ name: String, _ totals: RecordingRepository.TierTotals, _ folder: String, _ disk: DiskSpace?) -> String {
                let oldest = totals.oldest.map { ISO8601DateFormatter().string(from: $0) } ?? "-"
                let free = disk.map { String(format: "%.1f %% free", $0.freePercent) } ?? "free space unknown"
                return "\(name)\t\(totals.segments) segments\t\(ByteCountFormatter.string(fromByteCount: totals.bytes, countStyle: .binary))\toldest \(oldest)\t\(folder) (\(free))"
            }
            var lines = [line("hot", hot, configuration.recordingsDirectory, DiskSpace.of(configuration.recordingsDirectory))]
            if let archive {
                lines.append(line("archive", archived, archive.folder, DiskSpace.of(archive.folder)))
                let state = archive.state(archived: archived, node: node ?? configuration.nodeName)
                lines.append("archive state: \(state.name)" + (state.reason.map { " — \($0)" } ?? ""))
            } else {
                lines.append("no archive tier (CITYWATCH_ARCHIVE_DIR is not set)" + (archived.segments > 0 ? "; \(archived.segments) segments are indexed in an archive" : ""))
            }
            return lines
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
            try await TierMover(database: { app.db }, configuration: configuration, archive: archive, node: node).pass()
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
