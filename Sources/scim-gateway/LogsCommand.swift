import ArgumentParser
import Foundation
import Gateway

/// `scim-gateway logs`: queries the provisioning log.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Show provisioning-log entries, oldest first."
    )

    @OptionGroup var configDirectory: ConfigDirectoryOption

    @Option(name: .customLong("log-store"), help: "The provisioning-log store: sqlite:PATH or postgres://…")
    var logStore = LogStoreLocation.defaultText

    @Option(help: "Only this tenant's entries.")
    var tenant: String?

    @Option(help: "Only entries since a duration ago (30m, 1h, 7d) or an ISO 8601 time.")
    var since: String?

    @Flag(help: "Only failed requests (status 400 or above).")
    var failed = false

    @Option(help: "Only entries for this userName or externalId.")
    var user: String?

    @Option(help: "At most this many entries (the most recent).")
    var limit = 1000

    @Flag(help: "One JSON object per line.")
    var json = false

    func validate() throws {
        guard (1...1_000_000).contains(limit) else {
            throw ValidationError("--limit must be a whole number from 1 to 1000000")
        }
    }

    func run() async throws {
        let location: LogStoreLocation
        var query = ProvisioningLogQuery(tenant: tenant, failedOnly: failed, user: user, limit: limit)
        do {
            location = try LogStoreLocation(parsing: logStore)
            if let since {
                query.since = try SinceParser.parse(since, now: Date())
            }
        } catch let error as ProvisioningLogError {
            throw CommandFailure(message: error.message)
        }
        if location == .none {
            throw CommandFailure(message: "--log-store none keeps no provisioning log; name the store serve writes to")
        }
        if case .sqlite(let path) = location, !FileManager.default.fileExists(atPath: path) {
            throw CommandFailure(message: "no provisioning log at \(path) (see --log-store)")
        }
        let entries: [ProvisioningLogEntry]
        do {
            let store = try await openProvisioningLogStore(location)
            do {
                entries = try await store.entries(matching: query)
            } catch {
                await store.close()
                throw error
            }
            await store.close()
        } catch {
            throw CommandFailure(message: "cannot read the provisioning log at \(location): \(error)")
        }
        if json {
            for entry in entries {
                print(entry.jsonLine())
            }
        } else {
            print(ProvisioningLogTable.render(entries), terminator: "")
        }
    }
}
