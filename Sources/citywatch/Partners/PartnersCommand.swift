import ArgumentParser

/// `citywatch partners`: the systems allowed to send 112/119 events.
struct PartnersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partners",
        abstract: "Register, list and revoke the partner systems (the integrated platform's 112/119 gateways) that may send events.",
        subcommands: [PartnersAddCommand.self, PartnersListCommand.self, PartnersRevokeCommand.self])
}
