@testable import CityWatchApp
import CityWatchAnalytics
import CityWatchStore
import CityWatchTestSupport
import Fluent
import Foundation
import Logging
import Testing

/// What maintenance reads about a tamper change: the time in the control room's clock (KST),
/// never the analysis clock's seconds since 1970 (`normal → moved at 1764925449.2 s`).
@Suite("Tamper notices for maintenance")
struct TamperNoticeTests {
    /// 2025-12-05 09:04:09 UTC, 18:04:09 in Seoul: the camera was nudged 20 px to the right.
    static let at = Date(timeIntervalSince1970: 1_764_925_449)
    static let change = TamperChange(from: .normal, to: .moved, time: 1_764_925_449.2, measurement: TamperMeasurement(shiftX: 20))
    static let expected = "normal → moved at 2025-12-05 18:04:09 KST (shift px 20.0)"

    @Test func detailTellsTheChangeInKoreanTime() {
        #expect(TamperNotice.detail(of: Self.change, at: Self.at) == Self.expected)
        // The date is Seoul's too: 15:00 UTC on New Year's Eve is already the new year there.
        let newYear = TamperChange(from: .frozen, to: .normal, time: 1_767_193_200, measurement: TamperMeasurement())
        #expect(TamperNotice.detail(of: newYear, at: Date(timeIntervalSince1970: 1_767_193_200)).hasPrefix("frozen → normal at 2026-01-01 00:00:00 KST"))
    }

    /// The camera's health history and the notice pushed to the consoles and the alarm bridge
    /// (which makes the camera-health alarm of it) carry the same words.
    @Test func writerStoresAndPushesTheChangeInKoreanTime() async throws {
        try await withCityWatch(.sqlite) { app in
            let camera = try #require(try await app.makeCameras(1).first)
            let folder = try RepositoryPaths.temporaryFolder("tamper-notice")
            defer { try? FileManager.default.removeItem(at: folder) }
            let hub = AnalyticsEventHub()
            var messages = hub.subscribe().makeAsyncIterator()
            let writer = AnalyticsWriter(database: { app.db }, snapshotFolder: folder.path, hub: hub, logger: Logger(label: "test"))
            await writer.write(AnalyticsWorker.Output(frame: nil, analysis: FrameAnalysis(motion: .analysed, tamper: Self.change), at: Self.at),
                               camera: camera)

            let stored = try await RecordingRepository(database: app.db).healthHistory(camera: camera)
            #expect(stored.map(\.reason) == [Self.expected])
            #expect(stored.first?.to == "tamper:moved")
            let pushed = await messages.next()
            // The change's own time (the frame's capture time), not the moment it was written.
            let changed = Date(timeIntervalSince1970: Self.change.time)
            #expect(pushed == .tamper(cameraID: camera, state: "moved", at: changed, detail: Self.expected))
        }
    }
}
