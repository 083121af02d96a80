import Backends
import Foundation
import HTTPTypes
import SCIM
import SQLDrivers
import TestSupport
import Testing

/// The store behind a scenario's tenant, made fresh for it: the tenant file's `backend` lines, the
/// password the tenant reads from its environment, a connection for reading rows back, and how to drop it.
struct ScenarioStore: Sendable {
    var backendLines: [String]
    var password: String
    var rows: (SQLDatabase)?
    var portal: FakeChamiloServer?
    var server: ScenarioServers.Server?
    var drop: @Sendable () async -> Void

    static func make(
        _ engine: ScenarioEngine,
        options: ScenarioGateway.Options,
        directory: String,
        mapping: String = "chamilo-1.11",
        name: String = "acme"
    ) async throws -> ScenarioStore {
        switch engine {
        case .sqlite:
            let path = directory + "/\(name).sqlite"
            let database = try SQLDatabase.sqlite(
                SQLiteConfiguration(path: path),
                maxConnections: 4,
                creatingFolder: true
            )
            try await database.executeScript(try ddl(engine, mapping: mapping))
            return ScenarioStore(
                backendLines: ["kind: sqlite", "path: \(path)"],
                password: "",
                rows: database,
                drop: {}
            )
        case .postgres:
            let server = try ScenarioServers.require(options.restartServer ? "POSTGRES_SCENARIO_RESTART" : "POSTGRES")
            let schema = try await PostgresSchema.create(on: server)
            let url = schema.url
            let database = SQLDatabase.postgres(
                try PostgreSQLConfiguration(url: url, password: server.password),
                maxConnections: 2
            )
            try await apply(try ddl(engine, mapping: mapping), to: database)
            return ScenarioStore(
                backendLines: ["kind: postgres", "url: \(url)", "passwordEnv: \(ScenarioGateway.passwordVariable)"],
                password: server.password,
                rows: database,
                server: server,
                drop: { await schema.drop() }
            )
        case .mysql:
            let server = try ScenarioServers.require(options.restartServer ? "MYSQL_SCENARIO_RESTART" : "MYSQL")
            let base = "mysql://\(server.user)@\(server.host):\(server.port)/"
            let admin = SQLDatabase.mysql(
                try MySQLConfiguration(url: base + server.database, password: server.password),
                maxConnections: 1
            )
            let name = ScenarioServers.uniqueName()
            try await admin.execute("CREATE DATABASE \(name) CHARACTER SET utf8 COLLATE utf8_unicode_ci", [])
            let database = SQLDatabase.mysql(
                try MySQLConfiguration(url: base + name, password: server.password),
                maxConnections: 2
            )
            try await apply(try ddl(engine, mapping: mapping), to: database)
            return ScenarioStore(
                backendLines: [
                    "kind: mysql", "url: \(base + name)", "passwordEnv: \(ScenarioGateway.passwordVariable)",
                ],
                password: server.password,
                rows: database,
                server: server,
                drop: {
                    _ = try? await admin.execute("DROP DATABASE \(name)", [])
                    await admin.close()
                }
            )
        case .chamiloREST:
            let portal = FakeChamiloServer()
            try await portal.start()
            return ScenarioStore(
                backendLines: [
                    "kind: chamilo-rest", "url: \(await portal.url)", "username: admin",
                    "passwordEnv: \(ScenarioGateway.passwordVariable)",
                ],
                password: await portal.state.adminPassword,
                portal: portal,
                drop: { await portal.stop() }
            )
        }
    }

    /// The shipped DDL of an engine for a mapping (Chamilo 1.11 unless named).
    static func ddl(_ engine: ScenarioEngine, mapping: String = "chamilo-1.11") throws -> String {
        guard let folder = engine.schemaFolder else { throw ScenarioSetupError("\(engine.rawValue) has no DDL") }
        return try String(
            contentsOf: ScenarioGateway.repositoryRoot.appendingPathComponent("schemas/\(folder)/\(mapping).sql"),
            encoding: .utf8
        )
    }

    /// Runs a DDL file statement by statement: comment lines dropped, a statement ends with `;` at a line end.
    static func apply(_ ddl: String, to database: SQLDatabase) async throws {
        var statement = ""
        for line in ddl.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("--") { continue }
            statement += line + "\n"
            if trimmed.hasSuffix(";") {
                let text = statement.trimmingCharacters(in: .whitespacesAndNewlines)
                if text != ";" { try await database.execute(String(text.dropLast()), []) }
                statement = ""
            }
        }
        guard statement.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ScenarioSetupError("the DDL file does not end with ';'")
        }
    }
}
