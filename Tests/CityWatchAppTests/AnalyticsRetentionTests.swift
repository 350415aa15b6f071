import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchStore
import CityWatchTestSupport
import Fluent
import FluentKit
import Foundation
import Testing

/// Event snapshots are footage: retention removes them (and the analytics metadata) with the
/// camera's recordings, and a legal hold keeps them.
@Suite("Analytics retention")
struct AnalyticsRetentionTests {
    @Test(arguments: DatabaseKind.allCases)
    func expiredEventsGoWithTheirSnapshotsAndHeldOnesStay(kind: DatabaseKind) async throws {
        try await withCityWatch(kind) { app in
            let camera = try #require(try await app.makeCameras(1).first)
            let folder = try RepositoryPaths.temporaryFolder("analytics-retention")
            defer { try? FileManager.default.removeItem(at: folder) }
            let now = Date(timeIntervalSince1970: 1_790_000_000)
            let repository = AnalyticsRepository(database: app.db)
            func event(daysAgo: Double) async throws -> (AnalyticsEvent, String) {
                let at = now.addingTimeInterval(-daysAgo * 86_400)
                let event = AnalyticsEvent(cameraID: camera, ruleID: UUID(), ruleName: "gate", kind: "intrusion", at: at, trackIDs: [1],
                                           boxes: [], classes: [.person], hasSnapshot: true)
                let path = folder.appendingPathComponent("\(event.id).jpg").path
                try Data([0xFF, 0xD8, 0xFF, 0xD9]).write(to: URL(fileURLWithPath: path))
                try await repository.insert(event, snapshotPath: path)
                var minute = MotionMinute(minute: Int64((at.timeIntervalSince1970 / 60).rounded(.down)))
                var grid = MotionGrid(second: minute.minute * 60 + 7)
                grid[2, 2] = 50
                minute.add(grid)
                try await repository.saveMotionMinute(camera: camera, minute)
                try await repository.saveTracks([TrackSummary(cameraID: camera, trackID: Int(daysAgo), objectClass: .person, start: at,
                                                              end: at.addingTimeInterval(5), path: [], color: nil, direction: nil, speed: 0)])
                return (event, path)
            }
            let (old, oldPath) = try await event(daysAgo: 40)
            let (held, heldPath) = try await event(daysAgo: 45)
            let (recent, recentPath) = try await event(daysAgo: 2)
            _ = try await RecordingRepository(database: app.db).addHold(camera: camera, from: held.at.addingTimeInterval(-60),
                                                                        to: held.at.addingTimeInterval(60), reason: "수사 2026-9", by: "privacy", now: now)

            let report = try await RetentionSweeper(database: { app.db }, configuration: app.cityWatch.configuration, clock: { now }).sweep()
            #expect(report.analytics.events == 1 && report.analytics.motionMinutes == 1 && report.analytics.tracks == 1)
            #expect(try await repository.event(old.id) == nil && !FileManager.default.fileExists(atPath: oldPath))
            #expect(try await repository.event(held.id) != nil && FileManager.default.fileExists(atPath: heldPath), "a legal hold keeps it")
            #expect(try await repository.event(recent.id) != nil && FileManager.default.fileExists(atPath: recentPath))
            let audit = try await AuditLog(database: app.db).list(.init(action: "retention.delete.analytics"))
            #expect(audit.count == 1 && audit.first?.details.contains("\"snapshots\":1") == true)
        }
    }
}
