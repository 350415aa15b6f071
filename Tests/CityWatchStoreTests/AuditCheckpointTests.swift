import CityWatchStore
import CityWatchTestSupport
import Fluent
import FluentKit
import Foundation
import SQLKit
import Testing

/// Signed checkpoints find what the hash chain cannot: the last entries deleted, and entries
/// rewritten with recomputed hashes (or deleted and their numbers reused). Each attack below
/// leaves a chain that recomputes, as the intruder meant it to.
@Suite("Audit checkpoints")
struct AuditCheckpointTests {
    /// Appends `runs` entries at a time, signing a checkpoint after each run, then drops the
    /// append-only guards as an intruder would; returns the checkpoints.
    static func checkpointedLog(_ db: any Database, runs: [Int], signer: AuditCheckpointSigner) async throws -> [AuditCheckpoint] {
        var signed: [AuditCheckpoint] = []
        for run in runs {
            try await AuditLogTests.fill(AuditLog(database: db), count: run)
            signed.append(try #require(try await AuditCheckpoints(database: db).write(signer: signer)))
        }
        try await AuditSigningKeys.dropAppendOnlyGuards(db)
        return signed
    }

    /// Deletes the entries after `seq`, as an intruder who dropped the guards would.
    static func deleteEntries(after seq: Int64, _ db: any Database) async throws {
        try await db.sql.delete(from: "audit_log").where("seq", .greaterThan, seq).run()
    }

    /// Changes entry `seq`'s target and recomputes its hash and every later entry's links and
    /// hashes, writing them back: a rewrite the chain alone cannot see.
    static func rewrite(from seq: Int64, _ log: AuditLog, _ db: any Database) async throws {
        var entries = try await log.list(.init(limit: 10_000)).reversed().filter { $0.seq >= seq }
        var previous = try #require(try await log.list(.init(beforeSeq: seq, limit: 1)).first?.hash)
        for index in entries.indices {
            if index == 0 { entries[index].target = "cam-forged" }
            entries[index].prevHash = previous
            entries[index].hash = entries[index].computedHash
            previous = entries[index].hash
            try await db.sql.update("audit_log").set("target", to: entries[index].target)
                .set("prev_hash", to: entries[index].prevHash).set("hash", to: entries[index].hash)
                .where("seq", .equal, entries[index].seq).run()
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func deletingTheLastEntriesIsReportedAsTruncation(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let log = AuditLog(database: app.db), checkpoints = AuditCheckpoints(database: app.db)
            let signer = try AuditSigningKeys.make()
            let signed = try #require(try await Self.checkpointedLog(app.db, runs: [10], signer: signer).last)
            try await Self.deleteEntries(after: 7, app.db)

            let result = try await log.verify()
            #expect(result.problem == nil, "what is left still chains")
            #expect(!result.isIntact)
            #expect(result.checkpoints.findings == [.truncated(checkpoint: signed, headSeq: 7, count: 7)])
            #expect(result.checkpoints.findings.first?.description.contains("entries 8…10 were deleted") == true)
            await #expect(throws: AuditCheckpoints.Refusal.logEndsBeforeCheckpoint(headSeq: 7, checkpointSeq: 10),
                          "signing the truncated head would vouch for it") {
                try await checkpoints.write(signer: signer)
            }
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func deletingTheTailAndAppendingAgainIsReportedAsRewrite(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let log = AuditLog(database: app.db), checkpoints = AuditCheckpoints(database: app.db)
            let signer = try AuditSigningKeys.make()
            let signed = try #require(try await Self.checkpointedLog(app.db, runs: [5, 5], signer: signer).last)
            try await Self.deleteEntries(after: 8, app.db)
            // Later appends take the deleted numbers again, and the log grows past the checkpoint.
            try await AuditLogTests.fill(log, count: 4)

            let result = try await log.verify()
            #expect(result.problem == nil && result.checked == 12)
            let reused = try #require(try await log.list(.init(beforeSeq: 11, limit: 1)).first)
            #expect(result.checkpoints.findings == [.rewritten(checkpoint: signed, found: reused.hash, firstSuspect: 6, laterCheckpoints: 0)])
            #expect(result.checkpoints.findings.first?.description.contains("entries 6…10 were rewritten, or deleted and their numbers reused") == true)
            await #expect(throws: AuditCheckpoints.Refusal.entryChanged(seq: 10)) { try await checkpoints.write(signer: signer) }
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func rewritingEntriesWithRecomputedHashesIsReportedAsRewrite(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let log = AuditLog(database: app.db), checkpoints = AuditCheckpoints(database: app.db)
            let signer = try AuditSigningKeys.make()
            let signed = try #require(try await Self.checkpointedLog(app.db, runs: [6, 6], signer: signer).last)
            try await Self.rewrite(from: 8, log, app.db)

            let result = try await log.verify()
            #expect(result.problem == nil && result.checked == 12, "the rewritten chain recomputes")
            let head = try #require(try await log.list(.init(limit: 1)).first)
            #expect(result.checkpoints.findings == [.rewritten(checkpoint: signed, found: head.hash, firstSuspect: 7, laterCheckpoints: 0)])
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func editedOrForgedCheckpointsFailTheirSignature(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let log = AuditLog(database: app.db), checkpoints = AuditCheckpoints(database: app.db)
            let signer = try AuditSigningKeys.make(), intruder = try AuditSigningKeys.make()
            let signed = try #require(try await Self.checkpointedLog(app.db, runs: [10], signer: signer).last)
            // The intruder truncates the log and moves the checkpoint down to agree with it.
            try await Self.deleteEntries(after: 6, app.db)
            let six = try #require(try await log.list(.init(limit: 1)).first)
            try await app.db.sql.update("audit_checkpoints").set("seq", to: 6).set("entry_count", to: 6)
                .set("head_hash", to: six.hash).where("seq", .equal, 10).run()
            var edited = signed
            (edited.seq, edited.count, edited.headHash) = (6, 6, six.hash)
            #expect(try await log.verify().checkpoints.findings == [.badSignature(edited)])

            // Or signs one with a key of their own while naming the installation's.
            try await app.db.sql.delete(from: "audit_checkpoints").run()
            var forged = try intruder.signed(AuditCheckpoint(seq: 6, count: 6, headHash: six.hash, timeMicros: signed.timeMicros,
                                                           publicKey: intruder.publicKey))
            forged.publicKey = signer.publicKey
            try await app.db.sql.insert(into: "audit_checkpoints")
                .columns("seq", "entry_count", "head_hash", "time_micros", "public_key", "signature")
                .values(SQLBind(forged.seq), SQLBind(forged.count), SQLBind(forged.headHash), SQLBind(forged.timeMicros),
                        SQLBind(forged.publicKey), SQLBind(forged.signature)).run()
            let result = try await log.verify()
            #expect(result.checkpoints.findings == [.badSignature(forged)] && !result.isIntact)
            #expect(result.checkpoints.findings.first?.description.contains("does not verify") == true)
            await #expect(throws: AuditCheckpoints.Refusal.latestCheckpointForged(seq: 6)) { try await checkpoints.write(signer: signer) }
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func anExportedFileShowsATruncationAfterTheCheckpointRowsWereDeleted(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let log = AuditLog(database: app.db), checkpoints = AuditCheckpoints(database: app.db)
            let signer = try AuditSigningKeys.make(), intruder = try AuditSigningKeys.make()
            try await AuditLogTests.fill(log, count: 8)
            let signed = try #require(try await checkpoints.write(signer: signer))
            let file = try AuditCheckpointFile.decode(AuditCheckpointFile(checkpoints: try await checkpoints.all(), now: Date()).encoded())
            #expect(file.checkpoints == [signed])
            #expect(file.signers.map(\.publicKey) == [signer.publicKey])

            try await AuditSigningKeys.dropAppendOnlyGuards(app.db)
            try await Self.deleteEntries(after: 5, app.db)
            try await app.db.sql.delete(from: "audit_checkpoints").run()
            #expect(try await log.verify().isIntact, "the store alone no longer shows it: why the file is kept elsewhere")

            let result = try await log.verify(exported: file.checkpoints)
            #expect(result.checkpoints.findings == [.missingFromStore(signed), .truncated(checkpoint: signed, headSeq: 5, count: 5)])

            // The intruder signs the truncated head with a key of their own: pinning the
            // installation's key names it, and the file still shows the truncation.
            let planted = try #require(try await checkpoints.write(signer: intruder))
            let pinned = try await log.verify(exported: file.checkpoints, trustedKeys: [file.signers[0].fingerprint])
            #expect(pinned.checkpoints.findings == [.untrustedKey(planted), .missingFromStore(signed),
                                                    .truncated(checkpoint: signed, headSeq: 5, count: 5)])
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func theFirstCheckpointCoversAnExistingLogAndLaterOnesOnlyAMovedHead(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let log = AuditLog(database: app.db), checkpoints = AuditCheckpoints(database: app.db)
            let signer = try AuditSigningKeys.make()
            #expect(try await checkpoints.write(signer: signer) == nil, "an empty log has nothing to sign")
            // A log written before checkpoints existed.
            try await AuditLogTests.fill(log, count: 25)
            let head = try #require(try await log.list(.init(limit: 1)).first)
            let first = try #require(try await checkpoints.write(signer: signer))
            #expect((first.seq, first.count, first.headHash, first.publicKey) == (25, 25, head.hash, signer.publicKey))
            #expect(first.hasValidSignature)
            #expect(try await checkpoints.write(signer: signer) == nil, "the head has not moved")

            try await log.append(AuditEvent(actor: "lee", action: "login.succeeded"))
            #expect(try await checkpoints.write(signer: signer)?.seq == 26)
            let result = try await log.verify()
            #expect(result.isIntact)
            #expect(result.checkpoints.checked == 2 && result.checkpoints.latest?.seq == 26)
            #expect(result.checkpoints.signers == [first.fingerprint])
        }
    }

    /// Several serve nodes share one store, each with its own key: each head is signed once.
    @Test(arguments: DatabaseKind.allCases)
    func nodesCheckpointingTogetherSignEachHeadOnce(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let log = AuditLog(database: app.db), checkpoints = AuditCheckpoints(database: app.db)
            let nodes = try (0..<3).map { _ in try AuditSigningKeys.make() }
            try await AuditLogTests.fill(log, count: 3)
            let written = try await withThrowingTaskGroup(of: AuditCheckpoint?.self) { group in
                for i in 0..<12 {
                    group.addTask {
                        if i % 3 == 0 { try await log.append(AuditEvent(actor: "node\(i)", action: "login.succeeded")) }
                        return try await checkpoints.write(signer: nodes[i % 3])
                    }
                }
                return try await group.reduce(into: [AuditCheckpoint]()) { list, written in if let written { list.append(written) } }
            }
            let stored = try await checkpoints.all()
            #expect(Set(stored) == Set(written))
            #expect(zip(stored, stored.dropFirst()).allSatisfy { $0.seq < $1.seq })
            #expect(try await log.verify().isIntact)
        }
    }

    @Test(arguments: DatabaseKind.allCases)
    func theDatabaseRefusesToChangeOrDeleteCheckpoints(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            try await AuditLogTests.fill(AuditLog(database: app.db), count: 2)
            try await AuditCheckpoints(database: app.db).write(signer: try AuditSigningKeys.make())
            await #expect(throws: (any Error).self) { try await app.db.sql.raw("UPDATE audit_checkpoints SET entry_count = 1").run() }
            await #expect(throws: (any Error).self) { try await app.db.sql.raw("DELETE FROM audit_checkpoints").run() }
            #expect(try await AuditCheckpoints(database: app.db).all().count == 1)
        }
    }
}
