import CityWatchAnalytics
import CityWatchDomain
import Testing

@Suite("Object tracker")
struct TrackerTests {
    /// A blob filling `box`.
    static func blob(_ box: PixelBox) -> Blob {
        Blob(box: box, area: box.area, centroidX: Double(box.x) + Double(box.width) / 2, centroidY: Double(box.y) + Double(box.height) / 2)
    }

    @Test func trackIsConfirmedAfterThreeHitsWithVelocityInPixelsPerSecond() {
        var tracker = ObjectTracker(width: 320, height: 180)
        var reported: [TrackedObject] = []
        for frame in 0..<5 {
            reported = tracker.update(blobs: [Self.blob(PixelBox(x: 50 + 4 * frame, y: 80, width: 12, height: 30))], time: Double(frame) / 10)
            #expect(reported.first?.isConfirmed == (frame >= 2))
        }
        #expect(reported.count == 1)
        #expect(reported[0].id == 1)
        #expect(abs(reported[0].velocityX - 40) < 1 && abs(reported[0].velocityY) < 0.01)
    }

    @Test func twoPeopleCrossingKeepTheirIDs() {
        // One walks right at 40 px/s, the other left; for several frames they are one blob.
        var tracker = ObjectTracker(width: 320, height: 180)
        var idOfRightWalker: Int?, idOfLeftWalker: Int?
        for frame in 0..<60 {
            let time = Double(frame) / 10
            let a = PixelBox(x: 60 + 4 * frame, y: 80, width: 12, height: 30)
            let b = PixelBox(x: 280 - 4 * frame, y: 84, width: 12, height: 30)
            let blobs = a.intersection(b.offsetBy(dx: -2, dy: 0)) != nil || abs(a.x - b.x) < 14
                ? [Self.blob(PixelBox(x: min(a.x, b.x), y: 80, width: max(a.maxX, b.maxX) - min(a.x, b.x), height: 34))]
                : [Self.blob(a), Self.blob(b)]
            let tracks = tracker.update(blobs: blobs, time: time).filter(\.isConfirmed)
            guard frame >= 3 else { continue }
            let right = tracks.first { AnalyticsFixtures.overlap($0.box, a) >= 0.5 }
            let left = tracks.first { AnalyticsFixtures.overlap($0.box, b) >= 0.5 }
            #expect(right != nil && left != nil, "frame \(frame): \(tracks)")
            if frame == 3 { idOfRightWalker = right?.id; idOfLeftWalker = left?.id }
            #expect(right?.id == idOfRightWalker && left?.id == idOfLeftWalker, "frame \(frame)")
        }
        #expect(idOfRightWalker != idOfLeftWalker)
    }

    @Test func shortOcclusionIsCoastedWithTheSameID() {
        var tracker = ObjectTracker(width: 320, height: 180)
        var ids = Set<Int>()
        for frame in 0..<40 {
            let box = PixelBox(x: 40 + 5 * frame, y: 70, width: 14, height: 34)
            let hidden = (15..<25).contains(frame)   // behind a pole for 1 s
            let tracks = tracker.update(blobs: hidden ? [] : [Self.blob(box)], time: Double(frame) / 10).filter(\.isConfirmed)
            if frame >= 3 {
                #expect(tracks.count == 1)
                if let track = tracks.first {
                    ids.insert(track.id)
                    #expect(AnalyticsFixtures.overlap(track.box, box) >= 0.6)
                    #expect(track.missedFrames == (hidden ? frame - 14 : 0))
                }
            }
        }
        #expect(ids.count == 1)
    }

    @Test func lostTrackIsDroppedAfterMaximumMissedSecondsAndIDsAreNeverReused() {
        var tracker = ObjectTracker(width: 320, height: 180)
        let box = PixelBox(x: 100, y: 70, width: 14, height: 34)
        for frame in 0..<5 { tracker.update(blobs: [Self.blob(box)], time: Double(frame) / 10) }
        tracker.update(blobs: [], time: 1.5)
        #expect(tracker.objects.count == 1)
        tracker.update(blobs: [], time: 2.1)
        #expect(tracker.objects.isEmpty)
        let again = tracker.update(blobs: [Self.blob(box)], time: 2.2)
        #expect(again.first?.id == 2)
    }

    @Test func stillObjectCountsStillSecondsAndMovingOneDoesNot() {
        var tracker = ObjectTracker(width: 320, height: 180)
        var last: [TrackedObject] = []
        for frame in 0..<50 {
            let jitter = frame % 2   // a pixel of noise in the box
            let still = PixelBox(x: 200 + jitter, y: 100, width: 16, height: 14)
            let walker = PixelBox(x: 20 + 3 * frame, y: 40, width: 12, height: 30)
            last = tracker.update(blobs: [Self.blob(still), Self.blob(walker)], time: Double(frame) / 10)
        }
        let still = last.first { $0.box.x >= 195 }, walker = last.first { $0.box.x < 195 }
        #expect(abs((still?.stillSeconds ?? 0) - 4.9) < 0.01)
        #expect(walker?.stillSeconds == 0)
    }

    @Test func detectorIsOfferedOnlyUnclassifiedMovingTracks() {
        var tracker = ObjectTracker(width: 320, height: 180)
        for frame in 0..<4 {
            tracker.update(blobs: [Self.blob(PixelBox(x: 20 + 3 * frame, y: 40, width: 12, height: 30)),
                                   Self.blob(PixelBox(x: 200, y: 100, width: 30, height: 20))], time: Double(frame) / 10)
        }
        var awaiting: [TrackedObject] = []
        tracker.tracksAwaitingClass(into: &awaiting)
        #expect(awaiting.map(\.id).sorted() == [1, 2])
        tracker.classify(trackID: 1, as: .person, confidence: 0.9)
        tracker.classify(trackID: 2, as: .unknown, confidence: 0)   // looked, found nothing
        tracker.tracksAwaitingClass(into: &awaiting)
        #expect(awaiting.isEmpty)
        #expect(tracker.object(id: 1)?.objectClass == .person)
        // A weaker, different opinion does not overturn a confident one.
        tracker.classify(trackID: 1, as: .bicycle, confidence: 0.5)
        #expect(tracker.object(id: 1)?.objectClass == .person)
        // After the reclassify interval the unnamed one is offered again; the named one is settled.
        tracker.update(blobs: [Self.blob(PixelBox(x: 32, y: 40, width: 12, height: 30)), Self.blob(PixelBox(x: 200, y: 100, width: 30, height: 20))], time: 6)
        tracker.tracksAwaitingClass(into: &awaiting)
        #expect(awaiting.map(\.id) == [2])
    }
}
