import CityWatchDomain
import Foundation
import Vapor

/// `GET /api/cameras/:id/analytics`: the camera's rules and masks, and whether it is analysed now.
struct AnalyticsSettingsDTO: Content {
    var cameraId: UUID
    var enabled: Bool
    var rules: [AnalyticsRule]
    var privacyMasks: [ImagePolygon]
    /// The profile chosen (`automatic` or `motionOnly`).
    var profile: AnalysisProfile
    /// True when the camera runs the detector-led profile with these settings here: the rules
    /// then count named objects (the rule editor says which).
    var detectorLed: Bool
    /// True when this server analyses the camera right now (it records it with analysis frames).
    var running: Bool

    init(cameraId: UUID, settings: CameraAnalyticsSettings, running: Bool, detectorLoaded: Bool) {
        self.cameraId = cameraId
        enabled = settings.enabled
        rules = settings.rules
        privacyMasks = settings.privacyMasks
        profile = settings.profile
        detectorLed = settings.isDetectorLed(detectorLoaded: detectorLoaded)
        self.running = running
    }
}

/// `PUT /api/cameras/:id/analytics`: the whole settings document.
struct SetAnalyticsRequest: Content, StrictContent {
    static let allowedKeys: Set<String> = ["enabled", "rules", "privacyMasks", "profile"]
    var enabled: Bool?
    /// Absent: the rules stay as they are (as `enabled`, `privacyMasks` and `profile`).
    var rules: [AnalyticsRule]?
    var privacyMasks: [ImagePolygon]?
    var profile: AnalysisProfile?
}

/// `POST /api/events/:id/acknowledge`.
struct AcknowledgeRequest: Content, StrictContent {
    static let allowedKeys: Set<String> = ["note"]
    var note: String?
}

/// An analytics event as the console shows it, with links to its snapshot and to playback.
struct EventDTO: Content {
    var id: UUID
    var cameraId: UUID
    var ruleId: UUID?
    var ruleName: String
    var kind: String
    /// The priority the event's alarm gets (what `?severity=` filters on).
    var severity: String
    var at: Date
    var lastAt: Date
    var repeats: Int
    var trackIds: [Int]
    var boxes: [ImageBox]
    var classes: [ObjectClass]
    var snapshotURL: String?
    /// The console's playback view at the moment of the event (a few seconds before it).
    var playbackURL: String
    var acknowledgedBy: String?
    var acknowledgedAt: Date?
    var note: String?

    init(_ event: AnalyticsEvent) {
        id = event.id
        cameraId = event.cameraID
        ruleId = event.ruleID
        ruleName = event.ruleName
        kind = event.kind
        severity = Alarm.priority(forAnalyticsKind: event.kind).rawValue
        at = event.at
        lastAt = event.lastAt
        repeats = event.repeats
        trackIds = event.trackIDs
        boxes = event.boxes
        classes = event.classes
        snapshotURL = event.hasSnapshot ? "/api/events/\(event.id)/snapshot" : nil
        let formatter = ISO8601DateFormatter()
        playbackURL = "/#playback?camera=\(event.cameraID)&at=\(formatter.string(from: event.at.addingTimeInterval(-5)))"
        acknowledgedBy = event.acknowledgedBy
        acknowledgedAt = event.acknowledgedAt
        note = event.note
    }
}

/// One message of `GET /api/events/live`.
struct LiveEventMessage: Encodable {
    var type: String
    var event: EventDTO?
    var cameraId: UUID?
    var state: String?
    var at: Date?
    var detail: String?
}
