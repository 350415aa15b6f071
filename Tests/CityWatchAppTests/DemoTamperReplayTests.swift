@testable import CityWatchApp
import CityWatchAnalytics
import CityWatchMedia
import CityWatchTestSupport
import Foundation
import Testing

/// The demo's cameras as the demo plays them — each scene's own clip (``DemoDistrict/clip``,
/// 60 s), looped by ffmpeg, through the recorder's analysis filter — replayed offline through
/// the tamper detector: two minutes across a loop point in a few seconds.
///
/// Before, the intrusion cameras were "frozen" across every loop point (the empty, flat yard
/// repeats exactly for 13 s) and, analysed at half rate, "moved" whenever the person learnt
/// as the view walked off: maintenance was paged about once a minute per camera.
@Suite("Tamper detection on the demo cameras, replayed", .enabled(if: MediaFixtures.available, "needs ffmpeg"))
struct DemoTamperReplayTests {
    static let loops = 2
    /// Tampering starts 15 s into the second loop.
    static let tamperedFrom = 75.0

    @Test(arguments: DemoDistrict.sceneKinds)
    func demoCameraRaisesNoTamperYetACoverAndAFreezeAreFound(_ kind: BuiltInScene) async throws {
        let (clip, scene) = try await TamperReplay.demoClip(kind)
        let frames = try await TamperReplay.frames(of: clip, loops: Self.loops)
        #expect(frames.count == Self.loops * Int(scene.duration) * TamperReplay.format.fps)

        for step in [1, 2] {
            let changes = TamperReplay.changes(frames, every: step)
            #expect(changes.isEmpty, "\(kind) analysed every \(step) frame(s): \(TamperReplay.steps(changes))")
        }

        // A hand over the lens for 15 s: covered after its 3 s hold, normal again once uncovered.
        let window = Self.tamperedFrom..<(Self.tamperedFrom + 15)
        let covered = TamperReplay.changes(TamperReplay.tampered(frames, during: window) { _, index in TamperReplay.covered(frame: index) })
        #expect(covered.map(\.to) == [.covered, .normal], "\(kind): \(TamperReplay.steps(covered))")
        #expect(covered.first?.time == Self.tamperedFrom + 3)

        // The stream repeats the frame of 75 s for 15 s: frozen after its 8 s hold.
        let still = frames[Int(Self.tamperedFrom) * TamperReplay.format.fps]
        let frozen = TamperReplay.changes(TamperReplay.tampered(frames, during: window) { _, _ in still })
        #expect(frozen.map(\.to) == [.frozen, .normal], "\(kind): \(TamperReplay.steps(frozen))")
        #expect(frozen.first?.time == Self.tamperedFrom + 8)
    }
}
