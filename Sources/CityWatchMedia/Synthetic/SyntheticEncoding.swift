/// How a synthetic clip is encoded: H.264 in MP4 as a camera would send it, with a fixed key
/// frame interval and, optionally, B-frames (x264's default; many cameras send none). B-frames
/// matter downstream: a stream with them cannot be stream-copied into MPEG-TS segments.
///
/// `-tune zerolatency` is deliberately not used: it would force B-frames off.
public struct SyntheticEncoding: Sendable, Equatable {
    /// Encode with up to 2 consecutive B-frames (`-bf 2`); false gives I and P frames only.
    public var bFrames: Bool
    /// Seconds between key frames (the GOP), with scene-cut key frames off so it stays regular.
    public var keyframeSeconds: Double
    /// x264 preset.
    public var preset: String

    public init(bFrames: Bool = false, keyframeSeconds: Double = 2, preset: String = "veryfast") {
        self.bFrames = bFrames
        self.keyframeSeconds = keyframeSeconds
        self.preset = preset
    }

    /// Frames between key frames at `fps`.
    public func keyframeInterval(fps: Int) -> Int { max(1, Int((keyframeSeconds * Double(fps)).rounded())) }

    /// ffmpeg's arguments (program not included) to encode `scene`'s raw RGB24 frames, read from
    /// standard input, into the MP4 file at `output`.
    public func encoderArguments(for scene: SyntheticScene, output: String) -> [String] {
        let gop = String(keyframeInterval(fps: scene.fps))
        return ["-hide_banner", "-nostats", "-loglevel", "error", "-y",
                "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "\(scene.width)x\(scene.height)", "-r", String(scene.fps),
                "-i", "pipe:0", "-an",
                "-c:v", "libx264", "-preset", preset, "-g", gop, "-keyint_min", gop, "-sc_threshold", "0",
                "-bf", bFrames ? "2" : "0", "-pix_fmt", "yuv420p",
                "-movflags", "+faststart", "-f", "mp4", output]
    }

    /// ffmpeg's arguments (program not included) to decode the clip at `video` into exactly
    /// `scene.frameCount` raw RGB24 frames of the scene's size and rate on standard output:
    /// looped when shorter than the scene, scaled to cover the frame and cropped to it.
    public static func backgroundDecoderArguments(for scene: SyntheticScene, video: String) -> [String] {
        let size = "\(scene.width):\(scene.height)"
        return ["-hide_banner", "-nostdin", "-nostats", "-loglevel", "error",
                "-stream_loop", "-1", "-i", video, "-an", "-sn",
                "-vf", "fps=\(scene.fps),scale=\(size):force_original_aspect_ratio=increase,crop=\(size),setsar=1",
                "-frames:v", String(scene.frameCount), "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]
    }
}
