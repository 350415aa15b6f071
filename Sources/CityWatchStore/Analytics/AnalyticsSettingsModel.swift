import FluentKit
import Foundation

/// A camera's analytics settings (rules, privacy masks, on/off) as one JSON document: rules are
/// read and written whole by the console, and never queried by their parts.
public final class AnalyticsSettingsModel: Model, @unchecked Sendable {
    // @unchecked: see SiteModel.
    public static let schema = "camera_analytics"

    /// The camera's id.
    @ID(custom: "camera_id", generatedBy: .user) public var id: UUID?
    @Field(key: "settings") public var settings: String
    @Field(key: "updated_at") public var updatedAt: Date
    @Field(key: "updated_by") public var updatedBy: String

    public init() {}
}
