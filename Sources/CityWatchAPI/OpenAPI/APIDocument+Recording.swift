import CityWatchDomain
import OpenAPIKit

extension APIDocument {
    static let viewers = Access.only(.administrator, .operator, .police)

    /// The answer of a WebSocket route to its handshake.
    static var webSocketAnswer: APIAnswer {
        APIAnswer(status: 101, description: "Switching to the WebSocket (`Upgrade: websocket`).")
    }

    static var recording: [APIEndpoint] {
        [
            APIEndpoint(
                method: .get, path: "/api/cameras/:id/stream", access: .only(.administrator, .maintenance), tag: .recording,
                summary: "A camera's stream", description: "→ `Stream`; 404 when the camera has none",
                answers: [.ok(ref("Stream"))]),
            APIEndpoint(
                method: .put, path: "/api/cameras/:id/stream", access: .only(.administrator), tag: .recording,
                summary: "Set a camera's stream",
                description: """
                    `{mainURL, subURL?, username?, password?, loop?}` → `Stream` (credentials inside the URL are moved out; omit \
                    `password` to keep the stored one, `""` removes it)
                    """,
                body: .json(object(nil, [
                    "mainURL": text, "subURL": optional(text), "username": optional(text), "password": optional(text),
                    "loop": optional(boolean),
                ])),
                answers: [.ok(ref("Stream"))]),
            APIEndpoint(
                method: .delete, path: "/api/cameras/:id/stream", access: .only(.administrator), tag: .recording,
                summary: "Remove a camera's stream", description: "→ 204 (the camera stops being recorded)",
                answers: [.noContent()], fuzzing: .destructive),
            APIEndpoint(
                method: .get, path: "/api/cameras/:id/health", access: .signedIn, tag: .recording, summary: "A camera's health",
                description: "→ `{cameraId, health, reason?, since?, recording, indexing?, history: [{at, from, to, reason}]}`",
                answers: [.ok(ref("CameraHealth"))]),
            APIEndpoint(
                method: .get, path: "/api/cameras/:id/recordings", access: .signedIn, tag: .recording, summary: "What is recorded",
                description: """
                    `?from=&to=` ISO 8601 times (default: the last 24 h; at most 31 days) → `{cameraId, from, to, ranges: \
                    [{start, end}], gaps: [{start, end}], segments: [{id, start, end, bytes}], recordingNow?: {start, end}}`
                    """,
                query: [query("from", time, "Default: 24 h before `to`."), query("to", time, "Default: now.")],
                answers: [.ok(ref("Recordings"))]),
            APIEndpoint(
                method: .get, path: "/api/segments/:id/video", access: viewers, tag: .recording, summary: "Play a recorded segment",
                description: """
                    the segment as fragmented MP4 (`video/mp4`, byte ranges supported; a `<video src>` plays it). For a role that \
                    may not see behind the camera's privacy masks (operator, police) it is a masked copy, made on the first \
                    request, with `X-CityWatch-Masked: true`; 503 if it cannot be made. Audit-logged as `video.playback` \
                    (`masked: true` when masked) once per viewing session (sign-in, or share) of the segment, whatever byte \
                    ranges are asked
                    """,
                headers: [header("Range", text, "A byte range of the file.")],
                answers: [.file(.mp4, "The segment."), .file(.mp4, "Part of the segment.", status: 206),
                          .refused(416, "The range lies outside the file."),
                          .refused(503, "The masked copy could not be made, or (in a cluster) the segment is on a node that is down: `unavailable on node X`.")]),
            APIEndpoint(
                method: .get, path: "/api/cameras/:id/live", access: viewers, tag: .recording, summary: "Live video (WebSocket)",
                description: """
                    WebSocket: the messages described above. Audit-logged as `video.live.start` (`masked: true` when masked) \
                    and `video.live.end` (from, to, seconds); a view ends (`{"type":"error","status":401,…}`, close code 4401) \
                    with its session and, within 2 s, when the viewer's role changes or the camera leaves their groups, \
                    through any node or the command line
                    """,
                answers: [webSocketAnswer], fuzzing: .skip("a WebSocket")),
        ]
    }

    static var retention: [APIEndpoint] {
        let keepers = Access.only(.administrator, .privacyOfficer)
        let exporters = Access.only(.administrator, .operator, .privacyOfficer)
        let days = whole(1...3650)
        return [
            APIEndpoint(
                method: .get, path: "/api/holds", access: keepers, tag: .retention, summary: "Legal holds",
                description: "→ `[Hold]` active legal holds on cameras the user may see", answers: [.ok(list(ref("Hold")))]),
            APIEndpoint(
                method: .post, path: "/api/holds", access: keepers, tag: .retention, summary: "Place a legal hold",
                description: "`{cameraId, from, to, reason}` (reason 3–500 characters) → `Hold` (201); audit-logged as `hold.create`",
                body: .json(object(nil, ["cameraId": uuid, "from": time, "to": time, "reason": .string(minLength: 3, maxLength: 500)])),
                answers: [.created(ref("Hold")), .refused(404, "A camera the user may not see.")]),
            APIEndpoint(
                method: .delete, path: "/api/holds/:id", access: keepers, tag: .retention, summary: "Release a legal hold",
                description: "→ 204; 404 for a hold on a camera outside the user's groups",
                answers: [.noContent()], fuzzing: .destructive),
            APIEndpoint(
                method: .get, path: "/api/retention", access: keepers, tag: .retention, summary: "Retention periods",
                description: "→ `{defaultDays, purposes: {code: days}}`", answers: [.ok(ref("Retention"))]),
            APIEndpoint(
                method: .put, path: "/api/retention", access: keepers, tag: .retention, summary: "Set retention periods",
                description: """
                    `{purposes: {code: days}, archiveAfterHours?: {code: hours}}` (1–3,650 days, 0–87,600 hours; purposes left \
                    out return to the default; without `archiveAfterHours` the move ages stay as they are) → `Retention`
                    """,
                body: .json(object(nil, ["defaultDays": optional(.integer), "purposes": map(days),
                                         "defaultArchiveAfterHours": optional(.number),
                                         "archiveAfterHours": optional(map(.number(maximum: (87_600, exclusive: false), minimum: (0, exclusive: false))))])),
                answers: [.ok(ref("Retention"))]),
            APIEndpoint(
                method: .get, path: "/api/storage", access: .only(.administrator, .maintenance, .privacyOfficer), tag: .retention,
                summary: "Storage tiers",
                description: "→ `Storage`: footage, quota and disk of the hot tier and the archive, and how moves to the archive stand on this node",
                answers: [.ok(ref("Storage"))]),
            APIEndpoint(
                method: .post, path: "/api/exports", access: exporters, tag: .retention, summary: "Export evidence",
                description: """
                    `{cameraIds, from, to, reason}` (at most 24 h) → `{id, manifest, download, signingKeyFingerprint, keptUntil}` \
                    (201); cameras with privacy masks are blacked out (re-encoded, `"masked": true` in the manifest) unless the \
                    requester is an administrator or privacy officer; audit-logged as `video.export`. The export is deleted \
                    at `keptUntil` (`CITYWATCH_EXPORT_KEEP_DAYS` after it was made), later while a legal hold covers its \
                    footage; audit-logged as `video.export.expire`. With `?background=true`: the request is checked (400), \
                    then 202 at once with the job (`Location` its URL, `GET /api/exports/jobs/:id`), which runs on with its \
                    per cent in the shared store: no answer waits for a long masked cut, and the front's time limit does \
                    not end it
                    """,
                query: [query("background", .boolean, "Answer 202 at once with the job.")],
                body: .json(object(nil, ["cameraIds": list(uuid), "from": time, "to": time, "reason": text])),
                answers: [.created(ref("Export")),
                          APIAnswer(status: 202, description: "The export runs on.", content: [(.json, ref("ExportJob"))],
                                    headers: ["Location": text]),
                          .refused(404, "A camera the user may not see."),
                          .refused(503, """
                              Footage in the range is out of reach (a cluster node down, named; the archive not mounted), or the \
                              server was stopped during the export (it waits for running exports, then stops them); an export is \
                              never partial and a stopped one leaves nothing behind.
                              """)]),
            APIEndpoint(
                method: .get, path: "/api/exports", access: exporters, tag: .retention, summary: "Exports made",
                description: """
                    `?limit=` (default 50, at most 500), `?cameraId=`, `?before=` (only those made before that time), \
                    `?after=` (the next page: those listed after that export, the last one shown; every export is reachable \
                    however old; 400 when it is no export the user may see), `?id=` (that export alone, however old) → \
                    `[ExportRecord]` newest first: the exports the user may download: \
                    those of cameras they may see (all of an export's cameras), and footage provided to the police as its \
                    request allows (administrators and privacy officers all of it; its `download` is the request's); made \
                    through the console, the API, provision or the command line, on any node, with who made them and why, \
                    until when each is kept, and its download while it is
                    """,
                query: [query("limit", whole(1...500), "Default 50."), query("cameraId", uuid, "Only the exports holding this camera."),
                        query("before", time, "Only the exports made before this time (ISO 8601)."),
                        query("after", uuid, "The next page: the exports listed after this one."),
                        query("id", uuid, "That export alone (an empty list when it is none the user may see).")],
                answers: [.ok(list(ref("ExportRecord")))]),
            APIEndpoint(
                method: .get, path: "/api/exports/:id/download", access: exporters, tag: .retention, summary: "Download an export",
                description: """
                    the export as a zip (clips, `manifest.json`, `manifest.json.sig`); audit-logged. 403 (audit-logged \
                    `video.export.download.refused`) when it holds a masked camera's video without its masks and the user's \
                    role may not see behind masks. In a cluster, an export made on another node is fetched from it first \
                    (503 naming the node when it is down)
                    """,
                answers: [.file(.zip, "The export."),
                          .refused(410, """
                              The export was deleted: when the days exports are kept were over (`CITYWATCH_EXPORT_KEEP_DAYS`), or destroyed early (who, when and why are said).
                              """),
                          .refused(503, "In a cluster: the export was made on another node, which is down (named).")]),
            APIEndpoint(
                method: .get, path: "/api/exports/jobs/:id", access: exporters, tag: .retention, summary: "A background export",
                description: """
                    → `ExportJob`: how an export started with `?background=true` is getting on, on whichever node runs it \
                    (`percent`, cameras done); once done its `result` is what the plain POST answers (the manifest fetched \
                    from the node that made it). 404 for a job of cameras the user may not see
                    """,
                answers: [.ok(ref("ExportJob")), .refused(404, "No such job, or one of cameras the user may not see."),
                          .refused(410, "It made an export that has since been deleted (when and why are said)."),
                          .refused(503, "In a cluster: the node that made the export is down (named).")]),
            APIEndpoint(
                method: .delete, path: "/api/exports/:id", access: keepers, tag: .retention, summary: "Destroy an export early",
                description: """
                    `{reason}` (3–500 characters) → `DestroyedExport`: the export is destroyed now, before its days are over (its purpose is met: the police have their copy, the case is closed), on every node of a cluster (this node's copy at once, the others' at their next retention sweep; no node gives it out from then on). Audit-logged as `video.export.destroy` with the reason; the list and downloads then say who destroyed it, when and why. The exports a user may destroy are those the list shows them
                    """,
                body: .json(object(nil, ["reason": .string(minLength: 3, maxLength: 500)])),
                answers: [.ok(ref("DestroyedExport")), .refused(404, "No such export, or one of cameras the user may not see."),
                          .refused(409, "A legal hold covers footage the export holds (the camera is named): release it first; or a live node of the cluster was built before early destruction (it is named; finish the rolling upgrade first)."),
                          .refused(410, "The export is deleted already (when, and by whom or because its days were over)."),
                          .refused(503, "In a cluster: the export was made on another node, which is down (named).")],
                fuzzing: .destructive),
        ]
    }
}
