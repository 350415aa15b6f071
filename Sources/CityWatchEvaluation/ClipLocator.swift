import Foundation

/// Finds the video a label file names in its `clip` field.
///
/// In order: the `clip` as a path relative to the label file's folder (or absolute), if a file
/// is there; else the data set convention of `../shared/data/real/labels` — a first word naming
/// the data set (`gmdcsa24`, `intel`) and the rest a path suffix (`Subject 1/Fall/13.mp4`) — by
/// looking under the search roots for the one file whose path ends with that suffix. A `clip` of
/// one word (`vtest.avi`) is a suffix in full. Hidden folders (`.build`, `.git`) are not searched.
public struct ClipLocator: Sendable {
    /// Folders searched for clips named by the convention, in the order given.
    public let roots: [String]
    /// Every file under the roots (standardised absolute paths), listed once.
    private let files: [String]

    /// Lists the files under `roots` (missing roots are skipped: the error names them if a clip
    /// is not found).
    public init(roots: [String]) {
        self.roots = roots
        var seen = Set<String>(), files: [String] = []
        for root in roots {
            let url = Self.absolute(root)
            guard let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.isRegularFileKey],
                                                              options: [.skipsHiddenFiles]) else { continue }
            for case let file as URL in walker where (try? file.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
                let path = file.absoluteURL.standardized.path
                if seen.insert(path).inserted { files.append(path) }
            }
        }
        self.files = files
    }

    /// Why a clip could not be found.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        /// No file is at the relative path and none under the roots ends with the suffix.
        case missing(labels: String, clip: String, suffix: String, roots: [String])
        /// Several files under the roots end with the suffix.
        case ambiguous(labels: String, clip: String, candidates: [String])

        public var description: String {
            switch self {
            case .missing(let labels, let clip, let suffix, let roots):
                "\(labels): clip \"\(clip)\" not found: not beside the label file, and no file ending in \"\(suffix)\" under "
                    + roots.joined(separator: ", ")
            case .ambiguous(let labels, let clip, let candidates):
                "\(labels): clip \"\(clip)\" is ambiguous: " + candidates.joined(separator: ", ")
            }
        }
    }

    /// The path of the video `clip` names, for the label file at `labelFile`.
    public func locate(_ clip: String, labelFile: String) throws(Problem) -> String {
        let folder = Self.absolute(labelFile).deletingLastPathComponent()
        let beside = URL(fileURLWithPath: clip, relativeTo: folder).absoluteURL.standardized.path
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: beside, isDirectory: &isFolder), !isFolder.boolValue { return beside }
        let suffix = Self.suffix(of: clip)
        let candidates = files.filter { $0.hasSuffix("/" + suffix) }
        guard let only = candidates.first else { throw .missing(labels: labelFile, clip: clip, suffix: suffix, roots: roots) }
        guard candidates.count == 1 else { throw .ambiguous(labels: labelFile, clip: clip, candidates: candidates) }
        return only
    }

    /// `path` (absolute, or relative to the working folder) as an absolute file URL without
    /// `.` or `..` parts.
    static func absolute(_ path: String) -> URL {
        URL(fileURLWithPath: path).absoluteURL.standardized
    }

    /// The path suffix a `clip` field names: all but its first word, or all of a one-word clip.
    static func suffix(of clip: String) -> String {
        guard let space = clip.firstIndex(of: " ") else { return clip }
        return String(clip[clip.index(after: space)...])
    }
}
