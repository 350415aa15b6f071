import CityWatchDomain
import OpenAPIKit

extension APISchemas {
    /// Smart search and cast-net.
    static var search: KeyValuePairs<String, JSONSchema> {
        [
            "SearchQuery": object("""
                `cameras` is the union of its parts; left out, every camera the user may see. Without an object criterion \
                (`classes`, `colors`, `direction`, `line`, `dwellSeconds`, `size`) the search finds **motion**: seconds in which \
                a cell of the 16×9 grid that `region` touches moved (anywhere without a region). With one it finds **tracked \
                objects** meeting all criteria: `region` — a foot point (bottom middle of the box) inside it; `dwellSeconds` — \
                that many seconds inside without leaving; `line` — a step of the path crossing it the way `crossing` says; \
                `direction` — the track's direction, degrees clockwise from up (`{from: 300, to: 60}` is the fan around up); \
                `size` — the median box height as a fraction of the picture. `order: "time"` is newest first, `"relevance"` \
                by `score`. `limit` 1–500 (default 50), `offset` at most 10,000.
                """, [
                    "cameras": optional(object(nil, [
                        "ids": optional(list(uuid)), "purposes": optional(list(text)), "area": optional(list(ref("GeoPoint"))),
                    ])),
                    "from": time, "to": time, "region": optionalRef("Zone"), "classes": optional(list(objectClass)),
                    "colors": optional(list(oneOf(ColorName.allCases.map(\.rawValue)))),
                    "direction": optional(object(nil, ["from": number, "to": number])), "line": optionalRef("Line"),
                    "crossing": optional(oneOf(CrossingDirection.allCases.map(\.rawValue))), "dwellSeconds": optional(number),
                    "size": optional(object(nil, ["minimum": number, "maximum": number])),
                    "order": optional(oneOf(SearchQuery.Order.allCases.map(\.rawValue))), "limit": optional(integer),
                    "offset": optional(integer),
                ]),
            "SearchResult": object("""
                `reads.hours` counts the camera-hour rows a motion search read (`reads.minutes` is 0: minutes are read only \
                by the brute-force check), `reads.tracks` the track rows an object search read.
                """, [
                    "kind": oneOf(["motion", "objects"]), "episodes": list(ref("Episode")), "total": integer, "cameras": integer,
                    "reads": object(nil, ["hours": integer, "minutes": integer, "tracks": integer]), "milliseconds": number,
                ]),
            "Episode": object("""
                Hits of one camera less than 5 s apart. `moment` is where to look first (for motion the first second in which \
                most of the region's cells moved; for objects the crossing, the start of the stay, or the first sighting). \
                `score`: for motion, cells × seconds of motion in the region; for objects, matching objects and their time.
                """, [
                    "cameraId": uuid, "start": time, "end": time, "moment": time, "trackIds": list(integer),
                    "classes": list(objectClass), "score": number, "thumbnailURL": text, "playbackURL": text,
                ]),
            "CastNetAnswer": object("The plan, and each of its cameras' labels by id.", [
                "plan": ref("CastNetPlan"), "labels": map(text),
            ]),
            "CastNetPlan": object("""
                The cameras around a place and along the roads away from it; `notes` say when only rings were drawn (no road \
                network, far from roads, …).
                """, [
                    "centre": ref("GeoPoint"), "incidentTime": time, "now": time, "elapsedSeconds": number,
                    "rings": list(object(nil, ["kind": oneOf(["inner", "outer"]), "radius": number])),
                    "cameras": list(object(nil, [
                        "cameraID": text, "point": ref("GeoPoint"), "rank": integer, "distance": number,
                        "ring": optional(oneOf(["inner", "outer"])), "coversPoint": boolean, "arrivalSeconds": optional(number),
                        "arrivalMode": optional(oneOf(["foot", "car"])), "roadDistance": optional(number),
                    ])),
                    "reachedRoads": list(object(nil, [
                        "roadID": text, "mode": oneOf(["foot", "car"]), "fromFraction": number, "toFraction": number,
                        "earliestSeconds": number, "polyline": list(ref("GeoPoint")),
                    ])),
                    "routeStarts": list(object(nil, [
                        "mode": oneOf(["foot", "car"]), "roadID": text, "point": ref("GeoPoint"), "distance": number,
                    ])),
                    "notes": list(object(nil, [
                        "kind": oneOf(["noRoadNetwork", "farFromRoads", "movedToLargestPart", "noRoadForMode", "nowBeforeIncident"]),
                        "message": text,
                    ])),
                ]),
        ]
    }

    /// The alarm queue and incidents.
    static var alarms: KeyValuePairs<String, JSONSchema> {
        [
            "Alarm": object("""
                An alarm as consoles see it: only the cameras the user may see, each with its label. A storm alarm carries \
                `storm` (the alarms it stands for and their span, updated as they come).
                """, [
                    "id": uuid, "source": oneOf(Alarm.Source.allCases.map(\.rawValue)), "sourceRef": optional(text),
                    "priority": priority, "status": oneOf(Alarm.Status.allCases.map(\.rawValue)), "title": text,
                    "detail": optional(text), "latitude": optional(number), "longitude": optional(number), "address": optional(text),
                    "cameraIds": list(uuid), "cameraLabels": list(text), "raisedAt": time, "drill": boolean, "toWall": boolean,
                    "handledBy": optional(text), "handledAt": optional(time), "notes": list(ref("Note")),
                    "incidentId": optional(uuid),
                    "storm": optional(object(nil, ["count": integer, "firstAt": time, "lastAt": time])),
                ]),
            "Note": object(nil, ["at": time, "by": text, "text": text]),
            "BulkAlarmResult": object(nil, [
                "done": list(ref("Alarm")), "refused": list(object(nil, ["id": uuid, "reason": text])),
            ]),
            "AlarmStats": object("Drills are counted apart, never in the totals.", [
                "from": time, "to": time, "total": integer, "bySource": map(integer), "byPriority": map(integer),
                "dismissed": integer, "escalated": integer, "drills": integer,
            ]),
            "Incident": object(nil, [
                "id": uuid, "number": text, "kind": oneOf(Incident.Kind.allCases.map(\.rawValue)), "kindName": text, "title": text,
                "status": oneOf(Incident.Status.allCases.map(\.rawValue)), "grade": integer, "latitude": optional(number),
                "longitude": optional(number), "address": optional(text), "occurredAt": time, "openedAt": time, "openedBy": text,
                "closedAt": optional(time), "cameraIds": list(uuid), "cameraLabels": list(text),
                "clips": list(object(nil, ["cameraId": uuid, "from": time, "to": time, "label": text])), "drill": boolean,
                "origin": optional(text), "originRef": optional(text),
            ]),
            "IncidentDetail": object("The incident, its timeline and the alarms that joined it.", [
                "incident": ref("Incident"),
                "timeline": list(object(nil, ["at": time, "by": text, "kind": text, "text": text])),
                "alarms": list(ref("Alarm")),
            ]),
        ]
    }
}
