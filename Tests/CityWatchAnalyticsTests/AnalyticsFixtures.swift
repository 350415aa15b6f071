import CityWatchAnalytics
import CityWatchDomain
import CityWatchMedia

/// Shared helpers of the analytics tests: luma from the synthetic renderer's RGB, hand-made
/// frames with noise, and the scoring of tracks against ground truth.
enum AnalyticsFixtures {
    /// BT.601 luma of RGB24 pixels (integer weights 77/150/29 of 256, rounded).
    static func luma(rgb: [UInt8], width: Int, height: Int) -> GrayImage {
        var image = GrayImage(width: width, height: height)
        for index in 0..<(width * height) {
            let r = Int(rgb[3 * index]), g = Int(rgb[3 * index + 1]), b = Int(rgb[3 * index + 2])
            image.pixels[index] = UInt8((77 * r + 150 * g + 29 * b + 128) >> 8)
        }
        return image
    }

    /// BT.601 chroma of RGB24 pixels at half resolution (each 2×2 block averaged first), as
    /// the U and V planes of yuv420p.
    static func chroma(rgb: [UInt8], width: Int, height: Int) -> ColorPlanes {
        var planes = ColorPlanes(width: (width + 1) / 2, height: (height + 1) / 2)
        for row in 0..<planes.height {
            for column in 0..<planes.width {
                var r = 0, g = 0, b = 0, n = 0
                for y in (2 * row)..<min(height, 2 * row + 2) {
                    for x in (2 * column)..<min(width, 2 * column + 2) {
                        let offset = 3 * (y * width + x)
                        r += Int(rgb[offset]); g += Int(rgb[offset + 1]); b += Int(rgb[offset + 2]); n += 1
                    }
                }
                r /= n; g /= n; b /= n
                let index = row * planes.width + column
                planes.u[index] = UInt8(clamping: ((-43 * r - 85 * g + 128 * b + 128) >> 8) + 128)
                planes.v[index] = UInt8(clamping: ((128 * r - 107 * g - 21 * b + 128) >> 8) + 128)
            }
        }
        return planes
    }

    /// A built-in scene laid out for 320×180 at `fps`.
    static func scene(_ scene: BuiltInScene, fps: Int = 10, duration: Double? = nil, seed: UInt64 = 1) throws -> SyntheticScene {
        try scene.scene(BuiltInScene.Options(width: 320, height: 180, fps: fps, duration: duration, seed: seed))
    }

    /// Every frame of `scene` as luma and chroma, with its time.
    static func frames(of scene: SyntheticScene) -> [(image: GrayImage, color: ColorPlanes, time: Double)] {
        let renderer = SyntheticRenderer(scene: scene)
        return (0..<scene.frameCount).map { index in
            let rgb = renderer.render(frame: index)
            return (luma(rgb: rgb, width: scene.width, height: scene.height),
                    chroma(rgb: rgb, width: scene.width, height: scene.height), scene.time(ofFrame: index))
        }
    }

    /// A `width` × `height` frame of `level` plus uniform noise of ±`noise` (different per
    /// `frame`), with `boxes` filled with their levels.
    static func noisyFrame(width: Int = 320, height: Int = 180, level: Int = 110, noise: Int = 6, frame: Int,
                           boxes: [(box: PixelBox, level: Int)] = []) -> GrayImage {
        var image = GrayImage(width: width, height: height)
        var random = SceneRandom(seed: 7, stream: UInt64(frame))
        for row in 0..<height {
            for column in 0..<width {
                var value = level
                for filled in boxes where filled.box.contains(column: column, row: row) { value = filled.level }
                let offset = noise > 0 ? Int(random.next() % UInt64(2 * noise + 1)) - noise : 0
                image[column, row] = UInt8(clamping: value + offset)
            }
        }
        return image
    }

    /// Intersection over union.
    static func overlap(_ a: PixelBox, _ b: PixelBox) -> Double {
        guard let common = a.intersection(b) else { return 0 }
        return Double(common.area) / Double(a.area + b.area - common.area)
    }
}

/// Tracks scored against ground truth frame by frame: a confirmed track and a true box match
/// when their IoU is at least 0.5 (greedy, best overlap first); an id switch is a true object
/// matched to a different track than the last time it was matched. True boxes smaller than
/// `ignoreBelow` pixels (slivers at the frame edge) count neither way.
struct TrackingScore: CustomStringConvertible {
    var truePositives = 0
    var falsePositives = 0
    var falseNegatives = 0
    var idSwitches = 0
    var ignoreBelow = 30
    private var lastTrackOfObject: [Int: Int] = [:]

    init(ignoreBelow: Int = 30) { self.ignoreBelow = ignoreBelow }

    var precision: Double { Double(truePositives) / Double(max(1, truePositives + falsePositives)) }
    var recall: Double { Double(truePositives) / Double(max(1, truePositives + falseNegatives)) }
    var f1: Double { 2 * precision * recall / max(1e-9, precision + recall) }
    var description: String {
        "F1 \(f1) (precision \(precision), recall \(recall); TP \(truePositives) FP \(falsePositives) FN \(falseNegatives)); id switches \(idSwitches)"
    }

    /// Scores one frame.
    mutating func add(tracks: [TrackedObject], truth: [SyntheticGroundTruth.VisibleObject]) {
        let confirmed = tracks.filter(\.isConfirmed)
        var pairs: [(iou: Double, track: Int, object: Int)] = []
        for (t, track) in confirmed.enumerated() {
            for (o, object) in truth.enumerated() {
                let iou = AnalyticsFixtures.overlap(track.box, object.box)
                if iou >= 0.5 { pairs.append((iou, t, o)) }
            }
        }
        pairs.sort { $0.iou > $1.iou }
        var trackUsed = Set<Int>(), objectUsed = Set<Int>()
        for pair in pairs where !trackUsed.contains(pair.track) && !objectUsed.contains(pair.object) {
            trackUsed.insert(pair.track)
            objectUsed.insert(pair.object)
            let object = truth[pair.object], trackID = confirmed[pair.track].id
            if object.box.area >= ignoreBelow { truePositives += 1 }
            if let last = lastTrackOfObject[object.trackId], last != trackID { idSwitches += 1 }
            lastTrackOfObject[object.trackId] = trackID
        }
        for (o, object) in truth.enumerated() where !objectUsed.contains(o) && object.box.area >= ignoreBelow {
            falseNegatives += 1
        }
        for (t, track) in confirmed.enumerated() where !trackUsed.contains(t) {
            // A track on a sliver too small to count is not a false alarm either.
            let onIgnored = truth.contains { $0.box.area < ignoreBelow && AnalyticsFixtures.overlap($0.box, track.box) > 0 }
            if !onIgnored { falsePositives += 1 }
        }
    }
}
