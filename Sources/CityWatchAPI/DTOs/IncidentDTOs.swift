import CityWatchApp
import CityWatchDomain
import Foundation
import Vapor

/// An alarm as consoles see it: only the cameras the user may see, each with its label.
struct AlarmDTO: Content, Equatable {
    var id: UUID
    var source: String
    var sourceRef: String?
    var priority: String
    var status: String
    var title: String
    var detail: String?
    var latitude: Double?
    var longitude: Double?
    var address: String?
    var cameraIds: [UUID]
    var cameraLabels: [String]
    var raisedAt: Date
    var drill: Bool
    var toWall: Bool
    var handledBy: String?
    var handledAt: Date?
    var notes: [AlarmNote]
    var incidentId: UUID?
    /// On a storm alarm: how many alarms it stands for, and the span they fell in.
    var storm: Storm?

    struct Storm: Content, Equatable {
        var count: Int
        var firstAt: Date
        var lastAt: Date
    }

    init(_ alarm: Alarm, view: CameraListView) {
        id = alarm.id
        source = alarm.source.rawValue
        sourceRef = alarm.sourceRef
        priority = alarm.priority.rawValue
        status = alarm.status.rawValue
        title = alarm.title
        detail = alarm.detail
        latitude = alarm.place?.latitude
        longitude = alarm.place?.longitude
        address = alarm.address
        (cameraIds, cameraLabels) = view.visible(alarm.cameraIDs)
        raisedAt = alarm.raisedAt
        drill = alarm.drill
        toWall = alarm.toWall
        handledBy = alarm.handledBy
        handledAt = alarm.handledAt
        notes = alarm.notes
        incidentId = alarm.incidentID
        storm = alarm.storm.map { Storm(count: $0.count, firstAt: $0.firstAt, lastAt: $0.lastAt) }
    }
}

extension AlarmNote: Content {}

/// An incident as consoles see it.
struct IncidentDTO: Content, Equatable {
    var id: UUID
    var number: String
    var kind: String
    var kindName: String
    var title: String
    var status: String
    var grade: Int
    var latitude: Double?
    var longitude: Double?
    var address: String?
    var occurredAt: Date
    var openedAt: Date
    var openedBy: String
    var closedAt: Date?
    var cameraIds: [UUID]
    var cameraLabels: [String]
    var clips: [IncidentClipDTO]
    var drill: Bool
    var origin: String?
    var originRef: String?

    init(_ incident: Incident, view: CameraListView) {
        id = incident.id
        number = incident.number
        kind = incident.kind.rawValue
        kindName = incident.kind.koreanName
        title = incident.title
        status = incident.status.rawValue
        grade = incident.grade
        latitude = incident.place?.latitude
        longitude = incident.place?.longitude
        address = incident.address
        occurredAt = incident.occurredAt
        openedAt = incident.openedAt
        openedBy = incident.openedBy
        closedAt = incident.closedAt
        (cameraIds, cameraLabels) = view.visible(incident.cameraIDs)
        clips = incident.clips.filter { view.scope.contains($0.cameraID) }.map {
            IncidentClipDTO(cameraId: $0.cameraID, from: $0.from, to: $0.to, label: $0.label)
        }
        drill = incident.drill
        origin = incident.origin
        originRef = incident.originRef
    }
}

struct IncidentClipDTO: Content, Equatable {
    var cameraId: UUID
    var from: Date
    var to: Date
    var label: String
}

/// `GET /api/incidents/:id`: the incident, its timeline and the alarms that joined it.
struct IncidentDetailDTO: Content {
    var incident: IncidentDTO
    var timeline: [IncidentTimelineEntry]
    var alarms: [AlarmDTO]
}

extension IncidentTimelineEntry: Content {}

/// What a console may see of a list of cameras: the ones in the user's scope, with labels.
struct CameraListView: Sendable {
    let snapshot: CameraDirectory.Snapshot
    let scope: CameraScope

    func visible(_ ids: [UUID]) -> ([UUID], [String]) {
        var shown: [UUID] = []
        var labels: [String] = []
        for id in ids where scope.contains(id) {
            shown.append(id)
            labels.append(label(id))
        }
        return (shown, labels)
    }

    func label(_ id: UUID) -> String {
        snapshot.labels.camera(id) ?? id.uuidString
    }

    /// True when the user may see something of an alarm or incident with these cameras: it has
    /// none (a bell far from cameras, a 112 report) or one in scope.
    func maySee(_ ids: [UUID]) -> Bool {
        ids.isEmpty || ids.contains(where: scope.contains)
    }
}

/// `POST /api/alarms`: an operator raises an alarm by hand.
struct RaiseAlarmRequest: StrictContent {
    static let allowedKeys: Set<String> = ["title", "detail", "priority", "cameraIds", "latitude", "longitude", "address", "toWall", "drill"]
    var title: String
    var detail: String?
    var priority: Alarm.Priority?
    var cameraIds: [UUID]?
    var latitude: Double?
    var longitude: Double?
    var address: String?
    var toWall: Bool?
    var drill: Bool?
}

/// `POST /api/alarms/:id/{acknowledge,annotate,dismiss,reopen}`.
struct AlarmNoteRequest: StrictContent {
    static let allowedKeys: Set<String> = ["note"]
    var note: String?
}

/// `POST /api/alarms/bulk`: one action on several alarms.
struct BulkAlarmRequest: StrictContent {
    static let allowedKeys: Set<String> = ["action", "ids", "note"]
    var action: String
    var ids: [UUID]
    var note: String?
}

/// What `POST /api/alarms/bulk` did: the alarms as they are now, and the ones refused with why.
struct BulkAlarmResultDTO: Content {
    struct Refused: Content {
        var id: UUID
        var reason: String
    }

    var done: [AlarmDTO]
    var refused: [Refused]
}

/// `POST /api/alarms/:id/escalate`: into an existing incident or a new one.
struct EscalateAlarmRequest: StrictContent {
    static let allowedKeys: Set<String> = ["incidentId", "kind", "title", "grade", "note"]
    var incidentId: UUID?
    var kind: Incident.Kind?
    var title: String?
    var grade: Int?
    var note: String?
}

/// `POST /api/incidents`: an incident opened by hand.
struct OpenIncidentRequest: StrictContent {
    static let allowedKeys: Set<String> = ["kind", "title", "grade", "latitude", "longitude", "address", "occurredAt", "cameraIds", "drill"]
    var kind: Incident.Kind
    var title: String
    var grade: Int?
    var latitude: Double?
    var longitude: Double?
    var address: String?
    var occurredAt: Date?
    var cameraIds: [UUID]?
    var drill: Bool?
}

struct IncidentNoteRequest: StrictContent {
    static let allowedKeys: Set<String> = ["text"]
    var text: String
}

struct LinkCamerasRequest: StrictContent {
    static let allowedKeys: Set<String> = ["cameraIds", "reason"]
    var cameraIds: [UUID]
    var reason: String?
}

struct AddClipRequest: StrictContent {
    static let allowedKeys: Set<String> = ["cameraId", "from", "to", "label"]
    var cameraId: UUID
    var from: Date
    var to: Date
    var label: String?
}

struct UpdateIncidentRequest: StrictContent {
    static let allowedKeys: Set<String> = ["status", "grade", "note"]
    var status: Incident.Status?
    var grade: Int?
    var note: String?
}

/// `POST /api/incidents/:id/castnet`: the net around the incident now, or — "follow" — around
/// the camera the suspect was just seen on.
struct IncidentCastNetRequest: StrictContent {
    static let allowedKeys: Set<String> = ["seenOnCameraId", "seenAt", "now", "toWall", "limit"]
    var seenOnCameraId: UUID?
    var seenAt: Date?
    var now: Date?
    /// Send the chosen cameras to the consoles' walls (default true).
    var toWall: Bool?
    /// How many of the chosen cameras to link and send (default 16, at most 64).
    var limit: Int?
}

/// Alarm counts for a period; drills are counted apart and never in the totals.
struct AlarmStatsDTO: Content {
    var from: Date
    var to: Date
    var total: Int
    var bySource: [String: Int]
    var byPriority: [String: Int]
    var dismissed: Int
    var escalated: Int
    var drills: Int
}
