import Foundation

/// The rules of the alarm queue: its order and what an operator may do to an alarm in each
/// state. Pure, so the API, the console's order and the tests agree.
public enum AlarmQueue {
    /// What an operator does to an alarm.
    public enum Action: String, Sendable, CaseIterable {
        /// `reopen` takes back a dismissal (dismissed by mistake, or the thing came back).
        case acknowledge, annotate, dismiss, escalate, reopen
    }

    /// Why an action was refused.
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        case alreadyClosed(Alarm.Status)
        /// Only a dismissed alarm reopens (an escalated one belongs to its incident).
        case notDismissed(Alarm.Status)
        case noteRequired(Action)
        case noteTooLong(Int)

        public var description: String {
            switch self {
            case .alreadyClosed(let status): "the alarm is already \(status.rawValue)"
            case .notDismissed(let status): "only a dismissed alarm can be reopened; this one is \(status.rawValue)"
            case .noteRequired(.dismiss): "say why the alarm is dismissed (field 'note')"
            case .noteRequired: "write the note (field 'note')"
            case .noteTooLong(let limit): "field 'note' must be at most \(limit) characters"
            }
        }
    }

    /// The longest note.
    public static let noteLimit = 1_000

    /// Active alarms before finished ones; then the most urgent; then the one waiting longest
    /// (nothing urgent is pushed down by newer, equally urgent alarms); drills after real ones of
    /// the same priority. Finished alarms follow, newest first.
    public static func inQueueOrder(_ lhs: Alarm, _ rhs: Alarm) -> Bool {
        if lhs.status.isActive != rhs.status.isActive { return lhs.status.isActive }
        guard lhs.status.isActive else {
            return lhs.raisedAt != rhs.raisedAt ? lhs.raisedAt > rhs.raisedAt : lhs.id.uuidString < rhs.id.uuidString
        }
        if lhs.priority != rhs.priority { return lhs.priority.rank < rhs.priority.rank }
        if lhs.drill != rhs.drill { return !lhs.drill }
        if lhs.status != rhs.status { return lhs.status == .open }
        return lhs.raisedAt != rhs.raisedAt ? lhs.raisedAt < rhs.raisedAt : lhs.id.uuidString < rhs.id.uuidString
    }

    /// The alarm after `action` by `actor` at `now`, or why it may not be done. A note is kept
    /// with every action that carries one; dismissing needs one.
    public static func apply(_ action: Action, to alarm: Alarm, by actor: String, note rawNote: String?, at now: Date,
                             incidentID: UUID? = nil) throws(Refusal) -> Alarm {
        let note = rawNote?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let note, note.count > noteLimit { throw .noteTooLong(noteLimit) }
        var next = alarm
        if let note, !note.isEmpty { next.notes.append(AlarmNote(at: now, by: actor, text: note)) }
        switch action {
        case .annotate:
            guard note?.isEmpty == false else { throw .noteRequired(.annotate) }
            return next
        case .acknowledge:
            guard alarm.status == .open else { throw .alreadyClosed(alarm.status) }
            next.status = .acknowledged
        case .dismiss:
            guard alarm.status.isActive else { throw .alreadyClosed(alarm.status) }
            guard note?.isEmpty == false else { throw .noteRequired(.dismiss) }
            next.status = .dismissed
        case .escalate:
            guard alarm.status.isActive else { throw .alreadyClosed(alarm.status) }
            next.status = .escalated
            next.incidentID = incidentID
        case .reopen:
            guard alarm.status == .dismissed else { throw .notDismissed(alarm.status) }
            next.status = .open
        }
        next.handledBy = actor
        next.handledAt = now
        return next
    }
}
