import Foundation
import SQLDrivers
import TestSupport
import Testing

@testable import Backends

/// The SQL engines the backend scenarios run on. PostgreSQL and MariaDB run when scripts/databases.sh
/// described their servers, and always under CI, where a missing server fails the test.
enum Engine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres, mariadb

    /// The engines to run now.
    static var available: [Engine] {
        [.sqlite] + (DatabaseServers.postgresEnabled ? [.postgres] : [])
            + (DatabaseServers.mariaDBEnabled ? [.mariadb] : [])
    }

    /// The database servers (not SQLite) to run now.
    static var servers: [Engine] { available.filter { $0 != .sqlite } }

    var testDescription: String { rawValue }

    /// The folder of `schemas/` holding this engine's DDL.
    var schemaFolder: String {
        switch self {
        case .sqlite: return "sqlite"
        case .postgres: return "postgres"
        case .mariadb: return "mysql"
        }
    }

    /// A query listing a table's column names in `SELECT *` order; binds the table name.
    var columnNamesQuery: String {
        switch self {
        case .sqlite: return "SELECT name FROM pragma_table_info(?) ORDER BY cid"
        case .postgres:
            return "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
                + "AND table_name = ? ORDER BY ordinal_position"
        case .mariadb:
            return "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() "
                + "AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION"
        }
    }
}

/// A PostgreSQL schema or a MariaDB database made for one test, with a DDL file applied.
struct ServerDatabase {
    struct SetupError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// The backend URL (without password).
    var url: String
    var password: String
    /// A connection to the same schema or database.
    var database: SQLDatabase
    /// Drops the schema or database.
    var drop: @Sendable () async -> Void

    static func make(_ engine: Engine, ddl: String) async throws -> ServerDatabase {
        let name = DatabaseServers.uniqueName("scim")
        switch engine {
        case .postgres:
            let server = try DatabaseServers.requirePostgres()
            let admin = SQLDatabase.postgres(
                try server.configuration(query: "options=-cclient_min_messages%3Dwarning"),
                maxConnections: 1
            )
            try await admin.execute("CREATE SCHEMA \(name)", [])
            let query = "options=-csearch_path%3D\(name)"
            let database = SQLDatabase.postgres(try server.configuration(query: query), maxConnections: 2)
            try await apply(ddl, to: database)
            try await apply(ddl, to: database)  // applying twice must be harmless
            return ServerDatabase(
                url: "postgres://\(server.user)@\(server.host):\(server.port)/\(server.database)?\(query)",
                password: server.password,
                database: database,
                drop: {
                    _ = try? await admin.execute("DROP SCHEMA \(name) CASCADE", [])
                    await admin.close()
                }
            )
        case .mariadb:
            let server = try DatabaseServers.requireMariaDB()
            let admin = SQLDatabase.mysql(try server.configuration(), maxConnections: 1)
            try await admin.execute("CREATE DATABASE \(name) CHARACTER SET utf8 COLLATE utf8_unicode_ci", [])
            let database = SQLDatabase.mysql(try server.configuration(database: name), maxConnections: 2)
            try await apply(ddl, to: database)
            try await apply(ddl, to: database)
            return ServerDatabase(
                url: "mysql://\(server.user)@\(server.host):\(server.port)/\(name)",
                password: server.password,
                database: database,
                drop: {
                    _ = try? await admin.execute("DROP DATABASE \(name)", [])
                    await admin.close()
                }
            )
        case .sqlite:
            throw SetupError("SQLite needs no server")
        }
    }

    /// Runs a DDL file statement by statement: comment lines dropped, statements end in `;` at a line end.
    static func apply(_ ddl: String, to database: SQLDatabase) async throws {
        let lines = ddl.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }
        var statement = ""
        for line in lines {
            statement += line + "\n"
            if line.trimmingCharacters(in: .whitespaces).hasSuffix(";") {
                let text = statement.trimmingCharacters(in: .whitespacesAndNewlines)
                if text != ";" { try await database.execute(String(text.dropLast()), []) }
                statement = ""
            }
        }
        guard statement.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw SetupError("the DDL file does not end with a ';'")
        }
    }
}
