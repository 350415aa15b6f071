import CityWatchDomain
import CityWatchMedia
import Testing

@Suite("Synthetic camera rendering")
struct SyntheticRenderingTests {
    @Test func renderingIsDeterministicForASeedAndDiffersAcrossSeeds() throws {
        var scene = try BuiltInScene.night.scene(.init(width: 160, height: 90, duration: 12, seed: 42))
        scene.effects.shake = 2
        let renderer = SyntheticRenderer(scene: scene)
        let late = renderer.render(frame: 100), early = renderer.render(frame: 3)
        #expect(renderer.render(frame: 3) == early, "rendering frame 100 first must not change frame 3")
        #expect(SyntheticRenderer(scene: scene).render(frame: 100) == late)
        #expect(renderer.render(frame: 4) != early, "noise is drawn anew every frame")
        scene.seed = 43
        #expect(SyntheticRenderer(scene: scene).render(frame: 3) != early)
    }

    @Test(arguments: [
        (SceneObjectClass.person, 24, 64), (.person, 64, 22), (.car, 90, 36), (.bus, 120, 48), (.truck, 110, 46),
        (.bicycle, 40, 26), (.motorcycle, 44, 28), (.bag, 14, 12),
    ])
    func groundTruthBoxIsTheTightBoxOfTheDrawnPixels(objectClass: SceneObjectClass, width: Int, height: Int) throws {
        let scene = SyntheticFixtures.crossing(objectClass, size: (width, height))
        try scene.validate()
        let truth = SyntheticGroundTruth(scene: scene)
        let renderer = SyntheticRenderer(scene: scene)
        for frame in truth.frames {
            let pixels = renderer.render(frame: frame.index)
            let painted = SyntheticFixtures.paintedBox(pixels, width: scene.width, height: scene.height)
            #expect(painted == frame.objects.first?.box, "frame \(frame.index)")
            guard let box = frame.objects.first?.box else { continue }
            var filled = 0
            for row in box.y..<box.maxY {
                for column in box.x..<box.maxX where SyntheticFixtures.isPainted(pixels, column, row, scene.width) { filled += 1 }
            }
            #expect(Double(filled) >= 0.6 * Double(box.area), "frame \(frame.index): \(filled) of \(box.area) pixels drawn")
        }
    }

    @Test func everyDrawnPixelOfABusySceneLiesInAGroundTruthBox() throws {
        var scene = try BuiltInScene.walkers.scene(.init(width: 320, height: 180, duration: 12, seed: 5))
        scene.objects += try BuiltInScene.traffic.scene(.init(width: 320, height: 180, duration: 12, seed: 5)).objects
            .map { var car = $0; car.id += 1000; return car }
        scene.background = .plain(color: SyntheticFixtures.background)
        scene.effects = SceneEffects(shake: 3)
        let truth = SyntheticGroundTruth(scene: scene)
        let renderer = SyntheticRenderer(scene: scene)
        #expect(truth.frames.map(\.objects.count).max() ?? 0 >= 4)
        for frame in truth.frames where frame.index % 3 == 0 {
            let pixels = renderer.render(frame: frame.index)
            var stray = 0
            for row in 0..<scene.height {
                for column in 0..<scene.width where SyntheticFixtures.isPainted(pixels, column, row, scene.width)
                    && !frame.objects.contains(where: { $0.box.contains(column: column, row: row) }) { stray += 1 }
            }
            #expect(stray == 0, "frame \(frame.index): \(stray) drawn pixels outside every box")
        }
    }

    @Test func aFallMakesTheBoxWideAndLowAtTheScriptedTime() throws {
        let person = SceneObject(id: 1, objectClass: .person, width: 24, height: 70, color: SceneColor(red: 40, green: 70, blue: 200),
                                 path: [.init(time: 0, x: 60, y: 150), .init(time: 2, x: 160, y: 150)],
                                 postures: [.fall(at: 2.5, width: 24, height: 70)])
        let scene = SyntheticScene(name: "fall", width: 320, height: 180, duration: 4,
                                   background: .plain(color: SyntheticFixtures.background), objects: [person])
        try scene.validate()
        let truth = SyntheticGroundTruth(scene: scene)
        #expect(truth.events == [.init(type: .fall, frame: 25, time: 2.5, trackId: 1)])
        let standing = try #require(truth.box(ofTrack: 1, inFrame: 24)), lying = try #require(truth.box(ofTrack: 1, inFrame: 25))
        #expect(standing.height > 2 * standing.width)
        #expect(lying.width > 2 * lying.height)
        #expect(standing.maxY == lying.maxY, "the person falls where they stood")
        let renderer = SyntheticRenderer(scene: scene)
        #expect(SyntheticFixtures.paintedBox(renderer.render(frame: 24), width: 320, height: 180) == standing)
        #expect(SyntheticFixtures.paintedBox(renderer.render(frame: 25), width: 320, height: 180) == lying)
    }

    @Test func lightingRampDarkensTheWholeFrame() throws {
        let scene = try BuiltInScene.night.scene(.init(width: 64, height: 36, duration: 20))
        let renderer = SyntheticRenderer(scene: scene)
        func mean(_ frame: Int) -> Double {
            let pixels = renderer.render(frame: frame)
            return Double(pixels.reduce(0) { $0 + Int($1) }) / Double(pixels.count)
        }
        let before = mean(0), after = mean(scene.frameCount - 1)
        let lighting = try #require(scene.effects.lighting)
        #expect(abs(after / before - lighting.to) < 0.08, "mean level \(before) → \(after)")
    }

    @Test(arguments: BuiltInScene.allCases)
    func builtInScenesAreValidBusyAndFollowTheRequestedSize(scene name: BuiltInScene) throws {
        let options = BuiltInScene.Options(width: 480, height: 270, fps: 12, seed: 9, backgroundVideo: "clip.avi")
        let scene = try name.scene(options)
        #expect(scene.width == 480 && scene.height == 270 && scene.fps == 12 && scene.duration == name.defaultDuration)
        #expect(scene.duration >= 20 && scene.duration <= 30)
        let truth = SyntheticGroundTruth(scene: scene)
        let busy = truth.frames.filter { !$0.objects.isEmpty }.count
        #expect(Double(busy) > 0.75 * Double(truth.frames.count), "\(busy) of \(truth.frames.count) frames show an object")
        #expect(try name.scene(options) == scene, "the same options give the same scene")
        #expect(try name.scene(.init(seed: 10, backgroundVideo: "clip.avi")) != name.scene(.init(seed: 9, backgroundVideo: "clip.avi")))
    }

    @Test func campusWithoutABackgroundClipIsAClearError() {
        #expect(throws: SyntheticSceneError.backgroundVideoMissing(path: "vtest.avi")) { try BuiltInScene.campus.scene() }
        #expect(throws: SyntheticSceneError.unknownScene("mall")) { try BuiltInScene.named("mall") }
    }
}
