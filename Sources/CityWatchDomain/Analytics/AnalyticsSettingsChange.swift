/// Who may change which part of a camera's analytics settings. Rules (and the switch) belong to
/// those who work the alarms: administrators and operators. Privacy masks decide what operators
/// and police do not see, so only a role that may see behind them changes them: administrators
/// and privacy officers. A part left out of a request stays as it is — an operator saving rules
/// without `privacyMasks` never wipes them.
public struct AnalyticsSettingsChange: Sendable, Equatable {
    /// Why a change was refused; each names the request's field.
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        /// Masks differ from the stored ones and the role may not see behind masks.
        case masksNeedPrivacyRole(Role)
        /// Rules or the switch differ and the role does not work rules.
        case rulesNeedRuleRole(field: String, role: Role)

        public var description: String {
            switch self {
            case .masksNeedPrivacyRole(let role):
                "privacyMasks: only an administrator or a privacy officer changes privacy masks (a \(role.rawValue) may not); leave the field out to keep them"
            case .rulesNeedRuleRole(let field, let role):
                "\(field): only an administrator or an operator changes analytics rules (a \(role.rawValue) may not); leave the field out to keep them"
            }
        }
    }

    /// Roles that change rules and the analytics switch.
    public static let ruleRoles: Set<Role> = [.administrator, .operator]

    /// The settings after the change.
    public let settings: CameraAnalyticsSettings
    /// True when the masks differ from the stored ones (worth its own audit line).
    public let masksChanged: Bool

    /// Applies `enabled`, `rules` and `masks` (nil: keep) to `stored` as `role` asks, or throws
    /// the first part the role may not change. Sending a part unchanged is always allowed.
    public init(stored: CameraAnalyticsSettings, enabled: Bool?, rules: [AnalyticsRule]?, masks: [ImagePolygon]?,
                profile: AnalysisProfile? = nil, by role: Role) throws {
        var next = stored
        if let enabled { next.enabled = enabled }
        if let profile { next.profile = profile }
        if let rules { next.rules = rules }
        if let masks { next.privacyMasks = masks }
        let ruleWorker = Self.ruleRoles.contains(role)
        if next.rules != stored.rules, !ruleWorker { throw Refusal.rulesNeedRuleRole(field: "rules", role: role) }
        if next.enabled != stored.enabled, !ruleWorker { throw Refusal.rulesNeedRuleRole(field: "enabled", role: role) }
        if next.profile != stored.profile, !ruleWorker { throw Refusal.rulesNeedRuleRole(field: "profile", role: role) }
        masksChanged = next.privacyMasks != stored.privacyMasks
        if masksChanged, !role.seesBehindPrivacyMasks { throw Refusal.masksNeedPrivacyRole(role) }
        settings = next
    }
}
