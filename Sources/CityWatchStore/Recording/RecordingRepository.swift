import CityWatchDomain
import FluentKit
import Foundation
import SQLKit

/// Streams, segments, health, gaps and legal holds in the store.
public struct RecordingRepository: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    // MARK: Streams

    /// Sets (or replaces) a camera's stream; the password is sealed.
    public func setStream(_ stream: CameraStream, for cameraID: UUID, sealer: CredentialSealer, now: Date) async throws {
        let model = try await CameraStreamModel.find(cameraID, on: database) ?? CameraStreamModel()
        model.id = cameraID
        model.mainURL = stream.mainURL
        model.subURL = stream.subURL
        model.username = stream.username
        model.passwordSealed = try stream.password.map(sealer.seal)
        model.loop = stream.loop
        model.updatedAt = now
        try await model.save(on: database)
    }

    /// Removes a camera's stream (it stops being recorded).
    public func removeStream(for cameraID: UUID) async throws {
        try await CameraStreamModel.query(on: database).filter(\.$id == cameraID).delete()
    }

    /// The stream of one camera, password opened.
    public func stream(for cameraID: UUID, sealer: CredentialSealer) async throws -> CameraStream? {
        guard let model = try await CameraStreamModel.find(cameraID, on: database) else { return nil }
        return try Self.stream(model, sealer: sealer)
    }

    /// Every enabled camera that has a stream.
    public func recordableStreams(sealer: CredentialSealer) async throws -> [(cameraID: UUID, stream: CameraStream)] {
        let enabled = Set(try await CameraModel.query(on: database).filter(\.$enabled == true).all().compactMap(\.id))
        return try await CameraStreamModel.query(on: database).all().compactMap { model in
            guard let id = model.id, enabled.contains(id) else { return nil }
            return (id, try Self.stream(model, sealer: sealer))
        }
    }

    /// Cameras with a stream configured (enabled or not).
    public func camerasWithStreams() async throws -> Set<UUID> {
        Set(try await CameraStreamModel.query(on: database).all().compactMap(\.id))
    }

    static func stream(_ model: CameraStreamModel, sealer: CredentialSealer) throws -> CameraStream {
        CameraStream(mainURL: model.mainURL, subURL: model.subURL, username: model.username,
                     password: try model.passwordSealed.map(sealer.open), loop: model.loop)
    }

    // MARK: Segments

    /// Indexes a closed segment (again: a second report of the same file is ignored), written on
    /// `node` (nil on a single node). With `lease`, only while it is the camera's current lease
    /// (``FencedWrite`` otherwise): the check and the row are one transaction.
    public func addSegment(_ segment: RecordedSegment, now: Date, node: String? = nil, lease: LeaseToken? = nil) async throws {
        if let lease {
            try await fenced(lease, camera: segment.cameraID) { try await $0.addSegment(segment, now: now, node: node) }
            return
        }
        if try await SegmentModel.query(on: database).filter(\.$path == segment.path).first() != nil { return }
        let model = SegmentModel()
        model.node = node
        model.cameraID = segment.cameraID
        model.start = segment.start
        model.end = segment.end
        model.bytes = segment.bytes
        model.path = segment.path
        model.status = "ok"
        model.createdAt = now
        try await model.create(on: database)
    }

    /// Runs `body` in a transaction that holds `camera`'s lease row (shared) after checking that
    /// `lease` is its current lease; throws ``FencedWrite`` otherwise, writing nothing.
    public func fenced<T: Sendable>(_ lease: LeaseToken, camera: UUID, _ body: @escaping @Sendable (RecordingRepository) async throws -> T) async throws -> T {
        try await database.writeTransaction { tx in
            try await ClusterStore(database: tx).requireHolder(lease, camera: camera)
            return try await body(RecordingRepository(database: tx))
        }
    }

    /// Segments of a camera that overlap `from…to`, in time order.
    public func segments(camera: UUID, from: Date, to: Date) async throws -> [SegmentModel] {
        try await SegmentModel.query(on: database).filter(\.$cameraID == camera)
            .filter(\.$end > from).filter(\.$start < to).filter(\.$status == "ok")
            .sort(\.$start).all()
    }

    /// Every segment of a camera (for reconciling with the disk); with `node`, only those written
    /// there (in a cluster each node reconciles its own disk).
    public func allSegments(camera: UUID, node: String? = nil) async throws -> [SegmentModel] {
        var query = SegmentModel.query(on: database).filter(\.$cameraID == camera)
        if let node { query = query.filter(\.$node == node) }
        return try await query.sort(\.$start).all()
    }

    /// The paths of every segment of a camera (a pipeline starting knows which files in its
    /// folder are indexed already); with `node`, only those written there.
    public func segmentPaths(camera: UUID, node: String? = nil) async throws -> [String] {
        var query = SegmentModel.query(on: database).filter(\.$cameraID == camera)
        if let node { query = query.filter(\.$node == node) }
        return try await query.all(\.$path)
    }

    /// Every segment, oldest first (for retention); with `node`, only those written there; with
    /// `tier`, only those in it.
    public func allSegmentsOldestFirst(node: String? = nil, tier: StorageTier? = nil) async throws -> [SegmentModel] {
        var query = SegmentModel.query(on: database).filter(\.$status == "ok")
        if let node { query = query.filter(\.$node == node) }
        if let tier { query = query.filter(\.$tier == tier.rawValue) }
        return try await query.sort(\.$start).all()
    }

    /// Playable hot segments of `node` (nil: every node), oldest first: those that ended by
    /// `endedBefore` when given, at most `limit` when given.
    public func hotSegmentsOldestFirst(node: String?, endedBefore: Date? = nil, limit: Int? = nil) async throws -> [SegmentModel] {
        var query = SegmentModel.query(on: database).filter(\.$status == "ok").filter(\.$tier == StorageTier.hot.rawValue)
        if let node { query = query.filter(\.$node == node) }
        if let endedBefore { query = query.filter(\.$end <= endedBefore) }
        query = query.sort(\.$start)
        if let limit { query = query.limit(limit) }
        return try await query.all()
    }

    /// The archived segments of a camera (every node's: the archive is shared).
    public func archivedSegments(camera: UUID) async throws -> [SegmentModel] {
        try await SegmentModel.query(on: database).filter(\.$cameraID == camera)
            .filter(\.$tier == StorageTier.archive.rawValue).sort(\.$start).all()
    }

    /// Points segment `id` at `path` in `tier` (with the SHA-256 its copy was verified with),
    /// only while its row still points at `from` and plays: false, changing nothing, otherwise.
    /// One transaction; `beforeCommit` runs inside it after the change (a test's kill point).
    public func switchTier(_ id: UUID, from: String, to path: String, tier: StorageTier, sha256: String?,
                           beforeCommit: @escaping @Sendable () -> Void = {}) async throws -> Bool {
        try await database.writeTransaction { tx in
            guard try await SegmentModel.query(on: tx).filter(\.$id == id).filter(\.$path == from)
                .filter(\.$status == "ok").first() != nil else { return false }
            var update = SegmentModel.query(on: tx).filter(\.$id == id)
                .set(\.$path, to: path).set(\.$tier, to: tier.rawValue)
            if let sha256 { update = update.set(\.$sha256, to: sha256) }
            try await update.update()
            beforeCommit()
            return true
        }
    }

    /// How much footage a tier holds: playable segments, their bytes, and the start of the oldest.
    public struct TierTotals: Sendable, Equatable {
        public var segments = 0
        public var bytes: Int64 = 0
        public var oldest: Date?

        public init(segments: Int = 0, bytes: Int64 = 0, oldest: Date? = nil) {
            self.segments = segments
            self.bytes = bytes
            self.oldest = oldest
        }
    }

    /// The footage in `tier`; with `node`, only what that node recorded.
    public func totals(tier: StorageTier, node: String? = nil) async throws -> TierTotals {
        var query = SegmentModel.query(on: database).filter(\.$status == "ok").filter(\.$tier == tier.rawValue)
        if let node { query = query.filter(\.$node == node) }
        let count = try await query.copy().count()
        guard count > 0 else { return TierTotals() }
        // PostgreSQL sums a bigint column as numeric: cast back so both stores give an integer.
        let sum = database.sql.select().column(SQLRaw("CAST(COALESCE(SUM(bytes), 0) AS BIGINT)"), as: "total")
            .from(SegmentModel.schema).where("status", .equal, "ok").where("tier", .equal, tier.rawValue)
        if let node { sum.where("node", .equal, node) }
        let bytes = try await sum.first()?.decode(column: "total", as: Int64.self) ?? 0
        let oldest = try await query.copy().min(\.$start)
        return TierTotals(segments: count, bytes: bytes, oldest: oldest)
    }

    /// Marks segments whose file is gone.
    public func markMissing(_ ids: [UUID]) async throws {
        guard !ids.isEmpty else { return }
        try await SegmentModel.query(on: database).filter(\.$id ~~ ids).set(\.$status, to: "missing").update()
    }

    /// Forgets segments (after their files were deleted).
    public func deleteSegments(_ ids: [UUID]) async throws {
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            try await SegmentModel.query(on: database).filter(\.$id ~~ chunk).delete()
        }
    }

    // MARK: Health and gaps

    /// Records a health transition and the camera's current state.
    public func recordHealth(camera: UUID, from: String, to: String, at: Date, reason: String) async throws {
        let event = HealthEventModel()
        event.cameraID = camera
        event.at = at
        event.from = from
        event.to = to
        event.reason = String(reason.prefix(500))
        try await event.create(on: database)
        try await CameraModel.query(on: database).filter(\.$id == camera)
            .set(\.$health, to: to).set(\.$healthReason, to: String(reason.prefix(500))).set(\.$healthSince, to: at).update()
    }

    /// Health transitions of a camera, newest first.
    public func healthHistory(camera: UUID, limit: Int = 100) async throws -> [HealthEventModel] {
        try await HealthEventModel.query(on: database).filter(\.$cameraID == camera).sort(\.$at, .descending).limit(limit).all()
    }

    /// Records a stretch without recording.
    public func recordGap(camera: UUID, from: Date, to: Date) async throws {
        let gap = RecordingGapModel()
        gap.cameraID = camera
        gap.from = from
        gap.to = to
        try await gap.create(on: database)
    }

    /// The end of the camera's last segment that ended by `time` (any node's), if any.
    public func lastSegmentEnd(camera: UUID, before time: Date) async throws -> Date? {
        try await SegmentModel.query(on: database).filter(\.$cameraID == camera).filter(\.$end <= time)
            .sort(\.$end, .descending).first()?.end
    }

    /// Gaps of a camera overlapping `from…to`.
    public func gaps(camera: UUID, from: Date, to: Date) async throws -> [RecordingGapModel] {
        try await RecordingGapModel.query(on: database).filter(\.$cameraID == camera)
            .filter(\.$to > from).filter(\.$from < to).sort(\.$from).all()
    }

    // MARK: Legal holds

    /// Places a legal hold.
    public func addHold(camera: UUID, from: Date, to: Date, reason: String, by actor: String, now: Date) async throws -> LegalHoldModel {
        let hold = LegalHoldModel()
        hold.cameraID = camera
        hold.from = from
        hold.to = to
        hold.reason = reason
        hold.createdBy = actor
        hold.createdAt = now
        try await hold.create(on: database)
        return hold
    }

    /// Holds not yet released.
    public func activeHolds() async throws -> [LegalHoldModel] {
        try await LegalHoldModel.query(on: database).filter(\.$releasedAt == nil).all()
    }

    /// Releases a hold of a camera `mayRelease` allows; false when there is no such active hold.
    public func releaseHold(_ id: UUID, now: Date, mayRelease: (UUID) -> Bool = { _ in true }) async throws -> Bool {
        guard let hold = try await LegalHoldModel.find(id, on: database), hold.releasedAt == nil, mayRelease(hold.cameraID) else { return false }
        hold.releasedAt = now
        try await hold.update(on: database)
        return true
    }
}
