import Foundation

/// A synthetic clip on disk: the MP4 and its ground truth beside it.
public struct SyntheticClip: Sendable {
    /// `NAME.mp4`.
    public var video: URL
    /// `NAME.truth.json`.
    public var truthFile: URL
    /// What the clip shows, frame by frame (the content of ``truthFile``).
    public var groundTruth: SyntheticGroundTruth
    /// How it was encoded.
    public var encoding: SyntheticEncoding

    public init(video: URL, truthFile: URL, groundTruth: SyntheticGroundTruth, encoding: SyntheticEncoding) {
        self.video = video
        self.truthFile = truthFile
        self.groundTruth = groundTruth
        self.encoding = encoding
    }

    /// The scene it was made from.
    public var scene: SyntheticScene { groundTruth.scene }
}
