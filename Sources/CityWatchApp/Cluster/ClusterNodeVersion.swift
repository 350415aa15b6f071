import Foundation

/// What a node tells the cluster it runs, in the `version` it registers with: the schema it
/// migrated to and the level of the cluster's ways of working it keeps. A step that every node
/// must honour before it may be taken (the only one so far: an export destroyed early, which a
/// node that does not know of it would go on giving out) checks the live nodes' level first.
public enum ClusterNodeVersion {
    /// The level this build keeps. Nodes built before levels were registered state none and
    /// count as 1.
    public static let level = 2

    /// The first level that honours early export destruction (`video.export.destroy`): the node
    /// refuses a destroyed export and removes its copy at its next sweep.
    public static let destroysExports = 2

    /// The version this build registers with, for a schema of `schema` migrations.
    public static func current(schema: Int) -> String { "schema \(schema), level \(level)" }

    /// The level a registered `version` states; 1 when it states none.
    public static func level(of version: String) -> Int {
        guard let range = version.range(of: "level ") else { return 1 }
        return Int(version[range.upperBound...].prefix { $0.isNumber }) ?? 1
    }
}
