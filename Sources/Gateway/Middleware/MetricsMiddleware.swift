import Hummingbird
import Prometheus
import Tenants

/// Counts requests and records their durations by tenant, method and status in a Prometheus registry.
public struct GatewayMetricsMiddleware: RouterMiddleware {
    public typealias Context = GatewayRequestContext

    let registry: PrometheusCollectorRegistry

    /// Records into `registry` (served at `/metrics`).
    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    static let durationBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
    ]

    static var requestsDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "scim_gateway",
            metricName: "requests",
            unitName: "total",
            helpText: "HTTP requests by tenant, method and status."
        )
    }

    static var durationDescriptor: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "scim_gateway",
            metricName: "request_duration",
            unitName: "seconds",
            helpText: "HTTP request durations by tenant and method."
        )
    }

    static let knownMethods: Set<HTTPRequest.Method> = [.get, .post, .put, .patch, .delete, .head, .options]

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            // Errors are rendered further in; anything reaching here is still counted.
            record(request: request, context: context, status: 500)
            throw error
        }
        record(request: request, context: context, status: response.status.code)
        return response
    }

    func record(request: Request, context: Context, status: Int) {
        let tenant = context.facts.tenant?.tenant.id ?? "-"
        let method = Self.knownMethods.contains(request.method) ? request.method.rawValue : "OTHER"
        registry.makeCounter(
            descriptor: Self.requestsDescriptor,
            labels: [("tenant", tenant), ("method", method), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: Self.durationDescriptor,
            labels: [("tenant", tenant), ("method", method)],
            buckets: Self.durationBuckets
        ).record(context.startInstant.duration(to: .now))
    }
}
