import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import FluentKit
import Foundation
import Logging

/// Makes the segment index and the disk agree after a crash or a restart: segments on disk that
/// the index lacks are probed and adopted (or removed when nothing in them plays), and index
/// entries whose file has gone are marked missing. So a crash leaves no lie in the index.
///
/// On a node of a cluster (`node` given) only the segments that node wrote are its to check,
/// and a file whose time another node has indexed for the camera (written while that node held
/// it) is not adopted: it is kept and reported as unadopted footage.
///
/// With an archive tier (``ArchiveTier``, given only while it is available) a move killed part
/// way leaves a second copy, which is removed: a hot file whose segment is indexed in the
/// archive (killed before the hot copy was deleted), an archive file whose segment is still
/// indexed hot (killed before the switch), and this node's copies in progress. A hot file whose
/// archived copy is gone is switched back to. So every segment keeps exactly one copy.
public struct SegmentReconciler: Sendable {
    /// What reconciling found.
    public struct Report: Sendable, Equatable {
        public var adopted: [String] = []
        public var removed: [String] = []
        public var missing: [String] = []
        /// Files kept but not indexed: another node recorded the camera at that time.
        public var unadopted: [String] = []
        /// Folders that belong to no known camera.
        public var strayFolders: [String] = []
        /// Second copies a move killed part way left, removed (the indexed copy stays).
        public var removedCopies: [String] = []
        /// Files in the archive no segment is indexed at, left alone.
        public var unindexedInArchive: [String] = []

        public var changedAnything: Bool { !(adopted.isEmpty && removed.isEmpty && missing.isEmpty && removedCopies.isEmpty) }

        mutating func add(_ other: Report) {
            adopted += other.adopted
            removed += other.removed
            missing += other.missing
            unadopted += other.unadopted
            removedCopies += other.removedCopies
            unindexedInArchive += other.unindexedInArchive
        }
    }

    /// How many camera folders are reconciled at once.
    static let camerasAtOnce = 4

    let database: any Database
    let recordingsDirectory: String
    let probe: MediaProbe
    /// This node's name in a cluster; nil on a single node.
    let node: String?
    /// The archive tier, when there is one and it is available now.
    let archive: ArchiveTier?
    /// The name this node gives its copies in progress.
    let nodeName: String

    public init(database: any Database, recordingsDirectory: String, tools: MediaTools = MediaTools(), node: String? = nil,
                archive: ArchiveTier? = nil, nodeName: String? = nil) {
        self.database = database
        self.recordingsDirectory = recordingsDirectory
        self.probe = MediaProbe(tools: tools)
        self.node = node
        self.archive = archive
        self.nodeName = node ?? nodeName ?? "node"
    }

    /// Reconciles the recordings folder, and the archive when one is configured and available
    /// now (an unmounted archive's footage is out of reach, not lost), with the index, for every
    /// camera that has a stream: what a recorder does before it starts.
    public static func reconcileTiers(database: any Database, configuration: Configuration, tools: MediaTools = MediaTools(),
                                      node: String?, logger: Logger = Logger(label: "citywatch.recording")) async throws -> Report {
        let repository = RecordingRepository(database: database)
        let cameras = try await repository.camerasWithStreams()
        var archive: ArchiveTier?
        if let configured = ArchiveTier(configuration) {
            let state = configured.availability(archived: try await repository.totals(tier: .archive).segments, node: node ?? configuration.nodeName)
            if state == .ok {
                archive = configured
            } else {
                logger.warning("the archive is not reconciled with the index now", metadata: ["reason": .string(state.reason ?? "")])
            }
        }
        return try await SegmentReconciler(database: database, recordingsDirectory: configuration.recordingsDirectory, tools: tools,
                                           node: node, archive: archive, nodeName: configuration.nodeName)
            .reconcile(cameras: cameras)
    }

    /// Reconciles every camera folder with the index.
    public func reconcile(cameras: Set<UUID>) async throws -> Report {
        var report = Report()
        let repository = RecordingRepository(database: database)
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: recordingsDirectory)) ?? []
        var pending: [UUID] = []
        for folder in folders.sorted() {
            guard let camera = UUID(uuidString: folder), cameras.contains(camera) else {
                report.strayFolders.append(folder)
                continue
            }
            pending.append(camera)
        }
        // Several cameras at a time: each file not in the index is probed with ffprobe, and a
        // node killed with a hundred cameras behind on indexing leaves hundreds of them.
        try await withThrowingTaskGroup(of: Report.self) { group in
            var next = pending.makeIterator()
            func addNext() {
                guard let camera = next.next() else { return }
                group.addTask {
                    var found = Report()
                    try await reconcile(camera: camera, repository: repository, into: &found)
                    if let archive { try await reconcileArchive(camera: camera, archive: archive, repository: repository, into: &found) }
                    return found
                }
            }
            for _ in 0..<Self.camerasAtOnce { addNext() }
            while let found = try await group.next() {
                report.add(found)
                addNext()
            }
        }
        for camera in cameras where !folders.contains(camera.uuidString) {
            let indexed = try await repository.allSegments(camera: camera, node: node).filter { $0.status == "ok" && !$0.isArchived }
            report.missing += indexed.map(\.path)
            try await repository.markMissing(indexed.compactMap(\.id))
        }
        // A camera with no hot folder may still have footage in the archive.
        if let archive {
            for camera in cameras.sorted(by: { $0.uuidString < $1.uuidString }) where !pending.contains(camera) {
                try await reconcileArchive(camera: camera, archive: archive, repository: repository, into: &report)
            }
        }
        return report
    }

    /// Copies in progress older than this are left by a node that died: anyone removes them.
    static let abandonedPartSeconds: TimeInterval = 3_600

    /// The archive folder of one camera against the index: copies in progress this node left (or
    /// anyone's, an hour old) and copies never switched to are removed; archived segments of
    /// this node whose file has gone are marked missing.
    private func reconcileArchive(camera: UUID, archive: ArchiveTier, repository: RecordingRepository, into report: inout Report) async throws {
        let folder = (archive.folder as NSString).appendingPathComponent(camera.uuidString)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let archived = try await repository.archivedSegments(camera: camera)
        let archivedPaths = Set(archived.map(\.path))
        let hotNames = Set(try await repository.allSegments(camera: camera, node: node)
            .filter { !$0.isArchived }.map { ($0.path as NSString).lastPathComponent })
        let now = Date()
        for name in names.sorted() {
            let path = (folder as NSString).appendingPathComponent(name)
            if ArchiveTier.isPart(name) {
                let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date ?? .distantPast
                if name.hasSuffix(".\(nodeName).part") || now.timeIntervalSince(modified) > Self.abandonedPartSeconds {
                    try? FileManager.default.removeItem(atPath: path)
                    report.removedCopies.append(path)
                }
                continue
            }
            guard name.hasSuffix(".mp4"), !archivedPaths.contains(path) else { continue }
            if hotNames.contains(name) {
                // Copied, never switched to: the hot copy is the indexed one.
                try? FileManager.default.removeItem(atPath: path)
                report.removedCopies.append(path)
            } else {
                report.unindexedInArchive.append(path)
            }
        }
        let gone = archived.filter { segment in
            segment.status == "ok" && (node == nil || segment.node == node) && !FileManager.default.fileExists(atPath: segment.path)
        }
        report.missing += gone.map(\.path)
        try await repository.markMissing(gone.compactMap(\.id))
    }

    /// A hot file whose segment is indexed in the archive: a move killed before it deleted the
    /// hot copy. The hot copy goes when the archived one is there whole; else the index switches
    /// back to the hot copy (only when the archive is known to be available: an unmounted
    /// archive's footage is not lost, only out of reach).
    private func settleHotCopy(_ path: String, of segment: SegmentModel, repository: RecordingRepository, into report: inout Report) async throws {
        guard archive != nil else { return }
        func size(_ file: String) -> Int64? { ((try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? NSNumber)?.int64Value }
        if let archived = size(segment.path), archived == size(path) {
            try? FileManager.default.removeItem(atPath: path)
            report.removedCopies.append(path)
        } else if try await repository.switchTier(segment.requireID(), from: segment.path, to: path, tier: .hot, sha256: nil) {
            report.adopted.append(path)
        }
    }

    private func reconcile(camera: UUID, repository: RecordingRepository, into report: inout Report) async throws {
        let folder = (recordingsDirectory as NSString).appendingPathComponent(camera.uuidString)
        let onDisk = Set(((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".mp4") })
        let indexed = try await repository.allSegments(camera: camera, node: node)
        let indexedNames = Dictionary(indexed.map { (($0.path as NSString).lastPathComponent, $0) }, uniquingKeysWith: { a, _ in a })
        var missing: [UUID] = []
        for (name, segment) in indexedNames where segment.status == "ok" && !segment.isArchived && !onDisk.contains(name) {
            missing.append(segment.id!)
            report.missing.append(segment.path)
        }
        try await repository.markMissing(missing)
        for name in onDisk.sorted() {
            let path = (folder as NSString).appendingPathComponent(name)
            if let segment = indexedNames[name] {
                guard segment.isArchived else { continue }
                try await settleHotCopy(path, of: segment, repository: repository, into: &report)
                continue
            }
            if let facts = await probe.facts(of: path), facts.duration > 0 {
                let start = SegmentListLine.startTime(ofFile: name)
                    ?? ((try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date)?.addingTimeInterval(-facts.duration)
                    ?? Date()
                let bytes = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
                let end = start.addingTimeInterval(facts.duration)
                if let node, let other = try await repository.segments(camera: camera, from: start, to: end).first(where: { $0.node != node }) {
                    try await ClusterStore(database: database).recordUnadopted(.init(
                        camera: camera, node: node, path: path, start: start, end: end, bytes: bytes,
                        reason: "not indexed: node \(other.node ?? "?") recorded the camera at that time", foundAt: Date()))
                    report.unadopted.append(path)
                    continue
                }
                try await repository.addSegment(RecordedSegment(cameraID: camera, path: path, start: start, end: end, bytes: bytes),
                                                now: Date(), node: node)
                report.adopted.append(path)
            } else {
                try? FileManager.default.removeItem(atPath: path)
                report.removed.append(path)
            }
        }
    }
}
