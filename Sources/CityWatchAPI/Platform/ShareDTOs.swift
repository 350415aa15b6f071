import CityWatchApp
import CityWatchDomain
import Foundation
import Vapor

/// `POST /api/incidents/:id/share`.
struct ShareIncidentRequest: StrictContent {
    static let allowedKeys: Set<String> = ["partner", "cameraIds", "minutes"]
    /// A registered partner's name (`citywatch partners list`).
    var partner: String
    /// Some of the incident's cameras; default all of them (that the operator may see).
    var cameraIds: [UUID]?
    /// How long the token lasts: 1–1,440, default 30.
    var minutes: Int?
}

/// A share as operators list it (never its token).
struct ShareDTO: Content {
    var id: UUID
    var partner: String
    var cameraIds: [UUID]
    var playbackFrom: Date
    var playbackTo: Date
    var expiresAt: Date
    var revokedAt: Date?
    var createdBy: String

    init(_ grant: IncidentSharing.Grant) {
        id = grant.id
        partner = grant.partner
        cameraIds = grant.cameraIDs
        playbackFrom = grant.playbackFrom
        playbackTo = grant.playbackTo
        expiresAt = grant.expiresAt
        revokedAt = grant.revokedAt
        createdBy = grant.createdBy
    }
}

/// What a share holds: the incident in brief and each camera with its live and playback links.
struct SharedIncidentDTO: Content {
    struct SharedCamera: Content {
        var cameraId: UUID
        var label: String
        /// WebSocket path of the live video (same messages as `/api/cameras/:id/live`).
        var live: String
        /// The camera's recordings in the share's window.
        var playback: String
    }

    struct Brief: Content {
        var number: String
        var kind: String
        var title: String
        var status: String
        var occurredAt: Date
        var latitude: Double?
        var longitude: Double?
        var address: String?
    }

    var shareId: UUID
    var token: String
    var url: String
    var partner: String
    var expiresAt: Date
    var playbackFrom: Date
    var playbackTo: Date
    var incident: Brief
    var cameras: [SharedCamera]

    init(_ grant: IncidentSharing.Grant, token: String, incident: Incident, view: CameraListView) {
        shareId = grant.id
        self.token = token
        url = "/api/shared/\(token)"
        partner = grant.partner
        expiresAt = grant.expiresAt
        playbackFrom = grant.playbackFrom
        playbackTo = grant.playbackTo
        self.incident = Brief(number: incident.number, kind: incident.kind.rawValue, title: incident.title, status: incident.status.rawValue,
                              occurredAt: incident.occurredAt, latitude: incident.place?.latitude, longitude: incident.place?.longitude,
                              address: incident.address)
        cameras = grant.cameraIDs.map {
            SharedCamera(cameraId: $0, label: view.label($0), live: "/api/shared/\(token)/live/\($0)", playback: "/api/shared/\(token)/playback/\($0)")
        }
    }
}

/// `GET /api/shared/:token/playback/:camera`: the recordings in the asked part of the window.
struct SharedPlaybackDTO: Content {
    struct Segment: Content {
        var id: UUID
        var start: Date
        var end: Date
        /// The segment as fragmented MP4, by the same token.
        var url: String
    }

    var cameraId: UUID
    var from: Date
    var to: Date
    var segments: [Segment]
}
