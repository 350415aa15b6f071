import CityWatchDomain
import Foundation
import PropertyBased
import Testing

@Suite("Registry layout and rows")
struct RegistryParsingTests {
    static let legacyHeader = ["관리기관명", "소재지도로명주소", "소재지지번주소", "설치목적구분", "카메라대수", "카메라화소수",
                               "촬영방면정보", "보관일수", "설치년월", "관리기관전화번호", "위도", "경도", "데이터기준일자"]

    static func legacyRow(lat: String = "37.507970", lon: String = "127.028573", count: String = "1", purpose: String = "생활방범") -> [String] {
        ["서울특별시 강남구청", "서울특별시 강남구 논현로115길 55 (논현동)", "서울특별시 강남구 논현동 170-12", purpose, count, "200",
         "360도전방면", "30", "2002-11", "02-3423-6963", lat, lon, "2017-11-13"]
    }

    @Test func legacyHeaderIsRecognised() throws {
        let layout = try RegistryLayout(header: Self.legacyHeader)
        #expect(layout.kind == .legacy13)
        #expect(layout.width == 13)
        #expect(layout.index[.installYearMonth] == 8)
        #expect(layout.index[.latitude] == 10)
    }

    @Test func currentHeaderIsRecognisedInAnyColumnOrder() throws {
        let header = RegistryColumn.currentLayout.map(\.standardName).reversed()
        let layout = try RegistryLayout(header: Array(header))
        #expect(layout.kind == .current18)
        #expect(layout.index[.localGovernmentCode] == 17)
    }

    @Test func headerWithoutCoordinatesIsRefusedByName() {
        let header = Self.legacyHeader.filter { $0 != "경도" }
        #expect(throws: RegistryLayout.Problem.missingColumns([.longitude], found: header)) { try RegistryLayout(header: header) }
        #expect(throws: RegistryLayout.Problem.self) { try RegistryLayout(header: ["name", "value"]) }
    }

    @Test func goodLegacyRowParses() throws {
        let parser = RegistryRowParser(layout: try RegistryLayout(header: Self.legacyHeader))
        let record = try parser.parse(Self.legacyRow(count: "4")).get()
        #expect(record.cameraCount == 4)
        #expect(record.purpose == .crimePrevention)
        #expect(record.latitude == 37.50797)
        #expect(record.installYearMonth == "2002-11")
        #expect(record.managementNumber.isEmpty)
    }

    @Test(arguments: [
        (Self.legacyRow(lat: ""), RegistryRowError.missingCoordinate(.latitude)),
        (Self.legacyRow(lon: "127.0x"), .badCoordinate(.longitude, text: "127.0x")),
        (Self.legacyRow(lat: "0", lon: "0"), .coordinateOutOfRange(latitude: 0, longitude: 0, bounds: .korea)),
        (Self.legacyRow(lat: "127.02", lon: "37.5"), .coordinateOutOfRange(latitude: 127.02, longitude: 37.5, bounds: .korea)),
        (Self.legacyRow(count: "0"), .badCameraCount(text: "0")),
        (Self.legacyRow(count: "two"), .badCameraCount(text: "two")),
        (Self.legacyRow(count: ""), .badCameraCount(text: "")),
        (Array(Self.legacyRow().dropLast()), .wrongFieldCount(found: 12, expected: 13)),
    ])
    func badRowsNameTheirProblem(row: [String], expected: RegistryRowError) throws {
        let parser = RegistryRowParser(layout: try RegistryLayout(header: Self.legacyHeader))
        #expect(throws: expected) { try parser.parse(row).get() }
    }

    @Test func swappedCoordinatesAreCalledSwapped() {
        let error = RegistryRowError.coordinateOutOfRange(latitude: 127.02, longitude: 37.5, bounds: .korea)
        #expect(error.description.contains("swapped"))
    }

    @Test func trailingEmptyFieldIsForgivenAndCountSpellingsAccepted() throws {
        let parser = RegistryRowParser(layout: try RegistryLayout(header: Self.legacyHeader))
        #expect(try parser.parse(Self.legacyRow() + [""]).get().cameraCount == 1)
        #expect(try parser.parse(Self.legacyRow(count: "3대")).get().cameraCount == 3)
        #expect(try parser.parse(Self.legacyRow(count: "5.0")).get().cameraCount == 5)
    }

    @Test func purposesMapToTheStandardOrKeepTheirText() {
        #expect(CameraPurpose(registryText: "어린이 보호") == .childProtection)
        #expect(CameraPurpose(registryText: "쓰레기단속") == .litterEnforcement)
        #expect(CameraPurpose(registryText: "다목적") == .multipurpose)
        #expect(CameraPurpose(registryText: "차량방범") == .vehicleCrimePrevention)
        #expect(CameraPurpose(registryText: "기타(방범)") == .other("기타(방범)"))
        #expect(CameraPurpose(registryText: "기타(방범)").koreanName == "기타(방범)")
        #expect(CameraPurpose(code: "disasterWatch") == .disasterWatch)
        #expect(CameraPurpose(code: "nonsense") == nil)
    }

    @Test func keyerNumbersRepeatedSitesAndFlagsRepeatedManagementNumbers() throws {
        let parser = RegistryRowParser(layout: try RegistryLayout(header: Self.legacyHeader))
        let record = try parser.parse(Self.legacyRow()).get()
        var keyer = RegistryKeyer()
        let first = keyer.key(for: record, line: 2), second = keyer.key(for: record, line: 3)
        #expect(second.key == first.key + "#2")
        #expect(first.repeatsManagementNumberOfLine == nil && second.repeatsManagementNumberOfLine == nil)
        var numbered = record
        numbered.managementNumber = "A-1"
        #expect(keyer.key(for: numbered, line: 4) == .init(key: "no||A-1", repeatsManagementNumberOfLine: nil))
        #expect(keyer.key(for: numbered, line: 9) == .init(key: "no||A-1#2", repeatsManagementNumberOfLine: 4))
    }

    @Test func headerNamesAreMatchedLeniently() {
        #expect(RegistryColumn(header: "위도(WGS84)") == .latitude)
        #expect(RegistryColumn(header: " WGS84 경도 ") == .longitude)
        #expect(RegistryColumn(header: "\u{FEFF}\"관리번호\"") == .managementNumber)
        #expect(RegistryColumn(header: "카메라 대수") == .cameraCount)
        #expect(RegistryColumn(header: "설치 년월") == .installYearMonth)
        #expect(RegistryColumn(header: "WGS84") == nil)
        #expect(RegistryColumn(header: "") == nil)
    }

    @Test func writtenRecordsReadBackUnchanged() async throws {
        let layout = try RegistryLayout(header: RegistryColumn.currentLayout.map(\.standardName))
        let parser = RegistryRowParser(layout: layout)
        let text = Gen.int(in: 0...99_999)
        let tricky = Gen.element(of: ["", "a,b", "say \"x\"", "line\nbreak", " 공백 ", "서울특별시 강남구", "기타",
                                       "=HYPERLINK(\"x\")", "-", "+82", "@SUM(A1)", "'=1", "''", "'"]).map { $0 ?? "" }
        await propertyCheck(count: 200, input: tricky, tricky, text, Gen.int(in: 1...999), Gen.double(in: 33...38.6), Gen.double(in: 124.6...131.9)) { address, direction, number, count, lat, lon in
            var record = RegistryRecord()
            record.managementNumber = "M\(number)"
            record.roadAddress = address.trimmingCharacters(in: .whitespaces)
            record.viewDirection = direction.trimmingCharacters(in: .whitespaces)
            record.purpose = CameraPurpose(registryText: direction.isEmpty ? "교통단속" : direction.trimmingCharacters(in: .whitespaces))
            record.cameraCount = count
            record.latitude = lat
            record.longitude = lon
            let line = RegistryCSVWriter.line(for: record)
            var tokenizer = CSVTokenizer()
            var fields: [String] = []
            let collect: (CSVTokenizer.Event) -> Void = { event in
                if case .record(let r) = event { fields = (0..<r.count).map { RegistryTextEncoding.utf8.decode(r.field($0)) ?? "?" } }
            }
            tokenizer.feed(Array(line.utf8), collect)
            tokenizer.finish(collect)
            #expect((try? parser.parse(fields).get()) == record)
        }
    }
}
