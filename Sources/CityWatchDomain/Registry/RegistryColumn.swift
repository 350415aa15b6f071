/// A column of the national CCTV registry, recognised by its header name.
public enum RegistryColumn: String, CaseIterable, Sendable {
    case localGovernmentCode, managementNumber, agency, roadAddress, lotAddress, purpose
    case cameraCount, pixels, viewDirection, retentionDays, installYearMonth, phone
    case latitude, longitude, dataDate, updateKind, updatedAt, lastModifiedAt

    /// The header of the current (18-column) standard layout, in its order.
    public static let currentLayout: [RegistryColumn] = [
        .localGovernmentCode, .managementNumber, .agency, .roadAddress, .lotAddress, .purpose,
        .cameraCount, .pixels, .viewDirection, .retentionDays, .installYearMonth, .phone,
        .latitude, .longitude, .dataDate, .updateKind, .updatedAt, .lastModifiedAt,
    ]

    /// The header of the legacy (13-column) layout, in its order.
    public static let legacyLayout: [RegistryColumn] = [
        .agency, .roadAddress, .lotAddress, .purpose, .cameraCount, .pixels, .viewDirection,
        .retentionDays, .installYearMonth, .phone, .latitude, .longitude, .dataDate,
    ]

    /// Columns a row cannot do without.
    public static let required: [RegistryColumn] = [.purpose, .cameraCount, .latitude, .longitude]

    /// The name the current standard gives the column.
    public var standardName: String {
        switch self {
        case .localGovernmentCode: "개방자치단체코드"
        case .managementNumber: "관리번호"
        case .agency: "관리기관명"
        case .roadAddress: "소재지도로명주소"
        case .lotAddress: "소재지지번주소"
        case .purpose: "설치목적구분"
        case .cameraCount: "카메라대수"
        case .pixels: "카메라화소수"
        case .viewDirection: "촬영방면정보"
        case .retentionDays: "보관일수"
        case .installYearMonth: "설치연월"
        case .phone: "관리기관전화번호"
        case .latitude: "WGS84위도"
        case .longitude: "WGS84경도"
        case .dataDate: "데이터기준일자"
        case .updateKind: "데이터갱신구분"
        case .updatedAt: "데이터갱신시점"
        case .lastModifiedAt: "최종수정시점"
        }
    }

    /// Header names seen in the wild for this column, compared without spaces.
    var aliases: [String] {
        switch self {
        case .installYearMonth: ["설치연월", "설치년월"]
        case .latitude: ["WGS84위도", "위도"]
        case .longitude: ["WGS84경도", "경도"]
        case .purpose: ["설치목적구분", "설치목적"]
        case .updateKind: ["데이터갱신구분", "데이터갱신유형"]
        default: [standardName]
        }
    }

    /// Recognises a header cell, ignoring spaces, quotes, brackets, punctuation, a byte-order
    /// mark and the datum tag (`위도(WGS84)`, `WGS84 위도` and `위도` are all the latitude).
    public init?(header: String) {
        let key = Self.normalised(header)
        guard !key.isEmpty, let match = Self.allCases.first(where: { $0.aliases.map(Self.normalised).contains(key) }) else { return nil }
        self = match
    }

    static func normalised(_ name: String) -> String {
        let ignored: Set<Unicode.Scalar> = ["\u{FEFF}", "\"", "'", "(", ")", "[", "]", "_", "-", ".", "·", "/"]
        let compact = String(String.UnicodeScalarView(name.unicodeScalars.filter { !$0.properties.isWhitespace && !ignored.contains($0) }))
        return compact.uppercased().replacing("WGS84", with: "")
    }
}
