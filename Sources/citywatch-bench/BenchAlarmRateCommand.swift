import ArgumentParser
import CityWatchApp
import CityWatchDomain
import CityWatchEvaluation
import CityWatchMedia
import Foundation

/// `citywatch-bench alarm-rate`: alarms queued per camera-hour on the demo's scripted scenes,
/// with CityWatch's folding of repeats (merging across track ids, storms) against the per-track
/// cool-down alone, in the same run; and whether every scripted intrusion still has an alarm.
struct BenchAlarmRateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alarm-rate",
        abstract: "Alarms per camera-hour on the demo's scenes: folded repeats and storms against every event an alarm.",
        discussion: """
            Makes the demo's clips (as `citywatch demo` does), decodes each once to 320×180 yuv420p at 5 fps as the recorder \
            does, and plays it in a loop through the analytics with each demo camera's rules, faster than real time. The \
            baseline is the per-track cool-down alone with every event an alarm (CityWatch before storms); the other is \
            merging across track ids within the cool-down plus storms (more than --storm-alarms alarms of one camera and \
            rule within --storm-minutes become one storm alarm). Prints alarms per camera-hour per scene and for the whole \
            demo district (weighted by its cameras), and the scripted events an alarm covers (±2 s).
            """)

    @Option(help: "Minutes of video played per scene (the 60 s clip looped); an hour by default, so the figures are per camera-hour as measured.") var minutes = 60
    @Option(help: "Alarms of one camera and rule within --storm-minutes still raised one by one.") var stormAlarms = 5
    @Option(help: "Minutes the storm threshold is counted over.") var stormMinutes = 10.0
    @Option(help: "Folder for the clips (kept, so later runs reuse them; default a temporary folder).") var clips: String?

    func validate() throws {
        guard (1...600).contains(minutes) else { throw ValidationError("--minutes must be 1–600") }
        guard stormAlarms >= 1, stormMinutes > 0 else { throw ValidationError("--storm-alarms must be 1 or more and --storm-minutes positive") }
    }

    func run() async throws {
        let tools = MediaTools()
        guard tools.available else { throw ValidationError("ffmpeg is not installed (apt-get install ffmpeg)") }
        let folder = URL(fileURLWithPath: clips ?? FileManager.default.temporaryDirectory.appendingPathComponent("citywatch-alarm-rate").path)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let storms = AlarmStormPolicy(threshold: stormAlarms, window: stormMinutes * 60)
        print("| scene | demo cameras | events/h (before → after) | alarms per camera-hour (before → after) | ratio | scripted intrusions covered (before / after) | all scripted events covered (before / after) |")
        print("|---|---|---|---|---|---|---|")
        var district = (cameras: 0, before: 0.0, after: 0.0)
        for kind in DemoDistrict.sceneKinds {
            let cameras = DemoDistrict.cameras(showing: kind)
            let (path, scene) = try await DemoDistrict.clip(kind, in: folder, tools: tools) { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
            let rules = DemoDistrict.rules(for: kind, scene: scene)
            guard !rules.isEmpty else {
                print("| \(kind.rawValue) | \(cameras) | no rules | 0 → 0 | – | – | – |")
                district.cameras += cameras
                continue
            }
            var frames: [[UInt8]] = []
            for try await frame in VideoFrameReader(ffmpeg: tools.ffmpeg).frames(of: path, width: 320, height: 180, fps: 5, format: .yuv420p) {
                frames.append(frame)
            }
            let study = AlarmRateStudy(frames: frames, width: 320, height: 180, fps: 5, rules: rules,
                                       expected: AlarmRateStudy.expectedTimes(of: rules, in: scene))
            let loops = max(1, Int((Double(minutes * 60) / study.loopSeconds).rounded()))
            let hours = Double(loops) * study.loopSeconds / 3600
            let (before, after) = study.run(loops: loops, storms: storms) { loop in
                FileHandle.standardError.write(Data("  \(kind.rawValue): loop \(loop) of \(loops)\n".utf8))
            }
            let (perHourBefore, perHourAfter) = (Double(before.alarms) / hours, Double(after.alarms) / hours)
            district.cameras += cameras
            district.before += perHourBefore * Double(cameras)
            district.after += perHourAfter * Double(cameras)
            print(String(format: "| %@ | %d | %.0f → %.0f | %.0f → %.1f | %.1f× | %d of %d / %d of %d | %d of %d / %d of %d |",
                         kind.rawValue, cameras, Double(before.events) / hours, Double(after.events) / hours, perHourBefore, perHourAfter,
                         perHourBefore / max(perHourAfter, 1e-9),
                         before.coveredIntrusions, before.expectedIntrusions, after.coveredIntrusions, after.expectedIntrusions,
                         before.covered, before.expected, after.covered, after.expected))
        }
        let (before, after) = (district.before / Double(district.cameras), district.after / Double(district.cameras))
        print(String(format: "| demo district (all %d cameras) | %d | | %.1f → %.2f | %.1f× | | |",
                     district.cameras, district.cameras, before, after, before / max(after, 1e-9)))
    }
}
