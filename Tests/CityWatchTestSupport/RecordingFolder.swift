import Foundation

/// What a recorder left in an installation's data folder.
public enum RecordingFolder {
    /// The paths of `camera`'s segment files under `folder` (the data folder).
    public static func segmentFiles(_ folder: URL, _ camera: UUID) -> Set<String> {
        let directory = folder.appendingPathComponent("recordings/\(camera.uuidString)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return Set(names.filter { $0.hasSuffix(".mp4") }.map { directory.appendingPathComponent($0).path })
    }
}
