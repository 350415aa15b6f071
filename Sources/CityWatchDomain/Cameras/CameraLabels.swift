import Foundation

/// What the control room calls each site and camera: one label, made here, that the API sends
/// and every console view (wall tiles, lists, alarms) shows.
///
/// A label leads with what tells the site apart, because a tile cuts it to its width: the
/// place the row names, then road and number (`코엑스 주변 · 봉은사로 524`), never the province
/// and district every camera of the district shares. Sites that would still read the same
/// (several rows at one address) get the first detail that differs among them — the building,
/// the view direction, the purpose, the lot number — and, failing all, their order in the
/// registry (`지점 2`). A camera of a pole with several takes its number on the pole
/// (`카메라 2/5`). A camera an administrator named is called by its name.
public struct CameraLabels: Sendable {
    /// Site id → the site's label.
    public private(set) var sites: [UUID: String] = [:]
    /// Camera id → the camera's label.
    public private(set) var cameras: [UUID: String] = [:]

    /// Labels every site and camera of a registry.
    public init(sites: [Site], cameras: [Camera]) {
        let ordered = sites.sorted { $0.registryKey < $1.registryKey }
        let parts = ordered.map { SiteAddressParts($0.record) }
        var labels = parts.map { part in part.place.map { "\($0) · \(part.short)" } ?? part.short }
        // Each detail is added only among sites whose labels are still the same.
        let details: [(Int) -> String?] = [
            { parts[$0].building },
            { Self.distinctiveView(ordered[$0].record.viewDirection) },
            { ordered[$0].record.purpose.koreanName },
            { parts[$0].lot },
        ]
        for detail in details {
            for group in Self.sameLabelGroups(labels) {
                let values = group.map(detail)
                guard Set(values.map { $0 ?? "" }).count > 1 else { continue }
                for (index, value) in zip(group, values) {
                    if let value, !value.isEmpty { labels[index] += " · \(value)" }
                }
            }
        }
        for group in Self.sameLabelGroups(labels) {
            for (number, index) in group.enumerated() { labels[index] += " · 지점 \(number + 1)" }
        }
        for (site, label) in zip(ordered, labels) { self.sites[site.id] = label }

        var perSite: [UUID: Int] = [:]
        for camera in cameras { perSite[camera.siteID, default: 0] += 1 }
        for camera in cameras {
            if let name = camera.name.map(SiteAddressParts.trimmed), !name.isEmpty {
                self.cameras[camera.id] = name
                continue
            }
            let site = self.sites[camera.siteID] ?? ""
            let count = perSite[camera.siteID] ?? 1
            self.cameras[camera.id] = count > 1 ? "\(site) · 카메라 \(camera.position)/\(count)" : site
        }
    }

    /// The label of the camera with `id`, or nil for a camera not in the registry.
    public func camera(_ id: UUID) -> String? { cameras[id] }

    /// Indices of labels that occur more than once, grouped by label, in registry order.
    static func sameLabelGroups(_ labels: [String]) -> [[Int]] {
        var byLabel: [String: [Int]] = [:]
        for (index, label) in labels.enumerated() { byLabel[label, default: []].append(index) }
        return byLabel.values.filter { $0.count > 1 }.sorted { $0[0] < $1[0] }
    }

    /// The registry's view direction when it says where the cameras look (`탄천`, `관제실`):
    /// not the all-round `360도 전방면` most rows give, and not a number put in the wrong column.
    static func distinctiveView(_ text: String) -> String? {
        let compact = text.filter { !$0.isWhitespace }
        guard !compact.isEmpty, !compact.allSatisfy(\.isNumber), !["360도전방면", "360도", "전방면", "360"].contains(compact) else { return nil }
        return SiteAddressParts.trimmed(text)
    }
}
