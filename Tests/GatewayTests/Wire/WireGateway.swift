import Backends
import Foundation
import SCIM
import SQLDrivers
import TestSupport
import Testing

/// One tenant of a ``WireGateway``. Tenants with the same `store` label and engine share one database,
/// as the portals of a multi-URL Chamilo install do; the DDL is `schemas/<engine>/<mapping>.sql`.
struct WireTenant: Sendable {
    var id: String
    var engine: ScenarioEngine
    var mapping: String
    var accessUrlId: Int
    var deprovision: DeprovisionMode
    var store: String
    /// More settings for the tenant file's `settings:` section.
    var settings: [String: String]
    /// Lines appended to the tenant file (for example `rateLimit: { perSecond: 5, burst: 5 }`).
    var extraYAML: String
    /// The backend's timeouts and pool, and whether the store lives on the server restart tests stop.
    var options: ScenarioGateway.Options

    init(
        _ id: String,
        engine: ScenarioEngine = .sqlite,
        mapping: String = "chamilo-1.11",
        accessUrlId: Int = 1,
        deprovision: DeprovisionMode = .deactivate,
        store: String = "main",
        settings: [String: String] = [:],
        extraYAML: String = "",
        options: ScenarioGateway.Options = ScenarioGateway.Options()
    ) {
        self.id = id
        self.engine = engine
        self.mapping = mapping
        self.accessUrlId = accessUrlId
        self.deprovision = deprovision
        self.store = store
        self.settings = settings
        self.extraYAML = extraYAML
        self.options = options
    }

    var storeKey: String { "\(engine.rawValue)/\(store)" }
}

/// What a command of the real executable printed.
struct WireCLIResult: Sendable, CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String

    var description: String { "exit \(status)\nstdout: \(stdout.prefix(2000))\nstderr: \(stderr.prefix(2000))" }
}

/// The real `scim-gateway` executable (`.build/debug/scim-gateway`, or `SCIM_GATEWAY_BIN`) serving a
/// temporary tenants.d on a free loopback port. Requests are written as raw HTTP bytes, tokens are made
/// with the `tokens` command, and each tenant's database can be read back with SQL.
final class WireGateway: Sendable {
    static let binary: String =
        ProcessInfo.processInfo.environment["SCIM_GATEWAY_BIN"]
        ?? ScenarioGateway.repositoryRoot.appendingPathComponent(".build/debug/scim-gateway").path

    let port: Int
    let root: String
    let configDirectory: String
    let logStore: String
    let operatorToken: String
    private let tokens: [String: String]
    private let stores: [String: ScenarioStore]
    private let tenantStores: [String: String]
    private let engines: [String: ScenarioEngine]
    private let process: ProcessBox
    private let environment: [String: String]

    /// Runs `body` against a fresh gateway process and always stops it and drops its stores. The
    /// provisioning log is an SQLite file in the gateway's folder unless `logStore` names another store;
    /// `environment` is added to the process's (a log store's password, for example).
    static func run(
        _ tenants: [WireTenant],
        serveArguments: [String] = [],
        logStore: String? = nil,
        environment: [String: String] = [:],
        _ body: @Sendable (WireGateway) async throws -> Void
    ) async throws {
        let gateway = try await start(tenants, serveArguments: serveArguments, logStore: logStore, extra: environment)
        do {
            try await body(gateway)
        } catch {
            await gateway.stop()
            throw error
        }
        await gateway.stop()
    }

    private init(
        port: Int,
        root: String,
        logStore: String,
        operatorToken: String,
        tokens: [String: String],
        stores: [String: ScenarioStore],
        tenants: [WireTenant],
        process: ProcessBox,
        environment: [String: String]
    ) {
        self.port = port
        self.root = root
        self.configDirectory = root + "/tenants.d"
        self.logStore = logStore
        self.operatorToken = operatorToken
        self.tokens = tokens
        self.stores = stores
        self.tenantStores = Dictionary(uniqueKeysWithValues: tenants.map { ($0.id, $0.storeKey) })
        self.engines = Dictionary(uniqueKeysWithValues: tenants.map { ($0.id, $0.engine) })
        self.process = process
        self.environment = environment
    }

    private static func start(
        _ tenants: [WireTenant],
        serveArguments: [String],
        logStore: String?,
        extra: [String: String]
    ) async throws -> WireGateway {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw ScenarioSetupError("\(binary) is missing: run `swift build --build-tests` first")
        }
        let root = try temporaryDirectory()
        let configDirectory = root + "/tenants.d"
        try FileManager.default.createDirectory(atPath: configDirectory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: ScenarioGateway.repositoryRoot.appendingPathComponent("tenants.d/mappings").path,
            toPath: configDirectory + "/mappings"
        )
        var stores: [String: ScenarioStore] = [:]
        var environment = ProcessInfo.processInfo.environment.merging(extra) { _, new in new }
        let logStore = logStore ?? "sqlite:" + root + "/provisioning.sqlite"
        do {
            for tenant in tenants {
                if stores[tenant.storeKey] == nil {
                    stores[tenant.storeKey] = try await ScenarioStore.make(
                        tenant.engine,
                        options: tenant.options,
                        directory: root,
                        mapping: tenant.mapping,
                        name: "\(tenant.engine.rawValue)-\(tenant.store)"
                    )
                }
                guard let store = stores[tenant.storeKey] else { continue }
                let variable = "WIRE_PASSWORD_" + tenant.id.uppercased().replacingOccurrences(of: "-", with: "_")
                environment[variable] = store.password
                try tenantFile(tenant, store: store, passwordVariable: variable)
                    .write(toFile: "\(configDirectory)/\(tenant.id).yaml", atomically: true, encoding: .utf8)
            }
            // Off the cooperative threads: an in-process fake portal of a test running meanwhile needs them.
            var tokens: [String: String] = [:]
            for tenant in tenants {
                let arguments = ["tokens", "create", "--tenant", tenant.id, "--name", "wire"]
                tokens[tenant.id] = try firstLine(of: await Blocking.run { try runCLI(arguments, configDirectory) })
            }
            let operatorToken = try firstLine(
                of: await Blocking.run {
                    try runCLI(["tokens", "create", "--admin", "--name", "wire"], configDirectory)
                }
            )
            let port = try RawSocket.freePort()
            let process = try ProcessBox.launch(
                binary,
                [
                    "serve", "--config-dir", configDirectory, "--host", "127.0.0.1", "--port", String(port),
                    "--log-store", logStore,
                ] + serveArguments,
                environment: environment,
                directory: root,
                output: root + "/server.log"
            )
            let gateway = WireGateway(
                port: port,
                root: root,
                logStore: logStore,
                operatorToken: operatorToken,
                tokens: tokens,
                stores: stores,
                tenants: tenants,
                process: process,
                environment: environment
            )
            try await gateway.waitUntilServing()
            return gateway
        } catch {
            for store in stores.values {
                await store.rows?.close()
                await store.drop()
            }
            throw error
        }
    }

    private static func tenantFile(_ tenant: WireTenant, store: ScenarioStore, passwordVariable: String) -> String {
        var backendLines = store.backendLines
        if let timeout = TestTiming.tenantSeconds(tenant.options.statementTimeout, default: 10) {
            backendLines.append("statementTimeout: \(timeout)")
        }
        if let timeout = TestTiming.tenantSeconds(tenant.options.connectTimeout, default: 5) {
            backendLines.append("connectTimeout: \(timeout)")
        }
        if let poolMax = tenant.options.poolMax { backendLines.append("pool: { max: \(poolMax) }") }
        let backend = backendLines.map {
            "  " + $0.replacingOccurrences(of: ScenarioGateway.passwordVariable, with: passwordVariable)
        }
        var settings = ["accessUrlId": String(tenant.accessUrlId), "passwordEncryption": "bcrypt"]
        settings.merge(tenant.settings) { _, new in new }
        var lines = ["id: \(tenant.id)", "name: Wire tenant \(tenant.id)", "backend:"] + backend
        lines.append("mapping: \(tenant.mapping)")
        lines.append("settings:")
        lines += settings.sorted { $0.key < $1.key }.map { "  \($0.key): \"\($0.value)\"" }
        lines.append("deprovision: \(tenant.deprovision.rawValue)")
        if !tenant.extraYAML.contains("rateLimit") {
            lines.append("rateLimit: { perSecond: 100000, burst: 100000 }")
        }
        if !tenant.extraYAML.isEmpty { lines.append(tenant.extraYAML) }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func firstLine(of result: WireCLIResult) throws -> String {
        guard result.status == 0, let line = result.stdout.split(separator: "\n").first, !line.isEmpty else {
            throw ScenarioSetupError("the command failed: \(result)")
        }
        return String(line)
    }

    private func waitUntilServing() async throws {
        for _ in 0..<600 {
            guard process.isRunning else {
                throw ScenarioSetupError("scim-gateway serve exited:\n\(serverOutput().suffix(3000))")
            }
            if let response = try? await request("GET", "/healthz", tenant: nil, timeout: 2), response.status == 200 {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ScenarioSetupError("scim-gateway serve did not answer /healthz:\n\(serverOutput().suffix(3000))")
    }

    /// Stops the process (SIGTERM, then SIGKILL) and drops the stores.
    func stop() async {
        let process = self.process
        _ = try? await Blocking.run { process.stop() }
        for store in stores.values {
            await store.rows?.close()
            await store.drop()
        }
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Whether the process still runs.
    var isAlive: Bool { process.isRunning }

    /// Sends the process a signal (SIGHUP asks it to reload tenants.d).
    func signal(_ number: Int32) {
        process.signal(number)
    }

    /// What the process printed so far.
    func serverOutput() -> String {
        (try? String(contentsOfFile: root + "/server.log", encoding: .utf8)) ?? ""
    }

    /// The tenant's bearer token.
    func token(_ tenant: String) -> String {
        tokens[tenant] ?? "sgw_unknown_tenant_\(tenant)"
    }

    /// The fake portal a `chamilo-rest` tenant talks to.
    func portal(_ tenant: String) -> FakeChamiloServer? {
        tenantStores[tenant].flatMap { stores[$0]?.portal }
    }

    /// The database server a PostgreSQL or MariaDB tenant lives on.
    func server(_ tenant: String) -> DatabaseServer? {
        tenantStores[tenant].flatMap { stores[$0]?.server }
    }

    /// The engine a tenant runs on.
    func engine(_ tenant: String) -> ScenarioEngine { engines[tenant] ?? .sqlite }

    /// Runs test SQL written with `"quoted"` identifiers and `?` placeholders on the tenant's database.
    @discardableResult
    func sql(_ tenant: String, _ text: String, _ binds: [SQLValue] = []) async throws -> [[SQLValue]] {
        guard let key = tenantStores[tenant], let rows = stores[key]?.rows else {
            throw ScenarioSetupError("tenant \(tenant) has no SQL database")
        }
        let statement = engine(tenant) == .mysql ? text.replacingOccurrences(of: "\"", with: "`") : text
        return try await rows.execute(statement, binds)
    }

    /// Runs the executable with `arguments`, adding `--config-dir` (and `--log-store` for `logs`) unless given.
    func cli(_ arguments: [String]) async throws -> WireCLIResult {
        var arguments = arguments
        if arguments.first == "logs", !arguments.contains("--log-store") {
            arguments += ["--log-store", logStore]
        }
        let configDirectory = self.configDirectory
        let environment = self.environment
        let finalArguments = arguments
        return try await Blocking.run { try Self.runCLI(finalArguments, configDirectory, environment: environment) }
    }

    /// `environment` carries the tenants' backend passwords, which `check --connect` needs.
    private static func runCLI(
        _ arguments: [String],
        _ configDirectory: String,
        environment: [String: String]? = nil
    ) throws -> WireCLIResult {
        var arguments = arguments
        if !arguments.contains("--config-dir") { arguments += ["--config-dir", configDirectory] }
        return try ProcessBox.run(binary, arguments, environment: environment)
    }

    /// Sends one request as raw bytes on a new connection (`Connection: close`). `target` goes out
    /// verbatim; `tenant` nil sends no Authorization header. The socket is served on a thread of its
    /// own, so that waiting for the gateway never holds one of the few threads Swift concurrency has
    /// (an in-process fake portal answering the gateway needs them).
    func request(
        _ method: String,
        _ target: String,
        tenant: String?,
        body: String? = nil,
        headers: [(String, String)] = [],
        timeout: Double = TestTiming.seconds(30)
    ) async throws -> RawHTTPResponse {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
        if let tenant {
            head += "Authorization: Bearer \(tenant == "operator" ? operatorToken : token(tenant))\r\n"
        }
        var names = Set(headers.map { $0.0.lowercased() })
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        let bodyBytes = Array((body ?? "").utf8)
        if body != nil, !names.contains("content-type") {
            head += "Content-Type: application/scim+json\r\n"
            names.insert("content-type")
        }
        if body != nil || ["POST", "PUT", "PATCH"].contains(method), !names.contains("content-length") {
            head += "Content-Length: \(bodyBytes.count)\r\n"
        }
        if !names.contains("connection") { head += "Connection: close\r\n" }
        return try await send(Array((head + "\r\n").utf8) + bodyBytes, timeout: timeout)
    }

    /// Writes any bytes on a new connection and reads the response (on a thread of its own).
    func send(_ raw: [UInt8], timeout: Double = TestTiming.seconds(30)) async throws -> RawHTTPResponse {
        let port = self.port
        return try await Blocking.run {
            let connection = try RawSocket.connect(port: port)
            defer { connection.close() }
            try connection.write(raw)
            return try connection.readResponse(timeout: timeout)
        }
    }
}
