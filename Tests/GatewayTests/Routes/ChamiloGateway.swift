import Backends
import Foundation
import Gateway
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import SQLDrivers
import Tenants
import Testing

/// A gateway over a real tenants.d: one tenant `acme` on a fresh SQLite database made from the
/// shipped Chamilo 1.11 DDL and mapping, a real token, the real SQL backend.
struct ChamiloGateway {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    let directory: String
    let token: String
    let tenants: TenantDirectory
    let store: MemoryLogStore
    let log: ProvisioningLog

    static func make() async throws -> ChamiloGateway {
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
        let databasePath = root + "/acme.sqlite"
        let database = try SQLDatabase.sqlite(
            SQLiteConfiguration(path: databasePath),
            maxConnections: 4,
            creatingFolder: true
        )
        let ddl = try String(
            contentsOf: repositoryRoot.appendingPathComponent("schemas/sqlite/chamilo-1.11.sql"),
            encoding: .utf8
        )
        try await database.executeScript(ddl)
        await database.close()
        let tenantFile = """
            id: acme
            name: ACME University
            backend:
              kind: sqlite
              path: \(databasePath)
            mapping: chamilo-1.11
            settings:
              accessUrlId: 1
              passwordEncryption: bcrypt
            deprovision: deactivate
            """
        try tenantFile.write(toFile: configDirectory + "/acme.yaml", atomically: true, encoding: .utf8)
        let (token, _) = try TokenStore(configDirectory: configDirectory).create(
            tenant: "acme",
            name: "tests",
            expiresIn: nil
        )
        let tenants = TenantDirectory(
            configDirectory: configDirectory,
            registry: .standard,
            logger: Logger(label: "test"),
            environment: [:]
        )
        let problems = await tenants.reload()
        #expect(problems.isEmpty, "tenants.d problems: \(problems)")
        let store = MemoryLogStore()
        let log = ProvisioningLog(
            store: store,
            spool: ProvisioningLogSpool(path: root + "/spool.jsonl"),
            configuration: .init(flushInterval: .seconds(3600), retentionDays: nil),
            logger: Logger(label: "test")
        )
        return ChamiloGateway(directory: root, token: token, tenants: tenants, store: store, log: log)
    }

    func test(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = buildApplication(tenants: tenants, provisioningLog: log, logger: Logger(label: "test"))
        try await app.test(.router, body)
    }

    func headers(_ extra: HTTPFields = [:], json: Bool = false) -> HTTPFields {
        var headers = extra
        headers[.authorization] = "Bearer \(token)"
        if json { headers[.contentType] = "application/scim+json" }
        return headers
    }
}

/// A JSON object response body.
func jsonObject(_ response: TestResponse) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
}
