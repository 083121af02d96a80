import Foundation
import SQLDrivers
import TestSupport
import Testing

@testable import Backends

/// The throwaway PostgreSQL and MariaDB servers the integration tests run against, described by the
/// `POSTGRES_*` and `MYSQL_*` variables that scripts/databases.sh exports (read by TestSupport's
/// `DatabaseServer`, which also stops and starts them). Without them the tests are skipped with a message;
/// when `CI` is set, a missing variable fails the tests instead.
enum DatabaseServers {
    /// Whether this is a CI run, where missing servers are a failure.
    static var isCI: Bool { DatabaseServer.isCI }

    /// Whether the PostgreSQL tests run: the server is described, or CI demands it.
    static var postgresEnabled: Bool { isCI || postgres != nil }
    /// Whether the MariaDB tests run.
    static var mariaDBEnabled: Bool { isCI || mariaDB != nil }

    static let skipMessage: Comment =
        "no database server: run `source scripts/lib.sh; source scripts/databases.sh; start_databases` first"

    /// A PostgreSQL server and the driver configuration for it.
    @dynamicMemberLookup
    struct PostgresServer: Sendable {
        /// Its settings, and stopping and starting it.
        var settings: DatabaseServer

        subscript<Value>(dynamicMember keyPath: KeyPath<DatabaseServer, Value>) -> Value { settings[keyPath: keyPath] }

        /// A configuration for this server; `query` is appended to the URL.
        func configuration(
            query: String = "",
            connectTimeout: Duration = .seconds(3),
            statementTimeout: Duration = .seconds(10)
        ) throws -> PostgreSQLConfiguration {
            try PostgreSQLConfiguration(
                url: "postgres://\(settings.user)@\(settings.host):\(settings.port)/\(settings.database)"
                    + (query.isEmpty ? "" : "?" + query),
                password: settings.password,
                connectTimeout: connectTimeout,
                statementTimeout: statementTimeout
            )
        }
    }

    /// A MariaDB server and the driver configuration for it.
    @dynamicMemberLookup
    struct MariaDBServer: Sendable {
        /// Its settings, and stopping and starting it.
        var settings: DatabaseServer

        subscript<Value>(dynamicMember keyPath: KeyPath<DatabaseServer, Value>) -> Value { settings[keyPath: keyPath] }

        /// A configuration for this server, for `database` when given.
        func configuration(
            database: String? = nil,
            connectTimeout: Duration = .seconds(3),
            statementTimeout: Duration = .seconds(10)
        ) throws -> MySQLConfiguration {
            try MySQLConfiguration(
                url: "mysql://\(settings.user)@\(settings.host):\(settings.port)/\(database ?? settings.database)",
                password: settings.password,
                connectTimeout: connectTimeout,
                statementTimeout: statementTimeout
            )
        }
    }

    /// The shared PostgreSQL server (`POSTGRES_*`); never stopped by a test.
    static let postgres = DatabaseServer(prefix: "POSTGRES").map(PostgresServer.init)
    /// The shared MariaDB server (`MYSQL_*`); never stopped by a test.
    static let mariaDB = DatabaseServer(prefix: "MYSQL").map(MariaDBServer.init)

    /// The PostgreSQL server, or an error naming the missing variables (which fails the test).
    static func requirePostgres() throws -> PostgresServer {
        PostgresServer(settings: try DatabaseServer.require("POSTGRES"))
    }

    /// The PostgreSQL server the restart tests stop and start (`POSTGRES_RESTART_*`).
    static func requirePostgresRestart() throws -> PostgresServer {
        PostgresServer(settings: try DatabaseServer.require("POSTGRES_RESTART"))
    }

    /// The MariaDB server, or an error naming the missing variables (which fails the test).
    static func requireMariaDB() throws -> MariaDBServer {
        MariaDBServer(settings: try DatabaseServer.require("MYSQL"))
    }

    /// The MariaDB server the restart tests stop and start (`MYSQL_RESTART_*`).
    static func requireMariaDBRestart() throws -> MariaDBServer {
        MariaDBServer(settings: try DatabaseServer.require("MYSQL_RESTART"))
    }

    /// A name no other test run uses, for tables and databases.
    static func uniqueName(_ prefix: String) -> String {
        DatabaseServer.uniqueName(prefix)
    }
}
