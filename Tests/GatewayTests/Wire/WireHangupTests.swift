import Foundation
import Testing

/// `kill -HUP` reloads tenants.d and leaves the process serving (the default action of SIGHUP would end it).
@Suite struct WireHangupTests {
    @Test func hangupReloadsTenantsAndKeepsServing() async throws {
        try await WireGateway.run([WireTenant("acme")]) { gateway in
            func reloads() -> Int {
                gateway.serverOutput().components(separatedBy: "SIGHUP: reloading tenants").count - 1
            }
            for expected in 1...2 {
                gateway.signal(SIGHUP)
                let reloaded = try await Wire.eventually { reloads() == expected }
                #expect(reloaded, "reload \(expected) not logged:\n\(gateway.serverOutput().suffix(2000))")
            }
            #expect(gateway.isAlive)
            let health = try await gateway.request("GET", "/healthz", tenant: nil)
            #expect(health.status == 200)
            let users = try await gateway.request("GET", "/scim/v2/Users", tenant: "acme")
            #expect(users.status == 200)
        }
    }
}
