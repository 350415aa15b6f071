/// Turns the decoded fields of one bell row into a ``BellRecord``, or says why not.
///
/// Checks one row on its own; a key repeated across rows is ``BellKeyLedger``'s business (it
/// sees the whole file).
public struct BellRowParser: Sendable {
    public let layout: BellLayout
    public let bounds: RegistryBounds

    public init(layout: BellLayout, bounds: RegistryBounds = .korea) {
        self.layout = layout
        self.bounds = bounds
    }

    /// The key (``BellRecord/key``) a row names, even when the rest of the row is bad; empty
    /// when it names none (an import with `--prune` keeps every bell a bad row names).
    public func key(in fields: [String]) -> String {
        func field(_ column: BellColumn) -> String { layout.index[column].flatMap { $0 < fields.count ? fields[$0] : nil } ?? "" }
        let rowKey = field(.rowKey)
        return rowKey.isEmpty ? field(.managementNumber) : rowKey
    }

    /// Parses one row's fields.
    public func parse(_ fields: [String]) -> Result<BellRecord, BellRowError> {
        // Trailing empty fields (a trailing comma) are forgiven, as in the camera registry.
        var width = fields.count
        while width > layout.width, fields[width - 1].isEmpty { width -= 1 }
        guard width == layout.width else {
            return .failure(.row(.wrongFieldCount(found: fields.count, expected: layout.width)))
        }
        func value(_ column: BellColumn) -> String {
            layout.index[column].map { fields[$0] } ?? ""
        }
        var record = BellRecord()
        record.rowKey = value(.rowKey)
        record.managementNumber = value(.managementNumber)
        guard !record.key.isEmpty else { return .failure(.missingManagementNumber) }
        record.purpose = value(.purpose)
        record.placeType = value(.placeType)
        record.location = value(.location)
        record.roadAddress = value(.roadAddress)
        record.lotAddress = value(.lotAddress)
        record.linkMethod = value(.linkMethod)
        record.policeLinked = value(.policeLinked)
        record.securityCompanyLinked = value(.securityCompanyLinked)
        record.managementOfficeLinked = value(.managementOfficeLinked)
        record.extraFeatures = value(.extraFeatures)
        record.installYear = value(.installYear)
        record.lastInspectionDate = value(.lastInspectionDate)
        record.lastInspectionResult = value(.lastInspectionResult)
        record.agency = value(.agency)
        record.phone = value(.phone)
        record.dataDate = value(.dataDate)
        switch (RegistryRowParser.coordinate(value(.latitude), .latitude), RegistryRowParser.coordinate(value(.longitude), .longitude)) {
        case (.failure(let error), _), (_, .failure(let error)):
            return .failure(.row(error))
        case let (.success(latitude), .success(longitude)):
            record.latitude = latitude
            record.longitude = longitude
        }
        guard bounds.contains(latitude: record.latitude, longitude: record.longitude) else {
            return .failure(.row(.coordinateOutOfRange(latitude: record.latitude, longitude: record.longitude, bounds: bounds)))
        }
        return .success(record)
    }
}
