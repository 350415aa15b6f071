import CityWatchAnalytics
import CityWatchDomain
import CityWatchMedia
import CityWatchStore
import FluentKit
import Foundation

/// Realistic search metadata without video: motion minutes and track summaries for many
/// cameras, as analytics would write them, for scale tests and `citywatch-bench search`.
///
/// Activity follows the time of day in Seoul (quiet from 1 to 5 a.m., peaks at the commutes)
/// and each camera is busy, ordinary or quiet. Objects walk or drive across the picture along
/// straight paths; each second they move, their cells of the 16 × 9 grid light up.
public struct SearchMetadataGenerator: Sendable {
    public var seed: UInt64
    /// Mean objects per minute on an ordinary camera at the busiest hour.
    public var peakObjectsPerMinute: Double

    public init(seed: UInt64 = 1, peakObjectsPerMinute: Double = 2) {
        self.seed = seed
        self.peakObjectsPerMinute = peakObjectsPerMinute
    }

    /// One camera's metadata for a period.
    public struct CameraDay: Sendable {
        public var minutes: [MotionMinute] = []
        public var tracks: [TrackSummary] = []

        public init(minutes: [MotionMinute] = [], tracks: [TrackSummary] = []) {
            self.minutes = minutes
            self.tracks = tracks
        }
    }

    /// Relative activity at `hour` (0…23, Seoul time): 0.05 at night, 1 at the peaks.
    public static func activity(hour: Int) -> Double {
        let curve: [Double] = [0.15, 0.08, 0.05, 0.05, 0.05, 0.1, 0.3, 0.7, 1, 0.8, 0.6, 0.6,
                               0.7, 0.6, 0.55, 0.6, 0.7, 0.9, 1, 0.8, 0.6, 0.45, 0.35, 0.25]
        return curve[((hour % 24) + 24) % 24]
    }

    /// The metadata of camera number `number` (`id`) from `from` for `minutes` minutes.
    public func generate(camera id: UUID, number: Int, from: Date, minutes count: Int) -> CameraDay {
        var random = SceneRandom(seed: seed, stream: UInt64(number))
        let busyness = [0.2, 1, 1, 1, 3][number % 5]
        var day = CameraDay()
        var nextTrack = 1
        let firstMinute = Int64((from.timeIntervalSince1970 / 60).rounded(.down))
        var seconds: [Int64: MotionGrid] = [:]
        for offset in 0..<Int64(count) {
            let minute = firstMinute + offset
            let hour = Int(((minute * 60 + 9 * 3_600) / 3_600) % 24)
            let rate = peakObjectsPerMinute * busyness * Self.activity(hour: hour)
            // Poisson by multiplying uniforms until they fall below e^-rate.
            var objects = 0
            var product = random.uniform(0...1)
            while product > exp(-rate), objects < 20 {
                objects += 1
                product *= random.uniform(0...1)
            }
            for _ in 0..<objects {
                let track = makeTrack(camera: id, trackID: nextTrack, minute: minute, random: &random)
                nextTrack += 1
                day.tracks.append(track)
                for grid in Self.grids(of: track) {
                    var merged = seconds[grid.second] ?? MotionGrid(second: grid.second)
                    for cell in merged.cells.indices { merged.cells[cell] = max(merged.cells[cell], grid.cells[cell]) }
                    seconds[grid.second] = merged
                }
            }
        }
        var minutes: [Int64: MotionMinute] = [:]
        for second in seconds.keys.sorted() {
            let key = second.floorDivided(by: 60)
            minutes[key, default: MotionMinute(minute: key)].add(seconds[second]!)
        }
        day.minutes = minutes.keys.sorted().map { minutes[$0]! }
        return day
    }

    /// Writes `day` through the repository analytics use, so the index is built as in service.
    public static func store(_ day: CameraDay, camera: UUID, on database: any Database) async throws {
        let repository = AnalyticsRepository(database: database)
        for minute in day.minutes { try await repository.saveMotionMinute(camera: camera, minute) }
        for chunk in stride(from: 0, to: day.tracks.count, by: 200) {
            try await repository.saveTracks(Array(day.tracks[chunk..<min(chunk + 200, day.tracks.count)]))
        }
    }

    private func makeTrack(camera: UUID, trackID: Int, minute: Int64, random: inout SceneRandom) -> TrackSummary {
        let vehicle = random.uniform(0...1) < 0.35
        let objectClass: ObjectClass = vehicle ? [.car, .car, .car, .truck, .bus, .motorcycle][Int(random.next() % 6)]
            : (random.uniform(0...1) < 0.9 ? .person : .bicycle)
        let height = vehicle ? random.uniform(0.12...0.35) : random.uniform(0.15...0.45)
        let width = height * (vehicle ? 1.6 : 0.4) * 9 / 16
        let start = ImagePoint(x: random.uniform(0...1), y: random.uniform(0.3...1))
        let end = ImagePoint(x: random.uniform(0...1), y: random.uniform(0.3...1))
        let seconds = Int(random.uniform(vehicle ? 3...12 : 8...60))
        let begin = Double(minute * 60) + random.uniform(0...59)
        let path = (0...seconds).map { step -> ImageBox in
            let t = Double(step) / Double(max(1, seconds))
            let foot = ImagePoint(x: start.x + (end.x - start.x) * t, y: start.y + (end.y - start.y) * t)
            return ImageBox(x: max(0, min(1 - width, foot.x - width / 2)), y: max(0, foot.y - height), width: width, height: min(height, foot.y))
        }
        let dx = end.x - start.x, dy = end.y - start.y
        let direction = (dx * dx + dy * dy).squareRoot() < 0.05 ? nil : (atan2(dx, -dy) * 180 / .pi + 360).truncatingRemainder(dividingBy: 360)
        let colors = ColorName.allCases
        return TrackSummary(cameraID: camera, trackID: trackID, objectClass: objectClass,
                            start: Date(timeIntervalSince1970: begin), end: Date(timeIntervalSince1970: begin + Double(seconds)),
                            path: path, color: colors[Int(random.next() % UInt64(colors.count))].rawValue, direction: direction,
                            speed: (dx * dx + dy * dy).squareRoot() / Double(max(1, seconds)))
    }

    /// A grid for each second of the track: the cells its box covers, strength by overlap.
    public static func grids(of track: TrackSummary) -> [MotionGrid] {
        let times = track.sampleTimes
        return zip(track.path, times).map { box, time in
            var grid = MotionGrid(second: Int64(time.timeIntervalSince1970.rounded(.down)))
            let c0 = max(0, Int(box.x * 16)), c1 = min(15, Int((box.x + box.width) * 16))
            let r0 = max(0, Int(box.y * 9)), r1 = min(8, Int((box.y + box.height) * 9))
            if c0 <= c1, r0 <= r1 {
                for row in r0...r1 { for column in c0...c1 { grid[column, row] = UInt8(60 + (row * 7 + column * 13) % 150) } }
            }
            return grid
        }
    }
}
