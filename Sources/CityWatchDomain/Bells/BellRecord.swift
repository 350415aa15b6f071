/// One safety emergency bell after validation: every field of the standard kept as text except
/// the position, which everything downstream (linking, the map) depends on.
public struct BellRecord: Hashable, Sendable, Codable {
    /// 관리번호 — the standard's row key, unique in a file; empty when the file has none.
    public var rowKey: String = ""
    /// 안전비상벨관리번호 — the installer's own number for the bell. Installers number their bells
    /// independently, so in a city's file it repeats across bells: it identifies a bell only in
    /// files without 관리번호.
    public var managementNumber: String = ""
    /// 설치목적 — why the bell is there (방범용, 여성안심, …) as written.
    public var purpose: String = ""
    /// 설치장소유형 — the kind of place (공원, 공중화장실, 도로, …).
    public var placeType: String = ""
    /// 설치위치 — where exactly (free text, may span lines).
    public var location: String = ""
    public var roadAddress: String = ""
    public var lotAddress: String = ""
    public var latitude: Double = 0
    public var longitude: Double = 0
    /// 연계방식 — how a press reaches someone (유선, 무선, …).
    public var linkMethod: String = ""
    /// 경찰연계유무, 경비업체연계유무, 관리사무소연계유무 as written (Y/N, 유/무).
    public var policeLinked: String = ""
    public var securityCompanyLinked: String = ""
    public var managementOfficeLinked: String = ""
    /// 부가기능 — extra functions (CCTV, 스피커, …).
    public var extraFeatures: String = ""
    public var installYear: String = ""
    public var lastInspectionDate: String = ""
    public var lastInspectionResult: String = ""
    public var agency: String = ""
    public var phone: String = ""
    public var dataDate: String = ""

    public init() {}

    /// The bell's identity: what a re-import updates it by, and what a press, a press secret
    /// (`bells key`) and a drill window name it by. The row key 관리번호, or 안전비상벨관리번호 when
    /// the row has no 관리번호.
    public var key: String { rowKey.isEmpty ? managementNumber : rowKey }

    /// The bell's position.
    public var point: GeoPoint { GeoPoint(latitude: latitude, longitude: longitude) }

    /// The address people use: the road address, or the lot address when there is none.
    public var displayAddress: String { roadAddress.isEmpty ? lotAddress : roadAddress }
}
