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
///
/// **Camera passwords never go on the command line**, which every local user can read (`ps`,
/// `/proc/PID/cmdline`), and Debian's ffmpeg 5.1 cannot read options from a file. A stream
/// with credentials is opened through the concat demuxer instead: a one-entry ffconcat script
/// (``inputScripts``, to be written mode 0600 in the camera's runtime folder) holds the URL with
/// the credentials and the input's options (`option rtsp_transport tcp`, `option timeout …`),
/// and the command line names only the script. Checked against ffmpeg 5.1 and an RTSP server
/// that requires a password: the same packets and timestamps as the URL given directly, the
/// options applied (a bad value fails the open), and a stream that drops ends the process as
/// before, so the supervisor reconnects it. A stream without credentials is opened directly.
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
    /// Folder the input scripts of a stream with credentials go to (the camera's runtime folder,
    /// readable by CityWatch's user alone).
    public var scriptFolder: String

    /// An ffconcat script holding one input's URL with its credentials, which the process reads
    /// instead of finding the URL on its command line.
    public struct InputScript: Sendable, Equatable {
        public var path: String
        /// `ffconcat version 1.0`, the `file` line and the input's `option` lines.
        public var text: String
        /// The URL as messages may show it (credentials hidden), for ffmpeg's messages naming the script.
        public var shownAs: String
    }

    public init(stream: CameraStream, segmentFolder: String, segmentList: String, framePipe: String, livePipe: String,
                segmentSeconds: Int = 60, frames: FrameFormat = FrameFormat(), analysisFrames: Bool = true, timeoutSeconds: Int = 10,
                scriptFolder: String) {
        self.stream = stream
        self.segmentFolder = segmentFolder
        self.segmentList = segmentList
        self.framePipe = framePipe
        self.livePipe = livePipe
        self.segmentSeconds = segmentSeconds
        self.frames = frames
        self.analysisFrames = analysisFrames
        self.timeoutSeconds = timeoutSeconds
        self.scriptFolder = scriptFolder
    }

    /// The segment file name pattern (UTC start time, to the second).
    public static let segmentPattern = "%Y%m%dT%H%M%SZ.mp4"

    /// The arguments: no credentials (a stream with credentials is read from ``inputScripts``).
    public var arguments: [String] { build(redacted: false) }

    /// The arguments as a log shows them: each input as its URL with the credentials hidden.
    public var redactedArguments: [String] { build(redacted: true) }

    /// The scripts to write before the process starts: one per input that has credentials.
    public var inputScripts: [InputScript] {
        inputs.compactMap { name, url in
            guard Self.scripted(url, stream) else { return nil }
            let options = Self.networkOptions(url, timeoutSeconds: timeoutSeconds).map { "option \($0.name) \($0.value)" }
            let text = (["ffconcat version 1.0", "file \(Self.quoted(stream.urlWithCredentials(url)))"] + options).joined(separator: "\n") + "\n"
            return InputScript(path: scriptPath(name), text: text, shownAs: CameraStream.redact(stream.urlWithCredentials(url)))
        }
    }

    /// The inputs by name: the main stream, and the sub stream when it is read.
    private var inputs: [(name: String, url: String)] {
        var inputs = [(name: "main", url: stream.mainURL)]
        if let sub = stream.subURL, analysisFrames { inputs.append((name: "sub", url: sub)) }
        return inputs
    }

    private func scriptPath(_ name: String) -> String {
        (scriptFolder as NSString).appendingPathComponent("input-\(name).ffconcat")
    }

    /// True when `url` has credentials to keep off the command line.
    private static func scripted(_ url: String, _ stream: CameraStream) -> Bool {
        CameraStream.kind(of: url).map { $0 != .file } == true && !(stream.username ?? "").isEmpty
    }

    /// The options of a network input, as `-name value` on a command line or `option name
    /// value` in a script.
    private static func networkOptions(_ url: String, timeoutSeconds: Int) -> [(name: String, value: String)] {
        let timeout = "\(timeoutSeconds * 1_000_000)"
        switch CameraStream.kind(of: url) {
        case .rtsp: return [("rtsp_transport", "tcp"), ("timeout", timeout)]
        case .http: return [("rw_timeout", timeout), ("reconnect", "1"), ("reconnect_streamed", "1")]
        case .file, nil: return []
        }
    }

    /// `text` as one ffconcat token: single-quoted, a quote as `'\''`, control characters
    /// (which would end the directive) percent-encoded.
    static func quoted(_ text: String) -> String {
        var out = "'"
        for scalar in text.unicodeScalars {
            switch scalar {
            case "'": out += "'\\''"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += String(format: "%%%02X", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "'"
    }

    /// Protocols a scripted input may use (the concat demuxer allows only local files unless told).
    static let networkProtocols = "file,crypto,data,rtsp,rtsps,rtp,srtp,tcp,udp,tls,http,https,httpproxy"

    private func build(redacted: Bool) -> [String] {
        var args = ["-hide_banner", "-nostdin", "-loglevel", "warning", "-nostats"]
        args += input(stream.mainURL, name: "main", redacted: redacted)
        let analysisInput: String
        if let sub = stream.subURL, analysisFrames {
            args += input(sub, name: "sub", redacted: redacted)
            analysisInput = "1:v:0"
        } else {
            analysisInput = "0:v:0"
        }
        // Each fragment (one per keyframe) is written out as it ends (`flush_packets`): otherwise
        // the segment muxer holds 256 KiB, many seconds of a quiet camera, and the segment being
        // written could not be read for the moments just recorded (search thumbnails).
        args += [
            "-map", "0:v:0", "-c", "copy", "-an", "-sn", "-dn",
            "-f", "segment", "-segment_time", "\(segmentSeconds)", "-segment_format", "mp4",
            "-segment_format_options", "movflags=+frag_keyframe+empty_moov+default_base_moof:flush_packets=1",
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

    private func input(_ url: String, name: String, redacted: Bool) -> [String] {
        let genpts = CameraStream.kind(of: url) == .rtsp ? ["-fflags", "+genpts"] : []
        if Self.scripted(url, stream) {
            // The options travel in the script, to the input it opens; `-auto_convert 0` keeps
            // the packets exactly as the camera sent them (stream copy).
            return ["-f", "concat", "-safe", "0", "-auto_convert", "0", "-protocol_whitelist", Self.networkProtocols] + genpts
                + ["-i", redacted ? CameraStream.redact(stream.urlWithCredentials(url)) : scriptPath(name)]
        }
        switch CameraStream.kind(of: url) {
        case .rtsp, .http:
            return Self.networkOptions(url, timeoutSeconds: timeoutSeconds).flatMap { ["-\($0.name)", $0.value] } + genpts + ["-i", url]
        case .file, nil:
            let path = url.hasPrefix("file://") ? String(url.dropFirst("file://".count)) : url
            return (stream.loop ? ["-re", "-stream_loop", "-1"] : ["-re"]) + ["-i", path]
        }
    }
}
