import CityWatchAnalytics
import CityWatchDetection
import CityWatchDomain
import Testing

/// The detector on real footage: OpenCV's vtest.avi (768×576, three people walking across a
/// campus, parked vans and cars at the top right).
@Suite("ObjectDetector on vtest.avi",
       .enabled(if: DetectionFixtures.modelAvailable, "yolox_nano.onnx not found"),
       .enabled(if: DetectionFixtures.videoAvailable, "vtest.avi or ffmpeg not found"))
struct ObjectDetectorTests {
    let width = DetectionFixtures.width
    let height = DetectionFixtures.height
    let fullFrame = PixelBox(x: 0, y: 0, width: DetectionFixtures.width, height: DetectionFixtures.height)

    /// The three people walking in the first frame, located by eye.
    static let walkers = [
        PixelBox(x: 252, y: 220, width: 31, height: 88),
        PixelBox(x: 503, y: 158, width: 28, height: 74),
        PixelBox(x: 643, y: 239, width: 41, height: 83),
    ]

    func detector() throws -> ObjectDetector { try #require(DetectionFixtures.detector) }
    func firstFrame() throws -> [UInt8] { try #require(DetectionFixtures.firstFrameRGB) }

    func persons(_ detections: [Detection]) -> [Detection] {
        detections.filter { $0.objectClass == .person }
    }

    /// True when some person box overlaps `expected` by IoU 0.5 or more.
    func isFound(_ expected: PixelBox, among detections: [Detection]) -> Bool {
        persons(detections).contains { iou($0.box, expected) >= 0.5 }
    }

    func iou(_ a: PixelBox, _ b: PixelBox) -> Double {
        let shared = a.intersection(b)?.area ?? 0
        return Double(shared) / Double(a.area + b.area - shared)
    }

    @Test func findsTheThreeWalkersInTheFirstFrameAsUprightPersonBoxes() throws {
        let found = try detector().detect(pixels: firstFrame(), width: width, height: height, channels: 3)
        let people = persons(found)
        #expect((3...8).contains(people.count), "found \(people.count) persons: \(people)")
        for walker in Self.walkers {
            #expect(isFound(walker, among: found), "no person box at \(walker); found \(people.map(\.box))")
        }
        for detection in found {
            #expect(detection.box.clipped(toWidth: width, height: height) == detection.box, "\(detection) leaves the frame")
            #expect(detection.score >= 0.35 && detection.score <= 1)
        }
        for person in people {
            #expect(person.box.height > person.box.width, "person box \(person.box) is not taller than wide")
        }
    }

    @Test func findsTheParkedVehiclesAtTheTopRight() throws {
        let found = try detector().detect(pixels: firstFrame(), width: width, height: height, channels: 3)
        let vehicles = found.filter { $0.objectClass.isVehicle }
        #expect(!vehicles.isEmpty)
        for vehicle in vehicles {
            #expect(vehicle.box.x > width / 2 && vehicle.box.maxY < height / 4, "unexpected vehicle \(vehicle)")
        }
    }

    @Test func findsTheWalkersInTheSameFrameInGray() throws {
        let gray = try #require(DetectionFixtures.firstFrameGray)
        let found = try detector().detect(pixels: gray, width: width, height: height, channels: 1)
        #expect((3...8).contains(persons(found).count), "found \(persons(found))")
        for walker in Self.walkers {
            #expect(isFound(walker, among: found), "no person box at \(walker) in gray; found \(persons(found).map(\.box))")
        }
    }

    @Test func regionOnTheLeftHalfOnlyReturnsBoxesInsideThatHalf() throws {
        let leftHalf = PixelBox(x: 0, y: 0, width: width / 2, height: height)
        let found = try detector().detect(pixels: firstFrame(), width: width, height: height, channels: 3, region: leftHalf)
        #expect(!found.isEmpty)
        for detection in found {
            #expect(detection.box.clipped(toWidth: leftHalf.width, height: leftHalf.height) == detection.box,
                    "\(detection) is outside the left half")
        }
        #expect(isFound(Self.walkers[0], among: found))
    }

    @Test func smallRegionAroundOneWalkerGivesItsBoxInFullFramePixels() throws {
        let walker = Self.walkers[2]
        let around = PixelBox(x: walker.x - 60, y: walker.y - 40, width: 160, height: 160)
        let found = try detector().detect(pixels: firstFrame(), width: width, height: height, channels: 3, region: around)
        #expect(isFound(walker, among: found), "found \(found) in \(around)")
        #expect(persons(found).allSatisfy { around.intersection($0.box) == $0.box })
    }

    @Test func aWideBandAcrossTheWalkersFindsEachOfThemInsideIt() throws {
        // 768×200: the network sees it as 416×128 (no grey band below it), at the whole
        // frame's scale.
        let band = PixelBox(x: 0, y: 140, width: width, height: 200)
        #expect(ObjectDetector.inputSize(width: band.width, height: band.height) == (416, 128))
        let found = try detector().detect(pixels: firstFrame(), width: width, height: height, channels: 3, region: band)
        for walker in Self.walkers {
            #expect(isFound(walker, among: found), "no person box at \(walker) in \(band); found \(persons(found).map(\.box))")
        }
        #expect(found.allSatisfy { band.intersection($0.box) == $0.box }, "a box leaves \(band): \(found)")
    }

    @Test func aLargeRegionAtTheFramesScaleFindsWhatTheWholeFrameFindsInIt() throws {
        // Two thirds of the frame, the band the walkers cross: at the frame's scale its input is
        // 416×224 instead of the whole frame's 416×320, and the people are as large as there.
        let band = PixelBox(x: 0, y: 100, width: width, height: 380)
        #expect(ObjectDetector.inputSize(width: band.width, height: band.height, scaleSide: width) == (416, 224))
        let whole = try detector().detect(pixels: firstFrame(), width: width, height: height, channels: 3)
        let banded = try detector().detect(pixels: firstFrame(), width: width, height: height, channels: 3, region: band, scaleSide: width)
        for walker in Self.walkers {
            #expect(isFound(walker, among: banded), "no person box at \(walker) in \(band); found \(persons(banded).map(\.box))")
        }
        let inside = persons(whole).filter { band.intersection($0.box) == $0.box }
        #expect(!inside.isEmpty)
        for person in inside {
            #expect(persons(banded).contains { iou($0.box, person.box) >= 0.7 }, "\(person.box) of the whole frame not found in the band")
        }
        #expect(banded.allSatisfy { band.intersection($0.box) == $0.box }, "a box leaves \(band): \(banded)")
    }

    @Test func aLookTakesALargeRegionAtTheFramesScaleAndFillsTheInputWithASmallOne() throws {
        // Luma only (a frame without chroma is looked at in gray), so `detect` on the same pixels
        // is what the look must have run.
        let gray = try #require(DetectionFixtures.firstFrameGray)
        let detector = try detector()
        // 640×380 of 768×576: over half the frame, narrower than it (so the two scales differ).
        let band = PixelBox(x: 100, y: 100, width: 640, height: 380)
        let look = detector.look(yuv: gray, width: width, height: height, region: band, time: 7)
        #expect(look.region == band && look.time == 7)
        let atFrameScale = try detector.detect(pixels: gray, width: width, height: height, channels: 1, region: band, scaleSide: width)
        let filled = try detector.detect(pixels: gray, width: width, height: height, channels: 1, region: band)
        let found = { (detections: [Detection]) in detections.map { "\($0.box) \($0.score)" } }
        #expect(found(atFrameScale) != found(filled), "the two scales found the same: the test cannot tell them apart")
        #expect(look.objects.map { "\($0.box) \(Float($0.confidence))" } == found(atFrameScale))
        let walker = Self.walkers[2]
        let around = PixelBox(x: walker.x - 60, y: walker.y - 40, width: 160, height: 160)
        let small = detector.look(yuv: gray, width: width, height: height, region: around, time: 8)
        let smallFilled = try detector.detect(pixels: gray, width: width, height: height, channels: 1, region: around)
        #expect(small.objects.map { "\($0.box) \(Float($0.confidence))" } == found(smallFilled))
    }

    @Test func paddedRowsGiveTheSameDetectionsAsPackedRows() throws {
        let frame = try firstFrame()
        let rowBytes = width * 3, stride = rowBytes + 32
        var padded = [UInt8](repeating: 0xAB, count: stride * height)
        for row in 0..<height {
            padded[(row * stride)..<(row * stride + rowBytes)] = frame[(row * rowBytes)..<((row + 1) * rowBytes)]
        }
        let packed = try detector().detect(pixels: frame, width: width, height: height, channels: 3)
        let strided = try detector().detect(pixels: padded, width: width, height: height, channels: 3, rowStride: stride)
        #expect(strided == packed)
    }

    @Test func higherMinimumScoreKeepsOnlyTheSurerDetections() throws {
        let frame = try firstFrame()
        let loose = try detector().detect(pixels: frame, width: width, height: height, channels: 3, minimumScore: 0.2)
        let strict = try detector().detect(pixels: frame, width: width, height: height, channels: 3, minimumScore: 0.7)
        #expect(strict.count < loose.count)
        #expect(strict.allSatisfy { $0.score >= 0.7 })
        #expect(loose.map(\.score) == loose.map(\.score).sorted(by: >), "detections are not best first")
    }

    @Test func everyOneOfTheFirstFiveFramesHasTheWalkers() throws {
        let frameBytes = width * height * 3
        let frames = try DetectionFixtures.decodeFrames(count: 5)
        for index in 0..<5 {
            let found = try frames.withUnsafeBufferPointer { all in
                try detector().detect(pixels: UnsafeBufferPointer(rebasing: all[(index * frameBytes)..<((index + 1) * frameBytes)]),
                                      width: width, height: height, channels: 3)
            }
            #expect((3...8).contains(persons(found).count), "frame \(index): \(persons(found))")
        }
    }

    @Test func concurrentCallersOnOneDetectorGetTheSameAnswer() async throws {
        let detector = try detector()
        let frame = try firstFrame()
        let (width, height) = (width, height)
        let expected = try detector.detect(pixels: frame, width: width, height: height, channels: 3)
        let answers = try await withThrowingTaskGroup(of: [Detection].self) { group in
            for _ in 0..<4 {
                group.addTask { try detector.detect(pixels: frame, width: width, height: height, channels: 3) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers.count == 4)
        #expect(answers.allSatisfy { $0 == expected })
    }
}
