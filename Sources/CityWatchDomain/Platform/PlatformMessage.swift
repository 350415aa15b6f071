import Foundation

/// Reads the integrated platform's event message: a JSON object with `evtId`, `evtNm`,
/// `evtGrad`, `ocrNbr`, `ocrSts`, `ocrLc {crdntX, crdntY}`, `ocrPlc`, `ocrEvtCn`, `ocrEvtTime`
/// (yyyyMMddHHmmss, Korean time) and optionally `svcTy` ("112" or "119"; without it `evtNm`
/// must name one). Numbers may come as JSON numbers or as text, as the platform's systems
/// differ. Everything is checked before anything is stored; the first problem is reported
/// naming its field.
public enum PlatformMessage {
    /// The largest message accepted.
    public static let maximumBytes = 16 * 1_024
    /// How far ahead of our clock an event's time may be (clocks differ a little).
    public static let allowedClockSkew: TimeInterval = 300

    /// Why a message was refused.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        /// The body is larger than ``PlatformMessage/maximumBytes``.
        case oversized(Int)
        /// The body is not a JSON object.
        case notJSON
        /// A required field is absent or empty.
        case missing(String)
        /// A field has a value we cannot use.
        case invalid(String, String)

        /// The field at fault, if one is.
        public var field: String? {
            switch self {
            case .oversized, .notJSON: nil
            case .missing(let field), .invalid(let field, _): field
            }
        }

        public var description: String {
            switch self {
            case .oversized(let bytes): "the message is \(bytes) bytes; at most \(PlatformMessage.maximumBytes) are accepted"
            case .notJSON: "the message is not a JSON object"
            case .missing(let field): "field '\(field)' is missing"
            case let .invalid(field, problem): "field '\(field)': \(problem)"
            }
        }
    }

    /// The event in `body`, received at `now`, or the first problem with it.
    public static func parse(_ body: [UInt8], now: Date) throws(Problem) -> PlatformEvent {
        guard body.count <= maximumBytes else { throw .oversized(body.count) }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else { throw .notJSON }
        let id = try text(object, "evtId", limit: 64)
        guard id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) }) else {
            throw .invalid("evtId", "only letters, digits and - _ . : are allowed")
        }
        let name = try text(object, "evtNm", limit: 100)
        let service = try service(object, name: name)
        let gradeText = try text(object, "evtGrad", limit: 4)
        guard let grade = Int(gradeText), Incident.grades.contains(grade) else {
            throw .invalid("evtGrad", "'\(gradeText)' is not 1 (most urgent), 2 or 3")
        }
        let statusText = try text(object, "ocrSts", limit: 20)
        guard let status = PlatformEvent.Status(platformText: statusText) else {
            throw .invalid("ocrSts", "'\(statusText)' is not 발생, 진행 or 종료")
        }
        let place = try location(object)
        let time = try text(object, "ocrEvtTime", limit: 14)
        guard let occurredAt = koreanTime(time) else {
            throw .invalid("ocrEvtTime", "'\(time)' is not a time written yyyyMMddHHmmss")
        }
        guard occurredAt.timeIntervalSince(now) <= allowedClockSkew else {
            throw .invalid("ocrEvtTime", "'\(time)' is in the future")
        }
        return PlatformEvent(id: id, name: name, service: service, grade: grade,
                             reportNumber: try optionalText(object, "ocrNbr", limit: 64), status: status, place: place,
                             placeText: try optionalText(object, "ocrPlc", limit: 300), content: try optionalText(object, "ocrEvtCn", limit: 2_000),
                             occurredAt: occurredAt)
    }

    /// A time written yyyyMMddHHmmss in Korean time (UTC+9, no daylight saving), or nil.
    public static func koreanTime(_ text: String) -> Date? {
        guard text.utf8.count == 14, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        let digits = Array(text.utf8).map { Int($0 - 0x30) }
        func number(_ range: Range<Int>) -> Int { digits[range].reduce(0) { $0 * 10 + $1 } }
        var parts = DateComponents()
        parts.year = number(0..<4)
        parts.month = number(4..<6)
        parts.day = number(6..<8)
        parts.hour = number(8..<10)
        parts.minute = number(10..<12)
        parts.second = number(12..<14)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 9 * 3_600)!
        guard parts.year! >= 2000, let date = calendar.date(from: parts) else { return nil }
        // Foundation rolls 31 February over into March; the platform never means that.
        let back = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        guard back.year == parts.year, back.month == parts.month, back.day == parts.day, back.hour == parts.hour,
              back.minute == parts.minute, back.second == parts.second else { return nil }
        return date
    }

    /// `date` written yyyyMMddHHmmss in Korean time.
    public static func koreanText(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 9 * 3_600)!
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02d%02d%02d%02d", p.year!, p.month!, p.day!, p.hour!, p.minute!, p.second!)
    }

    // MARK: Fields

    private static func service(_ object: [String: Any], name: String) throws(Problem) -> PlatformEvent.Service {
        if let given = try optionalText(object, "svcTy", limit: 3) {
            guard let service = PlatformEvent.Service(rawValue: given) else { throw .invalid("svcTy", "'\(given)' is not 112 or 119") }
            return service
        }
        let police = name.contains("112"), fire = name.contains("119")
        guard police != fire else { throw .invalid("svcTy", "give 112 or 119: the event name '\(name)' does not say which service") }
        return police ? .police : .fire
    }

    private static func location(_ object: [String: Any]) throws(Problem) -> GeoPoint {
        guard let value = object["ocrLc"], !(value is NSNull) else { throw .missing("ocrLc") }
        guard let lc = value as? [String: Any] else { throw .invalid("ocrLc", "must be an object {crdntX, crdntY}") }
        let x = try text(lc, "crdntX", field: "ocrLc.crdntX", limit: 32)
        let y = try text(lc, "crdntY", field: "ocrLc.crdntY", limit: 32)
        guard let longitude = Double(x), longitude.isFinite else { throw .invalid("ocrLc.crdntX", "'\(x)' is not a longitude") }
        guard let latitude = Double(y), latitude.isFinite else { throw .invalid("ocrLc.crdntY", "'\(y)' is not a latitude") }
        let korea = RegistryBounds.korea
        guard korea.contains(latitude: latitude, longitude: longitude) else {
            let swapped = korea.contains(latitude: longitude, longitude: latitude) ? " (crdntX is the longitude, crdntY the latitude: swapped?)" : ""
            throw .invalid("ocrLc", "(\(x), \(y)) is outside South Korea\(swapped)")
        }
        return GeoPoint(latitude: latitude, longitude: longitude)
    }

    private static func text(_ object: [String: Any], _ key: String, field: String? = nil, limit: Int) throws(Problem) -> String {
        guard let value = try optionalText(object, key, field: field, limit: limit) else { throw .missing(field ?? key) }
        return value
    }

    private static func optionalText(_ object: [String: Any], _ key: String, field: String? = nil, limit: Int) throws(Problem) -> String? {
        let name = field ?? key
        let text: String
        switch object[key] {
        case nil, is NSNull: return nil
        case let string as String: text = string.trimmingCharacters(in: .whitespacesAndNewlines)
        case let number as NSNumber: text = number.stringValue
        default: throw .invalid(name, "must be text or a number")
        }
        guard !text.isEmpty else { return nil }
        guard text.count <= limit else { throw .invalid(name, "longer than \(limit) characters") }
        return text
    }
}
