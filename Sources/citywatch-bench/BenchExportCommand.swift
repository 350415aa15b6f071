import CityWatchDomain
import ArgumentParser
import CityWatchMedia
import Foundation

/// `citywatch-bench export`: evidence export throughput against plain ffmpeg concatenation.
struct BenchExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Evidence export throughput (MB/s of video) against plain `ffmpeg -f concat -c copy` of the same segments.",
        discussion: "Makes minutes of 1280×720 2 Mbit/s recording in 60-second fragmented-MP4 segments, then exports them: the export cuts by stream copy, hashes every file and signs the manifest; the baseline only concatenates.")

    @Option(help: "Minutes of recording to export.") var minutes = 10
    @Option(help: "Timed runs of each.") var runs = 3

    func run() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("citywatch-bench-export-\(getpid())")
        let recordings = folder.appendingPathComponent("recordings")
        try FileManager.default.createDirectory(at: recordings, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let tools = MediaTools()
        let list = folder.appendingPathComponent("list.csv").path
        let made = try await ChildProgram.run(tools.ffmpeg, [
            "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25", "-t", "\(minutes * 60)",
            "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "2M", "-g", "50", "-pix_fmt", "yuv420p",
            "-f", "segment", "-segment_time", "60", "-segment_format", "mp4", "-segment_format_options", "movflags=+frag_keyframe+empty_moov+default_base_moof",
            "-reset_timestamps", "1", "-segment_list", list, "-segment_list_type", "csv", recordings.appendingPathComponent("%03d.mp4").path,
        ], timeout: 3_600)
        guard made.status == 0 else { throw ValidationError("cannot make the recording: \(made.standardError)") }
        let start = Date(timeIntervalSince1970: 1_780_000_000)
        let camera = UUID()
        let segments = try String(contentsOfFile: list, encoding: .utf8).split(separator: "\n").compactMap { SegmentListLine(line: String($0)) }.map {
            RecordedSegment(cameraID: camera, path: recordings.appendingPathComponent($0.fileName).path,
                            start: start.addingTimeInterval($0.start), end: start.addingTimeInterval($0.end), bytes: 0)
        }
        let bytes = segments.reduce(0.0) { total, segment in
            total + Double(((try? FileManager.default.attributesOfItem(atPath: segment.path))?[.size] as? NSNumber)?.int64Value ?? 0)
        }
        let key = try SigningKey.load(folder: folder.appendingPathComponent("keys").path)
        let concatList = folder.appendingPathComponent("concat.txt")
        try Data(segments.map { "file '\($0.path)'" }.joined(separator: "\n").utf8).write(to: concatList)
        var ours: [Double] = [], plain: [Double] = []
        for run in 0..<runs {
            let out = folder.appendingPathComponent("export-\(run)").path
            let t0 = ContinuousClock.now
            _ = try await EvidenceExporter(tools: tools).export(
                cameras: [.init(cameraID: camera, address: "bench", purpose: "생활방범", segments: segments)],
                from: start, to: start.addingTimeInterval(Double(minutes * 60)), reason: "benchmark", requestedBy: "bench", folder: out, key: key)
            ours.append(Double((ContinuousClock.now - t0).nanoseconds) / 1e9)
            try? FileManager.default.removeItem(atPath: out)
            let t1 = ContinuousClock.now
            let copied = try await ChildProgram.run(tools.ffmpeg, ["-hide_banner", "-loglevel", "error", "-f", "concat", "-safe", "0", "-i", concatList.path,
                                                                   "-map", "0:v:0", "-c", "copy", "-movflags", "+faststart", "-y",
                                                                   folder.appendingPathComponent("plain-\(run).mp4").path])
            guard copied.status == 0 else { throw ValidationError("baseline failed: \(copied.standardError)") }
            plain.append(Double((ContinuousClock.now - t1).nanoseconds) / 1e9)
            try? FileManager.default.removeItem(at: folder.appendingPathComponent("plain-\(run).mp4"))
        }
        let megabytes = bytes / 1_048_576
        print("evidence export: \(minutes) min of 1280×720 2 Mbit/s recording (\(String(format: "%.0f", megabytes)) MiB in \(segments.count) segments), \(runs) runs")
        print(String(format: "  citywatch export (cut + SHA-256 + signed manifest)  median %.2f s  %.0f MiB/s", median(ours), megabytes / median(ours)))
        print(String(format: "  plain ffmpeg concat -c copy (baseline)              median %.2f s  %.0f MiB/s", median(plain), megabytes / median(plain)))
        print(String(format: "  ratio citywatch / plain (time): %.2f", median(ours) / median(plain)))
    }
}
