import CityWatchDomain
import CityWatchStore
import FluentKit
import Foundation

/// Imports a national CCTV registry file into the store.
///
/// Streams the file in chunks (memory stays flat whatever its size), validates every row,
/// keeps every good row and reports every bad one with its line and reason. The import is
/// staged first and switched in batch by batch (``RegistryStaging``): it lands entirely or not
/// at all, a dry run is the same import discarded before its commit point, and no transaction
/// holds the store's write lock for more than one batch, so alarms and bell presses never wait
/// behind an import.
public struct RegistryImporter: Sendable {
    /// How to import.
    public struct Options: Sendable {
        /// Report without writing.
        public var dryRun = false
        /// Remove sites that the file no longer holds.
        public var prune = false
        /// Where positions must lie.
        public var bounds = RegistryBounds.korea
        /// Rows written per batch.
        public var batchSize = 500

        public init(dryRun: Bool = false, prune: Bool = false, bounds: RegistryBounds = .korea) {
            self.dryRun = dryRun
            self.prune = prune
            self.bounds = bounds
        }
    }

    /// How far an import has got.
    public struct Progress: Sendable {
        public var bytesRead: Int64
        public var totalBytes: Int64
        public var rowsRead: Int
        public var badRows: Int
    }

    /// Why a file could not be imported at all (a bad row never stops an import).
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case empty
        case notText(RegistryTextEncoding.Problem)
        case badHeader(RegistryLayout.Problem)
        case headerUnreadable(CSVTokenizer.Problem)
        /// Another import (of `file`, by `actor`) is running and did not end in time.
        case busy(actor: String, file: String)

        public var description: String {
            switch self {
            case let .unreadable(path, reason): "cannot read \(path): \(reason)"
            case .empty: "the file is empty"
            case .notText(let problem): problem.description
            case .badHeader(let problem): problem.description
            case .headerUnreadable(let problem): "line \(problem.line): the header cannot be read: \(problem)"
            case let .busy(actor, file): "another import (\(file) by \(actor)) is running; try again when it has finished"
            }
        }
    }

    let database: any Database
    let audit: @Sendable (any Database) -> AuditLog
    let clock: @Sendable () -> Date

    public init(database: any Database, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.clock = clock
        self.audit = { AuditLog(database: $0, clock: clock) }
    }

    /// Imports the file at `path` on behalf of `actor`.
    ///
    /// - Parameters:
    ///   - onBadRow: receives every bad row, in file order (the report keeps the first 200).
    ///   - onProgress: called after each chunk of the file.
    public func importFile(
        at path: String, actor: String, options: Options = Options(),
        onBadRow: (@Sendable (ImportReport.BadRow) -> Void)? = nil,
        onProgress: (@Sendable (Progress) -> Void)? = nil
    ) async throws -> ImportReport {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw Failure.unreadable(path: path, reason: FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")
        }
        defer { try? handle.close() }
        let totalBytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
        let chunkSize = 256 * 1024
        let readChunk: @Sendable () throws -> [UInt8] = { [handle] in
            do { return Array(try handle.read(upToCount: chunkSize) ?? Data()) } catch {
                throw Failure.unreadable(path: path, reason: error.localizedDescription)
            }
        }
        let first = try readChunk()
        guard !first.isEmpty else { throw Failure.empty }
        let encoding: RegistryTextEncoding, bomLength: Int
        do { (encoding, bomLength) = try RegistryTextEncoding.sniff(first) } catch { throw Failure.notText(error) }

        try await finishInterrupted()
        let staging = RegistryStaging(database: database)
        let run = UUID(), now = clock(), file = URL(fileURLWithPath: path).lastPathComponent
        try await staging.begin(run: run, actor: actor, file: file, prune: options.prune, now: now)
        var committed = false
        do {
            return try await whileAlive(run: run) {
                // Staging: the file compared with the registry batch by batch; nothing changes yet.
                var state = ImportState(encoding: encoding, options: options, onBadRow: onBadRow)
                var chunk = Array(first.dropFirst(bomLength))
                var bytesRead = Int64(first.count)
                while !chunk.isEmpty {
                    try state.tokenize(chunk)
                    try await state.flush(to: staging, run: run, now: now, force: false)
                    onProgress?(Progress(bytesRead: bytesRead, totalBytes: totalBytes, rowsRead: state.rowsRead, badRows: state.badRowCount))
                    chunk = try readChunk()
                    bytesRead += Int64(chunk.count)
                }
                try state.finish()
                try await state.flush(to: staging, run: run, now: now, force: true)
                var report = try state.report()
                let missing = try await staging.countMissing(run: run)
                report.missing = missing.sites
                report.pruned = options.prune ? missing.sites : 0
                let counts = try await RegistryRepository(database: database).counts()
                report.sites = counts.sites + report.added - report.pruned
                report.cameras = counts.cameras + state.cameraChange - (options.prune ? missing.cameras : 0)
                if options.dryRun {
                    try await staging.discard(run: run)
                    return report
                }
                // The commit point, with its audit entry; then the changes are switched in.
                let changes = report.added + report.changed + report.pruned
                let entry = AuditEvent(actor: actor, action: "registry.import", target: file, details: report.auditDetails)
                try await staging.commit(run: run, changes: changes, now: clock()) { [audit] tx in try await audit(tx).append(entry) }
                committed = true
                try await switchIn(run: run, prune: options.prune, changes: changes)
                return report
            }
        } catch {
            // Before the commit point the import has not happened: its staged rows go. After it,
            // the next start or import finishes switching it in.
            if !committed { try? await staging.discard(run: run) }
            throw error
        }
    }

    /// Runs `body` while run `run` tells the store every ``heartbeatInterval`` that it is
    /// alive; the heartbeat has stopped when this returns.
    private func whileAlive<T: Sendable>(run: UUID, _ body: () async throws -> T) async throws -> T {
        let staging = RegistryStaging(database: database)
        let heartbeat = Task { [clock] in
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.heartbeatInterval)
                guard !Task.isCancelled else { return }
                try? await staging.heartbeat(run: run, now: clock())
            }
        }
        do {
            let value = try await body()
            heartbeat.cancel()
            await heartbeat.value
            return value
        } catch {
            heartbeat.cancel()
            await heartbeat.value
            throw error
        }
    }

    /// Runs one of an import's write transactions, then leaves the store's write lock free for
    /// as long as it held it (at least 10 ms): SQLite's lock is not fair, and a writer that
    /// sleeps in its busy handler (a bell press in the server, while the import runs in another
    /// process) would otherwise find the next batch holding it each time it wakes.
    static func yieldingTheLock<T: Sendable>(_ write: () async throws -> T) async throws -> T {
        let clock = ContinuousClock()
        let started = clock.now
        let value = try await write()
        try await Task.sleep(for: max(.milliseconds(10), started.duration(to: clock.now)))
        return value
    }

    /// How often a running import says it is alive.
    static let heartbeatInterval: Duration = .seconds(2)
    /// An import not heard of for this long was killed.
    static let staleAfter: TimeInterval = 10

    /// Applies committed run `run` batch by batch, prunes, bumps the registry version (when the
    /// import changed anything) and clears the run.
    func switchIn(run: UUID, prune: Bool, changes: Int) async throws {
        let staging = RegistryStaging(database: database)
        while try await Self.yieldingTheLock({ try await staging.applyNext(run: run, now: clock()) }) > 0 {}
        if prune {
            while try await Self.yieldingTheLock({ try await staging.pruneNext(run: run).sites }) > 0 {}
        }
        try await staging.finish(run: run) { tx in
            if changes > 0 { try await Settings(database: tx).bumpRegistryVersion() }
        }
        try await staging.discard(run: run)
    }

    /// Finishes what killed imports left: a committed one is switched in (it had happened), one
    /// still staging is discarded (it had not). An import still alive elsewhere is waited for,
    /// up to `patience` (then ``Failure/busy(actor:file:)``); with no patience it is left to
    /// itself. Returns how many were finished or discarded.
    @discardableResult
    public func finishInterrupted(patience: TimeInterval = 600) async throws -> Int {
        let staging = RegistryStaging(database: database)
        let started = clock()
        var handled = 0
        while true {
            let runs = try await staging.unfinished()
            guard !runs.isEmpty else { return handled }
            let now = clock()
            var waiting: RegistryStaging.Run?
            for run in runs {
                guard run.isAbandoned(now: now, staleAfter: Self.staleAfter) else {
                    waiting = waiting ?? run
                    continue
                }
                if run.state == "staging" {
                    try await staging.discard(run: run.id)
                } else {
                    try await switchIn(run: run.id, prune: run.prune, changes: run.changes)
                }
                handled += 1
            }
            guard let waiting else { continue }
            guard patience > 0 else { return handled }
            guard now.timeIntervalSince(started) < patience else { throw Failure.busy(actor: waiting.actor, file: waiting.file) }
            try await Task.sleep(for: .seconds(1))
        }
    }
}

/// Thrown inside a dry run's transaction to roll it back while keeping the report.
/// Thrown out of an import's transaction to roll a dry run back, carrying its report.
struct DryRunRollback<Report: Sendable>: Error {
    var report: Report
}

extension ImportReport {
    var auditDetails: [String: AuditValue] {
        [
            "layout": .string(layout.rawValue), "encoding": .string(encoding.rawValue),
            "rowsRead": .int(Int64(rowsRead)), "added": .int(Int64(added)), "changed": .int(Int64(changed)),
            "unchanged": .int(Int64(unchanged)), "missing": .int(Int64(missing)), "pruned": .int(Int64(pruned)),
            "badRows": .int(Int64(badRowCount)), "sites": .int(Int64(sites)), "cameras": .int(Int64(cameras)),
        ]
    }
}
