import ArgumentParser

/// `citywatch export`: evidence exports.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export evidence clips with a signed manifest, verify exports, and destroy one early.",
        subcommands: [ExportCreateCommand.self, ExportVerifyCommand.self, ExportDestroyCommand.self])
}
