/// A column of the national safety-emergency-bell standard data (전국안전비상벨위치표준데이터),
/// recognised by its header name.
///
/// Where the names come from: the brief of issue 6 lists the standard's 24 columns by their
/// Korean names (안전비상벨관리번호 … 데이터기준일자); the data.go.kr file pages of published bell
/// data (e.g. dataset 15146532, Incheon) spell some of them differently (설치목적명, 연계방법명,
/// 경찰연계여부, 부가기능내용, 안전비상벨설치연도, 최종점검결과여부, plain 위도/경도), so those
/// spellings are aliases. The exact list of all 24 could not be confirmed from a stored copy of
/// the standard: the 19 columns below are the ones the registry keeps; any other header cell
/// (번호, 제공기관코드, 제공기관명, …) is reported as ignored and its values are not read.
///
/// Two columns identify a bell. 관리번호 is the standard's row key, unique in a file; 안전비상벨
/// 관리번호 is the installer's own number, which repeats across installers in real city files.
/// A bell is keyed by the first, and by the second only when a file has no 관리번호 (see
/// ``BellRecord/key``).
public enum BellColumn: String, CaseIterable, Sendable {
    case managementNumber, purpose, placeType, location, roadAddress, lotAddress
    case latitude, longitude, linkMethod, policeLinked, securityCompanyLinked, managementOfficeLinked
    case extraFeatures, installYear, lastInspectionDate, lastInspectionResult, agency, phone, dataDate
    case rowKey

    /// Columns a file cannot do without: the installer's number and the position. 관리번호 is
    /// optional (older files lack it), but 안전비상벨관리번호 is not: it is what tells a bell file
    /// from a camera registry, which has 관리번호 and WGS84 positions too.
    public static let required: [BellColumn] = [.managementNumber, .latitude, .longitude]

    /// The name the standard gives the column (also the order of ``allCases``).
    public var standardName: String {
        switch self {
        case .managementNumber: "안전비상벨관리번호"
        case .purpose: "설치목적"
        case .placeType: "설치장소유형"
        case .location: "설치위치"
        case .roadAddress: "소재지도로명주소"
        case .lotAddress: "소재지지번주소"
        case .latitude: "WGS84위도"
        case .longitude: "WGS84경도"
        case .linkMethod: "연계방식"
        case .policeLinked: "경찰연계유무"
        case .securityCompanyLinked: "경비업체연계유무"
        case .managementOfficeLinked: "관리사무소연계유무"
        case .extraFeatures: "부가기능"
        case .installYear: "설치연도"
        case .lastInspectionDate: "최종점검일자"
        case .lastInspectionResult: "최종점검결과구분"
        case .agency: "관리기관명"
        case .phone: "관리기관전화번호"
        case .dataDate: "데이터기준일자"
        case .rowKey: "관리번호"
        }
    }

    /// Header names seen in published files for this column.
    var aliases: [String] {
        switch self {
        case .managementNumber: [standardName, "비상벨관리번호"]
        case .purpose: [standardName, "설치목적명", "설치목적구분"]
        case .placeType: [standardName, "설치장소유형명", "설치장소유형구분"]
        case .roadAddress: [standardName, "소재도로명주소"]
        case .latitude: [standardName, "위도"]
        case .longitude: [standardName, "경도"]
        case .linkMethod: [standardName, "연계방법명", "연계방법"]
        case .policeLinked: [standardName, "경찰연계여부"]
        case .securityCompanyLinked: [standardName, "경비업체연계여부"]
        case .managementOfficeLinked: [standardName, "관리사무소연계여부"]
        case .extraFeatures: [standardName, "부가기능내용"]
        case .installYear: [standardName, "안전비상벨설치연도", "설치년도"]
        case .lastInspectionResult: [standardName, "최종점검결과여부", "최종점검결과"]
        default: [standardName]
        }
    }

    /// Recognises a header cell with the same leniency as the camera registry (spaces, quotes,
    /// brackets, a byte-order mark and the WGS84 tag do not matter).
    public init?(header: String) {
        let key = RegistryColumn.normalised(header)
        guard !key.isEmpty,
              let match = Self.allCases.first(where: { $0.aliases.map(RegistryColumn.normalised).contains(key) })
        else { return nil }
        self = match
    }
}
