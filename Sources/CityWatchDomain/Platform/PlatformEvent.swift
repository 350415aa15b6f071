import Foundation

/// An event sent by the national smart-city integrated platform (스마트시티 통합플랫폼) for its
/// 112 emergency-video (112 긴급영상지원) and 119 dispatch (119 긴급출동지원) services, checked
/// and in our words. ``PlatformMessage/parse(_:)`` makes one from the platform's JSON.
public struct PlatformEvent: Sendable, Hashable, Codable {
    /// Which emergency service reported it.
    public enum Service: String, Sendable, Codable, CaseIterable {
        /// Police (112).
        case police = "112"
        /// Fire and rescue (119).
        case fire = "119"
    }

    /// Where the event stands, as the platform reports it (`ocrSts`).
    public enum Status: String, Sendable, Codable, CaseIterable, Comparable {
        /// 발생: newly reported; opens an incident.
        case occurred
        /// 진행: being handled; updates the incident.
        case inProgress
        /// 종료: finished on the platform's side; closes the incident.
        case ended

        /// The status for a platform status word, or nil. The platform writes the Korean words;
        /// the English names are accepted too.
        public init?(platformText text: String) {
            switch text.trimmingCharacters(in: .whitespaces) {
            case "발생", "occurred": self = .occurred
            case "진행", "진행중", "inProgress": self = .inProgress
            case "종료", "ended": self = .ended
            default: return nil
            }
        }

        /// The platform's word for it.
        public var koreanName: String {
            switch self {
            case .occurred: "발생"
            case .inProgress: "진행"
            case .ended: "종료"
            }
        }

        var order: Int {
            switch self {
            case .occurred: 0
            case .inProgress: 1
            case .ended: 2
            }
        }

        public static func < (lhs: Status, rhs: Status) -> Bool { lhs.order < rhs.order }
    }

    /// The platform's id for the event (`evtId`); repeats and updates carry the same one.
    public var id: String
    /// The event's name (`evtNm`), e.g. "112 긴급영상지원".
    public var name: String
    public var service: Service
    /// Urgency 1 (most urgent) to 3 (`evtGrad`).
    public var grade: Int
    /// The report's number at the 112/119 centre (`ocrNbr`).
    public var reportNumber: String?
    public var status: Status
    /// Where (`ocrLc`: `crdntX` longitude, `crdntY` latitude).
    public var place: GeoPoint
    /// The place in words (`ocrPlc`).
    public var placeText: String?
    /// What was reported (`ocrEvtCn`).
    public var content: String?
    /// When it happened (`ocrEvtTime`, read as Korean time).
    public var occurredAt: Date

    public init(id: String, name: String, service: Service, grade: Int, reportNumber: String?, status: Status, place: GeoPoint,
                placeText: String?, content: String?, occurredAt: Date) {
        self.id = id
        self.name = name
        self.service = service
        self.grade = grade
        self.reportNumber = reportNumber
        self.status = status
        self.place = place
        self.placeText = placeText
        self.content = content
        self.occurredAt = occurredAt
    }

    /// The alarm priority of a grade: 1 critical, 2 high, 3 normal.
    public var priority: Alarm.Priority {
        switch grade {
        case 1: .critical
        case 2: .high
        default: .normal
        }
    }

    /// The kind of incident a report opens: fire for 119, crime for 112.
    public var incidentKind: Incident.Kind { service == .fire ? .fire : .crime }
}
