import CityWatchDomain

/// The fight rule: two or more persons close together, staying in place, with violent motion
/// between them (much of their joint box changing from frame to frame: arms, bodies, falls).
extension RuleEngine {
    /// One event per episode: violent motion between persons close together in the zone,
    /// lasting `seconds` (gaps under a second forgiven). The episode ends, and the rule re-arms,
    /// after a second without. Only persons seen in this frame count: a box held where the
    /// tracker last had it (a person standing still between looks, or every track while the
    /// background is learnt) says nothing of how its person moves now.
    mutating func evaluateFight(_ index: Int, zone: ImagePolygon, seconds: Double, tracks: [TrackedObject], time: Double,
                                armed: Bool, activity: ((PixelBox) -> Double)?, into events: inout [RuleEvent]) {
        let rule = memories[index].rule
        // A pair is judged only once both were persons in the frame before as well (their rule
        // memory stamped then): a track confirmed in this very frame is as often a fragment, a
        // passer-by's first look or a person found again with a jumping box as someone in a fight.
        var people: [TrackedObject] = []
        var before: [Bool] = []
        for track in tracks where track.isConfirmed && matches(rule, track) {
            let wasPerson = memories[index].tracks[track.id]?.stamp == frame &- 1
            memories[index].tracks[track.id] = touch(index, track)
            guard track.lastSeen >= time - 0.001, zone.contains(foot(of: track)) else { continue }
            people.append(track)
            before.append(wasPerson)
        }
        var fighters: [TrackedObject] = []
        if let activity {
            // Two people locked together are often one box to the detector: a person whose
            // surroundings (the box widened by half) churn even more counts as a fight on its own.
            for person in people where isEntangled(person, activity: activity) { fighters.append(person) }
            for (a, first) in people.enumerated() where before[a] {
                for (b, second) in people.enumerated().dropFirst(a + 1) where before[b] && isFighting(first, second, activity: activity) {
                    // (a pair may already be in as entangled singles)
                    if !fighters.contains(where: { $0.id == first.id }) { fighters.append(first) }
                    if !fighters.contains(where: { $0.id == second.id }) { fighters.append(second) }
                }
            }
        }
        if fighters.isEmpty {
            if memories[index].fightSince != nil, time - memories[index].fightLastSeen > 1 {
                memories[index].fightSince = nil
                memories[index].fightReported = false
            }
            return
        }
        if memories[index].fightSince == nil { memories[index].fightSince = time }
        memories[index].fightLastSeen = time
        guard armed, !memories[index].fightReported, let since = memories[index].fightSince, time - since >= seconds else { return }
        var coolDown = memories[index].fightCoolDown
        raise(index, coolDown: &coolDown, tracks: fighters, time: time, seconds: time - since, count: fighters.count, into: &events)
        memories[index].fightCoolDown = coolDown
        memories[index].fightReported = true
    }

    /// True when `person` stays in place while most of its box widened by half changed since the
    /// last frame (``Tuning/fightSingleActivity``).
    func isEntangled(_ person: TrackedObject, activity: (PixelBox) -> Double) -> Bool {
        let box = person.box, tall = Double(box.height)
        let speed = (person.velocityX * person.velocityX + person.velocityY * person.velocityY).squareRoot()
        guard speed <= tuning.fightMaximumSpeed * tall else { return false }
        let wider = PixelBox(x: box.x - box.width / 4, y: box.y - box.height / 4, width: box.width * 3 / 2, height: box.height * 3 / 2)
        return activity(wider) >= tuning.fightSingleActivity
    }

    /// True when `a` and `b` are close together, their joint box stays in place, and much of it
    /// changed since the last frame.
    func isFighting(_ a: TrackedObject, _ b: TrackedObject, activity: (PixelBox) -> Double) -> Bool {
        let tall = Double(max(a.box.height, b.box.height))
        let gapX = Double(max(0, max(a.box.x, b.box.x) - min(a.box.maxX, b.box.maxX)))
        let gapY = Double(max(0, max(a.box.y, b.box.y) - min(a.box.maxY, b.box.maxY)))
        guard max(gapX, gapY) <= tuning.fightGap * tall else { return false }
        let speed = ((a.velocityX + b.velocityX) * (a.velocityX + b.velocityX) + (a.velocityY + b.velocityY) * (a.velocityY + b.velocityY)).squareRoot() / 2
        guard speed <= tuning.fightMaximumSpeed * tall else { return false }
        let joint = PixelBox(x: min(a.box.x, b.box.x), y: min(a.box.y, b.box.y),
                             width: max(a.box.maxX, b.box.maxX) - min(a.box.x, b.box.x),
                             height: max(a.box.maxY, b.box.maxY) - min(a.box.y, b.box.y))
        return activity(joint) >= tuning.fightActivity
    }
}
