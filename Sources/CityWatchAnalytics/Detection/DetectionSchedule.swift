import CityWatchDomain

/// When and where a camera's person/vehicle detector looks, in the detector-led profile: motion
/// decides where and when, the detector what. While something moves or is followed, it looks
/// every ``activeSeconds`` at the part of the picture around the motion and the tracks (a small
/// crop the network scales up, so small people are found; a large one it looks at at the whole
/// frame's scale, for less than the whole frame — see `ObjectDetector.look`); a new object
/// nobody has named yet is looked at sooner; the whole frame gets a look at least every
/// ``wholeFrameSeconds`` — at the first frame too, and on a picture that always moves — so
/// people standing there since before the camera started, whom motion never shows, are found.
/// Its cost follows activity: a quiet scene costs one run every few seconds, a busy one about
/// one a second. A camera whose rules judge motion between frames (fight) also gets a look
/// every ``learningSeconds`` while the background is learnt and something is followed: motion
/// shows nothing then, and a box held where a look left it would make anyone walking inside it
/// look violent and standing still.
public struct DetectionSchedule: Sendable, Hashable {
    /// Seconds between looks while something moves or is followed.
    public var activeSeconds: Double
    /// Seconds between looks at a picture where nothing moves.
    public var idleSeconds: Double
    /// Seconds after the last look that a confirmed object nobody has named gets one.
    public var newObjectSeconds: Double
    /// Seconds between looks while the background is learnt, when asked for (see `learning`
    /// of ``region(time:tracks:blobs:width:height:learning:)``).
    public var learningSeconds = 0.2
    /// Margin around motion and tracks, as a share of each box's larger side.
    public var margin: Double
    /// At most this many seconds between two looks at the whole frame (0: every look is one).
    public var wholeFrameSeconds: Double
    /// When the detector last looked, if ever.
    public private(set) var lastLook: Double?
    /// When the detector last looked at the whole frame, if ever.
    public private(set) var lastWholeLook: Double?

    public init(activeSeconds: Double = 1, idleSeconds: Double = 4, newObjectSeconds: Double = 0.4, margin: Double = 0.5,
                wholeFrameSeconds: Double = 4) {
        self.activeSeconds = activeSeconds
        self.idleSeconds = idleSeconds
        self.newObjectSeconds = newObjectSeconds
        self.margin = margin
        self.wholeFrameSeconds = wholeFrameSeconds
    }

    /// The region to look at in the frame of `time`, or nil when no look is due. `tracks` and
    /// `blobs` are the state after the previous frame; the look is counted as made. `learning`:
    /// the background is being learnt and the tracks must be measured all the same.
    public mutating func region(time: Double, tracks: [TrackedObject], blobs: [Blob], width: Int, height: Int,
                                learning: Bool = false) -> PixelBox? {
        let frame = PixelBox(x: 0, y: 0, width: width, height: height)
        guard let last = lastLook, time >= last else {
            lastLook = time
            lastWholeLook = time
            return frame
        }
        let since = time - last
        let active = !blobs.isEmpty || tracks.contains { $0.isConfirmed }
        let unnamed = tracks.contains { $0.isConfirmed && $0.objectClass == .unknown && $0.missedFrames == 0 && $0.firstSeen > last }
        // (a millisecond's slack for learning looks: frame times are sums of 1/fps, and 0.6 - 0.4
        // falls just short of 0.2)
        let due = since >= idleSeconds || (active && since >= activeSeconds) || (unnamed && since >= newObjectSeconds)
            || (learning && active && since + 0.001 >= learningSeconds)
        guard due else { return nil }
        lastLook = time
        // (the same millisecond's slack: 4 s of 0.2 s steps may fall just short of 4)
        guard active, let whole = lastWholeLook, time >= whole, time - whole + 0.001 < wholeFrameSeconds else {
            lastWholeLook = time
            return frame
        }
        var left = width, top = height, right = 0, bottom = 0
        func include(_ box: PixelBox) {
            let pad = Int((Double(max(box.width, box.height)) * margin).rounded(.up)) + 4
            left = min(left, box.x - pad)
            top = min(top, box.y - pad)
            right = max(right, box.maxX + pad)
            bottom = max(bottom, box.maxY + pad)
        }
        for blob in blobs { include(blob.box) }
        for track in tracks where track.isConfirmed { include(track.box) }
        guard let union = PixelBox(x: left, y: top, width: right - left, height: bottom - top).clipped(toWidth: width, height: height)
        else {
            lastWholeLook = time
            return frame
        }
        // The network needs some context: never less than a third of the frame each way.
        let least = (width: max(1, width / 3), height: max(1, height / 3))
        var region = union
        if region.width < least.width {
            region.x = min(max(0, region.x - (least.width - region.width) / 2), width - least.width)
            region.width = least.width
        }
        if region.height < least.height {
            region.y = min(max(0, region.y - (least.height - region.height) / 2), height - least.height)
            region.height = least.height
        }
        if region == frame { lastWholeLook = time }
        return region
    }
}
