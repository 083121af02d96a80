import CLibPQ

/// How to reach a PostgreSQL server: a `postgres://` URL (libpq's URI syntax, e.g.
/// `postgres://user@host:5432/db?sslmode=require&connect_timeout=5`), the password given apart, and the
/// gateway's timeouts.
public struct PostgreSQLConfiguration: SQLServerConfiguration, Hashable {
    /// The settings; a `connect_timeout` in the URL wins over the connect timeout (libpq's minimum is 2
    /// seconds), and the statement timeout is the session's `statement_timeout`.
    public var settings: SQLServerSettings

    /// Checks the URL with libpq's own parser.
    public init(_ settings: SQLServerSettings) throws(SQLConfigurationError) {
        let url = settings.url
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
            throw SQLConfigurationError("a PostgreSQL URL starts with postgres:// or postgresql://")
        }
        try Self.validate(url)
        self.settings = settings
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
            ("connect_timeout", String(max(2, settings.connectTimeout.wholeSecondsRoundedUp))),
            ("fallback_application_name", "scim-gateway"),
        ]
        if let username = settings.username { parameters.append(("user", username)) }
        parameters.append(("dbname", settings.url))
        parameters.append(("client_encoding", "UTF8"))
        if let password = settings.password { parameters.append(("password", password)) }
        return parameters
    }
}
