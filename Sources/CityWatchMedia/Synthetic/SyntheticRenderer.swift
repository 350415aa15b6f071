import CityWatchDomain

/// Draws the frames of a ``SyntheticScene``: background, then the objects in scene order as
/// filled silhouettes, then the whole-frame effects (lighting, sensor noise). Pure: the pixels
/// of frame `n` depend only on the scene (seed included) and, for video backgrounds, the
/// background picture passed in.
///
/// Budget: ≤ 2 ms per 640×360 frame in a release build on one core (measured ~1 ms with noise and
/// lighting, ~0.02 ms without); ``render(frame:into:background:)`` allocates nothing. Debug builds
/// are ~30× slower in the noise pass.
public struct SyntheticRenderer: Sendable {
    /// The scene drawn.
    public let scene: SyntheticScene

    /// A renderer for `scene` (which should have passed ``SyntheticScene/validate()``).
    public init(scene: SyntheticScene) {
        self.scene = scene
    }

    /// Gray shown behind a `.video` scene when no background picture is given.
    public static let missingBackground = SceneColor(gray: 128)

    /// Draws frame `index` into `pixels`: RGB24, rows top to bottom, at least
    /// ``SyntheticScene/frameByteCount`` bytes. For a `.video` scene `background` is this
    /// frame's picture of the clip, already the frame's size and RGB24; it is ignored otherwise.
    public func render(frame index: Int, into pixels: UnsafeMutableBufferPointer<UInt8>,
                       background: UnsafeBufferPointer<UInt8>? = nil) {
        precondition(pixels.count >= scene.frameByteCount, "frame buffer smaller than \(scene.frameByteCount) bytes")
        let canvas = SyntheticCanvas(pixels: pixels, width: scene.width, height: scene.height)
        let time = scene.time(ofFrame: index)
        let shake = scene.shakeOffset(frame: index)

        switch scene.background {
        case .plain(let color): canvas.fill(color)
        case .video:
            if let background { canvas.copy(background, dx: shake.dx, dy: shake.dy) } else { canvas.fill(Self.missingBackground) }
        }

        let frame = PixelBox(x: 0, y: 0, width: scene.width, height: scene.height)
        for object in scene.objects {
            guard let box = object.box(at: time)?.offsetBy(dx: shake.dx, dy: shake.dy), box.intersection(frame) != nil else { continue }
            Self.draw(object.objectClass, in: box, color: object.color, on: canvas)
        }

        applyEffects(on: canvas, brightness: scene.brightness(at: time), frame: index)
    }

    /// Renders frame `index` into a new array (for tests and tools; the encoder reuses one buffer).
    public func render(frame index: Int, background: [UInt8]? = nil) -> [UInt8] {
        var pixels = [UInt8](repeating: 0, count: scene.frameByteCount)
        pixels.withUnsafeMutableBufferPointer { target in
            if let background {
                background.withUnsafeBufferPointer { render(frame: index, into: target, background: $0) }
            } else {
                render(frame: index, into: target)
            }
        }
        return pixels
    }

    /// Brightness then noise, in one pass over the frame's bytes. The brightness table lives on
    /// the stack; the noise takes eight bytes of randomness from each 64-bit draw.
    private func applyEffects(on canvas: SyntheticCanvas, brightness: Double, frame index: Int) {
        let amplitude = scene.effects.noise
        guard amplitude > 0 || brightness != 1 else { return }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { table in
            for level in 0..<256 { table[level] = UInt8(min(255, max(0, (Double(level) * brightness).rounded()))) }
            let bytes = canvas.pixels
            let count = scene.frameByteCount
            guard amplitude > 0 else {
                for offset in 0..<count { bytes[offset] = table[Int(bytes[offset])] }
                return
            }
            var random = SceneRandom(seed: scene.seed, stream: UInt64(truncatingIfNeeded: index))
            let span = 2 * amplitude + 1
            var bits: UInt64 = 0
            for offset in 0..<count {
                if offset & 7 == 0 { bits = random.next() }
                let noise = (Int(bits & 0xFF) * span) >> 8 - amplitude
                bits >>= 8
                bytes[offset] = UInt8(clamping: Int(table[Int(bytes[offset])]) + noise)
            }
        }
    }
}
