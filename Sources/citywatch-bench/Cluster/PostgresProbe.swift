import CityWatchMedia
import Foundation

/// Reads the cluster's store from outside, as an operator would: `psql` on the benchmark's
/// PostgreSQL, one process per query, so the benchmark holds no connection of its own while
/// it measures.
struct PostgresProbe: Sendable {
    let url: String

    /// The rows `sql` gives, each as its column texts.
    func rows(_ sql: String) async throws -> [[String]] {
        let result = try await ChildProgram.run("/usr/bin/psql", [url, "-qAtX", "-v", "ON_ERROR_STOP=1", "-F", "|", "-c", sql], timeout: 60)
        guard result.status == 0 else { throw BenchFailure("psql failed (\(result.status)) on «\(sql.prefix(120))»: \(result.standardError)") }
        return result.standardOutput.split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
    }

    /// The numbers of the first row of `sql`.
    func numbers(_ sql: String) async throws -> [Double] {
        guard let row = try await rows(sql).first else { throw BenchFailure("no row from «\(sql.prefix(120))»") }
        return row.map { Double($0) ?? .nan }
    }

    /// Live leases: camera → node.
    func holders() async throws -> [UUID: String] {
        var holders: [UUID: String] = [:]
        for row in try await rows("SELECT camera_id, node FROM camera_leases WHERE node <> '' AND expires_at > now()") {
            if row.count == 2, let camera = UUID(uuidString: row[0]) { holders[camera] = row[1] }
        }
        return holders
    }

    /// The store's write counters: transactions committed and rows inserted, updated, deleted
    /// in the cluster's database, from `pg_stat_database` (PostgreSQL folds each backend's counts
    /// in within about a second).
    func writeCounters() async throws -> WriteCounters {
        let values = try await numbers("SELECT xact_commit, tup_inserted, tup_updated, tup_deleted FROM pg_stat_database WHERE datname = current_database()")
        guard values.count == 4 else { throw BenchFailure("pg_stat_database gave \(values)") }
        return WriteCounters(commits: values[0], inserted: values[1], updated: values[2], deleted: values[3])
    }
}

/// Counters of `pg_stat_database` for one database.
struct WriteCounters {
    var commits: Double
    var inserted: Double
    var updated: Double
    var deleted: Double

    static func - (a: WriteCounters, b: WriteCounters) -> WriteCounters {
        WriteCounters(commits: a.commits - b.commits, inserted: a.inserted - b.inserted, updated: a.updated - b.updated, deleted: a.deleted - b.deleted)
    }
}
