import Foundation

extension SyntheticScene {
    /// Reads a scene from a JSON file: either a scene itself or a `NAME.truth.json`, whose
    /// embedded scene makes the same clip again.
    public static func load(from file: URL) throws -> SyntheticScene {
        let data = try Data(contentsOf: file)
        struct Embedded: Decodable { var scene: SyntheticScene }
        if let embedded = try? JSONDecoder().decode(Embedded.self, from: data) { return embedded.scene }
        return try JSONDecoder().decode(SyntheticScene.self, from: data)
    }
}
