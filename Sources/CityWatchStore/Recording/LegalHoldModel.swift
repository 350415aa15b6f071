import FluentKit
import Foundation
import SQLKit

/// Footage of a camera and time range that retention must never delete.
public final class LegalHoldModel: Model, @unchecked Sendable {
    // @unchecked: see SiteModel.
    public static let schema = "legal_holds"

    @ID public var id: UUID?
    @Field(key: "camera_id") public var cameraID: UUID
    @Field(key: "from_at") public var from: Date
    @Field(key: "to_at") public var to: Date
    @Field(key: "reason") public var reason: String
    @Field(key: "created_by") public var createdBy: String
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "released_at") public var releasedAt: Date?

    public init() {}
}
