import CityWatchDomain
import OpenAPIKit

extension APISchemas {
    /// Sites, cameras, the registry import, the audit log, bells and re-taskings.
    static var registry: KeyValuePairs<String, JSONSchema> {
        [
            "Site": object("""
                One map marker. A site whose 촬영방면정보 names a direction carries `viewBearing` (compass degrees) and \
                `viewWidth` (degrees) for the map's view cones, an all-round one neither. `effectivePurpose` is the purpose \
                served now (`purpose` unless a camera of it is re-tasked; `retasking` then names the latest-ending one).
                """, [
                    "id": uuid, "label": text, "lat": number, "lon": number, "purpose": oneOf(purposeCodes), "purposeText": text,
                    "cameraCount": integer, "roadAddress": text, "lotAddress": text, "agency": text, "phone": text, "viewDirection": text,
                    "viewBearing": optional(number), "viewWidth": optional(number), "effectivePurpose": oneOf(purposeCodes),
                    "effectivePurposeText": text, "retasking": optionalRef("RetaskingBrief"),
                ]),
            "SiteList": object(nil, ["sites": list(ref("Site")), "total": integer]),
            "Camera": object("""
                A camera with its site's registry fields. `label` (of a `Site` and a `Camera`, and the `cameraLabels` of \
                alarms and incidents) is what the console shows on tiles and in lists: a camera's name when it has one, else \
                the place the registry names and the road and number without province and district (`코엑스 주변 · 봉은사로 524`); \
                sites that would read the same get the first detail that differs (building, view direction, purpose, lot number, \
                else `지점 N`), and a camera on a pole with several its number there (`… · 카메라 2/5`). `distanceMetres` comes \
                with a `near` query; `ownRetentionDays` when the camera has its own period; `effectivePurpose` and `retasking` \
                as for a `Site`. Purpose codes: `crimePrevention` 생활방범, `childProtection` 어린이보호, `trafficEnforcement` \
                교통단속, `disasterWatch` 재난재해, `facilityManagement` 시설물관리, `trafficInformation` 교통정보수집, \
                `litterEnforcement` 쓰레기단속, `vehicleCrimePrevention` 차량방범, `multipurpose` 다목적, `other` (anything else; \
                `purposeText` keeps the original words).
                """, [
                    "id": uuid, "siteId": uuid, "position": integer, "name": optional(text), "label": text, "enabled": boolean,
                    "purpose": oneOf(purposeCodes), "purposeText": text, "lat": number, "lon": number, "roadAddress": text,
                    "lotAddress": text, "agency": text, "phone": text, "viewDirection": text, "pixels": text, "retentionDays": text,
                    "installYearMonth": text, "dataDate": text, "distanceMetres": optional(number), "ownRetentionDays": optional(integer),
                    "effectivePurpose": oneOf(purposeCodes), "effectivePurposeText": text, "retasking": optionalRef("RetaskingBrief"),
                ]),
            "CameraPage": object(nil, ["items": list(ref("Camera")), "total": integer, "offset": integer, "limit": integer]),
            "RetaskingBrief": object("A re-tasking in force, as a camera or site carries it (`untilText`: HH:MM, Asia/Seoul).", [
                "id": uuid, "to": oneOf(purposeCodes), "toText": text, "until": time, "untilText": text, "reason": text, "by": text,
            ]),
            "ImportReport": object("""
                What an import found and did. `badRows` holds the first 200 refused rows; `warnings` rows kept but worth a \
                look (a repeated 관리번호).
                """, [
                    "dryRun": boolean, "layout": oneOf(["legacy13", "current18"]), "encoding": oneOf(["utf-8", "cp949"]),
                    "rowsRead": integer, "validRows": integer, "sites": integer, "cameras": integer, "added": integer,
                    "changed": integer, "unchanged": integer, "missing": integer, "pruned": integer,
                    "camerasByPurpose": map(integer), "badRowCount": integer, "badRows": list(ref("RowProblem")),
                    "warnings": list(ref("RowProblem")), "warningCount": integer, "ignoredColumns": list(text),
                ]),
            "RowProblem": object(nil, ["line": integer, "reason": text]),
            "AuditEntry": object(nil, [
                "seq": integer, "time": time, "actor": text, "action": text, "target": text, "details": anything,
                "prevHash": text, "hash": text,
            ]),
            "AuditPage": object("Newest first; `nextBeforeSeq` asks for the page after this one.", [
                "entries": list(ref("AuditEntry")), "nextBeforeSeq": optional(integer),
            ]),
            "AuditVerification": object(nil, [
                "ok": boolean, "checked": integer, "problem": optional(object(nil, ["seq": integer, "reason": text])),
                "findings": list(object(nil, ["kind": text, "seq": integer, "message": text])),
                "checkpoints": object(nil, ["checked": integer, "latestSeq": optional(integer), "latestTime": optional(time), "signers": list(text)]),
            ]),
            "AuditCheckpointFile": object("What a store's signed checkpoints vouch for, with the keys that signed them.", [
                "format": text, "exportedAt": text,
                "signers": list(object(nil, ["publicKey": text, "fingerprint": text, "checkpoints": integer])),
                "checkpoints": list(object(nil, [
                    "seq": integer, "count": integer, "headHash": text, "time": text, "timeMicros": integer, "publicKey": text,
                    "signature": text,
                ])),
            ]),
            "BellList": object(nil, ["bells": list(ref("Bell")), "total": integer]),
            "Bell": object("""
                `key`: 관리번호, else 안전비상벨관리번호 — what presses and drills name; `managementNumber`: 안전비상벨관리번호, which \
                several bells may share. `cameras`: those that can see the bell (within 100 m, view direction covering it), \
                nearest first, kept to the cameras the user may see.
                """, [
                    "id": uuid, "key": text, "managementNumber": text, "place": text, "placeType": text, "purpose": text,
                    "address": text, "lat": number, "lon": number, "policeLinked": text,
                    "cameras": list(object(nil, ["id": uuid, "address": text, "distance": number, "bearing": number])),
                ]),
            "BellDrill": object("A drill window; without `bell` it covers every bell.", [
                "id": uuid, "bellId": optional(uuid), "bell": optional(text), "from": time, "until": time, "note": text, "createdBy": text,
            ]),
            "BellPress": object(nil, [
                "bellId": uuid, "bell": optional(text), "place": optional(text), "receivedAt": time, "drill": boolean,
                "alarmId": optional(uuid),
            ]),
            "Retasking": object("""
                A camera re-tasked for a while (`untilText`: HH:MM, Asia/Seoul); `wallPlacement` is `crimeWatch` while \
                active, else `registry`.
                """, [
                    "id": uuid, "cameraId": uuid, "label": text, "from": oneOf(purposeCodes), "fromText": text,
                    "to": oneOf(purposeCodes), "toText": text, "reason": text, "since": time, "until": time, "untilText": text,
                    "by": text, "active": boolean, "revertedAt": optional(time), "revertedBy": optional(text),
                    "wallPlacement": oneOf(["crimeWatch", "registry"]), "extended": optional(boolean),
                ]),
            "RetaskingList": object(nil, ["active": list(ref("Retasking")), "recent": list(ref("Retasking"))]),
            "SelectivePick": object("A camera the wall should show now, and why.", [
                "cameraId": uuid, "label": text, "score": number,
                "reasons": list(object(nil, [
                    "kind": oneOf(["incident", "alarm", "event", "unusualMotion", "schoolHours"]), "text": text, "weight": number,
                ])),
            ]),
        ]
    }
}
