/// One row of the national CCTV registry after validation: a *site* (a pole or place) that
/// holds ``cameraCount`` cameras.
///
/// Every field of the national layout is kept. Free-text fields stay text, trimmed, because
/// registries write them in many ways (`2004-08`, `200408`, `2004.8`) and an export must give
/// back what was imported; coordinates and the camera count are typed because everything
/// downstream depends on them.
public struct RegistryRecord: Hashable, Sendable {
    /// 개방자치단체코드 — the local government's code (current layout only).
    public var localGovernmentCode: String = ""
    /// 관리번호 — the agency's own number for the site (current layout only).
    public var managementNumber: String = ""
    /// 관리기관명 — the agency that runs the cameras.
    public var agency: String = ""
    /// 소재지도로명주소 — road-name address.
    public var roadAddress: String = ""
    /// 소재지지번주소 — lot-number address.
    public var lotAddress: String = ""
    /// 설치목적구분 — purpose.
    public var purpose: CameraPurpose = .other("")
    /// 카메라대수 — how many cameras the site holds (1 or more).
    public var cameraCount: Int = 1
    /// 카메라화소수 — resolution as written (often in units of ten thousand pixels).
    public var pixels: String = ""
    /// 촬영방면정보 — what the cameras look at (`360도전방면`, `탄천`, …).
    public var viewDirection: String = ""
    /// 보관일수 — retention days as written.
    public var retentionDays: String = ""
    /// 설치연월 (설치년월) — installation month as written.
    public var installYearMonth: String = ""
    /// 관리기관전화번호 — the agency's phone number.
    public var phone: String = ""
    /// WGS84위도 (위도) — latitude.
    public var latitude: Double = 0
    /// WGS84경도 (경도) — longitude.
    public var longitude: Double = 0
    /// 데이터기준일자 — the date the data describes.
    public var dataDate: String = ""
    /// 데이터갱신구분 — kind of the last update (current layout only).
    public var updateKind: String = ""
    /// 데이터갱신시점 — when the data was updated (current layout only).
    public var updatedAt: String = ""
    /// 최종수정시점 — when the row was last changed (current layout only).
    public var lastModifiedAt: String = ""

    public init() {}

    /// Where the site is.
    public var location: GeoPoint { GeoPoint(latitude: latitude, longitude: longitude) }

    /// The retention period in days, when the registry gave a number.
    public var retentionDayCount: Int? { Int(retentionDays) }

    /// The identity of the site across imports, before duplicates are numbered.
    ///
    /// The current layout numbers its rows (관리번호, unique within a local government), so
    /// that number is the identity and every other field may change. The legacy layout has no
    /// number; there a site is its agency, position and purpose, and two identical rows are told
    /// apart by ``RegistryKeyer`` numbering them in file order.
    public var baseKey: String {
        if !managementNumber.isEmpty {
            return "no|\(localGovernmentCode)|\(managementNumber)"
        }
        return "at|\(agency)|\(Self.sixDecimals(latitude))|\(Self.sixDecimals(longitude))|\(purpose.koreanName)"
    }

    /// `value` rounded to six decimals (about 10 cm), written without exponent.
    static func sixDecimals(_ value: Double) -> String {
        let micro = (value * 1_000_000).rounded()
        let sign = micro < 0 ? "-" : ""
        let magnitude = Int64(abs(micro))
        let fraction = String(magnitude % 1_000_000)
        return "\(sign)\(magnitude / 1_000_000).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)"
    }
}
