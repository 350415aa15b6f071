import FluentKit
import Foundation

/// The search index for motion: for one camera-hour, the cells that moved in any of its minutes
/// (the database skips every camera-hour whose cells miss the region) and, per cell, the runs
/// of seconds in which it moved (``CellRuns``), so a search reads one row a camera-hour.
public final class MotionHourModel: Model, @unchecked Sendable {
    // @unchecked: see SiteModel.
    public static let schema = "motion_hours"

    @ID public var id: UUID?
    @Field(key: "camera_id") public var cameraID: UUID
    @Field(key: "hour_at") public var hourAt: Date
    @Field(key: "cells0") public var cells0: Int64
    @Field(key: "cells1") public var cells1: Int64
    @Field(key: "cells2") public var cells2: Int64
    /// ``CellRuns/bytes``; nil for an hour written before runs were kept (read from its minutes).
    @OptionalField(key: "runs") public var runs: Data?

    public init() {}
}
