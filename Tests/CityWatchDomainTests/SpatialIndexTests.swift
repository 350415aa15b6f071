import CityWatchDomain
import PropertyBased
import Testing

@Suite("Spatial index")
struct SpatialIndexTests {
    /// Random cameras over a 10 × 10 km district, with some stacked on one pole.
    static func cameras(_ seed: UInt64, count: Int) -> [(id: Int, point: GeoPoint)] {
        var state = seed
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        var points: [(id: Int, point: GeoPoint)] = []
        for i in 0..<count {
            if i > 0 && next() < 0.1 { points.append((i, points[i - 1].point)); continue }
            points.append((i, GeoPoint(latitude: 37.45 + next() * 0.09, longitude: 127.0 + next() * 0.11)))
        }
        return points
    }

    @Test func radiusQueryEqualsLinearScan() async {
        await propertyCheck(count: 60, input: Gen.uint64(), Gen.int(in: 0...3_000), Gen.double(in: 0...3_000),
                            Gen.double(in: 37.44...37.55), Gen.double(in: 126.99...127.12)) { seed, count, radius, lat, lon in
            let entries = Self.cameras(seed, count: count)
            let index = SpatialIndex(entries, cellMetres: 200)
            let centre = GeoPoint(latitude: lat, longitude: lon)
            let fast = index.within(radius: radius, of: centre)
            let slow = SpatialIndex.linearWithin(radius: radius, of: centre, in: entries)
            #expect(Set(fast.map(\.id)) == Set(slow.map(\.id)))
            #expect(fast.map(\.distance) == fast.map(\.distance).sorted())
        }
    }

    @Test func boxQueryEqualsBruteForce() async {
        await propertyCheck(count: 60, input: Gen.uint64(), Gen.double(in: 37.44...37.55), Gen.double(in: 126.99...127.12),
                            Gen.double(in: 0...0.05), Gen.double(in: 0...0.05)) { seed, south, west, height, width in
            let entries = Self.cameras(seed, count: 1_500)
            let box = try! GeoBoundingBox(south: south, west: west, north: south + height, east: west + width)
            let expected = Set(entries.filter { box.contains($0.point) }.map(\.id))
            #expect(Set(SpatialIndex(entries).inside(box)) == expected)
        }
    }

    @Test func nearestReturnsTheKClosest() async {
        await propertyCheck(count: 60, input: Gen.uint64(), Gen.int(in: 1...60), Gen.double(in: 37.3...37.7), Gen.double(in: 126.8...127.3)) { seed, k, lat, lon in
            let entries = Self.cameras(seed, count: 800)
            let centre = GeoPoint(latitude: lat, longitude: lon)
            let found = SpatialIndex(entries).nearest(k, to: centre)
            let expected = entries.map { centre.distance(to: $0.point) }.sorted().prefix(k)
            #expect(found.count == min(k, entries.count))
            #expect(found.map(\.distance) == Array(expected))
        }
    }

    @Test func emptyIndexAndInvalidCentreAnswerNothing() {
        let empty = SpatialIndex([])
        #expect(empty.within(radius: 500, of: GeoPoint(latitude: 37.5, longitude: 127)).isEmpty)
        #expect(empty.nearest(3, to: GeoPoint(latitude: 37.5, longitude: 127)).isEmpty)
        let index = SpatialIndex([(id: 1, point: GeoPoint(latitude: 37.5, longitude: 127))])
        #expect(index.within(radius: 500, of: GeoPoint(latitude: .nan, longitude: 127)).isEmpty)
        #expect(index.within(radius: -1, of: GeoPoint(latitude: 37.5, longitude: 127)).isEmpty)
    }

    @Test func invalidPointsAreLeftOutOfTheIndex() {
        let index = SpatialIndex([(id: 1, point: GeoPoint(latitude: 200, longitude: 127)),
                                  (id: 2, point: GeoPoint(latitude: 37.5, longitude: 127))])
        #expect(index.count == 1)
    }
}
