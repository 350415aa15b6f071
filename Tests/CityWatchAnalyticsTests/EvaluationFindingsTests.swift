import CityWatchAnalytics
import CityWatchDomain
import Testing

/// Two faults `citywatch eval` found on its synthetic set, pinned down on hand-made frames.
@Suite("Findings of the accuracy evaluation")
struct EvaluationFindingsTests {
    /// A 320×180 frame of `level` with a block of `blockLevel` where `block` says.
    func frame(_ level: Double, block: PixelBox? = nil, blockLevel: Double = 0) -> GrayImage {
        var image = GrayImage(width: 320, height: 180, value: UInt8(level.rounded()))
        if let block {
            for row in block.y..<block.maxY {
                for column in block.x..<block.maxX { image.pixels[row * 320 + column] = UInt8(blockLevel.rounded()) }
            }
        }
        return image
    }

    @Test func personWhoStoodThroughDuskLeavesNoGhostWhenWalkingOff() {
        var detector = MotionDetector(width: 320, height: 180)
        let person = PixelBox(x: 150, y: 80, width: 16, height: 44)
        var time = 0.0
        for _ in 0..<15 { _ = detector.process(frame(140), time: time); time += 0.2 }   // warm-up, then empty ground
        // Someone stands for 12 s while the light falls to 55 % over 4 s.
        for step in 0..<60 {
            let light = 1 - 0.45 * min(1, max(0, Double(step - 10) / 20))
            var picture = frame(140 * light, block: person, blockLevel: 40 * light)
            picture.pixels[0] &+= UInt8(step % 2)   // never byte-identical: a frozen picture is another story
            _ = detector.process(picture, time: time)
            time += 0.2
        }
        #expect(!detector.blobs.isEmpty)
        // They leave: the uncovered ground must not show up as foreground.
        for _ in 0..<5 { _ = detector.process(frame(140 * 0.55), time: time); time += 0.2 }
        #expect(detector.blobs.isEmpty)
    }

    @Test func stillBoxOnAShakingCameraCountsStillSeconds() {
        var tracker = ObjectTracker(width: 320, height: 180)
        var last: [TrackedObject] = []
        // One pixel of shake: the box moves by up to two pixels on both axes between frames.
        let offsets = [(0, 0), (2, 1), (0, 2), (2, 2), (1, 0)]
        for frame in 0..<30 {
            let (dx, dy) = offsets[frame % offsets.count]
            let box = PixelBox(x: 130 + dx, y: 136 + dy, width: 16, height: 12)
            let blob = Blob(box: box, area: box.area, centroidX: Double(box.x) + 8, centroidY: Double(box.y) + 6)
            last = tracker.update(blobs: [blob], time: Double(frame) / 5)
        }
        #expect((last.first?.stillSeconds ?? 0) > 5)
    }
}
