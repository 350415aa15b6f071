import CityWatchAnalytics
import CityWatchMedia

/// Luma frames of a synthetic street for the tamper tests, and the tampering done to them.
///
/// The walkers scene at 320×180, 5 fps, with a little sensor noise and some street furniture
/// that does not move (parked cars, a bus shelter, bicycles, a bin): the plain built-in
/// background alone has nothing to focus on or to recognise a view by, as no real street does.
enum TamperFrames {
    static let width = 320
    static let height = 180
    static let fps = 5
    static let seconds = 40.0

    /// The untouched frames, rendered once for every test.
    static let street = render(.walkers, noise: 3)

    /// The frames of built-in `scene` with the street furniture added (and its noise replaced
    /// by `noise` when given).
    static func render(_ builtIn: BuiltInScene, noise: Int? = nil) -> [GrayImage] {
        var scene = try! builtIn.scene(.init(width: width, height: height, fps: fps, duration: seconds))
        scene.objects = furniture + scene.objects
        if let noise { scene.effects.noise = noise }
        let renderer = SyntheticRenderer(scene: scene)
        return (0..<scene.frameCount).map { luma(renderer.render(frame: $0)) }
    }

    /// Things that stand still in the street, as scene objects with a path of one point.
    static let furniture: [SceneObject] = {
        let colors = [SceneColor(red: 170, green: 30, blue: 35), SceneColor(red: 30, green: 55, blue: 140),
                      SceneColor(red: 240, green: 240, blue: 235), SceneColor(red: 35, green: 35, blue: 40),
                      SceneColor(red: 230, green: 170, blue: 20), SceneColor(red: 60, green: 150, blue: 80)]
        let things: [(SceneObjectClass, x: Double, y: Double, w: Int, h: Int)] = [
            (.bus, 70, 42, 110, 34), (.truck, 230, 38, 80, 30), (.bus, 300, 50, 50, 26),
            (.car, 25, 72, 46, 20), (.car, 95, 76, 50, 22), (.car, 170, 72, 46, 20), (.car, 280, 78, 52, 22),
            (.bicycle, 40, 176, 30, 18), (.bicycle, 140, 178, 30, 18), (.bag, 215, 176, 14, 16), (.bag, 300, 174, 12, 20),
        ]
        return things.enumerated().map { index, thing in
            SceneObject(id: 1000 + index, objectClass: thing.0, width: thing.w, height: thing.h,
                        color: colors[index % colors.count], path: [.init(time: 0, x: thing.x, y: thing.y)])
        }
    }()

    /// BT.601 luma of an RGB24 frame.
    static func luma(_ rgb: [UInt8]) -> GrayImage {
        var pixels = [UInt8](repeating: 0, count: width * height)
        for index in pixels.indices {
            let r = Int(rgb[3 * index]), g = Int(rgb[3 * index + 1]), b = Int(rgb[3 * index + 2])
            pixels[index] = UInt8((77 * r + 150 * g + 29 * b + 128) >> 8)
        }
        return GrayImage(width: width, height: height, pixels: pixels)!
    }

    /// A uniform picture of `level` with ±1 of noise (a hand or a cloth over the lens).
    static func covered(level: UInt8, frame: Int) -> GrayImage {
        var image = GrayImage(width: width, height: height, value: level)
        for index in image.pixels.indices where (index &* 2_654_435_761 &+ frame &* 40_503) % 7 == 0 {
            image.pixels[index] = level &+ 1
        }
        return image
    }

    /// `image` through a box blur of `radius` (each pixel the mean of its (2r+1)² neighbours,
    /// the edges repeated).
    static func blurred(_ image: GrayImage, radius: Int) -> GrayImage {
        func pass(_ source: GrayImage, horizontal: Bool) -> GrayImage {
            var target = source
            let span = 2 * radius + 1
            for y in 0..<height {
                for x in 0..<width {
                    var sum = 0
                    for offset in -radius...radius {
                        let sx = horizontal ? min(width - 1, max(0, x + offset)) : x
                        let sy = horizontal ? y : min(height - 1, max(0, y + offset))
                        sum += Int(source[sx, sy])
                    }
                    target[x, y] = UInt8(sum / span)
                }
            }
            return target
        }
        return pass(pass(image, horizontal: true), horizontal: false)
    }

    /// `image` with its content moved `dx` pixels right and `dy` down, the uncovered edge repeated.
    static func shifted(_ image: GrayImage, dx: Int, dy: Int) -> GrayImage {
        var target = image
        for y in 0..<height {
            for x in 0..<width {
                target[x, y] = image[min(width - 1, max(0, x - dx)), min(height - 1, max(0, y - dy))]
            }
        }
        return target
    }

    /// `image` with a headlight's glare: `boost` added over a 70 × 40 patch whose left edge is at `x`.
    static func glare(_ image: GrayImage, x: Int, boost: Int = 110) -> GrayImage {
        var target = image
        for row in 110..<150 {
            for column in max(0, x)..<min(width, x + 70) { target[column, row] = UInt8(min(255, Int(image[column, row]) + boost)) }
        }
        return target
    }

    /// `image` with every pixel times `gain` (clipped at white).
    static func lit(_ image: GrayImage, gain: Double) -> GrayImage {
        var target = image
        for index in target.pixels.indices {
            target.pixels[index] = UInt8(min(255, (Double(image.pixels[index]) * gain).rounded()))
        }
        return target
    }

    /// Time of frame `index`.
    static func time(_ index: Int) -> Double { Double(index) / Double(fps) }

    /// Feeds the street to a detector, frame `index` replaced by `tamper(index, frame)`, and
    /// returns the changes it reports.
    static func changes(of frames: [GrayImage] = street, configuration: TamperDetector.Configuration = .init(),
                        _ tamper: (Int, GrayImage) -> GrayImage = { $1 }) -> (changes: [TamperChange], detector: TamperDetector) {
        var detector = TamperDetector(width: width, height: height, configuration: configuration)
        var changes: [TamperChange] = []
        for (index, frame) in frames.enumerated() {
            if let change = detector.process(tamper(index, frame), time: time(index)) { changes.append(change) }
        }
        return (changes, detector)
    }
}
