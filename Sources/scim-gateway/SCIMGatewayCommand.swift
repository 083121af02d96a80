import ArgumentParser

/// `scim-gateway`: the root command.
struct SCIMGatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scim-gateway",
        abstract: "SCIM 2.0 provisioning gateway for Chamilo portals.",
        subcommands: [
            // `serve` and `logs` join this list with the HTTP gateway and the provisioning log.
            CheckCommand.self,
            TokensCommand.self,
            TenantsCommand.self,
        ]
    )
}
