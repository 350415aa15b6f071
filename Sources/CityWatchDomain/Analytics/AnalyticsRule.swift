import Foundation

/// A rule an operator draws on a camera: what must happen, where, to what, and when, for an
/// event to be raised.
public struct AnalyticsRule: Codable, Sendable, Hashable, Identifiable {
    public var id: UUID
    /// The operator's name for it ("school yard after hours").
    public var name: String
    public var enabled: Bool
    public var kind: Kind
    /// Classes the rule applies to; empty means every class, `unknown` included.
    public var classes: Set<ObjectClass>
    /// Smallest object that counts, as a fraction of the picture's height (0 = any size).
    public var minimumHeight: Double
    /// After an event, the same rule on the same object stays quiet this long (seconds); a
    /// repeat within it is merged into the first event.
    public var coolDownSeconds: Double
    /// When the rule is armed; nil means always.
    public var schedule: WeeklySchedule?

    /// What the rule watches for.
    public enum Kind: Codable, Sendable, Hashable {
        /// The same kind with its zone's corners near a picture edge moved just past it (what
        /// the rule engine evaluates; see ``ImagePolygon/reachingEdges(within:)``).
        public var zoneReachingEdges: Kind {
            switch self {
            case .intrusion(let zone): .intrusion(zone: zone.reachingEdges())
            case .loitering(let zone, let seconds): .loitering(zone: zone.reachingEdges(), seconds: seconds)
            case .lineCrossing: self
            case .crowding(let zone, let count): .crowding(zone: zone.reachingEdges(), count: count)
            case .abandonedObject(let zone, let seconds): .abandonedObject(zone: zone.reachingEdges(), seconds: seconds)
            case .objectLeft(let zone, let seconds): .objectLeft(zone: zone.reachingEdges(), seconds: seconds)
            case .fall(let zone, let seconds): .fall(zone: zone.reachingEdges(), seconds: seconds)
            case .fight(let zone, let seconds): .fight(zone: zone.reachingEdges(), seconds: seconds)
            }
        }

        /// An object enters the zone.
        case intrusion(zone: ImagePolygon)
        /// An object stays in the zone longer than `seconds`.
        case loitering(zone: ImagePolygon, seconds: Double)
        /// An object crosses the line in `direction`.
        case lineCrossing(line: ImageLine, direction: CrossingDirection)
        /// More than `count` objects are in the zone at once.
        case crowding(zone: ImagePolygon, count: Int)
        /// An object brought in and left has been *unattended* in the zone for `seconds`: still,
        /// with the person who brought it gone beyond reach (about 1.5 of their heights, foot to
        /// foot) or out of the picture — or, when nobody was seen bringing it, with no person
        /// within that reach. Its owner standing beside it keeps it attended.
        case abandonedObject(zone: ImagePolygon, seconds: Double)
        /// An object that was not there before stays still in the zone longer than `seconds`,
        /// attended or not (a bag set down, a parked cart, a dumped box).
        case objectLeft(zone: ImagePolygon, seconds: Double)
        /// A person drops (upright to lying) in the zone and stays down for `seconds`.
        case fall(zone: ImagePolygon, seconds: Double)
        /// Two or more persons close together in the zone move violently for `seconds`.
        case fight(zone: ImagePolygon, seconds: Double)

        /// The name used in events, logs and the evaluation report.
        public var name: String {
            switch self {
            case .intrusion: "intrusion"
            case .loitering: "loitering"
            case .lineCrossing: "lineCrossing"
            case .crowding: "crowding"
            case .abandonedObject: "abandonedObject"
            case .objectLeft: "objectLeft"
            case .fall: "fall"
            case .fight: "fight"
            }
        }

        /// The zone the rule watches (the whole picture for a line).
        public var zone: ImagePolygon {
            switch self {
            case .intrusion(let zone), .loitering(let zone, _), .crowding(let zone, _),
                 .abandonedObject(let zone, _), .objectLeft(let zone, _), .fall(let zone, _), .fight(let zone, _): zone
            case .lineCrossing: .wholePicture
            }
        }
    }

    public init(id: UUID = UUID(), name: String, enabled: Bool = true, kind: Kind, classes: Set<ObjectClass> = [],
                minimumHeight: Double = 0, coolDownSeconds: Double = 30, schedule: WeeklySchedule? = nil) {
        self.id = id
        self.name = name
        self.enabled = enabled
        self.kind = kind
        self.classes = classes
        self.minimumHeight = minimumHeight
        self.coolDownSeconds = coolDownSeconds
        self.schedule = schedule
    }

    /// Why a rule cannot be used, naming the field.
    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        /// The field at fault (`kind.zone`, `coolDownSeconds`, …).
        public var field: String
        /// What is wrong with it, in words an operator can act on.
        public var reason: String
        public var description: String { "\(field): \(reason)" }

        public init(field: String, reason: String) {
            self.field = field
            self.reason = reason
        }
    }

    /// The rule, or the first problem in it: a bad zone, line or schedule, a negative time,
    /// a count below 1, a size outside 0...1, an empty name.
    public func validated() throws(Problem) -> AnalyticsRule {
        guard !name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw Problem(field: "name", reason: "must not be empty") }
        guard (0...1).contains(minimumHeight) else { throw Problem(field: "minimumHeight", reason: "must be a fraction of the picture's height (0…1), got \(minimumHeight)") }
        guard coolDownSeconds >= 0, coolDownSeconds.isFinite else { throw Problem(field: "coolDownSeconds", reason: "must be 0 or more seconds") }
        do {
            switch kind {
            case .intrusion(let zone):
                _ = try zone.validated()
            case .loitering(let zone, let seconds), .abandonedObject(let zone, let seconds), .objectLeft(let zone, let seconds),
                 .fall(let zone, let seconds), .fight(let zone, let seconds):
                _ = try zone.validated()
                guard seconds > 0, seconds.isFinite else { throw Problem(field: "kind.seconds", reason: "must be more than 0 seconds") }
            case .crowding(let zone, let count):
                _ = try zone.validated()
                guard count >= 1 else { throw Problem(field: "kind.count", reason: "must be at least 1") }
            case .lineCrossing(let line, _):
                _ = try line.validated()
            }
        } catch let problem as Problem {
            throw problem
        } catch let shape as ImageShapeError {
            throw Problem(field: kind.name == "lineCrossing" ? "kind.line" : "kind.zone", reason: shape.description)
        } catch {
            throw Problem(field: "kind", reason: "\(error)")
        }
        if let schedule {
            do { _ = try schedule.validated() } catch { throw Problem(field: "schedule", reason: error.description) }
        }
        return self
    }

    /// True when the rule applies to an object of `objectClass` whose box is `heightFraction`
    /// of the picture's height.
    public func applies(to objectClass: ObjectClass, heightFraction: Double) -> Bool {
        (classes.isEmpty || classes.contains(objectClass)) && heightFraction >= minimumHeight
    }
}
