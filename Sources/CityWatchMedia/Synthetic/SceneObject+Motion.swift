import CityWatchDomain
extension SceneObject {
    /// True when the object exists at `time` (between its appear and disappear times); it may
    /// still be outside the frame.
    public func isPresent(at time: Double) -> Bool {
        if let appear, time < appear { return false }
        if let disappear, time >= disappear { return false }
        return true
    }

    /// The ground point at `time`: linear between the keyframes around it, the first keyframe's
    /// before the path starts and the last one's after it ends.
    public func groundPoint(at time: Double) -> (x: Double, y: Double) {
        guard let first = path.first else { return (0, 0) }
        if time <= first.time { return (first.x, first.y) }
        var previous = first
        for keyframe in path.dropFirst() {
            if time < keyframe.time {
                let span = keyframe.time - previous.time
                let fraction = span > 0 ? (time - previous.time) / span : 1
                return (previous.x + (keyframe.x - previous.x) * fraction, previous.y + (keyframe.y - previous.y) * fraction)
            }
            previous = keyframe
        }
        return (previous.x, previous.y)
    }

    /// The box size at `time`: the latest posture that has started, else the object's own.
    public func size(at time: Double) -> (width: Int, height: Int) {
        var size = (width: width, height: height)
        for posture in postures where posture.time <= time { size = (posture.width, posture.height) }
        return size
    }

    /// The object's box at `time` in scene coordinates (not clipped to the frame, camera shake
    /// not applied), or nil when the object is not present.
    public func box(at time: Double) -> PixelBox? {
        guard isPresent(at: time) else { return nil }
        let point = groundPoint(at: time)
        let size = size(at: time)
        let left = Int((point.x - Double(size.width) / 2).rounded())
        let top = Int(point.y.rounded()) - size.height
        return PixelBox(x: left, y: top, width: size.width, height: size.height)
    }
}
