import ArgumentParser
import Foundation
import Tenants

/// `scim-gateway tenants`: what the configuration directory declares.
struct TenantsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenants",
        abstract: "Show the tenants of the configuration directory.",
        subcommands: [List.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List tenants: id, name, backend kind, mapping and active tokens."
        )

        @OptionGroup var configDirectory: ConfigDirectoryOption

        func run() async throws {
            let files = TenantFiles(configDirectory: configDirectory.path)
            let loaded = files.configurations()
            var problems = loaded.problems.map(\.description)
            let now = Date()
            var rows: [(configuration: TenantConfiguration, activeTokens: Int)] = []
            for configuration in loaded.configurations {
                do {
                    let tokens = try files.tokens(.tenant(configuration.id))
                    rows.append((configuration, tokens.filter { $0.status(at: now) == .active }.count))
                } catch {
                    problems.append(error.description)
                    rows.append((configuration, 0))
                }
            }
            print(OperatorReport.tenantTable(rows), terminator: "")
            for problem in problems {
                printToStandardError(problem)
            }
            if !problems.isEmpty {
                throw ExitCode.failure
            }
        }
    }
}
