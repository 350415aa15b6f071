import ArgumentParser

/// `citywatch provision`: police provision requests and the provision ledger.
struct ProvisionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "provision",
        abstract: "Read police provision requests and the provision ledger (개인영상정보 제공 대장).",
        subcommands: [ProvisionListCommand.self, ProvisionLedgerCommand.self])
}
