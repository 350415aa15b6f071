import CityWatchDomain
import CityWatchMedia
import Foundation

/// The baseline of the cluster benchmark: one plain ffmpeg per camera recording the same clip
/// into segments exactly as CityWatch's recorder does, and nothing else (no node, no store,
/// no live output).
enum PlainRecording {
    /// The recorder's own arguments for a camera (``RecordingCommand``, analysis off) up to its
    /// second output: input `-re -stream_loop -1 -i clip`, `-c copy`, fragmented-MP4 segments
    /// with the segment list. The live output the recorder adds (a second stream copy into a
    /// pipe its node reads) is left out: that is part of what CityWatch costs.
    static func arguments(clip: String, folder: String, segmentSeconds: Int) -> [String] {
        let command = RecordingCommand(stream: CameraStream(mainURL: clip, loop: true), segmentFolder: folder,
                                       segmentList: (folder as NSString).appendingPathComponent("segments.csv"),
                                       framePipe: "/dev/null", livePipe: "/dev/null", segmentSeconds: segmentSeconds,
                                       analysisFrames: false, scriptFolder: folder)
        let arguments = command.arguments
        let outputs = arguments.indices.filter { arguments[$0] == "-map" }
        return outputs.count >= 2 ? Array(arguments[..<outputs[1]]) : arguments
    }

    /// What the baseline run measured.
    struct Figures {
        /// Seconds from the start until every ffmpeg had closed its first segment.
        var allRecording: Double
        var window: SteadyWindow
        var segmentsClosed: Int
    }

    /// Starts `cameras` plain ffmpegs, waits until each has closed a segment, lets them settle
    /// for `settle` seconds, measures `seconds`, and kills them.
    static func measure(_ cluster: BenchCluster, cameras: Int, seconds: Int, settle: Int) async throws -> Figures {
        let clip = try cluster.clip
        let root = cluster.folder.appendingPathComponent("plain")
        var lists: [String] = [], processes: [ProcessGroup] = []
        print("baseline: \(cameras) plain ffmpegs: ffmpeg " + arguments(clip: "CLIP", folder: "FOLDER", segmentSeconds: cluster.options.segmentSeconds).joined(separator: " "))
        for camera in 0..<cameras {
            let folder = root.appendingPathComponent("\(camera)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            lists.append(folder.appendingPathComponent("segments.csv").path)
            processes.append(try cluster.startPlain("plain-\(camera)", arguments: arguments(clip: clip, folder: folder.path,
                                                                                            segmentSeconds: cluster.options.segmentSeconds)))
        }
        func closed() -> [Int] { lists.map { ((try? String(contentsOfFile: $0, encoding: .utf8)) ?? "").split(separator: "\n").count } }
        let allRecording = try await Waiting.waitUntil("every plain ffmpeg closing a segment", timeout: 60 + Double(cameras) * 0.2) {
            let done = closed().filter { $0 > 0 }.count
            return (done == cameras, "\(done)/\(cameras) have closed a segment")
        }
        print(String(format: "  every plain ffmpeg has closed a segment after %.1f s; settling %d s", allRecording, settle))
        try await Task.sleep(for: .seconds(settle))
        let running = processes.filter(\.isRunning).count
        guard running == cameras else { throw BenchFailure("\(cameras - running) plain ffmpegs ended; see \(root.path)/../plain-ffmpeg.log") }
        print("  measuring \(seconds) s")
        let window = try await SteadyWindow.measure(seconds: seconds, groups: Set(processes.map(\.pid)), postgres: { [] })
        let segments = closed().reduce(0, +)
        for process in processes { await process.killGroupAndWait() }
        return Figures(allRecording: allRecording, window: window, segmentsClosed: segments)
    }
}
