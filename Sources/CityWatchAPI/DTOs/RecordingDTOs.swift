import CityWatchApp
import CityWatchDomain
import Foundation
import Vapor

/// A camera's stream as the API shows it: never the password, only whether one is set.
struct StreamDTO: Content {
    var mainURL: String
    var subURL: String?
    var username: String?
    var hasPassword: Bool
    var loop: Bool

    init(_ stream: CameraStream) {
        mainURL = stream.mainURL
        subURL = stream.subURL
        username = stream.username
        hasPassword = !(stream.password ?? "").isEmpty
        loop = stream.loop
    }
}

/// `PUT /api/cameras/:id/stream`.
struct SetStreamRequest: Content, StrictContent {
    static let allowedKeys: Set<String> = ["mainURL", "subURL", "username", "password", "loop"]
    var mainURL: String
    var subURL: String?
    var username: String?
    /// Omitted: keep the stored password; empty: remove it.
    var password: String?
    var loop: Bool?
}

/// A camera's health now and its recent history.
struct HealthDTO: Content {
    struct Transition: Content {
        var at: Date
        var from: String
        var to: String
        var reason: String
    }

    /// Whether the camera's closed segments reach the index (playback, export and search
    /// read only what is indexed).
    struct Indexing: Content {
        /// `ok`, or `stalled` when a closed segment has waited too long for its row.
        var state: String
        /// Closed segments not indexed yet.
        var waiting: Int
        var stalledSince: Date?
        /// The last reason a row could not be written.
        var problem: String?
    }

    var cameraId: UUID
    /// The stream's health, or `indexingStalled` while its footage does not reach the index.
    var health: String
    var reason: String?
    var since: Date?
    var recording: Bool
    var indexing: Indexing?
    /// How this server analyses the camera, when it runs analytics.
    var analysis: AnalyticsService.AnalysisHealth?
    var history: [Transition]
}

/// What is recorded for a camera in a time range.
struct RecordingsDTO: Content {
    struct Segment: Content {
        var id: UUID
        var start: Date
        var end: Date
        var bytes: Int64
        /// The node that recorded it (in a cluster).
        var node: String?
        /// Where its file is: `hot` (the recording node's folder) or `archive` (the shared archive).
        var tier: String
    }

    struct Range: Content {
        var start: Date
        var end: Date
    }

    /// Recorded footage on a node of the cluster that cannot give it now.
    struct Unavailable: Content {
        var start: Date
        var end: Date
        var node: String
        var reason: String
    }

    var cameraId: UUID
    var from: Date
    var to: Date
    /// Stretches of continuous recording (segments less than 2 s apart joined).
    var ranges: [Range]
    /// Outages the recorder noticed.
    var gaps: [Range]
    var segments: [Segment]
    /// The segment the recorder is writing, from its start to now: recorded, but indexed and
    /// playable only once it closes (nil when this server is not recording the camera).
    var recordingNow: Range?
    /// Stretches of `ranges` recorded by a node that is down now: recorded, not lost, but not
    /// playable until that node is back.
    var unavailable: [Unavailable] = []
}

/// `POST /api/holds`.
struct CreateHoldRequest: Content, StrictContent {
    static let allowedKeys: Set<String> = ["cameraId", "from", "to", "reason"]
    var cameraId: UUID
    var from: Date
    var to: Date
    var reason: String
}

/// A legal hold.
struct HoldDTO: Content {
    var id: UUID
    var cameraId: UUID
    var from: Date
    var to: Date
    var reason: String
    var createdBy: String
    var createdAt: Date
}

/// Retention settings.
struct RetentionDTO: Content, StrictContent {
    static let allowedKeys: Set<String> = ["defaultDays", "purposes", "defaultArchiveAfterHours", "archiveAfterHours", "exportKeepDays"]
    /// Days when neither camera, purpose nor registry says otherwise (read-only: configuration).
    var defaultDays: Int?
    /// Days per purpose code.
    var purposes: [String: Int]
    /// Hours after which footage moves to the archive when its purpose says nothing (read-only:
    /// configuration; absent when there is no archive tier).
    var defaultArchiveAfterHours: Double?
    /// Hours per purpose code after which its footage moves to the archive; on a change, left
    /// out keeps them as they are.
    var archiveAfterHours: [String: Double]?
    /// Days an evidence export is kept after it was made (read-only: configuration).
    var exportKeepDays: Int?
}
