import CityWatchDomain

/// The scripts of the evaluation scenes, in pixels of the 320×180 frame (x right, y down; a
/// stop is (seconds, x, y) of an actor's ground point). Nothing appears before 3 s: the motion
/// detector learns the empty background first. Rows are chosen so that actors on different rows
/// never overlap on the picture, and actors on one row never walk through each other.
extension EvaluationSet {
    /// Zone in the lower right. Two people walk in (one from each side; expected: 2 events); two
    /// pass above it, feet outside.
    static func intrusion() -> (duration: Double, cast: EvaluationCast, rule: AnalyticsRule.Kind) {
        var cast = EvaluationCast(height: height)
        cast.person([(3, -10, 150), (11, 240, 150), (14, 240, 150), (22, -10, 150)])
        cast.person([(4, 330, 80), (16, -10, 80)])
        cast.person([(15, 330, 120), (20, 200, 120), (24, 200, 60), (28, 330, 60)])
        cast.person([(20, -10, 88), (30, 330, 88)])
        return (32, cast, .intrusion(zone: zone(0.55, 0.55, 0.92, 0.97)))
    }

    /// Zone in the middle, 5 s. Two people stop in it for 8 and 7 s (expected: 2 events); two
    /// walk straight through in under 2 s.
    static func loitering() -> (duration: Double, cast: EvaluationCast, rule: AnalyticsRule.Kind) {
        var cast = EvaluationCast(height: height)
        cast.person([(3, -10, 165), (8, 160, 165), (16, 160, 165), (21, 330, 165)])
        cast.person([(10, 330, 108), (15, -10, 108)])
        cast.person([(20, 330, 108), (24, 130, 108), (31, 130, 108), (35, -10, 108)])
        cast.person([(24, -10, 165), (29, 330, 165)])
        return (38, cast, .loitering(zone: zone(0.3, 0.5, 0.7, 0.96), seconds: 5))
    }

    /// A line up the middle of the lower picture, drawn bottom to top, counting left to right on
    /// screen. Four people and a car cross that way (expected: 5 events); three people and a car
    /// cross the other way; one person walks past above the line's top end. The last two meet on
    /// the line, one just behind the other, so their blobs merge as they cross.
    static func lineCrossing() -> (duration: Double, cast: EvaluationCast, rule: AnalyticsRule.Kind) {
        var cast = EvaluationCast(height: height)
        cast.person([(3, -10, 150), (12, 330, 150)])
        cast.person([(5, 330, 100), (14, -10, 100)])
        cast.car([(15, -60, 172), (20, 380, 172)])
        cast.person([(18, -10, 120), (28, 330, 120)])
        cast.person([(21, 330, 172), (31, -10, 172)])
        cast.person([(24, -10, 60), (33, 330, 60)])
        cast.car([(32, 380, 100), (37, -60, 100)])
        cast.person([(34, -10, 160), (42, 330, 160)])
        // Two people meet on the line, one each way, one just behind the other.
        cast.person([(44, -10, 128), (52, 330, 128)])
        cast.person([(44, 330, 136), (52, -10, 136)])
        let line = ImageLine(start: ImagePoint(x: 0.5, y: 1), end: ImagePoint(x: 0.5, y: 0.4))
        return (54, cast, .lineCrossing(line: line, direction: .leftToRight))
    }

    /// A wide zone, more than 3. Four people gather on two rows and leave (event), then three
    /// (none), then four again (event): expected 2 events.
    static func crowding() -> (duration: Double, cast: EvaluationCast, rule: AnalyticsRule.Kind) {
        var cast = EvaluationCast(height: height)
        let back = 108.0, front = 172.0
        for (start, left, right, leave) in [(3.0, 100.0, 220.0, 18.0), (40, 90, 210, 52)] {
            cast.person([(start, -10, back), (start + 4, left, back), (leave, left, back), (leave + 4, -10, back)])
            cast.person([(start + 1, 330, back), (start + 5, right, back), (leave, right, back), (leave + 4, 330, back)])
            cast.person([(start + 2, -10, front), (start + 6, left - 10, front), (leave + 1, left - 10, front), (leave + 5, -10, front)])
            cast.person([(start + 3, 330, front), (start + 7, right + 20, front), (leave + 1, right + 20, front), (leave + 5, 330, front)])
        }
        cast.person([(24, -10, back), (28, 120, back), (34, 120, back), (38, -10, back)])
        cast.person([(25, 330, front), (29, 200, front), (34, 200, front), (38, 330, front)])
        cast.person([(26, 330, back), (30, 230, back), (34, 230, back), (38, 330, back)])
        return (60, cast, .crowding(zone: zone(0.1, 0.45, 0.9, 1), count: 3))
    }

    /// Most of the picture, 5 s, for object left and abandoned object alike. Two people each
    /// carry a bag and put it down: the first steps aside and stands by it for 10 s before
    /// walking on, the second walks on at once; two others walk by far off. Expected: object
    /// left 5 s after each bag is down; abandoned object 5 s after each owner is out of reach.
    static func leftBags(_ kind: (ImagePolygon, Double) -> AnalyticsRule.Kind) -> (duration: Double, cast: EvaluationCast, rule: AnalyticsRule.Kind) {
        var cast = EvaluationCast(height: height)
        let first: [(Double, Double, Double)] = [(3, -10, 150), (9, 150, 150), (10, 160, 150), (20, 160, 150), (26, 330, 150)]
        cast.person(first)
        cast.bag(carriedAlong: first, dx: -12, dropAt: 9)
        cast.person([(5, -10, 95), (15, 330, 95)])
        let second: [(Double, Double, Double)] = [(18, 330, 120), (23, 220, 120), (29, -10, 120)]
        cast.person(second)
        cast.bag(carriedAlong: second, dx: 12, dropAt: 23)
        cast.person([(28, 330, 70), (38, -10, 70)])
        return (40, cast, kind(zone(0.05, 0.4, 0.95, 1), 5))
    }

    /// Most of the picture, 3 s. One person falls, lies 11 s and gets up; a second falls and
    /// stays down (expected: 2 events); two walk by.
    static func fall() -> (duration: Double, cast: EvaluationCast, rule: AnalyticsRule.Kind) {
        var cast = EvaluationCast(height: height)
        cast.faller([(3, -10, 140), (9, 140, 140), (20, 140, 140), (27, 330, 140)], fallsAt: 9, getsUpAt: 20)
        cast.person([(5, 330, 85), (15, -10, 85)])
        cast.faller([(24, 330, 165), (29, 220, 165)], fallsAt: 29)
        cast.person([(31, -10, 95), (41, 330, 95)])
        return (42, cast, .fall(zone: zone(0.02, 0.3, 0.98, 1), seconds: 3))
    }
}
