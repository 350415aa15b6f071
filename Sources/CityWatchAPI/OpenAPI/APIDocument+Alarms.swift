import CityWatchDomain
import OpenAPIKit

extension APIDocument {
    static let handlers = Access.only(.administrator, .operator)

    static var alarms: [APIEndpoint] {
        var endpoints = [
            APIEndpoint(
                method: .get, path: "/api/alarms", access: viewers, tag: .alarms, summary: "The alarm queue",
                description: """
                    `?finished=&since=&limit=&kind=&camera=&severity=&state=` → `[Alarm]`: active alarms (open, acknowledged) \
                    most urgent then longest waiting first, drills after real ones; with `finished=true` also \
                    dismissed/escalated ones since `since` (default 24 h), newest first. Filters (comma-separated values, a \
                    wrong one is a 400 naming the filter): `kind` the source (`bell`, `emergencyCall`, `analytics`, \
                    `cameraHealth`, `operator`), `camera` (an id the user may see), `severity` the priority, `state` the status \
                    (`open`, `acknowledged`, `dismissed`, `escalated`; a finished one includes finished alarms). Alarms whose \
                    cameras are all outside the user's groups are left out; cameras shown are only the user's
                    """,
                query: [
                    query("finished", .boolean, "Also finished alarms."), query("since", time, "Finished alarms since (default 24 h ago)."),
                    query("limit", whole(1...1000), "Default 200."),
                    query("kind", text, "Sources, comma-separated."), query("camera", uuid, "Only alarms of this camera."),
                    query("severity", text, "Priorities, comma-separated."), query("state", text, "Statuses, comma-separated."),
                ],
                answers: [.ok(list(ref("Alarm"))), .refused(404, "The camera filter names a camera the user may not see.")]),
            APIEndpoint(
                method: .post, path: "/api/alarms", access: handlers, tag: .alarms, summary: "Raise an alarm by hand",
                description: """
                    `{title, detail?, priority? (critical|high|normal|low), cameraIds?, latitude?, longitude?, address? (≤ 300 \
                    characters), toWall?, drill?}` → 201 alarm; audit `alarm.raise`
                    """,
                body: .json(object(nil, [
                    "title": .string(minLength: 2, maxLength: 200), "detail": optional(text), "priority": optional(priority),
                    "cameraIds": optional(list(uuid)), "latitude": optional(number), "longitude": optional(number),
                    "address": optional(.string(maxLength: 300)), "toWall": optional(boolean), "drill": optional(boolean),
                ])),
                answers: [.created(ref("Alarm"))]),
            APIEndpoint(
                method: .get, path: "/api/alarms/live", access: viewers, tag: .alarms, summary: "Alarms and incidents as they change (WebSocket)",
                description: """
                    JSON text messages as described above, for the cameras the user may see: re-read within 2 s of a role or \
                    group change made anywhere (the feed narrows, or ends with close code 4401 when the role may no longer watch)
                    """,
                answers: [webSocketAnswer], fuzzing: .skip("a WebSocket")),
            APIEndpoint(
                method: .get, path: "/api/alarms/stats", access: .only(.administrator, .operator, .privacyOfficer), tag: .alarms,
                summary: "Alarm counts",
                description: """
                    `?from=&to=` → `{from, to, total, bySource, byPriority, dismissed, escalated, drills}`: drills counted apart, \
                    never in the totals (default the last 7 days, at most a year); only alarms of cameras the user may see
                    """,
                query: [query("from", time, "Default: 7 days before `to`."), query("to", time, "Default: now.")],
                answers: [.ok(ref("AlarmStats"))]),
            APIEndpoint(
                method: .get, path: "/api/alarms/:id", access: viewers, tag: .alarms, summary: "One alarm",
                description: "one alarm (404 when not the user's)", answers: [.ok(ref("Alarm"))]),
            APIEndpoint(
                method: .post, path: "/api/alarms/bulk", access: handlers, tag: .alarms, summary: "Act on several alarms",
                description: """
                    `{action: "acknowledge"|"dismiss"|"reopen", ids: [1–500 alarm ids], note?}` (note required to dismiss) → \
                    `{done: [alarm], refused: [{id, reason}]}`: each alarm done or refused on its own (unknown or not the \
                    user's: "no alarm …"; already finished, or not dismissed for reopen: why); all read at once and changed in \
                    one transaction; audit `alarm.<action>` per alarm
                    """,
                body: .json(object(nil, [
                    "action": oneOf(["acknowledge", "dismiss", "reopen"]), "ids": list(uuid, minItems: 1, maxItems: 500),
                    "note": optional(text),
                ])),
                answers: [.ok(ref("BulkAlarmResult"))]),
        ]
        let actions: [(String, String, String)] = [
            ("acknowledge", "Acknowledge an alarm", "`{note?}` → the alarm; 409 when already finished or acknowledged; audit `alarm.acknowledge`"),
            ("annotate", "Add a note to an alarm", "`{note}` (required, ≤ 1,000 characters) → the alarm; 409 when finished; audit `alarm.annotate`"),
            ("dismiss", "Dismiss an alarm", "`{note}` (required, ≤ 1,000 characters) → the alarm; 409 when already finished; audit `alarm.dismiss`"),
            ("reopen", "Reopen a dismissed alarm", """
                `{note?}` → the alarm open again (a dismissal taken back, notes kept); 409 unless the alarm is dismissed (an \
                escalated one belongs to its incident); audit `alarm.reopen`
                """),
        ]
        for (action, summary, description) in actions {
            endpoints.append(APIEndpoint(
                method: .post, path: "/api/alarms/:id/\(action)", access: handlers, tag: .alarms, summary: summary,
                description: description, body: noteBody,
                answers: [.ok(ref("Alarm")), .refused(409, "The alarm's state does not allow it.")]))
        }
        return endpoints + [
            APIEndpoint(
                method: .post, path: "/api/alarms/:id/escalate", access: handlers, tag: .alarms, summary: "Escalate an alarm into an incident",
                description: """
                    `{incidentId?, kind?, title?, grade?, note?}` → the incident's detail: into an existing incident the user may \
                    see, or a new one (kind, title and grade default from the alarm); 409 when the alarm is finished
                    """,
                body: APIBody(contentType: .json, schema: object(nil, [
                    "incidentId": optional(uuid), "kind": optional(oneOf(Incident.Kind.allCases.map(\.rawValue))),
                    "title": optional(text), "grade": optional(whole(1...3)),
                    "note": optional(text),
                ]), required: false),
                answers: [.ok(ref("IncidentDetail")), .refused(409, "The alarm is finished.")]),
        ] + incidents
    }

    static var incidents: [APIEndpoint] {
        [
            APIEndpoint(
                method: .get, path: "/api/incidents", access: viewers, tag: .alarms, summary: "Incidents",
                description: "`?closedDays=&limit=` incidents not closed, and closed ones opened in the last `closedDays` (default 7)",
                query: [query("closedDays", whole(0...365), "Default 7."),
                        query("limit", whole(1...1000), "Default 200.")],
                answers: [.ok(list(ref("Incident")))]),
            APIEndpoint(
                method: .post, path: "/api/incidents", access: handlers, tag: .alarms, summary: "Open an incident",
                description: """
                    `{kind (crime|childSafety|violence|missingPerson|fire|traffic|disaster|other), title, grade? (1–3), \
                    latitude?, longitude?, address? (≤ 300 characters), occurredAt?, cameraIds?, drill?}` → 201 detail; its \
                    cameras' footage held from 30 min before to 60 min after `occurredAt`; audit `incident.open`
                    """,
                body: .json(object(nil, [
                    "kind": oneOf(Incident.Kind.allCases.map(\.rawValue)), "title": text,
                    "grade": optional(whole(1...3)),
                    "latitude": optional(number), "longitude": optional(number), "address": optional(.string(maxLength: 300)),
                    "occurredAt": optional(time), "cameraIds": optional(list(uuid)), "drill": optional(boolean),
                ])),
                answers: [.created(ref("IncidentDetail"))]),
            APIEndpoint(
                method: .get, path: "/api/incidents/:id", access: viewers, tag: .alarms, summary: "One incident",
                description: "→ `{incident: Incident, timeline: [{at, by, kind, text}], alarms}`", answers: [.ok(ref("IncidentDetail"))]),
            APIEndpoint(
                method: .post, path: "/api/incidents/:id/notes", access: viewers, tag: .alarms, summary: "Add a note",
                description: "`{text}` (1–2,000 characters) → the detail; 409 on a closed incident",
                body: .json(object(nil, ["text": .string(minLength: 1, maxLength: 2000)])),
                answers: [.ok(ref("IncidentDetail")), .refused(409, "The incident is closed.")]),
            APIEndpoint(
                method: .post, path: "/api/incidents/:id/cameras", access: handlers, tag: .alarms, summary: "Link cameras",
                description: "`{cameraIds, reason? (≤ 500 characters)}`: linked after the ones already there, footage held",
                body: .json(object(nil, ["cameraIds": list(uuid, minItems: 1), "reason": optional(.string(maxLength: 500))])),
                answers: [.ok(ref("IncidentDetail")), .refused(409, "The incident is closed.")]),
            APIEndpoint(
                method: .post, path: "/api/incidents/:id/clips", access: handlers, tag: .alarms, summary: "Mark a clip",
                description: "`{cameraId, from, to, label?}` (≤ 24 h): marked and held",
                body: .json(object(nil, ["cameraId": uuid, "from": time, "to": time, "label": optional(text)])),
                answers: [.ok(ref("IncidentDetail")), .refused(409, "The incident is closed.")]),
            APIEndpoint(
                method: .post, path: "/api/incidents/:id/status", access: handlers, tag: .alarms, summary: "Close, reopen, hand over, regrade",
                description: "`{status? (open|handedOver|closed), grade?, note?}`: close, reopen, hand over, regrade",
                body: .json(object(nil, [
                    "status": optional(oneOf(Incident.Status.allCases.map(\.rawValue))),
                    "grade": optional(whole(1...3)), "note": optional(text),
                ])),
                answers: [.ok(ref("IncidentDetail")), .refused(409, "The change does not fit the incident's state.")]),
            APIEndpoint(
                method: .post, path: "/api/incidents/:id/castnet", access: handlers, tag: .alarms, summary: "Cast a net for an incident",
                description: """
                    `{seenOnCameraId?, seenAt?, now?, toWall? (default true), limit? (default 16, ≤ 64)}` → the cast-net answer \
                    as `POST /api/castnet`; around the incident's place since it happened, or (follow) around the camera the \
                    suspect was seen on since `seenAt`; the best `limit` cameras are linked to the incident and sent to the \
                    walls in rank order. 409 when the incident has no place and no camera is given; `now` may not lie in the \
                    future (400)
                    """,
                body: .json(object(nil, [
                    "seenOnCameraId": optional(uuid), "seenAt": optional(time), "now": optional(time), "toWall": optional(boolean),
                    "limit": optional(whole(1...64)),
                ])),
                answers: [.ok(ref("CastNetAnswer")), .refused(409, "The incident has no place and no camera is given.")]),
        ]
    }

    static var bells: [APIEndpoint] {
        [
            APIEndpoint(
                method: .post, path: "/api/bells/:bell/press", access: .open, tag: .bells, summary: "A bell is pressed",
                description: """
                    open (the bell's signature): headers `X-Bell-Time`, `X-Bell-Nonce`, `X-Bell-Mode` (`live`|`drill`), \
                    `X-Bell-Signature` (hex HMAC-SHA256 with the bell's secret of \
                    `citywatch-bell-press\\n<key>\\n<time>\\n<nonce>\\n<mode>`; `:bell` is the bell's key, its id, or the key it \
                    had before 관리번호 re-keyed it — a press by that old key signs the old key) → 202 `{alarmId, bell (key), \
                    cameras, drill}`. 401 unknown bell, no secret or bad signature (one answer for all three: bells are not \
                    enumerable), 401 more than 120 s off, 409 replayed nonce, 400 malformed header; refusals audit-logged \
                    `bell.press.refused` (the first of each kind from an address a minute; repeats summarised as \
                    `anonymous.refusals`). Never held off, however many junk presses its address sent
                    """,
                textPathParameters: ["bell"],
                headers: [
                    header("X-Bell-Time", text, "The press's time (Unix seconds)."), header("X-Bell-Nonce", text, "Never repeated."),
                    header("X-Bell-Mode", oneOf(["live", "drill"]), "Default live."),
                    header("X-Bell-Signature", text, "Hex HMAC-SHA256 of the signed text."),
                ],
                answers: [
                    APIAnswer(status: 202, description: "The alarm is raised.", content: [(.json, object(nil, [
                        "alarmId": uuid, "bell": text, "cameras": integer, "drill": boolean,
                    ]))]),
                    .refused(401, "Unknown bell, no secret, a bad signature, or a time more than 120 s off."),
                    .refused(409, "The nonce was used before."),
                    .refused(503, "The press could not be checked (the store failed)."),
                ]),
            APIEndpoint(
                method: .get, path: "/api/bells/drills", access: viewers, tag: .bells, summary: "Drill windows",
                description: "drill windows not yet over, `[{id, bellId?, bell? (key; none = every bell), from, until, note, createdBy}]`",
                answers: [.ok(list(ref("BellDrill")))]),
            APIEndpoint(
                method: .post, path: "/api/bells/drills", access: handlers, tag: .bells, summary: "Open a drill window",
                description: "`{bell? (key, former key or id; none = every bell), minutes (1–1,440), note? (≤ 500 characters)}` → 201 the list",
                body: .json(object(nil, [
                    "bell": optional(text), "minutes": whole(1...1440),
                    "note": optional(.string(maxLength: 500)),
                ])),
                answers: [.created(list(ref("BellDrill")))]),
            APIEndpoint(
                method: .get, path: "/api/bells/presses", access: viewers, tag: .bells, summary: "Presses received",
                description: """
                    `?since=` presses received (default the last 24 h) whose alarms the user may see: `[{bellId, bell (key), \
                    place, receivedAt, drill, alarmId}]`
                    """,
                query: [query("since", time, "Default: 24 h ago.")],
                answers: [.ok(list(ref("BellPress")))]),
        ]
    }
}
