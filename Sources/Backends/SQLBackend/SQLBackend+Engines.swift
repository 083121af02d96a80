import SQLDrivers

extension SQLBackend {
    /// Builds a PostgreSQL-backed tenant: `configuration.url` (`postgres://user@host:5432/db`, no
    /// password), the password from the tenant's `passwordEnv` / `passwordFile`, `pool.max`
    /// connections, and the connect and statement timeouts.
    public static func postgres(_ configuration: BackendConfiguration) throws -> SQLBackend {
        try server(configuration, kind: "postgres") { url throws(SQLConfigurationError) in
            let server = try PostgreSQLConfiguration(
                url: url,
                username: configuration.username,
                password: configuration.password,
                connectTimeout: configuration.connectTimeout,
                statementTimeout: configuration.statementTimeout
            )
            return .postgres(server, maxConnections: configuration.poolMax)
        }
    }

    /// Builds a MySQL- or MariaDB-backed tenant: `configuration.url` (`mysql://user@host:3306/db`, no
    /// password), the password apart, `pool.max` connections, and the connect and statement timeouts.
    public static func mysql(_ configuration: BackendConfiguration) throws -> SQLBackend {
        try server(configuration, kind: "mysql") { url throws(SQLConfigurationError) in
            let server = try MySQLConfiguration(
                url: url,
                username: configuration.username,
                password: configuration.password,
                connectTimeout: configuration.connectTimeout,
                statementTimeout: configuration.statementTimeout
            )
            return .mysql(server, maxConnections: configuration.poolMax)
        }
    }

    /// A tenant on a database server: its `url` checked and turned into a database by `open`, errors
    /// naming the tenant.
    private static func server(
        _ configuration: BackendConfiguration,
        kind: String,
        open: (String) throws(SQLConfigurationError) -> SQLDatabase
    ) throws -> SQLBackend {
        guard let url = configuration.url, !url.isEmpty else {
            throw BackendConfigurationError("tenant \(configuration.tenantID): backend kind \(kind) needs 'url'")
        }
        let database: SQLDatabase
        do {
            database = try open(url)
        } catch {
            throw BackendConfigurationError("tenant \(configuration.tenantID): \(error.message)")
        }
        return try SQLBackend(configuration: configuration, database: database)
    }
}
