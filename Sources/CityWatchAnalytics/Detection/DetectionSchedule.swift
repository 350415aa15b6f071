import CityWatchDomain

/// When and where a camera's person/vehicle detector looks, in the detector-led profile: motion
/// decides where and when, the detector what. While something moves or is followed, it looks
/// every ``activeSeconds`` at the part of the picture around the motion and the tracks (a crop
/// the network scales up, so small people are found); a new object nobody has named yet is
/// looked at sooner; a still picture gets a look at the whole frame every ``idleSeconds`` —
/// at the first frame too — so people standing there since before the camera started are
/// found although motion never shows them. Its cost follows activity: a quiet scene costs one
/// run every few seconds, a busy one about one a second. A camera whose rules judge motion
/// between frames (fight) also gets a look every ``learningSeconds`` while the background is
/// learnt and something is followed: motion shows nothing then, and a box held where a look
/// left it would make anyone walking inside it look violent and standing still.
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
    /// A region covering more than this share of the frame is widened to the whole frame.
    public var wholeFrameShare: Double
    /// When the detector last looked, if ever.
    public private(set) var lastLook: Double?

    public init(activeSeconds: Double = 1, idleSeconds: Double = 4, newObjectSeconds: Double = 0.4, margin: Double = 0.5,
                wholeFrameShare: Double = 0.5) {
        self.activeSeconds = activeSeconds
        self.idleSeconds = idleSeconds
        self.newObjectSeconds = newObjectSeconds
        self.margin = margin
        self.wholeFrameShare = wholeFrameShare
    }

    /// The region to look at in the frame of `time`, or nil when no look is due. `tracks` and
    /// `blobs` are the state after the previous frame; the look is counted as made. `learning`:
    /// the background is being learnt and the tracks must be measured all the same.
    public mutating func region(time: Double, tracks: [TrackedObject], blobs: [Blob], width: Int, height: Int,
                                learning: Bool = false) -> PixelBox? {
        let frame = PixelBox(x: 0, y: 0, width: width, height: height)
        guard let last = lastLook, time >= last else {
            lastLook = time
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
        guard active else { return frame }
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
        else { return frame }
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
        return Double(region.area) > wholeFrameShare * Double(frame.area) ? frame : region
    }
}
