import CityWatchDomain
import CityWatchStore
import Fluent
import FluentKit
import Foundation
import Vapor

extension Application {
    /// Records six seconds of the test pattern (no B-frames, a keyframe a second) for `camera`
    /// into three 2-second fragmented-MP4 segments starting at `start`, as the recorder writes
    /// them, and indexes them; returns the source clip, to compare exports with.
    public func recordSixSeconds(camera: UUID, start: Date) async throws -> String {
        try await record(camera: camera, start: start, segments: 3)
    }

    /// Records `segments` 2-second segments for `camera` from `start`: the six seconds of
    /// ``recordSixSeconds(camera:start:)``, the fourth segment on a hard link to the first and
    /// so on (long footage to export, written in well under a second).
    public func record(camera: UUID, start: Date, segments: Int) async throws -> String {
        let folder = RegistryFixtures.folderForMedia.appendingPathComponent("recorded-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let clip = try MediaFixtures.clip(seconds: 6, gop: 25, bFrames: false)
        _ = try runProgram(MediaFixtures.ffmpeg, ["-hide_banner", "-loglevel", "error", "-i", clip, "-map", "0:v:0", "-c", "copy", "-an",
                                                  "-f", "segment", "-segment_time", "2", "-segment_format", "mp4",
                                                  "-segment_format_options", "movflags=+frag_keyframe+empty_moov+default_base_moof",
                                                  "-reset_timestamps", "1", folder.appendingPathComponent("seg-%03d.mp4").path])
        for index in 0..<segments {
            let path = folder.appendingPathComponent(String(format: "seg-%03d.mp4", index)).path
            if index >= 3 { try FileManager.default.linkItem(atPath: folder.appendingPathComponent(String(format: "seg-%03d.mp4", index % 3)).path, toPath: path) }
            try await RecordingRepository(database: db).addSegment(
                RecordedSegment(cameraID: camera, path: path, start: start.addingTimeInterval(Double(2 * index)),
                                end: start.addingTimeInterval(Double(2 * index + 2)), bytes: 1), now: Date())
        }
        return clip
    }
}
