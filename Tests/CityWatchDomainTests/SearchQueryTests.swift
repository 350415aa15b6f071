import CityWatchDomain
import Foundation
import Testing

/// What a search may ask, the cells of shapes, and how hits become episodes.
@Suite("Search query")
struct SearchQueryTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)
    let square = ImagePolygon(points: [ImagePoint(x: 0.1, y: 0.1), ImagePoint(x: 0.3, y: 0.1), ImagePoint(x: 0.3, y: 0.3), ImagePoint(x: 0.1, y: 0.3)])

    @Test func badQueriesNameTheirField() {
        func problem(_ query: SearchQuery) -> String? {
            do { _ = try query.validated() } catch { return error.field }
            return nil
        }
        #expect(problem(SearchQuery(from: now, to: now.addingTimeInterval(-1))) == "to")
        let bowtie = ImagePolygon(points: [ImagePoint(x: 0, y: 0), ImagePoint(x: 1, y: 1), ImagePoint(x: 1, y: 0), ImagePoint(x: 0, y: 1)])
        #expect(problem(SearchQuery(from: now, to: now.addingTimeInterval(60), region: bowtie)) == "region")
        #expect(problem(SearchQuery(from: now, to: now.addingTimeInterval(60), region: ImagePolygon(points: []))) == "region")
        #expect(problem(SearchQuery(from: now, to: now.addingTimeInterval(60), crossing: .leftToRight)) == "crossing")
        #expect(problem(SearchQuery(from: now, to: now.addingTimeInterval(60), dwellSeconds: 30)) == "dwellSeconds")
        #expect(problem(SearchQuery(from: now, to: now.addingTimeInterval(60), size: .init(minimum: 0.5, maximum: 0.2))) == "size")
        #expect(problem(SearchQuery(from: now, to: now.addingTimeInterval(60), limit: 0)) == "limit")
        #expect(problem(SearchQuery(cameras: .init(area: [GeoPoint(latitude: 37.5, longitude: 127)]), from: now, to: now.addingTimeInterval(60))) == "cameras.area")
        #expect(problem(SearchQuery(from: now, to: now.addingTimeInterval(60), region: square, classes: [.person], dwellSeconds: 30)) == nil)
    }

    @Test func directionRangesWrapAroundNorth() {
        let up = SearchQuery.DirectionRange(from: 300, to: 60)
        #expect(up.contains(0) && up.contains(359) && up.contains(45) && !up.contains(90) && !up.contains(200))
        #expect(SearchQuery.DirectionRange(from: 0, to: 360).contains(180))
    }

    @Test func cellsOfShapesAreTheOnesTheyTouch() {
        // x 0.1–0.3 spans columns 1–4, y 0.1–0.3 spans rows 0–2.
        let cells = GridCells.overlapping(square)
        #expect(cells.indices == [1, 2, 3, 4, 17, 18, 19, 20, 33, 34, 35, 36])
        let line = GridCells.along(ImagePoint(x: 0, y: 0.05), ImagePoint(x: 1, y: 0.05))
        #expect(line.indices == Array(0..<16), "a horizontal line in the top row")
        #expect(GridCells(values: [UInt8](repeating: 0, count: 10)) == .all, "another grid size is never skipped")
        let stored = GridCells.all.stored
        #expect(GridCells(stored: stored) == .all && GridCells.all.indices.count == 144)
    }

    @Test func hitsCloseTogetherMakeOneEpisode() {
        var builder = EpisodeBuilder(gap: 5)
        let camera = UUID()
        for second in [0, 1, 2, 4, 20, 21] {
            let at = now.addingTimeInterval(Double(second))
            builder.add(camera: camera, from: at, to: at.addingTimeInterval(1), moment: at, strength: second == 21 ? 0.9 : 0.2)
        }
        let episodes = builder.finish(order: .time)
        #expect(episodes.count == 2)
        #expect(episodes[0].start == now.addingTimeInterval(20) && episodes[0].moment == now.addingTimeInterval(21), "newest first, strongest second shown")
        #expect(episodes[1].end == now.addingTimeInterval(5))
    }

    @Test func aBuilderKeepingAPageGivesThatPageOfEverythingAndCountsTheRest() {
        var everything = EpisodeBuilder(gap: 5, order: .relevance)
        var page = EpisodeBuilder(gap: 5, order: .relevance, keep: 7)
        let cameras = (0..<4).map { _ in UUID() }
        // 4 cameras × 3,000 episodes of 1 s, 10 s apart, scores repeating so ties need the camera order.
        for index in 0..<3_000 {
            for (number, camera) in cameras.enumerated() {
                let at = now.addingTimeInterval(Double(index * 10))
                let strength = Double((index * 7 + number) % 13)
                everything.add(camera: camera, from: at, to: at.addingTimeInterval(1), moment: at, strength: strength)
                page.add(camera: camera, from: at, to: at.addingTimeInterval(1), moment: at, strength: strength)
            }
        }
        let all = everything.finish()
        let kept = page.finish()
        #expect(all.total == 12_000 && all.episodes.count == 12_000)
        #expect(kept.total == 12_000 && kept.episodes == Array(all.episodes.prefix(7)))
        #expect(kept.episodes.first?.score == 12)
    }
}
