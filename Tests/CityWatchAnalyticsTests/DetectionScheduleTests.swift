import CityWatchAnalytics
import CityWatchDomain
import Testing

/// When and where the detector-led profile looks: the whole frame first, around motion and
/// tracks while something moves (a large region as it is, no longer widened to the frame), the
/// whole frame again at least every `wholeFrameSeconds` even on a picture that always moves.
@Suite("DetectionSchedule")
struct DetectionScheduleTests {
    static let width = 320, height = 240
    static let frame = PixelBox(x: 0, y: 0, width: width, height: height)

    /// A walker whose blob moves every frame, so the picture is never still.
    static func blob(at time: Double) -> Blob {
        let box = PixelBox(x: 20 + Int(time * 10), y: 100, width: 12, height: 36)
        return Blob(box: box, area: 300, centroidX: Double(box.x + 6), centroidY: 118)
    }

    /// The regions asked for in `seconds` of 5 fps frames, with `tracks` and `blobs` of each time.
    static func looks(_ schedule: inout DetectionSchedule, seconds: Double, tracks: (Double) -> [TrackedObject] = { _ in [] },
                      blobs: (Double) -> [Blob]) -> [(time: Double, region: PixelBox)] {
        var looks: [(time: Double, region: PixelBox)] = []
        for step in 0..<Int(seconds * 5) {
            let time = Double(step) / 5
            if let region = schedule.region(time: time, tracks: tracks(time), blobs: blobs(time), width: width, height: height) {
                looks.append((time, region))
            }
        }
        return looks
    }

    @Test func theFirstLookIsTheWholeFrameThenAroundTheMotionOnceASecond() throws {
        var schedule = DetectionSchedule()
        let looks = Self.looks(&schedule, seconds: 3) { [Self.blob(at: $0)] }
        #expect(looks.map(\.time) == [0, 1, 2])
        #expect(looks[0].region == Self.frame)
        for look in looks.dropFirst() {
            #expect(look.region != Self.frame, "look at \(look.time) s was the whole frame")
            let blob = Self.blob(at: look.time - 0.2).box
            #expect(look.region.intersection(blob) == blob, "look \(look.region) misses the walker at \(blob)")
        }
    }

    @Test func aRegionOverHalfTheFrameIsNoLongerWidenedToIt() throws {
        // Walkers spread across the picture's width and most of its height: the region around
        // them covers most of the frame but not its top and bottom rows.
        var schedule = DetectionSchedule()
        let spread = [
            Blob(box: PixelBox(x: 10, y: 60, width: 16, height: 40), area: 400, centroidX: 18, centroidY: 80),
            Blob(box: PixelBox(x: 290, y: 130, width: 16, height: 40), area: 400, centroidX: 298, centroidY: 150),
        ]
        let looks = Self.looks(&schedule, seconds: 1.2) { _ in spread }
        let region = try #require(looks.last { $0.time == 1 }?.region)
        #expect(Double(region.area) > 0.5 * Double(Self.frame.area), "\(region)")
        #expect(region != Self.frame)
        #expect(region.y > 0 && region.maxY < Self.height, "\(region) should leave the top and bottom out")
    }

    @Test func aPictureThatAlwaysMovesStillGetsAWholeFrameLookEveryFourSeconds() throws {
        var schedule = DetectionSchedule()
        let looks = Self.looks(&schedule, seconds: 10) { [Self.blob(at: $0)] }
        #expect(looks.count == 10)
        let whole = looks.filter { $0.region == Self.frame }.map(\.time)
        #expect(whole == [0, 4, 8], "whole-frame looks at \(whole)")
        var often = DetectionSchedule(wholeFrameSeconds: 2)
        #expect(Self.looks(&often, seconds: 10) { [Self.blob(at: $0)] }.filter { $0.region == Self.frame }.map(\.time) == [0, 2, 4, 6, 8])
    }

    @Test func theEveryFrameBaselineLooksAtTheWholeFrameEveryFrame() throws {
        var schedule = DetectionSchedule(activeSeconds: 0, idleSeconds: 0, newObjectSeconds: 0, wholeFrameSeconds: 0)
        let looks = Self.looks(&schedule, seconds: 2) { [Self.blob(at: $0)] }
        #expect(looks.count == 10)
        #expect(looks.allSatisfy { $0.region == Self.frame })
    }

    @Test func aStillPictureGetsAWholeFrameLookEveryIdleInterval() throws {
        var schedule = DetectionSchedule()
        let looks = Self.looks(&schedule, seconds: 9) { _ in [] }
        #expect(looks.map(\.time) == [0, 4, 8])
        #expect(looks.allSatisfy { $0.region == Self.frame })
    }
}
