import CityWatchDomain
import OpenAPIKit

extension APIDocument {
    /// `{note?}`, the optional body of acknowledgements and alarm actions.
    static var noteBody: APIBody {
        APIBody(contentType: .json, schema: object(nil, ["note": optional(.string(maxLength: 1000))]), required: false)
    }

    static var analytics: [APIEndpoint] {
        let ruleAccess = Access.only(.administrator, .operator, .privacyOfficer)
        return [
            APIEndpoint(
                method: .get, path: "/api/cameras/:id/analytics", access: ruleAccess, tag: .analytics, summary: "A camera's rules and masks",
                description: "→ `{cameraId, enabled, rules: [AnalyticsRule], privacyMasks: [Zone], profile, detectorLed, running}`",
                answers: [.ok(ref("AnalyticsSettings"))]),
            APIEndpoint(
                method: .put, path: "/api/cameras/:id/analytics", access: ruleAccess, tag: .analytics, summary: "Change a camera's rules or masks",
                description: """
                    `{enabled?, rules?, privacyMasks?, profile?}` → the same; a field left out stays as stored; each field given is \
                    replaced whole, or nothing is (400 naming the rule and field, e.g. `rules[1] 'gate': kind.zone: point 2 \
                    (1.4, 0.5) is outside the picture (0...1)`). `rules`, `enabled` and `profile` change only for administrators and \
                    operators, `privacyMasks` only for administrators and privacy officers (a field sent unchanged is fine); \
                    otherwise 403 naming the field, audit-logged `analytics.settings.refused`. Audit-logged as \
                    `analytics.settings`, or `privacy.masks` when the masks changed
                    """,
                body: .json(object(nil, [
                    "enabled": optional(boolean), "rules": optional(list(ref("AnalyticsRule"))), "privacyMasks": optional(list(ref("Zone"))),
                    "profile": optional(oneOf(AnalysisProfile.allCases.map(\.rawValue))),
                ])),
                answers: [.ok(ref("AnalyticsSettings"))]),
            APIEndpoint(
                method: .get, path: "/api/cameras/:id/snapshot", access: viewers, tag: .analytics, summary: "The camera's latest picture",
                description: """
                    → `image/jpeg`, the camera's latest keyframe at full size (to draw rules on), privacy masks blacked out for \
                    roles that may not see behind them; 409 when it is not recorded here. Audit-logged as `video.snapshot`
                    """,
                answers: [.file(.jpg, "The picture."), .refused(409, "The camera is not recorded here."),
                          .refused(503, "The snapshot could not be made.")]),
            APIEndpoint(
                method: .get, path: "/api/events", access: viewers, tag: .analytics, summary: "Analytics events",
                description: """
                    `?camera=&kind=&severity=&state=&since=&until=&unacknowledged=true&limit=` → `[Event]` newest first (at \
                    most 500), only of visible cameras. Filters: `camera` (an id the user may see; 404 otherwise), `kind` (rule \
                    kinds, comma-separated: `intrusion`, `loitering`, `lineCrossing`, `crowding`, `objectLeft`, `abandonedObject`, `fall`, \
                    `fight`), \
                    `severity` (the priority the event's alarm gets: `critical`, `high`, `normal`, `low`), `state` \
                    (`unacknowledged`, `acknowledged`); a value outside these is a 400 naming the filter and the values it takes
                    """,
                query: [
                    query("camera", uuid, "Only this camera's events."), query("kind", text, "Rule kinds, comma-separated."),
                    query("severity", text, "Priorities, comma-separated."), query("state", text, "`unacknowledged`, `acknowledged`."),
                    query("since", time, "From this time."), query("until", time, "Up to this time."),
                    query("unacknowledged", .boolean, "Only events not acknowledged."),
                    query("limit", whole(1...500), "Default 100."),
                ],
                answers: [.ok(list(ref("Event"))), .refused(404, "The camera filter names a camera the user may not see.")]),
            APIEndpoint(
                method: .get, path: "/api/events/live", access: viewers, tag: .analytics, summary: "New events as they come (WebSocket)",
                description: """
                    text messages `{"type":"event","event":Event}` (new), `{"type":"update","event":Event}` (acknowledged, or \
                    a repeat merged), `{"type":"tamper","cameraId","state","at","detail"}` (`normal`, `covered`, `defocused`, \
                    `moved`, `frozen`), only for visible cameras (re-read within 2 s of a role or group change made anywhere: \
                    the feed narrows, or ends with close code 4401). Without analytics in the process: `{"type":"error",…}` \
                    and close code 4409
                    """,
                answers: [webSocketAnswer], fuzzing: .skip("a WebSocket")),
            APIEndpoint(
                method: .get, path: "/api/events/:id", access: viewers, tag: .analytics, summary: "One event",
                description: "→ `Event`", answers: [.ok(ref("Event"))]),
            APIEndpoint(
                method: .get, path: "/api/events/:id/snapshot", access: viewers, tag: .analytics, summary: "The frame that fired the rule",
                description: """
                    → `image/jpeg`: the analysis frame that fired the rule, privacy masks blacked out (stored so). Audit-logged as \
                    `event.snapshot`
                    """,
                answers: [.file(.jpg, "The frame.")]),
            APIEndpoint(
                method: .post, path: "/api/events/:id/acknowledge", access: viewers, tag: .analytics, summary: "Acknowledge an event",
                description: """
                    `{note?}` → `Event`; a second acknowledgement keeps the first and appends its note. Audit-logged as \
                    `event.acknowledge`
                    """,
                body: noteBody, answers: [.ok(ref("Event"))]),
        ]
    }

    static var search: [APIEndpoint] {
        [
            APIEndpoint(
                method: .post, path: "/api/search", access: viewers, tag: .search, summary: "Search the recorded metadata",
                description: """
                    `SearchQuery` → `{kind: "motion"|"objects", episodes: [Episode], total, cameras, reads: {hours, minutes, \
                    tracks}, milliseconds}`. 400 naming the field for a bad query (inverted range, a self-intersecting or empty \
                    region, an unknown class or colour, `crossing` without `line`, `dwellSeconds` without `region`, …) and for \
                    one covering more than 200,000 camera-hours (e.g. a year over every camera); 404 for a camera id the user \
                    may not see; 503 after 15 s. Only cameras the user may see are searched. Audit-logged as `search` (cameras, \
                    period, kind, found)
                    """,
                body: .json(ref("SearchQuery")),
                answers: [.ok(ref("SearchResult")), .refused(404, "A camera the user may not see."),
                          .refused(503, "The search took longer than 15 s.")]),
            APIEndpoint(
                method: .post, path: "/api/search/export", access: viewers, tag: .search, summary: "A search's episodes as CSV",
                description: """
                    the same body as `POST /api/search` → `text/csv` attachment of every episode (from `offset`, up to 10,000; \
                    `limit` is ignored): `camera_id,address,start_kst,end_kst,moment_kst,seconds,classes,track_ids,score`, UTF-8 \
                    with BOM, CRLF; `X-CityWatch-Total` gives the episodes found in all. Same 400/404/503 as a search. \
                    Audit-logged as `search.export`
                    """,
                body: .json(ref("SearchQuery")),
                answers: [APIAnswer(status: 200, description: "The episodes.", content: [(.csv, text)], headers: ["X-CityWatch-Total": integer]),
                          .refused(404, "A camera the user may not see."), .refused(503, "The search took longer than 15 s.")]),
            APIEndpoint(
                method: .get, path: "/api/cameras/:id/frame", access: viewers, tag: .search, summary: "A recorded frame",
                description: """
                    `?at=T&width=320` → `image/jpeg`: the recorded frame at `T` (search thumbnails; width 64–1280), privacy masks \
                    blacked out for roles that may not see behind them; read from the segment being written too (the last \
                    minute is indexed only when its segment closes), and from up to 3 s earlier when nothing was written at `T` \
                    yet; 404 when nothing is recorded then. Audit-logged as `video.frame`
                    """,
                query: [query("at", time, "The moment.", required: true), query("width", .integer, "Pixels, 64–1280 (default 320).")],
                answers: [.file(.jpg, "The frame."), .refused(503, "The frame could not be read from the recording.")]),
            APIEndpoint(
                method: .post, path: "/api/castnet", access: viewers, tag: .search, summary: "Cast a net around a place",
                description: """
                    `{latitude, longitude, incidentTime?, now?, radius?, outerRadius?, walkingSpeed?}` (defaults: now, now, \
                    500 m, 1,000 m, 1.4 m/s) → `{plan: CastNetPlan, labels: {cameraID: address}}`: cast-net over the cameras the \
                    user may see and the configured road network (notes say when rings only: no network, far from roads, …). \
                    400 naming the field (latitude/longitude out of range, radius outside 10–5,000 m, outerRadius below the \
                    radius or over 10 km, walkingSpeed outside 0.3–12 m/s, an incident more than 24 h before now, an unknown \
                    field). Audit-logged as `castnet`
                    """,
                body: .json(object(nil, [
                    "latitude": number, "longitude": number, "incidentTime": optional(time), "now": optional(time),
                    "radius": optional(number), "outerRadius": optional(number), "walkingSpeed": optional(number),
                ])),
                answers: [.ok(ref("CastNetAnswer"))]),
        ]
    }
}
