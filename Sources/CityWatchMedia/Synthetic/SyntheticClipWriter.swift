import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Makes synthetic camera clips: renders a scene's frames and pipes them through a real ffmpeg
/// (libx264) into `NAME.mp4`, then writes `NAME.truth.json` beside it. Scenes with a video
/// background get a second ffmpeg decoding the clip into raw frames on a pipe.
///
/// All blocking work — the children's pipes and waiting for them to exit — runs on a dedicated
/// `Thread`, bridged with a checked continuation, so it never holds one of Swift concurrency's
/// few cooperative threads. Cancelling the calling task stops the children.
public struct SyntheticClipWriter: Sendable {
    /// Where ffmpeg is.
    public var tools: MediaTools
    /// How to encode.
    public var encoding: SyntheticEncoding

    public init(tools: MediaTools = MediaTools(), encoding: SyntheticEncoding = SyntheticEncoding()) {
        self.tools = tools
        self.encoding = encoding
    }

    /// Writes `directory/NAME.mp4` and `directory/NAME.truth.json` for `scene` (NAME defaults to
    /// the scene's name), creating the folder and replacing files of those names. The MP4 appears
    /// only once complete. Throws ``SyntheticSceneError`` for a bad scene or a missing background
    /// clip, ``SyntheticClipFailure`` when ffmpeg fails, `CancellationError` when cancelled.
    public func write(_ scene: SyntheticScene, to directory: URL, name: String? = nil) async throws -> SyntheticClip {
        try scene.validate()
        if case .video(let path) = scene.background, !FileManager.default.isReadableFile(atPath: path) {
            throw SyntheticSceneError.backgroundVideoMissing(path: path)
        }
        let name = name ?? scene.name
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let video = directory.appendingPathComponent(name + ".mp4")
        let truthFile = directory.appendingPathComponent(name + ".truth.json")
        let partial = directory.appendingPathComponent(".\(name).partial.mp4")

        let cancellation = Cancellation()
        let (tools, encoding) = (tools, encoding)
        do {
            try await withTaskCancellationHandler {
                try await Self.onDedicatedThread {
                    try Self.encode(scene, to: partial.path, tools: tools, encoding: encoding, cancellation: cancellation)
                }
            } onCancel: {
                cancellation.cancel()
            }
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
        try? FileManager.default.removeItem(at: video)
        try FileManager.default.moveItem(at: partial, to: video)

        let truth = SyntheticGroundTruth(scene: scene, clip: video.lastPathComponent)
        try truth.jsonData().write(to: truthFile, options: .atomic)
        return SyntheticClip(video: video, truthFile: truthFile, groundTruth: truth, encoding: encoding)
    }

    /// The frame loop, on the dedicated thread: background frame in (video scenes), render,
    /// frame out to the encoder; one preallocated buffer each, reused for every frame.
    static func encode(_ scene: SyntheticScene, to output: String, tools: MediaTools, encoding: SyntheticEncoding,
                       cancellation: Cancellation) throws {
        signal(SIGPIPE, SIG_IGN)   // an encoder that dies must fail a write (EPIPE), not kill this process
        var decoder: SyntheticChildProcess?
        if case .video(let path) = scene.background {
            decoder = try SyntheticChildProcess(
                stage: .backgroundDecoder, executable: tools.ffmpeg,
                arguments: SyntheticEncoding.backgroundDecoderArguments(for: scene, video: path), feedsInput: false, givesOutput: true)
        }
        let encoder: SyntheticChildProcess
        do {
            encoder = try SyntheticChildProcess(stage: .encoder, executable: tools.ffmpeg,
                                                arguments: encoding.encoderArguments(for: scene, output: output),
                                                feedsInput: true, givesOutput: false)
        } catch {
            decoder?.stop()
            throw error
        }

        let renderer = SyntheticRenderer(scene: scene)
        let pixels = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: scene.frameByteCount)
        let background = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: decoder == nil ? 0 : scene.frameByteCount)
        defer { pixels.deallocate(); background.deallocate() }

        for index in 0..<scene.frameCount {
            if cancellation.isCancelled {
                encoder.stop()
                decoder?.stop()
                throw CancellationError()
            }
            if let decoder, !decoder.read(into: background) {
                encoder.stop()
                try decoder.finish(failing: "gave \(index) of \(scene.frameCount) background frames")
            }
            renderer.render(frame: index, into: pixels, background: decoder == nil ? nil : UnsafeBufferPointer(background))
            if !encoder.write(UnsafeBufferPointer(pixels)) {
                decoder?.stop()
                try encoder.finish(failing: "stopped reading after \(index) of \(scene.frameCount) frames")
            }
        }
        do {
            try encoder.finish()
        } catch {
            decoder?.stop()
            throw error
        }
        try decoder?.finish()
    }

    /// Runs `work` on a new thread and resumes the caller with its result.
    static func onDedicatedThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.name = "citywatch-synthetic-clip"
            thread.start()
        }
    }

    /// Set when the writing task is cancelled; the frame loop checks it before each frame.
    final class Cancellation: Sendable {
        private let flag = Atomic<Bool>(false)
        func cancel() { flag.store(true, ordering: .relaxed) }
        var isCancelled: Bool { flag.load(ordering: .relaxed) }
    }
}
