/// Turns the decoded fields of one registry row into a ``RegistryRecord``, or says why not.
public struct RegistryRowParser: Sendable {
    /// The most cameras one registry row may hold; larger counts are typos.
    public static let maxCamerasPerSite = 999

    public let layout: RegistryLayout
    public let bounds: RegistryBounds

    public init(layout: RegistryLayout, bounds: RegistryBounds = .korea) {
        self.layout = layout
        self.bounds = bounds
    }

    /// Parses one row's fields.
    public func parse(_ fields: [String]) -> Result<RegistryRecord, RegistryRowError> {
        // Trailing empty fields (a trailing comma) are forgiven; anything else must match.
        var width = fields.count
        while width > layout.width, fields[width - 1].isEmpty { width -= 1 }
        guard width == layout.width else {
            return .failure(.wrongFieldCount(found: fields.count, expected: layout.width))
        }
        // A file CityWatch wrote has its formula-like fields defused: read them as they were.
        func value(_ column: RegistryColumn) -> String {
            layout.index[column].map { CSVField.restored(fields[$0]) } ?? ""
        }
        var record = RegistryRecord()
        record.localGovernmentCode = value(.localGovernmentCode)
        record.managementNumber = value(.managementNumber)
        record.agency = value(.agency)
        record.roadAddress = value(.roadAddress)
        record.lotAddress = value(.lotAddress)
        record.purpose = CameraPurpose(registryText: value(.purpose))
        record.pixels = value(.pixels)
        record.viewDirection = value(.viewDirection)
        record.retentionDays = value(.retentionDays)
        record.installYearMonth = value(.installYearMonth)
        record.phone = value(.phone)
        record.dataDate = value(.dataDate)
        record.updateKind = value(.updateKind)
        record.updatedAt = value(.updatedAt)
        record.lastModifiedAt = value(.lastModifiedAt)

        let countText = value(.cameraCount)
        guard let count = Self.cameraCount(countText) else { return .failure(.badCameraCount(text: countText)) }
        record.cameraCount = count

        switch Self.coordinate(value(.latitude), .latitude) {
        case .success(let latitude): record.latitude = latitude
        case .failure(let error): return .failure(error)
        }
        switch Self.coordinate(value(.longitude), .longitude) {
        case .success(let longitude): record.longitude = longitude
        case .failure(let error): return .failure(error)
        }
        guard bounds.contains(latitude: record.latitude, longitude: record.longitude) else {
            return .failure(.coordinateOutOfRange(latitude: record.latitude, longitude: record.longitude, bounds: bounds))
        }
        return .success(record)
    }

    /// Reads a latitude or longitude field (also used by the bell import).
    static func coordinate(_ text: String, _ column: RegistryColumn) -> Result<Double, RegistryRowError> {
        guard !text.isEmpty else { return .failure(.missingCoordinate(column)) }
        guard let number = Double(text), number.isFinite else { return .failure(.badCoordinate(column, text: text)) }
        return .success(number)
    }

    /// Reads 카메라대수: `4`, `4대`, or `4.0` as spreadsheets write it.
    static func cameraCount(_ text: String) -> Int? {
        var digits = Substring(text)
        if digits.hasSuffix("대") { digits = digits.dropLast().trimmingSpaces }
        if let whole = Int(digits) {
            return (1...maxCamerasPerSite).contains(whole) ? whole : nil
        }
        if let real = Double(digits), real.rounded() == real, real >= 1, real <= Double(maxCamerasPerSite) {
            return Int(real)
        }
        return nil
    }
}
