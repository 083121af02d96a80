import ArgumentParser
import Backends
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
        let lines = await directory.loadProblemsOnly(connect: connect)
        let problems = lines.filter { !$0.contains(" \(VerificationNote.notePrefix) ") }
        for line in lines where !problems.contains(line) {
            printToStandardError(line)
        }
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
