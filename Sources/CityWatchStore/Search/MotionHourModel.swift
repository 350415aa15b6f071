import FluentKit
import Foundation

/// The top of the search index: for one camera-hour, the cells that moved in any of its
/// minutes. A search reads these first and skips every camera-hour whose cells miss the region.
public final class MotionHourModel: Model, @unchecked Sendable {
    // @unchecked: see SiteModel.
    public static let schema = "motion_hours"

    @ID public var id: UUID?
    @Field(key: "camera_id") public var cameraID: UUID
    @Field(key: "hour_at") public var hourAt: Date
    @Field(key: "cells0") public var cells0: Int64
    @Field(key: "cells1") public var cells1: Int64
    @Field(key: "cells2") public var cells2: Int64

    public init() {}
}
