import Foundation

/// How to reach a MariaDB or MySQL server: a `mysql://user@host:port/database?ssl=…&socket=…` URL, the
/// password given apart, and the gateway's timeouts.
public struct MySQLConfiguration: SQLServerConfiguration, Hashable {
    /// Whether and how to use TLS (`ssl=` in the URL).
    public enum TLSMode: String, Sendable, Hashable {
        /// The client library's default (no TLS with Connector/C 3.3).
        case preferred
        /// TLS required, server certificate not verified.
        case required
        /// TLS required and the server certificate verified.
        case verify
    }

    /// The server's host name or address; `127.0.0.1` rather than `localhost`, which means the Unix socket.
    public var host: String
    /// The TCP port.
    public var port: Int
    /// The user name.
    public var username: String
    /// The database to use.
    public var database: String?
    /// A Unix socket path, used instead of TCP when set.
    public var socket: String?
    /// TLS.
    public var tls: TLSMode
    /// The settings; the statement timeout is the session's `max_statement_time`, and network reads and
    /// writes give up a connect timeout later.
    public var settings: SQLServerSettings

    /// Parses the URL.
    public init(_ settings: SQLServerSettings) throws(SQLConfigurationError) {
        let url = settings.url
        guard let parsed = URLComponents(string: url), let scheme = parsed.scheme?.lowercased(),
            url.contains("://")
        else {
            throw SQLConfigurationError("a MySQL URL looks like mysql://user@host:3306/database")
        }
        guard scheme == "mysql" || scheme == "mariadb" else {
            throw SQLConfigurationError("unsupported URL scheme '\(scheme)'; expected mariadb or mysql")
        }
        // URLComponents escapes a stray `%` instead of refusing it.
        guard Self.isPercentEncoded(url) else {
            throw SQLConfigurationError("invalid percent-encoding in the MySQL URL")
        }
        if let port = parsed.port, !(1...65_535).contains(port) {
            throw SQLConfigurationError("invalid port '\(port)' in the MySQL URL")
        }
        guard parsed.password == nil else {
            throw SQLConfigurationError(
                "the MySQL URL must not contain a password; give it through passwordEnv or passwordFile"
            )
        }
        guard let user = parsed.user ?? settings.username, !user.isEmpty else {
            throw SQLConfigurationError("the MySQL URL needs a user (mysql://user@host/database)")
        }
        var tls = TLSMode.preferred
        var socket: String?
        for item in parsed.queryItems ?? [] {
            let (name, value) = (item.name, item.value ?? "")
            switch name {
            case "ssl", "sslmode":
                switch value.lowercased() {
                case "", "false", "0", "disable", "disabled", "prefer", "preferred": tls = .preferred
                case "true", "1", "require", "required": tls = .required
                case "verify", "verify-ca", "verify-full", "verify_identity", "verify_ca": tls = .verify
                default: throw SQLConfigurationError("unknown ssl mode '\(value)' in the MySQL URL")
                }
            case "socket":
                socket = value
            default:
                throw SQLConfigurationError("unknown parameter '\(name)' in the MySQL URL (known: ssl, socket)")
            }
        }
        var host = parsed.host ?? ""
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.host = host.isEmpty ? "127.0.0.1" : host
        self.port = parsed.port ?? 3306
        self.username = user
        let database = parsed.path.hasPrefix("/") ? String(parsed.path.dropFirst()) : parsed.path
        self.database = database.isEmpty ? nil : database
        self.socket = socket
        self.tls = tls
        self.settings = settings
    }

    /// Whether every `%` in `text` starts a `%XX` escape.
    private static func isPercentEncoded(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "%") else {
                index += 1
                continue
            }
            guard index + 2 < bytes.count,
                Character(Unicode.Scalar(bytes[index + 1])).isHexDigit,
                Character(Unicode.Scalar(bytes[index + 2])).isHexDigit
            else { return false }
            index += 3
        }
        return true
    }
}
