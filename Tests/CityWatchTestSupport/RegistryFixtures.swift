import CityWatchDomain
import Foundation

/// Registry files made up for tests, in the layouts and encodings seen in the wild.
public enum RegistryFixtures {
    /// The current 18-column header.
    public static let currentHeader = RegistryColumn.currentLayout.map(\.standardName)

    /// A row of the current layout with sensible values; override what a test needs.
    public static func currentRow(number: Int, purpose: String = "생활방범", cameras: String = "2",
                                  latitude: String? = nil, longitude: String? = nil,
                                  roadAddress: String? = nil, direction: String = "360도 전방면") -> [String] {
        let lat = latitude ?? String(format: "%.6f", 37.49 + Double(number % 97) * 0.0004)
        let lon = longitude ?? String(format: "%.6f", 127.02 + Double(number % 89) * 0.0005)
        return [
            "3220000", "CCTV-\(String(format: "%05d", number))", "서울특별시 강남구청",
            roadAddress ?? "서울특별시 강남구 테헤란로 \(number)", "서울특별시 강남구 역삼동 \(number)-1",
            purpose, cameras, "200", direction, "30", "2021-0\(1 + number % 9)", "02-3423-6963",
            lat, lon, "2024-06-30", "I", "2024-07-01 09:00:00", "2024-07-01 09:00:00",
        ]
    }

    /// Joins rows into CSV text, quoting where needed.
    public static func csv(_ rows: [[String]], lineEnd: String = "\r\n") -> String {
        rows.map { $0.map(CSVField.quote).joined(separator: ",") }.joined(separator: lineEnd) + lineEnd
    }

    /// Text in CP949 bytes (through Foundation's DOS Korean encoding).
    public static func cp949(_ text: String) -> Data {
        text.data(using: String.Encoding(rawValue: 0x8000_0422))!
    }

    /// Writes `data` to a new temporary file and returns its path.
    public static func write(_ data: Data, name: String = "registry.csv") throws -> String {
        let url = folder.appendingPathComponent("\(UUID().uuidString.prefix(8))-\(name)")
        try data.write(to: url)
        return url.path
    }

    /// One folder for the process's fixture files, removed when the test process exits.
    static let folder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("citywatch-fixtures-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: RegistryFixtures.folder) }
        return url
    }()
}
