@testable import CityWatchApp
import CityWatchAnalytics
import CityWatchMedia
import CityWatchTestSupport
import Crypto
import Foundation

/// Footage played to the tamper detector offline, faster than real time, as a camera's recorder
/// hands it to analytics: ffmpeg decodes it (looped the way a demo camera loops its clip,
/// `-stream_loop`) through the recorder's own analysis filter, and the luma planes are what the
/// detector sees, at the recorder's 5 frames a second.
enum TamperReplay {
    static let format = RecordingCommand.FrameFormat()
    /// OpenCV's vtest.avi: a real camera high over a campus path (768×576, 10 fps, 80 s).
    static let campusClip = RepositoryPaths.sharedData("vtest.avi").path

    /// The luma of every analysis frame of `path` played `loops` times over (only its first
    /// `seconds` when given), `tampering` (an ffmpeg filter on the camera's own picture, before
    /// the recorder's) applied first.
    static func frames(of path: String, loops: Int = 1, seconds: Int? = nil, tampering: String? = nil) async throws -> [GrayImage] {
        let folder = try RepositoryPaths.temporaryFolder("tamper-replay")
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("luma.raw").path
        let filter = ([tampering].compactMap { $0 } + [format.filter, "extractplanes=y"]).joined(separator: ",")
        _ = try await runProgramDetached(MediaFixtures.ffmpeg, [
            "-nostdin", "-v", "error", "-stream_loop", String(loops - 1), "-i", path, "-map", "0:v:0", "-an", "-vf", filter,
        ] + (seconds.map { ["-t", String($0)] } ?? []) + ["-f", "rawvideo", "-y", output])
        let size = format.width * format.height
        return try Data(contentsOf: URL(fileURLWithPath: output)).withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            return stride(from: 0, to: bytes.count - size + 1, by: size).map {
                GrayImage(width: format.width, height: format.height, pixels: Array(bytes[$0..<($0 + size)]))!
            }
        }
    }

    /// The demo's clip of `kind` (``DemoDistrict/clip``: the scene, seed, length and encoding the
    /// demo uses), made once and kept under `.build/test-clips/`: making the four takes about
    /// half a minute of CPU (x264 over the night scene's noise), replaying them a few seconds.
    /// The folder is named after the code that makes the clips (the demo district, the synthetic
    /// scenes and renderer) and ffmpeg's version, so a change to any of them makes them again.
    static func demoClip(_ kind: BuiltInScene) async throws -> (path: String, scene: SyntheticScene) {
        let cache = RepositoryPaths.root.appendingPathComponent(".build/test-clips")
        let folder = cache.appendingPathComponent("demo-" + (try clipMakerFingerprint()))
        if !FileManager.default.fileExists(atPath: folder.path) {
            // Clips of older code are of no more use.
            for old in (try? FileManager.default.contentsOfDirectory(atPath: cache.path)) ?? [] where old.hasPrefix("demo-") {
                try? FileManager.default.removeItem(at: cache.appendingPathComponent(old))
            }
        }
        return try await DemoDistrict.clip(kind, in: folder)
    }

    /// SHA-256 (first 16 hex digits) of the sources that decide a demo clip's bytes and of ffmpeg's version.
    static func clipMakerFingerprint() throws -> String {
        let sources = RepositoryPaths.root.appendingPathComponent("Sources")
        let synthetic = sources.appendingPathComponent("CityWatchMedia/Synthetic")
        let files = try FileManager.default.contentsOfDirectory(atPath: synthetic.path).sorted().map { synthetic.appendingPathComponent($0) }
            + [sources.appendingPathComponent("CityWatchApp/Demo/DemoDistrict.swift")]
        var hash = SHA256()
        for file in files { hash.update(data: try Data(contentsOf: file)) }
        hash.update(data: Data(try runProgram(MediaFixtures.ffmpeg, ["-version"]).utf8))
        return hash.finalize().map { String(format: "%02x", $0) }.joined().prefix(16).description
    }

    /// Seconds from the start of the replay of frame `index`.
    static func time(_ index: Int) -> Double { Double(index) / Double(format.fps) }

    /// The campus clip, whole, decoded once for every test that needs it untouched by ffmpeg.
    static let campus = Task { try await frames(of: campusClip) }

    /// A detector as the recorder's analysis starts one.
    static func detector() -> TamperDetector { TamperDetector(width: format.width, height: format.height) }

    /// The changes a new detector reports on `frames`, given every `step`-th one (2: an analysis
    /// loop that keeps up with half the frames, as on a loaded machine; it takes the newest).
    static func changes(_ frames: [GrayImage], every step: Int = 1) -> [TamperChange] {
        var detector = detector()
        return changes(frames, in: 0..<frames.count, every: step, continuing: &detector)
    }

    /// The changes `detector` reports on `frames[range]`, given every `step`-th one. The detector
    /// is a value: a copy taken part way through replays the rest with another ending (tampered
    /// with) without replaying the start again.
    static func changes(_ frames: [GrayImage], in range: Range<Int>, every step: Int = 1,
                        continuing detector: inout TamperDetector) -> [TamperChange] {
        stride(from: range.lowerBound, to: min(range.upperBound, frames.count), by: step).compactMap {
            detector.process(frames[$0], time: time($0))
        }
    }

    /// Frame `index` of a camera whose lens a hand covers: a dark, even picture with nothing of
    /// the scene left, only the sensor's noise (levels 9–12, different from one frame to the next).
    static func covered(frame index: Int) -> GrayImage { hands[index % hands.count] }

    /// Eight frames of that noise, made once (a loop per pixel is slow in a debug build).
    static let hands: [GrayImage] = (1...8).map { seed in
        var hand = GrayImage(width: format.width, height: format.height)
        var noise = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15
        for pixel in hand.pixels.indices {
            noise = noise &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            hand.pixels[pixel] = 9 + UInt8(noise >> 62)
        }
        return hand
    }

    /// `frames` with those shown in `seconds` replaced by `tamper(frame, index)`.
    static func tampered(_ frames: [GrayImage], during seconds: Range<Double>,
                         _ tamper: (GrayImage, Int) -> GrayImage) -> [GrayImage] {
        frames.enumerated().map { index, frame in seconds.contains(time(index)) ? tamper(frame, index) : frame }
    }

    /// The changes as `to@seconds` (`covered@78.0`), for comparing with what a test expects.
    static func steps(_ changes: [TamperChange]) -> [String] {
        changes.map { "\($0.to.rawValue)@\(String(format: "%.1f", $0.time))" }
    }
}
