import Backends
import Foundation
import SCIM
import SQLDrivers
import Synchronization
import TestSupport
import Testing

/// One request of a fault run and what came back (status 0: no answer at all).
struct FaultOutcome: Sendable, CustomStringConvertible {
    enum Operation: String, Sendable {
        case create, patch, read
    }

    var operation: Operation
    var userName: String
    /// The user's id: from a create's answer, or the id a patch targeted.
    var id: String?
    var status: Int
    var retryAfter: String?
    var started: ContinuousClock.Instant
    var finished: ContinuousClock.Instant
    var body: String

    var isSuccess: Bool { (200..<300).contains(status) }
    var seconds: Double { Self.seconds(started.duration(to: finished)) }

    var description: String {
        "\(operation.rawValue) \(userName): \(status) in \(String(format: "%.2f", seconds)) s \(body.prefix(300))"
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// Collects the outcomes of concurrent clients and tells them when to stop.
final class FaultRecorder: Sendable {
    private struct State {
        var outcomes: [FaultOutcome] = []
        var stopped = false
    }

    private let state = Locked(State())

    func record(_ outcome: FaultOutcome) { state.withLock { $0.outcomes.append(outcome) } }
    func stop() { state.withLock { $0.stopped = true } }
    var isStopped: Bool { state.withLock { $0.stopped } }
    var outcomes: [FaultOutcome] { state.withLock { $0.outcomes } }

    /// Waits until `condition` holds over the outcomes so far, for at most `limit`.
    func wait(
        atMost limit: Duration,
        until condition: @Sendable ([FaultOutcome]) -> Bool
    ) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if condition(outcomes) { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return condition(outcomes)
    }
}

/// Clients that create users and patch each one created, until told to stop: the load a fault is
/// injected under. User names are `<prefix>-<client>-<n>@example.org`, each sent with an externalId
/// (which the Chamilo 1.11 mapping keeps in an extra field) so that a create writes all its kinds of rows.
enum FaultLoad {
    static let patchedGivenName = "Patched"

    /// Runs `clients` clients against `tenant` until `recorder` is stopped. A client pauses briefly after
    /// a refusal instead of hammering a gateway whose backend is away.
    static func run(
        _ gateway: WireGateway,
        tenant: String,
        prefix: String,
        clients: Int = 8,
        timeout: Double = 20,
        recorder: FaultRecorder
    ) async {
        await withTaskGroup(of: Void.self) { group in
            for client in 0..<clients {
                group.addTask {
                    var number = 0
                    while !recorder.isStopped {
                        number += 1
                        let userName = "\(prefix)-\(client)-\(number)@example.org"
                        let created = await send(
                            gateway,
                            .create,
                            userName: userName,
                            id: nil,
                            tenant: tenant,
                            timeout: timeout
                        )
                        recorder.record(created)
                        guard created.status == 201, let id = created.id else {
                            try? await Task.sleep(for: .milliseconds(50))
                            continue
                        }
                        recorder.record(
                            await send(gateway, .patch, userName: userName, id: id, tenant: tenant, timeout: timeout)
                        )
                    }
                }
            }
        }
    }

    /// Waits until the load runs, kills the server, keeps it away for 2 s and starts it again. Answers
    /// when it was killed and when it accepted connections again.
    static func outage(
        of server: DatabaseServer,
        under recorder: FaultRecorder
    ) async throws
        -> (killed: ContinuousClock.Instant, back: ContinuousClock.Instant)
    {
        let running = try await recorder.wait(atMost: .seconds(20)) { outcomes in
            outcomes.filter { $0.operation == .patch && $0.isSuccess }.count >= 8
        }
        try #require(running, "the load did not get going: \(recorder.outcomes.suffix(5))")
        let killed = ContinuousClock.now
        try await Blocking.run { try server.kill() }
        try await Task.sleep(for: .seconds(2))
        try await Blocking.run { try server.start() }
        return (killed, .now)
    }

    /// One request of the load, timed.
    static func send(
        _ gateway: WireGateway,
        _ operation: FaultOutcome.Operation,
        userName: String,
        id: String?,
        tenant: String,
        timeout: Double
    ) async -> FaultOutcome {
        let started = ContinuousClock.now
        let response: RawHTTPResponse?
        switch operation {
        case .create:
            response = try? await gateway.request(
                "POST",
                "/scim/v2/Users",
                tenant: tenant,
                body: Wire.user(userName, externalId: "ext-" + userName),
                timeout: timeout
            )
        case .read:
            response = try? await gateway.request("GET", "/scim/v2/Users/\(id ?? "")", tenant: tenant, timeout: timeout)
        case .patch:
            response = try? await gateway.request(
                "PATCH",
                "/scim/v2/Users/\(id ?? "")",
                tenant: tenant,
                body: """
                    {"schemas":["\(Wire.patchSchema)"],"Operations":[{"op":"replace","path":"name.givenName",\
                    "value":"\(patchedGivenName)"}]}
                    """,
                timeout: timeout
            )
        }
        return FaultOutcome(
            operation: operation,
            userName: userName,
            id: operation == .create ? response?["id"]?.stringValue : id,
            status: response?.status ?? 0,
            retryAfter: response?.header("Retry-After"),
            started: started,
            finished: .now,
            body: response?.body ?? "no answer"
        )
    }
}

extension SQLValue {
    /// The value as text (integers and text alike), for comparing ids and names read back with SQL.
    var faultText: String? {
        switch self {
        case .integer(let value): return String(value)
        case .text(let value): return value
        case .double(let value): return String(value)
        case .blob(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .null: return nil
        }
    }
}
