/// How to reach a MariaDB or MySQL server: a `mysql://user@host:port/database?ssl=…&socket=…` URL, the
/// password given apart, and the gateway's timeouts.
public struct MariaDBConfiguration: Sendable, Hashable {
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
    /// The password; it never appears in the URL, messages or logs.
    public var password: String?
    /// The database to use.
    public var database: String?
    /// A Unix socket path, used instead of TCP when set.
    public var socket: String?
    /// TLS.
    public var tls: TLSMode
    /// How long to wait for the server to accept a connection.
    public var connectTimeout: Duration
    /// How long one statement may run (`max_statement_time`); network reads and writes give up a connect
    /// timeout later.
    public var statementTimeout: Duration

    /// Parses the URL; a password in it, an unknown parameter or another scheme is an error naming the problem.
    public init(
        url: String,
        username: String? = nil,
        password: String? = nil,
        connectTimeout: Duration = .seconds(5),
        statementTimeout: Duration = .seconds(10)
    ) throws(BackendConfigurationError) {
        let parsed = try ServerURL(url, schemes: ["mysql", "mariadb"])
        guard parsed.password == nil else {
            throw BackendConfigurationError(
                "the MySQL URL must not contain a password; give it through passwordEnv or passwordFile"
            )
        }
        guard let user = parsed.user ?? username, !user.isEmpty else {
            throw BackendConfigurationError("the MySQL URL needs a user (mysql://user@host/database)")
        }
        var tls = TLSMode.preferred
        var socket: String?
        for (name, value) in parsed.query {
            switch name {
            case "ssl", "sslmode":
                switch value.lowercased() {
                case "", "false", "0", "disable", "disabled", "prefer", "preferred": tls = .preferred
                case "true", "1", "require", "required": tls = .required
                case "verify", "verify-ca", "verify-full", "verify_identity", "verify_ca": tls = .verify
                default: throw BackendConfigurationError("unknown ssl mode '\(value)' in the MySQL URL")
                }
            case "socket":
                socket = value
            default:
                throw BackendConfigurationError("unknown parameter '\(name)' in the MySQL URL (known: ssl, socket)")
            }
        }
        self.host = parsed.host.isEmpty ? "127.0.0.1" : parsed.host
        self.port = parsed.port ?? 3306
        self.username = user
        self.password = password
        self.database = parsed.path.isEmpty ? nil : parsed.path
        self.socket = socket
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.statementTimeout = statementTimeout
    }
}
