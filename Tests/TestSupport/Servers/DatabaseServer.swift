import Foundation

/// One of the throwaway PostgreSQL or MariaDB servers of scripts/databases.sh, described by the variables
/// it exports under a prefix: `POSTGRES_*` and `MYSQL_*` (shared by every suite, never stopped),
/// `POSTGRES_RESTART_*` and `MYSQL_RESTART_*` (stopped and started by the driver tests only),
/// `POSTGRES_SCENARIO_RESTART_*` and `MYSQL_SCENARIO_RESTART_*` (by the gateway's restart and fault tests only).
public struct DatabaseServer: Sendable {
    public enum Engine: String, Sendable {
        case postgres = "PostgreSQL"
        case mariaDB = "MariaDB"
    }

    public var engine: Engine
    /// The prefix of the variables that describe the server, for messages.
    public var prefix: String
    public var host: String
    public var port: Int
    public var user: String
    public var password: String
    public var database: String
    /// The server's data directory (`*_DATA_DIR`); its parent holds the log, the socket and MariaDB's pid file.
    public var dataDirectory: String?
    /// PostgreSQL's binaries (`*_BIN`, with `pg_ctl`).
    public var binDirectory: String?
    /// MariaDB's Unix socket (`*_SOCKET`).
    public var socket: String?

    /// The environment of the test process, read once.
    public static let environment = ProcessInfo.processInfo.environment

    /// Whether this is a CI run, where a missing server is a failure, never a skip.
    public static var isCI: Bool { !(environment["CI"] ?? "").isEmpty }

    /// A database server's settings are missing while CI demands them.
    public struct MissingSettings: Error, CustomStringConvertible {
        public var names: [String]
        public var description: String { "missing database settings: \(names.joined(separator: ", ")) (CI is set)" }
    }

    /// The server a prefix describes (`POSTGRES…` is PostgreSQL, anything else MariaDB), or nil when a
    /// setting is missing.
    public init?(prefix: String) {
        let engine: Engine = prefix.hasPrefix("POSTGRES") ? .postgres : .mariaDB
        let value = { (name: String) in Self.environment["\(prefix)_\(name)"] }
        guard let host = value("HOSTNAME"), let port = value("PORT").flatMap(Int.init), let user = value("USER"),
            let password = value("PASSWORD"), let database = value(Self.databaseKey(engine))
        else { return nil }
        self.engine = engine
        self.prefix = prefix
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        dataDirectory = value("DATA_DIR")
        binDirectory = value("BIN")
        socket = value("SOCKET")
    }

    /// The server a prefix describes, or an error naming the missing variables.
    public static func require(_ prefix: String) throws -> DatabaseServer {
        if let server = DatabaseServer(prefix: prefix) { return server }
        let engine: Engine = prefix.hasPrefix("POSTGRES") ? .postgres : .mariaDB
        let names = ["HOSTNAME", "PORT", "USER", "PASSWORD", databaseKey(engine)].map { "\(prefix)_\($0)" }
        throw MissingSettings(names: names.filter { environment[$0] == nil })
    }

    /// A database, schema or table name no other run uses.
    public static func uniqueName(_ prefix: String) -> String {
        "\(prefix)_\(UInt32.random(in: 0...UInt32.max))"
    }

    private static func databaseKey(_ engine: Engine) -> String {
        engine == .postgres ? "DB" : "DATABASE"
    }
}
