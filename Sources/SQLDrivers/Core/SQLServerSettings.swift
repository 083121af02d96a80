/// What a database server engine is given, from the tenant's backend section or the log store's flag:
/// where (a URL, never with a password in it), who, and how long to wait.
public struct SQLServerSettings: Sendable, Hashable {
    /// The URL, without a password.
    public var url: String
    /// The user name when the URL does not carry one.
    public var username: String?
    /// The password; it never appears in the URL, messages or logs.
    public var password: String?
    /// How long to wait for the server to accept a connection.
    public var connectTimeout: Duration
    /// How long one statement may run; the engine's own limit is set from it.
    public var statementTimeout: Duration

    public init(
        url: String,
        username: String? = nil,
        password: String? = nil,
        connectTimeout: Duration = .seconds(5),
        statementTimeout: Duration = .seconds(10)
    ) {
        self.url = url
        self.username = username
        self.password = password
        self.connectTimeout = connectTimeout
        self.statementTimeout = statementTimeout
    }
}

/// The configuration of a server engine, checked from ``SQLServerSettings``.
public protocol SQLServerConfiguration: Sendable {
    /// Checks the settings; a password in the URL, an unknown parameter or another scheme is an error
    /// naming the problem.
    init(_ settings: SQLServerSettings) throws(SQLConfigurationError)

    /// The settings it was made from.
    var settings: SQLServerSettings { get }
}

extension SQLServerConfiguration {
    /// Checks the settings given one by one.
    public init(
        url: String,
        username: String? = nil,
        password: String? = nil,
        connectTimeout: Duration = .seconds(5),
        statementTimeout: Duration = .seconds(10)
    ) throws(SQLConfigurationError) {
        try self.init(
            SQLServerSettings(
                url: url,
                username: username,
                password: password,
                connectTimeout: connectTimeout,
                statementTimeout: statementTimeout
            )
        )
    }

    /// How long to wait for the server to accept a connection.
    public var connectTimeout: Duration { settings.connectTimeout }

    /// How long one statement may run.
    public var statementTimeout: Duration { settings.statementTimeout }

    /// The password.
    public var password: String? { settings.password }

    /// How long a caller waits for a free pooled connection by default: one connect and one statement.
    var checkoutTimeout: Duration { settings.connectTimeout + settings.statementTimeout }
}
