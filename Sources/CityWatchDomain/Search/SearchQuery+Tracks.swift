import Foundation

/// A tracked object that meets a query, and the stretch of its life that does.
public struct TrackHit: Sendable, Hashable {
    public var track: TrackSummary
    public var from: Date
    public var to: Date
    /// The moment to show: the crossing, the start of the stay, or the first sighting in range.
    public var moment: Date
}

extension TrackSummary {
    /// Where the object stood at each sample of ``path``: the middle of its box's bottom edge.
    public var footPoints: [ImagePoint] { path.map { ImagePoint(x: $0.x + $0.width / 2, y: $0.y + $0.height) } }

    /// When each sample of ``path`` was taken (the samples are spread evenly over the track's life).
    public var sampleTimes: [Date] {
        guard path.count > 1 else { return path.isEmpty ? [] : [start] }
        let step = end.timeIntervalSince(start) / Double(path.count - 1)
        return path.indices.map { start.addingTimeInterval(step * Double($0)) }
    }

    /// The median height of its boxes, as a fraction of the picture's height.
    public var typicalHeight: Double { Self.medianHeight(path) }

    /// The median height of `boxes` (0 for none).
    public static func medianHeight(_ boxes: [ImageBox]) -> Double {
        guard !boxes.isEmpty else { return 0 }
        let heights = boxes.map(\.height).sorted()
        return heights[heights.count / 2]
    }

    /// The cells its foot points and the steps between them pass through (for the index).
    public var cells: GridCells { GridCells.along(path: footPoints) }
}

extension SearchQuery {
    /// The part of `track`'s life that meets every object criterion of the query, or nil.
    /// The same predicate serves the index's answers and the brute-force check.
    public func match(_ track: TrackSummary) -> TrackHit? {
        guard track.end >= from, track.start <= to else { return nil }
        if let classes, !classes.contains(track.objectClass) { return nil }
        if let colors {
            guard let color = track.color.flatMap(ColorName.init(rawValue:)), colors.contains(color) else { return nil }
        }
        if let direction {
            guard let degrees = track.direction, direction.contains(degrees) else { return nil }
        }
        if let size, !(size.minimum...size.maximum).contains(track.typicalHeight) { return nil }
        let points = track.footPoints, times = track.sampleTimes
        var stretch = (from: max(track.start, from), to: min(track.end, to))
        var moment = stretch.from
        if let region {
            guard let stay = Self.longestStay(in: region, points: points, times: times, within: from...to) else { return nil }
            if let dwellSeconds, stay.to.timeIntervalSince(stay.from) < dwellSeconds { return nil }
            stretch = stay
            moment = stay.from
        }
        if let line {
            let wanted = crossing ?? .either
            var crossed: Date?
            for index in points.indices.dropLast() where times[index + 1] >= stretch.from && times[index] <= stretch.to {
                let a = points[index], b = points[index + 1]
                guard line.isCrossed(from: a, to: b) else { continue }
                let way: CrossingDirection = line.side(of: a) < 0 ? .leftToRight : .rightToLeft
                if wanted == .either || wanted == way {
                    crossed = times[index + 1]
                    break
                }
            }
            guard let crossed else { return nil }
            moment = crossed
        }
        return TrackHit(track: track, from: stretch.from, to: stretch.to, moment: moment)
    }

    /// The longest run of consecutive samples inside `region` within `window`: its first and
    /// last sample times (a single sample is a stay of 0 s).
    static func longestStay(in region: ImagePolygon, points: [ImagePoint], times: [Date],
                            within window: ClosedRange<Date>) -> (from: Date, to: Date)? {
        var best: (from: Date, to: Date)?
        var runStart: Date?
        for index in points.indices {
            let inside = window.contains(times[index]) && region.contains(points[index])
            if inside {
                let started = runStart ?? times[index]
                runStart = started
                if best == nil || times[index].timeIntervalSince(started) > best!.to.timeIntervalSince(best!.from) {
                    best = (started, times[index])
                }
            } else {
                runStart = nil
            }
        }
        return best
    }
}
