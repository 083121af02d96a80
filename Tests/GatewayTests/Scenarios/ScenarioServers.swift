import Foundation
import Testing

/// The throwaway database servers of scripts/databases.sh, as the scenarios see them: `POSTGRES_*` and
/// `MYSQL_*` are shared by every suite; `POSTGRES_SCENARIO_RESTART_*` and `MYSQL_SCENARIO_RESTART_*` are a
/// pair that only resilience scenarios stop and start (the driver tests restart a pair of their own). When `CI` is set, missing settings fail a scenario.
enum ScenarioServers {
    static let environment = ProcessInfo.processInfo.environment

    /// Whether this is a CI run, where a missing server is a failure, never a skip.
    static var isCI: Bool { !(environment["CI"] ?? "").isEmpty }

    /// One server's settings.
    struct Server: Sendable {
        var host: String
        var port: Int
        var user: String
        var password: String
        var database: String
        var dataDirectory: String?
        /// PostgreSQL's binaries (`pg_ctl`).
        var binDirectory: String?
        /// MariaDB's Unix socket.
        var socket: String?
    }

    struct MissingSettings: Error, CustomStringConvertible {
        var names: [String]
        var description: String { "missing database settings: \(names.joined(separator: ", ")) (CI is set)" }
    }

    /// The server a prefix describes (`POSTGRES`, `POSTGRES_SCENARIO_RESTART`, `MYSQL`, …), or nil.
    static func server(_ prefix: String) -> Server? {
        let databaseKey = prefix.hasPrefix("POSTGRES") ? "DB" : "DATABASE"
        guard let host = environment["\(prefix)_HOSTNAME"],
            let port = environment["\(prefix)_PORT"].flatMap(Int.init),
            let user = environment["\(prefix)_USER"],
            let password = environment["\(prefix)_PASSWORD"],
            let database = environment["\(prefix)_\(databaseKey)"]
        else { return nil }
        return Server(
            host: host,
            port: port,
            user: user,
            password: password,
            database: database,
            dataDirectory: environment["\(prefix)_DATA_DIR"],
            binDirectory: environment["\(prefix)_BIN"],
            socket: environment["\(prefix)_SOCKET"]
        )
    }

    /// The server a prefix describes, or an error naming the missing variables (which fails the scenario).
    static func require(_ prefix: String) throws -> Server {
        if let server = server(prefix) { return server }
        let databaseKey = prefix.hasPrefix("POSTGRES") ? "DB" : "DATABASE"
        let names = ["HOSTNAME", "PORT", "USER", "PASSWORD", databaseKey].map { "\(prefix)_\($0)" }
        throw MissingSettings(names: names.filter { environment[$0] == nil })
    }

    /// A database or schema name no other run uses.
    static func uniqueName() -> String {
        "scenario_\(UInt32.random(in: 0...UInt32.max))"
    }
}
