import Crypto
import Foundation

/// Recorded segments with their privacy masks blacked out, for playback by viewers whose role
/// may not see behind them.
///
/// A segment is re-encoded once per set of masks (x264 ultrafast, the moov at the front) into
/// `folder`, then served from there with byte ranges like the original; several viewers asking
/// at once share one transcode. Copies unused for `keep` seconds are deleted whenever a new one
/// is made, so the folder holds only what is being watched. The recording itself is never
/// touched. The next segment's copy is made ahead while one plays (``RecordingController``).
/// Cost: see BENCHMARKS.md (a few seconds of CPU per minute of 720p).
public actor MaskedSegmentCache {
    /// Why a masked copy could not be made.
    public struct Failure: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { "the masked copy could not be made: \(reason)" }
    }

    public let folder: String
    let tools: MediaTools
    let keep: TimeInterval
    private var making: [String: Task<String, any Error>] = [:]

    public init(folder: String, tools: MediaTools = MediaTools(), keep: TimeInterval = 3_600) {
        self.folder = folder
        self.tools = tools
        self.keep = keep
    }

    /// The path of a masked copy of the segment `id` at `source`, made now if needed.
    public func copy(of source: String, id: UUID, filter: String) async throws -> String {
        let digest = SHA256.hash(data: Data(filter.utf8)).prefix(6).map { String(format: "%02x", $0) }.joined()
        let name = "\(id.uuidString)-\(digest).mp4"
        let path = (folder as NSString).appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: path) {
            try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: path)
            return path
        }
        if let pending = making[name] { return try await pending.value }
        let task = Task { [folder, tools] in
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let partial = path + ".partial.mp4"
            defer { try? FileManager.default.removeItem(atPath: partial) }
            let result = try await ChildProgram.run(tools.ffmpeg, [
                "-hide_banner", "-loglevel", "error", "-i", source, "-map", "0:v:0", "-an", "-sn", "-dn",
                "-vf", "\(filter),format=yuv420p", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "23",
                "-movflags", "+faststart", "-y", partial,
            ], timeout: 600)
            guard result.status == 0 else {
                throw Failure(reason: result.standardError.split(separator: "\n").last.map(String.init) ?? "ffmpeg exited with \(result.status)")
            }
            try FileManager.default.moveItem(atPath: partial, toPath: path)
            return path
        }
        making[name] = task
        defer { making[name] = nil }
        let made = try await task.value
        sweep(except: name)
        return made
    }

    /// Deletes copies not used for `keep` seconds.
    private func sweep(except kept: String) {
        let manager = FileManager.default
        let cutoff = Date().addingTimeInterval(-keep)
        for name in (try? manager.contentsOfDirectory(atPath: folder)) ?? [] where name != kept && name.hasSuffix(".mp4") && !name.hasSuffix(".partial.mp4") {
            let path = (folder as NSString).appendingPathComponent(name)
            if let modified = (try? manager.attributesOfItem(atPath: path))?[.modificationDate] as? Date, modified < cutoff {
                try? manager.removeItem(atPath: path)
            }
        }
    }
}
