import CityWatchDomain
import OpenAPIKit

extension APIDocument {
    /// The credential of the share routes, as the route table names it.
    static let shareToken = Access.credential("incident share token (in the path)")

    static var platform: [APIEndpoint] {
        let sharers = Access.only(.administrator, .operator)
        let reply = { (status: Int, description: String) in
            APIAnswer(status: status, description: description, content: [(.json, ref("PlatformReply"))])
        }
        let unknownToken = APIAnswer.refused(401, "An unknown, expired or revoked token (audit-logged `share.refused`).")
        let heldOff = APIAnswer(status: 429, description: "This address was refused too often; `Retry-After` says when it is heard again.",
                                content: [(.json, ref("Error"))], headers: ["Retry-After": integer])
        return [
            APIEndpoint(
                method: .post, path: "/api/platform/events", access: .credential("platform partner secret (Authorization: Bearer)"),
                tag: .platform, summary: "A 112/119 event of the integrated platform",
                description: """
                    a 112/119 event (see above) → `{resultCode, resultMsg, evtId, incidentNo, incidentId, incidentStatus, \
                    cameraCount}`; `resultCode` `00` acted on (opened or updated), `01` already received (nothing changed); \
                    400 `40` naming the `field`, nothing stored; 401 `41` missing, forged or revoked secret (audit-logged \
                    `platform.auth.refused`); 429 `42` with `Retry-After` from an address held off after a flood of refusals; 403 `43` an update from a partner other than the one that reported the event; 404 \
                    `44` an update for an evtId never opened. Audit-logged as `platform.event`
                    """,
                body: APIBody(contentType: .json, schema: .object(
                    properties: ["evtId": .string, "evtNm": .string, "evtGrad": .any(of: [.string, .integer]), "ocrSts": .string,
                                 "ocrLc": .object(properties: ["crdntX": .any(of: [.string, .number]), "crdntY": .any(of: [.string, .number])]),
                                 "ocrEvtTime": .string, "ocrNbr": .string(required: false), "ocrPlc": .string(required: false),
                                 "ocrEvtCn": .string(required: false), "svcTy": .string(required: false)]),
                                 example: AnyCodable([
                                    "evtId": "EVT-20260528-0001", "evtNm": "112 긴급영상지원", "evtGrad": "1", "ocrNbr": "112-0528-7731",
                                    "ocrSts": "발생", "ocrLc": ["crdntX": "127.0310", "crdntY": "37.4985"],
                                    "ocrPlc": "서울 강남구 역삼동 강남역 11번 출구", "ocrEvtCn": "강도 신고", "ocrEvtTime": "20260528143000",
                                 ] as [String: any Sendable])),
                answers: [reply(200, "Acted on, or already received."), reply(400, "Malformed (`40`): `field` names it."),
                          reply(401, "Missing, forged or revoked secret (`41`)."),
                          APIAnswer(status: 429, description: "Held off after a flood of refusals (`42`); `Retry-After` says until when.",
                                    content: [(.json, ref("PlatformReply"))], headers: ["Retry-After": integer]),
                          reply(403, "An update from a partner other than the reporting one (`43`)."),
                          reply(404, "An update for an event never opened (`44`)."),
                          .refused(413, "Over the server's 1 MB body limit.")]),
            APIEndpoint(
                method: .post, path: "/api/incidents/:id/share", access: sharers, tag: .platform, summary: "Share an incident with a partner",
                description: """
                    `{partner, cameraIds?, minutes?}` (a registered partner; some of the incident's cameras, default all; \
                    1–1,440 minutes, default 30) → 201 `SharedIncident`; the token is shown only here. Timeline `shared`; \
                    audit-logged as `share.create`
                    """,
                body: .json(object(nil, [
                    "partner": text, "cameraIds": optional(list(uuid)),
                    "minutes": optional(whole(1...1440)),
                ])),
                answers: [.created(ref("SharedIncident")), .refused(409, "The incident cannot be shared now.")]),
            APIEndpoint(
                method: .get, path: "/api/incidents/:id/shares", access: sharers, tag: .platform, summary: "An incident's shares",
                description: "→ `[Share]` (no tokens)", answers: [.ok(list(ref("Share")))]),
            APIEndpoint(
                method: .delete, path: "/api/incidents/:id/shares/:share", access: sharers, tag: .platform, summary: "Revoke a share",
                description: "→ the share, revoked (audit-logged `share.revoke`)",
                answers: [.ok(ref("Share")), .refused(409, "Already revoked.")], fuzzing: .destructive),
            APIEndpoint(
                method: .get, path: "/api/shared/:token", access: shareToken, tag: .platform, summary: "What a share holds",
                description: """
                    share token → the same shape as the share's answer. 401 for an unknown, expired or revoked token (audit-logged \
                    `share.refused`); 429 with `Retry-After` from an address held off after a flood of refusals (every \
                    `/api/shared/…` route)
                    """,
                textPathParameters: ["token"], answers: [.ok(ref("SharedIncident")), unknownToken, heldOff]),
            APIEndpoint(
                method: .get, path: "/api/shared/:token/live/:camera", access: shareToken, tag: .platform, summary: "A shared camera's live video (WebSocket)",
                description: "share token: the messages of `GET /api/cameras/:id/live`, masked as for the police; 403 for a camera not shared",
                textPathParameters: ["token"],
                answers: [webSocketAnswer, unknownToken, heldOff, .refused(403, "The camera is not shared.")], fuzzing: .skip("a WebSocket")),
            APIEndpoint(
                method: .get, path: "/api/shared/:token/playback/:camera", access: shareToken, tag: .platform, summary: "A shared camera's recordings",
                description: """
                    share token, `?from=&to=` → `{cameraId, from, to, segments: [{id, start, end, url}]}` in the share's window \
                    (default all of it); 403 outside the window or for a camera not shared
                    """,
                textPathParameters: ["token"],
                query: [query("from", time, "Default: the window's start."), query("to", time, "Default: the window's end.")],
                answers: [.ok(ref("SharedPlayback")), unknownToken, heldOff, .refused(403, "Outside the window, or a camera not shared.")]),
            APIEndpoint(
                method: .get, path: "/api/shared/:token/segments/:segment", access: shareToken, tag: .platform, summary: "A shared recording",
                description: """
                    share token: the segment as fragmented MP4 (masked as for the police); 403 outside the share, 404 unknown. \
                    Every token use is audit-logged as `share.use` (partner, camera, what) and the video as `video.live.*` / \
                    `video.playback` by `share:PARTNER`
                    """,
                textPathParameters: ["token"],
                headers: [header("Range", text, "A byte range of the file.")],
                answers: [.file(.mp4, "The segment."), .file(.mp4, "Part of the segment.", status: 206), unknownToken, heldOff,
                          .refused(403, "Outside the share."), .refused(416, "The range lies outside the file."),
                          .refused(503, "The masked copy could not be made.")]),
        ]
    }

    static var retasking: [APIEndpoint] {
        [
            APIEndpoint(
                method: .post, path: "/api/cameras/:id/retask", access: handlers, tag: .retasking, summary: "Re-task a camera",
                description: """
                    `{to?: "crimePrevention", reason, minutes}` → `Retasking` (201; 200 with `extended: true` when the camera \
                    was re-tasked already and its end moved later). 400 naming the field (`reason` 3–500 characters, `minutes` \
                    5–1440, `to` only `crimePrevention`, unknown fields); 404 for a camera the user may not see; 409 when the \
                    camera's registry purpose is not parking or traffic enforcement. Audit-logged as `camera.retask` (from, \
                    fromText, to, reason, by, until, minutes, extended)
                    """,
                body: .json(object(nil, [
                    "to": optional(oneOf(["crimePrevention"])), "reason": .string(minLength: 3, maxLength: 500),
                    "minutes": whole(5...1440),
                ])),
                answers: [.ok(ref("Retasking"), "Extended: the camera was re-tasked already."), .created(ref("Retasking")),
                          .refused(409, "The camera's purpose cannot be re-tasked.")]),
            APIEndpoint(
                method: .delete, path: "/api/cameras/:id/retask", access: handlers, tag: .retasking, summary: "Revert a re-tasking",
                description: """
                    optional `{reason}` → `Retasking` (reverted now; the camera's own analytics settings restored exactly); 409 \
                    when it is not re-tasked. Audit-logged as `camera.retask.revert` (reason, by, until, early)
                    """,
                body: APIBody(contentType: .json, schema: object(nil, ["reason": optional(.string(minLength: 3, maxLength: 500))]), required: false),
                answers: [.ok(ref("Retasking")), .refused(409, "The camera is not re-tasked.")], fuzzing: .destructive),
            APIEndpoint(
                method: .get, path: "/api/retaskings", access: .signedIn, tag: .retasking, summary: "Re-taskings",
                description: """
                    → `{active: [Retasking], recent: [Retasking]}`: in force now (earliest end first) and reverted in the last \
                    24 h, of the cameras the user may see
                    """,
                answers: [.ok(ref("RetaskingList"))]),
        ]
    }
}
