import CityWatchDomain

/// Detector-led tracking: what a person/vehicle detector found is folded into the tracks built
/// from motion. A detection takes over the track it overlaps (box, class), pieces of that
/// object tracked on their own are fused into it, and a detection no track covers starts a
/// confirmed track at once — so a person present from the first frame, whom the background
/// has learnt and motion never shows, is tracked all the same. Between detector runs the
/// blobs move the tracks, as in the motion-only profile.
extension ObjectTracker {
    /// A detection's fit with a track: overlap, or the track lying mostly inside it.
    struct DetectionFit {
        var score: Double
        var detection: Int
        var track: Int
    }

    /// Folds `look` into the tracks. Call it after ``update(blobs:time:)`` of the frame the
    /// look was taken in or a later one; a late look's boxes are moved on by each track's
    /// velocity to the tracker's time.
    public mutating func apply(_ look: DetectorLook) {
        let now = lastTime ?? look.time
        let lag = max(0, now - look.time)
        let found = look.objects.filter { $0.confidence >= configuration.minimumDetectionConfidence && $0.box.area > 0 }
        var fits: [DetectionFit] = []
        for (d, object) in found.enumerated() {
            for (t, track) in tracks.enumerated() {
                guard Self.compatible(track.objectClass, object.objectClass) else { continue }
                let box = track.box
                let overlap = box.intersectionOverUnion(object.box)
                let inside = Self.coverage(of: box, by: object.box)
                let score = overlap >= 0.2 ? overlap + 1 : (inside >= 0.6 ? inside : 0)
                if score > 0 { fits.append(DetectionFit(score: score, detection: d, track: t)) }
            }
        }
        fits.sort { $0.score > $1.score }
        var trackOf = [Int](repeating: -1, count: found.count)
        var taken = Set<Int>()
        for fit in fits where trackOf[fit.detection] < 0 && !taken.contains(fit.track) {
            trackOf[fit.detection] = fit.track
            taken.insert(fit.track)
        }
        var fused = Set<Int>()
        for (d, object) in found.enumerated() {
            guard trackOf[d] >= 0 else { continue }
            let index = trackOf[d]
            let moved = Self.moved(object.box, by: tracks[index], seconds: lag)
            take(moved, object: object, into: &tracks[index], time: now)
            // Other tracks lying inside the object, of no other class, are pieces of it.
            for other in tracks.indices where other != index && !taken.contains(other) && !fused.contains(other)
                && Self.compatible(tracks[other].objectClass, object.objectClass)
                && Self.coverage(of: tracks[other].box, by: moved) >= 0.6 {
                fused.insert(tracks[other].id)
            }
        }
        if !fused.isEmpty { tracks.removeAll { fused.contains($0.id) } }
        // Tracks the detector looked at and did not name: noted, so they are not asked again at once.
        for index in tracks.indices where tracks[index].lastDetected != now && tracks[index].objectClass == .unknown
            && Self.coverage(of: tracks[index].box, by: look.region) >= 0.8 {
            tracks[index].classifiedAt = now
        }
        for (d, object) in found.enumerated() where trackOf[d] < 0 {
            guard tracks.count < configuration.maximumTracks else { break }
            var track = Track(id: nextID, box: object.box, time: now)
            nextID += 1
            take(object.box, object: object, into: &track, time: now)
            tracks.append(track)
        }
        objects.removeAll(keepingCapacity: true)
        for track in tracks { objects.append(track.report(time: now)) }
    }

    /// Track `track` takes the detector's class at `time`, and its `box` unless a blob of about
    /// the same size placed the track in this frame: two sources that disagree by a few pixels
    /// would make the box jitter (a foot point hopping over a line and back). A blob much
    /// smaller than the detector's box is a piece of the object, and the box is the detector's.
    private func take(_ box: PixelBox, object: DetectedObject, into track: inout Track, time: Double) {
        let placedByBlob = track.measuredAt >= time && track.hits > 1
        if !placedByBlob {
            correct(&track, with: box, time: time)
        } else if Double(track.box.area) < 0.6 * Double(box.area) {
            track.place(box)
            track.measured = box
        }
        track.missedFrames = 0
        track.isConfirmed = true
        track.lastDetected = time
        track.classifiedAt = time
        if object.objectClass == track.objectClass {
            track.classConfidence = max(track.classConfidence, object.confidence)
        } else if track.objectClass == .unknown || object.confidence >= track.classConfidence {
            track.objectClass = object.objectClass
            track.classConfidence = object.confidence
        }
    }

    /// True when a track of class `held` may be the detector's `found`: unnamed tracks may be
    /// anything; a person is never a car, but the detector's vehicle names may change.
    static func compatible(_ held: ObjectClass, _ found: ObjectClass) -> Bool {
        held == .unknown || held == found || (held.isVehicle && found.isVehicle)
            || (held == .bicycle && found == .person) || (held == .person && found == .bicycle)
    }

    /// `box` moved on by `track`'s velocity over `seconds` (a look that arrived late).
    static func moved(_ box: PixelBox, by track: Track, seconds: Double) -> PixelBox {
        guard seconds > 0 else { return box }
        return box.offsetBy(dx: Int((track.velocityX * seconds).rounded()), dy: Int((track.velocityY * seconds).rounded()))
    }
}
