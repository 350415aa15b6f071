import CityWatchDomain
import Foundation

/// Hand labels of a real clip: the rules drawn on it and, for each, the times a person watching
/// the clip saw the rule's event happen. Read from a JSON file kept in the repo
/// (`data/vtest.labels.json`), whose `about` says how the labels were made.
public struct RealClipLabels: Codable, Sendable, Hashable {
    /// How the labels were made, by whom, and how sure they are (prose for the reader).
    public var about: String
    /// The clip's file name, for the report.
    public var clip: String
    /// Frame the clip is analysed at; the clip is scaled to it (its aspect kept).
    public var analysisWidth: Int
    public var analysisHeight: Int
    /// Frames per second fed to the analyzer (the clip is resampled to it).
    public var analysisFPS: Int
    /// The rules drawn, each with its labelled events.
    public var rules: [LabelledRule]

    /// One rule and what it should have raised.
    public struct LabelledRule: Codable, Sendable, Hashable {
        /// Rule name, unique in the file.
        public var name: String
        /// What the rule watches for, in picture fractions.
        public var kind: AnalyticsRule.Kind
        /// The labelled events.
        public var events: [LabelledEvent]
    }

    /// One event seen by the labeller.
    public struct LabelledEvent: Codable, Sendable, Hashable {
        /// Seconds from the start of the clip.
        public var time: Double
        /// Who or what (for the reader; not scored).
        public var note: String?
    }

    /// Why a label file cannot be used.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        /// The file is not valid JSON of this layout.
        case unreadable(path: String, reason: String)
        /// A rule fails ``AnalyticsRule/validated()``.
        case badRule(name: String, reason: String)
        /// The analysis frame or rate is not positive (or not even, for 4:2:0).
        case badAnalysisFormat(width: Int, height: Int, fps: Int)

        public var description: String {
            switch self {
            case .unreadable(let path, let reason): "cannot read labels \(path): \(reason)"
            case .badRule(let name, let reason): "label rule \"\(name)\": \(reason)"
            case .badAnalysisFormat(let width, let height, let fps): "analysis format \(width)x\(height) at \(fps) fps: need even sizes and fps ≥ 1"
            }
        }
    }

    /// Reads and checks the labels at `path`.
    public static func load(from path: String) throws(Problem) -> RealClipLabels {
        let labels: RealClipLabels
        do {
            labels = try JSONDecoder().decode(RealClipLabels.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
        guard labels.analysisWidth >= 16, labels.analysisHeight >= 16, labels.analysisWidth % 2 == 0,
              labels.analysisHeight % 2 == 0, labels.analysisFPS >= 1 else {
            throw .badAnalysisFormat(width: labels.analysisWidth, height: labels.analysisHeight, fps: labels.analysisFPS)
        }
        for rule in labels.rules {
            do { _ = try rule.analyticsRule.validated() } catch { throw .badRule(name: rule.name, reason: error.description) }
        }
        return labels
    }
}

extension RealClipLabels.LabelledRule {
    /// The rule as the analyzer takes it: always armed, no class filter, no cool-down. Each call
    /// gives a new id: make the rules once per run.
    public var analyticsRule: AnalyticsRule {
        AnalyticsRule(name: name, kind: kind, coolDownSeconds: 0)
    }
}
