import CityWatchAnalytics
import CityWatchDomain
import CityWatchMedia
import Testing

/// The whole per-camera chain on yuv420p frames, as the analytics service feeds it.
@Suite("Camera analyzer")
struct CameraAnalyzerTests {
    /// RGB24 to yuv420p (BT.601, studio range), chroma averaged over 2×2 pixels.
    static func yuv420p(_ rgb: [UInt8], width: Int, height: Int) -> [UInt8] {
        var out = [UInt8](repeating: 128, count: width * height + 2 * (width / 2) * (height / 2))
        let chroma = (width / 2) * (height / 2)
        for index in 0..<(width * height) {
            let r = Double(rgb[3 * index]), g = Double(rgb[3 * index + 1]), b = Double(rgb[3 * index + 2])
            out[index] = UInt8(max(0, min(255, (0.257 * r + 0.504 * g + 0.098 * b + 16).rounded())))
        }
        for y in 0..<(height / 2) {
            for x in 0..<(width / 2) {
                var u = 0.0, v = 0.0
                for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                    let index = (2 * y + dy) * width + 2 * x + dx
                    let r = Double(rgb[3 * index]), g = Double(rgb[3 * index + 1]), b = Double(rgb[3 * index + 2])
                    u += -0.148 * r - 0.291 * g + 0.439 * b + 128
                    v += 0.439 * r - 0.368 * g - 0.071 * b + 128
                }
                out[width * height + y * (width / 2) + x] = UInt8(max(0, min(255, (u / 4).rounded())))
                out[width * height + chroma + y * (width / 2) + x] = UInt8(max(0, min(255, (v / 4).rounded())))
            }
        }
        return out
    }

    /// A red figure crossing a plain picture left to right from 4 s to 14 s, at 5 frames a second.
    static var redWalker: SyntheticScene {
        var scene = SyntheticScene(name: "red walker", width: 320, height: 180, fps: 5, duration: 16, background: .plain(gray: 118))
        scene.objects = [SceneObject(id: 1, objectClass: .person, width: 14, height: 40, color: SceneColor(red: 200, green: 30, blue: 30),
                                     path: [.init(time: 4, x: 20, y: 110), .init(time: 14, x: 290, y: 110)], appear: 4, disappear: 14)]
        return scene
    }

    @Test func aRedFigureWalkingRightLeavesASummaryHeadingRightInRed() {
        let scene = Self.redWalker
        let renderer = SyntheticRenderer(scene: scene)
        var analyzer = CameraAnalyzer(width: 320, height: 180, settings: CameraAnalyticsSettings())
        var summaries: [TrackSummaryBuilder.Summary] = []
        for frame in 0..<scene.frameCount {
            let pixels = Self.yuv420p(renderer.render(frame: frame), width: 320, height: 180)
            summaries += analyzer.process(yuv: pixels, time: 1_000 + Double(frame) / 5, weekday: 3, minute: 600).finishedTracks
        }
        summaries += analyzer.finishAll()
        let walker = try? #require(summaries.max { $0.end - $0.start < $1.end - $1.start })
        #expect(summaries.count == 1, "\(summaries)")
        #expect(walker?.color == .red)
        #expect(walker.flatMap(\.direction).map { abs($0 - 90) < 15 } == true, "heading \(String(describing: walker?.direction))")
        // 270 px in 10 s on a 180 px picture: 0.15 picture heights per second.
        #expect(walker.map { abs($0.speed - 0.15) < 0.05 } == true, "speed \(String(describing: walker?.speed))")
        #expect((walker?.path.count ?? 0) >= 6, "about one box a second")
    }

    /// A stream that ends while the walker is still in view: the end hands back the open track
    /// and the motion grid of the second in progress, and the grids cover every second with motion.
    @Test func theEndOfAStreamHandsBackTheOpenTrackAndTheSecondInProgress() {
        let renderer = SyntheticRenderer(scene: Self.redWalker)
        var analyzer = CameraAnalyzer(width: 320, height: 180, settings: CameraAnalyticsSettings())
        var seconds: [Int64] = []
        // Cut at 9.4 s: the walker is mid-picture, 9 s is the second in progress.
        for frame in 0...47 {
            let pixels = Self.yuv420p(renderer.render(frame: frame), width: 320, height: 180)
            let analysis = analyzer.process(yuv: pixels, time: 1_000 + Double(frame) / 5, weekday: 3, minute: 600)
            #expect(analysis.finishedTracks.isEmpty, "the walker is still in view at frame \(frame)")
            if let grid = analysis.grid { seconds.append(grid.second) }
        }
        let end = analyzer.finishStream()
        #expect(end.grid?.second == 1_009, "the second in progress, not lost")
        #expect(end.finishedTracks.count == 1 && (end.finishedTracks.first.map { $0.end - $0.start } ?? 0) > 3)
        #expect(seconds.last == 1_008 && seconds.contains(1_005), "earlier seconds came as they ended: \(seconds)")
        #expect(analyzer.finishStream().grid == nil && analyzer.finishStream().finishedTracks.isEmpty, "handed back once")
    }

    @Test func blackShortAndLumaOnlyFramesAreAnsweredNotCrashedOn() {
        var analyzer = CameraAnalyzer(width: 320, height: 180, settings: CameraAnalyticsSettings())
        let black = analyzer.process(yuv: [UInt8](repeating: 0, count: 320 * 180 * 3 / 2), time: 1, weekday: 1, minute: 0)
        #expect(black.motion == .black && black.events.isEmpty)
        let short = analyzer.process(yuv: [UInt8](repeating: 90, count: 1000), time: 2, weekday: 1, minute: 0)
        if case .wrongSize = short.motion {} else { Issue.record("a short buffer is reported as the wrong size, got \(short.motion)") }
        let lumaOnly = analyzer.process(yuv: [UInt8](repeating: 90, count: 320 * 180), time: 3, weekday: 1, minute: 0)
        if case .learning = lumaOnly.motion {} else { Issue.record("a luma-only frame is analysed (learning first), got \(lumaOnly.motion)") }
    }
}
