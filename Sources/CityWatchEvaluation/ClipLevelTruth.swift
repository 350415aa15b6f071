/// What a clip's labels say when they give no event times, only a verdict on the whole clip:
/// the fight clips, whose folder says "fight" or "no fight" and nothing more.
///
/// A rule scored this way counts once per clip (see ``RealClipScoring``): a clip that should
/// raise the rule is a true positive when the rule fired at least once and a false negative when
/// it never did; a clip that should raise nothing is a false positive when the rule fired at all
/// and a true negative when it stayed quiet. How often or when it fired does not count.
public enum ClipLevelTruth: String, Codable, Sendable, Hashable, CaseIterable {
    /// The clip should raise the rule at least once (`"raises"` in a label file).
    case raises
    /// The clip should raise nothing (`"raisesNothing"` in a label file).
    case raisesNothing
}
