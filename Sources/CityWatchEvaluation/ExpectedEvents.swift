import CityWatchDomain
import CityWatchMedia

/// The events a rule should raise on a synthetic clip, worked out from the clip's ground truth
/// with plain geometry on the true boxes — what a perfect detector and tracker would give the
/// rule, under the rule's documented meaning:
///
/// - intrusion: an object's foot point (middle of its box's bottom edge) comes into the zone;
///   one event per stay, a stay surviving ``stayGrace`` seconds out;
/// - loitering: a stay has lasted the rule's seconds;
/// - line crossing: the foot point changes side of the line, the step between two frames
///   passing through the drawn segment, in the counted direction;
/// - crowding: the number of objects standing in the zone rises above the rule's count;
/// - object left: an object not in the first frame, and not a person, has kept still, with no other object's box
///   touching it, for the rule's seconds, in the zone;
/// - abandoned object: the same, counting only while the person who carried it in (the person
///   nearest it, within their height foot to foot, when it is first visible) is out of the
///   picture or farther than ``unattendedReach`` of their heights;
/// - fall: a scripted fall posture in the zone has lasted the rule's seconds.
///
/// Each event carries the object's id and true box at that frame (crowding: neither, a crowd
/// has many).
/// Class filters are not applied: the evaluation runs without a detector, so its rules have none.
public enum ExpectedEvents {
    /// Seconds a foot point may be out of a zone without ending the stay (the rule engine's
    /// documented grace).
    public static let stayGrace = 1.0
    /// How far, in their own heights, an owner must be from a left object for it to be
    /// unattended (the rule engine's documented default).
    public static let unattendedReach = 1.5
    /// Pixels a box centre may wander (beyond camera shake) and still be still.
    public static let stillRadius = 2.0

    /// One object's true boxes, frame by frame (nil where it is not visible).
    struct Trail {
        var id: Int
        var boxes: [PixelBox?]
    }

    /// The expected events of `rule` on the clip `truth` describes, in time order.
    public static func of(_ rule: AnalyticsRule, in truth: SyntheticGroundTruth) -> [EventScore.Occurrence] {
        let geometry = PictureGeometry(width: truth.scene.width, height: truth.scene.height)
        let trails = trails(of: truth)
        let times = truth.frames.map(\.time)
        let events: [EventScore.Occurrence]
        switch rule.kind {
        case .intrusion(let zone):
            events = trails.flatMap { stays(of: $0, in: zone, times: times, geometry: geometry, after: nil) }
        case .loitering(let zone, let seconds):
            events = trails.flatMap { stays(of: $0, in: zone, times: times, geometry: geometry, after: seconds) }
        case .lineCrossing(let line, let direction):
            events = trails.flatMap { crossings(of: $0, line: line, direction: direction, times: times, geometry: geometry) }
        case .crowding(let zone, let count):
            events = crowds(trails, zone: zone, above: count, times: times, geometry: geometry)
        case .objectLeft(let zone, let seconds), .abandonedObject(let zone, let seconds):
            let shake = Double(truth.scene.effects.shake)
            let persons = Set(truth.scene.objects.filter { $0.objectClass == .person }.map(\.id))
            let unattended = rule.kind.name == "abandonedObject"
            events = trails.flatMap { left(trail: $0, among: trails, zone: zone, seconds: seconds, shake: shake, times: times,
                                           geometry: geometry, persons: persons, unattended: unattended) }
        case .fall(let zone, let seconds):
            events = falls(in: truth, trails: trails, zone: zone, seconds: seconds, geometry: geometry)
        case .fight:
            events = []   // the synthetic scenes script no fights
        }
        return events.sorted { $0.time < $1.time }
    }

    /// Every object's boxes over the clip, indexed by frame.
    static func trails(of truth: SyntheticGroundTruth) -> [Trail] {
        var byID: [Int: Int] = [:]
        var trails: [Trail] = []
        for (index, frame) in truth.frames.enumerated() {
            for object in frame.objects {
                if byID[object.trackId] == nil {
                    byID[object.trackId] = trails.count
                    trails.append(Trail(id: object.trackId, boxes: Array(repeating: nil, count: truth.frames.count)))
                }
                trails[byID[object.trackId]!].boxes[index] = object.box
            }
        }
        return trails
    }

    /// Stays of one object in `zone`: at their start (intrusion, `after` nil) or once they have
    /// lasted `after` seconds (loitering).
    static func stays(of trail: Trail, in zone: ImagePolygon, times: [Double], geometry: PictureGeometry,
                      after seconds: Double?) -> [EventScore.Occurrence] {
        var events: [EventScore.Occurrence] = []
        var start: Double?, lastInside = 0.0, reported = false
        for (index, box) in trail.boxes.enumerated() {
            let time = times[index]
            let inside = box.map { b in let f = PictureGeometry.foot(of: b); return geometry.contains(zone, x: f.x, y: f.y) } ?? false
            if inside {
                if start == nil { start = time; reported = false }
                lastInside = time
                if !reported, let begun = start, time - begun >= (seconds ?? 0) {
                    events.append(.init(time: time, box: box, trackId: trail.id))
                    reported = true
                }
            } else if start != nil, time - lastInside > stayGrace {
                start = nil
            }
        }
        return events
    }

    /// Crossings of one object's foot point over `line` in the `direction` counted.
    static func crossings(of trail: Trail, line: ImageLine, direction: CrossingDirection, times: [Double],
                          geometry: PictureGeometry) -> [EventScore.Occurrence] {
        var events: [EventScore.Occurrence] = []
        var settled = 0, anchor = (x: 0.0, y: 0.0)
        for (index, box) in trail.boxes.enumerated() {
            guard let box else { settled = 0; continue }
            let foot = PictureGeometry.foot(of: box)
            let side = geometry.side(of: line, x: foot.x, y: foot.y)
            guard side != 0 else { continue }
            if settled != 0, side != settled, geometry.crosses(line, from: anchor, to: foot) {
                let went: CrossingDirection = settled < 0 ? .leftToRight : .rightToLeft
                if direction == .either || direction == went { events.append(.init(time: times[index], box: box, trackId: trail.id)) }
            }
            settled = side
            anchor = foot
        }
        return events
    }

    /// The start of every spell with more than `count` objects standing in `zone`.
    static func crowds(_ trails: [Trail], zone: ImagePolygon, above count: Int, times: [Double],
                       geometry: PictureGeometry) -> [EventScore.Occurrence] {
        var events: [EventScore.Occurrence] = []
        var crowded = false
        for index in times.indices {
            let inside = trails.count { trail in
                guard let box = trail.boxes[index] else { return false }
                let foot = PictureGeometry.foot(of: box)
                return geometry.contains(zone, x: foot.x, y: foot.y)
            }
            if inside > count, !crowded { events.append(.init(time: times[index])) }
            crowded = inside > count
        }
        return events
    }

    /// One object left on its own: still (its box centre within ``stillRadius`` plus the shake of
    /// where the spell began) and untouched by any other box, for `seconds`, in `zone`.
    /// Still spells of one object not in the first frame and not a person (`persons`: their
    /// ids): an event once one has lasted `seconds` with no other box touching it. With
    /// `unattended`, only the time its owner is away counts (see the type's notes).
    static func left(trail: Trail, among trails: [Trail], zone: ImagePolygon, seconds: Double, shake: Double,
                     times: [Double], geometry: PictureGeometry, persons: Set<Int>, unattended: Bool) -> [EventScore.Occurrence] {
        guard trail.boxes.first.flatMap({ $0 }) == nil else { return [] }   // part of the scene from the start
        guard !persons.contains(trail.id) else { return [] }
        let carrier = unattended ? owner(of: trail, among: trails.filter { persons.contains($0.id) }) : nil
        var events: [EventScore.Occurrence] = []
        var start: Double?, anchor = (x: 0.0, y: 0.0), reported = false
        for (index, box) in trail.boxes.enumerated() {
            guard let box else { start = nil; continue }
            let centre = (x: Double(box.x) + Double(box.width) / 2, y: Double(box.y) + Double(box.height) / 2)
            let near = PixelBox(x: box.x - 2, y: box.y - 2, width: box.width + 4, height: box.height + 4)
            let touched = trails.contains { $0.id != trail.id && $0.boxes[index].flatMap { near.intersection($0) } != nil }
            let moved = abs(centre.x - anchor.x) > stillRadius + 2 * shake || abs(centre.y - anchor.y) > stillRadius + 2 * shake
            let attended = carrier.map { isNear(box, $0.boxes[index], heights: unattendedReach) } ?? false
            if touched || start == nil || moved || attended {
                start = touched || attended ? nil : times[index]
                anchor = centre
                reported = false
                continue
            }
            let foot = PictureGeometry.foot(of: box)
            if !reported, let begun = start, times[index] - begun >= seconds, geometry.contains(zone, x: foot.x, y: foot.y) {
                events.append(.init(time: times[index], box: box, trackId: trail.id))
                reported = true
            }
        }
        return events
    }

    /// The person trail nearest to `trail` in the first frame it is visible, within that
    /// person's height foot to foot: who carried it in.
    static func owner(of trail: Trail, among persons: [Trail]) -> Trail? {
        guard let first = trail.boxes.firstIndex(where: { $0 != nil }), let box = trail.boxes[first] else { return nil }
        return persons.filter { isNear(box, $0.boxes[first], heights: 1) }
            .min { footDistance(box, $0.boxes[first]!) < footDistance(box, $1.boxes[first]!) }
    }

    /// True when `person` is visible and its foot point within `heights` of its box height of
    /// `box`'s.
    static func isNear(_ box: PixelBox, _ person: PixelBox?, heights: Double) -> Bool {
        guard let person else { return false }
        return footDistance(box, person) <= heights * Double(max(1, person.height))
    }

    static func footDistance(_ a: PixelBox, _ b: PixelBox) -> Double {
        let (ax, ay) = PictureGeometry.foot(of: a), (bx, by) = PictureGeometry.foot(of: b)
        return ((ax - bx) * (ax - bx) + (ay - by) * (ay - by)).squareRoot()
    }

    /// Scripted falls in `zone` whose lying posture lasts `seconds`: one event that long after.
    static func falls(in truth: SyntheticGroundTruth, trails: [Trail], zone: ImagePolygon, seconds: Double,
                      geometry: PictureGeometry) -> [EventScore.Occurrence] {
        truth.events(ofType: .fall).compactMap { fall in
            guard let trail = trails.first(where: { $0.id == fall.trackId }),
                  let standing = truth.scene.objects.first(where: { $0.id == fall.trackId }) else { return nil }
            let due = truth.scene.frame(atOrAfter: fall.time + seconds)
            guard due < truth.frames.count, let box = trail.boxes[due] else { return nil }
            // Still lying when it is due: the posture then is the fall's, not a standing one.
            let size = standing.size(at: truth.frames[due].time)
            guard size.width > size.height else { return nil }
            let foot = PictureGeometry.foot(of: box)
            guard geometry.contains(zone, x: foot.x, y: foot.y) else { return nil }
            return .init(time: truth.frames[due].time, box: box, trackId: fall.trackId)
        }
    }
}
