import Foundation

/// A safety emergency bell of the registry: its store identity and its row of the bell data.
public struct Bell: Identifiable, Hashable, Sendable {
    public var id: UUID
    public var record: BellRecord

    public init(id: UUID, record: BellRecord) {
        self.id = id
        self.record = record
    }
}
