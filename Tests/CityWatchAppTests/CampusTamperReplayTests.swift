import CityWatchAnalytics
import CityWatchMedia
import CityWatchTestSupport
import Foundation
import Testing

/// A real camera — vtest.avi, a high view over a campus path with people walking — replayed
/// offline as the recorder hands it to analytics: it raises nothing, analysed at the recorder's
/// rate or at half; tampered with as
/// in the street, each kind is found within its hold time.
///
/// The tampering is done to the camera's own picture, before the recorder scales it: a hand
/// over the lens, the focus turned (a Gaussian blur), the camera nudged (its view panned by a
/// tenth of its width) or turned to another view (mirrored: the same kind of scene, elsewhere),
/// and the stream stuck on one frame. Each lasts from 15 s to 30 s of the clip; ffmpeg's
/// tampering is replayed over the first 35 s only.
@Suite("Tamper detection on a real camera, replayed",
       .enabled(if: MediaFixtures.available && FileManager.default.fileExists(atPath: TamperReplay.campusClip),
                "needs ffmpeg and ../shared/data/vtest.avi"))
struct CampusTamperReplayTests {
    static let clip = TamperReplay.campusClip
    static let window = 15.0..<30.0
    /// ffmpeg's timeline option for a filter that acts during `window` only.
    static let during = "enable='between(t,15,30)'"
    /// Seconds of the clip replayed for ffmpeg's tampering.
    static let tamperedSeconds = 35

    @Test func campusCameraRaisesNothing() async throws {
        let frames = try await TamperReplay.campus.value
        #expect(frames.count > 75 * TamperReplay.format.fps)
        for step in [1, 2] {
            let changes = TamperReplay.changes(frames, every: step)
            #expect(changes.isEmpty, "analysed every \(step) frame(s): \(TamperReplay.steps(changes))")
        }
    }

    @Test func handOverTheLensIsCoveredAfterThreeSeconds() async throws {
        let frames = try await TamperReplay.campus.value
        let changes = TamperReplay.changes(TamperReplay.tampered(frames, during: Self.window) { _, index in TamperReplay.covered(frame: index) })
        #expect(TamperReplay.steps(changes) == ["covered@18.0", "normal@32.0"])
    }

    @Test func focusTurnedIsDefocusedAfterFiveSeconds() async throws {
        let frames = try await TamperReplay.frames(of: Self.clip, seconds: Self.tamperedSeconds, tampering: "gblur=sigma=6:\(Self.during)")
        let changes = TamperReplay.changes(frames)
        #expect(changes.map(\.to) == [.defocused, .normal], "\(TamperReplay.steps(changes))")
        #expect(changes.first?.time == 20)
    }

    /// The view panned by 10 % of its width (about 35 analysis pixels); before and after, the
    /// camera sees the other 90 %.
    @Test func cameraNudgedAsideIsMovedWithinFiveSeconds() async throws {
        let frames = try await TamperReplay.frames(of: Self.clip, seconds: Self.tamperedSeconds,
                                                   tampering: "crop=w=iw*0.9:h=ih:x='if(between(t,15,30),iw*0.1,0)':y=0")
        let changes = TamperReplay.changes(frames)
        #expect(changes.map(\.to) == [.moved, .normal], "\(TamperReplay.steps(changes))")
        let moved = try #require(changes.first)
        // The 4 s hold, after the new view has settled (under a second).
        #expect(moved.time >= 19 && moved.time < 20, "moved at \(moved.time) s")
        #expect(moved.measurement.shiftX < -20, "shift \(moved.measurement.shiftX) px")
    }

    @Test func cameraTurnedToAnotherViewIsMovedWithinFiveSeconds() async throws {
        let frames = try await TamperReplay.frames(of: Self.clip, seconds: Self.tamperedSeconds, tampering: "hflip=\(Self.during)")
        let changes = TamperReplay.changes(frames)
        #expect(changes.map(\.to) == [.moved, .normal], "\(TamperReplay.steps(changes))")
        let moved = try #require(changes.first)
        #expect(moved.time >= 19 && moved.time < 20, "moved at \(moved.time) s")
    }

    @Test func streamStuckOnOneFrameIsFrozenAfterEightSeconds() async throws {
        let frames = try await TamperReplay.campus.value
        let still = frames[Int(Self.window.lowerBound) * TamperReplay.format.fps]
        let changes = TamperReplay.changes(TamperReplay.tampered(frames, during: Self.window) { _, _ in still })
        #expect(TamperReplay.steps(changes) == ["frozen@23.0", "normal@32.0"])
    }
}
