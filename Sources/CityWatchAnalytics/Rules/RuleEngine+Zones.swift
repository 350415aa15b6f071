import CityWatchDomain

/// The zone kinds followed per track: intrusion, loitering, object left, abandoned object, fall.
extension RuleEngine {
    /// Intrusion fires once per stay, as soon as a matching object is in the zone while armed
    /// (entering, first seen inside, or inside when the schedule arms); loitering fires once per
    /// stay when it has lasted `seconds`.
    ///
    /// A stay belongs to the person, not the track id: a track born within
    /// ``Tuning/stayHandOverSeconds`` of another's loss, its foot point within that object's
    /// height of where it was last, carries the lost track's stay on (when it began, whether it
    /// was reported) — the tracker lost a person standing among others and found them again. So
    /// one person's stay is timed from when they came, and raises one event, whatever the
    /// tracker did meanwhile. A track lost with its box at the picture's edge (``isAtEdge(_:)``)
    /// left the picture: its stay goes to nobody (someone walking in where it walked out is not
    /// that person).
    mutating func evaluateStays(_ index: Int, zone: ImagePolygon, tracks: [TrackedObject], time: Double, armed: Bool,
                                into events: inout [RuleEvent]) {
        let rule = memories[index].rule
        var loiterSeconds: Double?
        if case .loitering(_, let seconds) = rule.kind { loiterSeconds = seconds }
        noteLostStays(index, tracks: tracks, time: time)
        for track in tracks where track.isConfirmed {
            let known = memories[index].tracks[track.id] != nil
            var memory = touch(index, track)
            if !known, time - track.firstSeen <= tuning.stayHandOverSeconds, let lost = takeLostStay(index, near: track) {
                memory.stayStart = lost.stayStart
                memory.lastInside = lost.lastInside
                memory.stayReported = lost.stayReported
                memory.coolDown = lost.coolDown
            }
            memory.lastFootX = track.footX
            memory.lastFootY = track.footY
            memory.lastHeight = Double(track.box.height)
            memory.lastAtEdge = isAtEdge(track.box)
            memory.lastTime = time
            let inside = matches(rule, track) && zone.contains(foot(of: track))
            memory.observeStay(inside: inside, time: time, grace: tuning.zoneExitGraceSeconds)
            if inside, armed, !memory.stayReported, let start = memory.stayStart {
                let dwell = time - start
                if let loiterSeconds {
                    if dwell >= loiterSeconds {
                        raise(index, coolDown: &memory.coolDown, tracks: [track], time: time, seconds: dwell, into: &events)
                        memory.stayReported = true
                    }
                } else {
                    raise(index, coolDown: &memory.coolDown, tracks: [track], time: time, into: &events)
                    memory.stayReported = true
                }
            }
            memories[index].tracks[track.id] = memory
        }
    }

    /// Keeps the stays of tracks seen in the last frame and gone from this one, and forgets
    /// those lost longer ago than ``Tuning/stayHandOverSeconds``.
    mutating func noteLostStays(_ index: Int, tracks: [TrackedObject], time: Double) {
        memories[index].lostStays.removeAll { time - $0.time > tuning.stayHandOverSeconds }
        // (no set of this frame's ids: a per-frame allocation, for a handful of stays at most)
        let previous = frame &- 1
        for (id, memory) in memories[index].tracks where memory.stamp == previous && memory.stayStart != nil && !memory.lastAtEdge
            && !tracks.contains(where: { $0.id == id && $0.isConfirmed }) {
            memories[index].lostStays.append(LostStay(footX: memory.lastFootX, footY: memory.lastFootY, height: memory.lastHeight,
                                                      time: memory.lastTime, memory: memory))
        }
        if memories[index].lostStays.count > 32 { memories[index].lostStays.removeFirst(memories[index].lostStays.count - 32) }
    }

    /// The lost stay nearest to `track`'s foot point within the larger of their heights, taken
    /// (each is handed over once).
    mutating func takeLostStay(_ index: Int, near track: TrackedObject) -> RuleTrackMemory? {
        var best: (index: Int, distance: Double)?
        for (position, lost) in memories[index].lostStays.enumerated() {
            let distance = ((track.footX - lost.footX) * (track.footX - lost.footX) + (track.footY - lost.footY) * (track.footY - lost.footY)).squareRoot()
            guard distance <= max(lost.height, Double(track.box.height)), distance < best?.distance ?? .infinity else { continue }
            best = (position, distance)
        }
        guard let best else { return nil }
        return memories[index].lostStays.remove(at: best.index).memory
    }

    /// Object left (`unattended` false): fires once per still spell of an object that came
    /// after the first frame (not part of the scene) and has stood still in the zone for
    /// `seconds`, whoever is beside it.
    ///
    /// Abandoned object (`unattended` true): the object must also have been unattended for
    /// `seconds`. Its owner is the person nearest to it (within their own height, foot to foot)
    /// when its track was first seen — the one who carried it in; it is unattended while the
    /// owner is gone or farther than ``Tuning/unattendedReach`` of the owner's heights, and,
    /// when no owner was seen, while no person is that near. Persons are the detector's;
    /// motion-only, any upright-shaped object (which is then never the object left).
    mutating func evaluateLeft(_ index: Int, zone: ImagePolygon, seconds: Double, unattended: Bool, tracks: [TrackedObject],
                               time: Double, armed: Bool, into events: inout [RuleEvent]) {
        let rule = memories[index].rule
        let sceneEnd = (startTime ?? time) + tuning.sceneSettleSeconds
        for track in tracks where track.isConfirmed {
            var memory = touch(index, track)
            if unattended, !memory.ownerLooked {
                memory.ownerLooked = true
                memory.owner = nearestPerson(to: track, among: tracks, within: 1)?.id
            }
            if track.stillSeconds <= 0 {
                memory.stillReported = false
                memory.unattendedSince = nil
            } else if unattended {
                if isAttended(track, owner: memory.owner, among: tracks) {
                    memory.unattendedSince = nil
                } else if memory.unattendedSince == nil {
                    memory.unattendedSince = time
                }
            }
            let held = unattended ? memory.unattendedSince.map { time - $0 } ?? 0 : track.stillSeconds
            if track.stillSeconds < seconds, !unattended {
                memory.stillReported = false
            } else if held >= seconds, armed, !memory.stillReported, track.firstSeen > sceneEnd, matches(rule, track),
                      !isPerson(track), zone.contains(foot(of: track)) {
                raise(index, coolDown: &memory.coolDown, tracks: [track], time: time, seconds: held, into: &events)
                memory.stillReported = true
            }
            memories[index].tracks[track.id] = memory
        }
    }

    /// True when `object` is attended: its owner (a track id) is among `tracks` within reach,
    /// or, with no owner known, some person is.
    func isAttended(_ object: TrackedObject, owner: Int?, among tracks: [TrackedObject]) -> Bool {
        if let owner {
            guard let person = tracks.first(where: { $0.id == owner }) else { return false }
            return footDistance(object, person) <= tuning.unattendedReach * Double(max(1, person.box.height))
        }
        return nearestPerson(to: object, among: tracks, within: tuning.unattendedReach) != nil
    }

    /// The person nearest to `object` whose foot point is within `heights` of their own box
    /// height of its foot point.
    func nearestPerson(to object: TrackedObject, among tracks: [TrackedObject], within heights: Double) -> TrackedObject? {
        var best: (track: TrackedObject, distance: Double)?
        for track in tracks where track.isConfirmed && track.id != object.id && isPerson(track) {
            let distance = footDistance(object, track)
            guard distance <= heights * Double(max(1, track.box.height)), distance < best?.distance ?? .infinity else { continue }
            best = (track, distance)
        }
        return best?.track
    }

    /// A person for attending objects: the detector's, or — with no detector — an object whose
    /// box stands upright (a bag is about as wide as tall).
    func isPerson(_ track: TrackedObject) -> Bool {
        if track.objectClass == .person { return true }
        guard !tuning.requiresClass, track.objectClass == .unknown else { return false }
        return Double(track.box.height) >= tuning.uprightAspect * Double(max(1, track.box.width))
    }

    /// Distance between two tracks' foot points, in analysis pixels.
    func footDistance(_ a: TrackedObject, _ b: TrackedObject) -> Double {
        ((a.footX - b.footX) * (a.footX - b.footX) + (a.footY - b.footY) * (a.footY - b.footY)).squareRoot()
    }

    /// Fires when a person (or, motion-only, an unnamed object) whose box was upright is down
    /// within the tuning's fall window and has stayed down `seconds`, in the zone. Down is
    /// aspect and height together: a box wider than tall, or one no taller than
    /// ``Tuning/downHeightShare`` of its upright height and no longer upright (a person fallen
    /// toward the camera, or cut by the picture's bottom edge, is not wide). Standing up again
    /// (to three quarters of the height stood at before) re-arms it; sitting up does not. Size is judged on the longer side of the box, so a lying person is as big as a
    /// standing one.
    ///
    /// Detector-led, an unnamed track counts when it is the body of a person going down: a
    /// falling person often leaves their track (the blob splits, the detector does not name a
    /// person lying) and the moving body is tracked anew. Such a track, born over a person's box
    /// of the last ``Tuning/fallWindowSeconds``, takes that person's upright height and time, and
    /// counts once its longer side is at least a third of that height (a hand or a foot never is).
    /// A person falls once: a track going down within reach of a fall raised in the last
    /// ``Tuning/fallWindowSeconds`` (the fallen person and their body tracked anew) adds none,
    /// whatever the rule's cool-down.
    mutating func evaluateFalls(_ index: Int, zone: ImagePolygon, seconds: Double, tracks: [TrackedObject],
                                time: Double, armed: Bool, into events: inout [RuleEvent]) {
        let rule = memories[index].rule
        if tuning.requiresClass {
            memories[index].persons.removeAll { time - $0.time > tuning.fallWindowSeconds }
        }
        memories[index].falls.removeAll { time - $0.time > tuning.fallWindowSeconds }
        for track in tracks where track.isConfirmed {
            var memory = touch(index, track)
            let width = Double(max(1, track.box.width)), height = Double(max(1, track.box.height))
            if tuning.requiresClass, track.objectClass == .unknown, memory.bodyOf == nil, memory.lastUpright == nil,
               let person = memories[index].persons.last(where: { Self.share(of: track.box, inside: $0.box) >= 0.3 }) {
                memory.bodyOf = person.uprightHeight
                memory.lastUpright = person.time
                memory.uprightHeight = person.uprightHeight
            }
            // After a fall, only standing up again (near the height stood at before) re-arms the
            // rule: a person sitting up on the ground is upright in shape, not standing.
            let standing = !memory.fallReported || height >= 0.75 * memory.uprightHeight
            if height >= width * tuning.uprightAspect, !standing {
                // Sitting up after the fall: still down, already reported.
            } else if height >= width * tuning.uprightAspect {
                memory.lastUpright = time
                memory.uprightHeight = height
                memory.lyingSince = nil
                memory.fallReported = false
            } else if width > height * tuning.lyingAspect || height <= memory.uprightHeight * tuning.downHeightShare {
                if memory.lyingSince == nil, let upright = memory.lastUpright, time - upright <= tuning.fallWindowSeconds {
                    memory.lyingSince = time
                }
                let body = memory.bodyOf.map { max(width, height) >= 0.33 * $0 } ?? false
                let person = track.objectClass == .person || (track.objectClass == .unknown && (!tuning.requiresClass || body))
                let size = max(width, height) / Double(self.height)
                if let since = memory.lyingSince, time - since >= seconds, armed, !memory.fallReported, person,
                   rule.applies(to: track.objectClass, heightFraction: size), zone.contains(foot(of: track)) {
                    // A body lying where a fall was raised moments ago is that fall (the person
                    // and their body tracked anew, both down): one person falls once.
                    if !memories[index].falls.contains(where: { $0.isNear(track) }) {
                        raise(index, coolDown: &memory.coolDown, tracks: [track], time: time, seconds: time - since, into: &events)
                        memories[index].falls.append(RecentFall(footX: track.footX, footY: track.footY,
                                                                reach: max(width, height), time: time))
                        if memories[index].falls.count > 16 { memories[index].falls.removeFirst() }
                    }
                    memory.fallReported = true
                }
            }
            if tuning.requiresClass, track.objectClass == .person, let upright = memory.lastUpright {
                memories[index].persons.append(FallenPersonTrace(box: track.box, uprightHeight: memory.uprightHeight, time: upright))
                if memories[index].persons.count > 32 { memories[index].persons.removeFirst() }
            }
            memories[index].tracks[track.id] = memory
        }
    }

    /// The share of `box` lying inside `other`.
    static func share(of box: PixelBox, inside other: PixelBox) -> Double {
        guard box.area > 0, let common = box.intersection(other) else { return 0 }
        return Double(common.area) / Double(box.area)
    }
}
