import CityWatchDomain
import OpenAPIKit

extension APIDocument {
    static var cameras: [APIEndpoint] {
        [
            APIEndpoint(
                method: .get, path: "/api/sites", access: .signedIn, tag: .cameras, summary: "Every visible site",
                description: """
                    → `{sites: [Site], total}`: every visible site (one map marker each). The answer has an `ETag` that changes \
                    with the registry, the user's groups and re-taskings; `If-None-Match` with it answers 304 while nothing \
                    changed (the map asks so each time it is shown)
                    """,
                headers: [header("If-None-Match", text, "The `ETag` of an answer the console holds.")],
                answers: [APIAnswer(status: 200, description: "The sites.", content: [(.json, ref("SiteList"))], headers: ["ETag": text]),
                          APIAnswer(status: 304, description: "Nothing changed since the answer with that `ETag`.", headers: ["ETag": text])]),
            APIEndpoint(
                method: .get, path: "/api/cameras", access: .signedIn, tag: .cameras, summary: "Cameras, by area, purpose or text",
                description: "query above → `{items: [Camera], total, offset, limit}`",
                query: [
                    query("near", text, "LAT,LON in degrees, with `radius` or `k`."),
                    query("radius", number, "Metres around `near` (more than 0, at most 100,000)."),
                    query("k", whole(1...1000), "The nearest N cameras to `near`."),
                    query("bbox", text, "SOUTH,WEST,NORTH,EAST."),
                    query("purpose", oneOf(purposeCodes), "A purpose code (repeatable, or several comma-separated)."),
                    query("q", .string(maxLength: 200), "Text in the address, agency or view direction."),
                    query("offset", whole(atLeast: 0), "Default 0."),
                    query("limit", whole(1...1000), "Default 100."),
                ],
                answers: [.ok(ref("CameraPage"))]),
            APIEndpoint(
                method: .get, path: "/api/cameras/:id", access: .signedIn, tag: .cameras, summary: "One camera",
                description: "→ `Camera`", answers: [.ok(ref("Camera"))]),
            APIEndpoint(
                method: .patch, path: "/api/cameras/:id", access: .only(.administrator), tag: .cameras, summary: "Rename, switch or keep a camera longer",
                description: "`{enabled?, name?, retentionDays?}` → `Camera` (`retentionDays` 0 returns to the purpose's period)",
                body: .json(object(nil, [
                    "enabled": optional(boolean), "name": optional(.string(maxLength: 200)),
                    "retentionDays": optional(whole(0...3650)),
                ])),
                answers: [.ok(ref("Camera"))]),
            APIEndpoint(
                method: .get, path: "/api/roads", access: .signedIn, tag: .cameras, summary: "The road network as a map layer",
                description: """
                    → `application/geo+json` FeatureCollection of LineStrings (`[lon, lat]`, 6 decimals), properties `{id, \
                    access}`: the configured road network (`CITYWATCH_ROAD_NETWORK`) for the map, each street once (a two-way \
                    street's two directed roads merged, `id` "a,-a"), courses simplified to within 1 m; `access` `all`, `cars`, \
                    `pedestrians` or `none`. Built once per process and sent gzipped to a client that accepts it. 404 when no \
                    network is configured, 503 naming the file and the reason when it cannot be read
                    """,
                answers: [APIAnswer(status: 200, description: "The roads.", content: [(.geojson, .object)]),
                          .refused(404, "No road network is configured."), .refused(503, "The configured network cannot be read.")]),
            APIEndpoint(
                method: .get, path: "/api/bells", access: .signedIn, tag: .bells, summary: "The emergency-bell registry",
                description: """
                    → `{bells: [Bell], total}`: the emergency-bell registry in key order, each bell with the cameras that can \
                    see it, nearest first, kept to the cameras the user may see
                    """,
                answers: [.ok(ref("BellList"))]),
            APIEndpoint(
                method: .get, path: "/api/wall/selective", access: .only(.administrator, .operator, .police), tag: .alarms,
                summary: "What the wall should show now",
                description: """
                    → `[{cameraId, label, score, reasons: [{kind, text, weight}]}]`: the cameras most worth watching now \
                    (open incidents and alarms, recent events, motion unusual for the hour, school hours near schools), best \
                    first; `limit` 1–25 (default 16)
                    """,
                query: [query("limit", whole(1...25), "Default 16.")],
                answers: [.ok(list(ref("SelectivePick")))]),
        ]
    }

    static var administration: [APIEndpoint] {
        let admin = Access.only(.administrator)
        let auditors = Access.only(.administrator, .privacyOfficer)
        return [
            APIEndpoint(
                method: .post, path: "/api/registry/import", access: admin, tag: .administration, summary: "Import the camera registry",
                description: "raw CSV file as the body (any content type; at most 512 MiB) → `ImportReport`",
                query: [query("dryRun", .boolean, "Only report what would change."),
                        query("prune", .boolean, "Remove cameras the file no longer lists.")],
                body: APIBody(contentType: .csv, schema: .string, description: "The registry file (UTF-8 or CP949)."),
                answers: [.ok(ref("ImportReport"))], fuzzing: .destructive),
            APIEndpoint(
                method: .get, path: "/api/registry/export", access: .only(.administrator, .privacyOfficer), tag: .administration,
                summary: "Export the camera registry",
                description: "`?format=csv|geojson` → file download; audit-logged as `registry.export`",
                query: [query("format", oneOf(["csv", "geojson"]), "Default csv.")],
                answers: [APIAnswer(status: 200, description: "The registry file.", content: [(.csv, text), (.geojson, .object)],
                                    headers: ["X-CityWatch-Sites": integer])]),
            APIEndpoint(
                method: .get, path: "/api/users", access: admin, tag: .administration, summary: "Users",
                description: "→ `[User]`", answers: [.ok(list(ref("User")))]),
            APIEndpoint(
                method: .post, path: "/api/users", access: admin, tag: .administration, summary: "Add a user",
                description: "`{username, role}` → `{user, password}` (201; generated, shown once); 409 when the name is taken",
                body: .json(object(nil, ["username": text, "role": roles])),
                answers: [.created(ref("UserWithPassword")), .refused(409, "The user name is taken.")]),
            APIEndpoint(
                method: .patch, path: "/api/users/:id", access: admin, tag: .administration, summary: "Change a user's role or disable them",
                description: "`{role?, disabled?}` → `User`; 409 for the last administrator",
                body: .json(object(nil, ["role": optional(roles), "disabled": optional(boolean)])),
                answers: [.ok(ref("User")), .refused(409, "That would leave no administrator.")], fuzzing: .destructive),
            APIEndpoint(
                method: .post, path: "/api/users/:id/password", access: admin, tag: .administration, summary: "Reset a user's password",
                description: "→ `{user, password}` (new generated one, must change at login)",
                answers: [.ok(ref("UserWithPassword"))], fuzzing: .destructive),
            APIEndpoint(
                method: .put, path: "/api/users/:id/groups", access: admin, tag: .administration, summary: "Grant camera groups",
                description: "`{groupIds: [id]}` → `User`",
                body: .json(object(nil, ["groupIds": list(uuid)])),
                answers: [.ok(ref("User"))]),
            APIEndpoint(
                method: .get, path: "/api/groups", access: admin, tag: .administration, summary: "Camera groups",
                description: "→ `[Group]`", answers: [.ok(list(ref("Group")))]),
            APIEndpoint(
                method: .post, path: "/api/groups", access: admin, tag: .administration, summary: "Add a camera group",
                description: "`{name, description?, rule}` → `Group` (201); 409 when the name is taken",
                body: .json(object(nil, ["name": text, "description": optional(text), "rule": ref("GroupRule")])),
                answers: [.created(ref("Group")), .refused(409, "The group name is taken.")]),
            APIEndpoint(
                method: .delete, path: "/api/groups/:id", access: admin, tag: .administration, summary: "Remove a camera group",
                description: "→ 204", answers: [.noContent()], fuzzing: .destructive),
            APIEndpoint(
                method: .get, path: "/api/audit", access: auditors, tag: .administration, summary: "The audit log",
                description: "`?since=&until=&actor=&action=&beforeSeq=&limit=` → `{entries: [AuditEntry], nextBeforeSeq}` newest first",
                query: [
                    query("since", text, "An ISO 8601 time or date."), query("until", text, "An ISO 8601 time or date."),
                    query("actor", text, "Only this user's entries."), query("action", text, "Only this action."),
                    query("beforeSeq", whole(atLeast: 1), "Entries before this one (the next page)."),
                    query("limit", whole(1...1000), "Default 100."),
                ],
                answers: [.ok(ref("AuditPage"))]),
            APIEndpoint(
                method: .get, path: "/api/audit/verify", access: auditors, tag: .administration, summary: "Verify the audit chain",
                description: """
                    → `{ok, checked, problem?: {seq, reason}, findings: [{kind, seq, message}], checkpoints: {checked, latestSeq?, \
                    latestTime?, signers}}`: the hash chain recomputed, and the log compared with its signed checkpoints (a deleted \
                    tail is `truncation`, entries rewritten with recomputed hashes `rewrite`, a checkpoint whose signature fails \
                    `badSignature`)
                    """,
                answers: [.ok(ref("AuditVerification"))]),
            APIEndpoint(
                method: .get, path: "/api/audit/checkpoints", access: auditors, tag: .administration, summary: "The signed audit checkpoints",
                description: """
                    → `audit-checkpoints.json` (attachment): `{format, exportedAt, signers: [{publicKey, fingerprint, checkpoints}], \
                    checkpoints: [{seq, count, headHash, time, timeMicros, publicKey, signature}]}` (`time` is for people; `timeMicros` is signed), the file `citywatch audit checkpoints \
                    -o` writes, to keep off the machine and check the log against with `citywatch audit verify --checkpoints`
                    """,
                answers: [.ok(ref("AuditCheckpointFile"))]),
        ]
    }
}
