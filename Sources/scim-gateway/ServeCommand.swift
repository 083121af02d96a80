import ArgumentParser
import Gateway
import Logging

/// `scim-gateway serve`: runs the HTTP gateway until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve SCIM 2.0 for every tenant in the configuration directory."
    )

    @OptionGroup var configDirectory: ConfigDirectoryOption

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port = 8080

    @Option(name: .customLong("log-store"), help: "The provisioning-log store: sqlite:PATH or postgres://…")
    var logStore = LogStoreLocation.defaultText

    @Option(name: .customLong("log-retention-days"), help: "Days of provisioning log to keep (0 keeps everything).")
    var logRetentionDays = 90

    @Option(
        name: .customLong("log-format"),
        help: "Process log lines on standard error: text, or json (one JSON object per line, for log collectors)."
    )
    var logFormat: LogFormat = .text

    func validate() throws {
        guard (1...65_535).contains(port) else {
            throw ValidationError("--port must be between 1 and 65535")
        }
        guard logRetentionDays >= 0 else {
            throw ValidationError("--log-retention-days must not be negative")
        }
        do {
            _ = try LogStoreLocation(parsing: logStore)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    func run() async throws {
        if logFormat == .json {
            LoggingSystem.bootstrap { label in JSONLogHandler(label: label) }
        }
        let options = GatewayOptions(
            configDirectory: configDirectory.path,
            host: host,
            port: port,
            logStore: logStore,
            logRetentionDays: logRetentionDays == 0 ? nil : logRetentionDays
        )
        do {
            try await runGateway(options)
        } catch {
            throw CommandFailure(error)
        }
    }
}

/// How `serve` writes its own log lines.
enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}
