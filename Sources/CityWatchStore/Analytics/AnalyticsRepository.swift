import CityWatchDomain
import FluentKit
import Foundation
import SQLKit

/// Analytics settings, events, motion minutes and track summaries in the store.
public struct AnalyticsRepository: Sendable {
    let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    // MARK: Settings

    /// A camera's settings; the defaults (enabled, no rules, no masks) when none were saved.
    public func settings(for cameraID: UUID) async throws -> CameraAnalyticsSettings {
        guard let model = try await AnalyticsSettingsModel.find(cameraID, on: database) else { return CameraAnalyticsSettings() }
        return try JSONDecoder().decode(CameraAnalyticsSettings.self, from: Data(model.settings.utf8))
    }

    /// True when settings were ever saved for the camera.
    public func hasSettings(for cameraID: UUID) async throws -> Bool {
        try await AnalyticsSettingsModel.find(cameraID, on: database) != nil
    }

    /// Every camera's saved settings.
    public func allSettings() async throws -> [UUID: CameraAnalyticsSettings] {
        var result: [UUID: CameraAnalyticsSettings] = [:]
        for model in try await AnalyticsSettingsModel.query(on: database).all() {
            guard let id = model.id else { continue }
            result[id] = try JSONDecoder().decode(CameraAnalyticsSettings.self, from: Data(model.settings.utf8))
        }
        return result
    }

    /// The lock of a camera's settings: whoever reads them to write a changed copy (a re-tasking's
    /// revert) takes it, as every save does.
    public static func settingsLock(_ cameraID: UUID) -> String { "citywatch.analytics.\(cameraID.uuidString)" }

    /// Saves a camera's settings whole.
    public func setSettings(_ settings: CameraAnalyticsSettings, for cameraID: UUID, by actor: String, now: Date) async throws {
        try await database.lockedTransaction(Self.settingsLock(cameraID)) { tx in
            let model = try await AnalyticsSettingsModel.find(cameraID, on: tx) ?? AnalyticsSettingsModel()
            model.id = cameraID
            model.settings = String(decoding: try JSONEncoder().encode(settings), as: UTF8.self)
            model.updatedAt = now
            model.updatedBy = actor
            try await model.save(on: tx)
        }
    }

    // MARK: Events

    /// The boxes, tracks and classes of an event, stored as one JSON column.
    struct EventObjects: Codable {
        var trackIDs: [Int]
        var boxes: [ImageBox]
        var classes: [ObjectClass]
    }

    /// Stores a new event; `snapshotPath` is where its JPEG was written, if anywhere.
    public func insert(_ event: AnalyticsEvent, snapshotPath: String?) async throws {
        let model = AnalyticsEventModel()
        model.id = event.id
        model.cameraID = event.cameraID
        model.ruleID = event.ruleID
        model.ruleName = event.ruleName
        model.kind = event.kind
        model.at = event.at
        model.lastAt = event.lastAt
        model.repeats = event.repeats
        model.objects = String(decoding: try JSONEncoder().encode(EventObjects(trackIDs: event.trackIDs, boxes: event.boxes, classes: event.classes)), as: UTF8.self)
        model.snapshotPath = snapshotPath
        try await model.create(on: database)
    }

    /// Gives event `id` its snapshot, written after the event was raised. Returns the event as it
    /// now stands (nil when there is no such event, e.g. expired meanwhile).
    public func setSnapshot(of id: UUID, path: String) async throws -> AnalyticsEvent? {
        try await AnalyticsEventModel.query(on: database).filter(\.$id == id).set(\.$snapshotPath, to: path).update()
        return try await event(id)?.event
    }

    /// Merges a repeat within the cool-down into event `id`: one more repeat, seen again at `at`.
    /// Returns the event as it now stands (nil when there is no such event).
    @discardableResult
    public func noteRepeat(of id: UUID, at: Date) async throws -> AnalyticsEvent? {
        guard let model = try await AnalyticsEventModel.find(id, on: database) else { return nil }
        model.repeats += 1
        model.lastAt = max(model.lastAt, at)
        try await model.save(on: database)
        return try Self.event(model)
    }

    /// Events newest first, optionally of some cameras, since a time, unacknowledged only.
    public func events(cameras: Set<UUID>? = nil, since: Date? = nil, until: Date? = nil, unacknowledgedOnly: Bool = false,
                       kinds: Set<String>? = nil, acknowledged: Bool? = nil, limit: Int = 100) async throws -> [AnalyticsEvent] {
        var query = AnalyticsEventModel.query(on: database)
        if let cameras { query = query.filter(\.$cameraID ~~ Array(cameras)) }
        if let since { query = query.filter(\.$at >= since) }
        if let until { query = query.filter(\.$at < until) }
        if unacknowledgedOnly || acknowledged == false { query = query.filter(\.$acknowledgedAt == nil) }
        if acknowledged == true { query = query.filter(\.$acknowledgedAt != nil) }
        if let kinds { query = query.filter(\.$kind ~~ Array(kinds)) }
        return try await query.sort(\.$at, .descending).limit(limit).all().map(Self.event)
    }

    /// One event, with the path of its snapshot.
    public func event(_ id: UUID) async throws -> (event: AnalyticsEvent, snapshotPath: String?)? {
        guard let model = try await AnalyticsEventModel.find(id, on: database) else { return nil }
        return (try Self.event(model), model.snapshotPath)
    }

    /// Records that `actor` acknowledged event `id` with `note`; nil when there is no such
    /// event. Acknowledging twice keeps the first acknowledgement and adds to the note.
    public func acknowledge(_ id: UUID, by actor: String, note: String?, at: Date) async throws -> AnalyticsEvent? {
        guard let model = try await AnalyticsEventModel.find(id, on: database) else { return nil }
        if model.acknowledgedAt == nil {
            model.acknowledgedAt = at
            model.acknowledgedBy = actor
            model.note = note
        } else if let note, !note.isEmpty {
            model.note = [model.note, "\(actor): \(note)"].compactMap { $0 }.joined(separator: "\n")
        }
        try await model.save(on: database)
        return try Self.event(model)
    }

    static func event(_ model: AnalyticsEventModel) throws -> AnalyticsEvent {
        let objects = try JSONDecoder().decode(EventObjects.self, from: Data(model.objects.utf8))
        return AnalyticsEvent(id: model.id ?? UUID(), cameraID: model.cameraID, ruleID: model.ruleID, ruleName: model.ruleName,
                              kind: model.kind, at: model.at, lastAt: model.lastAt, repeats: model.repeats,
                              trackIDs: objects.trackIDs, boxes: objects.boxes, classes: objects.classes,
                              hasSnapshot: model.snapshotPath != nil, acknowledgedBy: model.acknowledgedBy,
                              acknowledgedAt: model.acknowledgedAt, note: model.note)
    }

    // MARK: Retention

    /// What an expiry removed: counts, and the snapshot files to delete.
    public struct Expired: Sendable, Equatable {
        public var events = 0
        public var motionMinutes = 0
        public var tracks = 0
        public var snapshotPaths: [String] = []

        public init() {}
    }

    /// Deletes `camera`'s events, motion minutes and track summaries from before `cutoff`,
    /// except those inside one of `holds` (legal holds); returns what went.
    public func expire(camera: UUID, before cutoff: Date, holds: [(from: Date, to: Date)]) async throws -> Expired {
        func held(_ from: Date, _ to: Date) -> Bool { holds.contains { $0.from < to && $0.to > from } }
        var expired = Expired()
        let events = try await AnalyticsEventModel.query(on: database).filter(\.$cameraID == camera).filter(\.$at < cutoff).all()
            .filter { !held($0.at, $0.lastAt) }
        expired.events = events.count
        expired.snapshotPaths = events.compactMap(\.snapshotPath)
        let minutes = try await MotionMinuteModel.query(on: database).filter(\.$cameraID == camera).filter(\.$minuteAt < cutoff).all()
            .filter { !held($0.minuteAt, $0.minuteAt.addingTimeInterval(60)) }
        expired.motionMinutes = minutes.count
        let tracks = try await TrackSummaryModel.query(on: database).filter(\.$cameraID == camera).filter(\.$end < cutoff).all()
            .filter { !held($0.start, $0.end) }
        expired.tracks = tracks.count
        for chunk in stride(from: 0, to: events.count, by: 500).map({ events[$0..<min($0 + 500, events.count)].compactMap(\.id) }) {
            try await AnalyticsEventModel.query(on: database).filter(\.$id ~~ chunk).delete()
        }
        for chunk in stride(from: 0, to: minutes.count, by: 500).map({ minutes[$0..<min($0 + 500, minutes.count)].compactMap(\.id) }) {
            try await MotionMinuteModel.query(on: database).filter(\.$id ~~ chunk).delete()
        }
        for chunk in stride(from: 0, to: tracks.count, by: 500).map({ tracks[$0..<min($0 + 500, tracks.count)].compactMap(\.id) }) {
            try await TrackSummaryModel.query(on: database).filter(\.$id ~~ chunk).delete()
        }
        // An hour of the index goes with its last minute.
        let hours = try await MotionHourModel.query(on: database).filter(\.$cameraID == camera)
            .filter(\.$hourAt <= cutoff.addingTimeInterval(-3_600)).all()
            .filter { !held($0.hourAt, $0.hourAt.addingTimeInterval(3_600)) }
        for chunk in stride(from: 0, to: hours.count, by: 500).map({ hours[$0..<min($0 + 500, hours.count)].compactMap(\.id) }) {
            try await MotionHourModel.query(on: database).filter(\.$id ~~ chunk).delete()
        }
        // An hour that keeps some of its minutes (the cutoff or a hold falls inside it) is
        // rebuilt from them, so no search finds seconds that have gone.
        let deleted = Set(hours.map(\.hourAt))
        let index = SearchIndexRepository(database: database)
        for hour in Set(minutes.map { SearchIndexRepository.hour(of: $0.minuteAt) }).subtracting(deleted).sorted() {
            try await index.rebuild(camera: camera, hour: hour)
        }
        return expired
    }

    // MARK: Tamper

    /// Records a change of a camera's tamper state as a health event (`tamper:covered` …)
    /// for maintenance, without touching the stream's own health.
    public func recordTamper(camera: UUID, from: String, to: String, at: Date, reason: String) async throws {
        let event = HealthEventModel()
        event.cameraID = camera
        event.at = at
        event.from = "tamper:\(from)"
        event.to = "tamper:\(to)"
        event.reason = String(reason.prefix(500))
        try await event.create(on: database)
    }

    // MARK: Search metadata

    /// Stores one camera-minute of motion. A minute stored before (an earlier part of it, or a
    /// run of the analyser before a restart) keeps its seconds: the two are merged. Nothing is
    /// stored for a minute without a grid.
    public func saveMotionMinute(camera: UUID, _ minute: MotionMinute) async throws {
        let at = Date(timeIntervalSince1970: TimeInterval(minute.minute * 60))
        let earlier = try await MotionMinuteModel.query(on: database).filter(\.$cameraID == camera).filter(\.$minuteAt == at).first()
        var merged = minute
        if let earlier {
            merged = try MotionMinute(minute: minute.minute, secondsBytes: [UInt8](earlier.seconds))
            merged.merge(minute)
        }
        guard let summary = merged.summary else { return }
        let cells = GridCells(values: summary.columns == GridCells.columns && summary.rows == GridCells.rows ? summary.cells : [])
        let model = earlier ?? MotionMinuteModel()
        model.cameraID = camera
        model.minuteAt = at
        model.activeSeconds = merged.grids.count
        model.summary = Data(summary.bytes)
        model.seconds = Data(merged.secondsBytes)
        (model.cells0, model.cells1, model.cells2) = cells.stored
        try await model.save(on: database)
        try await SearchIndexRepository(database: database).addMotion(camera: camera, minute: minute, cells: cells)
    }

    /// Stores finished track summaries in one transaction.
    public func saveTracks(_ tracks: [TrackSummary]) async throws {
        guard !tracks.isEmpty else { return }
        try await database.writeTransaction { database in
            for track in tracks {
                let model = TrackSummaryModel()
                model.cameraID = track.cameraID
                model.trackID = track.trackID
                model.objectClass = track.objectClass.rawValue
                model.start = track.start
                model.end = track.end
                model.path = Data(ImageBox.pack(track.path))
                model.color = track.color
                model.direction = track.direction
                model.speed = track.speed
                (model.cells0, model.cells1, model.cells2) = track.cells.stored
                model.height = track.typicalHeight
                model.seconds = track.end.timeIntervalSince(track.start)
                try await model.create(on: database)
            }
        }
    }

    /// Track summaries of a camera overlapping a period, oldest first.
    public func tracks(camera: UUID, from: Date, to: Date) async throws -> [TrackSummary] {
        try await TrackSummaryModel.query(on: database).filter(\.$cameraID == camera).filter(\.$start < to).filter(\.$end >= from)
            .sort(\.$start).all().map { model in
                TrackSummary(cameraID: model.cameraID, trackID: model.trackID, objectClass: ObjectClass(rawValue: model.objectClass) ?? .unknown,
                             start: model.start, end: model.end,
                             path: try ImageBox.unpack([UInt8](model.path)),
                             color: model.color, direction: model.direction, speed: model.speed)
            }
    }

    /// Bytes the motion minutes and track summaries of `camera` take between two times (the
    /// stored payloads, not counting the database's own overhead).
    public func metadataBytes(camera: UUID, from: Date, to: Date) async throws -> (motion: Int, tracks: Int) {
        let minutes = try await MotionMinuteModel.query(on: database).filter(\.$cameraID == camera)
            .filter(\.$minuteAt >= from).filter(\.$minuteAt < to).all()
        let tracks = try await TrackSummaryModel.query(on: database).filter(\.$cameraID == camera)
            .filter(\.$start >= from).filter(\.$start < to).all()
        return (minutes.reduce(0) { $0 + $1.summary.count + $1.seconds.count + 24 },
                tracks.reduce(0) { $0 + $1.path.count + $1.objectClass.utf8.count + ($1.color?.utf8.count ?? 0) + 40 })
    }
}
