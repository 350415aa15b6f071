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

    public init() {}
}
