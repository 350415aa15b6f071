import ArgumentParser
import CityWatchApp
import CityWatchCommandLine
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import Fluent
import FluentKit
import Foundation
import Logging
import ServiceLifecycle

/// `citywatch-bench record`: CPU per recorded camera against plain ffmpeg segmenting.
struct BenchRecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "CPU per recorded camera for N cameras against plain `ffmpeg -c copy -f segment` doing the same recording.",
        discussion: "Every camera reads the same generated H.264 clip (1280×720, 25 fps) in a loop at its own rate. Four runs of the same length: plain ffmpeg segmenting; CityWatch recording with live output but no analysis frames; CityWatch with analysis frames (which must decode the video); and the same with analytics (motion, tracking, rules, tamper, metadata) on every camera. CPU is the kernel's accounting of every process involved.")

    @Option(help: "Cameras.") var cameras = 16
    @Option(help: "Seconds each run records.") var seconds = 30
    @Option(help: "Frame size of the generated clip, WxH.") var size = "1280x720"

    func run() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("citywatch-bench-record-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let tools = MediaTools()
        let clip = folder.appendingPathComponent("camera.mp4").path
        let made = try await ChildProgram.run(tools.ffmpeg, ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=\(size):rate=25",
                                                             "-t", "20", "-c:v", "libx264", "-preset", "veryfast", "-b:v", "2M", "-g", "50", "-bf", "2",
                                                             "-pix_fmt", "yuv420p", "-y", clip])
        guard made.status == 0 else { throw ValidationError("cannot make the test clip: \(made.standardError)") }
        print("recording CPU: \(cameras) cameras, \(size) H.264 2 Mbit/s 25 fps with B-frames, \(seconds) s per run")
        let plain = try await plainFFmpeg(clip: clip, folder: folder.appendingPathComponent("plain"), tools: tools)
        let copyOnly = try await cityWatch(clip: clip, folder: folder.appendingPathComponent("cw-copy"), analysisFrames: false)
        let withFrames = try await cityWatch(clip: clip, folder: folder.appendingPathComponent("cw-frames"), analysisFrames: true)
        let withAnalytics = try await cityWatch(clip: clip, folder: folder.appendingPathComponent("cw-analytics"), analysisFrames: true, analytics: true)
        let cameraSeconds = Double(cameras * seconds)
        func row(_ name: String, _ cpu: Double) {
            let perCamera = cpu / cameraSeconds
            print("  \(name.padding(toLength: 44, withPad: " ", startingAt: 0)) \(String(format: "%7.2f", cpu)) CPU s  \(String(format: "%6.2f", perCamera * 100)) % of a core per camera  \(String(format: "%5.2f", cpu / plain))× plain  ~\(Int(1 / max(perCamera, 1e-6))) cameras per core")
        }
        row("plain ffmpeg -c copy -f segment (baseline)", plain)
        row("CityWatch: record + live (no analysis)", copyOnly)
        row("CityWatch: record + live + analysis frames", withFrames)
        row("CityWatch: … + analytics on every camera", withAnalytics)
    }

    private func plainFFmpeg(clip: String, folder: URL, tools: MediaTools) async throws -> Double {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let before = ProcessCPU.children
        var processes: [MediaProcess] = []
        for camera in 0..<cameras {
            let out = folder.appendingPathComponent("\(camera)")
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            processes.append(try MediaProcess(path: tools.ffmpeg, arguments: [
                "-hide_banner", "-nostdin", "-loglevel", "error", "-re", "-stream_loop", "-1", "-i", clip, "-map", "0:v:0", "-c", "copy", "-an",
                "-f", "segment", "-segment_time", "60", "-segment_format", "mp4",
                "-segment_format_options", "movflags=+frag_keyframe+empty_moov+default_base_moof", "-reset_timestamps", "1",
                out.appendingPathComponent("%05d.mp4").path,
            ]))
        }
        try await Task.sleep(for: .seconds(seconds))
        processes.forEach { $0.terminate() }
        while processes.contains(where: \.isRunning) { try await Task.sleep(for: .milliseconds(50)) }
        try await Task.sleep(for: .milliseconds(100))
        return ProcessCPU.children - before
    }

    private func cityWatch(clip: String, folder: URL, analysisFrames: Bool, analytics: Bool = false) async throws -> Double {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let configuration = try Configuration.resolve(flags: [.dataDirectory: folder.path, .databaseURL: "sqlite://\(folder.path)/citywatch.sqlite",
                                                              .analysisFrames: analysisFrames ? "true" : "false"])
        let cameraCount = cameras, seconds = seconds
        return try await withStore(configuration) { app in
            let sealer = try CredentialSealer.load(base64: nil, folder: folder.appendingPathComponent("keys").path)
            let ids = try await BenchTiersCommand.makeCameras(cameraCount, app: app, folder: folder, prefix: "BENCH")
            for camera in ids {
                try await RecordingRepository(database: app.db).setStream(CameraStream(mainURL: clip, loop: true), for: camera, sealer: sealer, now: Date())
            }
            let service = RecordingService(database: { app.db }, configuration: configuration, sealer: sealer,
                                           logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
            var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: service)]
            var analyser: AnalyticsService?
            if analytics {
                analyser = AnalyticsService(database: { app.db }, recording: service, dataDirectory: folder.path,
                                            logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
                services.append(.init(service: analyser!))
            }
            let group = ServiceGroup(configuration: .init(services: services, logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })))
            let (ownBefore, childrenBefore) = (ProcessCPU.own, ProcessCPU.children)
            let running = Task { try await group.run() }
            try await Task.sleep(for: .seconds(seconds))
            // Frames the analytics took (what the taps count), read before the pipelines stop.
            let taken = service.recordingCameras.reduce(UInt64(0)) { $0 + (service.pipeline(for: $1)?.frames.counts.taken ?? 0) }
            await group.triggerGracefulShutdown()
            try await running.value
            try await Task.sleep(for: .milliseconds(100))
            let own = ProcessCPU.own - ownBefore, children = ProcessCPU.children - childrenBefore
            print(String(format: "    (%@: CityWatch process %.2f CPU s, its ffmpeg children %.2f CPU s%@)", analytics ? "analytics" : (analysisFrames ? "with frames" : "no frames"),
                         own, children, analyser == nil ? "" : ", \(taken) frames analysed"))
            return own + children
        }
    }
}
