import CityWatchDomain
import OpenAPIKit

extension APIDocument {
    static var provision: [APIEndpoint] {
        let filers = Access.only(.administrator, .operator, .police)
        let readers = Access.only(.administrator, .operator, .police, .privacyOfficer)
        let deciders = Access.only(.privacyOfficer)
        let exporters = Access.only(.administrator, .operator, .privacyOfficer)
        let auditors = Access.only(.administrator, .privacyOfficer)
        let csv = { (description: String) in APIAnswer(status: 200, description: description, content: [(.csv, text)]) }
        return [
            APIEndpoint(
                method: .post, path: "/api/provision/requests", access: filers, tag: .provision, summary: "File a provision request",
                description: """
                    `{officerName, agency, caseNumber, legalBasis, legalBasisDetail?, purpose, cameraIds, from, to}` → \
                    `ProvisionRequest` (201); 400 naming the field (`legalBasisDetail` is required for `other`; ≤ 16 cameras, \
                    ≤ 24 h); 404 for a camera the user may not see. Audit-logged as `provision.request`
                    """,
                body: .json(object(nil, [
                    "officerName": text, "agency": text, "caseNumber": text, "legalBasis": APISchemas.legalBasis,
                    "legalBasisDetail": optional(text), "purpose": text, "cameraIds": list(uuid), "from": time, "to": time,
                ])),
                answers: [.created(ref("ProvisionRequest")), .refused(404, "A camera the user may not see.")]),
            APIEndpoint(
                method: .get, path: "/api/provision/requests", access: readers, tag: .provision, summary: "Provision requests",
                description: """
                    → `[ProvisionRequest]` newest first; police get only the requests they filed, operators only those whose \
                    cameras are all in their groups. Audit-logged
                    """,
                answers: [.ok(list(ref("ProvisionRequest")))]),
            APIEndpoint(
                method: .get, path: "/api/provision/requests/:id", access: readers, tag: .provision, summary: "One provision request",
                description: """
                    → `ProvisionRequest` (404 for police on another's request, and for an operator on a request with a camera \
                    outside their groups). Audit-logged
                    """,
                answers: [.ok(ref("ProvisionRequest"))]),
            APIEndpoint(
                method: .post, path: "/api/provision/requests/:id/approve", access: deciders, tag: .provision, summary: "Approve a request",
                description: "→ `ProvisionRequest`; 403 when the officer filed the request; 409 unless `requested`. Audit-logged as `provision.approve`",
                answers: [.ok(ref("ProvisionRequest")), .refused(409, "The request is not waiting for a decision.")]),
            APIEndpoint(
                method: .post, path: "/api/provision/requests/:id/refuse", access: deciders, tag: .provision, summary: "Refuse a request",
                description: "`{reason}` (3–500 characters) → `ProvisionRequest`; same 403/409. Audit-logged as `provision.refuse`",
                body: .json(object(nil, ["reason": .string(minLength: 3, maxLength: 500)])),
                answers: [.ok(ref("ProvisionRequest")), .refused(409, "The request is not waiting for a decision.")]),
            APIEndpoint(
                method: .put, path: "/api/provision/requests/:id/boxes", access: .only(.administrator, .operator), tag: .provision,
                summary: "Set the boxes to blur",
                description: """
                    `{boxes: [MaskingBox]}` (replaces them) → `ProvisionRequest`; 400 naming the box and field (`boxes[1].box: \
                    …`); 409 once refused or exported. Audit-logged as `provision.boxes`
                    """,
                body: .json(object(nil, ["boxes": list(ref("MaskingBox"))])),
                answers: [.ok(ref("ProvisionRequest")), .refused(409, "The request is refused or exported.")]),
            APIEndpoint(
                method: .post, path: "/api/provision/requests/:id/export", access: exporters, tag: .provision, summary: "Export and provide",
                description: """
                    → `{request, manifest, download (the URL below), ledgerEntry}` (201): the evidence export with privacy zones \
                    and boxes blurred (manifest: `provisionRequestId`, per camera `blurred: [{kind: "privacyZone"|"box", x, y, \
                    width, height, from?, to?}]`), then a ledger line; 409 unless approved (once only). Audit-logged as \
                    `video.export` and `provision.export`. With `?background=true`: 202 at once with the job (below, \
                    `Location` its URL) — the export runs on; either way a request has one export job at a time in the whole \
                    cluster and a second call joins it (a plain POST joining a job on another node waits for it; 409 if that \
                    one failed); 503 when footage of it is in an archive out of reach or the server stops during the \
                    export (the export is stopped and removed, the request stays approved: export it again)
                    """,
                query: [query("background", .boolean, "Answer 202 at once with the job.")],
                answers: [.created(ref("ProvisionExport")),
                          APIAnswer(status: 202, description: "The export runs on.", content: [(.json, ref("ProvisionExportJob"))],
                                    headers: ["Location": text]),
                          .refused(409, "The request is not approved, or an export of it failed."),
                          .refused(503, "Archived footage is out of reach, or the server stopped during the export.")]),
            APIEndpoint(
                method: .get, path: "/api/provision/requests/:id/export", access: exporters, tag: .provision, summary: "The export job",
                description: """
                    the request's latest export job, on whichever node it runs: `{requestId, state: \
                    running|done|failed|interrupted, node, startedBy, startedAt, endedAt?, camerasDone, cameras, percent, result? (what \
                    the POST answers; `manifest` left out when another node ran it), error?}`; 404 when no export of the \
                    request was started
                    """,
                answers: [.ok(ref("ProvisionExportJob"))]),
            APIEndpoint(
                method: .get, path: "/api/provision/requests/:id/download", access: exporters, tag: .provision, summary: "Download what was provided",
                description: """
                    the provided export as a zip (clips, `manifest.json`, `manifest.json.sig`): a privacy officer or \
                    administrator whatever their camera groups, an operator only with every camera of the request in their \
                    groups (404 otherwise); 409 before the export. Audit-logged as `video.export.download` with the request. \
                    In a cluster, an export made on another node is fetched from it first (503 naming the node when it is down)
                    """,
                answers: [.file(.zip, "The export."), .refused(409, "Not exported yet."),
                          .refused(410, "The export was deleted when the days exports are kept were over (`CITYWATCH_EXPORT_KEEP_DAYS`)."),
                          .refused(503, "In a cluster: the export was made on another node, which is down (named).")]),
            APIEndpoint(
                method: .get, path: "/api/provision/ledger", access: auditors, tag: .provision, summary: "The provision ledger",
                description: "→ `[ProvisionLedgerEntry]` oldest first. Audit-logged",
                answers: [.ok(list(ref("ProvisionLedgerEntry")))]),
            APIEndpoint(
                method: .get, path: "/api/provision/ledger.csv", access: auditors, tag: .provision, summary: "The provision ledger as CSV",
                description: """
                    `text/csv` attachment: `provided_at_kst,request_id,recipient,agency,case_number,legal_basis,\
                    legal_basis_detail,purpose,camera_ids,from_kst,to_kst,requested_by,approved_by,exported_by,export_id,\
                    manifest_sha256,masked_boxes` (UTF-8 with BOM, CRLF). Audit-logged
                    """,
                answers: [csv("The ledger.")]),
            APIEndpoint(
                method: .get, path: "/api/provision/viewlog.csv", access: auditors, tag: .provision, summary: "Who watched what, as CSV",
                description: """
                    `?since=&until=` → `text/csv`: every `video.*` audit entry in the period, oldest first (a period with more \
                    than 200,000 is refused with 400: ask for it in parts): \
                    `time_kst,seq,actor,action,target,camera,masked,details`. Audit-logged
                    """,
                query: [query("since", time, "From this time."), query("until", time, "Up to this time.")],
                answers: [csv("The view log.")]),
            APIEndpoint(
                method: .post, path: "/api/provision/subjects", access: exporters, tag: .provision, summary: "Receive a data-subject request",
                description: """
                    `{subjectName, contact, description, cameraIds?}` → `{request: DataSubjectRequest, daysLeft, overdue}` \
                    (201). Audit-logged as `subject.request`
                    """,
                body: .json(object(nil, ["subjectName": text, "contact": text, "description": text, "cameraIds": optional(list(uuid))])),
                answers: [.created(ref("SubjectRequestStatus")), .refused(404, "A camera the user may not see.")]),
            APIEndpoint(
                method: .get, path: "/api/provision/subjects", access: exporters, tag: .provision, summary: "Data-subject requests",
                description: """
                    → `[{request, daysLeft, overdue}]`, nearest deadline first: all for administrators; for others those they \
                    received and those whose cameras are all in their groups (privacy officers also those naming no camera). \
                    Audit-logged
                    """,
                answers: [.ok(list(ref("SubjectRequestStatus")))]),
            APIEndpoint(
                method: .post, path: "/api/provision/subjects/:id/answer", access: auditors, tag: .provision, summary: "Answer a data-subject request",
                description: """
                    `{outcome: "answered"|"refused"|"extended", note?}` (a note of 3+ characters for refused/extended; extending \
                    once adds 10 days) → the same shape; 409 when closed. Audit-logged as `subject.<outcome>`
                    """,
                body: .json(object(nil, ["outcome": oneOf(DataSubjectRequest.Outcome.allCases.map(\.rawValue)), "note": optional(text)])),
                answers: [.ok(ref("SubjectRequestStatus")), .refused(409, "The request is closed.")]),
        ]
    }
}
