/// Everything analytics need to know about one camera: whether to analyse it, its rules, and
/// the privacy masks that are never analysed and are blacked out for roles without the right
/// to see them.
public struct CameraAnalyticsSettings: Codable, Sendable, Hashable {
    public var enabled: Bool
    public var rules: [AnalyticsRule]
    /// Areas excluded from analysis and masked in live video and exports.
    public var privacyMasks: [ImagePolygon]

    public init(enabled: Bool = true, rules: [AnalyticsRule] = [], privacyMasks: [ImagePolygon] = []) {
        self.enabled = enabled
        self.rules = rules
        self.privacyMasks = privacyMasks
    }
}
