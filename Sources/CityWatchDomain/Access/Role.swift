/// What a person does in the control room; every route names the roles that may call it.
public enum Role: String, CaseIterable, Sendable, Codable {
    /// Registers cameras, users, groups and retention; sees every camera.
    case administrator
    /// Watches the wall, answers alarms, follows incidents.
    case `operator`
    /// A police officer at the desk or at 112 dispatch.
    case police
    /// Keeps cameras running.
    case maintenance
    /// Audits who saw or exported what; approves police requests.
    case privacyOfficer

    /// Every role.
    public static let everyone = Set(Role.allCases)

    /// Reads a role name, accepting `privacy-officer` and `privacy_officer` as well.
    public init?(name: String) {
        let compact = name.lowercased().filter { $0 != "-" && $0 != "_" && $0 != " " }
        guard let role = Role.allCases.first(where: { $0.rawValue.lowercased() == compact }) else { return nil }
        self = role
    }

    /// True when the role sees every camera without group grants.
    public var seesAllCameras: Bool { self == .administrator }

    /// True when the role may see what privacy masks hide (third parties' windows, a private
    /// yard): administrators and privacy officers. Everyone else gets masked evidence.
    public var seesBehindPrivacyMasks: Bool { self == .administrator || self == .privacyOfficer }
}
