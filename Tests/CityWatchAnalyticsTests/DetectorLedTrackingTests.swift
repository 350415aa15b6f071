import CityWatchAnalytics
import CityWatchDomain
import Testing

@Suite("Detector-led tracking")
struct DetectorLedTrackingTests {
    static func person(_ box: PixelBox, _ confidence: Double = 0.8) -> DetectedObject {
        DetectedObject(objectClass: .person, confidence: confidence, box: box)
    }

    static func look(_ objects: [DetectedObject], at time: Double, width: Int = 320, height: Int = 240) -> DetectorLook {
        DetectorLook(region: PixelBox(x: 0, y: 0, width: width, height: height), time: time, objects: objects)
    }

    @Test func aPersonTheDetectorFindsIsAConfirmedNamedTrackAtOnceWithoutMotion() {
        var tracker = ObjectTracker(width: 320, height: 240)
        tracker.update(blobs: [], time: 0)
        tracker.apply(Self.look([Self.person(PixelBox(x: 120, y: 20, width: 40, height: 120))], at: 0))
        #expect(tracker.objects.count == 1)
        #expect(tracker.objects[0].isConfirmed && tracker.objects[0].objectClass == .person)
        // Standing still, no motion: the finding holds the track between looks a second apart.
        for frame in 1...10 {
            let time = Double(frame) / 5
            tracker.update(blobs: [], time: time)
            if frame % 5 == 0 { tracker.apply(Self.look([Self.person(PixelBox(x: 121, y: 20, width: 40, height: 120))], at: time)) }
            #expect(tracker.objects.count == 1, "frame \(frame)")
        }
        #expect(tracker.objects[0].id == 1)
    }

    @Test func withoutAFindingAStillTrackEndsAsInTheMotionOnlyProfile() {
        var tracker = ObjectTracker(width: 320, height: 240)
        tracker.update(blobs: [], time: 0)
        tracker.apply(Self.look([Self.person(PixelBox(x: 120, y: 20, width: 40, height: 120))], at: 0))
        for frame in 1...20 { tracker.update(blobs: [], time: Double(frame) / 5) }
        #expect(tracker.objects.isEmpty)
    }

    @Test func theDetectorsBoxReplacesAPredictedOneWhenNoBlobPlacedTheTrack() {
        // A person falling: found upright, then lying lower down, with no blob in between
        // (the background has learnt them). The track takes the lying box, not its prediction.
        var tracker = ObjectTracker(width: 320, height: 240)
        tracker.update(blobs: [], time: 0)
        tracker.apply(Self.look([Self.person(PixelBox(x: 120, y: 0, width: 80, height: 240))], at: 0))
        tracker.update(blobs: [], time: 1)
        tracker.apply(Self.look([Self.person(PixelBox(x: 118, y: 131, width: 89, height: 107))], at: 1))
        // A foot moving: a blob far smaller than the person, which marks the track seen only.
        tracker.update(blobs: [TrackerTests.blob(PixelBox(x: 150, y: 200, width: 12, height: 10))], time: 2)
        tracker.apply(Self.look([Self.person(PixelBox(x: 97, y: 160, width: 105, height: 79), 0.62)], at: 2))
        #expect(tracker.objects.count == 1)
        #expect(tracker.objects.first?.box == PixelBox(x: 97, y: 160, width: 105, height: 79), "\(tracker.objects)")
    }

    @Test func piecesOfADetectedPersonStartNoTracksAndDoNotShrinkIt() {
        var tracker = ObjectTracker(width: 320, height: 240)
        let body = PixelBox(x: 100, y: 40, width: 40, height: 120)
        tracker.update(blobs: [], time: 0)
        tracker.apply(Self.look([Self.person(body)], at: 0))
        // A hand and the legs move for a second: blobs inside the person, far smaller.
        for frame in 1...5 {
            let time = Double(frame) / 5
            let hand = PixelBox(x: 130 + frame % 2, y: 80, width: 8, height: 6)
            let legs = PixelBox(x: 104, y: 130, width: 30, height: 28 + frame % 2)
            tracker.update(blobs: [TrackerTests.blob(hand), TrackerTests.blob(legs)], time: time)
        }
        #expect(tracker.objects.count == 1, "\(tracker.objects)")
        #expect(tracker.objects.first?.box == body)
        #expect(tracker.objects.first?.missedFrames == 0)
    }

    @Test func aTrackOfMotionPiecesIsFusedIntoThePersonFoundAroundIt() {
        var tracker = ObjectTracker(width: 320, height: 240)
        // Two pieces of one walker, tracked on their own before any look.
        for frame in 0..<4 {
            let time = Double(frame) / 5
            tracker.update(blobs: [TrackerTests.blob(PixelBox(x: 100 + 3 * frame, y: 40, width: 30, height: 50)),
                                   TrackerTests.blob(PixelBox(x: 104 + 3 * frame, y: 120, width: 22, height: 40))], time: time)
        }
        #expect(tracker.objects.filter(\.isConfirmed).count == 2)
        tracker.apply(Self.look([Self.person(PixelBox(x: 108, y: 38, width: 36, height: 124))], at: 0.6))
        #expect(tracker.objects.count == 1, "\(tracker.objects)")
        #expect(tracker.objects.first?.objectClass == .person)
    }

    @Test func weakFindingsAreIgnoredAndAVehicleNeverBecomesAPerson() {
        var tracker = ObjectTracker(width: 320, height: 240)
        tracker.update(blobs: [], time: 0)
        tracker.apply(Self.look([Self.person(PixelBox(x: 10, y: 10, width: 20, height: 60), 0.2),
                                 DetectedObject(objectClass: .car, confidence: 0.9, box: PixelBox(x: 200, y: 150, width: 80, height: 50))], at: 0))
        #expect(tracker.objects.map(\.objectClass) == [.car])
        tracker.update(blobs: [], time: 0.2)
        tracker.apply(Self.look([Self.person(PixelBox(x: 200, y: 150, width: 80, height: 50), 0.95)], at: 0.2))
        #expect(Set(tracker.objects.map(\.objectClass)) == [.car, .person])
        #expect(tracker.objects.count == 2)
    }
}
