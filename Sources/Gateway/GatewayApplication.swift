import Backends
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import Prometheus
import ServiceLifecycle
import Tenants
import UnixSignals

/// Builds the router: middleware in the order request id → client address → metrics → SCIM error rendering → bearer
/// auth → rate limit → provisioning log → content type → body limit, then the routes. The rate limit
/// comes before the log, so a flood of 429s is counted in the metrics but cannot fill the log.
public func buildRouter(
    tenants: any TenantResolver,
    provisioningLog: ProvisioningLog,
    registry: PrometheusCollectorRegistry,
    rateLimiter: TenantRateLimiter = TenantRateLimiter(),
    trustedProxies: Set<String> = [],
    tokenLimiter: TokenAttemptLimiter = TokenAttemptLimiter()
) -> Router<GatewayRequestContext> {
    let router = Router(context: GatewayRequestContext.self)
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: ClientAddressMiddleware(trustedProxies: trustedProxies))
    router.add(middleware: GatewayMetricsMiddleware(registry: registry))
    router.add(middleware: SCIMErrorMiddleware())
    router.add(middleware: BearerAuthMiddleware(tenants: tenants))
    router.add(middleware: RateLimitMiddleware(limiter: rateLimiter))
    router.add(middleware: ProvisioningLogMiddleware(log: provisioningLog))
    router.add(middleware: ContentTypeMiddleware())
    router.add(middleware: BodyLimitMiddleware())
    let readiness = ReadinessProbe()
    SystemRoutes(tenants: tenants, registry: registry, readiness: readiness, provisioningLog: provisioningLog)
        .register(on: router)
    SCIMRoutes(provisioningLog: provisioningLog, rateLimiter: rateLimiter, tenants: tenants).register(on: router)
    AdminRoutes(tenants: tenants, provisioningLog: provisioningLog).register(on: router)
    AdminCredentialRoutes(tenants: tenants).register(on: router)
    DashboardRoutes(tenants: tenants, provisioningLog: provisioningLog, readiness: readiness).register(on: router)
    OAuthTokenRoutes(tenants: tenants, provisioningLog: provisioningLog, limiter: tokenLimiter).register(on: router)
    return router
}

/// The gateway's HTTP application. `services` run alongside it (the provisioning-log writer, the
/// tenant directory); tests drive it with `app.test(.router)`.
public func buildApplication(
    tenants: any TenantResolver,
    provisioningLog: ProvisioningLog,
    registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    configuration: ApplicationConfiguration = ApplicationConfiguration(),
    connectionLimits: ConnectionLimits = ConnectionLimits(),
    trustedProxies: Set<String> = [],
    services: [any Service] = [],
    logger: Logger
) -> some ApplicationProtocol {
    var configuration = configuration
    configuration.availableConnectionsDelegate = MaximumAvailableConnections(
        connectionLimits.maxConnections,
        logger: logger
    )
    return Application(
        router: buildRouter(
            tenants: tenants,
            provisioningLog: provisioningLog,
            registry: registry,
            trustedProxies: trustedProxies
        ),
        server: .boundedHTTP1(connectionLimits),
        configuration: configuration,
        services: services,
        logger: logger
    )
}

/// Runs `scim-gateway serve`: the provisioning-log writer, the tenant directory and the HTTP server as
/// services of one group. SIGTERM and SIGINT shut down gracefully (in-flight requests finish, then
/// the log is flushed); SIGHUP reloads tenants.d.
public func runGateway(_ options: GatewayOptions, logger: Logger = Logger(label: "scim-gateway")) async throws {
    let location = try LogStoreLocation(parsing: options.logStore)
    let store = try await openProvisioningLogStore(location, prepare: false)
    let spoolPath =
        options.spoolDirectory.map { ($0 as NSString).appendingPathComponent("provisioning-log.spool.jsonl") }
        ?? location.defaultSpoolPath
    let provisioningLog = ProvisioningLog(
        store: store,
        spool: ProvisioningLogSpool(path: spoolPath),
        configuration: .init(retentionDays: options.logRetentionDays),
        logger: logger
    )
    let directory = TenantDirectory(configDirectory: options.configDirectory, registry: .standard, logger: logger)
    // Tenants are loaded before the server listens: a request arriving right after a restart must not
    // be refused with 401 because its tenant is not loaded yet (identity providers count such failures).
    await directory.reload()
    let app = buildApplication(
        tenants: directory,
        provisioningLog: provisioningLog,
        configuration: ApplicationConfiguration(
            address: .hostname(options.host, port: options.port),
            serverName: "scim-gateway"
        ),
        connectionLimits: options.connectionLimits,
        trustedProxies: options.trustedProxies,
        logger: logger
    )
    let group = ServiceGroup(
        configuration: .init(
            services: [
                .init(service: provisioningLog),
                .init(service: directory),
                .init(service: HangupReloadService(tenants: directory, logger: logger)),
                .init(service: app),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
    )
    if location == .none {
        logger.warning("--log-store none: no provisioning log is kept; nothing this gateway does is recorded")
    }
    logger.info(
        "scim-gateway listening",
        metadata: [
            "address": "\(options.host):\(options.port)", "logStore": "\(location)",
            "maxConnections": "\(options.connectionLimits.maxConnections)",
        ]
    )
    try await group.run()
    await store.close()
}
