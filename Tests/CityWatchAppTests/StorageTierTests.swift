import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import CityWatchTestSupport
import Crypto
import Fluent
import FluentKit
import Foundation
import Synchronization
import Testing
import Vapor
import VaporTesting

/// The archive tier on real folders and real filesystems: moves, an archive unmounted (a bind
/// mount taken away) and full (a small tmpfs, and a quota), retention across both tiers with a
/// legal hold in each, and playback and export of footage half archived.
@Suite("Storage tiers", .serialized)
struct StorageTierTests {
    /// Alarms the mover raised.
    final class Alarms: Sendable {
        let raised = Mutex<[Alarm]>([])
        var all: [Alarm] { raised.withLock { $0 } }
        func raise(_ alarm: Alarm) { raised.withLock { $0.append(alarm) } }
    }

    static func mover(_ app: Application, _ footage: TieredFootage, _ alarms: Alarms, quota: Int64? = nil) -> TierMover {
        var configuration = footage.configuration
        configuration.archiveQuotaBytes = quota
        return TierMover(database: { app.db }, configuration: configuration, archive: ArchiveTier(configuration)!,
                         alarm: { alarms.raise($0) })
    }

    static let metricsToken = "storage-tier-metrics-token-0123456789"

    static func mount(_ arguments: [String]) throws {
        _ = try runProgram("/usr/bin/mount", arguments)
    }

    static func unmount(_ point: String) {
        _ = try? runProgram("/usr/bin/umount", [point])
    }

    /// A folder for the test with `archive` (the mount point) made in it.
    static func folder() throws -> (URL, String) {
        let folder = try RepositoryPaths.temporaryFolder("tiers")
        let archive = folder.appendingPathComponent("archive").path
        try FileManager.default.createDirectory(atPath: archive, withIntermediateDirectories: true)
        return (folder, archive)
    }

    @Test(.timeLimit(.minutes(2)))
    func anUnmountedArchivePausesMovesRaisesOneAlarmAndComesBack() async throws {
        let (folder, archive) = try Self.folder()
        let disk = folder.appendingPathComponent("archive-disk").path
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        try Self.mount(["--bind", disk, archive])
        defer {
            Self.unmount(archive)
            try? FileManager.default.removeItem(at: folder)
        }
        try await withCityWatch(.sqlite, adjust: { $0.archiveDirectory = archive; $0.metricsToken = Self.metricsToken }) { app in
            let footage = try await TieredFootage.make(app, count: 4, folder: folder, archive: archive)
            let alarms = Alarms()
            let mover = Self.mover(app, footage, alarms)
            let first = try await mover.pass()
            #expect(first.moved == 4 && first.state == .ok)
            #expect(FileManager.default.fileExists(atPath: (disk as NSString).appendingPathComponent(ArchiveTier.markerName)))
            try await footage.record(app, count: 3, start: Date().addingTimeInterval(-1.5 * 86_400))

            // Taken away: the mount point is an empty folder on the wrong disk.
            Self.unmount(archive)
            let away = try await mover.pass()
            #expect(away.state.name == "unavailable" && away.moved == 0)
            #expect(away.state.reason?.contains("looks unmounted") == true, "\(away.state)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: archive).isEmpty, "nothing may be written into the bare mount point")
            _ = try await mover.pass()
            #expect(alarms.all.count == 1 && alarms.all[0].source == .storage && alarms.all[0].title.contains("Archive unavailable"))
            #expect(mover.current.archiveState == "unavailable" && mover.current.duePending == 3)
            // Recording goes on in the hot tier; the archived footage is out of reach, not lost.
            let report = try await SegmentReconciler.reconcileTiers(database: app.db, configuration: footage.configuration, node: nil)
            #expect(report.missing.isEmpty && report.removedCopies.isEmpty, "\(report)")
            let rows = try await footage.rows(app)
            #expect(rows.filter(\.isArchived).count == 4 && rows.allSatisfy { $0.status == "ok" })
            let admin = try await app.signIn(as: .administrator)
            let archived = try #require(rows.first { $0.isArchived })
            let refused = try await app.testing().sendRequest(.GET, "/api/segments/\(archived.id!)/video", headers: admin.headers)
            #expect(refused.status == .serviceUnavailable && refused.body.string.contains("archive"), "\(refused.body.string)")
            await #expect(throws: EvidenceService.Problem.self) {
                _ = try await EvidenceService(database: app.db, configuration: footage.configuration)
                    .export(cameraIDs: [footage.camera], from: archived.start, to: archived.end, reason: "case 2026-77", actor: "test")
            }

            // Back: moves go on, no second alarm, and everything plays once.
            try Self.mount(["--bind", disk, archive])
            let back = try await mover.pass()
            #expect(back.state == .ok && back.moved == 3)
            #expect(alarms.all.count == 1)
            #expect(try await footage.problems(app, expected: 7).isEmpty)
            let played = try await app.testing().sendRequest(.GET, "/api/segments/\(archived.id!)/video", headers: admin.headers)
            #expect(played.status == .ok && played.body.readableBytes == Int(archived.bytes))
            // What maintenance reads: the archive's state and figures in the API and in /metrics.
            app.recording = RecordingService(database: { app.db }, configuration: footage.configuration,
                                             sealer: CredentialSealer(key: SymmetricKey(size: .bits256)), mover: mover)
            let storage = try await app.testing().sendRequest(.GET, "/api/storage", headers: admin.headers).body.string
            #expect(storage.contains("\"state\":\"ok\"") && storage.contains("\"moves\":7") && storage.contains("\"tier\":\"archive\""), "\(storage)")
            let metrics = try await app.testing().sendRequest(.GET, "/metrics", headers: ["Authorization": "Bearer \(Self.metricsToken)"]).body.string
            #expect(metrics.contains("citywatch_storage_segments{tier=\"archive\"} 7") && metrics.contains("citywatch_archive_state{state=\"ok\"} 1")
                    && metrics.contains("citywatch_archive_moves 7"), "\(metrics.split(separator: "\n").filter { $0.contains("storage") || $0.contains("archive") })")
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func aFullArchiveStopsTakingFootageAndMakesRoomOldestFirstOnlyWhenTheHotTierMustShed() async throws {
        let (folder, archive) = try Self.folder()
        // Room for three of these segments (about 75 kB each) above the 5 % watermark.
        try Self.mount(["-t", "tmpfs", "-o", "size=256k", "tmpfs", archive])
        defer {
            Self.unmount(archive)
            try? FileManager.default.removeItem(at: folder)
        }
        try await withCityWatch(.sqlite, adjust: { $0.archiveDirectory = archive }) { app in
            let footage = try await TieredFootage.make(app, count: 6, folder: folder, archive: archive)
            let alarms = Alarms()
            let mover = Self.mover(app, footage, alarms)
            let report = try await mover.pass()
            #expect(report.moved >= 1 && report.moved < 6, "moved \(report.moved)")
            #expect(report.state.name == "full" && report.state.reason?.contains("watermark") == true, "\(report.state)")
            #expect(alarms.all.count == 1 && alarms.all[0].title.contains("Archive full"))
            // Looking again while nothing changed: still full, no second alarm.
            #expect(try await mover.pass().state.name == "full")
            #expect(alarms.all.count == 1 && mover.current.archiveState == "full")
            #expect(try await footage.problems(app, expected: 6).isEmpty, "the hot tier keeps what could not move")
            #expect(mover.current.duePending == 6 - report.moved)
            // The filesystem's own limit was never hit: no copy half written.
            #expect(TieredFootage.files(footage.archiveFolder).allSatisfy { $0.hasSuffix(".mp4") })
            // While the hot tier has room the archive keeps what it has and the rest waits hot.
            let rows = try await footage.rows(app).sorted { $0.start < $1.start }
            let idle = try await RetentionSweeper(database: { app.db }, configuration: footage.configuration,
                                                  archive: ArchiveTier(footage.configuration)).sweep()
            #expect(idle.expired == 0 && idle.overQuota == 0, "\(idle)")
            // Once the hot tier must shed (its quota at two segments), the oldest footage of all
            // goes — the archive's — to make room, and the hot tier's oldest moves into it.
            var pressed = footage.configuration
            pressed.recordingQuotaBytes = rows[4].bytes + rows[5].bytes
            let sweep = try await RetentionSweeper(database: { app.db }, configuration: pressed, archive: ArchiveTier(pressed)).sweep()
            #expect(sweep.archiveOverQuota >= 1 && sweep.overQuota == sweep.archiveOverQuota, "\(sweep)")
            let kept = try await footage.rows(app)
            let deleted = rows.filter { row in !kept.contains { $0.id == row.id } }
            #expect(deleted.map(\.id) == rows.prefix(deleted.count).map(\.id), "the oldest go first")
            let next = try await Self.mover(app, TieredFootage(folder: footage.folder, camera: footage.camera, configuration: pressed), alarms).pass()
            #expect(next.moved >= 1, "\(next)")
            #expect(try await footage.problems(app, expected: 6 - deleted.count).isEmpty)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func aFolderIsTakenForTheArchiveOnlyEmptyOrMarkedAndAVanishedHotFileIsMarkedMissing() async throws {
        let (folder, archive) = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tier = ArchiveTier(folder: archive, quotaBytes: nil, refuseBelowFreePercent: 5)
        // Somebody's folder with files in it is not taken for the archive.
        FileManager.default.createFile(atPath: (archive as NSString).appendingPathComponent("budget.xlsx"), contents: Data("x".utf8))
        let refused = tier.availability(archived: 0, node: "n")
        #expect(refused.name == "unavailable" && refused.reason?.contains("not empty") == true && refused.reason?.contains("budget.xlsx") == true)
        #expect(!FileManager.default.fileExists(atPath: (archive as NSString).appendingPathComponent(ArchiveTier.markerName)))
        // A fresh filesystem (lost+found only) is.
        try FileManager.default.removeItem(atPath: (archive as NSString).appendingPathComponent("budget.xlsx"))
        try FileManager.default.createDirectory(atPath: (archive as NSString).appendingPathComponent("lost+found"), withIntermediateDirectories: true)
        #expect(tier.availability(archived: 0, node: "n") == .ok)
        #expect(FileManager.default.fileExists(atPath: (archive as NSString).appendingPathComponent(ArchiveTier.markerName)))

        try await withCityWatch(.sqlite) { app in
            let footage = try await TieredFootage.make(app, count: 3, folder: folder, archive: archive)
            let gone = try #require(try await footage.rows(app).first)
            try FileManager.default.removeItem(atPath: gone.path)
            let report = try await Self.mover(app, footage, Alarms()).pass()
            #expect(report.moved == 2 && report.failed == 0, "\(report)")
            let rows = try await footage.rows(app)
            #expect(rows.first { $0.id == gone.id }?.status == "missing")
            #expect(try await footage.problems(app, expected: 2).isEmpty)
        }
    }

    @Test(.timeLimit(.minutes(2)), arguments: DatabaseKind.allCases)
    func theArchiveQuotaIsKeptAndRetentionFreesItsOldestFirst(_ kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let footage = try await TieredFootage.make(app, count: 6)
            defer { try? FileManager.default.removeItem(at: footage.folder) }
            let before = try await footage.rows(app).sorted { $0.start < $1.start }
            let sizes = before.map(\.bytes)
            let quota = sizes[0] + sizes[1] + sizes[2] / 2
            let alarms = Alarms()
            let mover = Self.mover(app, footage, alarms, quota: quota)
            let report = try await mover.pass()
            #expect(report.moved == 2 && report.state.name == "full" && report.state.reason?.contains("quota") == true, "\(report)")
            // A quota lowered below what the archive holds frees its oldest.
            var configuration = footage.configuration
            configuration.archiveQuotaBytes = sizes[0] + sizes[1] / 2
            let sweep = try await RetentionSweeper(database: { app.db }, configuration: configuration,
                                                   archive: ArchiveTier(configuration)).sweep()
            #expect(sweep.archiveOverQuota == 1 && sweep.overQuota == 1 && sweep.expired == 0, "\(sweep)")
            let left = try await footage.rows(app).sorted { $0.start < $1.start }
            #expect(left.count == 5 && left[0].id == before[1].id && left[0].isArchived)
            #expect(try await footage.problems(app, expected: 5).isEmpty)
        }
    }

    @Test(.timeLimit(.minutes(2)), arguments: DatabaseKind.allCases)
    func retentionCountsAcrossTiersAndHoldsKeepFootageInEither(_ kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            // Three segments three days old, moved; three two days old, left hot (moves after 60 h).
            let footage = try await TieredFootage.make(app, count: 3, start: Date().addingTimeInterval(-3 * 86_400))
            defer { try? FileManager.default.removeItem(at: footage.folder) }
            var configuration = footage.configuration
            configuration.archiveAfterHours = 60
            let moved = try await TierMover(database: { app.db }, configuration: configuration, archive: ArchiveTier(configuration)!).pass()
            #expect(moved.moved == 3)
            try await footage.record(app, count: 3, start: Date().addingTimeInterval(-2 * 86_400))
            let rows = try await footage.rows(app).sorted { $0.start < $1.start }
            #expect(rows.map(\.isArchived) == [true, true, true, false, false, false])
            // The camera keeps one day; a hold on the second segment of each tier.
            let camera = try #require(try await CameraModel.find(footage.camera, on: app.db))
            camera.retentionDays = 1
            try await camera.update(on: app.db)
            let repository = RecordingRepository(database: app.db)
            for held in [rows[1], rows[4]] {
                _ = try await repository.addHold(camera: footage.camera, from: held.start.addingTimeInterval(0.5), to: held.end.addingTimeInterval(-0.5),
                                                 reason: "case 2026-41", by: "test", now: Date())
            }
            let sweep = try await RetentionSweeper(database: { app.db }, configuration: configuration, archive: ArchiveTier(configuration)).sweep()
            #expect(sweep.expired == 4 && sweep.archiveExpired == 2 && sweep.overQuota == 0, "\(sweep)")
            let left = try await footage.rows(app)
            #expect(Set(left.map(\.id)) == [rows[1].id, rows[4].id])
            #expect(left.filter(\.isArchived).count == 1)
            #expect(try await footage.problems(app, expected: 2).isEmpty)
            let audit = try await AuditLog(database: app.db).list(.init(action: "retention.delete"))
            #expect(Set(audit.compactMap { $0.details.contains("\"tier\":\"archive\"") ? "archive" : $0.details.contains("\"tier\":\"hot\"") ? "hot" : nil })
                == ["archive", "hot"], "\(audit.map(\.details))")
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func footageHalfArchivedPlaysAndExportsAcrossTheBoundary() async throws {
        try await withCityWatch(.sqlite) { app in
            let footage = try await TieredFootage.make(app, count: 3, start: Date().addingTimeInterval(-3 * 86_400) - 6)
            defer { try? FileManager.default.removeItem(at: footage.folder) }
            var configuration = footage.configuration
            configuration.archiveAfterHours = 60
            #expect(try await TierMover(database: { app.db }, configuration: configuration, archive: ArchiveTier(configuration)!).pass().moved == 3)
            try await footage.record(app, count: 3, start: Date().addingTimeInterval(-3 * 86_400))
            let rows = try await footage.rows(app).sorted { $0.start < $1.start }
            let from = rows[0].start, to = rows[5].end
            let admin = try await app.signIn(as: .administrator)
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            let listed = try await app.testing().sendRequest(
                .GET, "/api/cameras/\(footage.camera)/recordings?from=\(formatter.string(from: from))&to=\(formatter.string(from: to))", headers: admin.headers)
            #expect(listed.status == .ok)
            struct Listing: Decodable {
                struct Segment: Decodable { var id: UUID; var tier: String }
                struct Range: Decodable { var start: Date; var end: Date }
                var segments: [Segment]
                var ranges: [Range]
            }
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .custom { decoder in
                let text = try decoder.singleValueContainer().decode(String.self)
                let fractional = ISO8601DateFormatter()
                fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
                return fractional.date(from: text) ?? ISO8601DateFormatter().date(from: text) ?? .distantPast
            }
            let listing = try decoder.decode(Listing.self, from: Data(listed.body.readableBytesView))
            #expect(listing.segments.map(\.tier) == ["archive", "archive", "archive", "hot", "hot", "hot"])
            #expect(listing.ranges.count == 1, "one stretch across the boundary: \(listing.ranges)")
            for (segment, row) in zip(listing.segments, rows) {
                let video = try await app.testing().sendRequest(.GET, "/api/segments/\(segment.id)/video", headers: admin.headers)
                let file = try Data(contentsOf: URL(fileURLWithPath: row.path))
                #expect(video.status == .ok && Data(video.body.readableBytesView) == file)
            }
            // Search thumbnails: a frame from either side of the boundary.
            for moment in [rows[2].start.addingTimeInterval(1), rows[3].start.addingTimeInterval(1)] {
                let frame = try await app.testing().sendRequest(
                    .GET, "/api/cameras/\(footage.camera)/frame?at=\(formatter.string(from: moment))&width=160", headers: admin.headers)
                #expect(frame.status == .ok && frame.headers.contentType?.subType == "jpeg" && frame.body.readableBytes > 500, "\(moment): \(frame.status)")
            }
            // One export across the boundary: 12 s from six segments in two tiers.
            let (manifest, exported) = try await EvidenceService(database: app.db, configuration: footage.configuration)
                .export(cameraIDs: [footage.camera], from: from, to: to, reason: "case 2026-88", actor: "test", unmasked: true)
            let clip = (exported as NSString).appendingPathComponent(try #require(manifest.cameras.first).file)
            let facts = try MediaFixtures.probe(clip)
            #expect(abs(facts.duration - 12) < 0.6, "exported \(facts.duration) s")
        }
    }

    /// Police provision of footage in the archive: the approved request's export reads the
    /// archived segments; while the archive is away it answers 503 and the request stays approved
    /// (nothing half-exported in the ledger), and once back the same request exports whole.
    @Test(.timeLimit(.minutes(2)))
    func policeProvisionOfArchivedFootageWaitsForTheArchiveAndThenExportsIt() async throws {
        let (folder, archive) = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withCityWatch(.sqlite, adjust: { $0.archiveDirectory = archive }) { app in
            let footage = try await TieredFootage.make(app, count: 3, folder: folder, archive: archive,
                                                       start: Date().addingTimeInterval(-3 * 86_400))
            #expect(try await Self.mover(app, footage, Alarms()).pass().moved == 3)
            let rows = try await footage.rows(app).sorted { $0.start < $1.start }
            #expect(rows.count == 3 && rows.allSatisfy(\.isArchived))
            let client = try app.testing()
            let admin = try await app.signIn(as: .administrator)
            let group = try await client.sendRequest(.POST, "/api/groups", headers: admin.headers,
                                                     body: .text("{\"name\": \"archive provision\", \"rule\": {\"cameraIds\": [\"\(footage.camera)\"]}}"))
            struct IDOnly: Decodable { var id: UUID }
            let groupID = try group.content.decode(IDOnly.self).id
            let police = try await app.signIn(as: .police, groups: [groupID])
            let officer = try await app.signIn(as: .operator, groups: [groupID])
            let privacy = try await app.signIn(as: .privacyOfficer)
            let formatter = ISO8601DateFormatter()
            let from = rows[0].start.addingTimeInterval(1), to = rows[2].end.addingTimeInterval(-1)
            let body = """
                {"officerName": "경위 박수사", "agency": "서울강남경찰서 형사과", "caseNumber": "2026-형제-7788", "legalBasis": "criminalInvestigation",
                 "purpose": "보관 영상 확인", "cameraIds": ["\(footage.camera)"], "from": "\(formatter.string(from: from))", "to": "\(formatter.string(from: to))"}
                """
            let created = try await client.sendRequest(.POST, "/api/provision/requests", headers: police.headers, body: .text(body))
            #expect(created.status == .created, "\(created.body.string)")
            let request = try created.content.decode(ProvisionRequest.self)
            let approved = try await client.sendRequest(.POST, "/api/provision/requests/\(request.id)/approve", headers: privacy.headers)
            #expect(approved.status == .ok, "\(approved.body.string)")

            // The archive away (its disk gone from under the path): the export waits, not a hole.
            let away = archive + ".away"
            try FileManager.default.moveItem(atPath: archive, toPath: away)
            let refused = try await client.sendRequest(.POST, "/api/provision/requests/\(request.id)/export", headers: officer.headers)
            #expect(refused.status == .serviceUnavailable && refused.body.string.contains("archive"), "\(refused.body.string)")
            let still = try await client.sendRequest(.GET, "/api/provision/requests/\(request.id)", headers: privacy.headers)
            #expect(try still.content.decode(ProvisionRequest.self).status == .approved)
            #expect(try await client.sendRequest(.GET, "/api/provision/ledger", headers: privacy.headers).body.string == "[]")

            // Back: the same request exports the archived footage whole, and lands in the ledger.
            try FileManager.default.moveItem(atPath: away, toPath: archive)
            let exported = try await client.sendRequest(.POST, "/api/provision/requests/\(request.id)/export", headers: officer.headers)
            #expect(exported.status == .created, "\(exported.body.string)")
            struct Exported: Decodable {
                var request: ProvisionRequest
                var manifest: EvidenceManifest
            }
            let result = try exported.content.decode(Exported.self)
            #expect(result.request.status == .exported)
            let service = EvidenceService(database: app.db, configuration: app.cityWatch.configuration)
            let exportFolder = (service.exportsDirectory as NSString).appendingPathComponent(result.manifest.exportId.uuidString.lowercased())
            let clip = (exportFolder as NSString).appendingPathComponent(try #require(result.manifest.cameras.first).file)
            let facts = try MediaFixtures.probe(clip)
            #expect(abs(facts.duration - to.timeIntervalSince(from)) < 0.6, "exported \(facts.duration) s of \(to.timeIntervalSince(from))")
            let verified = try EvidenceService.verify(path: exportFolder, trustedKey: try service.signingKey().publicKeyBase64)
            #expect(verified.isValid, "\(verified.problems)")
            let ledger = try await client.sendRequest(.GET, "/api/provision/ledger", headers: privacy.headers)
            #expect(ledger.body.string.contains(result.manifest.exportId.uuidString.lowercased())
                    || ledger.body.string.contains(result.manifest.exportId.uuidString), "\(ledger.body.string)")
        }
    }
}
