import CityWatchDomain
import Foundation
import Testing

/// Reading the integrated platform's event message.
@Suite("Platform message")
struct PlatformMessageTests {
    static let now = Date(timeIntervalSince1970: 1_780_000_000)

    static func parse(_ json: String) throws(PlatformMessage.Problem) -> PlatformEvent {
        try PlatformMessage.parse(Array(json.utf8), now: now)
    }

    @Test func numbersAsTextOrNumbersAndKoreanTimeAreRead() throws {
        let event = try Self.parse("""
            {"evtId": "E-1", "evtNm": "119 긴급출동지원", "evtGrad": 2, "ocrSts": "진행", "ocrLc": {"crdntX": 127.0276, "crdntY": "37.4979"},
             "ocrEvtTime": "20260528080000", "ocrPlc": " 강남역 ", "ocrNbr": ""}
            """)
        #expect(event.service == .fire && event.grade == 2 && event.priority == .high && event.status == .inProgress)
        #expect(event.place == GeoPoint(latitude: 37.4979, longitude: 127.0276))
        #expect(event.placeText == "강남역" && event.reportNumber == nil && event.content == nil)
        // 08:00 in Korea is 23:00 UTC the day before.
        #expect(ISO8601DateFormatter().string(from: event.occurredAt) == "2026-05-27T23:00:00Z")
        #expect(PlatformMessage.koreanText(event.occurredAt) == "20260528080000")
    }

    @Test func eachProblemNamesItsField() {
        let base = #"{"evtId": "E-1", "evtNm": "112", "evtGrad": "1", "ocrSts": "발생", "ocrLc": {"crdntX": "127.03", "crdntY": "37.49"}, "ocrEvtTime": "20260528080000""#
        #expect(throws: PlatformMessage.Problem.invalid("ocrLc", "(37.49, 127.03) is outside South Korea (crdntX is the longitude, crdntY the latitude: swapped?)")) {
            try Self.parse(#"{"evtId": "E-1", "evtNm": "112", "evtGrad": "1", "ocrSts": "발생", "ocrLc": {"crdntX": "37.49", "crdntY": "127.03"}, "ocrEvtTime": "20260528080000"}"#)
        }
        #expect(throws: PlatformMessage.Problem.invalid("ocrEvtTime", "'20261301000000' is not a time written yyyyMMddHHmmss")) {
            try Self.parse(base.replacing("20260528080000", with: "20261301000000") + "}")
        }
        #expect(throws: PlatformMessage.Problem.missing("ocrSts")) { try Self.parse(base.replacing(#""ocrSts": "발생", "#, with: "") + "}") }
        #expect(throws: PlatformMessage.Problem.invalid("evtGrad", "must be text or a number")) {
            try Self.parse(base.replacing(#""evtGrad": "1""#, with: #""evtGrad": [1]"#) + "}")
        }
        #expect((try? Self.parse(base + "}"))?.service == .police)
    }

    @Test func statusesAreOrderedFromOccurredToEnded() {
        #expect(PlatformEvent.Status(platformText: "발생")! < PlatformEvent.Status(platformText: "진행중")!)
        #expect(PlatformEvent.Status(platformText: "진행")! < PlatformEvent.Status(platformText: "종료")!)
        #expect(PlatformEvent.Status(platformText: "접수") == nil)
    }
}
