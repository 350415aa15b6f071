import Foundation

/// The requests waiting for the detector, served fairly: each camera keeps its own short line
/// and the detector takes from the cameras in turn. With one shared first-come line, the cameras
/// polled first each round filled it every time (a synthetic scene's shapes, never named, ask
/// again and again) and a busy street behind them was never looked at.
///
/// A pure value; ``TrackClassifier`` keeps it behind its lock.
struct ClassifierQueue<Item> {
    /// Requests one camera may have waiting; a newer one replaces its oldest.
    let perCamera: Int
    /// Seconds after which a waiting request is dropped: the track has moved on.
    let maximumAge: Double

    private var lines: [UUID: [(item: Item, key: String, at: Double)]] = [:]
    /// Cameras in the order they are served; the one served last goes to the back.
    private var turn: [UUID] = []

    init(perCamera: Int = 2, maximumAge: Double = 1.5) {
        self.perCamera = perCamera
        self.maximumAge = maximumAge
    }

    /// Requests waiting.
    var count: Int { lines.values.reduce(0) { $0 + $1.count } }

    /// True when `key` (a camera's track) is already waiting.
    func contains(camera: UUID, key: String) -> Bool {
        lines[camera]?.contains { $0.key == key } ?? false
    }

    /// Queues `item`; returns the request it pushed out of its camera's full line, if any.
    @discardableResult
    mutating func add(_ item: Item, camera: UUID, key: String, at time: Double) -> Item? {
        if lines[camera] == nil { turn.append(camera) }
        var line = lines[camera] ?? []
        var pushedOut: Item?
        if line.count >= perCamera { pushedOut = line.removeFirst().item }
        line.append((item, key, time))
        lines[camera] = line
        return pushedOut
    }

    /// The next request to run at `time` (the next camera's oldest that is still fresh), and the
    /// stale ones dropped on the way.
    mutating func next(at time: Double) -> (item: Item?, dropped: [Item]) {
        var dropped: [Item] = []
        while let camera = turn.first {
            turn.removeFirst()
            var line = lines[camera] ?? []
            while let first = line.first, time - first.at > maximumAge {
                dropped.append(first.item)
                line.removeFirst()
            }
            guard !line.isEmpty else {
                lines[camera] = nil
                continue
            }
            let taken = line.removeFirst().item
            if line.isEmpty { lines[camera] = nil } else {
                lines[camera] = line
                turn.append(camera)
            }
            return (taken, dropped)
        }
        return (nil, dropped)
    }

    /// Everything waiting, emptied (at stop).
    mutating func removeAll() -> [Item] {
        defer { lines = [:]; turn = [] }
        return turn.flatMap { lines[$0]?.map(\.item) ?? [] }
    }
}
