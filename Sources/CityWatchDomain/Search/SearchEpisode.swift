import Foundation

/// One answer of a search: a stretch of one camera's footage where the query matched, with the
/// moment to show first and the tracked objects behind it.
public struct SearchEpisode: Codable, Sendable, Hashable {
    public var cameraID: UUID
    public var start: Date
    public var end: Date
    /// Where playback should start (the first second in which most of the region moved, the
    /// crossing, the start of a stay).
    public var moment: Date
    /// Matching tracks' ids (empty for a motion search).
    public var trackIDs: [Int]
    /// Their classes, in the same order.
    public var classes: [ObjectClass]
    /// Relevance: cells × seconds of motion in the region, or matching objects and their time.
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

/// Groups hits into episodes: per camera, hits less than `gap` apart make one episode. Keeps
/// only the first `keep` episodes in the order asked for (and counts the rest), so a search that
/// finds millions holds one page's worth.
public struct EpisodeBuilder: Sendable {
    public let gap: TimeInterval
    public let order: SearchQuery.Order
    public let keep: Int
    /// A camera's episode still open, and the strongest hit in it so far.
    private struct Open: Sendable {
        var episode: SearchEpisode
        var strongest: Double
    }

    private var open: [UUID: Open] = [:]
    private var done: [SearchEpisode] = []
    private var dropped = 0

    public init(gap: TimeInterval = 5, order: SearchQuery.Order = .time, keep: Int = .max) {
        self.gap = gap
        self.order = order
        self.keep = max(1, keep)
    }

    /// Adds a hit on `camera` from `from` to `to`. Hits of one camera must come in order of
    /// `from`. The strongest hit's `moment` becomes the episode's (the first of equals, and
    /// never for tracks, whose first moment stays); `weight` (default: `strength`) adds to its score.
    public mutating func add(camera: UUID, from: Date, to: Date, moment: Date, strength: Double, weight: Double? = nil, track: TrackSummary? = nil) {
        var current = open.removeValue(forKey: camera)
        step(&current, camera: camera, from: from, to: to, moment: moment, strength: strength, weight: weight ?? strength, track: track)
        open[camera] = current
    }

    /// Adds the pieces of one camera-hour (in order; `hourStart` in seconds since 1970), as
    /// ``add(camera:from:to:moment:strength:weight:track:)`` would one by one (with one lookup of
    /// the camera's open episode for all of them): each as strong as the cells that moved,
    /// weighing cells × seconds, its start the moment.
    public mutating func add(camera: UUID, pieces: [CellRuns.Piece], hourStart: Int64) {
        guard !pieces.isEmpty else { return }
        var current = open.removeValue(forKey: camera)
        for piece in pieces {
            let from = Date(timeIntervalSince1970: TimeInterval(hourStart + Int64(piece.seconds.lowerBound)))
            let to = Date(timeIntervalSince1970: TimeInterval(hourStart + Int64(piece.seconds.upperBound)))
            step(&current, camera: camera, from: from, to: to, moment: from, strength: Double(piece.cells),
                 weight: Double(piece.cells * piece.seconds.count), track: nil)
        }
        open[camera] = current
    }

    /// One hit on a camera's open episode: extends it when the hit is within `gap` of its end,
    /// else finishes it and opens another.
    private mutating func step(_ current: inout Open?, camera: UUID, from: Date, to: Date, moment: Date, strength: Double, weight: Double,
                               track: TrackSummary?) {
        if var extended = current, from.timeIntervalSince(extended.episode.end) <= gap {
            extended.episode.end = max(extended.episode.end, to)
            extended.episode.score += weight
            if strength > extended.strongest {
                extended.strongest = strength
                if track == nil { extended.episode.moment = moment }
            }
            if let track, !extended.episode.trackIDs.contains(track.trackID) {
                extended.episode.trackIDs.append(track.trackID)
                extended.episode.classes.append(track.objectClass)
            }
            current = extended
            return
        }
        if let finished = current { finish(finished.episode) }
        current = Open(episode: SearchEpisode(cameraID: camera, start: from, end: to, moment: moment, trackIDs: track.map { [$0.trackID] } ?? [],
                                              classes: track.map { [$0.objectClass] } ?? [], score: weight),
                       strongest: strength)
    }

    private mutating func finish(_ episode: SearchEpisode) {
        done.append(episode)
        if done.count - 1_024 >= keep, done.count - 1_024 - keep >= keep { trim() }
    }

    /// Sorts what is done and forgets all but the first `keep`.
    private mutating func trim() {
        done.sort(by: Self.ordered(order))
        if done.count > keep {
            dropped += done.count - keep
            done.removeLast(done.count - keep)
        }
    }

    /// The first `keep` episodes, ordered as asked (ties by camera and start, so the order is
    /// stable), and how many were found in all.
    public mutating func finish() -> (episodes: [SearchEpisode], total: Int) {
        for current in open.values { done.append(current.episode) }
        open = [:]
        trim()
        return (done, done.count + dropped)
    }

    /// Every episode (none forgotten when `keep` was left at its default), ordered as asked.
    public mutating func finish(order: SearchQuery.Order) -> [SearchEpisode] {
        precondition(order == self.order, "the order is chosen when the builder is made")
        return finish().episodes
    }

    static func ordered(_ order: SearchQuery.Order) -> (SearchEpisode, SearchEpisode) -> Bool {
        { a, b in
            switch order {
            case .time where a.start != b.start: return a.start > b.start
            case .relevance where a.score != b.score: return a.score > b.score
            default:
                if a.cameraID != b.cameraID { return a.cameraID.isOrdered(before: b.cameraID) }
                return a.start < b.start
            }
        }
    }
}

extension UUID {
    /// Byte order of the two ids (the order of their `uuidString`s, without making strings).
    public func isOrdered(before other: UUID) -> Bool {
        withUnsafeBytes(of: uuid) { a in
            withUnsafeBytes(of: other.uuid) { b in
                for index in 0..<16 where a[index] != b[index] { return a[index] < b[index] }
                return false
            }
        }
    }
}
