import FluentKit
import Foundation

/// A stored analytics event; see ``CityWatchDomain/AnalyticsEvent``.
public final class AnalyticsEventModel: Model, @unchecked Sendable {
    // @unchecked: see SiteModel.
    public static let schema = "analytics_events"

    @ID public var id: UUID?
    @Field(key: "camera_id") public var cameraID: UUID
    @OptionalField(key: "rule_id") public var ruleID: UUID?
    @Field(key: "rule_name") public var ruleName: String
    @Field(key: "kind") public var kind: String
    @Field(key: "at") public var at: Date
    @Field(key: "last_at") public var lastAt: Date
    @Field(key: "repeats") public var repeats: Int
    /// JSON: track ids, boxes and classes.
    @Field(key: "objects") public var objects: String
    @OptionalField(key: "snapshot_path") public var snapshotPath: String?
    @OptionalField(key: "acknowledged_by") public var acknowledgedBy: String?
    @OptionalField(key: "acknowledged_at") public var acknowledgedAt: Date?
    @OptionalField(key: "note") public var note: String?

    public init() {}
}

/// One camera-minute of the motion grid: a summary for skipping quiet minutes and the
/// per-second grids of the seconds that had motion.
public final class MotionMinuteModel: Model, @unchecked Sendable {
    // @unchecked: see SiteModel.
    public static let schema = "motion_minutes"

    @ID public var id: UUID?
    @Field(key: "camera_id") public var cameraID: UUID
    @Field(key: "minute_at") public var minuteAt: Date
    /// Seconds of the minute with any motion.
    @Field(key: "active_seconds") public var activeSeconds: Int
    /// Per cell, the most motion in any second of the minute.
    @Field(key: "summary") public var summary: Data
    /// The encoded per-second grids (see the analytics' motion grid encoding).
    @Field(key: "seconds") public var seconds: Data
    /// The cells that moved in any second (``CityWatchDomain/GridCells``, stored signed); all
    /// ones for minutes written before the search index existed.
    @Field(key: "cells0") public var cells0: Int64
    @Field(key: "cells1") public var cells1: Int64
    @Field(key: "cells2") public var cells2: Int64

    public init() {}
}

/// A stored ``CityWatchDomain/TrackSummary``.
public final class TrackSummaryModel: Model, @unchecked Sendable {
    // @unchecked: see SiteModel.
    public static let schema = "track_summaries"

    @ID public var id: UUID?
    @Field(key: "camera_id") public var cameraID: UUID
    @Field(key: "track_id") public var trackID: Int
    @Field(key: "class") public var objectClass: String
    @Field(key: "start_at") public var start: Date
    @Field(key: "end_at") public var end: Date
    /// Sampled boxes, packed (``CityWatchDomain/ImageBox/pack(_:)``: 8 bytes a box).
    @Field(key: "path") public var path: Data
    @OptionalField(key: "color") public var color: String?
    @OptionalField(key: "direction") public var direction: Double?
    @Field(key: "speed") public var speed: Double
    /// The cells its foot points pass through (``CityWatchDomain/TrackSummary/cells``).
    @Field(key: "cells0") public var cells0: Int64
    @Field(key: "cells1") public var cells1: Int64
    @Field(key: "cells2") public var cells2: Int64
    /// Its boxes' median height (fraction of the picture), for size searches.
    @Field(key: "height") public var height: Double
    /// Its life in seconds (bounds how far back a search must look for tracks still going).
    @Field(key: "seconds") public var seconds: Double

    public init() {}
}
