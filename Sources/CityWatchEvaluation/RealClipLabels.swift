import CityWatchDomain
import Foundation

/// Hand labels of a real clip: the rules drawn on it and, for each, the times (and optionally the
/// boxes) at which a person watching the clip saw the rule's event happen — or, for clips labelled
/// only as a whole, whether the clip should raise the rule at all (``ClipLevelTruth``). Read from a
/// JSON file (`data/vtest.labels.json`, `../shared/data/real/labels/*.labels.json`) whose `about`
/// says how the labels were made.
public struct RealClipLabels: Codable, Sendable, Hashable {
    /// How the labels were made, by whom, and how sure they are (prose for the reader).
    public var about: String
    /// The clip: a path relative to the label file's folder, or a dataset tag and a path suffix
    /// (`"gmdcsa24 Subject 1/Fall/13.mp4"`) that ``ClipLocator`` finds. Also the clip's name in
    /// the report.
    public var clip: String
    /// Frame the clip is analysed at; the clip is scaled to it (its aspect kept).
    public var analysisWidth: Int
    public var analysisHeight: Int
    /// Frames per second fed to the analyzer (the clip is resampled to it).
    public var analysisFPS: Int
    /// The rules drawn, each with its labelled events.
    public var rules: [LabelledRule]
    /// When set, every rule without a ``LabelledRule/clipLevel`` of its own is scored on the
    /// whole clip with this verdict instead of on event times.
    public var clipLevel: ClipLevelTruth?

    public init(about: String, clip: String, analysisWidth: Int, analysisHeight: Int, analysisFPS: Int,
                rules: [LabelledRule], clipLevel: ClipLevelTruth? = nil) {
        self.about = about
        self.clip = clip
        self.analysisWidth = analysisWidth
        self.analysisHeight = analysisHeight
        self.analysisFPS = analysisFPS
        self.rules = rules
        self.clipLevel = clipLevel
    }

    /// One rule and what it should have raised.
    public struct LabelledRule: Codable, Sendable, Hashable {
        /// Rule name, unique in the file.
        public var name: String
        /// What the rule watches for, in picture fractions.
        public var kind: AnalyticsRule.Kind
        /// The labelled events (none, and may be left out, when the truth is clip level).
        public var events: [LabelledEvent]
        /// When set, the rule is scored on the whole clip with this verdict, not on `events`.
        public var clipLevel: ClipLevelTruth?

        public init(name: String, kind: AnalyticsRule.Kind, events: [LabelledEvent] = [], clipLevel: ClipLevelTruth? = nil) {
            self.name = name
            self.kind = kind
            self.events = events
            self.clipLevel = clipLevel
        }

        /// Decodes a rule whose `events` may be missing (clip-level rules have none).
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(name: try container.decode(String.self, forKey: .name),
                      kind: try container.decode(AnalyticsRule.Kind.self, forKey: .kind),
                      events: try container.decodeIfPresent([LabelledEvent].self, forKey: .events) ?? [],
                      clipLevel: try container.decodeIfPresent(ClipLevelTruth.self, forKey: .clipLevel))
        }
    }

    /// One event seen by the labeller.
    public struct LabelledEvent: Codable, Sendable, Hashable {
        /// Seconds from the start of the clip.
        public var time: Double
        /// Where it happened, in fractions of the analysis frame (like the rules' shapes; the
        /// clip's own picture when its aspect is the analysis frame's). With a box, only a
        /// detection whose box overlaps it at IoU ≥ 0.5 matches; without, time alone decides.
        public var box: ImageBox?
        /// Who or what (for the reader; not scored).
        public var note: String?

        public init(time: Double, box: ImageBox? = nil, note: String? = nil) {
            self.time = time
            self.box = box
            self.note = note
        }
    }

    /// The verdict `rule` is scored with: its own, else the file's; nil when it is scored on
    /// event times.
    public func clipLevel(of rule: LabelledRule) -> ClipLevelTruth? {
        rule.clipLevel ?? clipLevel
    }

    /// Why a label file cannot be used.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        /// The file is not valid JSON of this layout.
        case unreadable(path: String, reason: String)
        /// A rule fails ``AnalyticsRule/validated()``.
        case badRule(name: String, reason: String)
        /// The analysis frame or rate is not positive (or not even, for 4:2:0).
        case badAnalysisFormat(width: Int, height: Int, fps: Int)
        /// Event number `event` (from 0, in file order) of rule `rule` has a box that is not
        /// inside the picture (0…1) or has no area.
        case badBox(rule: String, event: Int, reason: String)
        /// Rule `rule` is scored on the whole clip but also lists event times: one or the other.
        case eventsWithClipLevelTruth(rule: String, events: Int)

        public var description: String {
            switch self {
            case .unreadable(let path, let reason): "cannot read labels \(path): \(reason)"
            case .badRule(let name, let reason): "label rule \"\(name)\": \(reason)"
            case .badAnalysisFormat(let width, let height, let fps): "analysis format \(width)x\(height) at \(fps) fps: need even sizes and fps ≥ 1"
            case .badBox(let rule, let event, let reason): "label rule \"\(rule)\", event \(event): box \(reason)"
            case .eventsWithClipLevelTruth(let rule, let events):
                "label rule \"\(rule)\" is scored on the whole clip (clipLevel) but lists \(events) event time(s): give one or the other"
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
        try labels.validate()
        return labels
    }

    /// Checks the analysis format, every rule, every box, and that clip-level rules list no
    /// events; throws the first problem found.
    public func validate() throws(Problem) {
        guard analysisWidth >= 16, analysisHeight >= 16, analysisWidth % 2 == 0, analysisHeight % 2 == 0, analysisFPS >= 1 else {
            throw .badAnalysisFormat(width: analysisWidth, height: analysisHeight, fps: analysisFPS)
        }
        for rule in rules {
            do { _ = try rule.analyticsRule.validated() } catch { throw .badRule(name: rule.name, reason: error.description) }
            if clipLevel(of: rule) != nil, !rule.events.isEmpty {
                throw .eventsWithClipLevelTruth(rule: rule.name, events: rule.events.count)
            }
            for (index, event) in rule.events.enumerated() {
                if let reason = event.box.flatMap(Self.problem(with:)) { throw .badBox(rule: rule.name, event: index, reason: reason) }
            }
        }
    }

    /// Why `box` cannot be a labelled box, or nil when it can.
    static func problem(with box: ImageBox) -> String? {
        let numbers = [box.x, box.y, box.width, box.height]
        guard numbers.allSatisfy(\.isFinite) else { return "has a number that is not finite" }
        guard box.width > 0, box.height > 0 else { return "has no area (width \(box.width), height \(box.height))" }
        guard box.x >= 0, box.y >= 0, box.x + box.width <= 1.0001, box.y + box.height <= 1.0001 else {
            return "(x \(box.x), y \(box.y), width \(box.width), height \(box.height)) is not inside the picture (fractions 0…1)"
        }
        return nil
    }
}

extension RealClipLabels.LabelledRule {
    /// The rule as the analyzer takes it: always armed, no class filter, no cool-down. Each call
    /// gives a new id: make the rules once per run.
    public var analyticsRule: AnalyticsRule {
        AnalyticsRule(name: name, kind: kind, coolDownSeconds: 0)
    }
}
