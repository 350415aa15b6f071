import Foundation

extension SyntheticGroundTruth {
    /// The `NAME.truth.json` form: pretty-printed, keys sorted, so files diff well.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Reads a `NAME.truth.json` file.
    public static func load(from file: URL) throws -> SyntheticGroundTruth {
        try JSONDecoder().decode(SyntheticGroundTruth.self, from: Data(contentsOf: file))
    }
}
