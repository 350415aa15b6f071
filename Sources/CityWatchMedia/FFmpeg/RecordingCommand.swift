import CityWatchDomain
import Foundation

/// The ffmpeg command line of one camera: one process reads the camera once and writes
/// three outputs, so the camera sees a single client whatever CityWatch does with its video.
///
/// 1. **Recording**: the main stream's video, stream-copied (no transcoding) into fixed-length
///    fragmented-MP4 segments. Fragmented MP4 rather than MPEG-TS because it records H.264 with
///    B-frames, which MPEG-TS stream copy refuses ("first pts and dts value must be set"), and
///    because a segment cut short by a crash keeps every fragment written before it (the
///    header comes first, `empty_moov`), so it stays playable. Audio is never mapped: the law
///    forbids recording sound.
/// 2. **Analysis frames**: small yuv420p frames (default 320×180 at 5 fps) from the sub stream when there
///    is one, as raw bytes on a pipe.
/// 3. **Live**: the main stream's video, stream-copied into a fragmented-MP4 byte stream on a
///    pipe with short fragments, fanned out to every viewer by the live hub.
public struct RecordingCommand: Sendable, Equatable {
    /// Analysis frame geometry and rate.
    public struct FrameFormat: Sendable, Equatable {
        public var width: Int
        public var height: Int
        public var fps: Int

        public init(width: Int = 320, height: Int = 180, fps: Int = 5) {
            self.width = width
            self.height = height
            self.fps = fps
        }

        /// Bytes of one frame: yuv420p, the full-size luma plane then the two chroma planes at
        /// half size each way. Analytics work on the luma; the chroma gives objects a colour.
        public var frameBytes: Int { width * height + 2 * ((width + 1) / 2) * ((height + 1) / 2) }

        /// ffmpeg's video filter that makes these frames from any picture: resampled to the rate,
        /// stretched to the size (the picture's aspect is not kept), planar 4:2:0. Tests that
        /// replay a clip offline use it to see what analytics see.
        public var filter: String { "fps=\(fps),scale=\(width):\(height),format=yuv420p" }
    }

    public var stream: CameraStream
    /// Folder the segments go to.
    public var segmentFolder: String
    /// The CSV list ffmpeg appends a line to when it closes a segment.
    public var segmentList: String
    /// Where the analysis frames go (a FIFO).
    public var framePipe: String
    /// Where the live fragmented MP4 goes (a FIFO).
    public var livePipe: String
    /// Segment length in seconds.
    public var segmentSeconds: Int
    public var frames: FrameFormat
    /// Emit analysis frames (off: record and serve live only, which needs no decoding).
    public var analysisFrames: Bool
    /// Network read timeout in seconds (a camera that never answers fails after this).
    public var timeoutSeconds: Int

    public init(stream: CameraStream, segmentFolder: String, segmentList: String, framePipe: String, livePipe: String,
                segmentSeconds: Int = 60, frames: FrameFormat = FrameFormat(), analysisFrames: Bool = true, timeoutSeconds: Int = 10) {
        self.stream = stream
        self.segmentFolder = segmentFolder
        self.segmentList = segmentList
        self.framePipe = framePipe
        self.livePipe = livePipe
        self.segmentSeconds = segmentSeconds
        self.frames = frames
        self.analysisFrames = analysisFrames
        self.timeoutSeconds = timeoutSeconds
    }

    /// The segment file name pattern (UTC start time, to the second).
    public static let segmentPattern = "%Y%m%dT%H%M%SZ.mp4"

    /// The arguments, with credentials in the URLs: for the process only, never for logs.
    public var arguments: [String] { build(redacted: false) }

    /// The arguments with credentials hidden, for logs and error messages.
    public var redactedArguments: [String] { build(redacted: true) }

    private func build(redacted: Bool) -> [String] {
        var args = ["-hide_banner", "-nostdin", "-loglevel", "warning", "-nostats"]
        args += input(stream.mainURL, redacted: redacted)
        let analysisInput: String
        if let sub = stream.subURL, analysisFrames {
            args += input(sub, redacted: redacted)
            analysisInput = "1:v:0"
        } else {
            analysisInput = "0:v:0"
        }
        args += [
            "-map", "0:v:0", "-c", "copy", "-an", "-sn", "-dn",
            "-f", "segment", "-segment_time", "\(segmentSeconds)", "-segment_format", "mp4",
            "-segment_format_options", "movflags=+frag_keyframe+empty_moov+default_base_moof",
            "-reset_timestamps", "1", "-strftime", "1",
            "-segment_list", segmentList, "-segment_list_type", "csv", "-segment_list_flags", "+live",
            (segmentFolder as NSString).appendingPathComponent(Self.segmentPattern),
        ]
        if analysisFrames {
            args += [
                "-map", analysisInput, "-an", "-sn", "-dn",
                "-vf", frames.filter,
                "-f", "rawvideo", "-y", framePipe,
            ]
        }
        args += [
            "-map", "0:v:0", "-c", "copy", "-an", "-sn", "-dn",
            "-f", "mp4", "-movflags", "frag_keyframe+empty_moov+default_base_moof", "-frag_duration", "200000",
            "-y", livePipe,
        ]
        return args
    }

    private func input(_ url: String, redacted: Bool) -> [String] {
        let address = redacted ? CameraStream.redact(stream.urlWithCredentials(url)) : stream.urlWithCredentials(url)
        let timeout = "\(timeoutSeconds * 1_000_000)"
        switch CameraStream.kind(of: url) {
        case .rtsp:
            return ["-rtsp_transport", "tcp", "-timeout", timeout, "-fflags", "+genpts", "-i", address]
        case .http:
            return ["-rw_timeout", timeout, "-reconnect", "1", "-reconnect_streamed", "1", "-i", address]
        case .file, nil:
            let path = url.hasPrefix("file://") ? String(url.dropFirst("file://".count)) : url
            return (stream.loop ? ["-re", "-stream_loop", "-1"] : ["-re"]) + ["-i", path]
        }
    }
}
