import Foundation

/// The labelled real clips of one or more folders, each label file read and its clip found:
/// what `citywatch eval --real-set DIR` runs. A folder holds label files (`*.labels.json`, one
/// clip each, ``RealClipLabels``) and set files (`*.set.json`, a folder of clips labelled as a
/// whole, ``LabelledClipSet``). Clips are found by ``ClipLocator`` under each folder's parent
/// (the set's root) and any further roots given.
///
/// A file that cannot be used does not stop the others: it becomes a ``Failure`` naming it.
public struct RealSet: Sendable {
    /// One clip to run.
    public struct Entry: Sendable {
        /// The label or set file the clip's labels came from.
        public var labelFile: String
        /// The clip's labels (for a set file, the set's rules with its verdict).
        public var labels: RealClipLabels
        /// The video's path.
        public var video: String
    }

    /// A label file, set file, folder or clip that could not be used, and why.
    public struct Failure: Error, Sendable, Codable, Hashable, CustomStringConvertible {
        /// The file or folder at fault.
        public var file: String
        /// What was wrong, naming the rule, event or clip where there is one.
        public var reason: String

        public init(file: String, reason: String) {
            self.file = file
            self.reason = reason
        }

        public var description: String { "\(file): \(reason)" }
    }

    /// Names that end so are read as one clip's labels.
    public static let labelFileSuffix = ".labels.json"
    /// Names that end so are read as a set of clips labelled as a whole.
    public static let setFileSuffix = ".set.json"

    /// The clips to run, folder by folder, files in name order.
    public var entries: [Entry]
    /// What could not be used.
    public var failures: [Failure]

    /// Reads every label and set file in `folders` and finds their clips under the folders'
    /// parents and `clipRoots`.
    public static func load(folders: [String], clipRoots: [String] = []) -> RealSet {
        let parents = folders.map { ClipLocator.absolute($0).deletingLastPathComponent().path }
        let locator = ClipLocator(roots: parents + clipRoots)
        var set = RealSet(entries: [], failures: [])
        for folder in folders {
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
            } catch {
                set.failures.append(Failure(file: folder, reason: "cannot list the folder: \(error.localizedDescription)"))
                continue
            }
            let files = names.filter { $0.hasSuffix(labelFileSuffix) || $0.hasSuffix(setFileSuffix) }
            if files.isEmpty {
                set.failures.append(Failure(file: folder, reason: "holds no \(labelFileSuffix) or \(setFileSuffix) file"))
            }
            for name in files {
                set.add(URL(fileURLWithPath: folder).appendingPathComponent(name).path, locator: locator)
            }
        }
        return set
    }

    /// Adds the clips of the label or set file at `path`, or its failure.
    mutating func add(_ path: String, locator: ClipLocator) {
        do {
            if path.hasSuffix(Self.setFileSuffix) {
                let clipSet = try LabelledClipSet.load(from: path)
                entries += try clipSet.expand(setFile: path).map { Entry(labelFile: path, labels: $0.labels, video: $0.video) }
            } else {
                let labels = try RealClipLabels.load(from: path)
                entries.append(Entry(labelFile: path, labels: labels, video: try locator.locate(labels.clip, labelFile: path)))
            }
        } catch {
            failures.append(Failure(file: path, reason: Self.withoutPath("\(error)", path)))
        }
    }

    /// `message` without a leading "`path`: " (the failure names the file already).
    static func withoutPath(_ message: String, _ path: String) -> String {
        message.hasPrefix(path + ": ") ? String(message.dropFirst(path.count + 2)) : message
    }
}
