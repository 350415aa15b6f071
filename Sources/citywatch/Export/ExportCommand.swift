import ArgumentParser

/// `citywatch export`: evidence exports.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export evidence clips with a signed manifest, and verify exports.",
        subcommands: [ExportCreateCommand.self, ExportVerifyCommand.self])
}
