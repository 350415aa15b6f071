import CityWatchStore
import CityWatchTestSupport
import Fluent
import FluentKit
import Foundation
import SQLKit
import Testing

@Suite("Audit log")
struct AuditLogTests {
    static func dropAppendOnlyTriggers(_ db: any Database) async throws {
        if db.isPostgres {
            try await db.sql.raw("DROP TRIGGER audit_log_append_only ON audit_log").run()
        } else {
            try await db.sql.raw("DROP TRIGGER audit_log_no_update").run()
            try await db.sql.raw("DROP TRIGGER audit_log_no_delete").run()
        }
    }

    static func fill(_ log: AuditLog, count: Int) async throws {
        for i in 1...count {
            try await log.append(AuditEvent(actor: "kim", action: "camera.update", target: "cam-\(i)",
                                            details: ["enabled": .bool(i % 2 == 0), "note": .string("교대 \(i)")]))
        }
    }

    /// A lookup of one action about one target (is this export deleted?) reads the index, not
    /// the whole log.
    @Test(arguments: DatabaseKind.allCases)
    func lookupsByActionAndTargetHaveAnIndex(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            try await Self.fill(AuditLog(database: app.db), count: 3)
            if app.db.isPostgres {
                let rows = try await app.db.sql.raw("SELECT indexdef FROM pg_indexes WHERE indexname = 'audit_log_action_target'").all()
                let definition = try rows.first?.decode(column: "indexdef", as: String.self) ?? ""
                #expect(definition.contains("(action, target)"), "\(definition)")
            } else {
                let plan = try await app.db.sql.raw("""
                    EXPLAIN QUERY PLAN SELECT * FROM audit_log WHERE action = 'video.export.destroy' AND target = 'x' ORDER BY seq DESC LIMIT 1
                    """).all()
                let steps = try plan.map { try $0.decode(column: "detail", as: String.self) }
                #expect(steps.contains { $0.contains("USING INDEX audit_log_action_target") }, "\(steps)")
            }
            let found = try await AuditLog(database: app.db).list(.init(action: "camera.update", exactAction: true, target: "cam-2"))
            #expect(found.map(\.target) == ["cam-2"])
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func appendedEntriesFormAnIntactChain(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let log = AuditLog(database: app.db)
            try await Self.fill(log, count: 12)
            let entries = try await log.list(.init(limit: 100)).reversed()
            #expect(entries.map(\.seq) == Array(1...12))
            #expect(entries.first?.prevHash == AuditEntry.genesisHash)
            #expect(zip(entries.dropFirst(), entries).allSatisfy { $0.prevHash == $1.hash })
            #expect(entries.allSatisfy { $0.hash == $0.computedHash })
            let verification = try await log.verify()
            #expect(verification.isIntact && verification.checked == 12)
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func concurrentAppendsStayGaplessAndChained(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let log = AuditLog(database: app.db)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<40 {
                    group.addTask { try await log.append(AuditEvent(actor: "node\(i % 4)", action: "login.succeeded")) }
                }
                try await group.waitForAll()
            }
            let result = try await log.verify()
            #expect(result.isIntact)
            #expect(result.checked == 40)
        }
    }

    /// A bulk action's entries (more than one insert statement's worth) interleaved with
    /// single appends from elsewhere: one gapless chain, each batch's entries in its order.
    @Test(arguments: DatabaseKind.allCases)
    func batchesAndSingleAppendsShareOneChain(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let log = AuditLog(database: app.db)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for batch in 0..<3 {
                    group.addTask {
                        let entries = try await log.append(contentsOf: (0..<150).map {
                            AuditEvent(actor: "bulk\(batch)", action: "alarm.dismiss", target: "\($0)")
                        })
                        #expect(entries.map(\.target) == (0..<150).map { "\($0)" })
                        #expect(zip(entries, entries.dropFirst()).allSatisfy { $1.seq == $0.seq + 1 && $1.prevHash == $0.hash },
                                "a batch is one unbroken run of the chain")
                    }
                }
                for i in 0..<10 { group.addTask { try await log.append(AuditEvent(actor: "single\(i)", action: "login.succeeded")) } }
                try await group.waitForAll()
            }
            #expect(try await log.append(contentsOf: []).isEmpty)
            let result = try await log.verify()
            #expect(result.isIntact)
            #expect(result.checked == 460)
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func editingOneRowInTheDatabaseIsNamedByVerify(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let log = AuditLog(database: app.db)
            try await Self.fill(log, count: 10)
            try await Self.dropAppendOnlyTriggers(app.db)
            try await app.db.sql.raw("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 7").run()
            let result = try await log.verify()
            #expect(result.problem?.seq == 7)
            #expect(result.problem?.reason.contains("do not match its hash") == true)
            #expect(result.checked == 6)
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func rewritingARowWithAFreshHashBreaksTheNextLink(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let log = AuditLog(database: app.db)
            try await Self.fill(log, count: 6)
            try await Self.dropAppendOnlyTriggers(app.db)
            var forged = try await log.list(.init(limit: 10)).first { $0.seq == 3 }!
            forged.target = "cam-forged"
            forged.hash = forged.computedHash
            try await app.db.sql.update("audit_log").set("target", to: forged.target).set("hash", to: forged.hash)
                .where("seq", .equal, 3).run()
            #expect(try await log.verify().problem?.seq == 4)
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func deletingARowIsNamedByVerify(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let log = AuditLog(database: app.db)
            try await Self.fill(log, count: 8)
            try await Self.dropAppendOnlyTriggers(app.db)
            try await app.db.sql.raw("DELETE FROM audit_log WHERE seq = 5").run()
            let problem = try await log.verify().problem
            #expect(problem?.seq == 5)
            #expect(problem?.reason.contains("missing") == true)
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func theDatabaseRefusesUpdatesAndDeletes(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let log = AuditLog(database: app.db)
            try await Self.fill(log, count: 2)
            await #expect(throws: (any Error).self) { try await app.db.sql.raw("UPDATE audit_log SET actor = 'x' WHERE seq = 1").run() }
            await #expect(throws: (any Error).self) { try await app.db.sql.raw("DELETE FROM audit_log WHERE seq = 2").run() }
            #expect(try await log.verify().isIntact)
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func listFiltersByActorActionAndTime(kind: DatabaseKind) async throws {
        let clock = TestClock(start: Date(timeIntervalSince1970: 1_780_000_000))
        try await withCityWatch(kind) { app in
            let log = AuditLog(database: app.db, clock: { clock.now })
            try await log.append(AuditEvent(actor: "kim", action: "login.failed"))
            clock.advance(60)
            try await log.append(AuditEvent(actor: "lee", action: "login.succeeded"))
            clock.advance(60)
            try await log.append(AuditEvent(actor: "kim", action: "registry.import"))
            #expect(try await log.list(.init(actor: "kim")).map(\.seq) == [3, 1])
            #expect(try await log.list(.init(action: "login")).map(\.seq) == [2, 1])
            #expect(try await log.list(.init(since: clock.start.addingTimeInterval(30))).map(\.seq) == [3, 2])
            #expect(try await log.list(.init(until: clock.start.addingTimeInterval(30))).map(\.seq) == [1])
            #expect(try await log.list(.init(beforeSeq: 3, limit: 1)).map(\.seq) == [2])
        }
    }
}
