import Foundation

/// A place in the registry — a pole, a wall, a building — holding one or more cameras.
public struct Site: Identifiable, Hashable, Sendable {
    public var id: UUID
    /// Identity across imports (see ``RegistryRecord/baseKey``).
    public var registryKey: String
    /// Every field of the registry row.
    public var record: RegistryRecord

    public init(id: UUID, registryKey: String, record: RegistryRecord) {
        self.id = id
        self.registryKey = registryKey
        self.record = record
    }

    /// The address people use: the road address, or the lot address when there is none.
    public var displayAddress: String {
        record.roadAddress.isEmpty ? record.lotAddress : record.roadAddress
    }
}

/// One video source at a site.
public struct Camera: Identifiable, Hashable, Sendable {
    public var id: UUID
    public var siteID: UUID
    /// 1…N within the site.
    public var position: Int
    /// A name an administrator gave it; nil uses the site's address.
    public var name: String?
    /// Disabled cameras stay in the registry but are not recorded.
    public var enabled: Bool

    public init(id: UUID, siteID: UUID, position: Int, name: String? = nil, enabled: Bool = true) {
        self.id = id
        self.siteID = siteID
        self.position = position
        self.name = name
        self.enabled = enabled
    }
}
