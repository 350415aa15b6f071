import ArgumentParser

/// `citywatch cameras`: the camera registry.
struct CamerasCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cameras",
        abstract: "Import and export the camera registry (national CCTV standard data); re-task parking cameras.",
        subcommands: [CamerasImportCommand.self, CamerasExportCommand.self, CamerasRetaskCommand.self, CamerasRetaskingsCommand.self])
}
