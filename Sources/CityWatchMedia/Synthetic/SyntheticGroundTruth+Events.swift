import CityWatchDomain
extension SyntheticGroundTruth {
    /// All events of `scene`, sorted by frame, then track id: scripted ones, posture changes that
    /// name an event, and zone entries and exits of each object's ground point.
    static func events(of scene: SyntheticScene) -> [Event] {
        var events: [Event] = []
        func add(_ type: SyntheticEventType, at time: Double, trackId: Int, zone: String? = nil) {
            let frame = scene.frame(atOrAfter: time)
            guard frame < scene.frameCount else { return }
            events.append(Event(type: type, frame: frame, time: scene.time(ofFrame: frame), trackId: trackId, zone: zone))
        }
        for event in scene.events { add(event.type, at: event.time, trackId: event.trackId, zone: event.zone) }
        for object in scene.objects {
            for posture in object.postures {
                if let type = posture.event, object.isPresent(at: posture.time) { add(type, at: posture.time, trackId: object.id) }
            }
        }
        events += zoneEvents(of: scene)
        return events.sorted { ($0.frame, $0.trackId, $0.type.rawValue) < ($1.frame, $1.trackId, $1.type.rawValue) }
    }

    /// Frame by frame, whether each object's ground point is inside each zone (a present object,
    /// `area.x ≤ x < area.maxX` and `area.y ≤ y < area.maxY`); a change is an entry or an exit.
    static func zoneEvents(of scene: SyntheticScene) -> [Event] {
        guard !scene.zones.isEmpty else { return [] }
        var events: [Event] = []
        for object in scene.objects {
            var inside = [Bool](repeating: false, count: scene.zones.count)
            for index in 0..<scene.frameCount {
                let time = scene.time(ofFrame: index)
                let present = object.isPresent(at: time)
                let point = object.groundPoint(at: time)
                for (z, zone) in scene.zones.enumerated() {
                    let area = zone.area
                    let now = present && point.x >= Double(area.x) && point.x < Double(area.maxX)
                        && point.y >= Double(area.y) && point.y < Double(area.maxY)
                    guard now != inside[z] else { continue }
                    inside[z] = now
                    events.append(Event(type: now ? .enterZone : .exitZone, frame: index, time: time, trackId: object.id, zone: zone.name))
                }
            }
        }
        return events
    }
}
