import Foundation

/// Follows, camera by camera, the closed segments that are waiting for their row in the index,
/// and says when indexing has stalled — footage is arriving on disk but playback, export and
/// search cannot find it — and when it has caught up again.
///
/// A pure state machine: the recorder tells it when a segment closed, when its row was written
/// and when writing failed; ``check(now:)`` returns the transitions to carry out (log, health,
/// metrics). A camera stalls when a closed segment has waited longer than ``stallAfter``; it
/// recovers when nothing that old waits any more.
public struct IndexingWatch: Sendable {
    /// A change of a camera's indexing state.
    public enum Action: Sendable, Equatable {
        /// Segments of `cameraID` have waited since `since`; `waiting` are unindexed now;
        /// `problem` is the last write failure, if any.
        case stalled(cameraID: UUID, since: Date, waiting: Int, problem: String?)
        /// Indexing of `cameraID` caught up at `at` after stalling since `stalledSince`.
        case recovered(cameraID: UUID, at: Date, stalledSince: Date)
    }

    /// What is known of one camera's indexing now.
    public struct Status: Sendable, Equatable {
        /// Closed segments without a row yet.
        public var waiting: Int = 0
        /// When the oldest of them closed.
        public var oldest: Date?
        /// Since when indexing has been stalled; nil while it keeps up.
        public var stalledSince: Date?
        /// The last reason a row could not be written.
        public var problem: String?

        public init(waiting: Int = 0, oldest: Date? = nil, stalledSince: Date? = nil, problem: String? = nil) {
            self.waiting = waiting
            self.oldest = oldest
            self.stalledSince = stalledSince
            self.problem = problem
        }
    }

    /// How long a closed segment may wait for its row before indexing counts as stalled.
    public let stallAfter: TimeInterval
    private var waiting: [UUID: [String: Date]] = [:]
    private var stalled: [UUID: Date] = [:]
    private var problems: [UUID: String] = [:]

    public init(stallAfter: TimeInterval = 15) {
        self.stallAfter = stallAfter
    }

    /// A segment of `camera` at `path` closed at `at` and waits for its row.
    public mutating func closed(camera: UUID, path: String, at: Date) {
        waiting[camera, default: [:]][path] = waiting[camera]?[path] ?? at
    }

    /// Writing the row of `path` failed with `problem`; the segment keeps waiting.
    public mutating func failed(camera: UUID, path: String, problem: String) {
        problems[camera] = problem
    }

    /// The row of `path` was written at `now`.
    public mutating func indexed(camera: UUID, path: String, now: Date) -> [Action] {
        waiting[camera]?.removeValue(forKey: path)
        if waiting[camera]?.isEmpty == true {
            waiting[camera] = nil
            problems[camera] = nil
        }
        return settle(camera, now: now)
    }

    /// The transitions due at `now` for every camera.
    public mutating func check(now: Date) -> [Action] {
        Set(waiting.keys).union(stalled.keys).sorted { $0.uuidString < $1.uuidString }.flatMap { settle($0, now: now) }
    }

    /// What is known of `camera`'s indexing.
    public func status(of camera: UUID) -> Status {
        let times = waiting[camera].map { Array($0.values) } ?? []
        return Status(waiting: times.count, oldest: times.min(), stalledSince: stalled[camera], problem: problems[camera])
    }

    /// Cameras whose indexing is stalled now.
    public var stalledCameras: Int { stalled.count }

    /// Closed segments of every camera still without a row.
    public var waitingSegments: Int { waiting.values.reduce(0) { $0 + $1.count } }

    private mutating func settle(_ camera: UUID, now: Date) -> [Action] {
        let oldest = waiting[camera]?.values.min()
        let late = oldest.map { now.timeIntervalSince($0) > stallAfter } ?? false
        switch (stalled[camera], late) {
        case (nil, true):
            stalled[camera] = oldest
            return [.stalled(cameraID: camera, since: oldest!, waiting: waiting[camera]?.count ?? 0, problem: problems[camera])]
        case (let since?, false):
            stalled[camera] = nil
            return [.recovered(cameraID: camera, at: now, stalledSince: since)]
        default:
            return []
        }
    }
}
