import Backends
import Foundation
import HTTPTypes
import SCIM
import TestSupport
import Testing

/// A tenant's store goes away and comes back while the gateway keeps running: requests answer 503 with
/// `Retry-After` (504 for a portal too slow to answer), other requests are still served, and the first
/// request after the store returns succeeds without rebuilding anything.
@Suite(.serialized) struct ResilienceScenarios {
    @Test(arguments: ScenarioEngine.supporting(.restartableServer))
    func databaseServerStopsAndReturns(engine: ScenarioEngine) async throws {
        var options = ScenarioGateway.Options()
        options.restartServer = true
        options.statementTimeout = 3
        options.connectTimeout = 2
        let restartPrefix = try #require(engine.serverPrefixes).restart
        // The fault tests kill the same server: one of them at a time.
        try await ScenarioServers.require(restartPrefix).exclusively {
            try await ScenarioGateway.run(engine, options) { gateway, client in
                let server = try #require(gateway.server)
                let id = try await client.createUser(ScenarioUsers.json("survivor"))
                do {
                    try await Blocking.run { try server.stop() }
                    for request in [
                        { try await client.get("/Users/\(id)") },
                        { try await client.list(filter: #"userName eq "survivor""#) },
                        { try await client.post("/Users", ScenarioUsers.json("newcomer")) },
                    ] as [@Sendable () async throws -> ScenarioResponse] {
                        let down = try await request()
                        expectSCIMError(down, .serviceUnavailable)
                        #expect(Int(down.headers[.retryAfter] ?? "") ?? 0 > 0)
                    }
                    // Requests that need no backend are still served.
                    #expect(try await client.get("/ServiceProviderConfig").status == .ok)
                } catch {
                    try await Blocking.run { try server.start() }
                    throw error
                }
                try await Blocking.run { try server.start() }
                let back = try await client.get("/Users/\(id)")
                #expect(back.status == .ok, "\(back.text)")
                #expect(try await client.post("/Users", ScenarioUsers.json("newcomer")).status == .created)
            }
        }
    }

    @Test(arguments: ScenarioEngine.supporting(.fakePortal))
    func portalStopsSlowsAndReturns(engine: ScenarioEngine) async throws {
        var options = ScenarioGateway.Options()
        options.statementTimeout = 4
        try await ScenarioGateway.run(engine, options) { gateway, client in
            let portal = try #require(gateway.portal)
            let id = try await client.createUser(ScenarioUsers.json("survivor"))

            await portal.stop()
            let down = try await client.get("/Users/\(id)")
            expectSCIMError(down, .serviceUnavailable)
            #expect(Int(down.headers[.retryAfter] ?? "") ?? 0 > 0)
            #expect(try await client.get("/ServiceProviderConfig").status == .ok)

            try await portal.start()
            // Well beyond the 4 s timeout, which leaves room for a machine loaded by the other suites.
            await portal.state.setDelay(.seconds(9))
            let slow = try await client.get("/Users/\(id)")
            expectSCIMError(slow, .gatewayTimeout)

            await portal.state.setDelay(.zero)
            let back = try await client.get("/Users/\(id)")
            #expect(back.status == .ok, "\(back.text)")
            #expect(await portal.state.violations.isEmpty)
        }
    }
}
