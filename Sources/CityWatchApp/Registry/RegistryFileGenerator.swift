import CityWatchDomain
import Foundation

/// Writes large, realistic registry files in the current 18-column layout for benchmarks and
/// scale tests: Seoul-wide positions, the national mix of purposes, 1–5 cameras per site,
/// addresses with commas and quotes as real files have them. Same seed, same file.
public struct RegistryFileGenerator: Sendable {
    public var rows: Int
    public var seed: UInt64

    public init(rows: Int, seed: UInt64 = 2017) {
        self.rows = rows
        self.seed = seed
    }

    /// Purposes weighted roughly as in Seoul's registries.
    static let purposes: [(String, Int)] = [
        ("생활방범", 62), ("어린이보호", 14), ("교통단속", 9), ("재난재해", 4), ("시설물관리", 3), ("교통정보수집", 2),
        ("쓰레기단속", 3), ("차량방범", 2), ("다목적", 1),
    ]

    static let districts = ["강남구", "서초구", "송파구", "마포구", "종로구", "중구", "용산구", "성동구", "광진구", "동작구"]
    static let roads = ["테헤란로", "강남대로", "논현로", "도산대로", "봉은사로", "언주로", "선릉로", "역삼로", "삼성로", "학동로"]

    /// Writes the file; returns the number of cameras it lists.
    @discardableResult
    public func write(to path: String, encoding: RegistryTextEncoding = .utf8) throws -> Int {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        defer { try? handle.close() }
        var random = SplitMix(seed: seed)
        var cameras = 0
        var buffer = RegistryCSVWriter.header + "\r\n"
        let totalWeight = Self.purposes.reduce(0) { $0 + $1.1 }
        for i in 0..<rows {
            var record = RegistryRecord()
            let district = Self.districts[Int(random.next() % UInt64(Self.districts.count))]
            let road = Self.roads[Int(random.next() % UInt64(Self.roads.count))]
            record.localGovernmentCode = String(3_220_000 + Int(random.next() % 25) * 10_000)
            record.managementNumber = "GEN-\(String(format: "%07d", i + 1))"
            record.agency = "서울특별시 \(district)청"
            record.roadAddress = i % 11 == 0
                ? "서울특별시 \(district) \(road) \(i % 500 + 1), \"\(i % 7 + 1)번 출구\" 앞"
                : "서울특별시 \(district) \(road)\(i % 120 + 1)길 \(i % 90 + 1)"
            record.lotAddress = "서울특별시 \(district) \(i % 40 + 1)동 \(i % 900 + 1)-\(i % 30)"
            var pick = Int(random.next() % UInt64(totalWeight))
            let purpose = Self.purposes.first { pick -= $0.1; return pick < 0 }!.0
            record.purpose = CameraPurpose(registryText: purpose)
            record.cameraCount = 1 + Int(random.next() % 5)
            cameras += record.cameraCount
            record.pixels = ["200", "400", "41", "130"][Int(random.next() % 4)]
            record.viewDirection = ["360도 전방면", "북측", "남측 교차로", "동측 이면도로", "어린이공원 내부"][Int(random.next() % 5)]
            record.retentionDays = "30"
            record.installYearMonth = "20\(10 + i % 15)-\(String(format: "%02d", 1 + i % 12))"
            record.phone = "02-\(2100 + i % 900)-\(String(format: "%04d", i % 10_000))"
            record.latitude = 37.43 + Double(random.next() % 270_000) / 1_000_000
            record.longitude = 126.80 + Double(random.next() % 380_000) / 1_000_000
            record.dataDate = "2025-06-30"
            record.updateKind = "I"
            record.updatedAt = "2025-07-01 09:00:00"
            record.lastModifiedAt = "2025-07-01 09:00:00"
            buffer += RegistryCSVWriter.line(for: record) + "\r\n"
            if buffer.utf8.count > 1 << 20 {
                try flush(&buffer, handle, encoding)
            }
        }
        try flush(&buffer, handle, encoding)
        return cameras
    }

    private func flush(_ buffer: inout String, _ handle: FileHandle, _ encoding: RegistryTextEncoding) throws {
        let data = encoding == .utf8 ? Data(buffer.utf8) : (buffer.data(using: String.Encoding(rawValue: 0x8000_0422)) ?? Data())
        try handle.write(contentsOf: data)
        buffer = ""
    }
}

/// A small deterministic random generator (SplitMix64).
struct SplitMix: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
