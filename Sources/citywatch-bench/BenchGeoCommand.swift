import ArgumentParser
import CityWatchCommandLine
import CityWatchDomain
import Foundation
import Histogram

/// `citywatch-bench geo`: radius queries on the spatial index against a linear scan.
struct BenchGeoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "geo",
        abstract: "Radius-query latency of the spatial index against a linear scan, on generated cameras.")

    @Option(help: "Cameras to generate (spread over a 30 × 30 km city around Gangnam).") var cameras = 100_000
    @Option(help: "Queries to time.") var queries = 5_000
    @Option(help: "Query radius in metres.") var radius = 500.0
    @Option(help: "Random seed.") var seed: UInt64 = 42

    func validate() throws {
        guard cameras > 0, queries > 0, radius > 0 else { throw ValidationError("--cameras, --queries and --radius must be positive") }
    }

    func run() async throws {
        var random = SeededGenerator(seed: seed)
        let entries: [(id: Int, point: GeoPoint)] = (0..<cameras).map { i in (id: i, point: random.cityPoint()) }
        let build = ContinuousClock.now
        let index = SpatialIndex(entries)
        let buildTime = ContinuousClock.now - build
        let centres = (0..<queries).map { _ in entries[Int.random(in: 0..<entries.count, using: &random)].point }
        var indexed = Histogram<UInt64>(highestTrackableValue: 10_000_000_000, numberOfSignificantValueDigits: .three)
        var linear = Histogram<UInt64>(highestTrackableValue: 10_000_000_000, numberOfSignificantValueDigits: .three)
        var found = 0, checksum = 0
        for centre in centres {
            let start = ContinuousClock.now
            let hits = index.within(radius: radius, of: centre)
            indexed.record(UInt64((ContinuousClock.now - start).nanoseconds))
            found += hits.count
        }
        for centre in centres.prefix(max(1, min(queries, 500))) {
            let start = ContinuousClock.now
            let hits = SpatialIndex.linearWithin(radius: radius, of: centre, in: entries)
            linear.record(UInt64((ContinuousClock.now - start).nanoseconds))
            checksum += hits.count
        }
        func micro(_ h: Histogram<UInt64>, _ q: Double) -> String { String(format: "%.1f µs", Double(h.valueAtPercentile(q)) / 1000) }
        print("geo radius query: \(cameras.grouped) cameras, radius \(Int(radius)) m, \(queries.grouped) queries")
        print("  index build:         \(String(format: "%.1f ms", Double(buildTime.nanoseconds) / 1e6))")
        print("  mean hits per query: \(String(format: "%.1f", Double(found) / Double(queries)))")
        print("  spatial index  p50 \(micro(indexed, 50))  p99 \(micro(indexed, 99))  max \(micro(indexed, 100))")
        print("  linear scan    p50 \(micro(linear, 50))  p99 \(micro(linear, 99))  (\(linear.totalCount) queries)")
        print(String(format: "  speed-up at p50: %.0f×", Double(linear.valueAtPercentile(50)) / max(1, Double(indexed.valueAtPercentile(50)))))
        _ = checksum
    }
}

extension Duration {
    /// The duration in whole nanoseconds.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

extension SeededGenerator {
    /// A random point in a 30 × 30 km city around Gangnam (37.36–37.63 N, 126.87–127.21 E).
    mutating func cityPoint() -> GeoPoint {
        GeoPoint(latitude: 37.36 + Double.random(in: 0...0.27, using: &self),
                 longitude: 126.87 + Double.random(in: 0...0.34, using: &self))
    }
}

/// A small deterministic generator (SplitMix64) so benchmark inputs repeat run to run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
