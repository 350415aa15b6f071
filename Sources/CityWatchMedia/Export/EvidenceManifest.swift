import Foundation

/// The record of an evidence export: what was exported, for whom and why, and the SHA-256 of
/// every file, signed with the installation's Ed25519 key (`manifest.json.sig` beside it).
public struct EvidenceManifest: Codable, Sendable, Equatable {
    /// One camera's clip.
    public struct CameraClip: Codable, Sendable, Equatable {
        public var cameraId: UUID
        public var address: String
        public var purpose: String
        public var file: String
        /// The time range asked for.
        public var from: Date
        public var to: Date
        /// What the clip actually covers (a stream-copy cut starts at the keyframe before `from`).
        public var coveredFrom: Date?
        public var coveredTo: Date?
        /// Stretches of the range with no recording.
        public var missing: [TimeRange]
        /// True when privacy masks were blacked out (the clip was re-encoded); absent when the
        /// clip is the camera's video as recorded.
        public var masked: Bool?
        /// Areas blurred in the clip (footage provided to the police); absent otherwise.
        public var blurred: [BlurredArea]?
    }

    /// An area blurred in a clip: a privacy zone or a box an operator marked over a third
    /// party, in fractions of the picture, for the whole clip or from…to.
    public struct BlurredArea: Codable, Sendable, Equatable {
        /// `privacyZone` or `box`.
        public var kind: String
        public var x: Double
        public var y: Double
        public var width: Double
        public var height: Double
        public var from: Date?
        public var to: Date?

        public init(kind: String, x: Double, y: Double, width: Double, height: Double, from: Date? = nil, to: Date? = nil) {
            self.kind = kind
            self.x = x
            self.y = y
            self.width = width
            self.height = height
            self.from = from
            self.to = to
        }
    }

    /// A time range.
    public struct TimeRange: Codable, Sendable, Equatable {
        public var from: Date
        public var to: Date

        public init(from: Date, to: Date) {
            self.from = from
            self.to = to
        }
    }

    /// One file of the export with its hash.
    public struct File: Codable, Sendable, Equatable {
        public var name: String
        public var bytes: Int64
        public var sha256: String
    }

    public var format = "citywatch-evidence/1"
    public var exportId: UUID
    public var createdAt: Date
    public var requestedBy: String
    public var reason: String
    public var from: Date
    public var to: Date
    public var cameras: [CameraClip]
    public var files: [File]
    /// The signer's Ed25519 public key (raw, base64), to compare with the installation's.
    public var signingKey: String
    /// The police provision request this export answers (absent for other exports).
    public var provisionRequestId: UUID?

    /// The manifest's canonical bytes (sorted keys, ISO 8601 times): what the signature covers.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }

    /// Reads a manifest.
    public static func decode(_ data: Data) throws -> EvidenceManifest {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(EvidenceManifest.self, from: data)
    }

    /// The file names of an export folder.
    public static let manifestName = "manifest.json"

    /// The manifest of the export folder at `folder`, nil when it has none or it cannot be read.
    public static func read(folder: String) -> EvidenceManifest? {
        FileManager.default.contents(atPath: (folder as NSString).appendingPathComponent(manifestName)).flatMap { try? decode($0) }
    }
    public static let signatureName = "manifest.json.sig"
}
