import CityWatchAnalytics
import CityWatchApp
import CityWatchDomain
import CityWatchEvaluation
import CityWatchMedia
import CityWatchStore
import CityWatchTestSupport
import Fluent
import FluentKit
import Foundation
import Testing

/// Smart search finds the scripted events of the synthetic footage: the clips of the analytics
/// evaluation set are analysed as the service would, their metadata stored, and searched for
/// with the rule's own zone or line; each scripted moment must come back.
@Suite("Search finds scripted events")
struct SearchScriptedEventsTests {
    static let base = 1_790_000_000.0

    /// Analyses `clip` as cameras are analysed and stores its motion minutes and tracks for `camera`.
    static func analyse(_ clip: EvaluationClip, camera: UUID, on database: any Database) async throws {
        let scene = clip.scene
        let renderer = SyntheticRenderer(scene: scene)
        var analyzer = CameraAnalyzer(width: scene.width, height: scene.height, settings: CameraAnalyticsSettings())
        var rgb = [UInt8](repeating: 0, count: scene.frameByteCount)
        var frame: [UInt8] = []
        var grids: [MotionGrid] = []
        var summaries: [TrackSummaryBuilder.Summary] = []
        for index in 0..<scene.frameCount {
            rgb.withUnsafeMutableBufferPointer { renderer.render(frame: index, into: $0) }
            AnalysisPixelFormat.yuv420p.convert(rgb: rgb, width: scene.width, height: scene.height, into: &frame)
            let result = analyzer.process(yuv: frame, time: base + scene.time(ofFrame: index), weekday: 3, minute: 720)
            if let grid = result.grid { grids.append(grid) }
            summaries += result.finishedTracks
        }
        summaries += analyzer.finishAll()
        var minutes: [Int64: MotionMinute] = [:]
        for grid in grids {
            let key = grid.second / 60
            minutes[key, default: MotionMinute(minute: key)].add(grid)
        }
        let tracks = summaries.map { summary in
            TrackSummary(cameraID: camera, trackID: summary.trackID, objectClass: summary.objectClass,
                         start: Date(timeIntervalSince1970: summary.start), end: Date(timeIntervalSince1970: summary.end), path: summary.path,
                         color: summary.color?.rawValue, direction: summary.direction, speed: summary.speed)
        }
        try await SearchMetadataGenerator.store(.init(minutes: minutes.keys.sorted().map { minutes[$0]! }, tracks: tracks), camera: camera, on: database)
    }

    /// Every expected moment lies in (or within 2 s of) an episode.
    static func expectEveryMoment(_ expected: [EventScore.Occurrence], in episodes: [SearchEpisode], shift: Double = 0, _ what: String) {
        for occurrence in expected {
            let at = Date(timeIntervalSince1970: base + occurrence.time + shift)
            #expect(episodes.contains { $0.start.addingTimeInterval(-2) <= at && at <= $0.end.addingTimeInterval(2) },
                    "\(what): nothing found at \(occurrence.time + shift) s; episodes \(episodes.map { ($0.start.timeIntervalSince1970 - base, $0.end.timeIntervalSince1970 - base) })")
        }
    }

    @Test func intrusionLoiteringAndCrossingsAreFoundWhereTheyWereScripted() async throws {
        try await withCityWatch(.sqlite) { app in
            let cameras = try await app.makeCameras(3)
            let search = SearchService(database: app.db)
            let from = Date(timeIntervalSince1970: Self.base - 1), to = Date(timeIntervalSince1970: Self.base + 120)
            for (camera, kind) in zip(cameras, ["intrusion", "loitering", "lineCrossing"]) {
                let clip = try #require(EvaluationSet.clip(kind: kind, variant: .clean))
                try await Self.analyse(clip, camera: camera, on: app.db)
                let rule = try #require(clip.rules.first)
                let expected = try #require(clip.expectedEvents().first)
                #expect(!expected.isEmpty)
                switch rule.kind {
                case .intrusion(let zone):
                    let found = try await search.run(SearchQuery(from: from, to: to, region: zone, limit: 500), cameras: [camera])
                    Self.expectEveryMoment(expected, in: found.episodes, "motion in the restricted zone")
                case let .loitering(zone, seconds):
                    let found = try await search.run(SearchQuery(from: from, to: to, region: zone, dwellSeconds: seconds - 1, limit: 500),
                                                     cameras: [camera])
                    // The rule fires when the stay reaches its length; the search's episode is the stay.
                    Self.expectEveryMoment(expected, in: found.episodes, shift: -1, "a stay in the zone")
                case let .lineCrossing(line, direction):
                    let found = try await search.run(SearchQuery(from: from, to: to, line: line, crossing: direction, limit: 500), cameras: [camera])
                    Self.expectEveryMoment(expected, in: found.episodes, "a crossing \(direction)")
                    let crossings = found.episodes.reduce(0) { $0 + $1.trackIDs.count }
                    #expect(crossings == expected.count, "people crossing the other way are not counted: \(crossings) for \(expected.count)")
                default:
                    Issue.record("unexpected rule \(rule.kind)")
                }
            }
        }
    }
}
