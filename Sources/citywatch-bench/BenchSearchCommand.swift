import ArgumentParser
import CityWatchAnalytics
import CityWatchApp
import CityWatchCommandLine
import CityWatchDomain
import CityWatchEvaluation
import CityWatchMedia
import CityWatchStore
import Fluent
import FluentKit
import Foundation

/// `citywatch-bench search`: smart-search latency on generated metadata at district scale,
/// against reading every row and against decoding the same footage.
struct BenchSearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search latency (p50/p99) over generated metadata for 1,100 cameras × 24 h and one camera × a year, against brute force and decoding.",
        discussion: """
        Generates realistic metadata (SearchMetadataGenerator: day/night activity, busy and quiet cameras) into the database \
        (a temporary SQLite file, or --database-url, e.g. a throwaway PostgreSQL from scripts/start-postgres.sh), then times \
        each query kind over random regions, cameras and hours: p50 and p99 of the index, the median of reading every row \
        (brute force) on the same queries, and the time decoding the same camera-hours of video with ffmpeg plus CityWatch's \
        motion detector would take (measured on a clip, scaled up).
        """)

    @Option(help: "Cameras with a day of metadata.") var cameras = 1_100
    @Option(help: "Hours of metadata per camera.") var hours = 24
    @Option(help: "Days of metadata for the one long-history camera (0: skip the year query).") var yearDays = 365
    @Option(help: "Timed runs of each query kind.") var queries = 100
    @Option(help: "Brute-force runs of each query kind (slow).") var bruteRuns = 5
    @Option(help: "Database URL (default: a temporary SQLite file).") var databaseURL: String?
    @Option(help: "Clip for the decoding baseline (default ../shared/data/vtest.avi, else a test pattern).") var clip: String?
    @Option(help: "Random seed.") var seed: UInt64 = 1

    func run() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("citywatch-bench-search-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let configuration = try Configuration.resolve(flags: [.dataDirectory: folder, .databaseURL: databaseURL ?? "sqlite://\(folder)/search.sqlite"])
        let decodeSecondsPerHour = try await Self.decodingCost(clip: clip, folder: folder)
        let (cameras, hours, yearDays, queries, bruteRuns, seed) = (cameras, hours, yearDays, queries, bruteRuns, seed)
        try await withStore(configuration) { app in
            let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 86_400).rounded(.down) * 86_400 - 86_400 * 2 - 9 * 3_600)
            let ids = (0..<cameras).map { _ in UUID() }
            let generator = SearchMetadataGenerator(seed: seed)
            let clock = ContinuousClock()
            let began = clock.now
            var stored = (minutes: 0, tracks: 0, bytes: 0)
            for (number, camera) in ids.enumerated() {
                let day = generator.generate(camera: camera, number: number, from: start, minutes: hours * 60)
                try await SearchMetadataGenerator.storeBulk(day, camera: camera, on: app.db)
                stored.minutes += day.minutes.count
                stored.tracks += day.tracks.count
                stored.bytes += day.minutes.reduce(0) { $0 + $1.secondsBytes.count + ($1.summary?.bytes.count ?? 0) + 3 * 8 + 40 }
                    + day.tracks.reduce(0) { $0 + ImageBox.pack($1.path).count + 5 * 8 + 60 }
                if (number + 1) % 100 == 0 || number + 1 == cameras {
                    print("  stored \(number + 1)/\(cameras) cameras (\(stored.minutes.grouped) minutes, \(stored.tracks.grouped) tracks) in "
                        + String(format: "%.0f s", BenchAnalyticsCommand.seconds(began.duration(to: clock.now))))
                }
            }
            // What the motion index costs: the camera-hour rows with their runs (the other index
            // columns are three 8-byte masks on every minute and track row).
            let (indexHours, indexBytes) = try await SearchIndexRepository(database: app.db).motionIndexSize()
            let longCamera = UUID()
            if yearDays > 0 {
                let quiet = SearchMetadataGenerator(seed: seed &+ 1, peakObjectsPerMinute: 0.5)
                for day in 0..<yearDays {
                    let metadata = quiet.generate(camera: longCamera, number: 1, from: start.addingTimeInterval(-Double(yearDays - 1 - day) * 86_400),
                                                  minutes: 1_440)
                    try await SearchMetadataGenerator.storeBulk(metadata, camera: longCamera, on: app.db)
                }
                print("  stored one camera × \(yearDays) days")
            }
            print(String(format: "search: %@ cameras × %d h on %@; %.1f MB of metadata a camera-day (%.0f minutes and %.0f tracks a camera-day)",
                         cameras.grouped, hours, { if case .sqlite = configuration.database { return "SQLite" } else { return "PostgreSQL" } }(), Double(stored.bytes) / Double(cameras) / 1e6 * 24 / Double(hours),
                         Double(stored.minutes) / Double(cameras) * 24 / Double(hours), Double(stored.tracks) / Double(cameras) * 24 / Double(hours)))
            print(String(format: "  motion index: %.1f kB of runs a camera-day in %.0f camera-hour rows (%.1f kB a row), plus 24 bytes of cell masks a minute and a track",
                         Double(indexBytes) / Double(cameras) / 1e3 * 24 / Double(hours), Double(indexHours) / Double(cameras) * 24 / Double(hours),
                         Double(indexBytes) / Double(max(1, indexHours)) / 1e3))
            print(String(format: "  decoding baseline: %.0f s to decode and analyse one camera-hour of the clip (ffmpeg + motion detector)", decodeSecondsPerHour))
            let service = SearchService(database: app.db)
            var maker = QueryMaker(random: SceneRandom(seed: seed, stream: 99), start: start, hours: hours, cameras: ids,
                                   yearDays: yearDays, longCamera: longCamera)
            let kinds = QueryMaker.Kind.allCases.filter { $0 != .year || yearDays > 0 }
            print("| query | p50 ms | p99 ms | brute force ms (median of the first \(bruteRuns)) | brute force ÷ index (same queries, median) | decoding the same footage | ratio to decoding |")
            print("|---|---|---|---|---|---|---|")
            for kind in kinds {
                var times: [Double] = [], brute: [Double] = [], ratios: [Double] = []
                var found = 0
                for run in 0..<queries {
                    let (query, scope) = maker.make(kind)
                    let result = try await service.run(query, cameras: scope)
                    times.append(result.milliseconds)
                    found += result.total
                    // Brute force on the same query, paired: the ratio does not depend on which hours came up.
                    if run < bruteRuns {
                        let slow = try await service.bruteForce(query, cameras: scope).milliseconds
                        brute.append(slow)
                        ratios.append(slow / max(result.milliseconds, 0.001))
                    }
                }
                times.sort()
                brute.sort()
                ratios.sort()
                let p50 = times[times.count / 2], p99 = times[min(times.count - 1, Int(Double(times.count) * 0.99))]
                let bruteMedian = brute.isEmpty ? .nan : brute[brute.count / 2]
                let bruteRatio = ratios.isEmpty ? .nan : ratios[ratios.count / 2]
                let decoding = decodeSecondsPerHour * maker.cameraHours(kind)
                print(String(format: "| %@ (%.0f episodes a query) | %.1f | %.1f | %.0f | %.1f× | %@ | %@× |", maker.name(kind), Double(found) / Double(queries),
                             p50, p99, bruteMedian, bruteRatio, Self.duration(decoding), (decoding * 1_000 / p50).rounded().grouped))
            }
        }
    }

    /// Random queries of each kind the benchmark times.
    struct QueryMaker {
        enum Kind: CaseIterable {
            case regionCameraDay, regionAllCamerasHour, peopleAllCamerasHour, lineCameraDay, year
        }

        var random: SceneRandom
        let start: Date
        let hours: Int
        let cameras: [UUID]
        let yearDays: Int
        let longCamera: UUID

        func name(_ kind: Kind) -> String {
            switch kind {
            case .regionCameraDay: "motion in a region, one camera × \(hours) h"
            case .regionAllCamerasHour: "motion in a region, \(cameras.count.grouped) cameras × 1 h"
            case .peopleAllCamerasHour: "red or white people, \(cameras.count.grouped) cameras × 1 h"
            case .lineCameraDay: "cars crossing a line left to right, one camera × \(hours) h"
            case .year: "motion in a region, one camera × \(yearDays) days"
            }
        }

        /// Camera-hours of footage a query of `kind` covers.
        func cameraHours(_ kind: Kind) -> Double {
            switch kind {
            case .regionCameraDay, .lineCameraDay: Double(hours)
            case .regionAllCamerasHour, .peopleAllCamerasHour: Double(cameras.count)
            case .year: Double(yearDays * 24)
            }
        }

        mutating func make(_ kind: Kind) -> (SearchQuery, Set<UUID>) {
            let day = start.addingTimeInterval(Double(hours) * 3_600)
            let hour = start.addingTimeInterval(Double(Int(random.next() % UInt64(hours))) * 3_600)
            let camera = cameras[Int(random.next() % UInt64(cameras.count))]
            switch kind {
            case .regionCameraDay:
                return (SearchQuery(from: start, to: day, region: region()), [camera])
            case .regionAllCamerasHour:
                return (SearchQuery(from: hour, to: hour.addingTimeInterval(3_600), region: region()), Set(cameras))
            case .peopleAllCamerasHour:
                return (SearchQuery(from: hour, to: hour.addingTimeInterval(3_600), classes: [.person], colors: [.red, .white]), Set(cameras))
            case .lineCameraDay:
                let x = random.uniform(0.3...0.7)
                let line = ImageLine(start: ImagePoint(x: x, y: 0.3), end: ImagePoint(x: x, y: 1))
                return (SearchQuery(from: start, to: day, classes: [.car], line: line, crossing: .leftToRight), [camera])
            case .year:
                return (SearchQuery(from: start.addingTimeInterval(-Double(yearDays - 1) * 86_400), to: start.addingTimeInterval(86_400),
                                    region: region()), [longCamera])
            }
        }

        /// A random square region of 0.3 × 0.3 of the picture.
        mutating func region() -> ImagePolygon {
            let x = random.uniform(0...0.6), y = random.uniform(0.2...0.6)
            return ImagePolygon(points: [ImagePoint(x: x, y: y), ImagePoint(x: x + 0.3, y: y), ImagePoint(x: x + 0.3, y: y + 0.3),
                                         ImagePoint(x: x, y: y + 0.3)])
        }
    }

    /// Seconds to decode one hour of the clip's kind of footage at 1280×720 into 320×180 frames
    /// at 5 fps and run the motion detector on them, from a 60-second sample.
    static func decodingCost(clip: String?, folder: String) async throws -> Double {
        let sample = (folder as NSString).appendingPathComponent("sample.mp4")
        let source = clip ?? "../shared/data/vtest.avi"
        let input = FileManager.default.fileExists(atPath: source) ? ["-stream_loop", "-1", "-i", source] : ["-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25"]
        let made = try await ChildProgram.run("/usr/bin/ffmpeg", ["-hide_banner", "-loglevel", "error"] + input
            + ["-t", "60", "-vf", "scale=1280:720,fps=25", "-c:v", "libx264", "-preset", "veryfast", "-g", "50", "-pix_fmt", "yuv420p", "-y", sample])
        guard made.status == 0 else { throw ValidationError("cannot make the decoding sample: \(made.standardError)") }
        var detector = MotionDetector(width: 320, height: 180)
        let clock = ContinuousClock()
        let began = clock.now
        var index = 0
        for try await frame in VideoFrameReader().frames(of: sample, width: 320, height: 180, fps: 5, format: .gray) {
            _ = frame.withUnsafeBufferPointer { detector.process(pixels: $0, time: Double(index) / 5) }
            index += 1
        }
        return BenchAnalyticsCommand.seconds(began.duration(to: clock.now)) * 60
    }

    static func duration(_ seconds: Double) -> String {
        seconds >= 86_400 ? String(format: "%.1f days", seconds / 86_400) : seconds >= 3_600 ? String(format: "%.1f h", seconds / 3_600)
            : String(format: "%.0f s", seconds)
    }
}

extension Int64 {
    var grouped: String { Int(self).grouped }
}

extension Double {
    /// Rounded and with thousands separators.
    var grouped: String { self.isFinite ? Int64(self).grouped : "—" }
}
