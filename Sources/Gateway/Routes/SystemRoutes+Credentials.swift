import Foundation
import Hummingbird
import Prometheus
import Tenants

extension SystemRoutes {
    /// Tokens and clients expiring within this window are reported: two weeks' notice.
    static let expiringWindow: TimeInterval = 14 * 86_400

    /// The `/readyz` lines about credentials that expire within two weeks, for an operator token
    /// only (the names of tokens are not for everyone who can reach the probe); empty otherwise.
    func expiringCredentialsDetail(_ request: Request) -> String {
        guard let token = BearerAuthMiddleware.bearerToken(request.headers[.authorization]),
            tenants.isAdminToken(token)
        else { return "" }
        let expiring = tenants.expiringCredentials(within: Self.expiringWindow)
        guard !expiring.isEmpty else { return "no token or OAuth client expires within 14 days\n" }
        return expiring.map { credential in
            "expiring soon: tenant \(credential.tenant) \(credential.kind.rawValue) \(credential.id) "
                + "'\(credential.name)' expires \(OperatorReport.timestamp(credential.expires))\n"
        }.joined()
    }

    static var expiringDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "scim_gateway",
            subsystem: "credentials",
            metricName: "expiring_soon",
            unitName: "",
            helpText: "Active tokens and OAuth clients that expire within 14 days, by tenant and kind."
        )
    }

    /// Sets the expiring-soon gauges of every tenant served (0 when nothing expires soon), before
    /// `/metrics` is rendered.
    func updateCredentialMetrics() {
        var counts: [String: [ExpiringCredential.Kind: Int]] = [:]
        for tenant in tenants.tenants {
            counts[tenant.id] = [.token: 0, .client: 0]
        }
        for credential in tenants.expiringCredentials(within: Self.expiringWindow) {
            counts[credential.tenant, default: [:]][credential.kind, default: 0] += 1
        }
        for (tenant, kinds) in counts {
            for (kind, count) in kinds {
                registry.makeGauge(
                    descriptor: Self.expiringDescriptor,
                    labels: [("tenant", tenant), ("kind", kind.rawValue)]
                ).set(Int64(count))
            }
        }
    }
}
