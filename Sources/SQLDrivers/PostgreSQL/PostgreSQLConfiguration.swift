import CLibPQ

/// How to reach a PostgreSQL server: a `postgres://` URL (libpq's URI syntax, e.g.
/// `postgres://user@host:5432/db?sslmode=require&connect_timeout=5`), the password given apart, and the
/// gateway's timeouts.
public struct PostgreSQLConfiguration: Sendable, Hashable {
    /// The URL, without a password.
    public var url: String
    /// The user name when the URL does not carry one.
    public var username: String?
    /// The password; it never appears in the URL, messages or logs.
    public var password: String?
    /// How long to wait for the server to accept a connection (libpq's minimum is 2 seconds); a
    /// `connect_timeout` in the URL wins.
    public var connectTimeout: Duration
    /// How long one statement may run (`statement_timeout`).
    public var statementTimeout: Duration

    /// Checks the URL with libpq's own parser; a password in it, an unknown parameter or another scheme is an
    /// error naming the problem.
    public init(
        url: String,
        username: String? = nil,
        password: String? = nil,
        connectTimeout: Duration = .seconds(5),
        statementTimeout: Duration = .seconds(10)
    ) throws(SQLConfigurationError) {
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
            throw SQLConfigurationError("a PostgreSQL URL starts with postgres:// or postgresql://")
        }
        try Self.validate(url)
        self.url = url
        self.username = username
        self.password = password
        self.connectTimeout = connectTimeout
        self.statementTimeout = statementTimeout
    }

    private static func validate(_ url: String) throws(SQLConfigurationError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(url, &errorMessage) else {
            let detail = errorMessage.map { String(cString: $0) } ?? "out of memory"
            if let errorMessage { PQfreemem(errorMessage) }
            throw SQLConfigurationError("invalid PostgreSQL URL: \(detail.trimmingWhitespace())")
        }
        defer { PQconninfoFree(options) }
        var option = options
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == "password", option.pointee.val != nil {
                throw SQLConfigurationError(
                    "the PostgreSQL URL must not contain a password; give it through passwordEnv or passwordFile"
                )
            }
            option += 1
        }
    }

    /// libpq's connection keywords, in order: later ones override earlier ones, and `dbname` is expanded from
    /// the URL, so the configured timeout yields to the URL's and the separate password wins.
    var connectionParameters: [(String, String)] {
        var parameters: [(String, String)] = [
            ("connect_timeout", String(max(2, connectTimeout.wholeSecondsRoundedUp))),
            ("fallback_application_name", "scim-gateway"),
        ]
        if let username { parameters.append(("user", username)) }
        parameters.append(("dbname", url))
        parameters.append(("client_encoding", "UTF8"))
        if let password { parameters.append(("password", password)) }
        return parameters
    }
}
