import CityWatchDomain

/// Line crossing (per track) and crowding (per rule).
extension RuleEngine {
    /// A crossing is a change of the side a foot point has *settled* on — at least the tuning's
    /// margin off the line — whose path from the last settled point crosses the drawn segment.
    /// Wobbling on the line never settles, so it never crosses. Only observed positions count: a
    /// track coasting on its last velocity after its blob vanished (through a wall, where nothing
    /// moves) crosses nothing; seen again on the other side, its path from the last point seen
    /// crosses the line then. The event's time is when that path met the line, interpolated
    /// between the two observations (at 5 fps a walker covers a fifth of a second's way between
    /// frames; longer after a gap).
    mutating func evaluateLine(_ index: Int, line: ImageLine, direction wanted: CrossingDirection, tracks: [TrackedObject],
                               time: Double, armed: Bool, into events: inout [RuleEvent]) {
        let rule = memories[index].rule
        // The line in pixels, for the distance of a foot point from it.
        let ax = line.start.x * Double(width), ay = line.start.y * Double(height)
        let dx = line.end.x * Double(width) - ax, dy = line.end.y * Double(height) - ay
        let length = max(1e-9, (dx * dx + dy * dy).squareRoot())
        for track in tracks where track.isConfirmed {
            var memory = touch(index, track)
            guard track.missedFrames == 0 else {
                memories[index].tracks[track.id] = memory
                continue
            }
            let distance = abs(dx * (track.footY - ay) - dy * (track.footX - ax)) / length
            let point = foot(of: track)
            let side = line.side(of: point)
            if distance > tuning.lineMarginPixels, side != 0 {
                if memory.settledSide != 0, side != memory.settledSide {
                    let went: CrossingDirection = memory.settledSide < 0 ? .leftToRight : .rightToLeft
                    if line.isCrossed(from: memory.anchor, to: point), armed, wanted == .either || wanted == went,
                       matches(rule, track) {
                        let crossed = memory.anchorTime + Self.share(of: line, from: memory.anchor, to: point) * (time - memory.anchorTime)
                        raise(index, coolDown: &memory.coolDown, tracks: [track], time: crossed, direction: went, into: &events)
                    }
                }
                memory.settledSide = side
                memory.anchor = point
                memory.anchorTime = time
            }
            memory.lastObserved = track
            memories[index].tracks[track.id] = memory
        }
        crossingsLeavingThePicture(index, line: line, direction: wanted, time: time, armed: armed, into: &events)
    }

    /// A track gone since the last frame, last seen at the picture's edge, may have crossed the
    /// line on its way out, unseen: its foot point carried on by its velocity for
    /// ``Tuning/exitSeconds`` from where it was last seen is taken as its way out, and a crossing
    /// of the drawn segment on that way counts. A track lost in the middle of the picture (behind
    /// a wall) crosses nothing.
    mutating func crossingsLeavingThePicture(_ index: Int, line: ImageLine, direction wanted: CrossingDirection, time: Double,
                                             armed: Bool, into events: inout [RuleEvent]) {
        let rule = memories[index].rule
        let previous = frame &- 1
        for (id, memory) in memories[index].tracks where memory.stamp == previous && memory.settledSide != 0 {
            guard let last = memory.lastObserved, isAtEdge(last.box) else { continue }
            let ahead = tuning.exitSeconds
            let out = ImagePoint(x: (last.footX + last.velocityX * ahead) / Double(width),
                                 y: (last.footY - 0.5 + last.velocityY * ahead) / Double(height))
            let side = line.side(of: out)
            guard side != 0, side != memory.settledSide, line.isCrossed(from: memory.anchor, to: out), armed, matches(rule, last) else { continue }
            let went: CrossingDirection = memory.settledSide < 0 ? .leftToRight : .rightToLeft
            guard wanted == .either || wanted == went else { continue }
            var left = memory
            left.settledSide = side
            // Interpolated on the way from the last settled point to the way out; never later than now.
            let end = last.lastSeen + ahead
            let crossed = min(time, memory.anchorTime + Self.share(of: line, from: memory.anchor, to: out) * (end - memory.anchorTime))
            raise(index, coolDown: &left.coolDown, tracks: [last], time: crossed, direction: went, into: &events)
            memories[index].tracks[id] = left
        }
    }

    /// How far along the step from `a` to `b` (0…1) it meets `line` (taken as unbounded): the
    /// ratio of their signed distances from it, which holds in picture fractions as in pixels.
    static func share(of line: ImageLine, from a: ImagePoint, to b: ImagePoint) -> Double {
        let dx = line.end.x - line.start.x, dy = line.end.y - line.start.y
        let sa = dx * (a.y - line.start.y) - dy * (a.x - line.start.x)
        let sb = dx * (b.y - line.start.y) - dy * (b.x - line.start.x)
        guard sa != sb else { return 1 }
        return min(1, max(0, sa / (sa - sb)))
    }

    /// True when `box` touches, or comes within 2 % of, an edge of the picture.
    func isAtEdge(_ box: PixelBox) -> Bool {
        let marginX = max(1, width / 50), marginY = max(1, height / 50)
        return box.x <= marginX || box.y <= marginY || box.maxX >= width - marginX || box.maxY >= height - marginY
    }

    /// One event per crowd episode: more than `count` matching objects in the zone at once. The
    /// episode ends, and the rule re-arms, when the count has stayed at `count` or fewer for
    /// longer than ``Tuning/zoneExitGraceSeconds``.
    mutating func evaluateCrowd(_ index: Int, zone: ImagePolygon, count: Int, tracks: [TrackedObject], time: Double,
                                armed: Bool, into events: inout [RuleEvent]) {
        let rule = memories[index].rule
        var inside: [TrackedObject] = []
        for track in tracks where track.isConfirmed && matches(rule, track) && zone.contains(foot(of: track)) {
            inside.append(track)
        }
        guard inside.count > count else {
            // A crowd survives a moment under its count (a person unseen for a frame, a foot
            // point jittering over the zone's edge): the episode ends, and the rule re-arms,
            // only after the zone's exit grace.
            if time - memories[index].crowdLastSeen > tuning.zoneExitGraceSeconds { memories[index].crowdReported = false }
            return
        }
        memories[index].crowdLastSeen = time
        guard armed, !memories[index].crowdReported else { return }
        var coolDown = memories[index].crowdCoolDown
        raise(index, coolDown: &coolDown, tracks: inside, time: time, count: inside.count, into: &events)
        memories[index].crowdCoolDown = coolDown
        memories[index].crowdReported = true
    }
}
