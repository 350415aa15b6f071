import CityWatchDomain
import CityWatchEvaluation
import Foundation
import Synchronization
import Testing

/// The whole real set — ../shared/data/real/labels and the repo's data/ — run through the
/// evaluation API as `citywatch eval --real-set` runs it (the detector-led profile, as cameras with
/// rules run), with per-kind F1 floors.
@Suite("Real set")
struct RealSetTests {
    static let labelFolders = [RealClipTests.root.appendingPathComponent("../shared/data/real/labels").standardized.path,
                               RealClipTests.root.appendingPathComponent("data").path]
    static let clipRoots = [RealClipTests.root.appendingPathComponent("../shared/data").standardized.path]
    /// The person/vehicle model of the detector-led profile (`eval --detector`'s default).
    static let detectorModel = ProcessInfo.processInfo.environment["CITYWATCH_DETECTOR_MODEL"]
        ?? RealClipTests.root.appendingPathComponent("../shared/models/yolox_nano.onnx").standardized.path
    static let present = RealClipTests.ffmpegPresent && FileManager.default.fileExists(atPath: labelFolders[0])
        && FileManager.default.fileExists(atPath: clipRoots[0] + "/vtest.avi")

    /// Per-kind F1 floors of the detector-led profile: regression guards, set just below what the
    /// analytics reached when measured (2026-12-05, 5 fps, yuv420p, tolerance 2 s, falls within
    /// 3 s of the onset), to be raised as the analytics improve. Line crossing and fall meet issue
    /// 14's target (≥ 0.90) on this development set; loitering (target 0.90) and fight (target
    /// 0.80) do not yet, so these floors are not the issue's targets. (Motion only,
    /// the same day: line crossing 0.952, fall 0.600, loitering 0.273, crowding 0.605; loitering
    /// 0.500 on 2026-12-06 with boxes compared at the labelled moment.)
    static let f1Floors: [String: Double] = [
        // measured 0.967 (vtest walkway both ways, car-detection mid-line); 0.949 since the
        // detector's input keeps the region's shape (2026-12-07: one crossing, within the noise)
        "lineCrossing": 0.90,
        // measured 0.909 (GMDCSA24, 6 falls, 3 activities of daily living): 5 found, none false, 1
        // missed; 1.000 (6 / 0 / 0) since a box reaching past the picture's edge stands on it
        // (2026-12-07, late: a person lying cut by the bottom edge). The floor is the issue's
        // target since 2026-12-07 (night): one missed fall still passes (0.909), two do not.
        "fall": 0.90,
        // measured 0.524 (vtest, 15 crowds of 3 in two walkway zones, time only); 0.690 on
        // 2026-12-07 (a crowd survives a second under its count); floor raised from 0.45 to about
        // one event below that the same night.
        "crowding": 0.62,
        // Measured 0.511 (vtest, 20 stays of 5 s in two walkway zones, with boxes; 12 found, 15
        // false, 8 missed), a detection's box taken where its person was at the labelled moment
        // (0.213 when compared at the detection's own time, 2026-12-05); 0.596 on 2026-12-07
        // (floor raised from 0.45 to about one event below it the same night).
        "loitering": 0.53,
        // Measured 0.704 (data/fight.set.json and nofight.set.json: 30 fight and 30 no-fight clips
        // of about 2 s, clip level): 19 found, 5 false, 11 missed — mostly clips where the detector
        // finds no person at all. The issue's target is 0.80. 0.750 (21 / 5 / 9) since large
        // regions are looked at at the frame's scale (2026-12-07). (0.737 before 2026-12-06, when held
        // boxes still counted: most of it came from the background's warm-up, see BENCHMARKS.md.)
        // 0.755 (20 / 3 / 10) since a pair is judged only once both were persons the frame before
        // (2026-12-07): false alarms on the no-fight clips 5 → 3 of 30, the issue's "1 in 10",
        // asserted below. Floor raised from 0.65 to about one clip below 0.755 (2026-12-07, night).
        "fight": 0.72,
    ]

    @Test(.enabled(if: present, "needs ffmpeg, ../shared/data/real and ../shared/data/vtest.avi"),
          .enabled(if: FileManager.default.isReadableFile(atPath: detectorModel), "needs ../shared/models/yolox_nano.onnx"))
    func everyLabelledClipRunsAndEachKindStaysAboveItsFloor() async throws {
        let set = RealSet.load(folders: Self.labelFolders, clipRoots: Self.clipRoots)
        #expect(set.failures.isEmpty, "\(set.failures)")
        let labelFiles = try Self.labelFolders.flatMap { folder in
            try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(RealSet.labelFileSuffix) }
        }
        // Every label file is one clip; the clip sets (fight, no fight) add one entry per clip.
        let timed = set.entries.filter { entry in entry.labels.rules.allSatisfy { entry.labels.clipLevel(of: $0) == nil } }
        #expect(timed.count == labelFiles.count)
        #expect(set.entries.count - timed.count == 60, "30 fight and 30 no-fight clips")

        let result = await RealSetRunner(evaluator: RealClipEvaluator(detectorModel: Self.detectorModel), clipsAtOnce: 2).run(set)
        print(result.report.eventList + "\n\n" + result.table)
        #expect(result.failures.isEmpty, "\(result.failures)")
        #expect(result.report.clips.count == set.entries.count)
        #expect(result.report.clips.allSatisfy { $0.frames > 0 })

        for row in result.report.kinds {
            let outcomes = result.report.clips.flatMap(\.rules).filter { $0.kind == row.kind }
            let entries = set.entries.filter { entry in entry.labels.rules.contains { $0.kind.name == row.kind } }
            // A clip-level rule that should raise counts one expected event, a timed rule its events.
            let expected = entries.reduce(0) { sum, entry in
                sum + entry.labels.rules.filter { $0.kind.name == row.kind }.reduce(0) { count, rule in
                    count + (entry.labels.clipLevel(of: rule) == .raises ? 1 : rule.events.count)
                }
            }
            #expect(row.clips == entries.count, "\(row.kind)")
            #expect(row.expectedEvents == expected, "\(row.kind)")
            let clipLevel = entries.allSatisfy { entry in entry.labels.rules.allSatisfy { entry.labels.clipLevel(of: $0) != nil } }
            if clipLevel {
                // One verdict per clip, however often the rule fired in it.
                #expect(row.score.truePositives + row.score.falsePositives + row.score.falseNegatives + row.trueNegatives == entries.count, "\(row.kind)")
            } else {
                #expect(row.score.truePositives + row.score.falsePositives == outcomes.reduce(0) { $0 + $1.detected.count }, "\(row.kind)")
                #expect(row.timesToDetect.count == row.score.truePositives, "\(row.kind)")
                #expect(row.timesToDetect.allSatisfy { $0 >= -2 && $0 <= 2 || row.kind == "fall" && $0 <= RealClipScoring.fallDeadline })
            }
            let floor = try #require(Self.f1Floors[row.kind], "no F1 floor for \(row.kind): measure it and add one")
            #expect(row.score.f1 >= floor, "\(row.kind) F1 \(row.score.f1) fell below its floor \(floor)")
        }
        #expect(Set(result.report.kinds.map(\.kind)) == Set(Self.f1Floors.keys))
        // Issue 14: false alarms on the no-fight clips at most 1 in 10 (the clips that should
        // raise nothing are those rightly quiet plus those that fired).
        let fights = try #require(result.report.kinds.first { $0.kind == "fight" })
        let quietClips = fights.trueNegatives + fights.score.falsePositives
        #expect(quietClips == 30 && fights.score.falsePositives * 10 <= quietClips,
                "fight false alarms \(fights.score.falsePositives) of \(quietClips) no-fight clips")
        // …and on the activities of daily living (the fall clips where nobody falls).
        let daily = result.report.clips.flatMap(\.rules).filter { $0.kind == "fall" && $0.expected.isEmpty }
        let dailyAlarms = daily.reduce(0) { $0 + $1.detected.count }
        #expect(daily.count == 3 && dailyAlarms * 10 <= daily.count, "fall alarms \(dailyAlarms) on \(daily.count) daily-activity clips")
    }

    /// The clip-level machinery on real footage, with intrusion over the whole picture (any person
    /// raises it, so what is checked is the counting, not a rule): figures are not asserted, only
    /// the counting and the progress told as each clip finishes.
    @Test(.enabled(if: present, "needs ffmpeg and ../shared/data/real/fight"))
    func aClipSetOfFightClipsCountsOncePerClip() async throws {
        let fights = RealClipTests.root.appendingPathComponent("../shared/data/real/fight").standardized.path
        let setFile = """
            { "about": "test", "clips": "\(fights)/fight/fi00*.mp4", "clipLevel": "raises",
              "analysisWidth": 320, "analysisHeight": 240, "analysisFPS": 5,
              "rules": [ { "name": "anywhere", "kind": { "intrusion": { "zone": { "points": [
                { "x": 0, "y": 0 }, { "x": 1, "y": 0 }, { "x": 1, "y": 1 }, { "x": 0, "y": 1 } ] } } } } ] }
            """
        let quiet = setFile.replacingOccurrences(of: "/fight/fi00*", with: "/noFight/nofi00*")
            .replacingOccurrences(of: "\"raises\"", with: "\"raisesNothing\"")
        let folder = try RealSetLoadingTests.folder(["fight.set.json": setFile, "nofight.set.json": quiet])
        defer { try? FileManager.default.removeItem(at: folder) }
        let told = Mutex<[RealSetRunner.Progress]>([])
        let result = await RealSetRunner().run(RealSet.load(folders: [folder.path])) { progress in told.withLock { $0.append(progress) } }
        #expect(result.failures.isEmpty, "\(result.failures)")
        let progress = told.withLock { $0 }
        #expect(progress.map(\.finished) == [1, 2, 3, 4] && progress.allSatisfy { $0.total == 4 && !$0.failed }, "\(progress)")
        #expect(Set(progress.map(\.video)) == Set(result.report.clips.map(\.clip)), "each clip told once")
        #expect(result.report.clips.map(\.clip) == ["fi003.mp4", "fi008.mp4", "nofi003.mp4", "nofi008.mp4"].map { name in
            "\(fights)/\(name.hasPrefix("no") ? "noFight" : "fight")/\(name)"
        })
        let row = try #require(result.report.kinds.first)
        #expect(row.kind == "intrusion" && row.clips == 4 && row.expectedEvents == 2)
        #expect(row.score.truePositives + row.score.falseNegatives == 2)
        #expect(row.score.falsePositives + row.trueNegatives == 2)
        print(result.table)
    }

    /// A clip ffmpeg cannot decode is told as failed when it finishes, named in the report, and
    /// the other clip is still scored.
    @Test(.enabled(if: present, "needs ffmpeg and ../shared/data/real/fight"))
    func aClipThatCannotBeDecodedIsToldAndTheOthersStillRun() async throws {
        let fights = RealClipTests.root.appendingPathComponent("../shared/data/real/fight").standardized.path
        let folder = try RealSetLoadingTests.folder([
            "broken.mp4": "not a video at all",
            "broken.labels.json": RealSetLoadingTests.labels(clip: "broken.mp4"),
            "good.labels.json": RealSetLoadingTests.labels(clip: "\(fights)/fight/fi003.mp4"),
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let told = Mutex<[RealSetRunner.Progress]>([])
        let result = await RealSetRunner().run(RealSet.load(folders: [folder.path])) { progress in told.withLock { $0.append(progress) } }
        let progress = told.withLock { $0 }
        #expect(progress.count == 2 && progress.map(\.finished).sorted() == [1, 2], "\(progress)")
        #expect(progress.filter(\.failed).map { ($0.video as NSString).lastPathComponent } == ["broken.mp4"], "\(progress)")
        #expect(result.failures.count == 1 && result.failures.first?.file.hasSuffix("broken.labels.json") == true, "\(result.failures)")
        #expect(result.report.clips.map { ($0.clip as NSString).lastPathComponent } == ["fi003.mp4"])
    }
}
