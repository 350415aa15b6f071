import CityWatchDomain
import CityWatchStore
import FluentKit
import Foundation

/// Imports a national CCTV registry file into the store.
///
/// Streams the file in chunks (memory stays flat whatever its size), validates every row,
/// keeps every good row and reports every bad one with its line and reason. The whole import
/// is one transaction: it lands entirely or not at all, and a dry run is the same import rolled
/// back at the end.
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

        public var description: String {
            switch self {
            case let .unreadable(path, reason): "cannot read \(path): \(reason)"
            case .empty: "the file is empty"
            case .notText(let problem): problem.description
            case .badHeader(let problem): problem.description
            case .headerUnreadable(let problem): "line \(problem.line): the header cannot be read: \(problem)"
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

        let run = UUID()
        let now = clock()
        let outcome: Result<ImportReport, any Error>
        do {
            let report = try await database.writeTransaction { tx -> ImportReport in
                let repository = RegistryRepository(database: tx)
                var state = ImportState(encoding: encoding, options: options, onBadRow: onBadRow)
                var chunk = Array(first.dropFirst(bomLength))
                var bytesRead = Int64(first.count)
                while !chunk.isEmpty {
                    try state.tokenize(chunk)
                    try await state.flush(to: repository, run: run, now: now, force: false)
                    onProgress?(Progress(bytesRead: bytesRead, totalBytes: totalBytes, rowsRead: state.rowsRead, badRows: state.badRowCount))
                    chunk = try readChunk()
                    bytesRead += Int64(chunk.count)
                }
                try state.finish()
                try await state.flush(to: repository, run: run, now: now, force: true)
                var report = try state.report()
                let missing = try await repository.countMissing(run: run)
                report.missing = missing.sites
                if options.prune && missing.sites > 0 {
                    report.pruned = try await repository.pruneMissing(run: run).sites
                }
                let counts = try await repository.counts()
                report.sites = counts.sites
                report.cameras = counts.cameras
                if options.dryRun { throw DryRunRollback(report: report) }
                if report.added + report.changed + report.pruned > 0 {
                    try await Settings(database: tx).bumpRegistryVersion()
                }
                try await audit(tx).append(AuditEvent(
                    actor: actor, action: "registry.import", target: URL(fileURLWithPath: path).lastPathComponent,
                    details: report.auditDetails))
                return report
            }
            outcome = .success(report)
        } catch let rollback as DryRunRollback<ImportReport> {
            outcome = .success(rollback.report)
        } catch {
            outcome = .failure(error)
        }
        return try outcome.get()
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
