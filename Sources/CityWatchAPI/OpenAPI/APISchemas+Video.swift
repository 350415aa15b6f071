import CityWatchDomain
import OpenAPIKit

extension APISchemas {
    /// Streams, health, recordings, holds, retention and evidence exports.
    static var recording: KeyValuePairs<String, JSONSchema> {
        [
            "Stream": object("The camera's stream; the password is never returned, only whether one is set.", [
                "mainURL": text, "subURL": optional(text), "username": optional(text), "hasPassword": boolean, "loop": boolean,
            ]),
            "CameraHealth": object("""
                `health` is `connecting`, `online`, `stalled`, `offline`, `reconnecting`, `disabled`, `unknown`, or \
                `indexingStalled` while the camera's closed segments do not reach the index (`indexing` says how many wait). \
                `analysis` (where this server analyses): `detectorLed`, `motionOnly` or `off`, with the reason when a camera \
                that should be detector-led runs on motion alone (no detector model, or one that cannot be loaded).
                """, [
                    "cameraId": uuid, "health": text, "reason": optional(text), "since": optional(time), "recording": boolean,
                    "analysis": optional(object(nil, [
                        "profile": oneOf(["detectorLed", "motionOnly", "off"]), "reason": optional(text),
                    ])),
                    "indexing": optional(object(nil, [
                        "state": oneOf(["ok", "stalled"]), "waiting": integer, "stalledSince": optional(time), "problem": optional(text),
                    ])),
                    "history": list(object(nil, ["at": time, "from": text, "to": text, "reason": text])),
                ]),
            "Recordings": object("""
                `ranges`: stretches of continuous recording; `gaps`: outages the recorder noticed; `recordingNow`: the \
                segment this server is writing (start to now), playable once it closes. In a cluster each segment names \
                the `node` that recorded it, and `unavailable` lists stretches recorded by a node that is down now (not \
                lost: playable again once it is back). Each segment's `tier` says where its file is: `hot` on the node \
                that recorded it, `archive` in the shared archive (any node plays it); both play alike.
                """, [
                    "cameraId": uuid, "from": time, "to": time, "ranges": list(ref("TimeSpan")), "gaps": list(ref("TimeSpan")),
                    "segments": list(object(nil, ["id": uuid, "start": time, "end": time, "bytes": integer, "node": optional(text),
                                                   "tier": oneOf(["hot", "archive"])])),
                    "recordingNow": optionalRef("TimeSpan"),
                    "unavailable": list(object(nil, ["start": time, "end": time, "node": text, "reason": text])),
                ]),
            "TimeSpan": object(nil, ["start": time, "end": time]),
            "Hold": object(nil, [
                "id": uuid, "cameraId": uuid, "from": time, "to": time, "reason": text, "createdBy": text, "createdAt": time,
            ]),
            "Retention": object("""
                Days footage is kept: `defaultDays` from the configuration (read-only), and per purpose code. With an archive \
                tier, the hours after which footage moves there: `defaultArchiveAfterHours` from the configuration (read-only, \
                absent without an archive) and per purpose code. `exportKeepDays` (read-only, configuration): days an evidence \
                export is kept after it was made.
                """, [
                "defaultDays": optional(integer), "purposes": map(integer),
                "defaultArchiveAfterHours": optional(number), "archiveAfterHours": optional(map(number)), "exportKeepDays": optional(integer),
            ]),
            "Storage": object("""
                This node's storage tiers: each tier's footage (this node's in the hot tier, every node's in the shared \
                archive), its quota and disk; and, with an archive, how moving stands on this node (`state` `ok`, \
                `unavailable`, `full`, `unknown` before the first look, `off` when this process does not record).
                """, [
                "node": optional(text),
                "tiers": list(object(nil, [
                    "tier": oneOf(["hot", "archive"]), "folder": text, "segments": integer, "bytes": integer, "oldest": optional(time),
                    "quotaBytes": optional(integer), "diskTotalBytes": optional(integer), "diskFreeBytes": optional(integer),
                    "diskFreePercent": optional(number),
                ])),
                "archive": optional(object(nil, [
                    "state": oneOf(["ok", "unavailable", "full", "unknown", "off"]), "reason": optional(text), "since": optional(time),
                    "moves": integer, "bytesMoved": integer, "failures": integer, "lastFailure": optional(text),
                    "duePending": integer, "lagSeconds": number, "bytesPerSecond": number, "lastPassAt": optional(time),
                ])),
                "archiveAfterHours": number, "hotMoveBelowFreePercent": number, "refuseBelowFreePercent": number,
            ]),
            "Export": object(nil, ["id": uuid, "manifest": ref("EvidenceManifest"), "download": text, "signingKeyFingerprint": text, "keptUntil": time]),
            "ExportRecord": object("""
                An export made, from its audit line; `download` while it is kept, `deletedAt` once it was deleted, and `destroyedBy` and `destroyReason` when it was destroyed before its days were over.
                """, [
                "id": uuid, "createdAt": time, "requestedBy": text, "reason": text, "cameraIds": list(uuid), "from": time, "to": time,
                "files": integer, "maskedCameraIds": list(uuid), "provisionRequestId": optional(uuid), "keptUntil": time,
                "deletedAt": optional(time), "download": optional(text), "destroyedBy": optional(text), "destroyReason": optional(text),
            ]),
            "ExportJob": object("""
                An evidence export running in the background. `interrupted`: its server stopped telling for 90 s (stopped \
                mid-export), export again. `result` once done (what `POST /api/exports` answers), `error` once failed or \
                interrupted.
                """, [
                    "id": uuid, "state": oneOf(["running", "done", "failed", "interrupted"]), "node": text, "startedBy": text,
                    "startedAt": time, "endedAt": optional(time), "cameraIds": list(uuid), "camerasDone": integer, "cameras": integer,
                    "percent": integer, "result": optionalRef("Export"), "error": optional(text),
                ]),
            "DestroyedExport": object("An export destroyed before its days were over.", [
                "id": uuid, "deletedAt": time, "destroyedBy": text, "reason": text, "cameraIds": list(uuid),
            ]),
            "EvidenceManifest": object("""
                What an export holds, signed (`manifest.json.sig`). A camera with privacy masks carries `masked: true` when its \
                video was blacked out; a provision export lists per camera the `blurred` areas (`kind` `privacyZone` or `box`).
                """, [
                    "format": text, "exportId": uuid, "createdAt": time, "requestedBy": text, "reason": text, "from": time, "to": time,
                    "cameras": list(object(nil, [
                        "cameraId": uuid, "address": text, "purpose": text, "file": text, "from": time, "to": time,
                        "coveredFrom": optional(time), "coveredTo": optional(time),
                        "missing": list(object(nil, ["from": time, "to": time])), "masked": optional(boolean),
                        "blurred": optional(list(object(nil, [
                            "kind": oneOf(["privacyZone", "box"]), "x": number, "y": number, "width": number, "height": number,
                            "from": optional(time), "to": optional(time),
                        ]))),
                    ])),
                    "files": list(object(nil, ["name": text, "bytes": integer])), "signingKey": text,
                    "provisionRequestId": optional(uuid),
                ]),
        ]
    }

    /// Analytics rules and events, in picture coordinates.
    static var analytics: KeyValuePairs<String, JSONSchema> {
        [
            "Point": object("A point on a camera's picture, as fractions of its width and height; (0, 0) is top left.", [
                "x": number, "y": number,
            ]),
            "Zone": object("A polygon on the picture: at least 3 corners, no crossing edges.", ["points": list(ref("Point"))]),
            "Line": object("A line on the picture; its sides are seen from `start` looking at `end`.", [
                "start": ref("Point"), "end": ref("Point"),
            ]),
            "Box": object("A box on the picture, in fractions.", ["x": number, "y": number, "width": number, "height": number]),
            "AnalyticsSettings": object("""
                `running`: this server analyses the camera now. `profile` `automatic`: detector-led when the camera has \
                enabled rules and this server has a detector (`detectorLed` true): rules without a class filter then count \
                persons for fall, loitering and crowding, named objects (or a large unnamed one) for intrusion and line \
                crossing, anything but a person for abandoned objects; `motionOnly`: every moving object counts.
                """, [
                "cameraId": uuid, "enabled": boolean, "rules": list(ref("AnalyticsRule")), "privacyMasks": list(ref("Zone")),
                "profile": oneOf(AnalysisProfile.allCases.map(\.rawValue)), "detectorLed": boolean, "running": boolean,
            ]),
            "AnalyticsRule": object("""
                `classes` empty means any class; `minimumHeight` is a fraction of the picture's height; `schedule` null or \
                left out means always armed.
                """, [
                    "id": uuid, "name": text, "enabled": boolean, "kind": ref("RuleKind"), "classes": list(objectClass),
                    "minimumHeight": number, "coolDownSeconds": number, "schedule": optional(ref("Schedule").nullableSchemaObject()),
                ]),
            "RuleKind": .one(of: [
                object(nil, ["intrusion": object(nil, ["zone": ref("Zone")])]),
                object(nil, ["loitering": object(nil, ["zone": ref("Zone"), "seconds": number])]),
                object(nil, ["lineCrossing": object(nil, ["line": ref("Line"), "direction": oneOf(CrossingDirection.allCases.map(\.rawValue))])]),
                object(nil, ["crowding": object("More than `count` objects in the zone.", ["zone": ref("Zone"), "count": integer])]),
                object(nil, ["objectLeft": object("An object not there before stays still `seconds`, attended or not.",
                                                  ["zone": ref("Zone"), "seconds": number])]),
                object(nil, ["abandonedObject": object("""
                    An object brought in has been unattended `seconds`: the person who brought it gone or farther than 1.5 of \
                    their heights (nobody seen bringing it: no person that near).
                    """, ["zone": ref("Zone"), "seconds": number])]),
                object(nil, ["fall": object(nil, ["zone": ref("Zone"), "seconds": number])]),
                object(nil, ["fight": object("Two or more persons close together move violently for `seconds`.", ["zone": ref("Zone"), "seconds": number])]),
            ], core: .init(description: "What the rule watches for: one key naming the kind, with its geometry.")),
            "Schedule": object("""
                When the rule is armed: days are ISO (1 = Monday), minutes after midnight in the server's district time \
                (Asia/Seoul); a window whose end is not after its start runs past midnight.
                """, [
                    "windows": list(object(nil, ["days": list(whole(1...7)),
                                                 "startMinute": integer, "endMinute": integer])),
                ]),
            "Event": object("""
                What an analytics rule raised. `severity` is the priority its alarm gets; `playbackURL` is the console's \
                playback a few seconds before it.
                """, [
                    "id": uuid, "cameraId": uuid, "ruleId": optional(uuid), "ruleName": text, "kind": text, "severity": priority,
                    "at": time, "lastAt": time, "repeats": integer, "trackIds": list(integer), "boxes": list(ref("Box")),
                    "classes": list(objectClass), "snapshotURL": optional(text), "playbackURL": text,
                    "acknowledgedBy": optional(text), "acknowledgedAt": optional(time), "note": optional(text),
                ]),
        ]
    }
}
