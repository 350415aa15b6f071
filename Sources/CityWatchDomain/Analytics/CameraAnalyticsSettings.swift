/// Everything analytics need to know about one camera: whether to analyse it, its rules, and
/// the privacy masks that are never analysed and are blacked out for roles without the right
/// to see them.
public struct CameraAnalyticsSettings: Codable, Sendable, Hashable {
    public var enabled: Bool
    public var rules: [AnalyticsRule]
    /// Areas excluded from analysis and masked in live video and exports.
    public var privacyMasks: [ImagePolygon]
    /// How the camera is analysed; settings stored before there was a choice are automatic.
    public var profile: AnalysisProfile

    public init(enabled: Bool = true, rules: [AnalyticsRule] = [], privacyMasks: [ImagePolygon] = [],
                profile: AnalysisProfile = .automatic) {
        self.enabled = enabled
        self.rules = rules
        self.privacyMasks = privacyMasks
        self.profile = profile
    }

    private enum CodingKeys: String, CodingKey { case enabled, rules, privacyMasks, profile }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        enabled = try container.decode(Bool.self, forKey: .enabled)
        rules = try container.decode([AnalyticsRule].self, forKey: .rules)
        privacyMasks = try container.decode([ImagePolygon].self, forKey: .privacyMasks)
        profile = try container.decodeIfPresent(AnalysisProfile.self, forKey: .profile) ?? .automatic
    }

    /// True when the camera runs the detector-led profile, given whether a detector is loaded.
    public func isDetectorLed(detectorLoaded: Bool) -> Bool {
        detectorLoaded && profile == .automatic && rules.contains(where: \.enabled)
    }
}

/// How a camera is analysed.
public enum AnalysisProfile: String, Codable, Sendable, Hashable, CaseIterable {
    /// Detector-led when the camera has enabled rules and a detector is loaded: tracks are built
    /// from what the person/vehicle detector finds, and rules count named objects (persons for
    /// fall, loitering and crowding; intrusion and line crossing also a large unnamed object).
    /// Motion-only otherwise.
    case automatic
    /// Motion alone, every moving object counting for every rule: for pictures the detector
    /// cannot read (test patterns, thermal cameras) and the cheapest analysis.
    case motionOnly
}
