import Backends
import Hummingbird
import NIOCore
import Prometheus
import SCIM
import Synchronization
import Tenants

/// `/healthz`, `/readyz` and `/metrics`: unauthenticated, plain text.
struct SystemRoutes {
    let tenants: any TenantResolver
    let registry: PrometheusCollectorRegistry
    let readiness: ReadinessProbe
    let provisioningLog: ProvisioningLog

    func register(on router: Router<GatewayRequestContext>) {
        router.get("/healthz") { _, _ in
            Self.text("ok\n")
        }
        router.get("/readyz") { request, _ in
            let report = await readiness.report(tenants: tenants.tenants)
            // Tenant ids, database errors and expiring credentials only for an operator; anyone else
            // learns ready or not.
            let isOperator = BearerAuthMiddleware.bearerToken(request.headers[.authorization]).map(
                tenants.isAdminToken
            )
            let text =
                isOperator == true
                ? report.detail + "\n" + expiringCredentialsDetail(request) : report.publicSummary + "\n"
            return Self.text(text, status: report.isReady ? .ok : .serviceUnavailable)
        }
        router.get("/metrics") { _, _ in
            updateCredentialMetrics()
            registry.makeGauge(
                descriptor: MetricNameDescriptor(
                    namespace: "scim_gateway",
                    subsystem: "provisioning_log",
                    metricName: "dropped",
                    unitName: "entries",
                    helpText: "Provisioning-log entries dropped since start: buffer or spool full, or spooled too long."
                )
            ).set(Int64(clamping: provisioningLog.droppedCount))
            updateActivityMetrics()
            registry.makeGauge(
                descriptor: MetricNameDescriptor(
                    namespace: "scim_gateway",
                    subsystem: "provisioning_log",
                    metricName: "spool",
                    unitName: "bytes",
                    helpText:
                        "Bytes of provisioning-log entries spooled on this node while the log store is unreachable."
                )
            ).set(Int64(provisioningLog.spool.sizeInBytes))
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

/// Whether the gateway can serve: tenants loaded, backends reachable.
///
/// One probe runs at a time, whoever asks: concurrent callers wait for the probe in flight, and its
/// result answers everyone for ``cacheDuration``. Each tenant is probed with
/// ``Backend/probeReachability()`` (a connection of its own, never the request pool; a login for REST
/// tenants) and given at most ``tenantTimeout``.
actor ReadinessProbe {
    struct Report: Sendable {
        var tenantCount: Int
        var unreachable: [String: String]

        /// Ready with at least one tenant of which at least one backend answers: one portal's database
        /// being down must not take the whole gateway out of its load balancer.
        var isReady: Bool { tenantCount > 0 && unreachable.count < tenantCount }

        /// What anyone may see: ready or not, nothing about the tenants.
        var publicSummary: String { isReady ? "ready" : "not ready" }

        /// What an operator sees: counts and the unreachable tenants with why.
        var detail: String {
            if tenantCount == 0 { return "not ready: no tenant loaded" }
            let reachable = tenantCount - unreachable.count
            var lines = ["\(isReady ? "ready" : "not ready"): \(reachable) of \(tenantCount) tenant backends reachable"]
            for (id, problem) in unreachable.sorted(by: { $0.key < $1.key }) {
                lines.append("\(id): \(problem)")
            }
            return lines.joined(separator: "\n")
        }
    }

    let cacheDuration: Duration
    let tenantTimeout: Duration
    private var cached: (at: ContinuousClock.Instant, ids: [String], report: Report)?
    private var inFlight: (ids: [String], task: Task<Report, Never>)?

    init(cacheDuration: Duration = .seconds(5), tenantTimeout: Duration = .seconds(3)) {
        self.cacheDuration = cacheDuration
        self.tenantTimeout = tenantTimeout
    }

    func report(tenants: [Tenant]) async -> Report {
        let ids = tenants.map(\.id).sorted()
        if let cached, cached.ids == ids, cached.at.duration(to: .now) < cacheDuration {
            return cached.report
        }
        if let inFlight, inFlight.ids == ids {
            return await inFlight.task.value
        }
        let timeout = tenantTimeout
        let task = Task { await Self.probe(tenants, timeout: timeout) }
        inFlight = (ids, task)
        let report = await task.value
        cached = (.now, ids, report)
        if inFlight?.ids == ids { inFlight = nil }
        return report
    }

    private static func probe(_ tenants: [Tenant], timeout: Duration) async -> Report {
        var unreachable: [String: String] = [:]
        await withTaskGroup(of: (String, String?).self) { group in
            for tenant in tenants {
                group.addTask { (tenant.id, await probe(tenant, timeout: timeout)) }
            }
            for await (id, problem) in group {
                if let problem { unreachable[id] = problem }
            }
        }
        return Report(tenantCount: tenants.count, unreachable: unreachable)
    }

    /// The tenant's problem, or a timeout once `timeout` passed; a probe still running then finishes on
    /// its own threads without holding the answer.
    private static func probe(_ tenant: Tenant, timeout: Duration) async -> String? {
        await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            let answer = FirstAnswer(continuation)
            Task { answer.give(await tenant.backend.probeReachability()) }
            Task {
                try? await Task.sleep(for: timeout)
                answer.give("no answer within \(timeout)")
            }
        }
    }
}

/// Resumes a continuation with the first value given; later ones are dropped.
private final class FirstAnswer: Sendable {
    private let continuation: Locked<CheckedContinuation<String?, Never>?>

    init(_ continuation: CheckedContinuation<String?, Never>) {
        self.continuation = Locked(continuation)
    }

    func give(_ value: String?) {
        continuation.withLock { pending in
            pending?.resume(returning: value)
            pending = nil
        }
    }
}
