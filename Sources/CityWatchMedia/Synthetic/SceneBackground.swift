/// What a synthetic camera sees behind its moving objects.
public enum SceneBackground: Codable, Sendable, Hashable {
    /// One flat colour over the whole frame.
    case plain(color: SceneColor)
    /// A real clip (any format ffmpeg reads), scaled and cropped to fill the frame and looped when
    /// the scene is longer than the clip. A relative path is taken from the working directory of
    /// the process that renders the scene.
    case video(path: String)

    /// A flat gray of `level` (0 black … 255 white).
    public static func plain(gray level: UInt8) -> SceneBackground {
        .plain(color: SceneColor(gray: level))
    }
}
