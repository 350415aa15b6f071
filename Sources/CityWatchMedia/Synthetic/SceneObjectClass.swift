/// What a synthetic object is; it decides the shape the renderer draws and the class the ground
/// truth reports. Raw values are the JSON spelling (and the COCO class names where one exists).
public enum SceneObjectClass: String, Codable, Sendable, Hashable, CaseIterable {
    /// A pedestrian: a tall rounded body with a head (a lying one when its box is wider than tall).
    case person
    /// A bicycle: two wheels and a frame.
    case bicycle
    /// A car: a wide rounded rectangle with windows and wheels.
    case car
    /// A motorcycle: drawn like a bicycle.
    case motorcycle
    /// A bus: drawn like a car.
    case bus
    /// A truck: drawn like a car.
    case truck
    /// A bag, suitcase or parcel: a small square with a handle strip.
    case bag
}
