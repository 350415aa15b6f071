/// Why a camera was installed, as 설치목적구분 of the national CCTV registry.
///
/// The standard values get a case each; anything else (기타, free text) is kept word for word
/// in ``other(_:)`` so an export gives back what was imported.
public enum CameraPurpose: Hashable, Sendable {
    /// 생활방범 — crime prevention in streets and alleys.
    case crimePrevention
    /// 어린이보호 — child protection zones around schools and playgrounds.
    case childProtection
    /// 교통단속 — traffic and parking enforcement.
    case trafficEnforcement
    /// 재난재해 — flood, fire and disaster watch.
    case disasterWatch
    /// 시설물관리 — watching public facilities.
    case facilityManagement
    /// 교통정보수집 — traffic information gathering.
    case trafficInformation
    /// 쓰레기단속 — illegal dumping enforcement.
    case litterEnforcement
    /// 차량방범 — vehicle crime prevention (number-plate cameras).
    case vehicleCrimePrevention
    /// 다목적 — multipurpose.
    case multipurpose
    /// Any other text, kept as written (may be empty when the registry left it blank).
    case other(String)

    /// Every standard purpose, in the order the console lists them.
    public static let standard: [CameraPurpose] = [
        .crimePrevention, .childProtection, .trafficEnforcement, .disasterWatch, .facilityManagement,
        .trafficInformation, .litterEnforcement, .vehicleCrimePrevention, .multipurpose,
    ]

    /// Reads the registry's Korean text; spaces inside are ignored (`생활 방범` is 생활방범).
    public init(registryText: String) {
        let compact = String(registryText.unicodeScalars.filter { !$0.properties.isWhitespace })
        self = Self.standard.first { $0.koreanName == compact } ?? .other(registryText)
    }

    /// Reads an API code (`crimePrevention`); `other` and unknown codes give nil.
    public init?(code: String) {
        guard let match = Self.standard.first(where: { $0.code == code }) else { return nil }
        self = match
    }

    /// The stable API and database code.
    public var code: String {
        switch self {
        case .crimePrevention: "crimePrevention"
        case .childProtection: "childProtection"
        case .trafficEnforcement: "trafficEnforcement"
        case .disasterWatch: "disasterWatch"
        case .facilityManagement: "facilityManagement"
        case .trafficInformation: "trafficInformation"
        case .litterEnforcement: "litterEnforcement"
        case .vehicleCrimePrevention: "vehicleCrimePrevention"
        case .multipurpose: "multipurpose"
        case .other: "other"
        }
    }

    /// The registry's word for the purpose (the original text for ``other(_:)``).
    public var koreanName: String {
        switch self {
        case .crimePrevention: "생활방범"
        case .childProtection: "어린이보호"
        case .trafficEnforcement: "교통단속"
        case .disasterWatch: "재난재해"
        case .facilityManagement: "시설물관리"
        case .trafficInformation: "교통정보수집"
        case .litterEnforcement: "쓰레기단속"
        case .vehicleCrimePrevention: "차량방범"
        case .multipurpose: "다목적"
        case .other(let text): text
        }
    }

    /// A short English name for logs and the console.
    public var englishName: String {
        switch self {
        case .crimePrevention: "Crime prevention"
        case .childProtection: "Child protection"
        case .trafficEnforcement: "Traffic enforcement"
        case .disasterWatch: "Disaster watch"
        case .facilityManagement: "Facility management"
        case .trafficInformation: "Traffic information"
        case .litterEnforcement: "Litter enforcement"
        case .vehicleCrimePrevention: "Vehicle crime prevention"
        case .multipurpose: "Multipurpose"
        case .other: "Other"
        }
    }

    /// The marker colour on the map: distinct hues readable on a dark background.
    public var colour: String {
        switch self {
        case .crimePrevention: "#4ea1ff"
        case .childProtection: "#ffd23f"
        case .trafficEnforcement: "#ff6b6b"
        case .disasterWatch: "#3ddc97"
        case .facilityManagement: "#b084f5"
        case .trafficInformation: "#ff9f43"
        case .litterEnforcement: "#a3a380"
        case .vehicleCrimePrevention: "#f368e0"
        case .multipurpose: "#48dbfb"
        case .other: "#c8d6e5"
        }
    }
}
