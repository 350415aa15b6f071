/// What a ``MotionDetector`` made of one frame. Only `analysed` frames have meaningful blobs;
/// every other case leaves the blob list empty and tells the pipeline why.
public enum MotionStatus: Sendable, Hashable {
    /// Foreground found and labelled; the blobs are this frame's.
    case analysed
    /// Still learning the background (after start, a relearn or a resize); `framesLeft` more.
    case learning(framesLeft: Int)
    /// The frame was (almost) black: the background was left alone.
    case black
    /// The picture has not changed for `seconds`: the stream is stalled. The background stops
    /// learning until the picture changes.
    case frozen(seconds: Double)
    /// The whole scene changed brightness by `gain` (frame ÷ background), beyond
    /// ``MotionConfiguration/lightingRange``: the background starts learning again from this frame.
    case relearning(gain: Double)
    /// The frame is `width` × `height`, not the size the detector was made for; nothing was
    /// done. The resolution of a stream can change mid-stream: make a new detector.
    case wrongSize(width: Int, height: Int)
}
