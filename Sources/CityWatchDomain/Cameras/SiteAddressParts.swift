/// The parts of a registry row's addresses that tell one site from another.
///
/// Every address of a district's registry starts the same way ("서울특별시 강남구 …"), so a wall
/// tile or a list cut to its width showed the same words for every camera. What differs is the
/// road and number (`논현로115길 55`), a place named in brackets (`삼성동 159 (코엑스 주변)`),
/// the building (`(논현동, 영동빌라맨션)`), or a lot-address field that holds a place's name
/// instead of an address. ``CameraLabels`` builds labels from these.
public struct SiteAddressParts: Hashable, Sendable {
    /// Road and number without the province, city and district: `강남대로 396`; the lot
    /// address shortened the same way (`논현동 170-12`) when there is no road address.
    public var short: String
    /// A place named by the row: the bracketed end of the lot address (`인터컨티넨탈서울 주변`),
    /// or the whole lot-address field when it is a name rather than an address (`강남역 사거리`).
    public var place: String?
    /// The building named in the road address's brackets after the neighbourhood
    /// (`영동빌라맨션` in `(논현동, 영동빌라맨션)`).
    public var building: String?
    /// The lot address shortened (`삼성동 159-9`), when it is an address.
    public var lot: String?

    public init(short: String, place: String? = nil, building: String? = nil, lot: String? = nil) {
        self.short = short
        self.place = place
        self.building = building
        self.lot = lot
    }

    /// The parts of `record`'s road and lot addresses.
    public init(_ record: RegistryRecord) {
        let road = Self.trimmed(record.roadAddress)
        let lotField = Self.trimmed(record.lotAddress)
        let lotIsAddress = lotField.isEmpty || Self.startsWithRegion(lotField)
        let lotShort = lotIsAddress && !lotField.isEmpty ? Self.withoutRegions(Self.withoutBrackets(lotField)) : nil
        if !road.isEmpty {
            short = Self.withoutRegions(Self.withoutBrackets(road))
        } else {
            short = lotShort ?? lotField
        }
        if let bracketed = Self.bracketedEnd(lotField) {
            place = bracketed
        } else if !lotIsAddress, lotField != road {
            place = lotField
        } else {
            place = nil
        }
        building = Self.bracketedEnd(road).flatMap { inside in
            guard let comma = inside.firstIndex(of: ",") else { return nil }
            let name = Self.trimmed(String(inside[inside.index(after: comma)...]))
            return name.isEmpty ? nil : name
        }
        lot = lotShort.flatMap { $0.isEmpty || $0 == short ? nil : $0 }
        if short.isEmpty { short = place ?? "" }
    }

    /// Short forms of provinces and metropolitan cities that registries write instead of the
    /// full name (`서울 강남구 …`).
    static let regionShortForms: Set<String> = [
        "서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종", "경기", "강원", "충북", "충남", "전북", "전남",
        "경북", "경남", "제주",
    ]

    /// True for a province, city, county or district word (`서울특별시`, `경기도`, `성남시`,
    /// `분당구`, `양평군`): the leading words every address of a district shares.
    static func isRegion(_ word: Substring) -> Bool {
        guard !word.isEmpty, !word.contains(where: \.isNumber) else { return false }
        if regionShortForms.contains(String(word)) { return true }
        guard let last = word.last, word.count >= 2 else { return false }
        return "시도군구".contains(last)
    }

    /// True when `text` begins with a region word, as an address does.
    static func startsWithRegion(_ text: String) -> Bool {
        text.split(separator: " ").first.map(isRegion) ?? false
    }

    /// `text` without its leading region words (at most three: province, city, district);
    /// all of it when nothing would be left.
    static func withoutRegions(_ text: String) -> String {
        var words = text.split(separator: " ")[...]
        var dropped = 0
        while dropped < 3, words.count > 1, let first = words.first, isRegion(first) {
            words = words.dropFirst()
            dropped += 1
        }
        return words.joined(separator: " ")
    }

    /// `text` up to its first opening bracket.
    static func withoutBrackets(_ text: String) -> String {
        guard let open = text.firstIndex(of: "(") else { return text }
        return trimmed(String(text[..<open]))
    }

    /// What the last pair of brackets at the end of `text` holds, when it is not empty.
    static func bracketedEnd(_ text: String) -> String? {
        guard text.hasSuffix(")"), let open = text.lastIndex(of: "(") else { return nil }
        let inside = trimmed(String(text[text.index(after: open)..<text.index(before: text.endIndex)]))
        return inside.isEmpty ? nil : inside
    }

    static func trimmed(_ text: String) -> String {
        String(text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
