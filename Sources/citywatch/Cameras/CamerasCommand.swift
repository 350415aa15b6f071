import ArgumentParser

/// `citywatch cameras`: the camera registry.
struct CamerasCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cameras",
        abstract: "Import and export the camera registry (national CCTV standard data).",
        subcommands: [CamerasImportCommand.self, CamerasExportCommand.self])
}
