import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import FluentKit
import Foundation

/// Makes the segment index and the disk agree after a crash or a restart: segments on disk that
/// the index lacks are probed and adopted (or removed when nothing in them plays), and index
/// entries whose file has gone are marked missing. So a crash leaves no lie in the index.
///
/// On a node of a cluster (`node` given) only the segments that node wrote are its to check,
/// and a file whose time another node has indexed for the camera (written while that node held
/// it) is not adopted: it is kept and reported as unadopted footage.
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

        public var changedAnything: Bool { !(adopted.isEmpty && removed.isEmpty && missing.isEmpty) }
    }

    /// How many camera folders are reconciled at once.
    static let camerasAtOnce = 4

    let database: any Database
    let recordingsDirectory: String
    let probe: MediaProbe
    /// This node's name in a cluster; nil on a single node.
    let node: String?

    public init(database: any Database, recordingsDirectory: String, tools: MediaTools = MediaTools(), node: String? = nil) {
        self.database = database
        self.recordingsDirectory = recordingsDirectory
        self.probe = MediaProbe(tools: tools)
        self.node = node
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
                    return found
                }
            }
            for _ in 0..<Self.camerasAtOnce { addNext() }
            while let found = try await group.next() {
                report.adopted += found.adopted
                report.removed += found.removed
                report.missing += found.missing
                report.unadopted += found.unadopted
                addNext()
            }
        }
        for camera in cameras where !folders.contains(camera.uuidString) {
            let indexed = try await repository.allSegments(camera: camera, node: node).filter { $0.status == "ok" }
            report.missing += indexed.map(\.path)
            try await repository.markMissing(indexed.compactMap(\.id))
        }
        return report
    }

    private func reconcile(camera: UUID, repository: RecordingRepository, into report: inout Report) async throws {
        let folder = (recordingsDirectory as NSString).appendingPathComponent(camera.uuidString)
        let onDisk = Set(((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".mp4") })
        let indexed = try await repository.allSegments(camera: camera, node: node)
        let indexedNames = Dictionary(indexed.map { (($0.path as NSString).lastPathComponent, $0) }, uniquingKeysWith: { a, _ in a })
        var missing: [UUID] = []
        for (name, segment) in indexedNames where segment.status == "ok" && !onDisk.contains(name) {
            missing.append(segment.id!)
            report.missing.append(segment.path)
        }
        try await repository.markMissing(missing)
        for name in onDisk.sorted() where indexedNames[name] == nil {
            let path = (folder as NSString).appendingPathComponent(name)
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
