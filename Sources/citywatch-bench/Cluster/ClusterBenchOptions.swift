import ArgumentParser
import Foundation

/// The settings both cluster benchmarks (`cluster`, `failover`) share: which `citywatch` runs
/// the nodes, the cameras' stream, and the nodes' recording and lease settings.
struct ClusterBenchOptions: ParsableArguments {
    @Option(name: .customLong("citywatch"), help: ArgumentHelp(
        "The citywatch executable that runs the nodes.", discussion: "Default: the one built beside this program.", valueName: "path"))
    var cityWatch: String?

    @Option(help: "Frame size of the cameras' generated H.264 clip, WxH (a camera's main stream).")
    var size = "1280x720"

    @Option(help: "Bit rate of the clip (x264, constant: -b:v, -maxrate and -bufsize all this).")
    var bitrate = "2M"

    @Option(help: "Frames between keyframes of the clip (at 25 fps: 25 is a keyframe a second, as many cameras send).")
    var gop = 25

    @Option(help: "Segment length the nodes (and the plain ffmpeg baseline) record, in seconds (CITYWATCH_SEGMENT_SECONDS; the product's default is 60).")
    var segmentSeconds = 4

    @Option(help: "Lease length of the nodes, in seconds (CITYWATCH_LEASE_SECONDS; a dead node's cameras move after about this long).")
    var leaseSeconds = 10

    @Option(help: ArgumentHelp(
        "How fast cameras move to a node that joins (CITYWATCH_CAMERAS_MOVED_PER_MINUTE; the product's default is 30).",
        discussion: "Default here: 120 for failover (a restarted node takes 20 at once, then 2 a second, so it is back at its share within a minute; with 6,000, a node taking 100 at once on the 2-core machine was busy starting them for longer than its lease and the cameras bounced between the nodes), 6,000 for cluster."))
    var movedPerMinute: Int?

    @Option(help: "Log level of the nodes (their logs are in the benchmark's folder).")
    var nodeLogLevel = "warning"

    @Flag(help: "Keep the benchmark's folder (node logs, recordings) instead of removing it at the end.")
    var keep = false

    func validate() throws {
        let parts = size.split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, parts.allSatisfy({ $0 >= 16 && $0 % 2 == 0 }) else {
            throw ValidationError("--size must be WxH with even sides of at least 16, e.g. 1280x720, not '\(size)'")
        }
        guard (1...3_600).contains(segmentSeconds) else { throw ValidationError("--segment-seconds must be 1–3600, not \(segmentSeconds)") }
        guard (2...600).contains(leaseSeconds) else { throw ValidationError("--lease-seconds must be 2–600, not \(leaseSeconds)") }
        guard (1...250).contains(gop) else { throw ValidationError("--gop must be 1–250 frames, not \(gop)") }
        if let movedPerMinute, movedPerMinute < 1 { throw ValidationError("--moved-per-minute must be at least 1") }
        if let cityWatch, !FileManager.default.isExecutableFile(atPath: cityWatch) {
            throw ValidationError("--citywatch \(cityWatch) is not an executable file")
        }
    }

    /// One line saying what every camera sends.
    var streamDescription: String {
        "\(size) H.264 (x264 main, no B-frames) \(bitrate)bit/s constant, 25 fps, a keyframe every \(gop) frames (\(String(format: "%.1f", Double(gop) / 25)) s), looped from a file at its own rate (-re)"
    }
}
