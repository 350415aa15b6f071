import CityWatchDomain

/// Matching blobs to tracks, correcting matched tracks, following merged ones, dropping lost
/// ones. Runs on the tracker's scratch arrays: no allocation once their capacity is reached.
extension ObjectTracker {
    /// `blobUse` value of a blob no track took.
    static let unused = -1
    /// `blobUse` value of a blob that is the merge of several tracks.
    static let merged = -2
    /// `trackBlob` value of a track found to be a piece of an older one: it is dropped.
    static let fused = -3

    /// Fills `trackBlob` (the blob of each track, or -1) and `blobUse` (the track of each blob,
    /// `unused` or `merged`).
    mutating func associate(_ blobs: [Blob]) {
        trackBlob.removeAll(keepingCapacity: true)
        blobUse.removeAll(keepingCapacity: true)
        for _ in tracks { trackBlob.append(-1) }
        for _ in blobs { blobUse.append(Self.unused) }

        // Merges: a blob covering most of two or more confirmed tracks' predicted boxes.
        for (blobIndex, blob) in blobs.enumerated() {
            var covered = 0
            for track in tracks where track.isConfirmed && Self.coverage(of: track.box, by: blob.box) >= configuration.mergeCoverage {
                covered += 1
            }
            guard covered >= 2 else { continue }
            var members = 0, oldest = -1
            for (trackIndex, track) in tracks.enumerated() where trackBlob[trackIndex] == -1 && track.isConfirmed
                && Self.coverage(of: track.box, by: blob.box) >= configuration.mergeCoverage {
                // Pieces of one object (born together, moving together) are fused into the
                // oldest piece rather than followed as a merge — unless the detector found both
                // as objects of their own (people standing together in a crowd).
                let bothDetected = oldest >= 0 && tracks[oldest].lastDetected != nil && track.lastDetected != nil
                if oldest >= 0 && !bothDetected && Self.arePieces(tracks[oldest], track) {
                    trackBlob[trackIndex] = Self.fused
                    continue
                }
                if oldest < 0 { oldest = trackIndex }
                trackBlob[trackIndex] = blobIndex
                members += 1
            }
            if members >= 2 {
                blobUse[blobIndex] = Self.merged
            } else if oldest >= 0 {
                trackBlob[oldest] = -1   // a single object after all: matched below like any other
            }
        }

        // Candidates within the gate, cheapest first (insertion sort: the list is short and
        // sorting in place must not allocate).
        candidates.removeAll(keepingCapacity: true)
        for (trackIndex, track) in tracks.enumerated() where trackBlob[trackIndex] == -1 {
            let predicted = track.box
            let gate = configuration.gateFactor * max(track.width, track.height) + 2
            for (blobIndex, blob) in blobs.enumerated() where blobUse[blobIndex] == Self.unused {
                let overlap = Self.overlap(predicted, blob.box)
                let dx = Double(blob.box.x) + Double(blob.box.width) / 2 - track.centerX
                let dy = Double(blob.box.y) + Double(blob.box.height) / 2 - track.centerY
                let distance = (dx * dx + dy * dy).squareRoot()
                guard overlap >= configuration.minimumOverlap || distance <= gate else { continue }
                let sizeRatio = Double(max(1, blob.box.area)) / max(1, track.width * track.height)
                let sizeMismatch = min(2, max(sizeRatio, 1 / sizeRatio) - 1)   // 0 for equal areas
                let cost = (1 - overlap) + distance / gate + 0.25 * sizeMismatch
                candidates.append(Candidate(cost: cost, track: trackIndex, blob: blobIndex))
            }
        }
        var sorted = 1
        while sorted < candidates.count {
            let item = candidates[sorted]
            var slot = sorted
            while slot > 0 && candidates[slot - 1].cost > item.cost {
                candidates[slot] = candidates[slot - 1]
                slot -= 1
            }
            candidates[slot] = item
            sorted += 1
        }
        for candidate in candidates where trackBlob[candidate.track] == -1 && blobUse[candidate.blob] == Self.unused {
            trackBlob[candidate.track] = candidate.blob
            blobUse[candidate.blob] = candidate.track
        }
    }

    /// A matched track takes the blob's box; its velocity moves toward the measured one, taken
    /// from an edge that is not cut by the frame border when one is (an object entering or
    /// leaving grows or shrinks from one side only).
    func correct(_ track: inout Track, with box: PixelBox, time: Double) {
        let span = time - track.lastSeen
        if span > 0 {
            let measuredX = Self.edgeMotion(from: track.measured.x, track.measured.maxX, to: box.x, box.maxX, limit: width) / span
            let measuredY = Self.edgeMotion(from: track.measured.y, track.measured.maxY, to: box.y, box.maxY, limit: height) / span
            let weight = track.hits == 1 ? 1 : configuration.velocitySmoothing
            track.velocityX += weight * (measuredX - track.velocityX)
            track.velocityY += weight * (measuredY - track.velocityY)
        }
        track.place(box)
        track.measured = box
        track.measuredAt = time
        track.hits += 1
        track.missedFrames = 0
        track.lastSeen = time
        if track.hits >= configuration.confirmHits { track.isConfirmed = true }
    }

    /// A matched track takes the blob's box, unless the detector found the track lately and the
    /// blob is less than half its box: then the blob is a piece of it (a hand, the legs below a
    /// table), and the track only counts as seen where the detector put it.
    func correct(_ track: inout Track, withBlob box: PixelBox, time: Double) {
        guard track.isDetected(within: configuration.detectionHoldSeconds, of: time), box.area * 2 < track.box.area else {
            correct(&track, with: box, time: time)
            return
        }
        track.missedFrames = 0
        track.lastSeen = time
        track.velocityX *= 0.5
        track.velocityY *= 0.5
    }

    /// A track inside a merge keeps its predicted box and velocity, only pushed back inside the
    /// merged blob if it drifted out. It counts as seen: the blob is partly it.
    func followInsideMerge(_ track: inout Track, merge: PixelBox, time: Double) {
        var box = track.box
        box.x = box.width >= merge.width ? merge.x + (merge.width - box.width) / 2 : min(max(box.x, merge.x), merge.maxX - box.width)
        box.y = box.height >= merge.height ? merge.y + (merge.height - box.height) / 2 : min(max(box.y, merge.y), merge.maxY - box.height)
        track.centerX = Double(box.x) + track.width / 2
        track.centerY = Double(box.y) + track.height / 2
        track.measured = box
        track.missedFrames = 0
        track.lastSeen = time
    }

    /// Drops tentative tracks missed too often, confirmed ones missed too long, and any unseen
    /// track whose predicted box is mostly out of the picture.
    mutating func removeLostTracks(time: Double) {
        let frameWidth = width, frameHeight = height, settings = configuration
        tracks.removeAll { track in
            guard track.missedFrames > 0 else { return false }
            if track.missedFrames == Int.max { return true }   // fused into an older track
            if !track.isConfirmed && track.missedFrames > settings.tentativeMissedFrames { return true }
            // A person standing still makes no motion: the detector's finding keeps the track.
            let hold = track.lastDetected == nil ? settings.maximumMissedSeconds : max(settings.maximumMissedSeconds, settings.detectionHoldSeconds)
            if time - track.lastSeen > hold { return true }
            let box = track.box
            let visible = box.clipped(toWidth: frameWidth, height: frameHeight)?.area ?? 0
            return visible * 2 < box.area
        }
    }

    /// True when two tracks look like pieces of one object: born within a second of each other
    /// and moving at nearly the same velocity.
    static func arePieces(_ a: Track, _ b: Track) -> Bool {
        guard abs(a.firstSeen - b.firstSeen) <= 1 else { return false }
        let dvx = a.velocityX - b.velocityX, dvy = a.velocityY - b.velocityY
        let speed = max(a.velocityX * a.velocityX + a.velocityY * a.velocityY, b.velocityX * b.velocityX + b.velocityY * b.velocityY).squareRoot()
        let tolerance = 0.2 * speed + 5
        return dvx * dvx + dvy * dvy <= tolerance * tolerance
    }

    /// Intersection over union of two boxes.
    static func overlap(_ a: PixelBox, _ b: PixelBox) -> Double {
        a.intersectionOverUnion(b)
    }

    /// The share of `box` that lies inside `other`.
    static func coverage(of box: PixelBox, by other: PixelBox) -> Double {
        guard box.area > 0, let common = box.intersection(other) else { return 0 }
        return Double(common.area) / Double(box.area)
    }

    /// How far an interval moved along one axis: by its far edge when its near edge is cut by
    /// the frame (at 0), by its near edge when the far one is (at `limit`), else by its middle.
    static func edgeMotion(from low: Int, _ high: Int, to newLow: Int, _ newHigh: Int, limit: Int) -> Double {
        let cutLow = low <= 0 || newLow <= 0
        let cutHigh = high >= limit || newHigh >= limit
        if cutLow && !cutHigh { return Double(newHigh - high) }
        if cutHigh && !cutLow { return Double(newLow - low) }
        return Double(newLow + newHigh - low - high) / 2
    }
}
