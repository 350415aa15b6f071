import CityWatchDomain

/// Lays out the objects of the built-in scenes: positions as fractions of the frame, sizes in
/// proportion to its height (nearer — lower — objects are bigger), speeds and colours drawn from
/// the scene's seed.
struct SceneLayout {
    let width: Double
    let height: Double
    let duration: Double
    private var random: SceneRandom

    init(scene: SyntheticScene) {
        width = Double(scene.width)
        height = Double(scene.height)
        duration = scene.duration
        random = SceneRandom(seed: scene.seed, stream: 0x4C41_594F_5554)
    }

    /// Clothing colours, distinct from each other and from the plain backgrounds.
    static let clothes: [SceneColor] = [
        .init(red: 200, green: 40, blue: 40), .init(red: 40, green: 70, blue: 200), .init(red: 40, green: 160, blue: 70),
        .init(red: 225, green: 195, blue: 40), .init(red: 140, green: 60, blue: 170), .init(red: 235, green: 120, blue: 30),
    ]
    /// Car paints.
    static let paints: [SceneColor] = [
        .init(red: 205, green: 205, blue: 210), .init(red: 170, green: 30, blue: 35), .init(red: 30, green: 55, blue: 140),
        .init(red: 240, green: 240, blue: 235), .init(red: 35, green: 35, blue: 40), .init(red: 230, green: 170, blue: 20),
    ]

    /// People on `lanes` lines of the ground (3–5 from the seed when nil), each lane with one
    /// person crossing the frame at a time: when one has left, the next enters from that side
    /// after a pause, so the scene stays busy to the end. The first person of the second lane
    /// stops midway for a fifth of the scene.
    mutating func walkers(lanes: Int? = nil, sizes: ClosedRange<Double> = 0.16...0.28) -> [SceneObject] {
        let laneCount = lanes ?? 3 + Int(random.next() % 3)
        var objects: [SceneObject] = []
        for lane in 0..<laneCount {
            let depth = (Double(lane) + random.uniform(0.1...0.9)) / Double(laneCount)   // 0 far … 1 near
            var start = random.uniform(0...(duration * 0.1))
            var leftToRight = lane % 2 == 0
            var first = true
            while start < duration {
                let person = walker(id: objects.count + 1, depth: depth, sizes: sizes, start: start,
                                    leftToRight: leftToRight, stops: first && lane == 1)
                objects.append(person)
                start = (person.disappear ?? duration) + random.uniform(0.5...3)
                leftToRight.toggle()
                first = false
            }
        }
        return objects.sorted { ($0.path[0].y, $0.id) < ($1.path[0].y, $1.id) }   // far ones first: near ones hide them
    }

    /// One person crossing the whole frame from `start`, sized for `depth` (0 far … 1 near).
    private mutating func walker(id: Int, depth: Double, sizes: ClosedRange<Double>, start: Double,
                                 leftToRight: Bool, stops: Bool) -> SceneObject {
        let tall = height * (sizes.lowerBound + (sizes.upperBound - sizes.lowerBound) * depth)
        let size = (width: max(4, Int(tall * 0.36)), height: max(8, Int(tall)))
        let ground = height * (0.5 + 0.45 * depth)
        let speed = width * random.uniform(0.07...0.16)
        let margin = Double(size.width)
        let (from, to) = leftToRight ? (-margin, width + margin) : (width + margin, -margin)
        var time = start
        var path = [SceneObject.Keyframe(time: time, x: from, y: ground)]
        if stops {
            let stop = width * random.uniform(0.4...0.6)
            time += abs(stop - from) / speed
            path.append(.init(time: time, x: stop, y: ground))
            time += duration * 0.2
            path.append(.init(time: time, x: stop, y: ground))
            time += abs(to - stop) / speed
        } else {
            time += abs(to - from) / speed
        }
        path.append(.init(time: time, x: to, y: ground))
        return SceneObject(id: id, objectClass: .person, width: size.width, height: size.height,
                           color: Self.clothes[(id - 1) % Self.clothes.count], path: path, appear: start, disappear: time)
    }

    /// Cars on two lanes: the far one eastbound, the near one westbound, a car every 2.5–5 s per
    /// lane at nearly the lane's speed (so they never run into each other); one in five is a bus
    /// or truck.
    mutating func traffic() -> [SceneObject] {
        var objects: [SceneObject] = []
        for (ground, scale, eastbound) in [(0.62, 0.85, true), (0.9, 1.0, false)] {
            let laneSpeed = width * random.uniform(0.2...0.3)
            var start = random.uniform(0...2)
            while start < duration {
                let big = random.next() % 5 == 0
                let objectClass: SceneObjectClass = big ? (random.next() % 2 == 0 ? .bus : .truck) : .car
                let size = (width: Int(width * 0.17 * scale * (big ? 1.6 : 1)), height: Int(height * 0.12 * scale * (big ? 1.35 : 1)))
                let speed = laneSpeed * random.uniform(0.97...1.03)
                let margin = Double(size.width)
                let (from, to) = eastbound ? (-margin, width + margin) : (width + margin, -margin)
                let end = start + (width + 2 * margin) / speed
                objects.append(SceneObject(id: objects.count + 1, objectClass: objectClass, width: size.width, height: size.height,
                                           color: Self.paints[Int(random.next() % UInt64(Self.paints.count))],
                                           path: [.init(time: start, x: from, y: height * ground), .init(time: end, x: to, y: height * ground)],
                                           appear: start, disappear: end))
                start += random.uniform(2.5...5) * (big ? 1.4 : 1)
            }
        }
        return objects
    }

    /// A restricted zone on the right; person 1 walks in from the left, lingers and walks back
    /// out; person 2 crosses behind it, outside the zone.
    mutating func intrusion() -> ([SceneObject], [SceneZone]) {
        let zone = SceneZone(name: "restricted", area: PixelBox(x: Int(width * 0.55), y: Int(height * 0.5),
                                                               width: Int(width * 0.35), height: Int(height * 0.45)))
        let tall = height * 0.26, ground = height * 0.78, inside = width * random.uniform(0.68...0.78)
        let t = duration / 20
        let intruder = SceneObject(
            id: 1, objectClass: .person, width: Int(tall * 0.36), height: Int(tall), color: Self.clothes[0],
            path: [.init(time: 1 * t, x: -tall, y: ground), .init(time: 8 * t, x: inside, y: ground),
                   .init(time: 12 * t, x: inside, y: ground * 0.97), .init(time: 19 * t, x: -tall, y: ground)],
            appear: 1 * t, disappear: 19 * t)
        let far = height * 0.17
        let passerBy = SceneObject(
            id: 2, objectClass: .person, width: Int(far * 0.36), height: Int(far), color: Self.clothes[1],
            path: [.init(time: 3 * t, x: width + far, y: height * 0.42), .init(time: 15 * t, x: -far, y: height * 0.42)],
            appear: 3 * t, disappear: 15 * t)
        return ([passerBy, intruder], [zone])
    }
}
