import CityWatchDomain
import Foundation
import Testing

@Suite("Registry text encoding")
struct EncodingTests {
    static let cp949 = String.Encoding(rawValue: 0x8000_0422)

    @Test func bomMeansUTF8AndIsSkipped() throws {
        let (encoding, bom) = try RegistryTextEncoding.sniff([0xEF, 0xBB, 0xBF] + Array("관리기관명".utf8))
        #expect(encoding == .utf8)
        #expect(bom == 3)
    }

    @Test func koreanWithoutBOMIsToldApart() throws {
        #expect(try RegistryTextEncoding.sniff(Array("관리기관명,위도".utf8)).0 == .utf8)
        #expect(try RegistryTextEncoding.sniff(Array("관리기관명,위도".data(using: Self.cp949)!)).0 == .cp949)
    }

    @Test func utf8CutInTheMiddleOfACharacterIsStillUTF8() throws {
        let bytes = Array("가나다".utf8).dropLast()
        #expect(try RegistryTextEncoding.sniff(Array(bytes)).0 == .utf8)
    }

    @Test func utf16AndBinaryAreRefusedWithAReason() {
        #expect(throws: RegistryTextEncoding.Problem.utf16) { try RegistryTextEncoding.sniff([0xFF, 0xFE, 0x41, 0x00]) }
        #expect(throws: RegistryTextEncoding.Problem.binary(offset: 2)) { try RegistryTextEncoding.sniff([0x41, 0x42, 0x00]) }
    }

    @Test func fieldsDecodeInEitherEncodingAndAreTrimmed() {
        let text = " 서울특별시 강남구청 "
        #expect(RegistryTextEncoding.cp949.decode(ArraySlice(text.data(using: Self.cp949)!)) == "서울특별시 강남구청")
        #expect(RegistryTextEncoding.cp949.decode(ArraySlice(Array(text.utf8))) == "서울특별시 강남구청")
        // A lone lead byte is neither UTF-8 nor CP949.
        #expect(RegistryTextEncoding.utf8.decode(ArraySlice([0x41, 0xB0])) == nil)
    }
}
