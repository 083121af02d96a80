import SQLDrivers

extension SQLBackend {
    /// Builds a PostgreSQL-backed tenant: `configuration.url` (`postgres://user@host:5432/db`, no
    /// password), the password from the tenant's `passwordEnv` / `passwordFile`, `pool.max`
    /// connections, and the connect and statement timeouts.
    public static func postgres(_ configuration: BackendConfiguration) throws -> SQLBackend {
        let url = try serverURL(configuration, kind: "postgres")
        let server: PostgreSQLConfiguration
        do {
            server = try PostgreSQLConfiguration(
                url: url,
                username: configuration.username,
                password: configuration.password,
                connectTimeout: configuration.connectTimeout,
                statementTimeout: configuration.statementTimeout
            )
        } catch {
            throw BackendConfigurationError("tenant \(configuration.tenantID): \(error.message)")
        }
        let database = SQLDatabase.postgres(server, maxConnections: configuration.poolMax)
        return try SQLBackend(configuration: configuration, database: database)
    }

    /// Builds a MySQL- or MariaDB-backed tenant: `configuration.url` (`mysql://user@host:3306/db`, no
    /// password), the password apart, `pool.max` connections, and the connect and statement timeouts.
    public static func mysql(_ configuration: BackendConfiguration) throws -> SQLBackend {
        let url = try serverURL(configuration, kind: "mysql")
        let server: MySQLConfiguration
        do {
            server = try MySQLConfiguration(
                url: url,
                username: configuration.username,
                password: configuration.password,
                connectTimeout: configuration.connectTimeout,
                statementTimeout: configuration.statementTimeout
            )
        } catch {
            throw BackendConfigurationError("tenant \(configuration.tenantID): \(error.message)")
        }
        let database = SQLDatabase.mysql(server, maxConnections: configuration.poolMax)
        return try SQLBackend(configuration: configuration, database: database)
    }

    private static func serverURL(_ configuration: BackendConfiguration, kind: String) throws -> String {
        guard let url = configuration.url, !url.isEmpty else {
            throw BackendConfigurationError("tenant \(configuration.tenantID): backend kind \(kind) needs 'url'")
        }
        return url
    }
}
