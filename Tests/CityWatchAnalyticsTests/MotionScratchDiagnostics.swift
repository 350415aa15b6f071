import CityWatchAnalytics
import CityWatchDomain
import CityWatchMedia
import Testing

@Suite struct MotionScratchDiagnostics {
    @Test func diagnose() throws {
        let scene = try AnalyticsFixtures.scene(.walkers, fps: 5)
        let truth = SyntheticGroundTruth(scene: scene)
        for o in scene.objects { print("object", o.id, o.color, o.width, o.height, o.appear ?? -1, o.disappear ?? -1) }
        var analyzer = MotionAnalyzer(width: 320, height: 180)
        var missed: [Int: Int] = [:], seen: [Int: Int] = [:]
        for (index, frame) in AnalyticsFixtures.frames(of: scene).enumerated() {
            let a = analyzer.process(frame.image, color: frame.color, time: frame.time)
            guard case .analysed = a.status else { continue }
            let tracks = a.tracks.filter(\.isConfirmed)
            for object in truth.frames[index].objects where object.box.area >= 30 {
                let hit = tracks.contains { AnalyticsFixtures.overlap($0.box, object.box) >= 0.5 }
                if hit { seen[object.trackId, default: 0] += 1 } else { missed[object.trackId, default: 0] += 1 }
            }
            if false {
                print("f\(index) blobs", a.blobs.map { "\($0.box.x),\($0.box.y),\($0.box.width)x\($0.box.height)" })
                for row in 64..<100 {
                    var line = "  \(row) "
                    for col in 280..<320 { line += analyzer.detector.foreground[row * 320 + col] != 0 ? "#" : (frame.image[col, row] != 118 ? "o" : ".") }
                    print(line)
                }
            }
            if tracks.contains(where: { t in !truth.frames[index].objects.contains { AnalyticsFixtures.overlap($0.box, t.box) >= 0.5 } }) {
                print("f\(index) truth:", truth.frames[index].objects.map { "\($0.trackId):\($0.box.x),\($0.box.y),\($0.box.width)x\($0.box.height)" })
                print("      blobs:", a.blobs.map { "\($0.box.x),\($0.box.y),\($0.box.width)x\($0.box.height)" })
                print("      tracks:", tracks.map { "\($0.id):\($0.box.x),\($0.box.y),\($0.box.width)x\($0.box.height) m\($0.missedFrames)" })
            }
        }
        print("seen", seen.sorted { $0.key < $1.key }, "missed", missed.sorted { $0.key < $1.key })
    }
}
