import Backends
import Foundation
import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import SCIM
import SQLDrivers
import Tenants
import TestSupport
import Testing

/// A gateway over a real tenants.d holding one tenant `acme` on a fresh store of one engine: an SQLite
/// file, a PostgreSQL schema or a MariaDB database made for the scenario from the shipped Chamilo 1.11
/// DDL, or the fake Chamilo portal. The token is a real one from ``TokenStore``.
struct ScenarioGateway: Sendable {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The environment variable the tenant file names for the backend's password.
    static let passwordVariable = "SCENARIO_BACKEND_PASSWORD"

    /// How the tenant is set up.
    struct Options: Sendable {
        var deprovision: DeprovisionMode = .deactivate
        /// Seconds one statement or API call may take; the backend's default when nil.
        var statementTimeout: Double?
        var connectTimeout: Double?
        /// Use the database server dedicated to restart scenarios.
        var restartServer = false
        var poolMax: Int?
    }

    let engine: ScenarioEngine
    let token: String
    let tenants: TenantDirectory
    let log: ProvisioningLog
    /// The tenant's database, for reading rows back with SQL (SQL engines).
    let rows: (SQLDatabase)?
    /// The fake portal (`chamilo-rest`).
    let portal: FakeChamiloServer?
    /// The database server the tenant lives on (PostgreSQL, MariaDB).
    let server: ScenarioServers.Server?
    private let cleanup: @Sendable () async -> Void

    /// Runs `body` against a gateway on `engine` and always tears the store down.
    static func run(
        _ engine: ScenarioEngine,
        _ options: Options = Options(),
        _ body: @Sendable (ScenarioGateway, ScenarioClient) async throws -> Void
    ) async throws {
        let gateway = try await make(engine, options)
        do {
            try await gateway.serve(body)
        } catch {
            await gateway.tearDown()
            throw error
        }
        await gateway.tearDown()
    }

    /// Serves the router to `body` through HummingbirdTesting.
    func serve(_ body: @Sendable (ScenarioGateway, ScenarioClient) async throws -> Void) async throws {
        let app = buildApplication(tenants: tenants, provisioningLog: log, logger: Self.logger)
        try await app.test(.router) { client in
            try await body(self, ScenarioClient(client: client, token: token))
        }
    }

    func tearDown() async {
        for tenant in tenants.tenants {
            await tenant.backend.shutdown()
        }
        await rows?.close()
        await cleanup()
    }

    static var logger: Logger {
        var logger = Logger(label: "scenario")
        logger.logLevel = .critical
        return logger
    }

    private static func make(_ engine: ScenarioEngine, _ options: Options) async throws -> ScenarioGateway {
        let root = try temporaryDirectory()
        let configDirectory = root + "/tenants.d"
        try FileManager.default.createDirectory(
            atPath: configDirectory + "/mappings",
            withIntermediateDirectories: true
        )
        try FileManager.default.copyItem(
            atPath: repositoryRoot.appendingPathComponent("tenants.d/mappings/chamilo-1.11.yaml").path,
            toPath: configDirectory + "/mappings/chamilo-1.11.yaml"
        )
        let store = try await ScenarioStore.make(engine, options: options, directory: root)
        var backend = store.backendLines
        if let timeout = TestTiming.tenantSeconds(options.statementTimeout, default: 10) {
            backend.append("statementTimeout: \(timeout)")
        }
        if let timeout = TestTiming.tenantSeconds(options.connectTimeout, default: 5) {
            backend.append("connectTimeout: \(timeout)")
        }
        if let poolMax = options.poolMax { backend.append("pool: { max: \(poolMax) }") }
        let tenantFile = """
            id: acme
            name: ACME University
            backend:
            \(backend.map { "  " + $0 }.joined(separator: "\n"))
            mapping: chamilo-1.11
            settings:
              accessUrlId: 1
              passwordEncryption: bcrypt
            deprovision: \(options.deprovision.rawValue)
            rateLimit: { perSecond: 100000, burst: 100000 }
            """
        try tenantFile.write(toFile: configDirectory + "/acme.yaml", atomically: true, encoding: .utf8)
        let (token, _) = try TokenStore(configDirectory: configDirectory).create(
            tenant: "acme",
            name: "scenarios",
            expiresIn: nil
        )
        let tenants = TenantDirectory(
            configDirectory: configDirectory,
            registry: .standard,
            logger: logger,
            environment: [passwordVariable: store.password]
        )
        let problems = await tenants.reload()
        guard problems.isEmpty, tenants.tenant(id: "acme") != nil else {
            await store.drop()
            throw ScenarioSetupError("the \(engine.rawValue) tenant did not load: \(problems)")
        }
        let log = ProvisioningLog(
            store: MemoryLogStore(),
            spool: ProvisioningLogSpool(path: root + "/spool.jsonl"),
            configuration: .init(flushInterval: .seconds(3600), retentionDays: nil),
            logger: logger
        )
        return ScenarioGateway(
            engine: engine,
            token: token,
            tenants: tenants,
            log: log,
            rows: store.rows,
            portal: store.portal,
            server: store.server,
            cleanup: {
                await store.drop()
                try? FileManager.default.removeItem(atPath: root)
            }
        )
    }

    /// Runs test SQL written with `"quoted"` identifiers and `?` placeholders on the tenant's database.
    @discardableResult
    func sql(_ text: String, _ binds: [SQLValue] = []) async throws -> [[SQLValue]] {
        guard let rows else { throw ScenarioSetupError("\(engine.rawValue) has no SQL rows") }
        return try await rows.execute(engine == .mysql ? text.replacingOccurrences(of: "\"", with: "`") : text, binds)
    }
}

struct ScenarioSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
