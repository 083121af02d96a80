import Backends
import Hummingbird
import NIOCore
import Prometheus
import Tenants

/// `/healthz`, `/readyz` and `/metrics`: unauthenticated, plain text.
struct SystemRoutes {
    let tenants: any TenantResolver
    let registry: PrometheusCollectorRegistry
    let readiness: ReadinessProbe

    func register(on router: Router<GatewayRequestContext>) {
        router.get("/healthz") { _, _ in
            Self.text("ok\n")
        }
        router.get("/readyz") { request, _ in
            let report = await readiness.report(tenants: tenants.tenants)
            let text = report.summary + "\n" + expiringCredentialsDetail(request)
            return Self.text(text, status: report.isReady ? .ok : .serviceUnavailable)
        }
        router.get("/metrics") { _, _ in
            updateCredentialMetrics()
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(
                status: .ok,
                headers: headers,
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer()))
            )
        }
    }

    static func text(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

/// Whether the gateway can serve: tenants loaded, backends reachable. Backend checks are cached for
/// a few seconds so that a probe every second does not hammer the portals' databases.
actor ReadinessProbe {
    struct Report: Sendable {
        var tenantCount: Int
        var unreachable: [String: [String]]

        /// Ready with at least one tenant of which at least one backend answers: one portal's database
        /// being down must not take the whole gateway out of its load balancer.
        var isReady: Bool { tenantCount > 0 && unreachable.count < tenantCount }

        var summary: String {
            if tenantCount == 0 { return "not ready: no tenant loaded" }
            let reachable = tenantCount - unreachable.count
            return "\(isReady ? "ready" : "not ready"): \(reachable) of \(tenantCount) tenant backends reachable"
        }
    }

    private let cacheDuration: Duration
    private var cached: (at: ContinuousClock.Instant, ids: [String], report: Report)?

    init(cacheDuration: Duration = .seconds(5)) {
        self.cacheDuration = cacheDuration
    }

    func report(tenants: [Tenant]) async -> Report {
        let ids = tenants.map(\.id).sorted()
        if let cached, cached.ids == ids, cached.at.duration(to: .now) < cacheDuration {
            return cached.report
        }
        var unreachable: [String: [String]] = [:]
        await withTaskGroup(of: (String, [String]).self) { group in
            for tenant in tenants {
                group.addTask {
                    // Informational notes (`note: …`) are not failures.
                    (tenant.id, await tenant.backend.verify(connect: true).filter { !VerificationNote.isNote($0) })
                }
            }
            for await (id, problems) in group where !problems.isEmpty {
                unreachable[id] = problems
            }
        }
        let report = Report(tenantCount: tenants.count, unreachable: unreachable)
        cached = (.now, ids, report)
        return report
    }
}
