import CityWatchDomain
import CityWatchMedia

/// One labelled clip of the evaluation set: a synthetic scene, the rules drawn on it, and so —
/// through ``ExpectedEvents`` — the events a perfect analyzer would raise on it.
///
/// The scene is rendered at the analysis resolution, so ground-truth boxes and rule events are
/// in the same pixels and no scaling is needed when they are compared.
public struct EvaluationClip: Sendable, Hashable {
    /// The scripted scene; its `name` names the clip in reports.
    public var scene: SyntheticScene
    /// The rules drawn for the scene, in picture fractions like an operator's.
    public var rules: [AnalyticsRule]

    public init(scene: SyntheticScene, rules: [AnalyticsRule]) {
        self.scene = scene
        self.rules = rules
    }

    /// The clip's name (its scene's).
    public var name: String { scene.name }

    /// The events each rule should raise, in rule order, worked out from the scene's ground
    /// truth alone (never from the rule engine).
    public func expectedEvents() -> [[EventScore.Occurrence]] {
        let truth = SyntheticGroundTruth(scene: scene)
        return rules.map { ExpectedEvents.of($0, in: truth) }
    }
}
