import CityWatchDomain
import CityWatchEvaluation
import Foundation
import Testing

/// Reading label files with boxes and clip-level truth, clip sets, and finding their clips.
@Suite("Real set loading")
struct RealSetLoadingTests {
    /// A fresh folder with `files` (relative path → contents); removed by `body`'s caller.
    static func folder(_ files: [String: String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("realset-\(UUID().uuidString)")
        for (path, contents) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: url)
        }
        return root
    }

    /// A label file of one intrusion rule over the whole picture with `events` (JSON) and `extra` fields.
    static func labels(clip: String, events: String = "[]", extra: String = "") -> String {
        """
        { "about": "test", "clip": "\(clip)", "analysisWidth": 320, "analysisHeight": 240, "analysisFPS": 5, \(extra)
          "rules": [ { "name": "zone", "kind": { "intrusion": { "zone": { "points": [
            { "x": 0, "y": 0 }, { "x": 1, "y": 0 }, { "x": 1, "y": 1 }, { "x": 0, "y": 1 } ] } } }, "events": \(events) } ] }
        """
    }

    @Test func boxesAndTimeOnlyEventsLoadSideBySide() throws {
        let root = try Self.folder(["a.labels.json": Self.labels(clip: "a.mp4", events: """
            [ { "time": 1, "box": { "x": 0.1, "y": 0.2, "width": 0.3, "height": 0.4 } }, { "time": 2 } ]
            """)])
        defer { try? FileManager.default.removeItem(at: root) }
        let labels = try RealClipLabels.load(from: root.appendingPathComponent("a.labels.json").path)
        #expect(labels.rules[0].events.map(\.box) == [ImageBox(x: 0.1, y: 0.2, width: 0.3, height: 0.4), nil])
    }

    @Test(arguments: [
        #"{ "x": 0.8, "y": 0.2, "width": 0.3, "height": 0.4 }"#, #"{ "x": 0.1, "y": -0.1, "width": 0.3, "height": 0.4 }"#,
        #"{ "x": 0.1, "y": 0.2, "width": 0, "height": 0.4 }"#,
    ])
    func aBoxOutsideThePictureOrWithoutAreaNamesTheRuleAndEvent(box: String) throws {
        let root = try Self.folder(["a.labels.json": Self.labels(clip: "a.mp4", events: """
            [ { "time": 1 }, { "time": 2, "box": \(box) } ]
            """)])
        defer { try? FileManager.default.removeItem(at: root) }
        #expect {
            try RealClipLabels.load(from: root.appendingPathComponent("a.labels.json").path)
        } throws: { error in
            guard case .badBox(let rule, let event, _)? = error as? RealClipLabels.Problem else { return false }
            return rule == "zone" && event == 1 && "\(error)".contains("label rule \"zone\", event 1: box")
        }
    }

    @Test func aClipLevelRuleWithEventTimesIsRefused() throws {
        let root = try Self.folder(["a.labels.json": Self.labels(clip: "a.mp4", events: #"[ { "time": 1 } ]"#, extra: #""clipLevel": "raises","#)])
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(throws: RealClipLabels.Problem.eventsWithClipLevelTruth(rule: "zone", events: 1)) {
            try RealClipLabels.load(from: root.appendingPathComponent("a.labels.json").path)
        }
    }

    @Test func aClipIsFoundBesideItsLabelsOrByItsDataSetSuffix() throws {
        let root = try Self.folder(["labels/a.labels.json": "", "labels/near.mp4": "", "falls/Subject 1/Fall/13.mp4": "",
                                    "other/Subject 2/Fall/13.mp4": "", "twice/x/13.mp4": ""])
        defer { try? FileManager.default.removeItem(at: root) }
        let labelFile = root.appendingPathComponent("labels/a.labels.json").path
        let locator = ClipLocator(roots: [root.path])
        #expect(try locator.locate("near.mp4", labelFile: labelFile) == root.appendingPathComponent("labels/near.mp4").standardized.path)
        #expect(try locator.locate("gmdcsa24 Subject 1/Fall/13.mp4", labelFile: labelFile).hasSuffix("/falls/Subject 1/Fall/13.mp4"))
        #expect(throws: ClipLocator.Problem.self) { try locator.locate("gmdcsa24 Fall/13.mp4", labelFile: labelFile) }
        #expect {
            try locator.locate("gmdcsa24 Subject 3/Fall/13.mp4", labelFile: labelFile)
        } throws: { "\($0)".contains(labelFile) && "\($0)".contains("Subject 3/Fall/13.mp4") }
    }

    @Test func aSetFileGivesEveryMatchingClipTheSetsRulesAndVerdict() throws {
        let set = """
            { "about": "test", "clips": "../clips/fi*.mp4", "clipLevel": "raisesNothing",
              "analysisWidth": 320, "analysisHeight": 240, "analysisFPS": 5,
              "rules": [ { "name": "zone", "kind": { "intrusion": { "zone": { "points": [
                { "x": 0, "y": 0 }, { "x": 1, "y": 0 }, { "x": 1, "y": 1 } ] } } } } ] }
            """
        let root = try Self.folder(["labels/fight.set.json": set, "clips/fi2.mp4": "", "clips/fi1.mp4": "", "clips/nofi1.mp4": ""])
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent("labels/fight.set.json").path
        let clips = try LabelledClipSet.load(from: path).expand(setFile: path)
        #expect(clips.map(\.labels.clip) == ["../clips/fi1.mp4", "../clips/fi2.mp4"])
        #expect(clips.map(\.video) == ["fi1.mp4", "fi2.mp4"].map { root.appendingPathComponent("clips/\($0)").standardized.path })
        #expect(clips.allSatisfy { $0.labels.clipLevel == .raisesNothing && $0.labels.rules.count == 1 })
    }

    @Test func aBadFileOrMissingClipIsNamedAndTheOthersStillLoad() throws {
        let root = try Self.folder([
            "labels/a-good.labels.json": Self.labels(clip: "../clips/a.mp4"), "clips/a.mp4": "",
            "labels/b-missing.labels.json": Self.labels(clip: "tag nowhere.mp4"),
            "labels/c-broken.labels.json": "{",
            "labels/d-empty.set.json": #"{ "about": "", "clips": "../clips/zz*.mp4", "clipLevel": "raises", "analysisWidth": 320, "analysisHeight": 240, "analysisFPS": 5, "rules": [] }"#,
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let set = RealSet.load(folders: [root.appendingPathComponent("labels").path, root.appendingPathComponent("absent").path])
        #expect(set.entries.map(\.labels.clip) == ["../clips/a.mp4"])
        let named = set.failures.map { URL(fileURLWithPath: $0.file).lastPathComponent }
        #expect(named == ["b-missing.labels.json", "c-broken.labels.json", "d-empty.set.json", "absent"])
        #expect(set.failures[0].reason.contains("nowhere.mp4"))
    }
}
