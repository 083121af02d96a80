import Foundation
import SQLDrivers
import TestSupport
import Testing

/// The Chamilo REST portal misbehaves under concurrent requests through the real executable: it hangs
/// (accepts, reads, never answers) or cuts its answers off halfway. The gateway answers each request
/// with a SCIM error within its call timeout (504 or 503 with `Retry-After`; never 500, never silence),
/// keeps serving what needs no portal, and serves the portal's users again as soon as it behaves.
@Suite struct ChamiloFaults {
    static let callTimeout = TestTiming.seconds(4)
    /// What a machine loaded by parallel suites may add to a timeout.
    static let margin = TestTiming.seconds(5)

    @Test(.timeLimit(.minutes(TestTiming.minutes(1))))
    func hangingPortal() async throws {
        try await Self.run(.hang) { outcome in
            #expect([503, 504].contains(outcome.status), "\(outcome)")
            #expect(Int(outcome.retryAfter ?? "") ?? 0 > 0, "no Retry-After: \(outcome)")
            #expect(
                outcome.seconds >= Self.callTimeout - 0.5 && outcome.seconds < Self.callTimeout + Self.margin,
                "\(outcome)"
            )
        }
    }

    @Test(.timeLimit(.minutes(TestTiming.minutes(1))))
    func connectionsDroppedMidResponse() async throws {
        try await Self.run(.dropMidResponse) { outcome in
            // A cut answer is the portal's failure, not the gateway's: 502 (unusable answer) or 503/504.
            #expect([502, 503, 504].contains(outcome.status), "\(outcome)")
            if outcome.status != 502 {
                #expect(Int(outcome.retryAfter ?? "") ?? 0 > 0, "no Retry-After: \(outcome)")
            }
            #expect(outcome.seconds < Self.callTimeout + Self.margin, "\(outcome)")
        }
    }

    /// Three changes of one user while the portal hangs: each is answered 504 within its timeout. The
    /// REST backend serialises the writes of one user; a write waiting for the lock behind a hung one
    /// gives up after half a call timeout, so every answer comes within one and a half timeouts.
    @Test(.timeLimit(.minutes(TestTiming.minutes(1))))
    func changesOfOneUserWhileThePortalHangs() async throws {
        try await Self.gateway { gateway, portal, id in
            await portal.state.setFault(.hang)
            let outcomes = await withTaskGroup(of: FaultOutcome.self) { group in
                for _ in 0..<3 {
                    group.addTask {
                        await FaultLoad.send(gateway, .patch, userName: "before", id: id, tenant: "rest", timeout: 60)
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            for outcome in outcomes {
                #expect(outcome.status == 504, "\(outcome)")
            }
            for outcome in outcomes {
                #expect(outcome.seconds < Self.callTimeout + Self.margin, "\(outcome)")
            }
            await portal.state.setFault(.none)
        }
    }

    /// A gateway over a fake portal holding one user, created before any fault.
    private static func gateway(
        _ body: @Sendable (WireGateway, FakeChamiloServer, String) async throws -> Void
    ) async throws {
        var options = ScenarioGateway.Options()
        options.statementTimeout = callTimeout
        options.connectTimeout = callTimeout
        try await WireGateway.run([WireTenant("rest", engine: .chamiloREST, options: options)]) { gateway in
            let portal = try #require(gateway.portal("rest"))
            // A machine loaded by parallel suites may keep the in-process portal from answering in time:
            // the user every check needs is created with a few tries.
            var id: String?
            for attempt in 0..<3 where id == nil {
                let created = await FaultLoad.send(
                    gateway,
                    .create,
                    userName: "before-\(attempt)@example.org",
                    id: nil,
                    tenant: "rest",
                    timeout: TestTiming.seconds(30)
                )
                id = created.status == 201 ? created.id : nil
            }
            try await body(gateway, portal, try #require(id, "no user could be created before the fault"))
        }
    }

    /// Turns the fault on, sends 8 requests at once (creates, reads and a patch) and checks each answer,
    /// then clears the fault and expects the portal's users to be served again.
    private static func run(
        _ fault: FakeChamiloFault,
        _ checkRefusal: @Sendable (FaultOutcome) -> Void
    ) async throws {
        try await gateway { gateway, portal, id in
            await portal.state.setFault(fault)
            let outcomes = await withTaskGroup(of: FaultOutcome.self) { group in
                for index in 0..<8 {
                    let operation: FaultOutcome.Operation = index < 4 ? .create : index < 7 ? .read : .patch
                    let userName = operation == .create ? "burst-\(index)@example.org" : "before"
                    group.addTask {
                        await FaultLoad.send(
                            gateway,
                            operation,
                            userName: userName,
                            id: id,
                            tenant: "rest",
                            timeout: callTimeout + 30
                        )
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            for outcome in outcomes {
                #expect(outcome.status != 500 && outcome.status != 0, "\(outcome)")
                #expect(outcome.body.contains("urn:ietf:params:scim:api:messages:2.0:Error"), "\(outcome)")
                checkRefusal(outcome)
            }
            #expect(gateway.isAlive, "the gateway exited:\n\(gateway.serverOutput().suffix(2000))")
            let discovery = try await gateway.request("GET", "/scim/v2/ServiceProviderConfig", tenant: "rest")
            #expect(discovery.status == 200, "\(discovery)")

            await portal.state.setFault(.none)
            // The next request is served. A second try only after a full timeout, which is the machine
            // (loaded by parallel suites) starving the in-process portal, not a connection the fault left
            // broken: that would fail at once.
            var back = await FaultLoad.send(gateway, .read, userName: "before", id: id, tenant: "rest", timeout: 30)
            if back.status == 504, back.seconds >= callTimeout {
                back = await FaultLoad.send(gateway, .read, userName: "before", id: id, tenant: "rest", timeout: 30)
            }
            #expect(back.status == 200, "\(back)")
            try await Wire.createUser(gateway, "rest", "after@example.org")
            let violations = await portal.state.violations
            #expect(violations.isEmpty, "\(violations)")
        }
    }
}
