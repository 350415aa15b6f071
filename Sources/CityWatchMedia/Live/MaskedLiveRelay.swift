#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging

/// A camera's live video with its privacy masks blacked out, for viewers whose role may not see
/// behind them.
///
/// One ffmpeg runs only while someone watches: it reads the camera's live fragmented MP4 from
/// the camera's ``LiveHub`` (no second connection to the camera), draws the masks in
/// (``PrivacyMaskFilter``), encodes H.264 (x264 ultrafast, zero latency, a keyframe every 2 s)
/// and writes fragmented MP4 into a hub of its own, so all masked viewers of a camera share one
/// transcode. It stops `linger` after the last viewer leaves, and starts over when the camera's
/// stream restarts (a new initialisation segment) or the transcoder fails.
/// Cost: about 15 % of a core per 1280×720 25 fps camera while watched (BENCHMARKS.md).
public actor MaskedLiveRelay {
    /// Why one run of the transcoder ended.
    enum End: Sendable {
        case idle, sourceRestarted, transcoderEnded, stalled, failed
    }

    /// The masked stream, as the viewers receive it.
    public nonisolated let output = LiveHub()
    /// The ffmpeg filter that draws the masks.
    public nonisolated let filter: String
    let source: LiveHub
    let folder: String
    let tools: MediaTools
    let linger: Duration
    let logger: Logger
    private var supervisor: Task<Void, Never>?
    private var stopped = false
    /// Transcoder starts so far.
    public private(set) var starts = 0

    /// A relay of `source` through `filter`; its FIFOs live in `folder`.
    public init(source: LiveHub, filter: String, folder: String, tools: MediaTools = MediaTools(),
                linger: Duration = .seconds(15), logger: Logger = Logger(label: "citywatch.masked-live")) {
        self.source = source
        self.filter = filter
        self.folder = folder
        self.tools = tools
        self.linger = linger
        self.logger = logger
    }

    /// True while a transcoder runs (or is being restarted) for viewers.
    public var isRunning: Bool { supervisor != nil }

    /// Runs `body` with the masked stream (see ``LiveHub/watch(_:)``), starting the transcoder
    /// if it is not running; the viewer is counted until `body` returns.
    public nonisolated func watch<Result>(_ body: (AsyncStream<LiveHub.Message>) async throws -> Result) async rethrows -> Result {
        try await output.watch { stream in
            await startIfNeeded()
            return try await body(stream)
        }
    }

    /// Starts the transcoder unless it runs (it finds the viewer already counted).
    private func startIfNeeded() {
        if supervisor == nil, !stopped {
            supervisor = Task { await self.supervise() }
        }
    }

    /// Stops the transcoder for good and ends every viewer's stream.
    public func stop() async {
        stopped = true
        let running = supervisor
        running?.cancel()
        await running?.value
        output.finishAll()
    }

    private func supervise() async {
        while !Task.isCancelled {
            let end = await runOnce()
            // Decided on the actor with no suspension before clearing: a viewer who arrived
            // meanwhile keeps the transcoder. With nobody watching, however it ended (idle, or a
            // stall or crash after the last viewer left), it is not started again for nobody.
            if output.viewerCount == 0 || Task.isCancelled { break }
            if end != .idle, end != .sourceRestarted {
                logger.warning("masked live transcoder ended; restarting", metadata: ["reason": "\(end)"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
        supervisor = nil
    }

    private func runOnce() async -> End {
        starts += 1
        output.reset()
        let inPath = (folder as NSString).appendingPathComponent("masked-in.fifo")
        let outPath = (folder as NSString).appendingPathComponent("masked-out.fifo")
        let input: Int32
        let reader: PipeReader
        let process: MediaProcess
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try PipeReader.makeFIFO(at: inPath)
            try PipeReader.makeFIFO(at: outPath)
            // Read-write: opening never waits for the reader, and writing never raises SIGPIPE.
            input = open(inPath, O_RDWR | O_NONBLOCK | O_CLOEXEC)
            guard input >= 0 else { throw MediaFailure(operation: "open \(inPath)", status: errno, message: String(cString: strerror(errno))) }
            _ = fcntl(input, 1031 /* F_SETPIPE_SZ */, Int32(1 << 20))
            reader = try PipeReader(path: outPath) { [output] bytes in output.ingest(bytes) }
            do {
                process = try MediaProcess(path: tools.ffmpeg, arguments: Self.arguments(filter: filter, output: outPath),
                                           standardInputPath: inPath)
            } catch {
                reader.stop()
                close(input)
                throw error
            }
        } catch {
            logger.error("masked live transcoder could not start", metadata: ["error": "\(error)"])
            return .failed
        }
        let end = await withTaskGroup(of: End.self) { group in
            group.addTask { [source] in await Self.feed(from: source, into: input) }
            group.addTask { [output, linger] in await Self.watch(process, output: output, linger: linger) }
            let first = await group.next() ?? .failed
            group.cancelAll()
            return first
        }
        process.terminate()
        for _ in 0..<20 where process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
        process.forceKill()
        if end == .transcoderEnded {
            logger.warning("masked live ffmpeg ended", metadata: ["stderr": "\(process.standardErrorTail.suffix(3).joined(separator: " | "))"])
        }
        reader.stop()
        close(input)
        return end
    }

    /// The transcoder's command line: fragmented MP4 in on standard input, masked fragmented
    /// MP4 out to `output`.
    static func arguments(filter: String, output: String) -> [String] {
        ["-hide_banner", "-loglevel", "error", "-nostats", "-fflags", "nobuffer", "-f", "mov", "-i", "pipe:0",
         "-map", "0:v:0", "-an", "-sn", "-dn", "-vf", "\(filter),format=yuv420p",
         "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-crf", "23",
         "-force_key_frames", "expr:gte(t,n_forced*2)",
         "-f", "mp4", "-movflags", "frag_keyframe+empty_moov+default_base_moof", "-frag_duration", "200000",
         "-y", output]
    }

    /// Copies the camera's live stream into the transcoder until the stream restarts or the
    /// transcoder stops taking it.
    private static func feed(from source: LiveHub, into fd: Int32) async -> End {
        await source.watch { messages in
            var initialised = false
            for await message in messages {
                switch message {
                case .initialization(let bytes, _):
                    // A second header: the camera's process restarted, or this feed fell behind
                    // and was resynchronised. Either way the transcoder must start over.
                    if initialised { return .sourceRestarted }
                    initialised = true
                    guard await write(bytes, to: fd) else { return .stalled }
                case .fragment(let bytes):
                    guard await write(bytes, to: fd) else { return .stalled }
                }
            }
            return .sourceRestarted
        }
    }

    /// Writes all of `bytes` to the non-blocking `fd`; false when it takes no bytes for 3 s.
    private static func write(_ bytes: [UInt8], to fd: Int32) async -> Bool {
        var offset = 0
        var waits = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if count > 0 {
                offset += count
                waits = 0
                continue
            }
            if count < 0, errno != EAGAIN, errno != EINTR { return false }
            waits += 1
            if waits > 150 || Task.isCancelled { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    /// Returns when the transcoder exits, or when nobody has watched for `linger`.
    private static func watch(_ process: MediaProcess, output: LiveHub, linger: Duration) async -> End {
        let clock = ContinuousClock()
        var idleSince: ContinuousClock.Instant?
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(250))
            if !process.isRunning { return .transcoderEnded }
            if output.viewerCount > 0 {
                idleSince = nil
            } else if let since = idleSince {
                if since.duration(to: clock.now) >= linger { return .idle }
            } else {
                idleSince = clock.now
            }
        }
        return .idle
    }
}
