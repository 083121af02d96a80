import Foundation
import SCIM
import Testing

/// `/metrics` publishes each tenant's requests and failure ratio over 1 h and 24 h, from what this node
/// answered (a burst of refused creates moves the ratio, as it moves an identity provider's quarantine count).
@Suite struct WireActivityMetricsTests {
    @Test func aBurstOfConflictsRaisesTheTenantsFailureRatio() async throws {
        try await WireGateway.run([WireTenant("acme"), WireTenant("calm")]) { gateway in
            try await Wire.createUser(gateway, "acme", "ada@example.org")
            for _ in 0..<3 {
                let duplicate = try await gateway.request(
                    "POST",
                    "/scim/v2/Users",
                    tenant: "acme",
                    body: Wire.user("ada@example.org")
                )
                #expect(duplicate.status == 409)
            }
            _ = try await gateway.request("GET", "/scim/v2/Users?count=1", tenant: "calm")
            let metrics = try await gateway.request("GET", "/metrics", tenant: nil)
            #expect(metrics.status == 200)
            func value(_ name: String, _ tenant: String, _ window: String) -> Double? {
                let prefix = "\(name){tenant=\"\(tenant)\",window=\"\(window)\"} "
                return metrics.body.split(separator: "\n").first { $0.hasPrefix(prefix) }
                    .flatMap { Double($0.dropFirst(prefix.count)) }
            }
            #expect(value("scim_gateway_tenant_requests", "acme", "1h") == 4, "\(metrics.body.prefix(3000))")
            #expect(value("scim_gateway_tenant_failure_ratio", "acme", "1h") == 0.75)
            #expect(value("scim_gateway_tenant_failure_ratio", "acme", "24h") == 0.75)
            #expect(value("scim_gateway_tenant_failure_ratio", "calm", "1h") == 0)
        }
    }
}
