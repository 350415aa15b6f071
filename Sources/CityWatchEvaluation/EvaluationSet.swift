import CityWatchDomain
import CityWatchMedia
import Foundation

/// The labelled synthetic clips `citywatch eval` scores the rules on: for each rule kind one
/// scripted scene, each in three variants (clean; sensor noise with the light dropping by almost
/// half; camera shake with light noise). Rendered at 320×180 and 5 fps, the analysis frame and
/// rate of production. Deterministic: the same build always gives the same pixels.
///
/// Each scene is written so that what a rule should find is plain from the script (who walks
/// where, who stops, who falls, who leaves a bag); ``ExpectedEvents`` derives the exact times
/// from the ground truth. Actors keep apart on the picture unless a scene is about them meeting,
/// so the scores measure the rules, the tracker and the motion detector, not occlusion.
public enum EvaluationSet {
    /// Analysis frame of the set.
    public static let width = 320
    public static let height = 180
    /// Analysis rate of the set.
    public static let fps = 5

    /// The picture conditions a scene is rendered in.
    public enum Variant: String, CaseIterable, Sendable {
        /// A steady camera and a clean picture.
        case clean
        /// Sensor noise of ±8 levels, and the light falling to 55 % over four seconds mid-clip.
        case noisy
        /// The camera shaking by a pixel each way every frame, with ±4 levels of noise.
        case shaky

        /// The effects of this variant on a clip of `duration` seconds.
        func effects(duration: Double) -> SceneEffects {
            switch self {
            case .clean: SceneEffects()
            case .noisy: SceneEffects(noise: 8, lighting: .init(start: duration * 0.45, end: duration * 0.45 + 4, to: 0.55))
            case .shaky: SceneEffects(noise: 4, shake: 1)
            }
        }

        /// Seed of the variant's noise and shake.
        var seed: UInt64 {
            switch self {
            case .clean: 1
            case .noisy: 2
            case .shaky: 3
            }
        }
    }

    /// The rule kinds covered, in report order, each the base name of its scenes.
    public static let kinds = ["intrusion", "loitering", "lineCrossing", "crowding", "objectLeft", "abandonedObject", "fall"]

    /// Every clip: each kind in each variant, named `KIND-VARIANT` (`fall-shaky`).
    public static func clips() -> [EvaluationClip] {
        kinds.flatMap { kind in Variant.allCases.compactMap { clip(kind: kind, variant: $0) } }
    }

    /// The clips whose name is `name` or starts with `name-` (`fall` gives all three fall clips).
    public static func clips(named name: String) -> [EvaluationClip] {
        clips().filter { $0.name == name || $0.name.hasPrefix(name + "-") }
    }

    /// The clip of `kind` (one of ``kinds``) in `variant`, or nil for an unknown kind.
    public static func clip(kind: String, variant: Variant) -> EvaluationClip? {
        let made: (duration: Double, cast: EvaluationCast, rule: AnalyticsRule.Kind)
        switch kind {
        case "intrusion": made = intrusion()
        case "loitering": made = loitering()
        case "lineCrossing": made = lineCrossing()
        case "crowding": made = crowding()
        case "objectLeft": made = leftBags { .objectLeft(zone: $0, seconds: $1) }
        case "abandonedObject": made = leftBags { .abandonedObject(zone: $0, seconds: $1) }
        case "fall": made = fall()
        default: return nil
        }
        let scene = SyntheticScene(name: "\(kind)-\(variant.rawValue)", width: width, height: height, fps: fps,
                                   duration: made.duration, seed: variant.seed, background: .plain(gray: 118),
                                   objects: made.cast.objects, effects: variant.effects(duration: made.duration))
        let index = kinds.firstIndex(of: kind) ?? 0
        let id = UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", index + 1)) ?? UUID()
        // No cool-down: the evaluation scores every event a rule raises, not how alarms are paged.
        let rule = AnalyticsRule(id: id, name: "\(kind) (evaluation)", kind: made.rule, coolDownSeconds: 0)
        return EvaluationClip(scene: scene, rules: [rule])
    }

    /// A zone covering the rectangle between two corners given in picture fractions.
    static func zone(_ left: Double, _ top: Double, _ right: Double, _ bottom: Double) -> ImagePolygon {
        ImagePolygon(points: [ImagePoint(x: left, y: top), ImagePoint(x: right, y: top),
                              ImagePoint(x: right, y: bottom), ImagePoint(x: left, y: bottom)])
    }
}
