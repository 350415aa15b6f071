import CityWatchAnalytics
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import FluentKit
import Foundation
import Logging

/// Writes what the analyzers found: events with their snapshots (pushed to the consoles),
/// repeats merged into them, tamper changes, motion minutes and track summaries.
actor AnalyticsWriter {
    let database: @Sendable () -> any Database
    let snapshotFolder: String
    let hub: AnalyticsEventHub
    let logger: Logger
    let snapshots = SnapshotMaker()
    /// Event ids by camera and rule-engine serial, for merging repeats.
    private var eventIDs: [UUID: [Int: UUID]] = [:]
    private var minutes: [UUID: MotionMinute] = [:]
    private let motionQueue: MotionMinuteQueue
    private var stored = 0

    init(database: @escaping @Sendable () -> any Database, snapshotFolder: String, hub: AnalyticsEventHub, logger: Logger) {
        self.database = database
        self.snapshotFolder = snapshotFolder
        self.hub = hub
        self.logger = logger
        motionQueue = MotionMinuteQueue(database: database, logger: logger)
    }

    /// Events stored since the last call.
    func takeStoredCount() -> Int {
        defer { stored = 0 }
        return stored
    }

    func write(_ output: AnalyticsWorker.Output, camera: UUID) async {
        let repository = AnalyticsRepository(database: database())
        do {
            for event in output.analysis.events {
                try await raise(event, output: output, camera: camera, repository: repository)
            }
            for merge in output.analysis.merges {
                guard let id = eventIDs[camera]?[merge.eventSerial] else { continue }
                if let updated = try await repository.noteRepeat(of: id, at: Date(timeIntervalSince1970: merge.time)) {
                    hub.publish(.updated(updated))
                }
            }
            if let change = output.analysis.tamper {
                let at = Date(timeIntervalSince1970: change.time)
                let detail = TamperNotice.detail(of: change, at: at)
                try await repository.recordTamper(camera: camera, from: change.from.rawValue, to: change.to.rawValue, at: at, reason: detail)
                hub.publish(.tamper(cameraID: camera, state: change.to.rawValue, at: at, detail: detail))
                logger.notice("camera tamper state", metadata: ["camera": "\(camera)", "from": "\(change.from.rawValue)", "to": "\(change.to.rawValue)"])
            }
            if let grid = output.analysis.grid { await addGrid(grid, camera: camera) }
            if !output.analysis.finishedTracks.isEmpty {
                try await repository.saveTracks(output.analysis.finishedTracks.map { summary in
                    TrackSummary(cameraID: camera, trackID: summary.trackID, objectClass: summary.objectClass,
                                 start: Date(timeIntervalSince1970: summary.start), end: Date(timeIntervalSince1970: summary.end),
                                 path: summary.path, color: summary.color?.rawValue, direction: summary.direction, speed: summary.speed)
                })
            }
        } catch {
            logger.error("cannot store analytics", metadata: ["camera": "\(camera)", "error": "\(error)"])
        }
    }

    /// Saves every minute still being gathered, and waits for the queue (at shutdown).
    func flushMotion() async {
        for (camera, minute) in minutes { await motionQueue.enqueue(minute, camera: camera) }
        minutes = [:]
        await motionQueue.flush()
    }

    /// Stores and pushes `ruleEvent` at once, then makes its snapshot (the very frame that fired)
    /// and pushes the event again with it: an alarm never waits for ffmpeg to start, which on a
    /// busy machine can take seconds.
    private func raise(_ ruleEvent: RuleEvent, output: AnalyticsWorker.Output, camera: UUID, repository: AnalyticsRepository) async throws {
        let id = UUID()
        eventIDs[camera, default: [:]][ruleEvent.serial] = id
        if eventIDs[camera]!.count > 1000, let oldest = eventIDs[camera]!.keys.min() { eventIDs[camera]![oldest] = nil }
        let width = output.frame?.width ?? 1, height = output.frame?.height ?? 1
        let classes = ruleEvent.trackIDs.map { track in output.analysis.tracks.first { $0.id == track }?.objectClass ?? .unknown }
        let event = AnalyticsEvent(id: id, cameraID: camera, ruleID: ruleEvent.ruleID, ruleName: ruleEvent.ruleName, kind: ruleEvent.kind,
                                   at: Date(timeIntervalSince1970: ruleEvent.time), trackIDs: ruleEvent.trackIDs,
                                   boxes: ruleEvent.boxes.map { ImageBox($0, frameWidth: width, frameHeight: height) },
                                   classes: classes)
        try await repository.insert(event, snapshotPath: nil)
        stored += 1
        hub.publish(.raised(event))
        logger.notice("analytics event", metadata: ["camera": "\(camera)", "rule": "\(ruleEvent.ruleName)", "kind": "\(ruleEvent.kind)"])
        guard let frame = output.frame else { return }
        let path = ((snapshotFolder as NSString).appendingPathComponent(camera.uuidString) as NSString).appendingPathComponent("\(id).jpg")
        do {
            try await snapshots.jpeg(yuv420p: frame.pixels, width: frame.width, height: frame.height,
                                     pictureSize: output.pictureSize, masks: output.privacyMasks, to: path)
        } catch {
            logger.warning("event snapshot failed", metadata: ["camera": "\(camera)", "error": "\(error)"])
            return
        }
        if let withSnapshot = try await repository.setSnapshot(of: id, path: path) {
            hub.publish(.updated(withSnapshot))
        } else {
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// Seconds of a minute gathered before its part so far is stored: a search finds motion
    /// this recent without waiting for the minute to end.
    static let minuteSavedEvery: Int64 = 10

    /// Gathers the second's grid into its minute; a finished minute, and every ten seconds the
    /// part so far, go to the queue that stores them (events do not wait behind them).
    private func addGrid(_ grid: MotionGrid, camera: UUID) async {
        let minute = grid.second.floorDivided(by: 60)
        if let current = minutes[camera], current.minute != minute {
            await motionQueue.enqueue(current, camera: camera)
            minutes[camera] = nil
        }
        minutes[camera, default: MotionMinute(minute: minute)].add(grid)
        // The part so far, now and then (the store merges it with what it has of the minute).
        if let first = minutes[camera]?.grids.first, grid.second - first.second >= Self.minuteSavedEvery - 1 {
            await motionQueue.enqueue(minutes[camera]!, camera: camera)
            minutes[camera] = MotionMinute(minute: minute)
        }
    }
}
