import Foundation
import SQLDrivers
import TestSupport
import Testing

/// A tenant's PostgreSQL or MariaDB server is killed (SIGKILL, as a crash or an OOM kill would) and
/// started again while 8 clients create and patch users through the real executable. While it is away
/// the gateway answers 503 with `Retry-After` within its timeouts (never 500, never silence); once it
/// accepts connections again the gateway serves within 5 s without a restart; and the database holds
/// every answered write whole and no half-written user.
///
/// The servers are the `*_SCENARIO_RESTART_*` pair, which only restart tests use; each test holds its
/// server (``DatabaseServer/exclusively(_:)``) so that ResilienceScenarios never runs during the outage.
@Suite(.serialized) struct DatabaseKillFaults {
    /// Seconds the gateway may spend on one request while its database is away: the tenant's connect
    /// and statement timeouts and a margin for a loaded machine.
    static let connectTimeout = 2.0
    static let statementTimeout = 3.0
    static let answerBound = connectTimeout + statementTimeout + 5

    @Test(
        .timeLimit(.minutes(TestTiming.minutes(2))),
        arguments: [ScenarioEngine.postgres, .mysql].filter(\.isAvailable)
    )
    func killedAndRestartedUnderLoad(engine: ScenarioEngine) async throws {
        let prefix = try #require(engine.serverPrefixes).restart
        let server = try ScenarioServers.require(prefix)
        var options = ScenarioGateway.Options()
        options.restartServer = true
        options.connectTimeout = Self.connectTimeout
        options.statementTimeout = Self.statementTimeout
        let tenant = WireTenant("acme", engine: engine, options: options)
        let names = "kill-\(engine.rawValue)"
        try await server.exclusively {
            try await WireGateway.run([tenant]) { gateway in
                if engine == .mysql {
                    // The test servers run with innodb_flush_log_at_trx_commit=0, which loses the last
                    // second of commits when the process dies; 2 hands each commit to the OS, so that a
                    // kill (not a machine crash) loses none and what the test finds is the gateway's doing.
                    try await gateway.sql("acme", "SET GLOBAL innodb_flush_log_at_trx_commit = 2")
                }
                let recorder = FaultRecorder()
                async let load: Void = FaultLoad.run(gateway, tenant: "acme", prefix: names, recorder: recorder)
                let timeline: (killed: ContinuousClock.Instant, back: ContinuousClock.Instant)
                do {
                    timeline = try await FaultLoad.outage(of: server, under: recorder)
                } catch {
                    recorder.stop()
                    await load
                    _ = try? await Blocking.run { try server.start() }
                    throw error
                }
                let recovered = try await recorder.wait(atMost: .seconds(15)) { outcomes in
                    outcomes.contains { $0.isSuccess && $0.finished > timeline.back }
                }
                // A little more load after the recovery, then the clients stop.
                try await Task.sleep(for: .milliseconds(500))
                recorder.stop()
                await load
                let outcomes = recorder.outcomes
                #expect(recovered, "no success after \(engine.rawValue) returned: \(outcomes.suffix(5))")
                #expect(gateway.isAlive, "the gateway exited:\n\(gateway.serverOutput().suffix(2000))")
                Self.checkAnswers(outcomes, timeline: timeline)
                let rows = try await FaultRows.read(gateway, tenant: "acme", prefix: names)
                let committed = rows.check(outcomes)
                let created = outcomes.filter { $0.operation == .create && $0.isSuccess }.count
                #expect(rows.users.count == created + committed, "stored \(rows.users.count), answered \(created)")
            }
        }
    }

    /// Every request was answered within the bound; failures are 503 (or 504 for a statement the
    /// kill cut short) with `Retry-After`, never 500; the outage was seen; the first success after the
    /// server's return came within 5 s.
    private static func checkAnswers(
        _ outcomes: [FaultOutcome],
        timeline: (killed: ContinuousClock.Instant, back: ContinuousClock.Instant)
    ) {
        for outcome in outcomes {
            #expect(outcome.seconds < answerBound, "\(outcome)")
            if outcome.isSuccess { continue }
            #expect([503, 504].contains(outcome.status), "\(outcome)")
            #expect(Int(outcome.retryAfter ?? "") ?? 0 > 0, "no Retry-After: \(outcome)")
            #expect(outcome.body.contains("urn:ietf:params:scim:api:messages:2.0:Error"), "\(outcome)")
        }
        let unavailable = outcomes.filter { $0.status == 503 && $0.started >= timeline.killed }
        #expect(!unavailable.isEmpty, "no 503 while the server was away")
        let firstSuccess = outcomes.filter { $0.isSuccess && $0.finished > timeline.back }.map(\.finished).min()
        if let firstSuccess {
            let wait = FaultOutcome.seconds(timeline.back.duration(to: firstSuccess))
            #expect(wait < 5, "the first success came \(wait) s after the server accepted connections again")
        }
    }
}
