import FluentKit
import Foundation
import SQLKit

/// A change of a camera's stream health.
public final class HealthEventModel: Model, @unchecked Sendable {
    // @unchecked: see SiteModel.
    public static let schema = "camera_health_events"

    @ID public var id: UUID?
    @Field(key: "camera_id") public var cameraID: UUID
    @Field(key: "at") public var at: Date
    @Field(key: "from_state") public var from: String
    @Field(key: "to_state") public var to: String
    @Field(key: "reason") public var reason: String

    public init() {}
}

/// A stretch of time with no recording.
public final class RecordingGapModel: Model, @unchecked Sendable {
    // @unchecked: see SiteModel.
    public static let schema = "recording_gaps"

    @ID public var id: UUID?
    @Field(key: "camera_id") public var cameraID: UUID
    @Field(key: "from_at") public var from: Date
    @Field(key: "to_at") public var to: Date

    public init() {}
}
