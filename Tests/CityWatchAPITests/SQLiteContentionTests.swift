import CityWatchStore
import CityWatchTestSupport
import Fluent
import FluentKit
import Foundation
import NIOCore
import SQLKit
import Testing
import Vapor

/// SQLite's driver retries a locked write on the thread that runs it until the lock is free. Two
/// servers in one process (as in a test run, or a command beside `serve`), each with a write
/// transaction held open while another of its connections waits to write: the waiting writers
/// must not take every thread the transactions need to go on and commit.
@Suite("SQLite under lock contention")
struct SQLiteContentionTests {
    @Test(.timeLimit(.minutes(1)))
    func writersWaitingOnATransactionDoNotStallItsCommit() async throws {
        try await withCityWatch(.sqlite) { first in
            try await withCityWatch(.sqlite) { second in
                async let one = Self.contend(on: first)
                async let two = Self.contend(on: second)
                let (rowsOne, rowsTwo) = try await (one, two)
                #expect(rowsOne == [1, 2, 3] && rowsTwo == [1, 2, 3], "the transaction's rows, then the waiting writer's")
            }
        }
    }

    /// Every connection of the application waits for a lock by sleeping between tries (SQLite's
    /// busy timeout), not by the driver's handler that retries at once and spins a CPU.
    @Test func everyConnectionSleepsWhileItWaitsForTheLock() async throws {
        try await withCityWatch(.sqlite) { app in
            struct Timeout: Decodable { let timeout: Int }
            var seen: [Int] = []
            for loop in app.eventLoopGroup.makeIterator() {
                let connection = try #require(app.databases.database(.cityWatch, logger: app.logger, on: loop))
                seen += try await connection.sql.raw("PRAGMA busy_timeout").all(decoding: Timeout.self).map(\.timeout)
            }
            #expect(!seen.isEmpty && seen.allSatisfy { $0 == 120_000 }, "\(seen)")
        }
    }

    /// A transaction that reads and then writes while another connection commits a write in
    /// between: SQLite refuses a plain (deferred) one at its first write, "database is locked",
    /// without waiting — a login under load failed this way. `writeTransaction` takes the lock
    /// first, so the other writer waits and both go through.
    @Test(.timeLimit(.minutes(1)))
    func aTransactionThatReadsBeforeItWritesWaitsForTheLockInsteadOfFailing() async throws {
        try await withCityWatch(.sqlite) { app in
            let loops = Array(app.eventLoopGroup.makeIterator())
            try #require(loops.count >= 2, "needs two event loops, so two connections")
            let reader = try #require(app.databases.database(.cityWatch, logger: app.logger, on: loops[0]))
            let other = try #require(app.databases.database(.cityWatch, logger: app.logger, on: loops[1]))
            try await reader.sql.raw("CREATE TABLE contention (n INTEGER)").run()

            /// Reads, lets the other connection write, then writes itself.
            @Sendable func readThenWrite(_ tx: any Database, value: Int, otherValue: Int) async throws {
                _ = try await tx.sql.raw("SELECT count(*) AS c FROM contention").all()
                let otherWrite = Task { try await other.sql.raw("INSERT INTO contention VALUES (\(literal: otherValue))").run() }
                try await Task.sleep(for: .milliseconds(300))
                try await tx.sql.raw("INSERT INTO contention VALUES (\(literal: value))").run()
                // Waiting here would deadlock if the other write held the lock; it is either done
                // (plain transaction) or waiting for this one to commit (write transaction).
                _ = otherWrite
            }

            await #expect(throws: (any Error).self, "a deferred transaction loses its write to the commit in between") {
                try await reader.transaction { tx in try await readThenWrite(tx, value: 1, otherValue: 2) }
            }
            try await reader.writeTransaction { tx in try await readThenWrite(tx, value: 3, otherValue: 4) }
            // The other connection's insert waited for the commit above; give it the moment it needs.
            struct Row: Decodable { let n: Int }
            var rows: [Int] = []
            for _ in 0..<100 {
                rows = try await other.sql.raw("SELECT n FROM contention ORDER BY rowid").all(decoding: Row.self).map(\.n)
                if rows.count >= 3 { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(rows == [2, 3, 4], "the plain transaction's value is lost, the write transaction's kept, then the waiting writer's")
        }
    }

    /// Holds a write transaction on one connection while a second connection writes; returns the
    /// rows in the order they were written.
    static func contend(on app: Application) async throws -> [Int] {
        let loops = Array(app.eventLoopGroup.makeIterator())
        try #require(loops.count >= 2, "needs two event loops, so two connections")
        let holder = try #require(app.databases.database(.cityWatch, logger: app.logger, on: loops[0]))
        let waiter = try #require(app.databases.database(.cityWatch, logger: app.logger, on: loops[1]))
        try await holder.sql.raw("CREATE TABLE contention (n INTEGER)").run()
        let (held, holding) = AsyncStream.makeStream(of: Void.self)
        let transaction = Task {
            try await holder.transaction { tx in
                try await tx.sql.raw("INSERT INTO contention VALUES (1)").run()
                holding.yield()
                // The other writers are waiting on the lock by now; the transaction goes on after.
                try await Task.sleep(for: .milliseconds(500))
                try await tx.sql.raw("INSERT INTO contention VALUES (2)").run()
            }
        }
        for await _ in held { break }
        try await waiter.sql.raw("INSERT INTO contention VALUES (3)").run()
        try await transaction.value
        struct Row: Decodable { let n: Int }
        return try await waiter.sql.raw("SELECT n FROM contention ORDER BY rowid").all(decoding: Row.self).map(\.n)
    }
}
