import ArgumentParser
import Logging
import Tenants

/// `scim-gateway check`: validates every tenant, mapping and token file.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate every file in the configuration directory; one line per problem."
    )

    @OptionGroup var configDirectory: ConfigDirectoryOption

    @Flag(help: "Also reach each tenant's backend and check its tables and columns.")
    var connect = false

    func run() async throws {
        let directory = TenantDirectory(
            configDirectory: configDirectory.path,
            registry: backendRegistry,
            logger: Logger(label: "scim-gateway.check", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        let problems = await directory.loadProblemsOnly(connect: connect)
        for problem in problems {
            print(problem)
        }
        guard problems.isEmpty else {
            printToStandardError("check: \(problems.count) problem\(problems.count == 1 ? "" : "s") found")
            throw ExitCode.failure
        }
        printToStandardError("check: no problems in \(configDirectory.path)")
    }
}
