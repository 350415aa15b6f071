import ArgumentParser

/// `citywatch bells`: the emergency-bell registry.
struct BellsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bells",
        abstract: "Import and list safety emergency bells (national bell standard data) and the cameras that see them; issue their press secrets, press one, open drill windows.",
        subcommands: [BellsImportCommand.self, BellsListCommand.self, BellsKeyCommand.self, BellsPressCommand.self, BellsDrillCommand.self])
}
