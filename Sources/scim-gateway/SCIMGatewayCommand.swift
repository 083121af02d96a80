import ArgumentParser

/// `scim-gateway`: the root command.
struct SCIMGatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scim-gateway",
        abstract: "SCIM 2.0 provisioning gateway for Chamilo portals.",
        subcommands: [
            ServeCommand.self,
            CheckCommand.self,
            TokensCommand.self,
            ClientsCommand.self,
            LogsCommand.self,
            TenantsCommand.self,
        ]
    )
}
