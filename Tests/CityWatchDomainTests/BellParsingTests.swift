import CityWatchDomain
import Testing

@Suite("Emergency bell layout and rows")
struct BellParsingTests {
    static let header = BellColumn.allCases.map(\.standardName)

    static func row(number: String = "B-0001", rowKey: String = "", latitude: String = "37.500000", longitude: String = "127.030000") -> [String] {
        [number, "방범용", "공원", "놀이터 옆 가로등", "서울특별시 강남구 테헤란로 1", "서울특별시 강남구 역삼동 1-1",
         latitude, longitude, "유선", "Y", "N", "N", "CCTV연동", "2019", "20240301", "정상", "서울특별시 강남구청",
         "02-3423-0000", "20240630", rowKey]
    }

    @Test func standardHeaderMapsEveryColumnAndRowKeepsEveryField() throws {
        let parser = BellRowParser(layout: try BellLayout(header: Self.header))
        let bell = try parser.parse(Self.row()).get()
        #expect(bell.managementNumber == "B-0001")
        #expect(bell.placeType == "공원" && bell.location == "놀이터 옆 가로등")
        #expect(bell.latitude == 37.5 && bell.longitude == 127.03)
        #expect(bell.policeLinked == "Y" && bell.securityCompanyLinked == "N")
        #expect(bell.lastInspectionResult == "정상" && bell.dataDate == "20240630")
    }

    @Test func columnsInAnyOrderWithPublishedSpellingsAndExtrasAreRead() throws {
        // Reversed, with Incheon's spellings and two columns the registry does not keep.
        let header = ["제공기관코드", "경도", "위도", "경찰연계여부", "안전비상벨 관리번호", "설치목적명", "번호"]
        let layout = try BellLayout(header: header)
        #expect(layout.unknownColumns == ["제공기관코드", "번호"])
        let bell = try BellRowParser(layout: layout).parse(["3220000", "126.7", "37.45", "Y", "IC-7", "여성안심", "1"]).get()
        #expect(bell.managementNumber == "IC-7" && bell.purpose == "여성안심" && bell.policeLinked == "Y")
        #expect(bell.latitude == 37.45 && bell.longitude == 126.7)
    }

    @Test func headerWithoutManagementNumberOrPositionNamesWhatIsMissing() {
        #expect(throws: BellLayout.Problem.missingColumns([.managementNumber, .longitude], found: ["설치위치", "위도"])) {
            try BellLayout(header: ["설치위치", "위도"])
        }
        do {
            _ = try BellLayout(header: ["설치위치", "위도"])
        } catch {
            #expect(error.description.contains("안전비상벨관리번호") && error.description.contains("WGS84경도"))
        }
        #expect(throws: BellLayout.Problem.self) { try BellLayout(header: ["name", "value"]) }
    }

    @Test(arguments: [
        (BellParsingTests.row(latitude: ""), "WGS84위도 (latitude) is empty"),
        (BellParsingTests.row(longitude: "127.0.3"), "'127.0.3' is not a number"),
        (BellParsingTests.row(latitude: "127.03", longitude: "37.5"), "look swapped"),
        (BellParsingTests.row(latitude: "0", longitude: "0"), "placeholder"),
        (BellParsingTests.row(latitude: "35.68", longitude: "139.76"), "outside South Korea"),
        (BellParsingTests.row(number: ""), "management number) is empty"),
        (BellParsingTests.row(number: "", rowKey: ""), "is empty and so is 관리번호"),
        (Array(BellParsingTests.row().prefix(19)), "has 19 fields, the header has 20"),
    ])
    func badRowSaysWhy(row: [String], reason: String) throws {
        let parser = BellRowParser(layout: try BellLayout(header: Self.header))
        guard case .failure(let error) = parser.parse(row) else {
            Issue.record("row was accepted: \(row)")
            return
        }
        #expect(error.description.contains(reason), "\(error)")
    }

    @Test func trailingEmptyFieldIsForgiven() throws {
        let parser = BellRowParser(layout: try BellLayout(header: Self.header))
        #expect((try? parser.parse(Self.row() + [""]).get()) != nil)
    }
}
