import Prometheus
import Tenants

extension SystemRoutes {
    /// Per tenant, over the last hour and day on this node: requests answered and the share that failed
    /// (status 400 or above), which is what an identity provider's quarantine counts.
    func updateActivityMetrics() {
        let activity = provisioningLog.activity
        let ids = Set(tenants.tenants.map(\.id))
        activity.retain(tenants: ids)
        for tenant in ids {
            for (window, minutes) in [("1h", 60), ("24h", 1440)] {
                let summary = activity.summary(tenant: tenant, lastMinutes: minutes)
                let labels = [("tenant", tenant), ("window", window)]
                registry.makeGauge(descriptor: Self.tenantRequestsDescriptor, labels: labels)
                    .set(Int64(summary.requests))
                registry.makeGauge(descriptor: Self.tenantFailureRatioDescriptor, labels: labels)
                    .set(summary.failureRatio)
            }
        }
    }

    static var tenantRequestsDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "scim_gateway",
            subsystem: "tenant",
            metricName: "requests",
            unitName: "",
            helpText: "SCIM requests of a tenant answered by this node over the window (1h, 24h)."
        )
    }

    static var tenantFailureRatioDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "scim_gateway",
            subsystem: "tenant",
            metricName: "failure_ratio",
            unitName: "",
            helpText: "Share of a tenant's SCIM requests answered 400 or above by this node over the window."
        )
    }
}
