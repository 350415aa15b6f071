import Foundation

/// One answer of a search: a stretch of one camera's footage where the query matched, with the
/// moment to show first and the tracked objects behind it.
public struct SearchEpisode: Codable, Sendable, Hashable {
    public var cameraID: UUID
    public var start: Date
    public var end: Date
    /// Where playback should start (the strongest motion, the crossing, the start of a stay).
    public var moment: Date
    /// Matching tracks' ids (empty for a motion search).
    public var trackIDs: [Int]
    /// Their classes, in the same order.
    public var classes: [ObjectClass]
    /// Relevance: seconds of motion weighted by strength, or matching objects and their time.
    public var score: Double

    public init(cameraID: UUID, start: Date, end: Date, moment: Date, trackIDs: [Int] = [], classes: [ObjectClass] = [], score: Double) {
        self.cameraID = cameraID
        self.start = start
        self.end = end
        self.moment = moment
        self.trackIDs = trackIDs
        self.classes = classes
        self.score = score
    }
}

/// Groups hits into episodes: per camera, hits less than `gap` apart make one episode.
public struct EpisodeBuilder: Sendable {
    public let gap: TimeInterval
    private var open: [UUID: SearchEpisode] = [:]
    private var strongest: [UUID: Double] = [:]
    private var done: [SearchEpisode] = []

    public init(gap: TimeInterval = 5) {
        self.gap = gap
    }

    /// Adds a hit on `camera` from `from` to `to`. Hits of one camera must come in order of `from`.
    public mutating func add(camera: UUID, from: Date, to: Date, moment: Date, strength: Double, track: TrackSummary? = nil) {
        if var episode = open[camera], from.timeIntervalSince(episode.end) <= gap {
            episode.end = max(episode.end, to)
            episode.score += strength
            if strength > strongest[camera, default: 0] {
                strongest[camera] = strength
                if track == nil { episode.moment = moment }
            }
            if let track, !episode.trackIDs.contains(track.trackID) {
                episode.trackIDs.append(track.trackID)
                episode.classes.append(track.objectClass)
            }
            open[camera] = episode
            return
        }
        if let finished = open[camera] { done.append(finished) }
        open[camera] = SearchEpisode(cameraID: camera, start: from, end: to, moment: moment, trackIDs: track.map { [$0.trackID] } ?? [],
                                     classes: track.map { [$0.objectClass] } ?? [], score: strength)
        strongest[camera] = strength
    }

    /// Every episode, ordered as asked (ties by camera and start, so the order is stable).
    public mutating func finish(order: SearchQuery.Order) -> [SearchEpisode] {
        done.append(contentsOf: open.values)
        open = [:]
        return done.sorted { a, b in
            switch order {
            case .time where a.start != b.start: return a.start > b.start
            case .relevance where a.score != b.score: return a.score > b.score
            default: return (a.cameraID.uuidString, a.start) < (b.cameraID.uuidString, b.start)
            }
        }
    }
}
