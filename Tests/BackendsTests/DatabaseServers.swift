import Foundation
import SQLDrivers
import Testing

@testable import Backends

/// The throwaway PostgreSQL and MariaDB servers the integration tests run against, described by the
/// `POSTGRES_*` and `MYSQL_*` variables that scripts/databases.sh exports. Without them the tests are skipped
/// with a message; when `CI` is set, a missing variable fails the tests instead.
enum DatabaseServers {
    /// The environment, read once.
    static let environment = ProcessInfo.processInfo.environment

    /// Whether this is a CI run, where missing servers are a failure.
    static var isCI: Bool { !(environment["CI"] ?? "").isEmpty }

    /// Whether the PostgreSQL tests run: the server is described, or CI demands it.
    static var postgresEnabled: Bool { isCI || postgres != nil }
    /// Whether the MariaDB tests run.
    static var mariaDBEnabled: Bool { isCI || mariaDB != nil }

    static let skipMessage: Comment =
        "no database server: run `source scripts/lib.sh; source scripts/databases.sh; start_databases` first"

    struct MissingSettings: Error, CustomStringConvertible {
        var names: [String]
        var description: String { "missing database settings: \(names.joined(separator: ", ")) (CI is set)" }
    }

    struct PostgresServer: Sendable {
        var host: String
        var port: Int
        var user: String
        var password: String
        var database: String
        var dataDirectory: String?
        var binDirectory: String?

        /// A configuration for this server; `query` is appended to the URL.
        func configuration(
            query: String = "",
            connectTimeout: Duration = .seconds(3),
            statementTimeout: Duration = .seconds(10)
        ) throws -> PostgreSQLConfiguration {
            try PostgreSQLConfiguration(
                url: "postgres://\(user)@\(host):\(port)/\(database)\(query.isEmpty ? "" : "?" + query)",
                password: password,
                connectTimeout: connectTimeout,
                statementTimeout: statementTimeout
            )
        }
    }

    struct MariaDBServer: Sendable {
        var host: String
        var port: Int
        var user: String
        var password: String
        var database: String
        var socket: String?
        var dataDirectory: String?

        /// A configuration for this server, for `database` when given.
        func configuration(
            database: String? = nil,
            connectTimeout: Duration = .seconds(3),
            statementTimeout: Duration = .seconds(10)
        ) throws -> MySQLConfiguration {
            try MySQLConfiguration(
                url: "mysql://\(user)@\(host):\(port)/\(database ?? self.database)",
                password: password,
                connectTimeout: connectTimeout,
                statementTimeout: statementTimeout
            )
        }
    }

    /// The shared PostgreSQL server (`POSTGRES_*`); never stopped by a test.
    static let postgres: PostgresServer? = postgresServer(prefix: "POSTGRES")
    /// The PostgreSQL server the restart tests stop and start (`POSTGRES_RESTART_*`).
    static let postgresRestart: PostgresServer? = postgresServer(prefix: "POSTGRES_RESTART")

    /// The shared MariaDB server (`MYSQL_*`); never stopped by a test.
    static let mariaDB: MariaDBServer? = mariaDBServer(prefix: "MYSQL")
    /// The MariaDB server the restart tests stop and start (`MYSQL_RESTART_*`).
    static let mariaDBRestart: MariaDBServer? = mariaDBServer(prefix: "MYSQL_RESTART")

    private static func postgresServer(prefix: String) -> PostgresServer? {
        guard let host = environment["\(prefix)_HOSTNAME"],
            let port = environment["\(prefix)_PORT"].flatMap(Int.init),
            let user = environment["\(prefix)_USER"], let password = environment["\(prefix)_PASSWORD"],
            let database = environment["\(prefix)_DB"]
        else { return nil }
        return PostgresServer(
            host: host,
            port: port,
            user: user,
            password: password,
            database: database,
            dataDirectory: environment["\(prefix)_DATA_DIR"],
            binDirectory: environment["\(prefix)_BIN"]
        )
    }

    private static func mariaDBServer(prefix: String) -> MariaDBServer? {
        guard let host = environment["\(prefix)_HOSTNAME"],
            let port = environment["\(prefix)_PORT"].flatMap(Int.init),
            let user = environment["\(prefix)_USER"], let password = environment["\(prefix)_PASSWORD"],
            let database = environment["\(prefix)_DATABASE"]
        else { return nil }
        return MariaDBServer(
            host: host,
            port: port,
            user: user,
            password: password,
            database: database,
            socket: environment["\(prefix)_SOCKET"],
            dataDirectory: environment["\(prefix)_DATA_DIR"]
        )
    }

    /// The PostgreSQL server, or an error naming the missing variables (which fails the test).
    static func requirePostgres() throws -> PostgresServer {
        if let postgres { return postgres }
        throw MissingSettings(names: missing(postgresNames(prefix: "POSTGRES")))
    }

    /// The PostgreSQL server dedicated to restart tests, or an error naming the missing variables.
    static func requirePostgresRestart() throws -> PostgresServer {
        if let postgresRestart { return postgresRestart }
        throw MissingSettings(names: missing(postgresNames(prefix: "POSTGRES_RESTART")))
    }

    /// The MariaDB server, or an error naming the missing variables (which fails the test).
    static func requireMariaDB() throws -> MariaDBServer {
        if let mariaDB { return mariaDB }
        throw MissingSettings(names: missing(mariaDBNames(prefix: "MYSQL")))
    }

    /// The MariaDB server dedicated to restart tests, or an error naming the missing variables.
    static func requireMariaDBRestart() throws -> MariaDBServer {
        if let mariaDBRestart { return mariaDBRestart }
        throw MissingSettings(names: missing(mariaDBNames(prefix: "MYSQL_RESTART")))
    }

    private static func postgresNames(prefix: String) -> [String] {
        ["HOSTNAME", "PORT", "USER", "PASSWORD", "DB"].map { "\(prefix)_\($0)" }
    }

    private static func mariaDBNames(prefix: String) -> [String] {
        ["HOSTNAME", "PORT", "USER", "PASSWORD", "DATABASE"].map { "\(prefix)_\($0)" }
    }

    private static func missing(_ names: [String]) -> [String] {
        names.filter { environment[$0] == nil }
    }

    /// A name no other test run uses, for tables and databases.
    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)_\(UInt32.random(in: 0...UInt32.max))"
    }
}
