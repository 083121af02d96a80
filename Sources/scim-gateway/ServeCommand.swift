import ArgumentParser
import Foundation
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

    @Option(
        name: .customLong("log-store"),
        help: "The provisioning-log store: sqlite:PATH or postgres://… (none: keep no log, for measurements only)"
    )
    var logStore = LogStoreLocation.defaultText

    @Option(name: .customLong("log-retention-days"), help: "Days of provisioning log to keep (0 keeps everything).")
    var logRetentionDays = 90

    @Option(
        name: .customLong("log-format"),
        help: "Process log lines on standard error: text, or json (one JSON object per line, for log collectors)."
    )
    var logFormat: LogFormat = .text

    @Option(
        name: .customLong("header-timeout"),
        help: "Seconds a client has to send a complete request head before its connection is closed."
    )
    var headerTimeout = 30.0

    @Option(
        name: .customLong("body-timeout"),
        help: "Seconds over which a request body must arrive at --min-body-rate or faster."
    )
    var bodyTimeout = 10.0

    @Option(name: .customLong("min-body-rate"), help: "The slowest request body accepted, in bytes per second.")
    var minBodyRate = 16

    @Option(name: .customLong("idle-timeout"), help: "Seconds an idle keep-alive connection stays open.")
    var idleTimeout = 60.0

    @Option(name: .customLong("max-connections"), help: "The most client connections open at once.")
    var maxConnections = 4096

    @Option(
        name: .customLong("trusted-proxy"),
        help: "A reverse proxy's address whose X-Forwarded-For names the client in the log (repeatable)."
    )
    var trustedProxies: [String] = []

    func validate() throws {
        guard (1...65_535).contains(port) else {
            throw ValidationError("--port must be between 1 and 65535")
        }
        guard (0...36_600).contains(logRetentionDays) else {
            throw ValidationError("--log-retention-days must be from 0 (keep everything) to 36600")
        }
        for (name, value) in [
            ("--header-timeout", headerTimeout), ("--body-timeout", bodyTimeout), ("--idle-timeout", idleTimeout),
        ] where !(value.isFinite && ConnectionLimits.timeoutRange.contains(value)) {
            throw ValidationError("\(name) must be a number of seconds from 0.1 to 86400")
        }
        guard (0...1_000_000_000).contains(minBodyRate) else {
            throw ValidationError("--min-body-rate must be from 0 to 1000000000 bytes per second")
        }
        guard ConnectionLimits.maxConnectionsRange.contains(maxConnections) else {
            throw ValidationError("--max-connections must be from 1 to 1000000")
        }
        for proxy in trustedProxies where !Self.isIPAddress(proxy) {
            throw ValidationError("--trusted-proxy '\(proxy.prefix(64))' is not an IPv4 or IPv6 address")
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
            logRetentionDays: logRetentionDays == 0 ? nil : logRetentionDays,
            connectionLimits: ConnectionLimits(
                headerTimeout: .seconds(headerTimeout),
                bodyTimeout: .seconds(bodyTimeout),
                minimumBodyRate: minBodyRate,
                idleTimeout: .seconds(idleTimeout),
                maxConnections: maxConnections
            ),
            trustedProxies: Set(trustedProxies)
        )
        do {
            try await runGateway(options)
        } catch {
            throw CommandFailure(error)
        }
    }

    /// Whether `text` is a numeric IPv4 or IPv6 address, as a peer address is written.
    static func isIPAddress(_ text: String) -> Bool {
        var ipv4 = in_addr()
        var ipv6 = in6_addr()
        return inet_pton(AF_INET, text, &ipv4) == 1 || inet_pton(AF_INET6, text, &ipv6) == 1
    }
}

/// How `serve` writes its own log lines.
enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}
