import CityWatchDomain
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A folder of clips labelled as a whole, in one file (`*.set.json`), so that 30 fight clips need
/// not each have a label file: the clips a pattern names, the rules drawn on every one of them,
/// and the verdict each clip should get (``ClipLevelTruth``).
///
/// ```json
/// { "about": "…", "clips": "../fight/noFight/*.mp4", "clipLevel": "raisesNothing",
///   "analysisWidth": 320, "analysisHeight": 240, "analysisFPS": 5,
///   "rules": [ { "name": "fight anywhere", "kind": { … } } ] }
/// ```
/// `clips` is a folder (relative to the set file's folder, or absolute) and a file-name pattern
/// (`*`, `?`, `[…]`); only the last part may hold wildcards. The rules list no events.
public struct LabelledClipSet: Codable, Sendable, Hashable {
    /// How the set was labelled, by whom, and from what (prose for the reader).
    public var about: String
    /// Folder and file-name pattern of the clips.
    public var clips: String
    /// What every clip of the set should do with every rule.
    public var clipLevel: ClipLevelTruth
    /// Width of the frame each clip is analysed at (scaled to fit, its aspect kept).
    public var analysisWidth: Int
    /// Height of the analysis frame.
    public var analysisHeight: Int
    /// Frames per second fed to the analyzer.
    public var analysisFPS: Int
    /// The rules drawn on every clip.
    public var rules: [RealClipLabels.LabelledRule]

    /// Why a set file cannot be used.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        /// The file is not valid JSON of this layout.
        case unreadable(path: String, reason: String)
        /// The rules or the analysis format fail ``RealClipLabels/validate()``.
        case badLabels(path: String, problem: RealClipLabels.Problem)
        /// The pattern's folder cannot be listed, or no file in it matches.
        case noClips(path: String, pattern: String, reason: String)

        public var description: String {
            switch self {
            case .unreadable(let path, let reason): "cannot read clip set \(path): \(reason)"
            case .badLabels(let path, let problem): "\(path): \(problem)"
            case .noClips(let path, let pattern, let reason): "\(path): clips \"\(pattern)\": \(reason)"
            }
        }
    }

    /// Reads the set file at `path` and checks its rules.
    public static func load(from path: String) throws(Problem) -> LabelledClipSet {
        let set: LabelledClipSet
        do {
            set = try JSONDecoder().decode(LabelledClipSet.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
        do { try set.labels(clip: set.clips).validate() } catch { throw .badLabels(path: path, problem: error) }
        return set
    }

    /// One label file's worth per clip the pattern matches, in file-name order, each with the
    /// clip's path: `(labels, video)`. `path` is the set file's own (the pattern is relative to
    /// its folder).
    public func expand(setFile path: String) throws(Problem) -> [(labels: RealClipLabels, video: String)] {
        let base = ClipLocator.absolute(path).deletingLastPathComponent()
        let pattern = URL(fileURLWithPath: clips, relativeTo: base).absoluteURL.standardized
        let folder = pattern.deletingLastPathComponent()
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            throw .noClips(path: path, pattern: clips, reason: "cannot list \(folder.path): \(error.localizedDescription)")
        }
        let wanted = pattern.lastPathComponent
        let matching = names.filter { fnmatch(wanted, $0, 0) == 0 }.sorted()
        guard !matching.isEmpty else { throw .noClips(path: path, pattern: clips, reason: "no file in \(folder.path) matches \(wanted)") }
        let written = (clips as NSString).deletingLastPathComponent
        return matching.map { name in
            (labels(clip: written.isEmpty ? name : written + "/" + name), folder.appendingPathComponent(name).path)
        }
    }

    /// The labels of one clip of the set, named `clip` in the report.
    func labels(clip: String) -> RealClipLabels {
        RealClipLabels(about: about, clip: clip, analysisWidth: analysisWidth, analysisHeight: analysisHeight,
                       analysisFPS: analysisFPS, rules: rules, clipLevel: clipLevel)
    }
}
