import CityWatchAPI
import CityWatchApp
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import Crypto
import Fluent
import FluentKit
import Foundation
import Vapor

/// A store with one camera and `count` real recorded segments (2 s each, fragmented MP4 as the
/// recorder writes them, named as it names them) two days old in the hot tier, and an archive
/// folder beside it.
public struct TieredFootage: Sendable {
    public let folder: URL
    public let camera: UUID
    public let configuration: Configuration

    public init(folder: URL, camera: UUID, configuration: Configuration) {
        self.folder = folder
        self.camera = camera
        self.configuration = configuration
    }

    public var recordings: String { configuration.recordingsDirectory }
    public var archive: String { configuration.archiveDirectory! }
    public var hotFolder: String { (recordings as NSString).appendingPathComponent(camera.uuidString) }
    public var archiveFolder: String { (archive as NSString).appendingPathComponent(camera.uuidString) }

    /// Makes it in `app`'s store (its configuration gains the folders and the archive).
    public static func make(_ app: Application, count: Int, folder given: URL? = nil, archive: String? = nil,
                     start: Date = Date().addingTimeInterval(-2 * 86_400)) async throws -> TieredFootage {
        let folder = try given ?? RepositoryPaths.temporaryFolder("tiers")
        var configuration = app.cityWatch.configuration
        configuration.dataDirectory = folder.path
        configuration.recordingsDirectory = folder.appendingPathComponent("recordings").path
        configuration.archiveDirectory = archive ?? folder.appendingPathComponent("archive").path
        configuration.archiveAfterHours = 24
        // The test machine's own free space must not decide what moves.
        configuration.hotMoveBelowFreePercent = 0
        try FileManager.default.createDirectory(atPath: configuration.archiveDirectory!, withIntermediateDirectories: true)
        let camera = try await app.makeCameras(1)[0]
        let sealer = CredentialSealer(key: SymmetricKey(size: .bits256))
        try await RecordingRepository(database: app.db).setStream(CameraStream(mainURL: "rtsp://camera.invalid/1"), for: camera, sealer: sealer, now: Date())
        let footage = TieredFootage(folder: folder, camera: camera, configuration: configuration)
        try await footage.record(app, count: count, start: start)
        return footage
    }

    /// Writes and indexes `count` segments from `start` on, 2 s apart.
    public func record(_ app: Application, count: Int, start: Date) async throws {
        try FileManager.default.createDirectory(atPath: hotFolder, withIntermediateDirectories: true)
        let made = folder.appendingPathComponent("made-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: made, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: made) }
        let clip = try MediaFixtures.clip(seconds: 2 * count, gop: 25, bFrames: false)
        _ = try runProgram(MediaFixtures.ffmpeg, ["-hide_banner", "-loglevel", "error", "-i", clip, "-map", "0:v:0", "-c", "copy", "-an",
                                                  "-f", "segment", "-segment_time", "2", "-segment_format", "mp4",
                                                  "-segment_format_options", "movflags=+frag_keyframe+empty_moov+default_base_moof",
                                                  "-reset_timestamps", "1", made.appendingPathComponent("seg-%03d.mp4").path])
        let names = try FileManager.default.contentsOfDirectory(atPath: made.path).sorted()
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        for (index, name) in names.prefix(count).enumerated() {
            let begins = start.addingTimeInterval(Double(2 * index))
            let path = (hotFolder as NSString).appendingPathComponent(formatter.string(from: begins) + ".mp4")
            try FileManager.default.moveItem(atPath: made.appendingPathComponent(name).path, toPath: path)
            let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as! NSNumber).int64Value
            try await RecordingRepository(database: app.db).addSegment(
                RecordedSegment(cameraID: camera, path: path, start: begins, end: begins.addingTimeInterval(2), bytes: bytes), now: Date())
        }
    }

    /// `.mp4` files and copies in progress in a folder.
    public static func files(_ folder: String) -> Set<String> {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return Set(names.filter { $0.hasSuffix(".mp4") || $0.hasSuffix(".part") }.map { (folder as NSString).appendingPathComponent($0) })
    }

    /// Every segment file in both tiers.
    public var filesOnDisk: Set<String> { Self.files(hotFolder).union(Self.files(archiveFolder)) }

    /// The camera's segment rows.
    public func rows(_ app: Application) async throws -> [SegmentModel] {
        try await RecordingRepository(database: app.db).allSegments(camera: camera)
    }

    /// Hex SHA-256 of a file.
    public static func sha256(_ path: String) throws -> String {
        SHA256.hash(data: try Data(contentsOf: URL(fileURLWithPath: path))).map { String(format: "%02x", $0) }.joined()
    }

    /// What the tiers must look like whatever happened: every segment indexed once, playable,
    /// in the tier its path says, and no file on either disk that no row points at.
    public func problems(_ app: Application, expected count: Int) async throws -> [String] {
        var found: [String] = []
        let rows = try await rows(app).filter { $0.status == "ok" }
        if rows.count != count { found.append("\(rows.count) playable rows, not \(count)") }
        let names = rows.map { ($0.path as NSString).lastPathComponent }
        if Set(names).count != names.count { found.append("a segment is indexed twice: \(names.sorted())") }
        for row in rows {
            let inArchive = row.path.hasPrefix(archive + "/")
            if row.isArchived != inArchive { found.append("\(row.path) is in the wrong tier (\(row.tier))") }
            guard FileManager.default.fileExists(atPath: row.path) else {
                found.append("\(row.path) is indexed but not on disk")
                continue
            }
            let facts = try MediaFixtures.probe(row.path)
            if facts.streams != ["video"] || facts.duration <= 0 { found.append("\(row.path) does not play: \(facts)") }
            if let sha = row.sha256, try Self.sha256(row.path) != sha { found.append("\(row.path) does not match its SHA-256") }
        }
        let strays = filesOnDisk.subtracting(rows.map(\.path))
        if !strays.isEmpty { found.append("files no row points at: \(strays.sorted())") }
        return found
    }
}
