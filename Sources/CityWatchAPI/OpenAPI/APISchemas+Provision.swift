import CityWatchDomain
import OpenAPIKit

extension APISchemas {
    static var legalBasis: JSONSchema {
        oneOf(ProvisionLegalBasis.allCases.map(\.rawValue), """
        `consent`, `specialLaw`, `urgentSafety`, `criminalInvestigation`, `courtProceedings`, `sentenceExecution`, `other` \
        (개인정보 보호법 제18조② 1, 2, 3, 7, 8, 9).
        """)
    }

    /// Provision of footage to a third party and data-subject requests.
    static var provision: KeyValuePairs<String, JSONSchema> {
        [
            "ProvisionRequest": object("""
                Footage asked for by a third party. `legalBasis`: `consent`, `specialLaw`, `urgentSafety`, \
                `criminalInvestigation`, `courtProceedings`, `sentenceExecution`, `other` (개인정보 보호법 제18조② 1, 2, 3, 7, 8, 9).
                """, [
                "id": uuid, "officerName": text, "agency": text, "caseNumber": text, "legalBasis": legalBasis,
                "legalBasisDetail": text, "purpose": text, "cameraIds": list(uuid), "from": time, "to": time,
                "requestedBy": text, "requestedAt": time, "status": oneOf(["requested", "approved", "refused", "exported"]),
                "decidedBy": optional(text), "decidedAt": optional(time), "refusalReason": optional(text),
                "boxes": list(ref("MaskingBox")), "exportId": optional(uuid), "exportedAt": optional(time),
            ]),
            "MaskingBox": object("""
                A box to blur on one camera's video for a span: fractions of the picture, at least 0.01 a side, inside it; the \
                span within the request's range.
                """, ["cameraId": uuid, "box": ref("Box"), "from": time, "to": time]),
            "ProvisionExport": object("`manifest` is left out when another node ran the export (it is in the download).", [
                "request": ref("ProvisionRequest"), "manifest": optionalRef("EvidenceManifest"), "download": text,
                "ledgerEntry": ref("ProvisionLedgerEntry"),
            ]),
            "ProvisionExportJob": object("""
                `interrupted`: its server stopped telling for 90 s (stopped mid-export), export again. `result` once done \
                (what the POST answers), `error` once failed or interrupted.
                """, [
                    "requestId": uuid, "state": oneOf(["running", "done", "failed", "interrupted"]), "node": text,
                    "startedBy": text, "startedAt": time, "endedAt": optional(time), "camerasDone": integer, "cameras": integer, "percent": integer,
                    "result": optionalRef("ProvisionExport"), "error": optional(text),
                ]),
            "ProvisionLedgerEntry": object(nil, [
                "id": uuid, "requestId": uuid, "recipient": text, "agency": text, "caseNumber": text, "legalBasis": legalBasis,
                "legalBasisDetail": text, "purpose": text, "cameraIds": list(uuid), "from": time, "to": time,
                "requestedBy": text, "approvedBy": text, "exportedBy": text, "exportId": uuid, "manifestSHA256": text,
                "maskedBoxes": integer, "providedAt": time,
            ]),
            "DataSubjectRequest": object(nil, [
                "id": uuid, "subjectName": text, "contact": text, "description": text, "cameraIds": list(uuid),
                "receivedAt": time, "receivedBy": text, "deadline": time,
                "status": oneOf(DataSubjectRequest.Status.allCases.map(\.rawValue)), "note": optional(text),
                "closedBy": optional(text), "closedAt": optional(time),
            ]),
            "SubjectRequestStatus": object("`daysLeft` is left out once the request is closed.", [
                "request": ref("DataSubjectRequest"), "daysLeft": optional(integer), "overdue": boolean,
            ]),
        ]
    }

    /// The integrated platform and incident shares.
    static var sharing: KeyValuePairs<String, JSONSchema> {
        [
            "PlatformReply": object("""
                `resultCode` `00` acted on (opened or updated), `01` already received (nothing changed), `40` malformed \
                (`field` names it), `41` partner not authenticated, `42` this address held off after a flood of refused messages \
                (`Retry-After` says until when), `43` an update from a partner that did not report the \
                event, `44` an update for an event never opened. Refusals also carry the API's usual `error` and `reason`.
                """, [
                    "resultCode": oneOf(["00", "01", "40", "41", "42", "43", "44"]), "resultMsg": text, "evtId": optional(text),
                    "incidentNo": optional(text), "incidentId": optional(uuid), "incidentStatus": optional(text),
                    "cameraCount": optional(integer), "field": optional(text), "error": optional(boolean), "reason": optional(text),
                ]),
            "Share": object("A share as operators list it (never its token).", [
                "id": uuid, "partner": text, "cameraIds": list(uuid), "playbackFrom": time, "playbackTo": time,
                "expiresAt": time, "revokedAt": optional(time), "createdBy": text,
            ]),
            "SharedIncident": object("What a share holds: the incident in brief and each camera with its live and playback links.", [
                "shareId": uuid, "token": text, "url": text, "partner": text, "expiresAt": time, "playbackFrom": time,
                "playbackTo": time,
                "incident": object(nil, [
                    "number": text, "kind": text, "title": text, "status": text, "occurredAt": time,
                    "latitude": optional(number), "longitude": optional(number), "address": optional(text),
                ]),
                "cameras": list(object(nil, ["cameraId": uuid, "label": text, "live": text, "playback": text])),
            ]),
            "SharedPlayback": object(nil, [
                "cameraId": uuid, "from": time, "to": time,
                "segments": list(object(nil, ["id": uuid, "start": time, "end": time, "url": text])),
            ]),
        ]
    }
}
