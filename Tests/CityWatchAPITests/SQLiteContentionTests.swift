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
