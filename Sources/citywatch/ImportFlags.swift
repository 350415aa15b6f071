import ArgumentParser
import CityWatchDomain

/// Flags every registry import shares (`cameras import`, `bells import`).
struct ImportFlags: ParsableArguments {
    @Flag(name: .customLong("anywhere"), help: "Accept positions anywhere on earth, not only in South Korea.")
    var anywhere = false

    @Flag(name: .customLong("json"), help: "Print the report as JSON instead of text.")
    var json = false

    /// Where imported positions must lie.
    var bounds: RegistryBounds { anywhere ? .world : .korea }
}
