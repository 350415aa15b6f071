/// What the tamper detector says about a camera's picture; maintenance sees it on the camera's
/// health and gets a ticket when it is anything but `normal`.
public enum TamperState: String, Sendable, Hashable, CaseIterable, Codable {
    /// The picture looks like the reference view.
    case normal
    /// The lens is covered, sprayed or blinded: the picture is nearly uniform, very dark or saturated.
    case covered
    /// The picture has lost its sharpness against the reference (focus turned, lens fogged or smeared).
    case defocused
    /// The camera points elsewhere: the view no longer matches the reference, or matches it shifted.
    case moved
    /// The stream repeats one picture (encoder or camera hung while the stream goes on).
    case frozen
}
