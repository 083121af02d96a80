import Foundation
import SQLDrivers
import TestSupport
import Testing

/// The PostgreSQL provisioning-log store (`--log-store postgres://…`) is killed with SIGKILL and started
/// again while 8 clients create and patch users of an SQLite tenant. Provisioning goes on unharmed,
/// and afterwards every request is in the log exactly once: what the store could not take was spooled
/// and replayed, and nothing was written twice.
@Suite struct LogStoreKillFaults {
    @Test(.timeLimit(.minutes(TestTiming.minutes(2))), .enabled(if: ScenarioEngine.postgres.isAvailable))
    func killedLogStoreLosesAndDuplicatesNothing() async throws {
        let server = try ScenarioServers.require("POSTGRES_SCENARIO_RESTART")
        try await server.exclusively {
            let schema = try await PostgresSchema.create(on: server)
            do {
                try await Self.run(server, logStore: schema.url)
            } catch {
                _ = try? await Blocking.run { try server.start() }
                await schema.drop()
                throw error
            }
            await schema.drop()
        }
    }

    private static func run(_ server: DatabaseServer, logStore: String) async throws {
        try await WireGateway.run(
            [WireTenant("acme")],
            logStore: logStore,
            environment: ["SCIM_GATEWAY_LOG_STORE_PASSWORD": server.password]
        ) { gateway in
            let recorder = FaultRecorder()
            async let load: Void = FaultLoad.run(gateway, tenant: "acme", prefix: "logkill", recorder: recorder)
            do {
                _ = try await FaultLoad.outage(of: server, under: recorder)
                try await Task.sleep(for: .seconds(1))
            } catch {
                recorder.stop()
                await load
                throw error
            }
            recorder.stop()
            await load
            let outcomes = recorder.outcomes
            // The log store is not on the request path: provisioning never noticed.
            let refused = outcomes.filter { !$0.isSuccess }
            #expect(refused.isEmpty, "\(refused.count) refused: \(refused.prefix(5))")
            #expect(gateway.isAlive, "the gateway exited:\n\(gateway.serverOutput().suffix(2000))")
            #expect(
                gateway.serverOutput().contains("spooling entries"),
                "the store's failure was never noticed (the kill missed every batch)"
            )
            // A replay runs every 5 s at most; a batch every 200 ms.
            try await FaultLogEntries.expectEveryRequestOnce(
                outcomes,
                in: gateway,
                tenant: "acme",
                within: .seconds(30)
            )
        }
    }
}
