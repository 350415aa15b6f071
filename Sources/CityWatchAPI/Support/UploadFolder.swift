import Foundation

/// Where uploaded files wait while they are read (`<data>/uploads`): one file per upload,
/// removed when its request ends. A server killed mid-upload cannot remove its file, so a
/// starting server removes what an earlier process left (nothing else writes there).
public enum UploadFolder {
    /// The folder under data directory `data`.
    public static func path(in data: String) -> String {
        (data as NSString).appendingPathComponent("uploads")
    }

    /// Removes the uploads an earlier process left in `data`; returns how many.
    @discardableResult
    public static func removeLeftovers(in data: String) -> Int {
        let folder = path(in: data)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { (try? FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent($0))) != nil }.count
    }
}
