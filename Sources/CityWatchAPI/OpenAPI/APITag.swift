/// The parts of the API as docs/API.md groups them, each with the prose a reader needs before
/// its table.
enum APITag: String, CaseIterable, Sendable {
    case session, cameras, administration, recording, retention, analytics, search, alarms, bells, provision, platform, retasking, system

    /// The tag's name in the document, and the heading in docs/API.md.
    var name: String {
        switch self {
        case .session: "Sessions"
        case .cameras: "Cameras and the map"
        case .administration: "Users, groups, registry and audit"
        case .recording: "Recording, playback and live video"
        case .retention: "Retention, legal holds and evidence exports"
        case .analytics: "Analytics and events"
        case .search: "Search and cast-net"
        case .alarms: "Alarms and incidents"
        case .bells: "Emergency bells"
        case .provision: "Provision to third parties and data subjects"
        case .platform: "Integrated platform (112/119) and incident shares"
        case .retasking: "Re-tasking"
        case .system: "System"
        }
    }

    /// Prose shown under the heading.
    var description: String {
        switch self {
        case .session:
            """
            Log in with `POST /api/login`; the server sets the cookie `cw_session` (HttpOnly, SameSite=Strict, Path=/). \
            The answer carries `csrfToken`, to send as `X-CSRF-Token` with every state-changing request.
            """
        case .cameras:
            """
            `GET /api/cameras` takes one of three areas: `near=LAT,LON&radius=METRES` (cameras within the radius, nearest \
            first, each with `distanceMetres`), `near=LAT,LON&k=N` (the N nearest cameras) or `bbox=SOUTH,WEST,NORTH,EAST` \
            (cameras inside the box); and `purpose=CODE` (repeatable or comma-separated; the registry's purpose — a re-tasked \
            camera is found under its registry purpose, with `effectivePurpose` saying what it serves now), `q=TEXT` \
            (address, agency, view direction), `offset` (default 0) and `limit` (default 100, at most 1000).
            """
        case .administration:
            "Users, camera groups, the camera registry's import and export, and the audit log."
        case .recording:
            """
            Live video is a WebSocket: the text message `{"type":"init","codec":"avc1.64001f","masked":false}`, then binary \
            messages — the MP4 initialisation segment, then media fragments, for Media Source Extensions \
            (`video/mp4; codecs="…"`). A new `init` text may come again (the camera's stream restarted): reset the source \
            buffer. When the camera is not being recorded the socket opens, sends `{"type":"error","status":409,"reason":…}` \
            and closes with code 4409. `masked: true`: the camera has privacy masks and the viewer's role may not see behind \
            them, so the stream is the camera's video re-encoded with the masks blacked out.
            """
        case .retention:
            "How long footage is kept, legal holds that keep it longer, and signed evidence exports."
        case .analytics:
            """
            Coordinates on a camera's picture are fractions of its width and height, (0, 0) top left (`Point`, `Zone`, \
            `Line`, `Box`). Rule classes: `person`, `bicycle`, `car`, `motorcycle`, `bus`, `truck`, `unknown`. An example rule:
            `{"id": "UUID", "name": "school yard after hours", "enabled": true, "kind": {"intrusion": {"zone": Zone}}, \
            "classes": ["person"], "minimumHeight": 0.05, "coolDownSeconds": 30, "schedule": {"windows": [{"days": \
            [1, 2, 3, 4, 5], "startMinute": 1080, "endMinute": 420}]}}`
            """
        case .search:
            """
            Search reads the analytics metadata (`SearchQuery`, `SearchResult`, `Episode`); picture coordinates are \
            fractions (0, 0 top left). Colours: black, white, gray, red, orange, yellow, green, blue, purple. Cast-net picks \
            the cameras around a place and along the roads away from it (the configured road network, `CITYWATCH_ROAD_NETWORK`).
            """
        case .alarms:
            """
            The alarm queue and incidents. The live feed `GET /api/alarms/live` (WebSocket) sends JSON text messages: \
            `{type: "alarm"|"alarm.update", alarm}`, `{type: "incident"|"incident.update", incident}`, `{type: "wall", \
            cameraIds, labels, reason, alarmId?, incidentId?, drill}` (put these cameras on the wall, in this order) — only \
            what the user's groups allow.
            """
        case .bells:
            "The emergency-bell registry, signed presses from the bells, and drill windows."
        case .provision:
            """
            Footage provided to a third party (the police, a court) goes through a request, a privacy officer's decision, an \
            export with privacy zones and boxes blurred, and a ledger line; data subjects' requests have a 10-day deadline.
            """
        case .platform:
            """
            `POST /api/platform/events` takes a 112/119 event with `Authorization: Bearer SECRET` (`citywatch partners add \
            NAME` prints the secret once). Body (JSON, at most 16 KiB — larger is 400, over the server's 1 MB body limit 413; \
            numbers as JSON numbers or text):
            `{"evtId": "EVT-20260528-0001", "evtNm": "112 긴급영상지원", "evtGrad": "1", "ocrNbr": "112-0528-7731", \
            "ocrSts": "발생", "ocrLc": {"crdntX": "127.0310", "crdntY": "37.4985"}, "ocrPlc": "서울 강남구 역삼동 강남역 \
            11번 출구", "ocrEvtCn": "강도 신고", "ocrEvtTime": "20260528143000"}`
            Required: `evtId`, `evtNm`, `evtGrad` (1–3), `ocrSts` (`발생`, `진행`/`진행중`, `종료`; or `occurred`, \
            `inProgress`, `ended`), `ocrLc.crdntX` (longitude), `ocrLc.crdntY` (latitude; in South Korea and within 5 km of \
            a camera of the district), `ocrEvtTime` (yyyyMMddHHmmss, Korean time, not in the future); optional `ocrNbr`, \
            `ocrPlc`, `ocrEvtCn`, `svcTy` (`112`/`119`; without it `evtNm` must name one). 발생 opens an alarm, an incident \
            and its cast-net; a later status updates (종료 closes); a status already received changes nothing. Incident \
            shares give a partner a token (`/api/shared/:token/…`) for some cameras of an incident, for a while.
            """
        case .retasking:
            """
            A parking or traffic-enforcement camera can serve crime prevention for a while: its analytics rules become the \
            crime-watch profile until it reverts, by hand or when its time is up (the server reverts due re-taskings by \
            itself as `system`).
            """
        case .system:
            "Health, metrics, the console's settings and this document."
        }
    }
}
