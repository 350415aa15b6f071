import CityWatchDomain

/// Follows one camera's blobs from frame to frame as ``TrackedObject``s with stable ids.
///
/// Each frame: every track is moved by its constant velocity; a blob that covers two or more
/// confirmed tracks is taken as their merge (people crossing), and those tracks go on by
/// prediction inside it, so no one swaps ids; the other blobs are matched to tracks greedily by
/// a cost of overlap, centre distance and size; unmatched confirmed tracks coast on prediction
/// for up to ``TrackerConfiguration/maximumMissedSeconds`` (or until they leave the picture);
/// unmatched blobs start tentative tracks, confirmed after ``TrackerConfiguration/confirmHits``.
/// Ids grow from 1 and are never reused, even across ``reset(width:height:)``.
///
/// Budget: ≤ 20 µs per frame for a few dozen tracks and blobs (release, one core). Buffers keep
/// their capacity, so ``update(blobs:time:)`` allocates nothing once warmed up, as long as the
/// caller does not keep the returned array across the next update.
public struct ObjectTracker: Sendable {
    /// How it associates and when it gives up.
    public let configuration: TrackerConfiguration
    /// Columns of the frames the blobs come from.
    public private(set) var width: Int
    /// Rows of the frames the blobs come from.
    public private(set) var height: Int
    /// Every track after the last update, tentative ones included (see
    /// ``TrackedObject/isConfirmed``), oldest first.
    public internal(set) var objects: [TrackedObject] = []

    var tracks: [Track] = []
    var nextID = 1
    var lastTime: Double?
    /// Association scratch, kept between frames for its capacity.
    var candidates: [Candidate] = []
    var trackBlob: [Int] = []
    var blobUse: [Int] = []

    /// A possible track–blob pairing and its cost (lower is better).
    struct Candidate: Sendable {
        var cost: Double
        var track: Int
        var blob: Int
    }

    /// A tracker for blobs of `width` × `height` frames.
    public init(width: Int, height: Int, configuration: TrackerConfiguration = TrackerConfiguration()) {
        self.width = width
        self.height = height
        self.configuration = configuration
        let capacity = max(1, configuration.maximumTracks)
        tracks.reserveCapacity(capacity)
        objects.reserveCapacity(capacity)
        candidates.reserveCapacity(capacity * 4)
        trackBlob.reserveCapacity(capacity)
        blobUse.reserveCapacity(capacity * 2)
    }

    /// Drops every track (the picture changed size, or the camera moved); later ids still
    /// continue from the last one given.
    public mutating func reset(width: Int, height: Int) {
        self.width = width
        self.height = height
        tracks.removeAll(keepingCapacity: true)
        objects.removeAll(keepingCapacity: true)
        lastTime = nil
    }

    /// Advances every track to `time` (seconds, the detector's clock) with this frame's blobs
    /// and returns the tracks, as ``objects`` also holds them.
    @discardableResult
    public mutating func update(blobs: [Blob], time: Double) -> [TrackedObject] {
        let elapsed = lastTime.map { max(0, time - $0) } ?? 0
        lastTime = time
        for index in tracks.indices {
            tracks[index].centerX += tracks[index].velocityX * elapsed
            tracks[index].centerY += tracks[index].velocityY * elapsed
        }
        associate(blobs)
        var index = 0
        while index < tracks.count {
            let blob = trackBlob[index]
            if blob >= 0 && blobUse[blob] == Self.merged {
                followInsideMerge(&tracks[index], merge: blobs[blob].box, time: time)
            } else if blob >= 0 {
                correct(&tracks[index], withBlob: blobs[blob].box, time: time)
            } else if blob == Self.fused {
                tracks[index].missedFrames = Int.max   // removed below
            } else {
                tracks[index].missedFrames += 1
            }
            tracks[index].updateStillness(time: time, radius: configuration.stillRadius)
            index += 1
        }
        removeLostTracks(time: time)
        for (blobIndex, blob) in blobs.enumerated() where blobUse[blobIndex] == Self.unused {
            guard tracks.count < configuration.maximumTracks else { break }
            if isPieceOfDetected(blob.box, time: time) { continue }
            tracks.append(Track(id: nextID, blob: blob, time: time))
            nextID += 1
        }
        objects.removeAll(keepingCapacity: true)
        for track in tracks { objects.append(track.report(time: time)) }
        return objects
    }

    /// True when `box` lies mostly inside the box of a track a detector found lately: a piece
    /// of that object, not an object of its own.
    func isPieceOfDetected(_ box: PixelBox, time: Double) -> Bool {
        tracks.contains { $0.isDetected(within: configuration.detectionHoldSeconds, of: time) && Self.coverage(of: box, by: $0.box) >= 0.6 }
    }

    /// Names what track `trackID` is, as a detector found it; a weaker opinion than the one
    /// held is ignored unless it agrees. `.unknown` with confidence 0 records that the detector
    /// looked and found nothing, so the track is not offered again too soon.
    public mutating func classify(trackID: Int, as objectClass: ObjectClass, confidence: Double) {
        guard let index = tracks.firstIndex(where: { $0.id == trackID }) else { return }
        tracks[index].classifiedAt = lastTime ?? 0
        if objectClass == tracks[index].objectClass {
            tracks[index].classConfidence = max(tracks[index].classConfidence, confidence)
        } else if objectClass != .unknown, confidence >= tracks[index].classConfidence {
            tracks[index].objectClass = objectClass
            tracks[index].classConfidence = confidence
        }
        if let reported = objects.firstIndex(where: { $0.id == trackID }) {
            objects[reported].objectClass = tracks[index].objectClass
        }
    }

    /// Replaces `result` with the confirmed tracks seen in the last frame that a detector
    /// should look at: never classified, or not confidently and not for
    /// ``TrackerConfiguration/reclassifySeconds``. Run a detector on their boxes only.
    public func tracksAwaitingClass(into result: inout [TrackedObject]) {
        result.removeAll(keepingCapacity: true)
        let now = lastTime ?? 0
        for track in tracks where track.isConfirmed && track.missedFrames == 0 {
            guard track.classConfidence < configuration.confidentClass else { continue }
            if let last = track.classifiedAt, now - last < configuration.reclassifySeconds { continue }
            result.append(track.report(time: now))
        }
    }

    /// The track `trackID`'s report after the last update, if it is still followed.
    public func object(id trackID: Int) -> TrackedObject? {
        objects.first { $0.id == trackID }
    }
}
