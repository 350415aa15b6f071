/// Writes registry records as CSV in the current 18-column national layout (UTF-8), each field
/// through ``CSVField`` (the importer restores what it defused).
///
/// Reading the output back with ``CSVTokenizer`` and ``RegistryRowParser`` gives the same
/// records: that round trip is a property test.
public enum RegistryCSVWriter {
    /// The header line, without line end.
    public static var header: String {
        RegistryColumn.currentLayout.map(\.standardName).joined(separator: ",")
    }

    /// One record as a CSV line, without line end.
    public static func line(for record: RegistryRecord) -> String {
        RegistryColumn.currentLayout.map { CSVField.encode(value(record, $0)) }.joined(separator: ",")
    }

    /// The text of one column of a record, as written in a registry file.
    public static func value(_ record: RegistryRecord, _ column: RegistryColumn) -> String {
        switch column {
        case .localGovernmentCode: record.localGovernmentCode
        case .managementNumber: record.managementNumber
        case .agency: record.agency
        case .roadAddress: record.roadAddress
        case .lotAddress: record.lotAddress
        case .purpose: record.purpose.koreanName
        case .cameraCount: String(record.cameraCount)
        case .pixels: record.pixels
        case .viewDirection: record.viewDirection
        case .retentionDays: record.retentionDays
        case .installYearMonth: record.installYearMonth
        case .phone: record.phone
        case .latitude: String(record.latitude)
        case .longitude: String(record.longitude)
        case .dataDate: record.dataDate
        case .updateKind: record.updateKind
        case .updatedAt: record.updatedAt
        case .lastModifiedAt: record.lastModifiedAt
        }
    }
}
