import ArgumentParser
import CityWatchMedia
import Foundation

/// `citywatch synthetic generate`: one scene to `DIR/NAME.mp4` + `DIR/NAME.truth.json`.
struct SyntheticGenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Render a scene to DIR/NAME.mp4 (H.264 via ffmpeg) and DIR/NAME.truth.json (boxes and events per frame).",
        discussion: """
            Give a built-in scene (see `citywatch synthetic list`) or a scene file. A NAME.truth.json is a scene file \
            too: it embeds its scene, so the same clip can be made again. --duration, --size, --fps and --seed \
            override the scene's own values; built-in scenes are laid out for the size given.
            """)

    @Option(help: ArgumentHelp("A built-in scene: \(BuiltInScene.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "name"))
    var scene: String?

    @Option(help: ArgumentHelp("A scene in JSON (or a NAME.truth.json to regenerate its clip).", valueName: "file"))
    var sceneFile: String?

    @Option(name: [.short, .long], help: ArgumentHelp("Folder to write into (created if missing).", valueName: "dir"))
    var output: String

    @Option(help: ArgumentHelp("Base name of the two files (default: the scene's name).", valueName: "name"))
    var name: String?

    @Option(help: ArgumentHelp("Length in seconds (default: the scene's own).", valueName: "seconds"))
    var duration: Double?

    @Flag(help: "Encode with B-frames (x264 -bf 2), as many cameras send; the default has none (I and P frames only).")
    var bframes = false

    @Option(help: ArgumentHelp("Frame size, both even (default 640x360).", valueName: "WxH"))
    var size: String?

    @Option(help: ArgumentHelp("Frames per second (default 10).", valueName: "n"))
    var fps: Int?

    @Option(help: ArgumentHelp("Seed for the layout of built-in scenes, sensor noise and shake (default 1).", valueName: "n"))
    var seed: UInt64?

    @Option(help: ArgumentHelp("Clip behind video-background scenes such as campus (default: vtest.avi in $CITYWATCH_SHARED_DATA or ../shared/data).", valueName: "file"))
    var backgroundVideo: String?

    func validate() throws {
        guard (scene == nil) != (sceneFile == nil) else { throw ValidationError("give exactly one of --scene and --scene-file") }
        if let scene, BuiltInScene(rawValue: scene) == nil { throw ValidationError(SyntheticSceneError.unknownScene(scene).description) }
        if let size, Self.frameSize(size) == nil { throw ValidationError("--size must look like 640x360, got \(size)") }
        if let duration, !(duration > 0) { throw ValidationError("--duration must be positive") }
        if let fps, fps < 1 { throw ValidationError("--fps must be positive") }
    }

    func run() async throws {
        let scene = try makeScene()
        let writer = SyntheticClipWriter(encoding: SyntheticEncoding(bFrames: bframes))
        guard writer.tools.available else { throw ValidationError("ffmpeg and ffprobe are needed at \(writer.tools.ffmpeg) and \(writer.tools.ffprobe)") }
        let clip = try await writer.write(scene, to: URL(fileURLWithPath: output), name: name)
        let truth = clip.groundTruth
        let seconds = String(format: "%.1f", Double(truth.frames.count) / Double(scene.fps))
        print("wrote \(clip.video.path) (\(scene.width)x\(scene.height), \(scene.fps) fps, \(truth.frames.count) frames, \(seconds) s, \(bframes ? "with" : "no") B-frames)")
        print("wrote \(clip.truthFile.path) (\(scene.objects.count) objects, \(truth.events.count) events)")
    }

    /// The scene asked for, with the overrides applied.
    private func makeScene() throws -> SyntheticScene {
        let frame = size.flatMap(Self.frameSize)
        if let scene {
            var options = BuiltInScene.Options(duration: duration, backgroundVideo: backgroundVideo ?? Self.defaultBackgroundVideo)
            if let frame { (options.width, options.height) = frame }
            if let fps { options.fps = fps }
            if let seed { options.seed = seed }
            return try BuiltInScene.named(scene).scene(options)
        }
        var scene = try SyntheticScene.load(from: URL(fileURLWithPath: sceneFile ?? ""))
        if let frame { (scene.width, scene.height) = frame }
        if let duration { scene.duration = duration }
        if let fps { scene.fps = fps }
        if let seed { scene.seed = seed }
        return scene
    }

    /// `WIDTHxHEIGHT` as numbers.
    static func frameSize(_ text: String) -> (Int, Int)? {
        let parts = text.lowercased().split(separator: "x")
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]) else { return nil }
        return (width, height)
    }

    /// vtest.avi in `$CITYWATCH_SHARED_DATA`, else in ../shared/data from the working directory.
    static var defaultBackgroundVideo: String {
        let folder = ProcessInfo.processInfo.environment["CITYWATCH_SHARED_DATA"] ?? "../shared/data"
        return URL(fileURLWithPath: folder).appendingPathComponent("vtest.avi").path
    }
}
