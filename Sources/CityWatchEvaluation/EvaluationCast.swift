import CityWatchMedia

/// Builds the actors of the evaluation scenes on a 320×180 ground: people sized by how far down
/// the picture they stand (nearer is lower and bigger), cars, and bags, with ids in the order
/// they are made.
struct EvaluationCast {
    /// Frame height the sizes are worked out for.
    let height: Double
    private(set) var objects: [SceneObject] = []

    init(height: Int) {
        self.height = Double(height)
    }

    /// Clothing colours that stand out from the plain gray ground in luma and in colour.
    static let clothes: [SceneColor] = [
        .init(red: 200, green: 40, blue: 40), .init(red: 40, green: 60, blue: 190), .init(red: 30, green: 120, blue: 50),
        .init(red: 235, green: 205, blue: 60), .init(red: 120, green: 40, blue: 150), .init(red: 40, green: 40, blue: 45),
    ]

    /// Height in pixels of a person standing at row `ground`.
    func personHeight(at ground: Double) -> Int { Int((0.1 + 0.2 * ground / height) * height) }

    /// A person walking through `stops` — (time, x, y) ground points — visible from the first
    /// stop's time to the last's (to the end of the clip unless `leaves`). Returns its id.
    @discardableResult
    mutating func person(_ stops: [(Double, Double, Double)], postures: [SceneObject.Posture] = [], leaves: Bool = true) -> Int {
        let tall = personHeight(at: stops[0].2)
        return add(.person, width: max(6, tall * 9 / 25), height: tall, color: Self.clothes[objects.count % Self.clothes.count],
                   stops: stops, postures: postures, disappear: leaves)
    }

    /// A person at `stops` who falls at `time` and lies there until `until` (nil: for good).
    @discardableResult
    mutating func faller(_ stops: [(Double, Double, Double)], fallsAt time: Double, getsUpAt until: Double? = nil) -> Int {
        let tall = personHeight(at: stops[0].2)
        let width = max(6, tall * 9 / 25)
        var postures = [SceneObject.Posture.fall(at: time, width: width, height: tall)]
        if let until { postures.append(SceneObject.Posture(time: until, width: width, height: tall)) }
        return person(stops, postures: postures, leaves: until != nil)
    }

    /// A car driving through `stops`.
    @discardableResult
    mutating func car(_ stops: [(Double, Double, Double)]) -> Int {
        let long = Int(height * 0.3)
        return add(.car, width: long, height: long * 2 / 5, color: SceneColor(red: 170, green: 30, blue: 35), stops: stops)
    }

    /// A bag carried beside `stops` (offset `dx` pixels from the carrier's ground point) until
    /// `dropAt`, then left where it is to the end of the clip.
    @discardableResult
    mutating func bag(carriedAlong stops: [(Double, Double, Double)], dx: Double, dropAt time: Double) -> Int {
        let carried = stops.filter { $0.0 < time }.map { ($0.0, $0.1 + dx, $0.2) }
        let carrier = SceneObject(id: 0, objectClass: .person, width: 1, height: 1, color: SceneColor(gray: 0),
                                  path: stops.map { .init(time: $0.0, x: $0.1, y: $0.2) })
        let drop = carrier.groundPoint(at: time)
        let side = Int(height * 0.07)
        return add(.bag, width: side + 3, height: side, color: SceneColor(red: 230, green: 120, blue: 20),
                   stops: carried + [(time, drop.x + dx, drop.y)], disappear: false)
    }

    private mutating func add(_ objectClass: SceneObjectClass, width: Int, height: Int, color: SceneColor,
                              stops: [(Double, Double, Double)], postures: [SceneObject.Posture] = [],
                              disappear: Bool = true) -> Int {
        let id = objects.count + 1
        objects.append(SceneObject(id: id, objectClass: objectClass, width: width, height: height, color: color,
                                   path: stops.map { .init(time: $0.0, x: $0.1, y: $0.2) }, appear: stops.first?.0,
                                   disappear: disappear ? stops.last?.0 : nil, postures: postures))
        return id
    }
}
