import Foundation

/// A safety emergency bell of the registry: its store identity and its row of the bell data.
public struct Bell: Identifiable, Hashable, Sendable {
    public var id: UUID
    public var record: BellRecord
    /// The key the bell had before a file's 관리번호 keyed it (see ``BellRekeying``): its
    /// 안전비상벨관리번호 from the time bells were keyed by it. A bell (or gateway) set up then
    /// goes on pressing, and signing, by this name.
    public var formerKey: String?

    public init(id: UUID, record: BellRecord, formerKey: String? = nil) {
        self.id = id
        self.record = record
        self.formerKey = formerKey
    }

    /// The name a press of this bell signs (``BellPressRules/signedText(bell:time:nonce:drill:)``)
    /// when it reached the server as `reference`: the former key when the bell was pressed by
    /// it, otherwise the key (also for a press naming the bell by its id).
    public func signedName(pressedAs reference: String) -> String {
        if let formerKey, reference == formerKey, reference != record.key { return formerKey }
        return record.key
    }
}
