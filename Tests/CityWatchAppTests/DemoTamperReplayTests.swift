@testable import CityWatchApp
import CityWatchAnalytics
import CityWatchMedia
import CityWatchTestSupport
import Foundation
import Testing

/// The demo's cameras as the demo plays them — each scene's own clip (``DemoDistrict/clip``,
/// 60 s), looped by ffmpeg, through the recorder's analysis filter — replayed offline through
/// the tamper detector: three minutes across two loop points in a few seconds.
///
/// Before, the intrusion cameras were "frozen" across every loop point (the empty, flat yard
/// repeats exactly for 13 s) and, analysed at half rate, "moved" whenever the person learnt
/// as the view walked off: maintenance was paged about once a minute per camera.
///
/// Every demo scene is figures moving over a plain ground: in these replays the picture is
/// never steady long enough (3 s) to be learnt as the camera's view, so there is no reference to lose focus
/// against or to place the view by, and defocused and moved are not judged on these cameras
/// (vtest.avi, a real view, shows them found: ``CampusTamperReplayTests``). A covered lens and a
/// stuck stream need no reference, and are found here.
@Suite("Tamper detection on the demo cameras, replayed", .enabled(if: MediaFixtures.available, "needs ffmpeg"))
struct DemoTamperReplayTests {
    static let loops = 3
    /// Tampering starts 15 s into the second loop, lasts 15 s, and the replay of each tampered
    /// ending stops 10 s after it.
    static let tamperedFrom = 75.0
    static let window = tamperedFrom..<(tamperedFrom + 15)
    static let replayedUntil = tamperedFrom + 25

    @Test(arguments: DemoDistrict.sceneKinds)
    func demoCameraRaisesNoTamperYetACoverAndAFreezeAreFound(_ kind: BuiltInScene) async throws {
        let (clip, scene) = try await TamperReplay.demoClip(kind)
        let frames = try await TamperReplay.frames(of: clip, loops: Self.loops)
        let fps = TamperReplay.format.fps
        #expect(frames.count == Self.loops * Int(scene.duration) * fps)

        // Healthy: nothing at all, analysed every frame or every other one.
        let start = Int(Self.tamperedFrom) * fps
        var detector = TamperReplay.detector()
        var healthy = TamperReplay.changes(frames, in: 0..<start, continuing: &detector)
        let learnt = detector
        healthy += TamperReplay.changes(frames, in: start..<frames.count, continuing: &detector)
        #expect(healthy.isEmpty, "\(kind) analysed every frame: \(TamperReplay.steps(healthy))")
        let halfRate = TamperReplay.changes(frames, every: 2)
        #expect(halfRate.isEmpty, "\(kind) analysed every other frame: \(TamperReplay.steps(halfRate))")

        /// The changes over the tampered ending, from the detector as it was at 75 s.
        func found(_ tamper: (GrayImage, Int) -> GrayImage) -> [TamperChange] {
            var tampered = learnt
            return TamperReplay.changes(TamperReplay.tampered(frames, during: Self.window, tamper),
                                        in: start..<(Int(Self.replayedUntil) * fps), continuing: &tampered)
        }
        // A hand over the lens: covered after its 3 s hold.
        let covered = found { _, index in TamperReplay.covered(frame: index) }
        #expect(TamperReplay.steps(covered).first == "covered@78.0", "\(kind): \(TamperReplay.steps(covered))")
        // The stream repeats the frame of 75 s: frozen after its 8 s hold.
        let still = frames[start]
        let frozen = found { _, _ in still }
        #expect(TamperReplay.steps(frozen).first == "frozen@83.0", "\(kind): \(TamperReplay.steps(frozen))")
        // Each clears once the picture is the camera's and alive again: 2 s after, or when the
        // empty yard, which repeats exactly itself, next changes.
        for changes in [covered, frozen] {
            #expect(changes.count == 2 && changes.last?.to == .normal && changes.last!.time <= Self.replayedUntil,
                    "\(kind): \(TamperReplay.steps(changes))")
        }
    }
}
