import CityWatchDomain
import CityWatchMedia
import Foundation
import Testing

@Suite("Synthetic camera ground truth")
struct SyntheticGroundTruthTests {
    @Test func intruderEntersAndLeavesTheZoneAndThePasserByNeverDoes() throws {
        let scene = try BuiltInScene.intrusion.scene()
        let truth = SyntheticGroundTruth(scene: scene)
        let zone = try #require(scene.zones.first)
        #expect(truth.events.map(\.type) == [.enterZone, .exitZone])
        #expect(truth.events.allSatisfy { $0.trackId == 1 && $0.zone == zone.name })
        let (entry, exit) = (truth.events[0].frame, truth.events[1].frame)
        #expect(exit - entry >= 4 * scene.fps, "the intruder lingers: in for \(exit - entry) frames")
        let intruder = try #require(scene.objects.first { $0.id == 1 })
        for index in [entry - 1, entry, exit - 1, exit] {
            let point = intruder.groundPoint(at: scene.time(ofFrame: index))
            let inside = zone.area.contains(column: Int(point.x.rounded(.down)), row: Int(point.y.rounded(.down)))
            #expect(inside == (index >= entry && index < exit), "frame \(index)")
        }
    }

    @Test func boxesAreClippedToTheFrameAndOffscreenObjectsAreNotListed() throws {
        let scene = SyntheticFixtures.crossing(.car, size: (100, 40), shake: 0)
        let truth = SyntheticGroundTruth(scene: scene)
        #expect(truth.frames.first?.objects.first?.box == PixelBox(x: 0, y: 110, width: 50, height: 40))
        let gone = SyntheticScene(name: "gone", duration: 1, objects: [
            SceneObject(id: 1, objectClass: .bag, width: 10, height: 10, color: SceneColor(gray: 0), path: [.init(time: 0, x: -50, y: 100)]),
            SceneObject(id: 2, objectClass: .bag, width: 10, height: 10, color: SceneColor(gray: 0), path: [.init(time: 0, x: 50, y: 100)],
                        appear: 0.5, disappear: 0.8),
        ])
        let visible = SyntheticGroundTruth(scene: gone).frames.map { $0.objects.map(\.trackId) }
        #expect(visible == [[], [], [], [], [], [2], [2], [2], [], []])
    }

    @Test func scriptedEventsLandOnTheFirstFrameAtOrAfterTheirTime() throws {
        var scene = SyntheticFixtures.crossing(.bag, size: (12, 10))
        scene.events = [SceneEvent(type: .leftObject, time: 1.23, trackId: 7), SceneEvent(type: "abandoned", time: 0, trackId: 7)]
        let truth = SyntheticGroundTruth(scene: scene)
        #expect(truth.events == [.init(type: "abandoned", frame: 0, time: 0, trackId: 7), .init(type: .leftObject, frame: 13, time: 1.3, trackId: 7)])
        scene.events.append(SceneEvent(type: .fall, time: 1, trackId: 99))
        #expect(throws: SyntheticSceneError.unknownTrack(99)) { try scene.validate() }
    }

    @Test func truthFileEmbedsTheSceneSoTheClipCanBeMadeAgain() throws {
        let scene = try BuiltInScene.night.scene(.init(width: 320, height: 180, duration: 5, seed: 77))
        let truth = SyntheticGroundTruth(scene: scene, clip: "night.mp4")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("citywatch-truth-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("night.truth.json")
        try truth.jsonData().write(to: file)
        #expect(try SyntheticGroundTruth.load(from: file) == truth)
        #expect(try SyntheticScene.load(from: file) == scene)
        let json = try #require(String(data: truth.jsonData(), encoding: .utf8))
        #expect(json.contains("\"class\" : \"person\"") && json.contains("\"trackId\""))
    }

    @Test func aMinimalSceneFileTakesTheDefaults() throws {
        let json = """
            {"name": "one", "duration": 3, "objects": [{"id": 1, "class": "bicycle", "width": 40, "height": 26,
              "color": {"red": 10, "green": 200, "blue": 10}, "path": [{"time": 0, "x": 0, "y": 300}, {"time": 3, "x": 640, "y": 300}]}]}
            """
        let scene = try JSONDecoder().decode(SyntheticScene.self, from: Data(json.utf8))
        try scene.validate()
        #expect(scene.width == 640 && scene.height == 360 && scene.fps == 10 && scene.frameCount == 30)
        #expect(scene.effects == SceneEffects() && scene.objects[0].postures.isEmpty && scene.background == .plain(gray: 110))
        let bad = json.replacingOccurrences(of: "\"bicycle\"", with: "\"unicorn\"")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(SyntheticScene.self, from: Data(bad.utf8)) }
    }

    @Test(arguments: [
        (SyntheticScene(name: "odd", width: 641, height: 360, duration: 1), SyntheticSceneError.badFrameSize(width: 641, height: 360)),
        (SyntheticScene(name: "slow", fps: 0, duration: 1), .badFrameRate(0)),
        (SyntheticScene(name: "empty", duration: 0), .badDuration(0)),
        (SyntheticScene(name: "twins", duration: 1, objects: [
            SceneObject(id: 1, objectClass: .bag, width: 4, height: 4, color: SceneColor(gray: 0), path: [.init(time: 0, x: 0, y: 0)]),
            SceneObject(id: 1, objectClass: .bag, width: 4, height: 4, color: SceneColor(gray: 0), path: [.init(time: 0, x: 0, y: 0)]),
        ]), .duplicateObjectID(1)),
        (SyntheticScene(name: "still", duration: 1, objects: [
            SceneObject(id: 3, objectClass: .car, width: 40, height: 20, color: SceneColor(gray: 0), path: []),
        ]), .emptyPath(objectID: 3)),
        (SyntheticScene(name: "backwards", duration: 1, objects: [
            SceneObject(id: 4, objectClass: .car, width: 40, height: 20, color: SceneColor(gray: 0),
                        path: [.init(time: 1, x: 0, y: 0), .init(time: 0, x: 9, y: 0)]),
        ]), .unsortedTimes(objectID: 4)),
    ])
    func invalidScenesAreRejectedWithTheProblemNamed(scene: SyntheticScene, problem: SyntheticSceneError) {
        #expect(throws: problem) { try scene.validate() }
    }
}
