import CityWatchAnalytics
import CityWatchDomain
import Testing

/// Issue 14's bad input, through a whole detector-led ``CameraAnalyzer``: a clip shorter than the
/// warm-up, a one-frame flash, a person cut by every edge, a crowd of 30 in one blob.
@Suite("Detector-led analysis on bad input")
struct DetectorLedBadInputTests {
    static let width = 320
    static let height = 180
    static let whole = ImagePolygon(points: [ImagePoint(x: 0, y: 0), ImagePoint(x: 1, y: 0), ImagePoint(x: 1, y: 1), ImagePoint(x: 0, y: 1)])

    /// A gray frame of `level` with `box` painted `boxLevel` (luma only: the analyzer takes it).
    static func frame(level: UInt8 = 90, box: PixelBox? = nil, boxLevel: UInt8 = 200) -> [UInt8] {
        var pixels = [UInt8](repeating: level, count: width * height)
        if let box, let inside = box.clipped(toWidth: width, height: height) {
            for row in inside.y..<inside.maxY { for column in inside.x..<inside.maxX { pixels[row * width + column] = boxLevel } }
        }
        return pixels
    }

    static func analyzer(_ rules: AnalyticsRule...) -> CameraAnalyzer {
        CameraAnalyzer(width: width, height: height, settings: CameraAnalyticsSettings(rules: rules), detection: DetectionSchedule())
    }

    /// Runs `frames` at 5 fps, giving the detector's answer (`found` for the region asked) to each
    /// frame a look is due in; returns every event.
    static func run(_ analyzer: inout CameraAnalyzer, frames: [[UInt8]], found: (Int, PixelBox) -> [DetectedObject]) -> [RuleEvent] {
        var events: [RuleEvent] = []
        for (index, pixels) in frames.enumerated() {
            let time = Double(index) / 5
            let look = analyzer.detectionRegion(time: time).map { DetectorLook(region: $0, time: time, objects: found(index, $0)) }
            events += analyzer.process(yuv: pixels, time: time, weekday: 3, minute: 720, look: look).events
        }
        return events
    }

    @Test func aClipShorterThanTheWarmUpStillHasTheDetectorsPeople() {
        // Five frames, half the background's warm-up: motion finds nothing yet, the detector does.
        var analyzer = Self.analyzer(AnalyticsRule(name: "stay", kind: .loitering(zone: Self.whole, seconds: 0.6), coolDownSeconds: 0))
        let person = PixelBox(x: 150, y: 60, width: 20, height: 60)
        let events = Self.run(&analyzer, frames: Array(repeating: Self.frame(box: person), count: 5)) { _, _ in
            [DetectedObject(objectClass: .person, confidence: 0.9, box: person)]
        }
        #expect(events.map(\.kind) == ["loitering"])
        #expect(analyzer.tracker.objects.map(\.objectClass) == [.person])
    }

    @Test func aOneFrameFlashRaisesNothing() {
        var analyzer = Self.analyzer(AnalyticsRule(name: "gate", kind: .intrusion(zone: Self.whole), coolDownSeconds: 0))
        var frames = Array(repeating: Self.frame(), count: 20)
        frames[14] = Self.frame(level: 250)
        let events = Self.run(&analyzer, frames: frames) { _, _ in [] }
        #expect(events.isEmpty, "\(events)")
    }

    @Test func aPersonCutByEveryEdgeCrashesNothingAndIsNoFall() {
        var analyzer = Self.analyzer(AnalyticsRule(name: "fall", kind: .fall(zone: Self.whole, seconds: 0.4), coolDownSeconds: 0))
        let everything = PixelBox(x: -40, y: -30, width: Self.width + 80, height: Self.height + 60)
        let events = Self.run(&analyzer, frames: (0..<20).map { Self.frame(level: $0 < 12 ? 90 : 160) }) { index, _ in
            index >= 12 ? [DetectedObject(objectClass: .person, confidence: 0.9, box: everything)] : []
        }
        #expect(events.isEmpty, "\(events)")
        #expect(analyzer.tracker.objects.allSatisfy { $0.box.width > 0 && $0.box.height > 0 })
    }

    @Test func aCrowdOf30InOneBlobIsCountedFromTheDetector() throws {
        var analyzer = Self.analyzer(AnalyticsRule(name: "crowd", kind: .crowding(zone: Self.whole, count: 20), coolDownSeconds: 0))
        // One blob 200 × 90 from frame 12 (after the warm-up); inside it 30 people, 6 by 5.
        let blob = PixelBox(x: 60, y: 60, width: 200, height: 90)
        let people = (0..<30).map { index in
            PixelBox(x: 62 + (index % 6) * 33, y: 62 + (index / 6) * 17, width: 12, height: 30)
        }
        let events = Self.run(&analyzer, frames: (0..<20).map { $0 < 12 ? Self.frame() : Self.frame(box: blob) }) { index, _ in
            index >= 12 ? people.map { DetectedObject(objectClass: .person, confidence: 0.8, box: $0) } : []
        }
        let crowd = try #require(events.first)
        #expect(events.count == 1)
        #expect(crowd.count == 30, "\(crowd)")
    }
}
