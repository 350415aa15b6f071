import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import FluentKit
import Foundation
import ZIPFoundation

/// Evidence exports: cameras + time range + reason → a folder of clips with a signed manifest
/// (and a zip of it), audit-logged.
public struct EvidenceService: Sendable {
    /// Why an export was refused.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case badRange
        case tooLong(hours: Int)
        case noCameras
        case unknownCamera(UUID)
        case reasonRequired
        case nothingRecorded
        /// Footage in the range sits on a node of the cluster that cannot give it now.
        case unavailable(camera: UUID, from: Date, node: String, reason: String)
        /// An export made on another node of the cluster cannot be fetched from it now.
        case exportUnavailable(UUID, node: String, reason: String)

        public var description: String {
            switch self {
            case .badRange: "the range must end after it starts"
            case .tooLong(let hours): "an export may cover at most \(hours) hours"
            case .noCameras: "name at least one camera"
            case .unknownCamera(let id): "no camera \(id)"
            case .reasonRequired: "say why the footage is exported (3–500 characters)"
            case .nothingRecorded: "none of the cameras recorded anything in that range"
            case let .unavailable(camera, from, node, reason):
                "footage of camera \(camera) from \(ISO8601DateFormatter().string(from: from)) is unavailable on node \(node) (\(reason)): "
                    + "an export holds everything recorded in its range, so export again once that node is back, or choose a range without it"
            case let .exportUnavailable(id, node, reason):
                "export \(id) is not on this node and could not be looked for on node \(node) (\(reason)); try again once it answers"
            }
        }
    }

    /// The longest range one export may cover.
    public static let maximumHours = 24

    let database: any Database
    let configuration: Configuration
    let tools: MediaTools
    let clock: @Sendable () -> Date
    /// The cluster's other nodes, which hold the segments they recorded; nil on a single node.
    let peers: ClusterPeers?

    public init(database: any Database, configuration: Configuration, tools: MediaTools = MediaTools(),
                clock: @escaping @Sendable () -> Date = { Date() }, peers: ClusterPeers? = nil) {
        self.database = database
        self.configuration = configuration
        self.tools = tools
        self.clock = clock
        self.peers = peers
    }

    /// Where exports are written.
    public var exportsDirectory: String { (configuration.dataDirectory as NSString).appendingPathComponent("exports") }

    /// The installation's signing key.
    public func signingKey() throws -> SigningKey {
        try configuration.signingKey()
    }

    /// What ``export(cameraIDs:from:to:reason:actor:unmasked:provision:onProgress:)`` refuses
    /// before it reads anything (the reason, the range, no cameras): checked before an export
    /// is started in the background too. Returns the reason trimmed.
    public static func check(cameraIDs: [UUID], from: Date, to: Date, reason: String) throws -> String {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (3...500).contains(reason.count) else { throw Problem.reasonRequired }
        guard from < to else { throw Problem.badRange }
        guard to.timeIntervalSince(from) <= Double(maximumHours) * 3_600 else { throw Problem.tooLong(hours: maximumHours) }
        guard !cameraIDs.isEmpty else { throw Problem.noCameras }
        return reason
    }

    /// Makes an export; returns its manifest and folder. The cameras' privacy masks are blacked
    /// out unless `unmasked` (the requester's role may see behind them).
    ///
    /// For footage provided to the police (`provision`), the privacy masks are blurred instead,
    /// whatever the role, together with the boxes marked over third parties; the manifest names
    /// the provision request and every blurred area.
    public func export(cameraIDs: [UUID], from: Date, to: Date, reason rawReason: String, actor: String,
                       unmasked: Bool = false, provision: ProvisionMasking? = nil,
                       onProgress: (@Sendable (EvidenceExporter.Progress) -> Void)? = nil) async throws -> (EvidenceManifest, String) {
        let reason = try Self.check(cameraIDs: cameraIDs, from: from, to: to, reason: rawReason)
        let (sites, cameras) = try await RegistryRepository(database: database).loadAll()
        let siteByID = Dictionary(uniqueKeysWithValues: sites.map { ($0.id, $0) })
        let cameraByID = Dictionary(cameras.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let repository = RecordingRepository(database: database)
        var requests: [EvidenceExporter.CameraRequest] = []
        var seen = Set<UUID>()
        for id in cameraIDs where seen.insert(id).inserted {
            guard let camera = cameraByID[id], let site = siteByID[camera.siteID] else { throw Problem.unknownCamera(id) }
            var segments: [RecordedSegment] = []
            for segment in try await repository.segments(camera: id, from: from, to: to) {
                // In a cluster a segment is read from the node that recorded it.
                var path = segment.path
                if let peers {
                    do { path = try await peers.localPath(of: segment) } catch let unavailable as ClusterPeers.Unavailable {
                        // Gone (retention) is like a file missing here; a node down is not.
                        if unavailable.missing { continue }
                        throw Problem.unavailable(camera: id, from: segment.start, node: unavailable.node, reason: unavailable.reason)
                    }
                }
                guard FileManager.default.fileExists(atPath: path) else {
                    // Archived footage out of reach is not gone: say so rather than leave a hole.
                    if segment.isArchived {
                        throw Problem.unavailable(camera: id, from: segment.start, node: "archive",
                                                  reason: "the archive cannot be read (is it mounted?); export again when it is back")
                    }
                    continue
                }
                segments.append(RecordedSegment(cameraID: id, path: path, start: segment.start, end: segment.end, bytes: segment.bytes))
            }
            var masks = unmasked && provision == nil ? [] : try await AnalyticsRepository(database: database).settings(for: id).privacyMasks
            var blurs: [EvidenceExporter.Blur] = []
            if let provision {
                blurs = masks.compactMap { BlurFilter.Region(mask: $0) }.map { .init(kind: "privacyZone", box: $0.box) }
                    + provision.boxes.filter { $0.cameraId == id }.map { .init(kind: "box", box: $0.box, from: $0.from, to: $0.to) }
                masks = []
            }
            requests.append(.init(cameraID: id, address: site.displayAddress + (camera.position > 1 ? " #\(camera.position)" : ""),
                                  purpose: site.record.purpose.koreanName, segments: segments, privacyMasks: masks, blurs: blurs))
        }
        guard requests.contains(where: { !$0.segments.isEmpty }) else { throw Problem.nothingRecorded }
        let exportID = UUID()
        let folder = (exportsDirectory as NSString).appendingPathComponent(exportID.uuidString.lowercased())
        let manifest = try await EvidenceExporter(tools: tools).export(
            cameras: requests, from: from, to: to, reason: reason, requestedBy: actor, exportID: exportID,
            provisionRequestID: provision?.requestID, folder: folder, key: try signingKey(), now: clock(), onProgress: onProgress)
        var details: [String: AuditValue] = ["cameras": .list(cameraIDs.map { .string($0.uuidString) }), "reason": .string(reason),
                      "from": .string(ISO8601DateFormatter().string(from: from)), "to": .string(ISO8601DateFormatter().string(from: to)),
                      "madeAt": .string(ISO8601DateFormatter().string(from: manifest.createdAt)), "files": .int(Int64(manifest.files.count)),
                      "masked": .list(manifest.cameras.filter { $0.masked == true }.map { .string($0.cameraId.uuidString) })]
        if let provision {
            details["provisionRequest"] = .string(provision.requestID.uuidString)
            details["blurred"] = .int(Int64(manifest.cameras.reduce(0) { $0 + ($1.blurred?.count ?? 0) }))
        }
        do {
            try await AuditLog(database: database, clock: clock).append(AuditEvent(
                actor: actor, action: "video.export", target: exportID.uuidString, details: details))
        } catch {
            // No export may exist that the audit log does not hold: without its entry it is
            // taken back (the folder is this export's own, made above).
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
        return (manifest, folder)
    }

    /// What an export for a police provision blurs: the request's marked boxes (and, always,
    /// the cameras' privacy zones).
    public struct ProvisionMasking: Sendable {
        public var requestID: UUID
        public var boxes: [MaskingBox]

        public init(requestID: UUID, boxes: [MaskingBox]) {
            self.requestID = requestID
            self.boxes = boxes
        }
    }

    /// The folder of export `id` on this node, copied from the node of the cluster that made
    /// it when it was made elsewhere (its zip fetched and unpacked next to this node's own
    /// exports); nil when no node has it. Throws ``Problem/exportUnavailable`` when a node that may
    /// hold it is down.
    public func localExport(_ id: UUID) async throws -> String? {
        let folder = (exportsDirectory as NSString).appendingPathComponent(id.uuidString.lowercased())
        if FileManager.default.fileExists(atPath: folder) { return folder }
        guard let peers else { return nil }
        try FileManager.default.createDirectory(atPath: exportsDirectory, withIntermediateDirectories: true)
        let zipPath = folder + ".zip"
        do {
            if !FileManager.default.fileExists(atPath: zipPath) {
                guard try await peers.fetchExport(id, to: zipPath) else { return nil }
            }
        } catch let unavailable as ClusterPeers.Unavailable {
            throw Problem.exportUnavailable(id, node: unavailable.node, reason: unavailable.reason)
        }
        // Unpacked aside and moved in whole: two downloads at once never see half a folder.
        let unpacking = folder + ".unpack-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: unpacking) }
        try FileManager.default.unzipItem(at: URL(fileURLWithPath: zipPath), to: URL(fileURLWithPath: unpacking))
        if rename(unpacking, folder) != 0, !FileManager.default.fileExists(atPath: folder) {
            throw MediaFailure(operation: "unpack export \(id)", status: errno, message: String(cString: strerror(errno)))
        }
        return folder
    }

    /// A zip of an export folder (made once, next to it).
    public func zip(exportID: UUID) throws -> String {
        let folder = (exportsDirectory as NSString).appendingPathComponent(exportID.uuidString.lowercased())
        let zipPath = folder + ".zip"
        guard FileManager.default.fileExists(atPath: folder) else { throw Problem.unknownCamera(exportID) }
        if !FileManager.default.fileExists(atPath: zipPath) {
            // Made aside and renamed into place: two downloads at once never read half a zip.
            let partial = zipPath + ".part-\(UUID().uuidString.prefix(8))"
            defer { try? FileManager.default.removeItem(atPath: partial) }
            try FileManager.default.zipItem(at: URL(fileURLWithPath: folder), to: URL(fileURLWithPath: partial), shouldKeepParent: false)
            _ = rename(partial, zipPath)
        }
        return zipPath
    }

    /// ``zip(exportID:)`` on a thread of its own: zipping an hour of clips takes seconds of
    /// disk work that must not hold one of the server's few task threads.
    public func zipped(exportID: UUID) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try self.zip(exportID: exportID) }) }
        }
    }

    /// Verifies an export folder or zip; `trustedKey` defaults to nothing (the manifest's key
    /// is checked and reported).
    public static func verify(path: String, trustedKey: String?) throws -> EvidenceVerifier.Result {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw MediaFailure(operation: "open \(path)", status: 0, message: "no such file or folder")
        }
        if isFolder.boolValue { return EvidenceVerifier(trustedKey: trustedKey).verify(folder: path) }
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("cw-verify-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: work) }
        try FileManager.default.unzipItem(at: URL(fileURLWithPath: path), to: work)
        return EvidenceVerifier(trustedKey: trustedKey).verify(folder: work.path)
    }
}
