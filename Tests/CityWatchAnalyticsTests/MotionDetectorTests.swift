import CityWatchAnalytics
import CityWatchDomain
import CityWatchMedia
import Testing

@Suite("Motion detector")
struct MotionDetectorTests {
    /// Runs `frames` frames of `make(index)` at `fps` and returns the detector and the blob
    /// lists of the analysed frames.
    static func run(_ frames: Int, fps: Double = 10, configuration: MotionConfiguration = MotionConfiguration(),
                    exclusions: [ImagePolygon] = [], make: (Int) -> GrayImage) -> (MotionDetector, [[Blob]]) {
        var detector = MotionDetector(width: 320, height: 180, configuration: configuration, exclusions: exclusions)
        var analysed: [[Blob]] = []
        for index in 0..<frames {
            if detector.process(make(index), time: Double(index) / fps) == .analysed { analysed.append(detector.blobs) }
        }
        return (detector, analysed)
    }

    @Test func movingRectangleOverNoiseGivesOneBlobWhereItIs() throws {
        let (_, analysed) = Self.run(40) { index in
            let box = PixelBox(x: 40 + 3 * max(0, index - 20), y: 60, width: 20, height: 30)
            return AnalyticsFixtures.noisyFrame(frame: index, boxes: index >= 20 ? [(box, 190)] : [])
        }
        let last = try #require(analysed.last)
        #expect(last.count == 1)
        let expected = PixelBox(x: 40 + 3 * 19, y: 60, width: 20, height: 30)
        #expect(AnalyticsFixtures.overlap(last[0].box, expected) >= 0.85)
        #expect(abs(last[0].centroidX - 106.5) < 2 && abs(last[0].centroidY - 74.5) < 2)
    }

    @Test func sensorNoiseAloneGivesNoBlobs() throws {
        let (_, analysed) = Self.run(60) { AnalyticsFixtures.noisyFrame(noise: 12, frame: $0) }
        #expect(analysed.count == 50)
        #expect(analysed.allSatisfy { $0.isEmpty })
    }

    @Test func lightingRampOfTheNightSceneGivesNoBlobs() throws {
        // Dusk over an empty street: brightness falls to a third in 4 s, with sensor noise.
        var scene = try AnalyticsFixtures.scene(.night, duration: 16)
        scene.objects = []
        scene.effects = SceneEffects(noise: 10, lighting: .init(start: 3, end: 7, to: 0.33))
        var detector = MotionDetector(width: 320, height: 180)
        var blobFrames = 0, analysedFrames = 0
        for frame in AnalyticsFixtures.frames(of: scene) where detector.process(frame.image, time: frame.time) == .analysed {
            analysedFrames += 1
            if !detector.blobs.isEmpty { blobFrames += 1 }
        }
        #expect(analysedFrames == scene.frameCount - 10)
        #expect(blobFrames == 0)
        #expect(detector.gain < 0.9)   // still compensating: the background follows slowly
    }

    @Test func cameraShakeOverATexturedSceneGivesNoBlobs() throws {
        // Vertical stripes 4 px wide; the whole picture jumps by up to a pixel each frame.
        let (_, analysed) = Self.run(50) { index in
            var image = GrayImage(width: 320, height: 180)
            let shift = [0, 1, -1, 1, 0, -1][index % 6]
            for row in 0..<180 {
                for column in 0..<320 { image[column, row] = ((column + shift) / 4) % 2 == 0 ? 70 : 170 }
            }
            return image
        }
        #expect(analysed.allSatisfy { $0.isEmpty })
    }

    @Test func stoppedObjectStaysForegroundUntilAbsorbSecondsThenIsTakenIn() throws {
        let configuration = MotionConfiguration(absorbSeconds: 10)
        let bag = PixelBox(x: 150, y: 100, width: 16, height: 14)
        // Empty for 2 s, then the bag is there for good.
        var firstSeen: Int?, lastSeen: Int?
        var detector = MotionDetector(width: 320, height: 180, configuration: configuration)
        for index in 0..<200 {
            let frame = AnalyticsFixtures.noisyFrame(noise: 4, frame: index, boxes: index >= 20 ? [(bag, 40)] : [])
            guard detector.process(frame, time: Double(index) / 10) == .analysed else { continue }
            if detector.blobs.contains(where: { AnalyticsFixtures.overlap($0.box, bag) > 0.8 }) {
                if firstSeen == nil { firstSeen = index }
                lastSeen = index
            }
        }
        #expect(firstSeen == 20)
        // Taken in after 10 s (100 frames at 10 fps), give or take a frame.
        let seenFor = try #require(lastSeen) - 20
        #expect((98...101).contains(seenFor))
        #expect(detector.blobs.isEmpty)
    }

    @Test func excludedPixelsAreNeverForeground() throws {
        let privacy = ImagePolygon(points: [.init(x: 0, y: 0), .init(x: 0.5, y: 0), .init(x: 0.5, y: 1), .init(x: 0, y: 1)])
        let (detector, analysed) = Self.run(30, exclusions: [privacy]) { index in
            let left = PixelBox(x: 40, y: 60, width: 20, height: 30), right = PixelBox(x: 240, y: 60, width: 20, height: 30)
            return AnalyticsFixtures.noisyFrame(frame: index, boxes: index >= 15 ? [(left, 200), (right, 200)] : [])
        }
        let last = try #require(analysed.last)
        #expect(last.count == 1)
        #expect(last.first?.box.x == 240)
        #expect(detector.foreground[100 * 320 + 50] == 0)
    }

    @Test func sameBrightnessButOtherColourIsSeenWithChroma() throws {
        // A green square whose luma equals the gray background's: invisible in luma alone.
        var lumaOnly = MotionDetector(width: 320, height: 180), withColor = MotionDetector(width: 320, height: 180)
        var lumaHits = 0, colorHits = 0
        for index in 0..<40 {
            let image = AnalyticsFixtures.noisyFrame(level: 114, noise: 3, frame: index)
            var color = ColorPlanes(width: 160, height: 90)
            if index >= 15 {
                let left = 20 + 2 * index
                for row in 30..<45 { for column in left..<(left + 12) { color.u[row * 160 + column] = 103; color.v[row * 160 + column] = 75 } }
            }
            let time = Double(index) / 10
            if lumaOnly.process(image, time: time) == .analysed, !lumaOnly.blobs.isEmpty { lumaHits += 1 }
            if withColor.process(image, color: color, time: time) == .analysed, !withColor.blobs.isEmpty { colorHits += 1 }
        }
        #expect(lumaHits == 0)
        #expect(colorHits == 25)
        let blob = try #require(withColor.blobs.first)
        #expect(AnalyticsFixtures.overlap(blob.box, PixelBox(x: 2 * (20 + 78), y: 60, width: 24, height: 30)) >= 0.8)
    }
}
