import CityWatchDomain
import CityWatchStore
import Foundation

/// The archive tier's folder, its limits, and whether it can take footage now.
///
/// A mount point whose filesystem is not mounted is an empty folder on the root disk: writing
/// there would fill the wrong disk and leave the real archive's footage unreachable. So the
/// archive carries a marker file, written when the folder is first used (empty, and nothing
/// indexed in it); a folder without it while the index has archived footage is unmounted.
public struct ArchiveTier: Sendable {
    /// Whether the archive can take footage.
    public enum State: Sendable, Equatable {
        case ok
        /// Missing, unmounted, unreadable or not writable: moves pause, recording goes on in
        /// the hot tier, and archived footage cannot be played until it is back.
        case unavailable(String)
        /// Below its free-space watermark or at its quota: moves pause.
        case full(String)

        /// `ok`, `unavailable` or `full`.
        public var name: String {
            switch self {
            case .ok: "ok"
            case .unavailable: "unavailable"
            case .full: "full"
            }
        }

        /// Why it is not ok.
        public var reason: String? {
            switch self {
            case .ok: nil
            case .unavailable(let reason), .full(let reason): reason
            }
        }
    }

    /// The marker file in the archive's top folder.
    public static let markerName = ".citywatch-archive"

    public let folder: String
    public let quotaBytes: Int64?
    /// Below this share of free space the archive takes no new footage.
    public let refuseBelowFreePercent: Double

    public init(folder: String, quotaBytes: Int64?, refuseBelowFreePercent: Double) {
        self.folder = folder
        self.quotaBytes = quotaBytes
        self.refuseBelowFreePercent = refuseBelowFreePercent
    }

    public init?(_ configuration: Configuration) {
        guard let folder = configuration.archiveDirectory else { return nil }
        self.init(folder: folder, quotaBytes: configuration.archiveQuotaBytes,
                  refuseBelowFreePercent: configuration.tierRefuseBelowFreePercent)
    }

    /// Where segment file `name` of `camera` goes in the archive.
    public func path(camera: UUID, name: String) -> String {
        ((folder as NSString).appendingPathComponent(camera.uuidString) as NSString).appendingPathComponent(name)
    }

    /// The name a copy in progress has beside its final `name`: hidden, and naming the node
    /// that makes it, so a node cleaning up after a crash removes only its own.
    public static func partName(of name: String, node: String) -> String { ".\(name).\(node).part" }

    /// True for a copy in progress (of any node).
    public static func isPart(_ name: String) -> Bool { name.hasPrefix(".") && name.hasSuffix(".part") }

    /// Whether the archive is there: the folder exists, is the mounted archive (marker), and can
    /// be read and written. `archived` is how many segments the index has in it. Writes the
    /// marker on first use and a probe file (removed at once) to see that writing works.
    public func availability(archived: Int, node: String, now: Date = Date()) -> State {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            return .unavailable("the archive folder \(folder) does not exist (is the archive mounted?)")
        }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            return .unavailable("the archive folder \(folder) cannot be read")
        }
        let marker = (folder as NSString).appendingPathComponent(Self.markerName)
        if !entries.contains(Self.markerName) {
            guard archived == 0 else {
                return .unavailable("the archive folder \(folder) has no \(Self.markerName) marker while \(archived) archived segments are indexed in it: it looks unmounted")
            }
            // First use: an empty folder (a fresh filesystem's lost+found aside). A folder with
            // other things in it is not taken for the archive without being told.
            let others = entries.filter { !$0.hasPrefix(".") && $0 != "lost+found" }
            guard others.isEmpty else {
                return .unavailable("the archive folder \(folder) is not empty and has no \(Self.markerName) marker (found \(others.prefix(3).joined(separator: ", "))): point CITYWATCH_ARCHIVE_DIR at an empty folder, or write the marker there if it is the archive")
            }
            let text = "CityWatch archive, first used \(ISO8601DateFormatter().string(from: now)) by node \(node)\n"
            guard FileManager.default.createFile(atPath: marker, contents: Data(text.utf8)) else {
                return .unavailable("cannot write in the archive folder \(folder)")
            }
        }
        let probe = (folder as NSString).appendingPathComponent(".citywatch-probe-\(node)")
        guard FileManager.default.createFile(atPath: probe, contents: Data("probe\n".utf8)) else {
            return .unavailable("cannot write in the archive folder \(folder) (read-only or no space)")
        }
        try? FileManager.default.removeItem(atPath: probe)
        return .ok
    }

    /// Whether the archive has room for `bytes` more, holding `archivedBytes` already.
    public func room(for bytes: Int64, archivedBytes: Int64, disk: DiskSpace?) -> State {
        if let quotaBytes, archivedBytes + bytes > quotaBytes {
            return .full("the archive holds \(Self.size(archivedBytes)) of its \(Self.size(quotaBytes)) quota")
        }
        guard let disk else { return .unavailable("the free space of \(folder) cannot be read") }
        if disk.freePercent(after: bytes) < refuseBelowFreePercent {
            return .full(String(format: "the archive's disk is %.1f %% free, below the %.0f %% watermark", disk.freePercent, refuseBelowFreePercent))
        }
        return .ok
    }

    /// The state now: ``availability(archived:node:now:)``, then ``room(for:archivedBytes:disk:)`` for nothing more.
    public func state(archived: RecordingRepository.TierTotals, node: String, now: Date = Date()) -> State {
        let available = availability(archived: archived.segments, node: node, now: now)
        guard available == .ok else { return available }
        return room(for: 0, archivedBytes: archived.bytes, disk: DiskSpace.of(folder))
    }

    static func size(_ bytes: Int64) -> String {
        ByteCountFormatter.string(fromByteCount: bytes, countStyle: .binary)
    }
}
