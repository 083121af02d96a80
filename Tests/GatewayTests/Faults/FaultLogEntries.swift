import Foundation
import SCIM
import SQLDrivers
import Testing

/// The provisioning-log entries of a tenant as `scim-gateway logs --json` prints them, matched against
/// the requests of a fault run by user name and operation (every request of ``FaultLoad`` names a user
/// no other request names with the same operation).
struct FaultLogEntries: Sendable {
    struct Key: Hashable, Sendable, CustomStringConvertible {
        var userName: String
        var operation: String
        var description: String { "\(operation) \(userName)" }
    }

    /// Key → the statuses logged for it, in the order printed.
    var statuses: [Key: [Int]]

    static func key(_ outcome: FaultOutcome) -> Key {
        Key(userName: outcome.userName.lowercased(), operation: outcome.operation.rawValue)
    }

    /// Reads the entries through the real executable's `logs` command.
    static func read(_ gateway: WireGateway, tenant: String) async throws -> FaultLogEntries {
        let result = try await gateway.cli(["logs", "--tenant", tenant, "--json", "--limit", "1000000"])
        guard result.status == 0 else { throw ScenarioSetupError("logs failed: \(result)") }
        var statuses: [Key: [Int]] = [:]
        for line in result.stdout.split(separator: "\n") {
            guard let entry = try? JSONValue.parse(String(line)).objectValue,
                let userName = entry["userName"]?.stringValue, let operation = entry["operation"]?.stringValue,
                let status = entry["status"]?.wireInteger
            else { continue }
            statuses[Key(userName: userName.lowercased(), operation: operation), default: []].append(Int(status))
        }
        return FaultLogEntries(statuses: statuses)
    }

    /// The requests whose entry is missing, and those logged more than once or with another status.
    func mismatches(_ outcomes: [FaultOutcome]) -> (missing: [Key], wrong: [String]) {
        var missing: [Key] = []
        var wrong: [String] = []
        for outcome in outcomes {
            let key = Self.key(outcome)
            switch statuses[key] {
            case nil: missing.append(key)
            case [outcome.status]?: break
            case let logged?: wrong.append("\(key): answered \(outcome.status), logged \(logged)")
            }
        }
        return (missing, wrong)
    }

    /// Waits (at most `limit`) until every request is in the log exactly once with the status it was
    /// answered with, and checks that it then is. The log is written in batches and a spool replays
    /// every few seconds.
    static func expectEveryRequestOnce(
        _ outcomes: [FaultOutcome],
        in gateway: WireGateway,
        tenant: String,
        within limit: Duration,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let deadline = ContinuousClock.now + limit
        var entries = FaultLogEntries(statuses: [:])
        while true {
            if let read = try? await read(gateway, tenant: tenant) { entries = read }
            let (missing, wrong) = entries.mismatches(outcomes)
            if missing.isEmpty || !wrong.isEmpty || ContinuousClock.now >= deadline {
                #expect(
                    missing.isEmpty,
                    "\(missing.count) of \(outcomes.count) requests not logged: \(missing.prefix(10))",
                    sourceLocation: sourceLocation
                )
                #expect(wrong.isEmpty, "logged wrongly: \(wrong.prefix(10))", sourceLocation: sourceLocation)
                return
            }
            try await Task.sleep(for: .milliseconds(500))
        }
    }
}
