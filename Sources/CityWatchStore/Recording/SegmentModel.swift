import CityWatchDomain
import FluentKit
import Foundation
import SQLKit

/// A closed recording segment.
public final class SegmentModel: Model, @unchecked Sendable {
    // @unchecked: see SiteModel.
    public static let schema = "segments"

    @ID public var id: UUID?
    @Field(key: "camera_id") public var cameraID: UUID
    @Field(key: "start_at") public var start: Date
    @Field(key: "end_at") public var end: Date
    @Field(key: "bytes") public var bytes: Int64
    /// Absolute path on the recording node.
    @Field(key: "path") public var path: String
    /// `ok`, or `missing` when the file vanished from disk.
    @Field(key: "status") public var status: String
    @Field(key: "created_at") public var createdAt: Date
    /// The cluster node that wrote it (nil on a single node, and before clusters).
    @OptionalField(key: "node") public var node: String?
    /// `hot` (the recording node's folder) or `archive` (the shared archive): ``StorageTier``.
    @Field(key: "tier") public var tier: String
    /// Hex SHA-256 of the file, set when a move to the archive verified its copy.
    @OptionalField(key: "sha256") public var sha256: String?

    /// True when the file is in the shared archive, which every node reads.
    public var isArchived: Bool { tier == StorageTier.archive.rawValue }

    /// A new row is in the hot tier unless told otherwise (on SQLite Fluent writes every field,
    /// so the column's default would not apply).
    public init() {
        tier = StorageTier.hot.rawValue
    }
}
